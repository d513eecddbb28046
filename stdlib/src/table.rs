//! The table library (manual §6.6): insert, remove, move, concat, pack, unpack, sort.
//!
//! As Lua 5.4's ltablib, element access goes through `__index`/`__newindex` and lengths
//! through `__len`, and a non-table is accepted when its metatable provides the metamethods
//! the function needs. Values held while Lua code may run (comparators, metamethods) live in
//! stack slots, where the collector sees them.

use rivet_lang::vm::metamethod::Tm;
use rivet_lang::vm::ops::to_integer;
use rivet_lang::vm::thread::MAX_STACK;
use rivet_lang::{Lua, LuaResult, Value};

pub fn open(lua: &mut Lua) {
    let t = lua.new_table();
    lua.register_lib(
        t,
        &[
            ("concat", "table.concat", concat),
            ("insert", "table.insert", insert),
            ("move", "table.move", move_),
            ("pack", "table.pack", pack),
            ("remove", "table.remove", remove),
            ("sort", "table.sort", sort),
            ("unpack", "table.unpack", unpack),
        ],
    );
    let g = lua.globals();
    lua.set_field(g, "table", Value::Table(t));
}

/// What a function does with its table argument (ltablib's TAB_R / TAB_W / TAB_L).
#[derive(Clone, Copy)]
struct Access {
    read: bool,
    write: bool,
    len: bool,
}

const READ: Access = Access { read: true, write: false, len: false };
const WRITE: Access = Access { read: false, write: true, len: false };
const READ_LEN: Access = Access { read: true, write: false, len: true };
const READ_WRITE_LEN: Access = Access { read: true, write: true, len: true };

/// Accepts a table, or any value whose metatable (raw) has the metamethods `access` needs.
fn check_tab(lua: &mut Lua, arg: usize, access: Access) -> LuaResult<Value> {
    let v = lua.arg(arg);
    if matches!(v, Value::Table(_)) {
        return Ok(v);
    }
    if let Some(mt) = lua.metatable_of(v) {
        let has = |lua: &Lua, tm: Tm| !mt.get_str(lua.tm_name(tm)).is_nil();
        if (!access.read || has(lua, Tm::Index))
            && (!access.write || has(lua, Tm::NewIndex))
            && (!access.len || has(lua, Tm::Len))
        {
            return Ok(v);
        }
    }
    Err(lua.type_error(arg, "table"))
}

/// `luaL_len`: the length through `__len`, which must be an integer.
fn length(lua: &mut Lua, v: Value) -> LuaResult<i64> {
    if let Value::Table(t) = v {
        if t.metatable().is_none() {
            return Ok(t.len());
        }
    }
    match lua.len(v)? {
        Value::Int(i) => Ok(i),
        n => match to_integer(n, false) {
            Some(i) => Ok(i),
            None => Err(lua.native_error("object length is not an integer")),
        },
    }
}

/// `aux_getn`: checks the argument and returns its length.
fn check_len(lua: &mut Lua, arg: usize, access: Access) -> LuaResult<(Value, i64)> {
    let t = check_tab(lua, arg, access)?;
    let n = length(lua, t)?;
    Ok((t, n))
}

/// `lua_geti`: `t[i]` with `__index`; raw when the table has no metatable.
fn geti(lua: &mut Lua, t: Value, i: i64) -> LuaResult<Value> {
    match t {
        Value::Table(tab) if tab.metatable().is_none() => Ok(tab.get_int(i)),
        _ => lua.index(t, Value::Int(i)),
    }
}

/// `lua_seti`: `t[i] = v` with `__newindex`.
fn seti(lua: &mut Lua, t: Value, i: i64, v: Value) -> LuaResult<()> {
    match t {
        Value::Table(tab) if tab.metatable().is_none() => {
            tab.set_int(i, v);
            Ok(())
        }
        _ => lua.set_index(t, Value::Int(i), v),
    }
}

fn insert(lua: &mut Lua) -> LuaResult<usize> {
    let (t, n) = check_len(lua, 1, READ_WRITE_LEN)?;
    let first_empty = n.wrapping_add(1);
    let pos = match lua.nargs() {
        2 => first_empty,
        3 => {
            let pos = lua.check_integer(2)?;
            // pos must lie in [1, first_empty] (compared as unsigned, as Lua does).
            if (pos as u64).wrapping_sub(1) >= first_empty as u64 {
                return Err(lua.arg_error(2, "position out of bounds"));
            }
            let mut i = first_empty;
            while i > pos {
                // The value moves from slot to slot; only `t` (argument 1) must stay rooted.
                let v = geti(lua, t, i - 1)?;
                seti(lua, t, i, v)?;
                i -= 1;
            }
            pos
        }
        _ => return Err(lua.native_error("wrong number of arguments to 'insert'")),
    };
    let v = lua.arg(lua.nargs());
    seti(lua, t, pos, v)?;
    Ok(0)
}

