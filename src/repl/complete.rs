//! Tab completion. The REPL asks a list of `CompletionSource`s what may replace the word before
//! the cursor; `LuaNames` knows keywords, globals and the fields of tables reached by a dotted
//! path (`string.fo` -> `format`, `io.stdout:wr` -> `write` through the metatable's `__index`
//! table); `FfiSymbols` knows the C functions, variables and constants declared for a library
//! namespace of the ffi (`ffi.C.str` -> `strlen`, before any of them was used).
//!
//! Completion only reads the runtime: raw gets, `next`, raw metatables. It never calls a
//! function or a metamethod (an `__index` function is not followed), so pressing Tab has no
//! side effect and cannot fail.

use rivet_lang::gc::Gc;
use rivet_lang::syntax::KEYWORDS;
use rivet_lang::vm::metamethod::Tm;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, Value};
use rivet_stdlib::rivet::inspect::is_identifier;

/// Candidates for the text that ends at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the replaced text starts.
    pub start: usize,
    /// Replacements for `line[start..cursor]`, sorted, without duplicates.
    pub candidates: Vec<String>,
}

/// One provider of completions.
pub trait CompletionSource {
    /// Completions for the cursor at byte `pos` of `line`, or `None` when this source has
    /// nothing to say there. `lua` is for reading only: a source must not run Lua code.
    fn complete(&self, lua: &Lua, line: &str, pos: usize) -> Option<Completion>;
}

/// Asks every source. The answers that replace the shortest text (the latest `start`, the most
/// specific word) win, and their candidates are merged.
pub fn complete_all(sources: &[Box<dyn CompletionSource>], lua: &Lua, line: &str, pos: usize) -> Completion {
    let answers: Vec<Completion> =
        sources.iter().filter_map(|s| s.complete(lua, line, pos)).filter(|c| !c.candidates.is_empty()).collect();
    let Some(start) = answers.iter().map(|c| c.start).max() else {
        return Completion { start: pos, candidates: Vec::new() };
    };
    let mut candidates: Vec<String> =
        answers.into_iter().filter(|c| c.start == start).flat_map(|c| c.candidates).collect();
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

/// Keywords, globals, and fields after `.` (any value) or `:` (functions only).
pub struct LuaNames;

/// How many `__index` tables are followed, as the VM's own limit on `__index` chains.
const MAX_INDEX_CHAIN: usize = 2000;

impl CompletionSource for LuaNames {
    fn complete(&self, lua: &Lua, line: &str, pos: usize) -> Option<Completion> {
        let before = line.get(..pos)?;
        if inside_string_or_comment(before.as_bytes()) {
            return None;
        }
        let path = DottedPath::ending(before)?;
        let partial = path.partial.as_bytes();
        let mut candidates: Vec<String> = match path.base() {
            None => {
                let mut names: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
                names.extend(field_names(lua, Value::Table(lua.globals()), false));
                names
            }
            Some(segments) => field_names(lua, resolve(lua, segments)?, path.method),
        };
        candidates.retain(|c| c.as_bytes().starts_with(partial));
        candidates.sort();
        candidates.dedup();
        Some(Completion { start: pos - path.partial.len(), candidates })
    }
}

/// The value a dotted path names, from the globals, by raw gets; `None` when a segment is nil.
fn resolve(lua: &Lua, segments: &[&str]) -> Option<Value> {
    let mut v = Value::Table(lua.globals());
    // A REPL chunk's `_ENV` is the globals table.
    let segments = segments.strip_prefix(&["_ENV"]).unwrap_or(segments);
    for segment in segments {
        v = raw_field(lua, v, segment.as_bytes());
        if v.is_nil() {
            return None;
        }
    }
    Some(v)
}

/// The C symbols declared with `ffi.cdef` after a library namespace (`ffi.C.`,
/// `lib.` for `lib = ffi.load(...)`): functions, variables and constants, resolved or not.
pub struct FfiSymbols;

impl CompletionSource for FfiSymbols {
    fn complete(&self, lua: &Lua, line: &str, pos: usize) -> Option<Completion> {
        let before = line.get(..pos)?;
        if inside_string_or_comment(before.as_bytes()) {
            return None;
        }
        let path = DottedPath::ending(before)?;
        if path.method {
            return None;
        }
        let namespace = resolve(lua, path.base()?)?;
        let mut candidates = rivet_stdlib::ffi::declared_symbols(lua, namespace)?;
        candidates.retain(|c| c.starts_with(path.partial));
        Some(Completion { start: pos - path.partial.len(), candidates })
    }
}

/// `a.b.c` or `a.b:c` ending at the cursor, the last segment possibly empty (`string.`).
#[derive(Debug, PartialEq)]
struct DottedPath<'a> {
    /// The segments before the last separator, in order.
    segments: Vec<&'a str>,
    /// The last separator is `:`.
    method: bool,
    /// The text being completed.
    partial: &'a str,
}

