//! The Microsoft x64 calling convention (MS Learn, "x64 calling convention": "Parameter
//! passing", "Varargs", "Return values", "Stack allocation"): arguments take positions, the
//! first four positions are registers picked by the argument's type, aggregates that are not
//! 1, 2, 4 or 8 bytes are passed by reference, and the caller always reserves 32 bytes of
//! shadow space.
//!
//! On a System V target (`__attribute__((ms_abi))` on Linux) `long double` is the 16-byte x87
//! type, which Windows does not have: it is passed by reference (not 1, 2, 4 or 8 bytes) and
//! returned through a hidden pointer, as GCC and MinGW-w64 do. (Clang on Linux returns it in
//! %st0 instead; GCC is the reference here.) Empty structs, which Microsoft's C does not have,
//! are passed by reference like other sizes that are not 1, 2, 4 or 8, and returned as
//! nothing (GCC; Clang returns them through a hidden pointer).

use super::aggregate::{float_class, value_kind, LeafClass, ValueKind};
use super::plan::{ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan};
use super::regs::x64::{R8, R9, RAX, RCX, RDX};
use super::regs::Gpr;
use super::sysv_x64::size_align;
use super::{Abi, Signature};
use crate::ctype::{CTypeTable, FloatKind};
use crate::error::AbiError;
use crate::target::Target;

const ABI: Abi = Abi::Win64;
/// "Parameter passing": integer arguments in the first four positions use these.
const INT_ARG_REGS: [Gpr; 4] = [RCX, RDX, R8, R9];
/// "Parameter passing": floating-point arguments in the first four positions use XMM0-XMM3.
const VEC_ARG_REGS: u8 = 4;
/// "Stack allocation": the caller reserves space for the four register parameters.
const SHADOW: u32 = 32;

/// How a value travels, before positions are given out.
enum Kind {
    Integer(u32),
    Float(u32),
    /// Passed by reference, returned through a hidden pointer.
    Memory,
}

fn kind_of(kind: ValueKind, size: u32, target: Target) -> Kind {
    match kind {
        ValueKind::Void => Kind::Integer(0),
        ValueKind::Int { size, .. } => Kind::Integer(size),
        ValueKind::Bool => Kind::Integer(1),
        ValueKind::Pointer => Kind::Integer(8),
        ValueKind::Float(k) => match float_class(k, target).0 {
            LeafClass::Float => Kind::Float(4),
            LeafClass::Double => Kind::Float(8),
            _ => Kind::Memory,
        },
        // "Parameter passing": structs and unions of 8, 16, 32 or 64 bits are passed as if they
        // were integers of the same size; others by reference. _Complex float is such a struct.
        ValueKind::Complex(_) | ValueKind::Record => match size {
            1 | 2 | 4 | 8 => Kind::Integer(size),
            _ => Kind::Memory,
        },
    }
}

pub(super) fn classify(sig: &Signature<'_>, types: &CTypeTable, target: Target) -> Result<CallPlan, AbiError> {
    let ret_ty = sig.func.ret;
    let ret_kind = value_kind(types, ret_ty, target, ABI)?;
    let (ret_size, ret_align) = size_align(types, ret_ty, ret_kind, target)?;
    let mut position = 0usize;
    let ret = match kind_of(ret_kind, ret_size, target) {
        _ if ret_kind == ValueKind::Void => RetPlan::Void,
        // An empty struct (a GNU C extension) comes back as nothing with GCC (Clang passes a
        // hidden pointer; GCC is the reference for ms_abi outside Windows, see above).
        _ if ret_size == 0 => RetPlan::Direct(Vec::new()),
        // "Return values": scalars and 1-, 2-, 4- and 8-byte aggregates in RAX, float and
        // double in XMM0.
        Kind::Integer(size) => RetPlan::Direct(vec![Part { offset: 0, size, loc: Loc::Gpr(RAX), ext: Ext::None }]),
        Kind::Float(size) => RetPlan::Direct(vec![Part { offset: 0, size, loc: Loc::Vec(0), ext: Ext::None }]),
        // "Return values": otherwise the caller passes a pointer to the result's memory as the
        // first argument (RCX) and the callee returns that pointer in RAX.
        Kind::Memory => {
            position = 1;
            RetPlan::Indirect { ptr: Loc::Gpr(RCX), echoed_in: Some(RAX) }
        }
    };

    let mut args = Vec::new();
    let mut stack = SHADOW;
    for (ty, variadic, attr) in sig.args() {
        let kind = value_kind(types, ty, target, ABI)?;
        if kind == ValueKind::Void {
            return Err(super::void_argument(types, ty));
        }
        let (size, align) = size_align(types, ty, kind, target)?;
        let slot = position;
        position += 1;
        let stack_slot = |stack: &mut u32| {
            let offset = *stack;
            *stack += 8;
            Loc::Stack(offset)
        };
        let int_loc =
            |stack: &mut u32| if slot < INT_ARG_REGS.len() { Loc::Gpr(INT_ARG_REGS[slot]) } else { stack_slot(stack) };
        let pass = match kind_of(kind, size, target) {
            Kind::Integer(size) => {
                // C's default argument promotions: a variadic bool, char or short is passed as
                // the int it promotes to. (Fixed ones are not extended: "the upper bits are
                // undefined", the callee extends.)
                let ext = match kind {
                    ValueKind::Bool if variadic => Ext::Zero,
                    ValueKind::Int { size, signed } if variadic && size < 4 => {
                        if signed {
                            Ext::Sign
                        } else {
                            Ext::Zero
                        }
                    }
                    _ => Ext::None,
                };
                Pass::Direct(vec![Part { offset: 0, size, loc: int_loc(&mut stack), ext }])
            }
            Kind::Float(part_size) => {
                // C's default argument promotions: a variadic float is passed as a double.
                let ext =
                    if variadic && kind == ValueKind::Float(FloatKind::Float) { Ext::FloatToDouble } else { Ext::None };
                if slot < VEC_ARG_REGS as usize {
                    let vec = Part { offset: 0, size: part_size, loc: Loc::Vec(slot as u8), ext };
                    // "Varargs": for vararg functions, floating-point values in the first four
                    // positions are duplicated in the corresponding integer register.
                    if sig.func.variadic {
                        let int = Part { loc: Loc::Gpr(INT_ARG_REGS[slot]), ..vec };
                        Pass::Direct(vec![vec, int])
                    } else {
                        Pass::Direct(vec![vec])
                    }
                } else {
                    Pass::Direct(vec![Part { offset: 0, size: part_size, loc: stack_slot(&mut stack), ext }])
                }
            }
            Kind::Memory => Pass::ByReference { ptr: int_loc(&mut stack) },
        };
        args.push(ArgPlan { ty, size, align, variadic, attr, pass });
    }

    Ok(CallPlan {
        abi: ABI,
        target,
        fixed_args: sig.func.params.len() as u32,
        variadic: sig.func.variadic,
        vararg_marker: None,
        args,
        ret_ty,
        ret_size,
        ret_align,
        ret,
        // "Stack allocation": RSP is 16-byte aligned at the call.
        stack: StackPlan { shadow: SHADOW, size: stack, align: 16, callee_pops: 0 },
    })
}
