//! The utf8 library (manual §6.5): char, charpattern, codes, codepoint, len, offset.
//!
//! Decoding follows Lua 5.4's lutf8lib: sequences of up to six bytes encode values up to
//! 2^31 - 1; strict mode (the default) also rejects surrogates and values above U+10FFFF,
//! the `lax` flag accepts them. Overlong encodings are always rejected.

use rivet_lang::{Lua, LuaResult, Value};

const MAX_UNICODE: u32 = 0x10FFFF;
const MAX_UTF: u32 = 0x7FFF_FFFF;
const INVALID: &str = "invalid UTF-8 code";
/// Matches exactly one UTF-8 byte sequence (assuming the subject is valid UTF-8).
const CHARPATTERN: &[u8] = b"[\x00-\x7F\xC2-\xFD][\x80-\xBF]*";

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("offset", "utf8.offset", offset),
            ("codepoint", "utf8.codepoint", codepoint),
            ("char", "utf8.char", char),
            ("len", "utf8.len", len),
            ("codes", "utf8.codes", codes),
        ],
    );
    let pattern = lua.bytes_value(CHARPATTERN);
    lua.set_field(t, "charpattern", pattern);
    let g = lua.globals();
    lua.set_field(g, "utf8", Value::Table(t));
}

fn is_cont(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|&b| b & 0xC0 == 0x80)
}

/// Decodes the sequence at `s[i..]`: the value and the index after it, or None when the
/// bytes there are not a valid sequence. Past the end reads as a NUL byte, as in C.
fn decode(s: &[u8], i: usize, strict: bool) -> Option<(u32, usize)> {
    const LIMITS: [u32; 6] = [u32::MAX, 0x80, 0x800, 0x10000, 0x200000, 0x400_0000];
    let byte = |k: usize| u32::from(s.get(k).copied().unwrap_or(0));
    let mut c = byte(i);
    let mut res: u32 = 0;
    let mut count = 0;
    if c < 0x80 {
        res = c;
    } else {
        while c & 0x40 != 0 {
            count += 1;
            let cc = byte(i + count);
            if cc & 0xC0 != 0x80 {
                return None;
            }
            res = (res << 6) | (cc & 0x3F);
            c <<= 1;
        }
        if count > 5 {
            return None;
        }
        res |= (c & 0x7F) << (count * 5);
        if res > MAX_UTF || res < LIMITS[count] {
            return None;
        }
    }
    if strict && (res > MAX_UNICODE || (0xD800..=0xDFFF).contains(&res)) {
        return None;
    }
    Some((res, i + count + 1))
}

/// A relative string position: negative counts from the end; too negative becomes 0.
fn posrelat(pos: i64, len: usize) -> i64 {
    if pos >= 0 {
        pos
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len as i64 + pos + 1
    }
}

/// `utf8.len(s [, i [, j [, lax]]])`: the number of characters, or fail and the position
/// of the first invalid byte.
fn len(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let n = s.len();
    let mut posi = posrelat(lua.opt_integer(2, 1)?, n);
    let mut posj = posrelat(lua.opt_integer(3, -1)?, n);
    let lax = lua.arg(4).truthy();
    if !(1 <= posi && posi - 1 <= n as i64) {
        return Err(lua.arg_error(2, "initial position out of bounds"));
    }
    posi -= 1;
    posj -= 1;
    if posj >= n as i64 {
        return Err(lua.arg_error(3, "final position out of bounds"));
    }
    let bytes = s.as_bytes();
    let mut count = 0;
    while posi <= posj {
        match decode(bytes, posi as usize, !lax) {
            Some((_, next)) => posi = next as i64,
            None => {
                lua.push(Value::Nil);
                lua.push(Value::Int(posi + 1));
                return Ok(2);
            }
        }
        count += 1;
    }
    lua.push(Value::Int(count));
    Ok(1)
}

/// `utf8.codepoint(s [, i [, j [, lax]]])`: the code points of the characters starting in
/// s[i..=j].
fn codepoint(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let n = s.len();
    let posi = posrelat(lua.opt_integer(2, 1)?, n);
    let pose = posrelat(lua.opt_integer(3, posi)?, n);
    let lax = lua.arg(4).truthy();
    if posi < 1 {
        return Err(lua.arg_error(2, "out of bounds"));
    }
    if pose > n as i64 {
        return Err(lua.arg_error(3, "out of bounds"));
    }
    if posi > pose {
        return Ok(0);
    }
    if pose - posi >= i32::MAX as i64 {
        return Err(lua.native_error("string slice too long"));
    }
    let bytes = s.as_bytes();
    let mut i = posi as usize - 1;
    let mut count = 0;
    while i < pose as usize {
        let Some((code, next)) = decode(bytes, i, !lax) else {
            return Err(lua.native_error(INVALID));
        };
        lua.push(Value::Int(i64::from(code)));
        count += 1;
        i = next;
    }
    Ok(count)
}

