//! The System V AMD64 calling convention (psABI x86-64, version 1.0, §3.2.3 "Parameter
//! Passing"): each argument is split into eightbytes, each eightbyte gets a class (INTEGER,
//! SSE, X87, MEMORY...) from the scalars it holds, and the classes pick registers.
//!
//! Where GCC and Clang go beyond the document (extension of small integers, empty structs) the
//! rule cites them.

use super::aggregate::{float_class, leaves, value_kind, LeafClass, ValueKind};
use super::plan::{align_to, ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan, VarargMarker};
use super::regs::x64::{R8, R9, RAX, RCX, RDI, RDX, RSI};
use super::regs::Gpr;
use super::{Abi, Signature};
use crate::ctype::{layout_of, CTypeId, CTypeTable, FloatKind};
use crate::error::AbiError;
use crate::target::Target;

const ABI: Abi = Abi::SysvX64;
/// psABI §3.2.3, "Passing": INTEGER eightbytes take the next of these.
const INT_ARG_REGS: [Gpr; 6] = [RDI, RSI, RDX, RCX, R8, R9];
/// psABI §3.2.3, "Passing": SSE eightbytes take the next of %xmm0 to %xmm7.
const VEC_ARG_REGS: u8 = 8;
/// psABI §3.2.3, "Returning of Values": INTEGER eightbytes in %rax then %rdx.
const INT_RET_REGS: [Gpr; 2] = [RAX, RDX];
/// ... and SSE eightbytes in %xmm0 then %xmm1.
const VEC_RET_REGS: [u8; 2] = [0, 1];

/// psABI §3.2.3, "Classification": the classes of an eightbyte (NO_CLASS keeps its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
enum Class {
    NoClass,
    Integer,
    Sse,
    X87,
    X87Up,
    Memory,
}

/// How a whole value is classified.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Classified {
    /// An empty struct: GCC and Clang pass nothing for it in C.
    Empty,
    Memory,
    /// `_Complex long double`: in memory as an argument, in %st0 and %st1 as a result.
    ComplexX87,
    /// One class per eightbyte, with the eightbyte's size (the last may be short).
    Eightbytes(Vec<(Class, u32)>),
}

/// psABI §3.2.3, classification rule 4: merging the classes of two fields in one eightbyte.
fn merge(a: Class, b: Class) -> Class {
    use Class::*;
    match (a, b) {
        _ if a == b => a,
        (NoClass, other) | (other, NoClass) => other,
        (Memory, _) | (_, Memory) => Memory,
        (Integer, _) | (_, Integer) => Integer,
        (X87 | X87Up, _) | (_, X87 | X87Up) => Memory,
        _ => Sse,
    }
}

fn classify_value(types: &CTypeTable, ty: CTypeId, kind: ValueKind, target: Target) -> Result<Classified, AbiError> {
    use Class::*;
    let one = |class: Class, size: u32| Ok(Classified::Eightbytes(vec![(class, size)]));
    match kind {
        ValueKind::Void => Ok(Classified::Empty),
        // Rule 1 (a), (b): integral types and pointers are INTEGER.
        ValueKind::Int { size, .. } => one(Integer, size),
        ValueKind::Bool => one(Integer, 1),
        ValueKind::Pointer => one(Integer, 8),
        // Rule 1 (c), (e): float and double are SSE; long double is X87 then X87UP.
        ValueKind::Float(k) => Ok(match float_class(k, target).0 {
            LeafClass::Float => Classified::Eightbytes(vec![(Sse, 4)]),
            LeafClass::Double => Classified::Eightbytes(vec![(Sse, 8)]),
            _ => Classified::Eightbytes(vec![(X87, 8), (X87Up, 8)]),
        }),
        // Rule 1 (g), (h): complex float is one SSE eightbyte, complex double two; complex
        // long double is COMPLEX_X87.
        ValueKind::Complex(k) => Ok(match float_class(k, target).0 {
            LeafClass::Float => Classified::Eightbytes(vec![(Sse, 8)]),
            LeafClass::Double => Classified::Eightbytes(vec![(Sse, 8), (Sse, 8)]),
            _ => Classified::ComplexX87,
        }),
        ValueKind::Record => classify_record(types, ty, target),
    }
}

