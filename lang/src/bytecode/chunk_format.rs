//! rivet's binary chunk format (what `string.dump` writes and `load` reads): the header and
//! the facts both directions share.
//!
//! ```text
//! header  "\x1bLua"       signature: `load` recognises a binary chunk by its first byte, as Lua's
//!         0x54            the language version (Lua 5.4)
//!         0               format (the official one)
//!         "\x19\x93\r\n\x1a\n"   catches text-mode conversions, as Lua's LUAC_DATA
//!         4 8 8           sizes of an instruction, an integer and a float
//!         0x5678 (i64 LE), 370.5 (f64 LE)   integer and float format checks
//!         (so far byte for byte the header of the reference Lua 5.4 on a little-endian
//!         64-bit machine: tools that check it, as Lua's own tests do, find what they expect)
//!         "rivet"         tag: where Lua's chunks continue with their function, rivet's say whose
//!                         they are, so a chunk of the reference Lua is refused by name
//!         FORMAT_VERSION  u8
//!         fingerprint     u32 LE of the opcode table (names in order): a chunk from a rivet
//!                         with a different instruction set is refused, not misread
//! function
//!         source          string option (the main function only; stripped: none, "=?")
//!         line_defined, last_line_defined   varint
//!         num_params, is_vararg, max_stack  u8 each
//!         code            varint count, u32 LE each
//!         constants       varint count, each a tag byte and its payload
//!         upvalues        varint count, in_stack u8 + index u8 each
//!         protos          varint count, each a function
//!         line info       varint count (0 when stripped), first line varint, then zigzag deltas
//!         locals          varint count, each name, start pc, end pc
//!         upvalue names   varint count (0 when stripped), each a string
//! ```
//! Integers are little-endian whatever the host; `varint` is unsigned LEB128; a string is a
//! varint length and the bytes; a string option is a varint of length + 1 (0: none).

use super::opcodes::OpCode;

pub const SIGNATURE: &[u8; 4] = b"\x1bLua";
pub const LUA_VERSION: u8 = 0x54;
/// The official format, which the reference Lua writes too.
pub const OFFICIAL_FORMAT: u8 = 0;
pub const TAG: &[u8; 5] = b"rivet";
/// 2 since the header begins as the reference Lua's (format 1 had its own format byte).
pub const FORMAT_VERSION: u8 = 2;
pub const CONVERSION_CHECK: &[u8; 6] = b"\x19\x93\r\n\x1a\n";
pub const INSTRUCTION_SIZE: u8 = 4;
pub const INTEGER_SIZE: u8 = 8;
pub const FLOAT_SIZE: u8 = 8;
pub const CHECK_INTEGER: i64 = 0x5678;
pub const CHECK_FLOAT: f64 = 370.5;

/// The first bytes of LuaJIT's bytecode.
pub const LUAJIT_SIGNATURE: &[u8; 3] = b"\x1bLJ";

/// Source name of a stripped chunk, as Lua shows it.
pub const STRIPPED_SOURCE: &str = "=?";

/// Functions nested deeper than this are refused (the compiler's own limit is lower), so a
/// corrupt chunk cannot exhaust the native stack.
pub const MAX_NESTING: usize = 200;

pub const TAG_NIL: u8 = 0;
pub const TAG_FALSE: u8 = 1;
pub const TAG_TRUE: u8 = 2;
pub const TAG_INT: u8 = 3;
pub const TAG_FLOAT: u8 = 4;
pub const TAG_STR: u8 = 5;
/// A LuaJIT literal: a kind byte (`CDATA_*`) and 8 bytes (the integer, or the float's bits).
pub const TAG_CDATA: u8 = 6;
pub const CDATA_INT64: u8 = 0;
pub const CDATA_UINT64: u8 = 1;
pub const CDATA_IMAGINARY: u8 = 2;

/// FNV-1a over the opcode names in numeric order, separated by NUL bytes.
pub fn opcode_fingerprint() -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for op in OpCode::all() {
        for &b in op.name().as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}
