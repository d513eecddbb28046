//! The basic library (manual §6.1): print, type, tostring, tonumber, pairs, ipairs, next,
//! select, error, pcall, xpcall, assert, metatables, raw access, collectgarbage, load,
//! loadfile, dofile, warn.

use rivet_lang::number::{str2int_base, str2number};
use rivet_lang::vm::metamethod::Tm;
use rivet_lang::{Lua, LuaResult, Value};

pub fn open(lua: &mut Lua) {
    let g = lua.globals();
    let fns: &[(&'static str, rivet_lang::vm::closure::NativeFn)] = &[
        ("print", print),
        ("type", type_),
        ("tostring", tostring),
        ("tonumber", tonumber),
        ("ipairs", ipairs),
        ("pairs", pairs),
        ("next", next),
        ("select", select),
        ("error", error),
        ("pcall", pcall),
        ("xpcall", xpcall),
        ("assert", assert),
        ("setmetatable", setmetatable),
        ("getmetatable", getmetatable),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawequal", rawequal),
        ("rawlen", rawlen),
        ("collectgarbage", collectgarbage),
        ("load", load),
        ("loadfile", loadfile),
        ("dofile", dofile),
        ("warn", warn),
    ];
    for &(name, f) in fns {
        lua.register(g, name, f);
    }
    // `pairs` returns this very `next` (scripts compare them).
    let next_fn = lua.get_global("next");
    let reg = lua.registry();
    lua.set_field(reg, "rivet.next", next_fn);
    // `ipairs` always returns this one iterator (`ipairs{} == ipairs{}` in Lua).
    let ipairs_iter = lua.new_native("ipairs_aux", ipairs_aux);
    lua.set_field(reg, "rivet.ipairs_aux", ipairs_iter);
    lua.set_field(g, "_G", Value::Table(g));
    let v = lua.str_value("Lua 5.4");
    lua.set_field(g, "_VERSION", v);
}

fn print(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    let mut out: Vec<u8> = Vec::new();
    for i in 1..=n {
        let s = lua.to_display(lua.arg(i))?;
        if i > 1 {
            out.push(b'\t');
        }
        out.extend_from_slice(s.as_bytes());
    }
    out.push(b'\n');
    crate::io::print_line(&out);
    Ok(0)
}

fn type_(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    // cdata are userdata to the VM; `type` names them as LuaJIT does.
    let name = if crate::ffi::is_cdata(v) { "cdata" } else { v.type_name() };
    let s = lua.str_value(name);
    lua.push(s);
    Ok(1)
}

fn tostring(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    let s = lua.tostring(v)?;
    lua.push(s);
    Ok(1)
}

fn tonumber(lua: &mut Lua) -> LuaResult<usize> {
    if lua.arg(2).is_nil() {
        let v = lua.check_any(1)?;
        let r = match v {
            Value::Int(_) | Value::Float(_) => v,
            Value::Str(s) => match str2number(s.as_bytes()) {
                Some(rivet_lang::number::Number::Int(i)) => Value::Int(i),
                Some(rivet_lang::number::Number::Float(f)) => Value::Float(f),
                None => Value::Nil,
            },
            // Numeric cdata convert to their value (LuaJIT's extension of `tonumber`).
            Value::UserData(_) => crate::ffi::cdata_to_number(lua, v).unwrap_or(Value::Nil),
            _ => Value::Nil,
        };
        lua.push(r);
        return Ok(1);
    }
    let base = lua.check_integer(2)?;
    let s = match lua.arg(1) {
        Value::Str(s) => s,
        _ => return Err(lua.type_error(1, "string")),
    };
    if !(2..=36).contains(&base) {
        return Err(lua.arg_error(2, "base out of range"));
    }
    let r = str2int_base(s.as_bytes(), base as u32).map_or(Value::Nil, Value::Int);
    lua.push(r);
    Ok(1)
}

fn ipairs_aux(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.arg(1);
    let i = match lua.arg(2) {
        Value::Int(i) => i.wrapping_add(1),
        _ => 1,
    };
    let v = match t {
        Value::Table(tab) if tab.metatable().is_none() => tab.get_int(i),
        _ => lua.index(t, Value::Int(i))?,
    };
    if v.is_nil() {
        lua.push(Value::Nil);
        return Ok(1);
    }
    lua.push(Value::Int(i));
    lua.push(v);
    Ok(2)
}

fn ipairs(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_any(1)?;
    let reg = lua.registry();
    let f = reg.get_str_bytes(b"rivet.ipairs_aux");
    lua.push(f);
    lua.push(t);
    lua.push(Value::Int(0));
    Ok(3)
}

fn next(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    match t.next(lua.arg(2)) {
        Ok(Some((k, v))) => {
            lua.push(k);
            lua.push(v);
            Ok(2)
        }
        Ok(None) => {
            lua.push(Value::Nil);
            Ok(1)
        }
        Err(_) => Err(lua.native_error("invalid key to 'next'")),
    }
}

fn pairs(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_any(1)?;
    let h = lua.metamethod(t, Tm::Pairs);
    if !h.is_nil() {
        let func = lua.top();
        lua.push(h);
        lua.push(t);
        // Lua's pairs calls __pairs with a continuation, so the metamethod may yield.
        lua.call_yieldable(func, 3)?;
        return Ok(3);
    }
    // No type check: `pairs(nil)` fails later, in `next`, as in Lua 5.4.
    let reg = lua.registry();
    let f = reg.get_str_bytes(b"rivet.next");
    lua.push(f);
    lua.push(t);
    lua.push(Value::Nil);
    Ok(3)
}

fn select(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs() as i64;
    if let Value::Str(s) = lua.arg(1) {
        if s.as_bytes() == b"#" {
            lua.push(Value::Int(n - 1));
            return Ok(1);
        }
    }
    let i = lua.check_integer(1)?;
    let i = if i < 0 {
        n + i
    } else if i == 0 {
        return Err(lua.arg_error(1, "index out of range"));
    } else {
        i.min(n)
    };
    if i < 1 {
        return Err(lua.arg_error(1, "index out of range"));
    }
    Ok((n - i) as usize)
}

fn error(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.arg(1);
    let level = lua.opt_integer(2, 1)?;
    let v = match v {
        Value::Str(s) if level > 0 => lua.with_position(level as usize, s.as_bytes()),
        other => other,
    };
    Err(rivet_lang::LuaError::new(v))
}

fn pcall(lua: &mut Lua) -> LuaResult<usize> {
    lua.check_any(1)?;
    let func = lua.top() - lua.nargs();
    finish_pcall(lua, func, None)
}

fn xpcall(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    if !lua.arg(2).is_function() {
        return Err(lua.type_error(2, "function"));
    }
    let base = lua.top() - n;
    // [f, h, args...] -> [h, f, args...]: the call starts at f.
    let (f, h) = (lua.stack_at(base), lua.stack_at(base + 1));
    lua.stack_set(base, h);
    lua.stack_set(base + 1, f);
    finish_pcall(lua, base + 1, Some(h))
}

/// Runs the protected call at `func` and returns `true, results...` or `false, error`.
fn finish_pcall(lua: &mut Lua, func: usize, handler: Option<Value>) -> LuaResult<usize> {
    match lua.pcall_yieldable(func, -1, handler) {
        Ok(()) => {
            let nres = lua.top() - func;
            lua.insert_below_top(nres, Value::Bool(true));
            Ok(nres + 1)
        }
        Err(e) => {
            lua.push(Value::Bool(false));
            lua.push(e.value);
            Ok(2)
        }
    }
}

fn assert(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    if v.truthy() {
        return Ok(lua.nargs());
    }
    if lua.nargs() >= 2 {
        return Err(rivet_lang::LuaError::new(lua.arg(2)));
    }
    Err(lua.native_error("assertion failed!"))
}

fn setmetatable(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let mt = match lua.arg(2) {
        Value::Nil => None,
        Value::Table(m) => Some(m),
        _ => return Err(lua.type_error(2, "nil or table")),
    };
    if lua.nargs() < 2 {
        return Err(lua.type_error(2, "nil or table"));
    }
    if let Some(old) = t.metatable() {
        if !lua.mt_get(old, Tm::Metatable).is_nil() {
            return Err(lua.native_error("cannot change a protected metatable"));
        }
    }
    t.set_metatable(mt);
    if let Some(m) = mt {
        if !lua.mt_get(m, Tm::Gc).is_nil() {
            lua.heap_mut().register_finalizer(t);
        }
    }
    lua.push(Value::Table(t));
    Ok(1)
}

fn getmetatable(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    match lua.metatable_of(v) {
        None => lua.push(Value::Nil),
        Some(mt) => {
            let protected = lua.mt_get(mt, Tm::Metatable);
            lua.push(if protected.is_nil() { Value::Table(mt) } else { protected });
        }
    }
    Ok(1)
}

fn rawget(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let k = lua.check_any(2)?;
    lua.push(t.get(k));
    Ok(1)
}

fn rawset(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.check_table(1)?;
    let k = lua.check_any(2)?;
    let v = lua.check_any(3)?;
    lua.raw_set(t, k, v)?;
    lua.push(Value::Table(t));
    Ok(1)
}

fn rawequal(lua: &mut Lua) -> LuaResult<usize> {
    let a = lua.check_any(1)?;
    let b = lua.check_any(2)?;
    lua.push(Value::Bool(a.raw_eq(b)));
    Ok(1)
}

fn rawlen(lua: &mut Lua) -> LuaResult<usize> {
    let n = match lua.arg(1) {
        Value::Table(t) => t.len(),
        Value::Str(s) => s.len() as i64,
        _ => return Err(lua.type_error(1, "table or string")),
    };
    lua.push(Value::Int(n));
    Ok(1)
}

fn collectgarbage(lua: &mut Lua) -> LuaResult<usize> {
    let opt = match lua.opt_string(1)? {
        Some(s) => s.to_str_lossy().into_owned(),
        None => "collect".to_string(),
    };
    const OPTIONS: &[&str] = &[
        "collect",
        "count",
        "step",
        "isrunning",
        "stop",
        "restart",
        "incremental",
        "generational",
        "setpause",
        "setstepmul",
    ];
    if OPTIONS.contains(&opt.as_str()) && lua.in_finalizer() {
        // The collector is not reentrant: inside a finalizer every option fails (lua_gc's -1).
        lua.push(Value::Nil);
        return Ok(1);
    }
    let result = match opt.as_str() {
        "collect" => {
            lua.collect_garbage();
            Value::Int(0)
        }
        "count" => Value::Float(lua.heap_mut().bytes_in_use() as f64 / 1024.0),
        "step" => {
            // A stop-the-world collector finishes a whole cycle in any step.
            lua.collect_garbage();
            Value::Bool(true)
        }
        "isrunning" => Value::Bool(lua.heap_mut().running),
        "stop" => {
            lua.heap_mut().running = false;
            Value::Int(0)
        }
        "restart" => {
            lua.heap_mut().running = true;
            Value::Int(0)
        }
        "incremental" => {
            let was_gen = lua.heap_mut().params.generational;
            lua.heap_mut().params.generational = false;
            let pause = lua.opt_integer(2, 0)?;
            let stepmul = lua.opt_integer(3, 0)?;
            let stepsize = lua.opt_integer(4, 0)?;
            let heap = lua.heap_mut();
            if pause != 0 {
                heap.params.pause = pause.clamp(0, 1000) as u32;
            }
            if stepmul != 0 {
                heap.params.step_mul = stepmul.clamp(0, 1000) as u32;
            }
            if stepsize != 0 {
                heap.params.step_size = stepsize.clamp(0, 62) as u32;
            }
            lua.str_value(if was_gen { "generational" } else { "incremental" })
        }
        "generational" => {
            let was_gen = lua.heap_mut().params.generational;
            lua.heap_mut().params.generational = true;
            lua.str_value(if was_gen { "generational" } else { "incremental" })
        }
        "setpause" => {
            let p = lua.opt_integer(2, 0)?;
            let heap = lua.heap_mut();
            let old = heap.params.pause;
            heap.params.pause = p.clamp(0, 1000) as u32;
            Value::Int(old as i64)
        }
        "setstepmul" => {
            let p = lua.opt_integer(2, 0)?;
            let heap = lua.heap_mut();
            let old = heap.params.step_mul;
            heap.params.step_mul = p.clamp(0, 1000) as u32;
            Value::Int(old as i64)
        }
        other => {
            let msg = format!("invalid option '{other}'");
            return Err(lua.arg_error(1, &msg));
        }
    };
    lua.push(result);
    Ok(1)
}

/// `load(chunk [, chunkname [, mode [, env]]])`.
fn load(lua: &mut Lua) -> LuaResult<usize> {
    let chunk = match lua.arg(1) {
        // A number chunk is its text, as `lua_tolstring` makes it.
        Value::Int(_) | Value::Float(_) => Value::Str(lua.check_string(1)?),
        other => other,
    };
    let mode = lua.opt_string(3)?.map(|s| s.to_str_lossy().into_owned()).unwrap_or_else(|| "bt".into());
    let env = if lua.nargs() >= 4 { Some(lua.arg(4)) } else { None };
    let (source, default_name): (Vec<u8>, String) = match chunk {
        // Numbers are strings here too (lua_tolstring converts them).
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let s = lua.check_string(1)?;
            (s.as_bytes().to_vec(), String::from_utf8_lossy(s.as_bytes()).into_owned())
        }
        f if f.is_function() => {
            let mut buf = Vec::new();
            loop {
                // An error in the reader makes `load` fail, like a syntax error.
                let r = match lua.call_function(f, &[]) {
                    Ok(r) => r,
                    Err(e) => {
                        lua.push(Value::Nil);
                        lua.push(e.value);
                        return Ok(2);
                    }
                };
                match r.first().copied().unwrap_or(Value::Nil) {
                    Value::Nil => break,
                    Value::Str(s) if s.is_empty() => break,
                    Value::Str(s) => buf.extend_from_slice(s.as_bytes()),
                    _ => {
                        lua.push(Value::Nil);
                        let m = lua.str_value("reader function must return a string");
                        lua.push(m);
                        return Ok(2);
                    }
                }
            }
            (buf, "=(load)".to_string())
        }
        _ => return Err(lua.type_error(1, "string")),
    };
    let name = match lua.opt_string(2)? {
        Some(s) => s.to_str_lossy().into_owned(),
        None => default_name,
    };
    load_chunk(lua, &source, &name, &mode, env)
}

