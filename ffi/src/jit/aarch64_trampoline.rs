//! The AArch64 emitter of callback trampoline bodies, the mirror image of its call stubs and
//! of `x64_trampoline.rs`. A body is entered, under the plan's convention, from a thunk (see
//! [`thunk`]) with x16 pointing to the slot record `{ body, ctx, dispatcher }`:
//!
//! ```text
//! stp x29, x30, [sp, #-32]!; mov x29, sp; str x19, [sp, #16]
//! sub sp, sp, <locals>; (align); x19 = sp                      (x19 survives the dispatcher)
//! phase 1: x0-x7, v0-v7 -> argument block (exact widths); by-reference pointers and x8 (the
//!          indirect result address) -> locals
//! phase 2: stack arguments ([x29 + 32 + n]) and by-reference copies -> block
//! dispatcher(ctx, block, ret)    ret: the zeroed local result buffer, or x8's address
//! result buffer -> x0/x1/v0-v3; restore; ret
//! ```

#![allow(clippy::useless_conversion)]

use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};

use super::aarch64::{address, copy_exact, load_gpr, reserve, store_gpr_exact, store_vec, Ops, ADDR, ADDR2};
use super::argblock::{align_up, ArgBlock};
use crate::abi::{CallPlan, Ext, Loc, Pass, RetPlan};
use crate::error::JitError;

/// x19: the base of the frame's locals (the argument block is at offset 0).
const BASE: u8 = 19;
/// x16 (IP0): the slot record, as the thunk leaves it.
const RECORD: u8 = 16;
/// Bytes of the frame record and saved x19 above the locals; stack arguments start there.
const SAVED: u32 = 32;

/// Where the body keeps things, as offsets from x19.
struct Frame {
    ret_buf: u32,
    slot_record: u32,
    hidden_ptr: u32,
    /// One 8-byte local per argument: the pointer of a by-reference argument.
    ref_ptrs: u32,
    size: u32,
    align: u32,
}

impl Frame {
    fn of(plan: &CallPlan, block: &ArgBlock) -> Frame {
        let ret_buf = align_up(block.size, block.ret_align.max(16));
        let slot_record = ret_buf + block.ret_size;
        let hidden_ptr = slot_record + 8;
        let ref_ptrs = hidden_ptr + 8;
        let size = align_up(ref_ptrs + 8 * plan.args.len() as u32, 16);
        Frame { ret_buf, slot_record, hidden_ptr, ref_ptrs, size, align: block.align.max(block.ret_align).max(16) }
    }
}

fn unsupported(what: &str) -> JitError {
    JitError::Assembler(format!("{what} in an AArch64 trampoline"))
}

