//! The package library (manual §6.3): `require`, `package.loaded`, `package.preload`,
//! `package.searchers`, `package.path`/`cpath`, `package.config`, `package.searchpath`,
//! `package.loadlib`.
//!
//! As in Lua 5.4, the table of loaded modules and the preload table live in the registry
//! (`_LOADED`, `_PRELOAD`), so replacing `package.loaded` or `package` itself does not break
//! `require`; `require` and the searchers find the `package` table through an upvalue.
//! rivet has no Lua C API, so native C modules cannot be loaded: the C searchers still search
//! `package.cpath` (a missing module reads exactly as in Lua), and a module found there fails
//! with a message that says why.

mod path;
mod searchers;

pub use path::bytes_to_path;

use rivet_lang::gc::Gc;
use rivet_lang::vm::string::LuaStr;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};

/// Registry key of the loaded-modules table (`package.loaded`).
pub const LOADED_KEY: &str = "_LOADED";
/// Registry key of the preload table (`package.preload`).
pub const PRELOAD_KEY: &str = "_PRELOAD";
/// Registry key that, when true, makes the paths ignore the environment (the command line's
/// `-E`, as lua.c's `LUA_NOENV`).
pub const NOENV_KEY: &str = "LUA_NOENV";

/// Globals that are standard libraries: `require` returns them without searching.
const LIBRARIES: &[&str] =
    &["_G", "package", "coroutine", "table", "io", "os", "string", "math", "utf8", "debug", "bit"];

/// Opens `package` and `require`. Call after the other libraries: every standard library
/// found among the globals is registered in `package.loaded`.
pub fn open(lua: &mut Lua) {
    let reg = lua.registry();
    let loaded = loaded_table(lua);
    let preload = lua.new_table();
    lua.set_field(reg, PRELOAD_KEY, Value::Table(preload));
    let package = lua.new_table();
    let pkg = Value::Table(package);

    let searchers = lua.new_table();
    for (i, (name, f)) in searchers::SEARCHERS.iter().enumerate() {
        let s = lua.new_native_with_upvalues(name, *f, vec![pkg]);
        searchers.set_int(i as i64 + 1, s);
    }
    lua.set_field(package, "searchers", Value::Table(searchers));

    let ignore_env = reg.get_str_bytes(NOENV_KEY.as_bytes()).truthy();
    let p = path::path_from_env("LUA_PATH", path::DEFAULT_PATH, ignore_env);
    let v = lua.bytes_value(&p);
    lua.set_field(package, "path", v);
    let p = path::path_from_env("LUA_CPATH", path::DEFAULT_CPATH, ignore_env);
    let v = lua.bytes_value(&p);
    lua.set_field(package, "cpath", v);
    let v = lua.str_value(path::CONFIG);
    lua.set_field(package, "config", v);
    lua.set_field(package, "loaded", Value::Table(loaded));
    lua.set_field(package, "preload", Value::Table(preload));
    lua.register_lib(
        package,
        &[("searchpath", "package.searchpath", searchpath), ("loadlib", "package.loadlib", loadlib)],
    );

    let g = lua.globals();
    let require = lua.new_native_with_upvalues("require", require, vec![pkg]);
    lua.set_field(g, "require", require);
    lua.set_field(g, "package", pkg);
    for name in LIBRARIES {
        let v = g.get_str_bytes(name.as_bytes());
        if matches!(v, Value::Table(_)) {
            lua.set_field(loaded, name, v);
        }
    }
}

/// The registry's table of loaded modules (`package.loaded`; created on first use, so that
/// libraries opened before `package`, or without it, can register themselves).
pub(crate) fn loaded_table(lua: &mut Lua) -> Gc<Table> {
    let reg = lua.registry();
    match reg.get_str_bytes(LOADED_KEY.as_bytes()) {
        Value::Table(t) => t,
        _ => {
            let t = lua.new_table();
            lua.set_field(reg, LOADED_KEY, Value::Table(t));
            t
        }
    }
}

