//! Round trips through rivet's call stubs into compiled C: generate the fixtures of the matrix
//! for one convention, compile them, call every function through a stub with generated
//! arguments, and compare the hash the function computed and the result it built with what
//! the test computes from the same values.

pub mod cgen;
pub mod dylib;
pub mod leaves;
pub mod matrix;
pub mod values;

use rivet_ffi::abi::{self, Pass};
use rivet_ffi::ctype::{FloatKind, ParamAttr};
use rivet_ffi::jit::{AlignedBuf, StubCache};
use rivet_ffi::{CType, CTypeTable, Decl};

use leaves::{leaves, TARGET};
use matrix::{Conv, Sig};
use values::{expected_bytes, generate, load, mix, promoted_hash_words, store, Rng, SEED};

/// What a run checked.
#[derive(Debug)]
pub struct Outcome {
    pub functions: usize,
    pub calls: usize,
    pub scalars_checked: usize,
    pub stubs: usize,
}

/// Calls every function of the matrix for `conv`, compiled by `compiler`, `rounds` times with
/// different values each; panics with every mismatch.
pub fn run(conv: Conv, compiler: &str, rounds: u64) -> Outcome {
    let mut sigs = matrix::signatures(conv);
    let mut types = CTypeTable::new(TARGET);
    types.cdef(&cgen::type_definitions()).unwrap();
    let by_reference: std::collections::HashSet<String> = matrix::all_types()
        .into_iter()
        .filter(|t| {
            let ty = types.parse_type(t, &[]).unwrap();
            !matches!(types.layout(ty, TARGET).unwrap().size, 1 | 2 | 4 | 8) || t == "long double"
        })
        .collect();
    let by_reference = |t: &str| by_reference.contains(t);
    let mut gaps: Vec<(&str, usize)> = Vec::new();
    sigs.retain(|sig| match matrix::compiler_gap(conv, compiler, sig, by_reference) {
        Some(reason) => {
            match gaps.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => gaps.push((reason, 1)),
            }
            false
        }
        None => true,
    });
    for (reason, n) in &gaps {
        eprintln!("{conv:?} ({compiler}): {n} signatures left out: {reason}");
    }
    let mut types = CTypeTable::new(TARGET);
    types.cdef(&cgen::cdef(conv, &sigs)).unwrap_or_else(|e| panic!("rivet rejects the fixture declarations: {e}"));
    let source = cgen::source(conv, &sigs, &mut types);
    // Clang 14's optimizer breaks swiftcall functions taking structs it lowers to an integer
    // wider than the struct ({ char a[3]; } as i32: the callee reads zeros at -O1 and above,
    // even when called from Clang-compiled code); its -O0 code follows the convention.
    // GCC's -O0 code is as good an oracle and compiles several times faster; Clang's -O1 code
    // relies on the caller extending small integers, which is worth checking.
    let opt = if conv == Conv::Swift || compiler == "gcc" { "-O0" } else { "-O1" };
    let lib = dylib::build(compiler, opt, &format!("{conv:?}-{compiler}").to_lowercase(), &source);

    let mut cache = StubCache::new();
    let mut failures = Vec::new();
    let mut outcome = Outcome { functions: sigs.len(), calls: 0, scalars_checked: 0, stubs: 0 };
    for (i, sig) in sigs.iter().enumerate() {
        for round in 0..rounds {
            if let Err(message) = call_one(&mut types, &mut cache, &lib, conv, i, sig, round, &mut outcome) {
                failures.push(format!("{}: {message}", cgen::prototype(conv, i, sig)));
                break;
            }
            outcome.calls += 1;
        }
    }
    outcome.stubs = cache.len();
    errno_is_captured(&mut types, &mut cache, &lib);
    assert!(
        failures.is_empty(),
        "{} of {} functions failed ({compiler}, {conv:?}):\n{}",
        failures.len(),
        sigs.len(),
        failures.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
    );
    outcome
}

