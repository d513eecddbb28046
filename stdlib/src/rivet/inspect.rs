//! `rivet.inspect(value [, options])`: a readable rendering of a value, tables included.
//!
//! Tables show their raw contents: the sequence `1..n` first without keys, then the other
//! keys sorted (numbers, strings, booleans, then the rest by type), identifier keys as
//! `name = v` and others as `[key] = v`. A table met a second time (a cycle, or shared) is not
//! expanded again: its first rendering carries a label `<1>` and later ones read `<table 1>`.
//! Short tables stay on one line; a table whose one-line form does not fit in `width` columns
//! is broken into one entry per line.
//!
//! Nothing here runs Lua code: tables are read with raw gets and `next`, metamethods are never
//! called (`__name` is read raw, as `tostring` does for its default text), so inspecting a
//! proxy or an object with a misbehaving `__index` or `__tostring` has no side effect. The
//! walk allocates nothing on the Lua heap, so values held in Rust locals stay valid.

use rivet_lang::gc::Gc;
use rivet_lang::number::{fmt_float, fmt_int, Number};
use rivet_lang::syntax::KEYWORDS;
use rivet_lang::vm::arith::{num_eq, num_lt};
use rivet_lang::vm::metamethod::Tm;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How `render` lays a value out.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectOptions {
    /// Levels of nested tables expanded (the value itself is level 1); deeper tables read
    /// `{...}`. `None`: up to `MAX_DEPTH`.
    pub depth: Option<usize>,
    /// Entries shown per table; the rest are counted (`... (12 more)`). `None`: no limit.
    pub limit: Option<usize>,
    /// Columns a line may take before a table is broken into one entry per line.
    pub width: usize,
    /// One level of indentation in broken tables.
    pub indent: String,
}

/// Nesting beyond which tables are never expanded, whatever `depth` says: the walk recurses in
/// Rust, and a long linked list must not exhaust the native stack (Lua's parser and C calls
/// stop at 200 levels too).
pub const MAX_DEPTH: usize = 200;

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions { depth: None, limit: None, width: 80, indent: "  ".to_string() }
    }
}

/// `rivet.inspect(value [, options])`: `options` is a table with the optional fields `depth`,
/// `limit`, `width` (non-negative integers) and `indent` (a string).
pub fn inspect(lua: &mut Lua) -> LuaResult<usize> {
    let v = lua.check_any(1)?;
    let opts = match lua.arg(2) {
        Value::Nil => InspectOptions::default(),
        Value::Table(t) => read_options(lua, t)?,
        _ => return Err(lua.type_error(2, "table")),
    };
    let text = render(lua, v, &opts);
    let s = lua.str_value(&text);
    lua.push(s);
    Ok(1)
}

fn read_options(lua: &mut Lua, t: Gc<Table>) -> LuaResult<InspectOptions> {
    let mut opts = InspectOptions::default();
    let count = |lua: &mut Lua, name: &str| -> LuaResult<Option<usize>> {
        match t.get_str_bytes(name.as_bytes()) {
            Value::Nil => Ok(None),
            Value::Int(n) if n >= 0 => Ok(Some(n as usize)),
            Value::Float(f) if f == f64::INFINITY => Ok(None),
            Value::Float(f) if f >= 0.0 && f.fract() == 0.0 => Ok(Some(f as usize)),
            _ => Err(lua.arg_error(2, &format!("field '{name}' must be a non-negative integer"))),
        }
    };
    opts.depth = count(lua, "depth")?;
    opts.limit = count(lua, "limit")?;
    if let Some(w) = count(lua, "width")? {
        opts.width = w;
    }
    match t.get_str_bytes(b"indent") {
        Value::Nil => {}
        Value::Str(s) => opts.indent = s.to_str_lossy().into_owned(),
        _ => return Err(lua.arg_error(2, "field 'indent' must be a string")),
    }
    Ok(opts)
}

/// The text of `v` laid out by `opts`.
pub fn render(lua: &Lua, v: Value, opts: &InspectOptions) -> String {
    let mut walk = Walk { lua, opts, entries: HashMap::new(), refs: HashMap::new(), labels: HashMap::new() };
    walk.count(v, 1);
    let node = walk.build(v, 1, &mut HashSet::new());
    let mut out = String::new();
    layout(&node, 0, 0, opts, &mut out);
    out
}