/// Loads `source` and pushes the function, or `nil, message`.
pub(crate) fn load_chunk(lua: &mut Lua, source: &[u8], name: &str, mode: &str, env: Option<Value>) -> LuaResult<usize> {
    let loaded = load_value(lua, source, name, mode, env);
    push_loaded(lua, loaded)
}

/// Pushes a loaded function, or `nil, message` (the results of `load` and `loadfile`).
fn push_loaded(lua: &mut Lua, loaded: Result<Value, String>) -> LuaResult<usize> {
    match loaded {
        Ok(f) => {
            lua.push(f);
            Ok(1)
        }
        Err(msg) => {
            lua.push(Value::Nil);
            let m = lua.str_value(&msg);
            lua.push(m);
            Ok(2)
        }
    }
}

/// Compiles (text) or reads (binary) a chunk into a function, honouring `mode` ("b", "t",
/// "bt"). The caller pushes the function at once: it is reachable from nowhere else.
pub(crate) fn load_value(
    lua: &mut Lua,
    source: &[u8],
    name: &str,
    mode: &str,
    env: Option<Value>,
) -> Result<Value, String> {
    // Binary chunks start with ESC, the first byte of "\x1bLua".
    let result = if source.first() == Some(&0x1b) {
        if !mode.contains('b') {
            return Err(format!("attempt to load a binary chunk (mode is '{mode}')"));
        }
        lua.load_binary(source, name, env)
    } else {
        if !mode.contains('t') {
            return Err(format!("attempt to load a text chunk (mode is '{mode}')"));
        }
        let proto = rivet_lang::compile_source(source, name).map_err(|e| e.to_string())?;
        lua.load_proto(proto, env)
    };
    result.map_err(|e| match e.value {
        Value::Str(s) => s.to_str_lossy().into_owned(),
        v => v.type_name().to_string(),
    })
}

