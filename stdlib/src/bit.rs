//! The `bit` module of LuaJIT (BitOp): 32-bit operations on numbers, so that scripts written
//! for LuaJIT (and its FFI bindings) run unchanged. As in LuaJIT's standalone interpreter it
//! is a global as well as `package.loaded.bit`.
//!
//! Arguments are normalised as LuaJIT does: a float is rounded to an integer (halves to even)
//! and taken modulo 2^32, by the same floating-point addition LuaJIT uses, so even values past
//! 2^51, infinities and NaN give LuaJIT's results; an integer keeps its low 32 bits (what
//! LuaJIT does with 64-bit integer cdata). Numeric strings are converted. Results are signed
//! 32-bit integers.
//!
//! As in LuaJIT 2.1, a cdata argument makes an operation 64-bit: `band`, `bor` and `bxor`
//! when any argument is one, the other functions when their first argument is one (`tohex`
//! then prints 16 digits). The arguments are converted to `int64_t`, or to `uint64_t` if one
//! is a `uint64_t`, and the result is a boxed value of that type; `tobit` still gives a
//! number.

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

/// Argument `n` as LuaJIT 2.1's library takes it: a cdata's 64-bit value (and whether it is
/// a `uint64_t`), or a number.
enum BitArg {
    Wide(u64, bool),
    Narrow(Number),
}

fn bit_arg(lua: &mut Lua, n: usize) -> LuaResult<BitArg> {
    let v = lua.arg(n);
    if n <= lua.nargs() {
        if let Some((bits, unsigned)) = crate::ffi::cdata_int64(lua, v) {
            return Ok(BitArg::Wide(bits, unsigned));
        }
    }
    match to_number(v) {
        Some(x) if n <= lua.nargs() => Ok(BitArg::Narrow(x)),
        _ => Err(lua.type_error(n, "number")),
    }
}

/// A 32-bit argument (a shift count, a digit count): a cdata gives its low 32 bits.
fn count_arg(lua: &mut Lua, n: usize) -> LuaResult<i32> {
    Ok(match bit_arg(lua, n)? {
        BitArg::Wide(bits, _) => bits as i32,
        BitArg::Narrow(x) => normalise(x),
    })
}

fn push_bit(lua: &mut Lua, x: i32) -> LuaResult<usize> {
    lua.push(Value::Int(x as i64));
    Ok(1)
}

/// A 64-bit result: a boxed `int64_t`, or `uint64_t` when `unsigned`.
fn push_wide(lua: &mut Lua, bits: u64, unsigned: bool) -> LuaResult<usize> {
    let v = crate::ffi::box_int64(lua, bits, unsigned)?;
    lua.push(v);
    Ok(1)
}

fn tobit(lua: &mut Lua) -> LuaResult<usize> {
    let x = count_arg(lua, 1)?;
    push_bit(lua, x)
}

/// `bnot` and `bswap`: 64-bit on a cdata, else 32-bit.
fn unary(lua: &mut Lua, wide: fn(u64) -> u64, narrow: fn(i32) -> i32) -> LuaResult<usize> {
    match bit_arg(lua, 1)? {
        BitArg::Wide(bits, unsigned) => push_wide(lua, wide(bits), unsigned),
        BitArg::Narrow(x) => push_bit(lua, narrow(normalise(x))),
    }
}

fn bnot(lua: &mut Lua) -> LuaResult<usize> {
    unary(lua, |x| !x, |x| !x)
}

fn bswap(lua: &mut Lua) -> LuaResult<usize> {
    unary(lua, u64::swap_bytes, i32::swap_bytes)
}

