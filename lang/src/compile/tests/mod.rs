//! Unit tests of the code generator: bytecode shape, folding, registers, scopes, errors.
//! Programs are written as source text and parsed by `crate::syntax::parse`.

mod cases;
mod errors;

use super::compile_chunk;
use crate::bytecode::disasm::proto_listing;
use crate::bytecode::Proto;

fn parse(src: &str) -> crate::syntax::ast::Chunk {
    crate::syntax::parse(src.as_bytes(), "=test").unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn compile(src: &str) -> Proto {
    let chunk = parse(src);
    let p = compile_chunk(&chunk, "=test").unwrap_or_else(|e| panic!("{e}"));
    crate::vm::load::verify(&p).unwrap_or_else(|e| panic!("{e}\n{}", proto_listing(&p)));
    p
}

pub(super) fn listing(src: &str) -> String {
    proto_listing(&compile(src))
}

/// The error message of a program that must not compile.
pub(super) fn error(src: &str) -> String {
    let chunk = parse(src);
    match compile_chunk(&chunk, "=test") {
        Ok(p) => panic!("expected an error, got\n{}", proto_listing(&p)),
        Err(e) => e.to_string(),
    }
}

/// The instructions of the main function as `Name a b c` with single spaces.
pub(super) fn code(src: &str) -> Vec<String> {
    code_of(&compile(src))
}

pub(super) fn code_of(p: &Proto) -> Vec<String> {
    p.code
        .iter()
        .map(|i| crate::bytecode::disasm::instr_text(*i).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Prints the listing of the file named by `RIVET_EXPLORE` (a tool for comparing with
/// `luac -l -l` by hand; does nothing otherwise).
#[test]
fn explore() {
    let src = std::env::var("RIVET_EXPLORE").unwrap_or_default();
    if !src.is_empty() {
        let src = std::fs::read_to_string(&src).unwrap();
        println!("{}", listing(&src));
    }
}

/// The structural self-check over every golden program of `tests/bytecode`.
#[test]
fn goldens_pass_verify() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bytecode");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/bytecode exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "lua") {
            compile(&std::fs::read_to_string(&path).expect("readable source"));
            n += 1;
        }
    }
    assert!(n > 0, "no golden programs found in {}", dir.display());
}
