//! Real calls of rivet's callback trampolines from C compiled by gcc and clang, for each calling
//! convention: for every non-variadic signature of the call matrix (`native_support/matrix.rs`)
//! a C function `cbfxN(f, seed)` builds arguments from `seed`, calls the trampoline `f`, and
//! checks on the C side the result (and Swift's indirect result and error slot) it gets back.
//! The Rust dispatcher checks every byte of every argument it received against the same
//! generator and builds the result from the hash of the arguments, as the call fixtures do.
//! Plus: 10,000 live trampolines, free and reuse, nested and recursive callbacks, and calls
//! of freed trampolines (the freed handler, and the default abort in a child process).

#[allow(dead_code)]
mod native_support;

use std::cell::RefCell;
use std::ffi::c_void;
use std::fmt::Write;

use native_support::leaves::{leaves, TARGET};
use native_support::matrix::{self, Conv, Sig};
use native_support::values::{expected_bytes, generate, load, mix, store, Rng, SEED};
use native_support::{cgen, dylib};
use rivet_ffi::abi::{self, CallPlan};
use rivet_ffi::ctype::ParamAttr;
use rivet_ffi::jit::{ArgBlock, TrampolinePool};
use rivet_ffi::{CType, CTypeTable, Decl};

/// The C function calling callback `i` with arguments built from `seed`; returns 1 when
/// everything the callback gave back is right, 0 otherwise.
fn caller_source(conv: Conv, i: usize, sig: &Sig, types: &mut CTypeTable) -> String {
    let name = cgen::name(i);
    let proto = cgen::prototype(conv, i, sig);
    // Clang takes Swift's parameter attributes only once the function type is swiftcall, so
    // that attribute comes after the parameter list there.
    let typedef = match conv {
        Conv::Swift => format!(
            "{} {}",
            proto.replacen(&format!("{}{name}(", conv.attribute()), &format!("(*cbt{i})("), 1),
            conv.attribute().trim()
        ),
        _ => proto.replacen(&format!("{}{name}(", conv.attribute()), &format!("({}*cbt{i})(", conv.attribute()), 1),
    };
    let mut c = format!("typedef {typedef};\nint cb{name}(cbt{i} f, uint64_t seed) {{\n    uint64_t g = seed, h = RV_SEED, e;\n    int ok = 1;\n");
    let mut call_args = Vec::new();
    if let Some(t) = &sig.swift.indirect {
        let _ = writeln!(
            c,
            "    {t} res;\n    {t} x_res;\n    memset(&res, 0, sizeof res);\n    memset(&x_res, 0, sizeof x_res);"
        );
        call_args.push("&res".to_string());
    }
    for (j, p) in sig.params.iter().enumerate() {
        let _ = writeln!(c, "    {p} a{j};\n    memset(&a{j}, 0, sizeof a{j});");
        let ty = types.parse_type(p, &[]).unwrap();
        for leaf in leaves(types, ty) {
            let _ = writeln!(c, "    {}", build_stmt(&leaf, &format!("a{j}")));
            let _ = writeln!(c, "    {}", hash_stmt(&leaf, &format!("a{j}")));
        }
        call_args.push(format!("a{j}"));
    }
    if sig.swift.context {
        c.push_str("    void *ctx = (void *)(uintptr_t)rv_next(&g);\n    H_PTR(h, ctx);\n");
        call_args.push("ctx".into());
    }
    if sig.swift.error {
        c.push_str("    void *errv = (void *)(uintptr_t)rv_next(&g);\n    H_PTR(h, errv);\n");
        call_args.push("&errv".into());
    }
    let call = format!("f({})", call_args.join(", "));
    if sig.ret == "void" {
        let _ = writeln!(c, "    {call};");
    } else {
        let _ = writeln!(c, "    {0} r = {call};\n    {0} x_r;\n    memset(&x_r, 0, sizeof x_r);", sig.ret);
    }
    c.push_str("    g = h;\n");
    // Compare what came back with what the generator gives, scalar by scalar.
    let mut compare = |c: &mut String, ty_text: &str, got: &str, want: &str| {
        let ty = types.parse_type(ty_text, &[]).unwrap();
        for leaf in leaves(types, ty) {
            let _ = writeln!(c, "    {}", build_stmt(&leaf, want));
            let _ = writeln!(
                c,
                "    {{ uint64_t p_ = 0, q_ = 0; {} {} if (p_ != q_) ok = 0; }}",
                hash_stmt(&leaf, got).replace("(h,", "(p_,"),
                hash_stmt(&leaf, want).replace("(h,", "(q_,")
            );
        }
    };
    if let Some(t) = &sig.swift.indirect {
        compare(&mut c, t, "res", "x_res");
    }
    if sig.swift.error {
        c.push_str("    if ((uint64_t)(uintptr_t)errv != h * 3 + 1) ok = 0;\n");
    }
    if sig.ret != "void" {
        compare(&mut c, &sig.ret, "r", "x_r");
    }
    c.push_str("    (void)e;\n    return ok;\n}\n");
    c
}

