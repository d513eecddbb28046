//! The token stream LALRPOP reads: logos tokens as `(start, token, end)` byte-offset triples.
//!
//! On top of logos this adds what the grammar needs from a Lua lexer: an explicit end-of-input
//! token, bytes that start no token passed on as `Token::Other` (so that the parser, not the
//! lexer, says "unexpected symbol" as Lua does), lexical errors rendered as Lua words them,
//! a leading `#` line skipped, and the nesting of the input followed as it streams
//! (`nesting.rs`), stopping with "too many syntax levels" as soon as it gets too deep.

use logos::Logos;

use super::actions::TOO_DEEP;
use super::lex_error::{LexError, LexErrorKind};
use super::lines::LineTable;
use super::local_limit::LocalCounter;
use super::nesting::{ends_operand, Effect, Nesting, TooDeep};
use super::token::Token;
use crate::error::SyntaxError;

pub type Spanned = Result<(usize, Token, usize), SyntaxError>;

pub struct Lexer<'s> {
    tokens: logos::Lexer<'s, Token>,
    source: &'s [u8],
    chunk: &'s str,
    lines: &'s LineTable,
    nesting: Nesting,
    /// Local variables declared so far, for the limit Lua checks as it parses.
    locals: LocalCounter,
    /// The previous token's effect on the nesting, applied only when the parser asks for
    /// the next token: when the parser rejects a token, `nesting` describes what came
    /// before it.
    deferred: Option<(Effect, bool, usize)>,
    finished: bool,
    /// Where the last token read (before the end of input) ends.
    last_token_end: Option<usize>,
}

impl<'s> Lexer<'s> {
    /// `chunk` is the display name used in errors; `lines` the line table of `source`.
    pub fn new(source: &'s [u8], chunk: &'s str, lines: &'s LineTable) -> Lexer<'s> {
        // A '#' first line is skipped by whoever reads files (luaL_loadfilex), not here:
        // `load("#=1")` is a syntax error in Lua.
        let tokens = Token::lexer(source);
        Lexer {
            tokens,
            source,
            chunk,
            lines,
            nesting: Nesting::default(),
            locals: LocalCounter::default(),
            deferred: None,
            finished: false,
            last_token_end: None,
        }
    }

    /// The line where the last token read ends (1 when there was none): the line Lua gives
    /// the final return of a main chunk.
    pub fn last_token_line(&self) -> u32 {
        self.last_token_end.map_or(1, |end| self.lines.line(end.saturating_sub(1)))
    }

    pub fn nesting(&self) -> &Nesting {
        &self.nesting
    }

    pub fn locals(&self) -> &LocalCounter {
        &self.locals
    }

    fn lex_error(&self, err: &LexError) -> SyntaxError {
        let mut error = SyntaxError::new(self.chunk, self.lines.line(err.offset), err.message(self.lines));
        error.incomplete = err.incomplete;
        error
    }
}

impl Iterator for Lexer<'_> {
    type Item = Spanned;