/// psABI §3.2.3, classification rule 5 for structs and unions (and the arrays inside them).
fn classify_record(types: &CTypeTable, ty: CTypeId, target: Target) -> Result<Classified, AbiError> {
    use Class::*;
    let size = layout_of(types, ty, target)?.size;
    // GCC and Clang give an empty struct (a GNU C extension) no eightbyte at all.
    if size == 0 {
        return Ok(Classified::Empty);
    }
    // Rule 5 (1): larger than two eightbytes (there are no vector types here) -> MEMORY.
    if size > 16 {
        return Ok(Classified::Memory);
    }
    let Some(leaves) = leaves(types, ty, target, 4096)? else { return Ok(Classified::Memory) };
    // Rule 5 (2): a member at an offset that is not a multiple of its alignment -> MEMORY.
    if leaves.iter().any(|l| l.misaligned) {
        return Ok(Classified::Memory);
    }
    let count = size.div_ceil(8) as usize;
    let mut classes = vec![NoClass; count];
    for leaf in &leaves {
        let first = (leaf.offset / 8) as usize;
        let last = ((leaf.offset + leaf.size - 1) / 8) as usize;
        for (i, slot) in classes.iter_mut().enumerate().take(last + 1).skip(first) {
            let class = match leaf.class {
                LeafClass::Integer => Integer,
                LeafClass::Float | LeafClass::Double => Sse,
                LeafClass::X87 if i == first => X87,
                LeafClass::X87 => X87Up,
                LeafClass::Quad => Memory,
            };
            *slot = merge(*slot, class);
        }
    }
    // Rule 5 (a): any MEMORY eightbyte -> MEMORY. (b): X87UP not preceded by X87 -> MEMORY.
    if classes.contains(&Memory) {
        return Ok(Classified::Memory);
    }
    for i in 0..count {
        if classes[i] == X87Up && (i == 0 || classes[i - 1] != X87) {
            return Ok(Classified::Memory);
        }
    }
    let size = size as u32;
    Ok(Classified::Eightbytes(
        classes.into_iter().enumerate().map(|(i, c)| (c, (size - 8 * i as u32).min(8))).collect(),
    ))
}

/// The extension GCC and Clang apply to small integer arguments (the psABI leaves the upper
/// bits undefined; both compilers extend to 32 bits and Clang-compiled callees rely on it).
fn small_int_ext(kind: ValueKind) -> Ext {
    match kind {
        ValueKind::Bool => Ext::Zero,
        ValueKind::Int { size, signed } if size < 4 => {
            if signed {
                Ext::Sign
            } else {
                Ext::Zero
            }
        }
        _ => Ext::None,
    }
}

