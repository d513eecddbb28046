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
    // The ffi part: C's printf output arrives in order with print's, qsort calls back.
    let printf = text.find("printf from C: rivet has 5 letters (40.0% vowels)\n").expect("printf's line");
    let pid = text.find("this process is pid").expect("getpid's line");
    assert!(printf < pid, "{text}");
    assert!(text.contains("sorted by C's qsort with a Lua comparator:\t3 5 7 19 21 42 64 88"), "{text}");
    assert!(text.contains("arg 4 `int (*cmp)(const void *, const void *)` -> rcx"), "{text}");
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

/// Runs rivet with `args` and `stdin` piped in, without the user's RIVET_INIT.
fn run_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = rivet()
        .args(args)
        .env_remove("RIVET_INIT")
        .env_remove("RIVET_INIT_5_4")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A rivet that reads no input may exit before the write: a broken pipe is fine then.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn dash_v_prints_the_version_and_reads_no_input() {
    let out = run_with_stdin(&["-v"], "print('not run')");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{}\n", rivet::VERSION_TEXT));
}

#[test]
fn options_without_a_script_leave_piped_stdin_to_run() {
    for option in ["-E", "-W"] {
        let out = run_with_stdin(&[option], "print(1 + 1)");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n", "{option}");
    }
}

#[test]
fn dash_i_enters_the_repl_after_the_other_options() {
    // Piped input: no line editing and no prompts, but values are printed as on a terminal.
    let out = run_with_stdin(&["-e", "x = 40", "-i"], "x + 2\nfunction f()\nreturn 'done' end\nf()\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text, format!("{}\n42\ndone\n\n", rivet::VERSION_TEXT));
    assert!(out.status.success());
}

#[test]
fn the_repl_reports_a_chunk_left_unfinished_at_end_of_input() {
    let out = run_with_stdin(&["-i"], "function f()\nreturn 1\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "stdin:2: 'end' expected (to close 'function' at line 1) near <eof>\n"
    );
    assert!(out.status.success());
}

#[test]
fn dash_runs_stdin_with_arguments() {
    let out = run_with_stdin(&["-", "a", "b"], "print(arg[0], ...)");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "-\ta\tb\n");
}

