//! The compiled call entries of C function cdata (`FastPaths::native_call`), called here the way
//! a compiled loop calls them: with a pointer to argument values and a result slot. Every
//! expected result is what the same C function gives through the interpreter's call (the ffi's
//! call stubs), with the same arguments.

use rivet::lang::gc::Gc;
use rivet::lang::vm::userdata::{
    NativeCall, UserData, NATIVE_DECLINED, NATIVE_NEW_OBJECT, NATIVE_NO_RESULT, NATIVE_ONE,
};
use rivet::{Runtime, Value};

#[path = "support/fixture.rs"]
mod fixture;

const DECLARATIONS: &str = r#"
int64_t fx_i8(int8_t x); int64_t fx_u8(uint8_t x); int64_t fx_i16(int16_t x); int64_t fx_u16(uint16_t x);
int64_t fx_i32(int32_t x); int64_t fx_u32(uint32_t x); int64_t fx_i64(int64_t x); uint64_t fx_u64(uint64_t x);
int fx_bool(bool b); bool fx_not(bool b); double fx_float(float f); float fx_halve(float f);
int8_t fx_ret_i8(int x); uint16_t fx_ret_u16(int x); uint8_t fx_ret_u8_dirty(uint64_t x);
int64_t fx_narrow_sum(signed char a, unsigned short b, bool c, float d, unsigned char e, short f);
int64_t fx_regs32(int32_t a, int32_t b, int32_t c, int32_t d);
int64_t fx_sum10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g, int64_t h,
                 int64_t i, int64_t j);
typedef struct { int16_t a; int8_t b; } s3;
s3 fx_make_s3(int a, int b);
size_t fx_strlen(const char *s);
double fx_vsum(const char *fmt, ...);
int fx_fail_with(int e);
void fx_nothing(void);
int fx_bump(void);
int abs(int); long labs(long); long long llabs(long long); int toupper(int);
double ldexp(double, int); double sqrt(double);
"#;

/// A runtime with the ffi as `ffi`, the fixture library as `fx` and its functions declared.
fn runtime() -> Runtime {
    let mut rt = Runtime::new();
    let path = fixture::fixture_library().to_str().expect("a UTF-8 path").to_string();
    rt.eval(&format!("ffi = require('ffi') ffi.cdef[[{DECLARATIONS}]] fx = ffi.load([[{path}]]) keep = {{}}")).unwrap();
    rt
}

/// The value of `expr`, kept alive in the global table `keep` (a value held only here would be
/// collected).
fn kept(rt: &mut Runtime, expr: &str) -> Value {
    match rt.eval(&format!("local v = {expr} keep[#keep + 1] = v return v")).unwrap().as_slice() {
        [v] => *v,
        other => panic!("{expr} gave {other:?}"),
    }
}

/// The function cdata `expr` evaluates to, kept alive.
fn function(rt: &mut Runtime, expr: &str) -> Gc<UserData> {
    match kept(rt, expr) {
        Value::UserData(ud) => ud,
        other => panic!("{expr} is not a cdata: {other:?}"),
    }
}

/// The compiled call of `f` with `nargs` arguments, if there is one.
fn native_call(f: Gc<UserData>, nargs: usize) -> Option<NativeCall> {
    let paths = f.fast_paths().expect("a cdata has fast paths");
    (paths.native_call.expect("cdata have compiled calls"))(f, nargs)
}

/// Calls the entry with `args`; answers its code and the result slot (Nil when untouched).
fn call(rt: &mut Runtime, nc: NativeCall, args: &[Value]) -> (u64, Value) {
    let mut out = Value::Nil;
    // SAFETY: the `NativeCallEntry` contract: `nc` was made for a function cdata kept alive by
    // the runtime (`keep`) with `args.len()` arguments, `out` is a value slot and the runtime
    // is not borrowed elsewhere.
    let code = unsafe { (nc.entry)(nc.data, args.as_ptr(), &mut out, rt.lua()) };
    (code, out)
}

/// The interpreter's result of `expr` (one value).
fn interpreted(rt: &mut Runtime, expr: &str) -> Value {
    match rt.eval(&format!("return {expr}")).unwrap().as_slice() {
        [v] => *v,
        other => panic!("{expr} gave {other:?}"),
    }
}

