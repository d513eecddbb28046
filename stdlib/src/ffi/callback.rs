//! Callbacks: Lua functions as C function pointers, through the trampolines of
//! `rivet_ffi::jit` (a native function per callback, generated from the same call plan a
//! stub would use, that hands its arguments to [`dispatch`]).
//!
//! ```text
//! ffi.cast("int (*)(int)", f) ──pool.create(plan, dispatch, slot)──▶ cdata<int (*)(int)>
//! C calls it ──trampoline──▶ dispatch ──args block → Lua values──▶ f(...) ──▶ result → C
//! ```
//!
//! - A callback made by `ffi.cast` lives until `cb:free()`; `cb:set(g)` replaces its
//!   function. One made implicitly (a Lua function passed for a function pointer parameter,
//!   stored into a function pointer field) is permanent, as in LuaJIT (C may keep the pointer),
//!   but the same function converted to the same type again reuses it. The Lua function stays
//!   reachable (in the roots' `callbacks` table) for as long as the callback exists.
//! - Callbacks run on the thread and in the runtime whose C call is under way: the general
//!   call path records itself in [`ACTIVE`] around every C call (calls take that path once a
//!   runtime has callbacks). A callback called on another thread aborts with a message; one
//!   called when no C call of its runtime is under way returns a zeroed result with a message.
//! - A Lua error in a callback never unwinds through C: the callback returns a zeroed result,
//!   and the error, with the callback's traceback, is raised again when the C call it ran
//!   under returns to Lua ([`take_pending_error`]). Yielding inside a callback is an error
//!   (there is a C frame in between), reported the same way.
//! - A freed callback called by C reports "a freed callback was called" the same way.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::thread::ThreadId;

use rivet_ffi::jit::TrampolinePool;
use rivet_ffi::CTypeId;
use rivet_lang::{Lua, LuaError, LuaResult, Value};

use super::call::value_at;
use super::callable::{Callable, RetKind};
use super::cdata::{Num, Place};
use super::compiled_callback::CompiledCallback;
use super::convert::{new_pointer_described, num_value, Ctx, Loc, Mode};
use super::state::{cdata_of, state, FfiState, Roots};
use super::typeinfo::{Shape, TypeInfo};

/// Key of the pending callback error in the roots' `callbacks` table.
const PENDING_ERROR: &str = "pending error";
/// Key of the message handler callbacks run under (made once).
const HANDLER: &str = "handler";
/// Key of the table of implicit callbacks (function -> { type index -> address }).
const IMPLICIT: &str = "implicit";

/// What a trampoline's context points to: the callback's signature and slot. Boxed and kept
/// by [`Callbacks`] until its slot is reused (a freed trampoline no longer points to it) or
/// the runtime's ffi state goes.
struct SlotContext {
    callable: Rc<Callable>,
    slot: u32,
    thread: ThreadId,
    state: *const FfiState,
    /// The descriptions of the pointer parameters' types, looked up once (again when the
    /// state's generation moves on) rather than for every argument of every call.
    described: RefCell<Described>,
    /// The slot's function as machine code, once its first call compiled it (or tried).
    compiled: RefCell<Option<Rc<CompiledCallback>>>,
}

/// Type descriptions of a callback's pointer parameters (`None` for other parameters), valid
/// for one generation of the ffi state.
struct Described {
    generation: u32,
    infos: Vec<Option<Rc<TypeInfo>>>,
}

impl Described {
    fn of(st: &FfiState, callable: &Callable) -> Described {
        let infos = callable
            .plain
            .params
            .iter()
            .map(|p| matches!(p.kind.as_value(), RetKind::Pointer).then(|| st.info(p.ty)))
            .collect();
        Described { generation: st.generation(), infos }
    }
}

