//! Bytes in rivet's binary chunk format (see `chunk_format`) -> `Proto`.
//!
//! Any input gives a `Proto` or an `UndumpError`, never a panic: every count is checked
//! against the bytes left before anything is allocated, and nesting is bounded. The result is
//! only well-formed data; whether its instructions are safe to run is the verifier's job
//! (`vm::load::verify`), which every loaded `Proto` passes.

use super::chunk_format as f;
use super::instr::Instr;
use super::proto::{Constant, LocVar, Proto, UpvalDesc};
use crate::number::CDataLiteral;

/// Why a binary chunk was refused. The text is what goes between the parentheses of
/// `chunk: bad binary format (...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UndumpError {
    Truncated,
    NotBinary,
    LuaJit,
    LuaVersion(u8),
    ReferenceLua,
    UnknownFormat(u8),
    RivetVersion(u8),
    InstructionSet,
    TextConversion,
    SizeMismatch(&'static str),
    IntegerFormat,
    FloatFormat,
    Corrupted(&'static str),
}

impl std::fmt::Display for UndumpError {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UndumpError::Truncated => write!(out, "truncated chunk"),
            UndumpError::NotBinary => write!(out, "not a binary chunk"),
            UndumpError::LuaJit => write!(out, "LuaJIT bytecode; rivet loads only its own binary chunks"),
            UndumpError::LuaVersion(v) => write!(
                out,
                "version mismatch: a chunk for Lua {}.{}; rivet loads only its own binary chunks",
                v >> 4,
                v & 0xf
            ),
            UndumpError::ReferenceLua => write!(
                out,
                "a chunk precompiled by the reference Lua (luac or its string.dump); rivet loads only its own \
                 binary chunks, load the source instead"
            ),
            UndumpError::UnknownFormat(b) => write!(out, "format mismatch (format {b}, not the official 0)"),
            UndumpError::RivetVersion(v) => write!(
                out,
                "made by another rivet version (bytecode format {v}, this rivet reads format {})",
                f::FORMAT_VERSION
            ),
            UndumpError::InstructionSet => write!(out, "made by a rivet with a different instruction set"),
            UndumpError::TextConversion => write!(out, "corrupted chunk (altered by a text-mode conversion)"),
            UndumpError::SizeMismatch(what) => write!(out, "{what} size mismatch"),
            UndumpError::IntegerFormat => write!(out, "integer format mismatch"),
            UndumpError::FloatFormat => write!(out, "float format mismatch"),
            UndumpError::Corrupted(what) => write!(out, "corrupted chunk ({what})"),
        }
    }
}

impl std::error::Error for UndumpError {}

