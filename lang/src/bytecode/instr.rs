//! `Instr(u32)`: encoding and decoding of one instruction.
//!
//! Bit layout (least significant first), as in Lua 5.4:
//! ```text
//!  0..7   op
//!  7..15  A          (8 bits)
//! 15      k          (1 bit)
//! 16..24  B          (8 bits)
//! 24..32  C          (8 bits)
//! 15..32  Bx / sBx   (17 bits; sBx stored excess-OFFSET_SBX)
//!  7..32  Ax / sJ    (25 bits; sJ stored excess-OFFSET_SJ)
//! ```
//! Signed 8-bit operands (`sB`, `sC`) are stored excess-`OFFSET_SC`.

use super::opcodes::OpCode;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Instr(pub u32);

pub const MAX_A: u32 = 0xff;
pub const MAX_B: u32 = 0xff;
pub const MAX_C: u32 = 0xff;
pub const MAX_BX: u32 = (1 << 17) - 1;
pub const MAX_AX: u32 = (1 << 25) - 1;
pub const OFFSET_SBX: i32 = (MAX_BX >> 1) as i32;
pub const OFFSET_SJ: i32 = (MAX_AX >> 1) as i32;
pub const OFFSET_SC: i32 = (MAX_C >> 1) as i32;

impl Instr {
    #[inline]
    pub fn abc(op: OpCode, a: u32, b: u32, c: u32, k: bool) -> Instr {
        debug_assert!(a <= MAX_A && b <= MAX_B && c <= MAX_C, "operand out of range");
        Instr(op as u32 | a << 7 | (k as u32) << 15 | b << 16 | c << 24)
    }

    #[inline]
    pub fn abx(op: OpCode, a: u32, bx: u32) -> Instr {
        debug_assert!(a <= MAX_A && bx <= MAX_BX, "operand out of range");
        Instr(op as u32 | a << 7 | bx << 15)
    }

    #[inline]
    pub fn asbx(op: OpCode, a: u32, sbx: i32) -> Instr {
        let bx = sbx + OFFSET_SBX;
        debug_assert!((0..=MAX_BX as i32).contains(&bx), "sBx out of range");
        Instr::abx(op, a, bx as u32)
    }

    #[inline]
    pub fn ax(op: OpCode, ax: u32) -> Instr {
        debug_assert!(ax <= MAX_AX, "Ax out of range");
        Instr(op as u32 | ax << 7)
    }

    #[inline]
    pub fn sj(op: OpCode, sj: i32) -> Instr {
        let ax = sj + OFFSET_SJ;
        debug_assert!((0..=MAX_AX as i32).contains(&ax), "sJ out of range");
        Instr::ax(op, ax as u32)
    }

    /// The opcode. Instructions are only ever built by `Instr::*` constructors from an
    /// `OpCode`, so the low 7 bits always name one.
    #[inline(always)]
    pub fn op(self) -> OpCode {
        super::opcodes::decode(self.0 as u8 & 0x7f)
    }

    #[inline(always)]
    pub fn a(self) -> u32 {
        (self.0 >> 7) & 0xff
    }
    #[inline(always)]
    pub fn k(self) -> bool {
        (self.0 >> 15) & 1 != 0
    }
    #[inline(always)]
    pub fn b(self) -> u32 {
        (self.0 >> 16) & 0xff
    }
    #[inline(always)]
    pub fn c(self) -> u32 {
        self.0 >> 24
    }
    #[inline(always)]
    pub fn sb(self) -> i32 {
        self.b() as i32 - OFFSET_SC
    }
    #[inline(always)]
    pub fn sc(self) -> i32 {
        self.c() as i32 - OFFSET_SC
    }
    #[inline(always)]
    pub fn bx(self) -> u32 {
        self.0 >> 15
    }
    #[inline(always)]
    pub fn sbx(self) -> i32 {
        self.bx() as i32 - OFFSET_SBX
    }
    #[inline(always)]
    pub fn ax_field(self) -> u32 {
        self.0 >> 7
    }
    #[inline(always)]
    pub fn sj_field(self) -> i32 {
        self.ax_field() as i32 - OFFSET_SJ
    }

    /// Replace the sJ field (jump patching).
    pub fn with_sj(self, sj: i32) -> Instr {
        Instr::sj(self.op(), sj)
    }

    /// Replace the Bx field (loop patching).
    pub fn with_bx(self, bx: u32) -> Instr {
        Instr::abx(self.op(), self.a(), bx)
    }

    /// Replace the A field.
    pub fn with_a(self, a: u32) -> Instr {
        debug_assert!(a <= MAX_A);
        Instr((self.0 & !(0xff << 7)) | a << 7)
    }

    /// Replace the B field.
    pub fn with_b(self, b: u32) -> Instr {
        debug_assert!(b <= MAX_B);
        Instr((self.0 & !(0xff << 16)) | b << 16)
    }

    /// Replace the C field.
    pub fn with_c(self, c: u32) -> Instr {
        debug_assert!(c <= MAX_C);
        Instr((self.0 & !(0xff << 24)) | c << 24)
    }

    /// Replace the k bit.
    pub fn with_k(self, k: bool) -> Instr {
        Instr((self.0 & !(1 << 15)) | (k as u32) << 15)
    }
}

impl std::fmt::Debug for Instr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", super::disasm::instr_text(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let i = Instr::abc(OpCode::Add, 200, 17, 255, true);
        assert_eq!((i.op(), i.a(), i.b(), i.c(), i.k()), (OpCode::Add, 200, 17, 255, true));
        let i = Instr::asbx(OpCode::LoadI, 3, -65535);
        assert_eq!((i.op(), i.a(), i.sbx()), (OpCode::LoadI, 3, -65535));
        let i = Instr::asbx(OpCode::LoadI, 3, 65536);
        assert_eq!(i.sbx(), 65536);
        let i = Instr::sj(OpCode::Jmp, -5);
        assert_eq!((i.op(), i.sj_field()), (OpCode::Jmp, -5));
        let i = Instr::ax(OpCode::ExtraArg, MAX_AX);
        assert_eq!(i.ax_field(), MAX_AX);
        let i = Instr::abc(OpCode::AddI, 1, 2, (-3 + OFFSET_SC) as u32, false);
        assert_eq!(i.sc(), -3);
        let i = i.with_a(9).with_b(8).with_c(7).with_k(true);
        assert_eq!((i.a(), i.b(), i.c(), i.k()), (9, 8, 7, true));
    }
}
