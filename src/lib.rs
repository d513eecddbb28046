//! rivet: a Lua 5.4 language built for talking to native code. This crate is the embedding
//! facade (`Runtime`) and the command line's engine (the binary is a thin front end).
//!
//! ```
//! let mut rt = rivet::Runtime::new();
//! let v = rt.eval("return 6 * 7").unwrap();
//! assert_eq!(v.len(), 1);
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod interrupt;
pub mod repl;

/// The README's Rust examples run as doctests, so the README stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use rivet_lang as lang;
pub use rivet_lang::{Lua, LuaError, LuaResult, Value};
pub use rivet_stdlib as stdlib;

pub const VERSION_TEXT: &str = concat!("rivet ", env!("CARGO_PKG_VERSION"), " (Lua 5.4)");

/// A runtime with the standard libraries open.
pub struct Runtime {
    lua: Lua,
    /// Whether Ctrl-C (SIGINT) interrupts the chunks this runtime runs (`interrupt_on_ctrl_c`).
    ctrl_c: bool,
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

impl Runtime {
    pub fn new() -> Runtime {
        let mut lua = Lua::new();
        rivet_stdlib::open_all(&mut lua);
        Runtime { lua, ctrl_c: false }
    }

    /// Makes Ctrl-C interrupt the chunks run by `run_chunk`, `run_file`, `require_into` and the
    /// REPL: while one runs, SIGINT makes it fail with "interrupted!" (see `interrupt`). Off by
    /// default, because a library should not take over a host's signals unasked.
    pub fn interrupt_on_ctrl_c(&mut self) {
        self.lua.set_interrupt_handle(interrupt::sigint_flag());
        self.ctrl_c = true;
    }

    /// A runtime whose `package.path` and `package.cpath` ignore `LUA_PATH`/`LUA_CPATH`
    /// (the command line's `-E`).
    pub fn ignoring_environment() -> Runtime {
        let mut lua = Lua::new();
        let reg = lua.registry();
        lua.set_field(reg, rivet_stdlib::package::NOENV_KEY, Value::Bool(true));
        rivet_stdlib::open_all(&mut lua);
        Runtime { lua, ctrl_c: false }
    }

    /// The underlying language runtime (for registering functions, reading globals).
    pub fn lua(&mut self) -> &mut Lua {
        &mut self.lua
    }

    /// Compiles and runs `source`, returning its results.
    pub fn eval(&mut self, source: &str) -> Result<Vec<Value>, String> {
        self.eval_named(source.as_bytes(), "=(eval)")
    }

    fn eval_named(&mut self, source: &[u8], name: &str) -> Result<Vec<Value>, String> {
        let f = self.lua.load_text(source, name).map_err(|e| self.error_text(&e))?;
        self.lua.call_function(f, &[]).map_err(|e| self.error_text(&e))
    }

    /// Text of an error value, as the standalone interpreter prints it.
    pub fn error_text(&mut self, e: &LuaError) -> String {
        match e.value {
            Value::Str(s) => s.to_str_lossy().into_owned(),
            Value::Nil => "nil".to_string(),
            v => match self.lua.tostring(v) {
                Ok(Value::Str(s)) if !self.lua.metamethod(v, rivet_lang::vm::metamethod::Tm::ToString).is_nil() => {
                    s.to_str_lossy().into_owned()
                }
                _ => format!("(error object is a {} value)", v.type_name()),
            },
        }
    }

    /// Runs `f` (already on the stack at `func`, arguments above) with a traceback message
    /// handler, leaving its results on the stack from `func` on. On error the stack is cut back
    /// to `func` and the message, traceback included, is returned.
    pub(crate) fn docall(&mut self, func: usize) -> Result<(), String> {
        // The handler sits on the stack below the function (as in lua.c) so that a collection
        // during the call sees it; a handler held only in a Rust local would be freed.
        let handler = self.lua.new_native("msghandler", msghandler);
        let nargs = self.lua.top() - func;
        self.lua.insert_below_top(nargs, handler);
        let sigint = if self.ctrl_c { interrupt::SigintGuard::install() } else { None };
        let result = self.lua.pcall(func + 1, -1, Some(handler));
        drop(sigint);
        match result {
            Ok(()) => {
                let top = self.lua.top();
                for i in func + 1..top {
                    let v = self.lua.stack_at(i);
                    self.lua.stack_set(i - 1, v);
                }
                self.lua.set_top(top - 1);
                Ok(())
            }
            Err(e) => {
                let text = self.error_text(&e);
                self.lua.set_top(func);
                Err(text)
            }
        }
    }

