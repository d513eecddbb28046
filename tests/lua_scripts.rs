//! Runs every `tests/lua/**/*.lua` script (except `wishlist/` and `compare/`) with the
//! `rivet` binary and checks its output against the inline expectations:
//! - `-- expect: TEXT` after a statement: the next line of standard output is TEXT
//!   (tabs written as `\t`);
//! - `-- error: TEXT`: the script ends with an error whose message contains TEXT.
//!
//! A mismatch is reported as `file:line` of the expectation.
//!
//! The ffi scripts load a C library of test functions, tests/native/lua_fixture.c, built here
//! with the system C compiler (`cc`) and named by the `RIVET_TEST_FIXTURE` variable.
//!
//! Every script runs a second time with `RIVET_GC_STRESS=1` (a collection at every safe point
//! after an allocation) and must give the same results: a value that Rust code forgot to root
//! is then freed at once. A script whose first line contains `no-gc-stress` is too slow for it.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::fixture_library;

struct Expectation {
    line: usize,
    text: String,
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("tests/lua exists").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name != "wishlist" && name != "compare" {
                collect(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "lua") {
            out.push(p);
        }
    }
}

fn expectations(src: &str) -> (Vec<Expectation>, Option<Expectation>) {
    let mut expects = Vec::new();
    let mut error = None;
    for (n, line) in src.lines().enumerate() {
        if let Some(pos) = line.find("-- expect: ") {
            let text = line[pos + "-- expect: ".len()..].replace("\\t", "\t");
            expects.push(Expectation { line: n + 1, text });
        } else if line.trim_end().ends_with("-- expect:") {
            expects.push(Expectation { line: n + 1, text: String::new() });
        } else if let Some(pos) = line.find("-- error: ") {
            error = Some(Expectation { line: n + 1, text: line[pos + "-- error: ".len()..].to_string() });
        }
    }
    (expects, error)
}

fn check(path: &Path, gc_stress: bool) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (expects, error) = expectations(&src);
    let mut rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string();
    if gc_stress {
        if src.lines().next().is_some_and(|l| l.contains("no-gc-stress")) {
            return Ok(());
        }
        rel.push_str(" (RIVET_GC_STRESS=1)");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_rivet"))
        .env("RIVET_GC_STRESS", if gc_stress { "1" } else { "0" })
        .env("RIVET_TEST_FIXTURE", fixture_library())
        .arg(path.file_name().expect("file name"))
        .current_dir(path.parent().expect("parent"))
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stdout.lines().collect();
    for (i, e) in expects.iter().enumerate() {
        match lines.get(i) {
            Some(got) if *got == e.text => {}
            Some(got) => return Err(format!("{rel}:{}: expected {:?}, got {:?}", e.line, e.text, got)),
            None => {
                return Err(format!(
                    "{rel}:{}: expected {:?}, but output ended; stderr: {}",
                    e.line,
                    e.text,
                    stderr.trim()
                ))
            }
        }
    }
    if lines.len() > expects.len() {
        return Err(format!("{rel}: unexpected extra output line {:?}", lines[expects.len()]));
    }
    match error {
        None if !out.status.success() => Err(format!("{rel}: failed: {}", stderr.trim())),
        None => Ok(()),
        Some(e) if out.status.success() => {
            Err(format!("{rel}:{}: expected error {:?}, but the script succeeded", e.line, e.text))
        }
        Some(e) if !stderr.contains(&e.text) => {
            Err(format!("{rel}:{}: expected error {:?}, got {:?}", e.line, e.text, stderr.trim()))
        }
        Some(_) => Ok(()),
    }
}

fn check_all(gc_stress: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua");
    let mut files = Vec::new();
    collect(&root, &mut files);
    assert!(!files.is_empty(), "no scripts found under tests/lua");
    let failures: Vec<String> = files.iter().filter_map(|f| check(f, gc_stress).err()).collect();
    if !failures.is_empty() {
        panic!("{} of {} scripts failed:\n{}", failures.len(), files.len(), failures.join("\n"));
    }
}

#[test]
fn lua_scripts_with_inline_expectations() {
    check_all(false);
}

#[test]
fn lua_scripts_under_gc_stress() {
    check_all(true);
}
