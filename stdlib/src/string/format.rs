//! `string.format`: C `printf` conversions with Lua's restrictions (manual §6.4).
//!
//! Each conversion accepts only the flags C defines for it, a width and a precision of at
//! most two digits; anything else is "invalid conversion specification". Integer
//! conversions need an integer representation, `%q` writes a literal that reads back as the
//! same value, and `%s` goes through `__tostring`. Float digits come from
//! `rivet_lang::number`, which reproduces glibc's output. Like Lua 5.4.4, `%F` is not a
//! conversion ("invalid conversion '%F' to 'format'").

use rivet_lang::number::{format_float, pad_numeric, NumericFlags};
use rivet_lang::{Lua, LuaResult, Value};

/// Flags valid for each family of conversions.
const FLAGS_FLOAT: &[u8] = b"-+ #0";
const FLAGS_HEX: &[u8] = b"-#0";
const FLAGS_INT: &[u8] = b"-+ 0";
const FLAGS_UNSIGNED: &[u8] = b"-0";
const FLAGS_CHAR: &[u8] = b"-";
/// Lua's MAX_FORMAT: a conversion spec (flags, width, precision) must be shorter than this.
const MAX_FORMAT: usize = 32;

/// A parsed and validated conversion spec.
#[derive(Debug, Default, Clone, Copy)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    fn numeric_flags(&self) -> NumericFlags {
        NumericFlags { left: self.left, zero: self.zero, plus: self.plus, space: self.space }
    }
}

pub fn format(lua: &mut Lua) -> LuaResult<usize> {
    let fmt_str = lua.check_string(1)?;
    let fmt = fmt_str.as_bytes();
    let nargs = lua.nargs();
    let mut out: Vec<u8> = Vec::with_capacity(fmt.len());
    let mut arg = 1;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        arg += 1;
        if arg > nargs {
            return Err(lua.arg_error(arg, "no value"));
        }
        // The spec spans flags, digits and '.', plus the conversion character.
        let span = fmt[i..].iter().take_while(|c| b"-+ #0123456789.".contains(c)).count();
        if span + 1 >= MAX_FORMAT - 10 {
            return Err(lua.native_error("invalid format (too long)"));
        }
        let spec_end = (i + span + 1).min(fmt.len());
        let form = &fmt[i - 1..spec_end];
        let conv = fmt.get(i + span).copied().unwrap_or(0);
        i = spec_end;
        format_item(lua, &mut out, form, conv, arg)?;
    }
    let v = lua.bytes_value(&out);
    lua.push(v);
    Ok(1)
}

/// Formats argument `arg` by the spec `form` (`%` up to and including `conv`).
fn format_item(lua: &mut Lua, out: &mut Vec<u8>, form: &[u8], conv: u8, arg: usize) -> LuaResult<()> {
    match conv {
        b'c' => {
            let spec = check_spec(lua, form, FLAGS_CHAR, false)?;
            let n = lua.check_integer(arg)?;
            // C converts the int to unsigned char.
            pad_bytes(out, &[n as u8], &spec);
        }
        b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
            // A boxed 64-bit integer prints its 64 bits, as in LuaJIT (`("%u"):format(-1LL)`).
            let n = match crate::ffi::boxed_int64_bits(lua, lua.arg(arg)) {
                Some(bits) => bits as i64,
                None => lua.check_integer(arg)?,
            };
            let flags = match conv {
                b'd' | b'i' => FLAGS_INT,
                b'u' => FLAGS_UNSIGNED,
                _ => FLAGS_HEX,
            };
            let spec = check_spec(lua, form, flags, true)?;
            out.extend_from_slice(format_int(n, conv, &spec).as_bytes());
        }
        b'a' | b'A' => {
            let spec = check_spec(lua, form, FLAGS_FLOAT, true)?;
            let x = lua.check_float(arg)?;
            out.extend_from_slice(format_number(x, conv, &spec).as_bytes());
        }
        b'e' | b'E' | b'f' | b'g' | b'G' => {
            let x = lua.check_float(arg)?;
            let spec = check_spec(lua, form, FLAGS_FLOAT, true)?;
            out.extend_from_slice(format_number(x, conv, &spec).as_bytes());
        }
        b'p' => {
            let spec = check_spec(lua, form, FLAGS_CHAR, false)?;
            let text = match pointer_of(lua.arg(arg)) {
                Some(addr) => format!("{addr:#x}"),
                None => "(null)".to_string(),
            };
            pad_bytes(out, text.as_bytes(), &spec);
        }
        b'q' => {
            if form.len() > 2 {
                return Err(lua.native_error("specifier '%q' cannot have modifiers"));
            }
            add_literal(lua, out, arg)?;
        }
        b's' => {
            let v = lua.arg(arg);
            let s = lua.to_display(v)?;
            let bytes = s.as_bytes();
            if form.len() == 2 {
                out.extend_from_slice(bytes);
                return Ok(());
            }
            if bytes.contains(&0) {
                return Err(lua.arg_error(arg, "string contains zeros"));
            }
            let spec = check_spec(lua, form, FLAGS_CHAR, true)?;
            if spec.precision.is_none() && bytes.len() >= 100 {
                // Lua keeps long strings whole when no precision limits them.
                out.extend_from_slice(bytes);
            } else {
                let shown = &bytes[..spec.precision.map_or(bytes.len(), |p| p.min(bytes.len()))];
                pad_bytes(out, shown, &spec);
            }
        }
        _ => {
            let msg = [b"invalid conversion '", form, b"' to 'format'"].concat();
            return Err(super::bytes_error(lua, &msg));
        }
    }
    Ok(())
}

