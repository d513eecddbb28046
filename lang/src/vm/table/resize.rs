//! Sizing a table's two parts. When a new key finds no free node, the table is rebuilt from
//! a census of its live keys (Lua's rehash rule): the array part becomes the largest power of
//! two `n` such that more than half of the slots `1..=n` would be in use, and the node part
//! gets room for every other key. Counting happens only when a block is full, and every
//! rebuild at least doubles one part, so inserting stays amortised O(1).

use super::hash_part::{block_size_for, free_block};
use super::TableData;
use crate::vm::value::Value;
use std::alloc::Layout;
use std::ptr::NonNull;

/// The array part has at most 2^MAX_ARRAY_BITS slots (Lua's MAXABITS).
const MAX_ARRAY_BITS: usize = 31;
pub(super) const MAX_ARRAY_SIZE: u64 = 1 << MAX_ARRAY_BITS;

/// Census of the integer keys by slice: slice 0 holds key 1, slice b >= 1 holds the keys in
/// `(2^(b-1), 2^b]`.
type SliceCounts = [u32; MAX_ARRAY_BITS + 1];

/// The slice of key `k` (1 <= k <= MAX_ARRAY_SIZE): the ceiling of log2(k).
#[inline]
fn slice_of(k: u64) -> usize {
    (u64::BITS - (k - 1).leading_zeros()) as usize
}

/// Counts `key` into `slices` if it could live in an array part; returns 1 if it was.
fn count_int_key(key: Value, slices: &mut SliceCounts) -> u32 {
    match key {
        Value::Int(k) if k >= 1 && k as u64 <= MAX_ARRAY_SIZE => {
            slices[slice_of(k as u64)] += 1;
            1
        }
        _ => 0,
    }
}

/// The array size for a census (`int_keys` candidates in all): the largest power of two `n`
/// with more than `n/2` keys in `1..=n`, and how many keys that puts in the array part.
fn array_size_for(slices: &SliceCounts, int_keys: u32) -> (u32, u32) {
    let (mut size, mut in_array, mut keys_up_to) = (0u64, 0u32, 0u32);
    for (bits, &count) in slices.iter().enumerate() {
        let slots = 1u64 << bits;
        // No larger power of two can be more than half full.
        if u64::from(int_keys) <= slots / 2 {
            break;
        }
        keys_up_to += count;
        if u64::from(keys_up_to) > slots / 2 {
            size = slots;
            in_array = keys_up_to;
        }
    }
    (size as u32, in_array)
}

/// Reallocates an array part from `old` to `new` slots; new slots are nil.
/// Arrays up to this many slots are resized by allocating anew (see `realloc_array`).
const SMALL_ARRAY: usize = 16;

fn realloc_array(ptr: NonNull<Value>, old: usize, new: usize) -> NonNull<Value> {
    if new == old {
        return ptr;
    }
    let value_layout = |n: usize| Layout::array::<Value>(n).expect("array size is bounded by MAX_ARRAY_SIZE");
    let raw = if new == 0 {
        // SAFETY: `old > 0` (new != old), so `ptr` was allocated with `value_layout(old)`.
        unsafe { std::alloc::dealloc(ptr.as_ptr() as *mut u8, value_layout(old)) };
        return NonNull::dangling();
    } else if old == 0 {
        // SAFETY: the layout has a non-zero size.
        unsafe { std::alloc::alloc(value_layout(new)) }
    } else if new <= SMALL_ARRAY {
        // Small arrays (SETLIST growing a constructor's array by a slot or two): a fresh
        // allocation and a copy cost less than the allocator's realloc (measured with
        // mimalloc: ~150 instructions per realloc against ~70).
        // SAFETY: the layout has a non-zero size.
        let fresh = unsafe { std::alloc::alloc(value_layout(new)) } as *mut Value;
        if !fresh.is_null() {
            // SAFETY: both blocks hold at least `min(old, new)` values and are distinct
            // allocations; the old one was allocated with `value_layout(old)` and is not used
            // after this.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr.as_ptr(), fresh, old.min(new));
                std::alloc::dealloc(ptr.as_ptr() as *mut u8, value_layout(old));
            }
        }
        fresh as *mut u8
    } else {
        // SAFETY: `ptr` was allocated with `value_layout(old)`; the new size is non-zero and
        // does not overflow isize (checked by `Layout::array`).
        unsafe { std::alloc::realloc(ptr.as_ptr() as *mut u8, value_layout(old), value_layout(new).size()) }
    };
    let Some(ptr) = NonNull::new(raw as *mut Value) else { std::alloc::handle_alloc_error(value_layout(new)) };
    for i in old..new {
        // SAFETY: `i < new`: inside the allocation; slots past `old` are uninitialised.
        unsafe { ptr.add(i).write(Value::Nil) };
    }
    ptr
}

/// Frees an array part of `size` slots.
///
/// # Safety
/// 1. `ptr` holds an array part of exactly `size` slots made by `realloc_array` (or is
///    dangling with `size == 0`) and is not used afterwards.
pub(super) unsafe fn free_array(ptr: NonNull<Value>, size: usize) {
    if size > 0 {
        let layout = Layout::array::<Value>(size).expect("was valid when allocated");
        // SAFETY: obligation 1.
        unsafe { std::alloc::dealloc(ptr.as_ptr() as *mut u8, layout) };
    }
}

