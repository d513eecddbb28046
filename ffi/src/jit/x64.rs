//! The x86-64 emitter: a [`StubShape`] to the machine code of a call stub, with dynasmrt. It
//! contains no ABI rules (those made the shape); it only knows how to move bytes.
//!
//! A stub is entered with the System V convention (the host's C convention on Linux and
//! macOS) as `stub(fnptr, args, ret, errno_out)`:
//!
//! ```text
//! push rbp; mov rbp, rsp; push rbx, r14, r15 (and r12, r13 for Swift)
//! sub rsp, <outgoing area, keeping the plan's alignment>
//! r11 = fnptr, rbx = args, r14 = ret, r15 = errno_out      (rbx, r14, r15 survive the call)
//! stack slots <- args (scratch: rax, xmm15); xmm <- args; gprs <- args; rax last; al = n
//! call r11
//! ret <- rax/rdx/xmm0/xmm1/st(0)...; swift error slot <- r12
//! if errno_out: *errno_out = errno (one %fs-relative load where libc keeps errno in static
//!                TLS, else a call of its errno-location function)
//! restore and return
//! ```
//!
//! The code is position-independent: the only absolute address, the C library's errno
//! function where it is needed, is an immediate operand.

// dynasm! converts run-time register operands with `.into()`, even when they already are u8.
#![allow(clippy::useless_conversion)]

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, VecAssembler};

use super::argblock::align_up;
use super::memory::ErrnoSource;
use super::shape::{Move, Store, StubShape};
use crate::abi::{Ext, Loc};
use crate::error::JitError;

type Ops = VecAssembler<X64Relocation>;

/// rax, the scratch register (never an argument register under System V or Win64; Swift's
/// uses of it are loaded last).
const SCRATCH: u8 = 0;
const RBX: u8 = 3;
const R12: u8 = 12;
const R13: u8 = 13;
const R14: u8 = 14;
const R15: u8 = 15;

/// The machine code of a call stub for `shape`. `errno`: how to read the C library's errno
/// after the call, or `None` to never capture it.
pub(crate) fn emit_call_stub(shape: &StubShape, errno: Option<ErrnoSource>) -> Result<Vec<u8>, JitError> {
    let mut ops = Ops::new(0);
    let mut saved = vec![RBX, R14, R15];
    if shape.saves_r12_r13 {
        saved.extend([R12, R13]);
    }
    dynasm!(ops
        ; .arch x64
        ; push rbp
        ; mov rbp, rsp
    );
    for &r in &saved {
        dynasm!(ops ; .arch x64 ; push Rq(r));
    }
    // After `push rbp` the stack pointer is 16-byte aligned (the call pushed 8 bytes).
    let pushed = 8 * saved.len() as u32;
    let frame = align_up(shape.frame + pushed, 16) - pushed;
    if frame > 0 {
        dynasm!(ops ; .arch x64 ; sub rsp, disp(frame)?);
    }
    if shape.align > 16 {
        dynasm!(ops ; .arch x64 ; and rsp, -disp(shape.align)?);
    }
    dynasm!(ops
        ; .arch x64
        ; mov r11, rdi
        ; mov rbx, rsi
        ; mov r14, rdx
        ; mov r15, rcx
    );
    for m in &shape.moves {
        emit_move(&mut ops, m)?;
    }
    if let Some(n) = shape.al {
        dynasm!(ops ; .arch x64 ; mov al, n as i8);
    }
    dynasm!(ops ; .arch x64 ; call r11);
    for s in &shape.stores {
        emit_store(&mut ops, s)?;
    }
    for m in &shape.moves {
        if let Move::InOut { src, reg } = *m {
            dynasm!(ops
                ; .arch x64
                ; mov Rq(SCRATCH), QWORD [rbx + disp(src)?]
                ; test Rq(SCRATCH), Rq(SCRATCH)
                ; jz >no_slot
                ; mov QWORD [Rq(SCRATCH)], Rq(reg.0)
                ; no_slot:
            );
        }
    }
    match errno {
        Some(ErrnoSource::ThreadPointerOffset(offset)) => dynasm!(ops
            ; .arch x64
            ; test r15, r15
            ; jz >no_errno
            ; fs mov eax, DWORD [offset]
            ; mov DWORD [r15], eax
            ; no_errno:
        ),
        Some(ErrnoSource::LocationFunction(function)) => dynasm!(ops
            ; .arch x64
            ; test r15, r15
            ; jz >no_errno
            ; mov rax, QWORD function as i64
            ; call rax
            ; mov eax, DWORD [rax]
            ; mov DWORD [r15], eax
            ; no_errno:
        ),
        None => {}
    }
    dynasm!(ops ; .arch x64 ; lea rsp, [rbp - disp(pushed)?]);
    for &r in saved.iter().rev() {
        dynasm!(ops ; .arch x64 ; pop Rq(r));
    }
    dynasm!(ops
        ; .arch x64
        ; pop rbp
        ; ret
    );
    ops.finalize().map_err(|e| JitError::Assembler(e.to_string()))
}