/// The callbacks of one runtime.
#[derive(Default)]
pub(crate) struct Callbacks {
    pool: Option<TrampolinePool>,
    /// Contexts by slot (a freed slot keeps its old context until reused: a call that is
    /// still running on it reads only what it copied at entry).
    contexts: Vec<Option<Box<SlotContext>>>,
    /// Slots by trampoline address, for `cb:free()` and `cb:set()`.
    by_entry: HashMap<usize, u32>,
    /// Set while an error raised in a callback waits for its C call to return.
    pub error_pending: bool,
    /// The message handler callbacks run under, once made (also kept in the roots'
    /// `callbacks` table, which keeps it alive).
    handler: Option<Value>,
}

/// The runtime making the innermost C call of this thread, where a callback runs.
#[derive(Clone, Copy)]
struct Active {
    lua: *mut Lua,
    roots: Roots,
    state: *const FfiState,
}

thread_local! {
    static ACTIVE: Cell<Option<Active>> = const { Cell::new(None) };
}

/// Runs `call` (a C call) with the runtime recorded for callbacks.
pub(crate) fn with_active<R>(ctx: &mut Ctx, call: impl FnOnce(&FfiState) -> R) -> R {
    let active = Active { lua: &mut *ctx.lua as *mut Lua, roots: ctx.roots, state: Rc::as_ptr(&ctx.st) };
    let previous = ACTIVE.with(|a| a.replace(Some(active)));
    let r = call(&ctx.st);
    ACTIVE.with(|a| a.set(previous));
    r
}

/// The error a callback raised during the C call that just returned, if any.
pub(crate) fn take_pending_error(ctx: &mut Ctx) -> Option<LuaError> {
    let mut callbacks = ctx.st.callbacks.borrow_mut();
    if !callbacks.error_pending {
        return None;
    }
    callbacks.error_pending = false;
    drop(callbacks);
    let value = ctx.roots.callbacks.get_str_bytes(PENDING_ERROR.as_bytes());
    ctx.lua.set_field(ctx.roots.callbacks, PENDING_ERROR, Value::Nil);
    Some(LuaError::new(value))
}

/// A callback of the function pointer type `ty` calling `f`: its address. `cached`: reuse the
/// callback this function already has for this type (implicit conversions).
pub(crate) fn callback_address(ctx: &mut Ctx, ty: CTypeId, f: Value, cached: bool) -> LuaResult<usize> {
    if cached {
        if let Some(addr) = cached_callback(ctx, ty, f) {
            return Ok(addr);
        }
    }
    let callable = ctx.st.callable(ty).map_err(|why| ctx.error(&format!("cannot make a callback: {why}")))?;
    let mut callbacks = ctx.st.callbacks.borrow_mut();
    let pool = callbacks.pool.get_or_insert_with(|| {
        let mut pool = TrampolinePool::new();
        pool.set_freed_handler(freed_callback_called);
        pool
    });
    let context = Box::new(SlotContext {
        callable: callable.clone(),
        slot: 0,
        thread: std::thread::current().id(),
        state: Rc::as_ptr(&ctx.st),
        described: RefCell::new(Described::of(&ctx.st, &callable)),
        compiled: RefCell::new(None),
    });
    let context_ptr = &*context as *const SlotContext as *mut c_void;
    let trampoline = match pool.create(&callable.plain.plan, dispatch, context_ptr) {
        Ok(t) => t,
        Err(e) => {
            drop(callbacks);
            return Err(ctx.error(&format!("cannot make a callback: {e}")));
        }
    };
    let slot = trampoline.slot();
    let mut context = context;
    context.slot = slot;
    // The box moved nowhere: its address is what the trampoline holds.
    let index = slot as usize;
    if callbacks.contexts.len() <= index {
        callbacks.contexts.resize_with(index + 1, || None);
    }
    callbacks.contexts[index] = Some(context);
    let addr = trampoline.entry() as usize;
    callbacks.by_entry.insert(addr, slot);
    drop(callbacks);
    ctx.st.callbacks_exist.set(true);
    ctx.roots.callbacks.set_int(i64::from(slot), f);
    if cached {
        remember_implicit(ctx, ty, f, addr);
    }
    Ok(addr)
}

