//! The 32-bit x86 emitter of call stubs: a [`StubShape`] of an i386 plan (cdecl, stdcall,
//! fastcall, thiscall) to machine code, with dynasmrt's `x86` mode. Like the x86-64 emitter it
//! knows no ABI rule, only how to move bytes.
//!
//! The stub is itself a cdecl function `stub(fnptr, args, ret, errno_out)` (the [`StubFn`]
//! contract, with 4-byte pointers):
//!
//! ```text
//! push ebp; mov ebp, esp; push ebx, esi, edi
//! ebx = args, esi = ret, edi = fnptr                        (all three survive the call)
//! sub esp, <outgoing area>; and esp, -<alignment>
//! stack slots <- args (scratch: eax; a promoted float through the x87 stack)
//! ecx, edx <- args (fastcall, thiscall); hidden result pointer <- esi
//! call edi                       (a callee that pops its arguments is fine: esp is rebuilt)
//! ret <- eax, edx (exact widths), st(0) (fstp of the value's format)
//! lea esp, [ebp - 12]; pop edi, esi, ebx, ebp; ret
//! ```
//!
//! `errno_out` is not used: these stubs run only in foreign-target harnesses (an i386 host
//! would read errno after the call the way the x86-64 stub does).
//!
//! [`StubFn`]: super::StubFn

#![allow(clippy::useless_conversion)]

use dynasmrt::x86::X86Relocation;
use dynasmrt::{dynasm, DynasmApi, VecAssembler};

use super::argblock::align_up;
use super::shape::{Move, Store, StubShape};
use crate::abi::{Ext, Loc};
use crate::error::JitError;

type Ops = VecAssembler<X86Relocation>;

/// eax: the scratch register (no i386 convention passes an argument in it).
const SCRATCH: u8 = 0;

fn disp(value: u32) -> Result<i32, JitError> {
    i32::try_from(value).map_err(|_| JitError::Assembler(format!("offset {value} out of range")))
}

fn unsupported(what: String) -> JitError {
    JitError::Assembler(what)
}

/// The machine code of an i386 call stub for `shape`.
pub(crate) fn emit_call_stub(shape: &StubShape) -> Result<Vec<u8>, JitError> {
    let mut ops = Ops::new(0);
    dynasm!(ops
        ; .arch x86
        ; push ebp
        ; mov ebp, esp
        ; push ebx
        ; push esi
        ; push edi
        ; mov ebx, DWORD [ebp + 12]
        ; mov esi, DWORD [ebp + 16]
        ; mov edi, DWORD [ebp + 8]
    );
    if shape.frame > 0 {
        dynasm!(ops ; .arch x86 ; sub esp, disp(align_up(shape.frame, 4))?);
    }
    let align = shape.align.max(16);
    dynasm!(ops ; .arch x86 ; and esp, -disp(align)?);
    for m in &shape.moves {
        emit_move(&mut ops, m)?;
    }
    dynasm!(ops ; .arch x86 ; call edi);
    for s in &shape.stores {
        emit_store(&mut ops, s)?;
    }
    dynasm!(ops
        ; .arch x86
        ; lea esp, [ebp - 12]
        ; pop edi
        ; pop esi
        ; pop ebx
        ; pop ebp
        ; ret
    );
    ops.finalize().map_err(|e| JitError::Assembler(e.to_string()))
}

/// Loads `size` bytes at `ebx + src` into general register `r`, extended as `ext` says.
fn load_gpr(ops: &mut Ops, r: u8, src: i32, size: u32, ext: Ext) -> Result<(), JitError> {
    match (size, ext) {
        (1, Ext::Sign) => dynasm!(ops ; .arch x86 ; movsx Rd(r), BYTE [ebx + src]),
        (1, _) => dynasm!(ops ; .arch x86 ; movzx Rd(r), BYTE [ebx + src]),
        (2, Ext::Sign) => dynasm!(ops ; .arch x86 ; movsx Rd(r), WORD [ebx + src]),
        (2, _) => dynasm!(ops ; .arch x86 ; movzx Rd(r), WORD [ebx + src]),
        // A 3-byte value: its slot is padded, the bytes above it are unspecified.
        (3 | 4, _) => dynasm!(ops ; .arch x86 ; mov Rd(r), DWORD [ebx + src]),
        _ => return Err(unsupported(format!("a {size}-byte part in a 32-bit register"))),
    }
    Ok(())
}

