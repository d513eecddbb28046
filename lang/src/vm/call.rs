//! Calls and returns: pushing frames for Lua functions, running native functions, `__call`,
//! result adjustment, protected calls, closing upvalues and to-be-closed variables.

use super::closure::{LuaClosure, NativeClosure, NativeImpl, UpVal};
use super::error::{ErrorKind, LuaError, LuaResult};
use super::metamethod::Tm;
use super::state::{Lua, MAX_C_DEPTH, MAX_FRAMES, MIN_NATIVE_STACK};
use super::thread::CallInfo;
use super::thread::MAX_STACK;
use super::value::{copy_value, Value};
use crate::gc::Gc;

/// The thread state a protected call restores when an error reaches it.
#[derive(Clone, Copy)]
struct RecoveryPoint {
    frames: usize,
    c_depth: u32,
    nny: u32,
    hook_allowed: bool,
    hook_active: Option<super::hook::ActiveHook>,
}

/// What `precall` did.
pub(crate) enum Precall {
    /// A Lua frame was pushed: the dispatch loop must run it.
    Lua,
    /// A native function ran to completion; its results are in place.
    Done,
}

impl Lua {
    /// Calls the value at stack[func] with the arguments above it (up to the top), leaving
    /// `nresults` results (all if -1) from stack[func] on and the top just after them.
    /// This is the entry from Rust (natives, metamethods, the embedding API); it counts
    /// against the native recursion limit.
    ///
    /// A call made by a native function is a C-call boundary: coroutines cannot yield
    /// across it (Lua's `lua_call`); calls made by the VM itself (metamethods, iterators)
    /// can be yielded across.
    pub fn call(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        let from_native = self.th().frames.last().is_some_and(|f| f.closure.is_none());
        if !from_native {
            return self.call_yieldable(func, nresults);
        }
        self.th().nny += 1;
        // Matched rather than kept and returned: the error is large, and copying a result
        // just written field by field stalls (store forwarding) on every successful call.
        match self.call_yieldable(func, nresults) {
            Ok(()) => {
                self.th().nny -= 1;
                Ok(())
            }
            // On error, whoever catches it (pcall, resume) restores the count.
            Err(e) => Err(e),
        }
    }

    /// `call` that coroutines may yield across (for natives with continuations in Lua:
    /// `pcall`, `xpcall`, `dofile`, `pairs`).
    pub fn call_yieldable(&mut self, func: usize, nresults: i32) -> LuaResult<()> {
        self.call_yieldable_from(func, nresults, None)
    }

    /// `call_yieldable`; a Lua function starts at instruction `start_pc` when given (the rest
    /// of a compiled function's run, `crate::jit`).
    #[inline(always)]
    fn call_yieldable_from(&mut self, func: usize, nresults: i32, start_pc: Option<usize>) -> LuaResult<()> {
        let depth = self.th().c_depth + 1;
        if depth >= MAX_C_DEPTH {
            if depth == MAX_C_DEPTH {
                self.th().c_depth = depth;
                let mut e = self.runtime_error("C stack overflow");
                e.kind = ErrorKind::Memory;
                return Err(e);
            }
            // Error while handling the overflow (e.g. in a message handler).
            if depth >= MAX_C_DEPTH + MAX_C_DEPTH / 10 {
                let mut e = self.error_str("error in error handling");
                e.kind = ErrorKind::Handler;
                return Err(e);
            }
        }
        self.th().c_depth = depth;
        let nargs = self.top() - func - 1;
        // On error the count stays: whoever catches the error (pcall, resume) restores it.
        if let Precall::Lua = self.precall(func, nargs, nresults)? {
            if let Some(f) = self.th().frames.last_mut() {
                f.fresh = true;
                if let (Some(pc), Some(cl)) = (start_pc, f.closure) {
                    std::hint::cold_path();
                    f.saved_pc = cl.proto.code.as_ptr().wrapping_add(pc.min(cl.proto.code.len() - 1));
                }
            }
            self.execute()?;
        }
        // Saturating: a coroutine resumed from a shallower level restarts its count.
        let th = self.th();
        th.c_depth = th.c_depth.saturating_sub(1);
        Ok(())
    }

