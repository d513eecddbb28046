//! `ffi.metatype`: metatables attached to struct and union types (and complex numbers). They
//! apply to every cdata of the type however it was made (values, references, pointers to
//! it), after the predefined operations, and cannot be changed once set.
#![forbid(unsafe_code)]

use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};

use super::args::check_ctype;
use super::cdata::{CData, Form};
use super::convert::Ctx;
use super::state::{FfiState, Roots};
use super::typeinfo::Shape;

/// The metatable of type `ty` (qualifiers ignored), if it has one.
pub(crate) fn metatype_of(st: &FfiState, roots: &Roots, ty: CTypeId) -> Option<Gc<Table>> {
    let id = st.types().unqualified(ty).0;
    if !st.has_metatype(id) {
        return None;
    }
    roots.metatypes.get_int(i64::from(id.index())).as_table()
}

/// The metatable whose metamethods apply to a cdata: its type's, or for a pointer its
/// target's (`p:method()` on a `struct foo *` uses `struct foo`'s).
pub(crate) fn metatype_for(st: &FfiState, roots: &Roots, cd: &CData) -> Option<Gc<Table>> {
    if let Some(mt) = metatype_of(st, roots, cd.ty) {
        return Some(mt);
    }
    if cd.form == Form::CType {
        return None;
    }
    match st.info(cd.ty).shape {
        Shape::Pointer { target, .. } => metatype_of(st, roots, target),
        _ => None,
    }
}

/// A field of a metatable, without metamethods.
pub(crate) fn field(lua: &mut Lua, mt: Gc<Table>, name: &str) -> Value {
    let key = lua.new_string(name.as_bytes());
    mt.get_str(key)
}

/// `ffi.metatype(ct, metatable)`: returns the ctype.
pub(crate) fn ffi_metatype(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let Value::Table(mt) = ctx.lua.arg(2) else { return Err(ctx.lua.type_error(2, "table")) };
    let id = ctx.st.types().unqualified(ty).0;
    let allowed = matches!(ctx.st.info(id).shape, Shape::Record(_) | Shape::Complex(_));
    if !allowed {
        return Err(ctx.lua.arg_error(1, "invalid C type"));
    }
    if ctx.st.has_metatype(id) {
        return Err(ctx.error("cannot change a protected metatable"));
    }
    ctx.roots.metatypes.set_int(i64::from(id.index()), Value::Table(mt));
    ctx.st.set_metatype(id);
    let ct = ctx.wrap(CData::new_ctype(id), None);
    ctx.lua.push(Value::UserData(ct));
    Ok(1)
}
