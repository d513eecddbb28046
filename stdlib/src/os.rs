//! The os library (manual §6.9): time and dates, the environment, files by name, processes.
//!
//! Dates go through the C library (`mktime`, `localtime_r`, `gmtime_r`, `strftime`) so that
//! normalisation, time zones and every conversion behave exactly as in Lua, which delegates
//! to the same functions. Those calls are the module's only `unsafe`.

use rivet_lang::gc::Gc;
use rivet_lang::vm::ops::to_integer;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("clock", "os.clock", clock),
            ("date", "os.date", date),
            ("difftime", "os.difftime", difftime),
            ("execute", "os.execute", execute),
            ("exit", "os.exit", exit),
            ("getenv", "os.getenv", getenv),
            ("remove", "os.remove", remove),
            ("rename", "os.rename", rename),
            ("setlocale", "os.setlocale", setlocale),
            ("time", "os.time", time),
            ("tmpname", "os.tmpname", tmpname),
        ],
    );
    let g = lua.globals();
    lua.set_field(g, "os", Value::Table(t));
}

// ----- time and dates ---------------------------------------------------------------------

fn now() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

fn empty_tm() -> libc::tm {
    // SAFETY: `tm` is a plain C struct of integers and a nullable pointer (`tm_zone`), for
    // which all-zero bytes are a valid value.
    unsafe { std::mem::zeroed() }
}

/// The broken-down time of `t`, in UTC or local time; None when the year does not fit.
fn broken_down(t: i64, utc: bool) -> Option<libc::tm> {
    let mut tm = empty_tm();
    let t: libc::time_t = t;
    // SAFETY: both pointers are to live locals; the *_r variants write only into `tm` and
    // return null on failure.
    let r = unsafe {
        if utc {
            libc::gmtime_r(&t, &mut tm)
        } else {
            libc::localtime_r(&t, &mut tm)
        }
    };
    (!r.is_null()).then_some(tm)
}

/// Stores the fields of `tm` into `t` as Lua's `setallfields` does.
fn set_all_fields(lua: &mut Lua, t: Gc<Table>, tm: &libc::tm) {
    let fields = [
        ("year", i64::from(tm.tm_year) + 1900),
        ("month", i64::from(tm.tm_mon) + 1),
        ("day", i64::from(tm.tm_mday)),
        ("hour", i64::from(tm.tm_hour)),
        ("min", i64::from(tm.tm_min)),
        ("sec", i64::from(tm.tm_sec)),
        ("yday", i64::from(tm.tm_yday) + 1),
        ("wday", i64::from(tm.tm_wday) + 1),
    ];
    for (k, v) in fields {
        lua.set_field(t, k, Value::Int(v));
    }
    if tm.tm_isdst >= 0 {
        lua.set_field(t, "isdst", Value::Bool(tm.tm_isdst != 0));
    }
}

/// A date-table field for `os.time` (loslib's `getfield`): an integer, minus `delta`, that
/// fits a C int; `default` when absent (None: the field is required).
fn get_field(lua: &mut Lua, t: Value, key: &str, default: Option<i32>, delta: i32) -> LuaResult<i32> {
    let k = lua.str_value(key);
    let v = lua.index(t, k)?;
    let Some(res) = to_integer(v, true) else {
        if !v.is_nil() {
            return Err(lua.native_error(&format!("field '{key}' is not an integer")));
        }
        return match default {
            Some(d) => Ok(d),
            None => Err(lua.native_error(&format!("field '{key}' missing in date table"))),
        };
    };
    let fits = if res >= 0 {
        res - i64::from(delta) <= i64::from(i32::MAX)
    } else {
        i64::from(i32::MIN) + i64::from(delta) <= res
    };
    if !fits {
        return Err(lua.native_error(&format!("field '{key}' is out-of-bound")));
    }
    Ok((res - i64::from(delta)) as i32)
}