#[test]
fn double_dash_ends_the_options() {
    let dir = std::env::temp_dir().join(format!("rivet-cli-dd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("-e");
    std::fs::write(&script, "print('script', ...)").unwrap();
    let out = rivet().current_dir(&dir).args(["--", "-e", "-v"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "script\t-v\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rivet_init_runs_first_unless_dash_upper_e() {
    let out =
        rivet().env("RIVET_INIT", "x = 5").env_remove("RIVET_INIT_5_4").args(["-e", "print(x)"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "5\n");
    let out = rivet().env("RIVET_INIT", "x = 5").args(["-E", "-e", "print(x)"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "nil\n");
}

#[test]
fn dash_upper_w_turns_warnings_on() {
    let out = rivet().args(["-W", "-e", "warn('careful')"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Lua warning: careful\n");
    let out = rivet().args(["-e", "warn('careful')"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[cfg(unix)]
#[test]
fn ctrl_c_interrupts_a_script_as_lua_does() {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    use std::io::BufRead;
    let mut child = rivet()
        .args(["-e", "print('ready') io.stdout:flush() local n = 0 while true do n = n + 1 end"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The signal is sent once the loop is known to run.
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first, "ready\n");
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rivet: interrupted!\nstack traceback:\n"), "{err}");
}

/// A temporary directory holding `files`, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn with_files(tag: &str, files: &[(&str, &str)]) -> TempDir {
        let dir = std::env::temp_dir().join(format!("rivet-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const GREET_MODULE: &str = "return { who = ..., file = select(2, ...) }";

#[test]
fn dash_l_requires_a_module_into_a_global() {
    let dir = TempDir::with_files("dash-l", &[("greet.lua", GREET_MODULE), ("greet-v2.lua", GREET_MODULE)]);
    let run = |args: &[&str]| {
        let out = rivet().args(args).current_dir(&dir.0).env("LUA_PATH", "./?.lua").output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // `-l mod`: the global has the module's name; the loader got the file name.
    let (out, err) = run(&["-l", "greet", "-e", "print(greet.who, greet.file)"]);
    assert_eq!(out, "greet\t./greet.lua\n", "{err}");
    // `-l g=mod`: the global is g, and no global of the module's name appears.
    let (out, err) = run(&["-lg=greet", "-e", "print(g.who, greet)"]);
    assert_eq!(out, "greet\tnil\n", "{err}");
    // `-l mod-v2`: the global is the name before the '-' (lua.c's rule).
    let (out, err) = run(&["-l", "greet-v2", "-e", "print(greet.who, rawget(_G, 'greet-v2'))"]);
    assert_eq!(out, "greet-v2\tnil\n", "{err}");
}

#[test]
fn dash_l_of_a_missing_module_fails_with_luas_message() {
    let dir = TempDir::with_files("dash-l-missing", &[]);
    let out = rivet()
        .args(["-l", "nosuch", "-e", "print('not reached')"])
        .current_dir(&dir.0)
        .env("LUA_PATH", "./?.lua;./?/init.lua")
        .env("LUA_CPATH", "./?.so")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = "rivet: module 'nosuch' not found:\n\tno field package.preload['nosuch']\n\
                    \tno file './nosuch.lua'\n\tno file './nosuch/init.lua'\n\tno file './nosuch.so'\n";
    assert!(err.starts_with(expected), "{err}");
}

#[test]
fn lua_path_variables_and_dash_capital_e() {
    let path = |args: &[&str], vars: &[(&str, &str)]| {
        let mut cmd = rivet();
        cmd.env_remove("LUA_PATH").env_remove("LUA_PATH_5_4").env_remove("LUA_CPATH").env_remove("LUA_CPATH_5_4");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd.args(args).args(["-e", "io.write(package.path, '|', package.cpath)"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let defaults = path(&[], &[]);
    let (dpath, dcpath) = defaults.split_once('|').unwrap();
    assert!(dpath.ends_with(";./?.lua;./?/init.lua"), "{dpath}");
    assert!(dcpath.ends_with(";./?.so"), "{dcpath}");
    // ";;" stands for the default; the versioned variable wins over the plain one.
    assert_eq!(path(&[], &[("LUA_PATH", "a/?.lua;;b/?.lua")]), format!("a/?.lua;{dpath};b/?.lua|{dcpath}"));
    assert_eq!(path(&[], &[("LUA_PATH", "x"), ("LUA_PATH_5_4", "y")]), format!("y|{dcpath}"));
    assert_eq!(path(&[], &[("LUA_CPATH", ";;c/?.so")]), format!("{dpath}|{dcpath};c/?.so"));
    // -E ignores them.
    assert_eq!(path(&["-E"], &[("LUA_PATH", "x"), ("LUA_CPATH_5_4", "y")]), defaults);
}

#[test]
fn a_chunk_compiled_by_luac_is_refused_with_the_reason() {
    let dir = TempDir::with_files("luac", &[("one.lua", "print('from source')")]);
    let status = Command::new("luac5.4")
        .args(["-o", "one.luac", "one.lua"])
        .current_dir(&dir.0)
        .status()
        .unwrap_or_else(|e| panic!("cannot run luac5.4: {e} (install it: apt-get install -y lua5.4)"));
    assert!(status.success());
    let out = rivet().arg("one.luac").current_dir(&dir.0).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "rivet: one.luac: bad binary format (a chunk precompiled by the reference Lua (luac or its string.dump)"
        ),
        "{err}"
    );
    // The same program dumped by rivet runs.
    let out = rivet()
        .args(["-e", "io.open('one.rbc', 'wb'):write(string.dump(loadfile('one.lua'))):close()"])
        .current_dir(&dir.0)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = rivet().arg("one.rbc").current_dir(&dir.0).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "from source\n");
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
