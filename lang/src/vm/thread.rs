//! Threads (coroutines): a value stack, call frames, open upvalues and to-be-closed slots,
//! plus, for coroutines, the native stack their execution runs on (see `coroutine`).

use super::closure::{LuaClosure, UpVal};
use super::coroutine::CoBody;
use super::hook::HookState;
use super::value::Value;
use crate::bytecode::Instr;
use crate::gc::{Gc, Trace, Tracer};
use std::cell::UnsafeCell;

/// One active function call.
#[derive(Clone, Copy, Debug)]
pub struct CallInfo {
    /// Stack index of the called function.
    pub func: usize,
    /// First register (Lua) or first argument (native).
    pub base: usize,
    /// One past the last register of a Lua frame (`base + max_stack`).
    pub top: usize,
    /// Next instruction to run, a pointer into the closure's code (Lua frames; null for
    /// native frames). The dispatch loop saves it before anything that may call out or
    /// raise, and restores it on return without reaching for the code; `pc()` is the index.
    pub saved_pc: *const Instr,
    /// Results the caller wants; -1 for all.
    pub nresults: i32,
    /// The running closure, for Lua frames; `None` for native frames.
    pub closure: Option<Gc<LuaClosure>>,
    /// Extra arguments of a vararg function, stored just below `base`.
    pub nvarargs: usize,
    /// Frame is a tail call (for tracebacks: "(...tail calls...)").
    pub tail: bool,
    /// The frame an `execute` invocation was entered for (Lua's CIST_FRESH): returning from
    /// it leaves that invocation; any other Lua frame returns to a caller in the same loop.
    pub fresh: bool,
}

