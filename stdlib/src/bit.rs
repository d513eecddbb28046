//! The `bit` module of LuaJIT (BitOp): 32-bit operations on numbers, so that scripts written
//! for LuaJIT (and its FFI bindings) run unchanged. As in LuaJIT's standalone interpreter it
//! is a global as well as `package.loaded.bit`.
//!
//! Arguments are normalised as LuaJIT does: a float is rounded to an integer (halves to even)
//! and taken modulo 2^32, by the same floating-point addition LuaJIT uses, so even values past
//! 2^51, infinities and NaN give LuaJIT's results; an integer keeps its low 32 bits (what
//! LuaJIT does with 64-bit integer cdata). Numeric strings are converted. Results are signed
//! 32-bit integers.

use rivet_lang::number::Number;
use rivet_lang::vm::ops::to_number;
use rivet_lang::{Lua, LuaResult, Value};

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("tobit", "bit.tobit", tobit),
            ("tohex", "bit.tohex", tohex),
            ("bnot", "bit.bnot", bnot),
            ("band", "bit.band", band),
            ("bor", "bit.bor", bor),
            ("bxor", "bit.bxor", bxor),
            ("lshift", "bit.lshift", lshift),
            ("rshift", "bit.rshift", rshift),
            ("arshift", "bit.arshift", arshift),
            ("rol", "bit.rol", rol),
            ("ror", "bit.ror", ror),
            ("bswap", "bit.bswap", bswap),
        ],
    );
    let g = lua.globals();
    lua.set_field(g, "bit", Value::Table(t));
}

/// 2^52 + 2^51: adding it puts the integer part of a float (rounded to nearest, ties to even)
/// in the low bits of the sum's representation (LuaJIT's `lj_num2bit`).
const BIT_ROUNDING: f64 = 6755399441055744.0;

/// A number's 32-bit value, as LuaJIT normalises it.
pub fn normalise(n: Number) -> i32 {
    match n {
        Number::Int(i) => i as i32,
        Number::Float(f) => (f + BIT_ROUNDING).to_bits() as u32 as i32,
    }
}

fn check_bit(lua: &mut Lua, n: usize) -> LuaResult<i32> {
    match to_number(lua.arg(n)) {
        Some(x) if n <= lua.nargs() => Ok(normalise(x)),
        _ => Err(lua.type_error(n, "number")),
    }
}

fn push_bit(lua: &mut Lua, x: i32) -> LuaResult<usize> {
    lua.push(Value::Int(x as i64));
    Ok(1)
}

fn tobit(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_bit(lua, 1)?;
    push_bit(lua, x)
}

fn bnot(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_bit(lua, 1)?;
    push_bit(lua, !x)
}

fn bswap(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_bit(lua, 1)?;
    push_bit(lua, x.swap_bytes())
}

/// `band`, `bor`, `bxor`: one or more arguments.
fn fold(lua: &mut Lua, op: fn(i32, i32) -> i32) -> LuaResult<usize> {
    let mut acc = check_bit(lua, 1)?;
    for n in 2..=lua.nargs() {
        acc = op(acc, check_bit(lua, n)?);
    }
    push_bit(lua, acc)
}

fn band(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a & b)
}

fn bor(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a | b)
}

fn bxor(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a ^ b)
}

/// `(x, n)` for shifts and rotations: the count is taken modulo 32.
fn shift_args(lua: &mut Lua) -> LuaResult<(i32, u32)> {
    let x = check_bit(lua, 1)?;
    let n = check_bit(lua, 2)?;
    Ok((x, n as u32 & 31))
}

fn lshift(lua: &mut Lua) -> LuaResult<usize> {
    let (x, n) = shift_args(lua)?;
    push_bit(lua, ((x as u32) << n) as i32)
}

fn rshift(lua: &mut Lua) -> LuaResult<usize> {
    let (x, n) = shift_args(lua)?;
    push_bit(lua, ((x as u32) >> n) as i32)
}

