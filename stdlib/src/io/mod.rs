//! The io library (manual §6.8): `io.open`, `io.popen`, `io.tmpfile`, `io.lines`, default
//! input and output, and the methods of file handles (`FILE*` userdata, with `__gc`,
//! `__close`, `__tostring` and `__name` as Lua's liolib has them).
//!
//! Results follow Lua's conventions: failures return `nil, message, errno`
//! (`luaL_fileresult`), closing a process handle returns its exit status
//! (`luaL_execresult`). Standard output is one buffered stream shared with `print`.

mod c_stdio;
mod file;
mod read;
pub mod stream;

use file::{CloseResult, LuaFile, OpenFiles};
use rivet_lang::gc::Gc;
use rivet_lang::number::format_float;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, LuaResult, Value};
use std::io::SeekFrom;
use stream::{BufMode, StdStream};

pub use c_stdio::{before_c_call, prepare_compiled_c_calls};
pub use stream::flush_stdout;

/// Registry keys: the handles' metatable (as `luaL_newmetatable` names it) and the default
/// files.
const FILE_MT: &str = "FILE*";
const INPUT: &str = "_IO_input";
const OUTPUT: &str = "_IO_output";
/// Most formats `io.lines` takes (liolib's MAXARGLINE).
const MAX_LINES_FORMATS: usize = 250;

pub fn open(lua: &mut Lua) {
    let methods = lua.new_table();
    // Methods have no global name: messages about them say '?' unless called as methods.
    lua.register_lib(
        methods,
        &[
            ("close", "?", f_close),
            ("flush", "?", f_flush),
            ("lines", "?", f_lines),
            ("read", "?", f_read),
            ("seek", "?", f_seek),
            ("setvbuf", "?", f_setvbuf),
            ("write", "?", f_write),
        ],
    );
    let mt = lua.new_table();
    lua.register_lib(mt, &[("__gc", "?", f_gc), ("__close", "?", f_gc), ("__tostring", "?", f_tostring)]);
    let name = lua.str_value(FILE_MT);
    lua.set_field(mt, "__name", name);
    lua.set_field(mt, "__index", Value::Table(methods));
    let reg = lua.registry();
    lua.set_field(reg, FILE_MT, Value::Table(mt));

    let io = lua.new_table();
    lua.register_lib(
        io,
        &[
            ("close", "io.close", io_close),
            ("flush", "io.flush", io_flush),
            ("input", "io.input", io_input),
            ("lines", "io.lines", io_lines),
            ("open", "io.open", io_open),
            ("output", "io.output", io_output),
            ("popen", "io.popen", io_popen),
            ("read", "io.read", io_read),
            ("tmpfile", "io.tmpfile", io_tmpfile),
            ("type", "io.type", io_type),
            ("write", "io.write", io_write),
        ],
    );
    for (field, which) in [("stdin", StdStream::In), ("stdout", StdStream::Out), ("stderr", StdStream::Err)] {
        let f = LuaFile::standard(which, open_files(lua));
        let v = new_handle(lua, f);
        lua.set_field(io, field, v);
        match which {
            StdStream::In => lua.set_field(reg, INPUT, v),
            StdStream::Out => lua.set_field(reg, OUTPUT, v),
            StdStream::Err => {}
        }
    }
    let g = lua.globals();
    lua.set_field(g, "io", Value::Table(io));
}

fn open_files(lua: &Lua) -> &OpenFiles {
    lua.extension(OpenFiles::default)
}

/// Writes out the buffers of every file the runtime has open (C's `exit` does this).
pub fn flush_all(lua: &Lua) {
    open_files(lua).flush_all();
    flush_stdout();
}

/// `print`'s output: written to standard output, which is then flushed (as Lua's
/// `lua_writeline` does), so it interleaves with `io.write` in call order.
pub fn print_line(bytes: &[u8]) {
    let mut out = stream::std_stream(StdStream::Out);
    let _ = out.write(bytes);
    let _ = out.flush();
}

