//! `Lua`: one runtime. Owns the heap, the globals, the registry, the per-type metatables and
//! the threads. There is no global state: several runtimes can live in one process, each
//! used from one thread at a time.

use super::closure::{NativeClosure, NativeFn, NativeImpl};
use super::error::{ErrorKind, LuaError, LuaResult};
use super::metamethod::{Tm, TM_NAMES};
use super::string::LuaStr;
use super::table::Table;
use super::thread::Thread;
use super::value::{LuaType, Value};
use crate::gc::{Gc, Heap};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct Lua {
    pub(crate) heap: Heap,
    pub(crate) globals: Gc<Table>,
    pub(crate) registry: Gc<Table>,
    pub(crate) type_mt: [Option<Gc<Table>>; LuaType::COUNT],
    pub(crate) main_thread: Gc<Thread>,
    pub(crate) current: Gc<Thread>,
    pub(crate) tm_names: Vec<Gc<LuaStr>>,
    /// Set from another thread (a Ctrl-C handler) to interrupt running code.
    pub(crate) interrupt: Arc<AtomicBool>,
    /// Warning system state (`warn`): on/off.
    pub(crate) warn_on: bool,
    /// Where warnings go (stderr by default); an embedder can capture them.
    pub warn_sink: Box<dyn FnMut(&str)>,
    /// Nesting of finalizer runs (finalizers do not run re-entrantly).
    pub(crate) in_finalizer: bool,
    /// Host data slots for libraries (e.g. the stdlib keeps its state here), with each
    /// value's type id, compared without a virtual call (the ffi looks its state up on every
    /// operation and callback).
    pub(crate) extensions: UnsafeCell<Vec<(std::any::TypeId, Box<dyn std::any::Any>)>>,
    /// Makes `123LL`-style literals into values (see `cdata_hooks.rs`).
    pub(crate) cdata_literal_hook: Option<super::cdata_hooks::CDataLiteralHook>,
    /// Userdata with this metatable compare with `==` against other types (a GC root).
    pub(crate) mixed_eq_mt: Option<Gc<Table>>,
    /// Whether hot loops are compiled and run as machine code (see `crate::jit`).
    pub(crate) loop_compiler_on: bool,
    pub(crate) loop_stats: crate::jit::LoopStats,
    pub(crate) loop_compiler_verbose: bool,
}

/// Lua's LUAI_MAXCCALLS: nesting of native calls and parser levels.
pub const MAX_C_DEPTH: u32 = 200;
/// Free slots guaranteed to a native function (LUA_MINSTACK).
pub const MIN_NATIVE_STACK: usize = 20;
pub use super::thread::MAX_FRAMES;

impl Default for Lua {
    fn default() -> Self {
        Lua::new()
    }
}

impl Lua {
    pub fn new() -> Lua {
        let mut heap = Heap::new();
        let globals = heap.alloc(Table::with_meter(heap.meter(), 0, 64));
        let registry = heap.alloc(Table::with_meter(heap.meter(), 2, 8));
        let main_thread = heap.alloc(Thread::new(true));
        let tm_names = TM_NAMES.iter().map(|n| heap.intern(n.as_bytes())).collect();
        // Lua's registry holds the main thread at index 1 and the globals at index 2.
        registry.set_int(1, Value::Thread(main_thread));
        registry.set_int(2, Value::Table(globals));
        Lua {
            heap,
            globals,
            registry,
            type_mt: [None; LuaType::COUNT],
            main_thread,
            current: main_thread,
            tm_names,
            interrupt: Arc::new(AtomicBool::new(false)),
            warn_on: false,
            warn_sink: Box::new(|msg| eprintln!("Lua warning: {msg}")),
            in_finalizer: false,
            extensions: UnsafeCell::new(Vec::new()),
            cdata_literal_hook: None,
            mixed_eq_mt: None,
            loop_compiler_on: true,
            loop_stats: crate::jit::LoopStats::default(),
            loop_compiler_verbose: false,
        }
    }

    // ----- heap objects -------------------------------------------------------------------

    pub fn new_string(&mut self, bytes: &[u8]) -> Gc<LuaStr> {
        self.heap.intern(bytes)
    }

    pub fn str_value(&mut self, s: &str) -> Value {
        Value::Str(self.heap.intern(s.as_bytes()))
    }

    pub fn bytes_value(&mut self, b: &[u8]) -> Value {
        Value::Str(self.heap.intern(b))
    }

