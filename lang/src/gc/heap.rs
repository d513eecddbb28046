//! The GC heap: allocation, the object list, pacing, and the collection cycle.
//!
//! A precise, non-moving mark-and-sweep collector. Collection only happens at *safe points*
//! chosen by the VM (after allocating instructions, after a native function returns, on
//! `collectgarbage`), never inside `alloc`: at a safe point every live value is reachable from
//! a root (thread stacks, registry, globals, metatables), so Rust code never needs to root its
//! locals between two safe points. Safe points occur inside callbacks too (every Lua function
//! body has them), so a long-running native loop that calls scripts still collects.
//!
//! One cycle (`collect`), in Lua 5.4's order for weak tables and finalizers (manual §2.5.3–4):
//! 1. mark from the roots, propagate, converge ephemerons;
//! 2. clear weak values pointing to unmarked objects;
//! 3. move unmarked objects that have a `__gc` finalizer to the to-be-finalized queue and
//!    mark them (resurrection), propagate, converge again;
//! 4. clear weak keys and (again) weak values;
//! 5. sweep: free every unmarked object, unmark the rest.
//!
//! The VM then calls the queued finalizers, newest-marked first.

use super::pool::BlockPool;
use super::trace::{Trace, Tracer};
use crate::vm::string::LuaStr;
use crate::vm::value::Value;
use hashbrown::HashTable;
use std::alloc::Layout;
use std::cell::Cell;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// Header of every heap object.
pub struct Header {
    marked: Cell<bool>,
    /// Set while the object is in the finalizer list (`__gc` registered, not yet run).
    finalizable: Cell<bool>,
}

#[repr(C)]
pub struct GcBox<T: ?Sized> {
    pub(crate) header: Header,
    pub(crate) value: T,
}

/// A type-erased pointer to a heap object.
pub(crate) type ErasedPtr = NonNull<GcBox<dyn Trace>>;

/// A pointer to a live heap object.
///
/// Valid as long as the object is reachable from a root at every safe point; the VM's
/// discipline (values held across re-entrant calls live in stack slots or the registry) is
/// what makes dereferencing it sound.
pub struct Gc<T: ?Sized + 'static> {
    ptr: NonNull<GcBox<T>>,
    _marker: PhantomData<*const T>,
}

impl<T: ?Sized> Clone for Gc<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for Gc<T> {}

impl<T: ?Sized> Gc<T> {
    #[inline(always)]
    pub fn ptr_eq(a: Gc<T>, b: Gc<T>) -> bool {
        std::ptr::addr_eq(a.ptr.as_ptr(), b.ptr.as_ptr())
    }

    /// Address, for `tostring` (`table: 0x...`) and hashing.
    #[inline(always)]
    pub fn addr(self) -> usize {
        self.ptr.as_ptr() as *const u8 as usize
    }

    #[inline(always)]
    pub(crate) fn header(&self) -> &Header {
        // SAFETY: `ptr` points to a live GcBox (see the type's invariant).
        unsafe { &(*self.ptr.as_ptr()).header }
    }
}

impl<T: Trace + 'static> Gc<T> {
    #[inline(always)]
    pub(crate) fn erase(self) -> ErasedPtr {
        self.ptr
    }

    /// The same object seen as `U`, a type its `T` starts with (a `#[repr(C)]` struct whose
    /// first field is a `U`, as `UserData`'s inline payload holder).
    ///
    /// # Safety
    /// 1. `T` is `#[repr(C)]` with a `U` as its first field and `align_of::<T>() ==
    ///    align_of::<U>()`, so that `GcBox<U>`'s value is at the same offset as `GcBox<T>`'s.
    #[inline(always)]
    pub(crate) unsafe fn cast_prefix<U: Trace + 'static>(self) -> Gc<U> {
        Gc { ptr: self.ptr.cast(), _marker: PhantomData }
    }

    /// Recovers a typed pointer from an erased one.
    ///
    /// # Safety
    /// 1. `ptr` must point to a live heap object whose type is exactly `T`.
    pub(crate) unsafe fn from_erased(ptr: ErasedPtr) -> Gc<T> {
        Gc { ptr: ptr.cast(), _marker: PhantomData }
    }
}

impl<T: ?Sized> std::ops::Deref for Gc<T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: `ptr` points to a live GcBox: objects are only freed by `sweep`, which frees
        // only objects unreachable from the roots at a safe point, and the VM never keeps an
        // unrooted Gc across a safe point.
        unsafe { &(*self.ptr.as_ptr()).value }
    }
}

