//! `ffi.C`, the namespace of the process's own symbols (libc, libm, libdl and the
//! executable). Reading `ffi.C.NAME` gives a declared constant (enumerators, `static const`,
//! `#define`), the value of a declared `extern` variable, or a function cdata (its address;
//! calling it needs the call stubs of ffi part 2). Writing `ffi.C.NAME = v` stores into an
//! `extern` variable.
#![forbid(unsafe_code)]

use rivet_ffi::ctype::{ConstValue, Decl};
use rivet_ffi::library::Library;
use rivet_lang::{Lua, LuaResult, Value};

use super::cdata::{CData, Place};
use super::convert::{Ctx, Loc, Mode};
use super::state::Roots;

/// The `ffi.C` object: an empty table whose metatable resolves names.
pub(crate) fn new_namespace(lua: &mut Lua, roots: &Roots) -> Value {
    let ns = lua.new_table();
    let mt = lua.new_table();
    let index = lua.new_native_with_upvalues("ffi.C.__index", clib_index, roots.upvalues());
    lua.set_field(mt, "__index", index);
    let newindex = lua.new_native_with_upvalues("ffi.C.__newindex", clib_newindex, roots.upvalues());
    lua.set_field(mt, "__newindex", newindex);
    let name = lua.str_value("ffi.C");
    lua.set_field(mt, "__name", name);
    ns.set_metatable(Some(mt));
    Value::Table(ns)
}

thread_local! {
    /// The process's namespace, opened once per thread (opening it has no cost worth more).
    static PROCESS: Library = Library::this();
}

fn resolve(name: &str) -> Option<usize> {
    PROCESS.with(|lib| lib.symbol(name))
}

fn clib_index(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let name = ctx.lua.check_string(2)?;
    let name = name.to_str_lossy().into_owned();
    let decl = ctx.st.types().lookup(&name).cloned();
    let v = match decl {
        Some(Decl::Constant(c)) => match c.value {
            ConstValue::Int(i) => Value::Int(i as i64),
            ConstValue::Float(f) => Value::Float(f),
            ConstValue::Str(bytes) => ctx.lua.bytes_value(&bytes),
        },
        Some(Decl::Variable(var)) => {
            let symbol = var.asm_name.as_deref().unwrap_or(&name).to_string();
            let addr = symbol_address(&mut ctx, &symbol)?;
            ctx.load(var.ty, Loc { place: Place::raw(addr), owner: None }, None)?
        }
        Some(Decl::Function(f)) => {
            let symbol = f.asm_name.as_deref().unwrap_or(&name).to_string();
            let addr = symbol_address(&mut ctx, &symbol)?;
            let size = std::mem::size_of::<usize>() as u64;
            let cd = CData::new_value(f.ty, size, size as u32, None).expect("an address fits inline");
            cd.own_place().store_addr(addr).expect("an address fits");
            Value::UserData(ctx.wrap(cd, None))
        }
        _ => return Err(ctx.error(&format!("missing declaration for symbol '{name}'"))),
    };
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

fn symbol_address(ctx: &mut Ctx, symbol: &str) -> LuaResult<usize> {
    resolve(symbol).ok_or_else(|| ctx.error(&format!("cannot resolve symbol '{symbol}'")))
}