/// A rendered value before layout: atoms are final text, tables wait for line breaking.
enum Node {
    Atom(String),
    Table { label: Option<usize>, items: Vec<(Option<String>, Node)>, more: usize, flat_len: usize },
}

impl Node {
    fn flat_len(&self) -> usize {
        match self {
            Node::Atom(s) => s.chars().count(),
            Node::Table { flat_len, .. } => *flat_len,
        }
    }
}

/// A table's entries in display order: the sequence part (no keys shown) and the rest.
struct Entries {
    sequence: usize,
    pairs: Vec<(Value, Value)>,
    more: usize,
}

struct Walk<'a> {
    lua: &'a Lua,
    opts: &'a InspectOptions,
    /// Sorted entries per expanded table (keyed by address), computed once.
    entries: HashMap<usize, Entries>,
    /// How often each expanded table is met again after its expansion began.
    refs: HashMap<usize, usize>,
    /// Labels of the tables met more than once, in order of first rendering.
    labels: HashMap<usize, usize>,
}

impl Walk<'_> {
    fn expands(&self, level: usize) -> bool {
        level <= self.opts.depth.unwrap_or(MAX_DEPTH).min(MAX_DEPTH)
    }

    /// First pass: which tables are expanded and which are met again (and so need a label).
    /// Visits tables in exactly the order `build` does, so both passes agree.
    fn count(&mut self, v: Value, level: usize) {
        let Value::Table(t) = v else { return };
        if let Some(n) = self.refs.get_mut(&t.addr()) {
            *n += 1;
            return;
        }
        if !self.expands(level) {
            return;
        }
        self.refs.insert(t.addr(), 0);
        let entries = self.sorted_entries(t);
        let seq: Vec<Value> = (1..=entries.sequence as i64).map(|i| t.get_int(i)).collect();
        let pairs = entries.pairs.clone();
        self.entries.insert(t.addr(), entries);
        for v in seq {
            self.count(v, level + 1);
        }
        for (k, v) in pairs {
            self.count(k, level + 1);
            self.count(v, level + 1);
        }
    }

    fn build(&mut self, v: Value, level: usize, expanded: &mut HashSet<usize>) -> Node {
        let t = match v {
            Value::Table(t) => t,
            other => return Node::Atom(self.atom(other)),
        };
        if expanded.contains(&t.addr()) {
            let n = self.labels.get(&t.addr()).copied().unwrap_or(0);
            return Node::Atom(format!("<table {n}>"));
        }
        // Same rule as `count`: a table first met too deep is cut here (it may be expanded
        // at a later, shallower place).
        if !self.expands(level) {
            return Node::Atom("{...}".to_string());
        }
        let Some(entries) = self.entries.remove(&t.addr()) else {
            unreachable!("count expanded every table build expands")
        };
        expanded.insert(t.addr());
        let label = (self.refs.get(&t.addr()).copied().unwrap_or(0) > 0).then(|| {
            let n = self.labels.len() + 1;
            self.labels.insert(t.addr(), n);
            n
        });
        let mut items = Vec::with_capacity(entries.sequence + entries.pairs.len());
        for i in 1..=entries.sequence as i64 {
            items.push((None, self.build(t.get_int(i), level + 1, expanded)));
        }
        for &(k, v) in &entries.pairs {
            let key = match k {
                Value::Str(s) if is_identifier(s.as_bytes()) => s.to_str_lossy().into_owned(),
                _ => {
                    let key_node = self.build(k, level + 1, expanded);
                    let mut text = String::from("[");
                    flat(&key_node, &mut text);
                    text.push(']');
                    text
                }
            };
            items.push((Some(key), self.build(v, level + 1, expanded)));
        }
        // `{ a, b = c, ... (n more) }`: braces and spaces, then ", " between items.
        let label_len = label.map_or(0, |n| format!("<{n}>").len());
        let mut flat_len = label_len + if items.is_empty() && entries.more == 0 { 2 } else { 4 };
        for (i, (key, node)) in items.iter().enumerate() {
            flat_len += if i > 0 { 2 } else { 0 } + key.as_ref().map_or(0, |k| k.chars().count() + 3) + node.flat_len();
        }
        if entries.more > 0 {
            flat_len += more_text(entries.more).len() + if items.is_empty() { 0 } else { 2 };
        }
        Node::Table { label, items, more: entries.more, flat_len }
    }

    /// Entries in display order: the border `n` of the sequence `1..n`, then the other pairs
    /// sorted; cut at `limit`.
    fn sorted_entries(&self, t: Gc<Table>) -> Entries {
        let mut sequence = 0usize;
        while !t.get_int(sequence as i64 + 1).is_nil() {
            sequence += 1;
        }
        let mut pairs = Vec::new();
        let mut key = Value::Nil;
        while let Ok(Some((k, v))) = t.next(key) {
            key = k;
            let in_sequence = matches!(k, Value::Int(i) if i >= 1 && (i as u64) <= sequence as u64);
            if !in_sequence {
                pairs.push((k, v));
            }
        }
        pairs.sort_by(|a, b| key_order(a.0, b.0));
        let total = sequence + pairs.len();
        let shown = self.opts.limit.map_or(total, |l| l.min(total));
        let sequence_shown = sequence.min(shown);
        pairs.truncate(shown - sequence_shown);
        Entries { sequence: sequence_shown, pairs, more: total - shown }
    }

    /// The text of a value that is not expanded: as `tostring` without `__tostring`.
    fn atom(&self, v: Value) -> String {
        match v {
            Value::Nil => "nil".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => fmt_int(i),
            Value::Float(f) => fmt_float(f),
            Value::Str(s) => quote(s.as_bytes()),
            other => {
                let name = match self.lua.metamethod(other, Tm::Name) {
                    Value::Str(s) => s.to_str_lossy().into_owned(),
                    _ => other.type_name().to_string(),
                };
                format!("{name}: {:#x}", other.gc_addr().unwrap_or(0))
            }
        }
    }
}