fn hash_stmt(leaf: &native_support::leaves::Leaf, value: &str) -> String {
    use native_support::leaves::Kind;
    let e = leaf.expr(value);
    match leaf.kind {
        Kind::Int { signed: true, .. } | Kind::Bits { signed: true, .. } => format!("H_INT(h, {e});"),
        Kind::Int { signed: false, .. } | Kind::Bits { signed: false, .. } | Kind::Bool => format!("H_UINT(h, {e});"),
        Kind::Ptr => format!("H_PTR(h, {e});"),
        Kind::F32 => format!("H_F32(h, {e});"),
        Kind::F64 => format!("H_F64(h, {e});"),
        Kind::F80 => format!("H_F80(h, {e});"),
        Kind::F128 => format!("H_F128(h, {e});"),
    }
}

fn build_stmt(leaf: &native_support::leaves::Leaf, value: &str) -> String {
    use native_support::leaves::Kind;
    let e = leaf.expr(value);
    match leaf.kind {
        Kind::Int { .. } => format!("B_INT(g, {e});"),
        Kind::Bool => format!("B_BOOL(g, {e});"),
        Kind::Ptr => format!("B_PTR(g, {e});"),
        Kind::F32 => format!("B_F32(g, {e});"),
        Kind::F64 => format!("B_F64(g, {e});"),
        Kind::F80 => format!("B_F80(g, {e});"),
        Kind::F128 => format!("B_F128(g, {e});"),
        Kind::Bits { width, .. } => format!("B_BITS(g, {e}, {width});"),
    }
}

/// What the dispatcher of one matrix call knows, and what it found.
struct Case<'a> {
    types: &'a CTypeTable,
    plan: &'a CallPlan,
    block: &'a ArgBlock,
    ret_ty_void: bool,
    seed: u64,
    scalars: usize,
    failure: Option<String>,
}

unsafe extern "C" fn matrix_dispatcher(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
    // SAFETY: the context is the `RefCell<Case>` the test passes, alive for the call.
    let cell = unsafe { &*(ctx as *const RefCell<Case>) };
    let mut case = cell.borrow_mut();
    // SAFETY: the trampoline hands over a block of `block.size` bytes.
    let block = unsafe { std::slice::from_raw_parts(args, case.block.size as usize) };
    if let Err(message) = check_and_answer(&mut case, block, ret) {
        case.failure = Some(message);
    }
}