fn time(lua: &mut Lua) -> LuaResult<usize> {
    if lua.arg(1).is_nil() {
        lua.push(Value::Int(now()));
        return Ok(1);
    }
    let t = lua.check_table(1)?;
    let tv = Value::Table(t);
    let mut tm = empty_tm();
    tm.tm_year = get_field(lua, tv, "year", None, 1900)?;
    tm.tm_mon = get_field(lua, tv, "month", None, 1)?;
    tm.tm_mday = get_field(lua, tv, "day", None, 0)?;
    tm.tm_hour = get_field(lua, tv, "hour", Some(12), 0)?;
    tm.tm_min = get_field(lua, tv, "min", Some(0), 0)?;
    tm.tm_sec = get_field(lua, tv, "sec", Some(0), 0)?;
    let k = lua.str_value("isdst");
    let isdst = lua.index(tv, k)?;
    tm.tm_isdst = if isdst.is_nil() { -1 } else { i32::from(isdst.truthy()) };
    // SAFETY: `tm` is a live, initialised local; mktime normalises it in place.
    let result = unsafe { libc::mktime(&mut tm) };
    set_all_fields(lua, t, &tm);
    if result == -1 {
        return Err(lua.native_error("time result cannot be represented in this installation"));
    }
    lua.push(Value::Int(result));
    Ok(1)
}

/// The conversions `os.date` accepts (C99 and POSIX): one character, or `E`/`O` and one.
fn conversion_len(spec: &[u8]) -> Option<usize> {
    const SINGLE: &[u8] = b"aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
    const WITH_E: &[u8] = b"cCxXyY";
    const WITH_O: &[u8] = b"deHImMSuUVwWy";
    match spec {
        [c, ..] if SINGLE.contains(c) => Some(1),
        [b'E', c, ..] if WITH_E.contains(c) => Some(2),
        [b'O', c, ..] if WITH_O.contains(c) => Some(2),
        _ => None,
    }
}

/// One `strftime` conversion (`%` + `spec`).
fn strftime(spec: &[u8], tm: &libc::tm) -> Vec<u8> {
    let mut fmt = vec![b'%'];
    fmt.extend_from_slice(spec);
    fmt.push(0);
    // Lua's buffer per conversion (SIZETIMEFMT); longer results produce nothing.
    let mut buf = [0u8; 250];
    // SAFETY: `fmt` is NUL-terminated, `buf` is writable for its full length which is the
    // size passed, and `tm` was filled by gmtime_r/localtime_r.
    let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), fmt.as_ptr().cast(), tm) };
    buf[..n].to_vec()
}

fn date(lua: &mut Lua) -> LuaResult<usize> {
    let format = match lua.opt_string(1)? {
        Some(s) => s.as_bytes().to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if lua.arg(2).is_nil() { now() } else { lua.check_integer(2)? };
    let (utc, mut spec) = match format.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, &format[..]),
    };
    let Some(tm) = broken_down(t, utc) else {
        return Err(lua.native_error("date result cannot be represented in this installation"));
    };
    if spec == b"*t" {
        let table = lua.new_table_with(0, 9);
        set_all_fields(lua, table, &tm);
        lua.push(Value::Table(table));
        return Ok(1);
    }
    let mut out = Vec::new();
    while let Some((&c, rest)) = spec.split_first() {
        if c != b'%' {
            out.push(c);
            spec = rest;
            continue;
        }
        let Some(n) = conversion_len(rest) else {
            // The message quotes the rest of the format, as C sees it (up to a NUL).
            let shown = rest.split(|&b| b == 0).next().unwrap_or_default();
            let msg = format!("invalid conversion specifier '%{}'", String::from_utf8_lossy(shown));
            return Err(lua.arg_error(1, &msg));
        };
        out.extend_from_slice(&strftime(&rest[..n], &tm));
        spec = &rest[n..];
    }
    let s = lua.bytes_value(&out);
    lua.push(s);
    Ok(1)
}

fn clock(lua: &mut Lua) -> LuaResult<usize> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a live local the call fills in.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } == 0;
    // C's clock() counts whole microseconds (exact in a double).
    let micros = if ok { ts.tv_sec as f64 * 1e6 + (ts.tv_nsec / 1000) as f64 } else { -1.0 };
    lua.push(Value::Float(micros / 1e6));
    Ok(1)
}

fn difftime(lua: &mut Lua) -> LuaResult<usize> {
    let t1 = lua.check_integer(1)?;
    let t2 = lua.check_integer(2)?;
    lua.push(Value::Float(t1 as f64 - t2 as f64));
    Ok(1)
}

// ----- environment, files, processes ------------------------------------------------------

fn getenv(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?;
    let name = std::ffi::OsStr::from_bytes(name.as_bytes()).to_owned();
    let v = match std::env::var_os(name) {
        Some(v) => lua.bytes_value(v.as_bytes()),
        None => Value::Nil,
    };
    lua.push(v);
    Ok(1)
}

fn path_arg(lua: &mut Lua, n: usize) -> LuaResult<std::path::PathBuf> {
    let s = lua.check_string(n)?;
    Ok(std::path::PathBuf::from(std::ffi::OsStr::from_bytes(s.as_bytes())))
}