/// Validates `form` against the conversion's flags (and whether it takes a precision), as
/// Lua's `checkformat`, and parses it.
fn check_spec(lua: &mut Lua, form: &[u8], flags: &[u8], precision: bool) -> LuaResult<Spec> {
    match parse_spec(form, flags, precision) {
        Some(spec) => Ok(spec),
        None => {
            let msg = format!("invalid conversion specification: '{}'", String::from_utf8_lossy(form));
            Err(lua.native_error(&msg))
        }
    }
}

fn parse_spec(form: &[u8], flags: &[u8], allow_precision: bool) -> Option<Spec> {
    let at = |i: usize| form.get(i).copied().unwrap_or(0);
    let mut spec = Spec::default();
    let mut i = 1;
    while flags.contains(&at(i)) && at(i) != 0 {
        match at(i) {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            _ => spec.zero = true,
        }
        i += 1;
    }
    // A width cannot start with '0' (that would be a flag this conversion does not take).
    if at(i) != b'0' {
        let (width, next) = two_digits(form, i);
        spec.width = width;
        i = next;
        if at(i) == b'.' && allow_precision {
            let (p, next) = two_digits(form, i + 1);
            spec.precision = Some(p);
            i = next;
        }
    }
    at(i).is_ascii_alphabetic().then_some(spec)
}

/// Up to two decimal digits from `i`: (value, index after them).
fn two_digits(form: &[u8], mut i: usize) -> (usize, usize) {
    let mut value = 0;
    for _ in 0..2 {
        match form.get(i) {
            Some(d) if d.is_ascii_digit() => {
                value = value * 10 + usize::from(d - b'0');
                i += 1;
            }
            _ => break,
        }
    }
    (value, i)
}