/// The Lua source of a number or boolean argument (floats exactly, by their bits).
fn lua_literal(v: Value) -> String {
    match v {
        Value::Int(i) if i == i64::MIN => "math.mininteger".to_string(),
        Value::Int(i) => format!("{i}"),
        Value::Float(f) => format!("(string.unpack('<d', string.pack('<i8', {})))", f.to_bits() as i64),
        Value::Bool(b) => format!("{b}"),
        Value::Nil => "nil".to_string(),
        other => panic!("no literal for {other:?}"),
    }
}

/// Whether two results are the same value (floats compared by bits).
fn same(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Bool(x), Value::Bool(y)) => x == y,
        _ => false,
    }
}

/// Calls `name` (an expression giving a function cdata) through its entry with each list of
/// arguments and checks the result against the interpreter's call with the same arguments.
fn check_against_interpreter(rt: &mut Runtime, name: &str, cases: &[&[Value]]) {
    let f = function(rt, name);
    for args in cases {
        let nc = native_call(f, args.len()).unwrap_or_else(|| panic!("{name} has no compiled call"));
        let (code, got) = call(rt, nc, args);
        let list: Vec<String> = args.iter().map(|v| lua_literal(*v)).collect();
        let expected = interpreted(rt, &format!("{name}({})", list.join(", ")));
        assert_eq!(code, NATIVE_ONE, "{name}({list:?})");
        assert!(same(got, expected), "{name}({list:?}): entry gave {got:?}, interpreter {expected:?}");
    }
}

use Value::{Bool as B, Float as F, Int as I};

#[test]
fn integer_parameters_and_results_of_every_width() {
    let mut rt = runtime();
    let ints: &[&[Value]] = &[
        &[I(0)],
        &[I(-5)],
        &[I(200)],
        &[I(-1)],
        &[I(65535)],
        &[I(-30000)],
        &[I(0x1234_5678_9abc)],
        &[I(i64::MAX)],
        &[I(i64::MIN)],
        &[F(3.9)],
        &[F(-2.5)],
        &[F(1e300)],
    ];
    for name in ["fx.fx_i8", "fx.fx_u8", "fx.fx_i16", "fx.fx_u16", "fx.fx_i32", "fx.fx_u32", "fx.fx_i64"] {
        check_against_interpreter(&mut rt, name, ints);
    }
    // uint64_t: the result keeps its bits as a Lua integer; floats take the general path.
    check_against_interpreter(&mut rt, "fx.fx_u64", &[&[I(-1)], &[I(i64::MAX)], &[I(i64::MIN)], &[I(7)]]);
    let u64_fn = function(&mut rt, "fx.fx_u64");
    let (code, out) = call(&mut rt, native_call(u64_fn, 1).unwrap(), &[F(1.0)]);
    assert!(code == NATIVE_DECLINED && matches!(out, Value::Nil), "a float for uint64_t declines");
    // Narrow results: the callee leaves the upper bits of the register undefined.
    check_against_interpreter(&mut rt, "fx.fx_ret_i8", &[&[I(255)], &[I(128)], &[I(-1)], &[I(0x17f)]]);
    check_against_interpreter(&mut rt, "fx.fx_ret_u16", &[&[I(-1)], &[I(0x12345)], &[I(40000)]]);
    check_against_interpreter(&mut rt, "fx.fx_ret_u8_dirty", &[&[I(0x1234)], &[I(-1)], &[I(0x7f00)]]);
    check_against_interpreter(
        &mut rt,
        "fx.fx_sum10",
        &[&[I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8), I(9), I(10)]],
    );
    // The C library's own functions.
    check_against_interpreter(&mut rt, "ffi.C.abs", &[&[I(-7)], &[I(0x1_0000_0005)], &[F(-3.5)]]);
    check_against_interpreter(&mut rt, "ffi.C.labs", &[&[I(-(1 << 40))]]);
    check_against_interpreter(&mut rt, "ffi.C.llabs", &[&[I(-(1 << 50))], &[I(i64::MIN + 1)]]);
    check_against_interpreter(&mut rt, "ffi.C.toupper", &[&[I(97)], &[I(65)], &[I(0x161)]]);
}

