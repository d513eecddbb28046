//! Calling conventions: a pure function per convention from a function type (and the types of
//! the variadic arguments of one call) to a [`CallPlan`], plain data saying where every
//! argument and the result live. Nothing here knows instructions (that is `jit/`) or runs on
//! a particular host: every convention can be planned for any [`Target`] anywhere.
//!
//! ```
//! use rivet_ffi::{abi, CTypeTable, Target};
//! let mut types = CTypeTable::new(Target::X86_64_LINUX);
//! types.cdef("struct pt { double x; long tag; }; int f(signed char c, struct pt p);").unwrap();
//! let f = types.parse_type("int (*)(signed char, struct pt)", &[]).unwrap();
//! let plan = abi::plan_call(&types, f, &[], None, Target::X86_64_LINUX).unwrap();
//! let text = abi::render(&plan, &types, &[Some("c"), Some("p")]);
//! // The example of the README's "Calling conventions".
//! assert_eq!(text, "\
//! sysv64 on x86_64-linux: int (signed char c, struct pt p)
//!   arg 1 `signed char c` -> dil (sign-extended)
//!   arg 2 `struct pt p` (16 bytes) -> xmm0 [bytes 0..8] + rsi [bytes 8..16]
//!   result `int` -> eax
//!   stack: no arguments; rsp 16-aligned at the call; the caller pops
//! ");
//! ```
#![forbid(unsafe_code)]

mod aapcs64;
mod aggregate;
mod plan;
pub mod regs;
mod render;
mod swift;
mod sysv_x64;
mod win64;
mod x86;

use std::fmt;

pub use plan::{ArgPlan, CallPlan, Ext, Loc, Part, Pass, RetPlan, StackPlan, VarargMarker};
pub use regs::Gpr;
pub use render::{render, render_named};
pub use x86::decorated_name;

use crate::ctype::{CType, CTypeId, CTypeTable, CallConv, FuncType};
use crate::error::AbiError;
use crate::target::{Isa, Os, Target};

/// A calling convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Abi {
    /// The System V AMD64 psABI (Linux, macOS and the BSDs on x86-64; `sysv_abi` anywhere).
    SysvX64,
    /// The Microsoft x64 convention (Windows on x86-64; `ms_abi` anywhere).
    Win64,
    /// Swift's convention on x86-64 (`swiftcall`), as Clang implements it.
    SwiftX64,
    /// 32-bit x86 `__cdecl` (the C default on i386): the caller pops.
    Cdecl,
    /// 32-bit x86 `__stdcall` (the Win32 API): the callee pops.
    Stdcall,
    /// 32-bit x86 `__fastcall`: two arguments in ECX and EDX, the callee pops.
    Fastcall,
    /// 32-bit x86 `__thiscall`: `this` in ECX, the callee pops.
    Thiscall,
    /// Arm's AAPCS64 as Linux uses it.
    Aapcs64,
    /// AAPCS64 with Apple's arm64 changes (macOS, iOS).
    Arm64Apple,
    /// AAPCS64 with Microsoft's arm64 changes (Windows).
    Arm64Win,
}

impl Abi {
    /// Every convention, in the order `ffi.plan` documents them.
    pub const ALL: [Abi; 10] = [
        Abi::SysvX64,
        Abi::Win64,
        Abi::SwiftX64,
        Abi::Cdecl,
        Abi::Stdcall,
        Abi::Fastcall,
        Abi::Thiscall,
        Abi::Aapcs64,
        Abi::Arm64Apple,
        Abi::Arm64Win,
    ];

