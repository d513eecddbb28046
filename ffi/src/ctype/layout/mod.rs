//! Size, alignment and member positions of a type on a target.
//!
//! Scalars come from the data-model tables in `scalar.rs`; records are placed by the rules of
//! the target's compiler family: `sysv.rs` (GCC and Clang on System V and Apple targets),
//! `msvc.rs` (Microsoft). Both are checked against the real compilers by
//! `ffi/tests/layout_vs_compilers.rs`.

mod msvc;
pub mod scalar;
mod sysv;

use super::table::CTypeTable;
use super::types::{ArrayLen, CType, CTypeId, Record, RecordKind};
use crate::error::LayoutError;
use crate::target::{RecordDialect, Target};

/// The layout of a type on one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `sizeof`: for a variable-length type, the size with no trailing elements.
    pub size: u64,
    /// `_Alignof`.
    pub align: u32,
    /// MSVC only: the part of `align` that `#pragma pack` cannot lower in an enclosing record
    /// (from `__declspec(align)` here or in a member). 1 elsewhere.
    pub required_align: u32,
    /// For `T[?]`, `T[]` and records ending in one: where the trailing elements start.
    pub tail: Option<VarTail>,
    /// Members of a struct or union, in declaration order (empty for other types).
    pub fields: Vec<FieldLayout>,
    /// The rules a struct or union was laid out by (`None` for other types).
    pub dialect: Option<RecordDialect>,
}

/// The variable part at the end of a variable-length type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VarTail {
    /// Offset of the first trailing element.
    pub offset: u64,
    pub elem_size: u64,
}

impl Layout {
    fn scalar(size: u64, align: u32) -> Layout {
        Layout { size, align, required_align: 1, tail: None, fields: Vec::new(), dialect: None }
    }

    /// Size of an object with `count` trailing elements (the `n` of `ffi.new("int[?]", n)`),
    /// padded to the alignment; `None` on overflow. For fixed-size types this is `size`.
    pub fn size_with(&self, count: u64) -> Option<u64> {
        let Some(tail) = self.tail else { return Some(self.size) };
        let end = tail.elem_size.checked_mul(count)?.checked_add(tail.offset)?;
        let end = align_up(end, self.align as u64)?;
        Some(end.max(self.size))
    }

    /// Whether the type has a variable-length tail.
    pub fn is_variable(&self) -> bool {
        self.tail.is_some()
    }
}

/// Where one member of a struct or union sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldLayout {
    /// `None` for unnamed bit-fields and anonymous struct/union members.
    pub name: Option<Box<str>>,
    pub ty: CTypeId,
    /// Byte offset. For a bit-field: the offset of the storage unit of its declared type that
    /// holds it (the byte holding its first bit when no such unit can, in packed records).
    pub offset: u64,
    /// Size of the member's type (of the declared type, for a bit-field).
    pub size: u64,
    /// The alignment the member was placed with, after packing and alignment attributes.
    pub align: u32,
    pub bitfield: Option<BitfieldLayout>,
}

/// Position of a bit-field: bits are numbered from the least significant bit of the byte at
/// the record's start (all supported targets are little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BitfieldLayout {
    /// Offset of the first bit from the start of the record.
    pub bit_offset: u64,
    pub width: u32,
}

impl FieldLayout {
    /// For a bit-field, the position of its first bit in the unit at `offset`.
    pub fn bit_pos(&self) -> Option<u32> {
        self.bitfield.map(|b| (b.bit_offset - self.offset * 8) as u32)
    }
}

/// Builds the [`FieldLayout`] of a bit-field whose first bit is at `bit_offset`.
fn bitfield_field(
    name: Option<Box<str>>,
    ty: CTypeId,
    size: u64,
    align: u32,
    bit_offset: u64,
    width: u32,
) -> FieldLayout {
    let unit_bits = (size * 8).max(8);
    let unit_start = bit_offset / unit_bits * unit_bits;
    let offset = if bit_offset + width as u64 <= unit_start + unit_bits { unit_start / 8 } else { bit_offset / 8 };
    FieldLayout { name, ty, offset, size, align, bitfield: Some(BitfieldLayout { bit_offset, width }) }
}

