//! The two places where a host that implements LuaJIT's cdata (rivet's `ffi` module) extends
//! the language: literals such as `123LL`, `123ULL` and `12.5i`, which the language reads but
//! cannot make into values, and equality between a cdata and a value of another type
//! (`ptr == nil`, `5LL == 5`), which Lua 5.4 never hands to `__eq`.
//!
//! Without a host (a bare embedding of this crate) such a literal raises an error when it is
//! evaluated, and equality keeps Lua 5.4's rule.

use super::error::LuaResult;
use super::metamethod::Tm;
use super::state::Lua;
use super::value::Value;
use crate::gc::Gc;
use crate::number::CDataLiteral;
use crate::vm::table::Table;

/// Makes the value of a suffixed literal; called the first time each literal runs (the
/// function's prototype keeps the value for later runs, as LuaJIT keeps one cdata per literal).
pub type CDataLiteralHook = fn(&mut Lua, CDataLiteral) -> LuaResult<Value>;

impl Lua {
    /// Installs the function that makes `123LL`, `123ULL` and `12.5i` literals into values.
    pub fn set_cdata_literal_hook(&mut self, hook: CDataLiteralHook) {
        self.cdata_literal_hook = Some(hook);
    }

    /// The value of a suffixed literal (the `LoadCData` instruction, the first time it runs).
    pub(crate) fn cdata_literal(&mut self, lit: CDataLiteral) -> LuaResult<Value> {
        match self.cdata_literal_hook {
            Some(hook) => hook(self, lit),
            None => Err(self.runtime_error(&format!(
                "cannot evaluate the literal {}: 64-bit integer and complex literals need the ffi module",
                lit.source_text()
            ))),
        }
    }

    /// Makes userdata with metatable `mt` compare with `==` against values of other types
    /// (nil, booleans, numbers, strings) through `mt.__eq`, as LuaJIT's cdata do. The
    /// metatable stays alive as long as the state.
    pub fn set_mixed_eq_metatable(&mut self, mt: Gc<Table>) {
        self.mixed_eq_mt = Some(mt);
    }

