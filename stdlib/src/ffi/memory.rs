//! `ffi.string`, `ffi.copy` and `ffi.fill`: bulk access to C memory. Memory owned by a cdata
//! (also through a pointer derived from one) is never read or written past its end.
#![forbid(unsafe_code)]

use rivet_lang::{Lua, LuaResult, Value};

use super::convert::{owner_loc, Ctx, Loc, Mode};

/// The memory argument `n` points to, converted as to a pointer of type `ty` (so `const`
/// memory cannot be a destination); NULL is an error.
fn place_arg(ctx: &mut Ctx, n: usize, ty: rivet_ffi::CTypeId) -> LuaResult<Loc> {
    let v = ctx.lua.arg(n);
    let (addr, owner) = match ctx.address_of(v, ty, Mode::Implicit) {
        Ok(r) => r,
        Err(_) => {
            let from = ctx.value_name(v);
            let to = ctx.st.render(ty);
            return Err(ctx.lua.arg_error(n, &format!("cannot convert '{from}' to '{to}'")));
        }
    };
    if addr == 0 {
        return Err(ctx.lua.arg_error(n, "NULL pointer"));
    }
    Ok(owner_loc(addr, owner))
}

/// A length argument (`size_t`): a non-negative integer.
fn len_arg(ctx: &mut Ctx, n: usize) -> LuaResult<usize> {
    let v = ctx.lua.arg(n);
    let len = match ctx.number_of(v, ctx.st.ids.int64, Mode::Implicit) {
        Ok(super::cdata::Num::I(i)) => i,
        Ok(super::cdata::Num::U(u)) => u as i64,
        Ok(super::cdata::Num::F(f)) => super::cdata::f64_to_i64(f),
        Err(_) => return Err(ctx.lua.type_error(n, "number")),
    };
    usize::try_from(len).map_err(|_| ctx.lua.arg_error(n, "length out of range"))
}

/// `ffi.string(ptr [, len])`: a Lua string with the bytes up to the first zero, or `len`
/// bytes.
pub(crate) fn ffi_string(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    if let Value::Str(s) = ctx.lua.arg(1) {
        // A Lua string stands for itself (with its terminating zero).
        let bytes = s.as_bytes();
        let len = if ctx.lua.arg(2).is_nil() { bytes.len() } else { len_arg(&mut ctx, 2)? };
        if len > bytes.len() + 1 {
            return Err(ctx.lua.arg_error(2, "length exceeds the string"));
        }
        let mut out = bytes[..len.min(bytes.len())].to_vec();
        out.resize(len, 0);
        let v = ctx.lua.bytes_value(&out);
        ctx.lua.push(v);
        return Ok(1);
    }
    // Without a length the pointer is read as a `char *` (up to the zero byte), with one
    // as any `const void *`.
    let with_len = !ctx.lua.arg(2).is_nil();
    let ty = if with_len { ctx.st.ids.const_void_ptr } else { ctx.st.ids.const_char_ptr };
    let place = place_arg(&mut ctx, 1, ty)?.place;
    let len = if with_len { len_arg(&mut ctx, 2)? } else { place.strlen().map_err(|e| ctx.access_error(e))? };
    let bytes = place.read_bytes(len).map_err(|e| ctx.access_error(e))?;
    let v = ctx.lua.bytes_value(&bytes);
    ctx.lua.push(v);
    Ok(1)
}

/// `ffi.copy(dst, src, len)` and `ffi.copy(dst, str)` (the string and a zero byte).
pub(crate) fn ffi_copy(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let void_ptr = ctx.st.ids.void_ptr;
    let dst = place_arg(&mut ctx, 1, void_ptr)?;
    if let Value::Str(s) = ctx.lua.arg(2) {
        let dst = dst.place;
        let mut bytes = s.as_bytes().to_vec();
        bytes.push(0);
        if !ctx.lua.arg(3).is_nil() {
            let len = len_arg(&mut ctx, 3)?;
            if len > bytes.len() {
                return Err(ctx.lua.arg_error(3, "length exceeds the string"));
            }
            bytes.truncate(len);
        }
        dst.write_bytes(&bytes).map_err(|e| ctx.access_error(e))?;
        return Ok(0);
    }
    let const_void_ptr = ctx.st.ids.const_void_ptr;
    let src = place_arg(&mut ctx, 2, const_void_ptr)?;
    let len = len_arg(&mut ctx, 3)?;
    ctx.copy_object(dst, src, len)?;
    Ok(0)
}

/// `ffi.fill(dst, len [, c])`.
pub(crate) fn ffi_fill(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let void_ptr = ctx.st.ids.void_ptr;
    let dst = place_arg(&mut ctx, 1, void_ptr)?.place;
    let len = len_arg(&mut ctx, 2)?;
    let byte = if ctx.lua.arg(3).is_nil() { 0 } else { ctx.lua.check_integer(3)? as u8 };
    dst.fill(len, byte).map_err(|e| ctx.access_error(e))?;
    Ok(0)
}
