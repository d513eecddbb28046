//! Debug hooks (Lua's `lua_sethook`): a per-thread Rust function called on calls, returns,
//! new lines and every n instructions, with the hooked function's frame still on the stack.
//!
//! Cost model: the dispatch loop has two instantiations (`execute.rs`). The one that runs
//! while a thread has no hook contains no hook code at all; it hands over to the hooked one
//! when it sees, after a native call (`debug.sethook` is one), an iterator call, a tail call
//! of a native or a `__close`, that the running thread's mask became non-zero; the hooked one
//! hands back when the mask is zero again. A hook set from inside another metamethod or a
//! finalizer therefore starts in the interrupted function at its next native call (Lua starts
//! it at once): checking after every metamethod would cost every instruction that may call
//! one. Native calls look at the mask before and after (`call.rs`).

use super::error::LuaResult;
use super::state::{Lua, MIN_NATIVE_STACK};
use crate::bytecode::OpCode;
use crate::gc::Gc;

/// Hook event bits (`LUA_MASKCALL`...): the `mask` of `set_hook`.
pub const MASK_CALL: u8 = 1;
pub const MASK_RET: u8 = 2;
pub const MASK_LINE: u8 = 4;
pub const MASK_COUNT: u8 = 8;

/// What a hook is called for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookEvent {
    Call,
    Return,
    Line,
    Count,
    TailCall,
}

impl HookEvent {
    /// The name `debug.sethook`'s hook functions receive.
    pub fn name(self) -> &'static str {
        match self {
            HookEvent::Call => "call",
            HookEvent::Return => "return",
            HookEvent::Line => "line",
            HookEvent::Count => "count",
            HookEvent::TailCall => "tail call",
        }
    }
}

/// A hook. It runs on the hooked thread with the hooked function's frame on top of the
/// frame stack (level 0 of `debug.getinfo` calls made by Lua code it calls is that code,
/// level 1 the hooked function when the hook calls a Lua function directly). `line` is the
/// new line of a line event.
pub type HookFn = fn(&mut Lua, HookEvent, Option<u32>) -> LuaResult<()>;

/// The hook of one thread (Lua's `hook`, `hookmask`, `basehookcount`, `hookcount`,
/// `allowhook`, `oldpc`).
#[derive(Clone, Copy)]
pub struct HookState {
    pub func: Option<HookFn>,
    /// `MASK_*` bits; zero when no hook is set.
    pub mask: u8,
    /// Instructions between count events (as given to `set_hook`).
    pub base_count: i32,
    /// Instructions left until the next count event.
    pub count: i32,
    /// False while a hook runs: hooks are not re-entered.
    pub allowed: bool,
    /// The instruction of the last line event (or call/return), to detect new lines.
    pub oldpc: usize,
    /// The frame whose hook is running, if one is.
    pub active: Option<ActiveHook>,
}

/// The frame a running hook was called for, and the values it transfers (arguments for a
/// call event, results for a return event) as local indices of that frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveHook {
    pub frame: usize,
    pub ftransfer: usize,
    pub ntransfer: usize,
}

impl Default for HookState {
    fn default() -> Self {
        HookState { func: None, mask: 0, base_count: 0, count: 0, allowed: true, oldpc: 0, active: None }
    }
}

impl HookState {
    /// The hook a new coroutine inherits from the thread that creates it (lua_newthread).
    pub fn inherited(&self) -> HookState {
        HookState {
            func: self.func,
            mask: self.mask,
            base_count: self.base_count,
            count: self.base_count,
            ..HookState::default()
        }
    }
}

impl Lua {
    /// Sets (or, with `None` or an empty mask, removes) the hook of `thread` (`lua_sethook`).
    /// A count of 0 leaves `MASK_COUNT` out.
    pub fn set_hook(&mut self, thread: Gc<super::thread::Thread>, func: Option<HookFn>, mask: u8, count: i32) {
        let (func, mask) = match func {
            Some(f) if mask != 0 => (Some(f), mask),
            _ => (None, 0),
        };
        // SAFETY: short access to a live thread's fields; nothing else borrows them now.
        let h = &mut unsafe { thread.data() }.hook;
        h.func = func;
        h.mask = mask;
        h.base_count = count;
        h.count = count;
    }

    /// The hook of `thread`: function, mask and count (`lua_gethook`...).
    pub fn hook_of(&self, thread: Gc<super::thread::Thread>) -> (Option<HookFn>, u8, i32) {
        // SAFETY: short read of a live thread's fields.
        let h = &unsafe { thread.data() }.hook;
        (h.func, h.mask, h.base_count)
    }

    /// Calls the running thread's hook for `event` on the frame on top (Lua's `luaD_hook`).
    /// `ftransfer`/`ntransfer` describe the values the event transfers (see `ActiveHook`).
    #[cold]
    #[inline(never)]
    pub(crate) fn run_hook(
        &mut self,
        event: HookEvent,
        line: Option<u32>,
        ftransfer: usize,
        ntransfer: usize,
    ) -> LuaResult<()> {
        let th = self.th();
        let Some(func) = th.hook.func else { return Ok(()) };
        if !th.hook.allowed {
            return Ok(());
        }
        let Some(ci) = th.frames.last() else { return Ok(()) };
        let saved_top = th.top;
        // The hook's calls go above every register of a Lua frame.
        if ci.closure.is_some() && th.top < ci.top {
            th.top = ci.top;
        }
        let frame = th.frames.len() - 1;
        let top = th.top;
        self.check_stack(top + MIN_NATIVE_STACK)?;
        let th = self.th();
        let saved_active = th.hook.active;
        th.hook.allowed = false;
        th.hook.active = Some(ActiveHook { frame, ftransfer, ntransfer });
        // A hook cannot yield: Lua calls hook functions with lua_call from a C hook.
        th.nny += 1;
        // On error the state stays as it is at the error point, for the message handler to
        // see; the protected call that catches the error restores it.
        func(self, event, line)?;
        let th = self.th();
        th.nny -= 1;
        th.hook.allowed = true;
        th.hook.active = saved_active;
        th.top = saved_top;
        Ok(())
    }

