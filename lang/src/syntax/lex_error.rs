//! Lexical errors, worded as Lua 5.4's `llex.c` words them.
//!
//! Scanning code reports what went wrong and where (byte offsets); turning offsets into lines
//! needs the whole source's line table, so the message is rendered later by `lexer.rs`.

use super::lines::LineTable;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LexErrorKind {
    /// No token pattern matched (the lexer turns this into an `Other` token, never an error).
    #[default]
    NoMatch,
    UnfinishedString,
    UnfinishedLongString {
        start: usize,
    },
    UnfinishedLongComment {
        start: usize,
    },
    InvalidLongDelimiter,
    InvalidEscape,
    DecimalEscapeTooLarge,
    HexDigitExpected,
    Utf8TooLarge,
    MissingOpenBrace,
    MissingCloseBrace,
    MalformedNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LexError {
    pub kind: LexErrorKind,
    /// Where the scan stood when it failed (Lua reports the line of that point).
    pub offset: usize,
    /// The text Lua shows after `near`: the token read so far. `None` means `<eof>`.
    pub near: Option<Vec<u8>>,
    /// The input ended inside the token (long string or comment, or a string escape), so more
    /// input could complete it.
    pub incomplete: bool,
}

impl LexError {
    pub fn new(kind: LexErrorKind, offset: usize, near: Option<Vec<u8>>) -> LexError {
        LexError { kind, offset, near, incomplete: false }
    }

    /// The message without the `chunk:line:` prefix.
    pub fn message(&self, lines: &LineTable) -> String {
        let what = match &self.kind {
            LexErrorKind::NoMatch => "unexpected symbol".to_string(),
            LexErrorKind::UnfinishedString => "unfinished string".to_string(),
            LexErrorKind::UnfinishedLongString { start } => {
                format!("unfinished long string (starting at line {})", lines.line(*start))
            }
            LexErrorKind::UnfinishedLongComment { start } => {
                format!("unfinished long comment (starting at line {})", lines.line(*start))
            }
            LexErrorKind::InvalidLongDelimiter => "invalid long string delimiter".to_string(),
            LexErrorKind::InvalidEscape => "invalid escape sequence".to_string(),
            LexErrorKind::DecimalEscapeTooLarge => "decimal escape too large".to_string(),
            LexErrorKind::HexDigitExpected => "hexadecimal digit expected".to_string(),
            LexErrorKind::Utf8TooLarge => "UTF-8 value too large".to_string(),
            LexErrorKind::MissingOpenBrace => "missing '{'".to_string(),
            LexErrorKind::MissingCloseBrace => "missing '}'".to_string(),
            LexErrorKind::MalformedNumber => "malformed number".to_string(),
        };
        match &self.near {
            Some(text) => format!("{what} near '{}'", String::from_utf8_lossy(text)),
            None => format!("{what} near <eof>"),
        }
    }
}
