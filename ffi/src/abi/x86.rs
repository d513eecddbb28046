//! The 32-bit x86 conventions: cdecl, stdcall, fastcall and thiscall, with the System V i386
//! rules (Linux, as GCC implements them) and the Windows x86 rules (Microsoft's "Argument
//! passing and naming conventions" pages: `__cdecl`, `__stdcall`, `__fastcall`,
//! `__thiscall`).
//!
//! What every convention shares: arguments are pushed right to left, so argument `i` is above
//! argument `i - 1`; each stack argument takes its size rounded up to 4 bytes at a 4-byte
//! aligned offset (GCC aligns no C type of the matrix more, not even `aligned(16)` structs);
//! `char`, `short` and `_Bool` are extended to 32 bits (GCC's callees extend again, Clang's
//! rely on it); integers up to 4 bytes come back in eax, 8-byte ones in edx:eax, `float`,
//! `double` and `long double` in st(0).
//!
//! Where Linux and Windows differ:
//! - Results that are structs and unions: System V returns every one through a hidden
//!   pointer, `_Complex float` in edx:eax and other complex types through a hidden pointer;
//!   Windows returns aggregates of 1, 2, 4 and 8 bytes in eax (edx:eax for 8) and others
//!   through a hidden pointer (GCC's `-freg-struct-return` is the same for integer-only
//!   structs). The hidden pointer is the first argument and comes back in eax.
//! - Who pops the hidden pointer under cdecl: the callee on System V (`ret $4`), the caller on
//!   Windows (GCC's `callee_pop_aggregate_return(0)`).
//! - fastcall and thiscall registers: Microsoft gives ECX and EDX to "the first two DWORD or
//!   smaller arguments found in the argument list from left to right" and passes structs on
//!   the stack; GCC counts every integer-class argument against the two registers by its size
//!   in words even when it goes to the stack (a `long long` or a struct before an `int` leaves
//!   it no register), while floating-point arguments count nothing, nor do structs made of
//!   one floating-point value (GCC gives them the value's machine mode).
//! - Stack alignment at the call: 16 bytes on Linux (GCC assumes it), 4 on Windows.
//!
//! fastcall and thiscall put a hidden result pointer in ECX (GCC; it is their first register
//! argument), stdcall, fastcall and thiscall callees pop their stack arguments, and a variadic
//! function of any of them is cdecl ("the compiler makes vararg functions __cdecl"). For
//! thiscall on Windows this is GCC's choice too; MSVC's C++ member functions keep `this` in ECX
//! and pass the result pointer on the stack (not checked: no MSVC here).

use super::aggregate::{value_kind, ValueKind};
use super::plan::{align_to, ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan};
use super::regs::Gpr;
use super::sysv_x64::size_align;
use super::{Abi, Signature};
use crate::ctype::{layout_of, ArrayLen, CType, CTypeId, CTypeTable, FloatKind, RecordKind};
use crate::error::AbiError;
use crate::target::{Os, Target};

use super::regs::x86::{EAX, ECX, EDX};

/// How an argument competes for fastcall/thiscall registers.
enum RegClass {
    /// An integer, enumeration, `bool` or pointer of at most 4 bytes: may take a register.
    Dword,
    /// Floating-point scalars and complex numbers: always on the stack, counting nothing.
    Float,
    /// 8-byte integers and aggregates: on the stack; GCC counts their words against the
    /// registers, Microsoft does not.
    Wide,
}

/// Whether GCC gives the struct `ty` a floating-point machine mode: a struct (not a union)
/// made of exactly one float, double, long double or complex number (through nested structs
/// and one-element arrays), which fastcall and thiscall then treat as that floating value.
fn float_mode_struct(types: &CTypeTable, ty: CTypeId, target: Target) -> Result<bool, AbiError> {
    let (ty, _) = types.unqualified(ty);
    let size = layout_of(types, ty, target)?.size;
    Ok(match types.get(ty) {
        CType::Float(_) | CType::Complex(_) => true,
        CType::Array { elem, len: ArrayLen::Fixed(1) } => float_mode_struct(types, *elem, target)?,
        CType::Record(r) if r.kind == RecordKind::Struct => {
            let layout = layout_of(types, ty, target)?;
            let sized: Vec<_> = layout.fields.iter().filter(|f| f.size > 0).collect();
            match sized.as_slice() {
                [f] if f.offset == 0 && f.size == size && f.bitfield.is_none() => {
                    float_mode_struct(types, f.ty, target)?
                }
                _ => false,
            }
        }
        _ => false,
    })
}

fn reg_class(kind: ValueKind) -> RegClass {
    match kind {
        ValueKind::Int { size: 1..=4, .. } | ValueKind::Bool | ValueKind::Pointer => RegClass::Dword,
        ValueKind::Float(_) | ValueKind::Complex(_) => RegClass::Float,
        ValueKind::Int { .. } | ValueKind::Record | ValueKind::Void => RegClass::Wide,
    }
}

