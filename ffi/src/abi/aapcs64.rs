//! The AArch64 calling conventions: Arm's AAPCS64 ("Procedure Call Standard for the Arm 64-bit
//! Architecture", §6.8 "Parameter passing", stages A to C, and §6.9 "Result return") as Linux
//! uses it, and the two platforms that change it:
//!
//! - Apple arm64 ("Writing ARM64 code for Apple platforms"): the caller extends `char`,
//!   `short` and `bool` arguments to 32 bits; arguments on the stack take only their own size
//!   at their natural alignment (no 8-byte slots, the total padded to 8); variadic arguments
//!   all go on the stack, after the fixed ones, in 8-byte slots. `long double` is `double`.
//! - Windows arm64 (Microsoft, "Overview of ARM64 ABI conventions"): AAPCS64 for fixed
//!   arguments; in a variadic function every argument is laid out as on an imaginary stack
//!   (rules C.12 to C.15, HFAs treated as other composites, no vector registers) whose first
//!   64 bytes go to x0-x7, so a float travels in an integer register and a composite can be
//!   split between x7 and the stack. `long double` is `double`.
//!
//! Where the documents leave a choice to the compiler, the rule cites GCC (Linux) or Clang
//! (Apple, Windows), the compilers of those platforms. rivet's C has no vector types, so there
//! are no short vectors and no HVAs.

use super::aggregate::{float_class, leaves, value_kind, LeafClass, ValueKind};
use super::plan::{align_to, ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan};
use super::regs::Gpr;
use super::sysv_x64::size_align;
use super::{Abi, Signature};
use crate::ctype::{layout_of, CType, CTypeId, CTypeTable, FloatKind};
use crate::error::AbiError;
use crate::target::{Os, Target};

/// x8, the indirect result location register (AAPCS64 §6.9, "Result return").
pub const INDIRECT_RESULT: Gpr = Gpr(8);
/// x0-x7 and v0-v7 carry arguments (AAPCS64 §6.8.2, rules C.1 and C.7).
const ARG_REGS: u32 = 8;

/// The platform rules on top of AAPCS64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    Linux,
    Apple,
    Windows,
}

impl Flavor {
    fn abi(self) -> Abi {
        match self {
            Flavor::Linux => Abi::Aapcs64,
            Flavor::Apple => Abi::Arm64Apple,
            Flavor::Windows => Abi::Arm64Win,
        }
    }
}

/// What stage B leaves of an argument (or result), before registers are given out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// A size-0 struct (a GNU C extension): GCC and Clang pass and return nothing for it.
    Empty,
    /// Integral or pointer type of at most 8 bytes.
    Int { size: u32 },
    /// Half-, single-, double- or quad-precision floating point (rule C.1).
    Float { size: u32 },
    /// A homogeneous floating-point aggregate: 1 to 4 members of one floating type, a complex
    /// number included (§5.9.5, "Homogeneous Aggregates").
    Hfa { member: u32, count: u32 },
    /// Any other composite of at most 16 bytes (rule B.5 rounds its size up to 8 bytes).
    Composite,
    /// A composite larger than 16 bytes that is not an HFA: copied by the caller, a pointer to
    /// the copy passed instead (rule B.4); returned through x8.
    Memory,
}

/// The kind of `ty`, `va_list` included: AAPCS64 §10.1.5 makes it a 32-byte struct
/// (`__va_list`), so on Linux it is a composite (passed by reference, being over 16 bytes);
/// Apple and Microsoft make it a `char *`.
fn kind_of(types: &CTypeTable, ty: CTypeId, target: Target, abi: Abi) -> Result<ValueKind, AbiError> {
    match types.get(types.unqualified(ty).0) {
        CType::VaList if target.os == Os::Linux => Ok(ValueKind::Record),
        CType::VaList => Ok(ValueKind::Pointer),
        _ => value_kind(types, ty, target, abi),
    }
}

