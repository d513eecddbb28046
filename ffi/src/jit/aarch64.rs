//! The AArch64 emitter: a [`StubShape`] to the machine code of a call stub, with dynasmrt,
//! for any host (the code runs on AArch64 machines and in the emulated harness of the tests).
//! Like the x86-64 emitter it knows no ABI rule, only how to move bytes.
//!
//! A stub is entered with AAPCS64 as `stub(fnptr, args, ret, errno_out)`:
//!
//! ```text
//! stp x29, x30, [sp, #-32]!; mov x29, sp; save x19, x20, x21
//! x19 = fnptr, x20 = args, x21 = ret                          (they survive the call)
//! sub sp, sp, <outgoing area rounded up to 16>
//! stack slots, v0-v7, x0-x7, x8 <- args (exact widths; scratch: x9-x11, v16)
//! blr x19
//! ret <- x0/x1/v0-v3 (exact widths)
//! mov sp, x29; restore; ret
//! ```
//!
//! `errno_out` is ignored: errno is captured only by host stubs (`StubCache`), and rivet
//! emits AArch64 stubs for inspection and foreign-target harnesses. Addresses are computed
//! into x9 before each access, so any offset works without per-instruction range rules.

// dynasm! converts run-time register operands with `.into()`, even when they already are u8.
#![allow(clippy::useless_conversion)]

use dynasmrt::aarch64::Aarch64Relocation;
use dynasmrt::{dynasm, DynasmApi, VecAssembler};

use super::argblock::align_up;
use super::shape::{Move, Store, StubShape};
use crate::abi::{Ext, Loc};
use crate::error::JitError;

pub(crate) type Ops = VecAssembler<Aarch64Relocation>;

/// The address register: every load and store goes through it.
pub(crate) const ADDR: u8 = 9;
/// A second address register (the destination of copies).
pub(crate) const ADDR2: u8 = 10;
/// Scratch data registers: x11 and v16 (never argument or result registers).
pub(crate) const TMP: u8 = 11;
pub(crate) const VTMP: u8 = 16;
/// The stack pointer's number in the base-register operands of [`address`].
pub(crate) const SP: u8 = 31;

const FNPTR: u8 = 19;
const ARGS: u8 = 20;
const RET: u8 = 21;

fn unsupported(what: String) -> JitError {
    JitError::Assembler(what)
}

