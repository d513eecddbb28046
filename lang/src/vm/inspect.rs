//! Introspection of functions, frames, locals and upvalues of any thread: what the `debug`
//! library and tracebacks are built on (Lua's `lua_getstack`, `lua_getinfo`,
//! `lua_getlocal`/`lua_setlocal`, `lua_getupvalue`/`lua_setupvalue`, `lua_upvalueid`,
//! `lua_upvaluejoin`).
//!
//! Levels count frames from the top of a thread's frame stack: level 0 is the running
//! function of that thread (for the running thread, the native function asking).

use super::closure::{LuaClosure, UpVal};
use super::debuginfo::{frame_name, ObjName};
use super::state::Lua;
use super::thread::{Thread, ThreadData};
use super::value::Value;
use crate::gc::Gc;

/// Debug information about a function, or a function running in a frame (`lua_Debug`).
#[derive(Debug, Clone)]
pub struct DebugInfo {
    /// The chunk name (`@file`, `=name` or the source text); `=[C]` for native functions.
    pub source: String,
    /// The display form of `source` (`luaO_chunkid`).
    pub short_src: String,
    /// -1 for native functions; 0 for a main chunk.
    pub line_defined: i64,
    pub last_line_defined: i64,
    /// "Lua", "C" or "main".
    pub what: &'static str,
    /// Line being run by a frame; -1 when unknown (native, no line information, no frame).
    pub current_line: i64,
    pub nups: usize,
    pub nparams: usize,
    pub is_vararg: bool,
    /// How the frame's function was called (`getinfo`'s name and namewhat).
    pub name: Option<ObjName>,
    pub is_tail_call: bool,
    /// Values a call or return hook transfers, as local indices (0 and 0 otherwise).
    pub ftransfer: usize,
    pub ntransfer: usize,
    pub func: Value,
}

/// A frame of some thread, found by level.
#[derive(Clone, Copy)]
pub struct FrameRef {
    pub thread: Gc<Thread>,
    /// Index in the thread's frame stack (0 = bottom).
    pub index: usize,
}

impl Lua {
    /// The frame at `level` of `thread`, if that deep.
    pub fn frame_at_level(&self, thread: Gc<Thread>, level: i64) -> Option<FrameRef> {
        // SAFETY: short read of a live thread's frame count.
        let n = unsafe { thread.data() }.frames.len() as i64;
        if level < 0 || level >= n {
            return None;
        }
        Some(FrameRef { thread, index: (n - 1 - level) as usize })
    }

    /// Number of frames of `thread` (levels 0 to this minus one exist).
    pub fn frame_count(&self, thread: Gc<Thread>) -> usize {
        // SAFETY: short read.
        unsafe { thread.data() }.frames.len()
    }

    /// Debug information about the function running in `frame`.
    pub fn frame_info(&self, frame: FrameRef) -> DebugInfo {
        // SAFETY: read-only use of a live thread within this function; nothing here runs
        // code or touches another reference to the thread.
        let th: &ThreadData = unsafe { frame.thread.data() };
        let ci = th.frames[frame.index];
        let func = th.stack.get(ci.func).copied().unwrap_or(Value::Nil);
        let mut info = self.function_info(func);
        if let Some(cl) = ci.closure {
            info.current_line = current_line(cl, ci.pc());
        }
        info.name = frame_name(th, frame.index);
        info.is_tail_call = ci.tail;
        if let Some(h) = th.hook.active.filter(|h| h.frame == frame.index && h.ntransfer != 0) {
            info.ftransfer = h.ftransfer;
            info.ntransfer = h.ntransfer;
        }
        info
    }

    /// Debug information about a function value (no frame: no current line, no name).
    pub fn function_info(&self, func: Value) -> DebugInfo {
        let mut info = DebugInfo {
            source: "=[C]".into(),
            short_src: "[C]".into(),
            line_defined: -1,
            last_line_defined: -1,
            what: "C",
            current_line: -1,
            nups: 0,
            nparams: 0,
            is_vararg: true,
            name: None,
            is_tail_call: false,
            ftransfer: 0,
            ntransfer: 0,
            func,
        };
        match func {
            Value::LuaFn(cl) => {
                let p = &cl.proto;
                info.source = p.source.to_string();
                info.short_src = crate::span::chunk_id(&p.source);
                info.line_defined = p.line_defined as i64;
                info.last_line_defined = p.last_line_defined as i64;
                info.what = if p.line_defined == 0 { "main" } else { "Lua" };
                info.nups = cl.upvals.len();
                info.nparams = p.num_params as usize;
                info.is_vararg = p.is_vararg;
            }
            Value::NativeFn(nf) => info.nups = nf.upvalue_count(),
            _ => {}
        }
        info
    }

    /// The lines of a Lua function that have code (`activelines`); None for natives.
    pub fn active_lines(&self, func: Value) -> Option<Vec<u32>> {
        let Value::LuaFn(cl) = func else { return None };
        let p = &cl.proto;
        // A vararg function's first instruction (VarArgPrep) is not a line of its own.
        let first = usize::from(p.is_vararg);
        Some(p.line_info.iter().skip(first).copied().collect())
    }