impl<T: ?Sized> std::fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Gc({:#x})", self.addr())
    }
}

/// Where an object reports memory it acquires or releases after allocation (a table's array
/// and node parts), so that pacing and `collectgarbage("count")` see it. The sweep recounts
/// every live object's `extra_bytes`, so a report only has to be right until the next cycle.
#[derive(Clone, Copy)]
pub struct MemoryMeter(Option<NonNull<Cell<usize>>>);

impl MemoryMeter {
    /// For objects that live outside any heap (unit tests): reports go nowhere.
    pub const DETACHED: MemoryMeter = MemoryMeter(None);

    #[inline]
    pub fn grew(self, bytes: usize) {
        if let Some(counter) = self.0 {
            // SAFETY: the counter is the heap's boxed `allocated`, which lives until the heap
            // is dropped; objects holding this meter are freed by the same heap before that
            // (`free_all` runs first in `Drop`), and they report only while live.
            let counter = unsafe { counter.as_ref() };
            counter.set(counter.get().wrapping_add(bytes));
        }
    }

    #[inline]
    pub fn shrank(self, bytes: usize) {
        if let Some(counter) = self.0 {
            // SAFETY: as in `grew`.
            let counter = unsafe { counter.as_ref() };
            counter.set(counter.get().saturating_sub(bytes));
        }
    }
}

/// Which objects a weak table lets go of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakMode {
    Keys,
    Values,
    Both,
}

/// Collector tuning as set by `collectgarbage`.
#[derive(Debug, Clone, Copy)]
pub struct GcParams {
    /// Percentage: the next cycle starts when the heap has grown to `pause`% of its size after
    /// the previous one (Lua's default is 200).
    pub pause: u32,
    /// Lua's step multiplier; kept for `collectgarbage("incremental")` round trips. With a
    /// stop-the-world cycle a "step" of any size finishes a cycle.
    pub step_mul: u32,
    pub step_size: u32,
    /// Generational parameters; accepted and reported, the collector is not generational.
    pub minor_mul: u32,
    pub major_mul: u32,
    pub generational: bool,
}

impl Default for GcParams {
    fn default() -> Self {
        GcParams { pause: 200, step_mul: 100, step_size: 13, minor_mul: 20, major_mul: 100, generational: false }
    }
}

pub struct Heap {
    objects: Vec<ErasedPtr>,
    /// Blocks of swept objects kept for the next allocations.
    pool: BlockPool,
    /// Short strings, interned: equal short strings are the same object.
    strings: HashTable<Gc<LuaStr>>,
    /// Objects with a registered `__gc`, oldest first.
    finobj: Vec<ErasedPtr>,
    /// Unreachable objects whose finalizer must run, in the order to run them.
    tobefnz: VecDeque<ErasedPtr>,
    /// Bytes attributed to live objects after the last cycle plus allocations since. Boxed so
    /// that objects which grow after allocation (tables) can report to it through a
    /// `MemoryMeter` without a reference to the heap.
    allocated: Box<Cell<usize>>,
    threshold: usize,
    /// `collectgarbage("stop")` sets this to false.
    pub running: bool,
    pub params: GcParams,
    /// Number of completed cycles (for tests and `collectgarbage("step")` answers).
    pub cycles: u64,
    /// Collect at every safe point after any allocation (`RIVET_GC_STRESS=1`): makes a value
    /// that some Rust code forgot to root die at once instead of some day.
    stress: bool,
}

