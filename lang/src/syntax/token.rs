//! Lua 5.4 tokens, recognised by logos over raw bytes.
//!
//! Fixed tokens and names are logos patterns; the tokens whose end a regular expression
//! cannot find (long brackets, short strings with escapes, comments, numerals) are matched by
//! their first bytes and finished by callbacks into `strings.rs` and `numeral.rs`.

use logos::{Lexer, Logos, Skip};

use super::lex_error::LexError;
use super::numeral::{numeral, NumeralValue};
use super::strings::{self, Bracket, LongKind};

/// Lua's reserved words: the names that cannot be variables or `t.name` fields. Kept in the
/// order of the enum below; a test checks that the lexer reads each as its own token.
pub const KEYWORDS: [&str; 22] = [
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
    "not", "or", "repeat", "return", "then", "true", "until", "while",
];

#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(utf8 = false)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\n\r\x0B\x0C]+")]
#[logos(skip("--", skip_comment))]
pub enum Token {
    #[token("and")]
    And,
    #[token("break")]
    Break,
    #[token("do")]
    Do,
    #[token("else")]
    Else,
    #[token("elseif")]
    Elseif,
    #[token("end")]
    End,
    #[token("false")]
    False,
    #[token("for")]
    For,
    #[token("function")]
    Function,
    #[token("goto")]
    Goto,
    #[token("if")]
    If,
    #[token("in")]
    In,
    #[token("local")]
    Local,
    #[token("nil")]
    Nil,
    #[token("not")]
    Not,
    #[token("or")]
    Or,
    #[token("repeat")]
    Repeat,
    #[token("return")]
    Return,
    #[token("then")]
    Then,
    #[token("true")]
    True,
    #[token("until")]
    Until,
    #[token("while")]
    While,

    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("//")]
    DoubleSlash,
    #[token("%")]
    Percent,
    #[token("^")]
    Caret,
    #[token("#")]
    Hash,
    #[token("&")]
    Ampersand,
    #[token("~")]
    Tilde,
    #[token("|")]
    Pipe,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("==")]
    Eq,
    #[token("~=")]
    Ne,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("=")]
    Assign,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    /// `[` — or a long string, which the callback returns instead.
    #[token("[", open_bracket)]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("::")]
    DoubleColon,
    #[token(";")]
    Semicolon,
    #[token(":")]
    Colon,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("..")]
    Concat,
    #[token("...")]
    Dots,

    /// A name (ASCII letters, digits and `_`, not starting with a digit).
    #[regex("[A-Za-z_][A-Za-z0-9_]*", |lex| String::from_utf8_lossy(lex.slice()).into_owned())]
    Name(String),
    /// A string literal's value after escape processing (any bytes).
    #[token("\"", short_string)]
    #[token("'", short_string)]
    Str(Vec<u8>),
    #[regex("[0-9]", read_numeral)]
    #[regex(r"\.[0-9]", read_numeral)]
    Numeral(NumeralValue),

    /// A byte that starts no token (`@`, `$`, control bytes, bytes >= 0x80). The parser
    /// rejects it with "unexpected symbol"; produced by `lexer.rs`, never by logos.
    Other(u8),
    /// End of input, made explicit so the grammar can expect it by name.
    Eof,
}

fn skip_comment(lex: &mut Lexer<Token>) -> Result<Skip, LexError> {
    let start = lex.span().start;
    let end = strings::comment(lex.source(), start)?;
    lex.bump(end - lex.span().end);
    Ok(Skip)
}

fn open_bracket(lex: &mut Lexer<Token>) -> Result<Token, LexError> {
    let src = lex.source();
    let start = lex.span().start;
    match strings::open_bracket(src, start) {
        Bracket::Plain => Ok(Token::LBracket),
        Bracket::Malformed { level } => {
            let near = src[start..start + 1 + level].to_vec();
            let after = start + 1 + level;
            Err(LexError::new(super::lex_error::LexErrorKind::InvalidLongDelimiter, after, Some(near)))
        }
        Bracket::Long { level, content } => {
            let (value, end) = strings::long_bracket(src, start, level, content, LongKind::String)?;
            lex.bump(end - lex.span().end);
            Ok(Token::Str(value))
        }
    }
}

fn short_string(lex: &mut Lexer<Token>) -> Result<Vec<u8>, LexError> {
    let (value, end) = strings::short_string(lex.source(), lex.span().start)?;
    lex.bump(end - lex.span().end);
    Ok(value)
}

fn read_numeral(lex: &mut Lexer<Token>) -> Result<NumeralValue, LexError> {
    let (value, end) = numeral(lex.source(), lex.span().start)?;
    lex.bump(end - lex.span().end);
    Ok(value)
}

impl Token {
    /// How Lua names a fixed token in messages (`luaX_tokens`), without quotes.
    pub fn fixed_text(&self) -> Option<&'static str> {
        use Token::*;
        Some(match self {
            And => "and",
            Break => "break",
            Do => "do",
            Else => "else",
            Elseif => "elseif",
            End => "end",
            False => "false",
            For => "for",
            Function => "function",
            Goto => "goto",
            If => "if",
            In => "in",
            Local => "local",
            Nil => "nil",
            Not => "not",
            Or => "or",
            Repeat => "repeat",
            Return => "return",
            Then => "then",
            True => "true",
            Until => "until",
            While => "while",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            DoubleSlash => "//",
            Percent => "%",
            Caret => "^",
            Hash => "#",
            Ampersand => "&",
            Tilde => "~",
            Pipe => "|",
            Shl => "<<",
            Shr => ">>",
            Eq => "==",
            Ne => "~=",
            Le => "<=",
            Ge => ">=",
            Lt => "<",
            Gt => ">",
            Assign => "=",
            LParen => "(",
            RParen => ")",
            LBrace => "{",
            RBrace => "}",
            LBracket => "[",
            RBracket => "]",
            DoubleColon => "::",
            Semicolon => ";",
            Colon => ":",
            Comma => ",",
            Dot => ".",
            Concat => "..",
            Dots => "...",
            Name(_) | Str(_) | Numeral(_) | Other(_) | Eof => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_exactly_the_reserved_tokens() {
        for word in KEYWORDS {
            let tokens: Vec<_> = Token::lexer(word.as_bytes()).collect();
            assert_eq!(tokens.len(), 1, "{word}");
            let token = tokens[0].clone().unwrap();
            assert_eq!(token.fixed_text(), Some(word), "{word}");
        }
        // Every alphabetic fixed token is in the list.
        for word in ["goto", "while", "andy", "End", "self", "_ENV"] {
            let token = Token::lexer(word.as_bytes()).next().unwrap().unwrap();
            let reserved = !matches!(token, Token::Name(_));
            assert_eq!(reserved, KEYWORDS.contains(&word), "{word}");
        }
    }
}
