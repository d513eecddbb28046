//! What the classifiers need to know about a C type: its kind as a value ([`value_kind`]) and,
//! for structs, unions, arrays and complex numbers, the scalars it is made of with their
//! offsets ([`leaves`]), from which System V builds eightbytes and Swift its lowering.

use super::Abi;
use crate::ctype::{layout_of, CType, CTypeId, CTypeTable, FloatKind, Layout};
use crate::error::AbiError;
use crate::target::{Isa, Target};

/// A parameter or result type, as a calling convention sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Void,
    /// Integers and enumerations.
    Int {
        size: u32,
        signed: bool,
    },
    Bool,
    /// Data and function pointers (and `va_list` on targets where it is one or decays to one).
    Pointer,
    Float(FloatKind),
    Complex(FloatKind),
    /// A struct or union.
    Record,
}

/// The kind of `ty` (qualifiers and enumerations looked through).
pub(crate) fn value_kind(types: &CTypeTable, ty: CTypeId, target: Target, abi: Abi) -> Result<ValueKind, AbiError> {
    let (ty, _) = types.unqualified(ty);
    Ok(match types.get(ty) {
        CType::Void => ValueKind::Void,
        CType::Bool => ValueKind::Bool,
        CType::Int(_) | CType::Enum(_) => {
            let layout = layout_of(types, ty, target)?;
            let signed = match types.get(ty) {
                CType::Int(kind) => crate::ctype::int_repr(*kind, target).signed,
                CType::Enum(e) => match &e.body {
                    Some(body) => crate::ctype::int_repr(crate::ctype::enum_repr(body, target), target).signed,
                    None => unreachable!("an incomplete enum has no layout"),
                },
                _ => unreachable!("matched above"),
            };
            ValueKind::Int { size: layout.size as u32, signed }
        }
        CType::Pointer(_) => ValueKind::Pointer,
        // `va_list` is an array on x86-64 System V, so a parameter of that type is a pointer to
        // it (C 6.7.6.3p7); elsewhere on x86-64 it is a `char *`.
        CType::VaList if target.isa == Isa::X64 => ValueKind::Pointer,
        CType::Float(kind) => ValueKind::Float(*kind),
        CType::Complex(kind) => ValueKind::Complex(*kind),
        CType::Record(_) => {
            layout_of(types, ty, target)?;
            ValueKind::Record
        }
        CType::VaList | CType::Array { .. } | CType::Func(_) | CType::Qualified { .. } => {
            return Err(AbiError::Unsupported {
                abi: abi.name(),
                what: format!("a value of type '{}'", types.render(ty)),
            })
        }
    })
}

/// How a scalar inside an aggregate is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafClass {
    /// Integers, pointers, `bool`, enumerations and the bytes holding bit-fields.
    Integer,
    Float,
    Double,
    /// x87 80-bit extended precision (`long double` on x86).
    X87,
    /// IEEE binary128 (`long double` on AArch64 Linux).
    Quad,
}

/// A scalar inside an aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Leaf {
    /// Offset from the start of the outermost aggregate.
    pub offset: u64,
    /// Bytes the scalar occupies (10 for an x87 `long double`, whose layout size is 12 or 16;
    /// the bytes spanned by the bits of a bit-field).
    pub size: u64,
    pub class: LeafClass,
    /// The scalar sits at an offset that is not a multiple of its natural alignment (in a
    /// packed record). Never set for bit-fields.
    pub misaligned: bool,
    /// The leaf is (the storage of) a bit-field.
    pub bitfield: bool,
}

/// The class and stored size of a floating type on `target`.
pub(crate) fn float_class(kind: FloatKind, target: Target) -> (LeafClass, u64) {
    let (size, _) = crate::ctype::layout::scalar::float_layout(kind, target);
    match (kind, size) {
        (FloatKind::Float, _) => (LeafClass::Float, 4),
        (_, 8) => (LeafClass::Double, 8),
        (FloatKind::LongDouble, _) if target.isa == Isa::Aarch64 => (LeafClass::Quad, 16),
        _ => (LeafClass::X87, 10),
    }
}