    /// Starts a call of stack[func] with `nargs` arguments above it.
    pub(crate) fn precall(&mut self, func: usize, nargs: usize, nresults: i32) -> LuaResult<Precall> {
        // Matched in place: only the pointer is copied out (see `value::copy_value`).
        match self.th().stack[func] {
            Value::LuaFn(cl) => {
                self.precall_lua(func, nargs, cl, nresults)?;
                Ok(Precall::Lua)
            }
            Value::NativeFn(nf) => {
                self.call_native(func, nargs, nf, nresults)?;
                Ok(Precall::Done)
            }
            other => {
                self.insert_call_metamethod(func, other)?;
                self.precall(func, nargs + 1, nresults)
            }
        }
    }

    /// Makes room at `func` for the `__call` handler of `callee`, shifting the arguments up.
    pub(crate) fn insert_call_metamethod(&mut self, func: usize, callee: Value) -> LuaResult<()> {
        let h = self.metamethod(callee, Tm::Call);
        if h.is_nil() {
            return Err(self.call_error(callee));
        }
        let top = self.top();
        self.check_stack(top + 1)?;
        let th = self.th();
        for i in (func..top).rev() {
            th.stack[i + 1] = th.stack[i];
        }
        th.stack[func] = h;
        th.top = top + 1;
        Ok(())
    }

    fn call_error(&mut self, callee: Value) -> LuaError {
        let info = self.call_target_info();
        let tname = self.type_name_mt(callee);
        self.runtime_error(&format!("attempt to call a {tname} value{info}"))
    }

    /// Pushes the frame of a Lua function call; the arguments are above stack[func].
    ///
    /// The common case (fixed parameters, room on the stack) is inlined into the dispatch
    /// loop's `Call`; vararg functions, stack growth and the frame limit take `precall_lua_slow`.
    /// Returns the new frame's base.
    #[inline(always)]
    pub(crate) fn precall_lua(
        &mut self,
        func: usize,
        nargs: usize,
        cl: Gc<LuaClosure>,
        nresults: i32,
    ) -> LuaResult<usize> {
        let p = &cl.proto;
        let th = self.th();
        let base = func + 1;
        let top = base + p.max_stack as usize;
        if p.is_vararg || top + nargs + MIN_NATIVE_STACK > th.stack.len() || th.frames.len() >= MAX_FRAMES {
            std::hint::cold_path();
            return self.precall_lua_slow(func, nargs, cl, nresults);
        }
        // Missing parameters are nil; registers above the parameters are written before
        // they are read (the compiler's invariant), so they are not cleared. Stale values
        // there cannot dangle: the collector nils every slot above the live frames.
        // (The branch hints keep the common path, all arguments given and room for the
        // frame, a straight line: block placement otherwise makes it jump around.)
        let mut n = nargs;
        while n < p.num_params as usize {
            std::hint::cold_path();
            th.stack[base + n] = Value::Nil;
            n += 1;
        }
        if th.frames.len() == th.frames.capacity() {
            std::hint::cold_path();
            th.frames.reserve(1);
        }
        th.frames.push(CallInfo {
            func,
            base,
            top,
            saved_pc: p.code.as_ptr(),
            nresults,
            closure: Some(cl),
            nvarargs: 0,
            tail: false,
            fresh: false,
        });
        th.top = top;
        Ok(base)
    }

