//! Lua strings: immutable byte strings with a cached hash. Short strings (up to
//! `LuaStr::MAX_SHORT` bytes) are interned by the heap, so two equal short strings are the
//! same object and compare by pointer.

use std::hash::Hasher;

pub struct LuaStr {
    hash: u64,
    interned: bool,
    bytes: Box<[u8]>,
}

impl LuaStr {
    /// Lua 5.4 interns strings up to 40 bytes (LUAI_MAXSHORTLEN).
    pub const MAX_SHORT: usize = 40;

    pub(crate) fn new(bytes: Box<[u8]>, hash: u64, interned: bool) -> LuaStr {
        LuaStr { hash, interned, bytes }
    }

    pub fn hash_bytes(bytes: &[u8]) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        h.write(bytes);
        h.write_usize(bytes.len());
        h.finish()
    }

    #[inline(always)]
    pub fn hash(&self) -> u64 {
        self.hash
    }

    #[inline(always)]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    #[inline(always)]
    pub fn is_interned(&self) -> bool {
        self.interned
    }

    /// The text, with invalid UTF-8 replaced (for messages).
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

impl std::fmt::Debug for LuaStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}
