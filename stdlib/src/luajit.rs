//! What LuaJIT 2.1 provides beyond Lua 5.4's libraries, so that scripts written for LuaJIT
//! run unchanged: the `jit` table, and the Lua 5.1 names LuaJIT's own libraries still have
//! (the exact set of names `luajit` has and `lua5.4` lacks, found by listing both).
//!
//! - `jit`: `os`, `arch`, `version` ("LuaJIT 2.1.0-rivet"), `version_num` (20100), `status()`
//!   (whether rivet's loop compiler is on, `rivet_lang::jit`), `on()` and `off()` (switch it
//!   for the whole runtime; given a function, as LuaJIT allows, they do nothing), `flush`,
//!   `attach`, `opt.start` (accepted and ignored: there are no traces or options).
//! - Aliases of Lua 5.4 functions: `unpack` (`table.unpack`), `loadstring` (`load`),
//!   `math.atan2` (`math.atan`), `package.loaders` (`package.searchers`).
//! - Functions Lua 5.4 dropped, with their 5.1 meaning: `math.pow`, `math.cosh`, `math.sinh`,
//!   `math.tanh`, `math.log10`, `math.frexp`, `math.ldexp`, `table.getn`, `table.maxn`,
//!   `table.foreach`, `table.foreachi`, `gcinfo`, `newproxy`, `package.seeall`.
//! - Function environments, mapped onto `_ENV`: `getfenv(f)` is the value of `f`'s `_ENV`
//!   upvalue (the globals for a function without one, level 0 or a native function);
//!   `setfenv(f, t)` gives `f` an `_ENV` of its own holding `t` (other functions that shared
//!   the old one keep it, as 5.1 environments are per function; a function that reads no
//!   global has no `_ENV` and is left as it is); `module(name, ...)` sets the calling chunk's
//!   `_ENV`. What cannot be mapped (the environment of a thread, of a native function) raises
//!   a clear error.
//!   `debug.getfenv`/`debug.setfenv` do the same for functions; other values have none.

use rivet_lang::gc::Gc;
use rivet_lang::vm::closure::NativeFn;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};

/// `jit.version`: a LuaJIT 2.1 version string that says which implementation this is.
pub const VERSION: &str = "LuaJIT 2.1.0-rivet";
/// `jit.version_num`: LuaJIT 2.1's (major * 10000 + minor * 100 + patch).
pub const VERSION_NUM: i64 = 20100;

/// Opens the `jit` table and the aliases. Runs after the libraries it extends (`package`
/// included).
pub fn open(lua: &mut Lua) {
    let g = lua.globals();
    let table_lib = sub_table(g, "table");
    let math_lib = sub_table(g, "math");
    let package_lib = sub_table(g, "package");
    let debug_lib = sub_table(g, "debug");

    if let Some(t) = table_lib {
        let unpack = t.get_str_bytes(b"unpack");
        lua.set_field(g, "unpack", unpack);
        register(
            lua,
            t,
            &[
                ("getn", "table.getn", getn),
                ("maxn", "table.maxn", maxn),
                ("foreach", "table.foreach", foreach),
                ("foreachi", "table.foreachi", foreachi),
            ],
        );
    }
    let load = g.get_str_bytes(b"load");
    lua.set_field(g, "loadstring", load);
    register(
        lua,
        g,
        &[
            ("getfenv", "getfenv", getfenv),
            ("setfenv", "setfenv", setfenv),
            ("newproxy", "newproxy", newproxy),
            ("gcinfo", "gcinfo", gcinfo),
            ("module", "module", module),
        ],
    );
    if let Some(m) = math_lib {
        let atan = m.get_str_bytes(b"atan");
        lua.set_field(m, "atan2", atan);
        register(
            lua,
            m,
            &[
                ("pow", "math.pow", pow),
                ("cosh", "math.cosh", cosh),
                ("sinh", "math.sinh", sinh),
                ("tanh", "math.tanh", tanh),
                ("log10", "math.log10", log10),
                ("frexp", "math.frexp", frexp),
                ("ldexp", "math.ldexp", ldexp),
            ],
        );
    }
    if let Some(p) = package_lib {
        let searchers = p.get_str_bytes(b"searchers");
        lua.set_field(p, "loaders", searchers);
        register(lua, p, &[("seeall", "package.seeall", seeall)]);
    }
    if let Some(d) = debug_lib {
        register(lua, d, &[("getfenv", "debug.getfenv", debug_getfenv), ("setfenv", "debug.setfenv", debug_setfenv)]);
    }
    open_jit(lua);
}

