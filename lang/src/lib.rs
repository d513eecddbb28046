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
pub mod number;
pub mod span;
pub mod syntax;
pub mod vm;
