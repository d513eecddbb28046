//! The `Trace` trait and the marking machinery (gray stack, weak tables, ephemerons).

use super::heap::{ErasedPtr, Gc, WeakMode};
use crate::vm::string::LuaStr;
use crate::vm::table::Table;
use crate::vm::value::Value;

/// An object that lives in the GC heap.
///
/// # Safety
/// Implementors promise:
/// 1. `trace` reports, through the tracer, every `Gc` pointer the object stores whose target
///    must stay alive (a pointer not reported may be freed while still stored: use after free).
/// 2. `trace`, `extra_bytes`, `as_interned_str` and `as_value` do not allocate in the GC heap,
///    free objects or run script code (they run in the middle of a collection).
/// 3. `as_value(ptr)` is only called with the pointer to this very object, and returns a value
///    whose variant matches the object's real type.
pub unsafe trait Trace {
    fn trace(&self, tracer: &mut Tracer);

    /// Heap bytes owned by the object outside its box (vectors, strings), for pacing.
    fn extra_bytes(&self) -> usize {
        0
    }

    /// `Some` for interned strings, so the sweep can drop them from the intern table.
    fn as_interned_str(&self) -> Option<&LuaStr> {
        None
    }

    /// The object as a script value (for finalizers: tables and userdata).
    fn as_value(&self, _self_ptr: ErasedPtr) -> Option<Value> {
        None
    }
}

/// The mark phase's working state.
pub struct Tracer {
    gray: Vec<ErasedPtr>,
    weak_values: Vec<*const Table>,
    ephemerons: Vec<*const Table>,
    all_weak: Vec<*const Table>,
}

impl Tracer {
    pub(crate) fn new() -> Tracer {
        Tracer { gray: Vec::new(), weak_values: Vec::new(), ephemerons: Vec::new(), all_weak: Vec::new() }
    }

    #[inline]
    pub fn mark<T: Trace + 'static>(&mut self, obj: Gc<T>) {
        if !obj.header().set_marked() {
            self.gray.push(obj.erase());
        }
    }

    pub(crate) fn mark_erased(&mut self, ptr: ErasedPtr) {
        // SAFETY: callers pass pointers to live heap objects (roots or queued objects).
        let header = unsafe { &(*ptr.as_ptr()).header };
        if !header.set_marked() {
            self.gray.push(ptr);
        }
    }

    #[inline]
    pub fn mark_value(&mut self, v: Value) {
        match v {
            Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::LightUserData(_) => {}
            // Strings hold no references: mark without queueing.
            Value::Str(s) => {
                s.header().set_marked();
            }
            Value::Table(t) => self.mark(t),
            Value::LuaFn(f) => self.mark(f),
            Value::NativeFn(f) => self.mark(f),
            Value::UserData(u) => self.mark(u),
            Value::Thread(t) => self.mark(t),
        }
    }

    /// Called by `Table::trace` for a weak table instead of marking its entries.
    pub(crate) fn defer_weak(&mut self, table: &Table, mode: WeakMode) {
        let ptr = table as *const Table;
        match mode {
            WeakMode::Values => self.weak_values.push(ptr),
            WeakMode::Keys => self.ephemerons.push(ptr),
            WeakMode::Both => self.all_weak.push(ptr),
        }
    }

    /// Traces until nothing is gray, converging ephemeron tables (a value of a weak-key table
    /// is marked only once its key is).
    pub(crate) fn propagate_all(&mut self) {
        loop {
            while let Some(ptr) = self.gray.pop() {
                // SAFETY: gray objects are live (marked reachable objects are not freed before
                // the sweep, which happens after marking ends).
                let obj = unsafe { &(*ptr.as_ptr()).value };
                obj.trace(self);
            }
            let mut progressed = false;
            for i in 0..self.ephemerons.len() {
                // SAFETY: tables in the weak lists were reached in this mark phase: live.
                let table = unsafe { &*self.ephemerons[i] };
                progressed |= table.mark_ephemeron_values(self);
            }
            if !progressed && self.gray.is_empty() {
                break;
            }
        }
    }

    /// Whether a weak entry's object is dead. Strings count as values, never as dead
    /// objects (Lua's `iscleared`): they are marked instead.
    pub(crate) fn is_cleared(v: Value) -> bool {
        match v {
            Value::Str(s) => {
                s.header().set_marked();
                false
            }
            Value::Table(t) => !t.header().is_marked(),
            Value::LuaFn(f) => !f.header().is_marked(),
            Value::NativeFn(f) => !f.header().is_marked(),
            Value::UserData(u) => !u.header().is_marked(),
            Value::Thread(t) => !t.header().is_marked(),
            _ => false,
        }
    }

    pub(crate) fn clear_weak_values(&mut self) {
        for &ptr in self.weak_values.iter().chain(self.all_weak.iter()) {
            // SAFETY: reached in this mark phase, so live until the sweep.
            unsafe { &*ptr }.clear_entries(false, true);
        }
    }

    pub(crate) fn clear_weak_keys(&mut self) {
        for &ptr in self.ephemerons.iter().chain(self.all_weak.iter()) {
            // SAFETY: reached in this mark phase, so live until the sweep.
            unsafe { &*ptr }.clear_entries(true, false);
        }
    }
}

// SAFETY: a string holds no GC pointers (obligation 1); the methods only read the object.
unsafe impl Trace for LuaStr {
    fn trace(&self, _tracer: &mut Tracer) {}
    fn extra_bytes(&self) -> usize {
        self.len()
    }
    fn as_interned_str(&self) -> Option<&LuaStr> {
        if self.is_interned() {
            Some(self)
        } else {
            None
        }
    }
}
