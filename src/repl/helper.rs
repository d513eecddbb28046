//! The rustyline side of the REPL: the editor's helper completes from the runtime it shares
//! with the loop. The loop holds the runtime only while it runs a chunk, the editor only
//! while it waits for a line, so the shared `RefCell` is never borrowed twice.

use super::complete::{complete_all, CompletionSource};
use crate::Runtime;
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::cell::RefCell;
use std::rc::Rc;

pub(crate) struct ReplHelper {
    pub(crate) runtime: Rc<RefCell<Runtime>>,
    pub(crate) sources: Vec<Box<dyn CompletionSource>>,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let Ok(mut runtime) = self.runtime.try_borrow_mut() else { return Ok((pos, Vec::new())) };
        let completion = complete_all(&self.sources, runtime.lua(), line, pos);
        Ok((completion.start, completion.candidates))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {}

/// Lines are accepted as typed: the loop decides whether a chunk is complete, so that
/// continuation lines get their own `>>` prompt (and `_PROMPT2`), as in `lua`.
impl Validator for ReplHelper {}

impl Helper for ReplHelper {}
