//! LuaJIT's 64-bit integer arithmetic on cdata, and the cdata of `123LL`, `123ULL` and
//! `12.5i` literals.
//!
//! When an operand of an arithmetic or comparison operator is a boxed C number (`1LL`,
//! `ffi.new("int", 5)`, even `ffi.new("double", 1.5)`) and the other is a number or one too,
//! both are converted to `uint64_t` if either is a boxed `uint64_t`, else to `int64_t` (floats
//! truncate, as a C cast), and the result is a boxed value of that type: `1LL + 1.5` is `2LL`,
//! `1ULL - 2` is `18446744073709551615ULL`. Overflow wraps. Division and `%` truncate as in
//! C, dividing by zero gives LuaJIT's values instead of an error, and `^` is an integer power.
//! Lua 5.4's operators that LuaJIT lacks keep their Lua meaning on 64 bits: `//` floors (and
//! raises Lua's error when dividing by zero), `& | ~ << >>` and unary `~` are bitwise with
//! logical shifts.
#![forbid(unsafe_code)]

use rivet_lang::gc::Gc;
use rivet_lang::number::CDataLiteral;
use rivet_lang::vm::arith::ArithOp;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, LuaResult, Value};

use super::cdata::{convert_num, f64_to_i64, f64_to_u64, CData, Form, Num};
use super::convert::{object_loc, Ctx};
use super::state::{cdata_of, state};
use super::typeinfo::{Scalar, Shape};

/// A numeric operand: a Lua number, or a boxed C number's value and scalar type.
#[derive(Clone, Copy)]
pub(crate) struct Numeric {
    pub value: Value,
    pub boxed: Option<Scalar>,
}

/// The bits of `v` converted to `uint64_t` (`unsigned`) or `int64_t`.
fn bits_of(v: Value, unsigned: bool) -> u64 {
    match v {
        Value::Int(i) => i as u64,
        Value::Float(f) if unsigned => f64_to_u64(f),
        Value::Float(f) => f64_to_i64(f) as u64,
        Value::Bool(b) => u64::from(b),
        _ => 0,
    }
}

/// The operands of a 64-bit operation: `None` unless one of them is a boxed number.
pub(crate) fn operands(x: Numeric, y: Numeric) -> Option<(u64, u64, bool)> {
    if x.boxed.is_none() && y.boxed.is_none() {
        return None;
    }
    let unsigned = x.boxed == Some(Scalar::U64) || y.boxed == Some(Scalar::U64);
    Some((bits_of(x.value, unsigned), bits_of(y.value, unsigned), unsigned))
}

/// `a op b` on 64 bits; `Err` holds an error message.
pub(crate) fn arith(op: ArithOp, a: u64, b: u64, unsigned: bool) -> Result<u64, &'static str> {
    let (sa, sb) = (a as i64, b as i64);
    Ok(match op {
        ArithOp::Add => a.wrapping_add(b),
        ArithOp::Sub => a.wrapping_sub(b),
        ArithOp::Mul => a.wrapping_mul(b),
        // LuaJIT's results for a zero divisor: the most negative int64_t, or 2^63 unsigned.
        ArithOp::Div | ArithOp::Mod if b == 0 => 1 << 63,
        ArithOp::Div if unsigned => a / b,
        ArithOp::Div => sa.wrapping_div(sb) as u64,
        ArithOp::Mod if unsigned => a % b,
        ArithOp::Mod => sa.wrapping_rem(sb) as u64,
        ArithOp::Pow if unsigned => power(a, b),
        ArithOp::Pow if sb < 0 => match sa {
            1 => 1,
            -1 if sb & 1 == 1 => -1i64 as u64,
            -1 => 1,
            _ => 0,
        },
        ArithOp::Pow => power(a, b),
        ArithOp::IDiv if b == 0 => return Err("attempt to perform 'n//0'"),
        ArithOp::IDiv if unsigned => a / b,
        ArithOp::IDiv => {
            let q = sa.wrapping_div(sb);
            (if sa.wrapping_rem(sb) != 0 && ((sa < 0) != (sb < 0)) { q - 1 } else { q }) as u64
        }
        ArithOp::Unm => a.wrapping_neg(),
        ArithOp::BNot => !a,
        ArithOp::BAnd => a & b,
        ArithOp::BOr => a | b,
        ArithOp::BXor => a ^ b,
        ArithOp::Shl => shift_left(a, sb),
        ArithOp::Shr => shift_left(a, sb.wrapping_neg()),
    })
}

/// `a^b` by repeated squaring, wrapping.
fn power(mut a: u64, mut b: u64) -> u64 {
    let mut r: u64 = 1;
    while b != 0 {
        if b & 1 == 1 {
            r = r.wrapping_mul(a);
        }
        a = a.wrapping_mul(a);
        b >>= 1;
    }
    r
}

