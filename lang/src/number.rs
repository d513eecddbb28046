//! Lua numbers as text: string -> number conversion (the lexer's numerals, `tonumber`,
//! arithmetic coercion) and number -> string formatting (`tostring`, `print`, `..`,
//! `string.format`).
//!
//! Owns the exact rules of Lua 5.4's `lobject.c` (`luaO_str2num`, `tostringbuff`) and of
//! `lbaselib.c`'s `tonumber(s, base)`, plus glibc's `printf` float conversions that Lua
//! delegates to (`%.14g` for `tostring`, `%a %e %f %g` for `string.format`). It knows nothing
//! of Lua values, the VM or errors: every function is pure and total.
//!
//! Expected values in the tests were produced by the reference `lua5.4` (5.4.4 on glibc).

mod printf;
mod suffixed;
#[cfg(test)]
mod tests;

pub use printf::{format_float, pad_numeric, NumericFlags};
pub use suffixed::{may_start_suffix, suffixed_numeral, CDataLiteral};

use std::fmt;

/// A Lua number: the integer and float subtypes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    /// The value as a float (`cast_num` for integers: rounds to nearest for |i| > 2^53).
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// `tostring` form: `fmt_int` / `fmt_float`.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => f.write_str(&fmt_float(x)),
        }
    }
}

/// C's `isspace` in the "C" locale. Lua's `lisspace` (lctype.c) and glibc's `strtod` use
/// the same six characters, so one predicate serves both halves of `luaO_str2num`.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn trim_spaces(text: &[u8]) -> &[u8] {
    let start = text.iter().position(|&b| !is_space(b)).unwrap_or(text.len());
    let end = text.iter().rposition(|&b| !is_space(b)).map_or(start, |p| p + 1);
    &text[start..end]
}

/// Splits an optional leading `-`/`+`; returns (negative, rest).
fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

