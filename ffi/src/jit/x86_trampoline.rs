//! The i386 emitter of callback trampoline bodies (cdecl, stdcall, fastcall, thiscall): the
//! mirror image of an i386 call stub, with the contract of [`super::trampoline`] on a 32-bit
//! target. A body is entered, under the plan's convention, from a slot thunk
//! ([`thunk_code`]: `mov eax, <slot record>; jmp [eax]`) with eax pointing to the slot's record
//! of three 4-byte words `{ body, ctx, dispatcher }`; the dispatcher is a cdecl function
//! `dispatcher(ctx, args, ret)`.
//!
//! ```text
//! push ebp; mov ebp, esp; push ebx, esi, edi
//! sub esp, <locals>; and esp, -<alignment>; ebx = esp; save eax (the slot record)
//! ecx/edx arguments -> argument block (exact widths); hidden result pointer -> a local
//! stack arguments [ebp + 8 + n] -> argument block (exact sizes, through eax)
//! zero the result buffer; dispatcher(ctx, block, ret or the hidden pointer)
//! result buffer -> eax, edx, st(0); hidden pointer -> eax
//! lea esp, [ebp - 12]; pop edi, esi, ebx, ebp; ret <bytes the callee pops>
//! ```

#![allow(clippy::useless_conversion)]

use dynasmrt::x86::X86Relocation;
use dynasmrt::{dynasm, DynasmApi, VecAssembler};

use super::argblock::{align_up, ArgBlock};
use crate::abi::{CallPlan, Loc, Pass, RetPlan};
use crate::error::JitError;

type Ops = VecAssembler<X86Relocation>;

/// Bytes of an i386 slot thunk, and where in it the record's address goes.
pub const THUNK_BYTES: usize = 8;
pub const THUNK_RECORD_AT: usize = 1;

/// The thunk of a slot whose record is at `record`: `mov eax, record; jmp dword [eax]`.
pub fn thunk_code(record: u32) -> [u8; THUNK_BYTES] {
    let mut thunk = [0xcc; THUNK_BYTES];
    thunk[0] = 0xb8;
    thunk[THUNK_RECORD_AT..THUNK_RECORD_AT + 4].copy_from_slice(&record.to_le_bytes());
    thunk[5..7].copy_from_slice(&[0xff, 0x20]);
    thunk
}

fn disp(value: u32) -> Result<i32, JitError> {
    i32::try_from(value).map_err(|_| JitError::Assembler(format!("offset {value} out of range")))
}

/// Offsets from ebx of what the body keeps in its frame.
struct Frame {
    /// The dispatcher's three stack arguments are at 0, 4 and 8.
    block: u32,
    ret_buf: u32,
    slot_record: u32,
    hidden_ptr: u32,
    size: u32,
    align: u32,
}

impl Frame {
    fn of(block: &ArgBlock) -> Frame {
        let at = align_up(16, block.align);
        let ret_buf = align_up(at + block.size, block.ret_align.max(16));
        let slot_record = ret_buf + block.ret_size;
        let hidden_ptr = slot_record + 4;
        Frame {
            block: at,
            ret_buf,
            slot_record,
            hidden_ptr,
            size: align_up(hidden_ptr + 4, 16),
            align: block.align.max(block.ret_align).max(16),
        }
    }
}

/// Copies `size` bytes from `[ebp + src]` to `[ebx + dst]` through eax, reading and writing
/// no byte past `size`.
fn copy_in(ops: &mut Ops, src: i32, dst: u32, size: u32) -> Result<(), JitError> {
    let mut done = 0u32;
    while done < size {
        let s = src + done as i32;
        let d = disp(dst + done)?;
        let piece = match size - done {
            4.. => {
                dynasm!(ops ; .arch x86 ; mov eax, DWORD [ebp + s] ; mov DWORD [ebx + d], eax);
                4
            }
            2 | 3 => {
                dynasm!(ops ; .arch x86 ; mov ax, WORD [ebp + s] ; mov WORD [ebx + d], ax);
                2
            }
            _ => {
                dynasm!(ops ; .arch x86 ; mov al, BYTE [ebp + s] ; mov BYTE [ebx + d], al);
                1
            }
        };
        done += piece;
    }
    Ok(())
}