    /// The call event of the Lua frame on top, which is about to run its first instruction
    /// (Lua's `luaD_hookcall`); also starts line tracking for the new function.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_lua_call(&mut self) -> LuaResult<()> {
        let th = self.th();
        let Some(ci) = th.frames.last() else { return Ok(()) };
        let (tail, vararg, nparams) = match ci.closure {
            Some(cl) => (ci.tail, cl.proto.is_vararg, cl.proto.num_params as usize),
            None => return Ok(()),
        };
        if th.hook.mask & MASK_CALL != 0 {
            let event = if tail { HookEvent::TailCall } else { HookEvent::Call };
            self.run_hook(event, None, 1, nparams)?;
        }
        // The first traced instruction gets a line event. That is the second one in a vararg
        // function: its first (VarArgPrep) is not traced.
        self.th().hook.oldpc = usize::from(vararg);
        Ok(())
    }

    /// The return event of the Lua frame on top, whose `n` results start at stack slot
    /// `first` (Lua's `rethook`); the caller's line tracking restarts at its call.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_lua_return(&mut self, first: usize, n: usize) -> LuaResult<()> {
        let th = self.th();
        if th.hook.mask & MASK_RET != 0 {
            let base = th.frames.last().map_or(0, |f| f.base);
            th.top = first + n;
            // Results are numbered as locals of the returning frame (local 1 at `base`).
            self.run_hook(HookEvent::Return, None, first + 1 - base, n)?;
        }
        self.restart_caller_lines();
        Ok(())
    }

    /// Call event of a native function whose frame was just pushed with `nargs` arguments.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_native_call(&mut self, nargs: usize) -> LuaResult<()> {
        if self.th().hook.mask & MASK_CALL != 0 {
            self.run_hook(HookEvent::Call, None, 1, nargs)?;
        }
        Ok(())
    }

    /// Return event of the native function on top, whose `n` results are on top of the stack.
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_native_return(&mut self, n: usize) -> LuaResult<()> {
        let th = self.th();
        if th.hook.mask & MASK_RET != 0 {
            let base = th.frames.last().map_or(0, |f| f.base);
            let first = th.top - n;
            self.run_hook(HookEvent::Return, None, first + 1 - base, n)?;
        }
        self.restart_caller_lines();
        Ok(())
    }

    /// After a return, the caller (if a Lua function) continues at its call instruction for
    /// line events: no new event on the same line.
    fn restart_caller_lines(&mut self) {
        let th = self.th();
        let n = th.frames.len();
        if n >= 2 && th.frames[n - 2].closure.is_some() {
            th.hook.oldpc = th.frames[n - 2].pc().saturating_sub(1);
        }
    }

    /// Runs in the hooked dispatch loop before the instruction at `pc` (of the Lua frame on
    /// top) runs: its count and line events. Returns true when the thread has no hook any
    /// more and the loop without hooks must take over (the frame then resumes at `pc`).
    #[cold]
    #[inline(never)]
    pub(crate) fn hook_before_instruction(&mut self, pc: usize, op: OpCode) -> LuaResult<bool> {
        let mask = self.th().hook.mask;
        if mask & (MASK_LINE | MASK_COUNT) != 0 && op != OpCode::VarArgPrep {
            self.set_top_frame_pc(pc + 1);
            self.trace_exec(pc)?;
        }
        if self.th().hook.mask == 0 {
            self.set_top_frame_pc(pc);
            return Ok(true);
        }
        Ok(false)
    }

    fn set_top_frame_pc(&self, pc: usize) {
        if let Some(f) = self.th().frames.last_mut() {
            if let Some(cl) = f.closure {
                f.saved_pc = cl.proto.code.as_ptr().wrapping_add(pc);
            }
        }
    }

    /// Count and line events before the instruction at `pc` of the Lua frame on top runs
    /// (Lua's `luaG_traceexec`). The frame's saved pc must point past that instruction.
    fn trace_exec(&mut self, pc: usize) -> LuaResult<()> {
        let th = self.th();
        let mask = th.hook.mask;
        let count_event = mask & MASK_COUNT != 0 && {
            th.hook.count = th.hook.count.wrapping_sub(1);
            if th.hook.count == 0 {
                th.hook.count = th.hook.base_count;
                true
            } else {
                false
            }
        };
        if count_event {
            self.run_hook(HookEvent::Count, None, 0, 0)?;
        }
        let th = self.th();
        if th.hook.mask & MASK_LINE != 0 {
            let Some(cl) = th.frames.last().and_then(|f| f.closure) else { return Ok(()) };
            let p = &cl.proto;
            // A stale oldpc (from another function) counts as the start of this one.
            let oldpc = if th.hook.oldpc < p.code.len() { th.hook.oldpc } else { 0 };
            let has_lines = !p.line_info.is_empty();
            if pc <= oldpc || (has_lines && p.line_at(oldpc) != p.line_at(pc)) {
                let line = if has_lines { Some(p.line_at(pc)) } else { None };
                self.run_hook(HookEvent::Line, line, 0, 0)?;
                // Calls made by the hook moved it.
                self.th().hook.oldpc = pc;
                return Ok(());
            }
            th.hook.oldpc = pc;
        }
        Ok(())
    }
}
