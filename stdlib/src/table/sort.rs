//! `table.sort`: Lua 5.4's quicksort (ltablib's `auxsort`), step for step, so that the
//! order of comparisons, the result for equal elements, and the detection of an invalid
//! order function ("invalid order function for sorting") are those of the reference.
//!
//! The algorithm runs over `SortArray`, a view with three value slots: the general view keeps
//! the slots on the Lua stack (comparators and metamethods may run Lua code, during which the
//! collector must see the values), while a plain table of numbers or of strings, sorted
//! without a comparator, is sorted in a vector: no Lua code can run then.

use super::{check_len, geti, seti, READ_WRITE_LEN};
use rivet_lang::number::Number;
use rivet_lang::vm::arith::num_lt;
use rivet_lang::{Lua, LuaResult, Value};

/// Intervals at least this long pick their pivot at a random point when a previous split
/// was badly unbalanced (ltablib's RANLIMIT).
const RANDOM_LIMIT: u64 = 100;

/// Slot names: the pivot and two elements being compared or swapped.
const PIVOT: usize = 0;
const A: usize = 1;
const B: usize = 2;

/// An array of elements 1..=n with three value slots.
trait SortArray {
    /// slot = a[i]
    fn load(&mut self, lua: &mut Lua, slot: usize, i: u64) -> LuaResult<()>;
    /// a[i] = slot
    fn store(&mut self, lua: &mut Lua, i: u64, slot: usize) -> LuaResult<()>;
    /// slot x < slot y?
    fn less(&mut self, lua: &mut Lua, x: usize, y: usize) -> LuaResult<bool>;

    /// `a[i] = slot x; a[j] = slot y` (ltablib's `set2`).
    fn set2(&mut self, lua: &mut Lua, i: u64, x: usize, j: u64, y: usize) -> LuaResult<()> {
        self.store(lua, i, x)?;
        self.store(lua, j, y)
    }
}

/// The general case: the table (argument 1, any value with the needed metamethods), the
/// comparator (argument 2, or nil) and slots on the stack.
struct StackArray {
    t: Value,
    cmp: Value,
    /// Absolute stack index of slot 0.
    slots: usize,
}

impl SortArray for StackArray {
    fn load(&mut self, lua: &mut Lua, slot: usize, i: u64) -> LuaResult<()> {
        let v = geti(lua, self.t, i as i64)?;
        lua.stack_set(self.slots + slot, v);
        Ok(())
    }

    fn store(&mut self, lua: &mut Lua, i: u64, slot: usize) -> LuaResult<()> {
        let v = lua.stack_at(self.slots + slot);
        seti(lua, self.t, i as i64, v)
    }

    fn less(&mut self, lua: &mut Lua, x: usize, y: usize) -> LuaResult<bool> {
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
}

/// Elements that compare without metamethods or errors.
enum Plain {
    Numbers(Vec<Number>),
    Strings(Vec<Value>),
}

/// A plain table's elements, copied out; the table keeps them alive meanwhile, and no Lua
/// code runs until they are written back.
struct VecArray {
    /// The n elements, then three entries holding the slots' values.
    items: Plain,
    n: usize,
    /// Where each slot's value is (always its entry after the elements).
    slots: [usize; 3],
}

impl VecArray {
    /// The elements 1..=n of `t` if they are all numbers or all strings.
    fn collect(t: &rivet_lang::vm::table::Table, n: u64) -> Option<VecArray> {
        let items = match t.get_int(1) {
            Value::Int(_) | Value::Float(_) => {
                let mut v = Vec::with_capacity(n as usize);
                for i in 1..=n as i64 {
                    v.push(match t.get_int(i) {
                        Value::Int(x) => Number::Int(x),
                        Value::Float(x) => Number::Float(x),
                        _ => return None,
                    });
                }
                v.extend([Number::Int(0); 3]);
                Plain::Numbers(v)
            }
            Value::Str(_) => {
                let mut v = Vec::with_capacity(n as usize);
                for i in 1..=n as i64 {
                    match t.get_int(i) {
                        s @ Value::Str(_) => v.push(s),
                        _ => return None,
                    }
                }
                v.extend([Value::Nil; 3]);
                Plain::Strings(v)
            }
            _ => return None,
        };
        let n = n as usize;
        Some(VecArray { items, n, slots: [n, n + 1, n + 2] })
    }

    fn write_back(&self, t: &rivet_lang::vm::table::Table) {
        for i in 0..self.n {
            let v = match &self.items {
                Plain::Numbers(v) => match v[i] {
                    Number::Int(x) => Value::Int(x),
                    Number::Float(x) => Value::Float(x),
                },
                Plain::Strings(v) => v[i],
            };
            t.set_int(i as i64 + 1, v);
        }
    }
}

impl SortArray for VecArray {
    fn load(&mut self, _: &mut Lua, slot: usize, i: u64) -> LuaResult<()> {
        let dst = self.slots[slot];
        match &mut self.items {
            Plain::Numbers(v) => v[dst] = v[i as usize - 1],
            Plain::Strings(v) => v[dst] = v[i as usize - 1],
        }
        Ok(())
    }