/// A displacement or immediate that must fit an `i32`.
fn disp(value: u32) -> Result<i32, JitError> {
    i32::try_from(value).map_err(|_| JitError::Assembler(format!("offset {value} out of range")))
}

fn unsupported(what: String) -> JitError {
    JitError::Assembler(what)
}

/// One move before the call.
pub(crate) fn emit_move(ops: &mut Ops, m: &Move) -> Result<(), JitError> {
    match *m {
        Move::Load { src, size, ext, to } => {
            let src = disp(src)?;
            match to {
                Loc::Gpr(r) => load_gpr(ops, r.0, src, size, ext),
                Loc::Vec(x) => match (ext, size) {
                    (Ext::FloatToDouble, _) => dynasm!(ops ; .arch x64 ; cvtss2sd Rx(x), DWORD [rbx + src]),
                    (_, 1..=4) => dynasm!(ops ; .arch x64 ; movss Rx(x), DWORD [rbx + src]),
                    (_, 5..=8) => dynasm!(ops ; .arch x64 ; movsd Rx(x), QWORD [rbx + src]),
                    _ => return Err(unsupported(format!("a {size}-byte part in xmm{x}"))),
                },
                Loc::Stack(offset) => {
                    let dst = disp(offset)?;
                    match ext {
                        Ext::FloatToDouble => dynasm!(ops
                            ; .arch x64
                            ; cvtss2sd xmm15, DWORD [rbx + src]
                            ; movsd QWORD [rsp + dst], xmm15
                        ),
                        Ext::Sign | Ext::Zero => {
                            load_gpr(ops, SCRATCH, src, size, ext);
                            dynasm!(ops ; .arch x64 ; mov QWORD [rsp + dst], Rq(SCRATCH));
                        }
                        Ext::None => copy_to_stack(ops, src, dst, align_up(size, 8)),
                    }
                }
                Loc::X87(_) => return Err(unsupported("an x87 register argument".into())),
            }
        }
        Move::Address { src, to } => {
            let src = disp(src)?;
            match to {
                Loc::Gpr(r) => dynasm!(ops ; .arch x64 ; lea Rq(r.0), [rbx + src]),
                Loc::Stack(offset) => dynasm!(ops
                    ; .arch x64
                    ; lea Rq(SCRATCH), [rbx + src]
                    ; mov QWORD [rsp + disp(offset)?], Rq(SCRATCH)
                ),
                other => return Err(unsupported(format!("a pointer in {other:?}"))),
            }
        }
        Move::ResultPointer { to } => match to {
            Loc::Gpr(r) => dynasm!(ops ; .arch x64 ; mov Rq(r.0), r14),
            Loc::Stack(offset) => dynasm!(ops ; .arch x64 ; mov QWORD [rsp + disp(offset)?], r14),
            other => return Err(unsupported(format!("a result pointer in {other:?}"))),
        },
        Move::InOut { src, reg } => dynasm!(ops
            ; .arch x64
            ; mov Rq(SCRATCH), QWORD [rbx + disp(src)?]
            ; xor Rd(reg.0), Rd(reg.0)
            ; test Rq(SCRATCH), Rq(SCRATCH)
            ; jz >no_slot
            ; mov Rq(reg.0), QWORD [Rq(SCRATCH)]
            ; no_slot:
        ),
    }
    Ok(())
}

/// Loads `size` bytes at `rbx + src` into general register `r`, extended as `ext` says (and
/// zero-extended when it says nothing). Sizes other than 1, 2 and 4 load a whole eightbyte:
/// argument slots are padded to eightbytes.
fn load_gpr(ops: &mut Ops, r: u8, src: i32, size: u32, ext: Ext) {
    match (size, ext) {
        (_, Ext::FloatToDouble) => dynasm!(ops
            ; .arch x64
            ; cvtss2sd xmm15, DWORD [rbx + src]
            ; movq Rq(r), xmm15
        ),
        (1, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rq(r), BYTE [rbx + src]),
        (1, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), BYTE [rbx + src]),
        (2, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rq(r), WORD [rbx + src]),
        (2, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), WORD [rbx + src]),
        (4, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsxd Rq(r), DWORD [rbx + src]),
        (4, _) => dynasm!(ops ; .arch x64 ; mov Rd(r), DWORD [rbx + src]),
        _ => dynasm!(ops ; .arch x64 ; mov Rq(r), QWORD [rbx + src]),
    }
}

