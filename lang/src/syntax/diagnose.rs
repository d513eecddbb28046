//! Parser errors in Lua's words.
//!
//! LALRPOP reports the token it could not accept and the terminals it would have accepted.
//! Lua's recursive-descent parser words the same situation by what it was doing: "'then'
//! expected", "<name> expected", "unexpected symbol" (an expression or statement was
//! needed), "syntax error" (an expression statement that is not a call). The expected set
//! identifies the situation well enough to pick the same message; `nesting.rs` supplies the
//! construct an `end`, `until`, `)` or `}` would close for "(to close 'X' at line N)".

use lalrpop_util::ParseError;

use super::actions::Error;
use super::lines::LineTable;
use super::nesting::Nesting;
use super::token::Token;
use crate::error::SyntaxError;

const BINARY_OPERATORS: &[&str] = &[
    "or", "and", "<", ">", "<=", ">=", "~=", "==", "|", "~", "&", "<<", ">>", "..", "+", "-", "*", "/", "//", "%", "^",
];
/// What may follow a prefix expression: field, index, method call, call arguments.
const SUFFIXES: &[&str] = &[".", "[", ":", "(", "<string>", "{"];
const SEPARATORS: &[&str] = &[",", ";", "="];
/// Tokens that close a block, in the order of preference when several are expected.
const BLOCK_CLOSERS: &[&str] = &["end", "until", "<eof>"];

/// Converts a parse failure to the error Lua would report. `exact_expected` may replace
/// LALRPOP's expected set with the exact one for a token starting at the given offset.
pub fn syntax_error(
    err: Error,
    source: &[u8],
    chunk: &str,
    lines: &LineTable,
    nesting: &Nesting,
    exact_expected: impl FnOnce(usize) -> Option<Vec<String>>,
) -> SyntaxError {
    let (start, token, end, expected) = match err {
        ParseError::User { error } => return error,
        ParseError::UnrecognizedToken { token: (start, token, end), expected } => (start, token, end, expected),
        ParseError::UnrecognizedEof { expected, .. } => (source.len(), Token::Eof, source.len(), expected),
        ParseError::ExtraToken { token: (start, token, end) } => (start, token, end, vec!["\"<eof>\"".into()]),
        // Not produced with an external lexer; kept total rather than trusted.
        ParseError::InvalidToken { location } => {
            let byte = source.get(location).copied().unwrap_or(b'?');
            (location, Token::Other(byte), location + 1, vec![])
        }
    };
    let expected = exact_expected(start).unwrap_or(expected);
    let expected: Vec<String> = expected.iter().map(|t| terminal_name(t)).collect();
    let line = lines.line(end);
    let closes = |closer: &str| {
        let (opener, offset) = nesting.innermost()?;
        let opener_line = lines.line(offset);
        let named = opener.named_when_unclosed() && opener.closer() == closer && opener_line != line;
        named.then(|| (opener.text(), opener_line))
    };
    let what = describe(&token, &expected, nesting.after_comma(), closes);
    let mut error = SyntaxError::new(chunk, line, format!("{what} near {}", near(&token, start, end, source)));
    error.incomplete = token == Token::Eof;
    error
}

/// LALRPOP's name for a terminal -> Lua's (`"end"` -> `end`, `Name` -> `<name>`).
fn terminal_name(terminal: &str) -> String {
    match terminal {
        "Name" => "<name>".into(),
        "String" => "<string>".into(),
        "Numeral" => "<number>".into(),
        quoted => quoted.trim_matches('"').into(),
    }
}

/// How Lua shows an expected token: quoted, except the `<...>` classes.
fn show_expected(name: &str) -> String {
    if matches!(name, "<eof>" | "<name>" | "<string>" | "<number>") {
        name.to_string()
    } else {
        format!("'{name}'")
    }
}

