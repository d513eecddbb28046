//! Lua 5.4 source text -> `ast::Chunk`.

pub mod ast;