pub(crate) fn align_up(value: u64, align: u64) -> Option<u64> {
    debug_assert!(align.is_power_of_two());
    Some(value.checked_add(align - 1)? & !(align - 1))
}

/// The layout of `id` on `target`.
pub fn layout_of(table: &CTypeTable, id: CTypeId, target: Target) -> Result<Layout, LayoutError> {
    match table.get(id) {
        CType::Void => Err(LayoutError::NoSize { ty: table.render(id) }),
        CType::Func(_) => Err(LayoutError::NoSize { ty: table.render(id) }),
        CType::Bool => Ok(Layout::scalar(1, 1)),
        CType::Int(kind) => {
            let (size, align) = scalar::int_layout(*kind, target);
            Ok(Layout::scalar(size, align))
        }
        CType::Float(kind) => {
            let (size, align) = scalar::float_layout(*kind, target);
            Ok(Layout::scalar(size, align))
        }
        CType::Complex(kind) => {
            let (size, align) = scalar::complex_layout(*kind, target);
            Ok(Layout::scalar(size, align))
        }
        CType::VaList => {
            let (size, align) = scalar::va_list_layout(target);
            Ok(Layout::scalar(size, align))
        }
        CType::Pointer(_) => {
            let size = target.pointer_size();
            Ok(Layout::scalar(size as u64, size))
        }
        CType::Qualified { base, .. } => layout_of(table, *base, target),
        CType::Array { elem, len } => array_layout(table, id, *elem, *len, target),
        CType::Enum(e) => match &e.body {
            None => Err(LayoutError::Incomplete { ty: table.render(id) }),
            Some(body) => {
                let (size, align) = scalar::int_layout(scalar::enum_repr(body, target), target);
                Ok(Layout::scalar(size, align))
            }
        },
        CType::Record(Record { kind, body, .. }) => {
            let Some(body) = body else { return Err(LayoutError::Incomplete { ty: table.render(id) }) };
            let mut layout = match target.record_dialect() {
                RecordDialect::Msvc => msvc::layout_record(table, *kind, body, target)?,
                RecordDialect::Gcc { unnamed_bitfields_align } => {
                    sysv::layout_record(table, *kind, body, target, unnamed_bitfields_align, false)?
                }
                RecordDialect::Clang { unnamed_bitfields_align } => {
                    sysv::layout_record(table, *kind, body, target, unnamed_bitfields_align, true)?
                }
            };
            layout.dialect = Some(target.record_dialect());
            if *kind == RecordKind::Union {
                layout.tail = None;
            }
            Ok(layout)
        }
    }
}

fn array_layout(
    table: &CTypeTable,
    id: CTypeId,
    elem: CTypeId,
    len: ArrayLen,
    target: Target,
) -> Result<Layout, LayoutError> {
    let e = layout_of(table, elem, target)?;
    if e.tail.is_some() {
        return Err(LayoutError::VariableElement { ty: table.render(id) });
    }
    let required_align = e.required_align;
    match len {
        ArrayLen::Fixed(n) => {
            let size = e.size.checked_mul(n).ok_or_else(|| LayoutError::TooLarge { ty: table.render(id) })?;
            Ok(Layout { size, align: e.align, required_align, tail: None, fields: Vec::new(), dialect: None })
        }
        ArrayLen::Flexible | ArrayLen::Variable => Ok(Layout {
            size: 0,
            align: e.align,
            required_align,
            tail: Some(VarTail { offset: 0, elem_size: e.size }),
            fields: Vec::new(),
            dialect: None,
        }),
    }
}

/// The tail a record gets from its last member, if that member is variable-length.
fn record_tail(last: Option<(&FieldLayout, &Layout)>) -> Option<VarTail> {
    let (field, layout) = last?;
    let tail = layout.tail?;
    Some(VarTail { offset: field.offset + tail.offset, elem_size: tail.elem_size })
}
