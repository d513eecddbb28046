//! The call plan: for one signature under one calling convention, where every argument and
//! the result live at the moment of the call. Plain data with no knowledge of instructions;
//! the emitters in `jit/` turn it into code, [`render`](super::render) into text for people.

use super::regs::Gpr;
use super::Abi;
use crate::ctype::{CTypeId, ParamAttr};
use crate::target::Target;

/// A place a value (or part of one) occupies at the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loc {
    /// A general-purpose register.
    Gpr(Gpr),
    /// Vector/floating-point register `n` (`xmm n`): a 4-byte part is a `float` in the low
    /// lane, an 8-byte part a `double` or two `float`s.
    Vec(u8),
    /// x87 register `st(n)`, holding an 80-bit extended value (results only).
    X87(u8),
    /// The outgoing argument area, at this offset from the stack pointer at the call
    /// instruction (so Win64 stack arguments start at 32, after the shadow space).
    Stack(u32),
}

/// What the caller does to a value narrower than its location before the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ext {
    /// Nothing: the bits above the value are undefined.
    None,
    /// Sign-extended to at least 32 bits (signed `char` and `short`).
    Sign,
    /// Zero-extended to at least 32 bits (`bool`, unsigned `char` and `short`).
    Zero,
    /// A `float` passed as a variadic argument, promoted to `double` (C's default argument
    /// promotions): the part is the 4-byte `float`, its location receives the 8-byte `double`.
    FloatToDouble,
}

/// A run of bytes of a value and where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Part {
    /// Offset of the first byte within the value.
    pub offset: u32,
    /// Number of bytes of the value carried. A register part may be shorter than the
    /// register; a stack part is the whole stack copy (its slot is rounded up to 8 bytes).
    pub size: u32,
    pub loc: Loc,
    pub ext: Ext,
}

/// How one argument is passed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Pass {
    /// The value's bytes themselves, in one or more parts (several when an aggregate is split
    /// across registers, two identical-offset parts when Win64 duplicates a variadic float).
    Direct(Vec<Part>),
    /// A pointer to a copy the caller owns (and the callee may modify) goes in `ptr`.
    ByReference { ptr: Loc },
    /// The argument is a pointer to a pointer-sized slot: the slot's value is passed in `reg`
    /// and the value the callee leaves in `reg` is stored back into the slot after the call
    /// (Swift's `swift_error_result`).
    InOutRegister { reg: Gpr },
    /// Nothing is passed (an empty struct under System V).
    Ignored,
}

/// One argument of the call, in C order (the fixed parameters, then the variadic ones).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArgPlan {
    /// The argument's type as declared (for a variadic argument, as given, before promotion).
    pub ty: CTypeId,
    /// Size and alignment of the value on the plan's target.
    pub size: u32,
    pub align: u32,
    /// Whether the argument matches the `...` of the prototype.
    pub variadic: bool,
    /// The Swift attribute the parameter carries, if any.
    pub attr: ParamAttr,
    pub pass: Pass,
}

/// How the result comes back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RetPlan {
    Void,
    /// In registers: parts of the result value, as for arguments (`Loc::Stack` never occurs).
    Direct(Vec<Part>),
    /// In memory the caller provides: a pointer to it is passed in `ptr` (before the
    /// arguments take their registers) and the callee writes the result there. `echoed_in`:
    /// the register in which the callee returns that pointer.
    Indirect {
        ptr: Loc,
        echoed_in: Option<Gpr>,
    },
}

/// How a call to a variadic function is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarargMarker {
    /// System V x86-64: `al` holds (an upper bound of) the number of vector registers used.
    VectorCountInAl(u8),
}

/// The stack side of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StackPlan {
    /// Bytes at the bottom of the outgoing area the caller reserves for the callee (Win64's
    /// home area for the four register arguments).
    pub shadow: u32,
    /// Bytes of outgoing area the call uses, from the stack pointer: shadow space and stack
    /// arguments, rounded up to a multiple of 8.
    pub size: u32,
    /// Alignment of the stack pointer at the call instruction.
    pub align: u32,
    /// Bytes of arguments the callee pops on return (0: the caller pops).
    pub callee_pops: u32,
}

/// Where every argument and the result of one call live.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallPlan {
    pub abi: Abi,
    pub target: Target,
    pub args: Vec<ArgPlan>,
    /// The result type, its size and alignment (0 and 1 for `void`).
    pub ret_ty: CTypeId,
    pub ret_size: u32,
    pub ret_align: u32,
    pub ret: RetPlan,
    pub stack: StackPlan,
    /// Whether the function is variadic; `fixed_args` of `args` match the prototype.
    pub variadic: bool,
    pub fixed_args: u32,
    pub vararg_marker: Option<VarargMarker>,
}

impl CallPlan {
    /// Every location the plan writes before the call (argument parts, hidden pointers).
    pub fn arg_locs(&self) -> impl Iterator<Item = Loc> + '_ {
        let ret_ptr = match &self.ret {
            RetPlan::Indirect { ptr, .. } => Some(*ptr),
            _ => None,
        };
        ret_ptr.into_iter().chain(self.args.iter().flat_map(|a| {
            let locs: Vec<Loc> = match &a.pass {
                Pass::Direct(parts) => parts.iter().map(|p| p.loc).collect(),
                Pass::ByReference { ptr } => vec![*ptr],
                Pass::InOutRegister { reg } => vec![Loc::Gpr(*reg)],
                Pass::Ignored => vec![],
            };
            locs
        }))
    }
}

/// Rounds `value` up to a multiple of `align` (a power of two).
pub(crate) fn align_to(value: u32, align: u32) -> u32 {
    debug_assert!(align.is_power_of_two());
    (value + align - 1) & !(align - 1)
}