/// C's `remove`: files, and empty directories.
fn remove(lua: &mut Lua) -> LuaResult<usize> {
    let path = path_arg(lua, 1)?;
    let r = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir(&path),
        _ => std::fs::remove_file(&path),
    };
    crate::io::push_io_result(lua, r, Some(&path.to_string_lossy()))
}

fn rename(lua: &mut Lua) -> LuaResult<usize> {
    let from = path_arg(lua, 1)?;
    let to = path_arg(lua, 2)?;
    let r = std::fs::rename(from, to);
    crate::io::push_io_result(lua, r, None)
}

/// Creates a new empty file `/tmp/lua_XXXXXX` (as `mkstemp`), returning its name.
pub(crate) fn create_temp_file() -> io::Result<(String, File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..100 {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let mut x = nanos
            ^ (u64::from(std::process::id()) << 32)
            ^ COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut name = String::from("/tmp/lua_");
        for _ in 0..6 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            name.push(CHARS[(x >> 33) as usize % CHARS.len()] as char);
        }
        match File::options().read(true).write(true).create_new(true).open(&name) {
            Ok(f) => return Ok((name, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from(io::ErrorKind::AlreadyExists))
}

fn tmpname(lua: &mut Lua) -> LuaResult<usize> {
    match create_temp_file() {
        Ok((name, _)) => {
            let s = lua.str_value(&name);
            lua.push(s);
            Ok(1)
        }
        Err(_) => Err(lua.native_error("unable to generate a unique filename")),
    }
}

fn execute(lua: &mut Lua) -> LuaResult<usize> {
    let Some(cmd) = lua.opt_string(1)? else {
        // Is a shell available?
        let has_shell = std::path::Path::new("/bin/sh").exists();
        lua.push(Value::Bool(has_shell));
        return Ok(1);
    };
    let cmd = std::ffi::OsStr::from_bytes(cmd.as_bytes()).to_owned();
    crate::io::flush_stdout();
    match Command::new("/bin/sh").arg("-c").arg(cmd).status() {
        Ok(status) => crate::io::push_exit_status(lua, status),
        Err(e) => crate::io::push_io_result(lua, Err(e), None),
    }
}

fn exit(lua: &mut Lua) -> LuaResult<usize> {
    let status = match lua.arg(1) {
        Value::Bool(b) => i32::from(!b),
        _ => lua.opt_integer(1, 0)? as i32,
    };
    if lua.arg(2).truthy() {
        lua.close_state();
    }
    // C's exit flushes every open stream.
    crate::io::flush_all(lua);
    std::process::exit(status)
}

/// Only the "C" locale exists: queries and requests for "C" (or "POSIX", or the
/// environment's default, "") answer "C"; any other locale fails.
fn setlocale(lua: &mut Lua) -> LuaResult<usize> {
    let locale = lua.opt_string(1)?.map(|s| s.as_bytes().to_vec());
    let category = match lua.arg(2) {
        Value::Nil => "all".to_string(),
        _ => lua.check_string(2)?.to_str_lossy().into_owned(),
    };
    if !["all", "collate", "ctype", "monetary", "numeric", "time"].contains(&category.as_str()) {
        return Err(lua.arg_error(2, &format!("invalid option '{category}'")));
    }
    let v = match locale.as_deref() {
        None | Some(b"C" | b"POSIX" | b"") => lua.str_value("C"),
        Some(_) => Value::Nil,
    };
    lua.push(v);
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::{broken_down, conversion_len, strftime};

    #[test]
    fn conversions_are_those_of_c99() {
        assert_eq!(conversion_len(b"Y-%m"), Some(1));
        assert_eq!(conversion_len(b"Ec"), Some(2));
        assert_eq!(conversion_len(b"Oy"), Some(2));
        assert_eq!(conversion_len(b"Ez"), None);
        assert_eq!(conversion_len(b"E"), None);
        assert_eq!(conversion_len(b""), None);
        assert_eq!(conversion_len(b"5"), None);
    }

    #[test]
    fn utc_dates() {
        let tm = broken_down(1_000_000_000, true).unwrap();
        assert_eq!(strftime(b"F", &tm), b"2001-09-09".to_vec());
        assert_eq!(strftime(b"T", &tm), b"01:46:40".to_vec());
        assert_eq!(strftime(b"c", &tm), b"Sun Sep  9 01:46:40 2001".to_vec());
        assert!(broken_down(1 << 60, true).is_none());
    }
}