/// The implicit callback `f` already has for type `ty`.
fn cached_callback(ctx: &mut Ctx, ty: CTypeId, f: Value) -> Option<usize> {
    let Value::Table(implicit) = ctx.roots.callbacks.get_str_bytes(IMPLICIT.as_bytes()) else { return None };
    let Value::Table(by_type) = implicit.get(f) else { return None };
    match by_type.get_int(i64::from(ty.index())) {
        Value::Int(addr) => Some(addr as usize),
        _ => None,
    }
}

fn remember_implicit(ctx: &mut Ctx, ty: CTypeId, f: Value, addr: usize) {
    let implicit = match ctx.roots.callbacks.get_str_bytes(IMPLICIT.as_bytes()) {
        Value::Table(t) => t,
        _ => {
            let t = ctx.lua.new_table();
            ctx.lua.set_field(ctx.roots.callbacks, IMPLICIT, Value::Table(t));
            t
        }
    };
    let by_type = match implicit.get(f) {
        Value::Table(t) => t,
        _ => {
            let t = ctx.lua.new_table();
            let _ = implicit.set(f, Value::Table(t)); // a function is always a valid key
            t
        }
    };
    by_type.set_int(i64::from(ty.index()), Value::Int(addr as i64));
}

/// The slot of the callback a cdata points to, and the callback's address.
fn slot_of(ctx: &mut Ctx, cb: Value) -> LuaResult<(u32, usize)> {
    let addr = match cdata_of(&cb) {
        Some((_, cd)) if matches!(ctx.st.info(cd.ty).shape, Shape::Pointer { .. }) => {
            cd.own_place().load_addr().map_err(|e| ctx.access_error(e))?
        }
        _ => return Err(ctx.lua.type_error(1, "callback")),
    };
    let slot = ctx.st.callbacks.borrow().by_entry.get(&addr).copied();
    slot.map(|s| (s, addr)).ok_or_else(|| ctx.error("bad callback"))
}

/// `cb:free()`: releases the trampoline and lets the function be collected.
pub(crate) fn callback_free(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let cb = ctx.lua.arg(1);
    let (slot, addr) = slot_of(&mut ctx, cb)?;
    {
        let mut callbacks = ctx.st.callbacks.borrow_mut();
        if let Some(pool) = callbacks.pool.as_mut() {
            pool.free(slot);
        }
        callbacks.by_entry.remove(&addr);
    }
    ctx.roots.callbacks.set_int(i64::from(slot), Value::Nil);
    Ok(0)
}

/// `cb:set(f)`: the callback calls `f` from now on.
pub(crate) fn callback_set(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let cb = ctx.lua.arg(1);
    let f = ctx.lua.arg(2);
    if !f.is_function() {
        return Err(ctx.lua.type_error(2, "function"));
    }
    let (slot, _) = slot_of(&mut ctx, cb)?;
    ctx.roots.callbacks.set_int(i64::from(slot), f);
    // The old function's machine code is not `f`'s.
    if let Some(Some(context)) = ctx.st.callbacks.borrow().contexts.get(slot as usize) {
        context.compiled.replace(None);
    }
    Ok(0)
}

/// What `free` and `set` are on a function pointer cdata (LuaJIT's callback methods).
pub(crate) fn method(ctx: &mut Ctx, name: &[u8]) -> Option<Value> {
    let (label, f): (&'static str, rivet_lang::vm::closure::NativeFn) = match name {
        b"free" => ("callback:free", callback_free),
        b"set" => ("callback:set", callback_set),
        _ => return None,
    };
    Some(ctx.lua.new_native_with_upvalues(label, f, ctx.roots.upvalues()))
}