    #[inline(never)]
    fn precall_lua_slow(&mut self, func: usize, nargs: usize, cl: Gc<LuaClosure>, nresults: i32) -> LuaResult<usize> {
        let p = &cl.proto;
        let nparams = p.num_params as usize;
        let max_stack = p.max_stack as usize;
        let needed = func + 1 + nargs + max_stack;
        if needed + MIN_NATIVE_STACK > self.th().stack.len() {
            self.check_stack(needed)?;
        }
        let th = self.th();
        let (base, nvarargs) = if p.is_vararg {
            // The fixed parameters move above all the arguments; the extra arguments stay
            // where they are, just below the new base (Lua 5.4's luaT_adjustvarargs).
            let base = func + 1 + nargs;
            for i in 0..nparams {
                th.stack[base + i] = if i < nargs { std::mem::take(&mut th.stack[func + 1 + i]) } else { Value::Nil };
            }
            (base, nargs.saturating_sub(nparams))
        } else {
            let base = func + 1;
            for slot in &mut th.stack[base + nargs.min(nparams)..base + nparams] {
                *slot = Value::Nil;
            }
            (base, 0)
        };
        let top = base + max_stack;
        if th.frames.len() >= th.frame_limit() {
            return Err(self.stack_overflow());
        }
        th.frames.push(CallInfo {
            func,
            base,
            top,
            saved_pc: p.code.as_ptr(),
            nresults,
            closure: Some(cl),
            nvarargs,
            tail: false,
            fresh: false,
        });
        th.top = top;
        Ok(base)
    }

    /// `TailCall` of stack[func] (arguments up to the top) from the frame at `base`: a Lua
    /// callee replaces the running frame (returns true; the dispatch loop runs it); a native
    /// callee runs to completion with its results left above `func` (returns false; the
    /// loop returns them). `close`: the frame has upvalues or to-be-closed variables to close.
    pub(crate) fn tail_call(&mut self, base: usize, func: usize, close: bool) -> LuaResult<bool> {
        // Loops are interrupted on backward jumps and non-tail recursion ends in a stack
        // overflow; an endless tail-call loop is caught here.
        if self.take_interrupt() {
            return Err(self.interrupted_error());
        }
        if close {
            self.close_upvalues(base);
        }
        let mut nargs = self.th().top - func - 1;
        // Resolve `__call` first so the frame is replaced by the real callee.
        let mut callee = self.stack_at(func);
        while !callee.is_function() {
            self.insert_call_metamethod(func, callee)?;
            nargs += 1;
            callee = self.stack_at(func);
        }
        match callee {
            Value::LuaFn(target) => {
                // Move function and arguments down over the current frame.
                let ci = self.th().frames.pop().expect("running frame");
                let th = self.th();
                let dest = ci.func;
                for n in 0..=nargs {
                    th.stack[dest + n] = th.stack[func + n];
                }
                th.top = dest + 1 + nargs;
                self.precall_lua(dest, nargs, target, ci.nresults)?;
                if let Some(f) = self.th().frames.last_mut() {
                    f.tail = true;
                    f.fresh = ci.fresh;
                }
                Ok(true)
            }
            _ => {
                self.precall(func, nargs, -1)?;
                Ok(false)
            }
        }
    }

    /// `VarArg`: copies the running frame's extra arguments to `dest` on (`wanted + 1`
    /// of them, nil-padded; all when `wanted_plus_one` is 0, setting the top after them).
    pub(crate) fn vararg(&mut self, base: usize, dest: usize, wanted_plus_one: usize) -> LuaResult<()> {
        let nvar = self.th().frames.last().map_or(0, |f| f.nvarargs);
        let wanted = if wanted_plus_one == 0 { nvar } else { wanted_plus_one - 1 };
        if wanted_plus_one == 0 {
            self.check_stack(dest + nvar)?;
        }
        let th = self.th();
        for n in 0..wanted {
            th.stack[dest + n] = if n < nvar { th.stack[base - nvar + n] } else { Value::Nil };
        }
        if wanted_plus_one == 0 {
            th.top = dest + nvar;
        }
        Ok(())
    }