    /// The name users write (`ffi.plan(decl, "win64")`).
    pub fn name(self) -> &'static str {
        match self {
            Abi::SysvX64 => "sysv64",
            Abi::Win64 => "win64",
            Abi::SwiftX64 => "swift64",
            Abi::Cdecl => "cdecl",
            Abi::Stdcall => "stdcall",
            Abi::Fastcall => "fastcall",
            Abi::Thiscall => "thiscall",
            Abi::Aapcs64 => "aapcs64",
            Abi::Arm64Apple => "arm64-apple",
            Abi::Arm64Win => "arm64-win",
        }
    }

    pub fn from_name(name: &str) -> Option<Abi> {
        Abi::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The target a plan for this convention is made for when none is named (`ffi.plan`):
    /// the host when the convention is the host's, else the platform the convention is
    /// native to.
    pub fn home_target(self, host: Option<Target>) -> Target {
        let native = match self {
            Abi::SysvX64 | Abi::SwiftX64 => Target::X86_64_LINUX,
            Abi::Win64 => Target::X86_64_WINDOWS,
            // stdcall, fastcall and thiscall are Win32's; cdecl is planned for Linux.
            Abi::Cdecl => Target::I386_LINUX,
            Abi::Stdcall | Abi::Fastcall | Abi::Thiscall => Target::I386_WINDOWS,
            Abi::Aapcs64 => Target::AARCH64_LINUX,
            Abi::Arm64Apple => Target::AARCH64_MACOS,
            Abi::Arm64Win => Target::AARCH64_WINDOWS,
        };
        match host {
            Some(h) if Abi::for_function(CallConv::C, h) == Ok(self) => h,
            _ => native,
        }
    }

    /// The instruction set the convention belongs to.
    pub fn isa(self) -> Isa {
        match self {
            Abi::SysvX64 | Abi::Win64 | Abi::SwiftX64 => Isa::X64,
            Abi::Cdecl | Abi::Stdcall | Abi::Fastcall | Abi::Thiscall => Isa::X86,
            Abi::Aapcs64 | Abi::Arm64Apple | Abi::Arm64Win => Isa::Aarch64,
        }
    }

    /// The convention a function declared with `conv` uses on `target`.
    pub fn for_function(conv: CallConv, target: Target) -> Result<Abi, AbiError> {
        let unsupported = |what: String| Err(AbiError::Unsupported { abi: "abi", what });
        match target.isa {
            Isa::X64 => Ok(match conv {
                // MS x64 "Calling conventions": __stdcall, __fastcall and __thiscall are
                // accepted and ignored on x64, as GCC and Clang do too.
                CallConv::C | CallConv::Stdcall | CallConv::Fastcall | CallConv::Thiscall => {
                    if target.os == Os::Windows {
                        Abi::Win64
                    } else {
                        Abi::SysvX64
                    }
                }
                CallConv::MsAbi => Abi::Win64,
                CallConv::SysvAbi => Abi::SysvX64,
                CallConv::Swift if target.os == Os::Windows => {
                    return unsupported(format!("the Swift calling convention on {target}"))
                }
                CallConv::Swift => Abi::SwiftX64,
            }),
            Isa::X86 => match conv {
                CallConv::C => Ok(Abi::Cdecl),
                CallConv::Stdcall => Ok(Abi::Stdcall),
                CallConv::Fastcall => Ok(Abi::Fastcall),
                CallConv::Thiscall => Ok(Abi::Thiscall),
                CallConv::MsAbi | CallConv::SysvAbi | CallConv::Swift => {
                    unsupported(format!("the {} convention on {target}", conv.c_name().unwrap_or("C")))
                }
            },
            Isa::Aarch64 => match conv {
                // MS "Argument passing and naming conventions": __stdcall, __fastcall and
                // __thiscall are accepted and ignored on ARM64.
                CallConv::C | CallConv::Stdcall | CallConv::Fastcall | CallConv::Thiscall => Ok(match target.os {
                    Os::Linux => Abi::Aapcs64,
                    Os::Macos => Abi::Arm64Apple,
                    Os::Windows => Abi::Arm64Win,
                }),
                CallConv::MsAbi | CallConv::SysvAbi | CallConv::Swift => {
                    unsupported(format!("{} on {target}", conv.c_name().unwrap_or("this convention")))
                }
            },
        }
    }
}

impl fmt::Display for Abi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The function type `ty` names: a function type or a pointer to one, qualifiers ignored.
pub fn function_type(types: &CTypeTable, ty: CTypeId) -> Result<&FuncType, AbiError> {
    let (mut ty, _) = types.unqualified(ty);
    if let CType::Pointer(target) = types.get(ty) {
        ty = types.unqualified(*target).0;
    }
    match types.get(ty) {
        CType::Func(f) => Ok(f),
        _ => Err(AbiError::NotAFunction { ty: types.render(ty) }),
    }
}

/// Plans a call of the function type `func` (or pointer to one) with `varargs` as the types
/// of the variadic arguments of this call (empty for a non-variadic function). `abi` overrides
/// the convention the function type declares (`None`: the declared one on `target`).
pub fn plan_call(
    types: &CTypeTable,
    func: CTypeId,
    varargs: &[CTypeId],
    abi: Option<Abi>,
    target: Target,
) -> Result<CallPlan, AbiError> {
    let f = function_type(types, func)?;
    let abi = match abi {
        Some(abi) => abi,
        None => Abi::for_function(f.conv, target)?,
    };
    if abi.isa() != target.isa {
        return Err(AbiError::Unsupported { abi: abi.name(), what: format!("the target {target}") });
    }
    if !varargs.is_empty() && !f.variadic {
        return Err(AbiError::BadVarargs { message: format!("'{}' takes no variadic arguments", types.render(func)) });
    }
    let sig = Signature { func: f, varargs };
    let plan = match abi {
        Abi::SysvX64 => sysv_x64::classify(&sig, types, target)?,
        Abi::Win64 => win64::classify(&sig, types, target)?,
        Abi::SwiftX64 => swift::classify(&sig, types, target)?,
        Abi::Cdecl | Abi::Stdcall | Abi::Fastcall | Abi::Thiscall => x86::classify(&sig, types, target, abi)?,
        Abi::Aapcs64 => aapcs64::classify(&sig, types, target, aapcs64::Flavor::Linux)?,
        Abi::Arm64Apple => aapcs64::classify(&sig, types, target, aapcs64::Flavor::Apple)?,
        Abi::Arm64Win => aapcs64::classify(&sig, types, target, aapcs64::Flavor::Windows)?,
    };
    debug_assert_eq!(plan.args.len(), f.params.len() + varargs.len());
    Ok(plan)
}

