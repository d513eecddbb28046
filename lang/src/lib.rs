//! rivet-lang: the Lua 5.4 language, with no knowledge of C.
//!
//! ```text
//! source ──syntax (logos lexer, LALRPOP grammar)──▶ ast::Chunk
//!        ──compile──▶ bytecode::Proto (Instr = u32)
//!        ──vm (loads Protos into GC objects, runs them)──▶ values
//! ```
//! The GC heap (`gc`) owns every script object; Rust code holds script values across calls
//! that can re-enter the VM only through rooted slots (stack, registry).
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod bytecode;
pub mod compile;
pub mod error;
pub mod gc;
pub mod jit;
pub mod number;
pub mod span;
pub mod syntax;
pub mod vm;

pub use error::SyntaxError;
pub use vm::{Lua, LuaError, LuaResult, LuaType, Value};

/// Parses and compiles a chunk: the single compiler entry point used by `load`, the REPL,
/// the CLI and the embedding API.
pub fn compile_source(source: &[u8], chunkname: &str) -> Result<bytecode::Proto, SyntaxError> {
    let chunk = syntax::parse(source, chunkname)?;
    compile::compile_chunk(&chunk, chunkname)
}
