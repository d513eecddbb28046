//! Lua tables: an array part for integer keys `1..=asize` and a node part for every other
//! key (`node.rs`), sized together by Lua's rule (`resize.rs`).
//!
//! Both parts are single allocations owned through raw pointers, so a table is small (an
//! empty table allocates nothing) and a lookup is a few loads: an array index, or a masked
//! hash and a short chain of key comparisons (interned strings by pointer). Growth and
//! shrinkage are reported to the heap's `MemoryMeter`, so pacing and
//! `collectgarbage("count")` see table memory.
//!
//! Assigning nil never moves anything: the slot or node keeps its place (a node keeps its
//! key), which is what `next` needs so that fields can be cleared during a traversal (manual
//! §6.1). Only inserting a new key can rebuild the table.
//!
//! Interior mutability: every method takes `&self` and touches the data only for the
//! duration of the call, never calling out (no metamethods, no allocation in the GC heap)
//! while the data is borrowed. That is the invariant that makes the `UnsafeCell` sound.

mod hash_part;
mod node;
mod resize;
#[cfg(test)]
mod tests;

use super::metamethod::Tm;
use super::string::LuaStr;
use super::value::Value;
use crate::gc::heap::{weak_mode_of, ErasedPtr};
use crate::gc::{Gc, MemoryMeter, Trace, Tracer, WeakMode};
use hash_part::{empty_node_part, free_block};
use node::Node;
use resize::{free_array, MAX_ARRAY_SIZE};
use std::cell::{Cell, UnsafeCell};
use std::ptr::NonNull;

pub struct Table {
    data: UnsafeCell<TableData>,
    /// Bit set of metamethod events known to be absent when this table is a metatable
    /// (Lua's `flags` cache); cleared by every store of a string key.
    absent_events: Cell<u32>,
}

struct TableData {
    /// `asize` values (dangling when 0).
    array: NonNull<Value>,
    asize: u32,
    /// Where `#` starts looking for a border (Lua's `alimit`): at most `asize`, and below it
    /// only when `asize` is a power of two, as in Lua, so `#` answers as Lua 5.4 does.
    len_hint: u32,
    /// The node part (see `node.rs` for its invariants).
    nodes: NonNull<Node>,
    node_mask: u32,
    /// Unused nodes are searched for below this index.
    last_free: u32,
    metatable: Option<Gc<Table>>,
    meter: MemoryMeter,
}

const _: () = assert!(std::mem::size_of::<Table>() <= 56);

/// `next` was given a key that is not in the table ("invalid key to 'next'").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAKey;

/// Why a key cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Nil,
    NaN,
}

/// Floats with an exact integer value are stored as integers (manual §3.4.3: `2^53` and
/// `2^53|0` index the same field).
#[inline(always)]
pub fn normalize_key(key: Value) -> Value {
    if let Value::Float(f) = key {
        if let Some(i) = super::arith::tointeger(f) {
            return Value::Int(i);
        }
    }
    key
}

/// The value of a node found by a lookup, or nil.
#[inline(always)]
fn value_in(node: Option<NonNull<Node>>) -> Value {
    match node {
        // SAFETY: lookups return nodes of the table's own block (N1), which stays allocated
        // while the table is borrowed; no `&mut` to it exists during this read.
        Some(n) => unsafe { n.as_ref() }.value(),
        None => Value::Nil,
    }
}

/// Stores into a node found by a lookup.
#[inline(always)]
fn store_in(node: NonNull<Node>, value: Value) {
    // SAFETY: lookups return nodes of an owned block (never the shared empty node: its nil
    // key matches no lookup), and no other reference to the node is live.
    unsafe { (*node.as_ptr()).set_value(value) };
}

impl Default for Table {
    fn default() -> Self {
        Table::new(0, 0)
    }
}

impl Table {
    /// A table outside any heap (its memory is not reported anywhere).
    pub fn new(array_hint: usize, hash_hint: usize) -> Table {
        Table::with_meter(MemoryMeter::DETACHED, array_hint, hash_hint)
    }