/// A new `FILE*` userdata for `file`, finalized (closed) by the collector.
fn new_handle(lua: &mut Lua, file: LuaFile) -> Value {
    let ud = lua.new_userdata(Box::new(file), 0);
    let mt = lua.registry().get_str_bytes(FILE_MT.as_bytes()).as_table();
    ud.set_metatable(mt);
    lua.heap_mut().register_finalizer(ud);
    Value::UserData(ud)
}

/// The handle in argument `n` (open or closed), as `luaL_checkudata(L, n, "FILE*")`.
fn handle_arg(lua: &mut Lua, n: usize) -> LuaResult<Gc<UserData>> {
    match lua.arg(n) {
        Value::UserData(ud) if ud.payload::<LuaFile>().is_some() => Ok(ud),
        _ => Err(lua.type_error(n, FILE_MT)),
    }
}

fn payload(ud: &Gc<UserData>) -> &LuaFile {
    ud.payload::<LuaFile>().expect("checked by handle_arg")
}

/// An open handle in argument `n` (liolib's `tofile`).
fn open_handle_arg(lua: &mut Lua, n: usize) -> LuaResult<Gc<UserData>> {
    let ud = handle_arg(lua, n)?;
    if payload(&ud).is_closed() {
        return Err(lua.native_error("attempt to use a closed file"));
    }
    Ok(ud)
}

/// The default input or output handle, which must be open (liolib's `getiofile`).
fn default_file(lua: &mut Lua, key: &str) -> LuaResult<Gc<UserData>> {
    match lua.registry().get_str_bytes(key.as_bytes()) {
        Value::UserData(ud) if ud.payload::<LuaFile>().is_some_and(|f| !f.is_closed()) => Ok(ud),
        _ => {
            let which = &key[4..];
            Err(lua.native_error(&format!("default {which} file is closed")))
        }
    }
}

/// `luaL_fileresult` for a failure: `nil, [name: ]message, errno`.
fn push_io_error(lua: &mut Lua, e: &std::io::Error, name: Option<&str>) -> LuaResult<usize> {
    let text = crate::base::io_error_text(e);
    let msg = match name {
        Some(n) => format!("{n}: {text}"),
        None => text,
    };
    lua.push(Value::Nil);
    let m = lua.str_value(&msg);
    lua.push(m);
    lua.push(Value::Int(i64::from(e.raw_os_error().unwrap_or(0))));
    Ok(3)
}

/// `luaL_fileresult`: `true` or the failure (`name` prefixes the message).
pub(crate) fn push_io_result(lua: &mut Lua, r: std::io::Result<()>, name: Option<&str>) -> LuaResult<usize> {
    match r {
        Ok(()) => {
            lua.push(Value::Bool(true));
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, name),
    }
}

/// `luaL_execresult`: `true|nil, "exit"|"signal", code`.
pub(crate) fn push_exit_status(lua: &mut Lua, status: std::process::ExitStatus) -> LuaResult<usize> {
    use std::os::unix::process::ExitStatusExt;
    let (what, code) = match (status.code(), status.signal()) {
        (Some(c), _) => ("exit", c),
        (None, Some(s)) => ("signal", s),
        (None, None) => ("exit", -1),
    };
    lua.push(if what == "exit" && code == 0 { Value::Bool(true) } else { Value::Nil });
    let w = lua.str_value(what);
    lua.push(w);
    lua.push(Value::Int(i64::from(code)));
    Ok(3)
}

// ----- closing ----------------------------------------------------------------------------

fn close_handle(lua: &mut Lua, ud: Gc<UserData>) -> LuaResult<usize> {
    match payload(&ud).close() {
        CloseResult::Done(r) => push_io_result(lua, r, None),
        CloseResult::Exited(Ok(status)) => push_exit_status(lua, status),
        CloseResult::Exited(Err(e)) => push_io_error(lua, &e, None),
        CloseResult::NotClosable => {
            lua.push(Value::Nil);
            let m = lua.str_value("cannot close standard file");
            lua.push(m);
            Ok(2)
        }
    }
}

