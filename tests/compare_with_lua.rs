//! Differential test: every `tests/lua/compare/*.lua` must print exactly the same under
//! `rivet` and the reference `lua5.4` (installed by the README's test command). A missing
//! `lua5.4` fails the test with the command to install it; it never skips silently.

use std::path::Path;
use std::process::Command;

fn run(program: &str, dir: &Path, file: &str) -> (String, String, bool) {
    let out = Command::new(program)
        .arg(file)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e} (install it: apt-get install -y lua5.4)"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

#[test]
fn scripts_print_the_same_as_lua54() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lua/compare");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/lua/compare exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "lua"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let (want, want_err, want_ok) = run("lua5.4", &dir, name);
        let (got, got_err, got_ok) = run(env!("CARGO_BIN_EXE_rivet"), &dir, name);
        if want != got || want_ok != got_ok {
            let first = want.lines().zip(got.lines()).position(|(a, b)| a != b);
            let detail = match first {
                Some(i) => format!("line {}: lua5.4 {:?} / rivet {:?}", i + 1, want.lines().nth(i), got.lines().nth(i)),
                None => format!(
                    "lengths {} / {} lines; lua5.4 stderr {:?}; rivet stderr {:?}",
                    want.lines().count(),
                    got.lines().count(),
                    want_err.trim(),
                    got_err.trim()
                ),
            };
            failures.push(format!("{name}: {detail}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} scripts differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}
