//! Where a numeral ends, as Lua's `read_numeral` decides it.
//!
//! The value is not computed here: that is `crate::number::str2number`, shared with
//! `tonumber` and string coercion. This module only finds the token's extent, which is
//! deliberately greedy (hex digits, dots, exponent marks with a sign, and one touching letter)
//! so that `3x`, `3..4` or `0xep` become one malformed token instead of several valid ones.
//!
//! LuaJIT's suffixes (`123LL`, `123ULL`, `12.5i`) extend a numeral: a numeral touching one of
//! their letters takes the whole run of name characters and dots after it, as LuaJIT's lexer does, so
//! that `1LLx`, `1i2` or `1LL..2` are reported whole.

use super::lex_error::{LexError, LexErrorKind};
use crate::number::{may_start_suffix, str2number, suffixed_numeral, CDataLiteral, Number};

/// What a numeral token stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumeralValue {
    /// A Lua number.
    Lua(Number),
    /// A LuaJIT literal (`123LL`, `123ULL`, `12.5i`), made into a cdata at run time.
    CData(CDataLiteral),
}

/// Scans the numeral at `start` (a digit, or a `.` followed by a digit). Returns its value
/// and the offset just past it.
pub fn numeral(src: &[u8], start: usize) -> Result<(NumeralValue, usize), LexError> {
    let mut i = start;
    if src[i] == b'.' {
        i += 1;
    }
    let first = src[i];
    i += 1;
    let mut exponent_marks: &[u8] = b"Ee";
    if first == b'0' && matches!(src.get(i), Some(b'x' | b'X')) {
        i += 1;
        exponent_marks = b"Pp";
    }
    loop {
        match src.get(i) {
            Some(c) if exponent_marks.contains(c) => {
                i += 1;
                if matches!(src.get(i), Some(b'+' | b'-')) {
                    i += 1;
                }
            }
            Some(c) if c.is_ascii_hexdigit() || *c == b'.' => i += 1,
            _ => break,
        }
    }
    let digits_end = i;
    if src.get(i).copied().is_some_and(may_start_suffix) {
        while src.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.') {
            i += 1;
        }
        let text = &src[start..i];
        return match suffixed_numeral(&src[start..digits_end], &src[digits_end..i]) {
            Some(lit) => Ok((NumeralValue::CData(lit), i)),
            None => Err(LexError::new(LexErrorKind::MalformedNumber, i, Some(text.to_vec()))),
        };
    }
    // A numeral touching a letter is malformed: take the letter to show it in the message.
    if src.get(i).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
        i += 1;
    }
    let text = &src[start..i];
    match str2number(text) {
        Some(value) => Ok((NumeralValue::Lua(value), i)),
        None => Err(LexError::new(LexErrorKind::MalformedNumber, i, Some(text.to_vec()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua_numeral(src: &[u8], start: usize) -> Result<(Number, usize), LexError> {
        match numeral(src, start)? {
            (NumeralValue::Lua(n), end) => Ok((n, end)),
            (other, _) => panic!("{other:?} is not a Lua number"),
        }
    }

    fn extent(s: &str) -> &str {
        let end = match numeral(s.as_bytes(), 0) {
            Ok((_, end)) => end,
            Err(err) => err.near.unwrap().len(),
        };
        &s[..end]
    }

    #[test]
    fn extents_follow_read_numeral() {
        assert_eq!(extent("123 "), "123");
        assert_eq!(extent("3.+1"), "3.");
        assert_eq!(extent(".5)"), ".5");
        assert_eq!(extent("1e10,"), "1e10");
        assert_eq!(extent("1e-10+2"), "1e-10");
        assert_eq!(extent("1E+5-"), "1E+5");
        assert_eq!(extent("0x1p4 "), "0x1p4");
        assert_eq!(extent("0xA.8p0;"), "0xA.8p0");
        assert_eq!(extent("0xep-1"), "0xep-1");
        assert_eq!(extent("3x"), "3x");
        assert_eq!(extent("3abcg"), "3abcg");
        assert_eq!(extent(".5e3xyz"), ".5e3x");
        assert_eq!(extent("3..4"), "3..4");
        assert_eq!(extent("1e5e5"), "1e5e5");
        assert_eq!(extent("0x"), "0x");
        assert_eq!(extent("1_"), "1_");
    }

    #[test]
    fn decimal_values() {
        assert_eq!(lua_numeral(b"123", 0).unwrap().0, Number::Int(123));
        assert_eq!(lua_numeral(b"3.", 0).unwrap().0, Number::Float(3.0));
        assert_eq!(lua_numeral(b".5", 0).unwrap().0, Number::Float(0.5));
        assert_eq!(lua_numeral(b"1e10", 0).unwrap().0, Number::Float(1e10));
        assert_eq!(lua_numeral(b"2E-2", 0).unwrap().0, Number::Float(0.02));
    }

    #[test]
    fn malformed_numbers_carry_their_text() {
        for bad in ["3x", "0x", "1e", "1e+", "3..4", ".5e3x", "1..2"] {
            let err = numeral(bad.as_bytes(), 0).unwrap_err();
            assert_eq!(err.kind, LexErrorKind::MalformedNumber);
            assert_eq!(err.near.as_deref(), Some(bad.as_bytes()), "{bad}");
        }
    }

    /// Needs the real `number::str2number` (branch `number`): hex integers wrap modulo 2^64,
    /// decimal integers that overflow become floats, hex floats. May fail until it lands.
    #[test]
    fn numerals_need_number_rs() {
        let value = |s: &str| lua_numeral(s.as_bytes(), 0).unwrap().0;
        assert_eq!(value("0xff"), Number::Int(255));
        assert_eq!(value("0XA"), Number::Int(10));
        assert_eq!(value("0x7fffffffffffffff"), Number::Int(i64::MAX));
        assert_eq!(value("0xffffffffffffffff"), Number::Int(-1));
        assert_eq!(value("0x10000000000000000"), Number::Int(0), "hex integers wrap around");
        assert_eq!(value("9223372036854775807"), Number::Int(i64::MAX));
        assert_eq!(value("9223372036854775808"), Number::Float(9223372036854775808.0));
        assert_eq!(value("0x1p4"), Number::Float(16.0));
        assert_eq!(value("0xA.8p0"), Number::Float(10.5));
        assert_eq!(value("0x.1"), Number::Float(0.0625));
        assert_eq!(value("0x1P-2"), Number::Float(0.25));
        assert_eq!(value("0xA."), Number::Float(10.0));
        assert!(lua_numeral(b"0xep", 0).is_err());
        assert!(lua_numeral(b"0x1p", 0).is_err());
    }

    #[test]
    fn suffixed_numerals() {
        let value = |s: &str| numeral(s.as_bytes(), 0).unwrap();
        assert_eq!(value("1LL+"), (NumeralValue::CData(CDataLiteral::Int64(1)), 3));
        assert_eq!(value("0xffULL)"), (NumeralValue::CData(CDataLiteral::UInt64(255)), 7));
        assert_eq!(value("1.5e1i "), (NumeralValue::CData(CDataLiteral::Imaginary(15.0)), 6));
        assert_eq!(extent("1LLx+1"), "1LLx");
        assert_eq!(extent("1i2 "), "1i2");
        assert_eq!(extent("1.5LL "), "1.5LL");
        assert_eq!(extent("1U "), "1U");
        assert_eq!(extent("1LL..2"), "1LL..2");
    }
}
