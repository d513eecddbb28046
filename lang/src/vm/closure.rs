//! Functions at run time: loaded prototypes, Lua closures with their upvalues, and native
//! (Rust) functions.

use super::error::LuaError;
use super::state::Lua;
use super::thread::Thread;
use super::value::Value;
use crate::bytecode::{Instr, LocVar, Proto, UpvalDesc};
use crate::gc::{Gc, Heap, Trace, Tracer};
use std::cell::{Cell, UnsafeCell};
use std::rc::Rc;

/// A `bytecode::Proto` loaded into a runtime: constants are values (strings interned in this
/// runtime's heap), nested prototypes are heap objects.
pub struct FnProto {
    pub code: Box<[Instr]>,
    pub constants: Box<[Value]>,
    pub protos: Box<[Gc<FnProto>]>,
    pub upvalues: Box<[UpvalDesc]>,
    pub line_info: Box<[u32]>,
    pub locvars: Box<[LocVar]>,
    pub num_params: u8,
    pub is_vararg: bool,
    pub max_stack: u8,
    pub line_defined: u32,
    pub last_line_defined: u32,
    /// Chunk name as given to `load` (shared by all functions of a chunk).
    pub source: Rc<str>,
    /// The plain-data form, kept for `string.dump`.
    pub origin: Rc<Proto>,
    /// The value each `123LL`-style literal constant made the first time it ran, by constant
    /// index (nil until then; empty when the function has none): one cdata per literal, as
    /// in LuaJIT (a boxed number cannot be changed, so sharing it is safe).
    pub literals: Box<[Cell<Value>]>,
    /// The loop compiler's state for this function's loops.
    pub jit: crate::jit::LoopCache,
}

impl FnProto {
    /// Name of the local variable in register `reg` at `pc`, if any (debug information).
    pub fn local_name(&self, reg: u32, pc: usize) -> Option<&str> {
        let mut n = reg as i64;
        for lv in self.locvars.iter() {
            if lv.start_pc as usize > pc {
                break;
            }
            if pc < lv.end_pc as usize {
                if n == 0 {
                    return Some(&lv.name);
                }
                n -= 1;
            }
        }
        None
    }

    pub fn line_at(&self, pc: usize) -> u32 {
        self.line_info.get(pc).copied().unwrap_or(0)
    }
}

// SAFETY: reports every constant and nested prototype (obligation 1); no allocation.
unsafe impl Trace for FnProto {
    fn trace(&self, tracer: &mut Tracer) {
        for &k in self.constants.iter() {
            tracer.mark_value(k);
        }
        for &p in self.protos.iter() {
            tracer.mark(p);
        }
        for v in self.literals.iter() {
            tracer.mark_value(v.get());
        }
        self.jit.trace(tracer);
    }
    fn extra_bytes(&self) -> usize {
        self.code.len() * 8 + self.constants.len() * 16
    }
}

/// A variable captured by a closure (Lua's UpVal).
///
/// `v` points at the variable wherever it lives, so reading or writing an upvalue is one
/// load of the pointer and one access, as in Lua: while the function that owns the variable
/// runs, at its stack slot (the upvalue is *open*); after that function returns, at `closed`
/// inside the upvalue itself (*closed*). Open upvalues are listed in their thread's
/// `open_upvals`, and the thread re-points them whenever its stack moves (`Stack::resize`).
pub struct UpVal {
    v: Cell<*mut Value>,
    closed: UnsafeCell<Value>,
    /// While open: the thread whose stack holds the variable (kept alive by this upvalue),
    /// and the slot.
    open: Cell<Option<(Gc<Thread>, usize)>>,
}

impl UpVal {
    /// Offset, from the address a `Gc<UpVal>` holds (its heap box), of the pointer to the
    /// variable: machine code reads and writes an upvalue's variable through it.
    pub(crate) const VARIABLE_POINTER_OFFSET: usize =
        std::mem::offset_of!(crate::gc::heap::GcBox<UpVal>, value) + std::mem::offset_of!(UpVal, v);

    /// A new open upvalue for slot `index` of `thread`'s stack, whose first slot is at `stack`.
    /// The caller lists it in the thread's `open_upvals` (so that it follows the stack).
    pub(crate) fn alloc_open(heap: &mut Heap, thread: Gc<Thread>, stack: *mut Value, index: usize) -> Gc<UpVal> {
        heap.alloc(UpVal {
            v: Cell::new(stack.wrapping_add(index)),
            closed: UnsafeCell::new(Value::Nil),
            open: Cell::new(Some((thread, index))),
        })
    }