    pub fn new_table(&mut self) -> Gc<Table> {
        self.new_table_with(0, 0)
    }

    /// A table with room for `array` list items and `hash` other keys.
    #[inline]
    pub fn new_table_with(&mut self, array: usize, hash: usize) -> Gc<Table> {
        let meter = self.heap.meter();
        self.heap.alloc(Table::with_meter(meter, array, hash))
    }

    pub fn new_native(&mut self, name: &'static str, f: NativeFn) -> Value {
        Value::NativeFn(self.heap.alloc(NativeClosure {
            func: NativeImpl::Fn(f),
            name,
            upvalues: UnsafeCell::new(Vec::new()),
        }))
    }

    pub fn new_native_with_upvalues(&mut self, name: &'static str, f: NativeFn, upvalues: Vec<Value>) -> Value {
        Value::NativeFn(self.heap.alloc(NativeClosure {
            func: NativeImpl::Fn(f),
            name,
            upvalues: UnsafeCell::new(upvalues),
        }))
    }

    pub fn new_boxed_native(&mut self, name: &'static str, f: super::closure::BoxedNativeFn) -> Value {
        Value::NativeFn(self.heap.alloc(NativeClosure {
            func: NativeImpl::Boxed(f),
            name,
            upvalues: UnsafeCell::new(Vec::new()),
        }))
    }

    pub fn new_userdata(
        &mut self,
        payload: Box<dyn std::any::Any>,
        user_values: usize,
    ) -> Gc<super::userdata::UserData> {
        self.new_userdata_sized(payload, user_values, 0)
    }

    /// A userdata whose payload owns `extra_bytes` of native memory (counted for GC pacing).
    pub fn new_userdata_sized(
        &mut self,
        payload: Box<dyn std::any::Any>,
        user_values: usize,
        extra_bytes: usize,
    ) -> Gc<super::userdata::UserData> {
        use super::userdata::UserDataWith;
        let extra = extra_bytes + std::mem::size_of_val(&*payload);
        let obj = self.heap.alloc(UserDataWith::boxed(payload, user_values, extra));
        UserDataWith::as_userdata(obj)
    }

    /// A userdata holding `payload` in its own allocation (one allocation instead of two:
    /// for userdata made often, as the ffi's cdata). `payload::<P>()` reads it back. The
    /// payload must not hold GC values (see [`Lua::new_userdata`]); it owns `extra_bytes` of
    /// native memory.
    #[inline]
    pub fn new_userdata_inline<P: std::any::Any>(
        &mut self,
        payload: P,
        user_values: usize,
        extra_bytes: usize,
    ) -> Gc<super::userdata::UserData> {
        self.new_userdata_made(|| payload, user_values, extra_bytes)
    }

    /// [`Lua::new_userdata_inline`] with the payload made by `make` once its place is
    /// allocated, so that it is written there directly rather than built aside and copied.
    #[inline(always)]
    pub fn new_userdata_made<P: std::any::Any>(
        &mut self,
        make: impl FnOnce() -> P,
        user_values: usize,
        extra_bytes: usize,
    ) -> Gc<super::userdata::UserData> {
        use super::userdata::UserDataWith;
        if !UserDataWith::<P>::FITS {
            return self.new_userdata_sized(Box::new(make()), user_values, extra_bytes);
        }
        UserDataWith::alloc(&mut self.heap, make, user_values, extra_bytes)
    }

    /// Is a `__gc` metamethod running? (The collector is not reentrant.)
    pub fn in_finalizer(&self) -> bool {
        self.in_finalizer
    }

    /// The collector (for `collectgarbage` and finalizer registration).
    pub fn heap_mut(&mut self) -> &mut Heap {
        &mut self.heap
    }

    /// `warn` semantics: "@on"/"@off" switch warnings; other messages are emitted when on.
    pub fn warn_message(&mut self, msg: &str) {
        match msg {
            "@on" => self.warn_on = true,
            "@off" => self.warn_on = false,
            m if m.starts_with('@') => {}
            m => self.warn(m),
        }
    }

    pub fn globals(&self) -> Gc<Table> {
        self.globals
    }

    pub fn registry(&self) -> Gc<Table> {
        self.registry
    }

    pub fn main_thread(&self) -> Gc<Thread> {
        self.main_thread
    }

    pub fn current_thread(&self) -> Gc<Thread> {
        self.current
    }

    /// The flag that interrupts running code when set (checked at backward jumps, numeric
    /// loops and tail calls); the running code then fails with "interrupted!".
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    /// Replaces the interrupt flag: a host whose signal handler can only reach a flag of its
    /// own (a `static`) hands that flag to the runtime.
    pub fn set_interrupt_handle(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = flag;
    }

