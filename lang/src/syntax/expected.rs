//! The exact set of tokens the grammar accepts where a parse failed.
//!
//! LALRPOP's tables merge LR(1) states whose items agree (lane table), so on a bad token the
//! parser may first make reductions that are valid only in *other* contexts and then report
//! the expected set of the state it reduced to: `repeat until z ,` reports only `or`. Lua's
//! message depends on what was really expected, so when a parse fails we ask the grammar
//! itself: re-parse the tokens before the failure followed by each candidate terminal, and
//! keep the candidates it does not reject right there. LR parsers never shift a token that
//! cannot continue a valid prefix, so this is exact. It costs one parse of the prefix per
//! candidate, on the error path only; past `MAX_PREFIX_TOKENS` we keep LALRPOP's answer.

use lalrpop_util::ParseError;

use super::actions::Ctx;
use super::grammar::ChunkParser;
use super::lexer::Lexer;
use super::token::Token;
use crate::number::Number;

/// Beyond this many tokens before the error, re-parsing is not worth its time.
const MAX_PREFIX_TOKENS: usize = 100_000;

/// One token for each terminal that matters to the message: binary operators other than
/// those that are also something else (`-`, `~`, `<`) stand for each other, so `+` speaks
/// for them all.
fn candidates() -> Vec<Token> {
    use Token::*;
    vec![
        And,
        Break,
        Do,
        Else,
        Elseif,
        End,
        False,
        For,
        Function,
        Goto,
        If,
        In,
        Local,
        Nil,
        Not,
        Repeat,
        Return,
        Then,
        True,
        Until,
        While,
        Plus,
        Minus,
        Hash,
        Tilde,
        Lt,
        Gt,
        Assign,
        LParen,
        RParen,
        LBrace,
        RBrace,
        LBracket,
        RBracket,
        DoubleColon,
        Semicolon,
        Colon,
        Comma,
        Dot,
        Dots,
        Name("x".into()),
        Str(Vec::new()),
        Numeral(super::NumeralValue::Lua(Number::Int(1))),
        Eof,
    ]
}

/// The grammar's name for a candidate, as LALRPOP reports terminals.
fn terminal(token: &Token) -> String {
    match token {
        Token::Name(_) => "Name".into(),
        Token::Str(_) => "String".into(),
        Token::Numeral(_) => "Numeral".into(),
        Token::Eof => "\"<eof>\"".into(),
        fixed => format!("\"{}\"", fixed.fixed_text().unwrap_or_default()),
    }
}

/// The terminals (named as LALRPOP names them) that may come at `error_start`, or `None`
/// if the input is too long to find out.
pub fn exact(source: &[u8], ctx: &Ctx<'_>, error_start: usize) -> Option<Vec<String>> {
    let mut prefix = Vec::new();
    for item in Lexer::new(source, ctx.chunk, ctx.lines) {
        // The first parse got past every token before the error, so they lex cleanly.
        let Ok(token) = item else { return None };
        if token.0 >= error_start || prefix.len() > MAX_PREFIX_TOKENS {
            break;
        }
        prefix.push(token);
    }
    if prefix.len() > MAX_PREFIX_TOKENS {
        return None;
    }
    let parser = ChunkParser::new();
    let accepted = candidates()
        .into_iter()
        .filter(|candidate| {
            let after = (candidate != &Token::Eof).then_some((usize::MAX, Token::Eof, usize::MAX));
            let tokens =
                prefix.iter().cloned().chain([(error_start, candidate.clone(), error_start)]).chain(after).map(Ok);
            match parser.parse(ctx, tokens) {
                Err(ParseError::UnrecognizedToken { token: (start, _, _), .. }) => start != error_start,
                Err(ParseError::ExtraToken { token: (start, _, _) }) => start != error_start,
                Ok(_) | Err(_) => true,
            }
        })
        .map(|candidate| terminal(&candidate))
        .collect();
    Some(accepted)
}