#[test]
fn bool_and_floating_parameters_and_results() {
    let mut rt = runtime();
    let nan = F(f64::NAN);
    let to_bool: &[&[Value]] =
        &[&[B(true)], &[B(false)], &[I(0)], &[I(256)], &[I(-1)], &[F(0.0)], &[F(-0.0)], &[F(0.25)], &[nan]];
    check_against_interpreter(&mut rt, "fx.fx_bool", to_bool);
    check_against_interpreter(&mut rt, "fx.fx_not", &[&[B(true)], &[B(false)], &[I(0)], &[I(2)]]);
    // float and double parameters: floats, and integers converted (through double for float).
    let floats: &[&[Value]] =
        &[&[F(0.1)], &[F(-1.5e30)], &[F(1e300)], &[I(3)], &[I(-7)], &[I((1 << 53) + 1)], &[I(i64::MAX)]];
    check_against_interpreter(&mut rt, "fx.fx_float", floats);
    check_against_interpreter(&mut rt, "fx.fx_halve", floats);
    check_against_interpreter(&mut rt, "ffi.C.sqrt", &[&[F(2.0)], &[I(16)], &[F(-1.0)]]);
    check_against_interpreter(&mut rt, "ffi.C.ldexp", &[&[F(0.75), I(4)], &[I(3), I(-2)], &[F(1.0), F(10.7)]]);
}

#[test]
fn narrow_arguments_are_converted_and_extended_as_c_does() {
    let mut rt = runtime();
    let cases: &[&[Value]] = &[
        &[I(-3), I(65535), B(true), F(0.625), I(255), I(-2)],
        &[I(253), I(-1), I(7), I(3), I(0x1ff), I(0x18000)],
        &[I(127), I(0x12345), I(0), F(-2.25), I(-1), I(32767)],
        &[F(-100.7), F(65535.9), B(false), I(-9), F(200.5), F(-32768.2)],
    ];
    check_against_interpreter(&mut rt, "fx.fx_narrow_sum", cases);
    // fx_regs32 reads 32-bit registers: declared with narrower parameters, it shows that the
    // entry extends each to 32 bits (sign for signed, zero for unsigned and bool), as the stubs
    // do and as callees compiled by Clang rely on.
    let narrow = "ffi.cast('int64_t (*)(signed char, unsigned short, bool, short)', fx.fx_regs32)";
    check_against_interpreter(
        &mut rt,
        narrow,
        &[&[I(-3), I(-1), I(5), I(-2)], &[I(0x80), I(0x8000), B(true), I(0x8000)], &[I(0x7f), I(1), I(0), I(0x7fff)]],
    );
    // And those values are C's: the 32-bit declaration given the converted values agrees.
    let f = function(&mut rt, "fx.fx_regs32");
    let (_, wide) = call(&mut rt, native_call(f, 4).unwrap(), &[I(-3), I(65535), I(1), I(-2)]);
    let narrow_fn = function(&mut rt, narrow);
    let (_, narrowed) = call(&mut rt, native_call(narrow_fn, 4).unwrap(), &[I(-3), I(-1), I(5), I(-2)]);
    assert!(same(wide, narrowed), "{wide:?} vs {narrowed:?}");
}

#[test]
fn numeric_signatures_get_machine_code_called_with_the_function_address() {
    let mut rt = runtime();
    let (i8_fn, u8_fn, strlen_fn, s3_fn) = (
        function(&mut rt, "fx.fx_i8"),
        function(&mut rt, "fx.fx_u8"),
        function(&mut rt, "fx.fx_strlen"),
        function(&mut rt, "fx.fx_make_s3"),
    );
    let (a, b) = (native_call(i8_fn, 1).unwrap(), native_call(u8_fn, 1).unwrap());
    let (c, d) = (native_call(strlen_fn, 1).unwrap(), native_call(s3_fn, 2).unwrap());
    // Pointer and struct signatures share the Rust entry; numeric ones have code of their own.
    assert_eq!(c.entry as usize, d.entry as usize);
    if cfg!(all(target_arch = "x86_64", not(windows))) {
        assert_ne!(a.entry as usize, b.entry as usize);
        assert_ne!(a.entry as usize, c.entry as usize);
        let address = interpreted(&mut rt, "tonumber(ffi.cast('intptr_t', ffi.cast('void *', fx.fx_i8)))");
        assert!(matches!(address, Value::Int(addr) if addr as usize == a.data));
    }
    // Functions of one type share the code; `data` tells them apart.
    let p = function(&mut rt, "ffi.cast('int64_t (*)(int8_t)', fx.fx_i8)");
    let q = function(&mut rt, "ffi.cast('int64_t (*)(int8_t)', fx.fx_u8)");
    let (p, q) = (native_call(p, 1).unwrap(), native_call(q, 1).unwrap());
    assert_eq!(p.entry as usize, q.entry as usize);
    assert_ne!(p.data, q.data);
    let (_, from_u8) = call(&mut rt, q, &[I(-1)]);
    assert!(same(from_u8, interpreted(&mut rt, "fx.fx_u8(-1)")));
}

