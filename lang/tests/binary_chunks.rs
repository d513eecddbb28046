//! rivet's binary chunks (`bytecode::dump` / `bytecode::undump` / `Lua::load_binary`):
//! round trips of every Lua file in the workspace's tests, stripping, foreign chunks, and
//! corrupt input (truncated at every byte, random bit flips), which must give an error, or a
//! function that passed the verifier and runs without a panic.

use rivet_lang::bytecode::dump::dump;
use rivet_lang::bytecode::undump::{undump, UndumpError};
use rivet_lang::bytecode::{Constant, Proto};
use rivet_lang::{compile_source, Lua, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Functions that use every kind of constant, closures, varargs, loops and nesting.
const SAMPLES: &[&str] = &[
    "return 1",
    "local a, b = ... return a + b, a .. b, a // b, -0.0, 1e308 * 10, 0x7fffffffffffffff, math",
    "local s = [[a long
string with lines]] .. string.rep('x', 3) local t = { 1, 2.5, 'three', true, false, nil, [10] = 'ten' } return s, t",
    "local function counter() local n = 0 return function(...) n = n + select('#', ...) return n end end return counter()",
    "local t = {} for i = 1, 10 do t[i] = function() return i end end for k, v in pairs(t) do t[k] = v() end return t",
    "local k <const> = 10 local y <close> = nil local x = k goto skip ::skip:: while x > 0 do x = x - 1 if x == 5 then break end end return x",
    "return function(a, b, ...) local v = {...} return function() return function(...) return a, b, v, ... end end end",
    "local o = {} function o:m(x) return self, x end return o:m(1), #o, o == o, not o",
    "local a = 1 return a == nil, a ~= false, a < 2, a <= 3.5, a > 'x', 2^53 + 1, 3 % -2, 7 >> 1, ~0",
    "return function() return 1LL, 0xffffffffffffffffULL, 12.5i, -0x8000000000000000LL, 0i end",
];

fn compile(src: &str) -> Proto {
    compile_source(src.as_bytes(), "=sample").unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Every `.lua` file under the workspace's `tests/` that compiles.
fn workspace_sources() -> Vec<(PathBuf, Proto)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "lua") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let src = std::fs::read(&f).ok()?;
            let name = format!("@{}", f.display());
            compile_source(&src, &name).ok().map(|p| (f, p))
        })
        .collect()
}

/// `p` without debug information, as a stripped dump reads back.
fn stripped(p: &Proto) -> Proto {
    let mut q = p.clone();
    strip_in_place(&mut q);
    q
}

fn strip_in_place(p: &mut Proto) {
    p.source = "=?".into();
    p.line_info.clear();
    p.locvars.clear();
    for u in &mut p.upvalues {
        u.name.clear();
    }
    for c in &mut p.protos {
        strip_in_place(c);
    }
}

