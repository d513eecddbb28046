//! Arguments of the ffi functions: C type specifications (`ct`: a cdecl string, a ctype, or
//! a cdata whose type serves as a template), `$` parameters, and pointer-like arguments.
#![forbid(unsafe_code)]

use rivet_ffi::{CTypeId, TypeParam};
use rivet_lang::{LuaResult, Value};

use super::convert::Ctx;
use super::state::cdata_of;

/// Argument `n` as a C type: a cdecl (parsed once per distinct string and cached), a ctype,
/// or the type of a cdata.
pub(crate) fn check_ctype(ctx: &mut Ctx, n: usize) -> LuaResult<CTypeId> {
    let v = ctx.lua.arg(n);
    match v {
        Value::Str(s) => {
            if let Some(id) = ctx.st.cached_parse(&s) {
                return Ok(id);
            }
            let text = std::str::from_utf8(s.as_bytes()).map_err(|_| ctx.lua.arg_error(n, "invalid C type"))?;
            match ctx.st.parse(text, &[]) {
                Ok(id) => {
                    ctx.st.cache_parse(&s, id);
                    Ok(id)
                }
                Err(e) => Err(ctx.error(&e.to_string())),
            }
        }
        _ => match cdata_of(&v) {
            Some((_, cd)) => Ok(cd.ty),
            None => Err(ctx.lua.type_error(n, "C type")),
        },
    }
}

/// Arguments `from..` as `$` parameters: ctypes and cdata stand for their type, numbers for
/// numbers, strings for names.
pub(crate) fn type_params(ctx: &mut Ctx, from: usize) -> LuaResult<Vec<TypeParam>> {
    let mut params = Vec::new();
    for n in from..=ctx.lua.nargs() {
        let v = ctx.lua.arg(n);
        let p = match v {
            Value::Int(i) => TypeParam::Int(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => TypeParam::Int(f as i64),
            Value::Str(s) => TypeParam::Name(s.to_str_lossy().into_owned()),
            _ => match cdata_of(&v) {
                Some((_, cd)) => TypeParam::Type(cd.ty),
                None => return Err(ctx.lua.arg_error(n, "bad parameter for '$'")),
            },
        };
        params.push(p);
    }
    Ok(params)
}