impl TableData {
    /// Census of the array part: counts its non-nil slots into `slices`, returns the total.
    fn count_array(&self, slices: &mut SliceCounts) -> u32 {
        let array = self.array_slice();
        let mut total = 0;
        for (bits, slot) in slices.iter_mut().enumerate() {
            let lo = if bits == 0 { 0 } else { 1usize << (bits - 1) };
            if lo >= array.len() {
                break;
            }
            let hi = (1usize << bits).min(array.len());
            let n = array[lo..hi].iter().filter(|v| !v.is_nil()).count() as u32;
            *slot += n;
            total += n;
        }
        total
    }

    /// Rebuilds the table with sizes chosen for its live keys plus `new_key`, which the
    /// caller inserts afterwards.
    pub(super) fn rehash(&mut self, new_key: Value) {
        let mut slices = SliceCounts::default();
        let mut int_keys = self.count_array(&mut slices);
        let mut total = int_keys;
        for node in self.node_slice() {
            if !node.value_is_nil() {
                total += 1;
                int_keys += count_int_key(node.key(), &mut slices);
            }
        }
        int_keys += count_int_key(new_key, &mut slices);
        total += 1;
        let (array_size, in_array) = array_size_for(&slices, int_keys);
        self.resize(array_size as usize, (total - in_array) as usize);
    }

    /// Gives the table an array part of exactly `array_size` slots and a node part with room
    /// for `node_keys` keys, moving every live entry to where it now belongs.
    pub(super) fn resize(&mut self, array_size: usize, node_keys: usize) {
        if node_keys == 0 && !self.has_node_block() {
            // Only the array part changes (a new table, SETLIST growing it): no entry moves,
            // since a census that shrinks the array keeps the vanishing keys in nodes.
            self.resize_array_only(array_size);
            return;
        }
        let bytes_before = self.extra_bytes();
        let old_array_size = self.asize as usize;
        let (old_nodes, old_node_count) = self.replace_node_block(block_size_for(node_keys));
        if array_size < old_array_size {
            // The vanishing slice of the array moves to the (new) node part.
            self.asize = array_size as u32;
            for i in array_size..old_array_size {
                // SAFETY: `i < old_array_size`: inside the array, not yet shrunk.
                let v = unsafe { *self.array.as_ptr().add(i) };
                if !v.is_nil() {
                    self.insert_rebuilt(Value::Int(i as i64 + 1), v);
                }
            }
        }
        self.array = realloc_array(self.array, old_array_size, array_size);
        self.asize = array_size as u32;
        self.len_hint = array_size as u32;
        // SAFETY: N1 for the old block: `old_node_count` nodes (0: the shared empty node,
        // whose slice is empty).
        let old = unsafe { std::slice::from_raw_parts(old_nodes.as_ptr(), old_node_count) };
        for node in old {
            if !node.value_is_nil() {
                self.insert_rebuilt(node.key(), node.value());
            }
        }
        if old_node_count > 0 {
            // SAFETY: the old block came from `new_block(old_node_count)`; it was replaced
            // above and its entries copied out, so nothing refers to it any more.
            unsafe { free_block(old_nodes, old_node_count) };
        }
        let bytes_after = self.extra_bytes();
        if bytes_after > bytes_before {
            self.meter.grew(bytes_after - bytes_before);
        } else {
            self.meter.shrank(bytes_before - bytes_after);
        }
    }

    fn resize_array_only(&mut self, array_size: usize) {
        let old_array_size = self.asize as usize;
        debug_assert!(self.array_slice()[array_size.min(old_array_size)..].iter().all(|v| v.is_nil()));
        self.array = realloc_array(self.array, old_array_size, array_size);
        self.asize = array_size as u32;
        self.len_hint = array_size as u32;
        let slot = std::mem::size_of::<Value>();
        if array_size > old_array_size {
            self.meter.grew((array_size - old_array_size) * slot);
        } else {
            self.meter.shrank((old_array_size - array_size) * slot);
        }
    }

    /// Inserts a live entry while rebuilding: the sizes were chosen so that it fits.
    pub(super) fn insert_rebuilt(&mut self, key: Value, value: Value) {
        if let Value::Int(k) = key {
            let idx = (k as u64).wrapping_sub(1);
            if idx < u64::from(self.asize) {
                self.array_slice_mut()[idx as usize] = value;
                return;
            }
        }
        if !self.insert_new_key(key, value) {
            unreachable!("a rebuilt node part has room for every key counted for it");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_are_ceiling_log2() {
        let expected = [(1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (1 << 31, 31)];
        for (k, slice) in expected {
            assert_eq!(slice_of(k), slice, "key {k}");
        }
    }

    #[test]
    fn array_size_is_the_largest_more_than_half_full_power_of_two() {
        let census = |keys: &[i64]| {
            let mut slices = SliceCounts::default();
            let n = keys.iter().map(|&k| count_int_key(Value::Int(k), &mut slices)).sum();
            array_size_for(&slices, n)
        };
        assert_eq!(census(&[]), (0, 0));
        assert_eq!(census(&[1]), (1, 1));
        assert_eq!(census(&[1, 2, 3]), (4, 3));
        assert_eq!(census(&[1, 2, 3, 4, 5]), (8, 5));
        // 1..4 and 100: 100 alone would need an array of 128 with 5 keys.
        assert_eq!(census(&[1, 2, 3, 4, 100]), (4, 4));
        // Exactly half full is not enough.
        assert_eq!(census(&[3, 4]), (0, 0));
        assert_eq!(census(&[2, 3, 4]), (4, 3));
        assert_eq!(census(&[0, -1, 1 << 40]), (0, 0));
    }
}
