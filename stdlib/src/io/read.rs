//! Reading with formats (`file:read`, `io.read`, `io.lines`): `n` (a numeral, read as Lua's
//! liolib reads it), `l`, `L`, `a` and byte counts, where 0 tests for end of file.

use super::file::LuaFile;
use super::stream::Stream;
use rivet_lang::number::str2number;
use rivet_lang::vm::ops::number_value;
use rivet_lang::{Lua, LuaResult, Value};
use std::io;

/// Longest numeral `read("n")` accepts (liolib's L_MAXLENNUM).
const MAX_NUMERAL: usize = 200;

enum Format {
    Number,
    Line { keep_newline: bool },
    All,
    Bytes(usize),
}

/// One read's outcome: a value, or failure (nil, and no further formats are read).
enum Item {
    Bytes(Vec<u8>),
    Number(Value),
    Fail,
}

fn parse_format(lua: &mut Lua, arg: usize) -> LuaResult<Format> {
    if let Value::Int(_) | Value::Float(_) = lua.arg(arg) {
        let n = lua.check_integer(arg)?;
        return Ok(Format::Bytes(n as usize));
    }
    let s = lua.check_string(arg)?;
    let spec = s.as_bytes();
    let spec = spec.strip_prefix(b"*").unwrap_or(spec);
    match spec.first() {
        Some(b'n') => Ok(Format::Number),
        Some(b'l') => Ok(Format::Line { keep_newline: false }),
        Some(b'L') => Ok(Format::Line { keep_newline: true }),
        Some(b'a') => Ok(Format::All),
        _ => Err(lua.arg_error(arg, "invalid format")),
    }
}

fn read_one(stream: &mut Stream, format: &Format) -> io::Result<Item> {
    Ok(match *format {
        Format::Number => read_number(stream)?,
        Format::Line { keep_newline } => stream.read_line(keep_newline)?.map_or(Item::Fail, Item::Bytes),
        Format::All => Item::Bytes(stream.read_all()?),
        Format::Bytes(0) => {
            if stream.at_eof()? {
                Item::Fail
            } else {
                Item::Bytes(Vec::new())
            }
        }
        Format::Bytes(n) => {
            let b = stream.read_bytes(n)?;
            if b.is_empty() {
                Item::Fail
            } else {
                Item::Bytes(b)
            }
        }
    })
}

/// Reads the longest prefix that can start a numeral (optional sign, `0x`, digits, a decimal
/// point, an exponent), at most 200 bytes, then converts it; the byte that stopped the scan
/// stays unread.
fn read_number(stream: &mut Stream) -> io::Result<Item> {
    struct Scan<'a> {
        stream: &'a mut Stream,
        current: Option<u8>,
        text: Vec<u8>,
        overflow: bool,
    }
    impl Scan<'_> {
        /// Keeps the current byte and reads the next.
        fn advance(&mut self) -> io::Result<bool> {
            if self.text.len() >= MAX_NUMERAL {
                self.overflow = true;
                return Ok(false);
            }
            self.text.push(self.current.unwrap_or(0));
            self.current = self.stream.getc()?;
            Ok(true)
        }
        fn accept(&mut self, set: &[u8]) -> io::Result<bool> {
            match self.current {
                Some(c) if set.contains(&c) => self.advance(),
                _ => Ok(false),
            }
        }
        fn digits(&mut self, hex: bool) -> io::Result<usize> {
            let mut count = 0;
            while let Some(c) = self.current {
                let ok = if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() };
                if !ok || !self.advance()? {
                    break;
                }
                count += 1;
            }
            Ok(count)
        }
    }
    let mut current = stream.getc()?;
    while current.is_some_and(rivet_lang::number::is_space) {
        current = stream.getc()?;
    }
    let mut scan = Scan { stream, current, text: Vec::new(), overflow: false };
    let mut count = 0;
    let mut hex = false;
    scan.accept(b"-+")?;
    if scan.accept(b"0")? {
        if scan.accept(b"xX")? {
            hex = true;
        } else {
            count = 1;
        }
    }
    count += scan.digits(hex)?;
    if scan.accept(b".")? {
        count += scan.digits(hex)?;
    }
    if count > 0 && scan.accept(if hex { b"pP" } else { b"eE" })? {
        scan.accept(b"-+")?;
        scan.digits(false)?;
    }
    if scan.current.is_some() {
        scan.stream.ungetc();
    }
    if scan.overflow {
        return Ok(Item::Fail);
    }
    Ok(match str2number(&scan.text) {
        Some(n) => Item::Number(number_value(n)),
        None => Item::Fail,
    })
}

/// `g_read`: reads with the formats in arguments `first..=nargs` (a line when there are
/// none) and pushes the results; an I/O error gives `nil, message, errno` instead.
pub fn read_formats(lua: &mut Lua, file: &LuaFile, first: usize) -> LuaResult<usize> {
    let nargs = lua.nargs();
    let formats = if nargs < first { 0 } else { nargs - first + 1 };
    let mut pushed = 0;
    let mut arg = first;
    loop {
        let format = if formats == 0 { Format::Line { keep_newline: false } } else { parse_format(lua, arg)? };
        let item = match file.with_stream(true, |s| read_one(s, &format)) {
            Some(Ok(item)) => item,
            Some(Err(e)) => return super::push_io_error(lua, &e, None),
            None => return Err(lua.native_error("attempt to use a closed file")),
        };
        let v = match item {
            Item::Bytes(b) => lua.bytes_value(&b),
            Item::Number(n) => n,
            Item::Fail => {
                lua.push(Value::Nil);
                return Ok(pushed + 1);
            }
        };
        lua.push(v);
        pushed += 1;
        arg += 1;
        if arg >= first + formats {
            return Ok(pushed);
        }
    }
}
