//! Members of records as users name them: lookup through anonymous struct/union members
//! (`s.x` where `x` lives in an unnamed inner union) and the flattened member list.

use super::layout::{layout_of, BitfieldLayout, FieldLayout};
use super::table::CTypeTable;
use super::types::{CType, CTypeId};
use crate::error::LayoutError;
use crate::target::Target;

/// A member found by name, with its position from the start of the outermost record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRef {
    pub ty: CTypeId,
    /// Byte offset; for a bit-field, of the storage unit holding it (see [`FieldLayout`]).
    pub offset: u64,
    pub size: u64,
    /// For a bit-field, its first bit counted from the start of the outermost record.
    pub bitfield: Option<BitfieldLayout>,
}

impl MemberRef {
    /// For a bit-field, the position of its first bit in the storage unit at `offset` (what
    /// LuaJIT's `ffi.offsetof` returns as its second result).
    pub fn bit_pos(&self) -> Option<u32> {
        self.bitfield.map(|b| (b.bit_offset - self.offset * 8) as u32)
    }
}

impl CTypeTable {
    /// The member `name` of the struct or union `record` (qualifiers ignored), looking inside
    /// anonymous members; `Ok(None)` when there is none or `record` is not a record.
    pub fn member(&self, record: CTypeId, name: &str, target: Target) -> Result<Option<MemberRef>, LayoutError> {
        let (record, _) = self.unqualified(record);
        if !matches!(self.get(record), CType::Record(_)) {
            return Ok(None);
        }
        let layout = layout_of(self, record, target)?;
        for field in &layout.fields {
            match &field.name {
                Some(n) if &**n == name => return Ok(Some(member_ref(field, 0))),
                Some(_) => {}
                None if field.bitfield.is_none() => {
                    if let Some(inner) = self.member(field.ty, name, target)? {
                        return Ok(Some(shift(inner, field.offset)));
                    }
                }
                None => {}
            }
        }
        Ok(None)
    }

    /// The named members of a record with members of anonymous members lifted into it, as
    /// `ffi.offsetof` sees them; offsets are from the start of `record`.
    pub fn flat_members(&self, record: CTypeId, target: Target) -> Result<Vec<(Box<str>, MemberRef)>, LayoutError> {
        let (record, _) = self.unqualified(record);
        let layout = layout_of(self, record, target)?;
        let mut out = Vec::new();
        for field in &layout.fields {
            match &field.name {
                Some(n) => out.push((n.clone(), member_ref(field, 0))),
                None if field.bitfield.is_none() => {
                    for (n, m) in self.flat_members(field.ty, target)? {
                        out.push((n, shift(m, field.offset)));
                    }
                }
                None => {}
            }
        }
        Ok(out)
    }
}

fn member_ref(field: &FieldLayout, base: u64) -> MemberRef {
    MemberRef { ty: field.ty, offset: field.offset + base, size: field.size, bitfield: field.bitfield }
}

fn shift(mut m: MemberRef, by: u64) -> MemberRef {
    m.offset += by;
    if let Some(b) = &mut m.bitfield {
        b.bit_offset += by * 8;
    }
    m
}