impl CallInfo {
    /// Index of the next instruction of a Lua frame (0 for a native frame).
    pub fn pc(&self) -> usize {
        match self.closure {
            Some(cl) if !self.saved_pc.is_null() => {
                (self.saved_pc as usize - cl.proto.code.as_ptr() as usize) / std::mem::size_of::<Instr>()
            }
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoStatus {
    /// Created or yielded: can be resumed.
    Suspended,
    Running,
    /// Resumed another coroutine.
    Normal,
    Dead,
}

/// A thread's value stack. Open upvalues point into it, so it only grows through
/// `ThreadData::grow_stack`, which re-points them.
pub struct Stack(Vec<Value>);

impl std::ops::Deref for Stack {
    type Target = [Value];
    #[inline(always)]
    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl std::ops::DerefMut for Stack {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Value] {
        &mut self.0
    }
}

impl Stack {
    /// Pointer to the first slot (without making a reference to the whole stack, so
    /// pointers derived earlier stay usable).
    #[inline(always)]
    pub fn as_mut_ptr(&mut self) -> *mut Value {
        self.0.as_mut_ptr()
    }

    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

pub struct ThreadData {
    pub stack: Stack,
    /// First free slot.
    pub top: usize,
    pub frames: Vec<CallInfo>,
    /// Open upvalues, sorted by stack index.
    pub open_upvals: Vec<Gc<UpVal>>,
    /// Stack slots of pending to-be-closed variables, ascending.
    pub tbc: Vec<usize>,
    pub status: CoStatus,
    /// The native stack of a coroutine (None for the main thread and before the first resume).
    pub body: Option<Box<CoBody>>,
    /// The yielder of the running coroutine body: valid while the body runs (it lives on
    /// the coroutine's native stack).
    pub yielder: Option<*const corosensei::Yielder<*mut super::state::Lua, usize>>,
    /// Non-yieldable nesting: yields are refused while > 0 (main thread always non-yieldable).
    pub nny: u32,
    /// Native call depth inside this thread (C stack limit, Lua's LUAI_MAXCCALLS).
    pub c_depth: u32,
    /// Error object of a coroutine that died by an error (`coroutine.close` returns it).
    pub error_value: Value,
    /// The debug hook (`debug.sethook`).
    pub hook: HookState,
    /// Index the frame of a running `__gc` metamethod has (debug information names it).
    pub finalizer_frame: Option<usize>,
    /// Set by a "stack overflow" until the protected call that catches it recovers: meanwhile
    /// the stack limits are `ERROR_STACK_EXTRA` higher, so a message handler or a `__close`
    /// can run, and overflowing those is "error in error handling" (Lua's ERRORSTACKSIZE).
    pub handling_overflow: bool,
}

pub struct Thread {
    data: UnsafeCell<ThreadData>,
}

pub const BASIC_STACK: usize = 64;
/// Lua's LUAI_MAXSTACK: a thread's stack may not grow beyond this many slots.
pub const MAX_STACK: usize = 1_000_000;
/// Lua's limit on nested calls is the stack size; frames count toward it as Lua's CallInfo
/// list does (about 200000 levels before "stack overflow").
pub const MAX_FRAMES: usize = MAX_STACK / 5;
/// Slots (and frames) beyond the limits for the handling of a stack overflow (Lua's
/// ERRORSTACKSIZE is LUAI_MAXSTACK + 200).
pub const ERROR_STACK_EXTRA: usize = 200;

impl ThreadData {
    /// How many slots the stack may have: more while a stack overflow is being handled.
    #[inline]
    pub fn stack_limit(&self) -> usize {
        if self.handling_overflow {
            MAX_STACK + ERROR_STACK_EXTRA
        } else {
            MAX_STACK
        }
    }

    /// How many call frames there may be: more while a stack overflow is being handled.
    #[inline]
    pub fn frame_limit(&self) -> usize {
        if self.handling_overflow {
            MAX_FRAMES + ERROR_STACK_EXTRA
        } else {
            MAX_FRAMES
        }
    }

    /// Whether an open upvalue points at stack slot `level` or above (a returning frame's
    /// registers start at `level`).
    #[inline(always)]
    pub fn has_open_upvals_at(&self, level: usize) -> bool {
        self.open_upvals.last().is_some_and(|u| u.open_index().is_some_and(|i| i >= level))
    }

    /// Grows the stack to `new_len` slots (new slots nil); it may move, so the open upvalues
    /// are re-pointed at their slots.
    pub fn grow_stack(&mut self, new_len: usize) {
        if new_len <= self.stack.len() {
            return;
        }
        let old = self.stack.as_mut_ptr();
        self.stack.0.resize(new_len, Value::Nil);
        let new = self.stack.as_mut_ptr();
        if new != old {
            for uv in &self.open_upvals {
                uv.follow_stack(new);
            }
        }
    }
}

impl Thread {
    pub fn new(main: bool) -> Thread {
        Thread {
            data: UnsafeCell::new(ThreadData {
                stack: Stack(vec![Value::Nil; BASIC_STACK]),
                top: 0,
                frames: Vec::new(),
                open_upvals: Vec::new(),
                tbc: Vec::new(),
                status: if main { CoStatus::Running } else { CoStatus::Suspended },
                body: None,
                yielder: None,
                nny: if main { 1 } else { 0 },
                c_depth: 0,
                error_value: Value::Nil,
                hook: HookState::default(),
                finalizer_frame: None,
                handling_overflow: false,
            }),
        }
    }

    /// Mutable access to the thread's state.
    ///
    /// # Safety
    /// 1. The caller must not hold the returned reference across any operation that may
    ///    access the same thread through another `Gc<Thread>` (calls into the VM, upvalue
    ///    access of open upvalues of this thread, GC marking).
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    pub unsafe fn data(&self) -> &mut ThreadData {
        // SAFETY: obligation 1 is the caller's; the cell is only reached through this method.
        unsafe { &mut *self.data.get() }
    }

    #[inline(always)]
    pub fn stack_get(&self, i: usize) -> Value {
        // SAFETY: short read; no reference kept.
        unsafe { (&*self.data.get()).stack[i] }
    }

    #[inline(always)]
    pub fn stack_set(&self, i: usize, v: Value) {
        // SAFETY: short write; no reference kept.
        unsafe { (&mut *self.data.get()).stack[i] = v }
    }

    pub fn status(&self) -> CoStatus {
        // SAFETY: short read.
        unsafe { (&*self.data.get()).status }
    }
}

// SAFETY: reports the live part of the stack, open upvalues and the error value (obligation 1); the
// dead part of the stack is cleared so stale values neither survive nor dangle. No allocation.
unsafe impl Trace for Thread {
    fn trace(&self, tracer: &mut Tracer) {
        // SAFETY: marking runs at a safe point, when no other borrow of the thread is live.
        let d = unsafe { &mut *self.data.get() };
        // Like Lua's traversethread: only slots below the top are live. Lua frames keep the
        // top at their register limit while running, and safe points lower it to the last
        // live register first (`gc_safe_point`); a call's callee and arguments are always
        // the topmost values of the caller's registers, so a native frame's top covers them.
        let live = d.top.min(d.stack.len());
        for &v in &d.stack[..live] {
            tracer.mark_value(v);
        }
        for slot in &mut d.stack[live..] {
            *slot = Value::Nil;
        }
        for &u in &d.open_upvals {
            tracer.mark(u);
        }
        tracer.mark_value(d.error_value);
    }
    fn extra_bytes(&self) -> usize {
        // SAFETY: read-only.
        let d = unsafe { &*self.data.get() };
        d.stack.capacity() * 16 + d.frames.capacity() * std::mem::size_of::<CallInfo>()
    }
}