/// The message without `near ...`. `after_comma` says whether the statement so far looks like
/// a list of assignment targets; `closes` tells, for an expected closing token, which
/// construct it would close and on which line, if Lua would say so.
fn describe(
    token: &Token,
    expected: &[String],
    after_comma: bool,
    closes: impl Fn(&str) -> Option<(&'static str, u32)>,
) -> String {
    let has = |name: &str| expected.iter().any(|e| e == name);
    let expect = |name: &str| match closes(name) {
        Some((opener, line)) => format!("{} expected (to close '{opener}' at line {line})", show_expected(name)),
        None => format!("{} expected", show_expected(name)),
    };
    let ends_block = matches!(token, Token::End | Token::Else | Token::Elseif | Token::Until | Token::Eof);

    // A block ended (Lua's `block_follow`) where its construct wants its own closer.
    if ends_block {
        if let Some(closer) = BLOCK_CLOSERS.iter().find(|c| has(c)) {
            return expect(closer);
        }
    }
    // After a prefix expression at the start of a statement: it is neither a call nor
    // followed by an assignment (Lua's `exprstat`/`restassign` "syntax error").
    // In a list of targets, anything but `=` or `,` after a target wants `=` (`restassign`).
    if has("[") && !has("+") && !has("nil") && (!has("local") || matches!(token, Token::Assign | Token::Comma)) {
        let after_target = has("=") && !matches!(token, Token::Assign | Token::Comma);
        return if after_target && after_comma { expect("=") } else { "syntax error".into() };
    }
    // Where a target or a statement must start (after `a,` or at a statement's start).
    if has("<name>") && has("(") {
        return "unexpected symbol".into();
    }
    // A function statement's name: `function a.b:c` wants its parameters.
    if has(":") && !has("[") {
        return expect("(");
    }
    if expected.len() == 3 && has("(") && has("<string>") && has("{") {
        return "function arguments expected".into();
    }
    if has("=") && has("in") {
        return "'=' or 'in' expected".into();
    }
    if has("<name>") && !has("nil") && !has("local") {
        return if has("...") { "<name> or '...' expected".into() } else { "<name> expected".into() };
    }
    if let [only] = expected {
        return expect(only);
    }
    // Ignore what could merely continue the construct; if one token remains, that is what
    // the construct needs next.
    let needed: Vec<&String> = expected
        .iter()
        .filter(|e| ![BINARY_OPERATORS, SUFFIXES, SEPARATORS].iter().any(|set| set.contains(&e.as_str())))
        .collect();
    match needed.as_slice() {
        [only] => expect(only),
        // The block of an `if` arm ended: it wants `end` (or `else`/`elseif`, which Lua
        // does not mention).
        several if !several.is_empty() && several.iter().all(|e| ["end", "else", "elseif"].contains(&e.as_str())) => {
            expect("end")
        }
        [] if has(",") => expect(","),
        _ => "unexpected symbol".into(),
    }
}

/// The token as Lua shows it after `near`.
pub(super) fn near(token: &Token, start: usize, end: usize, source: &[u8]) -> String {
    match token {
        Token::Eof => "<eof>".into(),
        Token::Other(byte) if byte.is_ascii_graphic() => format!("'{}'", *byte as char),
        Token::Other(byte) => format!("'<\\{byte}>'"),
        Token::Str(value) => {
            // Lua shows its token buffer: the delimiters around the processed value.
            let mut text = Vec::new();
            if source[start] == b'[' {
                let level = source[start + 1..].iter().take_while(|&&b| b == b'=').count();
                let equals = "=".repeat(level);
                text.extend_from_slice(format!("[{equals}[").as_bytes());
                text.extend_from_slice(value);
                text.extend_from_slice(format!("]{equals}]").as_bytes());
            } else {
                text.push(source[start]);
                text.extend_from_slice(value);
                text.push(source[start]);
            }
            format!("'{}'", String::from_utf8_lossy(&text))
        }
        _ => format!("'{}'", String::from_utf8_lossy(&source[start..end])),
    }
}
