//! Turns cdef text into a vector of tokens with byte spans, ending with `Eof`; reports
//! characters that start no token and unfinished literals or comments; maps offsets to lines
//! and columns.

use logos::Logos;

use super::token::Token;

/// A token and its byte span in the cdef text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tok {
    pub kind: Token,
    pub start: u32,
    pub end: u32,
}

/// A lexical error: where, what, and the text to show after `near`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub offset: u32,
    pub message: &'static str,
    pub near: String,
}

/// Tokens of `text`, which starts at byte `base` of the cdef (directive bodies are lexed
/// again on their own). A directive is only accepted as the first thing on its line.
pub fn tokenize(source: &str, base: usize, text: &str) -> Result<Vec<Tok>, LexError> {
    let mut out = Vec::new();
    let mut lexer = Token::lexer(text);
    while let Some(next) = lexer.next() {
        let span = lexer.span();
        let start = (base + span.start) as u32;
        let end = (base + span.end) as u32;
        let error = |message| LexError { offset: start, message, near: lexer.slice().to_string() };
        let kind = match next {
            Err(()) => return Err(error("unexpected character")),
            Ok(Token::UnfinishedString) => return Err(error("unfinished string")),
            Ok(Token::UnfinishedChar) => return Err(error("unfinished character constant")),
            Ok(Token::UnfinishedComment) => return Err(error("unfinished comment")),
            Ok(Token::Directive) if !starts_line(source, start as usize) => {
                return Err(LexError { offset: start, message: "'#' must start a line", near: "#".to_string() })
            }
            Ok(kind) => kind,
        };
        out.push(Tok { kind, start, end });
    }
    let end = (base + text.len()) as u32;
    out.push(Tok { kind: Token::Eof, start: end, end });
    Ok(out)
}

/// Whether only blanks precede `offset` on its line.
fn starts_line(source: &str, offset: usize) -> bool {
    source[..offset].bytes().rev().take_while(|&b| b != b'\n').all(|b| b == b' ' || b == b'\t' || b == b'\r')
}

/// Byte offsets of line starts, for `line:col` in messages.
pub struct Lines {
    starts: Vec<u32>,
}

impl Lines {
    pub fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(source.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i as u32 + 1));
        Lines { starts }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let col = offset - self.starts[line - 1] + 1;
        (line as u32, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Token> {
        tokenize(src, 0, src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokens_and_comments() {
        use Token::*;
        assert_eq!(kinds("int /* c */ x[3]; // tail\n"), vec![Ident, Ident, LBracket, Number, RBracket, Semi, Eof]);
        assert_eq!(kinds("a<<=b...c->d"), vec![Ident, Shl, Assign, Ident, Ellipsis, Ident, Arrow, Ident, Eof]);
        assert_eq!(
            kinds("0x1p+3 1e-5 .5f 'a' L'b' \"s\\\"t\""),
            vec![Number, Number, Number, CharLit, CharLit, StringLit, Eof]
        );
    }

    #[test]
    fn directives_are_whole_lines() {
        let src = "int a;\n  #define X \\\n  3\nint b;";
        let toks = tokenize(src, 0, src).unwrap();
        let d = toks.iter().find(|t| t.kind == Token::Directive).unwrap();
        assert_eq!(&src[d.start as usize..d.end as usize], "#define X \\\n  3");
        let bad = "int a; #define X 1";
        assert_eq!(tokenize(bad, 0, bad).unwrap_err().message, "'#' must start a line");
    }

    #[test]
    fn lexical_errors() {
        for (src, msg) in [
            ("int @;", "unexpected character"),
            ("char *s = \"abc", "unfinished string"),
            ("int c = 'a", "unfinished character constant"),
            ("int x; /* never closed", "unfinished comment"),
        ] {
            assert_eq!(tokenize(src, 0, src).unwrap_err().message, msg, "{src}");
        }
    }

    #[test]
    fn line_and_column() {
        let lines = Lines::new("ab\ncd\n\nef");
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(4), (2, 2));
        assert_eq!(lines.line_col(7), (4, 1));
    }
}
