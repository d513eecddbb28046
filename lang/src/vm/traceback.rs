//! Tracebacks in Lua 5.4's format (`luaL_traceback`): one line per level, functions named
//! by where they are loaded (`function 'string.rep'`), else by how they were called
//! (`local 'f'`, `method 'm'`), else by where they are defined; long stacks show their first
//! 10 and last 11 levels.

use super::inspect::DebugInfo;
use super::state::Lua;
use super::table::Table;
use super::thread::Thread;
use super::value::Value;
use crate::gc::Gc;

/// Levels shown before and after the elision of a long traceback.
const LEVELS_FIRST: i64 = 10;
const LEVELS_LAST: i64 = 11;

/// Libraries searched for global function names while the registry has no `_LOADED` table
/// (a runtime without `package`): the globals holding them stand in for it.
const STANDARD_LIBRARIES: &[&str] =
    &["_G", "coroutine", "table", "io", "os", "string", "math", "utf8", "debug", "package", "bit"];

impl Lua {
    /// A traceback of the running thread from `level` (0 = the running function), with `msg`
    /// on the first line when given.
    pub fn traceback(&self, msg: Option<&str>, level: usize) -> String {
        let tb = self.traceback_of(self.current, msg.map(str::as_bytes), level as i64);
        String::from_utf8_lossy(&tb).into_owned()
    }

    /// A traceback of `thread` from `level` (`luaL_traceback`).
    pub fn traceback_of(&self, thread: Gc<Thread>, msg: Option<&[u8]>, level: i64) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(m) = msg {
            out.extend_from_slice(m);
            out.push(b'\n');
        }
        out.extend_from_slice(b"stack traceback:");
        let last = self.frame_count(thread) as i64 - 1;
        let mut level = level;
        let mut to_show = if last - level > LEVELS_FIRST + LEVELS_LAST { LEVELS_FIRST } else { -1 };
        while let Some(frame) = self.frame_at_level(thread, level) {
            level += 1;
            if to_show == 0 {
                // Lua's count, which is one less than the levels left out.
                let n = last - level - LEVELS_LAST + 1;
                out.extend_from_slice(format!("\n\t...\t(skipping {n} levels)").as_bytes());
                level += n;
            } else {
                let info = self.frame_info(frame);
                let line = if info.current_line <= 0 {
                    format!("\n\t{}: in ", info.short_src)
                } else {
                    format!("\n\t{}:{}: in ", info.short_src, info.current_line)
                };
                out.extend_from_slice(line.as_bytes());
                out.extend_from_slice(self.describe_function(&info).as_bytes());
                if info.is_tail_call {
                    out.extend_from_slice(b"\n\t(...tail calls...)");
                }
            }
            to_show -= 1;
        }
        out
    }

    /// How a traceback names a frame's function (`pushfuncname`).
    fn describe_function(&self, info: &DebugInfo) -> String {
        if let Some(name) = self.global_function_name(info.func) {
            format!("function '{name}'")
        } else if let Some(o) = &info.name {
            format!("{} '{}'", o.kind, o.name)
        } else if info.what == "main" {
            "main chunk".into()
        } else if info.what != "C" {
            format!("function <{}:{}>", info.short_src, info.line_defined)
        } else {
            "?".into()
        }
    }

    /// `lib.name` under which a loaded module holds `func` (`name` alone for `_G`), searched
    /// as Lua's `pushglobalfuncname` does: two levels deep into `package.loaded`.
    pub fn global_function_name(&self, func: Value) -> Option<String> {
        if !func.is_function() {
            return None;
        }
        let name = match self.registry.get_str_bytes(b"_LOADED") {
            Value::Table(loaded) => find_field(loaded, func, 2),
            _ => STANDARD_LIBRARIES.iter().find_map(|&lib| {
                let t =
                    if lib == "_G" { Value::Table(self.globals) } else { self.globals.get_str_bytes(lib.as_bytes()) };
                match t {
                    Value::Table(t) => find_field(t, func, 1).map(|n| format!("{lib}.{n}")),
                    _ => None,
                }
            }),
        }?;
        Some(name.strip_prefix("_G.").map(str::to_string).unwrap_or(name))
    }
}

/// The dotted path of string keys under which `t` holds `target`, at most `depth` tables
/// deep (Lua's `findfield`), in traversal order.
fn find_field(t: Gc<Table>, target: Value, depth: u32) -> Option<String> {
    if depth == 0 {
        return None;
    }
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = t.next(key) {
        key = k;
        let Value::Str(name) = k else { continue };
        if v.raw_eq(target) {
            return Some(name.to_str_lossy().into_owned());
        }
        if let Value::Table(sub) = v {
            if let Some(rest) = find_field(sub, target, depth - 1) {
                return Some(format!("{}.{rest}", name.to_str_lossy()));
            }
        }
    }
    None
}
