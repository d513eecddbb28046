//! The four searchers of `package.searchers`, in Lua 5.4's order: preload, Lua files on
//! `package.path`, C libraries on `package.cpath`, and the all-in-one C loader (a submodule
//! `a.b` inside the library of `a`).
//!
//! A searcher returns a loader and its data, or a string saying where it looked. Each holds
//! the `package` table as upvalue 1.

use super::path::{search_path, DIR_SEP};
use rivet_lang::vm::closure::NativeFn;
use rivet_lang::{Lua, LuaResult, Value};

pub const SEARCHERS: &[(&str, NativeFn)] =
    &[("searcher_preload", preload), ("searcher_Lua", lua_file), ("searcher_C", c_library), ("searcher_Croot", c_root)];

/// Why a native module that was found cannot be used.
const NATIVE_UNSUPPORTED: &str = "native Lua C modules cannot be loaded by rivet (it has no Lua C API)";

/// `package.preload[name]`, with `":preload:"` as loader data.
fn preload(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let reg = lua.registry();
    let Value::Table(preload) = reg.get_str_bytes(super::PRELOAD_KEY.as_bytes()) else {
        return Err(lua.native_error("'package.preload' must be a table"));
    };
    let loader = lua.index(Value::Table(preload), Value::Str(name))?;
    if loader.is_nil() {
        let mut msg = b"no field package.preload['".to_vec();
        msg.extend_from_slice(name.as_bytes());
        msg.extend_from_slice(b"']");
        let v = lua.bytes_value(&msg);
        lua.push(v);
        return Ok(1);
    }
    lua.push(loader);
    let data = lua.str_value(":preload:");
    lua.push(data);
    Ok(2)
}

/// `package.<field>` as a string (numbers converted), or Lua's error.
fn path_field(lua: &mut Lua, field: &str) -> LuaResult<Vec<u8>> {
    let package = lua.native_upvalue(0);
    let key = lua.str_value(field);
    match lua.index(package, key)? {
        Value::Str(s) => Ok(s.as_bytes().to_vec()),
        v @ (Value::Int(_) | Value::Float(_)) => Ok(lua.to_display(v)?.as_bytes().to_vec()),
        _ => Err(lua.native_error(&format!("'package.{field}' must be a string"))),
    }
}

/// A Lua file on `package.path`: the loader is the compiled file, the data its name.
fn lua_file(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let path = path_field(lua, "path")?;
    let file = match search_path(name.as_bytes(), &path, b".", DIR_SEP) {
        Ok(file) => file,
        Err(msg) => {
            let v = lua.bytes_value(&msg);
            lua.push(v);
            return Ok(1);
        }
    };
    match crate::base::load_file(lua, Some(&file), "bt", None) {
        Ok(f) => {
            lua.push(f);
            let data = lua.bytes_value(&file);
            lua.push(data);
            Ok(2)
        }
        Err(msg) => Err(load_error(lua, name.as_bytes(), &file, &msg)),
    }
}

/// `error loading module 'm' from file 'f':\n\t<reason>`.
fn load_error(lua: &mut Lua, name: &[u8], file: &[u8], reason: &str) -> rivet_lang::LuaError {
    let msg = format!(
        "error loading module '{}' from file '{}':\n\t{reason}",
        String::from_utf8_lossy(name),
        String::from_utf8_lossy(file)
    );
    lua.native_error(&msg)
}

/// A C library on `package.cpath`. Not finding one reads as in Lua; finding one is an error,
/// since rivet cannot run it.
fn c_library(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let cpath = path_field(lua, "cpath")?;
    match search_path(name.as_bytes(), &cpath, b".", DIR_SEP) {
        Ok(file) => Err(load_error(lua, name.as_bytes(), &file, NATIVE_UNSUPPORTED)),
        Err(msg) => {
            let v = lua.bytes_value(&msg);
            lua.push(v);
            Ok(1)
        }
    }
}

/// The all-in-one loader: for `a.b.c`, the C library of the root name `a`. Names without a
/// dot are left to the other searchers (no value).
fn c_root(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let Some(dot) = name.as_bytes().iter().position(|&b| b == b'.') else {
        return Ok(0);
    };
    let root = name.as_bytes()[..dot].to_vec();
    let cpath = path_field(lua, "cpath")?;
    match search_path(&root, &cpath, b".", DIR_SEP) {
        Ok(file) => Err(load_error(lua, name.as_bytes(), &file, NATIVE_UNSUPPORTED)),
        Err(msg) => {
            let v = lua.bytes_value(&msg);
            lua.push(v);
            Ok(1)
        }
    }
}
