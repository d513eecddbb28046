use super::*;
use crate::vm::Lua;
use std::collections::HashMap;

fn check(t: &Table) {
    t.data().check_node_invariants();
}

/// A border as the manual defines it (§3.4.7).
fn assert_border(t: &Table) {
    let n = t.len();
    assert!(n >= 0);
    assert!(n == 0 || !t.get_int(n).is_nil(), "#t = {n} but t[{n}] is nil");
    assert!(t.get_int(n + 1).is_nil(), "#t = {n} but t[{}] is not nil", n + 1);
}

#[test]
fn array_part_grows_and_absorbs_hash_keys() {
    let t = Table::new(0, 0);
    // Reverse insertion: keys go to the node part until the census makes an array of them.
    for i in (1..=100).rev() {
        t.set_int(i, Value::Int(i * 10));
        check(&t);
    }
    t.set_int(101, Value::Int(1010));
    assert!(t.array_len() >= 64, "census moved the keys to the array: {}", t.array_len());
    assert_eq!(t.len(), 101);
    for i in 1..=101 {
        assert!(t.get_int(i).raw_eq(Value::Int(i * 10)));
    }
    check(&t);
}

#[test]
fn appends_grow_the_array_in_powers_of_two() {
    let t = Table::new(0, 0);
    for i in 1..=1000 {
        assert_eq!(t.len(), i - 1);
        t.set_int(i, Value::Int(i));
    }
    assert_eq!(t.array_len(), 1024);
    assert_eq!(t.data().node_block_size(), 0, "no integer key left in the node part");
    // Popping from the end: the hint follows the border down.
    for i in (501..=1000).rev() {
        t.set_int(i, Value::Nil);
        assert_eq!(t.len(), i - 1);
    }
}

#[test]
fn border_with_holes_and_hash_tail() {
    let t = Table::new(0, 0);
    for i in 1..=10 {
        t.set_int(i, Value::Int(i));
    }
    t.set_int(10, Value::Nil);
    assert_eq!(t.len(), 9);
    let u = Table::new(0, 0);
    u.set_int(1, Value::Int(1));
    u.set_int(3, Value::Int(3));
    assert_eq!(u.len(), 1);
    assert_eq!(Table::new(0, 0).len(), 0);
    // Keys beyond the array part: unbound search in the node part.
    let w = Table::new(0, 0);
    w.set_int(1, Value::Int(1));
    for i in [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] {
        w.set(Value::Float(i as f64), Value::Int(i)).unwrap();
    }
    assert_border(&w);
    assert_eq!(w.len(), 12);
}

#[test]
fn constructor_sizes_give_luas_borders() {
    // `{1, 2, nil, 4}`: a constructor sizes the array to its items, so 4 is the border
    // lua5.4 reports; `{1, 2, 3, nil, 5, nil}` gives 5 there (checked with lua5.4).
    let t = Table::new(4, 0);
    t.set_list(1, &[Value::Int(1), Value::Int(2), Value::Nil, Value::Int(4)]);
    assert_eq!(t.len(), 4);
    let u = Table::new(6, 0);
    u.set_list(1, &[Value::Int(1), Value::Int(2), Value::Int(3), Value::Nil, Value::Int(5), Value::Nil]);
    assert_eq!(u.len(), 5);
}

#[test]
fn set_list_grows_the_array_for_open_lists() {
    let t = Table::new(2, 0);
    let values: Vec<Value> = (1..=50).map(Value::Int).collect();
    t.set_list(1, &values);
    assert_eq!(t.array_len(), 50);
    assert_eq!(t.len(), 50);
}