/// `luaL_loadfilex`: loads a file (standard input for `None`) as a text or binary chunk named
/// `@path`. A UTF-8 byte-order mark and a first line starting with `#` are skipped.
pub fn load_file(lua: &mut Lua, path: Option<&[u8]>, mode: &str, env: Option<Value>) -> Result<Value, String> {
    let (bytes, name) = read_source(path)?;
    load_value(lua, skip_file_prefix(&bytes), &name, mode, env)
}

/// The chunk in a file's bytes: after an optional byte-order mark and a `#` first line. A
/// text chunk keeps the comment's line break, so line numbers are unchanged.
fn skip_file_prefix(bytes: &[u8]) -> &[u8] {
    let s = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if s.first() != Some(&b'#') {
        return s;
    }
    let newline = s.iter().position(|&b| b == b'\n').unwrap_or(s.len());
    let rest = &s[newline..];
    match rest.get(1) {
        Some(&0x1b) => &rest[1..],
        _ => rest,
    }
}

/// Reads a chunk file (`@name` chunk name) or standard input (`=stdin`), with Lua's messages
/// (`cannot open f: No such file or directory`, `cannot read f: Is a directory`).
fn read_source(path: Option<&[u8]>) -> Result<(Vec<u8>, String), String> {
    match path {
        Some(p) => {
            let shown = String::from_utf8_lossy(p).into_owned();
            let file = crate::package::bytes_to_path(p).ok_or_else(|| format!("cannot open {shown}"))?;
            let mut f = std::fs::File::open(file).map_err(|e| format!("cannot open {shown}: {}", io_error_text(&e)))?;
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes)
                .map_err(|e| format!("cannot read {shown}: {}", io_error_text(&e)))?;
            Ok((bytes, format!("@{shown}")))
        }
        None => {
            let mut buf = Vec::new();
            match std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf) {
                Ok(_) => Ok((buf, "=stdin".to_string())),
                Err(e) => Err(format!("cannot read stdin: {}", io_error_text(&e))),
            }
        }
    }
}

