//! Register bytecode: the opcode table, instruction encoding, `Proto`, the disassembler and
//! the binary chunk format (`dump`, `undump`).
//! Pure data: no knowledge of the VM's values or the GC.

pub mod chunk_format;
pub mod disasm;
pub mod dump;
pub mod instr;
pub mod opcodes;
pub mod proto;
pub mod undump;

pub use instr::Instr;
pub use opcodes::{Format, OpCode};
pub use proto::{Constant, LocVar, Proto, UpvalDesc};