impl<'a> DottedPath<'a> {
    /// The path at the end of `text`, or `None` when the text there is not one (a number,
    /// `f().x`, `t[1].x`).
    fn ending(text: &'a str) -> Option<DottedPath<'a>> {
        let bytes = text.as_bytes();
        let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        // (segment, the separator before it), scanning from the cursor backwards.
        let mut pieces: Vec<(&str, Option<u8>)> = Vec::new();
        let mut end = bytes.len();
        let first_start = loop {
            let mut start = end;
            while start > 0 && name_byte(bytes[start - 1]) {
                start -= 1;
            }
            // A separator continues the path; `..` (concatenation) does not.
            let sep = match start.checked_sub(1).map(|i| bytes[i]) {
                Some(b @ (b'.' | b':')) if !(start >= 2 && bytes[start - 2] == b'.') => Some(b),
                _ => None,
            };
            pieces.push((&text[start..end], sep));
            match sep {
                Some(_) => end = start - 1,
                None => break start,
            }
        };
        // `f().x`, `t[1].x`, `("s"):x`: the path hangs off an expression.
        if first_start > 0 && matches!(bytes[first_start - 1], b')' | b']' | b'}' | b'"' | b'\'') {
            return None;
        }
        pieces.reverse();
        let (partial, partial_sep) = pieces.pop()?;
        if partial.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // Every earlier segment is a name, and only the last separator may be `:`.
        if pieces.iter().any(|&(segment, sep)| !is_identifier(segment.as_bytes()) || sep == Some(b':')) {
            return None;
        }
        let segments = pieces.into_iter().map(|p| p.0).collect();
        Some(DottedPath { segments, method: partial_sep == Some(b':'), partial })
    }

    /// The segments before the partial one, or `None` for a bare name.
    fn base(&self) -> Option<&[&'a str]> {
        if self.segments.is_empty() {
            None
        } else {
            Some(&self.segments)
        }
    }
}

/// `v.key` without running anything: a raw get, then the `__index` chain while it is made of
/// tables. Strings and userdata are looked up in their metatable's `__index` table.
fn raw_field(lua: &Lua, v: Value, key: &[u8]) -> Value {
    let mut table = match v {
        Value::Table(t) => Some(t),
        other => index_table(lua, other),
    };
    for _ in 0..MAX_INDEX_CHAIN {
        let Some(t) = table else { break };
        let found = t.get_str_bytes(key);
        if !found.is_nil() {
            return found;
        }
        table = index_table(lua, Value::Table(t));
    }
    Value::Nil
}

/// The `__index` of `v`'s metatable when it is a table.
fn index_table(lua: &Lua, v: Value) -> Option<Gc<Table>> {
    match lua.metamethod(v, Tm::Index) {
        Value::Table(t) => Some(t),
        _ => None,
    }
}

/// The names `v.name` (or `v:name` when `methods`) can complete to: the identifier keys of the
/// table and of its `__index` tables.
fn field_names(lua: &Lua, v: Value, methods: bool) -> Vec<String> {
    let mut names = Vec::new();
    let mut table = match v {
        Value::Table(t) => Some(t),
        other => index_table(lua, other),
    };
    let mut seen = Vec::new();
    while let Some(t) = table {
        if seen.contains(&t.addr()) || seen.len() >= MAX_INDEX_CHAIN {
            break;
        }
        seen.push(t.addr());
        let mut key = Value::Nil;
        while let Ok(Some((k, value))) = t.next(key) {
            key = k;
            if let Value::Str(s) = k {
                if is_identifier(s.as_bytes()) && (!methods || value.is_function()) {
                    names.push(s.to_str_lossy().into_owned());
                }
            }
        }
        table = index_table(lua, Value::Table(t));
    }
    names
}

/// Whether the cursor at the end of `text` is inside a string literal or a comment, where Lua
/// names make no sense.
fn inside_string_or_comment(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                loop {
                    match text.get(i) {
                        None => return true,
                        Some(b'\\') => i += 2,
                        Some(&c) if c == q => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            b'-' if text.get(i + 1) == Some(&b'-') => match long_bracket(&text[i + 2..]) {
                Some(level) => match find_close(&text[i + 2..], level) {
                    Some(end) => i += 2 + end,
                    None => return true,
                },
                None => return true,
            },
            b'[' => match long_bracket(&text[i..]) {
                Some(level) => match find_close(&text[i..], level) {
                    Some(end) => i += end,
                    None => return true,
                },
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    false
}

/// The level of the long bracket `[==[` that `text` starts with.
fn long_bracket(text: &[u8]) -> Option<usize> {
    let level = text.iter().skip(1).take_while(|&&b| b == b'=').count();
    (text.first() == Some(&b'[') && text.get(level + 1) == Some(&b'[')).then_some(level)
}

/// The offset just past the `]==]` closing the long bracket that `text` starts with.
fn find_close(text: &[u8], level: usize) -> Option<usize> {
    let close: Vec<u8> = std::iter::once(b']').chain(std::iter::repeat_n(b'=', level)).chain([b']']).collect();
    let open = level + 2;
    text[open..].windows(close.len()).position(|w| w == close.as_slice()).map(|p| open + p + close.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Option<(Vec<&str>, bool, &str)> {
        DottedPath::ending(text).map(|p| (p.segments, p.method, p.partial))
    }

    #[test]
    fn dotted_paths_before_the_cursor() {
        assert_eq!(path("x = stri"), Some((vec![], false, "stri")));
        assert_eq!(path("string.fo"), Some((vec!["string"], false, "fo")));
        assert_eq!(path("print(io.stdout:wr"), Some((vec!["io", "stdout"], true, "wr")));
        assert_eq!(path("a.b.c."), Some((vec!["a", "b", "c"], false, "")));
        assert_eq!(path(""), Some((vec![], false, "")));
        assert_eq!(path("'x' ..str"), Some((vec![], false, "str")));
        assert_eq!(path("a..b"), Some((vec![], false, "b")));
        assert_eq!(path("a:b.c"), None);
        assert_eq!(path("f().x"), None);
        assert_eq!(path("t[1].x"), None);
        assert_eq!(path("1.5"), None);
        assert_eq!(path("x = 3."), None);
        assert_eq!(path("end.x"), None);
    }

    #[test]
    fn strings_and_comments_are_not_completed() {
        assert!(inside_string_or_comment(b"print('abc"));
        assert!(inside_string_or_comment(b"x = \"a\\\"b"));
        assert!(!inside_string_or_comment(b"x = 'a' .. b"));
        assert!(inside_string_or_comment(b"x = 1 -- note"));
        assert!(inside_string_or_comment(b"x = [==[ long ]] "));
        assert!(!inside_string_or_comment(b"x = [==[ long ]==] .. y"));
        assert!(!inside_string_or_comment(b"--[[ c ]] x"));
        assert!(inside_string_or_comment(b"--[[ c "));
        assert!(!inside_string_or_comment(b"t[i] = t[j]"));
    }

    fn complete(src: &str, line: &str) -> Completion {
        let mut rt = crate::Runtime::new();
        rt.eval(src).unwrap();
        let sources: Vec<Box<dyn CompletionSource>> = vec![Box::new(LuaNames), Box::new(FfiSymbols)];
        complete_all(&sources, rt.lua(), line, line.len())
    }

    #[test]
    fn declared_c_symbols_of_ffi_namespaces() {
        let setup = r#"ffi = require("ffi")
            ffi.cdef[[ size_t strlen(const char *); char *strchr(const char *, int);
                       extern int opterr; enum { STR_MAX = 3 }; double cos(double); ]]
            m = ffi.load("m")
            _ = ffi.C.strlen"#;
        // Declared names, used (cached in the namespace) or not; not the other globals.
        let c = complete(setup, "ffi.C.str");
        assert_eq!(c.candidates, vec!["strchr", "strlen"]);
        let c = complete(setup, "ffi.C.STR");
        assert_eq!(c.candidates, vec!["STR_MAX"]);
        assert_eq!(complete(setup, "m.co").candidates, vec!["cos"]);
        assert!(complete(setup, "ffi.C.opt").candidates.contains(&"opterr".to_string()));
        // Not a namespace: the plain table fields only.
        assert_eq!(complete(setup, "ffi.cd").candidates, vec!["cdef"]);
    }

    #[test]
    fn names_fields_and_methods() {
        let c = complete("", "string.fo");
        assert_eq!(c, Completion { start: 7, candidates: vec!["format".to_string()] });
        let c = complete("", "io.stdout:wr");
        assert_eq!(c.candidates, vec!["write"]);
        let c = complete("", "x = pri");
        assert_eq!(c, Completion { start: 4, candidates: vec!["print".to_string()] });
        let c = complete("", "whi");
        assert_eq!(c.candidates, vec!["while"]);
        let c = complete("s = 'text'", "s:up");
        assert_eq!(c.candidates, vec!["upper"]);
        let c = complete("", "coroutine.is");
        assert_eq!(c.candidates, vec!["isyieldable"]);
        let c = complete("", "_ENV.tonu");
        assert_eq!(c.candidates, vec!["tonumber"]);
    }

    #[test]
    fn nested_tables_and_index_chains() {
        let setup = "config = { window = { width = 1, height = 2, [1] = 0, ['two words'] = 3 } }
                     Base = { greet = function() end, name = 'base' }
                     obj = setmetatable({ own = 1 }, { __index = Base })";
        assert_eq!(complete(setup, "config.window.").candidates, vec!["height", "width"]);
        assert_eq!(complete(setup, "obj.").candidates, vec!["greet", "name", "own"]);
        assert_eq!(complete(setup, "obj:").candidates, vec!["greet"]);
        assert_eq!(complete(setup, "config.nothing.").candidates, Vec::<String>::new());
    }

    #[test]
    fn index_functions_and_metamethods_are_never_run() {
        let setup = "calls = 0
                     proxy = setmetatable({}, { __index = function(t, k) calls = calls + 1 return { x = 1 } end })";
        let mut rt = crate::Runtime::new();
        rt.eval(setup).unwrap();
        let sources: Vec<Box<dyn CompletionSource>> = vec![Box::new(LuaNames)];
        for line in ["proxy.", "proxy.a.", "proxy:"] {
            assert!(complete_all(&sources, rt.lua(), line, line.len()).candidates.is_empty(), "{line}");
        }
        let calls = rt.eval("return calls").unwrap();
        assert!(matches!(calls[0], Value::Int(0)));
    }

    #[test]
    fn sources_merge_on_the_most_specific_word() {
        struct Fixed(usize, &'static str);
        impl CompletionSource for Fixed {
            fn complete(&self, _: &Lua, _: &str, _: usize) -> Option<Completion> {
                Some(Completion { start: self.0, candidates: vec![self.1.to_string()] })
            }
        }
        let lua = Lua::new();
        let sources: Vec<Box<dyn CompletionSource>> =
            vec![Box::new(Fixed(2, "b")), Box::new(Fixed(4, "x")), Box::new(Fixed(4, "a")), Box::new(Fixed(4, "x"))];
        let c = complete_all(&sources, &lua, "abcdef", 6);
        assert_eq!(c, Completion { start: 4, candidates: vec!["a".to_string(), "x".to_string()] });
    }
}
