//! Lua 5.4 source text -> `ast::Chunk`.
//!
//! ```text
//! bytes ──token.rs (logos; strings.rs, numeral.rs)──▶ tokens
//!       ──lexer.rs (offsets, EOF, nesting.rs depth limit)──▶ (start, Token, end)
//!       ──grammar.lalrpop (actions.rs builds nodes)──▶ ast::Chunk
//! errors ──lex_error.rs / diagnose.rs──▶ SyntaxError worded as Lua's
//! ```
//! Everything here works on bytes: Lua source need not be UTF-8 and string literals may hold
//! any byte. Nothing here recurses on the input's nesting, and no tree deeper than
//! `nesting::MAX_LEVELS` is built, so deep input fails with an error, not a stack overflow.
#![forbid(unsafe_code)]

mod actions;
pub mod ast;
mod diagnose;
mod expected;
mod lex_error;
mod lexer;
mod lines;
mod local_limit;
mod nesting;
mod numeral;
pub use numeral::NumeralValue;
mod strings;
mod token;

pub use token::KEYWORDS;

#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_parse;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, unused_imports, dead_code)]
    grammar,
    "/syntax/grammar.rs"
);

use crate::error::SyntaxError;
use crate::span::chunk_id;
use lalrpop_util::ParseError;

pub use local_limit::MAX_LOCALS;
pub use nesting::MAX_LEVELS;

/// Parses a whole chunk. `chunkname` is Lua's chunk name (`"=stdin"`, `"@file.lua"`, or the
/// source text itself); errors name the chunk as `span::chunk_id` shows it.
pub fn parse(source: &[u8], chunkname: &str) -> Result<ast::Chunk, SyntaxError> {
    let chunk = chunk_id(chunkname);
    let lines = lines::LineTable::new(source);
    let ctx = actions::Ctx { chunk: &chunk, lines: &lines };
    let mut tokens = lexer::Lexer::new(source, &chunk, &lines);
    match grammar::ChunkParser::new().parse(&ctx, &mut tokens) {
        Ok(block) => Ok(ast::Chunk {
            body: block.node,
            end_line: lines.line(source.len()),
            last_token_line: tokens.last_token_line(),
            too_many_locals: tokens.locals().violation().map(|v| too_many_locals(v, source, &chunk, &lines)),
        }),
        Err(err) => {
            // Lua's parser checks the number of local variables as it goes: a declaration past
            // the limit before the syntax error is what it reports.
            let error_start = match &err {
                ParseError::UnrecognizedToken { token: (start, ..), .. }
                | ParseError::ExtraToken { token: (start, ..) } => Some(*start),
                ParseError::UnrecognizedEof { .. } => Some(source.len()),
                ParseError::InvalidToken { location } => Some(*location),
                // Raised by the lexer, which reads no further, or by an action when a
                // construct is complete: after any declaration read so far.
                ParseError::User { .. } => None,
            };
            if let Some(v) = tokens.locals().violation() {
                if error_start.is_none_or(|s| v.offset < s) {
                    return Err(too_many_locals(v, source, &chunk, &lines));
                }
            }
            let exact = |error_start| expected::exact(source, &ctx, error_start);
            Err(diagnose::syntax_error(err, source, &chunk, &lines, tokens.nesting(), exact))
        }
    }
}

/// The error of a declaration past the local variable limit, as Lua's parser words it: at the
/// line of the token it was looking at, which it names.
fn too_many_locals(
    v: &local_limit::TooManyLocals,
    source: &[u8],
    chunk: &str,
    lines: &lines::LineTable,
) -> SyntaxError {
    match &v.near {
        Some((start, token, end)) => SyntaxError::new(
            chunk,
            lines.line(*end),
            format!("{} near {}", v.message(), diagnose::near(token, *start, *end, source)),
        ),
        None => SyntaxError::new(chunk, lines.line(v.offset), v.message()),
    }
}