/// UTF-8 bytes of `x` (up to six bytes for values up to 2^31 - 1), as Lua's `%U`.
fn encode(mut x: u32, out: &mut Vec<u8>) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let mut tail = Vec::with_capacity(5);
    let mut max_first: u32 = 0x3F;
    loop {
        tail.push(0x80 | (x & 0x3F) as u8);
        x >>= 6;
        max_first >>= 1;
        if x <= max_first {
            break;
        }
    }
    out.push(((!max_first << 1) | x) as u8);
    out.extend(tail.iter().rev());
}

fn char(lua: &mut Lua) -> LuaResult<usize> {
    let mut out = Vec::new();
    for i in 1..=lua.nargs() {
        let code = lua.check_integer(i)? as u64;
        if code > u64::from(MAX_UTF) {
            return Err(lua.arg_error(i, "value out of range"));
        }
        encode(code as u32, &mut out);
    }
    let s = lua.bytes_value(&out);
    lua.push(s);
    Ok(1)
}

/// `utf8.offset(s, n [, i])`: the byte position where the n-th character (counted from
/// position i) starts; n = 0 finds the start of the character containing byte i.
fn offset(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let len = s.len() as i64;
    let mut n = lua.check_integer(2)?;
    let default = if n >= 0 { 1 } else { len + 1 };
    let mut posi = posrelat(lua.opt_integer(3, default)?, s.len());
    if !(1 <= posi && posi - 1 <= len) {
        return Err(lua.arg_error(3, "position out of bounds"));
    }
    posi -= 1;
    let bytes = s.as_bytes();
    let cont = |p: i64| is_cont(bytes, p as usize);
    if n == 0 {
        while posi > 0 && cont(posi) {
            posi -= 1;
        }
    } else {
        if cont(posi) {
            return Err(lua.native_error("initial position is a continuation byte"));
        }
        if n < 0 {
            while n < 0 && posi > 0 {
                loop {
                    posi -= 1;
                    if !(posi > 0 && cont(posi)) {
                        break;
                    }
                }
                n += 1;
            }
        } else {
            n -= 1;
            while n > 0 && posi < len {
                loop {
                    posi += 1;
                    if !cont(posi) {
                        break;
                    }
                }
                n -= 1;
            }
        }
    }
    lua.push(if n == 0 { Value::Int(posi + 1) } else { Value::Nil });
    Ok(1)
}

/// The `codes` iterator: argument 2 is the byte position of the previous character (0 at
/// the start); the next character starts after it, past any continuation bytes.
fn codes_next(lua: &mut Lua, strict: bool) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let bytes = s.as_bytes();
    let len = bytes.len() as u64;
    let mut n = match lua.arg(2) {
        Value::Int(i) => i as u64,
        _ => 0,
    };
    if n < len {
        while is_cont(bytes, n as usize) {
            n += 1;
        }
    }
    if n >= len {
        return Ok(0);
    }
    // A decoded character must not be followed by a stray continuation byte (Lua 5.4.8).
    match decode(bytes, n as usize, strict) {
        Some((code, next)) if !is_cont(bytes, next) => {
            lua.push(Value::Int(n as i64 + 1));
            lua.push(Value::Int(i64::from(code)));
            Ok(2)
        }
        _ => Err(lua.native_error(INVALID)),
    }
}

fn codes_strict(lua: &mut Lua) -> LuaResult<usize> {
    codes_next(lua, true)
}

fn codes_lax(lua: &mut Lua) -> LuaResult<usize> {
    codes_next(lua, false)
}

fn codes(lua: &mut Lua) -> LuaResult<usize> {
    let lax = lua.arg(2).truthy();
    let s = lua.check_string(1)?;
    if is_cont(s.as_bytes(), 0) {
        return Err(lua.arg_error(1, INVALID));
    }
    let f = if lax { lua.new_native("for iterator", codes_lax) } else { lua.new_native("for iterator", codes_strict) };
    lua.push(f);
    lua.push(Value::Str(s));
    lua.push(Value::Int(0));
    Ok(3)
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    fn encoded(x: u32) -> Vec<u8> {
        let mut v = Vec::new();
        encode(x, &mut v);
        v
    }

    #[test]
    fn encode_matches_std_for_scalar_values() {
        for x in [0u32, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF] {
            let c = char::from_u32(x).unwrap();
            assert_eq!(encoded(x), c.to_string().into_bytes());
        }
    }

    #[test]
    fn six_byte_sequences_round_trip_in_lax_mode() {
        for x in [0xD800u32, 0x110000, 0x3FFFFFF, 0x4000000, 0x7FFF_FFFF] {
            let bytes = encoded(x);
            assert_eq!(decode(&bytes, 0, false), Some((x, bytes.len())));
            assert_eq!(decode(&bytes, 0, true), None);
        }
        assert_eq!(encoded(0x7FFF_FFFF), vec![0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF]);
    }

    #[test]
    fn rejects_overlong_truncated_and_stray_bytes() {
        assert_eq!(decode(b"\xC0\x80", 0, false), None);
        assert_eq!(decode(b"\xE2\x82", 0, false), None);
        assert_eq!(decode(b"\x80", 0, false), None);
        assert_eq!(decode(b"\xFF\xBF\xBF\xBF\xBF\xBF\xBF\xBF", 0, false), None);
        assert_eq!(decode(b"", 0, true), Some((0, 1)));
    }
}
