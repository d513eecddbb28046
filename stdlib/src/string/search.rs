//! `string.find`, `string.match`, `string.gmatch` and `string.gsub`: the library side of
//! pattern matching (argument rules, result values, replacements). The matcher itself is in
//! `pattern.rs`.

use super::pattern::{find_bytes, is_plain, CaptureValue, Matcher};
use super::start_pos;
use rivet_lang::gc::Gc;
use rivet_lang::vm::string::LuaStr;
use rivet_lang::{Lua, LuaError, LuaResult, Value};
use std::cell::Cell;

fn pattern_error(lua: &mut Lua, msg: String) -> LuaError {
    lua.native_error(&msg)
}

fn push_capture(lua: &mut Lua, c: CaptureValue) {
    let v = match c {
        CaptureValue::Str(b) => lua.bytes_value(b),
        CaptureValue::Position(p) => Value::Int(p as i64),
    };
    lua.push(v);
}

/// Pushes the captures of the match `s..e` (the whole match if there are none and `whole`).
fn push_captures(lua: &mut Lua, m: &Matcher, s: usize, e: usize, whole: bool) -> LuaResult<usize> {
    let n = m.capture_count(whole);
    for i in 0..n {
        let c = m.capture(i, s, e).map_err(|msg| pattern_error(lua, msg))?;
        push_capture(lua, c);
    }
    Ok(n)
}

/// Splits a leading `^` anchor off a pattern: (anchored, index where matching starts).
fn anchor(pat: &[u8]) -> (bool, usize) {
    if pat.first() == Some(&b'^') {
        (true, 1)
    } else {
        (false, 0)
    }
}

fn find_aux(lua: &mut Lua, find: bool) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let p = lua.check_string(2)?;
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let init = start_pos(lua.opt_integer(3, 1)?, src.len());
    if init > src.len() + 1 {
        lua.push(Value::Nil);
        return Ok(1);
    }
    if find && (lua.arg(4).truthy() || is_plain(pat)) {
        if let Some(i) = find_bytes(&src[init - 1..], pat) {
            let start = init + i;
            lua.push(Value::Int(start as i64));
            lua.push(Value::Int((start + pat.len() - 1) as i64));
            return Ok(2);
        }
    } else {
        let (anchored, p0) = anchor(pat);
        let mut m = Matcher::new(src, pat);
        let mut start = init - 1;
        loop {
            let matched = m.match_at(start, p0).map_err(|msg| pattern_error(lua, msg))?;
            if let Some(e) = matched {
                if find {
                    lua.push(Value::Int(start as i64 + 1));
                    lua.push(Value::Int(e as i64));
                    return Ok(2 + push_captures(lua, &m, start, e, false)?);
                }
                return push_captures(lua, &m, start, e, true);
            }
            start += 1;
            if anchored || start > src.len() {
                break;
            }
        }
    }
    lua.push(Value::Nil);
    Ok(1)
}

pub fn find(lua: &mut Lua) -> LuaResult<usize> {
    find_aux(lua, true)
}

pub fn match_(lua: &mut Lua) -> LuaResult<usize> {
    find_aux(lua, false)
}

/// Iteration state of one `gmatch` iterator (its subject and pattern are upvalues).
struct GmatchState {
    /// Where the next match attempt starts.
    pos: Cell<usize>,
    /// End of the last match: an empty match there is skipped.
    last: Cell<Option<usize>>,
}

pub fn gmatch(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let p = lua.check_string(2)?;
    // A start past the end (even by one) yields no match at all, not an empty one.
    let start = (start_pos(lua.opt_integer(3, 1)?, s.len()) - 1).min(s.len() + 1);
    let state = GmatchState { pos: Cell::new(start), last: Cell::new(None) };
    let ud = lua.new_userdata(Box::new(state), 0);
    let f =
        lua.new_native_with_upvalues("gmatch_aux", gmatch_aux, vec![Value::Str(s), Value::Str(p), Value::UserData(ud)]);
    lua.push(f);
    Ok(1)
}

fn gmatch_aux(lua: &mut Lua) -> LuaResult<usize> {
    // `debug.setupvalue` can replace any of them.
    let upvalues = (lua.native_upvalue(0), lua.native_upvalue(1), lua.native_upvalue(2));
    let (Value::Str(s), Value::Str(p), Value::UserData(ud)) = upvalues else {
        return Err(lua.native_error("gmatch iterator's upvalues were changed"));
    };
    let Some(state) = ud.payload::<GmatchState>() else {
        return Err(lua.native_error("gmatch iterator's upvalues were changed"));
    };
    let src = s.as_bytes();
    let mut m = Matcher::new(src, p.as_bytes());
    let mut start = state.pos.get();
    while start <= src.len() {
        let matched = m.match_at(start, 0).map_err(|msg| pattern_error(lua, msg))?;
        if let Some(e) = matched {
            if Some(e) != state.last.get() {
                state.pos.set(e);
                state.last.set(Some(e));
                return push_captures(lua, &m, start, e, true);
            }
        }
        start += 1;
    }
    state.pos.set(start);
    Ok(0)
}

