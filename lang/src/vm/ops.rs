//! Operators on values: the slow paths the dispatch loop falls back to when its inline fast
//! path (two integers, two floats, a table hit) does not apply. Numeric semantics come from
//! `arith`; this file adds coercions, metamethods and Lua's error messages.

use super::arith::{self, ArithOp};
use super::error::LuaResult;
use super::metamethod::Tm;
use super::state::Lua;
use super::value::Value;
use crate::number::{str2number, Number};

fn event(op: ArithOp) -> Tm {
    match op {
        ArithOp::Add => Tm::Add,
        ArithOp::Sub => Tm::Sub,
        ArithOp::Mul => Tm::Mul,
        ArithOp::Mod => Tm::Mod,
        ArithOp::Pow => Tm::Pow,
        ArithOp::Div => Tm::Div,
        ArithOp::IDiv => Tm::IDiv,
        ArithOp::BAnd => Tm::BAnd,
        ArithOp::BOr => Tm::BOr,
        ArithOp::BXor => Tm::BXor,
        ArithOp::Shl => Tm::Shl,
        ArithOp::Shr => Tm::Shr,
        ArithOp::Unm => Tm::Unm,
        ArithOp::BNot => Tm::BNot,
    }
}

/// The number in a value, without string coercion.
#[inline]
pub fn to_number_ns(v: Value) -> Option<Number> {
    match v {
        Value::Int(i) => Some(Number::Int(i)),
        Value::Float(f) => Some(Number::Float(f)),
        _ => None,
    }
}

/// The number in a value, converting strings (`tonumber` without a base, arithmetic).
pub fn to_number(v: Value) -> Option<Number> {
    match v {
        Value::Int(i) => Some(Number::Int(i)),
        Value::Float(f) => Some(Number::Float(f)),
        Value::Str(s) => str2number(s.as_bytes()),
        _ => None,
    }
}

/// The integer in a value, for bitwise operands and integer arguments: integers, floats with
/// an exact integer value, and (with `strings`) strings converting to such numbers.
pub fn to_integer(v: Value, strings: bool) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Float(f) => arith::tointeger(f),
        Value::Str(s) if strings => arith::number_to_int(str2number(s.as_bytes())?),
        _ => None,
    }
}

pub fn number_value(n: Number) -> Value {
    match n {
        Number::Int(i) => Value::Int(i),
        Number::Float(f) => Value::Float(f),
    }
}

/// Arithmetic on two numbers; `Err` carries Lua's message (integer division by zero, a
/// bitwise operand without integer representation).
pub fn arith_numbers(op: ArithOp, a: Number, b: Number) -> Result<Value, arith::ArithError> {
    arith::arith(op, a, b).map(number_value)
}

impl Lua {
    /// Arithmetic or bitwise `a op b` after the fast paths failed: mixed numbers,
    /// metamethods, then string coercion (what the string library's metamethods do in
    /// Lua 5.4).
    pub fn arith(&mut self, op: ArithOp, a: Value, b: Value) -> LuaResult<Value> {
        if let (Some(x), Some(y)) = (to_number_ns(a), to_number_ns(b)) {
            if !op.is_bitwise() || (to_integer(a, false).is_some() && to_integer(b, false).is_some()) {
                return arith_numbers(op, x, y).map_err(|e| self.runtime_error(&e.to_string()));
            }
        }
        // Metamethod of the first operand, then of the second.
        let mut h = self.metamethod(a, event(op));
        if h.is_nil() {
            h = self.metamethod(b, event(op));
        }
        if !h.is_nil() {
            return self.call_meta1(h, &[a, b]);
        }
        // Strings convert to numbers for arithmetic (not for bitwise operations): in Lua 5.4
        // the string library's arithmetic metamethods do this, with their own message.
        if !op.is_bitwise() && (matches!(a, Value::Str(_)) || matches!(b, Value::Str(_))) {
            if let (Some(x), Some(y)) = (to_number(a), to_number(b)) {
                // Raised inside the string library's metamethod (a C function) in Lua 5.4,
                // so the message carries no position.
                return arith_numbers(op, x, y).map_err(|e| self.error_str(&e.to_string()));
            }
            let name = &crate::vm::metamethod::TM_NAMES[event(op) as usize][2..];
            let (ta, tb) = (self.type_name_mt(a), self.type_name_mt(b));
            return Err(self.runtime_error(&format!("attempt to {name} a '{ta}' with a '{tb}'")));
        }
        Err(self.arith_error(op, a, b))
    }