fn sub_table(t: Gc<Table>, name: &str) -> Option<Gc<Table>> {
    t.get_str_bytes(name.as_bytes()).as_table()
}

fn register(lua: &mut Lua, t: Gc<Table>, fns: &[(&str, &'static str, NativeFn)]) {
    for &(key, name, f) in fns {
        let v = lua.new_native(name, f);
        lua.set_field(t, key, v);
    }
}

// ----- jit ----------------------------------------------------------------------------------

fn open_jit(lua: &mut Lua) {
    let jit = lua.new_table();
    let (os, arch) = host_names();
    let os = lua.str_value(os);
    lua.set_field(jit, "os", os);
    let arch = lua.str_value(arch);
    lua.set_field(jit, "arch", arch);
    let version = lua.str_value(VERSION);
    lua.set_field(jit, "version", version);
    lua.set_field(jit, "version_num", Value::Int(VERSION_NUM));
    register(
        lua,
        jit,
        &[
            ("status", "jit.status", jit_status),
            ("on", "jit.on", jit_on),
            ("off", "jit.off", jit_off),
            ("flush", "jit.flush", jit_ignored),
            ("attach", "jit.attach", jit_ignored),
        ],
    );
    let opt = lua.new_table();
    register(lua, opt, &[("start", "jit.opt.start", jit_ignored)]);
    lua.set_field(jit, "opt", Value::Table(opt));
    let g = lua.globals();
    lua.set_field(g, "jit", Value::Table(jit));
    let loaded = crate::package::loaded_table(lua);
    lua.set_field(loaded, "jit", Value::Table(jit));
}

/// `jit.os` and `jit.arch`, with LuaJIT's names.
fn host_names() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "windows" => "Windows",
        "macos" => "OSX",
        "freebsd" | "netbsd" | "openbsd" | "dragonfly" => "BSD",
        _ => "Other",
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "x86" => "x86",
        "aarch64" => "arm64",
        "arm" => "arm",
        _ => "other",
    };
    (os, arch)
}

/// `jit.status()`: whether the loop compiler is on (LuaJIT's optimisation flags, which would
/// follow, have no counterpart).
fn jit_status(lua: &mut Lua) -> LuaResult<usize> {
    let on = lua.loop_compiler();
    lua.push(Value::Bool(on));
    Ok(1)
}

/// `jit.on()` / `jit.off()`: switch the loop compiler. LuaJIT's per-function forms
/// (`jit.off(f)`) have no counterpart: rivet compiles loops, not functions, and ignores them.
fn jit_on(lua: &mut Lua) -> LuaResult<usize> {
    switch_loop_compiler(lua, true)
}

fn jit_off(lua: &mut Lua) -> LuaResult<usize> {
    switch_loop_compiler(lua, false)
}

fn switch_loop_compiler(lua: &mut Lua, on: bool) -> LuaResult<usize> {
    if lua.nargs() == 0 {
        lua.set_loop_compiler(on);
    }
    Ok(0)
}

/// `jit.flush`, `jit.attach`, `jit.opt.start`: nothing to switch.
fn jit_ignored(_: &mut Lua) -> LuaResult<usize> {
    Ok(0)
}

// ----- math ---------------------------------------------------------------------------------

fn check_float(lua: &mut Lua, n: usize) -> LuaResult<f64> {
    Ok(lua.check_number(n)?.to_f64())
}

