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
        }),
        Err(err) => {
            let exact = |error_start| expected::exact(source, &ctx, error_start);
            Err(diagnose::syntax_error(err, source, &chunk, &lines, tokens.nesting(), exact))
        }
    }
}
