//! `ast::Chunk` -> `bytecode::Proto`.

/// Placeholder until the compiler lands (branch `compile`).
pub fn compile_chunk(_chunk: &crate::syntax::ast::Chunk, chunkname: &str) -> Result<crate::bytecode::Proto, crate::error::SyntaxError> {
    Err(crate::error::SyntaxError::new(crate::span::chunk_id(chunkname), 1, "compiler not merged yet"))
}