    /// `a == b` where exactly one is a userdata and the other is not a table: `None` unless
    /// the userdata's metatable was given to `set_mixed_eq_metatable`.
    pub(crate) fn mixed_equals(&mut self, a: Value, b: Value) -> LuaResult<Option<bool>> {
        let Some(mixed) = self.mixed_eq_mt else { return Ok(None) };
        let ud_mt = match (a, b) {
            (Value::UserData(u), other) | (other, Value::UserData(u))
                if !matches!(other, Value::UserData(_) | Value::Table(_)) =>
            {
                u.metatable()
            }
            _ => return Ok(None),
        };
        if ud_mt.is_none_or(|mt| !Gc::ptr_eq(mt, mixed)) {
            return Ok(None);
        }
        let h = self.metamethod(if matches!(a, Value::UserData(_)) { a } else { b }, Tm::Eq);
        if h.is_nil() {
            return Ok(Some(false));
        }
        Ok(Some(self.call_meta1(h, &[a, b])?.truthy()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::dump::dump;
    use crate::bytecode::undump::undump;
    use crate::bytecode::{Constant, Instr, OpCode};

    fn run(lua: &mut Lua, src: &str) -> LuaResult<Vec<Value>> {
        let f = lua.load_text(src.as_bytes(), "=t")?;
        lua.call_function(f, &[])
    }

    fn text(lua: &mut Lua, v: Value) -> String {
        match lua.tostring(v) {
            Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
            other => panic!("tostring gave {other:?}"),
        }
    }

    #[test]
    fn literals_without_a_host_raise_an_error() {
        let mut lua = Lua::new();
        let f = lua.load_text(b"local x = 1\nreturn 0xffULL", "=t");
        assert!(f.is_ok(), "the chunk compiles");
        let err = run(&mut lua, "local x = 1\nreturn 0xffULL").unwrap_err();
        let msg = text(&mut lua, err.value);
        assert_eq!(
            msg,
            "t:2: cannot evaluate the literal 255ULL: 64-bit integer and complex literals need the ffi module"
        );
    }

    #[test]
    fn the_hook_makes_each_literal() {
        let mut lua = Lua::new();
        lua.set_cdata_literal_hook(|lua, lit| Ok(lua.str_value(&format!("<{}>", lit.source_text()))));
        let vs = run(&mut lua, "local t = {} for i = 1, 2 do t[i] = 2.5i end return 1ll, 0x10uLL, t[1], t[2]").unwrap();
        let texts: Vec<String> = vs.into_iter().map(|v| text(&mut lua, v)).collect();
        assert_eq!(texts, ["<1LL>", "<16ULL>", "<2.5i>", "<2.5i>"]);
    }

    static HOOK_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    #[test]
    fn each_literal_is_made_once() {
        let mut lua = Lua::new();
        lua.set_cdata_literal_hook(|lua, lit| {
            HOOK_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(lua.str_value(&lit.source_text()))
        });
        // A loop runs one literal five times; two equal literals are two constants.
        run(&mut lua, "for i = 1, 5 do local x = 1LL end local a, b = 2LL, 2LL").unwrap();
        lua.collect_garbage();
        let f = lua.load_text(b"return 3i", "=t").unwrap();
        lua.set_global("f", f); // rooted across the collections
        for _ in 0..3 {
            lua.call_function(f, &[]).unwrap();
            lua.collect_garbage();
        }
        assert_eq!(HOOK_CALLS.load(std::sync::atomic::Ordering::Relaxed), 4);
    }

    #[test]
    fn binary_chunks_keep_the_literals() {
        let p = crate::compile_source(b"return 1LL, 18446744073709551615ULL, -2.5i", "=t").unwrap();
        let lits: Vec<&Constant> = p.constants.iter().filter(|c| matches!(c, Constant::CData(_))).collect();
        assert_eq!(
            lits,
            [
                &Constant::CData(CDataLiteral::Int64(1)),
                &Constant::CData(CDataLiteral::UInt64(u64::MAX)),
                &Constant::CData(CDataLiteral::Imaginary(-2.5)),
            ]
        );
        for strip in [false, true] {
            assert_eq!(undump(&dump(&p, strip)).unwrap().constants, p.constants);
        }
    }

    #[test]
    fn the_verifier_keeps_literals_to_load_cdata() {
        let mut p = crate::compile_source(b"return 1LL", "=t").unwrap();
        let pc = p.code.iter().position(|i| i.op() == OpCode::LoadCData).unwrap();
        let i = p.code[pc];
        p.code[pc] = Instr::abx(OpCode::LoadK, i.a(), i.bx());
        let mut lua = Lua::new();
        assert!(lua.load_proto(p.clone(), None).is_err(), "LoadK of a literal");
        p.code[pc] = i;
        p.constants[i.bx() as usize] = Constant::Int(1);
        assert!(lua.load_proto(p, None).is_err(), "LoadCData of a plain constant");
    }

    fn always_equal(lua: &mut Lua) -> LuaResult<usize> {
        lua.push(Value::Bool(true));
        Ok(1)
    }

    #[test]
    fn mixed_equality_is_opt_in() {
        let mut lua = Lua::new();
        let mt = lua.new_table();
        let eq = lua.new_native("eq", always_equal);
        lua.set_field(mt, "__eq", eq);
        let u = lua.new_userdata(Box::new(()), 0);
        u.set_metatable(Some(mt));
        lua.set_global("u", Value::UserData(u));
        let src = "local n, k = 7, nil return u == 7, u == n, 5 == u, u == nil, u ~= k, u == 'x', u == {}";
        let plain: Vec<bool> = run(&mut lua, src).unwrap().iter().map(|v| v.truthy()).collect();
        assert_eq!(plain, [false, false, false, false, true, false, false], "Lua 5.4's rule");
        lua.set_mixed_eq_metatable(mt);
        lua.collect_garbage();
        let mixed: Vec<bool> = run(&mut lua, src).unwrap().iter().map(|v| v.truthy()).collect();
        assert_eq!(mixed, [true, true, true, true, false, true, false]);
    }
}