fn check_and_answer(case: &mut Case, block: &[u8], ret: *mut u8) -> Result<(), String> {
    let types = case.types;
    let mut g = Rng(case.seed);
    let mut h = SEED;
    let mut indirect = None;
    let mut error_slot: Option<*mut u64> = None;
    let mut context_seen = None;
    for (k, arg) in case.plan.args.iter().enumerate() {
        let base = case.block.offsets[k] as usize;
        let word = block.get(base..base + 8).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap()));
        match arg.attr {
            ParamAttr::SwiftIndirectResult => {
                let CType::Pointer(t) = types.get(arg.ty) else { return Err("indirect result type".into()) };
                indirect = Some((*t, word as *mut u8));
                continue;
            }
            ParamAttr::SwiftContext => {
                context_seen = Some(word);
                continue;
            }
            ParamAttr::SwiftErrorResult => {
                error_slot = Some(word as *mut u64);
                continue;
            }
            _ => {}
        }
        for leaf in leaves(types, arg.ty) {
            let expected = generate(leaf.kind, &mut g);
            let got = load(block, base, &leaf, &expected);
            if got != expected_bytes(&leaf, &expected) {
                return Err(format!(
                    "argument {k} member {} is {got:02x?}, expected {:02x?}",
                    leaf.expr("a"),
                    expected_bytes(&leaf, &expected)
                ));
            }
            case.scalars += 1;
            for w in expected.hash_words {
                h = mix(h, w);
            }
        }
    }
    if let Some(got) = context_seen {
        let want = g.next();
        if got != want {
            return Err(format!("swift context {got:#x}, expected {want:#x}"));
        }
        h = mix(h, want);
        case.scalars += 1;
    }
    if let Some(slot) = error_slot {
        let want = g.next();
        // SAFETY: the trampoline passes the address of its error slot.
        let got = unsafe { *slot };
        if got != want {
            return Err(format!("swift error register {got:#x}, expected {want:#x}"));
        }
        h = mix(h, want);
        // SAFETY: as above.
        unsafe { *slot = h.wrapping_mul(3).wrapping_add(1) };
        case.scalars += 1;
    }
    let mut g = Rng(h);
    if let Some((ty, ptr)) = indirect {
        let size = types.layout(ty, TARGET).unwrap().size as usize;
        // SAFETY: the C caller passes a pointer to its own result variable of that type.
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr, size) };
        for leaf in leaves(types, ty) {
            store(buf, 0, &leaf, &generate(leaf.kind, &mut g));
        }
    }
    if !case.ret_ty_void {
        let ty = case.plan.ret_ty;
        let size = types.layout(ty, TARGET).unwrap().size as usize;
        // SAFETY: `ret` is the result buffer (or the hidden result pointer), at least the
        // result's size.
        let buf = unsafe { std::slice::from_raw_parts_mut(ret, size) };
        for leaf in leaves(types, ty) {
            store(buf, 0, &leaf, &generate(leaf.kind, &mut g));
        }
    }
    Ok(())
}