    /// A table with room for `array_hint` array entries and `hash_hint` other keys, reporting
    /// later growth to `meter` (its initial size is counted by the heap's `alloc`).
    pub fn with_meter(meter: MemoryMeter, array_hint: usize, hash_hint: usize) -> Table {
        let mut data = TableData {
            array: NonNull::dangling(),
            asize: 0,
            len_hint: 0,
            nodes: empty_node_part(),
            node_mask: 0,
            last_free: 0,
            metatable: None,
            meter: MemoryMeter::DETACHED,
        };
        if array_hint > 0 || hash_hint > 0 {
            data.resize(array_hint.min(MAX_ARRAY_SIZE as usize), hash_hint);
        }
        data.meter = meter;
        Table { data: UnsafeCell::new(data), absent_events: Cell::new(0) }
    }

    #[inline(always)]
    fn data(&self) -> &TableData {
        // SAFETY: see the module doc: no `&mut TableData` outlives a method call, and no
        // method calls out while holding one, so this shared borrow never aliases a mutable one.
        unsafe { &*self.data.get() }
    }

    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn data_mut(&self) -> &mut TableData {
        // SAFETY: as for `data`: the borrow is confined to one method body that neither calls
        // out nor creates a second borrow of the same table while this one is in use.
        unsafe { &mut *self.data.get() }
    }

