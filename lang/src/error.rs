//! Errors of the language crate that are not Lua runtime errors.

use thiserror::Error;

/// A syntax (or compile-limit) error: `chunk:line: message`.
///
/// `incomplete` is true when the error is only that the input ended too early (an unfinished
/// chunk): the REPL uses it to ask for another line instead of reporting the error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{chunk}:{line}: {message}")]
#[non_exhaustive]
pub struct SyntaxError {
    /// The chunk's display name (see `span::chunk_id`).
    pub chunk: String,
    pub line: u32,
    /// Lua's wording, including the `near 'token'` part where Lua gives one.
    pub message: String,
    pub incomplete: bool,
}

impl SyntaxError {
    pub fn new(chunk: impl Into<String>, line: u32, message: impl Into<String>) -> SyntaxError {
        SyntaxError { chunk: chunk.into(), line, message: message.into(), incomplete: false }
    }

    pub fn incomplete(mut self) -> SyntaxError {
        self.incomplete = true;
        self
    }
}
