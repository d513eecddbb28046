//! Decoding of numeric, character and string literals (C11 §6.4.4, §6.4.5). The type of an
//! integer literal depends on the target and is decided by `consteval.rs`.

/// A decoded numeric literal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    Int {
        value: u64,
        /// `u` suffix.
        unsigned: bool,
        /// Number of `l`s in the suffix (0, 1 or 2).
        longs: u8,
        /// Decimal literals never become unsigned without a `u` (hex and octal can).
        decimal: bool,
    },
    Float {
        value: f64,
        /// `f` suffix: a `float` constant.
        single: bool,
    },
}

pub fn number(text: &str) -> Result<Number, &'static str> {
    let lower = text.to_ascii_lowercase();
    let hex = lower.starts_with("0x");
    let is_float = if hex { lower.contains('p') } else { lower.contains('.') || lower.contains('e') };
    if is_float {
        float(&lower, hex)
    } else {
        integer(&lower, text)
    }
}

fn integer(lower: &str, original: &str) -> Result<Number, &'static str> {
    let (prefix_len, radix, decimal) = if lower.starts_with("0x") {
        (2, 16, false)
    } else if lower.starts_with("0b") {
        (2, 2, false)
    } else if lower.len() > 1 && lower.starts_with('0') && lower.as_bytes()[1].is_ascii_digit() {
        (1, 8, false)
    } else {
        (0, 10, true)
    };
    let rest = &lower[prefix_len..];
    // Octal constants are checked against decimal digits so that `09` is a bad digit, not a
    // bad suffix.
    let digit_radix = if radix == 8 { 10 } else { radix };
    let digits_len = rest.find(|c: char| !c.is_digit(digit_radix)).unwrap_or(rest.len());
    let (digits, suffix) = rest.split_at(digits_len);
    if digits.is_empty() {
        return Err("malformed number");
    }
    if radix == 8 && !digits.chars().all(|c| c.is_digit(8)) {
        return Err("invalid digit in octal constant");
    }
    let (unsigned, longs) = match suffix {
        "" => (false, 0),
        "u" => (true, 0),
        "l" | "ll" | "ul" | "ull" | "lu" | "llu" => {
            // `lL` is not a suffix: both letters of `ll` must have the same case.
            let original_suffix = &original[prefix_len + digits_len..];
            let letters: String = original_suffix.chars().filter(|c| *c == 'l' || *c == 'L').collect();
            if letters.len() == 2 && letters != "ll" && letters != "LL" {
                return Err("invalid integer suffix");
            }
            (suffix.contains('u'), letters.len() as u8)
        }
        _ => return Err("invalid integer suffix"),
    };
    let value = u64::from_str_radix(digits, radix).map_err(|_| "integer constant is too large")?;
    Ok(Number::Int { value, unsigned, longs, decimal })
}

fn float(lower: &str, hex: bool) -> Result<Number, &'static str> {
    let (body, single) = match lower.strip_suffix('f') {
        Some(b) if !hex || b.contains('p') => (b, true),
        _ => (lower.strip_suffix('l').unwrap_or(lower), false),
    };
    let value = if hex { hex_float(&body[2..])? } else { body.parse::<f64>().map_err(|_| "malformed number")? };
    Ok(Number::Float { value, single })
}

/// `1.8p3` (after `0x`): hexadecimal mantissa, binary exponent.
fn hex_float(text: &str) -> Result<f64, &'static str> {
    let (mantissa, exponent) = text.split_once('p').ok_or("malformed number")?;
    let exponent: i32 = exponent.parse().map_err(|_| "malformed number")?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err("malformed number");
    }
    let mut value = 0f64;
    for c in int_part.chars().chain(frac_part.chars()) {
        value = value * 16.0 + c.to_digit(16).ok_or("malformed number")? as f64;
    }
    let scale = exponent - 4 * frac_part.len() as i32;
    Ok(value * 2f64.powi(scale))
}

/// The prefix of a character or string literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    None,
    /// `L`: `wchar_t`.
    Wide,
    /// `u8`.
    Utf8,
    /// `u`: `char16_t`.
    Utf16,
    /// `U`: `char32_t`.
    Utf32,
}