    /// Runs a native function to completion and moves its results into place.
    pub(crate) fn call_native(
        &mut self,
        func: usize,
        nargs: usize,
        nf: Gc<NativeClosure>,
        nresults: i32,
    ) -> LuaResult<()> {
        let base = func + 1;
        let needed = base + nargs + MIN_NATIVE_STACK;
        if needed > MAX_STACK || needed + MIN_NATIVE_STACK > self.th().stack.len() {
            std::hint::cold_path();
            self.check_stack(needed)?;
        }
        let th = self.th();
        if th.frames.len() >= th.frame_limit() {
            std::hint::cold_path();
            return Err(self.stack_overflow());
        }
        if th.frames.len() == th.frames.capacity() {
            std::hint::cold_path();
            th.frames.reserve(1);
        }
        // Built in place (a frame built in a local and then moved is copied with 16-byte
        // vector moves over its 8-byte field stores, which stalls).
        th.frames.push(CallInfo {
            func,
            base,
            top: base + nargs,
            saved_pc: std::ptr::null(),
            nresults,
            closure: None,
            nvarargs: 0,
            tail: false,
            fresh: false,
        });
        th.top = base + nargs;
        if self.th().hook.mask != 0 {
            self.hook_native_call(nargs)?;
        }
        let n = match &nf.func {
            NativeImpl::Fn(f) => f(self)?,
            NativeImpl::Boxed(f) => {
                let f = f.clone();
                f(self)?
            }
        };
        // Read again: the function may have been `debug.sethook`.
        if self.th().hook.mask != 0 {
            self.hook_native_return(n)?;
        }

        let th = self.th();
        let first = th.top - n;
        th.frames.pop();
        match nresults {
            // The common cases, as Lua's moveresults has them.
            0 => th.top = func,
            1 if n > 0 => {
                let stack = th.stack.as_mut_ptr();
                // SAFETY: `func < first < top <= stack.len()` (a native function's results are
                // the topmost values above its function slot); no reference into the stack
                // is live.
                unsafe { copy_value(stack.add(first), stack.add(func)) };
                th.top = func + 1;
            }
            _ => self.move_results(first, n, func, nresults),
        }
        if self.heap.should_collect() {
            self.collect_garbage();
        }
        Ok(())
    }

    /// Moves `n` results from `first` to `dest`, adjusting to `wanted` (-1: all). Sets the top
    /// after the results.
    #[inline]
    pub(crate) fn move_results(&mut self, first: usize, n: usize, dest: usize, wanted: i32) {
        let th = self.th();
        let count = if wanted < 0 { n } else { wanted as usize };
        if dest + count > th.stack.len() {
            th.grow_stack(dest + count + MIN_NATIVE_STACK);
        }
        for i in 0..count {
            th.stack[dest + i] = if i < n { th.stack[first + i] } else { Value::Nil };
        }
        th.top = dest + count;
    }

    /// Protected call of stack[func] (arguments up to the top). On error, the frames above
    /// are discarded, pending to-be-closed variables are closed with the error, the top is
    /// reset to `func`, and the (possibly handler-transformed) error is returned. The caller
    /// keeps `handler` reachable (on the stack below `func`, as `xpcall` does): the collector
    /// does not see values held only in Rust locals.
    pub fn pcall(&mut self, func: usize, nresults: i32, handler: Option<Value>) -> LuaResult<()> {
        self.pcall_with(func, nresults, handler, false)
    }

    /// `pcall` that coroutines may yield across (the `pcall` and `xpcall` functions).
    pub fn pcall_yieldable(&mut self, func: usize, nresults: i32, handler: Option<Value>) -> LuaResult<()> {
        self.pcall_with(func, nresults, handler, true)
    }

    /// A protected call from under C frames (an ffi callback): coroutines can never yield
    /// across it, whatever frame is on top (`call` asks that frame, and the frame under a
    /// callback run from a compiled loop is a Lua one). With `start_pc`, a Lua function whose
    /// run a compiled function began (`crate::jit`) goes on at that instruction with the
    /// registers as they are on the stack above `func` (the compiled code wrote them in place).
    pub fn pcall_across_c(
        &mut self,
        func: usize,
        nresults: i32,
        handler: Option<Value>,
        start_pc: Option<usize>,
    ) -> LuaResult<()> {
        let saved = self.recovery_point();
        self.th().nny += 1;
        let r = self.call_yieldable_from(func, nresults, start_pc);
        match r {
            Ok(()) => {
                self.th().nny -= 1;
                Ok(())
            }
            Err(e) => Err(self.pcall_error(func, handler, false, saved, e)),
        }
    }