fn f_close(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    close_handle(lua, ud)
}

fn io_close(lua: &mut Lua) -> LuaResult<usize> {
    if lua.nargs() == 0 {
        let out = lua.registry().get_str_bytes(OUTPUT.as_bytes());
        lua.push(out);
    }
    f_close(lua)
}

fn f_gc(lua: &mut Lua) -> LuaResult<usize> {
    let ud = handle_arg(lua, 1)?;
    let _ = payload(&ud).close();
    Ok(0)
}

fn f_tostring(lua: &mut Lua) -> LuaResult<usize> {
    let ud = handle_arg(lua, 1)?;
    let text = if payload(&ud).is_closed() { "file (closed)".to_string() } else { format!("file (0x{:x})", ud.addr()) };
    let s = lua.str_value(&text);
    lua.push(s);
    Ok(1)
}

// ----- opening ----------------------------------------------------------------------------

fn io_open(lua: &mut Lua) -> LuaResult<usize> {
    let name = lua.check_string(1)?.to_str_lossy().into_owned();
    let mode = match lua.opt_string(2)? {
        Some(m) => m.as_bytes().to_vec(),
        None => b"r".to_vec(),
    };
    if !file::valid_mode(&mode) {
        return Err(lua.arg_error(2, "invalid mode"));
    }
    match file::open(&name, &mode, open_files(lua)) {
        Ok(f) => {
            let v = new_handle(lua, f);
            lua.push(v);
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, Some(&name)),
    }
}

fn io_popen(lua: &mut Lua) -> LuaResult<usize> {
    let command = lua.check_string(1)?.to_str_lossy().into_owned();
    let write = match lua.opt_string(2)?.map(|m| m.as_bytes().to_vec()).as_deref() {
        None | Some(b"r") => false,
        Some(b"w") => true,
        Some(_) => return Err(lua.arg_error(2, "invalid mode")),
    };
    match file::popen(&command, write, open_files(lua)) {
        Ok(f) => {
            let v = new_handle(lua, f);
            lua.push(v);
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, Some(&command)),
    }
}

fn io_tmpfile(lua: &mut Lua) -> LuaResult<usize> {
    match file::tmpfile(open_files(lua)) {
        Ok(f) => {
            let v = new_handle(lua, f);
            lua.push(v);
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, None),
    }
}

fn io_type(lua: &mut Lua) -> LuaResult<usize> {
    let v = match lua.check_any(1)? {
        Value::UserData(ud) => match ud.payload::<LuaFile>() {
            Some(f) if f.is_closed() => lua.str_value("closed file"),
            Some(_) => lua.str_value("file"),
            None => Value::Nil,
        },
        _ => Value::Nil,
    };
    lua.push(v);
    Ok(1)
}

/// Opens `name` or raises "cannot open file" (liolib's `opencheckfile`).
fn open_or_raise(lua: &mut Lua, name: &str, mode: &[u8]) -> LuaResult<Value> {
    match file::open(name, mode, open_files(lua)) {
        Ok(f) => Ok(new_handle(lua, f)),
        Err(e) => {
            let text = crate::base::io_error_text(&e);
            Err(lua.native_error(&format!("cannot open file '{name}' ({text})")))
        }
    }
}

/// `io.input` / `io.output`: sets the default file from a name or a handle; returns it.
fn default_io(lua: &mut Lua, key: &str, mode: &[u8]) -> LuaResult<usize> {
    let v = lua.arg(1);
    if !v.is_nil() {
        let handle = match v {
            Value::Str(_) | Value::Int(_) | Value::Float(_) => {
                let name = lua.check_string(1)?.to_str_lossy().into_owned();
                open_or_raise(lua, &name, mode)?
            }
            _ => Value::UserData(open_handle_arg(lua, 1)?),
        };
        let reg = lua.registry();
        lua.set_field(reg, key, handle);
    }
    let cur = lua.registry().get_str_bytes(key.as_bytes());
    lua.push(cur);
    Ok(1)
}