fn remove(lua: &mut Lua) -> LuaResult<usize> {
    let (t, size) = check_len(lua, 1, READ_WRITE_LEN)?;
    let mut pos = lua.opt_integer(2, size)?;
    if lua.nargs() >= 2 && pos != size && (pos as u64).wrapping_sub(1) > size as u64 {
        // Lua 5.4 reports this one against argument 1.
        return Err(lua.arg_error(1, "position out of bounds"));
    }
    let result = geti(lua, t, pos)?;
    lua.push(result);
    while pos < size {
        let v = geti(lua, t, pos + 1)?;
        seti(lua, t, pos, v)?;
        pos += 1;
    }
    seti(lua, t, pos, Value::Nil)?;
    Ok(1)
}

fn move_(lua: &mut Lua) -> LuaResult<usize> {
    let f = lua.check_integer(2)?;
    let e = lua.check_integer(3)?;
    let t = lua.check_integer(4)?;
    let dest_arg = if lua.arg(5).is_nil() { 1 } else { 5 };
    let src = check_tab(lua, 1, READ)?;
    let dest = check_tab(lua, dest_arg, WRITE)?;
    if e >= f {
        if !(f > 0 || e < i64::MAX + f) {
            return Err(lua.arg_error(3, "too many elements to move"));
        }
        let n = e - f + 1;
        if t > i64::MAX - n + 1 {
            return Err(lua.arg_error(4, "destination wrap around"));
        }
        let same = dest_arg == 1 || lua.equals(src, dest)?;
        if t > e || t <= f || !same {
            for i in 0..n {
                let v = geti(lua, src, f + i)?;
                seti(lua, dest, t + i, v)?;
            }
        } else {
            for i in (0..n).rev() {
                let v = geti(lua, src, f + i)?;
                seti(lua, dest, t + i, v)?;
            }
        }
    }
    lua.push(dest);
    Ok(1)
}

fn concat(lua: &mut Lua) -> LuaResult<usize> {
    let (t, len) = check_len(lua, 1, READ_LEN)?;
    let sep = match lua.opt_string(2)? {
        Some(s) => s.as_bytes().to_vec(),
        None => Vec::new(),
    };
    let mut i = lua.opt_integer(3, 1)?;
    let last = lua.opt_integer(4, len)?;
    let mut out = Vec::new();
    while i <= last {
        let v = geti(lua, t, i)?;
        match v {
            Value::Str(s) => out.extend_from_slice(s.as_bytes()),
            Value::Int(_) | Value::Float(_) => {
                let s = lua.to_display(v)?;
                out.extend_from_slice(s.as_bytes());
            }
            other => {
                let ty = lua.type_name_mt(other);
                let msg = format!("invalid value ({ty}) at index {i} in table for 'concat'");
                return Err(lua.native_error(&msg));
            }
        }
        if i == last {
            break;
        }
        out.extend_from_slice(&sep);
        i += 1;
    }
    let s = lua.bytes_value(&out);
    lua.push(s);
    Ok(1)
}

fn pack(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.nargs();
    let t = lua.new_table_with(n, 1);
    for i in 1..=n {
        t.set_int(i as i64, lua.arg(i));
    }
    lua.set_field(t, "n", Value::Int(n as i64));
    lua.push(Value::Table(t));
    Ok(1)
}

fn unpack(lua: &mut Lua) -> LuaResult<usize> {
    let t = lua.arg(1);
    let i = lua.opt_integer(2, 1)?;
    let e = if lua.arg(3).is_nil() { length(lua, t)? } else { lua.check_integer(3)? };
    if i > e {
        return Ok(0);
    }
    let n = (e as u64).wrapping_sub(i as u64);
    if n >= (MAX_STACK - lua.top()) as u64 {
        return Err(lua.native_error("too many results to unpack"));
    }
    for k in 0..=n as i64 {
        let v = geti(lua, t, i + k)?;
        lua.push(v);
    }
    Ok(n as usize + 1)
}

// ----- sort -------------------------------------------------------------------------------

/// Intervals at least this long pick their pivot at a random point when a previous split
/// was badly unbalanced (ltablib's RANLIMIT).
const RANDOM_LIMIT: u64 = 100;

/// The sort state: the array (argument 1), the comparator (argument 2, or nil) and three
/// stack slots for the values being compared, so that they stay rooted during calls.
struct Sorter {
    t: Value,
    cmp: Value,
    /// Absolute stack index of slot 0; slots are `PIVOT`, `A` and `B`.
    slots: usize,
}

const PIVOT: usize = 0;
const A: usize = 1;
const B: usize = 2;

impl Sorter {
    fn load(&self, lua: &mut Lua, slot: usize, i: u64) -> LuaResult<()> {
        let v = geti(lua, self.t, i as i64)?;
        lua.stack_set(self.slots + slot, v);
        Ok(())
    }

    fn store(&self, lua: &mut Lua, i: u64, slot: usize) -> LuaResult<()> {
        let v = lua.stack_at(self.slots + slot);
        seti(lua, self.t, i as i64, v)
    }

