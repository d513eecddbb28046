//! The debug library (manual §6.10): introspection of functions, frames, locals and
//! upvalues of any coroutine, hooks, metatables of any value, the registry, user values,
//! tracebacks and the `debug.debug` console.
//!
//! As in Lua's ldblib, hook functions live in a registry table `_HOOKKEY` with weak keys,
//! indexed by thread; the VM calls one Rust hook (`call_hook_function`) that looks the
//! running thread's function up there.

use rivet_lang::gc::Gc;
use rivet_lang::vm::closure::NativeFn;
use rivet_lang::vm::hook::{HookEvent, HookFn, MASK_CALL, MASK_COUNT, MASK_LINE, MASK_RET};
use rivet_lang::vm::inspect::DebugInfo;
use rivet_lang::vm::metamethod::Tm;
use rivet_lang::vm::table::Table;
use rivet_lang::vm::thread::Thread;
use rivet_lang::{Lua, LuaResult, Value};

/// Registry key of the table of hook functions per thread.
const HOOK_KEY: &str = "_HOOKKEY";

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    let fns: &[(&'static str, &'static str, NativeFn)] = &[
        ("debug", "debug.debug", debug),
        ("gethook", "debug.gethook", gethook),
        ("getinfo", "debug.getinfo", getinfo),
        ("getlocal", "debug.getlocal", getlocal),
        ("getmetatable", "debug.getmetatable", getmetatable),
        ("getregistry", "debug.getregistry", getregistry),
        ("getupvalue", "debug.getupvalue", getupvalue),
        ("getuservalue", "debug.getuservalue", getuservalue),
        ("sethook", "debug.sethook", sethook),
        ("setlocal", "debug.setlocal", setlocal),
        ("setmetatable", "debug.setmetatable", setmetatable),
        ("setupvalue", "debug.setupvalue", setupvalue),
        ("setuservalue", "debug.setuservalue", setuservalue),
        ("traceback", "debug.traceback", traceback),
        ("upvalueid", "debug.upvalueid", upvalueid),
        ("upvaluejoin", "debug.upvaluejoin", upvaluejoin),
        ("setcstacklimit", "debug.setcstacklimit", setcstacklimit),
    ];
    lua.register_lib(t, fns);
    let g = lua.globals();
    lua.set_field(g, "debug", Value::Table(t));
}

/// The optional thread first argument of most functions: the thread and how many
/// arguments it takes (0 or 1), as ldblib's `getthread`.
fn thread_arg(lua: &Lua) -> (Gc<Thread>, usize) {
    match lua.arg(1) {
        Value::Thread(t) => (t, 1),
        _ => (lua.current_thread(), 0),
    }
}

// ----- getinfo ------------------------------------------------------------------------------

