//! The x86-64 emitter of callback trampoline bodies: the mirror image of a call stub. A body
//! is entered, under the plan's convention, from a slot thunk (see [`super::trampoline`]) with
//! r11 pointing to the slot's record `{ body, ctx, dispatcher }`:
//!
//! ```text
//! push rbp; mov rbp, rsp; push rbx (and rsi, rdi for Win64, whose callees preserve them)
//! sub rsp, <locals>; and rsp, -<alignment>; rbx = rsp         (rbx survives the dispatcher)
//! Win64: save xmm6..xmm15 (the dispatcher is System V and may change them)
//! phase 1: register arguments -> argument block (exact widths), by-reference pointers and the
//!          hidden result pointer -> locals, Swift's error register -> its local slot
//! phase 2: stack arguments -> block, by-reference copies -> block (scratch: rax, r10, xmm15)
//! dispatcher(ctx, block, ret)    ret: the zeroed local result buffer, or the hidden pointer
//! result buffer -> rax/rdx/xmm0/xmm1/st(0..1); hidden pointer -> its echo register;
//! Swift error register <- its slot; restore; ret (popping the callee's bytes if any)
//! ```
//!
//! The stack argument at `Loc::Stack(n)` is at `rbp + 16 + n`: the thunk jumps, so the return
//! address is the caller's, right above the saved rbp.

#![allow(clippy::useless_conversion)]

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, VecAssembler};

use super::argblock::{align_up, ArgBlock};
use crate::abi::{Abi, CallPlan, Ext, Loc, Pass, RetPlan};
use crate::error::JitError;

type Ops = VecAssembler<X64Relocation>;

const RBX: u8 = 3;
const RSI: u8 = 6;
const RDI: u8 = 7;
/// Scratch registers: never argument registers of SysV, Win64 or Swift (rax is, for Swift's
/// indirect result, so it is only used once every register argument is spilled).
const R10: u8 = 10;
const RAX: u8 = 0;

fn disp(value: u32) -> Result<i32, JitError> {
    i32::try_from(value).map_err(|_| JitError::Assembler(format!("offset {value} out of range")))
}

/// Where the body keeps things in its frame, as offsets from rbx.
struct Frame {
    /// The argument block at offset 0.
    ret_buf: u32,
    slot_record: u32,
    hidden_ptr: u32,
    error_slot: u32,
    /// One 8-byte local per argument: the pointer of a by-reference argument.
    ref_ptrs: u32,
    xmm_save: u32,
    size: u32,
    align: u32,
}

impl Frame {
    fn of(plan: &CallPlan, block: &ArgBlock) -> Frame {
        let ret_buf = align_up(block.size, block.ret_align.max(16));
        let slot_record = ret_buf + block.ret_size;
        let hidden_ptr = slot_record + 8;
        let error_slot = hidden_ptr + 8;
        let ref_ptrs = error_slot + 8;
        let xmm_save = align_up(ref_ptrs + 8 * plan.args.len() as u32, 16);
        let size = align_up(xmm_save + if plan.abi == Abi::Win64 { 160 } else { 0 }, 16);
        Frame {
            ret_buf,
            slot_record,
            hidden_ptr,
            error_slot,
            ref_ptrs,
            xmm_save,
            size,
            align: block.align.max(block.ret_align).max(16),
        }
    }
}

/// Stores the low `size` bytes of general register `r` at `[rbx + at]` with exact widths
/// (clobbers r10 for sizes that are not 1, 2, 4 or 8).
fn store_gpr(ops: &mut Ops, r: u8, at: u32, size: u32) -> Result<(), JitError> {
    let d = disp(at)?;
    match size {
        1 => dynasm!(ops ; .arch x64 ; mov BYTE [rbx + d], Rb(r)),
        2 => dynasm!(ops ; .arch x64 ; mov WORD [rbx + d], Rw(r)),
        4 => dynasm!(ops ; .arch x64 ; mov DWORD [rbx + d], Rd(r)),
        8 => dynasm!(ops ; .arch x64 ; mov QWORD [rbx + d], Rq(r)),
        3 | 5 | 6 | 7 => {
            dynasm!(ops ; .arch x64 ; mov Rq(R10), Rq(r));
            let mut done = 0;
            for piece in [4u32, 2, 1] {
                if (size - done) >= piece {
                    let d = disp(at + done)?;
                    match piece {
                        4 => dynasm!(ops ; .arch x64 ; mov DWORD [rbx + d], Rd(R10) ; shr Rq(R10), 32),
                        2 => dynasm!(ops ; .arch x64 ; mov WORD [rbx + d], Rw(R10) ; shr Rq(R10), 16),
                        _ => dynasm!(ops ; .arch x64 ; mov BYTE [rbx + d], Rb(R10) ; shr Rq(R10), 8),
                    }
                    done += piece;
                }
            }
        }
        _ => return Err(JitError::Assembler(format!("a {size}-byte part in a general register"))),
    }
    Ok(())
}