    fn next(&mut self) -> Option<Spanned> {
        if self.finished {
            return None;
        }
        if let Some((effect, ends_operand, offset)) = self.deferred.take() {
            if let Err(TooDeep { offset }) = self.nesting.apply(effect, ends_operand, offset) {
                self.finished = true;
                return Some(Err(SyntaxError::new(self.chunk, self.lines.line(offset), TOO_DEEP)));
            }
        }
        let token = match self.tokens.next() {
            None => {
                self.finished = true;
                let end = self.source.len();
                self.locals.feed(end, &Token::Eof, end, self.lines.line(end));
                return Some(Ok((end, Token::Eof, end)));
            }
            Some(Ok(token)) => token,
            Some(Err(err)) if err.kind == LexErrorKind::NoMatch => Token::Other(self.source[self.tokens.span().start]),
            Some(Err(err)) => {
                self.finished = true;
                return Some(Err(self.lex_error(&err)));
            }
        };
        let span = self.tokens.span();
        self.locals.feed(span.start, &token, span.end, self.lines.line(span.start));
        self.deferred = Some((Effect::of(&token), ends_operand(&token), span.start));
        self.last_token_end = Some(span.end);
        Some(Ok((span.start, token, span.end)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::numeral::NumeralValue;
    use super::*;
    use crate::number::Number;
    use Token::*;

    fn lex(src: &str) -> Vec<Token> {
        lex_bytes(src.as_bytes())
    }

    fn lex_bytes(src: &[u8]) -> Vec<Token> {
        let lines = LineTable::new(src);
        let tokens: Result<Vec<_>, _> = Lexer::new(src, "test", &lines).map(|t| t.map(|(_, t, _)| t)).collect();
        let mut tokens = tokens.unwrap_or_else(|e| panic!("lexing {src:?}: {e}"));
        assert_eq!(tokens.pop(), Some(Eof));
        tokens
    }

    fn lex_err(src: &str) -> SyntaxError {
        let lines = LineTable::new(src.as_bytes());
        Lexer::new(src.as_bytes(), "src", &lines)
            .find_map(Result::err)
            .unwrap_or_else(|| panic!("{src:?} should not lex"))
    }

    fn name(s: &str) -> Token {
        Name(s.to_string())
    }

    fn string(s: &[u8]) -> Token {
        Str(s.to_vec())
    }

    #[test]
    fn keywords() {
        let all = "and break do else elseif end false for function goto if in local nil not or \
                   repeat return then true until while";
        let tokens = lex(all);
        assert_eq!(tokens.len(), 22);
        for (token, word) in tokens.iter().zip(all.split_whitespace()) {
            assert_eq!(token.fixed_text(), Some(word));
        }
        assert_eq!(lex("andy _end End nil0"), vec![name("andy"), name("_end"), name("End"), name("nil0")]);
    }

    #[test]
    fn symbols() {
        let all = "+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. ...";
        let tokens = lex(all);
        assert_eq!(tokens.len(), all.split_whitespace().count());
        for (token, sym) in tokens.iter().zip(all.split_whitespace()) {
            assert_eq!(token.fixed_text(), Some(sym));
        }
        assert_eq!(lex("a...b..c.d"), vec![name("a"), Dots, name("b"), Concat, name("c"), Dot, name("d")]);
        assert_eq!(
            lex("a//b~=c~d::e:f"),
            vec![
                name("a"),
                DoubleSlash,
                name("b"),
                Ne,
                name("c"),
                Tilde,
                name("d"),
                DoubleColon,
                name("e"),
                Colon,
                name("f")
            ]
        );
        assert_eq!(lex("<<=>>="), vec![Shl, Assign, Shr, Assign]);
        assert_eq!(lex("..5"), vec![Concat, Numeral(NumeralValue::Lua(Number::Int(5)))]);
    }

    #[test]
    fn whitespace_and_comments() {
        assert_eq!(
            lex(" \t\x0b\x0c\r\n a -- comment\n b --[[ long\n comment ]] c --[==[ x ]] ]==] d"),
            vec![name("a"), name("b"), name("c"), name("d")]
        );
        assert_eq!(lex("a --[= not long\nb"), vec![name("a"), name("b")]);
        assert_eq!(lex("a -- last"), vec![name("a")]);
        assert_eq!(lex("a - -1"), vec![name("a"), Minus, Minus, Numeral(NumeralValue::Lua(Number::Int(1)))]);
    }

    #[test]
    fn strings() {
        assert_eq!(lex(r#" "a\tb" 'c"d' "" "#), vec![string(b"a\tb"), string(b"c\"d"), string(b"")]);
        assert_eq!(lex("[[x]] [=[y]]z]=] [==[\nw]==]"), vec![string(b"x"), string(b"y]]z"), string(b"w")]);
        assert_eq!(lex("a[b]"), vec![name("a"), LBracket, name("b"), RBracket]);
        assert_eq!(lex_bytes(b"'\xff\xfe' [[\x80]]"), vec![string(b"\xff\xfe"), string(b"\x80")]);
    }

    #[test]
    fn numerals() {
        assert_eq!(
            lex("3 3. .5 1e10 0.5e-3"),
            vec![
                Numeral(NumeralValue::Lua(Number::Int(3))),
                Numeral(NumeralValue::Lua(Number::Float(3.0))),
                Numeral(NumeralValue::Lua(Number::Float(0.5))),
                Numeral(NumeralValue::Lua(Number::Float(1e10))),
                Numeral(NumeralValue::Lua(Number::Float(0.5e-3))),
            ]
        );
        assert_eq!(lex("a.b.5"), vec![name("a"), Dot, name("b"), Numeral(NumeralValue::Lua(Number::Float(0.5)))]);
    }

    #[test]
    fn unknown_bytes_become_other_tokens() {
        assert_eq!(lex_bytes(b"@ $\x01\xc3"), vec![Other(b'@'), Other(b'$'), Other(1), Other(0xc3)]);
    }

    #[test]
    fn lexical_errors_read_like_lua() {
        let cases: &[(&str, &str, bool)] = &[
            ("x = \"abc", "src:1: unfinished string near <eof>", false),
            ("x = \"abc\ny", "src:1: unfinished string near '\"abc'", false),
            ("x = \"abc\\", "src:1: unfinished string near <eof>", true),
            ("x = 'abc\\\n", "src:2: unfinished string near <eof>", false),
            ("x = [==[\n\nabc", "src:3: unfinished long string (starting at line 1) near <eof>", true),
            ("--[[\n\n\nabc", "src:4: unfinished long comment (starting at line 1) near <eof>", true),
            ("x = \"a\\qb\"", "src:1: invalid escape sequence near '\"a\\q'", false),
            ("x = \"\\300\"", "src:1: decimal escape too large near '\"\\300\"'", false),
            ("x = \"\\xg\"", "src:1: hexadecimal digit expected near '\"\\xg'", false),
            ("x = \"\\u{80000000}\"", "src:1: UTF-8 value too large near '\"\\u{80000000'", false),
            ("x = \"\\u123\"", "src:1: missing '{' near '\"\\u1'", false),
            ("x = \"\\u{12\"", "src:1: missing '}' near '\"\\u{12\"'", false),
            ("x = 3x", "src:1: malformed number near '3x'", false),
            ("x = 0x", "src:1: malformed number near '0x'", false),
            ("x = 1e+", "src:1: malformed number near '1e+'", false),
            ("x = 3..4", "src:1: malformed number near '3..4'", false),
            ("x = .5e3xyz", "src:1: malformed number near '.5e3x'", false),
            ("x = [=\n", "src:1: invalid long string delimiter near '[='", false),
            ("x = [==x", "src:1: invalid long string delimiter near '[=='", false),
            ("x = \"a\\z  \n\n  \\q\"", "src:3: invalid escape sequence near '\"a\\q'", false),
        ];
        for &(src, message, incomplete) in cases {
            let err = lex_err(src);
            assert_eq!(err.to_string(), message, "{src:?}");
            assert_eq!(err.incomplete, incomplete, "incomplete flag of {src:?}");
        }
    }

    #[test]
    fn nesting_is_limited_while_streaming() {
        let err = lex_err(&"(".repeat(1_000_000));
        assert_eq!(err.to_string(), "src:1: chunk has too many syntax levels");
        assert!(!err.incomplete);
        assert!(lex_err(&"a..".repeat(500)).message.contains("too many"));
        assert!(lex_err(&"not ".repeat(500)).message.contains("too many"));
        assert_eq!(lex(&"x = a .. b ".repeat(1000)).len(), 5000);
        assert_eq!(lex(&"(".repeat(200)).len(), 200);
    }
}
