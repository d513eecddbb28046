//! The string library (manual §6.4): the simple byte functions live here; pattern matching
//! (`find match gmatch gsub`) is in `search.rs` over the matcher of `pattern.rs`,
//! `string.format` in `format.rs`, and `pack unpack packsize` in `pack.rs`.
//!
//! Strings are byte strings: case mapping and classes follow the C locale (ASCII only).
//! Positions follow Lua's rules: 1-based, negative values count from the end, and
//! out-of-range values are clamped as `lstrlib.c` does.

mod format;
mod pack;
pub mod pattern;
mod search;

use rivet_lang::vm::thread::MAX_STACK;
use rivet_lang::{Lua, LuaError, LuaResult, LuaType, Value};

/// Lua's MAXSIZE for string results (`INT_MAX` on 64-bit hosts).
pub(crate) const MAX_SIZE: usize = i32::MAX as usize;

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("byte", "string.byte", byte),
            ("char", "string.char", char),
            ("dump", "string.dump", dump),
            ("find", "string.find", search::find),
            ("format", "string.format", format::format),
            ("gmatch", "string.gmatch", search::gmatch),
            ("gsub", "string.gsub", search::gsub),
            ("len", "string.len", len),
            ("lower", "string.lower", lower),
            ("match", "string.match", search::match_),
            ("rep", "string.rep", rep),
            ("reverse", "string.reverse", reverse),
            ("sub", "string.sub", sub),
            ("upper", "string.upper", upper),
            ("pack", "string.pack", pack::pack),
            ("packsize", "string.packsize", pack::packsize),
            ("unpack", "string.unpack", pack::unpack),
        ],
    );
    let g = lua.globals();
    lua.set_field(g, "string", Value::Table(t));
    // Strings index the library: ("x"):upper().
    let mt = lua.new_table();
    lua.set_field(mt, "__index", Value::Table(t));
    lua.set_type_metatable(LuaType::String, Some(mt));
}

/// A start position as `posrelatI`: negative counts from the end, 0 and too-negative
/// values become 1. The result is at least 1 and may exceed `len`.
pub(crate) fn start_pos(pos: i64, len: usize) -> usize {
    if pos > 0 {
        pos as usize
    } else if pos == 0 || pos.unsigned_abs() > len as u64 {
        1
    } else {
        len - pos.unsigned_abs() as usize + 1
    }
}

/// An end position as `getendpos`: clamped to `0..=len`.
fn end_pos(pos: i64, len: usize) -> usize {
    if pos > len as i64 {
        len
    } else if pos >= 0 {
        pos as usize
    } else if pos.unsigned_abs() > len as u64 {
        0
    } else {
        len - pos.unsigned_abs() as usize + 1
    }
}

/// A `luaL_error`-style error whose message is raw bytes (it may quote any byte of the
/// caller's input, as C Lua does).
pub(crate) fn bytes_error(lua: &mut Lua, msg: &[u8]) -> LuaError {
    let mut text = lua.where_(1).into_bytes();
    text.extend_from_slice(msg);
    LuaError::new(lua.bytes_value(&text))
}

/// Room for `n` more values on the stack, or "stack overflow (msg)" as `luaL_checkstack`
/// (Lua keeps a few extra slots, hence the 5).
pub(crate) fn check_stack(lua: &mut Lua, n: usize, msg: &str) -> LuaResult<()> {
    if lua.top() + n + 5 > MAX_STACK {
        return Err(lua.native_error(&format!("stack overflow ({msg})")));
    }
    Ok(())
}

fn push_bytes(lua: &mut Lua, b: &[u8]) -> LuaResult<usize> {
    let v = lua.bytes_value(b);
    lua.push(v);
    Ok(1)
}

fn len(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    lua.push(Value::Int(s.len() as i64));
    Ok(1)
}

fn sub(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let len = s.len();
    let start = start_pos(lua.check_integer(2)?, len);
    let end = end_pos(lua.opt_integer(3, -1)?, len);
    let bytes = if start <= end { &s.as_bytes()[start - 1..end] } else { &[][..] };
    push_bytes(lua, bytes)
}

fn upper(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let out = s.as_bytes().to_ascii_uppercase();
    push_bytes(lua, &out)
}

fn lower(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let out = s.as_bytes().to_ascii_lowercase();
    push_bytes(lua, &out)
}

fn reverse(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let out: Vec<u8> = s.as_bytes().iter().rev().copied().collect();
    push_bytes(lua, &out)
}

fn rep(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let n = lua.check_integer(2)?;
    let sep = lua.opt_string(3)?;
    let sep_bytes = sep.as_ref().map_or(&[][..], |s| s.as_bytes());
    if n <= 0 || s.is_empty() && sep_bytes.is_empty() {
        return push_bytes(lua, b"");
    }
    let unit = s.len() + sep_bytes.len();
    if unit > MAX_SIZE / n as usize {
        return Err(lua.native_error("resulting string too large"));
    }
    let mut out = Vec::with_capacity(unit * n as usize);
    for i in 0..n {
        if i > 0 {
            out.extend_from_slice(sep_bytes);
        }
        out.extend_from_slice(s.as_bytes());
    }
    push_bytes(lua, &out)
}

fn byte(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let len = s.len();
    let first = lua.opt_integer(2, 1)?;
    let end = end_pos(lua.opt_integer(3, first)?, len);
    let start = start_pos(first, len);
    if start > end {
        return Ok(0);
    }
    if end - start >= MAX_SIZE {
        return Err(lua.native_error("string slice too long"));
    }
    check_stack(lua, end - start + 1, "string slice too long")?;
    for &b in &s.as_bytes()[start - 1..end] {
        lua.push(Value::Int(i64::from(b)));
    }
    Ok(end - start + 1)
}

fn char(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    let mut out = Vec::with_capacity(n);
    for i in 1..=n {
        let c = lua.check_integer(i)?;
        match u8::try_from(c) {
            Ok(b) => out.push(b),
            Err(_) => return Err(lua.arg_error(i, "value out of range")),
        }
    }
    push_bytes(lua, &out)
}

/// `string.dump(f [, strip])`: a binary chunk of the Lua function `f` in rivet's format
/// (`load` reads it back); `strip` leaves out the debug information. Native functions have no
/// bytecode to dump.
fn dump(lua: &mut Lua) -> LuaResult<usize> {
    let strip = lua.arg(2).truthy();
    match lua.arg(1) {
        Value::LuaFn(cl) => {
            let bytes = rivet_lang::bytecode::dump::dump(&cl.proto.origin, strip);
            let v = lua.bytes_value(&bytes);
            lua.push(v);
            Ok(1)
        }
        f if f.is_function() => Err(lua.native_error("unable to dump given function")),
        _ => Err(lua.type_error(1, "function")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(start_pos(0, 5), 1);
        assert_eq!(start_pos(-2, 5), 4);
        assert_eq!(start_pos(-9, 5), 1);
        assert_eq!(start_pos(9, 5), 9);
        assert_eq!(start_pos(i64::MIN, 5), 1);
        assert_eq!(end_pos(-1, 5), 5);
        assert_eq!(end_pos(-6, 5), 0);
        assert_eq!(end_pos(i64::MIN, 5), 0);
        assert_eq!(end_pos(99, 5), 5);
    }
}