fn push_float(lua: &mut Lua, f: f64) -> LuaResult<usize> {
    lua.push(Value::Float(f));
    Ok(1)
}

fn pow(lua: &mut Lua) -> LuaResult<usize> {
    let (x, y) = (check_float(lua, 1)?, check_float(lua, 2)?);
    push_float(lua, x.powf(y))
}

fn cosh(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_float(lua, 1)?;
    push_float(lua, x.cosh())
}

fn sinh(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_float(lua, 1)?;
    push_float(lua, x.sinh())
}

fn tanh(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_float(lua, 1)?;
    push_float(lua, x.tanh())
}

fn log10(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_float(lua, 1)?;
    push_float(lua, x.log10())
}

/// `math.frexp(x)`: `m, e` with `x = m * 2^e` and `0.5 <= |m| < 1` (C's `frexp`).
fn frexp(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_float(lua, 1)?;
    let (m, e) = frexp_parts(x);
    lua.push(Value::Float(m));
    lua.push(Value::Int(e));
    Ok(2)
}

fn frexp_parts(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp_parts(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// `math.ldexp(m, e)`: `m * 2^e` (C's `ldexp`).
fn ldexp(lua: &mut Lua) -> LuaResult<usize> {
    let m = check_float(lua, 1)?;
    let e = lua.check_integer(2)?.clamp(-10_000, 10_000) as i32;
    // In steps, so that intermediate powers of two neither overflow nor underflow early.
    let mut r = m;
    let mut e = e;
    while e > 1000 {
        r *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        r *= 2f64.powi(-1000);
        e += 1000;
    }
    push_float(lua, r * 2f64.powi(e))
}

// ----- table --------------------------------------------------------------------------------

/// `table.getn(t)`: the border `#t` finds, without `__len` (5.1 had none for tables).
fn getn(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    lua.push(Value::Int(t.len()));
    Ok(1)
}

/// `table.maxn(t)`: the largest positive numeric key, 0 if none.
fn maxn(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let mut max: Option<Value> = None;
    let mut key = Value::Nil;
    while let Some((k, _)) = next(lua, t, key)? {
        let bigger = match (k, max) {
            (Value::Int(i), None) => i > 0,
            (Value::Float(f), None) => f > 0.0,
            (Value::Int(i), Some(m)) => lua.less_than(m, Value::Int(i))?,
            (Value::Float(f), Some(m)) => lua.less_than(m, Value::Float(f))?,
            _ => false,
        };
        if bigger {
            max = Some(k);
        }
        key = k;
    }
    // The key itself (an integer key stays an integer, as LuaJIT prints it).
    lua.push(max.unwrap_or(Value::Int(0)));
    Ok(1)
}

/// `table.foreach(t, f)`: calls `f(k, v)` for each pair; a non-nil result stops the walk and
/// is returned.
fn foreach(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let f = lua.check_function(2)?;
    let mut key = Value::Nil;
    let slot = lua.top();
    while let Some((k, v)) = next(lua, t, key)? {
        // The key stays on the stack while `f` runs: `f` may remove it from the table, and
        // `next` needs it afterwards.
        lua.set_top(slot);
        lua.push(k);
        let r = lua.call_meta1(f, &[k, v])?;
        if !r.is_nil() {
            lua.push(r);
            return Ok(1);
        }
        key = k;
    }
    Ok(0)
}

/// `table.foreachi(t, f)`: calls `f(i, t[i])` for `i = 1, #t`, stopping at a non-nil result.
fn foreachi(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let f = lua.check_function(2)?;
    let n = t.len();
    for i in 1..=n {
        let v = t.get_int(i);
        let r = lua.call_meta1(f, &[Value::Int(i), v])?;
        if !r.is_nil() {
            lua.push(r);
            return Ok(1);
        }
    }
    Ok(0)
}

/// The pair after `key` in `t` (`next`).
fn next(lua: &mut Lua, t: Gc<Table>, key: Value) -> LuaResult<Option<(Value, Value)>> {
    t.next(key).map_err(|_| lua.native_error("invalid key to 'next'"))
}

// ----- base ---------------------------------------------------------------------------------

/// `gcinfo()`: the memory in use, in whole kilobytes.
fn gcinfo(lua: &mut Lua) -> LuaResult<usize> {
    let kb = lua.heap_mut().bytes_in_use() / 1024;
    lua.push(Value::Int(kb as i64));
    Ok(1)
}

/// `newproxy([true | proxy])`: a bare userdata; with `true` it gets a new empty metatable,
/// with another proxy it shares that one's metatable.
fn newproxy(lua: &mut Lua) -> LuaResult<usize> {
    let arg = lua.arg(1);
    let mt = match arg {
        Value::Nil | Value::Bool(false) => None,
        Value::Bool(true) => Some(lua.new_table()),
        Value::UserData(u) if u.payload::<Proxy>().is_some() => u.metatable(),
        _ => return Err(lua.arg_error(1, "boolean or proxy expected")),
    };
    let u = lua.new_userdata(Box::new(Proxy), 0);
    u.set_metatable(mt);
    lua.push(Value::UserData(u));
    Ok(1)
}

/// The payload of `newproxy`'s userdata.
struct Proxy;

/// Where a function's environment lives: the index of its `_ENV` upvalue, if it has one.
fn env_upvalue(lua: &Lua, f: Value) -> Option<i64> {
    (1..).map_while(|n| lua.upvalue(f, n).map(|(name, _)| (n, name))).find(|(_, name)| name == "_ENV").map(|(n, _)| n)
}

/// The function `getfenv`/`setfenv` mean by argument 1: a function, or a stack level (1, the
/// default, is the caller). `None` for level 0 (the global environment).
fn fenv_target(lua: &mut Lua) -> LuaResult<Option<Value>> {
    let arg = lua.arg(1);
    if arg.is_function() {
        return Ok(Some(arg));
    }
    let level = if arg.is_nil() { 1 } else { lua.check_integer(1)? };
    if level == 0 {
        return Ok(None);
    }
    let thread = lua.current_thread();
    match lua.frame_at_level(thread, level).filter(|_| level > 0) {
        Some(frame) => Ok(Some(lua.frame_info(frame).func)),
        None => Err(lua.arg_error(1, "invalid level")),
    }
}

/// `getfenv([f | level])`.
fn getfenv(lua: &mut Lua) -> LuaResult<usize> {
    let target = fenv_target(lua)?;
    let env = match target.and_then(|f| env_upvalue(lua, f).map(|n| (f, n))) {
        Some((f, n)) => lua.upvalue(f, n).map_or(Value::Nil, |(_, v)| v),
        None => Value::Table(lua.globals()),
    };
    lua.push(env);
    Ok(1)
}

/// `setfenv(f | level, t)`: returns `f`.
fn setfenv(lua: &mut Lua) -> LuaResult<usize> {
    let Value::Table(env) = lua.arg(2) else { return Err(lua.type_error(2, "table")) };
    let Some(f) = fenv_target(lua)? else {
        return Err(
            lua.native_error("'setfenv' cannot change the environment of a thread: Lua 5.4 has no per-thread globals")
        );
    };
    set_env(lua, f, env)?;
    lua.push(f);
    Ok(1)
}

/// Gives the Lua function `f` an `_ENV` upvalue of its own holding `env`.
fn set_env(lua: &mut Lua, f: Value, env: Gc<Table>) -> LuaResult<()> {
    let Value::LuaFn(closure) = f else {
        return Err(lua.native_error("'setfenv' cannot change the environment of a native function"));
    };
    // A function that reads no global has no `_ENV` upvalue: no environment could be seen.
    let Some(n) = env_upvalue(lua, f) else { return Ok(()) };
    // A fresh closed upvalue: the `_ENV` of a new chunk, which nothing else shares.
    let holder = lua.load_text(b"return _ENV", "=setfenv")?;
    let Value::LuaFn(holder_closure) = holder else { unreachable!("a loaded chunk is a Lua function") };
    lua.set_upvalue(holder, 1, Value::Table(env));
    lua.upvalue_join(closure, n as usize, holder_closure, 1);
    Ok(())
}

fn debug_getfenv(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    if v.is_function() {
        return getfenv(lua);
    }
    lua.push(Value::Nil);
    Ok(1)
}

fn debug_setfenv(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    let Value::Table(env) = lua.arg(2) else { return Err(lua.type_error(2, "table")) };
    if !v.is_function() {
        let what = v.type_name();
        return Err(lua.native_error(&format!("cannot set the environment of a {what}: Lua 5.4 has none")));
    }
    set_env(lua, v, env)?;
    lua.push(v);
    Ok(1)
}

/// `package.seeall(m)`: globals visible through `m` (`setmetatable(m, {__index = _G})`).
fn seeall(lua: &mut Lua) -> LuaResult<usize> {
    let m = lua.check_table(1)?;
    let mt = match m.metatable() {
        Some(mt) => mt,
        None => {
            let mt = lua.new_table();
            m.set_metatable(Some(mt));
            mt
        }
    };
    let g = lua.globals();
    lua.set_field(mt, "__index", Value::Table(g));
    Ok(0)
}

/// `module(name, ...)`: finds or makes the module table (`package.loaded[name]`, else the
/// global `name`, dotted names making nested tables), sets `_NAME`, `_M` and `_PACKAGE`,
/// applies the options (functions called with the module), and makes it the environment of
/// the calling function.
fn module(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let name = String::from_utf8_lossy(name.as_bytes()).into_owned();
    let loaded = crate::package::loaded_table(lua);
    let m = match loaded.get_str_bytes(name.as_bytes()) {
        Value::Table(t) => t,
        _ => {
            let mut t = lua.globals();
            for part in name.split('.') {
                t = match t.get_str_bytes(part.as_bytes()) {
                    Value::Table(sub) => sub,
                    Value::Nil => {
                        let sub = lua.new_table();
                        lua.set_field(t, part, Value::Table(sub));
                        sub
                    }
                    _ => return Err(lua.native_error(&format!("name conflict for module '{name}'"))),
                };
            }
            lua.set_field(loaded, &name, Value::Table(t));
            t
        }
    };
    if m.get_str_bytes(b"_NAME").is_nil() {
        lua.set_field(m, "_M", Value::Table(m));
        let n = lua.str_value(&name);
        lua.set_field(m, "_NAME", n);
        let package = name.rfind('.').map_or("", |i| &name[..=i]);
        let p = lua.str_value(package);
        lua.set_field(m, "_PACKAGE", p);
    }
    let thread = lua.current_thread();
    let caller = lua.frame_at_level(thread, 1).map(|f| lua.frame_info(f).func);
    match caller {
        Some(f @ Value::LuaFn(_)) => {
            if let Some(n) = env_upvalue(lua, f) {
                // The caller's own `_ENV` (a chunk's is its own): the rest of it, and the
                // functions it makes, see the module.
                lua.set_upvalue(f, n, Value::Table(m));
            }
        }
        _ => return Err(lua.native_error("'module' not called from a Lua function")),
    }
    for i in 2..=lua.nargs() {
        let opt = lua.arg(i);
        lua.call_meta1(opt, &[Value::Table(m)])?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::frexp_parts;

    #[test]
    fn frexp_as_c() {
        // glibc's frexp.
        assert_eq!(frexp_parts(8.0), (0.5, 4));
        assert_eq!(frexp_parts(-3.0), (-0.75, 2));
        assert_eq!(frexp_parts(0.1), (0.8, -3));
        assert_eq!(frexp_parts(5e-324), (0.5, -1073));
        assert_eq!(frexp_parts(0.0), (0.0, 0));
    }
}