    #[inline(always)]
    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.data().metatable
    }

    pub fn set_metatable(&self, mt: Option<Gc<Table>>) {
        self.data_mut().metatable = mt;
    }

    #[inline(always)]
    pub fn absent_events(&self) -> u32 {
        self.absent_events.get()
    }

    #[inline(always)]
    pub fn mark_event_absent(&self, bit: u32) {
        self.absent_events.set(self.absent_events.get() | bit);
    }

    /// Raw get (`rawget`) of any key.
    #[inline]
    pub fn get(&self, key: Value) -> Value {
        match key {
            Value::Int(i) => self.get_int(i),
            Value::Str(s) => self.get_str(s),
            Value::Nil => Value::Nil,
            Value::Float(_) => match normalize_key(key) {
                Value::Int(i) => self.get_int(i),
                k => value_in(self.data().find(k)),
            },
            _ => value_in(self.data().find(key)),
        }
    }

    #[inline(always)]
    pub fn get_int(&self, i: i64) -> Value {
        let d = self.data();
        let idx = (i as u64).wrapping_sub(1);
        if idx < u64::from(d.asize) {
            // SAFETY: `idx < asize`: inside the array part.
            return unsafe { &*d.array.as_ptr().add(idx as usize) }.load();
        }
        value_in(d.find_int(i))
    }

    #[inline(always)]
    pub fn get_str(&self, s: Gc<LuaStr>) -> Value {
        value_in(self.data().find_str(s))
    }

    /// Lookup by the bytes of a string key, without needing an interned handle.
    pub fn get_str_bytes(&self, bytes: &[u8]) -> Value {
        value_in(self.data().find_str_bytes(bytes))
    }

    /// Raw set (`rawset`). Returns an error for a nil or NaN key.
    #[inline]
    pub fn set(&self, key: Value, value: Value) -> Result<(), KeyError> {
        match key {
            Value::Int(i) => self.set_int(i, value),
            Value::Str(s) => self.set_str(s, value),
            Value::Nil => return Err(KeyError::Nil),
            Value::Float(f) if f.is_nan() => return Err(KeyError::NaN),
            Value::Float(_) => match normalize_key(key) {
                Value::Int(i) => self.set_int(i, value),
                k => self.data_mut().set_in_nodes(k, value),
            },
            _ => self.data_mut().set_in_nodes(key, value),
        }
        Ok(())
    }

    #[inline(always)]
    pub fn set_int(&self, i: i64, value: Value) {
        let d = self.data_mut();
        let idx = (i as u64).wrapping_sub(1);
        if idx < u64::from(d.asize) {
            // SAFETY: `idx < asize`: inside the array part.
            unsafe { &mut *d.array.as_ptr().add(idx as usize) }.store(value);
            return;
        }
        d.set_int_in_nodes(i, value);
    }

    #[inline(always)]
    pub fn set_str(&self, key: Gc<LuaStr>, value: Value) {
        // The key may be a metamethod name whose absence was cached.
        self.absent_events.set(0);
        let d = self.data_mut();
        match d.find_str(key) {
            Some(node) => store_in(node, value),
            None => d.insert_absent(Value::Str(key), value),
        }
    }

    /// Stores into a field that exists with a non-nil value (so no `__newindex` can apply)
    /// and returns true; returns false, changing nothing, when the field is absent or nil.
    #[inline(always)]
    pub fn set_if_present(&self, key: Value, value: Value) -> bool {
        match key {
            Value::Str(s) => match self.data().find_str(s) {
                Some(n) if !value_in(Some(n)).is_nil() => {
                    store_in(n, value);
                    true
                }
                _ => false,
            },
            _ => self.set_if_present_slow(key, value),
        }
    }

    fn set_if_present_slow(&self, key: Value, value: Value) -> bool {
        let d = self.data_mut();
        let node = match key {
            Value::Int(i) => {
                let idx = (i as u64).wrapping_sub(1);
                if idx < u64::from(d.asize) {
                    // SAFETY: `idx < asize`: inside the array part.
                    let slot = unsafe { &mut *d.array.as_ptr().add(idx as usize) };
                    if slot.is_nil() {
                        return false;
                    }
                    slot.store(value);
                    return true;
                }
                d.find_int(i)
            }
            Value::Str(s) => d.find_str(s),
            Value::Nil => None,
            other => match normalize_key(other) {
                Value::Int(i) => return self.set_if_present_slow(Value::Int(i), value),
                k => d.find(k),
            },
        };
        match node {
            Some(n) if !value_in(Some(n)).is_nil() => {
                store_in(n, value);
                true
            }
            _ => false,
        }
    }

    /// Stores `values` at `first`, `first + 1`, ... (a constructor's list items, `SETLIST`),
    /// first growing the array part to hold them all, as Lua does.
    pub fn set_list(&self, first: usize, values: &[Value]) {
        let last = first + values.len() - 1;
        let d = self.data_mut();
        if !values.is_empty() && last > d.asize as usize && last as u64 <= MAX_ARRAY_SIZE {
            let node_keys = d.node_block_size();
            d.resize(last, node_keys);
        }
        for (j, &v) in values.iter().enumerate() {
            self.set_int((first + j) as i64, v);
        }
    }

    /// The length operator without metamethods: a border (manual §3.4.7).
    ///
    /// The search is Lua 5.4's (a hint where the last answer was, bisection in the array
    /// part, unbound search past it), so tables with holes give lua5.4's answers, with one
    /// shortcut: when the slot after the hint is filled and the one after it is empty, that
    /// is the border. Appending with `t[#t + 1] = v` then takes constant time, where Lua
    /// bisects the rest of the array part each time (and may pick another border if the
    /// table has holes further on).
    #[inline]
    #[allow(clippy::len_without_is_empty)] // a border, not a count: emptiness is `next(nil)`
    pub fn len(&self) -> i64 {
        let d = self.data_mut();
        let (asize, limit) = (d.asize, d.len_hint);
        if limit < asize {
            let array = d.array_slice();
            let present = |k: u32| !array[k as usize - 1].is_nil();
            if limit == 0 || present(limit) {
                if !present(limit + 1) {
                    return i64::from(limit);
                }
                if limit + 1 < asize && !present(limit + 2) {
                    d.len_hint = limit + 1;
                    return i64::from(limit + 1);
                }
            }
        }
        self.len_search()
    }

    /// `len` beyond its shortcuts: Lua 5.4's border search.
    #[inline(never)]
    fn len_search(&self) -> i64 {
        let d = self.data_mut();
        let asize = d.asize;
        let limit = d.len_hint;
        let array = d.array_slice();
        let absent = |k: u32| array[k as usize - 1].is_nil();
        if limit > 0 && absent(limit) {
            // There is a border below the hint.
            if limit >= 2 && !absent(limit - 1) {
                if asize.is_power_of_two() && !(limit - 1).is_power_of_two() {
                    d.len_hint = limit - 1;
                }
                return i64::from(limit - 1);
            }
            let border = array_border(array, 0, limit);
            if asize.is_power_of_two() && border > asize / 2 {
                d.len_hint = border;
            }
            return i64::from(border);
        }
        if limit != asize {
            // `limit` is 0 or present, and below the array's end.
            if absent(limit + 1) {
                return i64::from(limit);
            }
            if absent(asize) {
                let border = array_border(array, limit, asize);
                d.len_hint = border;
                return i64::from(border);
            }
            d.len_hint = asize;
        }
        // The array part is empty or its last slot is present: look past it.
        if value_in(d.find_int(i64::from(asize) + 1)).is_nil() {
            return i64::from(asize);
        }
        d.node_border(u64::from(asize))
    }

    /// Traversal (`next`): the entry after `key`, or `None` at the end. `Err` for a key that
    /// is not in the table. The order is the array part, then the nodes in block order.
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, NotAKey> {
        let d = self.data();
        let array = d.array_slice();
        let mut i = match normalize_key(key) {
            Value::Nil => 0,
            Value::Int(k) if k >= 1 && (k as u64) <= array.len() as u64 => k as usize,
            k => match d.find_for_next(k) {
                Some(node) => array.len() + d.node_index(node) + 1,
                None => return Err(NotAKey),
            },
        };
        while i < array.len() {
            let v = array[i];
            if !v.is_nil() {
                return Ok(Some((Value::Int(i as i64 + 1), v)));
            }
            i += 1;
        }
        let nodes = d.node_slice();
        Ok(nodes[i - array.len()..].iter().find(|n| !n.value_is_nil()).map(|n| (n.key(), n.value())))
    }

    /// Number of slots in the array part.
    pub fn array_len(&self) -> usize {
        self.data().asize as usize
    }

    fn weak_mode(&self) -> Option<WeakMode> {
        let mt = self.data().metatable?;
        let bit = 1u32 << (Tm::Mode as u32);
        if mt.absent_events() & bit != 0 {
            return None;
        }
        match mt.get_str_bytes(b"__mode") {
            Value::Str(s) => weak_mode_of(s.as_bytes()),
            Value::Nil => {
                mt.mark_event_absent(bit);
                None
            }
            _ => None,
        }
    }

    /// Ephemeron convergence step: marks values whose keys are reachable. Returns whether
    /// anything was newly marked.
    pub(crate) fn mark_ephemeron_values(&self, tracer: &mut Tracer) -> bool {
        let mut progressed = false;
        for node in self.data().node_slice() {
            if node.value_is_nil() || Tracer::is_cleared(node.key()) {
                continue;
            }
            if Tracer::is_cleared(node.value()) {
                tracer.mark_value(node.value());
                progressed = true;
            }
        }
        progressed
    }

    /// Clears entries whose key (`keys`) or value (`values`) is a dead object. The keys stay
    /// in their nodes, marked dead, so a traversal in progress is not disturbed.
    pub(crate) fn clear_entries(&self, keys: bool, values: bool) {
        let d = self.data_mut();
        if values {
            for v in d.array_slice_mut() {
                if Tracer::is_cleared(*v) {
                    *v = Value::Nil;
                }
            }
        }
        for node in d.node_slice_mut() {
            if node.value_is_nil() {
                continue;
            }
            if (keys && Tracer::is_cleared(node.key())) || (values && Tracer::is_cleared(node.value())) {
                node.set_value(Value::Nil);
                node.kill_key_if_unset();
            }
        }
    }
}