fn getinfo(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, arg) = thread_arg(lua);
    let options = match lua.opt_string(arg + 2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"flnSrtu".to_vec(),
    };
    if options.first() == Some(&b'>') {
        return Err(lua.arg_error(arg + 2, "invalid option '>'"));
    }
    let target = lua.arg(arg + 1);
    let info = if target.is_function() {
        lua.function_info(target)
    } else {
        let level = lua.check_integer(arg + 1)?;
        match lua.frame_at_level(thread, level) {
            Some(frame) => lua.frame_info(frame),
            None => {
                lua.push(Value::Nil);
                return Ok(1);
            }
        }
    };
    if options.iter().any(|c| !b"SlnrutLf".contains(c)) {
        return Err(lua.arg_error(arg + 2, "invalid option"));
    }
    let t = lua.new_table();
    lua.push(Value::Table(t));
    let has = |c: u8| options.contains(&c);
    if has(b'S') {
        let source = lua.bytes_value(info.source.as_bytes());
        lua.set_field(t, "source", source);
        let short = lua.str_value(&info.short_src);
        lua.set_field(t, "short_src", short);
        lua.set_field(t, "linedefined", Value::Int(info.line_defined));
        lua.set_field(t, "lastlinedefined", Value::Int(info.last_line_defined));
        let what = lua.str_value(info.what);
        lua.set_field(t, "what", what);
    }
    if has(b'l') {
        lua.set_field(t, "currentline", Value::Int(info.current_line));
    }
    if has(b'u') {
        lua.set_field(t, "nups", Value::Int(info.nups as i64));
        lua.set_field(t, "nparams", Value::Int(info.nparams as i64));
        lua.set_field(t, "isvararg", Value::Bool(info.is_vararg));
    }
    if has(b'n') {
        set_name_fields(lua, t, &info);
    }
    if has(b'r') {
        lua.set_field(t, "ftransfer", Value::Int(info.ftransfer as i64));
        lua.set_field(t, "ntransfer", Value::Int(info.ntransfer as i64));
    }
    if has(b't') {
        lua.set_field(t, "istailcall", Value::Bool(info.is_tail_call));
    }
    if has(b'L') {
        if let Some(lines) = lua.active_lines(info.func) {
            let set = lua.new_table();
            for line in lines {
                set.set_int(line as i64, Value::Bool(true));
            }
            lua.set_field(t, "activelines", Value::Table(set));
        }
    }
    if has(b'f') {
        lua.set_field(t, "func", info.func);
    }
    Ok(1)
}

fn set_name_fields(lua: &mut Lua, t: Gc<Table>, info: &DebugInfo) {
    let (name, namewhat) = match &info.name {
        Some(o) => (lua.str_value(&o.name), o.kind),
        None => (Value::Nil, ""),
    };
    lua.set_field(t, "name", name);
    let namewhat = lua.str_value(namewhat);
    lua.set_field(t, "namewhat", namewhat);
}

// ----- locals and upvalues --------------------------------------------------------------------

fn getlocal(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, arg) = thread_arg(lua);
    let n = lua.check_integer(arg + 2)?;
    let target = lua.arg(arg + 1);
    if target.is_function() {
        // Parameter names of a function that is not running.
        let name = match lua.param_name(target, n) {
            Some(name) => lua.str_value(&name),
            None => Value::Nil,
        };
        lua.push(name);
        return Ok(1);
    }
    let level = lua.check_integer(arg + 1)?;
    let Some(frame) = lua.frame_at_level(thread, level) else {
        return Err(lua.arg_error(arg + 1, "level out of range"));
    };
    match lua.frame_local(frame, n) {
        Some((name, v)) => {
            let name = lua.str_value(&name);
            lua.push(name);
            lua.push(v);
            Ok(2)
        }
        None => {
            lua.push(Value::Nil);
            Ok(1)
        }
    }
}

fn setlocal(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, arg) = thread_arg(lua);
    let level = lua.check_integer(arg + 1)?;
    let n = lua.check_integer(arg + 2)?;
    let Some(frame) = lua.frame_at_level(thread, level) else {
        return Err(lua.arg_error(arg + 1, "level out of range"));
    };
    let v = lua.check_any(arg + 3)?;
    let name = match lua.set_frame_local(frame, n, v) {
        Some(name) => lua.str_value(&name),
        None => Value::Nil,
    };
    lua.push(name);
    Ok(1)
}

fn getupvalue(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.check_integer(2)?;
    let f = lua.check_function(1)?;
    match lua.upvalue(f, n) {
        Some((name, v)) => {
            let name = lua.str_value(&name);
            lua.push(name);
            lua.push(v);
            Ok(2)
        }
        None => Ok(0),
    }
}

fn setupvalue(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(3)?;
    let n = lua.check_integer(2)?;
    let f = lua.check_function(1)?;
    match lua.set_upvalue(f, n, v) {
        Some(name) => {
            let name = lua.str_value(&name);
            lua.push(name);
            Ok(1)
        }
        None => Ok(0),
    }
}