    /// A new closed upvalue holding `v`.
    pub fn alloc_closed(heap: &mut Heap, v: Value) -> Gc<UpVal> {
        let uv =
            heap.alloc(UpVal { v: Cell::new(std::ptr::null_mut()), closed: UnsafeCell::new(v), open: Cell::new(None) });
        // The object no longer moves once allocated: point at its own slot.
        uv.v.set(uv.closed.get());
        uv
    }

    /// Where the variable is now (see `get` for why the pointer is valid).
    #[inline(always)]
    pub(crate) fn ptr(&self) -> *mut Value {
        self.v.get()
    }

    #[inline(always)]
    pub fn get(&self) -> Value {
        // SAFETY: `v` points either at `closed` (inside this live object) or, while open, at a
        // slot of the owning thread's stack: the thread is alive (this upvalue marks it), the
        // slot is inside its stack (a register of a running frame) and the thread re-points
        // open upvalues whenever the stack moves. The value is copied out.
        unsafe { *self.v.get() }
    }

    #[inline(always)]
    pub fn set(&self, v: Value) {
        // SAFETY: as in `get`; no reference to the slot is held across the write.
        unsafe { *self.v.get() = v }
    }

    /// The stack slot of an open upvalue; None once closed.
    #[inline(always)]
    pub fn open_index(&self) -> Option<usize> {
        self.open.get().map(|(_, index)| index)
    }

    /// Re-points an open upvalue at its slot in a stack that now starts at `stack`.
    pub(crate) fn follow_stack(&self, stack: *mut Value) {
        if let Some((_, index)) = self.open.get() {
            self.v.set(stack.wrapping_add(index));
        }
    }

    /// Moves the variable into the upvalue (its function returned or its block ended).
    pub fn close(&self) {
        let v = self.get();
        // SAFETY: no reference into `closed` is held anywhere (values are copied out).
        unsafe { *self.closed.get() = v };
        self.v.set(self.closed.get());
        self.open.set(None);
    }
}

// SAFETY: an open upvalue keeps its thread (whose stack holds the value) alive; a closed one
// its value (obligation 1). No allocation.
unsafe impl Trace for UpVal {
    fn trace(&self, tracer: &mut Tracer) {
        match self.open.get() {
            Some((thread, _)) => tracer.mark(thread),
            None => tracer.mark_value(self.get()),
        }
    }
}

pub struct LuaClosure {
    pub proto: Gc<FnProto>,
    /// Exactly one per upvalue of `proto` (checked by `new`): the verifier bounds upvalue
    /// operands by the prototype's count, so the dispatch loop indexes this without a check.
    pub upvals: Box<[UpvalRef]>,
}

impl LuaClosure {
    pub fn new(proto: Gc<FnProto>, upvals: &[Gc<UpVal>]) -> LuaClosure {
        assert_eq!(upvals.len(), proto.upvalues.len(), "a closure has one upvalue per upvalue of its prototype");
        LuaClosure { proto, upvals: upvals.iter().map(|&uv| UpvalRef::new(uv)).collect() }
    }

    /// Upvalue `n` of the closure (the one it links to now: `debug.upvaluejoin` may redirect
    /// the link).
    ///
    /// # Safety
    /// 1. `n < self.proto.upvalues.len()` (the verifier checks this of every upvalue operand).
    #[inline(always)]
    pub unsafe fn upval_unchecked(&self, n: usize) -> Gc<UpVal> {
        debug_assert!(n < self.upvals.len());
        // SAFETY: `upvals` has as many entries as the prototype has upvalues (`new`), and
        // obligation 1 bounds `n` by that count.
        unsafe { self.upvals.get_unchecked(n).target() }
    }
}

/// A closure's link to one of its upvalues. It derefs to the upvalue; `debug.upvaluejoin`
/// can redirect it to another closure's upvalue.
#[repr(transparent)]
pub struct UpvalRef(Cell<Gc<UpVal>>);

impl UpvalRef {
    pub fn new(uv: Gc<UpVal>) -> UpvalRef {
        UpvalRef(Cell::new(uv))
    }

