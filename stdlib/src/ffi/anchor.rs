//! Anchors: what keeps the target of a pointer stored into memory alive.
//!
//! In C (and LuaJIT) `s.name = "text"` or `s.items = ffi.new("int[8]")` leave a pointer in
//! `s` to an object nothing else references: the collector frees it and the pointer dangles.
//! rivet records which object the pointer at each place points into:
//! - in memory a cdata owns, per owner and byte offset (the roots' `anchors` table: owner ->
//!   {offset -> object}, weak in its keys, so an anchor lives exactly as long as its owner);
//! - in memory no cdata owns (C memory, `extern` variables), per address (`raw_anchors`),
//!   until another pointer is stored at that address.
//!
//! Storing another pointer at the same place replaces the anchor. Reading the pointer back
//! gives a pointer cdata bounded by, and keeping alive, the anchored object again. Copying
//! cdata memory into cdata memory (struct and array assignment, `ffi.copy`) copies the
//! anchors of the bytes copied.
#![forbid(unsafe_code)]

use rivet_lang::gc::Gc;
use rivet_lang::vm::table::Table;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::Value;

use super::cdata::CData;
use super::convert::{Ctx, Loc};

/// The anchors of the memory of `owner` (offset -> object), made on demand.
fn owner_anchors(ctx: &mut Ctx, owner: Gc<UserData>, create: bool) -> Option<Gc<Table>> {
    let key = Value::UserData(owner);
    match ctx.roots.anchors.get(key) {
        Value::Table(t) => Some(t),
        _ if create => {
            let t = ctx.lua.new_table();
            ctx.roots.anchors.set(key, Value::Table(t)).expect("a userdata is a valid key");
            Some(t)
        }
        _ => None,
    }
}

/// Records that the pointer just stored at `loc` points into memory owned by `target` (or,
/// with `None`, into memory no cdata owns).
pub(crate) fn note_pointer_store(ctx: &mut Ctx, loc: Loc, target: Option<Gc<UserData>>) {
    let value = target.map_or(Value::Nil, Value::UserData);
    let Some(owner) = loc.owner else {
        if target.is_some() || ctx.st.raw_anchors_used.get() {
            ctx.st.raw_anchors_used.set(true);
            let key = Value::LightUserData(loc.place.addr());
            ctx.roots.raw_anchors.set(key, value).expect("an address is a valid key");
        }
        return;
    };
    let Some(owner_cd) = owner.payload::<CData>() else { return };
    if target.is_none() && !owner_cd.has_anchors.get() {
        return;
    }
    let offset = (loc.place.addr() - owner_cd.addr()) as i64;
    let Some(table) = owner_anchors(ctx, owner, target.is_some()) else { return };
    owner_cd.has_anchors.set(true);
    table.set_int(offset, value);
}

/// The cdata that a pointer read from `loc` points into, when one was anchored there and the
/// address still lies inside it.
pub(crate) fn owner_of_loaded_pointer(ctx: &mut Ctx, loc: Loc, addr: usize) -> Option<Gc<UserData>> {
    let anchored = match loc.owner {
        Some(owner) => {
            let owner_cd = owner.payload::<CData>()?;
            if !owner_cd.has_anchors.get() {
                return None;
            }
            let table = owner_anchors(ctx, owner, false)?;
            table.get_int((loc.place.addr() - owner_cd.addr()) as i64)
        }
        None if ctx.st.raw_anchors_used.get() => ctx.roots.raw_anchors.get(Value::LightUserData(loc.place.addr())),
        None => return None,
    };
    let Value::UserData(target) = anchored else { return None };
    let target_cd = target.payload::<CData>()?;
    let start = target_cd.addr();
    (addr >= start && addr <= start + target_cd.len as usize).then_some(target)
}

/// After `len` bytes were copied from `src` to `dst` (both in cdata memory), gives the
/// pointers copied the anchors they had.
pub(crate) fn copy_anchors(ctx: &mut Ctx, dst: Loc, src: Loc, len: usize) {
    let (Some(src_owner), Some(dst_owner)) = (src.owner, dst.owner) else { return };
    let Some(src_cd) = src_owner.payload::<CData>() else { return };
    if !src_cd.has_anchors.get() {
        return;
    }
    let Some(from) = owner_anchors(ctx, src_owner, false) else { return };
    let src_start = (src.place.addr() - src_cd.addr()) as i64;
    let mut moved = Vec::new();
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = from.next(key) {
        if let Value::Int(offset) = k {
            if offset >= src_start && offset < src_start + len as i64 {
                moved.push((offset - src_start, v));
            }
        }
        key = k;
    }
    if moved.is_empty() {
        return;
    }
    let Some(dst_cd) = dst_owner.payload::<CData>() else { return };
    let dst_start = (dst.place.addr() - dst_cd.addr()) as i64;
    let Some(to) = owner_anchors(ctx, dst_owner, true) else { return };
    dst_cd.has_anchors.set(true);
    for (delta, v) in moved {
        to.set_int(dst_start + delta, v);
    }
}
