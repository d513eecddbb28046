//! LuaJIT's suffixed numerals: `123LL` (an `int64_t`), `123ULL` (a `uint64_t`) and `12.5i`
//! (an imaginary `complex`). The language only reads them; what value they become is up to
//! the host (rivet's `ffi` module makes a cdata, see `Lua::set_cdata_literal_hook`).
//!
//! The rules are LuaJIT 2.1's (checked against `luajit -e`): the suffixes are matched without
//! regard to case; `LL` and `ULL` (also spelt `LLU`) take a decimal or hexadecimal integer
//! with no fraction or exponent whose value fits in 64 bits unsigned (a signed literal past
//! `2^63 - 1` wraps, as in C: `0xffffffffffffffffLL` is `-1LL`); `i` takes any numeral.

use super::{str2number, Number};

/// The value of a suffixed numeral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CDataLiteral {
    /// `123LL`
    Int64(i64),
    /// `123ULL`
    UInt64(u64),
    /// `12.5i`: the imaginary part of a complex number whose real part is 0.
    Imaginary(f64),
}

impl CDataLiteral {
    /// The literal with a minus sign in front (`-1ULL`, `-0i`), as LuaJIT folds it: integers
    /// wrap, an imaginary part changes sign.
    pub fn negated(&self) -> CDataLiteral {
        match *self {
            CDataLiteral::Int64(i) => CDataLiteral::Int64(i.wrapping_neg()),
            CDataLiteral::UInt64(u) => CDataLiteral::UInt64(u.wrapping_neg()),
            CDataLiteral::Imaginary(f) => CDataLiteral::Imaginary(-f),
        }
    }

    /// The source form, for listings and messages (`-1LL`, `18446744073709551615ULL`, `2.5i`).
    pub fn source_text(&self) -> String {
        match *self {
            CDataLiteral::Int64(i) => format!("{i}LL"),
            CDataLiteral::UInt64(u) => format!("{u}ULL"),
            CDataLiteral::Imaginary(f) => format!("{}i", Number::Float(f)),
        }
    }
}

/// Whether a numeral touching the letter `c` may be a suffixed one (`1LL`, `1ULL`, `1i`).
pub fn may_start_suffix(c: u8) -> bool {
    matches!(c.to_ascii_lowercase(), b'l' | b'u' | b'i')
}

/// The literal that `numeral` (a Lua numeral's text) followed by `suffix` stands for, or
/// `None` when LuaJIT rejects the combination ("malformed number").
pub fn suffixed_numeral(numeral: &[u8], suffix: &[u8]) -> Option<CDataLiteral> {
    match suffix.to_ascii_lowercase().as_slice() {
        b"ll" => integer_bits(numeral).map(|u| CDataLiteral::Int64(u as i64)),
        b"ull" | b"llu" => integer_bits(numeral).map(CDataLiteral::UInt64),
        b"i" => imaginary(numeral).map(CDataLiteral::Imaginary),
        _ => None,
    }
}

/// A decimal or hexadecimal integer numeral's value when it fits in 64 bits unsigned.
fn integer_bits(numeral: &[u8]) -> Option<u64> {
    let (digits, radix) = match numeral {
        [b'0', b'x' | b'X', rest @ ..] => (rest, 16),
        _ => (numeral, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &d in digits {
        let digit = (d as char).to_digit(radix)?;
        value = value.checked_mul(u64::from(radix))?.checked_add(u64::from(digit))?;
    }
    Some(value)
}

/// A hexadecimal digit's value.
fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        _ => d.to_ascii_lowercase() - b'a' + 10,
    }
}

/// The value of the numeral before an `i`, as a double (the imaginary part).
fn imaginary(numeral: &[u8]) -> Option<f64> {
    // A hexadecimal integer past 64 bits wraps as a Lua integer; LuaJIT reads it as a double.
    if let [b'0', b'x' | b'X', digits @ ..] = numeral {
        if !digits.is_empty() && digits.iter().all(u8::is_ascii_hexdigit) {
            return Some(digits.iter().fold(0.0, |acc, &d| acc * 16.0 + f64::from(hex_value(d))));
        }
    }
    match str2number(numeral)? {
        Number::Int(i) => Some(i as f64),
        Number::Float(f) => Some(f),
    }
}

