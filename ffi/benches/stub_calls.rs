//! Overhead of a call through a rivet call stub, against a plain C loop calling the same
//! functions through a function pointer (the floor). Not a test: run with
//! `cargo bench -p rivet-ffi --bench stub_calls` (needs gcc).
//!
//! Each stub iteration does what the language binding will do per call: store the arguments
//! in the argument block, call the stub (which captures errno), read the result.

use std::ffi::{c_void, CString};
use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use rivet_ffi::abi::plan_call;
use rivet_ffi::jit::{AlignedBuf, Stub, StubCache};
use rivet_ffi::{CTypeTable, Decl, Target};

const C_SOURCE: &str = r#"
#include <stdint.h>
struct point { double x, y; };
int add(int a, int b) { return a + b; }
double fadd(double a, double b) { return a + b; }
int64_t sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) { return a + b + c + d + e + f; }
struct point translate(struct point p, struct point d) { struct point r = { p.x + d.x, p.y + d.y }; return r; }

/* The floor: the same calls from C, through function pointers the compiler cannot see through. */
int (*volatile add_p)(int, int) = add;
double (*volatile fadd_p)(double, double) = fadd;
int64_t (*volatile sum6_p)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = sum6;
struct point (*volatile translate_p)(struct point, struct point) = translate;
int64_t loop_add(int64_t n) { int64_t s = 0; for (int64_t i = 0; i < n; i++) s += add_p((int)i, 1); return s; }
double loop_fadd(int64_t n) { double s = 0; for (int64_t i = 0; i < n; i++) s += fadd_p((double)i, 1.0); return s; }
int64_t loop_sum6(int64_t n) { int64_t s = 0; for (int64_t i = 0; i < n; i++) s += sum6_p(i, 1, 2, 3, 4, 5); return s; }
double loop_translate(int64_t n) {
    struct point p = { 0, 0 }, d = { 1, 2 };
    for (int64_t i = 0; i < n; i++) p = translate_p(p, d);
    return p.x + p.y;
}
"#;

const CDEF: &str = "struct point { double x, y; };
int add(int a, int b);
double fadd(double a, double b);
int64_t sum6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f);
struct point translate(struct point p, struct point d);";

const N: i64 = 20_000_000;

struct Lib(*mut c_void);

impl Lib {
    fn build() -> Lib {
        let dir = std::env::temp_dir().join(format!("rivet-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = dir.join("bench.c");
        let so = dir.join("libbench.so");
        std::fs::write(&c, C_SOURCE).unwrap();
        let status = Command::new("gcc")
            .args(["-O2", "-shared", "-fPIC", "-o"])
            .arg(&so)
            .arg(&c)
            .status()
            .expect("gcc is needed: apt-get install -y gcc");
        assert!(status.success());
        let path = CString::new(so.to_str().unwrap()).unwrap();
        // SAFETY: a library we just built, defining only plain functions and globals.
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW) };
        assert!(!handle.is_null());
        Lib(handle)
    }

    fn sym(&self, name: &str) -> *const c_void {
        let n = CString::new(name).unwrap();
        // SAFETY: live handle, valid name.
        let p = unsafe { libc::dlsym(self.0, n.as_ptr()) };
        assert!(!p.is_null(), "{name}");
        p
    }
}

/// Best of 5 runs of `body(N)`, in ns per iteration.
fn measure(mut body: impl FnMut(i64)) -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            body(N);
            t.elapsed().as_nanos() as f64 / N as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn stub_for(types: &CTypeTable, cache: &mut StubCache, name: &str) -> Stub {
    let Some(Decl::Function(f)) = types.lookup(name) else { panic!("{name}") };
    let plan = plan_call(types, f.ty, &[], None, Target::X86_64_LINUX).unwrap();
    cache.stub(&plan).unwrap()
}

