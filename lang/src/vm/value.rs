//! `Value`: a Lua value (16 bytes: a tag and one word).

use super::closure::{LuaClosure, NativeClosure};
use super::string::LuaStr;
use super::table::Table;
use super::thread::Thread;
use super::userdata::UserData;
use crate::gc::Gc;

/// `repr(u64)`: the tag is a whole word, so every payload sits at offset 8 and a value is
/// copied as two aligned words. With a one-byte tag, `Bool`'s payload lands at offset 1 and
/// copies become overlapping unaligned stores that stall the loads after them (measured: the
/// array-sum loop ran 3x slower).
#[derive(Clone, Copy, Default)]
#[repr(u64)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Gc<LuaStr>),
    Table(Gc<Table>),
    LuaFn(Gc<LuaClosure>),
    NativeFn(Gc<NativeClosure>),
    UserData(Gc<UserData>),
    Thread(Gc<Thread>),
    /// A C pointer with no metatable of its own (`lua_pushlightuserdata`).
    LightUserData(usize),
}

const _: () = assert!(std::mem::size_of::<Value>() == 16 && std::mem::align_of::<Value>() == 8);

/// Copies the value at `src` to `dst` as two 8-byte words.
///
/// A value is mostly written as two 8-byte stores (tag, payload) and read back by 8-byte
/// loads, but a plain copy of the 16-byte type compiles to one 16-byte vector load and
/// store, and a load that reads a recent store of another width cannot take its data from
/// the store buffer: it waits for the store to reach the cache (measured on Zen 4: about 20
/// cycles a time, which made calls and register moves several times slower than they
/// should be). The dispatch loop's register, upvalue and result copies go through here.
///
/// # Safety
/// 1. `src` is valid for reads and `dst` for writes of a `Value`, both aligned.
#[inline(always)]
pub unsafe fn copy_value(src: *const Value, dst: *mut Value) {
    use std::mem::MaybeUninit;
    let (s, d) = (src.cast::<MaybeUninit<u64>>(), dst.cast::<MaybeUninit<u64>>());
    // SAFETY: obligation 1, and a `Value` is two aligned 8-byte words (`repr(u64)`: the tag,
    // then the payload; size and alignment asserted above). The words are moved as
    // `MaybeUninit` because a payload may have padding (`Bool`) or none at all (`Nil`); the
    // bytes of a valid value, moved unchanged, are that value. Volatile loads are never
    // merged into one wider load.
    unsafe {
        let tag = std::ptr::read_volatile(s);
        let payload = std::ptr::read_volatile(s.add(1));
        d.write(tag);
        d.add(1).write(payload);
    }
}

/// A value taken apart into its tag (the discriminant, which fits a byte) and its payload
/// word, so that table nodes can store a key and a value in 24 bytes instead of 32 (one tag
/// byte each instead of a tag word each). The payload is `MaybeUninit` because nil has none
/// and a boolean fills one byte of it.
#[derive(Clone, Copy)]
pub(crate) struct ValueParts {
    pub(crate) tag: u8,
    pub(crate) word: std::mem::MaybeUninit<u64>,
}

/// Tags of `Value`'s variants (its discriminants: `repr(u64)`, declared in this order), also
/// for machine code that reads and writes values (the loop compiler, the ffi's compiled
/// calls): a value is its tag word at offset 0 and its payload word at offset 8.
pub mod tag {
    pub const NIL: u8 = 0;
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const FLOAT: u8 = 3;
    pub const STR: u8 = 4;
    pub const TABLE: u8 = 5;
    pub const LUA_FN: u8 = 6;
    pub const NATIVE_FN: u8 = 7;
    pub const USER_DATA: u8 = 8;
    pub const THREAD: u8 = 9;
    /// Tags from `STR` up to this one (excluded) are collectable objects.
    pub const LIGHT_USERDATA: u8 = 10;
    /// One past the last variant.
    pub const COUNT: u8 = 11;
}

/// Lua's basic types, as `type()` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LuaType {
    Nil,
    Boolean,
    Number,
    String,
    Table,
    Function,
    UserData,
    Thread,
}

impl LuaType {
    pub fn name(self) -> &'static str {
        match self {
            LuaType::Nil => "nil",
            LuaType::Boolean => "boolean",
            LuaType::Number => "number",
            LuaType::String => "string",
            LuaType::Table => "table",
            LuaType::Function => "function",
            LuaType::UserData => "userdata",
            LuaType::Thread => "thread",
        }
    }

    /// Index into per-type metatable arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    pub const COUNT: usize = 8;
}

