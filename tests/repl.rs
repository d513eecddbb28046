//! The REPL in a pseudo-terminal: keys are typed as a user types them and the screen is read
//! back (escape sequences stripped). Every step waits for the output it needs, never for a
//! fixed time, and each wait allows a minute, so a loaded machine slows the tests down without
//! failing them. Expected outputs are chosen so that they cannot come from the echo of what
//! was typed (`6 * 7` is typed, `42` awaited). Keys for a new line are sent only once its
//! prompt is on the screen: the line editor drops type-ahead it read before a line ended.
#![cfg(unix)]

use nix::sys::wait::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};
use std::path::{Path, PathBuf};
use std::process::Command;

const TIMEOUT_MS: u64 = 60_000;
const UP: &str = "\x1b[A";

/// A fresh folder for one test's home and history file.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rivet-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `rivet` with no arguments on a terminal, its history in `history`.
fn spawn_rivet(home: &Path, history: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rivet"));
    cmd.env("HOME", home)
        .env("RIVET_HISTORY", history)
        .env("TERM", "xterm")
        .env_remove("RIVET_INIT")
        .env_remove("RIVET_INIT_5_4");
    let options = Options::new().timeout_ms(Some(TIMEOUT_MS)).strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("cannot start rivet in a pseudo-terminal")
}

/// `spawn_rivet`, then waits for the version line and the first prompt.
fn start(home: &Path, history: &Path) -> PtySession {
    let mut p = spawn_rivet(home, history);
    p.exp_string(&format!("{}\r\n", rivet::VERSION_TEXT)).unwrap();
    p.exp_string("> ").unwrap();
    p
}

/// Types a line and presses Enter (a terminal sends a carriage return).
fn type_line(p: &mut PtySession, line: &str) {
    p.send(line).unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
}