    pub(crate) fn take_interrupt(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed) && self.interrupt.swap(false, Ordering::Relaxed)
    }

    /// The error of an interrupted run. Positioned as `lua.c` positions it (`luaL_error` from
    /// a hook, level 1): at the caller of the interrupted function, so a loop in the main chunk
    /// reads just "interrupted!".
    pub(crate) fn interrupted_error(&mut self) -> LuaError {
        self.native_error("interrupted!")
    }

    pub fn set_global(&mut self, name: &str, v: Value) {
        let k = self.heap.intern(name.as_bytes());
        self.globals.set_str(k, v);
    }

    pub fn get_global(&mut self, name: &str) -> Value {
        self.globals.get_str_bytes(name.as_bytes())
    }

    pub fn tm_name(&self, tm: Tm) -> Gc<LuaStr> {
        self.tm_names[tm as usize]
    }

    /// Metatable of any value (`getmetatable` without `__metatable`).
    pub fn metatable_of(&self, v: Value) -> Option<Gc<Table>> {
        match v {
            Value::Table(t) => t.metatable(),
            Value::UserData(u) => u.metatable(),
            other => self.type_mt[other.lua_type().index()],
        }
    }

    pub fn set_type_metatable(&mut self, ty: LuaType, mt: Option<Gc<Table>>) {
        self.type_mt[ty.index()] = mt;
    }

    /// Extension slot for libraries built on this crate: returns the first stored value of
    /// type `T`, inserting `init()` if there is none.
    pub fn extension<T: 'static>(&self, init: impl FnOnce() -> T) -> &T {
        // SAFETY: the vector only grows (boxes are never removed or moved out), so references
        // to boxed contents stay valid for the life of `self`; no `&mut` to an element is
        // ever created.
        let exts = unsafe { &mut *self.extensions.get() };
        let id = std::any::TypeId::of::<T>();
        if let Some(pos) = exts.iter().position(|(t, _)| *t == id) {
            return exts[pos].1.downcast_ref().expect("stored with its type id");
        }
        exts.push((id, Box::new(init())));
        exts.last().and_then(|(_, b)| b.downcast_ref()).expect("just pushed")
    }

    // ----- the current thread's stack (the native function API) ----------------------------

    /// The running thread's state. See `Thread::data` for the rule: never keep it across a
    /// call into the VM or an access to an open upvalue.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub(crate) fn th(&self) -> &mut super::thread::ThreadData {
        // SAFETY: callers in this crate use the reference within one expression or statement
        // sequence that does not re-enter the VM (obligation 1 of `Thread::data`).
        unsafe { self.current.data() }
    }

    /// Number of arguments of the running native function.
    pub fn nargs(&self) -> usize {
        let th = self.th();
        th.top - th.frames.last().map_or(0, |f| f.base)
    }

    /// Argument `n` (1-based) of the running native function; nil if absent.
    #[inline]
    pub fn arg(&self, n: usize) -> Value {
        let th = self.th();
        let base = th.frames.last().map_or(0, |f| f.base);
        let i = base + n - 1;
        if i < th.top {
            th.stack[i]
        } else {
            Value::Nil
        }
    }

    /// Overwrites argument `n` (1-based), which must exist.
    pub fn set_arg(&mut self, n: usize, v: Value) {
        let th = self.th();
        let base = th.frames.last().map_or(0, |f| f.base);
        th.stack[base + n - 1] = v;
    }

    /// Pushes a value on the running thread's stack.
    #[inline]
    pub fn push(&mut self, v: Value) {
        let th = self.th();
        if th.top >= th.stack.len() {
            let new_len = (th.stack.len() * 2).max(th.top + MIN_NATIVE_STACK);
            th.grow_stack(new_len);
        }
        th.stack[th.top] = v;
        th.top += 1;
    }

    pub fn pop(&mut self) -> Value {
        let th = self.th();
        th.top -= 1;
        th.stack[th.top]
    }

    pub fn top(&self) -> usize {
        self.th().top
    }

    pub fn set_top(&mut self, top: usize) {
        self.ensure_stack_abs(top);
        let th = self.th();
        for slot in &mut th.stack[th.top.min(top)..top] {
            *slot = Value::Nil;
        }
        th.top = top;
    }

    pub fn stack_at(&self, i: usize) -> Value {
        self.th().stack[i]
    }

    /// The values in the stack slots `range` (absolute indices) of the running thread.
    #[inline]
    pub fn stack_slice(&self, range: std::ops::Range<usize>) -> &[Value] {
        &self.th().stack[range]
    }

    /// The index of the running thread's stack slot at `slot`, if it is one (a compiled
    /// call's entry finds its result slot again after Lua code ran and may have moved the
    /// stack).
    pub fn stack_index_of(&self, slot: *const Value) -> Option<usize> {
        let stack = &self.th().stack;
        let offset = (slot as usize).checked_sub(stack.as_ptr() as usize)?;
        let index = offset / std::mem::size_of::<Value>();
        (offset % std::mem::size_of::<Value>() == 0 && index < stack.len()).then_some(index)
    }

    pub fn stack_set(&mut self, i: usize, v: Value) {
        self.th().stack[i] = v;
    }

    /// Makes sure the stack has at least `size` slots. Errors beyond Lua's limit.
    pub(crate) fn ensure_stack_abs(&mut self, size: usize) {
        let old_len = self.th().stack.len();
        if size > old_len {
            let new_len = size.max(old_len * 2);
            self.heap.note_growth((new_len - old_len) * 16);
            self.th().grow_stack(new_len);
        }
    }

    /// Checks the stack limit for `extra` more slots above the top ("stack overflow").
    pub(crate) fn check_stack(&mut self, needed_top: usize) -> LuaResult<()> {
        if needed_top > self.th().stack_limit() {
            return Err(self.stack_overflow());
        }
        self.ensure_stack_abs(needed_top + MIN_NATIVE_STACK);
        Ok(())
    }

    // ----- errors ---------------------------------------------------------------------------

    /// An error whose value is a string, without position.
    pub fn error_str(&mut self, msg: &str) -> LuaError {
        let v = self.str_value(msg);
        LuaError::new(v)
    }

    /// The error of a stack that reached its limit: "stack overflow", after which the limits
    /// grow by a margin for the error's handling; reaching them again while handling it is
    /// "error in error handling" (which message handlers do not see), as in Lua.
    pub(crate) fn stack_overflow(&mut self) -> LuaError {
        if self.th().handling_overflow {
            let mut e = self.error_str("error in error handling");
            e.kind = ErrorKind::Handler;
            return e;
        }
        self.th().handling_overflow = true;
        self.runtime_error("stack overflow")
    }

    /// A runtime error with the position of the running Lua function prepended
    /// (`chunk:line: msg`), as `luaG_runerror`.
    pub fn runtime_error(&mut self, msg: &str) -> LuaError {
        let pos = self.position(0, true);
        self.error_str(&format!("{pos}{msg}"))
    }

    /// Error raised by a native function: position of the Lua code that called it, as
    /// `luaL_error` (level 1).
    pub fn native_error(&mut self, msg: &str) -> LuaError {
        let pos = self.where_(1);
        self.error_str(&format!("{pos}{msg}"))
    }

    /// `chunk:line: ` of the function `level` frames below the top (0 = running function), or
    /// "" when that function is not a Lua function or has no line information (a stripped
    /// binary chunk), as `luaL_where`.
    pub fn where_(&self, level: usize) -> String {
        self.position(level, false)
    }

    /// `where_`, except that a runtime error in a function without line information still
    /// names the chunk, with line -1, as Lua's `luaG_runerror` does (`?:-1: `).
    fn position(&self, level: usize, runtime: bool) -> String {
        let th = self.th();
        let n = th.frames.len();
        if level >= n {
            return String::new();
        }
        let f = &th.frames[n - 1 - level];
        match f.closure {
            Some(cl) => {
                let p = &cl.proto;
                if p.line_info.is_empty() {
                    return if runtime { format!("{}:-1: ", crate::span::chunk_id(&p.source)) } else { String::new() };
                }
                let line = p.line_at(f.pc().saturating_sub(1));
                format!("{}:{}: ", crate::span::chunk_id(&p.source), line)
            }
            None => String::new(),
        }
    }
}

/// A runtime is one heap with all its objects: moving it to another thread as a whole is
/// sound, since no object is shared with anything outside it. It is not `Sync`.
// SAFETY: all `Gc` pointers inside point into `heap`, which moves with the runtime; the
// interrupt flag is an Arc<AtomicBool>; boxed natives and the warn sink are owned. Hosts that
// register non-Send Rust closures must not move the runtime (documented on the embedding API).
unsafe impl Send for Lua {}