fn split_prefix(text: &str) -> (Prefix, &str) {
    if let Some(rest) = text.strip_prefix("u8") {
        (Prefix::Utf8, rest)
    } else if let Some(rest) = text.strip_prefix('L') {
        (Prefix::Wide, rest)
    } else if let Some(rest) = text.strip_prefix('u') {
        (Prefix::Utf16, rest)
    } else if let Some(rest) = text.strip_prefix('U') {
        (Prefix::Utf32, rest)
    } else {
        (Prefix::None, text)
    }
}

/// A character constant: its prefix and the value of its one character (the byte for plain
/// constants, whose sign the caller applies; the code point for prefixed ones).
pub fn character(text: &str) -> Result<(Prefix, u32), &'static str> {
    let (prefix, quoted) = split_prefix(text);
    let inner = &quoted[1..quoted.len() - 1];
    let units = unescape(inner, prefix != Prefix::None)?;
    match units.as_slice() {
        [] => Err("empty character constant"),
        [one] => Ok((prefix, *one)),
        _ => Err("multi-character character constant"),
    }
}

/// The bytes of a string literal (without the terminating zero).
pub fn string(text: &str) -> Result<Vec<u8>, &'static str> {
    let (prefix, quoted) = split_prefix(text);
    if !matches!(prefix, Prefix::None | Prefix::Utf8) {
        return Err("wide string literals are not supported");
    }
    let mut out = Vec::new();
    for unit in units(&quoted[1..quoted.len() - 1])? {
        match unit {
            Unit::Byte(b) => out.push(b as u8),
            Unit::CodePoint(c) => push_utf8(&mut out, c)?,
        }
    }
    Ok(out)
}

/// Code units of a character constant's contents: bytes (a plain constant's characters
/// count in UTF-8 bytes), or code points when `wide`.
fn unescape(inner: &str, wide: bool) -> Result<Vec<u32>, &'static str> {
    let mut out = Vec::new();
    for unit in units(inner)? {
        match unit {
            Unit::Byte(b) => out.push(b),
            Unit::CodePoint(c) if wide => out.push(c),
            Unit::CodePoint(c) => {
                let mut bytes = Vec::new();
                push_utf8(&mut bytes, c)?;
                out.extend(bytes.into_iter().map(u32::from));
            }
        }
    }
    Ok(out)
}

fn push_utf8(out: &mut Vec<u8>, code_point: u32) -> Result<(), &'static str> {
    let c = char::from_u32(code_point).ok_or("invalid universal character")?;
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    Ok(())
}

/// One unit of a literal's contents.
enum Unit {
    /// A byte value given by a simple, octal or hex escape.
    Byte(u32),
    /// A character written as itself or as `\u`/`\U`.
    CodePoint(u32),
}

fn units(mut text: &str) -> Result<Vec<Unit>, &'static str> {
    let mut out = Vec::new();
    while !text.is_empty() {
        let (unit, len) = one_unit(text)?;
        out.push(unit);
        text = &text[len..];
    }
    Ok(out)
}

