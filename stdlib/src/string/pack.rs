//! `string.pack`, `string.unpack` and `string.packsize` (manual §6.4.2): binary
//! serialization driven by a format string of options (`< > = ! b B h H i I l L j J T f d n
//! s z x X c` and spaces).
//!
//! Sizes are those of Lua 5.4 on a 64-bit host (int 4, long 8, size_t 8, lua_Integer 8,
//! maximum alignment 8). As in C Lua, the format string ends at its first zero byte.

use super::MAX_SIZE;
use rivet_lang::{Lua, LuaError, LuaResult, Value};

/// Lua's MAXINTSIZE: the largest integer size `i[n]`/`I[n]`/`s[n]` accept.
const MAX_INT_SIZE: usize = 16;
/// Size of lua_Integer.
const SZINT: usize = 8;
/// Default maximum alignment for `!` (the C ABI's largest alignment).
const NATIVE_ALIGN: usize = 8;

/// What one format option does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Int {
        signed: bool,
    },
    Float32,
    Float64,
    /// `cn`: fixed-size string.
    Char,
    /// `sn`: string preceded by its length.
    Str,
    /// `z`: zero-terminated string.
    Zstr,
    /// `x`: one byte of padding.
    Padding,
    /// `Xop`: align to `op`'s alignment.
    PadAlign,
    /// Options that only change the state (`< > = !` and space).
    Nop,
}

/// An error while reading the format: a plain error (bytes: it may quote any format
/// byte) or a bad-argument error.
enum FormatError {
    Plain(Vec<u8>),
    Arg(usize, &'static str),
}

impl FormatError {
    fn plain(msg: String) -> FormatError {
        FormatError::Plain(msg.into_bytes())
    }

    fn raise(self, lua: &mut Lua) -> LuaError {
        match self {
            FormatError::Plain(msg) => super::bytes_error(lua, &msg),
            FormatError::Arg(n, msg) => lua.arg_error(n, msg),
        }
    }
}

/// One option with its size and the padding needed before it.
struct Item {
    kind: Kind,
    size: usize,
    align_pad: usize,
}

/// Reads a format string option by option, keeping endianness and maximum alignment.
struct FormatReader<'a> {
    fmt: &'a [u8],
    pos: usize,
    little: bool,
    max_align: usize,
}

