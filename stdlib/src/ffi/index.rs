//! Indexing cdata (the shared metatable's `__index` and `__newindex`): elements of arrays
//! and pointers, members of structs and unions (also through a pointer), the parts of complex
//! numbers; then the metatype's `__index`/`__newindex`. Arrays of known size are bounds
//! checked, NULL pointers are refused, and accesses through pointers derived from a cdata
//! stay inside that cdata's memory.
//!
//! The common cases (`a[i]` on an array of numbers, `s.x` on a number member) take a fast
//! path: a cached type description, one hash comparison, one load.
#![forbid(unsafe_code)]

use rivet_ffi::ctype::ArrayLen;
use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, LuaError, LuaResult, Value};

use super::cdata::{f64_to_i64, CData, Form, Num, Place};
use super::convert::{num_value, object_loc, pointee_loc, Ctx, Loc, Mode};
use super::metatype::{field, metatype_for};
use super::state::{cdata_of, FfiState};
use super::typeinfo::{Member, Shape};

/// A Lua number used as an element index (truncated like a C conversion).
fn index_number(key: Value) -> Option<i64> {
    match key {
        Value::Int(i) => Some(i),
        Value::Float(f) => Some(f64_to_i64(f)),
        _ => None,
    }
}

/// The number of elements of an array cdata, when known.
fn array_len(len: ArrayLen, count: Option<u64>) -> Option<u64> {
    match len {
        ArrayLen::Fixed(n) => Some(n),
        ArrayLen::Variable => count,
        ArrayLen::Flexible => None,
    }
}

/// `__index` of every cdata.
pub(crate) fn cdata_index(lua: &mut Lua) -> LuaResult<usize> {
    let obj = lua.arg(1);
    let key = lua.arg(2);
    let Some((ud, cd)) = cdata_of(&obj) else { return Err(lua.type_error(1, "cdata")) };
    if let Some(v) = fast_get(ud, cd, key) {
        lua.push(v);
        return Ok(1);
    }
    let mut ctx = Ctx::for_cdata(lua, cd);
    let v = get(&mut ctx, ud, cd, obj, key)?;
    ctx.lua.push(v);
    Ok(1)
}

/// `__newindex` of every cdata.
pub(crate) fn cdata_newindex(lua: &mut Lua) -> LuaResult<usize> {
    let obj = lua.arg(1);
    let key = lua.arg(2);
    let value = lua.arg(3);
    let Some((ud, cd)) = cdata_of(&obj) else { return Err(lua.type_error(1, "cdata")) };
    if fast_set(ud, cd, key, value) {
        return Ok(0);
    }
    let mut ctx = Ctx::for_cdata(lua, cd);
    set(&mut ctx, ud, cd, obj, key, value)?;
    Ok(0)
}

/// The interpreter's shortcut for reading (`FastPaths::index`): [`fast_get`].
pub(crate) fn fast_index(ud: Gc<UserData>, key: Value) -> Option<Value> {
    let cd = ud.payload::<CData>()?;
    fast_get(ud, cd, key)
}

/// The interpreter's shortcut for writing (`FastPaths::newindex`): [`fast_set`].
pub(crate) fn fast_newindex(ud: Gc<UserData>, key: Value, value: Value) -> bool {
    match ud.payload::<CData>() {
        Some(cd) => fast_set(ud, cd, key, value),
        None => false,
    }
}

/// `a[i]` on an array of numbers, `p[i]` on a pointer to numbers and `s.x` on a number
/// member, with the description cached in the cdata: no lookup, no context. `None` sends
/// everything else (and every error) to the general path.
#[inline]
fn fast_get(ud: Gc<UserData>, cd: &CData, key: Value) -> Option<Value> {
    let (_, info) = cd.cached()?;
    if cd.form == Form::CType {
        return None;
    }
    match (&info.shape, key) {
        (Shape::Array { len, elem_size, elem_scalar: Some(s), .. }, Value::Int(i)) => {
            let n = array_len(*len, cd.count)?;
            if i < 0 || i as u64 >= n {
                return None;
            }
            let loc = object_loc(ud, cd);
            let v = loc.place.offset(i * *elem_size as i64).load(*s).ok()?;
            Some(num_value(v, *s))
        }
        (Shape::Record(r), Value::Str(k)) => {
            let m = r.find(&k)?;
            let s = m.scalar?;
            let loc = object_loc(ud, cd);
            let v = loc.place.offset(m.offset as i64).load(s).ok()?;
            Some(num_value(v, s))
        }
        (Shape::Pointer { elem_size, elem_scalar: Some(s), .. }, Value::Int(i)) => {
            let loc = pointee_loc(ud, cd)?;
            let v = loc.place.offset(i.wrapping_mul(*elem_size as i64)).load_inline(*s).ok()?;
            Some(num_value(v, *s))
        }
        _ => None,
    }
}

