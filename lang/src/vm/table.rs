//! Lua tables: an array part for the keys 1..n and an insertion-ordered hash part.
//!
//! The hash part keeps its entries in a vector (in insertion order) with a `hashbrown`
//! index over it. Assigning nil to a field leaves a dead entry in place (its key stays, its
//! value is nil), exactly what `next` needs so that clearing fields during a traversal is
//! allowed (manual §6.1, `next`). Dead entries are dropped when the vector must grow.
//!
//! Interior mutability: every method takes `&self` and touches the data only for the
//! duration of the call, never calling out (no metamethods, no allocation in the GC heap)
//! while the data is borrowed. That is the invariant that makes the `UnsafeCell` sound.

use super::string::LuaStr;
use super::value::{str_eq, Value};
use crate::gc::heap::{weak_mode_of, ErasedPtr};
use crate::gc::{Gc, Trace, Tracer, WeakMode};
use hashbrown::HashTable;
use std::cell::{Cell, UnsafeCell};

pub struct Table {
    data: UnsafeCell<TableData>,
    /// Bit set of metamethod events known to be absent when this table is a metatable
    /// (Lua's `flags` cache); cleared by every store into the hash part.
    absent_events: Cell<u32>,
}

#[derive(Default)]
struct TableData {
    array: Vec<Value>,
    entries: Vec<(Value, Value)>,
    index: HashTable<u32>,
    metatable: Option<Gc<Table>>,
}

/// Hash parts up to this many entries are searched linearly: for the small tables that
/// objects and classes are, comparing a few keys (interned strings by pointer) is cheaper
/// than hashing and probing (measured on the method-call benchmark).
const LINEAR_SEARCH_MAX: usize = 8;

/// Why a key cannot be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Nil,
    NaN,
}