#[allow(clippy::too_many_arguments)]
fn call_one(
    types: &mut CTypeTable,
    cache: &mut StubCache,
    lib: &dylib::Library,
    conv: Conv,
    i: usize,
    sig: &Sig,
    round: u64,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let name = cgen::name(i);
    let Some(Decl::Function(f)) = types.lookup(&name).cloned() else { return Err("not declared".into()) };
    let varargs: Vec<_> = sig.varargs.iter().flatten().map(|t| types.parse_type(t, &[]).unwrap()).collect();
    let plan = abi::plan_call(types, f.ty, &varargs, None, TARGET).map_err(|e| format!("no plan: {e}"))?;
    let rendered = abi::render(&plan, types, &f.param_names);
    let stub = cache.stub(&plan).map_err(|e| format!("no stub: {e}"))?;
    let block = stub.block().clone();

    let mut args = AlignedBuf::for_args(&block);
    args.bytes_mut().fill(0xa5);
    let mut ret = AlignedBuf::for_result(&block);
    ret.bytes_mut().fill(0x5a);
    let mut rng = Rng((i as u64) << 8 | round);
    let mut h = SEED;
    // Buffers the arguments point to: the swift_indirect_result target, the error slot.
    let mut indirect = None;
    let mut error_slot = Box::new(0u64);
    for (k, arg) in plan.args.iter().enumerate() {
        let base = block.offsets[k] as usize;
        match arg.attr {
            ParamAttr::SwiftIndirectResult => {
                let layout = types.layout(arg.ty, TARGET).unwrap();
                let target_ty = match types.get(arg.ty) {
                    CType::Pointer(t) => *t,
                    other => return Err(format!("indirect result of {other:?}")),
                };
                let t_layout = types.layout(target_ty, TARGET).unwrap();
                let mut buf = AlignedBuf::new(t_layout.size as usize, t_layout.align.max(16) as usize);
                let ptr = buf.as_mut_ptr() as u64;
                args.bytes_mut()[base..base + layout.size as usize].copy_from_slice(&ptr.to_le_bytes());
                indirect = Some((target_ty, buf));
                continue;
            }
            ParamAttr::SwiftErrorResult => {
                *error_slot = rng.next();
                h = mix(h, *error_slot);
                outcome.scalars_checked += 2;
                let ptr = &mut *error_slot as *mut u64 as u64;
                args.bytes_mut()[base..base + 8].copy_from_slice(&ptr.to_le_bytes());
                continue;
            }
            _ => {}
        }
        // A variadic float is read as the double it is promoted to (a float inside a struct
        // is not promoted).
        let promoted = arg.variadic && types.get(types.unqualified(arg.ty).0) == &CType::Float(FloatKind::Float);
        for leaf in leaves(types, arg.ty) {
            outcome.scalars_checked += 1;
            let scalar = generate(leaf.kind, &mut rng);
            store(args.bytes_mut(), base, &leaf, &scalar);
            let words = if promoted { promoted_hash_words(leaf.kind, &scalar) } else { scalar.hash_words.clone() };
            for w in words {
                h = mix(h, w);
            }
        }
        debug_assert!(!matches!(arg.pass, Pass::InOutRegister { .. }));
    }

    let fnptr = lib.symbol(&name);
    if std::env::var_os("RIVET_TRACE_NATIVE").is_some() {
        eprintln!("{}\n{rendered}", cgen::prototype(conv, i, sig));
    }
    // SAFETY: `fnptr` is the fixture compiled from the prototype rivet planned the call from;
    // every pointer argument points to a live buffer or is never dereferenced by the fixture
    // (which only hashes pointer values).
    unsafe { stub.call(fnptr, &mut args, &mut ret) };

    let context = || format!("round {round}\n{rendered}");
    let got = lib.last_hash();
    if got != h {
        return Err(format!("arguments hash {got:#x}, expected {h:#x}\n{}", context()));
    }
    let mut g = Rng(h);
    if let Some((ty, buf)) = &indirect {
        for leaf in leaves(types, *ty) {
            let expected = generate(leaf.kind, &mut g);
            if load(buf.bytes(), 0, &leaf, &expected) != expected_bytes(&leaf, &expected) {
                return Err(format!("indirect result member {} differs\n{}", leaf.expr("res"), context()));
            }
            outcome.scalars_checked += 1;
        }
    }
    if sig.swift.error && *error_slot != h.wrapping_mul(3).wrapping_add(1) {
        return Err(format!("error slot holds {:#x}\n{}", *error_slot, context()));
    }
    if sig.ret != "void" {
        for leaf in leaves(types, plan.ret_ty) {
            let expected = generate(leaf.kind, &mut g);
            let actual = load(ret.bytes(), 0, &leaf, &expected);
            if actual != expected_bytes(&leaf, &expected) {
                return Err(format!(
                    "result member {} is {:02x?}, expected {:02x?}\n{}",
                    leaf.expr("r"),
                    actual,
                    expected_bytes(&leaf, &expected),
                    context()
                ));
            }
            outcome.scalars_checked += 1;
        }
    }
    Ok(())
}

/// `errno` set by the C function is what the stub reports.
fn errno_is_captured(types: &mut CTypeTable, cache: &mut StubCache, lib: &dylib::Library) {
    let Some(Decl::Function(f)) = types.lookup("rivet_set_errno").cloned() else { panic!("rivet_set_errno") };
    let plan = abi::plan_call(types, f.ty, &[], None, TARGET).unwrap();
    let stub = cache.stub(&plan).unwrap();
    for v in [34i32, 0, 2] {
        let mut args = AlignedBuf::for_args(stub.block());
        let mut ret = AlignedBuf::for_result(stub.block());
        args.bytes_mut()[..4].copy_from_slice(&v.to_le_bytes());
        // SAFETY: rivet_set_errno is `int (int)` as declared.
        let errno = unsafe { stub.call(lib.symbol("rivet_set_errno"), &mut args, &mut ret) };
        assert_eq!(errno, v);
    }
}