#[cfg(test)]
mod tests {
    use super::CDataLiteral::*;
    use super::*;

    fn lit(numeral: &str, suffix: &str) -> Option<CDataLiteral> {
        suffixed_numeral(numeral.as_bytes(), suffix.as_bytes())
    }

    #[test]
    fn integers_as_luajit_reads_them() {
        // Each value printed by `luajit -e 'print(<numeral><suffix>)'` (LuaJIT 2.1).
        assert_eq!(lit("123", "LL"), Some(Int64(123)));
        assert_eq!(lit("123", "ll"), Some(Int64(123)));
        assert_eq!(lit("1", "lL"), Some(Int64(1)));
        assert_eq!(lit("123", "uLL"), Some(UInt64(123)));
        assert_eq!(lit("1", "LLU"), Some(UInt64(1)));
        assert_eq!(lit("0xff", "ULL"), Some(UInt64(255)));
        assert_eq!(lit("00012", "LL"), Some(Int64(12)));
        assert_eq!(lit("0x00000000000000000001", "LL"), Some(Int64(1)));
        assert_eq!(lit("9223372036854775808", "LL"), Some(Int64(i64::MIN)));
        assert_eq!(lit("18446744073709551615", "LL"), Some(Int64(-1)));
        assert_eq!(lit("0xffffffffffffffff", "ULL"), Some(UInt64(u64::MAX)));
    }

    #[test]
    fn rejected_as_luajit_rejects_them() {
        for (n, s) in [
            ("1.5", "LL"),
            ("1.", "LL"),
            ("1e2", "LL"),
            ("0x1p4", "LL"),
            ("0x", "ULL"),
            ("99999999999999999999", "LL"),
            ("18446744073709551616", "ULL"),
            ("0x7fffffffffffffffff", "LL"),
            ("1", "L"),
            ("1", "U"),
            ("1", "ul"),
            ("1", "LuL"),
            ("1", "uuLL"),
            ("1", "LLi"),
            ("1", "ULLi"),
            ("1", "i2"),
        ] {
            assert_eq!(lit(n, s), None, "{n}{s}");
        }
    }

    #[test]
    fn imaginary_parts() {
        assert_eq!(lit("12.5", "i"), Some(Imaginary(12.5)));
        assert_eq!(lit("2", "I"), Some(Imaginary(2.0)));
        assert_eq!(lit("0x10", "i"), Some(Imaginary(16.0)));
        assert_eq!(lit("0x1p4", "i"), Some(Imaginary(16.0)));
        assert_eq!(lit("0x.8", "i"), Some(Imaginary(0.5)));
        assert_eq!(lit("1e400", "i"), Some(Imaginary(f64::INFINITY)));
        assert_eq!(lit("0x10000000000000000", "i"), Some(Imaginary(18446744073709551616.0)));
        assert_eq!(lit("1e", "i"), None);
    }

    #[test]
    fn negation_folds_as_luajit() {
        assert_eq!(Int64(i64::MIN).negated(), Int64(i64::MIN));
        assert_eq!(UInt64(1).negated(), UInt64(u64::MAX));
        assert!(matches!(Imaginary(0.0).negated(), Imaginary(f) if f.is_sign_negative()));
        assert_eq!(Imaginary(12.5).negated(), Imaginary(-12.5));
    }

    #[test]
    fn source_text() {
        assert_eq!(Int64(-1).source_text(), "-1LL");
        assert_eq!(UInt64(u64::MAX).source_text(), "18446744073709551615ULL");
        assert_eq!(Imaginary(2.5).source_text(), "2.5i");
        assert_eq!(Imaginary(2.0).source_text(), "2.0i");
    }
}