/// Stores of numbers into arrays of numbers, through pointers to numbers and into number
/// members, as `fast_get`. False: the general path decides.
#[inline]
fn fast_set(ud: Gc<UserData>, cd: &CData, key: Value, value: Value) -> bool {
    let Some((_, info)) = cd.cached() else { return false };
    if cd.form == Form::CType {
        return false;
    }
    let n = match value {
        Value::Int(i) => Num::I(i),
        Value::Float(f) => Num::F(f),
        _ => return false,
    };
    match (&info.shape, key) {
        (Shape::Array { len, elem_size, elem_scalar: Some(s), .. }, Value::Int(i)) => {
            if info.is_const {
                return false;
            }
            let Some(len) = array_len(*len, cd.count) else { return false };
            if i < 0 || i as u64 >= len {
                return false;
            }
            let loc = object_loc(ud, cd);
            loc.place.offset(i * *elem_size as i64).store(*s, n).is_ok()
        }
        (Shape::Record(r), Value::Str(k)) => {
            let Some(m) = r.find(&k) else { return false };
            let Some(s) = m.scalar else { return false };
            if info.is_const || m.is_const {
                return false;
            }
            let loc = object_loc(ud, cd);
            loc.place.offset(m.offset as i64).store(s, n).is_ok()
        }
        (Shape::Pointer { elem_size, elem_scalar: Some(s), elem_const: false, .. }, Value::Int(i)) => {
            let Some(loc) = pointee_loc(ud, cd) else { return false };
            loc.place.offset(i.wrapping_mul(*elem_size as i64)).store(*s, n).is_ok()
        }
        _ => false,
    }
}

/// What an index operation reaches.
enum Target {
    /// An element or member: its type, location and (for a trailing VLA) element count.
    Object { ty: CTypeId, loc: Loc, count: Option<u64> },
    /// A bit-field of the record at `base`.
    BitField { member: Member, base: Place },
    /// A part of a complex number (read-only).
    ComplexPart { value: Value },
    /// Nothing predefined: the metatype decides.
    Nothing,
}

/// Resolves `cd[key]` to what it designates; errors for out-of-bounds indices and NULL.
fn resolve(ctx: &mut Ctx, ud: Gc<UserData>, cd: &CData, key: Value) -> LuaResult<Target> {
    if cd.form == Form::CType {
        return Ok(Target::Nothing);
    }
    let info = ctx.st.info(cd.ty);
    match &info.shape {
        Shape::Pointer { target, elem_size, .. } => {
            if let Some(i) = index_number_of(ctx, key) {
                let base = deref(ctx, ud, cd)?;
                if *elem_size == 0 {
                    return Err(size_unknown(ctx, *target));
                }
                let place = base.place.offset(i.wrapping_mul(*elem_size as i64));
                return Ok(Target::Object { ty: *target, loc: Loc { place, ..base }, count: None });
            }
            if let Value::Str(k) = key {
                let target_info = ctx.st.info(*target);
                if let Shape::Record(r) = &target_info.shape {
                    if let Some(m) = r.find(&k) {
                        let m = m.clone();
                        let base = deref(ctx, ud, cd)?;
                        return Ok(member_target(m, base, None, &ctx.st));
                    }
                }
            }
            Ok(Target::Nothing)
        }
        Shape::Array { elem, len, elem_size, .. } => {
            let Some(i) = index_number_of(ctx, key) else { return Ok(Target::Nothing) };
            if let Some(n) = array_len(*len, cd.count) {
                if i < 0 || i as u64 >= n {
                    let name = ctx.cdata_type_name(cd);
                    return Err(ctx.error(&format!("index {i} is out of bounds for '{name}' (0 to {})", n as i64 - 1)));
                }
            }
            let base = object_loc(ud, cd);
            let place = base.place.offset(i.wrapping_mul(*elem_size as i64));
            Ok(Target::Object { ty: *elem, loc: Loc { place, ..base }, count: None })
        }
        Shape::Record(r) => match key {
            Value::Str(k) => match r.find(&k) {
                Some(m) => Ok(member_target(m.clone(), object_loc(ud, cd), cd.count, &ctx.st)),
                None => Ok(Target::Nothing),
            },
            _ => Ok(Target::Nothing),
        },
        Shape::Complex(s) => {
            let part = match key {
                Value::Str(k) if k.as_bytes() == b"re" => Some(0),
                Value::Str(k) if k.as_bytes() == b"im" => Some(1),
                _ => index_number_of(ctx, key).filter(|i| *i == 0 || *i == 1),
            };
            match part {
                Some(p) => {
                    let loc = object_loc(ud, cd);
                    let n = loc.place.offset(p * s.size() as i64).load(*s).map_err(|e| ctx.access_error(e))?;
                    Ok(Target::ComplexPart { value: num_value(n, *s) })
                }
                None => Ok(Target::Nothing),
            }
        }
        _ => Ok(Target::Nothing),
    }
}

