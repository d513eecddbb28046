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
        Kind::Bits { width, .. } => format!("B_BITS(g, {e}, {width});"),
    }
}

/// The helpers of the pool tests.
const HELPERS: &str = "
int rv_call_int(int (*f)(int), int x) { return f(x); }
";

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