    /// Name and value of local `n` of `frame` (`lua_getlocal`): named locals active at the
    /// frame's instruction, then "(temporary)"/"(C temporary)" stack slots of the frame;
    /// negative `n` are the extra arguments of a vararg function ("(vararg)").
    pub fn frame_local(&self, frame: FrameRef, n: i64) -> Option<(String, Value)> {
        let (name, slot) = self.find_local(frame, n)?;
        // SAFETY: short read of a live thread's stack.
        let v = unsafe { frame.thread.data() }.stack[slot];
        Some((name, v))
    }

    /// Assigns local `n` of `frame` (`lua_setlocal`); returns its name, or None (and changes
    /// nothing) when there is no such local.
    pub fn set_frame_local(&mut self, frame: FrameRef, n: i64, v: Value) -> Option<String> {
        let (name, slot) = self.find_local(frame, n)?;
        // SAFETY: short write to a live thread's stack.
        unsafe { frame.thread.data() }.stack[slot] = v;
        Some(name)
    }

    fn find_local(&self, frame: FrameRef, n: i64) -> Option<(String, usize)> {
        // SAFETY: read-only use within this function.
        let th: &ThreadData = unsafe { frame.thread.data() };
        let ci = th.frames[frame.index];
        if let Some(cl) = ci.closure {
            if n < 0 {
                // Extra arguments sit just below the frame's base.
                let k = n.unsigned_abs() as usize;
                if !cl.proto.is_vararg || k > ci.nvarargs {
                    return None;
                }
                return Some(("(vararg)".into(), ci.base - ci.nvarargs + k - 1));
            }
            if n > 0 {
                if let Some(name) = cl.proto.local_name(n as u32 - 1, ci.pc().saturating_sub(1)) {
                    return Some((name.to_string(), ci.base + n as usize - 1));
                }
            }
        }
        // Any other slot of the frame: up to the next frame's function, or the top.
        let limit = match th.frames.get(frame.index + 1) {
            Some(next) => next.func,
            None => th.top,
        };
        if n > 0 && limit.saturating_sub(ci.base) >= n as usize {
            let name = if ci.closure.is_some() { "(temporary)" } else { "(C temporary)" };
            return Some((name.into(), ci.base + n as usize - 1));
        }
        None
    }

    /// Name of parameter `n` of a Lua function (`lua_getlocal` without a frame).
    pub fn param_name(&self, func: Value, n: i64) -> Option<String> {
        let Value::LuaFn(cl) = func else { return None };
        if n <= 0 {
            return None;
        }
        cl.proto.local_name(n as u32 - 1, 0).map(str::to_string)
    }

    /// Name and value of upvalue `n` (1-based) of a function; native upvalues are named "".
    pub fn upvalue(&self, func: Value, n: i64) -> Option<(String, Value)> {
        if n < 1 {
            return None;
        }
        let i = n as usize - 1;
        match func {
            Value::LuaFn(cl) => {
                let uv = cl.upvals.get(i)?;
                Some((upvalue_name(cl, i), uv.get()))
            }
            Value::NativeFn(nf) if i < nf.upvalue_count() => Some((String::new(), nf.upvalue(i))),
            _ => None,
        }
    }

    /// Assigns upvalue `n` of a function; returns its name, or None when there is none.
    pub fn set_upvalue(&mut self, func: Value, n: i64, v: Value) -> Option<String> {
        if n < 1 {
            return None;
        }
        let i = n as usize - 1;
        match func {
            Value::LuaFn(cl) => {
                let uv = cl.upvals.get(i)?;
                uv.set(v);
                Some(upvalue_name(cl, i))
            }
            Value::NativeFn(nf) if i < nf.upvalue_count() => {
                nf.set_upvalue(i, v);
                Some(String::new())
            }
            _ => None,
        }
    }

    /// An identity for upvalue `n` of a function, equal for closures sharing it
    /// (`lua_upvalueid`); None when there is no such upvalue.
    pub fn upvalue_id(&self, func: Value, n: i64) -> Option<usize> {
        if n < 1 {
            return None;
        }
        let i = n as usize - 1;
        match func {
            Value::LuaFn(cl) => cl.upvals.get(i).map(|u| u.target().addr()),
            Value::NativeFn(nf) => nf.upvalue_addr(i),
            _ => None,
        }
    }

    /// Makes upvalue `n1` of Lua closure `f1` refer to upvalue `n2` of Lua closure `f2`
    /// (`lua_upvaluejoin`). Both must exist (checked by the caller).
    pub fn upvalue_join(&mut self, f1: Gc<LuaClosure>, n1: usize, f2: Gc<LuaClosure>, n2: usize) {
        let target: Gc<UpVal> = f2.upvals[n2 - 1].target();
        f1.upvals[n1 - 1].redirect(target);
    }
}

fn current_line(cl: Gc<LuaClosure>, pc: usize) -> i64 {
    let p = &cl.proto;
    if p.line_info.is_empty() {
        return -1;
    }
    p.line_at(pc.saturating_sub(1)) as i64
}

fn upvalue_name(cl: Gc<LuaClosure>, i: usize) -> String {
    match cl.proto.upvalues.get(i) {
        Some(d) if !d.name.is_empty() => d.name.clone(),
        _ => "(no name)".into(),
    }
}