/// The first unit of `text` and the bytes it takes.
fn one_unit(text: &str) -> Result<(Unit, usize), &'static str> {
    let mut chars = text.chars();
    let c = chars.next().expect("caller checks non-empty");
    if c != '\\' {
        return Ok((Unit::CodePoint(c as u32), c.len_utf8()));
    }
    let e = chars.next().ok_or("invalid escape sequence")?;
    let simple = match e {
        'a' => Some(7),
        'b' => Some(8),
        'e' | 'E' => Some(27),
        'f' => Some(12),
        'n' => Some(10),
        'r' => Some(13),
        't' => Some(9),
        'v' => Some(11),
        '\\' | '\'' | '"' | '?' => Some(e as u32),
        _ => None,
    };
    if let Some(v) = simple {
        return Ok((Unit::Byte(v), 2));
    }
    match e {
        '0'..='7' => {
            let digits: String = text[1..].chars().take(3).take_while(|c| c.is_digit(8)).collect();
            let v = u32::from_str_radix(&digits, 8).expect("octal digits");
            if v > 0xff {
                return Err("octal escape sequence out of range");
            }
            Ok((Unit::Byte(v), 1 + digits.len()))
        }
        'x' => {
            let digits: String = text[2..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            if digits.is_empty() {
                return Err("\\x used with no following hex digits");
            }
            let v = u32::from_str_radix(&digits, 16).map_err(|_| "hex escape sequence out of range")?;
            if v > 0xff {
                return Err("hex escape sequence out of range");
            }
            Ok((Unit::Byte(v), 2 + digits.len()))
        }
        'u' | 'U' => {
            let n = if e == 'u' { 4 } else { 8 };
            let digits = text.get(2..2 + n).filter(|d| d.chars().all(|c| c.is_ascii_hexdigit()));
            let digits = digits.ok_or("incomplete universal character name")?;
            let v = u32::from_str_radix(digits, 16).expect("hex digits");
            Ok((Unit::CodePoint(v), 2 + n))
        }
        _ => Err("invalid escape sequence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> (u64, bool, u8, bool) {
        match number(text).unwrap() {
            Number::Int { value, unsigned, longs, decimal } => (value, unsigned, longs, decimal),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn integers() {
        assert_eq!(int("42"), (42, false, 0, true));
        assert_eq!(int("0x2Au"), (42, true, 0, false));
        assert_eq!(int("052"), (42, false, 0, false));
        assert_eq!(int("0b101010LL"), (42, false, 2, false));
        assert_eq!(int("42ull"), (42, true, 2, true));
        assert_eq!(int("42LU"), (42, true, 1, true));
        assert_eq!(int("0"), (0, false, 0, true));
        assert_eq!(int("18446744073709551615u"), (u64::MAX, true, 0, true));
        assert_eq!(number("18446744073709551616"), Err("integer constant is too large"));
        assert_eq!(number("42lL"), Err("invalid integer suffix"));
        assert_eq!(number("42x"), Err("invalid integer suffix"));
        assert_eq!(number("09"), Err("invalid digit in octal constant"));
        assert_eq!(number("0x"), Err("malformed number"));
    }

    #[test]
    fn floats() {
        assert_eq!(number("1.5"), Ok(Number::Float { value: 1.5, single: false }));
        assert_eq!(number(".5f"), Ok(Number::Float { value: 0.5, single: true }));
        assert_eq!(number("1e3"), Ok(Number::Float { value: 1000.0, single: false }));
        assert_eq!(number("2.5L"), Ok(Number::Float { value: 2.5, single: false }));
        assert_eq!(number("0x1.8p1"), Ok(Number::Float { value: 3.0, single: false }));
        assert_eq!(number("0x10p-4f"), Ok(Number::Float { value: 1.0, single: true }));
        assert_eq!(number("1.2.3"), Err("malformed number"));
    }

    #[test]
    fn characters_and_strings() {
        assert_eq!(character("'a'"), Ok((Prefix::None, 97)));
        assert_eq!(character("'\\n'"), Ok((Prefix::None, 10)));
        assert_eq!(character("'\\377'"), Ok((Prefix::None, 255)));
        assert_eq!(character("'\\xff'"), Ok((Prefix::None, 255)));
        assert_eq!(character("L'\\u00e9'"), Ok((Prefix::Wide, 0xe9)));
        assert_eq!(character("''"), Err("empty character constant"));
        assert_eq!(character("'ab'"), Err("multi-character character constant"));
        assert_eq!(character("'\\q'"), Err("invalid escape sequence"));
        assert_eq!(string("\"a\\tb\\0\""), Ok(b"a\tb\0".to_vec()));
        assert_eq!(string("\"\\u00e9\""), Ok("é".as_bytes().to_vec()));
        assert_eq!(string("\"é\""), Ok("é".as_bytes().to_vec()));
        assert_eq!(string("L\"x\""), Err("wide string literals are not supported"));
        assert_eq!(string("\"\\x100\""), Err("hex escape sequence out of range"));
    }
}
