//! Swift's calling convention on x86-64 (`__attribute__((swiftcall))`), as Clang implements
//! it: Clang is the ground truth for C declarations of Swift functions (clang/docs
//! AttributeReference "swiftcall", `swift_context`, `swift_error_result`,
//! `swift_indirect_result`; Swift's docs/ABI/CallingConvention.rst, "Physical lowering").
//!
//! An aggregate is lowered to a sequence of at most four scalars: its members are laid out as
//! typed byte ranges; integer ranges that share a pointer-sized chunk are merged into opaque
//! data, which is then re-cut into the smallest aligned integers covering it per chunk;
//! floating-point members are never merged. Each scalar is then passed as a separate argument
//! of the C convention (so an aggregate can be split between registers and the stack). Values
//! needing more than four scalars go by reference (arguments) or through a hidden result
//! pointer in %rax (results). Results use up to four integer registers (rax, rdx, rcx, r8)
//! and four vector registers. `swift_context` goes in r13, `swift_error_result` in r12 (in
//! and out), the first `swift_indirect_result` in %rax when the function returns `void`.
//!
//! Checked against Clang 14's output for x86_64-linux-gnu.

use super::aggregate::{float_class, leaves, value_kind, LeafClass, ValueKind};
use super::plan::{align_to, ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan};
use super::regs::x64::{R12, R13, R8, R9, RAX, RCX, RDI, RDX, RSI};
use super::regs::Gpr;
use super::sysv_x64::size_align;
use super::{Abi, Signature};
use crate::ctype::{CTypeId, CTypeTable, ParamAttr};
use crate::error::AbiError;
use crate::target::Target;

const ABI: Abi = Abi::SwiftX64;
/// Integer scalars take these, as in the C convention (LLVM CC_X86_64_C).
const INT_ARG_REGS: [Gpr; 6] = [RDI, RSI, RDX, RCX, R8, R9];
const VEC_ARG_REGS: u8 = 8;
/// LLVM RetCC_X86_64_Swift: integer results in rax, rdx, rcx, r8; floating ones in xmm0-3.
const INT_RET_REGS: [Gpr; 4] = [RAX, RDX, RCX, R8];
const VEC_RET_REGS: u8 = 4;
/// x87 results in st(0), st(1).
const X87_RET_REGS: u8 = 2;
/// SwiftABIInfo::shouldPassIndirectly: more than four scalars go in memory.
const MAX_SCALARS: usize = 4;
/// Bound on the members examined (see `lower`).
const MAX_LEAVES: usize = 4096;
/// Clang's lowering chunk: the pointer size.
const CHUNK: u64 = 8;

/// The type of a lowered scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scalar {
    /// An integer (or pointer) of this many bytes.
    Int(u64),
    Float,
    Double,
    X87,
}

/// A byte range of the value with its type; `None` is opaque data (merged integers, unions
/// of different types, misaligned members, bit-fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    begin: u64,
    end: u64,
    ty: Option<Scalar>,
}

/// Adds a range, making overlapping ranges of different types opaque (Clang's
/// SwiftAggLowering::addEntry, without the vector cases C declarations cannot produce).
fn add_entry(entries: &mut Vec<Entry>, ty: Option<Scalar>, begin: u64, end: u64) {
    if entries.last().is_none_or(|e| e.end <= begin) {
        entries.push(Entry { begin, end, ty });
        return;
    }
    let mut index = entries.len() - 1;
    while index != 0 && entries[index - 1].end > begin {
        index -= 1;
    }
    if entries[index].begin >= end {
        entries.insert(index, Entry { begin, end, ty });
        return;
    }
    if entries[index].begin == begin && entries[index].end == end {
        if entries[index].ty != ty {
            entries[index].ty = None;
        }
        return;
    }
    entries[index].ty = None;
    entries[index].begin = entries[index].begin.min(begin);
    while end > entries[index].end {
        if index == entries.len() - 1 || end <= entries[index + 1].begin {
            entries[index].end = end;
            break;
        }
        entries[index].end = entries[index + 1].begin;
        index += 1;
        entries[index].ty = None;
    }
}