/// Reads a whole binary chunk: the header, the main function, and nothing after it.
pub fn undump(data: &[u8]) -> Result<Proto, UndumpError> {
    let mut r = Reader { data, pos: 0 };
    r.header()?;
    let p = r.function(None, 0)?;
    if r.pos != data.len() {
        return Err(UndumpError::Corrupted("extra bytes after the main function"));
    }
    Ok(p)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], UndumpError> {
        if self.data.len() - self.pos < n {
            return Err(UndumpError::Truncated);
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, UndumpError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], UndumpError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn left(&self) -> usize {
        self.data.len() - self.pos
    }

    fn header(&mut self) -> Result<(), UndumpError> {
        // Shorter than the signature: Lua calls a prefix of it truncated.
        let n = self.data.len().min(f::SIGNATURE.len());
        if self.data[..n] != f::SIGNATURE[..n] {
            if self.data.len() >= 3 && self.data[..3] == f::LUAJIT_SIGNATURE[..] {
                return Err(UndumpError::LuaJit);
            }
            return Err(UndumpError::NotBinary);
        }
        self.take(f::SIGNATURE.len())?;
        let version = self.byte()?;
        if version != f::LUA_VERSION {
            return Err(UndumpError::LuaVersion(version));
        }
        let format = self.byte()?;
        if format != f::OFFICIAL_FORMAT {
            return Err(UndumpError::UnknownFormat(format));
        }
        if self.take(f::CONVERSION_CHECK.len())? != f::CONVERSION_CHECK {
            return Err(UndumpError::TextConversion);
        }
        for (what, size) in
            [("Instruction", f::INSTRUCTION_SIZE), ("lua_Integer", f::INTEGER_SIZE), ("lua_Number", f::FLOAT_SIZE)]
        {
            if self.byte()? != size {
                return Err(UndumpError::SizeMismatch(what));
            }
        }
        if i64::from_le_bytes(self.array()?) != f::CHECK_INTEGER {
            return Err(UndumpError::IntegerFormat);
        }
        if f64::from_le_bytes(self.array()?) != f::CHECK_FLOAT {
            return Err(UndumpError::FloatFormat);
        }
        // The header so far is also the reference Lua's; its chunks go on with the main
        // function where rivet's have their tag.
        if self.take(f::TAG.len())? != f::TAG {
            return Err(UndumpError::ReferenceLua);
        }
        let v = self.byte()?;
        if v != f::FORMAT_VERSION {
            return Err(UndumpError::RivetVersion(v));
        }
        if u32::from_le_bytes(self.array()?) != f::opcode_fingerprint() {
            return Err(UndumpError::InstructionSet);
        }
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, UndumpError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = (b & 0x7f) as u64;
            if shift == 63 && bits > 1 {
                return Err(UndumpError::Corrupted("integer out of range"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(UndumpError::Corrupted("integer out of range"))
    }

    fn u32_varint(&mut self) -> Result<u32, UndumpError> {
        u32::try_from(self.varint()?).map_err(|_| UndumpError::Corrupted("number out of range"))
    }

    /// A count of items each taking at least `min_size` bytes: never more than the input
    /// could hold, so a corrupt count cannot trigger a huge allocation.
    fn count(&mut self, min_size: usize) -> Result<usize, UndumpError> {
        let n = self.varint()?;
        if n > (self.left() / min_size.max(1)) as u64 {
            return Err(UndumpError::Truncated);
        }
        Ok(n as usize)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, UndumpError> {
        let n = self.count(1)?;
        Ok(self.take(n)?.to_vec())
    }

    fn name(&mut self) -> Result<String, UndumpError> {
        String::from_utf8(self.bytes()?).map_err(|_| UndumpError::Corrupted("a name is not UTF-8"))
    }

    fn function(&mut self, parent_source: Option<&str>, depth: usize) -> Result<Proto, UndumpError> {
        if depth > f::MAX_NESTING {
            return Err(UndumpError::Corrupted("functions nested too deeply"));
        }
        let source = match self.varint()? {
            // No source: the enclosing function's, or a stripped chunk's "=?".
            0 => parent_source.unwrap_or(f::STRIPPED_SOURCE).to_string(),
            n => {
                let len = usize::try_from(n - 1).map_err(|_| UndumpError::Truncated)?;
                let text = self.take(len)?.to_vec();
                String::from_utf8(text).map_err(|_| UndumpError::Corrupted("the source name is not UTF-8"))?
            }
        };
        let line_defined = self.u32_varint()?;
        let last_line_defined = self.u32_varint()?;
        let [num_params, is_vararg, max_stack] = self.array()?;
        let is_vararg = match is_vararg {
            0 => false,
            1 => true,
            _ => return Err(UndumpError::Corrupted("bad vararg flag")),
        };

        let n = self.count(4)?;
        let mut code = Vec::with_capacity(n);
        for _ in 0..n {
            code.push(Instr(u32::from_le_bytes(self.array()?)));
        }

        let n = self.count(1)?;
        let mut constants = Vec::with_capacity(n);
        for _ in 0..n {
            constants.push(match self.byte()? {
                f::TAG_NIL => Constant::Nil,
                f::TAG_FALSE => Constant::Bool(false),
                f::TAG_TRUE => Constant::Bool(true),
                f::TAG_INT => Constant::Int(i64::from_le_bytes(self.array()?)),
                f::TAG_FLOAT => Constant::Float(f64::from_bits(u64::from_le_bytes(self.array()?))),
                f::TAG_STR => Constant::Str(self.bytes()?),
                f::TAG_CDATA => {
                    let [kind] = self.array()?;
                    let bits = u64::from_le_bytes(self.array()?);
                    Constant::CData(match kind {
                        f::CDATA_INT64 => CDataLiteral::Int64(bits as i64),
                        f::CDATA_UINT64 => CDataLiteral::UInt64(bits),
                        f::CDATA_IMAGINARY => CDataLiteral::Imaginary(f64::from_bits(bits)),
                        _ => return Err(UndumpError::Corrupted("bad constant type")),
                    })
                }
                _ => return Err(UndumpError::Corrupted("bad constant type")),
            });
        }

        let n = self.count(2)?;
        let mut upvalues = Vec::with_capacity(n);
        for _ in 0..n {
            let [in_stack, index] = self.array()?;
            let in_stack = match in_stack {
                0 => false,
                1 => true,
                _ => return Err(UndumpError::Corrupted("bad upvalue description")),
            };
            upvalues.push(UpvalDesc { in_stack, index, name: String::new() });
        }

        let n = self.count(1)?;
        let mut protos = Vec::with_capacity(n);
        for _ in 0..n {
            protos.push(self.function(Some(&source), depth + 1)?);
        }

        let n = self.count(1)?;
        if n != 0 && n != code.len() {
            return Err(UndumpError::Corrupted("line information does not match the code"));
        }
        let mut line_info = Vec::with_capacity(n);
        let mut line: i64 = 0;
        for k in 0..n {
            let v = self.varint()?;
            line = if k == 0 { v as i64 } else { line.wrapping_add(((v >> 1) as i64) ^ -((v & 1) as i64)) };
            line_info.push(u32::try_from(line).map_err(|_| UndumpError::Corrupted("line number out of range"))?);
        }

        let n = self.count(3)?;
        let mut locvars = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.name()?;
            let start_pc = self.u32_varint()?;
            let end_pc = self.u32_varint()?;
            locvars.push(LocVar { name, start_pc, end_pc });
        }

        let n = self.count(1)?;
        if n != 0 && n != upvalues.len() {
            return Err(UndumpError::Corrupted("upvalue names do not match the upvalues"));
        }
        for u in upvalues.iter_mut().take(n) {
            u.name = self.name()?;
        }

        Ok(Proto {
            code,
            line_info,
            constants,
            protos,
            upvalues,
            locvars,
            num_params,
            is_vararg,
            max_stack,
            line_defined,
            last_line_defined,
            source,
        })
    }
}