fn check(conv: Conv, compiler: &str) {
    let mut sigs: Vec<Sig> = matrix::signatures(conv).into_iter().filter(|s| s.varargs.is_none()).collect();
    let mut types = CTypeTable::new(TARGET);
    types.cdef(&cgen::type_definitions()).unwrap();
    let by_reference: std::collections::HashSet<String> = matrix::all_types()
        .into_iter()
        .filter(|t| {
            let ty = types.parse_type(t, &[]).unwrap();
            !matches!(types.layout(ty, TARGET).unwrap().size, 1 | 2 | 4 | 8) || t == "long double"
        })
        .collect();
    sigs.retain(|sig| matrix::compiler_gap(conv, compiler, sig, |t| by_reference.contains(t)).is_none());
    let mut types = CTypeTable::new(TARGET);
    types.cdef(&cgen::cdef(conv, &sigs)).unwrap();
    let mut source = String::from("#include \"fixture.h\"\n");
    source.push_str(&cgen::type_definitions());
    source.push_str("uint64_t rivet_fixture_hash;\n");
    for (i, sig) in sigs.iter().enumerate() {
        source.push_str(&caller_source(conv, i, sig, &mut types));
    }
    let opt = if conv == Conv::Swift || compiler == "gcc" { "-O0" } else { "-O1" };
    let lib = dylib::build(compiler, opt, &format!("cb-{conv:?}-{compiler}").to_lowercase(), &source);

    let mut pool = TrampolinePool::new();
    let mut failures = Vec::new();
    let (mut calls, mut scalars) = (0, 0);
    for (i, sig) in sigs.iter().enumerate() {
        let name = cgen::name(i);
        let Some(Decl::Function(f)) = types.lookup(&name).cloned() else { panic!("{name} not declared") };
        let plan = abi::plan_call(&types, f.ty, &[], None, TARGET).unwrap();
        let block = ArgBlock::of(&plan);
        let caller = lib.symbol(&format!("cb{name}"));
        // SAFETY: cbfxN is `int (void *, uint64_t)` as generated above.
        let caller: extern "C" fn(*const c_void, u64) -> i32 = unsafe { std::mem::transmute(caller) };
        for round in 0..2u64 {
            let seed = (i as u64) << 8 | round;
            let case = RefCell::new(Case {
                types: &types,
                plan: &plan,
                block: &block,
                ret_ty_void: sig.ret == "void",
                seed,
                scalars: 0,
                failure: None,
            });
            let cb = pool
                .create(&plan, matrix_dispatcher, &case as *const RefCell<Case> as *mut c_void)
                .unwrap_or_else(|e| panic!("{}: {e}", cgen::prototype(conv, i, sig)));
            let ok = caller(cb.entry(), seed);
            pool.free(cb.slot());
            let case = case.into_inner();
            let rendered = || abi::render(&plan, &types, &f.param_names);
            if let Some(message) = case.failure {
                failures.push(format!("{}: {message}\n{}", cgen::prototype(conv, i, sig), rendered()));
                break;
            }
            if ok != 1 {
                failures.push(format!("{}: C saw a wrong result\n{}", cgen::prototype(conv, i, sig), rendered()));
                break;
            }
            calls += 1;
            scalars += case.scalars;
        }
    }
    eprintln!(
        "{conv:?} ({compiler}): {} signatures, {calls} callbacks, {scalars} argument scalars checked in Rust, {} trampoline bodies",
        sigs.len(),
        pool.bodies()
    );
    assert!(
        failures.is_empty(),
        "{} of {} callbacks failed:\n{}",
        failures.len(),
        sigs.len(),
        failures.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(sigs.len() >= 250 && pool.bodies() > 50, "too little was checked");
}

#[test]
fn sysv_callbacks_from_gcc() {
    check(Conv::Sysv, "gcc");
}

#[test]
fn sysv_callbacks_from_clang() {
    check(Conv::Sysv, "clang");
}

#[test]
fn ms_abi_callbacks_from_gcc() {
    check(Conv::MsAbi, "gcc");
}

#[test]
fn ms_abi_callbacks_from_clang() {
    check(Conv::MsAbi, "clang");
}

#[test]
fn swiftcall_callbacks_from_clang() {
    check(Conv::Swift, "clang");
}

/// A C library calling `int (*)(int)` callbacks, and the plan of that type.
struct IntCallbacks {
    lib: dylib::Library,
    plan: CallPlan,
    call: extern "C" fn(*const c_void, i32) -> i32,
}

fn int_callbacks(name: &str) -> IntCallbacks {
    let source = "#include <stdint.h>\nint rv_call_int(int (*f)(int), int x) { return f(x); }\n";
    let lib = dylib::build("gcc", "-O1", name, source);
    let mut types = CTypeTable::new(TARGET);
    let ty = types.parse_type("int (*)(int)", &[]).unwrap();
    let plan = abi::plan_call(&types, ty, &[], None, TARGET).unwrap();
    // SAFETY: rv_call_int is `int (int (*)(int), int)`.
    let call = unsafe {
        std::mem::transmute::<*const c_void, extern "C" fn(*const c_void, i32) -> i32>(lib.symbol("rv_call_int"))
    };
    IntCallbacks { lib, plan, call }
}

/// Returns its argument plus the context (a number).
unsafe extern "C" fn add_context(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
    // SAFETY: the plan is `int (*)(int)`: an int at offset 0, an int result.
    unsafe { *(ret as *mut i32) = *(args as *const i32) + ctx as usize as i32 };
}

#[test]
fn ten_thousand_live_trampolines_then_free_and_reuse() {
    let c = int_callbacks("cb-many");
    let mut pool = TrampolinePool::new();
    let cbs: Vec<_> = (0..10_000).map(|i| pool.create(&c.plan, add_context, i as *mut c_void).unwrap()).collect();
    assert_eq!((pool.live(), pool.bodies()), (10_000, 1));
    let capacity = pool.capacity();
    for (i, cb) in cbs.iter().enumerate() {
        assert_eq!((c.call)(cb.entry(), 7), 7 + i as i32);
    }
    // Free every other one; new trampolines take the freed slots, no new memory.
    for cb in cbs.iter().step_by(2) {
        assert!(pool.free(cb.slot()));
    }
    assert_eq!(pool.live(), 5_000);
    let again: Vec<_> =
        (0..5_000).map(|i| pool.create(&c.plan, add_context, (100_000 + i) as *mut c_void).unwrap()).collect();
    assert_eq!((pool.live(), pool.capacity()), (10_000, capacity));
    let mut reused: Vec<u32> = again.iter().map(|cb| cb.slot()).collect();
    reused.sort();
    assert_eq!(reused, cbs.iter().step_by(2).map(|cb| cb.slot()).collect::<Vec<_>>());
    for (i, cb) in again.iter().enumerate() {
        assert_eq!((c.call)(cb.entry(), 1), 100_001 + i as i32);
    }
    for cb in cbs.iter().skip(1).step_by(2) {
        assert_eq!((c.call)(cb.entry(), 0), cb.slot() as i32, "untouched trampolines keep their context");
    }
    drop(c.lib);
}

/// What the nested test's dispatcher needs: the C caller and the trampolines.
struct Nest {
    call: extern "C" fn(*const c_void, i32) -> i32,
    outer: *const c_void,
    inner: *const c_void,
}

/// outer(n) = n == 0 ? inner(100) : outer(n - 1) + n, each call going through C.
unsafe extern "C" fn nested(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
    // SAFETY: the context is the test's `Nest`; the plan is `int (*)(int)`.
    unsafe {
        let nest = &*(ctx as *const Nest);
        let n = *(args as *const i32);
        let r = if n == 0 { (nest.call)(nest.inner, 100) } else { (nest.call)(nest.outer, n - 1) + n };
        *(ret as *mut i32) = r;
    }
}

#[test]
fn nested_and_recursive_callbacks() {
    let c = int_callbacks("cb-nested");
    let mut pool = TrampolinePool::new();
    let inner = pool.create(&c.plan, add_context, 5 as *mut c_void).unwrap();
    let mut nest = Box::new(Nest { call: c.call, outer: std::ptr::null(), inner: inner.entry() });
    let outer = pool.create(&c.plan, nested, &mut *nest as *mut Nest as *mut c_void).unwrap();
    nest.outer = outer.entry();
    // 200 levels of C -> trampoline -> Rust -> C.
    assert_eq!((c.call)(outer.entry(), 200), 105 + 200 * 201 / 2);
}

static FREED_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe extern "C" fn count_freed(ctx: *mut c_void, _args: *mut u8, _ret: *mut u8) {
    assert!(ctx.is_null());
    FREED_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn a_freed_trampoline_reaches_the_freed_handler() {
    let c = int_callbacks("cb-freed");
    let mut pool = TrampolinePool::new();
    pool.set_freed_handler(count_freed);
    let cb = pool.create(&c.plan, add_context, 40 as *mut c_void).unwrap();
    assert_eq!((c.call)(cb.entry(), 2), 42);
    assert!(pool.free(cb.slot()));
    assert_eq!((c.call)(cb.entry(), 2), 0, "the zeroed result");
    assert_eq!(FREED_CALLS.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// Run by `a_freed_trampoline_aborts_by_default` in a child process.
#[test]
#[ignore = "run in a child process by a_freed_trampoline_aborts_by_default"]
fn freed_trampoline_child() {
    let c = int_callbacks("cb-freed-child");
    let mut pool = TrampolinePool::new();
    let cb = pool.create(&c.plan, add_context, 10 as *mut c_void).unwrap();
    assert_eq!((c.call)(cb.entry(), 1), 11);
    pool.free(cb.slot());
    (c.call)(cb.entry(), 1);
    unreachable!("the default freed handler returned");
}

#[test]
fn a_freed_trampoline_aborts_by_default() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "freed_trampoline_child", "--nocapture"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the child survived:\n{stderr}");
    assert!(stderr.contains("rivet: a freed callback was called"), "{stderr}");
    assert!(!stderr.contains("returned"), "{stderr}");
}

/// The owner check of the module documentation: the context records the owning thread.
struct Owned {
    owner: std::thread::ThreadId,
    foreign_calls: std::sync::atomic::AtomicUsize,
}

unsafe extern "C" fn owner_checked(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
    // SAFETY: the context is the test's `Owned`; the plan is `int (*)(int)`.
    let owned = unsafe { &*(ctx as *const Owned) };
    if std::thread::current().id() != owned.owner {
        owned.foreign_calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        return; // the zeroed result
    }
    // SAFETY: as above.
    unsafe { *(ret as *mut i32) = *(args as *const i32) * 2 };
}

#[test]
fn a_dispatcher_can_detect_a_foreign_thread() {
    let c = int_callbacks("cb-thread");
    let mut pool = TrampolinePool::new();
    let owned = Box::new(Owned { owner: std::thread::current().id(), foreign_calls: Default::default() });
    let cb = pool.create(&c.plan, owner_checked, &*owned as *const Owned as *mut c_void).unwrap();
    assert_eq!((c.call)(cb.entry(), 21), 42);
    let (call, entry) = (c.call as usize, cb.entry() as usize);
    let from_thread = std::thread::spawn(move || {
        // SAFETY: `call` is rv_call_int, as above; the trampoline and its context outlive the thread.
        let call = unsafe { std::mem::transmute::<usize, extern "C" fn(*const c_void, i32) -> i32>(call) };
        call(entry as *const c_void, 21)
    })
    .join()
    .unwrap();
    assert_eq!(from_thread, 0);
    assert_eq!(owned.foreign_calls.load(std::sync::atomic::Ordering::SeqCst), 1);
}