    /// The upvalue linked to.
    #[inline(always)]
    pub fn target(&self) -> Gc<UpVal> {
        self.0.get()
    }

    pub fn redirect(&self, uv: Gc<UpVal>) {
        self.0.set(uv)
    }
}

impl std::ops::Deref for UpvalRef {
    type Target = UpVal;
    #[inline(always)]
    fn deref(&self) -> &UpVal {
        let uv: *const UpVal = &*self.0.get();
        // SAFETY: the upvalue is a live heap object (reachable through this closure at every
        // safe point); the reference points at the object, not at the cell, so a later
        // `redirect` does not invalidate it, and as for every `Gc` deref nobody holds it
        // across a safe point.
        unsafe { &*uv }
    }
}

// SAFETY: reports the prototype and every upvalue (obligation 1). No allocation.
unsafe impl Trace for LuaClosure {
    fn trace(&self, tracer: &mut Tracer) {
        tracer.mark(self.proto);
        for u in self.upvals.iter() {
            tracer.mark(u.target());
        }
    }
    fn extra_bytes(&self) -> usize {
        self.upvals.len() * 8
    }
}

/// A Rust function callable from Lua. Arguments are the current frame's stack slots
/// (`Lua::arg`); results are pushed (`Lua::push`) and their count returned.
pub type NativeFn = fn(&mut Lua) -> Result<usize, LuaError>;

/// A Rust closure callable from Lua (embedding API). It must not capture GC values: those go
/// in the `upvalues` of its `NativeClosure`, where the collector sees them.
pub type BoxedNativeFn = Rc<dyn Fn(&mut Lua) -> Result<usize, LuaError>>;

#[derive(Clone)]
pub enum NativeImpl {
    Fn(NativeFn),
    Boxed(BoxedNativeFn),
}

pub struct NativeClosure {
    pub func: NativeImpl,
    /// Name used in error messages (`bad argument #1 to 'insert'`).
    pub name: &'static str,
    pub upvalues: UnsafeCell<Vec<Value>>,
}

impl NativeClosure {
    pub fn upvalue(&self, i: usize) -> Value {
        // SAFETY: copied out, no reference held (same discipline as Table).
        unsafe { (&*self.upvalues.get()).get(i).copied().unwrap_or(Value::Nil) }
    }

    pub fn set_upvalue(&self, i: usize, v: Value) {
        // SAFETY: no reference into the vector is held across this write.
        let ups = unsafe { &mut *self.upvalues.get() };
        if i < ups.len() {
            ups[i] = v;
        }
    }

    /// Address of upvalue slot `i` (its identity for `debug.upvalueid`); the slots never move
    /// once the closure exists.
    pub fn upvalue_addr(&self, i: usize) -> Option<usize> {
        // SAFETY: address computation only; no reference is kept.
        let ups = unsafe { &*self.upvalues.get() };
        ups.get(i).map(|v| v as *const Value as usize)
    }

    pub fn upvalue_count(&self) -> usize {
        // SAFETY: length read only.
        unsafe { (&*self.upvalues.get()).len() }
    }
}

// SAFETY: reports every upvalue (obligation 1); boxed Rust closures may not capture GC values
// (documented on `BoxedNativeFn`). No allocation.
unsafe impl Trace for NativeClosure {
    fn trace(&self, tracer: &mut Tracer) {
        // SAFETY: read-only traversal during marking; nothing mutates the vector meanwhile.
        for &v in unsafe { &*self.upvalues.get() } {
            tracer.mark_value(v);
        }
    }
}

impl Lua {
    /// `Closure`: a closure of prototype `n` of the running function `cl` (whose frame starts
    /// at `base`), capturing its upvalues: open ones for registers, shared ones of `cl`.
    pub(crate) fn new_closure(&mut self, cl: Gc<LuaClosure>, base: usize, n: usize) -> Gc<LuaClosure> {
        let p = cl.proto.protos[n];
        let mut upvals = Vec::with_capacity(p.upvalues.len());
        for d in p.upvalues.iter() {
            upvals.push(if d.in_stack {
                self.find_upvalue(base + d.index as usize)
            } else {
                cl.upvals[d.index as usize].target()
            });
        }
        self.heap.alloc(LuaClosure::new(p, &upvals))
    }
}
