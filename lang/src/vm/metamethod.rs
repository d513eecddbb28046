//! Metamethod events (Lua's `ltm`): names, lookup with an absence cache, and the slow paths
//! of indexing that follow `__index` / `__newindex` chains.

use super::error::LuaResult;
use super::state::Lua;
use super::table::{KeyError, Table};
use super::value::Value;
use crate::gc::Gc;

macro_rules! events {
    ($($name:ident = $text:literal,)*) => {
        /// Metamethod events, in the order of `TM_NAMES`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Tm { $($name,)* }
        pub const TM_NAMES: &[&str] = &[$($text,)*];
    };
}

events! {
    Index = "__index",
    NewIndex = "__newindex",
    Gc = "__gc",
    Mode = "__mode",
    Len = "__len",
    Eq = "__eq",
    Add = "__add",
    Sub = "__sub",
    Mul = "__mul",
    Mod = "__mod",
    Pow = "__pow",
    Div = "__div",
    IDiv = "__idiv",
    BAnd = "__band",
    BOr = "__bor",
    BXor = "__bxor",
    Shl = "__shl",
    Shr = "__shr",
    Unm = "__unm",
    BNot = "__bnot",
    Lt = "__lt",
    Le = "__le",
    Concat = "__concat",
    Call = "__call",
    Close = "__close",
    ToString = "__tostring",
    Name = "__name",
    Pairs = "__pairs",
    Metatable = "__metatable",
}

/// Lua's MAXTAGLOOP: longest `__index`/`__newindex` chain before assuming a loop.
const MAX_TAG_LOOP: usize = 2000;

impl Lua {
    /// The metamethod `tm` of a metatable, using the table's absence cache for the events
    /// that have one (the first 32).
    #[inline(always)]
    pub fn mt_get(&self, mt: Gc<Table>, tm: Tm) -> Value {
        let bit = 1u32 << (tm as u32);
        if mt.absent_events() & bit != 0 {
            return Value::Nil;
        }
        let v = mt.get_str(self.tm_name(tm));
        if v.is_nil() {
            mt.mark_event_absent(bit);
        }
        v
    }

    /// The metamethod `tm` of a value, or nil.
    #[inline]
    pub fn metamethod(&self, v: Value, tm: Tm) -> Value {
        match self.metatable_of(v) {
            Some(mt) => self.mt_get(mt, tm),
            None => Value::Nil,
        }
    }

    /// `tab.key` for a string key once `tab` itself has no such field and has a metatable,
    /// following `__index` *tables* (the class/inheritance pattern) without leaving the
    /// dispatch loop's fast path. `None` when a `__index` function must be called (the caller
    /// then takes the general path). Out of line: the dispatch loop inlines only the lookup
    /// of the table's own field.
    #[inline(never)]
    pub(crate) fn index_str_inherited(&self, tab: Gc<Table>, key: Gc<super::string::LuaStr>) -> Option<Value> {
        let Some(mt) = tab.metatable() else { return Some(Value::Nil) };
        let mut t = match self.mt_get(mt, Tm::Index) {
            Value::Nil => return Some(Value::Nil),
            Value::Table(next) => next,
            _ => return None,
        };
        for _ in 1..MAX_TAG_LOOP {
            let v = t.get_str(key);
            if !v.is_nil() {
                return Some(v);
            }
            let Some(mt) = t.metatable() else { return Some(Value::Nil) };
            match self.mt_get(mt, Tm::Index) {
                Value::Nil => return Some(Value::Nil),
                Value::Table(next) => t = next,
                _ => return None,
            }
        }
        None
    }

    /// `obj[key]` with `__index` (luaV_finishget).
    pub fn index(&mut self, obj: Value, key: Value) -> LuaResult<Value> {
        let mut t = obj;
        for _ in 0..MAX_TAG_LOOP {
            let handler = match t {
                Value::Table(tab) => {
                    let v = tab.get(key);
                    if !v.is_nil() {
                        return Ok(v);
                    }
                    match tab.metatable() {
                        None => return Ok(Value::Nil),
                        Some(mt) => {
                            let h = self.mt_get(mt, Tm::Index);
                            if h.is_nil() {
                                return Ok(Value::Nil);
                            }
                            h
                        }
                    }
                }
                other => {
                    let h = self.metamethod(other, Tm::Index);
                    if h.is_nil() {
                        return Err(self.type_error_index(other, key, "index"));
                    }
                    h
                }
            };
            if handler.is_function() {
                return self.call_meta1(handler, &[t, key]);
            }
            t = handler;
        }
        Err(self.runtime_error("'__index' chain too long; possible loop"))
    }