impl Value {
    /// A copy of this value made with two word-sized loads.
    ///
    /// A plain copy of a 16-byte value compiles to one 16-byte load, and that load stalls
    /// (about a dozen cycles) when the value was just written by two 8-byte stores, as the
    /// dispatch loop writes registers: the store buffer cannot forward two stores into one
    /// wider load. Reading the tag and the payload separately avoids that. Measured: a loop of
    /// `local k = keys[order[n]]` ran twice as fast.
    #[inline(always)]
    pub fn load(&self) -> Value {
        let ptr = self as *const Value as *const u64;
        // SAFETY: as in `parts` (same layout, same reads). The reads are volatile only so that
        // LLVM keeps them two: it otherwise merges them back into one 16-byte load.
        unsafe {
            let tag = std::ptr::read_volatile(ptr) as u8;
            let word = std::ptr::read_volatile(ptr.add(1) as *const std::mem::MaybeUninit<u64>);
            Value::from_parts(ValueParts { tag, word })
        }
    }

    /// Overwrites this value with two word-sized stores (the counterpart of `load`, for
    /// memory that is read back soon: a table slot written in one iteration and read in the
    /// next).
    #[inline(always)]
    pub fn store(&mut self, v: Value) {
        let parts = v.parts();
        let dst = self as *mut Value as *mut u64;
        // SAFETY: `dst` points to a `Value` (16 bytes, 8-aligned); writing its discriminant
        // word and its field word from the parts of a valid value leaves a valid value there
        // (the layout described in `parts`). Volatile, as in `load`, keeps the two stores
        // from being merged into a 16-byte copy (which loads 16 bytes first).
        unsafe {
            std::ptr::write_volatile(dst, u64::from(parts.tag));
            std::ptr::write_volatile(dst.add(1) as *mut std::mem::MaybeUninit<u64>, parts.word);
        }
    }

    /// The tag byte and payload word of this value.
    #[inline(always)]
    pub(crate) fn to_parts(self) -> ValueParts {
        self.parts()
    }

    #[inline(always)]
    fn parts(&self) -> ValueParts {
        let ptr = self as *const Value as *const u64;
        // SAFETY: `Value` is `repr(u64)`: a 16-byte union of `repr(C)` structs that each start
        // with the u64 discriminant (always initialised, below `tag::COUNT`) followed by the
        // variant's field at offset 8. Reading that second word as `MaybeUninit` is allowed
        // even where it is padding (nil, and seven bytes of a boolean).
        unsafe { ValueParts { tag: *ptr as u8, word: *(ptr.add(1) as *const std::mem::MaybeUninit<u64>) } }
    }

    /// Puts a value back together.
    ///
    /// # Safety
    /// 1. `parts` came from `to_parts` of a valid value (so the tag names a variant and the
    ///    word holds a valid field for it), and that value's GC object, if any, is still alive
    ///    or the result is only compared, never dereferenced.
    #[inline(always)]
    pub(crate) unsafe fn from_parts(parts: ValueParts) -> Value {
        let words = [std::mem::MaybeUninit::new(u64::from(parts.tag)), parts.word];
        // SAFETY: obligation 1 and the layout described in `to_parts`: the discriminant word
        // is valid and the field word is initialised wherever the variant has a field.
        unsafe { std::mem::transmute::<[std::mem::MaybeUninit<u64>; 2], Value>(words) }
    }

    /// The payload word when it is wholly initialised (every variant but nil and bool).
    #[inline(always)]
    pub(crate) fn full_word(parts: ValueParts) -> Option<u64> {
        if parts.tag == tag::NIL || parts.tag == tag::BOOL || parts.tag >= tag::COUNT {
            None
        } else {
            // SAFETY: integers, floats, pointers and addresses fill the whole payload word.
            Some(unsafe { parts.word.assume_init() })
        }
    }

    #[inline(always)]
    pub fn lua_type(self) -> LuaType {
        match self {
            Value::Nil => LuaType::Nil,
            Value::Bool(_) => LuaType::Boolean,
            Value::Int(_) | Value::Float(_) => LuaType::Number,
            Value::Str(_) => LuaType::String,
            Value::Table(_) => LuaType::Table,
            Value::LuaFn(_) | Value::NativeFn(_) => LuaType::Function,
            Value::UserData(_) | Value::LightUserData(_) => LuaType::UserData,
            Value::Thread(_) => LuaType::Thread,
        }
    }