/// The HFA `ty` is, if it is one: every scalar of the same floating type, no padding, 1 to 4
/// members (§5.9.5; unions count their largest member, as GCC does).
fn hfa(types: &CTypeTable, ty: CTypeId, size: u32, target: Target) -> Result<Option<(u32, u32)>, AbiError> {
    let Some(leaves) = leaves(types, ty, target, 64)? else { return Ok(None) };
    let Some(first) = leaves.first() else { return Ok(None) };
    let member = match first.class {
        LeafClass::Float => 4,
        LeafClass::Double => 8,
        LeafClass::Quad => 16,
        _ => return Ok(None),
    };
    let uniform = leaves
        .iter()
        .all(|l| l.class == first.class && !l.bitfield && !l.misaligned && (l.offset as u32).is_multiple_of(member));
    let count = size / member;
    if !uniform || count == 0 || count > 4 || count * member != size {
        return Ok(None);
    }
    // Every member position must be covered (no padding hole standing in for a member).
    let covered = (0..count).all(|i| leaves.iter().any(|l| l.offset as u32 == i * member));
    Ok(covered.then_some((member, count)))
}

fn classify_value(
    types: &CTypeTable,
    ty: CTypeId,
    kind: ValueKind,
    size: u32,
    target: Target,
) -> Result<Class, AbiError> {
    Ok(match kind {
        ValueKind::Void => Class::Empty,
        ValueKind::Int { size, .. } => Class::Int { size },
        ValueKind::Bool => Class::Int { size: 1 },
        ValueKind::Pointer => Class::Int { size: 8 },
        ValueKind::Float(k) => Class::Float { size: float_class(k, target).1 as u32 },
        ValueKind::Complex(k) => Class::Hfa { member: float_class(k, target).1 as u32, count: 2 },
        ValueKind::Record if size == 0 => Class::Empty,
        ValueKind::Record => match hfa(types, ty, size, target)? {
            Some((member, count)) => Class::Hfa { member, count },
            None if size > 16 => Class::Memory,
            None => Class::Composite,
        },
    })
}

/// The alignment the rules C.8, C.12 and C.4 look at. GCC (Linux) takes a composite's
/// "natural alignment" from its members and ignores an `aligned` attribute on the composite
/// itself; Clang does the same for Windows and uses the declared alignment on Apple
/// platforms (for the stack: a 16-aligned struct goes to a 16-aligned slot).
fn natural_align(
    types: &CTypeTable,
    ty: CTypeId,
    kind: ValueKind,
    target: Target,
    flavor: Flavor,
) -> Result<u32, AbiError> {
    let layout = layout_of(types, ty, target)?;
    if kind != ValueKind::Record || flavor == Flavor::Apple {
        return Ok(layout.align);
    }
    Ok(layout.fields.iter().map(|f| f.align).max().unwrap_or(1))
}

/// The extension the caller applies to an integer narrower than 32 bits: C's default
/// argument promotions for variadic arguments everywhere, and every register argument on
/// Apple platforms ("the caller must perform such extensions, up to 32 bits").
fn small_int_ext(kind: ValueKind) -> Ext {
    match kind {
        ValueKind::Bool => Ext::Zero,
        ValueKind::Int { size, signed: true } if size < 4 => Ext::Sign,
        ValueKind::Int { size, signed: false } if size < 4 => Ext::Zero,
        _ => Ext::None,
    }
}

/// The allocation state of stage A: next general register, next vector register, next
/// stacked argument address (as an offset from sp at the call).
struct State {
    ngrn: u32,
    nsrn: u32,
    nsaa: u32,
}

impl State {
    fn gpr(&mut self) -> Loc {
        self.ngrn += 1;
        Loc::Gpr(Gpr(self.ngrn as u8 - 1))
    }

    /// Places `size` bytes on the stack at `align` and returns the location.
    fn stack(&mut self, size: u32, align: u32) -> Loc {
        self.nsaa = align_to(self.nsaa, align);
        let loc = Loc::Stack(self.nsaa);
        self.nsaa += size;
        loc
    }
}