fn main() {
    let lib = Lib::build();
    let mut types = CTypeTable::new(Target::X86_64_LINUX);
    types.cdef(CDEF).unwrap();
    let mut cache = StubCache::new();
    let mut errno = 0i32;

    let mut rows: Vec<(&str, f64, f64)> = Vec::new();

    // int add(int, int)
    {
        let stub = stub_for(&types, &mut cache, "add");
        let (entry, fnptr) = (stub.entry(), lib.sym("add"));
        let mut args = AlignedBuf::for_args(stub.block());
        let mut ret = AlignedBuf::for_result(stub.block());
        let (o0, o1) = (stub.block().offsets[0] as usize, stub.block().offsets[1] as usize);
        let t = measure(|n| {
            let mut s = 0i64;
            for i in 0..n {
                let a = args.bytes_mut();
                a[o0..o0 + 4].copy_from_slice(&(i as i32).to_ne_bytes());
                a[o1..o1 + 4].copy_from_slice(&1i32.to_ne_bytes());
                // SAFETY: `add` is `int (int, int)`, the plan's signature; buffers from the block.
                unsafe { entry(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), &mut errno) };
                s += i32::from_ne_bytes(ret.bytes()[..4].try_into().unwrap()) as i64;
            }
            black_box(s);
        });
        // SAFETY: loop_add is `int64_t (int64_t)`.
        let floor: extern "C" fn(i64) -> i64 = unsafe { std::mem::transmute(lib.sym("loop_add")) };
        let floor = measure(|n| {
            black_box(floor(n));
        });
        rows.push(("int add(int, int)", t, floor));
        // The same without errno capture (a null errno_out), to show what capturing costs.
        let t = measure(|n| {
            let mut s = 0i64;
            for i in 0..n {
                let a = args.bytes_mut();
                a[o0..o0 + 4].copy_from_slice(&(i as i32).to_ne_bytes());
                a[o1..o1 + 4].copy_from_slice(&1i32.to_ne_bytes());
                // SAFETY: as above; a null errno_out is allowed.
                unsafe { entry(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), std::ptr::null_mut()) };
                s += i32::from_ne_bytes(ret.bytes()[..4].try_into().unwrap()) as i64;
            }
            black_box(s);
        });
        rows.push(("int add(int, int), errno not captured", t, floor));
    }
    // double fadd(double, double)
    {
        let stub = stub_for(&types, &mut cache, "fadd");
        let (entry, fnptr) = (stub.entry(), lib.sym("fadd"));
        let mut args = AlignedBuf::for_args(stub.block());
        let mut ret = AlignedBuf::for_result(stub.block());
        let (o0, o1) = (stub.block().offsets[0] as usize, stub.block().offsets[1] as usize);
        let t = measure(|n| {
            let mut s = 0f64;
            for i in 0..n {
                let a = args.bytes_mut();
                a[o0..o0 + 8].copy_from_slice(&(i as f64).to_ne_bytes());
                a[o1..o1 + 8].copy_from_slice(&1f64.to_ne_bytes());
                // SAFETY: `fadd` is `double (double, double)`.
                unsafe { entry(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), &mut errno) };
                s += f64::from_ne_bytes(ret.bytes()[..8].try_into().unwrap());
            }
            black_box(s);
        });
        // SAFETY: loop_fadd is `double (int64_t)`.
        let floor: extern "C" fn(i64) -> f64 = unsafe { std::mem::transmute(lib.sym("loop_fadd")) };
        rows.push((
            "double fadd(double, double)",
            t,
            measure(|n| {
                black_box(floor(n));
            }),
        ));
    }
    // int64_t sum6(int64_t x 6)
    {
        let stub = stub_for(&types, &mut cache, "sum6");
        let (entry, fnptr) = (stub.entry(), lib.sym("sum6"));
        let mut args = AlignedBuf::for_args(stub.block());
        let mut ret = AlignedBuf::for_result(stub.block());
        let offsets: Vec<usize> = stub.block().offsets.iter().map(|&o| o as usize).collect();
        let t = measure(|n| {
            let mut s = 0i64;
            for i in 0..n {
                let a = args.bytes_mut();
                for (k, &o) in offsets.iter().enumerate() {
                    let v = if k == 0 { i } else { k as i64 };
                    a[o..o + 8].copy_from_slice(&v.to_ne_bytes());
                }
                // SAFETY: `sum6` takes six int64_t and returns one.
                unsafe { entry(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), &mut errno) };
                s += i64::from_ne_bytes(ret.bytes()[..8].try_into().unwrap());
            }
            black_box(s);
        });
        // SAFETY: loop_sum6 is `int64_t (int64_t)`.
        let floor: extern "C" fn(i64) -> i64 = unsafe { std::mem::transmute(lib.sym("loop_sum6")) };
        rows.push((
            "int64_t sum6(int64_t x 6)",
            t,
            measure(|n| {
                black_box(floor(n));
            }),
        ));
    }
    // struct point translate(struct point, struct point)
    {
        let stub = stub_for(&types, &mut cache, "translate");
        let (entry, fnptr) = (stub.entry(), lib.sym("translate"));
        let mut args = AlignedBuf::for_args(stub.block());
        let mut ret = AlignedBuf::for_result(stub.block());
        let (o0, o1) = (stub.block().offsets[0] as usize, stub.block().offsets[1] as usize);
        let t = measure(|n| {
            let mut p = [0u8; 16];
            for _ in 0..n {
                let a = args.bytes_mut();
                a[o0..o0 + 16].copy_from_slice(&p);
                a[o1..o1 + 8].copy_from_slice(&1f64.to_ne_bytes());
                a[o1 + 8..o1 + 16].copy_from_slice(&2f64.to_ne_bytes());
                // SAFETY: `translate` is `struct point (struct point, struct point)`.
                unsafe { entry(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), &mut errno) };
                p.copy_from_slice(&ret.bytes()[..16]);
            }
            black_box(p);
        });
        // SAFETY: loop_translate is `double (int64_t)`.
        let floor: extern "C" fn(i64) -> f64 = unsafe { std::mem::transmute(lib.sym("loop_translate")) };
        rows.push((
            "struct point translate(struct point, struct point)",
            t,
            measure(|n| {
                black_box(floor(n));
            }),
        ));
    }

    // Generating stubs: 400 signatures of distinct shapes, planned and compiled from scratch.
    let mut fresh = StubCache::new();
    let mut sigs = Vec::new();
    for ints in 0..20 {
        for floats in 0..20 {
            let mut params = vec!["long"; ints];
            params.extend(vec!["double"; floats]);
            let params = if params.is_empty() { "void".to_string() } else { params.join(", ") };
            sigs.push(types.parse_type(&format!("long (*)({params})"), &[]).unwrap());
        }
    }
    let t = Instant::now();
    for &f in &sigs {
        let plan = plan_call(&types, f, &[], None, Target::X86_64_LINUX).unwrap();
        black_box(fresh.stub(&plan).unwrap());
    }
    let per_stub = t.elapsed().as_secs_f64() * 1e6 / sigs.len() as f64;
    println!("stub generation: {per_stub:.1} us per new stub (plan, emit, map), {} stubs", fresh.len());

    println!("ns per call, best of 5 runs of {N} calls (stub: store arguments, call, errno, load result)");
    println!("{:<52} {:>8} {:>8} {:>8}", "function", "stub", "C floor", "ratio");
    for (name, stub, floor) in rows {
        println!("{name:<52} {stub:>8.2} {floor:>8.2} {:>8.2}", stub / floor);
    }
    let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("rivet-bench-{}", std::process::id())));
}
