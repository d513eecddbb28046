//! Coroutines. Each coroutine runs on a native stack of its own (`corosensei`), so a yield
//! can suspend anything between `coroutine.resume` and `coroutine.yield`: Lua frames, `pcall`,
//! metamethods, iterators. Values cross between threads on their Lua stacks.
//!
//! Where Lua 5.4 forbids a yield (across a native boundary that cannot be resumed, such as
//! a `table.sort` comparator or an ffi callback), the thread's `nny` counter is raised and
//! `yield` reports "attempt to yield across a C-call boundary".

use super::error::{LuaError, LuaResult};
use super::state::Lua;
use super::thread::{CoStatus, Thread};
use super::value::Value;
use crate::gc::Gc;
use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};

/// What a coroutine body hands back when it finishes.
pub type CoReturn = Result<usize, LuaError>;
/// The native half of a coroutine: resumed with the runtime pointer, yields the number of
/// values it left on its stack.
pub type CoBody = Coroutine<*mut Lua, usize, CoReturn, DefaultStack>;

/// Native stack size of a coroutine. Native recursion inside a coroutine is bounded by
/// `MAX_C_DEPTH` levels, which this comfortably holds; pages are only committed when used.
const CO_STACK_SIZE: usize = 16 * 1024 * 1024;

/// Outcome of `resume`.
pub enum ResumeResult {
    /// The coroutine yielded or returned `n` values, now on top of the resumer's stack.
    Values(usize),
    /// The coroutine raised an error (it is now dead).
    Error(LuaError),
    /// The coroutine could not be resumed (dead, running, normal, C stack full).
    CannotResume(LuaError),
}

impl Lua {
    /// `coroutine.create`: a new suspended thread that will run `f`.
    pub fn new_thread(&mut self, f: Value) -> Gc<Thread> {
        let hook = self.th().hook.inherited();
        let t = self.heap.alloc(Thread::new(false));
        // SAFETY: `t` was just allocated; no other reference to its data exists.
        let d = unsafe { t.data() };
        d.stack[0] = f;
        d.top = 1;
        d.hook = hook;
        t
    }

    /// Resumes `co` with `nargs` values taken from the top of the running thread's stack.
    pub fn resume(&mut self, co: Gc<Thread>, nargs: usize) -> LuaResult<ResumeResult> {
        match co.status() {
            CoStatus::Suspended => {}
            CoStatus::Dead => return Ok(ResumeResult::CannotResume(self.error_str("cannot resume dead coroutine"))),
            _ => return Ok(ResumeResult::CannotResume(self.error_str("cannot resume non-suspended coroutine"))),
        }
        let prev = self.current;
        if self.th().c_depth >= super::state::MAX_C_DEPTH - 1 {
            return Ok(ResumeResult::CannotResume(self.error_str("C stack overflow")));
        }
        // Move the arguments onto the coroutine's stack.
        let args: Vec<Value> = {
            let th = self.th();
            let first = th.top - nargs;
            let v = th.stack[first..th.top].to_vec();
            th.top = first;
            v
        };
        let depth = self.th().c_depth;
        self.current = co;
        {
            let th = self.th();
            if th.top + args.len() + 20 > th.stack.len() {
                let n = th.top + args.len() + 20;
                th.grow_stack(n);
            }
            for v in &args {
                th.stack[th.top] = *v;
                th.top += 1;
            }
            th.status = CoStatus::Running;
            th.c_depth = depth + 1;
        }
        // SAFETY: `prev` is a live thread (it is running this code); the reference is short.
        unsafe { prev.data() }.status = CoStatus::Normal;

        let first_run = self.th().body.is_none();
        if first_run {
            let stack = match DefaultStack::new(CO_STACK_SIZE) {
                Ok(s) => s,
                Err(_) => {
                    self.current = prev;
                    // SAFETY: as above.
                    unsafe { prev.data() }.status = CoStatus::Running;
                    return Ok(ResumeResult::CannotResume(self.error_str("not enough memory")));
                }
            };
            let body: CoBody =
                Coroutine::with_stack(stack, move |yielder: &Yielder<*mut Lua, usize>, lua_ptr: *mut Lua| {
                    // SAFETY: the resumer passes a pointer to the runtime that it holds exclusively
                    // and does not use until this coroutine yields or returns.
                    let lua = unsafe { &mut *lua_ptr };
                    lua.th().yielder = Some(yielder as *const Yielder<*mut Lua, usize>);
                    lua.call(0, -1)?;
                    Ok(lua.th().top)
                });
            self.th().body = Some(Box::new(body));
        }
        let mut body = self.th().body.take().expect("suspended coroutine has a body");
        let result = body.resume(self as *mut Lua);
        // Back in the resumer. The coroutine may have been resumed through a different
        // runtime pointer value, but it is the same runtime.
        self.current = prev;
        // SAFETY: `prev` is live and running again.
        unsafe { prev.data() }.status = CoStatus::Running;
        // SAFETY: `co` is live: it is an argument of the running resume.
        let cod = unsafe { co.data() };
        match result {
            CoroutineResult::Yield(n) => {
                cod.body = Some(body);
                cod.status = CoStatus::Suspended;
                let vals: Vec<Value> = cod.stack[cod.top - n..cod.top].to_vec();
                cod.top -= n;
                for v in vals {
                    self.push(v);
                }
                Ok(ResumeResult::Values(n))
            }
            CoroutineResult::Return(Ok(top)) => {
                cod.status = CoStatus::Dead;
                let vals: Vec<Value> = cod.stack[..top].to_vec();
                cod.top = 0;
                let n = vals.len();
                for v in vals {
                    self.push(v);
                }
                Ok(ResumeResult::Values(n))
            }
            CoroutineResult::Return(Err(e)) => {
                cod.status = CoStatus::Dead;
                cod.error_value = e.value;
                Ok(ResumeResult::Error(e))
            }
        }
    }

