//! Register bytecode: the opcode table, instruction encoding, `Proto` and the disassembler.
//! Pure data: no knowledge of the VM's values or the GC.

pub mod disasm;
pub mod instr;
pub mod opcodes;
pub mod proto;

pub use instr::Instr;
pub use opcodes::{Format, OpCode};
pub use proto::{Constant, LocVar, Proto, UpvalDesc};
