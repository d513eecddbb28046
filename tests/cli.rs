//! Whole-binary tests of the `rivet` command line.

use std::io::Write;
use std::process::{Command, Stdio};

fn rivet() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rivet"))
}

#[test]
fn tour_runs_and_prints_its_results() {
    let out = rivet().arg("scripts/examples/tour.lua").current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("counter after three calls:\t3"), "{text}");
    assert!(text.contains("vector sum:\t(4, 6)\t squared length:\t52"), "{text}");
    assert!(text.contains("sum of a generated 1..10:\t55"), "{text}");
    assert!(text.contains("guard closed"), "{text}");
}

#[test]
fn dash_e_runs_statements_in_order() {
    let out = rivet().args(["-e", "x = 6", "-e", "print(x * 7)"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\n");
}

#[test]
fn errors_print_message_and_traceback_and_exit_1() {
    let out = rivet().args(["-e", "local function f() error('boom') end f()"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rivet: (command line):1: boom\nstack traceback:"), "{err}");
    assert!(err.contains("in local 'f'"), "{err}");
}

#[test]
fn script_arguments_fill_arg_and_varargs() {
    let dir = std::env::temp_dir().join(format!("rivet-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("args.lua");
    std::fs::write(&script, "print(arg[0] ~= nil, arg[1], arg[2], select('#', ...), ...)").unwrap();
    let out = rivet().arg(&script).args(["a", "b"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "true\ta\tb\t2\ta\tb\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn piped_stdin_is_run_as_a_script() {
    let mut child = rivet().stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"print(1 + 1)").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
}

#[test]
fn syntax_errors_are_reported_with_position() {
    let out = rivet().args(["-e", "x = = 1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "rivet: (command line):1: unexpected symbol near '='\n");
}

#[test]
fn dump_bytecode_lists_instructions() {
    let dir = std::env::temp_dir().join(format!("rivet-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("d.lua");
    std::fs::write(&script, "local x = 1\nreturn x + 2\n").unwrap();
    let out = rivet().arg("--dump-bytecode").arg(&script).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("AddI") || text.contains("AddK"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_message_handler_survives_a_collection_during_the_script() {
    // The traceback handler once lived only in a Rust local: the collection freed it and the
    // closures allocated next took its memory, so the error printed a gmatch result instead.
    let script = "collectgarbage() local t = {} for i = 1, 1000 do t[i] = string.gmatch('a', 'a') end error('boom')";
    let out = rivet().args(["-e", script]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rivet: (command line):1: boom\nstack traceback:"), "{err}");
}

#[test]
fn debug_debug_runs_lines_from_stdin_until_cont() {
    let mut child = rivet()
        .args(["-e", "debug.debug() print('resumed', x)"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = b"x = 41\nprint(x + 1)\nerror('oops')\nlocal y =\ncont\nprint('not run')\n";
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    // Output as lua5.4 gives it: each line is a chunk, errors go to stderr after the prompt.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42\nresumed\t41\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "lua_debug> lua_debug> lua_debug> (debug command):1: oops\n\
         lua_debug> (debug command):2: unexpected symbol near <eof>\nlua_debug> "
    );
}
