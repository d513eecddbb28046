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