/// Checks the function and upvalue index arguments `argf`/`argn`; with `must_exist`, a
/// missing upvalue is an argument error (ldblib's `checkupval`).
fn check_upvalue(lua: &mut Lua, argf: usize, argn: usize, must_exist: bool) -> LuaResult<(Value, i64, Option<usize>)> {
    let n = lua.check_integer(argn)?;
    let f = lua.check_function(argf)?;
    let id = lua.upvalue_id(f, n);
    if must_exist && id.is_none() {
        return Err(lua.arg_error(argn, "invalid upvalue index"));
    }
    Ok((f, n, id))
}

fn upvalueid(lua: &mut Lua) -> LuaResult<usize> {
    let (_, _, id) = check_upvalue(lua, 1, 2, false)?;
    lua.push(id.map_or(Value::Nil, Value::LightUserData));
    Ok(1)
}

fn upvaluejoin(lua: &mut Lua) -> LuaResult<usize> {
    let (f1, n1, _) = check_upvalue(lua, 1, 2, true)?;
    let (f2, n2, _) = check_upvalue(lua, 3, 4, true)?;
    let Value::LuaFn(c1) = f1 else { return Err(lua.arg_error(1, "Lua function expected")) };
    let Value::LuaFn(c2) = f2 else { return Err(lua.arg_error(3, "Lua function expected")) };
    lua.upvalue_join(c1, n1 as usize, c2, n2 as usize);
    Ok(0)
}

// ----- hooks --------------------------------------------------------------------------------

/// The hook table (registry `_HOOKKEY`, weak keys), created on first use.
fn hook_table(lua: &mut Lua) -> Gc<Table> {
    let reg = lua.registry();
    if let Value::Table(t) = reg.get_str_bytes(HOOK_KEY.as_bytes()) {
        return t;
    }
    let t = lua.new_table();
    let mode = lua.str_value("k");
    lua.set_field(t, "__mode", mode);
    t.set_metatable(Some(t));
    lua.set_field(reg, HOOK_KEY, Value::Table(t));
    t
}

/// The VM's hook for every thread hooked through `debug.sethook`: calls the thread's hook
/// function with the event name and the new line (or nil).
fn call_hook_function(lua: &mut Lua, event: HookEvent, line: Option<u32>) -> LuaResult<()> {
    let Value::Table(hooks) = lua.registry().get_str_bytes(HOOK_KEY.as_bytes()) else { return Ok(()) };
    let f = hooks.get(Value::Thread(lua.current_thread()));
    if !f.is_function() {
        return Ok(());
    }
    let func = lua.top();
    lua.push(f);
    let name = lua.str_value(event.name());
    lua.push(name);
    lua.push(line.map_or(Value::Nil, |l| Value::Int(l as i64)));
    lua.call(func, 0)
}

const HOOK: HookFn = call_hook_function;

fn sethook(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, arg) = thread_arg(lua);
    let (func, mask, count) = if lua.arg(arg + 1).is_nil() {
        (Value::Nil, 0, 0)
    } else {
        let smask = lua.check_string(arg + 2)?;
        let f = lua.check_function(arg + 1)?;
        // Lua keeps the count in a C int.
        let count = lua.opt_integer(arg + 3, 0)? as i32;
        let mut mask = 0;
        for &c in smask.as_bytes() {
            mask |= match c {
                b'c' => MASK_CALL,
                b'r' => MASK_RET,
                b'l' => MASK_LINE,
                _ => 0,
            };
        }
        if count > 0 {
            mask |= MASK_COUNT;
        }
        (f, mask, count)
    };
    let hooks = hook_table(lua);
    hooks.set(Value::Thread(thread), func).ok();
    lua.set_hook(thread, Some(HOOK), mask, count);
    Ok(0)
}