/// Copies `size` bytes from `[src_base + src]` to `[rbx + dst]` (r10 holds nothing useful;
/// rax and xmm15 are scratch). Reads no byte past `size`.
fn copy_in(ops: &mut Ops, src_base: u8, src: i32, dst: u32, size: u32) -> Result<(), JitError> {
    let mut done = 0u32;
    while done < size {
        let left = size - done;
        let s = src + done as i32;
        let d = disp(dst + done)?;
        let piece = match left {
            16.. => {
                dynasm!(ops ; .arch x64 ; movups xmm15, [Rq(src_base) + s] ; movups [rbx + d], xmm15);
                16
            }
            8.. => {
                dynasm!(ops ; .arch x64 ; mov Rq(RAX), QWORD [Rq(src_base) + s] ; mov QWORD [rbx + d], Rq(RAX));
                8
            }
            4.. => {
                dynasm!(ops ; .arch x64 ; mov Rd(RAX), DWORD [Rq(src_base) + s] ; mov DWORD [rbx + d], Rd(RAX));
                4
            }
            2.. => {
                dynasm!(ops ; .arch x64 ; mov Rw(RAX), WORD [Rq(src_base) + s] ; mov WORD [rbx + d], Rw(RAX));
                2
            }
            _ => {
                dynasm!(ops ; .arch x64 ; mov Rb(RAX), BYTE [Rq(src_base) + s] ; mov BYTE [rbx + d], Rb(RAX));
                1
            }
        };
        done += piece;
    }
    Ok(())
}