const MIN_THRESHOLD: usize = 256 * 1024;

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    pub fn new() -> Heap {
        let stress = std::env::var_os("RIVET_GC_STRESS").is_some_and(|v| v == "1");
        Heap {
            objects: Vec::new(),
            pool: BlockPool::default(),
            strings: HashTable::new(),
            finobj: Vec::new(),
            tobefnz: VecDeque::new(),
            allocated: Box::new(Cell::new(0)),
            threshold: if stress { 0 } else { MIN_THRESHOLD },
            running: true,
            params: GcParams::default(),
            cycles: 0,
            stress,
        }
    }

    /// Moves `value` into the heap.
    pub fn alloc<T: Trace + 'static>(&mut self, value: T) -> Gc<T> {
        self.meter().grew(std::mem::size_of::<GcBox<T>>() + value.extra_bytes());
        let ptr = self.new_block::<T>();
        // SAFETY: `new_block` gives memory for a `GcBox<T>`, written whole here.
        unsafe {
            ptr.as_ptr()
                .write(GcBox { header: Header { marked: Cell::new(false), finalizable: Cell::new(false) }, value })
        };
        self.objects.push(ptr as ErasedPtr);
        Gc { ptr, _marker: PhantomData }
    }

    /// Uninitialized memory for a `GcBox<T>`: a block of the pool, or a new allocation.
    #[inline]
    fn new_block<T: Trace + 'static>(&mut self) -> NonNull<GcBox<T>> {
        let layout = Layout::new::<GcBox<T>>();
        if let Some(block) = self.pool.take(layout) {
            return block.cast();
        }
        // SAFETY: `GcBox` has a header, so its layout is never zero-sized.
        match NonNull::new(unsafe { std::alloc::alloc(layout) }) {
            Some(p) => p.cast(),
            None => std::alloc::handle_alloc_error(layout),
        }
    }

    /// Makes a heap object by writing it in place: `init` gets the address of the object's
    /// (uninitialized) value. Large objects built in a local and moved in are copied with a
    /// call to `memcpy`; built in place, each part is stored once.
    ///
    /// # Safety
    /// 1. `init` initializes the whole value at the address it is given (every field).
    #[inline(always)]
    pub(crate) unsafe fn alloc_in_place<T: Trace + 'static>(
        &mut self,
        extra_bytes: usize,
        init: impl FnOnce(*mut T),
    ) -> Gc<T> {
        self.meter().grew(std::mem::size_of::<GcBox<T>>() + extra_bytes);
        let ptr = self.new_block::<T>();
        let p = ptr.as_ptr();
        // SAFETY: `p` is memory for a `GcBox<T>`; the header is written here and the value by
        // `init` (obligation 1), so the object is whole when it joins the heap.
        unsafe {
            std::ptr::addr_of_mut!((*p).header)
                .write(Header { marked: Cell::new(false), finalizable: Cell::new(false) });
            init(std::ptr::addr_of_mut!((*p).value));
        }
        self.objects.push(ptr as ErasedPtr);
        Gc { ptr, _marker: PhantomData }
    }

    /// Accounts for memory an object acquired after allocation (a growing table or stack), so
    /// pacing sees it.
    #[inline]
    pub fn note_growth(&mut self, bytes: usize) {
        self.meter().grew(bytes);
    }

    /// The handle through which objects report memory they acquire or release after
    /// allocation.
    #[inline(always)]
    pub fn meter(&self) -> MemoryMeter {
        MemoryMeter(Some(NonNull::from(&*self.allocated)))
    }

    /// Bytes in use, as `collectgarbage("count")` reports them (in KiB there).
    pub fn bytes_in_use(&self) -> usize {
        self.allocated.get()
    }

    /// Offsets of the pointer to the allocated-bytes count and of the threshold, for machine
    /// code that checks `should_collect`'s first condition itself (`crate::jit`).
    pub(crate) const ALLOCATED_POINTER_OFFSET: usize = std::mem::offset_of!(Heap, allocated);
    pub(crate) const THRESHOLD_OFFSET: usize = std::mem::offset_of!(Heap, threshold);

    /// True when allocation since the last cycle calls for a new one.
    #[inline(always)]
    pub fn should_collect(&self) -> bool {
        self.allocated.get() >= self.threshold && self.running
    }

    /// Forces `should_collect` to answer true at the next safe point.
    pub fn request_collection(&mut self) {
        self.threshold = 0;
    }

    /// The interned short string with these bytes, allocating it if needed.
    pub fn intern(&mut self, bytes: &[u8]) -> Gc<LuaStr> {
        let hash = LuaStr::hash_bytes(bytes);
        if bytes.len() <= LuaStr::MAX_SHORT {
            if let Some(found) = self.strings.find(hash, |s| s.as_bytes() == bytes) {
                // An interned string that is unmarked but not yet swept cannot exist here:
                // sweeping happens inside `collect`, not between safe points.
                return *found;
            }
            let s = self.alloc(LuaStr::new(bytes, hash, true));
            self.strings.insert_unique(hash, s, |s| s.hash());
            s
        } else {
            self.alloc(LuaStr::new(bytes, hash, false))
        }
    }

    /// Registers `obj` for finalization (its metatable got a `__gc` field); Lua's
    /// `luaC_checkfinalizer`. Registering twice is a no-op.
    pub fn register_finalizer<T: Trace + 'static>(&mut self, obj: Gc<T>) {
        if !obj.header().finalizable.get() {
            obj.header().finalizable.set(true);
            self.finobj.push(obj.erase());
        }
    }

    /// Next object whose finalizer must run, if any; the caller runs its `__gc`.
    pub fn next_to_finalize(&mut self) -> Option<Value> {
        let ptr = self.tobefnz.pop_front()?;
        // SAFETY: objects in `tobefnz` were marked (resurrected) by the cycle that queued them
        // and are traced as roots by `collect` until popped, so the pointer is live.
        let obj = unsafe { &(*ptr.as_ptr()).value };
        obj.as_value(ptr)
    }

    pub fn has_pending_finalizers(&self) -> bool {
        !self.tobefnz.is_empty()
    }

    /// Runs a whole collection cycle. `mark_roots` must mark every root.
    pub fn collect(&mut self, mark_roots: impl FnOnce(&mut Tracer)) {
        let mut tracer = Tracer::new();
        // Objects waiting for their finalizer are roots until it has run.
        for &ptr in &self.tobefnz {
            tracer.mark_erased(ptr);
        }
        mark_roots(&mut tracer);
        tracer.propagate_all();

        // Lua 5.4 atomic(): clear weak values before resurrecting finalizable objects, so
        // they are removed from weak values before their finalizers run (manual §2.5.4).
        tracer.clear_weak_values();

        // Separate unreachable finalizable objects, newest first (finalizers run in the
        // reverse order of registration), and resurrect them for their finalizer.
        let mut still_registered = Vec::with_capacity(self.finobj.len());
        let mut newly_dead = Vec::new();
        for &ptr in &self.finobj {
            // SAFETY: objects in `finobj` are live until swept; this cycle has not swept yet.
            let header = unsafe { &(*ptr.as_ptr()).header };
            if header.marked.get() {
                still_registered.push(ptr);
            } else {
                header.finalizable.set(false);
                newly_dead.push(ptr);
            }
        }
        self.finobj = still_registered;
        for &ptr in newly_dead.iter().rev() {
            tracer.mark_erased(ptr);
            self.tobefnz.push_back(ptr);
        }
        tracer.propagate_all();

        tracer.clear_weak_keys();
        tracer.clear_weak_values();
        drop(tracer);

        self.sweep();
        self.cycles += 1;
        let live = self.allocated.get().max(1);
        let grow = live.saturating_mul(self.params.pause as usize) / 100;
        self.threshold = if self.stress { self.allocated.get() + 1 } else { grow.max(MIN_THRESHOLD) };
        // Until the next cycle the heap grows by this much, with objects like those just
        // freed: keep that much of their blocks for them. (Under stress, a fixed amount: the
        // pool's reuse is exercised too.)
        let budget = if self.stress { MIN_THRESHOLD } else { self.threshold.saturating_sub(self.allocated.get()) };
        self.pool.set_budget(budget);
    }

    fn sweep(&mut self) {
        let strings = &mut self.strings;
        let pool = &mut self.pool;
        let mut live_bytes = 0usize;
        self.objects.retain(|&ptr| {
            // SAFETY: every pointer in `objects` is a live allocation made by `alloc` and not
            // yet freed (it is removed from the list in the same step that frees it).
            let gc_box = unsafe { &*ptr.as_ptr() };
            if gc_box.header.marked.get() {
                gc_box.header.marked.set(false);
                live_bytes += std::mem::size_of_val(gc_box) + gc_box.value.extra_bytes();
                true
            } else {
                if let Some(s) = gc_box.value.as_interned_str() {
                    let hash = s.hash();
                    if let Ok(entry) = strings
                        .find_entry(hash, |x| std::ptr::addr_eq(x.addr() as *const u8, ptr.as_ptr() as *const u8))
                    {
                        entry.remove();
                    }
                }
                // SAFETY: `ptr` came from `new_block` (the global allocator, with the layout
                // of its type), the object is unreachable (unmarked after a complete mark
                // phase), and it is removed from `objects` by returning false, so it is
                // dropped and its block released exactly once and never used again.
                unsafe { release(pool, ptr) };
                false
            }
        });
        self.allocated.set(live_bytes);
    }

    /// Frees everything (runtime shutdown). Finalizers are not run here; the VM runs them
    /// before dropping the heap, as `lua_close` does.
    fn free_all(&mut self) {
        self.strings.clear();
        self.finobj.clear();
        self.tobefnz.clear();
        self.pool.set_budget(0);
        for ptr in std::mem::take(&mut self.objects) {
            // SAFETY: each pointer came from `new_block` and is released once here; the heap
            // is being dropped, so no Gc handle is used afterwards.
            unsafe { release(&mut self.pool, ptr) };
        }
    }

    /// Registered-for-finalization objects, newest first: `lua_close` finalizes them all.
    pub fn take_all_finalizable(&mut self) -> Vec<Value> {
        let list = std::mem::take(&mut self.finobj);
        list.into_iter()
            .rev()
            .filter_map(|ptr| {
                // SAFETY: objects in `finobj` are live (not swept while registered).
                let gc_box = unsafe { &*ptr.as_ptr() };
                gc_box.header.finalizable.set(false);
                gc_box.value.as_value(ptr)
            })
            .collect()
    }

    pub fn object_count(&self) -> usize {
        self.objects.len()
    }
}

