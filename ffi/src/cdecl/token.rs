//! C tokens, recognised by logos. Tokens carry no data: the parser reads a token's text from
//! its span, and `literal.rs` decodes numbers, characters and strings when they are used.

use logos::Logos;

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\x0B\x0C]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
#[logos(skip r"\\\r?\n")]
#[logos(skip r"/\*([^*]|\*+[^*/])*\*+/")]
pub enum Token {
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    /// A preprocessing number: anything from a digit on that could continue a numeral;
    /// `literal.rs` decides whether it is one.
    #[regex(r"\.?[0-9]([0-9A-Za-z_.]|[eEpP][+-])*")]
    Number,
    #[regex(r#"(L|u8|u|U)?'([^'\\\n]|\\.)*'"#)]
    CharLit,
    #[regex(r#"(L|u8|u|U)?'([^'\\\n]|\\.)*"#)]
    UnfinishedChar,
    #[regex(r#"(L|u8|u|U)?"([^"\\\n]|\\.)*""#)]
    StringLit,
    #[regex(r#"(L|u8|u|U)?"([^"\\\n]|\\.)*"#)]
    UnfinishedString,
    /// A whole preprocessor line, continuation lines included.
    #[regex(r"#([^\n\\]|\\(.|\n))*")]
    Directive,
    #[token("/*")]
    UnfinishedComment,

    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token("?")]
    Question,
    #[token("=")]
    Assign,
    #[token("...")]
    Ellipsis,
    #[token(".")]
    Dot,
    #[token("->")]
    Arrow,
    #[token("$")]
    Dollar,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("~")]
    Tilde,
    #[token("!")]
    Bang,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    Ne,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,

    /// End of input (added by the lexer, never produced by logos).
    Eof,
}