/// Lua's shift: logical, a negative count shifts the other way, 64 or more gives 0.
fn shift_left(a: u64, n: i64) -> u64 {
    match n {
        n if n <= -64 || n >= 64 => 0,
        n if n >= 0 => a << n,
        n => a >> -n,
    }
}

/// `a < b` (`or_equal`: `a <= b`) on 64 bits.
pub(crate) fn less(a: u64, b: u64, unsigned: bool, or_equal: bool) -> bool {
    match (unsigned, or_equal) {
        (true, false) => a < b,
        (true, true) => a <= b,
        (false, false) => (a as i64) < (b as i64),
        (false, true) => (a as i64) <= (b as i64),
    }
}

impl Ctx<'_> {
    /// A boxed `uint64_t` (`unsigned`) or `int64_t` holding `bits`.
    pub fn new_int64(&mut self, bits: u64, unsigned: bool) -> Gc<UserData> {
        let (ty, s, n) = if unsigned {
            (self.st.ids.uint64, Scalar::U64, Num::U(bits))
        } else {
            (self.st.ids.int64, Scalar::I64, Num::I(bits as i64))
        };
        let cd = CData::new_value(ty, 8, 8, None).expect("a 64-bit integer fits inline");
        cd.own_place().store(s, n).expect("a 64-bit integer cdata holds 8 bytes");
        self.wrap(cd, None)
    }

    /// A boxed `complex` with real part `re` and imaginary part `im`.
    pub fn new_complex(&mut self, re: f64, im: f64) -> Gc<UserData> {
        let cd = CData::new_value(self.st.ids.complex, 16, 8, None).expect("a complex number fits inline");
        let place = cd.own_place();
        place.store(Scalar::F64, Num::F(re)).expect("a complex cdata holds 16 bytes");
        place.offset(8).store(Scalar::F64, Num::F(im)).expect("a complex cdata holds 16 bytes");
        self.wrap(cd, None)
    }
}

/// A boxed `int64_t` (or `uint64_t` when `unsigned`) for code outside the ffi module (the
/// `bit` library's 64-bit results).
pub fn box_int64(lua: &mut Lua, bits: u64, unsigned: bool) -> LuaResult<Value> {
    literal_hook(lua, if unsigned { CDataLiteral::UInt64(bits) } else { CDataLiteral::Int64(bits as i64) })
}

/// The value of a cdata as a 64-bit integer, as LuaJIT's `bit` library takes it: the bits and
/// whether the type is `uint64_t` (every other number type converts to `int64_t`; a complex
/// number gives its real part, a pointer its address). `None` for other values and types.
pub fn cdata_int64(lua: &Lua, v: Value) -> Option<(u64, bool)> {
    let (ud, cd) = cdata_of(&v)?;
    if cd.form == Form::CType {
        return None;
    }
    let info = state(lua).info(cd.ty);
    let place = object_loc(ud, cd).place;
    match info.shape {
        Shape::Scalar(s) | Shape::Enum(s) | Shape::Complex(s) => {
            let n = place.load(s).ok()?;
            let unsigned = s == Scalar::U64 && !matches!(info.shape, Shape::Complex(_));
            Some((convert_num(n, if unsigned { Scalar::U64 } else { Scalar::I64 }), unsigned))
        }
        Shape::Pointer { .. } | Shape::Func => Some((place.load_addr().ok()? as u64, false)),
        _ => None,
    }
}

/// The bits of a boxed `int64_t` or `uint64_t` (`string.format`'s integer conversions take
/// those, as in LuaJIT); `None` for any other value.
pub fn boxed_int64_bits(lua: &Lua, v: Value) -> Option<u64> {
    let (ud, cd) = cdata_of(&v)?;
    if cd.form != Form::Value {
        return None;
    }
    match state(lua).info(cd.ty).shape {
        Shape::Scalar(s @ (Scalar::I64 | Scalar::U64)) => {
            Some(convert_num(object_loc(ud, cd).place.load(s).ok()?, Scalar::U64))
        }
        _ => None,
    }
}

/// Registry key of the native function that makes a literal's cdata (it carries the ffi's
/// roots as upvalues, which the hook, called from the VM, has no other way to reach).
const LITERAL_MAKER_KEY: &str = "rivet.ffi.literal";

const KIND_INT64: i64 = 0;
const KIND_UINT64: i64 = 1;
const KIND_IMAGINARY: i64 = 2;

/// Installs the maker of literal cdata and the hook through which the VM reaches it.
pub(crate) fn install_literal_hook(lua: &mut Lua, maker: Value) {
    let reg = lua.registry();
    lua.set_field(reg, LITERAL_MAKER_KEY, maker);
    lua.set_cdata_literal_hook(literal_hook);
}

