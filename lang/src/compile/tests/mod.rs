//! Unit tests of the code generator: bytecode shape, folding, registers, scopes, errors.
//! Programs are written as source text and parsed by `miniparse` (a test-only parser).

mod miniparse;
mod verify;

use super::compile_chunk;
use crate::bytecode::disasm::proto_listing;
use crate::bytecode::Proto;

pub(super) fn compile(src: &str) -> Proto {
    let chunk = miniparse::parse(src);
    let p = compile_chunk(&chunk, "=test").unwrap_or_else(|e| panic!("{e}"));
    verify::verify(&p).unwrap_or_else(|e| panic!("{e}\n{}", proto_listing(&p)));
    p
}

pub(super) fn listing(src: &str) -> String {
    proto_listing(&compile(src))
}

/// The error message of a program that must not compile.
pub(super) fn error(src: &str) -> String {
    let chunk = miniparse::parse(src);
    match compile_chunk(&chunk, "=test") {
        Ok(p) => panic!("expected an error, got\n{}", proto_listing(&p)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn explore() {
    let src = std::env::var("RIVET_EXPLORE").unwrap_or_default();
    if !src.is_empty() {
        let src = std::fs::read_to_string(&src).unwrap();
        println!("{}", listing(&src));
    }
}