    /// `obj[key] = value` with `__newindex` (luaV_finishset).
    pub fn set_index(&mut self, obj: Value, key: Value, value: Value) -> LuaResult<()> {
        let mut t = obj;
        for _ in 0..MAX_TAG_LOOP {
            let handler = match t {
                Value::Table(tab) => {
                    let h = match tab.metatable() {
                        None => Value::Nil,
                        Some(mt) => {
                            if !tab.get(key).is_nil() {
                                Value::Nil
                            } else {
                                self.mt_get(mt, Tm::NewIndex)
                            }
                        }
                    };
                    if h.is_nil() {
                        return self.raw_set(tab, key, value);
                    }
                    h
                }
                other => {
                    let h = self.metamethod(other, Tm::NewIndex);
                    if h.is_nil() {
                        return Err(self.type_error_index(other, key, "index"));
                    }
                    h
                }
            };
            if handler.is_function() {
                self.call_meta0(handler, &[t, key, value])?;
                return Ok(());
            }
            t = handler;
        }
        Err(self.runtime_error("'__newindex' chain too long; possible loop"))
    }

    /// `rawset` with Lua's errors for bad keys.
    pub fn raw_set(&mut self, tab: Gc<Table>, key: Value, value: Value) -> LuaResult<()> {
        match tab.set(key, value) {
            Ok(()) => Ok(()),
            Err(KeyError::Nil) => Err(self.runtime_error("table index is nil")),
            Err(KeyError::NaN) => Err(self.runtime_error("table index is NaN")),
        }
    }

    /// Puts the top back at `func` after a call made from Rust returned. Not `set_top`: a
    /// return into a Lua frame leaves the top at that frame's register limit, which is below
    /// `func` when the call was made above the registers (a `__close` run while results are
    /// being returned), and the slots in between are live.
    fn drop_call_results(&mut self, func: usize) {
        self.th().top = func;
    }

    /// Calls a metamethod with `args` and returns its first result.
    pub fn call_meta1(&mut self, f: Value, args: &[Value]) -> LuaResult<Value> {
        let func = self.top();
        self.push(f);
        for &a in args {
            self.push(a);
        }
        self.call(func, 1)?;
        let v = self.stack_at(func);
        self.drop_call_results(func);
        Ok(v)
    }

    /// Calls a metamethod with `args`, discarding results.
    pub fn call_meta0(&mut self, f: Value, args: &[Value]) -> LuaResult<()> {
        let func = self.top();
        self.push(f);
        for &a in args {
            self.push(a);
        }
        self.call(func, 0)?;
        self.drop_call_results(func);
        Ok(())
    }

    /// `tostring` semantics: `__tostring`, `__name`, then the default forms.
    pub fn tostring(&mut self, v: Value) -> LuaResult<Value> {
        let h = self.metamethod(v, Tm::ToString);
        if !h.is_nil() {
            let r = self.call_meta1(h, &[v])?;
            return match r {
                Value::Str(_) => Ok(r),
                // lua_isstring accepts numbers: they are converted.
                Value::Int(_) | Value::Float(_) => self.tostring(r),
                _ => Err(self.native_error("'__tostring' must return a string")),
            };
        }
        let text = match v {
            Value::Str(_) => return Ok(v),
            Value::Nil => "nil".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => crate::number::fmt_int(i),
            Value::Float(f) => crate::number::fmt_float(f),
            other => {
                let name = match self.metamethod(other, Tm::Name) {
                    Value::Str(s) => s.to_str_lossy().into_owned(),
                    _ => other.type_name().to_string(),
                };
                format!("{name}: {:#x}", other.gc_addr().unwrap_or(0))
            }
        };
        Ok(self.str_value(&text))
    }
}