/// A key as an element index (`None` if it is not a number).
fn index_number_of(ctx: &mut Ctx, key: Value) -> Option<i64> {
    if let Some(i) = index_number(key) {
        return Some(i);
    }
    let (ud, cd) = cdata_of(&key)?;
    if cd.form == Form::CType {
        return None;
    }
    let info = ctx.st.info(cd.ty);
    match info.shape {
        Shape::Scalar(s) | Shape::Enum(s) => match object_loc(ud, cd).place.load(s).ok()? {
            Num::I(i) => Some(i),
            Num::U(u) => Some(u as i64),
            Num::F(f) => Some(f64_to_i64(f)),
        },
        _ => None,
    }
}

fn member_target(m: Member, base: Loc, count: Option<u64>, st: &FfiState) -> Target {
    if m.bits.is_some() {
        return Target::BitField { member: m, base: base.place };
    }
    let count = count.filter(|_| st.info(m.ty).is_variable);
    let place = base.place.offset(m.offset as i64);
    Target::Object { ty: m.ty, loc: Loc { place, ..base }, count }
}

/// The location a pointer cdata points to; NULL is an error.
fn deref(ctx: &mut Ctx, ud: Gc<UserData>, cd: &CData) -> LuaResult<Loc> {
    match pointee_loc(ud, cd) {
        Some(loc) => Ok(loc),
        None => Err(ctx.error("attempt to index a NULL pointer")),
    }
}

fn size_unknown(ctx: &mut Ctx, ty: CTypeId) -> LuaError {
    let name = ctx.st.render(ty);
    ctx.error(&format!("size of C type '{name}' is unknown"))
}

/// `cd[key]`.
fn get(ctx: &mut Ctx, ud: Gc<UserData>, cd: &CData, obj: Value, key: Value) -> LuaResult<Value> {
    if let Value::Str(name) = key {
        if cd.form != Form::CType && ctx.st.is_function_or_pointer_to_one(cd.ty) {
            if let Some(m) = super::callback::method(ctx, name.as_bytes()) {
                return Ok(m);
            }
        }
    }
    match resolve(ctx, ud, cd, key)? {
        Target::Object { ty, loc, count } => ctx.load(ty, loc, count),
        Target::BitField { member, base } => ctx.load_bitfield(&member, base),
        Target::ComplexPart { value } => Ok(value),
        Target::Nothing => {
            if let Some(mt) = metatype_for(&ctx.st, &ctx.roots, cd) {
                let handler = field(ctx.lua, mt, "__index");
                match handler {
                    Value::Nil => {}
                    Value::Table(_) => {
                        // As in LuaJIT, a name the index table lacks is an error too.
                        let v = ctx.lua.index(handler, key)?;
                        if !v.is_nil() {
                            return Ok(v);
                        }
                    }
                    h => return ctx.lua.call_meta1(h, &[obj, key]),
                }
            }
            Err(no_member(ctx, cd, key))
        }
    }
}

/// `cd[key] = value`.
fn set(ctx: &mut Ctx, ud: Gc<UserData>, cd: &CData, obj: Value, key: Value, value: Value) -> LuaResult<()> {
    // A const array or struct cannot be written into; a const pointer can be written through.
    let container_const = cd.form != Form::CType && {
        let info = ctx.st.info(cd.ty);
        info.is_const && !matches!(info.shape, Shape::Pointer { .. })
    };
    match resolve(ctx, ud, cd, key)? {
        Target::Object { ty, loc, count } => {
            if container_const || ctx.st.info(ty).is_const {
                return Err(ctx.error("attempt to write to constant location"));
            }
            ctx.store(ty, loc, value, Mode::Implicit, count)
        }
        Target::BitField { member, base } => {
            if container_const || ctx.st.info(member.ty).is_const {
                return Err(ctx.error("attempt to write to constant location"));
            }
            ctx.store_bitfield(&member, base, value)
        }
        Target::ComplexPart { .. } => Err(ctx.error("attempt to write to constant location")),
        Target::Nothing => {
            if let Some(mt) = metatype_for(&ctx.st, &ctx.roots, cd) {
                let handler = field(ctx.lua, mt, "__newindex");
                match handler {
                    Value::Nil => {}
                    Value::Table(_) => return ctx.lua.set_index(handler, key, value),
                    h => return ctx.lua.call_meta0(h, &[obj, key, value]),
                }
            }
            Err(no_member(ctx, cd, key))
        }
    }
}

/// `'T' has no member named 'k'`, or `'T' cannot be indexed with 'number'`.
fn no_member(ctx: &mut Ctx, cd: &CData, key: Value) -> LuaError {
    let name = ctx.cdata_type_name(cd);
    match key {
        Value::Str(k) => {
            let k = k.to_str_lossy().into_owned();
            ctx.error(&format!("'{name}' has no member named '{k}'"))
        }
        other => {
            let kind = ctx.value_name(other);
            ctx.error(&format!("'{name}' cannot be indexed with '{kind}'"))
        }
    }
}
