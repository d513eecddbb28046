//! The interactive loop, as `lua` 5.4's: prompts `> ` and `>> ` (or the globals `_PROMPT` and
//! `_PROMPT2`), unfinished chunks continue on the next line, expressions have their values
//! printed, errors are printed with a traceback and the session goes on.
//!
//! Beyond `lua`: rustyline line editing with a persistent history (`history`), tab completion
//! from the running program (`complete`), Ctrl-C that cancels the input being typed or
//! interrupts the running chunk (`crate::interrupt`), and tables printed by `rivet.inspect`.
//!
//! ```text
//! line ──chunk::parse──▶ Ready(Proto) ──Runtime::docall (Ctrl-C armed)──▶ results ──▶ print
//!                     └─▶ Incomplete: read another line (`>>`)
//! ```

pub mod chunk;
pub mod complete;
mod helper;
pub mod history;

use crate::Runtime;
use chunk::Parsed;
use complete::{CompletionSource, FfiSymbols, LuaNames};
use helper::ReplHelper;
use rivet_lang::bytecode::Proto;
use rivet_lang::vm::metamethod::Tm;
use rivet_lang::{Lua, LuaResult, Value};
use rivet_stdlib::rivet::inspect::{self, InspectOptions};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::rc::Rc;

/// How the REPL shows a table result: `rivet.inspect` with these limits (the width follows
/// the terminal). `print(t)` still shows `table: 0x...`.
pub const RESULT_DEPTH: usize = 10;
pub const RESULT_LIMIT: usize = 100;

/// Entries kept in the history file.
const HISTORY_SIZE: usize = 1000;

/// A REPL session over a runtime.
pub struct Repl {
    runtime: Rc<RefCell<Runtime>>,
    sources: Vec<Box<dyn CompletionSource>>,
    history: Option<PathBuf>,
}

impl Repl {
    /// A session with Lua name completion and no history file.
    pub fn new(runtime: Runtime) -> Repl {
        Repl {
            runtime: Rc::new(RefCell::new(runtime)),
            sources: vec![Box::new(LuaNames), Box::new(FfiSymbols)],
            history: None,
        }
    }

    /// Keeps the history in `path` (`history::history_path` gives the usual one).
    pub fn history_file(mut self, path: Option<PathBuf>) -> Repl {
        self.history = path;
        self
    }

    /// Adds a completion source (the ffi's C names, for instance) after the Lua names.
    pub fn add_completion_source(&mut self, source: Box<dyn CompletionSource>) {
        self.sources.push(source);
    }

    /// Runs until end of input (Ctrl-D) or `os.exit`.
    pub fn run(self) {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .max_history_size(HISTORY_SIZE)
            .and_then(|b| b.history_ignore_dups(true))
            .map(|b| b.build());
        let editor = config.and_then(Editor::<ReplHelper, FileHistory>::with_config);
        let mut editor = match editor {
            Ok(e) => e,
            Err(e) => {
                eprintln!("rivet: cannot start the line editor: {e}");
                return;
            }
        };
        editor.set_helper(Some(ReplHelper { runtime: self.runtime.clone(), sources: self.sources }));
        let mut session = Session { runtime: self.runtime, history: self.history, history_failed: false };
        session.load_history(&mut editor);
        session.read_eval_print(&mut editor);
    }
}

struct Session {
    runtime: Rc<RefCell<Runtime>>,
    history: Option<PathBuf>,
    /// Set after the first failed write, so a broken history file is reported once.
    history_failed: bool,
}

type ReplEditor = Editor<ReplHelper, FileHistory>;

impl Session {
    fn read_eval_print(&mut self, editor: &mut ReplEditor) {
        let mut typed = String::new();
        loop {
            let prompt = self.prompt(typed.is_empty());
            rivet_stdlib::io::flush_stdout();
            match editor.readline(&prompt) {
                Ok(line) => {
                    if !typed.is_empty() {
                        typed.push('\n');
                    }
                    typed.push_str(&line);
                    let parsed = chunk::parse(&typed);
                    if let Parsed::Incomplete = parsed {
                        continue;
                    }
                    let text = std::mem::take(&mut typed);
                    self.remember(editor, &text);
                    match parsed {
                        Parsed::Ready(proto) => {
                            let width = editor.dimensions().map_or(80, |(columns, _)| usize::from(columns));
                            self.execute(proto, width);
                        }
                        Parsed::Error(e) => report(&e.to_string()),
                        Parsed::Incomplete => unreachable!("handled above"),
                    }
                }
                // Ctrl-C at the prompt drops what was typed, continuation lines included.
                Err(ReadlineError::Interrupted) => typed.clear(),
                Err(ReadlineError::Eof) if !typed.is_empty() => {
                    // End of input inside an unfinished chunk: say why it is unfinished and
                    // start over, as `lua` does.
                    let text = std::mem::take(&mut typed);
                    self.remember(editor, &text);
                    report(&chunk::unfinished_error(&text));
                }
                Err(ReadlineError::Eof) => {
                    // The editor ends a terminal's line itself; piped input leaves the
                    // prompt open, and `lua` ends it.
                    if !std::io::stdin().is_terminal() {
                        println!();
                    }
                    break;
                }
                Err(e) => {
                    report(&format!("rivet: cannot read the input: {e}"));
                    break;
                }
            }
        }
    }