    /// `coroutine.yield` with the `nargs` values on top of the running thread's stack.
    /// Returns the number of values passed to the next `resume` (left on top of the stack).
    pub fn yield_values(&mut self, nargs: usize) -> LuaResult<usize> {
        let th = self.th();
        if Gc::ptr_eq(self.current, self.main_thread) {
            return Err(self.error_str("attempt to yield from outside a coroutine"));
        }
        if th.nny > 0 {
            return Err(self.error_str("attempt to yield across a C-call boundary"));
        }
        let Some(y) = th.yielder else {
            return Err(self.error_str("attempt to yield from outside a coroutine"));
        };
        let frames_before = th.frames.len();
        // SAFETY: the yielder lives on this coroutine's native stack, below the current
        // frame, for as long as the coroutine body runs; we are inside that body.
        let lua_ptr = unsafe { &*y }.suspend(nargs);
        // SAFETY: the resumer hands over the runtime exclusively until we yield again.
        let lua = unsafe { &mut *lua_ptr };
        debug_assert_eq!(lua.th().frames.len(), frames_before);
        // `resume` removed the yielded values and pushed its arguments in their place.
        let th = lua.th();
        Ok(th.top - th.frames.last().map_or(0, |f| f.base))
    }

    /// Whether the running thread can yield.
    pub fn is_yieldable(&self) -> bool {
        !Gc::ptr_eq(self.current, self.main_thread) && self.th().nny == 0
    }

    /// `coroutine.close`: closes a suspended or dead coroutine's pending to-be-closed
    /// variables and kills it. Returns the error of a failing `__close`, if any.
    pub fn close_thread(&mut self, co: Gc<Thread>) -> LuaResult<Option<Value>> {
        let prev = self.current;
        // The handlers run on the closer's native stack: they count from its C-call depth
        // (lua_closethread), so a chain of closes ends in "C stack overflow", not a crash.
        let depth = self.th().c_depth;
        self.current = co;
        self.th().c_depth = depth;
        // A coroutine that died by an error reports that error (lua_closethread's status).
        // SAFETY: short read of a live thread's field.
        let died_with = unsafe { co.data() }.error_value;
        let mut err: Option<Value> =
            if matches!(co.status(), CoStatus::Dead) && !died_with.is_nil() { Some(died_with) } else { None };
        // The pending error stays on the coroutine's stack while handlers run, so a collection
        // between them cannot free it.
        let anchor = self.top();
        self.push(err.unwrap_or(Value::Nil));
        while let Some(slot) = self.th().tbc.pop() {
            let v = self.stack_at(slot);
            let h = self.metamethod(v, super::metamethod::Tm::Close);
            if h.is_nil() {
                continue;
            }
            let func = self.top();
            self.push(h);
            self.push(v);
            self.push(err.unwrap_or(Value::Nil));
            if let Err(e) = self.pcall(func, 0, None) {
                err = Some(e.value);
                self.stack_set(anchor, e.value);
            }
        }
        self.close_upvalues(0);
        self.current = prev;
        // SAFETY: `co` is live (an argument of coroutine.close).
        let d = unsafe { co.data() };
        d.status = CoStatus::Dead;
        // The error is reported once: closing again succeeds (lua_closethread resets it).
        d.error_value = Value::Nil;
        d.frames.clear();
        d.top = 0;
        // Closing reports the error once (lua_closethread resets the status).
        d.error_value = Value::Nil;
        // Dropping the native stack unwinds the suspended Rust frames on it.
        let body = d.body.take();
        drop(body);
        Ok(err)
    }
}