/// The trampolines' dispatcher.
///
/// # Safety
/// Called only by trampolines made in [`callback_address`], with `ctx` the `SlotContext` they
/// were made with (alive as long as the runtime's ffi state), `args` the argument block of
/// the callback's plan and `ret` its result buffer (zeroed), as the trampoline contract says.
unsafe extern "C" fn dispatch(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
    // SAFETY: see the function's contract. The context is only read before the Lua function
    // runs (which may free or reuse its slot); what is needed after is copied (`callable`).
    let context = unsafe { &*(ctx as *const SlotContext) };
    // A C call of the callback's runtime under way on this thread means this is the thread
    // that owns the runtime; only without one is the thread asked (`current` costs an atomic
    // reference count round trip).
    let Some(active) = ACTIVE.with(|a| a.get()).filter(|a| a.state == context.state) else {
        if std::thread::current().id() != context.thread {
            crate::io::flush_stdout();
            eprintln!("rivet: a callback was called on a thread other than the one that owns its runtime");
            std::process::abort();
        }
        eprintln!("rivet: a callback was called while no C call of its runtime was under way; it returns zero");
        return;
    };
    // SAFETY: `active.lua` is the runtime whose C call (`with_active`) is running this
    // callback on this thread: it is alive, and its owner is suspended in that call, not
    // using it until the call returns. The callback uses it as a native function would.
    let lua = unsafe { &mut *active.lua };
    // SAFETY: `active.state` is `Rc::as_ptr` of the state `with_active`'s context holds for
    // the whole C call, so the count is at least one while this new handle is made and used.
    let st = unsafe {
        Rc::increment_strong_count(active.state);
        Rc::from_raw(active.state)
    };
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| run(lua, st, active.roots, context, args, ret)));
    let error = match result {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.value,
        Err(_) => lua.str_value("a Rust panic in a callback"),
    };
    record_error(lua, active.roots, error);
}

/// Handler of calls of freed callbacks (`TrampolinePool::set_freed_handler`).
extern "C" fn freed_callback_called(_ctx: *mut c_void, _args: *mut u8, _ret: *mut u8) {
    match ACTIVE.with(|a| a.get()) {
        Some(active) => {
            // SAFETY: as in `dispatch`.
            let lua = unsafe { &mut *active.lua };
            let msg = lua.str_value("a freed callback was called");
            record_error(lua, active.roots, msg);
        }
        None => eprintln!("rivet: a freed callback was called; it returns zero"),
    }
}

/// Keeps a callback's error (rooted) for the C call's return; the first one wins.
fn record_error(lua: &mut Lua, roots: Roots, error: Value) {
    let st = state(lua);
    let mut callbacks = st.callbacks.borrow_mut();
    if callbacks.error_pending {
        return;
    }
    callbacks.error_pending = true;
    drop(callbacks);
    lua.set_field(roots.callbacks, PENDING_ERROR, error);
}

/// Calls the callback's Lua function with the arguments in the block and stores its result.
fn run(
    lua: &mut Lua,
    st: Rc<FfiState>,
    roots: Roots,
    context: &SlotContext,
    args: *mut u8,
    ret: *mut u8,
) -> LuaResult<()> {
    let callable = context.callable.clone();
    let mut ctx = Ctx { lua, st, roots };
    let base = ctx.lua.top();
    // A compiled slot keeps its function (the one in the roots until `cb:set` drops it).
    let known = context.compiled.borrow().clone().filter(|c| c.compiled());
    let (f, compiled) = match known {
        Some(c) => (c.function(), Some(c)),
        None => {
            let f = ctx.roots.callbacks.get_int(i64::from(context.slot));
            (f, compiled_callback(&mut ctx, context, &callable, f))
        }
    };
    let outcome = match compiled {
        Some(compiled) => {
            let func = ctx.lua.top();
            ctx.lua.push(f);
            compiled.run(
                &mut ctx,
                func,
                args,
                |ctx, i| argument(ctx, context, &callable, i, args),
                |ctx, pc| {
                    let handler = message_handler(ctx);
                    ctx.lua.pcall_across_c(func, 1, Some(handler), Some(pc)).map(|()| result_of(ctx, func))
                },
            )
        }
        None => {
            let handler = message_handler(&mut ctx);
            let func = ctx.lua.top();
            ctx.lua.push(f);
            for i in 0..callable.plain.params.len() {
                let v = argument(&mut ctx, context, &callable, i, args)?;
                ctx.lua.push(v);
            }
            // The interpreter's own safe points may never come while C keeps calling back (a
            // qsort comparator allocates its pointer arguments and nothing else): collect
            // here, with everything on the stack.
            ctx.lua.collect_if_due();
            ctx.lua.pcall_across_c(func, 1, Some(handler), None).map(|()| result_of(&mut ctx, func))
        }
    };
    let result = match outcome {
        Ok(v) => store_result(&mut ctx, &callable, v, ret),
        Err(e) => Err(e),
    };
    ctx.lua.set_top(base);
    result
}

