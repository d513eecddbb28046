//! Questions about C types: `ffi.sizeof`, `ffi.alignof`, `ffi.offsetof`, `ffi.istype`.
#![forbid(unsafe_code)]

use rivet_ffi::ctype::CType;
use rivet_ffi::CTypeId;
use rivet_lang::{Lua, LuaResult, Value};

use super::args::check_ctype;
use super::cdata::Form;
use super::convert::Ctx;
use super::state::cdata_of;
use super::typeinfo::Shape;

/// `ffi.sizeof(ct [, nelem])`: nil when the size is unknown; a VLA or VLS type needs `nelem`
/// (a cdata knows its own).
pub(crate) fn ffi_sizeof(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let arg = ctx.lua.arg(1);
    if let Some((_, cd)) = cdata_of(&arg) {
        if cd.form != Form::CType && cd.count.is_some() {
            ctx.lua.push(Value::Int(cd.len as i64));
            return Ok(1);
        }
    }
    let ty = check_ctype(&mut ctx, 1)?;
    let info = ctx.st.info(ty);
    let size = if info.is_variable {
        let n = ctx.lua.check_integer(2)?;
        u64::try_from(n).ok().and_then(|n| info.size_with(n))
    } else {
        info.size
    };
    ctx.lua.push(size.map_or(Value::Nil, |s| Value::Int(s as i64)));
    Ok(1)
}

/// `ffi.alignof(ct)`: the alignment the type has as a struct member.
pub(crate) fn ffi_alignof(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let info = ctx.st.info(ty);
    ctx.lua.push(if info.size.is_some() { Value::Int(i64::from(info.align)) } else { Value::Nil });
    Ok(1)
}

/// `ffi.offsetof(ct, member)`: the member's byte offset; for a bit-field also the position of
/// its first bit in the unit at that offset, and its width. Nothing for an unknown member.
pub(crate) fn ffi_offsetof(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let name = ctx.lua.check_string(2)?;
    let Ok(name) = std::str::from_utf8(name.as_bytes()) else { return Ok(0) };
    let member = ctx.st.types().member(ty, name, ctx.st.host).ok().flatten();
    let Some(m) = member else { return Ok(0) };
    ctx.lua.push(Value::Int(m.offset as i64));
    match (m.bit_pos(), m.bitfield) {
        (Some(pos), Some(b)) => {
            ctx.lua.push(Value::Int(i64::from(pos)));
            ctx.lua.push(Value::Int(i64::from(b.width)));
            Ok(3)
        }
        _ => Ok(1),
    }
}

/// `ffi.istype(ct, obj)`: whether `obj` is a cdata of type `ct` (qualifiers ignored; pointers
/// by the compatibility rules without `void *` matching everything; a pointer to a struct
/// or union counts as that type).
pub(crate) fn ffi_istype(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let obj = ctx.lua.arg(2);
    let result = match cdata_of(&obj) {
        Some((_, cd)) if cd.form != Form::CType => is_type(&ctx, ty, cd.ty),
        _ => false,
    };
    ctx.lua.push(Value::Bool(result));
    Ok(1)
}

fn is_type(ctx: &Ctx, want: CTypeId, have: CTypeId) -> bool {
    let (d, s) = {
        let types = ctx.st.types();
        (types.unqualified(want).0, types.unqualified(have).0)
    };
    if d == s {
        return true;
    }
    let (di, si) = (ctx.st.info(d), ctx.st.info(s));
    match (&di.shape, &si.shape) {
        (Shape::Record(_), Shape::Pointer { target, .. }) => ctx.st.types().unqualified(*target).0 == d,
        (Shape::Pointer { target: a, .. }, Shape::Pointer { target: b, .. }) => {
            ctx.compatible_pointee(*a, *b, false, true)
        }
        // Integer types of one size and signedness are one type on the host (`int64_t` is
        // `long` on LP64), as in LuaJIT; plain `char` included.
        (Shape::Scalar(a), Shape::Scalar(b)) => {
            let ints = |t: CTypeId| matches!(ctx.st.types().get(t), CType::Int(_));
            a == b && ints(d) && ints(s)
        }
        _ => false,
    }
}