/// Drops the object at `ptr` and gives its block to the pool (or back to the allocator).
///
/// # Safety
/// 1. `ptr` came from `Heap::new_block` and was initialized; it is never used again.
#[inline]
unsafe fn release(pool: &mut BlockPool, ptr: ErasedPtr) {
    // SAFETY: by obligation 1 the object is live until dropped here, and its block was
    // allocated with the layout of its type (what `for_value` reads from its vtable).
    unsafe {
        let layout = Layout::for_value(&*ptr.as_ptr());
        std::ptr::drop_in_place(ptr.as_ptr());
        pool.give(ptr.cast(), layout);
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.free_all();
    }
}

impl Header {
    #[inline(always)]
    pub(crate) fn is_marked(&self) -> bool {
        self.marked.get()
    }
    #[inline(always)]
    pub(crate) fn set_marked(&self) -> bool {
        let was = self.marked.get();
        self.marked.set(true);
        was
    }
}

/// Helper for tables: reads the weak mode from a `__mode` string.
pub fn weak_mode_of(mode: &[u8]) -> Option<WeakMode> {
    let k = mode.contains(&b'k');
    let v = mode.contains(&b'v');
    match (k, v) {
        (true, true) => Some(WeakMode::Both),
        (true, false) => Some(WeakMode::Keys),
        (false, true) => Some(WeakMode::Values),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::vm::table::Table;
    use crate::vm::{Lua, Value};

    #[test]
    fn unreachable_cycles_are_freed_and_reachable_objects_kept() {
        let mut lua = Lua::new();
        lua.collect_garbage();
        let base = lua.heap_mut().object_count();
        for _ in 0..1000 {
            let a = lua.new_table();
            let b = lua.new_table();
            a.set_int(1, Value::Table(b));
            b.set_int(1, Value::Table(a));
        }
        let kept = lua.new_table();
        lua.set_global("kept", Value::Table(kept));
        lua.collect_garbage();
        let after = lua.heap_mut().object_count();
        assert!(after <= base + 3, "cycles must be collected: {base} -> {after}");
        assert!(matches!(lua.get_global("kept"), Value::Table(t) if crate::gc::Gc::ptr_eq(t, kept)));
    }

    #[test]
    fn interned_strings_are_shared_and_swept() {
        let mut lua = Lua::new();
        let a = lua.new_string(b"hello");
        let b = lua.new_string(b"hello");
        assert!(crate::gc::Gc::ptr_eq(a, b));
        let long = vec![b'x'; 100];
        let c = lua.new_string(&long);
        let d = lua.new_string(&long);
        assert!(!crate::gc::Gc::ptr_eq(c, d) && Value::Str(c).raw_eq(Value::Str(d)));
        lua.collect_garbage();
        // Unrooted strings were freed; interning again must still work.
        let e = lua.new_string(b"hello");
        assert_eq!(e.as_bytes(), b"hello");
    }

    #[test]
    fn weak_values_and_ephemerons_are_cleared() {
        let mut lua = Lua::new();
        let weak = lua.new_table();
        let mt = lua.new_table();
        let mode = lua.str_value("kv");
        lua.set_field(mt, "__mode", mode);
        weak.set_metatable(Some(mt));
        lua.set_global("weak", Value::Table(weak));
        let key = lua.new_table();
        let val = lua.new_table();
        val.set_int(1, Value::Table(key)); // value refers to its key: an ephemeron cycle
        weak.set(Value::Table(key), Value::Table(val)).unwrap();
        let s = lua.str_value("strings are values");
        weak.set_int(1, s);
        lua.collect_garbage();
        assert!(weak.get(Value::Table(key)).is_nil());
        assert!(weak.get_int(1).raw_eq(s), "strings are never removed from weak tables");
        let _ = Table::new(0, 0);
    }
}
