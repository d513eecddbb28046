//! From typed lines to a chunk, deciding as `lua` 5.4 does: the text is tried first as an
//! expression (`return <text>;`) and then as statements; a chunk that is only unfinished
//! (`SyntaxError::incomplete`, never a match on message text) waits for another line.
//!
//! Two additions to `lua.c`: a first line `=expr` reads as `return expr` (the Lua 5.1
//! habit `lua` 5.4 still honours), and an unfinished *expression* such as `1 +` or `{ 1,` also
//! continues, where `lua` reports "unexpected symbol".

use rivet_lang::bytecode::Proto;
use rivet_lang::{compile_source, SyntaxError};

/// The name REPL chunks carry in messages and tracebacks (`stdin:1: ...`), as in `lua`.
pub const CHUNK_NAME: &str = "=stdin";

/// What the text typed so far turned out to be.
#[derive(Debug)]
pub enum Parsed {
    /// A compiled chunk, ready to run.
    Ready(Proto),
    /// More lines are needed.
    Incomplete,
    /// A syntax error to report; the text is dropped.
    Error(SyntaxError),
}

/// Compiles the text typed so far (lines joined by `\n`).
pub fn parse(text: &str) -> Parsed {
    let source = statements(text);
    if let Ok(proto) = compile_source(format!("return {source};").as_bytes(), CHUNK_NAME) {
        return Parsed::Ready(proto);
    }
    match compile_source(source.as_bytes(), CHUNK_NAME) {
        Ok(proto) => Parsed::Ready(proto),
        Err(e) if e.incomplete => Parsed::Incomplete,
        Err(e) => match compile_source(format!("return {source}").as_bytes(), CHUNK_NAME) {
            Err(as_expression) if as_expression.incomplete => Parsed::Incomplete,
            _ => Parsed::Error(e),
        },
    }
}

/// The error of a chunk the user abandoned unfinished (end of input on a `>>` line).
pub fn unfinished_error(text: &str) -> String {
    match compile_source(statements(text).as_bytes(), CHUNK_NAME) {
        Err(e) => e.to_string(),
        Ok(_) => String::new(),
    }
}

/// `=expr` becomes `return expr`.
fn statements(text: &str) -> String {
    match text.strip_prefix('=') {
        Some(rest) => format!("return {rest}"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> &'static str {
        match parse(text) {
            Parsed::Ready(_) => "ready",
            Parsed::Incomplete => "incomplete",
            Parsed::Error(_) => "error",
        }
    }

    #[test]
    fn expressions_statements_and_unfinished_chunks() {
        assert_eq!(kind("1 + 1"), "ready");
        assert_eq!(kind("x = 1"), "ready");
        assert_eq!(kind(""), "ready");
        assert_eq!(kind("=1, 2"), "ready");
        assert_eq!(kind("return 1"), "ready");
        assert_eq!(kind("function f()"), "incomplete");
        assert_eq!(kind("function f()\nreturn 1"), "incomplete");
        assert_eq!(kind("function f()\nreturn 1\nend"), "ready");
        assert_eq!(kind("x = [[long"), "incomplete");
        assert_eq!(kind("1 +"), "incomplete");
        assert_eq!(kind("{ 1,"), "incomplete");
        assert_eq!(kind("{ 1,\n2 }"), "ready");
        assert_eq!(kind("x = = 1"), "error");
        assert_eq!(kind("end"), "error");
    }

    #[test]
    fn errors_read_as_the_statement_form() {
        let Parsed::Error(e) = parse("x = = 1") else { panic!("not an error") };
        assert_eq!(e.to_string(), "stdin:1: unexpected symbol near '='");
        assert_eq!(
            unfinished_error("function f()\nreturn 1"),
            "stdin:2: 'end' expected (to close 'function' at line 1) near <eof>"
        );
    }
}
