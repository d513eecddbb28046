//! `Proto`: one compiled function, as plain data.
//!
//! This is the boundary between the compiler and the VM. It holds no GC references: string
//! constants are bytes, nested functions are owned `Proto`s. The VM turns a `Proto` tree into
//! its runtime form (constants as interned values) when a chunk is loaded.

use super::instr::Instr;

/// A constant of the constant table.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    /// A LuaJIT literal (`123LL`, `123ULL`, `12.5i`), read only by `LoadCData`: the host
    /// makes it into a value (a cdata) the first time it runs.
    CData(crate::number::CDataLiteral),
}

/// Where a closure finds one of its upvalues when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpvalDesc {
    /// True: a register (local variable) of the enclosing function; false: an upvalue of the
    /// enclosing function.
    pub in_stack: bool,
    /// Register or upvalue index in the enclosing function.
    pub index: u8,
    /// Variable name, for debug information and error messages.
    pub name: String,
}

/// A local variable's name and the pc range where it is active (debug information, used by
/// error messages such as "attempt to index a nil value (local 'x')" and `debug.getlocal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocVar {
    pub name: String,
    /// First instruction where the variable is active.
    pub start_pc: u32,
    /// First instruction where the variable is dead.
    pub end_pc: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proto {
    pub code: Vec<Instr>,
    /// Source line of each instruction (`line_info.len() == code.len()`).
    pub line_info: Vec<u32>,
    pub constants: Vec<Constant>,
    pub protos: Vec<Proto>,
    pub upvalues: Vec<UpvalDesc>,
    pub locvars: Vec<LocVar>,
    pub num_params: u8,
    pub is_vararg: bool,
    /// Registers this function needs (frame size).
    pub max_stack: u8,
    /// Line of `function` (0 for a main chunk).
    pub line_defined: u32,
    /// Line of `end` (0 for a main chunk).
    pub last_line_defined: u32,
    /// Chunk name as given to `load` (`"=stdin"`, `"@file.lua"`, or the source text itself).
    pub source: String,
}