#[test]
fn every_workspace_script_round_trips() {
    let sources = workspace_sources();
    assert!(sources.len() > 50, "expected the workspace's test scripts, found {}", sources.len());
    for (file, p) in &sources {
        let bytes = dump(p, false);
        let back = undump(&bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(back == *p, "{}: the undumped function differs", file.display());
        assert_eq!(dump(&back, false), bytes, "{}", file.display());
        let small = dump(p, true);
        assert!(small.len() < bytes.len(), "{}", file.display());
        let back = undump(&small).unwrap_or_else(|e| panic!("{} (stripped): {e}", file.display()));
        assert!(back == stripped(p), "{}: the stripped function differs", file.display());
        rivet_lang::vm::load::verify(&back).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}

#[test]
fn float_constants_keep_their_bits() {
    let mut p = compile("return 1.5");
    let specials =
        [f64::NAN, -f64::NAN, f64::from_bits(0x7ff8_dead_beef_0001), -0.0, 0.0, f64::INFINITY, f64::MIN_POSITIVE / 4.0];
    p.constants.extend(specials.iter().map(|&x| Constant::Float(x)));
    p.constants.push(Constant::Str((0..=255u8).cycle().take(100_000).collect()));
    p.constants.extend([
        Constant::Nil,
        Constant::Bool(true),
        Constant::Bool(false),
        Constant::Int(i64::MIN),
        Constant::Int(-1),
    ]);
    let back = undump(&dump(&p, false)).unwrap();
    assert_eq!(back.constants.len(), p.constants.len());
    for (a, b) in p.constants.iter().zip(&back.constants) {
        match (a, b) {
            (Constant::Float(x), Constant::Float(y)) => assert_eq!(x.to_bits(), y.to_bits()),
            _ => assert_eq!(a, b),
        }
    }
}

fn run(lua: &mut Lua, f: Value, args: &[Value]) -> Vec<String> {
    let r = lua.call_function(f, args).unwrap_or_else(|e| panic!("{:?}", e.value));
    r.iter().map(|v| display(lua, *v)).collect()
}

fn display(lua: &mut Lua, v: Value) -> String {
    match v {
        Value::Table(_) | Value::LuaFn(_) | Value::NativeFn(_) => v.type_name().to_string(),
        v => match lua.tostring(v) {
            Ok(Value::Str(s)) => s.to_str_lossy().into_owned(),
            _ => "?".into(),
        },
    }
}

#[test]
fn loaded_functions_behave_like_the_originals() {
    // No standard library here: only the language.
    let src = "local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
        local t = {}
        for i = 1, 10 do t[#t + 1] = fib(i) end
        local function iter(t, i) i = i + 1 if t[i] then return i, t[i] end end
        local s = ''
        for _, v in iter, t, 0 do s = s .. v .. ',' end
        return s, #{...}, ..., 0/0 ~= 0/0, 1/(-0.0), 'x' .. 2^63";
    let mut lua = Lua::new();
    let original = lua.load_text(src.as_bytes(), "=fib").unwrap();
    let binary = lua.load_binary(&dump(&compile_source(src.as_bytes(), "=fib").unwrap(), false), "=fib", None).unwrap();
    let args = [Value::Int(7), Value::Float(2.5)];
    let want = run(&mut lua, original, &args);
    assert_eq!(want[0], "1,1,2,3,5,8,13,21,34,55,");
    assert_eq!(run(&mut lua, binary, &args), want);
    let stripped = lua.load_binary(&dump(&compile_source(src.as_bytes(), "=fib").unwrap(), true), "=s", None).unwrap();
    assert_eq!(run(&mut lua, stripped, &args), want);
}

#[test]
fn errors_name_the_chunk_and_the_line_or_not() {
    let src = "local t = nil\nreturn t.x";
    let mut lua = Lua::new();
    let full = lua.load_binary(&dump(&compile(src), false), "ignored", None).unwrap();
    let e = lua.call_function(full, &[]).unwrap_err();
    // The chunk keeps the name it was compiled with, not the one given to load.
    assert_eq!(display(&mut lua, e.value), "sample:2: attempt to index a nil value (local 't')");
    let bare = lua.load_binary(&dump(&compile(src), true), "ignored", None).unwrap();
    let e = lua.call_function(bare, &[]).unwrap_err();
    assert_eq!(display(&mut lua, e.value), "?:-1: attempt to index a nil value");
}

#[test]
fn foreign_and_damaged_headers_are_refused_with_a_reason() {
    // `luac5.4 -s` of "return 1" (Lua 5.4.4 and 5.4.8 write the same bytes).
    const LUAC54: &[u8] = &[
        0x1b, 0x4c, 0x75, 0x61, 0x54, 0x00, 0x19, 0x93, 0x0d, 0x0a, 0x1a, 0x0a, 0x04, 0x08, 0x08, 0x78, 0x56, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x77, 0x40, 0x01, 0x80, 0x80, 0x80, 0x00,
        0x01, 0x02, 0x84, 0x51, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x80, 0x46, 0x00, 0x02, 0x01, 0x46, 0x00, 0x01,
        0x01, 0x80, 0x81, 0x01, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80,
    ];
    // `luajit -b` of "return 1".
    const LUAJIT: &[u8] = &[
        0x1b, 0x4c, 0x4a, 0x02, 0x0a, 0x0f, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x29, 0x00, 0x01, 0x00, 0x4c,
        0x00, 0x02, 0x00, 0x00,
    ];
    assert_eq!(undump(LUAC54), Err(UndumpError::ReferenceLua));
    assert_eq!(undump(LUAJIT), Err(UndumpError::LuaJit));
    assert_eq!(undump(b"\x1bLua\x53\x00"), Err(UndumpError::LuaVersion(0x53)));
    assert_eq!(undump(b"\x1b"), Err(UndumpError::Truncated));
    assert_eq!(undump(b"\x1bLux"), Err(UndumpError::NotBinary));

    let good = dump(&compile("return 1"), false);
    let patched = |at: usize, b: u8| {
        let mut v = good.clone();
        v[at] = b;
        undump(&v)
    };
    // The header begins byte for byte as the reference Lua 5.4's (its own tests check it).
    assert_eq!(good[..31], LUAC54[..31]);
    assert_eq!(patched(5, 7), Err(UndumpError::UnknownFormat(7)));
    assert_eq!(patched(8, b'\n'), Err(UndumpError::TextConversion));
    assert_eq!(patched(12, 8), Err(UndumpError::SizeMismatch("Instruction")));
    assert_eq!(patched(13, 4), Err(UndumpError::SizeMismatch("lua_Integer")));
    assert_eq!(patched(14, 4), Err(UndumpError::SizeMismatch("lua_Number")));
    assert_eq!(patched(15, 0x79), Err(UndumpError::IntegerFormat));
    assert_eq!(patched(23, 1), Err(UndumpError::FloatFormat));
    assert_eq!(patched(31, b'R'), Err(UndumpError::ReferenceLua));
    assert_eq!(patched(36, 99), Err(UndumpError::RivetVersion(99)));
    assert_eq!(patched(37, good[37] ^ 1), Err(UndumpError::InstructionSet));
    let mut extra = good.clone();
    extra.push(0);
    assert!(matches!(undump(&extra), Err(UndumpError::Corrupted(_))));

    let mut lua = Lua::new();
    let e = lua.load_binary(LUAC54, "=luac.out", None).unwrap_err();
    let text = display(&mut lua, e.value);
    assert!(text.starts_with("luac.out: bad binary format (a chunk precompiled by the reference Lua"), "{text}");
    let e = lua.load_binary(b"\x1bLua", "\x1bLua", None).unwrap_err();
    assert_eq!(display(&mut lua, e.value), "binary string: bad binary format (truncated chunk)");
}

#[test]
fn truncation_at_every_byte_is_an_error() {
    let mut lua = Lua::new();
    for src in SAMPLES {
        for strip in [false, true] {
            let bytes = dump(&compile(src), strip);
            for len in 0..bytes.len() {
                assert!(undump(&bytes[..len]).is_err(), "{src}: accepted {len} of {} bytes", bytes.len());
                assert!(lua.load_binary(&bytes[..len], "=t", None).is_err());
            }
        }
    }
}

/// xorshift64*: a fixed, reproducible sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Sets the runtime's interrupt flag every millisecond while alive, so that a corrupted
/// function that loops forever stops with "interrupted!".
struct Watchdog {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start(flag: Arc<AtomicBool>) -> Watchdog {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                flag.store(true, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        Watchdog { stop, thread: Some(thread) }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn random_bit_flips_never_panic() {
    let programs: Vec<Vec<u8>> =
        SAMPLES.iter().flat_map(|src| [dump(&compile(src), false), dump(&compile(src), true)]).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut lua = Lua::new();
    let _watchdog = Watchdog::start(lua.interrupt_handle());
    let (mut loaded, mut ran) = (0, 0);
    for round in 0..30_000 {
        let mut bytes = programs[round % programs.len()].clone();
        // Keep the header intact most of the time, so the flips reach the code.
        let from = if rng.below(8) == 0 { 0 } else { 41.min(bytes.len() - 1) };
        for _ in 0..1 + rng.below(3) {
            let at = from + rng.below(bytes.len() - from);
            bytes[at] ^= 1 << rng.below(8);
        }
        if undump(&bytes).is_err() {
            continue;
        }
        let Ok(f) = lua.load_binary(&bytes, "=fuzz", None) else { continue };
        loaded += 1;
        // Whatever it does, it must end in results or a Lua error.
        if lua.call_function(f, &[Value::Int(3), Value::Int(4)]).is_ok() {
            ran += 1;
        }
    }
    assert!(loaded > 1000, "only {loaded} corrupted chunks passed the verifier: the flips hardly reach the code");
    assert!(ran > 100, "{ran}");
}