    fn arith_error(&mut self, op: ArithOp, a: Value, b: Value) -> super::error::LuaError {
        if op.is_bitwise() {
            let both_numbers = to_number_ns(a).is_some() && to_number_ns(b).is_some();
            if both_numbers {
                let culprit = if to_integer(a, false).is_none() { a } else { b };
                let info = self.varinfo(culprit);
                return self.runtime_error(&format!("number{info} has no integer representation"));
            }
            let culprit = if to_number_ns(a).is_none() { a } else { b };
            return self.operand_error(culprit, "perform bitwise operation on");
        }
        let culprit = if to_number(a).is_none() { a } else { b };
        self.operand_error(culprit, "perform arithmetic on")
    }

    /// "attempt to <what> a <type> value (<variable info>)".
    pub fn operand_error(&mut self, v: Value, what: &str) -> super::error::LuaError {
        let info = self.varinfo(v);
        let tname = self.type_name_mt(v);
        self.runtime_error(&format!("attempt to {what} a {tname} value{info}"))
    }

    /// Error for indexing a non-table: "attempt to index a nil value (field 'x')".
    pub fn type_error_index(&mut self, v: Value, key: Value, what: &str) -> super::error::LuaError {
        let _ = key;
        let info = self.varinfo(v);
        let tname = self.type_name_mt(v);
        self.runtime_error(&format!("attempt to {what} a {tname} value{info}"))
    }

    /// The type name shown in error messages: `__name` of the metatable when it is a string.
    pub fn type_name_mt(&self, v: Value) -> String {
        if let Value::Str(s) = self.metamethod(v, Tm::Name) {
            if matches!(v, Value::Table(_) | Value::UserData(_)) {
                return s.to_str_lossy().into_owned();
            }
        }
        v.type_name().to_string()
    }

    /// Equality with `__eq` (luaV_equalobj).
    pub fn equals(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        if a.raw_eq(b) {
            return Ok(true);
        }
        let h = match (a, b) {
            (Value::Table(_), Value::Table(_)) | (Value::UserData(_), Value::UserData(_)) => {
                let h = self.metamethod(a, Tm::Eq);
                if h.is_nil() {
                    self.metamethod(b, Tm::Eq)
                } else {
                    h
                }
            }
            _ => return Ok(self.mixed_equals(a, b)?.unwrap_or(false)),
        };
        if h.is_nil() {
            return Ok(false);
        }
        Ok(self.call_meta1(h, &[a, b])?.truthy())
    }