/// A border of `array` in `(lo, hi)` by bisection (`lo` is 0 or a present slot, `hi` an
/// absent one; slots are numbered from 1).
fn array_border(array: &[Value], mut lo: u32, mut hi: u32) -> u32 {
    assert!(lo < hi && hi as usize <= array.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        // SAFETY: `lo < mid < hi <= array.len()`, so slot `mid` (index `mid - 1`) exists.
        let absent = unsafe { array.get_unchecked(mid as usize - 1) }.is_nil();
        // Select rather than branch: which half holds the border is unpredictable.
        (lo, hi) = if absent { (lo, mid) } else { (mid, hi) };
    }
    lo
}

impl TableData {
    #[inline(always)]
    fn array_slice(&self) -> &[Value] {
        // SAFETY: `array` holds `asize` initialised values (dangling and aligned when 0).
        unsafe { std::slice::from_raw_parts(self.array.as_ptr(), self.asize as usize) }
    }

    #[inline(always)]
    fn array_slice_mut(&mut self) -> &mut [Value] {
        // SAFETY: as in `array_slice`; `&mut self` makes this the only access.
        unsafe { std::slice::from_raw_parts_mut(self.array.as_ptr(), self.asize as usize) }
    }

    /// Bytes owned outside the table object itself.
    fn extra_bytes(&self) -> usize {
        self.asize as usize * std::mem::size_of::<Value>() + self.node_block_size() * std::mem::size_of::<Node>()
    }