/// The convention actually used: variadic stdcall, fastcall and thiscall functions are cdecl.
fn effective_abi(abi: Abi, variadic: bool) -> Abi {
    if variadic {
        Abi::Cdecl
    } else {
        abi
    }
}

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

fn ret_plan(kind: ValueKind, size: u32, target: Target) -> Option<RetPlan> {
    let eax = |size| Part { offset: 0, size, loc: Loc::Gpr(EAX), ext: Ext::None };
    let edx_eax = || {
        vec![
            Part { offset: 0, size: 4, loc: Loc::Gpr(EAX), ext: Ext::None },
            Part { offset: 4, size: 4, loc: Loc::Gpr(EDX), ext: Ext::None },
        ]
    };
    let windows = target.os == Os::Windows;
    Some(match kind {
        ValueKind::Void => RetPlan::Void,
        ValueKind::Int { size: 8, .. } => RetPlan::Direct(edx_eax()),
        ValueKind::Int { size, .. } => RetPlan::Direct(vec![eax(size)]),
        ValueKind::Bool => RetPlan::Direct(vec![eax(1)]),
        ValueKind::Pointer => RetPlan::Direct(vec![eax(4)]),
        // The x87 part's size is the value's format: 4, 8, or 10 (extended precision).
        ValueKind::Float(k) => {
            let bytes = match k {
                FloatKind::LongDouble if size > 8 => 10,
                _ => size,
            };
            RetPlan::Direct(vec![Part { offset: 0, size: bytes, loc: Loc::X87(0), ext: Ext::None }])
        }
        // System V: `_Complex float` in edx:eax, every other aggregate in memory.
        ValueKind::Complex(_) if !windows && size == 8 => RetPlan::Direct(edx_eax()),
        ValueKind::Complex(_) | ValueKind::Record if !windows => return None,
        // Windows: aggregates of 1, 2, 4 and 8 bytes in eax or edx:eax.
        ValueKind::Complex(_) | ValueKind::Record => match size {
            8 => RetPlan::Direct(edx_eax()),
            1 | 2 | 4 => RetPlan::Direct(vec![eax(size)]),
            _ => return None,
        },
    })
}

pub(super) fn classify(
    sig: &Signature<'_>,
    types: &CTypeTable,
    target: Target,
    abi: Abi,
) -> Result<CallPlan, AbiError> {
    let abi = effective_abi(abi, sig.func.variadic);
    let windows = target.os == Os::Windows;
    let ret_ty = sig.func.ret;
    let ret_kind = value_kind(types, ret_ty, target, abi)?;
    let (ret_size, ret_align) = size_align(types, ret_ty, ret_kind, target)?;

    let mut free_regs: &[Gpr] = match abi {
        Abi::Fastcall => &[ECX, EDX],
        Abi::Thiscall => &[ECX],
        _ => &[],
    };
    let mut stack = 0u32;
    let ret = match ret_plan(ret_kind, ret_size, target) {
        Some(plan) => plan,
        None => {
            let ptr = match free_regs.split_first() {
                Some((&reg, rest)) => {
                    free_regs = rest;
                    Loc::Gpr(reg)
                }
                None => {
                    stack = 4;
                    Loc::Stack(0)
                }
            };
            RetPlan::Indirect { ptr, echoed_in: Some(EAX) }
        }
    };

    let mut args = Vec::new();
    for (ty, variadic, attr) in sig.args() {
        let kind = value_kind(types, ty, target, abi)?;
        if kind == ValueKind::Void {
            return Err(super::void_argument(types, ty));
        }
        let (size, align) = size_align(types, ty, kind, target)?;
        if size == 0 {
            // An empty struct (a GNU C extension) takes no stack space on i386.
            args.push(ArgPlan { ty, size, align, variadic, attr, pass: Pass::Ignored });
            continue;
        }
        let promoted = variadic && kind == ValueKind::Float(FloatKind::Float);
        let ext = if promoted { Ext::FloatToDouble } else { small_int_ext(kind) };
        let class = match reg_class(kind) {
            RegClass::Wide if !windows && kind == ValueKind::Record && float_mode_struct(types, ty, target)? => {
                RegClass::Float
            }
            class => class,
        };
        let reg = match class {
            RegClass::Dword => match free_regs.split_first() {
                Some((&reg, rest)) => {
                    free_regs = rest;
                    Some(reg)
                }
                None => None,
            },
            RegClass::Float => None,
            RegClass::Wide => {
                if !windows {
                    let words = size.div_ceil(4) as usize;
                    free_regs = &free_regs[words.min(free_regs.len())..];
                }
                None
            }
        };
        let part = match reg {
            Some(reg) => Part { offset: 0, size, loc: Loc::Gpr(reg), ext },
            None => {
                let part = Part { offset: 0, size, loc: Loc::Stack(stack), ext };
                stack += align_to(if promoted { 8 } else { size }, 4);
                part
            }
        };
        args.push(ArgPlan { ty, size, align, variadic, attr, pass: Pass::Direct(vec![part]) });
    }

    let hidden_on_stack = matches!(ret, RetPlan::Indirect { ptr: Loc::Stack(_), .. });
    let callee_pops = match abi {
        Abi::Cdecl if hidden_on_stack && !windows => 4,
        Abi::Cdecl => 0,
        _ => stack,
    };
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
        stack: StackPlan { shadow: 0, size: stack, align: if windows { 4 } else { 16 }, callee_pops },
    })
}