    fn pcall_with(&mut self, func: usize, nresults: i32, handler: Option<Value>, yieldable: bool) -> LuaResult<()> {
        let saved = self.recovery_point();
        let r = if yieldable { self.call_yieldable(func, nresults) } else { self.call(func, nresults) };
        match r {
            Ok(()) => Ok(()),
            Err(e) => Err(self.pcall_error(func, handler, yieldable, saved, e)),
        }
    }

    /// The error path of `pcall_with` (kept out of line: the successful path is the hot one).
    #[cold]
    #[inline(never)]
    fn pcall_error(
        &mut self,
        func: usize,
        handler: Option<Value>,
        yieldable: bool,
        saved: RecoveryPoint,
        mut e: LuaError,
    ) -> LuaError {
        if let Some(h) = handler {
            if e.kind != ErrorKind::Handler {
                e = self.run_message_handler(h, e);
            }
        }
        // As Lua, the pending variables are closed from the protected call's level:
        // the frames above it are gone (`debug.getinfo(2)` in a `__close` is `pcall`),
        // their stack slots are not.
        self.recover(saved);
        let e = self.close_after_error(func, e, saved, yieldable);
        self.set_top(func);
        e
    }

    /// Calls the message handler of `xpcall` on an error, at the point of the error.
    fn run_message_handler(&mut self, h: Value, e: LuaError) -> LuaError {
        let func = self.top();
        self.push(h);
        self.push(e.value);
        match self.call(func, 1) {
            Ok(()) => {
                let v = self.stack_at(func);
                self.set_top(func);
                LuaError { value: v, traceback: e.traceback, kind: e.kind }
            }
            Err(mut inner) => {
                // An error inside the handler: Lua gives up with LUA_ERRERR.
                if inner.kind != ErrorKind::Handler {
                    inner = self.error_str("error in error handling");
                    inner.kind = ErrorKind::Handler;
                }
                inner
            }
        }
    }

    /// Closes upvalues and to-be-closed variables at or above `level` after an error; a
    /// `__close` that errors replaces the error (manual §3.3.8).
    /// In a `pcall` that coroutines may yield across, so may the `__close` handlers (Lua
    /// finishes such a `pcall` in its continuation).
    fn close_after_error(&mut self, level: usize, mut e: LuaError, saved: RecoveryPoint, yieldable: bool) -> LuaError {
        self.close_upvalues(level);
        // The error value stays on the stack while the handlers run: it is otherwise held only
        // here, and a collection after a handler returns would free it.
        let anchor = self.top();
        self.push(e.value);
        while let Some(v) = self.pop_tbc_at_or_above(level) {
            // The error value stays on the stack while `__close` runs: a collection there
            // must not free it.
            let mark = self.top();
            self.push(e.value);
            if let Err(e2) = self.call_close_method(v, e.value, yieldable) {
                self.recover(saved);
                e = e2;
                self.stack_set(anchor, e.value);
            }
            self.set_top(mark);
        }
        self.set_top(anchor);
        e
    }

    fn recovery_point(&self) -> RecoveryPoint {
        let th = self.th();
        RecoveryPoint {
            frames: th.frames.len(),
            c_depth: th.c_depth,
            nny: th.nny,
            hook_allowed: th.hook.allowed,
            hook_active: th.hook.active,
        }
    }