    fn store(&mut self, _: &mut Lua, i: u64, slot: usize) -> LuaResult<()> {
        let src = self.slots[slot];
        match &mut self.items {
            Plain::Numbers(v) => v[i as usize - 1] = v[src],
            Plain::Strings(v) => v[i as usize - 1] = v[src],
        }
        Ok(())
    }

    fn less(&mut self, _: &mut Lua, x: usize, y: usize) -> LuaResult<bool> {
        let (x, y) = (self.slots[x], self.slots[y]);
        Ok(match &self.items {
            Plain::Numbers(v) => num_lt(v[x], v[y]),
            Plain::Strings(v) => match (v[x], v[y]) {
                (Value::Str(a), Value::Str(b)) => a.as_bytes() < b.as_bytes(),
                _ => unreachable!("VecArray::collect keeps only strings"),
            },
        })
    }
}

fn auxsort<S: SortArray>(a: &mut S, lua: &mut Lua, mut lo: u64, mut up: u64, mut rnd: u64) -> LuaResult<()> {
    while lo < up {
        // Order a[lo], a[up].
        a.load(lua, A, lo)?;
        a.load(lua, B, up)?;
        if a.less(lua, B, A)? {
            a.set2(lua, lo, B, up, A)?;
        }
        if up - lo == 1 {
            break;
        }
        let mut p = if up - lo < RANDOM_LIMIT || rnd == 0 { (lo + up) / 2 } else { choose_pivot(lo, up, rnd) };
        // Order a[lo], a[p], a[up].
        a.load(lua, A, p)?;
        a.load(lua, B, lo)?;
        if a.less(lua, A, B)? {
            a.set2(lua, p, B, lo, A)?;
        } else {
            a.load(lua, B, up)?;
            if a.less(lua, B, A)? {
                a.set2(lua, p, B, up, A)?;
            }
        }
        if up - lo == 2 {
            break;
        }
        // The median becomes the pivot, kept at a[up - 1].
        a.load(lua, PIVOT, p)?;
        a.load(lua, A, up - 1)?;
        a.set2(lua, p, A, up - 1, PIVOT)?;
        p = partition(a, lua, lo, up)?;
        // Recurse into the smaller half, loop on the larger.
        let smaller;
        if p - lo < up - p {
            auxsort(a, lua, lo, p - 1, rnd)?;
            smaller = p - lo;
            lo = p + 1;
        } else {
            auxsort(a, lua, p + 1, up, rnd)?;
            smaller = up - p;
            up = p - 1;
        }
        if up.wrapping_sub(lo) / 128 > smaller {
            rnd = random_pivot_seed();
        }
    }
    Ok(())
}

/// Partitions a[lo..=up] around the pivot (in slot PIVOT and at a[up - 1]); returns its
/// final position. A comparator that is not a strict order runs off the interval, which is
/// reported as Lua does.
fn partition<S: SortArray>(a: &mut S, lua: &mut Lua, lo: u64, up: u64) -> LuaResult<u64> {
    let mut i = lo;
    let mut j = up - 1;
    loop {
        loop {
            i += 1;
            a.load(lua, A, i)?;
            if !a.less(lua, A, PIVOT)? {
                break;
            }
            if i == up - 1 {
                return Err(lua.native_error("invalid order function for sorting"));
            }
        }
        loop {
            j = j.wrapping_sub(1);
            a.load(lua, B, j)?;
            if !a.less(lua, PIVOT, B)? {
                break;
            }
            if j < i {
                return Err(lua.native_error("invalid order function for sorting"));
            }
        }
        if j < i {
            // Put the pivot in its place: a[up - 1] = a[i], a[i] = pivot.
            a.set2(lua, up - 1, A, i, PIVOT)?;
            return Ok(i);
        }
        a.set2(lua, i, B, j, A)?;
    }
}

fn choose_pivot(lo: u64, up: u64, rnd: u64) -> u64 {
    let r4 = (up - lo) / 4;
    (rnd & 0xffff_ffff) % (r4 * 2) + (lo + r4)
}

/// A varying seed for pivot choice after an unbalanced split (Lua mixes clock and time).
fn random_pivot_seed() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::from((now.as_secs() as u32).wrapping_add(now.subsec_nanos()))
}

pub(super) fn sort(lua: &mut Lua) -> LuaResult<usize> {
    let (t, n) = check_len(lua, 1, READ_WRITE_LEN)?;
    if n <= 1 {
        return Ok(0);
    }
    if n >= i32::MAX as i64 {
        return Err(lua.arg_error(1, "array too big"));
    }
    let cmp = lua.arg(2);
    if !cmp.is_nil() && !cmp.is_function() {
        return Err(lua.type_error(2, "function"));
    }
    if let Value::Table(tab) = t {
        if cmp.is_nil() && tab.metatable().is_none() {
            if let Some(mut array) = VecArray::collect(&tab, n as u64) {
                let r = auxsort(&mut array, lua, 1, n as u64, 0);
                // Also after an error (NaN makes the order invalid), as Lua leaves the
                // table as far as it got.
                array.write_back(&tab);
                return r.map(|()| 0);
            }
        }
    }
    let base = lua.top() - lua.nargs();
    lua.set_top(base + 5);
    let mut array = StackArray { t, cmp, slots: base + 2 };
    auxsort(&mut array, lua, 1, n as u64, 0)?;
    Ok(0)
}
