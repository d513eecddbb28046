//! Lua strings: immutable byte strings with a cached hash. Short strings (up to
//! `LuaStr::MAX_SHORT` bytes) are interned by the heap, so two equal short strings are the
//! same object and compare by pointer. As in C Lua, the bytes are followed in memory by a
//! zero byte that is not part of the string, so the ffi passes a string to a `const char *`
//! parameter without copying it.

use std::hash::Hasher;

pub struct LuaStr {
    hash: u64,
    interned: bool,
    /// The string's bytes and one zero byte after them.
    bytes_nul: Box<[u8]>,
}

impl LuaStr {
    /// Lua 5.4 interns strings up to 40 bytes (LUAI_MAXSHORTLEN).
    pub const MAX_SHORT: usize = 40;

    pub(crate) fn new(bytes: &[u8], hash: u64, interned: bool) -> LuaStr {
        let mut with_nul = Vec::with_capacity(bytes.len() + 1);
        with_nul.extend_from_slice(bytes);
        with_nul.push(0);
        LuaStr { hash, interned, bytes_nul: with_nul.into_boxed_slice() }
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
        &self.bytes_nul[..self.len()]
    }

    /// The bytes followed by the terminating zero byte (for C, which reads up to it).
    #[inline(always)]
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.bytes_nul
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.bytes_nul.len() - 1
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline(always)]
    pub fn is_interned(&self) -> bool {
        self.interned
    }

    /// The text, with invalid UTF-8 replaced (for messages).
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.as_bytes())
    }
}

impl std::fmt::Debug for LuaStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}