    /// Back to the state of a protected call after an error unwound to it.
    fn recover(&mut self, p: RecoveryPoint) {
        let th = self.th();
        th.frames.truncate(p.frames);
        th.c_depth = p.c_depth;
        th.nny = p.nny;
        th.hook.allowed = p.hook_allowed;
        th.hook.active = p.hook_active;
        // Lua shrinks the stack back to its normal limit here once the error is handled.
        if th.handling_overflow && th.frames.len() < MAX_FRAMES && th.top < MAX_STACK {
            th.handling_overflow = false;
        }
    }

    /// Takes the innermost pending to-be-closed value at or above stack slot `level`.
    fn pop_tbc_at_or_above(&mut self, level: usize) -> Option<Value> {
        let slot = *self.th().tbc.last()?;
        if slot < level {
            return None;
        }
        self.th().tbc.pop();
        Some(self.stack_at(slot))
    }

    /// Closes the open upvalues at or above stack index `level`.
    pub(crate) fn close_upvalues(&mut self, level: usize) {
        loop {
            let th = self.th();
            let Some(&uv) = th.open_upvals.last() else { break };
            if uv.open_index().is_none_or(|index| index < level) {
                break;
            }
            th.open_upvals.pop();
            // Reads the slot through the upvalue: no reference to the thread is held here.
            uv.close();
        }
    }

    /// Closes upvalues and runs `__close` of the to-be-closed variables at or above `level`
    /// in normal (non-error) exit: `Return` with k, `Close`.
    pub(crate) fn close_level(&mut self, level: usize) -> LuaResult<()> {
        self.close_upvalues(level);
        while let Some(v) = self.pop_tbc_at_or_above(level) {
            self.call_close_method(v, Value::Nil, true)?;
        }
        Ok(())
    }

    /// Calls the `__close` of `v` with the error `err` (nil: none). `yieldable`: as a call the
    /// VM makes (coroutines may yield across it), not as a call from a native function.
    fn call_close_method(&mut self, v: Value, err: Value, yieldable: bool) -> LuaResult<()> {
        let h = self.metamethod(v, Tm::Close);
        if h.is_nil() {
            // Checked when the variable was marked; the metamethod was removed since.
            let msg = "metamethod 'close'".to_string();
            return Err(self.runtime_error(&format!("attempt to call a nil value ({msg})")));
        }
        let saved_top = self.top();
        // On error the top stays where the error left it, for the message handler.
        let func = self.top();
        self.push(h);
        self.push(v);
        self.push(err);
        if yieldable {
            self.call_yieldable(func, 0)?;
        } else {
            self.call(func, 0)?;
        }
        // Not `set_top`: see `drop_call_results` (results being returned lie below).
        self.th().top = saved_top;
        Ok(())
    }

    /// Marks stack slot `slot` as a to-be-closed variable (instruction `Tbc`).
    pub(crate) fn mark_tbc(&mut self, slot: usize) -> LuaResult<()> {
        let v = self.stack_at(slot);
        if matches!(v, Value::Nil | Value::Bool(false)) {
            return Ok(());
        }
        if self.metamethod(v, Tm::Close).is_nil() {
            let name = self.local_name_at(slot).unwrap_or_else(|| "?".into());
            return Err(self.runtime_error(&format!("variable '{name}' got a non-closable value")));
        }
        self.th().tbc.push(slot);
        Ok(())
    }

    /// The open upvalue for stack slot `index` of the running thread, creating it.
    pub(crate) fn find_upvalue(&mut self, index: usize) -> Gc<UpVal> {
        let cur = self.current;
        let th = self.th();
        // Open upvalues are sorted by index; search from the top (recent locals).
        let mut pos = th.open_upvals.len();
        while pos > 0 {
            let uv = th.open_upvals[pos - 1];
            match uv.open_index() {
                Some(i) if i == index => return uv,
                Some(i) if i < index => break,
                _ => pos -= 1,
            }
        }
        let stack = self.th().stack.as_mut_ptr();
        let uv = UpVal::alloc_open(&mut self.heap, cur, stack, index);
        self.th().open_upvals.insert(pos, uv);
        uv
    }
}
