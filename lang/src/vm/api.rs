//! Helpers for native functions: argument checks with Lua's messages
//! (`bad argument #1 to 'insert' (table expected, got nil)`), conversions, registration.

use super::error::{LuaError, LuaResult};
use super::metamethod::Tm;
use super::ops;
use super::state::Lua;
use super::string::LuaStr;
use super::table::Table;
use super::value::Value;
use crate::gc::Gc;
use crate::number::Number;

impl Lua {
    /// Name of the running native function, for messages.
    pub fn native_name(&self) -> &'static str {
        let th = self.th();
        match th.frames.last().and_then(|f| th.stack.get(f.func)) {
            Some(Value::NativeFn(nf)) => nf.name,
            _ => "?",
        }
    }

    /// The running native function's upvalue `n` (0-based).
    pub fn native_upvalue(&self, n: usize) -> Value {
        let th = self.th();
        match th.frames.last().and_then(|f| th.stack.get(f.func)) {
            Some(Value::NativeFn(nf)) => nf.upvalue(n),
            _ => Value::Nil,
        }
    }

    /// `bad argument #n to 'f' (msg)`, positioned at the calling Lua code. As
    /// `luaL_argerror`, the name is the one the caller used (`for iterator`, a local alias,
    /// a method: "calling 'm' on bad self"), else the function's own name.
    #[cold]
    #[inline(never)]
    pub fn arg_error(&mut self, n: usize, msg: &str) -> LuaError {
        let called_as = self.frame_function_name(0);
        let mut n = n;
        if let Some(o) = &called_as {
            if o.kind == "method" {
                n -= 1;
                if n == 0 {
                    let name = o.name.clone();
                    return self.native_error(&format!("calling '{name}' on bad self ({msg})"));
                }
            }
        }
        let name = match called_as {
            Some(o) if o.kind != "metamethod" => o.name,
            _ => self.native_name().to_string(),
        };
        self.native_error(&format!("bad argument #{n} to '{name}' ({msg})"))
    }

    /// `bad argument #n to 'f' (T expected, got U)`. As `luaL_typeerror`, U is the `__name`
    /// of the argument's metatable if it is a string, and "light userdata" for those.
    #[cold]
    #[inline(never)]
    pub fn type_error(&mut self, n: usize, expected: &str) -> LuaError {
        let v = self.arg(n);
        let got = if n > self.nargs() {
            "no value".to_string()
        } else if let Value::Str(name) = self.metatable_of(v).map_or(Value::Nil, |mt| self.mt_get(mt, Tm::Name)) {
            name.to_str_lossy().into_owned()
        } else if let Value::LightUserData(_) = v {
            "light userdata".to_string()
        } else {
            v.type_name().to_string()
        };
        self.arg_error(n, &format!("{expected} expected, got {got}"))
    }

    pub fn check_any(&mut self, n: usize) -> LuaResult<Value> {
        if n > self.nargs() {
            return Err(self.arg_error(n, "value expected"));
        }
        Ok(self.arg(n))
    }

    pub fn check_table(&mut self, n: usize) -> LuaResult<Gc<Table>> {
        match self.arg(n) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(n, "table")),
        }
    }

    /// Argument `n` as a function (Lua or native), or `bad argument #n (function expected)`.
    pub fn check_function(&mut self, n: usize) -> LuaResult<Value> {
        let f = self.arg(n);
        if f.is_function() {
            Ok(f)
        } else {
            Err(self.type_error(n, "function"))
        }
    }

    pub fn check_integer(&mut self, n: usize) -> LuaResult<i64> {
        let v = self.arg(n);
        match ops::to_integer(v, true) {
            Some(i) => Ok(i),
            None => {
                if ops::to_number(v).is_some() {
                    Err(self.arg_error(n, "number has no integer representation"))
                } else {
                    Err(self.type_error(n, "number"))
                }
            }
        }
    }

    pub fn opt_integer(&mut self, n: usize, default: i64) -> LuaResult<i64> {
        if self.arg(n).is_nil() {
            Ok(default)
        } else {
            self.check_integer(n)
        }
    }

    pub fn check_number(&mut self, n: usize) -> LuaResult<Number> {
        match ops::to_number(self.arg(n)) {
            Some(x) => Ok(x),
            None => Err(self.type_error(n, "number")),
        }
    }

    pub fn check_float(&mut self, n: usize) -> LuaResult<f64> {
        Ok(self.check_number(n)?.to_f64())
    }

    /// A string argument; numbers are converted (and the argument slot updated), as
    /// `luaL_checklstring` does.
    pub fn check_string(&mut self, n: usize) -> LuaResult<Gc<LuaStr>> {
        match self.arg(n) {
            Value::Str(s) => Ok(s),
            v @ (Value::Int(_) | Value::Float(_)) => {
                let s = self.tostring(v)?;
                self.set_arg(n, s);
                Ok(s.as_str().expect("tostring of a number is a string"))
            }
            _ => Err(self.type_error(n, "string")),
        }
    }

    pub fn opt_string(&mut self, n: usize) -> LuaResult<Option<Gc<LuaStr>>> {
        if self.arg(n).is_nil() {
            Ok(None)
        } else {
            self.check_string(n).map(Some)
        }
    }

    /// Sets `name` in `table` to a native function.
    pub fn register(&mut self, table: Gc<Table>, name: &'static str, f: super::closure::NativeFn) {
        let v = self.new_native(name, f);
        let k = self.new_string(name.as_bytes());
        table.set_str(k, v);
    }

    /// Registers library functions: `(key, qualified name, function)`; the qualified name
    /// (`"table.insert"`) is what messages use when the caller gave the function no name,
    /// as Lua's `pushglobalfuncname` does.
    pub fn register_lib(&mut self, table: Gc<Table>, fns: &[(&'static str, &'static str, super::closure::NativeFn)]) {
        for &(key, qualified, f) in fns {
            let v = self.new_native(qualified, f);
            let k = self.new_string(key.as_bytes());
            table.set_str(k, v);
        }
    }

    /// Stores `v` under the string key `name`.
    pub fn set_field(&mut self, table: Gc<Table>, name: &str, v: Value) {
        let k = self.new_string(name.as_bytes());
        table.set_str(k, v);
    }

    /// `msg` with the position of the function `level` frames down prepended (`chunk:line: `),
    /// as `error` and `coroutine.wrap` do for string errors (`luaL_where`).
    pub fn with_position(&mut self, level: usize, msg: &[u8]) -> Value {
        let mut text = self.where_(level).into_bytes();
        text.extend_from_slice(msg);
        self.bytes_value(&text)
    }

    /// Inserts `v` below the top `n` values (which move up one slot): `true` before the
    /// results of `pcall` and `coroutine.resume`.
    pub fn insert_below_top(&mut self, n: usize, v: Value) {
        let top = self.top();
        self.push(Value::Nil);
        for i in (top - n..top).rev() {
            let x = self.stack_at(i);
            self.stack_set(i + 1, x);
        }
        self.stack_set(top - n, v);
    }

    /// Converts any value to its display string like `tostring` (used by `print`).
    pub fn to_display(&mut self, v: Value) -> LuaResult<Gc<LuaStr>> {
        match self.tostring(v)? {
            Value::Str(s) => Ok(s),
            _ => Err(self.native_error("'__tostring' must return a string")),
        }
    }

    /// Calls `f` with `args` from Rust and returns all results (embedding and tests).
    pub fn call_function(&mut self, f: Value, args: &[Value]) -> LuaResult<Vec<Value>> {
        let func = self.top();
        self.push(f);
        for &a in args {
            self.push(a);
        }
        let frames = self.th().frames.len();
        let depth = self.th().c_depth;
        match self.pcall(func, -1, None) {
            Ok(()) => {
                let top = self.top();
                let results = (func..top).map(|i| self.stack_at(i)).collect();
                self.set_top(func);
                Ok(results)
            }
            Err(e) => {
                self.th().frames.truncate(frames);
                self.th().c_depth = depth;
                Err(e)
            }
        }
    }
}