/// `dst = base + offset` (`base` 31: sp).
pub(crate) fn address(ops: &mut Ops, dst: u8, base: u8, offset: u32) {
    if offset < 4096 {
        dynasm!(ops ; .arch aarch64 ; add XSP(dst), XSP(base), #offset);
    } else {
        dynasm!(ops
            ; .arch aarch64
            ; movz X(dst), #offset & 0xffff
            ; movk X(dst), #offset >> 16, lsl #16
            ; add XSP(dst), XSP(base), X(dst), uxtx #0
        );
    }
}

/// `sp = sp - bytes` (a multiple of 16).
pub(crate) fn reserve(ops: &mut Ops, bytes: u32) {
    if bytes == 0 {
        return;
    }
    if bytes < 4096 {
        dynasm!(ops ; .arch aarch64 ; sub sp, sp, #bytes);
    } else {
        dynasm!(ops
            ; .arch aarch64
            ; movz X(TMP), #bytes & 0xffff
            ; movk X(TMP), #bytes >> 16, lsl #16
            ; sub sp, sp, X(TMP), uxtx #0
        );
    }
}

/// Loads `size` bytes at [x`at`] into general register `r`, extended as `ext` says (zero
/// otherwise). Sizes other than 1, 2 and 4 load a whole double-word: argument slots and
/// result buffers are padded to eight bytes.
pub(crate) fn load_gpr(ops: &mut Ops, r: u8, at: u8, size: u32, ext: Ext) {
    match (size, ext) {
        (_, Ext::FloatToDouble) => dynasm!(ops
            ; .arch aarch64
            ; ldr S(VTMP), [X(at)]
            ; fcvt D(VTMP), S(VTMP)
            ; fmov X(r), D(VTMP)
        ),
        (1, Ext::Sign) => dynasm!(ops ; .arch aarch64 ; ldrsb X(r), [X(at)]),
        (1, _) => dynasm!(ops ; .arch aarch64 ; ldrb W(r), [X(at)]),
        (2, Ext::Sign) => dynasm!(ops ; .arch aarch64 ; ldrsh X(r), [X(at)]),
        (2, _) => dynasm!(ops ; .arch aarch64 ; ldrh W(r), [X(at)]),
        (4, Ext::Sign) => dynasm!(ops ; .arch aarch64 ; ldrsw X(r), [X(at)]),
        (4, _) => dynasm!(ops ; .arch aarch64 ; ldr W(r), [X(at)]),
        _ => dynasm!(ops ; .arch aarch64 ; ldr X(r), [X(at)]),
    }
}

/// Loads a `size`-byte part at [x`at`] into vector register `v` (s, d or q view).
pub(crate) fn load_vec(ops: &mut Ops, v: u8, at: u8, size: u32, ext: Ext) -> Result<(), JitError> {
    match (ext, size) {
        (Ext::FloatToDouble, _) => dynasm!(ops ; .arch aarch64 ; ldr S(v), [X(at)] ; fcvt D(v), S(v)),
        (_, 1..=4) => dynasm!(ops ; .arch aarch64 ; ldr S(v), [X(at)]),
        (_, 5..=8) => dynasm!(ops ; .arch aarch64 ; ldr D(v), [X(at)]),
        (_, 9..=16) => dynasm!(ops ; .arch aarch64 ; ldr Q(v), [X(at)]),
        _ => return Err(unsupported(format!("a {size}-byte part in v{v}"))),
    }
    Ok(())
}

/// Stores the `size`-byte part in vector register `v` at [x`at`].
pub(crate) fn store_vec(ops: &mut Ops, v: u8, at: u8, size: u32) -> Result<(), JitError> {
    match size {
        1..=4 => dynasm!(ops ; .arch aarch64 ; str S(v), [X(at)]),
        5..=8 => dynasm!(ops ; .arch aarch64 ; str D(v), [X(at)]),
        9..=16 => dynasm!(ops ; .arch aarch64 ; str Q(v), [X(at)]),
        _ => return Err(unsupported(format!("a {size}-byte part in v{v}"))),
    }
    Ok(())
}

/// Stores the low `size` bytes of general register `r` at [x`at`], touching no other byte
/// (clobbers x11 for sizes that are not 1, 2, 4 or 8).
pub(crate) fn store_gpr_exact(ops: &mut Ops, r: u8, at: u8, size: u32) -> Result<(), JitError> {
    match size {
        1 => dynasm!(ops ; .arch aarch64 ; strb W(r), [X(at)]),
        2 => dynasm!(ops ; .arch aarch64 ; strh W(r), [X(at)]),
        4 => dynasm!(ops ; .arch aarch64 ; str W(r), [X(at)]),
        8 => dynasm!(ops ; .arch aarch64 ; str X(r), [X(at)]),
        3 | 5 | 6 | 7 => {
            dynasm!(ops ; .arch aarch64 ; mov X(TMP), X(r));
            let mut done = 0u32;
            for piece in [4u32, 2, 1] {
                if size - done >= piece {
                    match piece {
                        4 => dynasm!(ops ; .arch aarch64 ; str W(TMP), [X(at), #done] ; lsr X(TMP), X(TMP), #32),
                        2 => dynasm!(ops ; .arch aarch64 ; strh W(TMP), [X(at), #done] ; lsr X(TMP), X(TMP), #16),
                        _ => dynasm!(ops ; .arch aarch64 ; strb W(TMP), [X(at), #done] ; lsr X(TMP), X(TMP), #8),
                    }
                    done += piece;
                }
            }
        }
        _ => return Err(unsupported(format!("a {size}-byte part in a general register"))),
    }
    Ok(())
}

/// Copies exactly `size` bytes from [x`from`] to [x`to`] (scratch: x11, v16).
pub(crate) fn copy_exact(ops: &mut Ops, from: u8, to: u8, size: u32) {
    let mut done = 0u32;
    while done < size {
        let left = size - done;
        let d = done;
        done += match left {
            16.. => {
                dynasm!(ops ; .arch aarch64 ; ldr Q(VTMP), [X(from), #d] ; str Q(VTMP), [X(to), #d]);
                16
            }
            8.. => {
                dynasm!(ops ; .arch aarch64 ; ldr X(TMP), [X(from), #d] ; str X(TMP), [X(to), #d]);
                8
            }
            4.. => {
                dynasm!(ops ; .arch aarch64 ; ldr W(TMP), [X(from), #d] ; str W(TMP), [X(to), #d]);
                4
            }
            2.. => {
                dynasm!(ops ; .arch aarch64 ; ldrh W(TMP), [X(from), #d] ; strh W(TMP), [X(to), #d]);
                2
            }
            _ => {
                dynasm!(ops ; .arch aarch64 ; ldrb W(TMP), [X(from), #d] ; strb W(TMP), [X(to), #d]);
                1
            }
        };
        // Immediate offsets are scaled by the access size; past 4095 bytes, move the bases.
        if done >= 2048 && done < size {
            dynasm!(ops ; .arch aarch64 ; add XSP(from), XSP(from), #done ; add XSP(to), XSP(to), #done);
            return copy_exact(ops, from, to, size - done);
        }
    }
}

/// The machine code of a call stub for `shape` (an AArch64 plan's shape).
pub(crate) fn emit_call_stub(shape: &StubShape) -> Result<Vec<u8>, JitError> {
    let mut ops = Ops::new(0);
    dynasm!(ops
        ; .arch aarch64
        ; stp x29, x30, [sp, #-32]!
        ; mov x29, sp
        ; stp X(FNPTR), X(ARGS), [sp, #16]
        ; str X(RET), [sp, #24]
        ; mov X(FNPTR), x0
        ; mov X(ARGS), x1
        ; mov X(RET), x2
    );
    reserve(&mut ops, align_up(shape.frame, 16));
    if shape.align > 16 {
        return Err(unsupported(format!("a {}-byte aligned stack", shape.align)));
    }
    for m in &shape.moves {
        emit_move(&mut ops, m)?;
    }
    dynasm!(ops ; .arch aarch64 ; blr X(FNPTR));
    for s in &shape.stores {
        emit_store(&mut ops, s)?;
    }
    dynasm!(ops
        ; .arch aarch64
        ; mov sp, x29
        ; ldp X(FNPTR), X(ARGS), [sp, #16]
        ; ldr X(RET), [sp, #24]
        ; ldp x29, x30, [sp], #32
        ; ret
    );
    ops.finalize().map_err(|e| JitError::Assembler(format!("{e:?}")))
}

/// One move before the call.
fn emit_move(ops: &mut Ops, m: &Move) -> Result<(), JitError> {
    match *m {
        Move::Load { src, size, ext, to } => {
            address(ops, ADDR, ARGS, src);
            match to {
                Loc::Gpr(r) => load_gpr(ops, r.0, ADDR, size, ext),
                Loc::Vec(v) => load_vec(ops, v, ADDR, size, ext)?,
                Loc::Stack(offset) => {
                    address(ops, ADDR2, SP, offset);
                    match ext {
                        Ext::FloatToDouble => dynasm!(ops
                            ; .arch aarch64
                            ; ldr S(VTMP), [X(ADDR)]
                            ; fcvt D(VTMP), S(VTMP)
                            ; str D(VTMP), [X(ADDR2)]
                        ),
                        // A promoted small integer fills its whole 8-byte slot.
                        Ext::Sign | Ext::Zero => {
                            load_gpr(ops, TMP, ADDR, size, ext);
                            dynasm!(ops ; .arch aarch64 ; str X(TMP), [X(ADDR2)]);
                        }
                        Ext::None => copy_exact(ops, ADDR, ADDR2, size),
                    }
                }
                Loc::X87(_) => return Err(unsupported("an x87 register on AArch64".into())),
            }
        }
        Move::Address { src, to } => match to {
            Loc::Gpr(r) => address(ops, r.0, ARGS, src),
            Loc::Stack(offset) => {
                address(ops, ADDR, ARGS, src);
                address(ops, ADDR2, SP, offset);
                dynasm!(ops ; .arch aarch64 ; str X(ADDR), [X(ADDR2)]);
            }
            other => return Err(unsupported(format!("a pointer in {other:?}"))),
        },
        Move::ResultPointer { to } => match to {
            Loc::Gpr(r) => dynasm!(ops ; .arch aarch64 ; mov X(r.0), X(RET)),
            Loc::Stack(offset) => {
                address(ops, ADDR2, SP, offset);
                dynasm!(ops ; .arch aarch64 ; str X(RET), [X(ADDR2)]);
            }
            other => return Err(unsupported(format!("a result pointer in {other:?}"))),
        },
        Move::InOut { .. } => return Err(unsupported("an in-out register argument on AArch64".into())),
    }
    Ok(())
}

/// One store of a result part into the result buffer (x21).
fn emit_store(ops: &mut Ops, s: &Store) -> Result<(), JitError> {
    address(ops, ADDR, RET, s.dst);
    match s.from {
        Loc::Gpr(r) => match s.size {
            1 | 2 | 4 => store_gpr_exact(ops, r.0, ADDR, s.size)?,
            // The buffer is sized in double-words: a short tail is stored whole.
            _ => dynasm!(ops ; .arch aarch64 ; str X(r.0), [X(ADDR)]),
        },
        Loc::Vec(v) => store_vec(ops, v, ADDR, s.size)?,
        other => return Err(unsupported(format!("a {}-byte result in {other:?}", s.size))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::plan_call;
    use crate::{CTypeTable, Target};

    fn words(code: &[u8]) -> Vec<u32> {
        code.chunks(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect()
    }

    #[test]
    fn stub_frame_and_call() {
        let mut t = CTypeTable::new(Target::AARCH64_LINUX);
        let f = t.parse_type("double (*)(double, long)", &[]).unwrap();
        let plan = plan_call(&t, f, &[], None, Target::AARCH64_LINUX).unwrap();
        let code = crate::jit::call_stub_code(&plan).unwrap();
        let w = words(&code);
        assert_eq!(w[0], 0xa9be7bfd, "stp x29, x30, [sp, #-32]!");
        assert_eq!(w[1], 0x910003fd, "mov x29, sp");
        assert!(w.contains(&0xd63f0260), "blr x19");
        assert_eq!(*w.last().unwrap(), 0xd65f03c0, "ret");
    }

    #[test]
    fn loads_extend_as_planned() {
        let bytes = |f: &dyn Fn(&mut Ops)| {
            let mut ops = Ops::new(0);
            f(&mut ops);
            words(&ops.finalize().unwrap())
        };
        assert_eq!(bytes(&|o| load_gpr(o, 0, ADDR, 1, Ext::Sign)), [0x39800120], "ldrsb x0, [x9]");
        assert_eq!(bytes(&|o| load_gpr(o, 3, ADDR, 4, Ext::None)), [0xb9400123], "ldr w3, [x9]");
        assert_eq!(bytes(&|o| load_gpr(o, 7, ADDR, 3, Ext::None)), [0xf9400127], "ldr x7, [x9]");
        assert_eq!(bytes(&|o| load_vec(o, 2, ADDR, 16, Ext::None).unwrap()), [0x3dc00122], "ldr q2, [x9]");
        assert_eq!(bytes(&|o| address(o, ADDR, ARGS, 24)), [0x91006289], "add x9, x20, #24");
    }
}
