//! Golden call plans: every `tests/abi/<abi>/*.plan` file transcribes an example or rule of an
//! ABI document (named in its `# source:` line) as C declarations and the plan rivet must give.
//! Nothing is executed; the native round trips in `native_calls.rs` check the same conventions
//! against compiled code.
//!
//! File format: header lines `# key: value` (`source`, `target`, `abi` (optional: the declared
//! convention otherwise), `cdef` (repeatable), `call` (a declared function), `varargs` (type
//! names separated by `;`)), a `---` line, then the expected rendering. `RIVET_BLESS=1`
//! rewrites the expected part; review the diff like code.

use std::path::{Path, PathBuf};

use rivet_ffi::abi::{self, Abi};
use rivet_ffi::{CTypeTable, Decl, Target};

struct Case {
    header: String,
    target: Target,
    abi: Option<Abi>,
    cdef: String,
    call: String,
    varargs: Vec<String>,
    expected: String,
}

fn parse(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (header, expected) =
        text.split_once("\n---\n").unwrap_or_else(|| panic!("{}: no `---` line after the header", path.display()));
    let mut case = Case {
        header: header.to_string(),
        target: Target::X86_64_LINUX,
        abi: None,
        cdef: String::new(),
        call: String::new(),
        varargs: Vec::new(),
        expected: expected.to_string(),
    };
    let mut has_source = false;
    for line in header.lines() {
        let Some((key, value)) = line.strip_prefix("# ").and_then(|l| l.split_once(": ")) else {
            panic!("{}: bad header line {line:?}", path.display())
        };
        match key {
            "source" => has_source = true,
            "target" => case.target = Target::from_name(value).unwrap_or_else(|| panic!("unknown target {value}")),
            "abi" => case.abi = Some(Abi::from_name(value).unwrap_or_else(|| panic!("unknown abi {value}"))),
            "cdef" => {
                case.cdef.push_str(value);
                case.cdef.push('\n');
            }
            "call" => case.call = value.to_string(),
            "varargs" => case.varargs = value.split(';').map(|s| s.trim().to_string()).collect(),
            _ => {}
        }
    }
    assert!(has_source, "{}: every plan cites its source", path.display());
    case
}

fn render(case: &Case) -> String {
    let mut types = CTypeTable::new(case.target);
    types.cdef(&case.cdef).unwrap_or_else(|e| panic!("{e}"));
    let Some(Decl::Function(f)) = types.lookup(&case.call).cloned() else { panic!("no function {}", case.call) };
    let varargs: Vec<_> = case.varargs.iter().map(|v| types.parse_type(v, &[]).unwrap()).collect();
    match abi::plan_call(&types, f.ty, &varargs, case.abi, case.target) {
        Ok(plan) => abi::render_named(&plan, &types, &case.call, &f.param_names),
        Err(e) => format!("error: {e}\n"),
    }
}

fn plan_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/abi");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("tests/abi") {
        let dir = dir.unwrap().path();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "plan") {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn plans_match_the_documents() {
    let bless = std::env::var_os("RIVET_BLESS").is_some();
    let files = plan_files();
    assert!(files.len() >= 20, "too few golden plans: {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let case = parse(path);
        let actual = render(&case);
        if actual != case.expected {
            if bless {
                std::fs::write(path, format!("{}\n---\n{actual}", case.header)).unwrap();
            } else {
                failures.push(format!("{}:\n--- expected\n{}--- actual\n{actual}", path.display(), case.expected));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} plans differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}