fn more_text(n: usize) -> String {
    format!("... ({n} more)")
}

/// Writes `node` at column `column`, nested `level` deep: on one line if it fits, else one
/// entry per line.
fn layout(node: &Node, level: usize, column: usize, opts: &InspectOptions, out: &mut String) {
    let Node::Table { label, items, more, flat_len } = node else {
        flat(node, out);
        return;
    };
    if column + flat_len <= opts.width || (items.is_empty() && *more == 0) {
        flat(node, out);
        return;
    }
    if let Some(n) = label {
        out.push_str(&format!("<{n}>"));
    }
    out.push('{');
    let inner = opts.indent.repeat(level + 1);
    for (key, child) in items {
        out.push('\n');
        out.push_str(&inner);
        let mut col = inner.chars().count();
        if let Some(k) = key {
            out.push_str(k);
            out.push_str(" = ");
            col += k.chars().count() + 3;
        }
        layout(child, level + 1, col, opts, out);
        out.push(',');
    }
    if *more > 0 {
        out.push('\n');
        out.push_str(&inner);
        out.push_str(&more_text(*more));
    }
    out.push('\n');
    out.push_str(&opts.indent.repeat(level));
    out.push('}');
}

/// The one-line form of `node`.
fn flat(node: &Node, out: &mut String) {
    match node {
        Node::Atom(s) => out.push_str(s),
        Node::Table { label, items, more, .. } => {
            if let Some(n) = label {
                out.push_str(&format!("<{n}>"));
            }
            if items.is_empty() && *more == 0 {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (i, (key, child)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if let Some(k) = key {
                    out.push_str(k);
                    out.push_str(" = ");
                }
                flat(child, out);
            }
            if *more > 0 {
                if !items.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(&more_text(*more));
            }
            out.push_str(" }");
        }
    }
}

/// Order of keys after the sequence: numbers by value, strings by bytes, false before true,
/// then other types by type name and identity.
fn key_order(a: Value, b: Value) -> Ordering {
    fn rank(v: Value) -> u8 {
        match v {
            Value::Int(_) | Value::Float(_) => 0,
            Value::Str(_) => 1,
            Value::Bool(_) => 2,
            _ => 3,
        }
    }
    fn number(v: Value) -> Number {
        match v {
            Value::Int(i) => Number::Int(i),
            Value::Float(f) => Number::Float(f),
            _ => unreachable!("ranked as a number"),
        }
    }
    match rank(a).cmp(&rank(b)) {
        Ordering::Equal => {}
        other => return other,
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        _ if rank(a) == 0 => {
            let (x, y) = (number(a), number(b));
            if num_lt(x, y) {
                Ordering::Less
            } else if num_eq(x, y) {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        _ => a.type_name().cmp(b.type_name()).then(a.gc_addr().cmp(&b.gc_addr())),
    }
}

/// A name that can follow `.` in Lua source: an identifier that is not a reserved word.
pub fn is_identifier(name: &[u8]) -> bool {
    let ok_start = |c: u8| c.is_ascii_alphabetic() || c == b'_';
    match name.split_first() {
        Some((&first, rest)) => {
            ok_start(first)
                && rest.iter().all(|&c| ok_start(c) || c.is_ascii_digit())
                && !KEYWORDS.iter().any(|k| k.as_bytes() == name)
        }
        None => false,
    }
}

/// A double-quoted Lua string literal for `bytes`: printable text (UTF-8 included) as is,
/// the usual escapes for quotes, backslashes and control characters, `\ddd` for the rest.
pub fn quote(bytes: &[u8]) -> String {
    enum Piece {
        Char(char),
        Byte(u8),
    }
    let mut pieces = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        pieces.extend(chunk.valid().chars().map(Piece::Char));
        pieces.extend(chunk.invalid().iter().map(|&b| Piece::Byte(b)));
    }
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for (i, piece) in pieces.iter().enumerate() {
        // A decimal escape takes three digits when a digit follows, so it cannot swallow it.
        let digit_follows = matches!(pieces.get(i + 1), Some(Piece::Char(c)) if c.is_ascii_digit());
        match *piece {
            Piece::Byte(b) => push_decimal_escape(&mut out, b, digit_follows),
            Piece::Char(c) => match short_escape(c) {
                Some(e) => out.push_str(e),
                None if c.is_control() => {
                    let mut buf = [0; 4];
                    let encoded = c.encode_utf8(&mut buf).as_bytes();
                    for (j, &b) in encoded.iter().enumerate() {
                        push_decimal_escape(&mut out, b, digit_follows && j + 1 == encoded.len());
                    }
                }
                None => out.push(c),
            },
        }
    }
    out.push('"');
    out
}

fn short_escape(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\x07' => "\\a",
        '\x08' => "\\b",
        '\x0b' => "\\v",
        '\x0c' => "\\f",
        _ => return None,
    })
}

