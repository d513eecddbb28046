//! `ffi.plan(fn [, abi [, vararg types...]])`: how a call is passed, as text. `fn` is a
//! declared function's name, a function type (or pointer to one) as a string, a ctype, or a
//! function cdata; `abi` names a calling convention (`"sysv64"`, `"win64"`, `"swift64"`,
//! `"cdecl"`, `"stdcall"`, `"fastcall"`, `"thiscall"`, `"aapcs64"`, `"arm64-apple"`, `"arm64-win"`),
//! by default the one the declaration says on the host; the remaining arguments give the
//! types of the variadic arguments of one call. For exploring an API in the REPL: "where does
//! this struct go on Win64?"
#![forbid(unsafe_code)]

use rivet_ffi::abi::{plan_call, render, render_named, Abi};
use rivet_ffi::{CTypeId, Decl};
use rivet_lang::{Lua, LuaResult, Value};

use super::args::check_ctype;
use super::convert::Ctx;

pub(crate) fn ffi_plan(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let (ty, function, names) = function_and_names(&mut ctx)?;
    let abi = match ctx.lua.arg(2) {
        Value::Nil => None,
        _ => {
            let name = ctx.lua.check_string(2)?.to_str_lossy().into_owned();
            match Abi::from_name(&name) {
                Some(abi) => Some(abi),
                None => {
                    let known: Vec<&str> = Abi::ALL.iter().map(|a| a.name()).collect();
                    let msg = format!("unknown calling convention '{name}' (known: {})", known.join(", "));
                    return Err(ctx.lua.arg_error(2, &msg));
                }
            }
        }
    };
    let mut varargs: Vec<CTypeId> = Vec::new();
    for n in 3..=ctx.lua.nargs() {
        varargs.push(check_ctype(&mut ctx, n)?);
    }
    let host = ctx.st.host;
    let target = abi.map_or(host, |a| a.home_target(Some(host)));
    let text = {
        let types = ctx.st.types();
        plan_call(&types, ty, &varargs, abi, target).map(|plan| {
            let names: Vec<Option<&str>> = names.iter().map(|n| n.as_deref()).collect();
            match &function {
                // With the function's name: its Win32 decorated symbol, where there is one.
                Some(f) => render_named(&plan, &types, f, &names),
                None => render(&plan, &types, &names),
            }
        })
    };
    match text {
        Ok(text) => {
            // Without the final newline: `print` and the REPL add their own.
            let v = ctx.lua.str_value(text.trim_end_matches('\n'));
            ctx.lua.push(v);
            Ok(1)
        }
        Err(e) => Err(ctx.error(&e.to_string())),
    }
}

/// Argument 1 as a function type, with the function's name and parameter names when it names
/// a declared function.
type Named = (CTypeId, Option<String>, Vec<Option<String>>);
fn function_and_names(ctx: &mut Ctx) -> LuaResult<Named> {
    if let Value::Str(s) = ctx.lua.arg(1) {
        let name = s.to_str_lossy();
        if let Some(Decl::Function(f)) = ctx.st.types().lookup(&name) {
            let names = f.param_names.iter().map(|n| n.as_deref().map(str::to_string)).collect();
            return Ok((f.ty, Some(name.into_owned()), names));
        }
    }
    Ok((check_ctype(ctx, 1)?, None, Vec::new()))
}