    /// `docall` as the command line reports it: `rivet: message` on stderr.
    fn docall_reported(&mut self, func: usize) -> bool {
        match self.docall(func) {
            Ok(()) => true,
            Err(text) => {
                rivet_stdlib::io::flush_stdout();
                eprintln!("rivet: {text}");
                false
            }
        }
    }

    /// Compiles and runs a chunk as the command line does (`-e`), reporting errors on stderr.
    pub fn run_chunk(&mut self, source: &[u8], name: &str) -> bool {
        self.load_and_run(source, name, &[])
    }

    /// Runs a script file (stdin for `None`) with `args` as `...`. The file may be a text
    /// chunk or a binary chunk written by `string.dump`, as `lua` accepts.
    pub fn run_file(&mut self, path: Option<&str>, args: &[String]) -> bool {
        match rivet_stdlib::base::load_file(&mut self.lua, path.map(str::as_bytes), "bt", None) {
            Ok(f) => self.run_function(f, args),
            Err(msg) => {
                eprintln!("rivet: {msg}");
                false
            }
        }
    }

    /// Compiles `source` and calls it with `args`, reporting errors as the command line does.
    fn load_and_run(&mut self, source: &[u8], name: &str, args: &[String]) -> bool {
        match self.lua.load_text(source, name) {
            Ok(f) => self.run_function(f, args),
            Err(e) => {
                eprintln!("rivet: {}", self.error_text(&e));
                false
            }
        }
    }

    /// Calls the loaded chunk `f` with `args`, reporting errors as the command line does.
    fn run_function(&mut self, f: Value, args: &[String]) -> bool {
        let func = self.lua.top();
        self.lua.push(f);
        for a in args {
            let v = self.lua.str_value(a);
            self.lua.push(v);
        }
        let ok = self.docall_reported(func);
        self.lua.set_top(func);
        ok
    }

    /// `-l g=mod`: `g = require("mod")`.
    pub fn require_into(&mut self, global: &str, module: &str) -> bool {
        let require = self.lua.get_global("require");
        if require.is_nil() {
            eprintln!("rivet: module '{module}' not found: 'require' is not available");
            return false;
        }
        let func = self.lua.top();
        self.lua.push(require);
        let m = self.lua.str_value(module);
        self.lua.push(m);
        if !self.docall_reported(func) {
            return false;
        }
        let v = if self.lua.top() > func { self.lua.stack_at(func) } else { Value::Nil };
        self.lua.set_top(func);
        self.lua.set_global(global, v);
        true
    }

    /// Builds the global `arg` table: `args[script_pos]` at index 0.
    pub fn set_arg_table(&mut self, args: &[String], script_pos: usize) {
        let t = self.lua.new_table();
        for (i, a) in args.iter().enumerate() {
            let v = self.lua.str_value(a);
            let _ = t.set(Value::Int(i as i64 - script_pos as i64), v);
        }
        self.lua.set_global("arg", Value::Table(t));
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.lua.close_state();
        rivet_stdlib::io::flush_stdout();
    }
}

/// The standalone interpreter's message handler: adds a traceback to the error.
fn msghandler(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.arg(1);
    let msg = match v {
        Value::Str(s) => s.to_str_lossy().into_owned(),
        other => {
            let h = lua.metamethod(other, rivet_lang::vm::metamethod::Tm::ToString);
            if !h.is_nil() {
                match lua.tostring(other)? {
                    Value::Str(s) => s.to_str_lossy().into_owned(),
                    _ => String::new(),
                }
            } else {
                format!("(error object is a {} value)", other.type_name())
            }
        }
    };
    let tb = lua.traceback(Some(&msg), 1);
    let s = lua.str_value(&tb);
    lua.push(s);
    Ok(1)
}
