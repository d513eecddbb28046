//! The interactive loop: prompts `> ` and `>> `, unfinished chunks continue on the next line
//! (decided by `SyntaxError::incomplete`, never by matching message text), expressions are
//! tried as `return <line>` first and their values printed.

use crate::Runtime;
use rivet_lang::Value;
use rustyline::error::ReadlineError;

/// What one submitted chunk turned out to be.
enum Compiled {
    Ready(Value),
    Incomplete,
    Error(String),
}

fn compile(rt: &mut Runtime, text: &str) -> Compiled {
    // An expression is tried first, as `lua` 5.4 does.
    let as_return = format!("return {text}");
    if rivet_lang::compile_source(as_return.as_bytes(), "=stdin").is_ok() {
        if let Ok(f) = rt.lua().load_text(as_return.as_bytes(), "=stdin") {
            return Compiled::Ready(f);
        }
    }
    match rivet_lang::compile_source(text.as_bytes(), "=stdin") {
        Ok(_) => match rt.lua().load_text(text.as_bytes(), "=stdin") {
            Ok(f) => Compiled::Ready(f),
            Err(e) => Compiled::Error(rt.error_text(&e)),
        },
        Err(e) if e.incomplete => Compiled::Incomplete,
        Err(e) => Compiled::Error(e.to_string()),
    }
}

/// Runs the REPL until end of input.
pub fn run(rt: &mut Runtime) {
    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("rivet: cannot start the line editor: {e}");
            return;
        }
    };
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { "> " } else { ">> " };
        rivet_stdlib::io::flush_stdout();
        let line = match editor.readline(prompt) {
            Ok(l) => l,
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(_) => break,
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        let f = match compile(rt, &pending) {
            Compiled::Incomplete => continue,
            Compiled::Error(msg) => {
                eprintln!("{msg}");
                let _ = editor.add_history_entry(pending.as_str());
                pending.clear();
                continue;
            }
            Compiled::Ready(f) => f,
        };
        let _ = editor.add_history_entry(pending.as_str());
        pending.clear();
        let lua = rt.lua();
        let func = lua.top();
        lua.push(f);
        if !rt.docall_public(func) {
            continue;
        }
        let lua = rt.lua();
        let n = lua.top() - func;
        if n > 0 {
            let print = lua.get_global("print");
            let vals: Vec<Value> = (func..func + n).map(|i| lua.stack_at(i)).collect();
            lua.set_top(func);
            if let Err(e) = lua.call_function(print, &vals) {
                let text = rt.error_text(&e);
                eprintln!("{text}");
            }
        }
        rt.lua().set_top(func);
    }
}