#[inline(always)]
fn mix(x: u64) -> u64 {
    let x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

/// Hash of a normalized key (floats with integral values are already integers).
#[inline(always)]
fn key_hash(key: Value) -> u64 {
    match key {
        Value::Int(i) => mix(i as u64),
        Value::Float(f) => mix(f.to_bits() ^ 0x5555),
        Value::Bool(b) => mix(b as u64 + 0x1234),
        Value::Str(s) => mix(s.hash()),
        other => mix(other.gc_addr().unwrap_or(0) as u64),
    }
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

impl Default for Table {
    fn default() -> Self {
        Table::new(0, 0)
    }
}

impl Table {
    pub fn new(array_hint: usize, hash_hint: usize) -> Table {
        Table {
            data: UnsafeCell::new(TableData {
                array: Vec::with_capacity(array_hint),
                entries: Vec::with_capacity(hash_hint),
                index: HashTable::with_capacity(hash_hint),
                metatable: None,
            }),
            absent_events: Cell::new(0),
        }
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

    fn find(&self, key: Value) -> Option<usize> {
        let d = self.data();
        if d.entries.len() <= LINEAR_SEARCH_MAX {
            return match key {
                // An equal string would be short, hence interned: the same object.
                Value::Str(s) if s.is_interned() => {
                    d.entries.iter().position(|e| matches!(e.0, Value::Str(k) if Gc::ptr_eq(k, s)))
                }
                _ => d.entries.iter().position(|e| e.0.raw_eq(key)),
            };
        }
        let h = key_hash(key);
        d.index.find(h, |&i| d.entries[i as usize].0.raw_eq(key)).map(|&i| i as usize)
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
                k => self.get_hashed(k),
            },
            _ => self.get_hashed(key),
        }
    }

    fn get_hashed(&self, key: Value) -> Value {
        match self.find(key) {
            Some(i) => self.data().entries[i].1,
            None => Value::Nil,
        }
    }

    #[inline]
    pub fn get_int(&self, i: i64) -> Value {
        let d = self.data();
        let idx = i.wrapping_sub(1) as u64;
        if idx < d.array.len() as u64 {
            return d.array[idx as usize];
        }
        if d.entries.is_empty() {
            return Value::Nil;
        }
        self.get_hashed(Value::Int(i))
    }

    #[inline]
    pub fn get_str(&self, s: Gc<LuaStr>) -> Value {
        let d = self.data();
        if d.entries.len() <= LINEAR_SEARCH_MAX {
            if s.is_interned() {
                // An equal string would be short, hence interned: the same object.
                for e in &d.entries {
                    if matches!(e.0, Value::Str(k) if Gc::ptr_eq(k, s)) {
                        return e.1;
                    }
                }
            } else {
                for e in &d.entries {
                    if matches!(e.0, Value::Str(k) if str_eq(k, s)) {
                        return e.1;
                    }
                }
            }
            return Value::Nil;
        }
        let h = mix(s.hash());
        match d.index.find(h, |&i| matches!(d.entries[i as usize].0, Value::Str(k) if str_eq(k, s))) {
            Some(&i) => d.entries[i as usize].1,
            None => Value::Nil,
        }
    }

    /// Lookup by the bytes of a string key, without needing an interned handle.
    pub fn get_str_bytes(&self, bytes: &[u8]) -> Value {
        let d = self.data();
        if d.entries.len() <= LINEAR_SEARCH_MAX {
            for e in &d.entries {
                if matches!(e.0, Value::Str(k) if k.as_bytes() == bytes) {
                    return e.1;
                }
            }
            return Value::Nil;
        }
        let h = mix(LuaStr::hash_bytes(bytes));
        match d.index.find(h, |&i| matches!(d.entries[i as usize].0, Value::Str(k) if k.as_bytes() == bytes)) {
            Some(&i) => d.entries[i as usize].1,
            None => Value::Nil,
        }
    }

    /// Raw set (`rawset`). Returns an error for a nil or NaN key.
    #[inline]
    pub fn set(&self, key: Value, value: Value) -> Result<(), KeyError> {
        match key {
            Value::Int(i) => {
                self.set_int(i, value);
                Ok(())
            }
            Value::Nil => Err(KeyError::Nil),
            Value::Float(f) if f.is_nan() => Err(KeyError::NaN),
            Value::Float(_) => match normalize_key(key) {
                Value::Int(i) => {
                    self.set_int(i, value);
                    Ok(())
                }
                k => {
                    self.set_hashed(k, value);
                    Ok(())
                }
            },
            _ => {
                self.set_hashed(key, value);
                Ok(())
            }
        }
    }

    pub fn set_int(&self, i: i64, value: Value) {
        let d = self.data_mut();
        let len = d.array.len();
        let idx = i.wrapping_sub(1) as u64;
        if idx < len as u64 {
            d.array[idx as usize] = value;
            return;
        }
        if idx == len as u64 && !value.is_nil() {
            if !d.entries.is_empty() {
                self.kill_hashed(Value::Int(i));
            }
            let d = self.data_mut();
            d.array.push(value);
            if !d.entries.is_empty() {
                self.migrate_to_array();
            }
            return;
        }
        self.set_hashed(Value::Int(i), value);
    }

    /// After the array grew, pulls the following integer keys out of the hash part.
    fn migrate_to_array(&self) {
        loop {
            let next = self.data().array.len() as i64 + 1;
            let Some(pos) = self.find(Value::Int(next)) else { return };
            let d = self.data_mut();
            let v = d.entries[pos].1;
            if v.is_nil() {
                return;
            }
            d.entries[pos].1 = Value::Nil;
            d.array.push(v);
        }
    }

    fn kill_hashed(&self, key: Value) {
        if let Some(pos) = self.find(key) {
            self.data_mut().entries[pos].1 = Value::Nil;
        }
    }

    pub fn set_str(&self, key: Gc<LuaStr>, value: Value) {
        self.set_hashed(Value::Str(key), value)
    }

    fn set_hashed(&self, key: Value, value: Value) {
        self.absent_events.set(0);
        if let Some(pos) = self.find(key) {
            self.data_mut().entries[pos].1 = value;
            return;
        }
        if value.is_nil() {
            return;
        }
        let d = self.data_mut();
        if d.entries.len() == d.entries.capacity() && d.entries.iter().any(|e| e.1.is_nil()) {
            // Dead entries can only be dropped when a new key arrives: a traversal in progress
            // may not add keys (manual §6.1), so it cannot be disturbed by this.
            d.entries.retain(|e| !e.1.is_nil());
            Self::rebuild_index(d);
        }
        let pos = d.entries.len() as u32;
        d.entries.push((key, value));
        let entries = &d.entries;
        d.index.insert_unique(key_hash(key), pos, |&i| key_hash(entries[i as usize].0));
    }

    fn rebuild_index(d: &mut TableData) {
        d.index.clear();
        d.index.reserve(d.entries.len(), |_| 0);
        for (pos, (k, _)) in d.entries.iter().enumerate() {
            let entries = &d.entries;
            d.index.insert_unique(key_hash(*k), pos as u32, |&i| key_hash(entries[i as usize].0));
        }
    }

    /// The length operator without metamethods: a border (manual §3.4.7).
    pub fn len(&self) -> i64 {
        let d = self.data();
        let n = d.array.len();
        if n > 0 && d.array[n - 1].is_nil() {
            // Binary search for a border inside the array part.
            let (mut lo, mut hi) = (0usize, n); // array[lo-1] non-nil or lo == 0; array[hi-1] nil
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if d.array[mid - 1].is_nil() {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return lo as i64;
        }
        if d.entries.is_empty() || self.get_hashed(Value::Int(n as i64 + 1)).is_nil() {
            return n as i64;
        }
        // Unbounded search in the hash part.
        let (mut i, mut j) = (n as i64 + 1, (n as i64 + 1).saturating_mul(2));
        while !self.get_hashed(Value::Int(j)).is_nil() {
            i = j;
            if j > i64::MAX / 2 {
                // Pathological table: linear search from i.
                let mut k = i;
                while !self.get_hashed(Value::Int(k + 1)).is_nil() {
                    k += 1;
                }
                return k;
            }
            j *= 2;
        }
        while j - i > 1 {
            let m = i + (j - i) / 2;
            if self.get_hashed(Value::Int(m)).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// Traversal (`next`): the entry after `key`, or `None` at the end. `Err` for a key that
    /// is not in the table.
    pub fn next(&self, key: Value) -> Result<Option<(Value, Value)>, ()> {
        let d = self.data();
        let alen = d.array.len();
        let mut pos = match normalize_key(key) {
            Value::Nil => 0,
            Value::Int(i) if i >= 1 && (i as u64) <= alen as u64 => i as usize,
            k => match self.find(k) {
                Some(p) => alen + p + 1,
                None => return Err(()),
            },
        };
        while pos < alen {
            let v = d.array[pos];
            if !v.is_nil() {
                return Ok(Some((Value::Int(pos as i64 + 1), v)));
            }
            pos += 1;
        }
        let mut hpos = pos - alen;
        while hpos < d.entries.len() {
            let (k, v) = d.entries[hpos];
            if !v.is_nil() {
                return Ok(Some((k, v)));
            }
            hpos += 1;
        }
        Ok(None)
    }

    /// Number of slots in the array part (for `table` library fast paths).
    pub fn array_len(&self) -> usize {
        self.data().array.len()
    }

    /// Inserts into the array part's position `pos` (1-based), shifting up; `table.insert`'s
    /// fast path when the whole sequence is in the array part.
    pub fn array_insert(&self, pos: usize, value: Value) {
        self.data_mut().array.insert(pos - 1, value);
        if !self.data().entries.is_empty() {
            self.migrate_to_array();
        }
    }

    /// Removes the array part's position `pos` (1-based), shifting down.
    pub fn array_remove(&self, pos: usize) -> Value {
        self.data_mut().array.remove(pos - 1)
    }

    fn weak_mode(&self) -> Option<WeakMode> {
        let mt = self.data().metatable?;
        match mt.get_str_bytes(b"__mode") {
            Value::Str(s) => weak_mode_of(s.as_bytes()),
            _ => None,
        }
    }

    /// Ephemeron convergence step: marks values whose keys are reachable. Returns whether
    /// anything was newly marked.
    pub(crate) fn mark_ephemeron_values(&self, tracer: &mut Tracer) -> bool {
        let mut progressed = false;
        for &(k, v) in &self.data().entries {
            if v.is_nil() || Tracer::is_cleared(k) {
                continue;
            }
            if Tracer::is_cleared(v) {
                tracer.mark_value(v);
                progressed = true;
            }
        }
        progressed
    }

    /// Clears entries whose key (`keys`) or value (`values`) is a dead object.
    pub(crate) fn clear_entries(&self, keys: bool, values: bool) {
        let d = self.data_mut();
        if values {
            for v in d.array.iter_mut() {
                if Tracer::is_cleared(*v) {
                    *v = Value::Nil;
                }
            }
        }
        for e in d.entries.iter_mut() {
            if e.1.is_nil() {
                continue;
            }
            if (keys && Tracer::is_cleared(e.0)) || (values && Tracer::is_cleared(e.1)) {
                e.1 = Value::Nil;
            }
        }
    }
}

// SAFETY: `trace` reports the metatable and every key and value that must stay alive; a weak
// table defers its weak side to the tracer, which clears entries whose objects die, so no
// entry keeps a dangling pointer that is dereferenced later (dead entries' keys are only
// compared by address, except strings, which are always marked). No allocation happens here.
unsafe impl Trace for Table {
    fn trace(&self, tracer: &mut Tracer) {
        let d = self.data();
        if let Some(mt) = d.metatable {
            tracer.mark(mt);
        }
        let mode = self.weak_mode();
        let weak_values = matches!(mode, Some(WeakMode::Values | WeakMode::Both));
        let weak_keys = matches!(mode, Some(WeakMode::Keys | WeakMode::Both));
        if !weak_values {
            for &v in &d.array {
                tracer.mark_value(v);
            }
        }
        for &(k, v) in &d.entries {
            if v.is_nil() {
                // A dead entry's string key may still be compared by content: keep it.
                if let Value::Str(s) = k {
                    tracer.mark_value(Value::Str(s));
                }
                continue;
            }
            if !weak_keys {
                tracer.mark_value(k);
            }
            if !weak_values && !weak_keys {
                tracer.mark_value(v);
            }
        }
        if let Some(mode) = mode {
            tracer.defer_weak(self, mode);
        }
    }

    fn extra_bytes(&self) -> usize {
        let d = self.data();
        d.array.capacity() * std::mem::size_of::<Value>()
            + d.entries.capacity() * (2 * std::mem::size_of::<Value>() + 4)
    }

    fn as_value(&self, self_ptr: ErasedPtr) -> Option<Value> {
        // SAFETY: obligation 3 of `Trace`: `self_ptr` points to this table.
        Some(Value::Table(unsafe { Gc::from_erased(self_ptr) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::Lua;

    #[test]
    fn array_part_grows_and_absorbs_hash_keys() {
        let t = Table::new(0, 0);
        // Reverse insertion: keys go to the hash part until 1 arrives, then migrate.
        for i in (1..=100).rev() {
            t.set_int(i, Value::Int(i * 10));
        }
        assert_eq!(t.array_len(), 100);
        assert_eq!(t.len(), 100);
        for i in 1..=100 {
            assert!(t.get_int(i).raw_eq(Value::Int(i * 10)));
        }
    }

    #[test]
    fn border_with_holes_and_hash_tail() {
        let t = Table::new(0, 0);
        for i in 1..=10 {
            t.set_int(i, Value::Int(i));
        }
        t.set_int(10, Value::Nil);
        let n = t.len();
        assert!(n == 9, "border is 9, got {n}");
        let u = Table::new(0, 0);
        u.set_int(1, Value::Int(1));
        u.set_int(3, Value::Int(3)); // hash part; 2 missing
        assert_eq!(u.len(), 1);
        assert_eq!(Table::new(0, 0).len(), 0);
    }

    #[test]
    fn float_keys_normalize_and_bad_keys_error() {
        let t = Table::new(0, 0);
        t.set(Value::Float(2.0), Value::Bool(true)).unwrap();
        assert!(t.get(Value::Int(2)).truthy());
        t.set(Value::Float(2.5), Value::Int(7)).unwrap();
        assert!(t.get(Value::Float(2.5)).raw_eq(Value::Int(7)));
        assert_eq!(t.set(Value::Nil, Value::Int(1)), Err(KeyError::Nil));
        assert_eq!(t.set(Value::Float(f64::NAN), Value::Int(1)), Err(KeyError::NaN));
    }

    #[test]
    fn next_visits_everything_and_tolerates_clearing() {
        let mut lua = Lua::new();
        let t = lua.new_table();
        for i in 1..=5 {
            t.set_int(i, Value::Int(i));
        }
        let keys: Vec<Value> = (0..20).map(|i| lua.str_value(&format!("k{i}"))).collect();
        for (i, k) in keys.iter().enumerate() {
            t.set(*k, Value::Int(i as i64)).unwrap();
        }
        let mut seen = 0;
        let mut k = Value::Nil;
        while let Some((key, _)) = t.next(k).unwrap() {
            // Clearing the current field during traversal is allowed.
            t.set(key, Value::Nil).unwrap();
            seen += 1;
            k = key;
        }
        assert_eq!(seen, 25);
        assert!(t.next(Value::Nil).unwrap().is_none());
        let missing = lua.str_value("nope");
        assert!(t.next(missing).is_err());
    }

    #[test]
    fn dead_entries_are_reused_without_growth() {
        let mut lua = Lua::new();
        let t = lua.new_table();
        for round in 0..1000 {
            let k = lua.str_value(&format!("key{round}"));
            t.set(k, Value::Int(round)).unwrap();
            t.set(k, Value::Nil).unwrap();
        }
        assert!(t.extra_bytes() < 64 * 1024, "queue-like use must not grow the table forever");
    }
}