/// Copies `bytes` (a multiple of 8) from `rbx + src` to `rsp + dst`.
fn copy_to_stack(ops: &mut Ops, src: i32, dst: i32, bytes: u32) {
    let mut done = 0i32;
    let bytes = bytes as i32;
    while bytes - done >= 16 {
        dynasm!(ops
            ; .arch x64
            ; movups xmm15, [rbx + src + done]
            ; movups [rsp + dst + done], xmm15
        );
        done += 16;
    }
    if bytes - done >= 8 {
        dynasm!(ops
            ; .arch x64
            ; mov Rq(SCRATCH), QWORD [rbx + src + done]
            ; mov QWORD [rsp + dst + done], Rq(SCRATCH)
        );
    }
}

/// One store of a result part into the result buffer (r14).
pub(crate) fn emit_store(ops: &mut Ops, s: &Store) -> Result<(), JitError> {
    let dst = disp(s.dst)?;
    match s.from {
        Loc::Gpr(r) => match s.size {
            1 => dynasm!(ops ; .arch x64 ; mov BYTE [r14 + dst], Rb(r.0)),
            2 => dynasm!(ops ; .arch x64 ; mov WORD [r14 + dst], Rw(r.0)),
            4 => dynasm!(ops ; .arch x64 ; mov DWORD [r14 + dst], Rd(r.0)),
            _ => dynasm!(ops ; .arch x64 ; mov QWORD [r14 + dst], Rq(r.0)),
        },
        Loc::Vec(x) if s.size <= 4 => dynasm!(ops ; .arch x64 ; movss DWORD [r14 + dst], Rx(x)),
        Loc::Vec(x) if s.size <= 8 => dynasm!(ops ; .arch x64 ; movsd QWORD [r14 + dst], Rx(x)),
        Loc::X87(_) => dynasm!(ops ; .arch x64 ; fstp TWORD [r14 + dst]),
        other => return Err(unsupported(format!("a {}-byte result in {other:?}", s.size))),
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::zero_prefixed_literal)] // dynasm! spells Rx(0)'s operand that way
mod tests {
    //! Each move is compared with the instructions it must be, written with `dynasm!`. The
    //! emitter's operands are run-time values (dynasm then always uses 32-bit displacements
    //! and a REX prefix), so the expected code names them the same way: `d` is a displacement,
    //! `r(n)` a register number.
    use super::*;
    use crate::abi::regs::x64::{R12, RAX, RCX, RDI, RSI};

    fn bytes(f: impl FnOnce(&mut Ops)) -> Vec<u8> {
        let mut ops = Ops::new(0);
        f(&mut ops);
        ops.finalize().unwrap()
    }

    fn moved(m: Move) -> Vec<u8> {
        bytes(|ops| emit_move(ops, &m).unwrap())
    }

    #[test]
    fn integer_loads_extend_as_planned() {
        let load = |size, ext| moved(Move::Load { src: 24, size, ext, to: Loc::Gpr(RDI) });
        let (d, rdi) = (24i32, RDI.0);
        assert_eq!(load(1, Ext::Sign), bytes(|o| dynasm!(o ; .arch x64 ; movsx Rq(rdi), BYTE [rbx + d])));
        assert_eq!(load(2, Ext::Zero), bytes(|o| dynasm!(o ; .arch x64 ; movzx Rd(rdi), WORD [rbx + d])));
        assert_eq!(load(4, Ext::None), bytes(|o| dynasm!(o ; .arch x64 ; mov Rd(rdi), DWORD [rbx + d])));
        assert_eq!(load(4, Ext::Sign), bytes(|o| dynasm!(o ; .arch x64 ; movsxd Rq(rdi), DWORD [rbx + d])));
        // A 3-byte struct: one eightbyte load from its padded slot.
        assert_eq!(load(3, Ext::None), bytes(|o| dynasm!(o ; .arch x64 ; mov Rq(rdi), QWORD [rbx + d])));
        // sil: the REX prefix dynamic registers always get is what makes it sil, not dh.
        let sil = moved(Move::Load { src: 0, size: 1, ext: Ext::Zero, to: Loc::Gpr(RSI) });
        assert_eq!(sil, [0x40, 0x0f, 0xb6, 0xb3, 0, 0, 0, 0], "movzx esi, byte [rbx+0]");
    }

