//! Functions at run time: loaded prototypes, Lua closures with their upvalues, and native
//! (Rust) functions.

use super::error::LuaError;
use super::state::Lua;
use super::thread::Thread;
use super::value::Value;
use crate::bytecode::{Instr, LocVar, Proto, UpvalDesc};
use crate::gc::{Gc, Trace, Tracer};
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
    }
    fn extra_bytes(&self) -> usize {
        self.code.len() * 8 + self.constants.len() * 16
    }
}

/// Where an upvalue's variable lives.
#[derive(Clone, Copy)]
pub enum UpState {
    /// Still a register of a running function: `thread`'s stack slot `index`.
    Open { thread: Gc<Thread>, index: usize },
    /// The function that owned it returned: the upvalue holds the value itself.
    Closed(Value),
}

pub struct UpVal {
    state: UnsafeCell<UpState>,
}

impl UpVal {
    pub fn new_open(thread: Gc<Thread>, index: usize) -> UpVal {
        UpVal { state: UnsafeCell::new(UpState::Open { thread, index }) }
    }

    pub fn new_closed(v: Value) -> UpVal {
        UpVal { state: UnsafeCell::new(UpState::Closed(v)) }
    }

    #[inline(always)]
    pub fn state(&self) -> UpState {
        // SAFETY: the state is copied out; no reference escapes (same discipline as Table).
        unsafe { *self.state.get() }
    }

    #[inline(always)]
    pub fn set_state(&self, s: UpState) {
        // SAFETY: no reference into the state is ever held across this write.
        unsafe { *self.state.get() = s }
    }

    #[inline(always)]
    pub fn get(&self) -> Value {
        match self.state() {
            UpState::Closed(v) => v,
            UpState::Open { thread, index } => thread.stack_get(index),
        }
    }

    #[inline(always)]
    pub fn set(&self, v: Value) {
        match self.state() {
            UpState::Closed(_) => self.set_state(UpState::Closed(v)),
            UpState::Open { thread, index } => thread.stack_set(index, v),
        }
    }

    pub fn close(&self) {
        let v = self.get();
        self.set_state(UpState::Closed(v));
    }

    pub fn open_index(&self) -> Option<usize> {
        match self.state() {
            UpState::Open { index, .. } => Some(index),
            UpState::Closed(_) => None,
        }
    }
}

// SAFETY: an open upvalue keeps its thread (whose stack holds the value) alive; a closed one
// its value (obligation 1). No allocation.
unsafe impl Trace for UpVal {
    fn trace(&self, tracer: &mut Tracer) {
        match self.state() {
            UpState::Open { thread, .. } => tracer.mark(thread),
            UpState::Closed(v) => tracer.mark_value(v),
        }
    }
}

pub struct LuaClosure {
    pub proto: Gc<FnProto>,
    pub upvals: Box<[UpvalRef]>,
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
