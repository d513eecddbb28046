//! Golden bytecode listings: every `tests/bytecode/*.lua` of the workspace is parsed and
//! compiled, and its listing (`bytecode::disasm::proto_listing`) must equal the `.bytecode`
//! file beside it. `RIVET_BLESS=1 cargo test -p rivet-lang --test bytecode` rewrites the
//! goldens; review their diff like code (compare with `luac5.4 -l -l` where in doubt).

use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bytecode")
}

fn listing(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).expect("file name");
    let source = std::fs::read(path).expect("readable source");
    let chunkname = format!("={name}");
    let chunk = rivet_lang::syntax::parse(&source, &chunkname).unwrap_or_else(|e| panic!("{name}: {e}"));
    let proto = rivet_lang::compile::compile_chunk(&chunk, &chunkname).unwrap_or_else(|e| panic!("{name}: {e}"));
    rivet_lang::bytecode::disasm::proto_listing(&proto)
}

#[test]
fn bytecode_goldens() {
    let bless = std::env::var_os("RIVET_BLESS").is_some_and(|v| v == "1");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/bytecode exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no .lua files in {}", golden_dir().display());
    let mut failures = Vec::new();
    for src in &sources {
        let actual = listing(src);
        let golden = src.with_extension("bytecode");
        if bless {
            std::fs::write(&golden, &actual).expect("golden written");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                let first = expected.lines().zip(actual.lines()).position(|(e, a)| e != a);
                let line = first.unwrap_or(expected.lines().count().min(actual.lines().count()));
                failures.push(format!(
                    "{}: differs from line {}:\n  expected: {}\n  actual:   {}",
                    golden.display(),
                    line + 1,
                    expected.lines().nth(line).unwrap_or("<end>"),
                    actual.lines().nth(line).unwrap_or("<end>")
                ));
            }
            Err(_) => failures.push(format!("{}: missing (run with RIVET_BLESS=1)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}\n(RIVET_BLESS=1 rewrites the goldens)", failures.join("\n"));
}
