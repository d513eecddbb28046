//! `ast::Chunk` -> `bytecode::Proto`.