fn strip_hex_prefix(s: &[u8]) -> Option<&[u8]> {
    match s {
        [b'0', b'x' | b'X', rest @ ..] => Some(rest),
        _ => None,
    }
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Converts a numeral (with optional surrounding whitespace and sign) as Lua's
/// `lua_stringtonumber` does. Returns `None` if the whole text is not a numeral.
///
/// `luaO_str2num` first tries `l_str2int` (decimal integers that fit in an `i64`, or hex
/// integers wrapping modulo 2^64) and falls back to `l_str2d` (C `strtod`, minus any text
/// containing `n`/`N`, which rejects `inf` and `nan`). Callers compare the consumed length with
/// the string length, so an embedded NUL makes the conversion fail.
pub fn str2number(text: &[u8]) -> Option<Number> {
    if text.contains(&0) {
        return None;
    }
    let s = trim_spaces(text);
    if let Some(i) = str2int(s) {
        return Some(Number::Int(i));
    }
    str2float(s).map(Number::Float)
}

/// `l_str2int` on trimmed text.
fn str2int(s: &[u8]) -> Option<i64> {
    let (negative, s) = split_sign(s);
    let magnitude = if let Some(digits) = strip_hex_prefix(s) {
        // Hex integers wrap around (lobject.c accumulates in lua_Unsigned with no check).
        if digits.is_empty() {
            return None;
        }
        digits.iter().try_fold(0u64, |acc, &b| hex_value(b).map(|d| acc.wrapping_mul(16).wrapping_add(u64::from(d))))?
    } else {
        if s.is_empty() {
            return None;
        }
        // Decimal integers must fit: up to 2^63 - 1, or 2^63 when negative (so that
        // "-9223372036854775808" is math.mininteger); otherwise the text is read as a float.
        let limit = if negative { 1u64 << 63 } else { i64::MAX as u64 };
        s.iter().try_fold(0u64, |acc, &b| {
            let d = (b as char).to_digit(10)?;
            acc.checked_mul(10)?.checked_add(u64::from(d)).filter(|&v| v <= limit)
        })?
    };
    let value = magnitude as i64;
    Some(if negative { value.wrapping_neg() } else { value })
}

/// `l_str2d` on trimmed text: the subset of `strtod` syntax that Lua accepts (no
/// `inf`/`infinity`/`nan`, which all contain an `n`), consuming the whole text.
fn str2float(s: &[u8]) -> Option<f64> {
    let (negative, body) = split_sign(s);
    if let Some(hex) = strip_hex_prefix(body) {
        let magnitude = hex_float(hex)?;
        return Some(if negative { -magnitude } else { magnitude });
    }
    if !is_decimal_float(body) {
        return None;
    }
    // The text is validated ASCII in a form Rust's parser also accepts; its conversion is
    // correctly rounded for any number of digits, as glibc's strtod is.
    std::str::from_utf8(s).ok()?.parse::<f64>().ok()
}

/// `digits [. digits] [(e|E) [sign] digits]` with at least one mantissa digit.
fn is_decimal_float(s: &[u8]) -> bool {
    let int_digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut rest = &s[int_digits..];
    let mut frac_digits = 0;
    if let Some((b'.', after)) = rest.split_first() {
        frac_digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = &after[frac_digits..];
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    match rest.split_first() {
        None => true,
        Some((b'e' | b'E', exp)) => {
            let (_, exp_digits) = split_sign(exp);
            !exp_digits.is_empty() && exp_digits.iter().all(u8::is_ascii_digit)
        }
        Some(_) => false,
    }
}

/// Parses a decimal exponent, saturating: any exponent beyond ±2^40 already overflows to
/// infinity or underflows to zero, as strtod's result does.
fn parse_exponent(s: &[u8]) -> Option<i64> {
    let (negative, digits) = split_sign(s);
    if digits.is_empty() {
        return None;
    }
    let magnitude = digits.iter().try_fold(0i64, |acc, &b| {
        let d = (b as char).to_digit(10)?;
        Some((acc * 10 + i64::from(d)).min(1 << 40))
    })?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The part of a hex float after `0x`: `hexdigits [. hexdigits] [(p|P) [sign] digits]`, at
/// least one hex digit, correctly rounded to nearest-even as glibc's strtod does.
fn hex_float(s: &[u8]) -> Option<f64> {
    // The significand keeps at most 60 bits; later non-zero digits only set `sticky`, which
    // is all round-to-nearest needs to know about them.
    let mut mantissa: u64 = 0;
    let mut sticky = false;
    let mut exp2: i64 = 0;
    let mut any_digit = false;
    let mut seen_point = false;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(d) = hex_value(b) {
            any_digit = true;
            if mantissa < 1 << 60 {
                mantissa = mantissa * 16 + u64::from(d);
                if seen_point {
                    exp2 -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_point {
                    exp2 += 4;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    match s[i..].split_first() {
        None => {}
        Some((b'p' | b'P', exp)) => exp2 += parse_exponent(exp)?,
        Some(_) => return None,
    }
    Some(round_binary(mantissa, sticky, exp2))
}

/// Rounds `(mantissa + sticky fraction) * 2^exp2` to the nearest f64, ties to even,
/// handling subnormals and overflow.
fn round_binary(mantissa: u64, sticky: bool, exp2: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let bits = i64::from(64 - mantissa.leading_zeros());
    let top = exp2 + bits - 1; // the value lies in [2^top, 2^(top+1))
    if top > 1023 {
        return f64::INFINITY;
    }
    // Normal numbers keep 53 significant bits; below 2^-1022 the precision shrinks.
    let precision = if top >= -1022 { 53 } else { top + 1075 };
    if precision < 0 {
        return 0.0; // below half the smallest subnormal
    }
    let shift = bits - precision;
    let wide = u128::from(mantissa);
    let mut kept = if shift >= 0 {
        let kept = wide >> shift;
        if shift > 0 {
            let rest = wide & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            if rest > half || (rest == half && (sticky || kept & 1 == 1)) {
                kept + 1
            } else {
                kept
            }
        } else {
            kept
        }
    } else {
        wide << -shift
    };
    let mut scale = exp2 + shift; // value = kept * 2^scale
    if kept == 1 << 53 {
        kept >>= 1;
        scale += 1;
    }
    let kept = kept as u64;
    if kept >= 1 << 52 {
        let biased = scale + 52 + 1023;
        if biased >= 0x7ff {
            return f64::INFINITY;
        }
        f64::from_bits(((biased as u64) << 52) | (kept & ((1 << 52) - 1)))
    } else {
        // Subnormal (or the smallest normal after a carry): the encoding is the integer
        // count of 2^-1074 units.
        debug_assert_eq!(scale, -1074);
        f64::from_bits(kept)
    }
}

/// `tonumber(s, base)` for base 2..=36 as lbaselib.c's `b_str2int`: optional surrounding
/// whitespace, optional `-`/`+`, then alphanumeric digits (case-insensitive) below `base`.
/// Accumulates in unsigned 64-bit arithmetic, so long numerals wrap around modulo 2^64.
pub fn str2int_base(text: &[u8], base: u32) -> Option<i64> {
    if !(2..=36).contains(&base) {
        return None;
    }
    let s = trim_spaces(text);
    let (negative, digits) = split_sign(s);
    if digits.is_empty() {
        return None;
    }
    let magnitude = digits.iter().try_fold(0u64, |acc, &b| {
        let d = (b as char).to_digit(36).filter(|&d| d < base)?;
        Some(acc.wrapping_mul(u64::from(base)).wrapping_add(u64::from(d)))
    })?;
    let value = magnitude as i64;
    Some(if negative { value.wrapping_neg() } else { value })
}

/// `tostring` of an integer: plain decimal (`LUA_INTEGER_FMT` is `%lld`).
pub fn fmt_int(i: i64) -> String {
    i.to_string()
}

/// `tostring` of a float: `%.14g` (`LUAI_NUMFFORMAT`), then lobject.c's `tostringbuff`
/// appends ".0" when the text "looks like an int" (only `-` and digits), so `1.0`, `-0.0`
/// and `1e+15` stay distinguishable from integers while `inf`, `-nan` are left alone.
pub fn fmt_float(f: f64) -> String {
    let mut text = format_float(f, b'g', Some(14), false);
    if text.bytes().all(|b| b == b'-' || b.is_ascii_digit()) {
        text.push_str(".0");
    }
    text
}

/// `tostring` of a number.
pub fn fmt_number(n: Number) -> String {
    match n {
        Number::Int(i) => fmt_int(i),
        Number::Float(f) => fmt_float(f),
    }
}