/// Pads `bytes` with spaces to the spec's width (`%s %c %p`).
fn pad_bytes(out: &mut Vec<u8>, bytes: &[u8], spec: &Spec) {
    let fill = spec.width.saturating_sub(bytes.len());
    if !spec.left {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
    out.extend_from_slice(bytes);
    if spec.left {
        out.extend(std::iter::repeat_n(b' ', fill));
    }
}

/// `%d %i %u %o %x %X` as C's printf on a 64-bit integer.
fn format_int(n: i64, conv: u8, spec: &Spec) -> String {
    let bits = n as u64;
    let mut digits = match conv {
        b'd' | b'i' => n.unsigned_abs().to_string(),
        b'u' => bits.to_string(),
        b'o' => format!("{bits:o}"),
        b'x' => format!("{bits:x}"),
        _ => format!("{bits:X}"),
    };
    if spec.precision == Some(0) && n == 0 {
        digits.clear();
    }
    if let Some(p) = spec.precision {
        if digits.len() < p {
            digits.insert_str(0, &"0".repeat(p - digits.len()));
        }
    }
    let prefix = match conv {
        b'o' if spec.alt && !digits.starts_with('0') => "0",
        b'x' if spec.alt && n != 0 => "0x",
        b'X' if spec.alt && n != 0 => "0X",
        b'd' | b'i' if n < 0 => "-",
        b'd' | b'i' if spec.plus => "+",
        b'd' | b'i' if spec.space => " ",
        _ => "",
    };
    let fill = spec.width.saturating_sub(prefix.len() + digits.len());
    if spec.left {
        format!("{prefix}{digits}{}", " ".repeat(fill))
    } else if spec.zero && spec.precision.is_none() {
        // C ignores '0' when a precision is given; zeros go after the sign or 0x.
        format!("{prefix}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{prefix}{digits}", " ".repeat(fill))
    }
}

/// `%a %e %f %g` (and upper-case forms) with flags and width.
fn format_number(x: f64, conv: u8, spec: &Spec) -> String {
    let body = format_float(x, conv, spec.precision, spec.alt);
    pad_numeric(&body, spec.width, spec.numeric_flags())
}

/// The address `%p` shows: objects have one, other values are NULL.
fn pointer_of(v: Value) -> Option<usize> {
    match v {
        Value::LightUserData(0) => None,
        Value::LightUserData(p) => Some(p),
        other => other.gc_addr(),
    }
}

/// `%q`: a Lua literal for strings, numbers, nil and booleans.
fn add_literal(lua: &mut Lua, out: &mut Vec<u8>, arg: usize) -> LuaResult<()> {
    match lua.arg(arg) {
        Value::Str(s) => quote_string(out, s.as_bytes()),
        Value::Int(i) if i == i64::MIN => out.extend_from_slice(b"0x8000000000000000"),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Float(f) => out.extend_from_slice(quote_float(f).as_bytes()),
        v @ (Value::Nil | Value::Bool(_)) => {
            let s = lua.to_display(v)?;
            out.extend_from_slice(s.as_bytes());
        }
        _ => return Err(lua.arg_error(arg, "value has no literal form")),
    }
    Ok(())
}

/// A float that reads back exactly: hex notation, `1e9999` for infinity, `(0/0)` for NaN.
fn quote_float(f: f64) -> String {
    if f == f64::INFINITY {
        "1e9999".to_string()
    } else if f == f64::NEG_INFINITY {
        "-1e9999".to_string()
    } else if f.is_nan() {
        "(0/0)".to_string()
    } else {
        format_float(f, b'a', None, false)
    }
}

/// A double-quoted string literal: quotes, backslashes and newlines escaped with `\`,
/// control characters as decimal escapes (three digits when a digit follows).
fn quote_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(c);
            }
            c if c.is_ascii_control() => {
                let next_is_digit = s.get(i + 1).is_some_and(u8::is_ascii_digit);
                let esc = if next_is_digit { format!("\\{c:03}") } else { format!("\\{c}") };
                out.extend_from_slice(esc.as_bytes());
            }
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(form: &str, flags: &[u8]) -> Option<Spec> {
        parse_spec(form.as_bytes(), flags, true)
    }

    #[test]
    fn specs() {
        assert!(spec("%5.2f", FLAGS_FLOAT).is_some());
        assert!(spec("%100d", FLAGS_INT).is_none());
        assert!(spec("%.123d", FLAGS_INT).is_none());
        assert!(spec("%#d", FLAGS_INT).is_none());
        assert!(spec("%05s", FLAGS_CHAR).is_none());
        assert_eq!(spec("%-+ 0#9.3e", FLAGS_FLOAT).map(|s| (s.width, s.precision)), Some((9, Some(3))));
    }

    #[test]
    fn integers() {
        let s = |f: &str| spec(f, b"-+ #0").expect("valid");
        assert_eq!(format_int(42, b'd', &s("%05d")), "00042");
        assert_eq!(format_int(-42, b'd', &s("%.5d")), "-00042");
        assert_eq!(format_int(0, b'd', &s("%.0d")), "");
        assert_eq!(format_int(255, b'x', &s("%#06x")), "0x00ff");
        assert_eq!(format_int(8, b'o', &s("%#o")), "010");
        assert_eq!(format_int(-1, b'x', &s("%x")), "ffffffffffffffff");
        assert_eq!(format_int(-1, b'u', &s("%u")), "18446744073709551615");
    }

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        quote_string(&mut out, b"a\"\\\n\x001\x01b\r");
        assert_eq!(out, b"\"a\\\"\\\\\\\n\\0001\\1b\\13\"");
        assert_eq!(quote_float(1.0), "0x1p+0");
        assert_eq!(quote_float(f64::NAN), "(0/0)");
    }
}