fn type_keys(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// Waits for `text` as a whole line of output, then for the next prompt.
fn expect_output(p: &mut PtySession, text: &str) {
    p.exp_string(&format!("{text}\r\n")).unwrap();
    p.exp_string("> ").unwrap();
}

/// Ctrl-D on an empty line ends the session with status 0.
fn quit(mut p: PtySession) {
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    assert!(matches!(p.process().wait().unwrap(), WaitStatus::Exited(_, 0)));
}

#[test]
fn multi_line_definitions_and_printed_values() {
    let dir = scratch("values");
    let mut p = start(&dir, &dir.join("history"));
    type_line(&mut p, "function add(a, b)");
    p.exp_string(">> ").unwrap();
    type_line(&mut p, "  return a + b");
    p.exp_string(">> ").unwrap();
    type_line(&mut p, "end");
    p.exp_string("> ").unwrap();
    type_line(&mut p, "add(40, 1 + 1)");
    expect_output(&mut p, "42");
    // Several values are tab-separated; `=` is `return` (Lua 5.1 style).
    type_line(&mut p, "=6 * 7, 'a' .. 'b', nil");
    expect_output(&mut p, "42\tab\tnil");
    // An unfinished expression continues too.
    type_line(&mut p, "10 *");
    p.exp_string(">> ").unwrap();
    type_line(&mut p, "4 + 2");
    expect_output(&mut p, "42");
    // Tables are shown by rivet.inspect.
    type_line(&mut p, "{ 10, 20, k = 'v', [1.5] = true }");
    expect_output(&mut p, "{ 10, 20, [1.5] = true, k = \"v\" }");
    // Statements print nothing; `_PROMPT` changes the prompt.
    type_line(&mut p, "_PROMPT = 'rivet' .. '% '");
    p.exp_string("rivet% ").unwrap();
    type_line(&mut p, "_PROMPT = nil");
    p.exp_string("> ").unwrap();
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_error_is_reported_and_the_session_goes_on() {
    let dir = scratch("errors");
    let mut p = start(&dir, &dir.join("history"));
    type_line(&mut p, "local function f() error('bo' .. 'om') end f()");
    p.exp_string("stdin:1: boom\r\nstack traceback:").unwrap();
    p.exp_string("in local 'f'").unwrap();
    p.exp_string("> ").unwrap();
    type_line(&mut p, "x = = 1");
    expect_output(&mut p, "stdin:1: unexpected symbol near '='");
    type_line(&mut p, "6 * 7");
    expect_output(&mut p, "42");
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tab_completes_globals_fields_and_methods() {
    let dir = scratch("complete");
    let mut p = start(&dir, &dir.join("history"));
    // `string.fo` completes to `string.format`: the call only works if it did.
    type_keys(&mut p, "string.fo\t");
    type_line(&mut p, "('%d', 6 * 7)");
    expect_output(&mut p, "42");
    // Methods through the metatable's __index table of a file.
    type_keys(&mut p, "io.stdout:wr\t");
    type_line(&mut p, "('o', 'k', '\\n')");
    p.exp_string("ok\r\n").unwrap();
    p.exp_string("> ").unwrap();
    // A user table, nested.
    type_line(&mut p, "config = { window = { height = 6 * 7 } }");
    p.exp_string("> ").unwrap();
    type_keys(&mut p, "conf\t");
    type_keys(&mut p, ".win\t");
    type_keys(&mut p, ".hei\t");
    type_line(&mut p, "");
    expect_output(&mut p, "42");
    // Two candidates: a second Tab lists them; Ctrl-C then drops the line.
    type_keys(&mut p, "string.g\t\t");
    p.exp_string("gmatch").unwrap();
    p.exp_string("gsub").unwrap();
    // The list is followed by the line drawn again; Ctrl-C must come after that.
    p.exp_string("> string.g").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("> ").unwrap();
    type_line(&mut p, "1 + 2");
    expect_output(&mut p, "3");
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_c_interrupts_running_code_and_cancels_typed_input() {
    let dir = scratch("interrupt");
    let mut p = start(&dir, &dir.join("history"));
    // The loop announces itself, so Ctrl-C is sent while it runs (not while the line is read).
    type_line(&mut p, "print('spin' .. 'ning') while true do end");
    p.exp_string("spinning").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("interrupted!\r\nstack traceback:").unwrap();
    p.exp_string("> ").unwrap();
    type_line(&mut p, "6 * 7");
    expect_output(&mut p, "42");
    // At the prompt, Ctrl-C drops an unfinished chunk: the next line starts afresh.
    type_line(&mut p, "function unfinished()");
    p.exp_string(">> ").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("> ").unwrap();
    type_line(&mut p, "=unfinished == nil, 40 + 2");
    expect_output(&mut p, "true\t42");
    // A second interruption works as the first.
    type_line(&mut p, "local n = 0 print('again' .. '!') repeat n = n + 1 until false");
    p.exp_string("again!").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("interrupted!").unwrap();
    p.exp_string("> ").unwrap();
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn history_persists_between_sessions() {
    let dir = scratch("history");
    let history = dir.join("history");
    let mut p = start(&dir, &history);
    type_line(&mut p, "for i = 1, 3 do");
    p.exp_string(">> ").unwrap();
    type_line(&mut p, "x = (x or 0) + i * 7");
    p.exp_string(">> ").unwrap();
    type_line(&mut p, "end");
    p.exp_string("> ").unwrap();
    type_line(&mut p, "=x");
    expect_output(&mut p, "42");
    // `os.exit` ends the session with its status; the history is already on disk.
    type_line(&mut p, "os.exit(3)");
    p.exp_eof().unwrap();
    assert!(matches!(p.process().wait().unwrap(), WaitStatus::Exited(_, 3)));
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("for i = 1, 3 do\\nx = (x or 0) + i * 7\\nend\n"), "one entry per chunk: {saved}");

    // A new session recalls the three-line chunk as one entry, four steps up (past
    // `=x == nil`, `os.exit(3)` and `=x`).
    let mut p = start(&dir, &history);
    type_line(&mut p, "=x == nil");
    expect_output(&mut p, "true");
    type_keys(&mut p, &UP.repeat(4));
    type_line(&mut p, "");
    // The prompt after the chunk ran starts a new line; the redrawn lines of the four steps up
    // also contain "> ", and a line typed before the editor is back (it switches the terminal
    // to raw mode again, discarding pending input) would be lost.
    p.exp_string("\n\r> ").unwrap();
    type_line(&mut p, "=x + 0");
    expect_output(&mut p, "42");
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_readme_session_replays() {
    let readme = include_str!("../README.md");
    let marker = "<!-- The session below is replayed key by key by tests/repl.rs. -->\n```text\n";
    let start_of_block = readme.find(marker).expect("the README's REPL session is marked") + marker.len();
    let block = &readme[start_of_block..];
    let block = &block[..block.find("```").unwrap()];
    let mut lines = block.lines();
    assert_eq!(lines.next(), Some("$ rivet"));
    let dir = scratch("readme");
    let mut p = spawn_rivet(&dir, &dir.join("history"));
    for line in lines {
        // A prompt line is typed once its prompt shows; any other line is awaited as output.
        let input = line.strip_prefix(">> ").map(|l| (">> ", l)).or_else(|| line.strip_prefix("> ").map(|l| ("> ", l)));
        match input {
            Some((prompt, typed)) => {
                p.exp_string(prompt).unwrap();
                type_line(&mut p, typed);
            }
            None => {
                p.exp_string(&format!("{line}\r\n")).unwrap();
            }
        }
    }
    p.exp_string("> ").unwrap();
    quit(p);
    let _ = std::fs::remove_dir_all(&dir);
}