    /// `a < b` with `__lt`.
    pub fn less_than(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Ok(x.as_bytes() < y.as_bytes()),
            _ => match (to_number_ns(a), to_number_ns(b)) {
                (Some(x), Some(y)) => Ok(arith::num_lt(x, y)),
                _ => self.compare_meta(a, b, Tm::Lt),
            },
        }
    }

    /// `a <= b` with `__le` (Lua 5.4 no longer falls back to `not (b < a)`).
    pub fn less_equal(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Ok(x.as_bytes() <= y.as_bytes()),
            _ => match (to_number_ns(a), to_number_ns(b)) {
                (Some(x), Some(y)) => Ok(arith::num_le(x, y)),
                _ => self.compare_meta(a, b, Tm::Le),
            },
        }
    }

    fn compare_meta(&mut self, a: Value, b: Value, tm: Tm) -> LuaResult<bool> {
        let mut h = self.metamethod(a, tm);
        if h.is_nil() {
            h = self.metamethod(b, tm);
        }
        if h.is_nil() {
            let (ta, tb) = (self.type_name_mt(a), self.type_name_mt(b));
            let msg = if ta == tb {
                format!("attempt to compare two {ta} values")
            } else {
                format!("attempt to compare {ta} with {tb}")
            };
            return Err(self.runtime_error(&msg));
        }
        Ok(self.call_meta1(h, &[a, b])?.truthy())
    }

    /// The length operator with `__len`.
    pub fn len(&mut self, v: Value) -> LuaResult<Value> {
        match v {
            Value::Str(s) => Ok(Value::Int(s.len() as i64)),
            Value::Table(t) => {
                if let Some(mt) = t.metatable() {
                    let h = self.mt_get(mt, Tm::Len);
                    if !h.is_nil() {
                        return self.call_meta1(h, &[v, v]);
                    }
                }
                Ok(Value::Int(t.len()))
            }
            other => {
                let h = self.metamethod(other, Tm::Len);
                if h.is_nil() {
                    return Err(self.operand_error(other, "get length of"));
                }
                self.call_meta1(h, &[other, other])
            }
        }
    }

    /// Concatenates `n` values on the stack starting at `first` into stack[first]
    /// (luaV_concat: right to left, strings and numbers directly, `__concat` otherwise).
    pub fn concat(&mut self, first: usize, n: usize) -> LuaResult<()> {
        let mut last = first + n - 1; // index of the rightmost remaining value
        while last > first {
            let b = self.stack_at(last);
            let a = self.stack_at(last - 1);
            if is_stringlike(a) && is_stringlike(b) {
                // Collect as many string-like values as possible from the right.
                let mut start = last - 1;
                while start > first && is_stringlike(self.stack_at(start - 1)) {
                    start -= 1;
                }
                let mut buf = Vec::new();
                for i in start..=last {
                    append_stringlike(&mut buf, self.stack_at(i));
                }
                let s = self.bytes_value(&buf);
                self.stack_set(start, s);
                last = start;
            } else {
                let mut h = self.metamethod(a, Tm::Concat);
                if h.is_nil() {
                    h = self.metamethod(b, Tm::Concat);
                }
                if h.is_nil() {
                    let culprit = if is_stringlike(a) { b } else { a };
                    return Err(self.operand_error(culprit, "concatenate"));
                }
                let saved_top = self.top();
                let r = self.call_meta1(h, &[a, b])?;
                self.set_top(saved_top);
                self.stack_set(last - 1, r);
                last -= 1;
            }
        }
        Ok(())
    }
}

fn is_stringlike(v: Value) -> bool {
    matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_))
}

fn append_stringlike(buf: &mut Vec<u8>, v: Value) {
    match v {
        Value::Str(s) => buf.extend_from_slice(s.as_bytes()),
        Value::Int(i) => buf.extend_from_slice(crate::number::fmt_int(i).as_bytes()),
        Value::Float(f) => buf.extend_from_slice(crate::number::fmt_float(f).as_bytes()),
        _ => unreachable!("checked by is_stringlike"),
    }
}

impl Lua {
    /// `SetList`: stores the `n` values above stack[t] into the table at stack[t] from index
    /// `offset + 1` on, then lowers the top back to the frame's (with B = 0 the values reach
    /// up to the top, possibly past the frame's registers).
    pub(crate) fn set_list(&mut self, t: usize, n: usize, offset: usize) {
        let th = self.th();
        if let Value::Table(tab) = th.stack[t] {
            // With B = 0 the values reach up to the top, possibly past the frame's registers:
            // read them through the stack.
            tab.set_list(offset + 1, &th.stack[t + 1..t + 1 + n]);
        }
        let top = th.frames.last().map_or(0, |f| f.top);
        th.top = top;
    }
}
