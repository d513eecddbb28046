//! `Node`: one entry of a table's node part, 24 bytes (Lua's size): the payload words of the
//! key and the value, their tag bytes, and the offset of the next node of its chain.
//!
//! Storing tags as bytes beside split payloads, instead of two 16-byte `Value`s, makes the
//! node part 40% smaller, which matters once a table outgrows the CPU's caches (measured on
//! lookups in a 20,000-key table: a 40-byte node took twice lua5.4's time).
//!
//! Dead keys: when the collector finds a node whose value is nil and whose key is a
//! collectable object, it marks the key dead (`DEAD` bit in its tag) instead of keeping the
//! object alive, as Lua does. A dead key matches no lookup, so its object may be freed; `next`
//! still finds it by address, so a traversal that cleared the field can go on.

use crate::vm::value::{tag, Value, ValueParts};
use std::mem::MaybeUninit;

#[repr(C)]
pub(super) struct Node {
    value_word: MaybeUninit<u64>,
    key_word: MaybeUninit<u64>,
    value_tag: u8,
    /// The key's tag; nil for a node unused since its block was made; with `DEAD` set, the
    /// tag of a key that may have been freed.
    key_tag: u8,
    /// Offset (in nodes) of the next node of this node's chain; 0 ends the chain.
    pub(super) next: i32,
}

const _: () = assert!(std::mem::size_of::<Node>() == 24);

/// Set in a key's tag when the key is dead (see the module doc).
const DEAD: u8 = 0x80;

impl Node {
    pub(super) const UNUSED: Node = Node {
        value_word: MaybeUninit::uninit(),
        key_word: MaybeUninit::uninit(),
        value_tag: tag::NIL,
        key_tag: tag::NIL,
        next: 0,
    };

    #[inline(always)]
    pub(super) fn value(&self) -> Value {
        // SAFETY: the parts were written by `set_value` from a valid value (or are nil's);
        // a non-nil value's object is alive, since `Table::trace` marks it or, in a weak
        // table, the collector clears it to nil before freeing the object.
        unsafe { Value::from_parts(ValueParts { tag: self.value_tag, word: self.value_word }) }
    }

    #[inline(always)]
    pub(super) fn value_is_nil(&self) -> bool {
        self.value_tag == tag::NIL
    }

    #[inline(always)]
    pub(super) fn set_value(&mut self, v: Value) {
        let parts = v.to_parts();
        self.value_tag = parts.tag;
        self.value_word = parts.word;
    }

    /// The key of a node that is neither unused nor dead.
    #[inline(always)]
    pub(super) fn key(&self) -> Value {
        debug_assert!(self.key_tag & DEAD == 0, "a dead key is only compared by address");
        // SAFETY: written by `set_key` from a valid value; a key that is not dead is alive
        // (the collector marks keys of live entries, and marks a key dead before its object
        // can be freed).
        unsafe { Value::from_parts(ValueParts { tag: self.key_tag, word: self.key_word }) }
    }

    #[inline(always)]
    pub(super) fn set_key(&mut self, k: Value) {
        let parts = k.to_parts();
        self.key_tag = parts.tag;
        self.key_word = parts.word;
    }

    /// Unused since the block was made (never had a key).
    #[inline(always)]
    pub(super) fn is_unused(&self) -> bool {
        self.key_tag == tag::NIL
    }

    /// The key's payload word if the key is live and has tag `t` (not nil or bool).
    #[inline(always)]
    pub(super) fn key_word_if(&self, t: u8) -> Option<u64> {
        if self.key_tag == t {
            Value::full_word(ValueParts { tag: t, word: self.key_word })
        } else {
            None
        }
    }

    /// Whether this node's key is `key` (normalised, not a string: those compare by
    /// `is_str_key`). Dead keys match nothing.
    #[inline(always)]
    pub(super) fn has_key(&self, key: ValueParts) -> bool {
        if self.key_tag != key.tag {
            return false;
        }
        match Value::full_word(key) {
            // Floats compare by bits: stored floats are never integral (nor -0.0) nor NaN.
            Some(word) => Value::full_word(ValueParts { tag: key.tag, word: self.key_word }) == Some(word),
            // Booleans: rebuild both (the payload is one byte).
            // SAFETY: `key` comes from a valid value.
            None => self.key().raw_eq(unsafe { Value::from_parts(key) }),
        }
    }

    /// Whether this is the dead key of the object `key` (compared by address, for `next`).
    pub(super) fn is_dead_key_of(&self, key: ValueParts) -> bool {
        self.key_tag == key.tag | DEAD
            && Value::full_word(key).is_some()
            && Value::full_word(ValueParts { tag: key.tag, word: self.key_word }) == Value::full_word(key)
    }

    /// Marks the key dead if the value is nil and the key is a collectable object (Lua's
    /// `clearkey`): from now on the object may be freed.
    #[inline]
    pub(super) fn kill_key_if_unset(&mut self) {
        if self.value_is_nil() && (tag::STR..tag::LIGHT_USERDATA).contains(&self.key_tag) {
            self.key_tag |= DEAD;
        }
    }
}