#[test]
fn other_fast_path_calls_go_through_the_rust_entry() {
    let mut rt = runtime();
    let strlen = function(&mut rt, "fx.fx_strlen");
    let nc = native_call(strlen, 1).unwrap();
    let text = kept(&mut rt, "'compiled loops'");
    let (code, n) = call(&mut rt, nc, &[text]);
    assert_eq!(code, NATIVE_ONE);
    assert!(same(n, interpreted(&mut rt, "fx.fx_strlen('compiled loops')")));
    let (code, n) = call(&mut rt, nc, &[Value::Nil]);
    assert_eq!(code, NATIVE_ONE);
    assert!(same(n, interpreted(&mut rt, "fx.fx_strlen(nil)")));
    let (code, out) = call(&mut rt, nc, &[I(1)]);
    assert!(code == NATIVE_DECLINED && matches!(out, Value::Nil), "a number for a pointer declines");
    // A struct result is a new cdata.
    let make = function(&mut rt, "fx.fx_make_s3");
    let (code, s) = call(&mut rt, native_call(make, 2).unwrap(), &[I(-300), I(7)]);
    assert_eq!(code, NATIVE_NEW_OBJECT);
    assert!(matches!(s, Value::UserData(_)));
    rt.lua().set_global("made", s);
    let fields = rt.eval("return made.a, made.b, ffi.istype('s3', made)").unwrap();
    let expected = rt.eval("local m = fx.fx_make_s3(-300, 7) return m.a, m.b, true").unwrap();
    assert!(fields.iter().zip(&expected).all(|(a, b)| same(*a, *b)) && fields.len() == 3, "{fields:?}");
}

#[test]
fn void_functions_and_no_arguments() {
    let mut rt = runtime();
    let nothing = function(&mut rt, "fx.fx_nothing");
    let (code, out) = call(&mut rt, native_call(nothing, 0).unwrap(), &[]);
    assert!(code == NATIVE_NO_RESULT && matches!(out, Value::Nil));
    let bump = function(&mut rt, "fx.fx_bump");
    let before = interpreted(&mut rt, "fx.fx_bump()");
    let (code, out) = call(&mut rt, native_call(bump, 0).unwrap(), &[]);
    assert_eq!(code, NATIVE_ONE);
    let Value::Int(before) = before else { panic!("{before:?}") };
    assert!(same(out, I(before + 1)), "the C counter moved on once: {out:?}");
}

#[test]
fn errno_is_captured_for_ffi_errno() {
    let mut rt = runtime();
    let fail = function(&mut rt, "fx.fx_fail_with");
    let nc = native_call(fail, 1).unwrap();
    for e in [34, 0, 2] {
        rt.eval("ffi.errno(99)").unwrap();
        let (code, out) = call(&mut rt, nc, &[I(e)]);
        assert!(code == NATIVE_ONE && same(out, I(-1)));
        let captured = interpreted(&mut rt, "ffi.errno()");
        let expected = interpreted(&mut rt, &format!("(function() fx.fx_fail_with({e}) return ffi.errno() end)()"));
        assert!(same(captured, expected), "errno {captured:?}, interpreter's {expected:?}");
    }
    // strtol sets ERANGE: the errno is the C library's own.
    rt.eval("ffi.cdef[[long strtol(const char *, char **, int);]]").unwrap();
    let strtol = function(&mut rt, "ffi.C.strtol");
    let huge = kept(&mut rt, "'99999999999999999999999'");
    rt.eval("ffi.errno(0)").unwrap();
    let (code, _) = call(&mut rt, native_call(strtol, 3).unwrap(), &[huge, Value::Nil, I(10)]);
    assert_eq!(code, NATIVE_ONE);
    let captured = interpreted(&mut rt, "ffi.errno()");
    let expected =
        interpreted(&mut rt, "(function() ffi.C.strtol('99999999999999999999999', nil, 10) return ffi.errno() end)()");
    assert!(same(captured, expected) && !same(captured, I(0)), "{captured:?} vs {expected:?}");
}