pub(super) fn classify(
    sig: &Signature<'_>,
    types: &CTypeTable,
    target: Target,
    flavor: Flavor,
) -> Result<CallPlan, AbiError> {
    let abi = flavor.abi();
    let ret_ty = sig.func.ret;
    let ret_kind = kind_of(types, ret_ty, target, abi)?;
    let (ret_size, ret_align) = size_align(types, ret_ty, ret_kind, target)?;
    // §6.9: a result goes where it would go as the first argument; a composite that would go
    // in memory goes to memory the caller provides, its address in x8 (not returned).
    let ret = match classify_value(types, ret_ty, ret_kind, ret_size, target)? {
        _ if ret_kind == ValueKind::Void => RetPlan::Void,
        Class::Empty => RetPlan::Direct(Vec::new()),
        Class::Int { size } => RetPlan::Direct(vec![Part { offset: 0, size, loc: Loc::Gpr(Gpr(0)), ext: Ext::None }]),
        Class::Float { size } => RetPlan::Direct(vec![Part { offset: 0, size, loc: Loc::Vec(0), ext: Ext::None }]),
        Class::Hfa { member, count } => RetPlan::Direct(
            (0..count)
                .map(|i| Part { offset: i * member, size: member, loc: Loc::Vec(i as u8), ext: Ext::None })
                .collect(),
        ),
        Class::Composite => RetPlan::Direct(dword_parts(ret_size, 0)),
        Class::Memory => RetPlan::Indirect { ptr: Loc::Gpr(INDIRECT_RESULT), echoed_in: None },
    };

    let mut st = State { ngrn: 0, nsrn: 0, nsaa: 0 };
    let mut args = Vec::new();
    let windows_variadic = flavor == Flavor::Windows && sig.func.variadic;
    let mut apple_varargs_started = false;
    for (ty, variadic, attr) in sig.args() {
        let kind = kind_of(types, ty, target, abi)?;
        if kind == ValueKind::Void {
            return Err(super::void_argument(types, ty));
        }
        let (size, align) = size_align(types, ty, kind, target)?;
        let class = classify_value(types, ty, kind, size, target)?;
        let natural = natural_align(types, ty, kind, target, flavor)?;
        // C's default argument promotions: a variadic float is passed as a double.
        let promoted = variadic && kind == ValueKind::Float(FloatKind::Float);
        let int_ext = if variadic || flavor == Flavor::Apple { small_int_ext(kind) } else { Ext::None };
        let pass = if class == Class::Empty {
            Pass::Ignored
        } else if windows_variadic {
            windows_variadic_arg(&mut st, class, size, natural, promoted, int_ext)
        } else if flavor == Flavor::Apple && variadic {
            // Apple: "The NSAA is then rounded up to the next multiple of 8 bytes, and each
            // variadic argument is assigned to the appropriate number of 8-byte stack slots."
            if !apple_varargs_started {
                st.nsaa = align_to(st.nsaa, 8);
                apple_varargs_started = true;
            }
            let slot_align = if natural >= 16 { 16 } else { 8 };
            match class {
                Class::Memory => Pass::ByReference { ptr: st.stack(8, 8) },
                _ => {
                    let bytes = if promoted { 8 } else { align_to(size, 8) };
                    let ext = if promoted { Ext::FloatToDouble } else { int_ext };
                    Pass::Direct(vec![Part { offset: 0, size, loc: st.stack(bytes, slot_align), ext }])
                }
            }
        } else {
            aapcs_arg(&mut st, class, size, natural, promoted, int_ext, flavor)
        };
        args.push(ArgPlan { ty, size, align, variadic, attr, pass });
    }

    let stack_bytes = if windows_variadic { st.nsaa.saturating_sub(64) } else { st.nsaa };
    Ok(CallPlan {
        abi,
        target,
        fixed_args: sig.func.params.len() as u32,
        variadic: sig.func.variadic,
        vararg_marker: None,
        args,
        ret_ty,
        ret_size,
        ret_align,
        ret,
        // §6.4.5.1: sp is 16-byte aligned at a public interface; the argument area is padded
        // to 8 bytes (Apple: "insert padding on the stack to maintain the 8-byte alignment").
        stack: StackPlan { shadow: 0, size: align_to(stack_bytes, 8), align: 16, callee_pops: 0 },
    })
}

