//! The loop compiler takes the loops of tests/lua/ffi/loop_calls.lua that call C (that file
//! checks their results; this checks they were compiled, so that it tests compiled code): the
//! CLI's `-jv` reports each loop the compiler looks at.

#[path = "support/fixture.rs"]
mod fixture;

use std::path::Path;
use std::process::Command;

/// Runs tests/lua/ffi/`file` with `-jv`; what the compiler reported.
fn compiler_report(file: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rivet"))
        .arg("-jv")
        .arg(file)
        .current_dir(ffi_tests())
        .env("RIVET_TEST_FIXTURE", fixture::fixture_library())
        .output()
        .expect("rivet runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ffi_tests() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua/ffi")
}

#[test]
#[cfg(target_arch = "x86_64")]
fn the_ffi_loop_tests_run_compiled() {
    let report = compiler_report("loop_calls.lua");
    let source = std::fs::read_to_string(ffi_tests().join("loop_calls.lua")).expect("the test file");
    // Every `for` loop of the file that calls C through a local function.
    let loops: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("for i = 1, n do") || l.contains("for i = 1, N do"))
        .map(|(n, _)| n + 1)
        .collect();
    assert_eq!(loops.len(), 8, "the loops of loop_calls.lua");
    for line in loops {
        let compiled = format!("[loop] loop_calls.lua:{line}: compiled");
        assert!(report.contains(&compiled), "line {line} was not compiled:\n{report}");
    }
    // (The callbacks' functions are not loops: some call Lua functions and are interpreted.)
    assert!(!report.lines().any(|l| l.starts_with("[loop]") && l.contains("not compiled")), "{report}");
}

#[test]
#[cfg(target_arch = "x86_64")]
fn the_compiled_callback_tests_run_compiled() {
    let report = compiler_report("callbacks_compiled.lua");
    // The comparators, the many-parameter callbacks, the one that stops midway, the one
    // whose errors the interpreter raises, the one given by cb:set and one given NULL.
    for line in [30, 35, 46, 47, 55, 65, 77, 84] {
        let compiled = format!("[function] callbacks_compiled.lua:{line}: compiled");
        assert!(report.contains(&compiled), "line {line} was not compiled:\n{report}");
    }
    assert!(!report.contains("not compiled"), "{report}");
}
