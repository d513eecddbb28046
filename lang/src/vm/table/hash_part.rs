//! The node part of a table: a hash table with open addressing inside one block of nodes,
//! each node holding its key, its value and the offset of the next node of its collision
//! chain (the layout of Lua 5.4's `ltable.c`, written here from its description).
//!
//! A key's *main position* is its hash masked by the block size. A new key that finds its
//! main position taken goes to a free node chained from there, unless the node in the way is
//! itself outside its own main position: then that node moves to the free node and the new
//! key takes its place (Brent's variation), so chains stay short even at a full block. Free
//! nodes are found by a cursor that only moves down, so inserting is amortised O(1); when it
//! reaches the bottom the table is rebuilt (`resize.rs`).
//!
//! Assigning nil leaves the key in place: `next` can still find a key whose field was
//! cleared during a traversal (manual §6.1), and setting the key again reuses the node. A new
//! key whose main position holds a node with a nil value takes that node over. (The collector
//! may later mark such a key dead: see `node.rs`.)
//!
//! Invariants, relied on by the unsafe code of this module (N1, N2) and by lookups (N3-N5):
//! - N1. `nodes` points to `node_mask + 1` initialised nodes: a block this table owns, or the
//!   shared empty node (`EMPTY_NODE`, mask 0) when the table has no node part.
//! - N2. A node's `next`, when not 0, is the offset of another node of the same block.
//! - N3. Every key in the block is reachable from its main position by following `next`; no
//!   node is the `next` of two nodes, and chains have no cycles.
//! - N4. A node whose key is nil (`is_unused`) has not been used since the block was made: it
//!   is in no chain, and every node at or above `last_free` is in use.
//! - N5. Integer keys in `1..=asize` are never in the node part.

use super::node::Node;
use super::TableData;
use crate::gc::Gc;
use crate::vm::string::LuaStr;
use crate::vm::value::{tag, Value};
use std::alloc::Layout;
use std::ptr::NonNull;

/// The node part of every table that has none: one unused node, so a lookup needs no test
/// for an empty part (its key, nil, matches no key).
struct SharedEmptyNode(Node);
// SAFETY: the node is never written (every write path first checks `has_node_block`), so
// sharing it between threads shares only immutable data.
unsafe impl Sync for SharedEmptyNode {}
static EMPTY_NODE: SharedEmptyNode = SharedEmptyNode(Node::UNUSED);

pub(super) fn empty_node_part() -> NonNull<Node> {
    NonNull::from(&EMPTY_NODE.0)
}

/// Largest node block, in bits of its size (Lua's MAXHBITS).
const MAX_NODE_BITS: u32 = 30;