/// What `gsub` replaces matches with.
enum Replacement {
    Text(Gc<LuaStr>),
    Table(Value),
    Function(Value),
}

pub fn gsub(lua: &mut Lua) -> LuaResult<usize> {
    let s = lua.check_string(1)?;
    let p = lua.check_string(2)?;
    let (src, pat) = (s.as_bytes(), p.as_bytes());
    let repl_arg = lua.arg(3);
    let max_n = lua.opt_integer(4, src.len() as i64 + 1)?;
    let repl = match repl_arg {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Replacement::Text(lua.check_string(3)?),
        Value::Table(_) => Replacement::Table(repl_arg),
        f if f.is_function() => Replacement::Function(f),
        _ => return Err(lua.type_error(3, "string/function/table")),
    };
    let (anchored, p0) = anchor(pat);
    let mut m = Matcher::new(src, pat);
    let mut out = Vec::new();
    let (mut pos, mut last, mut n, mut changed) = (0, None, 0i64, false);
    while n < max_n {
        let matched = m.match_at(pos, p0).map_err(|msg| pattern_error(lua, msg))?;
        match matched {
            Some(e) if Some(e) != last => {
                n += 1;
                changed |= add_value(lua, &m, &repl, src, pos, e, &mut out)?;
                pos = e;
                last = Some(e);
            }
            _ if pos < src.len() => {
                out.push(src[pos]);
                pos += 1;
            }
            _ => break,
        }
        if anchored {
            break;
        }
    }
    if changed {
        out.extend_from_slice(&src[pos..]);
        let v = lua.bytes_value(&out);
        lua.push(v);
    } else {
        lua.push(Value::Str(s));
    }
    lua.push(Value::Int(n));
    Ok(2)
}

/// Appends the replacement of the match `s..e`; false when the original text was kept.
fn add_value(
    lua: &mut Lua,
    m: &Matcher,
    repl: &Replacement,
    src: &[u8],
    s: usize,
    e: usize,
    out: &mut Vec<u8>,
) -> LuaResult<bool> {
    let value = match repl {
        Replacement::Text(text) => {
            add_text(m, text.as_bytes(), src, s, e, out).map_err(|msg| pattern_error(lua, msg))?;
            return Ok(true);
        }
        Replacement::Function(f) => {
            let func = lua.top();
            lua.push(*f);
            let n = push_captures(lua, m, s, e, true)?;
            debug_assert_eq!(lua.top(), func + 1 + n);
            lua.call(func, 1)?;
            let v = lua.stack_at(func);
            lua.set_top(func);
            v
        }
        Replacement::Table(t) => {
            let key = m.capture(0, s, e).map_err(|msg| pattern_error(lua, msg))?;
            let key = match key {
                CaptureValue::Str(b) => lua.bytes_value(b),
                CaptureValue::Position(p) => Value::Int(p as i64),
            };
            lua.index(*t, key)?
        }
    };
    match value {
        Value::Nil | Value::Bool(false) => {
            out.extend_from_slice(&src[s..e]);
            Ok(false)
        }
        Value::Str(text) => {
            out.extend_from_slice(text.as_bytes());
            Ok(true)
        }
        Value::Int(_) | Value::Float(_) => {
            let text = lua.to_display(value)?;
            out.extend_from_slice(text.as_bytes());
            Ok(true)
        }
        other => {
            let msg = format!("invalid replacement value (a {})", other.type_name());
            Err(lua.native_error(&msg))
        }
    }
}

/// Expands a replacement string: `%0`..`%9` are captures, `%%` is a percent sign.
fn add_text(m: &Matcher, text: &[u8], src: &[u8], s: usize, e: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        match text.get(i).copied() {
            Some(b'%') => out.push(b'%'),
            Some(b'0') => out.extend_from_slice(&src[s..e]),
            Some(d @ b'1'..=b'9') => match m.capture(usize::from(d - b'1'), s, e)? {
                CaptureValue::Str(b) => out.extend_from_slice(b),
                CaptureValue::Position(p) => out.extend_from_slice(p.to_string().as_bytes()),
            },
            _ => return Err("invalid use of '%' in replacement string".to_string()),
        }
        i += 1;
    }
    Ok(())
}