/// The machine code of the i386 trampoline body for `plan` (not variadic) and its block.
pub(crate) fn emit_trampoline_body(plan: &CallPlan, block: &ArgBlock) -> Result<Vec<u8>, JitError> {
    if plan.variadic {
        return Err(JitError::VariadicCallback);
    }
    let frame = Frame::of(block);
    let mut ops = Ops::new(0);
    dynasm!(ops
        ; .arch x86
        ; push ebp
        ; mov ebp, esp
        ; push ebx
        ; push esi
        ; push edi
        ; sub esp, disp(frame.size)?
        ; and esp, -disp(frame.align)?
        ; mov ebx, esp
        ; mov DWORD [ebx + disp(frame.slot_record)?], eax
    );
    // The caller's stack arguments start above the return address and the saved ebp.
    let stack_arg = |n: u32| disp(8 + n);

    // Registers first (ecx and edx), then memory through eax.
    if let RetPlan::Indirect { ptr: Loc::Gpr(r), .. } = plan.ret {
        dynasm!(ops ; .arch x86 ; mov DWORD [ebx + disp(frame.hidden_ptr)?], Rd(r.0));
    }
    for (arg, &offset) in plan.args.iter().zip(&block.offsets) {
        if let Pass::Direct(parts) = &arg.pass {
            for p in parts {
                if let Loc::Gpr(r) = p.loc {
                    let d = disp(frame.block + offset + p.offset)?;
                    match p.size {
                        1 => dynasm!(ops ; .arch x86 ; mov BYTE [ebx + d], Rb(r.0)),
                        2 => dynasm!(ops ; .arch x86 ; mov WORD [ebx + d], Rw(r.0)),
                        4 => dynasm!(ops ; .arch x86 ; mov DWORD [ebx + d], Rd(r.0)),
                        n => return Err(JitError::Assembler(format!("a {n}-byte part in a 32-bit register"))),
                    }
                }
            }
        }
    }
    if let RetPlan::Indirect { ptr: Loc::Stack(n), .. } = plan.ret {
        dynasm!(ops
            ; .arch x86
            ; mov eax, DWORD [ebp + stack_arg(n)?]
            ; mov DWORD [ebx + disp(frame.hidden_ptr)?], eax
        );
    }
    for (arg, &offset) in plan.args.iter().zip(&block.offsets) {
        match &arg.pass {
            Pass::Direct(parts) => {
                for p in parts {
                    match p.loc {
                        Loc::Stack(n) => copy_in(&mut ops, stack_arg(n)?, frame.block + offset + p.offset, p.size)?,
                        Loc::Gpr(_) => {}
                        other => return Err(JitError::Assembler(format!("an argument in {other:?}"))),
                    }
                }
            }
            Pass::Ignored => {}
            other => return Err(JitError::Assembler(format!("an i386 argument passed as {other:?}"))),
        }
    }

    let indirect = matches!(plan.ret, RetPlan::Indirect { .. });
    if !indirect {
        dynasm!(ops ; .arch x86 ; xor eax, eax);
        for at in (0..block.ret_size).step_by(4) {
            dynasm!(ops ; .arch x86 ; mov DWORD [ebx + disp(frame.ret_buf + at)?], eax);
        }
    }
    dynasm!(ops
        ; .arch x86
        ; mov eax, DWORD [ebx + disp(frame.slot_record)?]
        ; mov ecx, DWORD [eax + 4]
        ; mov DWORD [ebx], ecx
        ; lea ecx, [ebx + disp(frame.block)?]
        ; mov DWORD [ebx + 4], ecx
    );
    if indirect {
        dynasm!(ops ; .arch x86 ; mov ecx, DWORD [ebx + disp(frame.hidden_ptr)?]);
    } else {
        dynasm!(ops ; .arch x86 ; lea ecx, [ebx + disp(frame.ret_buf)?]);
    }
    dynasm!(ops
        ; .arch x86
        ; mov DWORD [ebx + 8], ecx
        ; call DWORD [eax + 8]
    );

    match &plan.ret {
        RetPlan::Void => {}
        RetPlan::Indirect { echoed_in, .. } => {
            if let Some(r) = echoed_in {
                dynasm!(ops ; .arch x86 ; mov Rd(r.0), DWORD [ebx + disp(frame.hidden_ptr)?]);
            }
        }
        RetPlan::Direct(parts) => {
            for p in parts {
                let d = disp(frame.ret_buf + p.offset)?;
                match (p.loc, p.size) {
                    (Loc::Gpr(r), 1) => dynasm!(ops ; .arch x86 ; movzx Rd(r.0), BYTE [ebx + d]),
                    (Loc::Gpr(r), 2) => dynasm!(ops ; .arch x86 ; movzx Rd(r.0), WORD [ebx + d]),
                    (Loc::Gpr(r), 4) => dynasm!(ops ; .arch x86 ; mov Rd(r.0), DWORD [ebx + d]),
                    (Loc::X87(_), 4) => dynasm!(ops ; .arch x86 ; fld DWORD [ebx + d]),
                    (Loc::X87(_), 8) => dynasm!(ops ; .arch x86 ; fld QWORD [ebx + d]),
                    (Loc::X87(_), 10) => dynasm!(ops ; .arch x86 ; fld TWORD [ebx + d]),
                    (other, n) => return Err(JitError::Assembler(format!("a {n}-byte result in {other:?}"))),
                }
            }
        }
    }
    dynasm!(ops
        ; .arch x86
        ; lea esp, [ebp - 12]
        ; pop edi
        ; pop esi
        ; pop ebx
        ; pop ebp
    );
    match plan.stack.callee_pops {
        0 => dynasm!(ops ; .arch x86 ; ret),
        n => {
            let n = u16::try_from(n).map_err(|_| JitError::Assembler(format!("{n} bytes to pop")))?;
            dynasm!(ops ; .arch x86 ; ret n as i16)
        }
    }
    ops.finalize().map_err(|e| JitError::Assembler(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{plan_call, Abi};
    use crate::{CTypeTable, Target};

    #[test]
    fn thunk_loads_the_record_and_jumps_through_it() {
        assert_eq!(thunk_code(0x1234_5678), [0xb8, 0x78, 0x56, 0x34, 0x12, 0xff, 0x20, 0xcc]);
    }

    #[test]
    fn bodies_pop_what_the_convention_says() {
        let mut t = CTypeTable::new(Target::I386_LINUX);
        let f = t.parse_type("int (*)(int, double)", &[]).unwrap();
        let body = |abi| {
            let plan = plan_call(&t, f, &[], Some(abi), Target::I386_LINUX).unwrap();
            emit_trampoline_body(&plan, &ArgBlock::of(&plan)).unwrap()
        };
        assert_eq!(body(Abi::Cdecl).last(), Some(&0xc3), "ret");
        assert!(body(Abi::Stdcall).ends_with(&[0xc2, 12, 0]), "ret 12");
        let g = t.parse_type("int (*)(int, ...)", &[]).unwrap();
        let plan = plan_call(&t, g, &[], Some(Abi::Cdecl), Target::I386_LINUX).unwrap();
        assert!(matches!(emit_trampoline_body(&plan, &ArgBlock::of(&plan)), Err(JitError::VariadicCallback)));
    }
}
