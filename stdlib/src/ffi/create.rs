//! Making cdata: `ffi.new`, calling a ctype (with the metatype's `__new`), `ffi.cast`,
//! `ffi.typeof`, and `ffi.gc`.
#![forbid(unsafe_code)]

use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, LuaResult, Value};

use super::args::{check_ctype, type_params};
use super::cdata::{CData, Form};
use super::convert::{object_loc, Ctx, Mode};
use super::metatype::{field, metatype_of};
use super::state::cdata_of;
use super::typeinfo::Shape;

/// `ffi.new(ct [, nelem] [, init...])`.
pub(crate) fn ffi_new(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    new_object(&mut ctx, ty, 2)?;
    Ok(1)
}

/// A ctype called as a constructor: `__new(ct, ...)` when its metatype has one, else
/// `ffi.new(ct, ...)`.
pub(crate) fn construct(ctx: &mut Ctx, ty: CTypeId) -> LuaResult<usize> {
    if let Some(mt) = metatype_of(&ctx.st, &ctx.roots, ty) {
        let new = field(ctx.lua, mt, "__new");
        if !new.is_nil() {
            // Call __new with the ctype and the constructor's arguments, all still on the stack.
            let n = ctx.lua.nargs();
            let func = ctx.lua.top();
            ctx.lua.push(new);
            for i in 1..=n {
                let a = ctx.lua.arg(i);
                ctx.lua.push(a);
            }
            ctx.lua.call(func, -1)?;
            return Ok(ctx.lua.top() - func);
        }
    }
    new_object(ctx, ty, 2)?;
    Ok(1)
}

/// Makes an object of type `ty` from the arguments `first..` (a count first for a VLA or
/// VLS) and pushes it.
pub(crate) fn new_object(ctx: &mut Ctx, ty: CTypeId, first: usize) -> LuaResult<Gc<UserData>> {
    let info = ctx.st.info(ty);
    let mut next = first;
    let count = if info.is_variable {
        let n = ctx.lua.check_integer(first)?;
        next += 1;
        match u64::try_from(n) {
            Ok(n) => Some(n),
            // LuaJIT's message names the type argument.
            Err(_) => return Err(ctx.lua.arg_error(1, "size of C type is unknown or too large")),
        }
    } else {
        None
    };
    let nargs = ctx.lua.nargs();
    // Initializers are read from the stack (where they stay rooted); few need no allocation.
    let mut inline = [Value::Nil; 4];
    let heap: Vec<Value>;
    let count_args = (nargs + 1).saturating_sub(next);
    let args: &[Value] = if count_args <= inline.len() {
        for (slot, i) in inline.iter_mut().zip(next..=nargs) {
            *slot = ctx.lua.arg(i);
        }
        &inline[..count_args]
    } else {
        heap = (next..=nargs).map(|i| ctx.lua.arg(i)).collect();
        &heap
    };
    if let (Shape::Pointer { .. }, [init]) = (&info.shape, args) {
        // A pointer keeps what it points into alive.
        let (addr, owner) = ctx.address_of(*init, ty, Mode::Implicit)?;
        let ud = ctx.new_pointer(ty, addr, owner);
        ctx.lua.push(Value::UserData(ud));
        return Ok(ud);
    }
    let ud = ctx.new_value(ty, count)?;
    ctx.lua.push(Value::UserData(ud));
    let cd = ud.payload::<CData>().expect("just made");
    ctx.initialize(ty, object_loc(ud, cd), args, count)?;
    if let Some(mt) = metatype_of(&ctx.st, &ctx.roots, ty) {
        let gc = field(ctx.lua, mt, "__gc");
        if !gc.is_nil() {
            set_finalizer(ctx, ud, gc);
        }
    }
    Ok(ud)
}

fn set_finalizer(ctx: &mut Ctx, ud: Gc<UserData>, f: Value) {
    ctx.roots.finalizers.set(Value::UserData(ud), f).expect("a userdata is a valid key");
    if !f.is_nil() {
        ctx.lua.heap_mut().register_finalizer(ud);
    }
}

/// `ffi.cast(ct, init)`: a scalar cdata made with the cast conversion rules.
pub(crate) fn ffi_cast(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let init = ctx.lua.check_any(2)?;
    let info = ctx.st.info(ty);
    match info.shape {
        Shape::Pointer { .. } => {
            let (addr, owner) = ctx.address_of(init, ty, Mode::Cast)?;
            let ud = ctx.new_pointer(ty, addr, owner);
            ctx.lua.push(Value::UserData(ud));
        }
        Shape::Scalar(_) | Shape::Enum(_) | Shape::Complex(_) => {
            let ud = ctx.new_value(ty, None)?;
            ctx.lua.push(Value::UserData(ud));
            let cd = ud.payload::<CData>().expect("just made");
            ctx.store(ty, object_loc(ud, cd), init, Mode::Cast, None)?;
        }
        _ => return Err(ctx.lua.arg_error(1, "invalid C type")),
    }
    Ok(1)
}

/// `ffi.typeof(ct [, params...])`: a ctype object.
pub(crate) fn ffi_typeof(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = if ctx.lua.nargs() > 1 {
        let Value::Str(s) = ctx.lua.arg(1) else { return Err(ctx.lua.type_error(1, "string")) };
        let params = type_params(&mut ctx, 2)?;
        let text = s.to_str_lossy().into_owned();
        ctx.st.parse(&text, &params).map_err(|e| ctx.error(&e.to_string()))?
    } else {
        check_ctype(&mut ctx, 1)?
    };
    let ud = ctx.wrap(CData::new_ctype(ty), None);
    ctx.lua.push(Value::UserData(ud));
    Ok(1)
}

/// `ffi.gc(cdata, finalizer)`: runs `finalizer(cdata)` when the cdata is collected; `nil`
/// removes a finalizer.
pub(crate) fn ffi_gc(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let v = ctx.lua.arg(1);
    let Some((ud, cd)) = cdata_of(&v) else { return Err(ctx.lua.type_error(1, "cdata")) };
    let allowed = cd.form != Form::CType
        && matches!(ctx.st.info(cd.ty).shape, Shape::Pointer { .. } | Shape::Array { .. } | Shape::Record(_));
    if !allowed {
        return Err(ctx.lua.arg_error(1, "invalid C type"));
    }
    let f = ctx.lua.arg(2);
    match f {
        Value::Nil => {}
        _ if f.is_function() => {}
        _ if cdata_of(&f).is_some() => {
            return Err(ctx.lua.arg_error(2, "C functions as finalizers need C calls, which rivet does not have yet"))
        }
        _ => return Err(ctx.lua.type_error(2, "function")),
    }
    set_finalizer(&mut ctx, ud, f);
    ctx.lua.push(v);
    Ok(1)
}

/// `__gc` of every cdata: runs the finalizer `ffi.gc` (or a metatype's `__gc`) attached.
pub(crate) fn cdata_gc(lua: &mut Lua) -> LuaResult<usize> {
    let ctx = Ctx::new(lua);
    let v = ctx.lua.arg(1);
    let f = ctx.roots.finalizers.get(v);
    if f.is_nil() {
        return Ok(0);
    }
    ctx.roots.finalizers.set(v, Value::Nil).expect("a userdata is a valid key");
    ctx.lua.call_meta0(f, &[v])?;
    Ok(0)
}