#[test]
fn float_keys_normalize_and_bad_keys_error() {
    let t = Table::new(0, 0);
    t.set(Value::Float(2.0), Value::Bool(true)).unwrap();
    assert!(t.get(Value::Int(2)).truthy());
    assert!(t.get(Value::Float(2.0)).truthy());
    t.set(Value::Float(2.5), Value::Int(7)).unwrap();
    assert!(t.get(Value::Float(2.5)).raw_eq(Value::Int(7)));
    t.set(Value::Float(-0.0), Value::Int(9)).unwrap();
    assert!(t.get(Value::Int(0)).raw_eq(Value::Int(9)));
    assert_eq!(t.set(Value::Nil, Value::Int(1)), Err(KeyError::Nil));
    assert_eq!(t.set(Value::Float(f64::NAN), Value::Int(1)), Err(KeyError::NaN));
    assert!(t.get(Value::Float(f64::NAN)).is_nil());
    assert!(t.next(Value::Float(f64::NAN)).is_err());
    check(&t);
}

#[test]
fn long_strings_compare_by_content() {
    let mut lua = Lua::new();
    let long = "x".repeat(100);
    let a = lua.new_string(long.as_bytes());
    let b = lua.new_string(long.as_bytes());
    assert!(!Gc::ptr_eq(a, b));
    let t = lua.new_table();
    t.set_str(a, Value::Int(1));
    assert!(t.get_str(b).raw_eq(Value::Int(1)));
    assert!(t.get_str_bytes(long.as_bytes()).raw_eq(Value::Int(1)));
    t.set_str(b, Value::Int(2));
    assert!(t.get_str(a).raw_eq(Value::Int(2)));
    let mut count = 0;
    let mut k = Value::Nil;
    while let Some((key, _)) = t.next(k).unwrap() {
        count += 1;
        k = key;
    }
    assert_eq!(count, 1, "one key, whichever object was used to store it");
}

#[test]
fn next_visits_everything_and_tolerates_clearing() {
    let mut lua = Lua::new();
    let t = lua.new_table();
    for i in 1..=5 {
        t.set_int(i, Value::Int(i));
    }
    let keys: Vec<Value> = (0..20).map(|i| lua.str_value(&format!("k{i}"))).collect();
    for (i, k) in keys.iter().enumerate() {
        t.set(*k, Value::Int(i as i64)).unwrap();
    }
    let mut seen = 0;
    let mut k = Value::Nil;
    while let Some((key, _)) = t.next(k).unwrap() {
        // Clearing the current field during traversal is allowed.
        t.set(key, Value::Nil).unwrap();
        seen += 1;
        k = key;
    }
    assert_eq!(seen, 25);
    assert!(t.next(Value::Nil).unwrap().is_none());
    let missing = lua.str_value("nope");
    assert!(t.next(missing).is_err());
}

#[test]
fn dead_entries_are_reused_without_growth() {
    let mut lua = Lua::new();
    let t = lua.new_table();
    for round in 0..1000 {
        let k = lua.str_value(&format!("key{round}"));
        t.set(k, Value::Int(round)).unwrap();
        t.set(k, Value::Nil).unwrap();
    }
    assert!(t.extra_bytes() < 64 * 1024, "queue-like use must not grow the table forever");
    check(&t);
}

#[test]
fn growth_and_shrinkage_are_reported_to_the_heap() {
    let mut lua = Lua::new();
    let t = lua.new_table();
    lua.set_global("t", Value::Table(t));
    let before = lua.heap_mut().bytes_in_use();
    for i in 1..=10_000 {
        t.set_int(i, Value::Int(i));
    }
    let grown = lua.heap_mut().bytes_in_use();
    assert!(grown >= before + 10_000 * 16, "array growth reported: {before} -> {grown}");
    assert_eq!(grown - before, t.extra_bytes(), "reports add up to the table's size");
    // Emptying the array and adding a string key: the census shrinks the table.
    for i in 1..=10_000 {
        t.set_int(i, Value::Nil);
    }
    let k = lua.str_value("only");
    t.set(k, Value::Int(1)).unwrap();
    let shrunk = lua.heap_mut().bytes_in_use();
    assert!(shrunk < grown - 10_000 * 16 + 1024, "shrinkage reported: {grown} -> {shrunk}");
    // A collection recounts the same figure.
    lua.collect_garbage();
    assert!(lua.heap_mut().bytes_in_use() < grown);
}