/// Spreads the bits of a word over the bits a mask keeps: fold the high half in, then
/// Fibonacci hashing (multiply by 2^64/φ, keep high bits).
#[inline(always)]
fn scramble(x: u64) -> usize {
    ((x ^ (x >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// Hash of a normalised key (floats with integral values are integers by now).
#[inline(always)]
fn key_hash(key: Value) -> usize {
    match key {
        Value::Int(i) => scramble(i as u64),
        // Computed once, when the string was made.
        Value::Str(s) => s.hash() as usize,
        Value::Float(f) => scramble(f.to_bits()),
        Value::Bool(b) => b as usize,
        other => scramble(other.gc_addr().unwrap_or(0) as u64),
    }
}

/// Whether the node's key is the long (not interned) string `s`: the same object, or equal
/// hash and bytes. Short strings are interned, so they are equal only when identical.
#[inline(always)]
fn is_long_str_key(node: &Node, s: Gc<LuaStr>) -> bool {
    match node.key_word_if(tag::STR) {
        Some(addr) if addr == s.addr() as u64 => true,
        Some(_) => {
            matches!(node.key(), Value::Str(k) if !k.is_interned() && k.hash() == s.hash() && k.as_bytes() == s.as_bytes())
        }
        None => false,
    }
}

/// A block of `size` unused nodes (`size` a power of two, at least 1).
fn new_block(size: usize) -> NonNull<Node> {
    let layout = Layout::array::<Node>(size).expect("node block size is bounded by MAX_NODE_BITS");
    // SAFETY: the layout has a non-zero size (size >= 1 and nodes are not zero-sized).
    let ptr = unsafe { std::alloc::alloc(layout) } as *mut Node;
    let Some(ptr) = NonNull::new(ptr) else { std::alloc::handle_alloc_error(layout) };
    for i in 0..size {
        // SAFETY: `i < size`: inside the fresh allocation, which is not yet initialised.
        unsafe { ptr.add(i).write(Node::UNUSED) };
    }
    ptr
}

/// Frees a block made by `new_block(size)`.
///
/// # Safety
/// 1. `ptr` came from `new_block(size)` with this `size`, and is not used afterwards.
pub(super) unsafe fn free_block(ptr: NonNull<Node>, size: usize) {
    let layout = Layout::array::<Node>(size).expect("was valid when allocated");
    // SAFETY: obligation 1: allocated with this very layout, freed once. Nodes own nothing
    // (values are copies of GC pointers), so no destructor needs to run.
    unsafe { std::alloc::dealloc(ptr.as_ptr() as *mut u8, layout) };
}

/// Number of nodes a node part for `count` keys gets: 0 (the shared empty node) or the next
/// power of two.
pub(super) fn block_size_for(count: usize) -> usize {
    if count == 0 {
        0
    } else {
        count.min(1 << MAX_NODE_BITS).next_power_of_two()
    }
}

impl TableData {
    #[inline(always)]
    pub(super) fn has_node_block(&self) -> bool {
        self.nodes != empty_node_part()
    }

    /// Number of nodes in the owned block (0 without one).
    #[inline]
    pub(super) fn node_block_size(&self) -> usize {
        if self.has_node_block() {
            self.node_mask as usize + 1
        } else {
            0
        }
    }

    /// The nodes of the owned block (empty without one).
    #[inline]
    pub(super) fn node_slice(&self) -> &[Node] {
        let n = self.node_block_size();
        // SAFETY: N1: an owned block has `n` initialised nodes; `n == 0` gives an empty slice
        // at a valid, aligned address.
        unsafe { std::slice::from_raw_parts(self.nodes.as_ptr(), n) }
    }

    #[inline]
    pub(super) fn node_slice_mut(&mut self) -> &mut [Node] {
        let n = self.node_block_size();
        // SAFETY: as in `node_slice`; `&mut self` makes this the only access to the block,
        // and for the shared empty node the slice is empty, so it is never written.
        unsafe { std::slice::from_raw_parts_mut(self.nodes.as_ptr(), n) }
    }

    /// Installs a new, empty block of `size` nodes (0: the shared empty node) and returns
    /// the previous block and its size, which the caller must free.
    pub(super) fn replace_node_block(&mut self, size: usize) -> (NonNull<Node>, usize) {
        let old = (self.nodes, self.node_block_size());
        if size == 0 {
            self.nodes = empty_node_part();
            self.node_mask = 0;
        } else {
            debug_assert!(size.is_power_of_two());
            self.nodes = new_block(size);
            self.node_mask = (size - 1) as u32;
        }
        self.last_free = size as u32;
        old
    }

    #[inline(always)]
    fn node_at(&self, i: usize) -> NonNull<Node> {
        debug_assert!(i <= self.node_mask as usize);
        // SAFETY: N1: `i <= node_mask` lies inside the block.
        unsafe { self.nodes.add(i) }
    }

    #[inline(always)]
    fn main_position(&self, key: Value) -> usize {
        key_hash(key) & self.node_mask as usize
    }

    /// Follows the chain that starts at `start` to the node that satisfies `is_key`.
    #[inline(always)]
    fn chain_find(&self, start: usize, is_key: impl Fn(&Node) -> bool) -> Option<NonNull<Node>> {
        let mut n = self.node_at(start);
        loop {
            // SAFETY: N1/N2: `n` is a node of the block (a main position, or reached by `next`).
            let node = unsafe { n.as_ref() };
            if is_key(node) {
                return Some(n);
            }
            if node.next == 0 {
                return None;
            }
            // SAFETY: N2: a non-zero `next` leads to a node of the same block.
            n = unsafe { n.offset(node.next as isize) };
        }
    }

    /// The node holding the string key `s` (its value may be nil), if any.
    #[inline(always)]
    pub(super) fn find_str(&self, s: Gc<LuaStr>) -> Option<NonNull<Node>> {
        let start = s.hash() as usize & self.node_mask as usize;
        if s.is_interned() {
            let addr = s.addr() as u64;
            self.chain_find(start, |n| n.key_word_if(tag::STR) == Some(addr))
        } else {
            self.chain_find(start, |n| is_long_str_key(n, s))
        }
    }

    /// The node holding the integer key `i`, if any.
    #[inline(always)]
    pub(super) fn find_int(&self, i: i64) -> Option<NonNull<Node>> {
        let start = scramble(i as u64) & self.node_mask as usize;
        self.chain_find(start, |n| n.key_word_if(tag::INT) == Some(i as u64))
    }

    /// The node holding `key` (normalised, not nil), if any.
    pub(super) fn find(&self, key: Value) -> Option<NonNull<Node>> {
        match key {
            Value::Str(s) => self.find_str(s),
            Value::Int(i) => self.find_int(i),
            _ => {
                let parts = key.to_parts();
                self.chain_find(self.main_position(key), |n| n.has_key(parts))
            }
        }
    }

    /// Like `find`, but also finds the node of `key` after the collector marked it dead
    /// (compared by address): `next` after clearing the current field.
    pub(super) fn find_for_next(&self, key: Value) -> Option<NonNull<Node>> {
        self.find(key).or_else(|| {
            let parts = key.to_parts();
            self.chain_find(self.main_position(key), |n| n.is_dead_key_of(parts))
        })
    }

    /// The node holding a string key with these bytes, if any.
    pub(super) fn find_str_bytes(&self, bytes: &[u8]) -> Option<NonNull<Node>> {
        let start = LuaStr::hash_bytes(bytes) as usize & self.node_mask as usize;
        self.chain_find(start, |n| {
            n.key_word_if(tag::STR).is_some() && matches!(n.key(), Value::Str(x) if x.as_bytes() == bytes)
        })
    }

    /// The index of a node of this block.
    pub(super) fn node_index(&self, n: NonNull<Node>) -> usize {
        // SAFETY: `n` was returned by a lookup in this block, so both pointers are in the
        // same allocation.
        let offset = unsafe { n.offset_from(self.nodes) };
        offset as usize
    }

    /// Takes the next unused node below the cursor, if any (N4).
    fn take_free_node(&mut self) -> Option<usize> {
        while self.last_free > 0 {
            self.last_free -= 1;
            let i = self.last_free as usize;
            // SAFETY: N1: `i < last_free <= block size`.
            if unsafe { self.node_at(i).as_ref() }.is_unused() {
                return Some(i);
            }
        }
        None
    }

    /// Inserts a key that is not in the table (normalised, not nil, not NaN, not an integer
    /// in the array part) with a non-nil value. Returns false, changing nothing, when no
    /// node is free: the caller rebuilds the table and tries again.
    pub(super) fn insert_new_key(&mut self, key: Value, value: Value) -> bool {
        if !self.has_node_block() {
            return false;
        }
        let mask = self.node_mask as usize;
        let mut mp = key_hash(key) & mask;
        if !self.node_slice()[mp].value_is_nil() {
            // The main position is taken by a live key.
            let Some(free) = self.take_free_node() else { return false };
            let nodes = self.node_slice_mut();
            let other = key_hash(nodes[mp].key()) & mask;
            if other != mp {
                // The node in the way is not in its main position: move it to the free node
                // (its predecessor in its chain now points there) and take its place.
                let mut prev = other;
                while follow(prev, nodes[prev].next) != mp {
                    prev = follow(prev, nodes[prev].next);
                }
                nodes[prev].next = offset(prev, free);
                let (moved_key, moved_value) = (nodes[mp].key(), nodes[mp].value());
                nodes[free].set_key(moved_key);
                nodes[free].set_value(moved_value);
                if nodes[mp].next != 0 {
                    nodes[free].next = offset(free, follow(mp, nodes[mp].next));
                    nodes[mp].next = 0;
                }
            } else {
                // The node in the way is in its main position: the new key goes to the free
                // node, linked right after it.
                if nodes[mp].next != 0 {
                    nodes[free].next = offset(free, follow(mp, nodes[mp].next));
                }
                nodes[mp].next = offset(mp, free);
                mp = free;
            }
        }
        let node = &mut self.node_slice_mut()[mp];
        node.set_key(key);
        node.set_value(value);
        true
    }
}

/// The node a `next` offset leads to from node `i`.
#[inline(always)]
fn follow(i: usize, next: i32) -> usize {
    (i as isize + next as isize) as usize
}

/// The `next` offset from node `from` to node `to`.
#[inline(always)]
fn offset(from: usize, to: usize) -> i32 {
    (to as isize - from as isize) as i32
}

#[cfg(test)]
impl TableData {
    /// Checks N2-N5 (N1 is structural); panics with the first violation.
    pub(super) fn check_node_invariants(&self) {
        let nodes = self.node_slice();
        let n = nodes.len();
        let mut has_pred = vec![false; n];
        for (i, node) in nodes.iter().enumerate() {
            if node.next != 0 {
                let j = i as isize + node.next as isize;
                assert!(j >= 0 && (j as usize) < n, "N2: node {i} links outside the block");
                assert!(!has_pred[j as usize], "N3: node {j} is the next of two nodes");
                has_pred[j as usize] = true;
            }
            if node.is_unused() {
                assert!(node.next == 0 && node.value_is_nil(), "N4: unused node {i} is in use");
                assert!(i < self.last_free as usize, "N4: unused node {i} above the free cursor");
                continue;
            }
            if node.value_is_nil() {
                // Possibly a dead key: only `next` looks for it, by address.
                continue;
            }
            let found = self.find(node.key()).map(|p| self.node_index(p));
            assert_eq!(found, Some(i), "N3: key of node {i} not reachable from its main position");
            if let Value::Int(k) = node.key() {
                assert!(!(1..=self.asize as i64).contains(&k), "N5: array key {k} in the node part");
            }
        }
    }
}
