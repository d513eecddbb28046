//! Sizes, alignments and signedness of the scalar types per target: the data model tables of
//! the psABIs (x86-64 and i386 System V, AAPCS64 with Apple's and Microsoft's deltas, MSVC).
//!
//! Alignments are the ABI alignments members get inside records (C11 `_Alignof`): on i386
//! Linux `double`, `long long` and their relatives are 4-aligned there (i386 psABI, table 2.1),
//! although GCC's `__alignof__` reports the 8 it prefers for variables.

use super::super::types::{EnumBody, FloatKind, IntKind};
use crate::target::{Isa, Os, RecordDialect, Target};

/// The representation of an integer type on a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntRepr {
    pub size: u32,
    pub signed: bool,
}

/// Size and signedness of an integer kind.
pub fn int_repr(kind: IntKind, target: Target) -> IntRepr {
    let ptr = target.pointer_size();
    let (size, signed) = match kind {
        IntKind::Char => (1, target.char_is_signed()),
        IntKind::SChar => (1, true),
        IntKind::UChar => (1, false),
        IntKind::Short => (2, true),
        IntKind::UShort => (2, false),
        IntKind::Int => (4, true),
        IntKind::UInt => (4, false),
        IntKind::Long => (target.long_size(), true),
        IntKind::ULong => (target.long_size(), false),
        IntKind::LongLong => (8, true),
        IntKind::ULongLong => (8, false),
        // Windows: unsigned short. AAPCS64 (Linux): unsigned int. x86 System V and Apple: int.
        IntKind::WChar => match (target.isa, target.os) {
            (_, Os::Windows) => (2, false),
            (Isa::Aarch64, Os::Linux) => (4, false),
            _ => (4, true),
        },
        IntKind::Size | IntKind::UIntPtr => (ptr, false),
        IntKind::SSize | IntKind::PtrDiff | IntKind::IntPtr => (ptr, true),
    };
    IntRepr { size, signed }
}

/// Whether 8-byte scalars are only 4-aligned inside records (i386 System V).
fn eight_byte_scalars_4_aligned(target: Target) -> bool {
    target.isa == Isa::X86 && target.os != Os::Windows
}

/// Size and record alignment of an integer kind.
pub fn int_layout(kind: IntKind, target: Target) -> (u64, u32) {
    let size = int_repr(kind, target).size;
    let align = if size == 8 && eight_byte_scalars_4_aligned(target) { 4 } else { size };
    (size as u64, align)
}

/// Size and record alignment of a real floating type.
pub fn float_layout(kind: FloatKind, target: Target) -> (u64, u32) {
    match kind {
        FloatKind::Float => (4, 4),
        FloatKind::Double if eight_byte_scalars_4_aligned(target) => (8, 4),
        FloatKind::Double => (8, 8),
        FloatKind::LongDouble => match (target.isa, target.os) {
            // Microsoft and Apple arm64 make long double the same as double.
            (_, Os::Windows) | (Isa::Aarch64, Os::Macos) => (8, 8),
            // x87 extended precision in 12 bytes, 4-aligned (i386 psABI).
            (Isa::X86, _) => (12, 4),
            // x87 extended precision padded to 16 bytes (x86-64 psABI); IEEE quad (AAPCS64).
            _ => (16, 16),
        },
    }
}

/// Size and record alignment of `_Complex` of a floating type: two elements, element-aligned.
pub fn complex_layout(kind: FloatKind, target: Target) -> (u64, u32) {
    let (size, align) = float_layout(kind, target);
    (size * 2, align)
}

/// Size and alignment of `va_list`: `struct __va_list_tag[1]` (24 bytes) on x86-64 System V,
/// `struct __va_list` (32 bytes) on AAPCS64 Linux, a `char *` everywhere else.
pub fn va_list_layout(target: Target) -> (u64, u32) {
    match (target.isa, target.os) {
        (Isa::X64, Os::Linux | Os::Macos) => (24, 8),
        (Isa::Aarch64, Os::Linux) => (32, 8),
        _ => (target.pointer_size() as u64, target.pointer_size()),
    }
}

/// The integer type an enumeration is represented as. MSVC always uses `int`. GCC uses
/// `unsigned int` when no value is negative and all fit, else `int` when all fit, else the
/// 64-bit type; a packed enum gets the smallest type that holds every value.
pub fn enum_repr(body: &EnumBody, target: Target) -> IntKind {
    let (min, max) = body.min_max();
    if target.record_dialect() == RecordDialect::Msvc {
        return IntKind::Int;
    }
    let fits = |lo: i128, hi: i128| min >= lo && max <= hi;
    if body.packed {
        let candidates = [
            (IntKind::UChar, 0, 0xff),
            (IntKind::SChar, -0x80, 0x7f),
            (IntKind::UShort, 0, 0xffff),
            (IntKind::Short, -0x8000, 0x7fff),
        ];
        if let Some(&(kind, _, _)) = candidates.iter().find(|(_, lo, hi)| fits(*lo, *hi)) {
            return kind;
        }
    }
    if fits(0, u32::MAX as i128) {
        IntKind::UInt
    } else if fits(i32::MIN as i128, i32::MAX as i128) {
        IntKind::Int
    } else if min >= 0 {
        IntKind::ULongLong
    } else {
        IntKind::LongLong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_follows_the_data_model() {
        assert_eq!(int_layout(IntKind::Long, Target::X86_64_LINUX), (8, 8));
        assert_eq!(int_layout(IntKind::Long, Target::X86_64_WINDOWS), (4, 4));
        assert_eq!(int_layout(IntKind::Long, Target::I386_LINUX), (4, 4));
        assert_eq!(int_layout(IntKind::Size, Target::X86_64_WINDOWS), (8, 8));
    }

    #[test]
    fn i386_linux_aligns_eight_byte_scalars_to_four() {
        assert_eq!(int_layout(IntKind::LongLong, Target::I386_LINUX), (8, 4));
        assert_eq!(float_layout(FloatKind::Double, Target::I386_LINUX), (8, 4));
        assert_eq!(float_layout(FloatKind::Double, Target::I386_WINDOWS), (8, 8));
        assert_eq!(float_layout(FloatKind::LongDouble, Target::I386_LINUX), (12, 4));
        assert_eq!(complex_layout(FloatKind::Double, Target::I386_LINUX), (16, 4));
    }

    #[test]
    fn enum_representation() {
        let body = |values: &[i128], packed| EnumBody {
            constants: values.iter().map(|v| (format!("E{v}").into(), *v)).collect(),
            packed,
        };
        let t = Target::X86_64_LINUX;
        assert_eq!(enum_repr(&body(&[0, 1], false), t), IntKind::UInt);
        assert_eq!(enum_repr(&body(&[-1, 1], false), t), IntKind::Int);
        assert_eq!(enum_repr(&body(&[0, 1 << 40], false), t), IntKind::ULongLong);
        assert_eq!(enum_repr(&body(&[-1, 1 << 40], false), t), IntKind::LongLong);
        assert_eq!(enum_repr(&body(&[0, 200], true), t), IntKind::UChar);
        assert_eq!(enum_repr(&body(&[-1, 200], true), t), IntKind::Short);
        assert_eq!(enum_repr(&body(&[0, 1 << 40], false), Target::X86_64_WINDOWS), IntKind::Int);
    }
}