    /// Runs a compiled chunk and prints its results.
    fn execute(&mut self, proto: Proto, width: usize) {
        let mut rt = self.runtime.borrow_mut();
        let f = match rt.lua().load_proto(proto, None) {
            Ok(f) => f,
            Err(e) => return report(&rt.error_text(&e)),
        };
        let func = rt.lua().top();
        rt.lua().push(f);
        match rt.docall(func) {
            Ok(()) => print_results(&mut rt, func, width),
            Err(text) => report(&text),
        }
        rt.lua().set_top(func);
    }

    /// `_PROMPT` / `_PROMPT2` through `tostring` when set, else `> ` / `>> `.
    fn prompt(&mut self, first_line: bool) -> String {
        let (name, default) = if first_line { ("_PROMPT", "> ") } else { ("_PROMPT2", ">> ") };
        let mut rt = self.runtime.borrow_mut();
        let lua = rt.lua();
        let v = lua.get_global(name);
        if v.is_nil() {
            return default.to_string();
        }
        // A `__tostring` can fail or misbehave: the default prompt stands in.
        let tostring = lua.new_native("tostring", display_text);
        match lua.call_function(tostring, &[v]).as_deref() {
            Ok([Value::Str(s)]) => s.to_str_lossy().into_owned(),
            _ => default.to_string(),
        }
    }

    fn load_history(&mut self, editor: &mut ReplEditor) {
        let Some(path) = &self.history else { return };
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => report(&format!("rivet: cannot read the history file {}: {e}", path.display())),
        }
    }

    /// Adds a submitted chunk (several lines make one entry) to the history, and to the file
    /// at once, so that `os.exit` or a crash loses nothing.
    fn remember(&mut self, editor: &mut ReplEditor, text: &str) {
        if text.trim().is_empty() || !editor.add_history_entry(text).unwrap_or(false) {
            return;
        }
        let Some(path) = &self.history else { return };
        if self.history_failed {
            return;
        }
        if let Err(e) = editor.append_history(path) {
            self.history_failed = true;
            report(&format!("rivet: cannot write the history file {}: {e}", path.display()));
        }
    }
}

/// Prints the results at `func..top` through the global `print`, tab-separated as `lua` does;
/// plain tables (no `__tostring`) are shown by `rivet.inspect`.
fn print_results(rt: &mut Runtime, func: usize, width: usize) {
    let lua = rt.lua();
    let n = lua.top() - func;
    if n == 0 {
        return;
    }
    let opts = InspectOptions {
        depth: Some(RESULT_DEPTH),
        limit: Some(RESULT_LIMIT),
        width: width.max(20),
        ..InspectOptions::default()
    };
    // The results stay on the stack (rooted) while their texts are made.
    for i in func..func + n {
        let v = lua.stack_at(i);
        if matches!(v, Value::Table(_)) && lua.metamethod(v, Tm::ToString).is_nil() {
            let text = inspect::render(lua, v, &opts);
            let s = lua.str_value(&text);
            lua.stack_set(i, s);
        }
    }
    let print = lua.get_global("print");
    lua.insert_below_top(n, print);
    if let Err(e) = lua.pcall(func, 0, None) {
        let text = rt.error_text(&e);
        report(&format!("error calling 'print' ({text})"));
    }
}

/// `tostring` with metamethods, for prompts.
fn display_text(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.to_display(lua.arg(1))?;
    lua.push(Value::Str(s));
    Ok(1)
}

/// An error or notice on stderr, after what the program printed so far.
fn report(text: &str) {
    rivet_stdlib::io::flush_stdout();
    eprintln!("{text}");
}