/// One call's signature: the prototype and the types of the variadic arguments.
pub(crate) struct Signature<'a> {
    pub func: &'a FuncType,
    pub varargs: &'a [CTypeId],
}

impl Signature<'_> {
    /// Every argument: its type, whether it is variadic, and its Swift attribute.
    pub fn args(&self) -> impl Iterator<Item = (CTypeId, bool, crate::ctype::ParamAttr)> + '_ {
        let fixed = self
            .func
            .params
            .iter()
            .enumerate()
            .map(|(i, &ty)| (ty, false, self.func.param_attrs.get(i).copied().unwrap_or_default()));
        fixed.chain(self.varargs.iter().map(|&ty| (ty, true, Default::default())))
    }
}

/// The error for an argument of type `void` (only a variadic argument can be one).
pub(crate) fn void_argument(types: &CTypeTable, ty: CTypeId) -> AbiError {
    AbiError::BadVarargs { message: format!("cannot pass '{}' as an argument", types.render(ty)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_by_target() {
        let linux = Target::X86_64_LINUX;
        let windows = Target::X86_64_WINDOWS;
        assert_eq!(Abi::for_function(CallConv::C, linux), Ok(Abi::SysvX64));
        assert_eq!(Abi::for_function(CallConv::C, windows), Ok(Abi::Win64));
        assert_eq!(Abi::for_function(CallConv::Stdcall, windows), Ok(Abi::Win64));
        assert_eq!(Abi::for_function(CallConv::MsAbi, linux), Ok(Abi::Win64));
        assert_eq!(Abi::for_function(CallConv::SysvAbi, windows), Ok(Abi::SysvX64));
        assert_eq!(Abi::for_function(CallConv::Swift, linux), Ok(Abi::SwiftX64));
        assert!(Abi::for_function(CallConv::Swift, windows).is_err());
        assert_eq!(Abi::for_function(CallConv::C, Target::I386_LINUX), Ok(Abi::Cdecl));
        assert_eq!(Abi::for_function(CallConv::Fastcall, Target::I386_WINDOWS), Ok(Abi::Fastcall));
        assert!(Abi::for_function(CallConv::MsAbi, Target::I386_LINUX).is_err());
        assert_eq!(Abi::for_function(CallConv::C, Target::AARCH64_MACOS), Ok(Abi::Arm64Apple));
        assert_eq!(Abi::for_function(CallConv::Stdcall, Target::AARCH64_WINDOWS), Ok(Abi::Arm64Win));
        assert_eq!(Abi::for_function(CallConv::C, Target::AARCH64_LINUX), Ok(Abi::Aapcs64));
        assert!(Abi::for_function(CallConv::Swift, Target::AARCH64_LINUX).is_err());
        for abi in Abi::ALL {
            assert_eq!(Abi::from_name(abi.name()), Some(abi));
        }
    }

    #[test]
    fn bad_requests_are_errors() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef("struct inc; int f(int); int g(int, ...); int h(struct inc);").unwrap();
        let ty = |t: &mut CTypeTable, s: &str| t.parse_type(s, &[]).unwrap();
        let (f, g, h, int, void) = (
            ty(&mut t, "int (*)(int)"),
            ty(&mut t, "int (*)(int, ...)"),
            ty(&mut t, "int (*)(struct inc)"),
            ty(&mut t, "int"),
            ty(&mut t, "void"),
        );
        let linux = Target::X86_64_LINUX;
        assert!(matches!(plan_call(&t, int, &[], None, linux), Err(AbiError::NotAFunction { .. })));
        assert!(matches!(plan_call(&t, f, &[int], None, linux), Err(AbiError::BadVarargs { .. })));
        assert!(matches!(plan_call(&t, g, &[void], None, linux), Err(AbiError::BadVarargs { .. })));
        assert!(matches!(plan_call(&t, h, &[], None, linux), Err(AbiError::Layout(_))));
        assert!(matches!(plan_call(&t, f, &[], Some(Abi::Cdecl), linux), Err(AbiError::Unsupported { .. })));
        let e = plan_call(&t, f, &[], Some(Abi::SysvX64), Target::AARCH64_LINUX).unwrap_err();
        assert_eq!(e.to_string(), "sysv64: the target aarch64-linux is not supported");
    }
}
