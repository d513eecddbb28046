//! The coroutine library (manual §6.2).

use rivet_lang::gc::Gc;
use rivet_lang::vm::coroutine::ResumeResult;
use rivet_lang::vm::thread::{CoStatus, Thread};
use rivet_lang::{Lua, LuaResult, Value};

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("create", "coroutine.create", create),
            ("resume", "coroutine.resume", resume),
            ("yield", "coroutine.yield", yield_),
            ("status", "coroutine.status", status),
            ("wrap", "coroutine.wrap", wrap),
            ("isyieldable", "coroutine.isyieldable", isyieldable),
            ("running", "coroutine.running", running),
            ("close", "coroutine.close", close),
        ],
    );
    let g = lua.globals();
    lua.set_field(g, "coroutine", Value::Table(t));
}

/// Resumes `co`; `Err((error, died))` where `died` tells that the coroutine itself failed
/// (rather than not being resumable).
fn resume_values(lua: &mut Lua, co: Gc<Thread>, nargs: usize) -> LuaResult<Result<usize, (Value, bool)>> {
    match lua.resume(co, nargs)? {
        ResumeResult::Values(n) => Ok(Ok(n)),
        ResumeResult::Error(e) => Ok(Err((e.value, true))),
        ResumeResult::CannotResume(e) => Ok(Err((e.value, false))),
    }
}

fn check_co(lua: &mut Lua, n: usize) -> LuaResult<Gc<Thread>> {
    match lua.arg(n) {
        Value::Thread(t) => Ok(t),
        _ => Err(lua.type_error(n, "thread")),
    }
}

fn create(lua: &mut Lua) -> LuaResult<usize> {
    let f = lua.arg(1);
    if !f.is_function() {
        return Err(lua.type_error(1, "function"));
    }
    let co = lua.new_thread(f);
    lua.push(Value::Thread(co));
    Ok(1)
}

fn resume(lua: &mut Lua) -> LuaResult<usize> {
    let co = check_co(lua, 1)?;
    let nargs = lua.nargs() - 1;
    match resume_values(lua, co, nargs)? {
        Ok(n) => {
            lua.insert_below_top(n, Value::Bool(true));
            Ok(n + 1)
        }
        Err((e, _)) => {
            lua.push(Value::Bool(false));
            lua.push(e);
            Ok(2)
        }
    }
}

fn yield_(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    lua.yield_values(n)
}

fn status_name(lua: &Lua, co: Gc<Thread>) -> &'static str {
    if Gc::ptr_eq(co, lua.current_thread()) {
        return "running";
    }
    match co.status() {
        CoStatus::Suspended => "suspended",
        CoStatus::Running => "running",
        CoStatus::Normal => "normal",
        CoStatus::Dead => "dead",
    }
}

fn status(lua: &mut Lua) -> LuaResult<usize> {
    let co = check_co(lua, 1)?;
    let s = lua.str_value(status_name(lua, co));
    lua.push(s);
    Ok(1)
}

fn wrap_aux(lua: &mut Lua) -> LuaResult<usize> {
    let co = match lua.native_upvalue(0) {
        Value::Thread(t) => t,
        // `debug.setupvalue` can replace it.
        _ => return Err(lua.native_error("wrapped coroutine's upvalue was changed")),
    };
    let nargs = lua.nargs();
    match resume_values(lua, co, nargs)? {
        Ok(n) => Ok(n),
        Err((e, died)) => {
            // Like Lua's auxwrap: close the dead coroutine's pending variables (an error in a
            // `__close` replaces the coroutine's), then propagate the error with the caller's
            // position prepended to string errors.
            let mut e = e;
            if died {
                if let Some(closing) = lua.close_thread(co)? {
                    e = closing;
                }
            }
            let e = match e {
                Value::Str(s) => lua.with_position(1, s.as_bytes()),
                other => other,
            };
            Err(rivet_lang::LuaError::new(e))
        }
    }
}

fn wrap(lua: &mut Lua) -> LuaResult<usize> {
    let f = lua.arg(1);
    if !f.is_function() {
        return Err(lua.type_error(1, "function"));
    }
    let co = lua.new_thread(f);
    let w = lua.new_native_with_upvalues("wrap", wrap_aux, vec![Value::Thread(co)]);
    lua.push(w);
    Ok(1)
}

fn isyieldable(lua: &mut Lua) -> LuaResult<usize> {
    let y = match lua.arg(1) {
        Value::Thread(t) => !Gc::ptr_eq(t, lua.main_thread()) && t.status() != CoStatus::Dead,
        _ => lua.is_yieldable(),
    };
    lua.push(Value::Bool(y));
    Ok(1)
}

fn running(lua: &mut Lua) -> LuaResult<usize> {
    let cur = lua.current_thread();
    lua.push(Value::Thread(cur));
    lua.push(Value::Bool(Gc::ptr_eq(cur, lua.main_thread())));
    Ok(2)
}

fn close(lua: &mut Lua) -> LuaResult<usize> {
    let co = check_co(lua, 1)?;
    match status_name(lua, co) {
        "suspended" | "dead" => {}
        other => {
            let msg = format!("cannot close a {other} coroutine");
            return Err(lua.native_error(&msg));
        }
    }
    match lua.close_thread(co)? {
        None => {
            lua.push(Value::Bool(true));
            Ok(1)
        }
        Some(e) => {
            lua.push(Value::Bool(false));
            lua.push(e);
            Ok(2)
        }
    }
}