fn push_decimal_escape(out: &mut String, byte: u8, three_digits: bool) {
    if three_digits {
        out.push_str(&format!("\\{byte:03}"));
    } else {
        out.push_str(&format!("\\{byte}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inspect_with(src: &str, opts: &InspectOptions) -> String {
        let mut lua = Lua::new();
        crate::open_all(&mut lua);
        let f = lua.load_text(format!("return {src}").as_bytes(), "=test").unwrap();
        let v = lua.call_function(f, &[]).unwrap()[0];
        // Rooted through a global while rendered.
        lua.set_global("value", v);
        render(&lua, v, opts)
    }

    fn inspect(src: &str) -> String {
        inspect_with(src, &InspectOptions::default())
    }

    #[test]
    fn atoms_read_as_lua_literals() {
        assert_eq!(inspect("nil"), "nil");
        assert_eq!(inspect("1"), "1");
        assert_eq!(inspect("1.0"), "1.0");
        assert_eq!(inspect("2^63"), "9.2233720368548e+18");
        assert_eq!(inspect("'a\"b\\\\c\\n'"), r#""a\"b\\c\n""#);
        assert_eq!(inspect("'\\0' .. '1\\0x\\127'"), r#""\0001\0x\127""#);
        assert_eq!(inspect("'h\\xc3\\xa9 \\xff1'"), "\"hé \\2551\"");
        assert!(inspect("function() end").starts_with("function: 0x"), "{}", inspect("function() end"));
    }

    #[test]
    fn sequence_first_then_sorted_keys() {
        assert_eq!(inspect("{}"), "{}");
        assert_eq!(inspect("{ 10, 20, 30 }"), "{ 10, 20, 30 }");
        let wide = InspectOptions { width: 200, ..InspectOptions::default() };
        assert_eq!(
            inspect_with(
                "{ 'x', b = 2, a = 1, [5] = 5, [1.5] = 'f', [true] = 1, [false] = 0, ['two words'] = 2, ['end'] = 3 }",
                &wide
            ),
            r#"{ "x", [1.5] = "f", [5] = 5, a = 1, b = 2, ["end"] = 3, ["two words"] = 2, [false] = 0, [true] = 1 }"#
        );
        assert_eq!(inspect("{ [-1] = 'm', [3] = 3, 1 }"), "{ 1, [-1] = \"m\", [3] = 3 }");
    }

    #[test]
    fn cycles_and_shared_tables_are_labelled() {
        assert_eq!(inspect("(function() local t = {} t.self = t return t end)()"), "<1>{ self = <table 1> }");
        assert_eq!(
            inspect("(function() local s = { 1 } return { a = s, b = s, c = {} } end)()"),
            "{ a = <1>{ 1 }, b = <table 1>, c = {} }"
        );
        assert_eq!(
            inspect("(function() local t = { name = 'n' } t.children = { { parent = t } } return t end)()"),
            r#"<1>{ children = { { parent = <table 1> } }, name = "n" }"#
        );
    }

    #[test]
    fn depth_and_limit_cut_the_output() {
        let opts = InspectOptions { depth: Some(2), ..InspectOptions::default() };
        assert_eq!(inspect_with("{ a = { b = { c = 1 } }, 1 }", &opts), "{ 1, a = { b = {...} } }");
        // Met first too deep, then shallow enough: cut at the first place, expanded at the second.
        let shared = "(function() local s = { 1 } return { a = { b = s }, c = s } end)()";
        assert_eq!(inspect_with(shared, &opts), "{ a = { b = {...} }, c = { 1 } }");
        let opts = InspectOptions { depth: Some(0), ..InspectOptions::default() };
        assert_eq!(inspect_with("{ 1 }", &opts), "{...}");
        let list = "(function() local l = nil for i = 1, 100000 do l = { next = l } end return l end)()";
        let text = inspect(list);
        assert_eq!(text.matches("next =").count(), MAX_DEPTH, "a deep list stops at MAX_DEPTH");
        assert!(text.contains("{...}"));
        let opts = InspectOptions { limit: Some(3), ..InspectOptions::default() };
        assert_eq!(inspect_with("{ 1, 2, 3, 4, x = 5 }", &opts), "{ 1, 2, 3, ... (2 more) }");
        assert_eq!(inspect_with("{ 1, x = 1, y = 2, z = 3 }", &opts), "{ 1, x = 1, y = 2, ... (1 more) }");
    }

    #[test]
    fn long_tables_break_one_entry_per_line() {
        let opts = InspectOptions { width: 30, ..InspectOptions::default() };
        assert_eq!(
            inspect_with("{ name = 'a fairly long name', list = { 1, 2, 3 }, n = 3 }", &opts),
            "{\n  list = { 1, 2, 3 },\n  n = 3,\n  name = \"a fairly long name\",\n}"
        );
        assert_eq!(
            inspect_with("{ inner = { 'aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc' } }", &opts),
            "{\n  inner = {\n    \"aaaaaaaaaa\",\n    \"bbbbbbbbbb\",\n    \"cccccccccc\",\n  },\n}"
        );
    }

    #[test]
    fn metamethods_are_never_run() {
        let src = "setmetatable({ 1 }, { __index = function() error('ran') end, __tostring = function() \
                   error('ran') end, __pairs = function() error('ran') end, __len = function() error('ran') end })";
        assert_eq!(inspect(src), "{ 1 }");
        let named = inspect("{ setmetatable({}, { __name = 'Point', __tostring = error }) }");
        assert_eq!(named, "{ {} }");
    }
}