fn literal_hook(lua: &mut Lua, lit: CDataLiteral) -> LuaResult<Value> {
    let maker = lua.registry().get_str_bytes(LITERAL_MAKER_KEY.as_bytes());
    let (kind, bits) = match lit {
        CDataLiteral::Int64(i) => (KIND_INT64, i as u64),
        CDataLiteral::UInt64(u) => (KIND_UINT64, u),
        CDataLiteral::Imaginary(f) => (KIND_IMAGINARY, f.to_bits()),
    };
    lua.call_meta1(maker, &[Value::Int(kind), Value::Int(bits as i64)])
}

/// The literal maker: `(kind, bits)` -> cdata.
pub(crate) fn make_literal(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let (kind, bits) = (ctx.lua.check_integer(1)?, ctx.lua.check_integer(2)? as u64);
    let ud = match kind {
        KIND_INT64 => ctx.new_int64(bits, false),
        KIND_UINT64 => ctx.new_int64(bits, true),
        _ => ctx.new_complex(0.0, f64::from_bits(bits)),
    };
    ctx.lua.push(Value::UserData(ud));
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: bool = false;
    const U: bool = true;

    fn op(op: ArithOp, a: i64, b: i64, unsigned: bool) -> i64 {
        arith(op, a as u64, b as u64, unsigned).unwrap() as i64
    }

    #[test]
    fn results_printed_by_luajit() {
        use ArithOp::*;
        // `luajit -e 'print(5LL/0, ...)'` (LuaJIT 2.1).
        assert_eq!(op(Div, 5, 0, I), i64::MIN);
        assert_eq!(op(Div, -5, 0, I), i64::MIN);
        assert_eq!(op(Div, 5, 0, U) as u64, 1 << 63);
        assert_eq!(op(Div, -10, 3, I), -3);
        assert_eq!(op(Div, -7, 2, U) as u64, 9223372036854775804);
        assert_eq!(op(Div, i64::MIN, -1, I), i64::MIN);
        assert_eq!(op(Mod, 5, 0, I), i64::MIN);
        assert_eq!(op(Mod, -7, 3, I), -1);
        assert_eq!(op(Mod, 7, -3, I), 1);
        assert_eq!(op(Mod, -7, 3, U), 0);
        assert_eq!(op(Mod, i64::MIN, -1, I), 0);
        assert_eq!(op(Pow, 2, 10, I), 1024);
        assert_eq!(op(Pow, 2, 63, I), i64::MIN);
        assert_eq!(op(Pow, 3, 40, I), -6289078614652622815);
        assert_eq!(op(Pow, 0, 0, I), 1);
        assert_eq!(op(Pow, -2, 3, I), -8);
        assert_eq!(op(Pow, 2, -1, I), 0);
        assert_eq!(op(Pow, 3, -2, I), 0);
        assert_eq!(op(Pow, -1, -3, I), -1);
        assert_eq!(op(Pow, 1, -5, I), 1);
        assert_eq!(op(Pow, 2, 64, U), 0);
        assert_eq!(op(Pow, 2, -1, U), 0);
        assert_eq!(op(Unm, 1, 1, U) as u64, u64::MAX);
        assert_eq!(op(Sub, 1, 2, U) as u64, u64::MAX);
    }

    #[test]
    fn lua_operators_on_64_bits() {
        use ArithOp::*;
        assert_eq!(op(IDiv, 7, 2, I), 3);
        assert_eq!(op(IDiv, -7, 2, I), -4);
        assert_eq!(op(IDiv, i64::MIN, -1, I), i64::MIN);
        assert!(arith(IDiv, 1, 0, false).is_err());
        assert_eq!(op(Shl, 1, 63, I), i64::MIN);
        assert_eq!(op(Shr, -1, 60, I), 15);
        assert_eq!(op(Shl, 1, 64, I), 0);
        assert_eq!(op(Shl, 16, -2, I), 4);
        assert_eq!(op(BNot, 0, 0, U) as u64, u64::MAX);
    }

    #[test]
    fn conversions_and_order() {
        let n = |value| Numeric { value, boxed: None };
        let b = |value, s| Numeric { value, boxed: Some(s) };
        assert_eq!(operands(n(Value::Int(1)), n(Value::Int(2))), None);
        assert_eq!(operands(b(Value::Int(1), Scalar::I64), n(Value::Float(1.5))), Some((1, 1, false)));
        assert_eq!(operands(b(Value::Int(-1), Scalar::I32), b(Value::Int(1), Scalar::U64)), Some((u64::MAX, 1, true)));
        assert_eq!(operands(b(Value::Int(1), Scalar::I64), n(Value::Float(1e30))), Some((1, 1 << 63, false)));
        assert!(!less(u64::MAX, 1, U, false), "-1 < 1ULL is false in LuaJIT");
        assert!(less(u64::MAX, 1, I, false));
        assert!(less(1, 1, I, true));
    }
}