    #[test]
    fn float_loads_and_promotion() {
        let load = |size, ext, to| moved(Move::Load { src: 8, size, ext, to });
        let d = 8i32;
        assert_eq!(load(4, Ext::None, Loc::Vec(2)), bytes(|o| dynasm!(o ; .arch x64 ; movss Rx(2), DWORD [rbx + d])));
        assert_eq!(load(8, Ext::None, Loc::Vec(7)), bytes(|o| dynasm!(o ; .arch x64 ; movsd Rx(7), QWORD [rbx + d])));
        assert_eq!(
            load(4, Ext::FloatToDouble, Loc::Vec(1)),
            bytes(|o| dynasm!(o ; .arch x64 ; cvtss2sd Rx(1), DWORD [rbx + d]))
        );
        // Win64 varargs: the promoted double's bits in an integer register.
        let rcx = RCX.0;
        assert_eq!(
            load(4, Ext::FloatToDouble, Loc::Gpr(RCX)),
            bytes(|o| dynasm!(o ; .arch x64 ; cvtss2sd xmm15, DWORD [rbx + d] ; movq Rq(rcx), xmm15))
        );
    }

    #[test]
    fn stack_copies_go_through_scratch_registers() {
        let copy = moved(Move::Load { src: 16, size: 24, ext: Ext::None, to: Loc::Stack(32) });
        let (s, d, rax) = (16i32, 32i32, RAX.0);
        let expected = bytes(|o| {
            dynasm!(o
                ; .arch x64
                ; movups xmm15, [rbx + s]
                ; movups [rsp + d], xmm15
                ; mov Rq(rax), QWORD [rbx + s + 16]
                ; mov QWORD [rsp + d + 16], Rq(rax)
            )
        });
        assert_eq!(copy, expected);
        let short = moved(Move::Load { src: 0, size: 2, ext: Ext::Sign, to: Loc::Stack(8) });
        let (s, d) = (0i32, 8i32);
        assert_eq!(
            short,
            bytes(|o| dynasm!(o ; .arch x64 ; movsx Rq(rax), WORD [rbx + s] ; mov QWORD [rsp + d], Rq(rax)))
        );
    }

    #[test]
    fn references_and_result_pointers() {
        let (d, rcx, rax, r12) = (40i32, RCX.0, RAX.0, R12.0);
        assert_eq!(
            moved(Move::Address { src: 40, to: Loc::Gpr(RCX) }),
            bytes(|o| dynasm!(o ; .arch x64 ; lea Rq(rcx), [rbx + d]))
        );
        let s = 32i32;
        assert_eq!(
            moved(Move::Address { src: 40, to: Loc::Stack(32) }),
            bytes(|o| dynasm!(o ; .arch x64 ; lea Rq(rax), [rbx + d] ; mov QWORD [rsp + s], Rq(rax)))
        );
        assert_eq!(
            moved(Move::ResultPointer { to: Loc::Gpr(RAX) }),
            bytes(|o| dynasm!(o ; .arch x64 ; mov Rq(rax), r14))
        );
        let inout = moved(Move::InOut { src: 8, reg: R12 });
        let d = 8i32;
        let expected = bytes(|o| {
            dynasm!(o
                ; .arch x64
                ; mov Rq(rax), QWORD [rbx + d]
                ; xor Rd(r12), Rd(r12)
                ; test Rq(rax), Rq(rax)
                ; jz >skip
                ; mov Rq(r12), QWORD [Rq(rax)]
                ; skip:
            )
        });
        assert_eq!(inout, expected);
    }

    #[test]
    fn result_stores_are_exact_width() {
        let store = |size, from| bytes(|o| emit_store(o, &Store { dst: 8, size, from }).unwrap());
        let (d, rax) = (8i32, RAX.0);
        assert_eq!(store(1, Loc::Gpr(RAX)), bytes(|o| dynasm!(o ; .arch x64 ; mov BYTE [r14 + d], Rb(rax))));
        assert_eq!(store(4, Loc::Vec(1)), bytes(|o| dynasm!(o ; .arch x64 ; movss DWORD [r14 + d], Rx(1))));
        assert_eq!(store(8, Loc::Vec(0)), bytes(|o| dynasm!(o ; .arch x64 ; movsd QWORD [r14 + d], Rx(0))));
        assert_eq!(store(10, Loc::X87(0)), bytes(|o| dynasm!(o ; .arch x64 ; fstp TWORD [r14 + d])));
        // A 6-byte tail eightbyte is stored whole into the padded result buffer.
        assert_eq!(store(6, Loc::Gpr(RAX)), bytes(|o| dynasm!(o ; .arch x64 ; mov QWORD [r14 + d], Rq(rax))));
    }
}