fn gethook(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, _) = thread_arg(lua);
    let (func, mask, count) = lua.hook_of(thread);
    let Some(func) = func else {
        lua.push(Value::Nil);
        return Ok(1);
    };
    if std::ptr::fn_addr_eq(func, HOOK) {
        let hooks = hook_table(lua);
        lua.push(hooks.get(Value::Thread(thread)));
    } else {
        let external = lua.str_value("external hook");
        lua.push(external);
    }
    let mut text = String::new();
    for (bit, c) in [(MASK_CALL, 'c'), (MASK_RET, 'r'), (MASK_LINE, 'l')] {
        if mask & bit != 0 {
            text.push(c);
        }
    }
    let text = lua.str_value(&text);
    lua.push(text);
    lua.push(Value::Int(count as i64));
    Ok(3)
}

// ----- tracebacks -----------------------------------------------------------------------------

fn traceback(lua: &mut Lua) -> LuaResult<usize> {
    let (thread, arg) = thread_arg(lua);
    let msg = match lua.arg(arg + 1) {
        Value::Nil => None,
        Value::Str(s) => Some(s.as_bytes().to_vec()),
        v @ (Value::Int(_) | Value::Float(_)) => Some(lua.to_display(v)?.as_bytes().to_vec()),
        // Any other message is returned untouched.
        other => {
            lua.push(other);
            return Ok(1);
        }
    };
    let default_level = if Gc::ptr_eq(thread, lua.current_thread()) { 1 } else { 0 };
    let level = lua.opt_integer(arg + 2, default_level)?;
    let text = lua.traceback_of(thread, msg.as_deref(), level);
    let v = lua.bytes_value(&text);
    lua.push(v);
    Ok(1)
}

// ----- metatables, registry, user values -----------------------------------------------------

fn getmetatable(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    let mt = lua.metatable_of(v);
    lua.push(mt.map_or(Value::Nil, Value::Table));
    Ok(1)
}

fn setmetatable(lua: &mut Lua) -> LuaResult<usize> {
    let mt = match lua.arg(2) {
        Value::Nil if lua.nargs() >= 2 => None,
        Value::Table(t) => Some(t),
        _ => return Err(lua.type_error(2, "nil or table")),
    };
    let v = lua.arg(1);
    let has_gc = mt.is_some_and(|m| !lua.mt_get(m, Tm::Gc).is_nil());
    match v {
        Value::Table(t) => {
            t.set_metatable(mt);
            if has_gc {
                lua.heap_mut().register_finalizer(t);
            }
        }
        Value::UserData(u) => {
            u.set_metatable(mt);
            if has_gc {
                lua.heap_mut().register_finalizer(u);
            }
        }
        other => lua.set_type_metatable(other.lua_type(), mt),
    }
    lua.push(v);
    Ok(1)
}

fn getregistry(lua: &mut Lua) -> LuaResult<usize> {
    let reg = lua.registry();
    lua.push(Value::Table(reg));
    Ok(1)
}

fn getuservalue(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.opt_integer(2, 1)?;
    let value = match lua.arg(1) {
        Value::UserData(u) if n >= 1 => u.user_value(n as usize - 1),
        _ => None,
    };
    match value {
        Some(v) => {
            lua.push(v);
            lua.push(Value::Bool(true));
            Ok(2)
        }
        None => {
            lua.push(Value::Nil);
            Ok(1)
        }
    }
}

fn setuservalue(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.opt_integer(3, 1)?;
    let u = match lua.arg(1) {
        Value::UserData(u) => u,
        _ => return Err(lua.type_error(1, "userdata")),
    };
    let v = lua.check_any(2)?;
    let stored = n >= 1 && u.set_user_value(n as usize - 1, v);
    lua.push(if stored { Value::UserData(u) } else { Value::Nil });
    Ok(1)
}

/// Kept for compatibility: the C stack limit is fixed; returns Lua's LUAI_MAXCCALLS.
fn setcstacklimit(lua: &mut Lua) -> LuaResult<usize> {
    lua.check_integer(1)?;
    lua.push(Value::Int(rivet_lang::vm::state::MAX_C_DEPTH as i64));
    Ok(1)
}