pub(super) fn classify(sig: &Signature<'_>, types: &CTypeTable, target: Target) -> Result<CallPlan, AbiError> {
    let mut next_int = 0usize;
    let mut next_vec = 0u8;
    let mut stack = 0u32;
    let mut stack_align = 16u32;

    let ret_ty = sig.func.ret;
    let ret_kind = value_kind(types, ret_ty, target, ABI)?;
    let (ret_size, ret_align) = size_align(types, ret_ty, ret_kind, target)?;
    let ret = match classify_value(types, ret_ty, ret_kind, target)? {
        _ if ret_kind == ValueKind::Void => RetPlan::Void,
        Classified::Empty => RetPlan::Direct(Vec::new()),
        // "Returning of Values", MEMORY: the caller passes the address of the storage in %rdi
        // as if it were the first argument; the callee returns it in %rax.
        Classified::Memory => {
            next_int = 1;
            RetPlan::Indirect { ptr: Loc::Gpr(RDI), echoed_in: Some(RAX) }
        }
        // "Returning of Values", COMPLEX_X87: the real part in %st0, the imaginary in %st1.
        Classified::ComplexX87 => RetPlan::Direct(vec![
            Part { offset: 0, size: 10, loc: Loc::X87(0), ext: Ext::None },
            Part { offset: ret_size / 2, size: 10, loc: Loc::X87(1), ext: Ext::None },
        ]),
        Classified::Eightbytes(classes) => {
            let (mut ints, mut vecs) = (INT_RET_REGS.iter(), VEC_RET_REGS.iter());
            let mut parts = Vec::new();
            for (i, &(class, size)) in classes.iter().enumerate() {
                let offset = 8 * i as u32;
                let loc = match class {
                    Class::NoClass | Class::X87Up => continue,
                    Class::Integer => Loc::Gpr(*ints.next().expect("at most two eightbytes")),
                    Class::Sse => Loc::Vec(*vecs.next().expect("at most two eightbytes")),
                    // X87 (with its X87UP): the value in %st0.
                    Class::X87 => {
                        parts.push(Part { offset, size: 10, loc: Loc::X87(0), ext: Ext::None });
                        continue;
                    }
                    Class::Memory => unreachable!("MEMORY eightbytes make the whole value MEMORY"),
                };
                parts.push(Part { offset, size, loc, ext: Ext::None });
            }
            RetPlan::Direct(parts)
        }
    };

    let mut args = Vec::new();
    for (ty, variadic, attr) in sig.args() {
        let kind = value_kind(types, ty, target, ABI)?;
        if kind == ValueKind::Void {
            return Err(super::void_argument(types, ty));
        }
        let (size, align) = size_align(types, ty, kind, target)?;
        // C 6.5.2.2p6-7, default argument promotions: a variadic float is passed as a double;
        // small integers are promoted to int, which the extension below already does.
        let promoted = variadic && kind == ValueKind::Float(FloatKind::Float);
        let ext = if promoted { Ext::FloatToDouble } else { small_int_ext(kind) };
        let classified = classify_value(types, ty, kind, target)?;
        let in_registers = match &classified {
            Classified::Empty => {
                args.push(ArgPlan { ty, size, align, variadic, attr, pass: Pass::Ignored });
                continue;
            }
            // "Passing": MEMORY, X87, X87UP and COMPLEX_X87 arguments go on the stack.
            Classified::Memory | Classified::ComplexX87 => None,
            Classified::Eightbytes(classes) if classes.iter().any(|(c, _)| *c == Class::X87) => None,
            Classified::Eightbytes(classes) => {
                let need_int = classes.iter().filter(|(c, _)| *c == Class::Integer).count();
                let need_vec = classes.iter().filter(|(c, _)| *c == Class::Sse).count() as u8;
                // "If there are no registers available for any eightbyte of an argument, the
                // whole argument is passed on the stack" (and later ones may still use them).
                if next_int + need_int <= INT_ARG_REGS.len() && next_vec + need_vec <= VEC_ARG_REGS {
                    let mut parts = Vec::new();
                    for (i, &(class, part_size)) in classes.iter().enumerate() {
                        let loc = match class {
                            Class::Integer => {
                                next_int += 1;
                                Loc::Gpr(INT_ARG_REGS[next_int - 1])
                            }
                            Class::Sse => {
                                next_vec += 1;
                                Loc::Vec(next_vec - 1)
                            }
                            _ => continue,
                        };
                        parts.push(Part { offset: 8 * i as u32, size: part_size, loc, ext });
                    }
                    Some(parts)
                } else {
                    None
                }
            }
        };
        let parts = match in_registers {
            Some(parts) => parts,
            None => {
                // "Passing": stack arguments are eightbyte-aligned, or aligned to their type
                // when it needs more (GCC and Clang align 32-byte-aligned structs to 32).
                let slot_align = align.max(8);
                stack = align_to(stack, slot_align);
                stack_align = stack_align.max(slot_align);
                let part = Part { offset: 0, size, loc: Loc::Stack(stack), ext };
                stack += align_to(size.max(1), 8);
                vec![part]
            }
        };
        args.push(ArgPlan { ty, size, align, variadic, attr, pass: Pass::Direct(parts) });
    }

    Ok(CallPlan {
        abi: ABI,
        target,
        fixed_args: sig.func.params.len() as u32,
        variadic: sig.func.variadic,
        // "Variable Argument Lists": %al holds an upper bound of the number of vector
        // registers used; rivet passes the exact count.
        vararg_marker: sig.func.variadic.then_some(VarargMarker::VectorCountInAl(next_vec)),
        args,
        ret_ty,
        ret_size,
        ret_align,
        ret,
        stack: StackPlan { shadow: 0, size: stack, align: stack_align, callee_pops: 0 },
    })
}

/// Size and alignment of a value (0 and 1 for `void`).
pub(super) fn size_align(
    types: &CTypeTable,
    ty: CTypeId,
    kind: ValueKind,
    target: Target,
) -> Result<(u32, u32), AbiError> {
    if kind == ValueKind::Void {
        return Ok((0, 1));
    }
    let layout = layout_of(types, ty, target)?;
    let size = u32::try_from(layout.size)
        .map_err(|_| AbiError::Unsupported { abi: "abi", what: format!("passing '{}' by value", types.render(ty)) })?;
    Ok((size, layout.align))
}