/// Merges integers sharing a chunk and re-cuts opaque data into integers (Clang's
/// SwiftAggLowering::finish).
fn finish(mut entries: Vec<Entry>) -> Vec<(u64, Scalar)> {
    let same_chunk = |a: u64, b: u64| a / CHUNK == b / CHUNK;
    let mergeable = |ty: Option<Scalar>| matches!(ty, None | Some(Scalar::Int(_)));
    for i in 1..entries.len() {
        let (first, second) = (entries[i - 1], entries[i]);
        if same_chunk(first.end - 1, second.begin) && mergeable(first.ty) && mergeable(second.ty) {
            entries[i - 1].ty = None;
            entries[i].ty = None;
            entries[i - 1].end = second.begin;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        if let Some(ty) = entries[i].ty {
            out.push((entries[i].begin, ty));
            i += 1;
            continue;
        }
        let mut begin = entries[i].begin;
        let mut end = entries[i].end;
        while i + 1 < entries.len() && entries[i + 1].ty.is_none() && end == entries[i + 1].begin {
            end = entries[i + 1].end;
            i += 1;
        }
        i += 1;
        // One integer per chunk the range touches: the smallest aligned unit holding the
        // range's bytes in that chunk.
        loop {
            let chunk_end = begin / CHUNK * CHUNK + CHUNK;
            let local_end = end.min(chunk_end);
            let mut unit = 1;
            while begin / unit * unit + unit < local_end {
                unit *= 2;
            }
            out.push((begin / unit * unit, Scalar::Int(unit)));
            begin = local_end;
            if begin == end {
                break;
            }
        }
    }
    out
}

/// The scalars a value is lowered to, or `None` when it is passed in memory.
fn lower(
    types: &CTypeTable,
    ty: CTypeId,
    kind: ValueKind,
    target: Target,
) -> Result<Option<Vec<(u64, Scalar)>>, AbiError> {
    let float = |class: LeafClass| match class {
        LeafClass::Float => Scalar::Float,
        LeafClass::Double => Scalar::Double,
        _ => Scalar::X87,
    };
    let scalars = match kind {
        ValueKind::Void => vec![],
        ValueKind::Int { size, .. } => vec![(0, Scalar::Int(size as u64))],
        ValueKind::Bool => vec![(0, Scalar::Int(1))],
        ValueKind::Pointer => vec![(0, Scalar::Int(8))],
        ValueKind::Float(k) => vec![(0, float(float_class(k, target).0))],
        ValueKind::Complex(k) => {
            let (class, _) = float_class(k, target);
            let half = crate::ctype::layout_of(types, ty, target)?.size / 2;
            vec![(0, float(class)), (half, float(class))]
        }
        ValueKind::Record => {
            // A record with thousands of members cannot lower to four scalars (short of a union
            // of thousands of overlapping ones, which is treated as large).
            let Some(leaves) = leaves(types, ty, target, MAX_LEAVES)? else { return Ok(None) };
            let mut entries = Vec::new();
            for leaf in leaves {
                let typed = match leaf.class {
                    _ if leaf.misaligned || leaf.bitfield => None,
                    LeafClass::Integer if matches!(leaf.size, 1 | 2 | 4 | 8) => Some(Scalar::Int(leaf.size)),
                    LeafClass::Integer | LeafClass::Quad => None,
                    class => Some(float(class)),
                };
                add_entry(&mut entries, typed, leaf.offset, leaf.offset + leaf.size);
            }
            finish(entries)
        }
    };
    Ok((scalars.len() <= MAX_SCALARS).then_some(scalars))
}

fn scalar_size(s: Scalar) -> u32 {
    match s {
        Scalar::Int(n) => n as u32,
        Scalar::Float => 4,
        Scalar::Double => 8,
        Scalar::X87 => 10,
    }
}

pub(super) fn classify(sig: &Signature<'_>, types: &CTypeTable, target: Target) -> Result<CallPlan, AbiError> {
    if sig.func.variadic {
        // Clang: "variadic function cannot use swiftcall calling convention".
        return Err(AbiError::Unsupported { abi: ABI.name(), what: "a variadic function".into() });
    }
    let ret_ty = sig.func.ret;
    let ret_kind = value_kind(types, ret_ty, target, ABI)?;
    let (ret_size, ret_align) = size_align(types, ret_ty, ret_kind, target)?;
    // Clang marks the first swift_indirect_result parameter `sret` (passed in %rax) only when
    // the function's C result type is void; otherwise it is an ordinary pointer argument.
    let mut rax_taken = ret_kind != ValueKind::Void;
    let ret = match lower(types, ret_ty, ret_kind, target)? {
        _ if ret_kind == ValueKind::Void => RetPlan::Void,
        Some(scalars) => {
            let (mut ints, mut vecs, mut x87s) = (0, 0, 0);
            let mut parts = Vec::new();
            for (offset, scalar) in scalars {
                let loc = match scalar {
                    Scalar::Int(_) => {
                        ints += 1;
                        Loc::Gpr(INT_RET_REGS[ints - 1])
                    }
                    Scalar::Float | Scalar::Double => {
                        vecs += 1;
                        Loc::Vec(vecs - 1)
                    }
                    Scalar::X87 => {
                        x87s += 1;
                        if x87s > X87_RET_REGS {
                            return Err(AbiError::Unsupported {
                                abi: ABI.name(),
                                what: "a result with more than two long double members".into(),
                            });
                        }
                        Loc::X87(x87s - 1)
                    }
                };
                debug_assert!(vecs <= VEC_RET_REGS);
                parts.push(Part { offset: offset as u32, size: scalar_size(scalar), loc, ext: Ext::None });
            }
            RetPlan::Direct(parts)
        }
        // LLVM CC_X86_64_C for swiftcc: the sret pointer is passed in %rax.
        None => {
            rax_taken = true;
            RetPlan::Indirect { ptr: Loc::Gpr(RAX), echoed_in: None }
        }
    };

    let mut next_int = 0usize;
    let mut next_vec = 0u8;
    let mut stack = 0u32;
    let int_loc = |next_int: &mut usize, stack: &mut u32, size: u32| {
        if *next_int < INT_ARG_REGS.len() {
            *next_int += 1;
            Loc::Gpr(INT_ARG_REGS[*next_int - 1])
        } else {
            let offset = *stack;
            *stack += align_to(size.max(1), 8);
            Loc::Stack(offset)
        }
    };
    let mut args = Vec::new();
    for (ty, variadic, attr) in sig.args() {
        let kind = value_kind(types, ty, target, ABI)?;
        if kind == ValueKind::Void {
            return Err(super::void_argument(types, ty));
        }
        let (size, align) = size_align(types, ty, kind, target)?;
        let pointer_attr = |what: &str| -> Result<(), AbiError> {
            if kind == ValueKind::Pointer {
                Ok(())
            } else {
                Err(AbiError::Unsupported {
                    abi: ABI.name(),
                    what: format!("{what} on a parameter that is not a pointer"),
                })
            }
        };
        let pass = match attr {
            ParamAttr::SwiftContext => {
                pointer_attr("swift_context")?;
                Pass::Direct(vec![Part { offset: 0, size, loc: Loc::Gpr(R13), ext: Ext::None }])
            }
            ParamAttr::SwiftErrorResult => {
                pointer_attr("swift_error_result")?;
                Pass::InOutRegister { reg: R12 }
            }
            ParamAttr::SwiftIndirectResult if !rax_taken => {
                pointer_attr("swift_indirect_result")?;
                rax_taken = true;
                Pass::Direct(vec![Part { offset: 0, size, loc: Loc::Gpr(RAX), ext: Ext::None }])
            }
            _ => match lower(types, ty, kind, target)? {
                Some(scalars) if scalars.is_empty() => Pass::Ignored,
                Some(scalars) => {
                    let mut parts = Vec::new();
                    for (offset, scalar) in scalars {
                        let size = scalar_size(scalar);
                        let loc = match scalar {
                            Scalar::Int(_) => int_loc(&mut next_int, &mut stack, size),
                            Scalar::Float | Scalar::Double if next_vec < VEC_ARG_REGS => {
                                next_vec += 1;
                                Loc::Vec(next_vec - 1)
                            }
                            Scalar::Float | Scalar::Double => {
                                let offset = stack;
                                stack += 8;
                                Loc::Stack(offset)
                            }
                            // x86_fp80 arguments go in 16-byte-aligned 16-byte stack slots.
                            Scalar::X87 => {
                                stack = align_to(stack, 16);
                                let offset = stack;
                                stack += 16;
                                Loc::Stack(offset)
                            }
                        };
                        parts.push(Part { offset: offset as u32, size, loc, ext: Ext::None });
                    }
                    Pass::Direct(parts)
                }
                None => Pass::ByReference { ptr: int_loc(&mut next_int, &mut stack, 8) },
            },
        };
        args.push(ArgPlan { ty, size, align, variadic, attr, pass });
    }

    Ok(CallPlan {
        abi: ABI,
        target,
        fixed_args: sig.func.params.len() as u32,
        variadic: false,
        vararg_marker: None,
        args,
        ret_ty,
        ret_size,
        ret_align,
        ret,
        stack: StackPlan { shadow: 0, size: stack, align: 16, callee_pops: 0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(decl: &str) -> Option<Vec<(u64, Scalar)>> {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef(decl).unwrap();
        let ty = t.parse_type("struct s", &[]).unwrap();
        lower(&t, ty, ValueKind::Record, Target::X86_64_LINUX).unwrap()
    }

    // Each expectation is the LLVM signature Clang 14 gives `swiftcall void f(struct s)`.
    #[test]
    fn integers_in_one_chunk_merge() {
        use Scalar::*;
        // { char a; short b; char c; } -> i64
        assert_eq!(lowered("struct s { char a; short b; char c; };"), Some(vec![(0, Int(8))]));
        // { char a[3]; } -> i32
        assert_eq!(lowered("struct s { char a[3]; };"), Some(vec![(0, Int(4))]));
        // { _Bool b; char c; } -> i16
        assert_eq!(lowered("struct s { _Bool b; char c; };"), Some(vec![(0, Int(2))]));
        // { char x[9]; } -> i64, i8
        assert_eq!(lowered("struct s { char x[9]; };"), Some(vec![(0, Int(8)), (8, Int(1))]));
    }

    #[test]
    fn floats_never_merge() {
        use Scalar::*;
        assert_eq!(lowered("struct s { float x, y; };"), Some(vec![(0, Float), (4, Float)]));
        assert_eq!(lowered("struct s { float f; int i; };"), Some(vec![(0, Float), (4, Int(4))]));
        // { char c; float f; char d; } -> i8, float, i8
        assert_eq!(lowered("struct s { char c; float f; char d; };"), Some(vec![(0, Int(1)), (4, Float), (8, Int(1))]));
        // { short s; float f; short t; short u; } -> i16, float, i32
        assert_eq!(
            lowered("struct s { short s; float f; short t; short u; };"),
            Some(vec![(0, Int(2)), (4, Float), (8, Int(4))])
        );
    }

    #[test]
    fn unions_packing_and_bitfields_become_opaque() {
        use Scalar::*;
        assert_eq!(lowered("struct s { union { int i; float f; } u; };"), Some(vec![(0, Int(4))]));
        assert_eq!(lowered("struct s { union { float f[2]; double d; } u; };"), Some(vec![(0, Int(8))]));
        // packed { char c; double d; } -> i64, i8
        assert_eq!(
            lowered("struct s { char c; double d; } __attribute__((packed));"),
            Some(vec![(0, Int(8)), (8, Int(1))])
        );
        // { int a:3, b:5; char c; } -> i16
        assert_eq!(lowered("struct s { int a : 3, b : 5; char c; };"), Some(vec![(0, Int(2))]));
    }

    #[test]
    fn more_than_four_scalars_go_in_memory() {
        assert!(lowered("struct s { long a, b, c, d; };").is_some());
        assert_eq!(lowered("struct s { long a, b, c, d, e; };"), None);
        assert_eq!(lowered("struct s { float a, b, c, d, e; };"), None);
        assert_eq!(lowered("struct s { char big[4096]; };"), None);
    }
}
