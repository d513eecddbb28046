//! Anchors: what keeps the target of a pointer stored into cdata memory alive.
//!
//! In C (and LuaJIT) `s.name = "text"` or `s.items = ffi.new("int[8]")` leave a pointer in
//! `s` to an object nothing else references: the collector frees it and the pointer dangles.
//! rivet records, for the cdata owning the memory written to, which object the pointer at
//! each byte offset points into (the roots' `anchors` table: owner -> {offset -> object},
//! weak in its keys, so an anchor lives exactly as long as its owner). Storing another
//! pointer at the same offset replaces the anchor. Reading the pointer back gives a pointer
//! cdata bounded by, and keeping alive, the anchored object again.
//!
//! Copies made with `ffi.copy` or by assigning whole structs do not carry anchors: the copy
//! holds plain addresses, as in C.
#![forbid(unsafe_code)]

use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::Value;

use super::cdata::CData;
use super::convert::{Ctx, Loc};

/// Records that the pointer just stored at `loc` points into memory owned by `target` (or,
/// with `None`, into memory no cdata owns).
pub(crate) fn note_pointer_store(ctx: &mut Ctx, loc: Loc, target: Option<Gc<UserData>>) {
    let Some(owner) = loc.owner else { return };
    let Some(owner_cd) = owner.payload::<CData>() else { return };
    if target.is_none() && !owner_cd.has_anchors.get() {
        return;
    }
    let offset = (loc.place.addr() - owner_cd.addr()) as i64;
    let key = Value::UserData(owner);
    let table = match ctx.roots.anchors.get(key) {
        Value::Table(t) => t,
        _ => {
            if target.is_none() {
                return;
            }
            let t = ctx.lua.new_table();
            ctx.roots.anchors.set(key, Value::Table(t)).expect("a userdata is a valid key");
            t
        }
    };
    owner_cd.has_anchors.set(true);
    table.set_int(offset, target.map_or(Value::Nil, Value::UserData));
}

/// The cdata that a pointer read from `loc` points into, when one was anchored there and the
/// address still lies inside it.
pub(crate) fn owner_of_loaded_pointer(ctx: &mut Ctx, loc: Loc, addr: usize) -> Option<Gc<UserData>> {
    let owner = loc.owner?;
    let owner_cd = owner.payload::<CData>()?;
    if !owner_cd.has_anchors.get() {
        return None;
    }
    let Value::Table(table) = ctx.roots.anchors.get(Value::UserData(owner)) else { return None };
    let offset = (loc.place.addr() - owner_cd.addr()) as i64;
    let Value::UserData(target) = table.get_int(offset) else { return None };
    let target_cd = target.payload::<CData>()?;
    let start = target_cd.addr();
    (addr >= start && addr <= start + target_cd.len as usize).then_some(target)
}