/// The result of the protected call of stack[func], read as two words (`Value::load`): the
/// function just stored it.
fn result_of(ctx: &mut Ctx, func: usize) -> Value {
    ctx.lua.stack_slice(func..func + 1)[0].load()
}

/// The message handler callbacks run under (made once).
fn message_handler(ctx: &mut Ctx) -> Value {
    if let Some(h) = ctx.st.callbacks.borrow().handler {
        return h;
    }
    let h = ctx.lua.new_native("callback traceback", traceback_handler);
    ctx.lua.set_field(ctx.roots.callbacks, HANDLER, h);
    ctx.st.callbacks.borrow_mut().handler = Some(h);
    h
}

/// The slot's compiled function when `f` compiles (tried at its first call).
fn compiled_callback(
    ctx: &mut Ctx,
    context: &SlotContext,
    callable: &Callable,
    f: Value,
) -> Option<Rc<CompiledCallback>> {
    let known = context.compiled.borrow().as_ref().filter(|c| c.is_for(f)).cloned();
    let compiled = match known {
        Some(c) => c,
        None => {
            let c = Rc::new(CompiledCallback::new(ctx, callable, f));
            context.compiled.replace(Some(c.clone()));
            c
        }
    };
    compiled.compiled().then_some(compiled)
}

/// The Lua value of argument `i` in the block: numbers as numbers, pointers as pointer cdata
/// (made with the descriptions the context keeps), objects as copies.
fn argument(ctx: &mut Ctx, context: &SlotContext, callable: &Callable, i: usize, args: *mut u8) -> LuaResult<Value> {
    let p = &callable.plain.params[i];
    let place = Place::raw(args as usize + p.offset as usize);
    Ok(match p.kind.as_value() {
        RetKind::Number(s) => num_value(place.load(s).map_err(|e| ctx.access_error(e))?, s),
        RetKind::Pointer => {
            let addr = place.load_addr().map_err(|e| ctx.access_error(e))?;
            if context.described.borrow().generation != ctx.st.generation() {
                *context.described.borrow_mut() = Described::of(&ctx.st, callable);
            }
            let described = context.described.borrow();
            let info = described.infos[i].as_ref().expect("described pointer parameter");
            let mt = ctx.roots.cdata_mt;
            Value::UserData(new_pointer_described(ctx.lua, &ctx.st, info, mt, p.ty, addr))
        }
        kind => value_at(ctx, kind, p.ty, place)?.unwrap_or(Value::Nil),
    })
}

/// Converts the callback's result to the C result type into the result buffer.
fn store_result(ctx: &mut Ctx, callable: &Callable, v: Value, ret: *mut u8) -> LuaResult<()> {
    let place = Place::raw(ret as usize);
    match (callable.ret, v) {
        (RetKind::Void, _) => return Ok(()),
        (RetKind::Number(s), Value::Int(i)) => return place.store(s, Num::I(i)).map_err(|e| ctx.access_error(e)),
        (RetKind::Number(s), Value::Float(f)) => return place.store(s, Num::F(f)).map_err(|e| ctx.access_error(e)),
        _ => {}
    }
    let loc = Loc { place, owner: None };
    ctx.store(callable.ret_ty, loc, v, Mode::Implicit, None)
}

/// Message handler of callbacks: the error with the callback's traceback.
fn traceback_handler(lua: &mut Lua) -> LuaResult<usize> {
    let msg = lua.arg(1);
    let v = match msg {
        Value::Str(s) => {
            let text = s.to_str_lossy().into_owned();
            let tb = lua.traceback(None, 1);
            lua.str_value(&format!("{text}\ncallback {tb}"))
        }
        other => other,
    };
    lua.push(v);
    Ok(1)
}