/// The machine code of the trampoline body for `plan` (not variadic) and its block.
pub(crate) fn emit_trampoline_body(plan: &CallPlan, block: &ArgBlock) -> Result<Vec<u8>, JitError> {
    let frame = Frame::of(plan, block);
    let win64 = plan.abi == Abi::Win64;
    let saved: Vec<u8> = if win64 { vec![RBX, RSI, RDI] } else { vec![RBX] };
    let mut ops = Ops::new(0);
    dynasm!(ops ; .arch x64 ; push rbp ; mov rbp, rsp);
    for &r in &saved {
        dynasm!(ops ; .arch x64 ; push Rq(r));
    }
    dynasm!(ops
        ; .arch x64
        ; sub rsp, disp(frame.size)?
        ; and rsp, -disp(frame.align)?
        ; mov rbx, rsp
        ; mov QWORD [rbx + disp(frame.slot_record)?], r11
    );
    if win64 {
        for (i, x) in (6u8..16).enumerate() {
            let d = disp(frame.xmm_save + 16 * i as u32)?;
            dynasm!(ops ; .arch x64 ; movups [rbx + d], Rx(x));
        }
    }
    let stack_arg = |n: u32| -> Result<i32, JitError> { disp(16 + n) };

    // Phase 1: registers.
    if let RetPlan::Indirect { ptr: Loc::Gpr(r), .. } = plan.ret {
        dynasm!(ops ; .arch x64 ; mov QWORD [rbx + disp(frame.hidden_ptr)?], Rq(r.0));
    }
    for (k, (arg, &offset)) in plan.args.iter().zip(&block.offsets).enumerate() {
        match &arg.pass {
            Pass::Direct(parts) => {
                let mut parts = parts.clone();
                parts.sort_by_key(|p| p.offset);
                for p in parts {
                    let at = offset + p.offset;
                    match p.loc {
                        Loc::Gpr(r) => store_gpr(&mut ops, r.0, at, p.size)?,
                        Loc::Vec(x) => match p.size {
                            1..=4 => dynasm!(ops ; .arch x64 ; movss DWORD [rbx + disp(at)?], Rx(x)),
                            5..=8 => dynasm!(ops ; .arch x64 ; movsd QWORD [rbx + disp(at)?], Rx(x)),
                            n => return Err(JitError::Assembler(format!("a {n}-byte part in xmm{x}"))),
                        },
                        Loc::Stack(_) => {}
                        Loc::X87(_) => return Err(JitError::Assembler("an x87 register argument".into())),
                    }
                }
            }
            Pass::ByReference { ptr: Loc::Gpr(r) } => {
                dynasm!(ops ; .arch x64 ; mov QWORD [rbx + disp(frame.ref_ptrs + 8 * k as u32)?], Rq(r.0));
            }
            Pass::ByReference { .. } => {}
            Pass::InOutRegister { reg } => dynasm!(ops
                ; .arch x64
                ; mov QWORD [rbx + disp(frame.error_slot)?], Rq(reg.0)
                ; lea Rq(R10), [rbx + disp(frame.error_slot)?]
                ; mov QWORD [rbx + disp(offset)?], Rq(R10)
            ),
            Pass::Ignored => {}
        }
    }
    // Phase 2: memory (every register argument is saved, so rax is free).
    if let RetPlan::Indirect { ptr: Loc::Stack(n), .. } = plan.ret {
        dynasm!(ops
            ; .arch x64
            ; mov Rq(RAX), QWORD [rbp + stack_arg(n)?]
            ; mov QWORD [rbx + disp(frame.hidden_ptr)?], Rq(RAX)
        );
    }
    for (k, (arg, &offset)) in plan.args.iter().zip(&block.offsets).enumerate() {
        match &arg.pass {
            Pass::Direct(parts) => {
                for p in parts {
                    if let Loc::Stack(n) = p.loc {
                        // A stack slot holds the value (extended or not) in 8-byte units.
                        copy_in(&mut ops, 5, stack_arg(n)?, offset + p.offset, p.size)?;
                    }
                }
            }
            Pass::ByReference { ptr } => {
                let local = disp(frame.ref_ptrs + 8 * k as u32)?;
                match ptr {
                    Loc::Gpr(_) => dynasm!(ops ; .arch x64 ; mov Rq(R10), QWORD [rbx + local]),
                    Loc::Stack(n) => dynasm!(ops ; .arch x64 ; mov Rq(R10), QWORD [rbp + stack_arg(*n)?]),
                    other => return Err(JitError::Assembler(format!("a pointer in {other:?}"))),
                }
                copy_in(&mut ops, R10, 0, offset, arg.size)?;
            }
            _ => {}
        }
    }

    // The call of the dispatcher.
    let indirect = matches!(plan.ret, RetPlan::Indirect { .. });
    if !indirect {
        dynasm!(ops ; .arch x64 ; xorps xmm15, xmm15);
        for at in (0..block.ret_size).step_by(16) {
            dynasm!(ops ; .arch x64 ; movups [rbx + disp(frame.ret_buf + at)?], xmm15);
        }
    }
    dynasm!(ops
        ; .arch x64
        ; mov r11, QWORD [rbx + disp(frame.slot_record)?]
        ; mov rdi, QWORD [r11 + 8]
        ; mov rsi, rbx
    );
    if indirect {
        dynasm!(ops ; .arch x64 ; mov rdx, QWORD [rbx + disp(frame.hidden_ptr)?]);
    } else {
        dynasm!(ops ; .arch x64 ; lea rdx, [rbx + disp(frame.ret_buf)?]);
    }
    dynasm!(ops ; .arch x64 ; call QWORD [r11 + 16]);

    // The result.
    match &plan.ret {
        RetPlan::Void => {}
        RetPlan::Indirect { echoed_in, .. } => {
            if let Some(r) = echoed_in {
                dynasm!(ops ; .arch x64 ; mov Rq(r.0), QWORD [rbx + disp(frame.hidden_ptr)?]);
            }
        }
        RetPlan::Direct(parts) => {
            let mut parts = parts.clone();
            // st(0) must end up holding the x87 part numbered 0: push the others first.
            parts.sort_by_key(|p| match p.loc {
                Loc::X87(n) => (0, u8::MAX - n),
                _ => (1, 0),
            });
            for p in parts {
                let d = disp(frame.ret_buf + p.offset)?;
                match p.loc {
                    Loc::Gpr(r) => {
                        let r = r.0;
                        match (p.size, p.ext) {
                            (1, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rd(r), BYTE [rbx + d]),
                            (1, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), BYTE [rbx + d]),
                            (2, Ext::Sign) => dynasm!(ops ; .arch x64 ; movsx Rd(r), WORD [rbx + d]),
                            (2, _) => dynasm!(ops ; .arch x64 ; movzx Rd(r), WORD [rbx + d]),
                            (3 | 4, _) => dynasm!(ops ; .arch x64 ; mov Rd(r), DWORD [rbx + d]),
                            // The buffer is zeroed and sized in eightbytes: whole loads are safe.
                            _ => dynasm!(ops ; .arch x64 ; mov Rq(r), QWORD [rbx + d]),
                        }
                    }
                    Loc::Vec(x) => match p.size {
                        1..=4 => dynasm!(ops ; .arch x64 ; movss Rx(x), DWORD [rbx + d]),
                        _ => dynasm!(ops ; .arch x64 ; movsd Rx(x), QWORD [rbx + d]),
                    },
                    Loc::X87(_) => dynasm!(ops ; .arch x64 ; fld TWORD [rbx + d]),
                    Loc::Stack(_) => return Err(JitError::Assembler("a result on the stack".into())),
                }
            }
        }
    }
    for arg in &plan.args {
        if let Pass::InOutRegister { reg } = arg.pass {
            dynasm!(ops ; .arch x64 ; mov Rq(reg.0), QWORD [rbx + disp(frame.error_slot)?]);
        }
    }
    if win64 {
        for (i, x) in (6u8..16).enumerate() {
            let d = disp(frame.xmm_save + 16 * i as u32)?;
            dynasm!(ops ; .arch x64 ; movups Rx(x), [rbx + d]);
        }
    }
    let pushed = 8 * saved.len() as u32;
    dynasm!(ops ; .arch x64 ; lea rsp, [rbp - disp(pushed)?]);
    for &r in saved.iter().rev() {
        dynasm!(ops ; .arch x64 ; pop Rq(r));
    }
    dynasm!(ops ; .arch x64 ; pop rbp);
    match plan.stack.callee_pops {
        0 => dynasm!(ops ; .arch x64 ; ret),
        n => {
            let n = u16::try_from(n).map_err(|_| JitError::Assembler(format!("{n} bytes to pop")))?;
            dynasm!(ops ; .arch x64 ; ret n as i16)
        }
    }
    ops.finalize().map_err(|e| JitError::Assembler(e.to_string()))
}