/// The scalars making up `ty`, in declaration order, members of unions overlapping.
/// `max_leaves` bounds the work for huge arrays: `None` is returned past it, and callers
/// treat such values as large (in memory).
pub(crate) fn leaves(
    types: &CTypeTable,
    ty: CTypeId,
    target: Target,
    max_leaves: usize,
) -> Result<Option<Vec<Leaf>>, AbiError> {
    let mut out = Vec::new();
    if collect(types, ty, target, 0, &mut out, max_leaves)? {
        Ok(Some(out))
    } else {
        Ok(None)
    }
}

/// Adds the leaves of `ty` placed at `base`; false when `max_leaves` is exceeded.
fn collect(
    types: &CTypeTable,
    ty: CTypeId,
    target: Target,
    base: u64,
    out: &mut Vec<Leaf>,
    max_leaves: usize,
) -> Result<bool, AbiError> {
    let (ty, _) = types.unqualified(ty);
    let layout: Layout = layout_of(types, ty, target)?;
    let mut scalar = |class: LeafClass, size: u64, align: u64, offset: u64| {
        out.push(Leaf { offset, size, class, misaligned: !offset.is_multiple_of(align), bitfield: false });
        out.len() <= max_leaves
    };
    Ok(match types.get(ty) {
        CType::Bool | CType::Int(_) | CType::Enum(_) | CType::Pointer(_) | CType::VaList => {
            scalar(LeafClass::Integer, layout.size, layout.align as u64, base)
        }
        CType::Float(kind) => {
            let (class, size) = float_class(*kind, target);
            scalar(class, size, layout.align as u64, base)
        }
        CType::Complex(kind) => {
            let (class, size) = float_class(*kind, target);
            let half = layout.size / 2;
            scalar(class, size, layout.align as u64, base) && scalar(class, size, layout.align as u64, base + half)
        }
        CType::Array { elem, .. } => {
            let elem_size = layout_of(types, *elem, target)?.size;
            let count = layout.size.checked_div(elem_size).unwrap_or(0);
            for i in 0..count {
                if !collect(types, *elem, target, base + i * elem_size, out, max_leaves)? {
                    return Ok(false);
                }
            }
            true
        }
        CType::Record(_) => {
            for field in &layout.fields {
                if let Some(bits) = field.bitfield {
                    if bits.width == 0 {
                        continue;
                    }
                    let first = base * 8 + bits.bit_offset;
                    let end = first + bits.width as u64;
                    out.push(Leaf {
                        offset: first / 8,
                        size: end.div_ceil(8) - first / 8,
                        class: LeafClass::Integer,
                        misaligned: false,
                        bitfield: true,
                    });
                    if out.len() > max_leaves {
                        return Ok(false);
                    }
                } else if field.size > 0 && !collect(types, field.ty, target, base + field.offset, out, max_leaves)? {
                    return Ok(false);
                }
            }
            true
        }
        CType::Void | CType::Func(_) | CType::Qualified { .. } => {
            unreachable!("layout_of rejects these and unqualified removed the qualifier")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves_of(decl: &str) -> Vec<(u64, u64, LeafClass, bool)> {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef(decl).unwrap();
        let ty = t.parse_type("struct s", &[]).unwrap();
        leaves(&t, ty, Target::X86_64_LINUX, 100)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|l| (l.offset, l.size, l.class, l.misaligned))
            .collect()
    }

    #[test]
    fn nested_arrays_and_complex() {
        use LeafClass::*;
        assert_eq!(
            leaves_of("struct s { char c; struct { float f[2]; } in; _Complex double z; long double ld; };"),
            vec![
                (0, 1, Integer, false),
                (4, 4, Float, false),
                (8, 4, Float, false),
                (16, 8, Double, false),
                (24, 8, Double, false),
                (32, 10, X87, false)
            ]
        );
    }

    #[test]
    fn packed_members_are_misaligned_and_bitfields_are_bytes() {
        // The zero-width bit-field moves `b` to the next int boundary (as gcc does).
        use LeafClass::*;
        assert_eq!(
            leaves_of("struct s { char c; double d; int a : 3, : 0, b : 12; } __attribute__((packed));"),
            vec![(0, 1, Integer, false), (1, 8, Double, true), (9, 1, Integer, false), (12, 2, Integer, false)]
        );
    }

    #[test]
    fn huge_arrays_stop_early() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef("struct s { char big[100000]; };").unwrap();
        let ty = t.parse_type("struct s", &[]).unwrap();
        assert_eq!(leaves(&t, ty, Target::X86_64_LINUX, 64).unwrap(), None);
    }
}