/// `band`, `bor`, `bxor`: one or more arguments. If one is a cdata, all are converted to
/// `int64_t` (`uint64_t` if one is a `uint64_t`) and the result is boxed, as in LuaJIT 2.1.
fn fold(lua: &mut Lua, wide: fn(u64, u64) -> u64, narrow: fn(i32, i32) -> i32) -> LuaResult<usize> {
    let n = lua.nargs().max(1);
    let mut args = Vec::with_capacity(n);
    for i in 1..=n {
        args.push(bit_arg(lua, i)?);
    }
    let mut width = None;
    for a in &args {
        if let BitArg::Wide(_, unsigned) = *a {
            width = Some(width.unwrap_or(false) || unsigned);
        }
    }
    match width {
        Some(unsigned) => {
            let bits = args.iter().map(|a| match *a {
                BitArg::Wide(bits, _) => bits,
                BitArg::Narrow(Number::Int(i)) => i as u64,
                BitArg::Narrow(Number::Float(f)) if unsigned => crate::ffi::float_to_u64(f),
                BitArg::Narrow(Number::Float(f)) => crate::ffi::float_to_i64(f) as u64,
            });
            let acc = bits.reduce(wide).expect("at least one argument");
            push_wide(lua, acc, unsigned)
        }
        None => {
            let acc = args
                .iter()
                .map(|a| match *a {
                    BitArg::Narrow(x) => normalise(x),
                    BitArg::Wide(..) => unreachable!("no cdata argument"),
                })
                .reduce(narrow)
                .expect("at least one argument");
            push_bit(lua, acc)
        }
    }
}

fn band(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a & b, |a, b| a & b)
}

fn bor(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a | b, |a, b| a | b)
}

fn bxor(lua: &mut Lua) -> LuaResult<usize> {
    fold(lua, |a, b| a ^ b, |a, b| a ^ b)
}

/// Shifts and rotations: 64-bit (count modulo 64) when `x` is a cdata, else 32-bit (count
/// modulo 32).
fn shift(lua: &mut Lua, wide: fn(u64, u32) -> u64, narrow: fn(u32, u32) -> u32) -> LuaResult<usize> {
    let x = bit_arg(lua, 1)?;
    let n = count_arg(lua, 2)? as u32;
    match x {
        BitArg::Wide(bits, unsigned) => push_wide(lua, wide(bits, n & 63), unsigned),
        BitArg::Narrow(x) => push_bit(lua, narrow(normalise(x) as u32, n & 31) as i32),
    }
}

fn lshift(lua: &mut Lua) -> LuaResult<usize> {
    shift(lua, |x, n| x << n, |x, n| x << n)
}

fn rshift(lua: &mut Lua) -> LuaResult<usize> {
    shift(lua, |x, n| x >> n, |x, n| x >> n)
}

fn arshift(lua: &mut Lua) -> LuaResult<usize> {
    shift(lua, |x, n| ((x as i64) >> n) as u64, |x, n| ((x as i32) >> n) as u32)
}

fn rol(lua: &mut Lua) -> LuaResult<usize> {
    shift(lua, u64::rotate_left, u32::rotate_left)
}

fn ror(lua: &mut Lua) -> LuaResult<usize> {
    shift(lua, u64::rotate_right, u32::rotate_right)
}

/// `tohex(x [, n])`: `n` hexadecimal digits (default 8, or 16 for a 64-bit cdata), upper case
/// when `n` is negative.
fn tohex(lua: &mut Lua) -> LuaResult<usize> {
    let (bits, default) = match bit_arg(lua, 1)? {
        BitArg::Wide(bits, _) => (bits, 16),
        BitArg::Narrow(x) => (normalise(x) as u32 as u64, 8),
    };
    let n = if lua.nargs() >= 2 { count_arg(lua, 2)? } else { default };
    let text = hex_bits(bits, n);
    let v = lua.str_value(&text);
    lua.push(v);
    Ok(1)
}

/// The digits LuaJIT 2.1 prints. Past 16 digits the count is a printf precision kept in a
/// byte (as LuaJIT stores it): counts of 255 + 256k print the plain value, other large counts
/// wrap modulo 256. A count of -2^31 stays negative when negated and prints nothing.
pub fn hex_digits(x: i32, n: Option<i32>) -> String {
    hex_bits(x as u32 as u64, n.unwrap_or(8))
}

/// `hex_digits` of a 64-bit value (a 32-bit one zero-extended).
fn hex_bits(mut b: u64, mut n: i32) -> String {
    let upper = n < 0;
    if upper {
        n = n.wrapping_neg();
    }
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