/// The C library's wording of an I/O error (`No such file or directory`).
pub fn io_error_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn loadfile(lua: &mut Lua) -> LuaResult<usize> {
    let path = lua.opt_string(1)?.map(|s| s.as_bytes().to_vec());
    let mode = lua.opt_string(2)?.map(|s| s.to_str_lossy().into_owned()).unwrap_or_else(|| "bt".into());
    let env = if lua.nargs() >= 3 { Some(lua.arg(3)) } else { None };
    let loaded = load_file(lua, path.as_deref(), &mode, env);
    push_loaded(lua, loaded)
}

fn dofile(lua: &mut Lua) -> LuaResult<usize> {
    let path = lua.opt_string(1)?.map(|s| s.as_bytes().to_vec());
    let f = load_file(lua, path.as_deref(), "bt", None).map_err(|m| lua.error_str(&m))?;
    let func = lua.top();
    lua.push(f);
    lua.call_yieldable(func, -1)?;
    Ok(lua.top() - func)
}

fn warn(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    if n == 0 {
        return Err(lua.type_error(1, "string"));
    }
    let mut msg = Vec::new();
    for i in 1..=n {
        match lua.arg(i) {
            Value::Str(s) => msg.extend_from_slice(s.as_bytes()),
            _ => return Err(lua.type_error(i, "string")),
        }
    }
    lua.warn_message(&String::from_utf8_lossy(&msg));
    Ok(0)
}