impl<'a> FormatReader<'a> {
    fn new(fmt: &'a [u8]) -> FormatReader<'a> {
        let end = fmt.iter().position(|&b| b == 0).unwrap_or(fmt.len());
        FormatReader { fmt: &fmt[..end], pos: 0, little: cfg!(target_endian = "little"), max_align: 1 }
    }

    fn done(&self) -> bool {
        self.pos >= self.fmt.len()
    }

    fn peek_digit(&self) -> Option<usize> {
        self.fmt.get(self.pos).filter(|b| b.is_ascii_digit()).map(|b| usize::from(b - b'0'))
    }

    /// An optional decimal number (Lua's `getnum`, which stops before overflowing an int).
    fn number(&mut self) -> Option<usize> {
        let mut value = self.peek_digit()?;
        self.pos += 1;
        while let Some(d) = self.peek_digit() {
            if value > (MAX_SIZE - 9) / 10 {
                break;
            }
            value = value * 10 + d;
            self.pos += 1;
        }
        Some(value)
    }

    /// A size in `1..=16`, `default` when absent.
    fn int_size(&mut self, default: usize) -> Result<usize, FormatError> {
        let size = self.number().unwrap_or(default);
        if size == 0 || size > MAX_INT_SIZE {
            return Err(FormatError::plain(format!("integral size ({size}) out of limits [1,{MAX_INT_SIZE}]")));
        }
        Ok(size)
    }

    /// The next option and its size.
    fn option(&mut self) -> Result<(Kind, usize), FormatError> {
        let opt = self.fmt[self.pos];
        self.pos += 1;
        let int = |signed| Kind::Int { signed };
        Ok(match opt {
            b'b' => (int(true), 1),
            b'B' => (int(false), 1),
            b'h' => (int(true), 2),
            b'H' => (int(false), 2),
            b'l' | b'j' => (int(true), 8),
            b'L' | b'J' | b'T' => (int(false), 8),
            b'f' => (Kind::Float32, 4),
            b'n' | b'd' => (Kind::Float64, 8),
            b'i' => (int(true), self.int_size(4)?),
            b'I' => (int(false), self.int_size(4)?),
            b's' => (Kind::Str, self.int_size(8)?),
            b'c' => match self.number() {
                Some(n) => (Kind::Char, n),
                None => return Err(FormatError::plain("missing size for format option 'c'".to_string())),
            },
            b'z' => (Kind::Zstr, 0),
            b'x' => (Kind::Padding, 1),
            b'X' => (Kind::PadAlign, 0),
            b' ' => (Kind::Nop, 0),
            b'<' => {
                self.little = true;
                (Kind::Nop, 0)
            }
            b'>' => {
                self.little = false;
                (Kind::Nop, 0)
            }
            b'=' => {
                self.little = cfg!(target_endian = "little");
                (Kind::Nop, 0)
            }
            b'!' => {
                self.max_align = self.int_size(NATIVE_ALIGN)?;
                (Kind::Nop, 0)
            }
            other => {
                let mut msg = b"invalid format option '".to_vec();
                msg.extend_from_slice(&[other, b'\'']);
                return Err(FormatError::Plain(msg));
            }
        })
    }

    /// The next option with the padding that aligns it after `total` bytes.
    fn item(&mut self, total: usize) -> Result<Item, FormatError> {
        let (kind, size) = self.option()?;
        let mut align = size;
        if kind == Kind::PadAlign {
            let invalid = FormatError::Arg(1, "invalid next option for option 'X'");
            if self.done() {
                return Err(invalid);
            }
            let (next, next_size) = self.option()?;
            if next == Kind::Char || next_size == 0 {
                return Err(invalid);
            }
            align = next_size;
        }
        let align_pad = if align <= 1 || kind == Kind::Char {
            0
        } else {
            let align = align.min(self.max_align);
            if !align.is_power_of_two() {
                return Err(FormatError::Arg(1, "format asks for alignment not power of 2"));
            }
            (align - (total & (align - 1))) & (align - 1)
        };
        Ok(Item { kind, size, align_pad })
    }
}

/// Appends `size` bytes of `value`, sign-extending with 0xff beyond 8 bytes when negative.
fn pack_int(out: &mut Vec<u8>, value: u64, little: bool, size: usize, negative: bool) {
    let mut bytes: Vec<u8> = (0..size)
        .map(|i| match i {
            i if i < SZINT => (value >> (8 * i)) as u8,
            _ if negative => 0xff,
            _ => 0,
        })
        .collect();
    if !little {
        bytes.reverse();
    }
    out.extend_from_slice(&bytes);
}

/// Reads a `size`-byte integer; bytes beyond 8 must be a pure sign extension.
fn unpack_int(bytes: &[u8], little: bool, signed: bool) -> Result<i64, String> {
    let size = bytes.len();
    let byte = |i: usize| if little { bytes[i] } else { bytes[size - 1 - i] };
    let limit = size.min(SZINT);
    let mut res: u64 = 0;
    for i in (0..limit).rev() {
        res = (res << 8) | u64::from(byte(i));
    }
    if size < SZINT {
        if signed {
            let mask = 1u64 << (size * 8 - 1);
            res = (res ^ mask).wrapping_sub(mask);
        }
    } else if size > SZINT {
        let fill = if signed && (res as i64) < 0 { 0xff } else { 0 };
        if (limit..size).any(|i| byte(i) != fill) {
            return Err(format!("{size}-byte integer does not fit into Lua Integer"));
        }
    }
    Ok(res as i64)
}

fn float_bytes(out: &mut Vec<u8>, le: &[u8], little: bool) {
    if little {
        out.extend_from_slice(le);
    } else {
        out.extend(le.iter().rev());
    }
}

fn ordered<const N: usize>(bytes: &[u8], little: bool) -> [u8; N] {
    let mut a: [u8; N] = bytes[..N].try_into().expect("slice of N bytes");
    if !little {
        a.reverse();
    }
    a
}

pub fn pack(lua: &mut Lua) -> LuaResult<usize> {
    let fmt_str = lua.check_string(1)?;
    // Lua pushes a nil above the arguments, so the first missing one is reported as "got
    // nil" rather than "got no value".
    lua.push(Value::Nil);
    let mut reader = FormatReader::new(fmt_str.as_bytes());
    let mut out = Vec::new();
    let mut arg = 1;
    while !reader.done() {
        let item = reader.item(out.len()).map_err(|e| e.raise(lua))?;
        out.resize(out.len() + item.align_pad, 0);
        arg += 1;
        let size = item.size;
        match item.kind {
            Kind::Int { signed } => {
                let n = lua.check_integer(arg)?;
                if size < SZINT {
                    let fits = if signed {
                        let lim = 1i64 << (size * 8 - 1);
                        -lim <= n && n < lim
                    } else {
                        (n as u64) < 1u64 << (size * 8)
                    };
                    if !fits {
                        return Err(lua.arg_error(arg, if signed { "integer overflow" } else { "unsigned overflow" }));
                    }
                }
                pack_int(&mut out, n as u64, reader.little, size, n < 0);
            }
            Kind::Float32 => {
                let x = lua.check_float(arg)? as f32;
                float_bytes(&mut out, &x.to_le_bytes(), reader.little);
            }
            Kind::Float64 => {
                let x = lua.check_float(arg)?;
                float_bytes(&mut out, &x.to_le_bytes(), reader.little);
            }
            Kind::Char => {
                let s = lua.check_string(arg)?;
                if s.len() > size {
                    return Err(lua.arg_error(arg, "string longer than given size"));
                }
                out.extend_from_slice(s.as_bytes());
                out.resize(out.len() + size - s.len(), 0);
            }
            Kind::Str => {
                let s = lua.check_string(arg)?;
                if size < SZINT && s.len() as u64 >= 1u64 << (size * 8) {
                    return Err(lua.arg_error(arg, "string length does not fit in given size"));
                }
                pack_int(&mut out, s.len() as u64, reader.little, size, false);
                out.extend_from_slice(s.as_bytes());
            }
            Kind::Zstr => {
                let s = lua.check_string(arg)?;
                if s.as_bytes().contains(&0) {
                    return Err(lua.arg_error(arg, "string contains zeros"));
                }
                out.extend_from_slice(s.as_bytes());
                out.push(0);
            }
            Kind::Padding => {
                out.push(0);
                arg -= 1;
            }
            Kind::PadAlign | Kind::Nop => arg -= 1,
        }
    }
    let v = lua.bytes_value(&out);
    lua.push(v);
    Ok(1)
}

pub fn packsize(lua: &mut Lua) -> LuaResult<usize> {
    let fmt_str = lua.check_string(1)?;
    let mut reader = FormatReader::new(fmt_str.as_bytes());
    let mut total: usize = 0;
    while !reader.done() {
        let item = reader.item(total).map_err(|e| e.raise(lua))?;
        if matches!(item.kind, Kind::Str | Kind::Zstr) {
            return Err(lua.arg_error(1, "variable-length format"));
        }
        let size = item.size + item.align_pad;
        if total > MAX_SIZE.saturating_sub(size) {
            return Err(lua.arg_error(1, "format result too large"));
        }
        total += size;
    }
    lua.push(Value::Int(total as i64));
    Ok(1)
}

pub fn unpack(lua: &mut Lua) -> LuaResult<usize> {
    let fmt_str = lua.check_string(1)?;
    let data_str = lua.check_string(2)?;
    let data = data_str.as_bytes();
    let len = data.len();
    let mut pos = super::start_pos(lua.opt_integer(3, 1)?, len) - 1;
    if pos > len {
        return Err(lua.arg_error(3, "initial position out of string"));
    }
    let mut reader = FormatReader::new(fmt_str.as_bytes());
    let mut n = 0;
    while !reader.done() {
        let item = reader.item(pos).map_err(|e| e.raise(lua))?;
        let size = item.size;
        if item.align_pad.saturating_add(size) > len - pos {
            return Err(lua.arg_error(2, "data string too short"));
        }
        pos += item.align_pad;
        super::check_stack(lua, 2, "too many results")?;
        let field = &data[pos..pos + size];
        let v = match item.kind {
            Kind::Int { signed } => match unpack_int(field, reader.little, signed) {
                Ok(i) => Value::Int(i),
                Err(msg) => return Err(lua.native_error(&msg)),
            },
            Kind::Float32 => Value::Float(f64::from(f32::from_le_bytes(ordered(field, reader.little)))),
            Kind::Float64 => Value::Float(f64::from_le_bytes(ordered(field, reader.little))),
            Kind::Char => lua.bytes_value(field),
            Kind::Str => {
                let n = unpack_int(field, reader.little, false).map_err(|msg| lua.native_error(&msg))? as u64;
                if n > (len - pos - size) as u64 {
                    return Err(lua.arg_error(2, "data string too short"));
                }
                let start = pos + size;
                pos += n as usize;
                lua.bytes_value(&data[start..start + n as usize])
            }
            Kind::Zstr => {
                let n = data[pos..].iter().position(|&b| b == 0).unwrap_or(len - pos);
                if pos + n >= len {
                    return Err(lua.arg_error(2, "unfinished string for format 'z'"));
                }
                let v = lua.bytes_value(&data[pos..pos + n]);
                pos += n + 1;
                v
            }
            Kind::Padding | Kind::PadAlign | Kind::Nop => {
                pos += size;
                continue;
            }
        };
        lua.push(v);
        n += 1;
        pos += size;
    }
    lua.push(Value::Int(pos as i64 + 1));
    Ok(n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        for (v, size) in [(-1i64, 3), (300, 2), (i64::MIN, 8), (-5, 12), (7, 16)] {
            for little in [true, false] {
                let mut out = Vec::new();
                pack_int(&mut out, v as u64, little, size, v < 0);
                assert_eq!(out.len(), size);
                assert_eq!(unpack_int(&out, little, true), Ok(v));
            }
        }
        assert!(unpack_int(&[0, 0, 0, 0, 0, 0, 0, 0, 1], true, true).is_err());
    }

    #[test]
    fn getnum_stops_before_overflow() {
        let mut r = FormatReader::new(b"c2147483647");
        assert!(matches!(r.option(), Ok((Kind::Char, 214748364))));
        assert_eq!(r.fmt[r.pos], b'7');
    }
}