/// One move before the call.
pub(crate) fn emit_move(ops: &mut Ops, m: &Move) -> Result<(), JitError> {
    match *m {
        Move::Load { src, size, ext, to } => {
            let src = disp(src)?;
            match to {
                Loc::Gpr(r) => load_gpr(ops, r.0, src, size, ext)?,
                Loc::Stack(offset) => {
                    let dst = disp(offset)?;
                    match ext {
                        Ext::FloatToDouble => dynasm!(ops
                            ; .arch x86
                            ; fld DWORD [ebx + src]
                            ; fstp QWORD [esp + dst]
                        ),
                        Ext::Sign | Ext::Zero => {
                            load_gpr(ops, SCRATCH, src, size, ext)?;
                            dynasm!(ops ; .arch x86 ; mov DWORD [esp + dst], Rd(SCRATCH));
                        }
                        Ext::None => {
                            // Whole dwords: the argument block's slots are padded to 8 bytes and
                            // the stack slot to 4.
                            for at in (0..align_up(size, 4) as i32).step_by(4) {
                                dynasm!(ops
                                    ; .arch x86
                                    ; mov Rd(SCRATCH), DWORD [ebx + src + at]
                                    ; mov DWORD [esp + dst + at], Rd(SCRATCH)
                                );
                            }
                        }
                    }
                }
                other => return Err(unsupported(format!("an argument in {other:?}"))),
            }
        }
        Move::ResultPointer { to } => match to {
            Loc::Gpr(r) => dynasm!(ops ; .arch x86 ; mov Rd(r.0), esi),
            Loc::Stack(offset) => dynasm!(ops ; .arch x86 ; mov DWORD [esp + disp(offset)?], esi),
            other => return Err(unsupported(format!("a result pointer in {other:?}"))),
        },
        Move::Address { src, to } => {
            let src = disp(src)?;
            match to {
                Loc::Gpr(r) => dynasm!(ops ; .arch x86 ; lea Rd(r.0), [ebx + src]),
                Loc::Stack(offset) => dynasm!(ops
                    ; .arch x86
                    ; lea Rd(SCRATCH), [ebx + src]
                    ; mov DWORD [esp + disp(offset)?], Rd(SCRATCH)
                ),
                other => return Err(unsupported(format!("a pointer in {other:?}"))),
            }
        }
        Move::InOut { .. } => return Err(unsupported("an in-out register argument on i386".into())),
    }
    Ok(())
}

/// One store of a result part into the result buffer (esi).
pub(crate) fn emit_store(ops: &mut Ops, s: &Store) -> Result<(), JitError> {
    let dst = disp(s.dst)?;
    match (s.from, s.size) {
        (Loc::Gpr(r), 1) => dynasm!(ops ; .arch x86 ; mov BYTE [esi + dst], Rb(r.0)),
        (Loc::Gpr(r), 2) => dynasm!(ops ; .arch x86 ; mov WORD [esi + dst], Rw(r.0)),
        (Loc::Gpr(r), 4) => dynasm!(ops ; .arch x86 ; mov DWORD [esi + dst], Rd(r.0)),
        (Loc::X87(_), 4) => dynasm!(ops ; .arch x86 ; fstp DWORD [esi + dst]),
        (Loc::X87(_), 8) => dynasm!(ops ; .arch x86 ; fstp QWORD [esi + dst]),
        (Loc::X87(_), 10) => dynasm!(ops ; .arch x86 ; fstp TWORD [esi + dst]),
        (other, size) => return Err(unsupported(format!("a {size}-byte result in {other:?}"))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Each move is compared with the instructions it must be, written with `dynasm!` (the
    //! emitter's operands are run-time values, so the expected code names them the same way).
    //! Running the code is the job of `tests/x86_native.rs`.
    use super::*;
    use crate::abi::regs::x86::{EAX, ECX, EDX};

    fn bytes(f: impl FnOnce(&mut Ops)) -> Vec<u8> {
        let mut ops = Ops::new(0);
        f(&mut ops);
        ops.finalize().unwrap()
    }

    fn moved(m: Move) -> Vec<u8> {
        bytes(|ops| emit_move(ops, &m).unwrap())
    }

    #[test]
    fn register_and_stack_moves() {
        let (d, ecx, eax) = (16i32, ECX.0, EAX.0);
        assert_eq!(
            moved(Move::Load { src: 16, size: 1, ext: Ext::Sign, to: Loc::Gpr(ECX) }),
            bytes(|o| dynasm!(o ; .arch x86 ; movsx Rd(ecx), BYTE [ebx + d]))
        );
        let s = 8i32;
        assert_eq!(
            moved(Move::Load { src: 16, size: 6, ext: Ext::None, to: Loc::Stack(8) }),
            bytes(|o| dynasm!(o
                ; .arch x86
                ; mov Rd(eax), DWORD [ebx + d] ; mov DWORD [esp + s], Rd(eax)
                ; mov Rd(eax), DWORD [ebx + d + 4] ; mov DWORD [esp + s + 4], Rd(eax)
            ))
        );
        assert_eq!(
            moved(Move::Load { src: 16, size: 4, ext: Ext::FloatToDouble, to: Loc::Stack(8) }),
            bytes(|o| dynasm!(o ; .arch x86 ; fld DWORD [ebx + d] ; fstp QWORD [esp + s]))
        );
        let edx = EDX.0;
        assert_eq!(
            moved(Move::ResultPointer { to: Loc::Gpr(EDX) }),
            bytes(|o| dynasm!(o ; .arch x86 ; mov Rd(edx), esi))
        );
    }

    #[test]
    fn results_by_width_and_format() {
        let store = |size, from| bytes(|o| emit_store(o, &Store { dst: 4, size, from }).unwrap());
        let (d, edx) = (4i32, EDX.0);
        assert_eq!(store(4, Loc::Gpr(EDX)), bytes(|o| dynasm!(o ; .arch x86 ; mov DWORD [esi + d], Rd(edx))));
        assert_eq!(store(1, Loc::Gpr(EAX)), bytes(|o| dynasm!(o ; .arch x86 ; mov BYTE [esi + d], al)));
        assert_eq!(store(8, Loc::X87(0)), bytes(|o| dynasm!(o ; .arch x86 ; fstp QWORD [esi + d])));
        assert_eq!(store(10, Loc::X87(0)), bytes(|o| dynasm!(o ; .arch x86 ; fstp TWORD [esi + d])));
        let mut ops = Ops::new(0);
        assert!(emit_store(&mut ops, &Store { dst: 0, size: 8, from: Loc::Gpr(EAX) }).is_err());
    }
}