/// The machine code of the trampoline body for `plan` (an AArch64 plan, not variadic) and
/// its block.
pub(crate) fn emit_trampoline_body(plan: &CallPlan, block: &ArgBlock) -> Result<Vec<u8>, JitError> {
    let frame = Frame::of(plan, block);
    let mut ops = Ops::new(0);
    dynasm!(ops
        ; .arch aarch64
        ; stp x29, x30, [sp, #-32]!
        ; mov x29, sp
        ; str X(BASE), [sp, #16]
    );
    reserve(&mut ops, align_up(frame.size + frame.align - 16, 16));
    dynasm!(ops ; .arch aarch64 ; mov XSP(ADDR), sp);
    if frame.align > 16 {
        let mask = !(frame.align as u64 - 1);
        dynasm!(ops ; .arch aarch64 ; and XSP(ADDR), X(ADDR), #mask ; mov sp, XSP(ADDR));
    }
    dynasm!(ops ; .arch aarch64 ; mov X(BASE), X(ADDR));
    address(&mut ops, ADDR, BASE, frame.slot_record);
    dynasm!(ops ; .arch aarch64 ; str X(RECORD), [X(ADDR)]);

    // Phase 1: registers.
    if let RetPlan::Indirect { ptr: Loc::Gpr(r), .. } = plan.ret {
        address(&mut ops, ADDR, BASE, frame.hidden_ptr);
        dynasm!(ops ; .arch aarch64 ; str X(r.0), [X(ADDR)]);
    }
    for (k, (arg, &offset)) in plan.args.iter().zip(&block.offsets).enumerate() {
        match &arg.pass {
            Pass::Direct(parts) => {
                for p in parts {
                    if p.ext == Ext::FloatToDouble {
                        return Err(unsupported("a promoted variadic float"));
                    }
                    match p.loc {
                        Loc::Gpr(r) => {
                            address(&mut ops, ADDR, BASE, offset + p.offset);
                            store_gpr_exact(&mut ops, r.0, ADDR, p.size)?;
                        }
                        Loc::Vec(v) => {
                            address(&mut ops, ADDR, BASE, offset + p.offset);
                            store_vec(&mut ops, v, ADDR, p.size)?;
                        }
                        Loc::Stack(_) => {}
                        Loc::X87(_) => return Err(unsupported("an x87 register")),
                    }
                }
            }
            Pass::ByReference { ptr: Loc::Gpr(r) } => {
                address(&mut ops, ADDR, BASE, frame.ref_ptrs + 8 * k as u32);
                dynasm!(ops ; .arch aarch64 ; str X(r.0), [X(ADDR)]);
            }
            Pass::ByReference { .. } | Pass::Ignored => {}
            Pass::InOutRegister { .. } => return Err(unsupported("an in-out register argument")),
        }
    }
    // Phase 2: memory (every register argument is saved; x0-x8 are free).
    for (k, (arg, &offset)) in plan.args.iter().zip(&block.offsets).enumerate() {
        match &arg.pass {
            Pass::Direct(parts) => {
                for p in parts {
                    if let Loc::Stack(n) = p.loc {
                        address(&mut ops, ADDR, 29, SAVED + n);
                        address(&mut ops, ADDR2, BASE, offset + p.offset);
                        copy_exact(&mut ops, ADDR, ADDR2, p.size);
                    }
                }
            }
            Pass::ByReference { ptr } => {
                match ptr {
                    Loc::Gpr(_) => address(&mut ops, ADDR, BASE, frame.ref_ptrs + 8 * k as u32),
                    Loc::Stack(n) => address(&mut ops, ADDR, 29, SAVED + n),
                    _ => return Err(unsupported("a pointer in a vector register")),
                }
                dynasm!(ops ; .arch aarch64 ; ldr X(ADDR), [X(ADDR)]);
                address(&mut ops, ADDR2, BASE, offset);
                copy_exact(&mut ops, ADDR, ADDR2, arg.size);
            }
            _ => {}
        }
    }

    // The call of the dispatcher: x0 = ctx, x1 = block, x2 = result buffer.
    let indirect = matches!(plan.ret, RetPlan::Indirect { .. });
    if indirect {
        address(&mut ops, ADDR, BASE, frame.hidden_ptr);
        dynasm!(ops ; .arch aarch64 ; ldr x2, [X(ADDR)]);
    } else {
        address(&mut ops, 2, BASE, frame.ret_buf);
        for at in (0..block.ret_size).step_by(16) {
            dynasm!(ops ; .arch aarch64 ; stp xzr, xzr, [x2, #at as i32]);
        }
    }
    address(&mut ops, ADDR, BASE, frame.slot_record);
    dynasm!(ops
        ; .arch aarch64
        ; ldr X(ADDR), [X(ADDR)]
        ; ldr x0, [X(ADDR), #8]
        ; ldr X(ADDR), [X(ADDR), #16]
        ; mov x1, X(BASE)
        ; blr X(ADDR)
    );

    // The result (a hidden pointer is not returned: AAPCS64 §6.9 leaves x8 unpreserved).
    if let RetPlan::Direct(parts) = &plan.ret {
        for p in parts {
            address(&mut ops, ADDR, BASE, frame.ret_buf + p.offset);
            match p.loc {
                Loc::Gpr(r) => load_gpr(&mut ops, r.0, ADDR, p.size, p.ext),
                Loc::Vec(v) => super::aarch64::load_vec(&mut ops, v, ADDR, p.size, Ext::None)?,
                _ => return Err(unsupported("a result outside registers")),
            }
        }
    }
    dynasm!(ops
        ; .arch aarch64
        ; mov sp, x29
        ; ldr X(BASE), [sp, #16]
        ; ldp x29, x30, [sp], #32
        ; ret
    );
    ops.finalize().map_err(|e| JitError::Assembler(format!("{e:?}")))
}

/// A thunk: `ldr x16, record; ldr x17, [x16]; br x17` and the record's address as a literal
/// at byte offset [`THUNK_RECORD_AT`], to be written where the thunk is placed.
pub(crate) fn thunk() -> Vec<u8> {
    let mut ops = Ops::new(0);
    dynasm!(ops
        ; .arch aarch64
        ; ldr x16, >record
        ; ldr x17, [x16]
        ; br x17
        ; nop
        ; record:
        ; .u64 0
    );
    ops.finalize().expect("a fixed thunk assembles")
}

/// Where [`thunk`] keeps the record's address.
pub(crate) const THUNK_RECORD_AT: usize = 16;
