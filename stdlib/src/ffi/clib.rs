//! Library namespaces: `ffi.C` (the process's own symbols: libc, libm, libdl and the
//! executable) and the namespaces `ffi.load(name [, global])` returns. Reading `ns.NAME`
//! gives a declared constant (enumerators, `static const`, `#define`), the value of a
//! declared `extern` variable, or a callable function cdata; writing `ns.NAME = v` stores into
//! an `extern` variable.
//!
//! A namespace is a table whose metatable resolves names. Functions and constants, once
//! resolved, are stored in the table itself (as LuaJIT caches them), so `C.f(...)` in a loop
//! costs one table lookup; variables are read from memory at every access.
#![forbid(unsafe_code)]

use rivet_ffi::ctype::{ConstValue, Decl};
use rivet_ffi::library::Library;
use rivet_lang::gc::Gc;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};

use super::cdata::{CData, Place};
use super::convert::{Ctx, Loc, Mode};
use super::state::{Roots, ROOT_COUNT};

/// The payload of the userdata that keeps a namespace's library loaded (an upvalue of the
/// namespace's metamethods: the library is unloaded when the namespace is collected).
struct Namespace {
    lib: Library,
}

/// A namespace for `lib`; `name` is its metatable's `__name` (what `tostring` shows).
pub(crate) fn new_namespace(lua: &mut Lua, roots: &Roots, lib: Library, name: &str) -> Gc<Table> {
    let holder = lua.new_userdata(Box::new(Namespace { lib }), 0);
    let mut upvalues = roots.upvalues();
    upvalues.push(Value::UserData(holder));
    let ns = lua.new_table();
    let mt = lua.new_table();
    let index = lua.new_native_with_upvalues("ffi namespace __index", clib_index, upvalues.clone());
    lua.set_field(mt, "__index", index);
    let newindex = lua.new_native_with_upvalues("ffi namespace __newindex", clib_newindex, upvalues);
    lua.set_field(mt, "__newindex", newindex);
    let name = lua.str_value(name);
    lua.set_field(mt, "__name", name);
    ns.set_metatable(Some(mt));
    ns
}

/// `ffi.load(name [, global])`.
pub(crate) fn ffi_load(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?.to_str_lossy().into_owned();
    let global = lua.arg(2).truthy();
    let lib = Library::open(&name, global).map_err(|e| lua.native_error(&e))?;
    let roots = Roots::of(lua);
    let ns = new_namespace(lua, &roots, lib, "ffi.library");
    lua.push(Value::Table(ns));
    Ok(1)
}

/// The library of the running namespace metamethod.
fn with_library<R>(lua: &Lua, f: impl FnOnce(&Library) -> R) -> R {
    let holder = lua.native_upvalue(ROOT_COUNT);
    let ns = match &holder {
        Value::UserData(ud) => ud.payload::<Namespace>(),
        _ => None,
    };
    f(&ns.expect("namespace metamethods carry their library").lib)
}

fn clib_index(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ns = ctx.lua.check_table(1)?;
    let key = ctx.lua.check_string(2)?;
    let name = key.to_str_lossy().into_owned();
    let decl = ctx.st.types().lookup(&name).cloned();
    let (v, cache) = match decl {
        Some(Decl::Constant(c)) => {
            let v = match c.value {
                ConstValue::Int(i) => Value::Int(i as i64),
                ConstValue::Float(f) => Value::Float(f),
                ConstValue::Str(bytes) => ctx.lua.bytes_value(&bytes),
            };
            (v, true)
        }
        Some(Decl::Variable(var)) => {
            let symbol = var.asm_name.as_deref().unwrap_or(&name).to_string();
            let addr = symbol_address(&mut ctx, &symbol)?;
            (ctx.load(var.ty, Loc { place: Place::raw(addr), owner: None }, None)?, false)
        }
        Some(Decl::Function(f)) => {
            let symbol = f.asm_name.as_deref().unwrap_or(&name).to_string();
            let addr = match win32_decorated(&ctx, f.ty, &symbol).and_then(|d| with_library(ctx.lua, |l| l.symbol(&d)))
            {
                Some(addr) => addr,
                None => symbol_address(&mut ctx, &symbol)?,
            };
            ctx.st.name_function(addr, &name);
            let size = std::mem::size_of::<usize>() as u64;
            let cd = CData::new_value(f.ty, size, size as u32, None).expect("an address fits inline");
            cd.own_place().store_addr(addr).expect("an address fits");
            (Value::UserData(ctx.wrap(cd, None)), true)
        }
        _ => return Err(ctx.error(&format!("missing declaration for symbol '{name}'"))),
    };
    if cache {
        ns.set_str(key, v);
    }
    ctx.lua.push(v);
    Ok(1)
}

fn clib_newindex(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let name = ctx.lua.check_string(2)?;
    let name = name.to_str_lossy().into_owned();
    let value = ctx.lua.arg(3);
    let decl = ctx.st.types().lookup(&name).cloned();
    match decl {
        Some(Decl::Variable(var)) => {
            if ctx.st.info(var.ty).is_const {
                return Err(ctx.error("attempt to write to constant location"));
            }
            let symbol = var.asm_name.as_deref().unwrap_or(&name).to_string();
            let addr = symbol_address(&mut ctx, &symbol)?;
            ctx.store(var.ty, Loc { place: Place::raw(addr), owner: None }, value, Mode::Implicit, None)?;
            Ok(0)
        }
        Some(_) => Err(ctx.error("attempt to write to constant location")),
        None => Err(ctx.error(&format!("missing declaration for symbol '{name}'"))),
    }
}

/// On a Windows x86 host, the decorated name a DLL exports a function under (`_f@12` for
/// stdcall, `@f@12` for fastcall), tried before the plain name.
fn win32_decorated(ctx: &Ctx, func: rivet_ffi::CTypeId, symbol: &str) -> Option<String> {
    let host = ctx.st.host;
    if host != rivet_ffi::Target::I386_WINDOWS {
        return None;
    }
    let plan = rivet_ffi::abi::plan_call(&ctx.st.types(), func, &[], None, host).ok()?;
    rivet_ffi::abi::decorated_name(&plan, symbol)
}

fn symbol_address(ctx: &mut Ctx, symbol: &str) -> LuaResult<usize> {
    let found = with_library(ctx.lua, |lib| lib.symbol(symbol));
    found.ok_or_else(|| ctx.error(&format!("cannot resolve symbol '{symbol}'")))
}