fn io_input(lua: &mut Lua) -> LuaResult<usize> {
    default_io(lua, INPUT, b"r")
}

fn io_output(lua: &mut Lua) -> LuaResult<usize> {
    default_io(lua, OUTPUT, b"w")
}

// ----- reading ----------------------------------------------------------------------------

fn f_read(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    read::read_formats(lua, payload(&ud), 2)
}

fn io_read(lua: &mut Lua) -> LuaResult<usize> {
    let ud = default_file(lua, INPUT)?;
    read::read_formats(lua, payload(&ud), 1)
}

/// The iterator `lines` returns; upvalues: the handle, the number of formats, whether to
/// close the file at the end, then the formats.
fn lines_next(lua: &mut Lua) -> LuaResult<usize> {
    // `debug.setupvalue` can replace the handle.
    let ud = match lua.native_upvalue(0) {
        Value::UserData(ud) if ud.payload::<LuaFile>().is_some() => ud,
        _ => return Err(lua.native_error("lines iterator's upvalues were changed")),
    };
    if payload(&ud).is_closed() {
        return Err(lua.native_error("file is already closed"));
    }
    let n = match lua.native_upvalue(1) {
        Value::Int(n) if (0..=MAX_LINES_FORMATS as i64).contains(&n) => n as usize,
        _ => 0,
    };
    // The formats become arguments 2.. (liolib's io_readline), for messages to number them.
    let base = lua.top() - lua.nargs();
    lua.set_top(base + 1);
    for i in 0..n {
        let f = lua.native_upvalue(3 + i);
        lua.push(f);
    }
    let results = read::read_formats(lua, payload(&ud), 2)?;
    let first = lua.stack_at(lua.top() - results);
    if first.truthy() {
        return Ok(results);
    }
    if results > 1 {
        let msg = lua.stack_at(lua.top() - results + 1);
        let text = lua.to_display(msg)?.to_str_lossy().into_owned();
        return Err(lua.native_error(&text));
    }
    if lua.native_upvalue(2).truthy() {
        let _ = payload(&ud).close();
    }
    Ok(0)
}

/// Builds the `lines` iterator over the handle in argument 1 with the formats after it.
fn lines_iterator(lua: &mut Lua, handle: Value, close_at_end: bool) -> LuaResult<Value> {
    let n = lua.nargs().saturating_sub(1);
    if n > MAX_LINES_FORMATS {
        return Err(lua.arg_error(MAX_LINES_FORMATS + 2, "too many arguments"));
    }
    let mut upvalues = vec![handle, Value::Int(n as i64), Value::Bool(close_at_end)];
    upvalues.extend((2..=n + 1).map(|i| lua.arg(i)));
    Ok(lua.new_native_with_upvalues("for iterator", lines_next, upvalues))
}

fn f_lines(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    let it = lines_iterator(lua, Value::UserData(ud), false)?;
    lua.push(it);
    Ok(1)
}

fn io_lines(lua: &mut Lua) -> LuaResult<usize> {
    if lua.nargs() == 0 {
        lua.push(Value::Nil);
    }
    if lua.arg(1).is_nil() {
        let input = lua.registry().get_str_bytes(INPUT.as_bytes());
        lua.set_arg(1, input);
        let ud = open_handle_arg(lua, 1)?;
        let it = lines_iterator(lua, Value::UserData(ud), false)?;
        lua.push(it);
        return Ok(1);
    }
    let name = lua.check_string(1)?.to_str_lossy().into_owned();
    let handle = open_or_raise(lua, &name, b"r")?;
    lua.set_arg(1, handle);
    let it = lines_iterator(lua, handle, true)?;
    lua.push(it);
    lua.push(Value::Nil);
    lua.push(Value::Nil);
    lua.push(handle);
    Ok(4)
}

