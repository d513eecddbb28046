//! Record layout as GCC and Clang do it on System V and Apple targets.
//!
//! Rules (GCC's `stor-layout.c` behaviour with `PCC_BITFIELD_TYPE_MATTERS`, which the System V
//! psABIs describe and the compilers confirm; see `ffi/tests/layout_vs_compilers.rs`):
//! - An ordinary member is placed at the next multiple of its alignment: the type's, 1 when
//!   the record or the member is `packed`, raised by the member's `aligned(N)` (which under
//!   `packed` sets it), capped by `#pragma pack(N)` (the cap applies to `aligned(N)` too).
//! - A bit-field starts at the next free bit, unless it would then span more units of its
//!   type's alignment than the type itself has; then it moves to the next such unit. This rule
//!   is off in packed records and under `#pragma pack`, where bit-fields just follow each other.
//! - A named bit-field raises the record's alignment to its type's (capped by packing, as
//!   above); unnamed ones do so only where the ABI says so (AAPCS64).
//! - A zero-width bit-field moves the next member to its type's alignment, whatever the
//!   packing.
//! - The record's `aligned(N)` raises its alignment; its size is padded to that alignment.
//!
//! Clang (Apple targets) differs only for bit-fields with `aligned(N)`: it first checks whether
//! the bit-field fits the unit of the larger of its type's alignment and N, moving it to the
//! next such unit if not; otherwise it aligns it to N (unless `#pragma pack` is lower than N).
//! GCC aligns to N first, then applies the unit rule with the type's alignment.

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
    unnamed_bitfields_align: bool,
    clang: bool,
) -> Result<Layout, LayoutError> {
    let is_union = kind == RecordKind::Union;
    let attrs = body.attrs;
    let pack = attrs.pack;
    // Current end of the struct, in bits; for a union the largest member seen.
    let mut bits: u64 = 0;
    let mut align: u32 = 1;
    let mut fields = Vec::with_capacity(body.fields.len());
    let mut last_layout = None;
    let overflow = || LayoutError::TooLarge { ty: "record".into() };

    for field in &body.fields {
        let member = layout_of(table, field.ty, target)?;
        let packed = attrs.packed || field.packed;
        match field.bits {
            Some(0) => {
                // Not lowered by packing: a zero-width bit-field always aligns what follows.
                let unit = member.align as u64 * 8;
                let at = if is_union { 0 } else { align_up(bits, unit).ok_or_else(overflow)? };
                if !is_union {
                    bits = at;
                }
                if unnamed_bitfields_align {
                    align = align.max(member.align);
                }
                fields.push(bitfield_field(None, field.ty, member.size, member.align, at, 0));
            }
            Some(width) => {
                if width as u64 > member.size * 8 {
                    return Err(LayoutError::BitfieldTooWide { ty: table.render(field.ty), width });
                }
                let mut desired = field.align.unwrap_or(1);
                // GCC treats a bit-field that exactly fills an integer mode (8, 16, 32 or 64
                // bits) at a position aligned for that mode as a field of that mode. With an
                // alignment attribute, the mode's alignment then counts in full: on i386 a
                // `long long : 64` gets 8, above the 4 of `long long` members.
                let fills_mode = matches!(width, 8 | 16 | 32 | 64) && (is_union || bits.is_multiple_of(width as u64));
                if !clang && field.align.is_some() && fills_mode && !(packed && width > 8) {
                    desired = desired.max(width / 8);
                }
                if let Some(p) = pack {
                    desired = desired.min(p);
                }
                let mut at = 0;
                if !is_union {
                    at = if clang {
                        clang_bitfield_position(bits, width, &member, field.align, packed, pack).ok_or_else(overflow)?
                    } else {
                        gcc_bitfield_position(bits, width, &member, field.align, desired, packed, pack)
                            .ok_or_else(overflow)?
                    };
                    bits = at + width as u64;
                } else {
                    bits = bits.max(width as u64);
                }
                if field.name.is_some() || unnamed_bitfields_align {
                    let type_align = match pack {
                        Some(p) => member.align.min(p),
                        None if packed => 1,
                        None => member.align,
                    };
                    align = align.max(desired).max(type_align);
                }
                fields.push(bitfield_field(field.name.clone(), field.ty, member.size, desired, at, width));
            }
            None => {
                let mut a = if packed { 1 } else { member.align };
                if let Some(user) = field.align {
                    a = if packed { user } else { a.max(user) };
                }
                if let Some(p) = pack {
                    a = a.min(p);
                }
                let size_bits = member.size.checked_mul(8).ok_or_else(overflow)?;
                let offset_bits = if is_union { 0 } else { align_up(bits, a as u64 * 8).ok_or_else(overflow)? };
                let end = offset_bits.checked_add(size_bits).ok_or_else(overflow)?;
                bits = if is_union { bits.max(end) } else { end };
                align = align.max(a);
                fields.push(FieldLayout {
                    name: field.name.clone(),
                    ty: field.ty,
                    offset: offset_bits / 8,
                    size: member.size,
                    align: a,
                    bitfield: None,
                });
            }
        }
        last_layout = Some(member);
    }
    if let Some(a) = attrs.align {
        align = align.max(a);
    }
    let size = align_up(bits, align as u64 * 8).ok_or_else(overflow)? / 8;
    let tail = match (fields.last(), &last_layout) {
        (Some(f), Some(l)) => record_tail(Some((f, l))),
        _ => None,
    };
    Ok(Layout { size, align, required_align: 1, tail, fields, dialect: None })
}