fn arshift(lua: &mut Lua) -> LuaResult<usize> {
    let (x, n) = shift_args(lua)?;
    push_bit(lua, x >> n)
}

fn rol(lua: &mut Lua) -> LuaResult<usize> {
    let (x, n) = shift_args(lua)?;
    push_bit(lua, (x as u32).rotate_left(n) as i32)
}

fn ror(lua: &mut Lua) -> LuaResult<usize> {
    let (x, n) = shift_args(lua)?;
    push_bit(lua, (x as u32).rotate_right(n) as i32)
}

/// `tohex(x [, n])`: `n` hexadecimal digits (default 8), upper case when `n` is negative.
fn tohex(lua: &mut Lua) -> LuaResult<usize> {
    let x = check_bit(lua, 1)?;
    let n = if lua.nargs() >= 2 { Some(check_bit(lua, 2)?) } else { None };
    let text = hex_digits(x, n);
    let v = lua.str_value(&text);
    lua.push(v);
    Ok(1)
}

/// The digits LuaJIT 2.1 prints. Past 16 digits the count is a printf precision kept in a
/// byte (as LuaJIT stores it): counts of 255 + 256k print the plain value, other large counts
/// wrap modulo 256. A count of -2^31 stays negative when negated and prints nothing.
pub fn hex_digits(x: i32, n: Option<i32>) -> String {
    let mut n = n.unwrap_or(8);
    let upper = n < 0;
    if upper {
        n = n.wrapping_neg();
    }
    let mut b = x as u32 as u64;
    if n < 16 {
        // The mask keeps the low n digits; the shift count wraps at 64 as the hardware's does.
        let bits = (4i64 * n as i64).rem_euclid(64) as u32;
        b &= (1u64 << bits).wrapping_sub(1);
    }
    let precision = (n as u32).wrapping_add(1) & 255;
    let digits = if precision == 0 {
        format!("{b:x}")
    } else if precision == 1 && b == 0 {
        // printf("%.0x", 0) prints no digit.
        String::new()
    } else {
        format!("{b:0width$x}", width = precision as usize - 1)
    };
    if upper {
        digits.to_ascii_uppercase()
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_matches_luajit() {
        // Values printed by LuaJIT 2.1 (`bit.tobit`).
        assert_eq!(normalise(Number::Float(4294967297.0)), 1);
        assert_eq!(normalise(Number::Float(2.5)), 2);
        assert_eq!(normalise(Number::Float(3.5)), 4);
        assert_eq!(normalise(Number::Float(-2.5)), -2);
        assert_eq!(normalise(Number::Float(f64::INFINITY)), 0);
        assert_eq!(normalise(Number::Float(f64::NAN)), 0);
        assert_eq!(normalise(Number::Float(1152921504606846979.0)), 0);
        assert_eq!(normalise(Number::Float(1e300)), -2013235812);
        assert_eq!(normalise(Number::Int(0x1_2345_6789)), 591751049);
        assert_eq!(normalise(Number::Int(i64::MAX)), -1);
    }

    #[test]
    fn hex_digits_match_luajit() {
        // Values printed by LuaJIT 2.1 (`bit.tohex(0x12345678, n)`).
        let x = 0x12345678;
        assert_eq!(hex_digits(x, None), "12345678");
        assert_eq!(hex_digits(x, Some(0)), "");
        assert_eq!(hex_digits(x, Some(2)), "78");
        assert_eq!(hex_digits(x, Some(-1)), "8");
        assert_eq!(hex_digits(x, Some(17)), "00000000012345678");
        assert_eq!(hex_digits(x, Some(255)), "12345678");
        assert_eq!(hex_digits(x, Some(300)).len(), 44);
        assert_eq!(hex_digits(x, Some(-254)).len(), 254);
        assert_eq!(hex_digits(x, Some(i32::MIN)), "");
        assert_eq!(hex_digits(0xabcdef, Some(-4)), "CDEF");
        assert_eq!(hex_digits(-1, None), "ffffffff");
    }
}
