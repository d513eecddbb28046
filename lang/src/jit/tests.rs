//! The loop compiler against the interpreter: the same loops give the same results whether
//! compiled or not, compiled code stops where a value is not what it was made for, and a
//! userdata's compiled call entry is used, declined and followed by GC safe points.

use crate::vm::userdata::{FastPaths, NativeCall, UserData, NATIVE_DECLINED, NATIVE_NEW_OBJECT, NATIVE_ONE};
use crate::vm::value::Value;
use crate::{Lua, LuaResult};
use std::sync::atomic::{AtomicU64, Ordering};

fn run(lua: &mut Lua, src: &str) -> Vec<Value> {
    let f = lua.load_text(src.as_bytes(), "=test").expect("compiles");
    lua.call_function(f, &[]).expect("runs")
}

fn ints(values: &[Value]) -> Vec<i64> {
    values
        .iter()
        .map(|v| match v {
            Value::Int(i) => *i,
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

#[test]
fn compiled_loops_give_the_interpreters_results() {
    let src = "local s, k = 0, 3
        for i = 1, 100000 do s = s + i * 3 - 1; k = k * 3 + 1 end
        local d = 0.5
        for i = 1, 50000 do d = d * 1.5 - d + 0.25 end
        return s, k, d";
    let mut on = Lua::new();
    let got = run(&mut on, src);
    let mut off = Lua::new();
    off.set_loop_compiler(false);
    let want = run(&mut off, src);
    assert_eq!(ints(&got[..2]), ints(&want[..2]));
    assert!(matches!((got[2], want[2]), (Value::Float(x), Value::Float(y)) if x == y));
    assert_eq!(on.loop_stats().compiled, 2, "{:?}", on.loop_stats());
    assert!(on.loop_stats().entered >= 2);
    assert_eq!(off.loop_stats(), Default::default());
}

#[test]
fn a_value_of_another_kind_stops_the_code_and_the_interpreter_goes_on() {
    // `s` is a string for the first run (coerced by the interpreter), an integer after.
    let mut lua = Lua::new();
    let got = run(
        &mut lua,
        "local function f(s) for i = 1, 1000 do s = s + 1 end return s end
         local a = f(1) local b = f('10') local c = f(0.5)
         return a, b, c * 2",
    );
    assert_eq!(ints(&got[..2]), [1001, 1010]);
    assert!(matches!(got[2], Value::Float(f) if f == 2001.0));
    assert!(lua.loop_stats().entered >= 3);
}

#[test]
fn an_interrupt_stops_a_compiled_loop() {
    let mut lua = Lua::new();
    let flag = lua.interrupt_handle();
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        flag.store(true, Ordering::Relaxed);
    });
    let f = lua.load_text(b"local s = 0 for i = 1, 1 << 62 do s = s + 1 end", "=test").expect("compiles");
    let err = lua.call_function(f, &[]).expect_err("interrupted");
    setter.join().expect("setter thread");
    let msg = format!("{err:?}");
    assert!(msg.contains("interrupted!"), "{msg}");
    assert_eq!(lua.loop_stats().compiled, 1);
}

// ----- a userdata with a compiled call entry -------------------------------------------------

static ENTRY_CALLS: AtomicU64 = AtomicU64::new(0);

/// `__call`: `add(a, b)` is `a + b` (what the entry computes, and declines for a negative `a`).
fn add_by_metamethod(lua: &mut Lua) -> LuaResult<usize> {
    let (a, b) = (lua.check_integer(2)?, lua.check_integer(3)?);
    lua.push(Value::Int(a.wrapping_add(b)));
    Ok(1)
}

unsafe extern "sysv64" fn add_entry(data: usize, args: *const Value, out: *mut Value, _: *mut Lua) -> u64 {
    assert_eq!(data, 0xadd);
    ENTRY_CALLS.fetch_add(1, Ordering::Relaxed);
    // SAFETY: the compiled loop passes its two argument registers and the result register.
    let (a, b) = unsafe { (*args, *args.add(1)) };
    match (a, b) {
        (Value::Int(a), Value::Int(b)) if a >= 0 => {
            // SAFETY: as above.
            unsafe { *out = Value::Int(a.wrapping_add(b)) };
            NATIVE_ONE
        }
        _ => NATIVE_DECLINED,
    }
}

fn add_native_call(_: crate::gc::Gc<UserData>, nargs: usize) -> Option<NativeCall> {
    (nargs == 2).then_some(NativeCall { entry: add_entry, data: 0xadd })
}

static ADD_PATHS: FastPaths = FastPaths { call: None, index: None, newindex: None, native_call: Some(add_native_call) };

/// `make(n)`: a new table `{v = n}` (a new object: the loop reaches GC safe points).
fn make_by_metamethod(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.check_integer(2)?;
    let t = lua.new_table();
    lua.set_field(t, "v", Value::Int(n));
    lua.push(Value::Table(t));
    Ok(1)
}

unsafe extern "sysv64" fn make_entry(_: usize, args: *const Value, out: *mut Value, lua: *mut Lua) -> u64 {
    // SAFETY: the compiled loop passes its argument register, its result register and the
    // runtime, which nothing else uses during the call.
    let (arg, lua) = unsafe { (*args, &mut *lua) };
    let Value::Int(n) = arg else { return NATIVE_DECLINED };
    let t = lua.new_table();
    lua.set_field(t, "v", Value::Int(n));
    // SAFETY: as above.
    unsafe { *out = Value::Table(t) };
    NATIVE_NEW_OBJECT
}

fn make_native_call(_: crate::gc::Gc<UserData>, nargs: usize) -> Option<NativeCall> {
    (nargs == 1).then_some(NativeCall { entry: make_entry, data: 0 })
}

static MAKE_PATHS: FastPaths =
    FastPaths { call: None, index: None, newindex: None, native_call: Some(make_native_call) };

fn callable_userdata(lua: &mut Lua, paths: &'static FastPaths, call: crate::vm::closure::NativeFn) -> Value {
    let ud = lua.new_userdata(Box::new(()), 0);
    ud.set_fast_paths(Some(paths));
    let mt = lua.new_table();
    let f = lua.new_native("__call", call);
    lua.set_field(mt, "__call", f);
    ud.set_metatable(Some(mt));
    Value::UserData(ud)
}

#[test]
fn calls_go_through_the_entry_and_declines_through_the_metamethod() {
    let mut lua = Lua::new();
    let add = callable_userdata(&mut lua, &ADD_PATHS, add_by_metamethod);
    lua.set_global("add", add);
    ENTRY_CALLS.store(0, Ordering::Relaxed);
    // Declines while `s` is negative (the first 500 iterations of the second loop).
    let got = run(
        &mut lua,
        "local add = add
         local s = 0
         for i = 1, 10000 do s = add(s, 2) end
         local t = -1000
         for i = 1, 1000 do t = add(t, 2) end
         -- the callee changes: the code stops at the call, the interpreter calls the other one
         local f, u = add, 0
         for i = 1, 1000 do u = f(u, 1) end
         return s, t, u",
    );
    assert_eq!(ints(&got), [20000, 1000, 1000]);
    let calls = ENTRY_CALLS.load(Ordering::Relaxed);
    assert!(calls > 10000 && calls < 12000, "{calls} entry calls");
    // The second loop's declines (500 in a row) gave its code back and it was compiled again.
    let stats = lua.loop_stats();
    assert!(stats.compiled >= 3 && stats.given_back >= 1, "{stats:?}");
}

#[test]
fn a_loop_whose_calls_are_always_declined_goes_back_to_the_interpreter() {
    let mut lua = Lua::new();
    let add = callable_userdata(&mut lua, &ADD_PATHS, add_by_metamethod);
    lua.set_global("add", add);
    // `s` stays negative: the entry declines every call, the code never finishes an iteration.
    let got = run(&mut lua, "local add, s = add, -10000000 for i = 1, 5000 do s = add(s, 1) end return s");
    assert_eq!(ints(&got), [-9995000]);
    // Compiled again twice (conditions may change), given back each time.
    let stats = lua.loop_stats();
    let tries = 1 + u64::from(super::RECOMPILES);
    assert_eq!((stats.compiled, stats.given_back), (tries, tries), "{stats:?}");
    assert!(stats.entered <= 16 * tries + 4, "{stats:?}");
}

/// `grow(n)`: `n + 1`, after growing the stack so much that it moves (as Lua code run by a C
/// function that calls back would).
fn grow_by_metamethod(lua: &mut Lua) -> LuaResult<usize> {
    let n = lua.check_integer(2)?;
    lua.push(Value::Int(n + 1));
    Ok(1)
}

static STACK_MOVES: AtomicU64 = AtomicU64::new(0);

unsafe extern "sysv64" fn grow_entry(_: usize, args: *const Value, out: *mut Value, lua: *mut Lua) -> u64 {
    // SAFETY: the compiled loop passes its argument register, its result register and the
    // runtime, which nothing else uses during the call.
    let (arg, lua) = unsafe { (*args, &mut *lua) };
    let Value::Int(n) = arg else { return NATIVE_DECLINED };
    let Some(index) = lua.stack_index_of(out) else { return NATIVE_DECLINED };
    let before = lua.th().stack.as_ptr();
    let len = lua.th().stack.len();
    if len < 100_000 && lua.check_stack(len * 2 + 1000).is_err() {
        return NATIVE_DECLINED;
    }
    if lua.th().stack.as_ptr() != before {
        STACK_MOVES.fetch_add(1, Ordering::Relaxed);
    }
    lua.stack_set(index, Value::Int(n + 1));
    crate::vm::userdata::NATIVE_RAN_LUA
}

fn grow_native_call(_: crate::gc::Gc<UserData>, nargs: usize) -> Option<NativeCall> {
    (nargs == 1).then_some(NativeCall { entry: grow_entry, data: 0 })
}

static GROW_PATHS: FastPaths =
    FastPaths { call: None, index: None, newindex: None, native_call: Some(grow_native_call) };

#[test]
fn a_call_that_moved_the_stack_leaves_the_loop_its_registers() {
    let mut lua = Lua::new();
    let grow = callable_userdata(&mut lua, &GROW_PATHS, grow_by_metamethod);
    lua.set_global("grow", grow);
    let got = run(&mut lua, "local grow, s, t = grow, 0, 0 for i = 1, 200 do s = grow(s); t = t + s end return s, t");
    assert_eq!(ints(&got), [200, 20100]);
    assert!(STACK_MOVES.load(Ordering::Relaxed) > 3, "the stack moved during compiled calls");
    assert_eq!(lua.loop_stats().compiled, 1);
}

#[test]
fn new_objects_from_entries_reach_gc_safe_points() {
    let mut lua = Lua::new();
    let make = callable_userdata(&mut lua, &MAKE_PATHS, make_by_metamethod);
    lua.set_global("make", make);
    let got = run(
        &mut lua,
        "local make, t = make, nil
         for i = 1, 300000 do t = make(i) end
         return t.v",
    );
    assert_eq!(ints(&got), [300000]);
    // 300,000 tables were made; the safe points kept the heap small.
    let bytes = lua.heap.bytes_in_use();
    assert!(bytes < 8 << 20, "{bytes} bytes");
}

// ----- compiled functions (for callbacks) -----------------------------------------------------

use super::{CompiledRun, ElemKind, ParamKind};

/// A comparator as a qsort callback would have it, with a call counter in an upvalue.
const COMPARATOR: &str = "local n = 0
    count = function() return n end
    return function(x, y)
      n = n + 1
      local u, v = x[0], y[0]
      return u < v and -1 or (u > v and 1 or 0)
    end";

/// Runs compiled `f` on arguments `args` the way a host does: function and arguments on the
/// stack, then `run_compiled_function`.
fn run_compiled(lua: &mut Lua, cf: &super::CompiledFunction, f: Value, args: &[Value]) -> CompiledRun {
    let func = lua.top();
    lua.push(f);
    for &a in args {
        lua.push(a);
    }
    let run = lua.run_compiled_function(cf, func);
    if let CompiledRun::Returned(_) = run {
        lua.set_top(func);
    }
    run
}

#[test]
fn a_compiled_comparator_reads_its_pointer_parameters_unboxed() {
    let mut lua = Lua::new();
    let f = run(&mut lua, COMPARATOR)[0];
    let p = ParamKind::Pointer(ElemKind::I32);
    let cf = lua.compile_function(f, &[p, p]).expect("compiles");
    let (a, b, c) = (5i32, -7i32, 5i32);
    let addr = |x: &i32| Value::LightUserData(x as *const i32 as usize);
    for ((x, y), want) in [((&a, &b), 1), ((&b, &a), -1), ((&a, &c), 0)] {
        match run_compiled(&mut lua, &cf, f, &[addr(x), addr(y)]) {
            CompiledRun::Returned(Value::Int(r)) => assert_eq!(r, want),
            other => panic!("{other:?}"),
        }
    }
    let count = run(&mut lua, "return count()");
    assert_eq!(ints(&count), [3]);
}

#[test]
fn closures_of_one_function_share_its_compiled_code() {
    let mut lua = Lua::new();
    let got = run(&mut lua, "local function make(k) return function(a) return a + k end end return make(1), make(2)");
    let p = [ParamKind::Value];
    let one = lua.compile_function(got[0], &p).expect("compiles");
    let two = lua.compile_function(got[1], &p).expect("compiles");
    assert!(std::rc::Rc::ptr_eq(&one, &two));
    assert_eq!(lua.loop_stats().compiled, 1);
    // Each closure runs with its own upvalue.
    for (f, cf, want) in [(got[0], &one, 11), (got[1], &two, 12)] {
        match run_compiled(&mut lua, cf, f, &[Value::Int(10)]) {
            CompiledRun::Returned(Value::Int(r)) => assert_eq!(r, want),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn every_element_kind_reads_as_c_would() {
    let mut lua = Lua::new();
    let f = run(&mut lua, "return function(p) return p[1] end")[0];
    let bytes: [u8; 16] = [0x80, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x3f, 0, 0, 0, 0, 0xf8, 0x3f];
    let floats: [f32; 2] = [0.0, -2.75];
    let read_at = |lua: &mut Lua, elem, at: Value| {
        let cf = lua.compile_function(f, &[ParamKind::Pointer(elem)]).expect("compiles");
        match run_compiled(lua, &cf, f, &[at]) {
            CompiledRun::Returned(v) => v,
            other => panic!("{other:?}"),
        }
    };
    let read = |lua: &mut Lua, elem| read_at(lua, elem, Value::LightUserData(bytes.as_ptr() as usize));
    let int = |v: Value| match v {
        Value::Int(i) => i,
        other => panic!("{other:?}"),
    };
    assert_eq!(int(read(&mut lua, ElemKind::I8)), bytes[1] as i8 as i64);
    assert_eq!(int(read(&mut lua, ElemKind::U8)), bytes[1] as i64);
    assert_eq!(int(read(&mut lua, ElemKind::I16)), i16::from_le_bytes([bytes[2], bytes[3]]) as i64);
    assert_eq!(int(read(&mut lua, ElemKind::U16)), u16::from_le_bytes([bytes[2], bytes[3]]) as i64);
    let word = |i: usize| [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
    assert_eq!(int(read(&mut lua, ElemKind::I32)), i32::from_le_bytes(word(4)) as i64);
    assert_eq!(int(read(&mut lua, ElemKind::U32)), u32::from_le_bytes(word(4)) as i64);
    let quad: [u8; 8] = bytes[8..16].try_into().expect("8 bytes");
    assert_eq!(int(read(&mut lua, ElemKind::I64)), i64::from_le_bytes(quad));
    assert_eq!(int(read(&mut lua, ElemKind::U64)), u64::from_le_bytes(quad) as i64);
    let at_floats = Value::LightUserData(floats.as_ptr() as usize);
    assert!(matches!(read_at(&mut lua, ElemKind::F32, at_floats), Value::Float(x) if x == -2.75));
    assert!(matches!(read(&mut lua, ElemKind::F64), Value::Float(x) if x == f64::from_le_bytes(quad)));
}

#[test]
fn a_compiled_function_stops_and_the_interpreter_finishes_the_call() {
    let mut lua = Lua::new();
    let f = run(&mut lua, "local t = 0 return function(a, b) t = t + 1 return a * 2 + b + t end")[0];
    let cf = lua.compile_function(f, &[ParamKind::Value, ParamKind::Value]).expect("compiles");
    match run_compiled(&mut lua, &cf, f, &[Value::Int(20), Value::Int(1)]) {
        CompiledRun::Returned(Value::Int(r)) => assert_eq!(r, 42),
        other => panic!("{other:?}"),
    }
    // A string operand: the code stops at the multiplication (after `t` was counted) and the
    // interpreter goes on from there, with the coercion.
    let func = lua.top();
    let s = lua.new_string(b"20");
    let run = run_compiled(&mut lua, &cf, f, &[Value::Str(s), Value::Int(1)]);
    let CompiledRun::Stopped { pc } = run else { panic!("{run:?}") };
    assert!(pc > 0);
    lua.pcall_across_c(func, 1, None, Some(pc)).expect("runs");
    assert!(matches!(lua.stack_at(func), Value::Int(43)), "{:?}", lua.stack_at(func));
}

#[test]
fn functions_the_compiler_does_not_take_say_why() {
    let mut lua = Lua::new();
    let v = ParamKind::Value;
    let p = ParamKind::Pointer(ElemKind::I32);
    let mut why = |src: &str, params: &[ParamKind]| {
        let f = run(&mut lua, src)[0];
        lua.compile_function(f, params).err()
    };
    assert_eq!(why("local g = print return function(a) g(a) end", &[v]), Some("a call"));
    assert_eq!(why("return function(a, ...) return a end", &[v]), Some("a vararg function"));
    assert_eq!(
        why("return function(a) return a end", &[v, v]),
        Some("a parameter count that differs from the C signature's")
    );
    assert_eq!(
        why("return function(p) local q = p return q[0] end", &[p]),
        Some("a pointer parameter used other than as p[i]")
    );
    assert_eq!(why("return function(p) return p end", &[p]), Some("a pointer parameter used other than as p[i]"));
    assert_eq!(
        why("return function(p) for i = 1, 3 do end return p[0] end", &[p]),
        Some("an instruction the loop compiler does not take")
    );
}