/// GCC: align to the member's `aligned(N)` (capped by `#pragma pack`), then move to the next
/// unit of the type's alignment if the bit-field would span too many.
fn gcc_bitfield_position(
    bits: u64,
    width: u32,
    member: &Layout,
    explicit: Option<u32>,
    desired: u32,
    packed: bool,
    pack: Option<u32>,
) -> Option<u64> {
    // Without an alignment attribute a bit-field may start at any bit.
    let start_align = if explicit.is_some() { desired as u64 * 8 } else { 1 };
    let at = align_up(bits, start_align)?;
    let unit = member.align as u64 * 8;
    if !packed && pack.is_none() && spans_too_many_units(at, width, unit, member.size * 8) {
        return align_up(at, unit);
    }
    Some(at)
}

/// Clang: the unit check uses the larger of the type's alignment and `aligned(N)`; only when
/// it passes is the bit-field aligned to N (and not when `#pragma pack` is below N).
fn clang_bitfield_position(
    bits: u64,
    width: u32,
    member: &Layout,
    explicit: Option<u32>,
    packed: bool,
    pack: Option<u32>,
) -> Option<u64> {
    // Alignments in bits: a packed bit-field may start at any bit.
    let type_align = member.align as u64 * 8;
    let explicit_bits = explicit.map(|e| e as u64 * 8);
    let mut field_align = if packed { 1 } else { type_align };
    if let Some(e) = explicit_bits {
        field_align = field_align.max(e);
    }
    if let Some(p) = pack {
        let p = p as u64 * 8;
        let unpacked = type_align.max(explicit_bits.unwrap_or(1)).min(p);
        field_align = if packed { unpacked } else { field_align.min(p) };
    }
    if pack.is_none() && bits % field_align + width as u64 > member.size * 8 {
        return align_up(bits, field_align);
    }
    match explicit {
        Some(e) if pack.is_none_or(|p| e <= p) => align_up(bits, e as u64 * 8),
        _ => Some(bits),
    }
}

/// Whether a bit-field of `width` bits at `at` would cover more `unit`-bit alignment units
/// than its type (of `type_bits` bits) does.
fn spans_too_many_units(at: u64, width: u32, unit: u64, type_bits: u64) -> bool {
    let start_in_unit = at % unit;
    (start_in_unit + width as u64).div_ceil(unit) > type_bits / unit
}

#[cfg(test)]
mod tests {
    use super::spans_too_many_units;

    #[test]
    fn unit_spanning() {
        // int b:16 after a char: bits 8..24 stay in the first int.
        assert!(!spans_too_many_units(8, 16, 32, 32));
        // int b:31 after a char would cross into the second int.
        assert!(spans_too_many_units(8, 31, 32, 32));
        // i386 long long (4-aligned, 8 bytes) may cover two 32-bit units.
        assert!(!spans_too_many_units(8, 40, 32, 64));
        assert!(spans_too_many_units(8, 60, 32, 64));
    }
}