    /// `set_int` for a key outside the array part.
    fn set_int_in_nodes(&mut self, i: i64, value: Value) {
        match self.find_int(i) {
            Some(node) => store_in(node, value),
            None => self.insert_absent(Value::Int(i), value),
        }
    }

    /// Raw set of a normalised key that is neither an integer nor a string (nor nil/NaN).
    fn set_in_nodes(&mut self, key: Value, value: Value) {
        match self.find(key) {
            Some(node) => store_in(node, value),
            None => self.insert_absent(key, value),
        }
    }

    /// Stores a key that is not in the table; nil values store nothing.
    fn insert_absent(&mut self, key: Value, value: Value) {
        if value.is_nil() {
            return;
        }
        if !self.insert_new_key(key, value) {
            self.rehash(key);
            self.insert_rebuilt(key, value);
        }
    }

    /// A border past the array part, where `t[j + 1]` is known to be present: doubling
    /// steps find an absent key, then bisection finds a border between (Lua's unbound
    /// search).
    fn node_border(&self, j: u64) -> i64 {
        let present = |k: u64| !value_in(self.find_int(k as i64)).is_nil();
        let mut lo = j.max(1);
        let mut hi;
        loop {
            if lo <= i64::MAX as u64 / 2 {
                hi = lo * 2;
                if !present(hi) {
                    break;
                }
                lo = hi;
            } else {
                // Keys up to the largest integer: it is either absent or itself a border.
                hi = i64::MAX as u64;
                if present(hi) {
                    return i64::MAX;
                }
                break;
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if present(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo as i64
    }
}

impl Drop for TableData {
    fn drop(&mut self) {
        // SAFETY: the array part holds exactly `asize` slots and is not used after this.
        unsafe { free_array(self.array, self.asize as usize) };
        let size = self.node_block_size();
        if size > 0 {
            // SAFETY: an owned block of `size` nodes (N1), not used after this.
            unsafe { free_block(self.nodes, size) };
        }
    }
}

// SAFETY: `trace` reports the metatable and every key and value that must stay alive; a weak
// table defers its weak side to the tracer, which clears entries whose objects die. Keys of
// nodes whose value is nil are not reported: they are marked dead here first, and a dead key
// is only ever compared by address, never dereferenced. No allocation happens here.
unsafe impl Trace for Table {
    fn trace(&self, tracer: &mut Tracer) {
        // The mode first: the metatable may be this very table.
        let mode = self.weak_mode();
        let d = self.data_mut();
        if let Some(mt) = d.metatable {
            tracer.mark(mt);
        }
        let weak_values = matches!(mode, Some(WeakMode::Values | WeakMode::Both));
        let weak_keys = matches!(mode, Some(WeakMode::Keys | WeakMode::Both));
        if !weak_values {
            for &v in d.array_slice() {
                tracer.mark_value(v);
            }
        }
        for node in d.node_slice_mut() {
            if node.value_is_nil() {
                node.kill_key_if_unset();
                continue;
            }
            if !weak_keys {
                tracer.mark_value(node.key());
            }
            if !weak_values && !weak_keys {
                tracer.mark_value(node.value());
            }
        }
        if let Some(mode) = mode {
            tracer.defer_weak(self, mode);
        }
    }

    fn extra_bytes(&self) -> usize {
        self.data().extra_bytes()
    }

    fn as_value(&self, self_ptr: ErasedPtr) -> Option<Value> {
        // SAFETY: obligation 3 of `Trace`: `self_ptr` points to this table.
        Some(Value::Table(unsafe { Gc::from_erased(self_ptr) }))
    }
}
