//! The README's Lua examples are tests: every ```lua block runs with the `rivet` binary, and
//! its `--> TEXT` comments (or `-- expect: TEXT`, as in tests/lua/; tabs written as `\t`)
//! give its output, line by line, in order.

use std::process::Command;

/// The ```lua blocks of the README, with the line each starts on.
fn lua_blocks(readme: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in readme.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```lua") => current = Some((n + 1, String::new())),
            None => {}
            Some(_) if line.trim_start().starts_with("```") => blocks.push(current.take().expect("in a block")),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    blocks
}

fn expected_output(block: &str) -> Vec<String> {
    let after = |line: &str, marker: &str| line.find(marker).map(|p| line[p + marker.len()..].replace("\\t", "\t"));
    block.lines().filter_map(|l| after(l, "-- expect: ").or_else(|| after(l, "--> "))).collect()
}

#[test]
fn readme_lua_examples_print_what_they_say() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let blocks = lua_blocks(&readme);
    assert!(blocks.len() >= 4, "the README has Lua examples (the ffi section has three)");
    for (line, block) in blocks {
        let out = Command::new(env!("CARGO_BIN_EXE_rivet")).args(["-e", &block]).output().expect("rivet runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "README.md:{line}: the example failed: {}", String::from_utf8_lossy(&out.stderr));
        let got: Vec<&str> = stdout.lines().collect();
        assert_eq!(got, expected_output(&block), "README.md:{line}: output of the example");
    }
}
