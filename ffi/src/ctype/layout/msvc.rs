//! Record layout as Microsoft Visual C++ does it (every Windows target).
//!
//! Rules (MSVC's documented behaviour, "C++ Bit Fields", "`#pragma pack`", "`align`" on
//! Microsoft Learn, and Clang's `-target *-windows-msvc`, which reproduces it and against which
//! `ffi/tests/layout_vs_compilers.rs` checks these):
//! - A member's alignment is its type's, lowered to `#pragma pack(N)` (`packed` counts as
//!   `pack(1)`), then raised to any `__declspec(align(N))` on the member or inside its type:
//!   packing never lowers a declared alignment.
//! - Bit-fields are allocated in units of their declared type's size. A bit-field shares the
//!   current unit only if the previous member was a bit-field whose type has the same size and
//!   enough bits are left; otherwise a new unit starts at the next multiple of its alignment.
//! - A zero-width bit-field ends the current unit and aligns what follows, but only right
//!   after a non-zero-width bit-field; anywhere else it is ignored.
//! - A record declared with `__declspec(align(N))` keeps its whole alignment as a member of
//!   a packed record, even when N is below it.
//! - In a union, bit-fields (zero-width ones included) add their unit's size but not their
//!   alignment.
//! - `#pragma pack(N)` with N larger than a pointer is ignored.
//! - The record is as aligned as its most aligned member and any `__declspec(align(N))` on it,
//!   and its size is padded to that alignment. A C record with no size is 4 bytes (or its
//!   alignment, when a `__declspec(align)` of at least 4 applies).

use super::super::table::CTypeTable;
use super::super::types::{RecordBody, RecordKind};
use super::{align_up, bitfield_field, layout_of, record_tail, FieldLayout, Layout};
use crate::error::LayoutError;
use crate::target::Target;

pub(super) fn layout_record(
    table: &CTypeTable,
    kind: RecordKind,
    body: &RecordBody,
    target: Target,
) -> Result<Layout, LayoutError> {
    let is_union = kind == RecordKind::Union;
    let attrs = body.attrs;
    let pack = attrs.pack.filter(|&p| p <= target.pointer_size());
    let max_field_align = if attrs.packed { Some(1) } else { pack };
    let mut size: u64 = 0;
    let mut align: u32 = 1;
    let mut required: u32 = attrs.align.unwrap_or(1);
    // The unit size of the previous member if it was a non-zero-width bit-field.
    let mut open_unit: Option<u64> = None;
    let mut remaining_bits: u64 = 0;
    let mut fields = Vec::with_capacity(body.fields.len());
    let mut last_layout = None;
    let overflow = || LayoutError::TooLarge { ty: "record".into() };

    for field in &body.fields {
        let member = layout_of(table, field.ty, target)?;
        let is_bitfield = field.bits.is_some();
        let mut field_required = field.align.unwrap_or(1);
        if !is_bitfield {
            field_required = field_required.max(member.required_align);
            required = required.max(field_required);
        }
        let mut member_align = member.align;
        if is_bitfield {
            member_align = member_align.max(field_required);
        }
        if let Some(m) = max_field_align {
            member_align = member_align.min(m);
        }
        if field.packed {
            member_align = 1;
        }
        member_align = member_align.max(field_required);

        match field.bits {
            Some(0) => {
                if open_unit.take().is_none() {
                    let at = if is_union { 0 } else { size * 8 };
                    fields.push(bitfield_field(None, field.ty, member.size, member_align, at, 0));
                } else if is_union {
                    size = size.max(member.size);
                    fields.push(bitfield_field(None, field.ty, member.size, member_align, 0, 0));
                } else {
                    size = align_up(size, member_align as u64).ok_or_else(overflow)?;
                    align = align.max(member_align);
                    fields.push(bitfield_field(None, field.ty, member.size, member_align, size * 8, 0));
                }
            }
            Some(width) => {
                if width as u64 > member.size * 8 {
                    return Err(LayoutError::BitfieldTooWide { ty: table.render(field.ty), width });
                }
                let width = width as u64;
                if !is_union && open_unit == Some(member.size) && width <= remaining_bits {
                    let at = size * 8 - remaining_bits;
                    remaining_bits -= width;
                    fields.push(bitfield_field(
                        field.name.clone(),
                        field.ty,
                        member.size,
                        member_align,
                        at,
                        width as u32,
                    ));
                    last_layout = Some(member);
                    continue;
                }
                open_unit = Some(member.size);
                if is_union {
                    size = size.max(member.size);
                    fields.push(bitfield_field(
                        field.name.clone(),
                        field.ty,
                        member.size,
                        member_align,
                        0,
                        width as u32,
                    ));
                } else {
                    let offset = align_up(size, member_align as u64).ok_or_else(overflow)?;
                    size = offset + member.size;
                    align = align.max(member_align);
                    remaining_bits = member.size * 8 - width;
                    fields.push(bitfield_field(
                        field.name.clone(),
                        field.ty,
                        member.size,
                        member_align,
                        offset * 8,
                        width as u32,
                    ));
                }
            }
            None => {
                open_unit = None;
                let offset = if is_union { 0 } else { align_up(size, member_align as u64).ok_or_else(overflow)? };
                let end = offset.checked_add(member.size).ok_or_else(overflow)?;
                size = if is_union { size.max(end) } else { end };
                align = align.max(member_align);
                fields.push(FieldLayout {
                    name: field.name.clone(),
                    ty: field.ty,
                    offset,
                    size: member.size,
                    align: member_align,
                    bitfield: None,
                });
            }
        }
        last_layout = Some(member);
    }
    align = align.max(required);
    if attrs.align.is_some() {
        // A record with `__declspec(align(N))`, whatever N, has its whole alignment required:
        // an enclosing `#pragma pack` cannot lower it.
        required = align;
    }
    let mut size = align_up(size, align as u64).ok_or_else(overflow)?;
    if size == 0 {
        size = if required >= 4 { align as u64 } else { 4 };
    }
    let tail = match (fields.last(), &last_layout) {
        (Some(f), Some(l)) => record_tail(Some((f, l))),
        _ => None,
    };
    Ok(Layout { size, align, required_align: required, tail, fields, dialect: None })
}