/// The general registers of a composite of `size` bytes starting at x`first`: one per
/// double-word, as if loaded from a double-word-aligned address (rule C.10).
fn dword_parts(size: u32, first: u32) -> Vec<Part> {
    (0..size.div_ceil(8))
        .map(|i| Part {
            offset: 8 * i,
            size: (size - 8 * i).min(8),
            loc: Loc::Gpr(Gpr((first + i) as u8)),
            ext: Ext::None,
        })
        .collect()
}

/// Stage C for one argument (AAPCS64 §6.8.2), with Apple's packed stack.
fn aapcs_arg(
    st: &mut State,
    class: Class,
    size: u32,
    natural: u32,
    promoted: bool,
    int_ext: Ext,
    flavor: Flavor,
) -> Pass {
    let apple = flavor == Flavor::Apple;
    let float_ext = if promoted { Ext::FloatToDouble } else { Ext::None };
    let part = |loc: Loc, ext: Ext| Pass::Direct(vec![Part { offset: 0, size, loc, ext }]);
    match class {
        Class::Float { size: bytes } => {
            // C.1; else C.4 (quad: its alignment), C.5 (8 bytes for a float), C.6.
            if st.nsrn < ARG_REGS {
                st.nsrn += 1;
                return part(Loc::Vec(st.nsrn as u8 - 1), float_ext);
            }
            let bytes = if promoted { 8 } else { bytes };
            let (slot, slot_align) = if apple { (bytes, bytes) } else { (bytes.max(8), bytes.max(8)) };
            part(st.stack(slot, slot_align), float_ext)
        }
        Class::Hfa { member, count } => {
            // C.2: one vector register per member.
            if st.nsrn + count <= ARG_REGS {
                let parts = (0..count)
                    .map(|i| Part {
                        offset: i * member,
                        size: member,
                        loc: Loc::Vec((st.nsrn + i) as u8),
                        ext: Ext::None,
                    })
                    .collect();
                st.nsrn += count;
                return Pass::Direct(parts);
            }
            // C.3: no more vector arguments; size rounded up to 8. C.4: aligned to at least 8.
            // Apple (Clang): the members are packed at their own alignment.
            st.nsrn = ARG_REGS;
            let (slot, slot_align) = if apple { (size, natural) } else { (align_to(size, 8), natural.max(8)) };
            part(st.stack(slot, slot_align), Ext::None)
        }
        Class::Int { size: bytes } => {
            // C.7; else C.11, C.12, C.14 (8-byte slot), C.15.
            if st.ngrn < ARG_REGS {
                return part(st.gpr(), int_ext);
            }
            if apple {
                part(st.stack(bytes, bytes), Ext::None)
            } else {
                part(st.stack(8, 8), int_ext)
            }
        }
        Class::Memory => {
            // B.4: a pointer to the caller's copy, allocated like any pointer (C.7, C.15).
            let ptr = if st.ngrn < ARG_REGS { st.gpr() } else { st.stack(8, 8) };
            Pass::ByReference { ptr }
        }
        Class::Composite => {
            // C.8: a 16-aligned composite starts at an even register (not on Apple platforms:
            // Clang passes it from the next register there). C.10: in consecutive registers
            // if they all fit; else C.11 (no more), C.12, C.13.
            if natural >= 16 && !apple {
                st.ngrn = align_to(st.ngrn, 2);
            }
            let dwords = size.div_ceil(8);
            if st.ngrn + dwords <= ARG_REGS {
                let parts = dword_parts(size, st.ngrn);
                st.ngrn += dwords;
                return Pass::Direct(parts);
            }
            st.ngrn = ARG_REGS;
            part(st.stack(align_to(size, 8), natural.max(8)), Ext::None)
        }
        Class::Empty => Pass::Ignored,
    }
}