/// The name a Win32 C compiler gives the symbol of function `name` under `plan`'s convention
/// (Microsoft, "Argument passing and naming conventions"): `_name` for cdecl, `_name@N` for
/// stdcall and `@name@N` for fastcall, N the bytes of the parameter list (each parameter
/// rounded up to 4 bytes). `None` where no decoration applies: targets other than Windows
/// x86, and thiscall, which "applies only to C++" and "doesn't have a C name decoration
/// scheme".
pub fn decorated_name(plan: &CallPlan, name: &str) -> Option<String> {
    if plan.target.isa != crate::target::Isa::X86 || plan.target.os != Os::Windows {
        return None;
    }
    let bytes: u32 = plan.args.iter().map(|a| align_to(a.size, 4)).sum();
    match plan.abi {
        Abi::Cdecl => Some(format!("_{name}")),
        Abi::Stdcall => Some(format!("_{name}@{bytes}")),
        Abi::Fastcall => Some(format!("@{name}@{bytes}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{plan_call, render};
    use crate::Decl;

    fn plan(target: Target, cdef: &str, name: &str) -> CallPlan {
        let mut t = CTypeTable::new(target);
        t.cdef(cdef).unwrap();
        let Some(Decl::Function(f)) = t.lookup(name).cloned() else { panic!("{name}") };
        plan_call(&t, f.ty, &[], None, target).unwrap()
    }

    /// The examples of Microsoft's pages, decorated as they say.
    #[test]
    fn win32_decoration_follows_the_documented_examples() {
        let w = Target::I386_WINDOWS;
        // __stdcall: "int func( int a, double b ) is decorated as follows: _func@12".
        let p = plan(w, "int __stdcall func(int a, double b);", "func");
        assert_eq!(decorated_name(&p, "func").as_deref(), Some("_func@12"));
        // __cdecl: "Underscore character (_) is prefixed to names".
        let p = plan(w, "int func(int a, double b);", "func");
        assert_eq!(decorated_name(&p, "func").as_deref(), Some("_func"));
        // __fastcall: "@" prefixed, "@" and the parameter bytes suffixed, registers included.
        let p = plan(w, "int __fastcall func(int a, double b);", "func");
        assert_eq!(decorated_name(&p, "func").as_deref(), Some("@func@12"));
        let p = plan(w, "void __fastcall g(char c, short s, long long x);", "g");
        assert_eq!(decorated_name(&p, "g").as_deref(), Some("@g@16"));
        let p = plan(w, "void __stdcall h(void);", "h");
        assert_eq!(decorated_name(&p, "h").as_deref(), Some("_h@0"));
        // thiscall has no C decoration; a variadic stdcall function is cdecl.
        let p = plan(w, "int __thiscall m(void *self, int x);", "m");
        assert_eq!(decorated_name(&p, "m"), None);
        let p = plan(w, "int __stdcall v(int n, ...);", "v");
        assert_eq!(decorated_name(&p, "v").as_deref(), Some("_v"));
        // Linux i386 symbols are the plain names.
        let p = plan(Target::I386_LINUX, "int __stdcall func(int a, double b);", "func");
        assert_eq!(decorated_name(&p, "func"), None);
    }

    #[test]
    fn fastcall_registers_gcc_and_microsoft() {
        let cdef = "struct s1 { char c; }; int __fastcall f(struct s1 a, int b, int c);";
        let text = |target| {
            let mut t = CTypeTable::new(target);
            t.cdef(cdef).unwrap();
            let Some(Decl::Function(f)) = t.lookup("f").cloned() else { panic!() };
            render(&plan_call(&t, f.ty, &[], None, target).unwrap(), &t, &f.param_names)
        };
        // GCC counts the struct's word against ECX: b takes EDX, c the stack.
        assert!(text(Target::I386_LINUX).contains("arg 2 `int b` -> edx"), "{}", text(Target::I386_LINUX));
        // Microsoft passes the struct on the stack and the first two DWORDs in ECX and EDX.
        let w = text(Target::I386_WINDOWS);
        assert!(w.contains("arg 2 `int b` -> ecx") && w.contains("arg 3 `int c` -> edx"), "{w}");
    }
}