/// `require(name)`: `package.loaded[name]` if set, else the first loader a searcher finds is
/// called with `(name, loader data)`; its result (or `true`) is stored in
/// `package.loaded[name]`. Returns the module and the loader data.
fn require(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let base = lua.top() - lua.nargs();
    lua.set_top(base + 1);
    let loaded = Value::Table(loaded_table(lua));
    lua.push(loaded);
    let module = lua.index(loaded, Value::Str(name))?;
    if module.truthy() {
        lua.push(module);
        return Ok(1);
    }
    let loader_at = find_loader(lua, name)?;
    // Stack: name, LOADED, searchers, loader, data.
    let func = lua.top();
    let (loader, data) = (lua.stack_at(loader_at), lua.stack_at(loader_at + 1));
    lua.push(loader);
    lua.push(Value::Str(name));
    lua.push(data);
    lua.call(func, 1)?;
    let result = lua.stack_at(func);
    if !result.is_nil() {
        lua.set_index(loaded, Value::Str(name), result)?;
    }
    lua.set_top(func);
    let mut module = lua.index(loaded, Value::Str(name))?;
    if module.is_nil() {
        module = Value::Bool(true);
        lua.set_index(loaded, Value::Str(name), module)?;
    }
    lua.push(module);
    lua.push(lua.stack_at(loader_at + 1));
    Ok(2)
}

/// Runs `package.searchers` in order until one returns a function. Leaves the searchers
/// table, the loader and its data on the stack and returns the loader's slot. When none
/// finds the module, the error lists what each searcher said.
fn find_loader(lua: &mut Lua, name: Gc<LuaStr>) -> LuaResult<usize> {
    let package = lua.native_upvalue(0);
    let key = lua.str_value("searchers");
    let searchers = lua.index(package, key)?;
    let Value::Table(list) = searchers else {
        return Err(lua.native_error("'package.searchers' must be a table"));
    };
    lua.push(searchers);
    let mut msg: Vec<u8> = Vec::new();
    for i in 1.. {
        msg.extend_from_slice(b"\n\t");
        let searcher = list.get_int(i);
        if searcher.is_nil() {
            msg.truncate(msg.len() - 2);
            let mut text = format!("module '{}' not found:", name.to_str_lossy()).into_bytes();
            text.extend_from_slice(&msg);
            let v = lua.with_position(1, &text);
            return Err(rivet_lang::LuaError::new(v));
        }
        let func = lua.top();
        lua.push(searcher);
        lua.push(Value::Str(name));
        lua.call(func, 2)?;
        match lua.stack_at(func) {
            f if f.is_function() => return Ok(func),
            v @ (Value::Str(_) | Value::Int(_) | Value::Float(_)) => {
                let s = lua.to_display(v)?;
                msg.extend_from_slice(s.as_bytes());
            }
            _ => msg.truncate(msg.len() - 2),
        }
        lua.set_top(func);
    }
    unreachable!("the searcher loop only ends by returning")
}

/// `package.searchpath(name, path [, sep [, rep]])`: the first readable file, or
/// `nil, message` listing the files tried.
fn searchpath(lua: &mut Lua) -> LuaResult<usize> {
    // Arguments are checked last to first, as the reference build evaluates them.
    let rep = lua.opt_string(4)?.map_or(path::DIR_SEP.to_vec(), |s| s.as_bytes().to_vec());
    let sep = lua.opt_string(3)?.map_or(b".".to_vec(), |s| s.as_bytes().to_vec());
    let path = lua.check_string(2)?;
    let name = lua.check_string(1)?;
    match path::search_path(name.as_bytes(), path.as_bytes(), &sep, &rep) {
        Ok(file) => {
            let v = lua.bytes_value(&file);
            lua.push(v);
            Ok(1)
        }
        Err(msg) => {
            lua.push(Value::Nil);
            let v = lua.bytes_value(&msg);
            lua.push(v);
            Ok(2)
        }
    }
}

/// `package.loadlib(path, funcname)`: rivet has no Lua C API, so this always fails the way a
/// Lua built without dynamic-library support does: `nil, message, "absent"`.
fn loadlib(lua: &mut Lua) -> LuaResult<usize> {
    let lib = lua.check_string(1)?;
    lua.check_string(2)?;
    let msg = format!(
        "cannot load '{}': rivet cannot load native libraries through package.loadlib (it has no Lua C API)",
        lib.to_str_lossy()
    );
    lua.push(Value::Nil);
    let m = lua.str_value(&msg);
    lua.push(m);
    let when = lua.str_value("absent");
    lua.push(when);
    Ok(3)
}