#[test]
fn entries_decline_what_the_fast_path_does_not_take() {
    let mut rt = runtime();
    let i32_fn = function(&mut rt, "fx.fx_i32");
    let nc = native_call(i32_fn, 1).unwrap();
    let text = kept(&mut rt, "'12'");
    for bad in [text, Value::Nil, B(true)] {
        let (code, out) = call(&mut rt, nc, &[bad]);
        assert!(code == NATIVE_DECLINED && matches!(out, Value::Nil), "{bad:?} for int32_t");
    }
    let float_fn = function(&mut rt, "fx.fx_float");
    let (code, _) = call(&mut rt, native_call(float_fn, 1).unwrap(), &[B(true)]);
    assert_eq!(code, NATIVE_DECLINED, "a boolean for float");
    let sum = function(&mut rt, "fx.fx_narrow_sum");
    let (code, _) = call(&mut rt, native_call(sum, 6).unwrap(), &[I(1), I(2), B(true), F(0.5), I(3), text]);
    assert_eq!(code, NATIVE_DECLINED, "one bad argument among good ones");
    // No entry for another argument count, a variadic function or a value that is no function.
    assert!(native_call(i32_fn, 2).is_none() && native_call(i32_fn, 0).is_none());
    let vsum = function(&mut rt, "fx.fx_vsum");
    assert!(native_call(vsum, 1).is_none() && native_call(vsum, 2).is_none());
    let int = function(&mut rt, "ffi.new('int', 3)");
    assert!(native_call(int, 0).is_none());
    let null = function(&mut rt, "ffi.cast('int (*)(int)', 0)");
    assert!(native_call(null, 1).is_none());
}

#[test]
fn a_runtime_with_callbacks_declines() {
    let mut rt = runtime();
    let (abs_fn, strlen_fn) = (function(&mut rt, "ffi.C.abs"), function(&mut rt, "fx.fx_strlen"));
    let (abs_nc, strlen_nc) = (native_call(abs_fn, 1).unwrap(), native_call(strlen_fn, 1).unwrap());
    assert_eq!(call(&mut rt, abs_nc, &[I(-4)]).0, NATIVE_ONE);
    // Callbacks need the runtime recorded: from now on the value entry declines, and asked
    // again the cdata gives the Rust entry, which records it. That entry writes its result
    // into the caller's stack slot, found by index after Lua code may have moved the stack
    // (tests/lua/ffi/loop_calls.lua runs it from compiled loops), so it declines a result
    // slot outside the stack, as this test's is.
    rt.eval("keep.cb = ffi.cast('int (*)(int)', function(x) return x end)").unwrap();
    let (code, out) = call(&mut rt, abs_nc, &[I(-4)]);
    assert!(code == NATIVE_DECLINED && matches!(out, Value::Nil));
    let recording = native_call(abs_fn, 1).unwrap();
    assert_ne!(recording.entry as usize, abs_nc.entry as usize);
    assert_eq!(recording.entry as usize, strlen_nc.entry as usize, "the Rust entry");
    assert_eq!(call(&mut rt, recording, &[I(-4)]).0, NATIVE_DECLINED);
    let text = kept(&mut rt, "'abc'");
    assert_eq!(call(&mut rt, strlen_nc, &[text]).0, NATIVE_DECLINED);
    // The interpreter still calls it.
    assert!(same(interpreted(&mut rt, "ffi.C.abs(-4)"), I(4)));
}

#[test]
fn a_loop_compiled_before_any_call_gets_an_entry() {
    let mut rt = runtime();
    // No call of fx_u16's type was made: asking prepares it.
    let f = function(&mut rt, "ffi.cast('uint16_t (*)(int)', fx.fx_ret_u16)");
    let nc = native_call(f, 1).expect("an entry without a prior call");
    let (code, out) = call(&mut rt, nc, &[I(-1)]);
    assert!(code == NATIVE_ONE && same(out, interpreted(&mut rt, "fx.fx_ret_u16(-1)")));
}

/// Set in the child process of `c_output_stays_in_call_order`.
const ORDER_CHILD: &str = "RIVET_NATIVE_CALL_ORDER_CHILD";

#[test]
fn c_output_stays_in_call_order() {
    if std::env::var_os(ORDER_CHILD).is_some() {
        // rivet buffers "first " (stdout is a pipe), `putchar` (a value entry: its signature is
        // numeric) must write it out before C's own output, and " last" follows both.
        let mut rt = runtime();
        rt.eval("ffi.cdef[[int putchar(int);]] io.write('[first ')").unwrap();
        let putchar = function(&mut rt, "ffi.C.putchar");
        let (code, _) = call(&mut rt, native_call(putchar, 1).unwrap(), &[I(i64::from(b'X'))]);
        assert_eq!(code, NATIVE_ONE);
        rt.eval("io.write(' last]') io.stdout:flush()").unwrap();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args(["--exact", "c_output_stays_in_call_order", "--nocapture", "--test-threads=1"])
        .env(ORDER_CHILD, "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("[first X last]"), "{text}");
}