// ----- writing and positioning ------------------------------------------------------------

/// `g_write`: writes arguments `first..` (strings, or numbers as `%d` / `%.14g`) and returns
/// the handle, which is at stack slot `handle_slot`.
fn write_args(lua: &mut Lua, ud: Gc<UserData>, first: usize) -> LuaResult<usize> {
    let mut out = Vec::new();
    let mut result = Ok(());
    for i in first..=lua.nargs() {
        match lua.arg(i) {
            Value::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Value::Float(x) => out.extend_from_slice(format_float(x, b'g', Some(14), false).as_bytes()),
            _ => match lua.check_string(i) {
                Ok(s) => out.extend_from_slice(s.as_bytes()),
                Err(e) => {
                    // What came before the bad argument is written, as Lua does.
                    let _ = payload(&ud).with_stream(false, |s| s.write(&out));
                    return Err(e);
                }
            },
        }
    }
    if !out.is_empty() {
        result = payload(&ud).with_stream(false, |s| s.write(&out)).unwrap_or(Ok(()));
    }
    match result {
        Ok(()) => {
            lua.push(Value::UserData(ud));
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, None),
    }
}

fn f_write(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    write_args(lua, ud, 2)
}

fn io_write(lua: &mut Lua) -> LuaResult<usize> {
    let ud = default_file(lua, OUTPUT)?;
    write_args(lua, ud, 1)
}

fn flush_handle(lua: &mut Lua, ud: Gc<UserData>) -> LuaResult<usize> {
    let r = payload(&ud).with_stream(false, |s| s.flush()).unwrap_or(Ok(()));
    push_io_result(lua, r, None)
}

fn f_flush(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    flush_handle(lua, ud)
}

fn io_flush(lua: &mut Lua) -> LuaResult<usize> {
    let ud = default_file(lua, OUTPUT)?;
    flush_handle(lua, ud)
}

/// `luaL_checkoption`: the index of argument `n` in `options` (or of `default` when absent).
fn check_option(lua: &mut Lua, n: usize, default: Option<&str>, options: &[&str]) -> LuaResult<usize> {
    let name = match (lua.arg(n), default) {
        (Value::Nil, Some(d)) => d.to_string(),
        _ => lua.check_string(n)?.to_str_lossy().into_owned(),
    };
    match options.iter().position(|o| *o == name) {
        Some(i) => Ok(i),
        None => Err(lua.arg_error(n, &format!("invalid option '{name}'"))),
    }
}

fn f_seek(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    let whence = check_option(lua, 2, Some("cur"), &["set", "cur", "end"])?;
    let offset = lua.opt_integer(3, 0)?;
    let pos = match whence {
        0 if offset < 0 => None,
        0 => Some(SeekFrom::Start(offset as u64)),
        1 => Some(SeekFrom::Current(offset)),
        _ => Some(SeekFrom::End(offset)),
    };
    let r = match pos {
        Some(p) => payload(&ud).with_stream(false, |s| s.seek(p)).unwrap_or(Ok(0)),
        None => Err(std::io::Error::from_raw_os_error(22)), // EINVAL, as fseek reports
    };
    match r {
        Ok(p) => {
            lua.push(Value::Int(p as i64));
            Ok(1)
        }
        Err(e) => push_io_error(lua, &e, None),
    }
}

fn f_setvbuf(lua: &mut Lua) -> LuaResult<usize> {
    let ud = open_handle_arg(lua, 1)?;
    let mode = [BufMode::No, BufMode::Full, BufMode::Line][check_option(lua, 2, None, &["no", "full", "line"])?];
    let size = lua.opt_integer(3, 1024)?;
    let r = payload(&ud).with_stream(false, |s| s.set_mode(mode, size.max(1) as usize)).unwrap_or(Ok(()));
    push_io_result(lua, r, None)
}