// ----- the debug console -----------------------------------------------------------------------

/// `debug.debug`: runs each line read from standard input as a chunk until a line `cont`
/// (or the end of input); errors are printed to standard error.
fn debug(lua: &mut Lua) -> LuaResult<usize> {
    use crate::io::stream::{flush_stdout, std_stream, StdStream};
    loop {
        flush_stdout();
        let _ = std_stream(StdStream::Err).write(b"lua_debug> ");
        let line = std_stream(StdStream::In).read_line(true);
        let line = match line {
            Ok(Some(l)) if l != b"cont\n" => l,
            _ => return Ok(0),
        };
        let base = lua.top();
        let result = match lua.load_text(&line, "=(debug command)") {
            Ok(f) => {
                lua.push(f);
                lua.pcall(base, 0, None)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            let text = describe_error(lua, e.value);
            let _ = std_stream(StdStream::Err).write(&text);
            let _ = std_stream(StdStream::Err).write(b"\n");
        }
        lua.set_top(base);
    }
}

/// `luaL_tolstring` of an error value, without raising a new error.
fn describe_error(lua: &mut Lua, v: Value) -> Vec<u8> {
    match lua.to_display(v) {
        Ok(s) => s.as_bytes().to_vec(),
        Err(_) => format!("({} value)", v.type_name()).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use rivet_lang::vm::hook::{HookEvent, MASK_LINE};
    use rivet_lang::{Lua, LuaResult, Value};

    fn runtime() -> Lua {
        let mut lua = Lua::new();
        crate::open_all(&mut lua);
        lua
    }

    fn run(lua: &mut Lua, src: &str) -> Vec<String> {
        let f = lua.load_text(src.as_bytes(), "=test").expect("compiles");
        let results = lua.call_function(f, &[]).unwrap_or_else(|e| panic!("{:?}", e.value));
        results
            .into_iter()
            .map(|v| match v {
                Value::Str(s) => s.to_str_lossy().into_owned(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn user_values_are_numbered_from_one() {
        let mut lua = runtime();
        let ud = lua.new_userdata(Box::new(()), 2);
        lua.set_global("u", Value::UserData(ud));
        let r = run(
            &mut lua,
            "local a, b = debug.getuservalue(u)
             local c = select('#', debug.getuservalue(u, 3))
             local set2 = debug.setuservalue(u, 'second', 2) == u
             local set3 = debug.setuservalue(u, 'third', 3)
             debug.setuservalue(u, 'first')
             return tostring(a), tostring(b), tostring(c), tostring(set2), tostring(set3),
                    debug.getuservalue(u, 1), debug.getuservalue(u, 2), tostring(debug.getuservalue(u, 0))",
        );
        assert_eq!(r, ["nil", "true", "1", "true", "nil", "first", "second", "nil"]);
    }

    fn host_hook(lua: &mut Lua, event: HookEvent, line: Option<u32>) -> LuaResult<()> {
        let seen = lua.get_global("seen");
        if let Value::Table(t) = seen {
            let entry = lua.str_value(&format!("{}:{}", event.name(), line.unwrap_or(0)));
            t.set_int(t.len() + 1, entry);
        }
        Ok(())
    }

    #[test]
    fn a_host_hook_is_an_external_hook() {
        let mut lua = runtime();
        let seen = lua.new_table();
        lua.set_global("seen", Value::Table(seen));
        let main = lua.main_thread();
        lua.set_hook(main, Some(host_hook), MASK_LINE, 0);
        let r = run(&mut lua, "local h, mask, count = debug.gethook()\nreturn h, mask, tostring(count)");
        lua.set_hook(main, None, 0, 0);
        assert_eq!(r, ["external hook", "l", "0"]);
        assert!(seen.len() >= 2, "the host hook saw the chunk's lines");
        assert!(matches!(seen.get_int(1), Value::Str(s) if s.as_bytes() == b"line:1"));
    }
}