    pub fn type_name(self) -> &'static str {
        self.lua_type().name()
    }

    /// Lua truthiness: only `nil` and `false` are false.
    #[inline(always)]
    pub fn truthy(self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    #[inline(always)]
    pub fn is_nil(self) -> bool {
        matches!(self, Value::Nil)
    }

    #[inline(always)]
    pub fn is_function(self) -> bool {
        matches!(self, Value::LuaFn(_) | Value::NativeFn(_))
    }

    pub fn as_table(self) -> Option<Gc<Table>> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_str(self) -> Option<Gc<LuaStr>> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Identity of a collectable value, for `%p`-style printing and hashing.
    pub fn gc_addr(self) -> Option<usize> {
        match self {
            Value::Str(s) => Some(s.addr()),
            Value::Table(t) => Some(t.addr()),
            Value::LuaFn(f) => Some(f.addr()),
            Value::NativeFn(f) => Some(f.addr()),
            Value::UserData(u) => Some(u.addr()),
            Value::Thread(t) => Some(t.addr()),
            Value::LightUserData(p) => Some(p),
            _ => None,
        }
    }

    /// Primitive equality (`rawequal`): no metamethods; integers and floats compare by
    /// mathematical value.
    #[inline]
    pub fn raw_eq(self, other: Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => int_float_eq(i, f),
            (Value::Str(a), Value::Str(b)) => str_eq(a, b),
            (Value::Table(a), Value::Table(b)) => Gc::ptr_eq(a, b),
            (Value::LuaFn(a), Value::LuaFn(b)) => Gc::ptr_eq(a, b),
            (Value::NativeFn(a), Value::NativeFn(b)) => Gc::ptr_eq(a, b),
            (Value::UserData(a), Value::UserData(b)) => Gc::ptr_eq(a, b),
            (Value::Thread(a), Value::Thread(b)) => Gc::ptr_eq(a, b),
            (Value::LightUserData(a), Value::LightUserData(b)) => a == b,
            _ => false,
        }
    }
}

#[inline]
pub fn str_eq(a: Gc<LuaStr>, b: Gc<LuaStr>) -> bool {
    if Gc::ptr_eq(a, b) {
        return true;
    }
    // Two distinct interned strings always differ.
    if a.is_interned() && b.is_interned() {
        return false;
    }
    a.hash() == b.hash() && a.as_bytes() == b.as_bytes()
}

/// Exact comparison of an integer with a float (no rounding of either side): equal only when
/// the float has an exact integer value.
#[inline]
pub fn int_float_eq(i: i64, f: f64) -> bool {
    super::arith::tointeger(f) == Some(i)
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => write!(f, "{:?}", s.to_str_lossy()),
            other => write!(f, "{}: {:#x}", other.type_name(), other.gc_addr().unwrap_or(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::Lua;

    #[test]
    fn parts_round_trip_and_tags_match_the_variants() {
        let mut lua = Lua::new();
        let s = lua.new_string(b"k");
        let t = lua.new_table();
        let values = [
            (Value::Nil, tag::NIL),
            (Value::Bool(true), tag::BOOL),
            (Value::Bool(false), tag::BOOL),
            (Value::Int(-7), tag::INT),
            (Value::Float(2.5), tag::FLOAT),
            (Value::Str(s), tag::STR),
            (Value::Table(t), tag::TABLE),
            (Value::LightUserData(0xdead), tag::LIGHT_USERDATA),
        ];
        for (v, expected_tag) in values {
            let parts = v.to_parts();
            assert_eq!(parts.tag, expected_tag, "{v:?}");
            // SAFETY: the parts come from a valid value whose object is alive.
            let back = unsafe { Value::from_parts(parts) };
            assert!(back.raw_eq(v) && back.lua_type() == v.lua_type(), "{v:?}");
        }
        assert_eq!(Value::full_word(Value::Int(-7).to_parts()), Some(-7i64 as u64));
        assert_eq!(Value::full_word(Value::Str(s).to_parts()), Some(s.addr() as u64));
        assert_eq!(Value::full_word(Value::Bool(true).to_parts()), None);
    }
}