    /// Is slot `x` less than slot `y`?
    fn less(&self, lua: &mut Lua, x: usize, y: usize) -> LuaResult<bool> {
        let (a, b) = (lua.stack_at(self.slots + x), lua.stack_at(self.slots + y));
        if self.cmp.is_nil() {
            return lua.less_than(a, b);
        }
        let func = lua.top();
        lua.push(self.cmp);
        lua.push(a);
        lua.push(b);
        lua.call(func, 1)?;
        let r = lua.stack_at(func).truthy();
        lua.set_top(func);
        Ok(r)
    }

    /// `t[i] = slot x; t[j] = slot y` (ltablib's set2 after pushing two values).
    fn set2(&self, lua: &mut Lua, i: u64, x: usize, j: u64, y: usize) -> LuaResult<()> {
        self.store(lua, i, x)?;
        self.store(lua, j, y)
    }

    fn auxsort(&self, lua: &mut Lua, mut lo: u64, mut up: u64, mut rnd: u64) -> LuaResult<()> {
        while lo < up {
            // Order a[lo], a[up].
            self.load(lua, A, lo)?;
            self.load(lua, B, up)?;
            if self.less(lua, B, A)? {
                self.set2(lua, lo, B, up, A)?;
            }
            if up - lo == 1 {
                break;
            }
            let mut p = if up - lo < RANDOM_LIMIT || rnd == 0 { (lo + up) / 2 } else { choose_pivot(lo, up, rnd) };
            // Order a[lo], a[p], a[up].
            self.load(lua, A, p)?;
            self.load(lua, B, lo)?;
            if self.less(lua, A, B)? {
                self.set2(lua, p, B, lo, A)?;
            } else {
                self.load(lua, B, up)?;
                if self.less(lua, B, A)? {
                    self.set2(lua, p, B, up, A)?;
                }
            }
            if up - lo == 2 {
                break;
            }
            // The median becomes the pivot, kept at a[up - 1].
            self.load(lua, PIVOT, p)?;
            self.load(lua, A, up - 1)?;
            self.set2(lua, p, A, up - 1, PIVOT)?;
            p = self.partition(lua, lo, up)?;
            let smaller;
            if p - lo < up - p {
                self.auxsort(lua, lo, p - 1, rnd)?;
                smaller = p - lo;
                lo = p + 1;
            } else {
                self.auxsort(lua, p + 1, up, rnd)?;
                smaller = up - p;
                up = p - 1;
            }
            if (up.wrapping_sub(lo)) / 128 > smaller {
                rnd = random_pivot_seed();
            }
        }
        Ok(())
    }

    /// Partitions a[lo..=up] around the pivot (in slot PIVOT and at a[up - 1]); returns its
    /// final position. A comparator that is not a strict order runs off the interval, which
    /// is reported as Lua does.
    fn partition(&self, lua: &mut Lua, lo: u64, up: u64) -> LuaResult<u64> {
        let mut i = lo;
        let mut j = up - 1;
        loop {
            loop {
                i += 1;
                self.load(lua, A, i)?;
                if !self.less(lua, A, PIVOT)? {
                    break;
                }
                if i == up - 1 {
                    return Err(lua.native_error("invalid order function for sorting"));
                }
            }
            loop {
                j = j.wrapping_sub(1);
                self.load(lua, B, j)?;
                if !self.less(lua, PIVOT, B)? {
                    break;
                }
                if j < i {
                    return Err(lua.native_error("invalid order function for sorting"));
                }
            }
            if j < i {
                // Put the pivot in its place: a[up - 1] = a[i], a[i] = pivot.
                self.set2(lua, up - 1, A, i, PIVOT)?;
                return Ok(i);
            }
            self.set2(lua, i, B, j, A)?;
        }
    }
}

fn choose_pivot(lo: u64, up: u64, rnd: u64) -> u64 {
    let r4 = (up - lo) / 4;
    (rnd & 0xffff_ffff) % (r4 * 2) + (lo + r4)
}

/// A varying seed for pivot choice after an unbalanced split (Lua mixes clock and time).
fn random_pivot_seed() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (now.as_secs() as u32).wrapping_add(now.subsec_nanos()) as u64
}

fn sort(lua: &mut Lua) -> LuaResult<usize> {
    let (t, n) = check_len(lua, 1, READ_WRITE_LEN)?;
    if n > 1 {
        if n >= i32::MAX as i64 {
            return Err(lua.arg_error(1, "array too big"));
        }
        let cmp = lua.arg(2);
        if !cmp.is_nil() && !cmp.is_function() {
            return Err(lua.type_error(2, "function"));
        }
        let base = lua.top() - lua.nargs();
        lua.set_top(base + 2);
        let sorter = Sorter { t, cmp, slots: base + 2 };
        lua.set_top(base + 5);
        sorter.auxsort(lua, 1, n as u64, 0)?;
    }
    Ok(0)
}
