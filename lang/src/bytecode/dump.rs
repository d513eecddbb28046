//! `Proto` -> bytes in rivet's binary chunk format (see `chunk_format`), for `string.dump`.

use super::chunk_format as f;
use super::proto::{Constant, Proto};
use crate::number::CDataLiteral;

/// Serialises `p` and its nested functions. `strip` drops the debug information: source
/// name, line numbers, local variable and upvalue names (as Lua's `string.dump(f, true)`).
pub fn dump(p: &Proto, strip: bool) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(64 + p.code.len() * 5), strip };
    w.header();
    w.function(p, true);
    w.out
}

struct Writer {
    out: Vec<u8>,
    strip: bool,
}

impl Writer {
    fn header(&mut self) {
        self.out.extend_from_slice(f::SIGNATURE);
        self.out.push(f::LUA_VERSION);
        self.out.push(f::OFFICIAL_FORMAT);
        self.out.extend_from_slice(f::CONVERSION_CHECK);
        self.out.extend_from_slice(&[f::INSTRUCTION_SIZE, f::INTEGER_SIZE, f::FLOAT_SIZE]);
        self.out.extend_from_slice(&f::CHECK_INTEGER.to_le_bytes());
        self.out.extend_from_slice(&f::CHECK_FLOAT.to_le_bytes());
        self.out.extend_from_slice(f::TAG);
        self.out.push(f::FORMAT_VERSION);
        self.out.extend_from_slice(&f::opcode_fingerprint().to_le_bytes());
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.count(b.len());
        self.out.extend_from_slice(b);
    }

    fn function(&mut self, p: &Proto, main: bool) {
        // Nested functions share the main function's source (one chunk, one name).
        if main && !self.strip {
            self.varint(p.source.len() as u64 + 1);
            self.out.extend_from_slice(p.source.as_bytes());
        } else {
            self.varint(0);
        }
        self.varint(p.line_defined as u64);
        self.varint(p.last_line_defined as u64);
        self.out.extend_from_slice(&[p.num_params, p.is_vararg as u8, p.max_stack]);

        self.count(p.code.len());
        for i in &p.code {
            self.out.extend_from_slice(&i.0.to_le_bytes());
        }

        self.count(p.constants.len());
        for k in &p.constants {
            match k {
                Constant::Nil => self.out.push(f::TAG_NIL),
                Constant::Bool(false) => self.out.push(f::TAG_FALSE),
                Constant::Bool(true) => self.out.push(f::TAG_TRUE),
                Constant::Int(i) => {
                    self.out.push(f::TAG_INT);
                    self.out.extend_from_slice(&i.to_le_bytes());
                }
                Constant::Float(x) => {
                    // The bit pattern: NaN payloads and -0.0 survive.
                    self.out.push(f::TAG_FLOAT);
                    self.out.extend_from_slice(&x.to_bits().to_le_bytes());
                }
                Constant::Str(s) => {
                    self.out.push(f::TAG_STR);
                    self.bytes(s);
                }
                Constant::CData(lit) => {
                    let (kind, bits) = match *lit {
                        CDataLiteral::Int64(i) => (f::CDATA_INT64, i as u64),
                        CDataLiteral::UInt64(u) => (f::CDATA_UINT64, u),
                        CDataLiteral::Imaginary(x) => (f::CDATA_IMAGINARY, x.to_bits()),
                    };
                    self.out.extend_from_slice(&[f::TAG_CDATA, kind]);
                    self.out.extend_from_slice(&bits.to_le_bytes());
                }
            }
        }

        self.count(p.upvalues.len());
        for u in &p.upvalues {
            self.out.extend_from_slice(&[u.in_stack as u8, u.index]);
        }

        self.count(p.protos.len());
        for child in &p.protos {
            self.function(child, false);
        }

        self.debug_info(p);
    }

    fn debug_info(&mut self, p: &Proto) {
        if self.strip {
            // No line info, no locals, no upvalue names.
            self.out.extend_from_slice(&[0, 0, 0]);
            return;
        }
        self.count(p.line_info.len());
        let mut prev: i64 = 0;
        for (n, &line) in p.line_info.iter().enumerate() {
            if n == 0 {
                self.varint(line as u64);
            } else {
                let delta = line as i64 - prev;
                self.varint(((delta << 1) ^ (delta >> 63)) as u64);
            }
            prev = line as i64;
        }
        self.count(p.locvars.len());
        for lv in &p.locvars {
            self.bytes(lv.name.as_bytes());
            self.varint(lv.start_pc as u64);
            self.varint(lv.end_pc as u64);
        }
        self.count(p.upvalues.len());
        for u in &p.upvalues {
            self.bytes(u.name.as_bytes());
        }
    }
}