/// Microsoft's addendum for variadic functions: every argument as if placed by C.12 to C.15
/// on an imaginary stack whose first 64 bytes are x0-x7 (a composite may straddle x7 and the
/// stack); floats travel as their bits; HFAs are ordinary composites (by reference above 16
/// bytes).
fn windows_variadic_arg(st: &mut State, class: Class, size: u32, natural: u32, promoted: bool, int_ext: Ext) -> Pass {
    let (bytes, ext) = match class {
        Class::Memory => (8, Ext::None),
        Class::Hfa { .. } if size > 16 => (8, Ext::None),
        Class::Float { .. } if promoted => (8, Ext::FloatToDouble),
        Class::Float { .. } => (align_to(size, 8), Ext::None),
        Class::Int { .. } => (8, int_ext),
        _ => (align_to(size, 8), Ext::None),
    };
    let by_reference = matches!(class, Class::Memory) || matches!(class, Class::Hfa { .. } if size > 16);
    // `nsaa` is the offset on the imaginary stack: 0..64 are x0-x7, the real stack follows.
    // A pointer to a copy is aligned as a pointer, not as the value it points to.
    let start = align_to(st.nsaa, if by_reference { 8 } else { natural.max(8) });
    st.nsaa = start + bytes;
    let place = |offset: u32| if offset < 64 { Loc::Gpr(Gpr((offset / 8) as u8)) } else { Loc::Stack(offset - 64) };
    if by_reference {
        return Pass::ByReference { ptr: place(start) };
    }
    let value_bytes = if promoted { 4 } else { size };
    if start >= 64 || bytes <= 8 {
        return Pass::Direct(vec![Part { offset: 0, size: value_bytes, loc: place(start), ext }]);
    }
    // A composite: double-words in registers while they last, the rest in one stack part.
    let mut parts = Vec::new();
    let mut offset = 0;
    while offset < size && start + offset < 64 {
        parts.push(Part { offset, size: (size - offset).min(8), loc: place(start + offset), ext: Ext::None });
        offset += 8;
    }
    if offset < size {
        parts.push(Part { offset, size: size - offset, loc: Loc::Stack(start + offset - 64), ext: Ext::None });
    }
    Pass::Direct(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::plan_call;

    /// The locations of the single argument of `void f(T)` for the declaration `decl` of `T`.
    fn arg_locs(target: Target, decl: &str, ty: &str) -> Pass {
        let mut t = CTypeTable::new(target);
        t.cdef(decl).unwrap();
        let f = t.parse_type(&format!("void (*)({ty})"), &[]).unwrap();
        plan_call(&t, f, &[], None, target).unwrap().args[0].pass.clone()
    }

    fn vec_parts(pass: &Pass) -> Vec<(u32, u32, Loc)> {
        match pass {
            Pass::Direct(parts) => parts.iter().map(|p| (p.offset, p.size, p.loc)).collect(),
            other => panic!("not direct: {other:?}"),
        }
    }

    #[test]
    fn homogeneous_aggregates() {
        let linux = Target::AARCH64_LINUX;
        let nested = arg_locs(linux, "struct s { float a[2]; struct { float b; } in; };", "struct s");
        assert_eq!(vec_parts(&nested), vec![(0, 4, Loc::Vec(0)), (4, 4, Loc::Vec(1)), (8, 4, Loc::Vec(2))]);
        // A union of members of one type: as many members as its largest.
        let union = arg_locs(linux, "union u { double a; double b[2]; };", "union u");
        assert_eq!(vec_parts(&union), vec![(0, 8, Loc::Vec(0)), (8, 8, Loc::Vec(1))]);
        // Mixed float types, an integer member or five members: not HFAs.
        let mixed = arg_locs(linux, "struct s { float a; double b; };", "struct s");
        assert_eq!(vec_parts(&mixed), vec![(0, 8, Loc::Gpr(Gpr(0))), (8, 8, Loc::Gpr(Gpr(1)))]);
        let with_int = arg_locs(linux, "union u { float a; int b; };", "union u");
        assert_eq!(vec_parts(&with_int), vec![(0, 4, Loc::Gpr(Gpr(0)))]);
        let five = arg_locs(linux, "struct s { float a[5]; };", "struct s");
        assert_eq!(five, Pass::ByReference { ptr: Loc::Gpr(Gpr(0)) });
        // Quad-precision members on Linux, doubles on Apple platforms.
        let quad = arg_locs(linux, "struct s { long double a, b; };", "struct s");
        assert_eq!(vec_parts(&quad), vec![(0, 16, Loc::Vec(0)), (16, 16, Loc::Vec(1))]);
        let apple = arg_locs(Target::AARCH64_MACOS, "struct s { long double a, b; };", "struct s");
        assert_eq!(vec_parts(&apple), vec![(0, 8, Loc::Vec(0)), (8, 8, Loc::Vec(1))]);
    }

    /// Where the 16-aligned struct `ty` goes after an `int`, in registers and after eight
    /// longs and an `int` on the stack (Clang 14's output for arm64-apple-macos, GCC's for
    /// Linux).
    fn aligned_struct(target: Target, decl: &str) -> (Loc, Loc) {
        let mut t = CTypeTable::new(target);
        t.cdef(decl).unwrap();
        let f = t.parse_type("void (*)(int, struct s)", &[]).unwrap();
        let in_regs = vec_parts(&plan_call(&t, f, &[], None, target).unwrap().args[1].pass)[0].2;
        let f = t.parse_type("void (*)(long, long, long, long, long, long, long, long, int, struct s)", &[]).unwrap();
        let on_stack = vec_parts(&plan_call(&t, f, &[], None, target).unwrap().args[9].pass)[0].2;
        (in_regs, on_stack)
    }

    #[test]
    fn sixteen_aligned_composites() {
        let declared = "struct s { long a, b; } __attribute__((aligned(16)));";
        let member = "struct s { long a __attribute__((aligned(16))); long b; };";
        let (x1, x2, stack8, stack16) = (Loc::Gpr(Gpr(1)), Loc::Gpr(Gpr(2)), Loc::Stack(8), Loc::Stack(16));
        assert_eq!(aligned_struct(Target::AARCH64_LINUX, declared), (x1, stack8), "GCC: the members' alignment");
        assert_eq!(aligned_struct(Target::AARCH64_LINUX, member), (x2, stack16));
        assert_eq!(aligned_struct(Target::AARCH64_MACOS, declared), (x1, stack16), "Clang: no even register");
        assert_eq!(aligned_struct(Target::AARCH64_MACOS, member), (x1, stack16));
    }

    #[test]
    fn every_flavor_emits_stubs_and_trampolines() {
        for target in [Target::AARCH64_LINUX, Target::AARCH64_MACOS, Target::AARCH64_WINDOWS] {
            let mut t = CTypeTable::new(target);
            t.cdef("struct big { char c[40]; }; struct hfa { float a, b, c; };").unwrap();
            for ty in [
                "struct big (*)(char, short, struct hfa, struct big, double, double, double, double, double, double, \
                 float, long double, long, long, long, long, long, long, long, char, struct hfa)",
                "struct hfa (*)(void)",
            ] {
                let f = t.parse_type(ty, &[]).unwrap();
                let plan = plan_call(&t, f, &[], None, target).unwrap();
                assert!(!crate::jit::call_stub_code(&plan).unwrap().is_empty());
                assert!(!crate::jit::trampoline_code(&plan).unwrap().body.is_empty());
            }
            let f = t.parse_type("int (*)(const char *, ...)", &[]).unwrap();
            let varargs: Vec<_> = ["float", "struct hfa", "char", "struct big", "double"]
                .iter()
                .map(|v| t.parse_type(v, &[]).unwrap())
                .collect();
            let plan = plan_call(&t, f, &varargs, None, target).unwrap();
            assert!(!crate::jit::call_stub_code(&plan).unwrap().is_empty());
        }
    }
}