#[test]
fn empty_tables_allocate_nothing() {
    let t = Table::new(0, 0);
    assert_eq!(t.extra_bytes(), 0);
    assert!(t.get_int(1).is_nil());
    assert!(t.next(Value::Nil).unwrap().is_none());
    assert_eq!(t.len(), 0);
    t.set_int(1, Value::Nil);
    t.set(Value::Bool(true), Value::Nil).unwrap();
    assert_eq!(t.extra_bytes(), 0, "storing nil under a new key inserts nothing");
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Keys of the model, mapped to Lua values by `KeyPool`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum ModelKey {
    Int(i64),
    /// Index into the pool's short strings.
    Short(usize),
    /// Index into the pool's long strings (a fresh, equal object is used for each access).
    Long(usize),
    /// A non-integral float, by bits.
    Float(u64),
    Bool(bool),
    /// Index into the pool's tables.
    Table(usize),
}

struct KeyPool {
    short: Vec<Gc<LuaStr>>,
    long: Vec<Vec<u8>>,
    tables: Vec<Gc<Table>>,
}

impl KeyPool {
    fn new(lua: &mut Lua) -> KeyPool {
        let short = (0..200).map(|i| lua.new_string(format!("s{i}").as_bytes())).collect();
        let long = (0..20).map(|i| format!("{i}-{}", "long key ".repeat(8)).into_bytes()).collect();
        let tables = (0..20).map(|_| lua.new_table()).collect();
        KeyPool { short, long, tables }
    }

    fn random_key(&self, rng: &mut Rng) -> ModelKey {
        match rng.below(10) {
            0..=2 => ModelKey::Int(rng.below(80) as i64 + 1),
            3 => ModelKey::Int(rng.below(1 << 20) as i64 - (1 << 19)),
            4..=6 => ModelKey::Short(rng.below(self.short.len() as u64) as usize),
            7 => ModelKey::Long(rng.below(self.long.len() as u64) as usize),
            8 => match rng.below(3) {
                0 => ModelKey::Float((rng.below(100) as f64 + 0.5).to_bits()),
                1 => ModelKey::Bool(rng.below(2) == 1),
                _ => ModelKey::Table(rng.below(self.tables.len() as u64) as usize),
            },
            // Integral floats are the same keys as integers.
            _ => ModelKey::Int(rng.below(40) as i64 + 1),
        }
    }

    fn value(&self, lua: &mut Lua, key: ModelKey, rng: &mut Rng) -> Value {
        match key {
            ModelKey::Int(i) if rng.below(4) == 0 && (i as f64) as i64 == i => Value::Float(i as f64),
            ModelKey::Int(i) => Value::Int(i),
            ModelKey::Short(i) => Value::Str(self.short[i]),
            ModelKey::Long(i) => Value::Str(lua.new_string(&self.long[i])),
            ModelKey::Float(bits) => Value::Float(f64::from_bits(bits)),
            ModelKey::Bool(b) => Value::Bool(b),
            ModelKey::Table(i) => Value::Table(self.tables[i]),
        }
    }

    fn model_key(&self, v: Value) -> ModelKey {
        match v {
            Value::Int(i) => ModelKey::Int(i),
            Value::Str(s) if s.is_interned() => {
                ModelKey::Short(self.short.iter().position(|&x| Gc::ptr_eq(x, s)).expect("pool string"))
            }
            Value::Str(s) => {
                ModelKey::Long(self.long.iter().position(|x| x[..] == *s.as_bytes()).expect("pool string"))
            }
            Value::Float(f) => ModelKey::Float(f.to_bits()),
            Value::Bool(b) => ModelKey::Bool(b),
            Value::Table(t) => ModelKey::Table(self.tables.iter().position(|&x| Gc::ptr_eq(x, t)).expect("pool table")),
            other => panic!("unexpected key {other:?}"),
        }
    }
}

fn assert_same(t: &Table, model: &HashMap<ModelKey, i64>, pool: &KeyPool, lua: &mut Lua, rng: &mut Rng) {
    for (&k, &v) in model {
        let key = pool.value(lua, k, rng);
        assert!(t.get(key).raw_eq(Value::Int(v)), "t[{k:?}] should be {v}, is {:?}", t.get(key));
    }
    let mut count = 0;
    let mut k = Value::Nil;
    while let Some((key, v)) = t.next(k).unwrap() {
        let mk = pool.model_key(key);
        assert!(model.get(&mk).is_some_and(|&m| v.raw_eq(Value::Int(m))), "next gave {mk:?} = {v:?}");
        count += 1;
        k = key;
    }
    assert_eq!(count, model.len(), "next visits every key once");
}

/// Random inserts, updates and deletes against a HashMap, with traversals that clear and
/// update fields as they go (manual §6.1), checking lookups, `next`, the border rule of `#`
/// and the node invariants.
#[test]
fn randomized_against_a_hash_map() {
    let mut lua = Lua::new();
    let pool = KeyPool::new(&mut lua);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..60 {
        let t = if round % 3 == 0 {
            lua.new_table_with(rng.below(20) as usize, rng.below(20) as usize)
        } else {
            lua.new_table()
        };
        let mut model: HashMap<ModelKey, i64> = HashMap::new();
        let steps = 200 + rng.below(1500);
        for step in 0..steps {
            let k = pool.random_key(&mut rng);
            let key = pool.value(&mut lua, k, &mut rng);
            if rng.below(3) == 0 {
                t.set(key, Value::Nil).unwrap();
                model.remove(&k);
            } else {
                let v = rng.below(1000) as i64;
                t.set(key, Value::Int(v)).unwrap();
                model.insert(k, v);
            }
            assert!(t.get(key).raw_eq(model.get(&k).map_or(Value::Nil, |&v| Value::Int(v))));
            if step % 97 == 0 {
                check(&t);
                assert_border(&t);
                assert_same(&t, &model, &pool, &mut lua, &mut rng);
            }
        }
        check(&t);
        assert_border(&t);
        assert_same(&t, &model, &pool, &mut lua, &mut rng);

        // A traversal that clears or updates existing fields as it goes.
        let at_start = model.clone();
        let mut visited: HashMap<ModelKey, usize> = HashMap::new();
        let mut k = Value::Nil;
        while let Some((key, v)) = t.next(k).unwrap() {
            let mk = pool.model_key(key);
            *visited.entry(mk).or_default() += 1;
            assert!(v.raw_eq(Value::Int(model[&mk])), "traversal sees current values");
            match rng.below(4) {
                0 => {
                    t.set(key, Value::Nil).unwrap();
                    model.remove(&mk);
                }
                1 => {
                    // Clear some other existing field (it may or may not be visited later).
                    if let Some(&other) = model.keys().nth(rng.below(model.len() as u64) as usize) {
                        let ok = pool.value(&mut lua, other, &mut rng);
                        t.set(ok, Value::Nil).unwrap();
                        model.remove(&other);
                    }
                }
                2 => {
                    let nv = rng.below(1000) as i64;
                    t.set(key, Value::Int(nv)).unwrap();
                    model.insert(mk, nv);
                }
                _ => {}
            }
            k = key;
        }
        assert!(visited.values().all(|&n| n == 1), "no key visited twice");
        for (key, _) in at_start {
            assert!(
                visited.contains_key(&key) || !model.contains_key(&key),
                "{key:?} was never cleared yet not visited"
            );
        }
        check(&t);
        assert_border(&t);
        assert_same(&t, &model, &pool, &mut lua, &mut rng);
    }
}

/// Sequences with holes: whatever the history, `#` gives a border.
#[test]
fn randomized_borders() {
    let mut rng = Rng(12345);
    for _ in 0..200 {
        let t = Table::new(rng.below(8) as usize, 0);
        let n = 1 + rng.below(300) as i64;
        for _ in 0..rng.below(600) {
            let i = 1 + rng.below(n as u64) as i64;
            let v = if rng.below(5) == 0 { Value::Nil } else { Value::Int(i) };
            t.set_int(i, v);
            if rng.below(4) == 0 {
                assert_border(&t);
            }
        }
        assert_border(&t);
        check(&t);
    }
}

#[test]
fn weak_values_and_keys_are_cleared_in_both_parts() {
    let mut lua = Lua::new();
    let weak = lua.new_table();
    let mt = lua.new_table();
    let mode = lua.str_value("v");
    lua.set_field(mt, "__mode", mode);
    weak.set_metatable(Some(mt));
    lua.set_global("weak", Value::Table(weak));
    for i in 1..=10 {
        let v = lua.new_table();
        weak.set_int(i, Value::Table(v));
        let k = lua.str_value(&format!("f{i}"));
        let v = lua.new_table();
        weak.set(k, Value::Table(v)).unwrap();
    }
    let kept = lua.new_table();
    lua.set_global("kept", Value::Table(kept));
    weak.set_int(3, Value::Table(kept));
    lua.collect_garbage();
    let mut live = vec![];
    let mut k = Value::Nil;
    while let Some((key, v)) = weak.next(k).unwrap() {
        live.push((key, v));
        k = key;
    }
    assert_eq!(live.len(), 1, "only the rooted value survives");
    assert!(live[0].0.raw_eq(Value::Int(3)));
    check(&weak);
}

/// A cleared field's key is marked dead by the collector and freed; `next` still continues
/// from it, and lookups of equal strings never touch the freed object.
#[test]
fn dead_keys_are_freed_and_next_still_finds_them() {
    let mut lua = Lua::new();
    let t = lua.new_table();
    lua.set_global("t", Value::Table(t));
    let long = |i: usize| format!("{i}{}", "-a long string key".repeat(4));
    for i in 0..50 {
        let k = lua.new_string(long(i).as_bytes());
        t.set_str(k, Value::Int(i as i64));
    }
    lua.collect_garbage();
    let objects = lua.heap_mut().object_count();
    // Clear every field during a traversal, collecting in between: the current key is kept
    // alive by the traversal (here: `current`, rooted in a global), the others are freed.
    let mut k = Value::Nil;
    let mut visited = 0;
    while let Some((key, _)) = t.next(k).unwrap() {
        visited += 1;
        t.set(key, Value::Nil).unwrap();
        lua.set_global("current", key);
        lua.collect_garbage();
        k = lua.get_global("current");
    }
    assert_eq!(visited, 50);
    lua.set_global("current", Value::Nil);
    lua.collect_garbage();
    assert!(lua.heap_mut().object_count() <= objects - 50, "the cleared keys were freed");
    for i in 0..50 {
        let k = lua.new_string(long(i).as_bytes());
        assert!(t.get_str(k).is_nil());
    }
    check(&t);
    // Setting a key again after its node died stores it anew.
    let k = lua.new_string(long(7).as_bytes());
    t.set_str(k, Value::Int(7));
    assert!(t.get_str(k).raw_eq(Value::Int(7)));
    check(&t);
}

/// `t[#t + 1] = v` finds the border next to the hint without bisecting; with holes further
/// on, any border is a valid answer.
#[test]
fn appending_after_the_length_hint() {
    let t = Table::new(0, 0);
    for i in 1..=5000 {
        assert_eq!(t.len(), i - 1);
        t.set_int(t.len() + 1, Value::Int(i));
    }
    assert_eq!(t.len(), 5000);
    // A hole after the next slot: the shortcut answers the border right after the hint.
    let u = Table::new(16, 0);
    for i in [1, 2, 3, 5, 6] {
        u.set_int(i, Value::Int(i));
    }
    assert_eq!(u.len(), 3);
    u.set_int(4, Value::Int(4));
    assert_border(&u);
}

/// Growing small and large array parts keeps their contents (small ones are copied into a
/// fresh block, large ones reallocated).
#[test]
fn array_growth_keeps_contents() {
    for first in [1usize, 3, 15, 16, 17, 40] {
        let t = Table::new(first, 0);
        for i in 1..=200i64 {
            t.set_int(i, Value::Int(i * 7));
            if i % 13 == 0 {
                for j in 1..=i {
                    assert!(t.get_int(j).raw_eq(Value::Int(j * 7)), "t[{j}] after growing to {i}");
                }
            }
        }
        assert_eq!(t.len(), 200);
        check(&t);
    }
}
