//! rivet's i386 machine code run for real: call stubs and callback trampolines generated for
//! cdecl, stdcall, fastcall and thiscall (i386 System V rules, and the Windows x86 rules as far
//! as `gcc -m32` can express them) run inside one program per rule set compiled with
//! `gcc -m32`, against fixtures compiled by the same compiler.
//!
//! For every signature of the matrix (the types of `native_support/matrix.rs`: scalars of
//! every width, float, double, long double, complex numbers, structs and unions of 1 to 64
//! bytes of every field mix, 0 to 20 arguments, random mixes, varargs):
//! - calls: a C driver builds the arguments from a seed, stores them in the argument block at
//!   the offsets rivet's `ArgBlock` gives, calls the fixture through rivet's stub (the bytes of
//!   `call_stub_code`, mapped executable), and checks the hash of the arguments the fixture
//!   received and every member of the result it returned;
//! - callbacks: a C caller builds the arguments and calls rivet's trampoline (the bytes of
//!   `trampoline_body_code`, entered through the documented thunk) with them as a plain C
//!   function pointer; the trampoline hands the argument block to a C dispatcher which hashes
//!   what it received and builds the result; the caller checks the hash and the result.
//!
//! Everything is checked on the C side; the test fails on any mismatch the program reports.

#[allow(dead_code)]
mod native_support;

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use native_support::cgen::{promoted, type_definitions};
use native_support::leaves::{leaves, Kind, Leaf, TARGET as HOST_TARGET};
use native_support::matrix::all_types;
use native_support::values::Rng;
use rivet_ffi::abi::{self, Abi, CallPlan};
use rivet_ffi::jit::{self, ArgBlock};
use rivet_ffi::{CTypeTable, Decl, Target};

/// One fixture signature.
#[derive(Clone, Debug)]
struct Sig {
    abi: Abi,
    ret: String,
    params: Vec<String>,
    varargs: Option<Vec<String>>,
}

/// A rule set: the target rivet plans for and how gcc is made to follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rules {
    /// i386 System V as GCC implements it on Linux.
    Linux,
    /// The Windows x86 rules gcc can express: small structs returned in registers
    /// (`-freg-struct-return`), the caller popping the hidden result pointer
    /// (`callee_pop_aggregate_return(0)`), 8-byte `long double`, 8-aligned doubles and long
    /// longs in structs, and Microsoft's bit-field layout.
    Windows,
}

impl Rules {
    fn target(self) -> Target {
        match self {
            Rules::Linux => Target::I386_LINUX,
            Rules::Windows => Target::I386_WINDOWS,
        }
    }

    fn flags(self) -> &'static [&'static str] {
        match self {
            Rules::Linux => &[],
            Rules::Windows => &["-freg-struct-return", "-mlong-double-64", "-malign-double", "-mms-bitfields"],
        }
    }

    fn attribute(self, abi: Abi) -> String {
        let conv = match abi {
            Abi::Cdecl => "cdecl",
            Abi::Stdcall => "stdcall",
            Abi::Fastcall => "fastcall",
            Abi::Thiscall => "thiscall",
            other => panic!("not an i386 convention: {other}"),
        };
        let pop = if self == Rules::Windows { ", callee_pop_aggregate_return(0)" } else { "" };
        format!("__attribute__(({conv}{pop}))")
    }
}

const CONVENTIONS: [Abi; 4] = [Abi::Cdecl, Abi::Stdcall, Abi::Fastcall, Abi::Thiscall];

/// Why gcc cannot be the oracle of a signature under `rules`, if it cannot (each reason is
/// printed with the number of signatures it removed).
fn gcc_gap(rules: Rules, sig: &Sig) -> Option<&'static str> {
    if rules != Rules::Windows {
        return None;
    }
    let is_record = |t: &str| t.starts_with("struct") || t.starts_with("union");
    // gcc returns a struct made of one float, double or long double in st(0) even with
    // -freg-struct-return (it has the value's machine mode); Microsoft in eax or edx:eax.
    if ["struct F1", "struct D1", "struct X1"].contains(&sig.ret.as_str()) {
        return Some("gcc returns a struct of one float or double in st(0), Microsoft in eax or edx:eax");
    }
    // Microsoft's C has no empty structs; gcc gives them 0 bytes, rivet's Microsoft layout 4.
    let all = || std::iter::once(&sig.ret).chain(&sig.params).chain(sig.varargs.iter().flatten());
    if all().any(|t| t == "struct E") {
        return Some("Microsoft's C has no empty structs");
    }
    // Registers of fastcall and thiscall: gcc counts a struct or a long long against ECX and
    // EDX even though it goes on the stack; Microsoft gives the registers to the first DWORDs.
    if matches!(sig.abi, Abi::Fastcall | Abi::Thiscall) && sig.varargs.is_none() {
        let wide = |t: &str| is_record(t) || t.contains("long long");
        let dword = |t: &str| !wide(t) && !t.contains("float") && !t.contains("double");
        if let Some(first_wide) = sig.params.iter().position(|t| wide(t)) {
            if sig.params[first_wide..].iter().any(|t| dword(t)) {
                return Some("gcc counts structs and long longs against the fastcall/thiscall registers");
            }
        }
    }
    None
}

/// Every signature for one convention.
fn signatures(abi: Abi) -> Vec<Sig> {
    let types = all_types();
    let plain = |ret: &str, params: Vec<String>| Sig { abi, ret: ret.to_string(), params, varargs: None };
    let mut sigs = Vec::new();
    for t in &types {
        sigs.push(plain(t, vec![t.clone()]));
    }
    // Each type among integers competing for fastcall/thiscall registers and on the stack.
    for (i, t) in types.iter().enumerate() {
        let params = if i % 2 == 0 {
            vec![t.clone(), "int".into(), "int".into(), "char".into()]
        } else {
            vec!["char".into(), t.clone(), "short".into(), t.clone(), "void *".into(), "double".into()]
        };
        sigs.push(plain(&types[(i * 7 + 3) % types.len()], params));
    }
    for n in 0..=16 {
        for kinds in
            [&["long long"][..], &["double"], &["float"], &["signed char", "double"], &["int", "struct F2", "short"]]
        {
            let params = (0..n).map(|i| kinds[i % kinds.len()].to_string()).collect();
            sigs.push(plain(kinds[n % kinds.len()], params));
        }
    }
    let mut rng = Rng(match abi {
        Abi::Cdecl => 11,
        Abi::Stdcall => 12,
        Abi::Fastcall => 13,
        _ => 14,
    });
    let pick = |rng: &mut Rng| types[rng.below(types.len() as u64) as usize].clone();
    for _ in 0..100 {
        let n = rng.below(15) as usize;
        let params = (0..n).map(|_| pick(&mut rng)).collect();
        let ret = if rng.below(7) == 0 { "void".to_string() } else { pick(&mut rng) };
        sigs.push(plain(&ret, params));
    }
    // Varargs: cdecl's own, and the cdecl every other convention falls back to.
    let count = if abi == Abi::Cdecl { 60 } else { 15 };
    for _ in 0..count {
        let fixed = 1 + rng.below(3) as usize;
        let params = (0..fixed).map(|_| pick(&mut rng)).collect();
        let varargs = (0..1 + rng.below(12)).map(|_| pick(&mut rng)).collect();
        sigs.push(Sig { abi, ret: pick(&mut rng), params, varargs: Some(varargs) });
    }
    sigs
}

fn name(i: usize) -> String {
    format!("fx{i}")
}

fn prototype(rules: Rules, i: usize, sig: &Sig) -> String {
    let mut params: Vec<String> = sig.params.iter().enumerate().map(|(j, p)| format!("{p} a{j}")).collect();
    if sig.varargs.is_some() {
        params.push("...".into());
    }
    if params.is_empty() {
        params.push("void".into());
    }
    format!("{} {} {}({})", sig.ret, rules.attribute(sig.abi), name(i), params.join(", "))
}

/// The C statements for the scalars of values, with the Windows rules' 8-byte long double.
struct Stmts {
    rules: Rules,
}

impl Stmts {
    fn hash(&self, leaf: &Leaf, value: &str, h: &str) -> String {
        let e = leaf.expr(value);
        match leaf.kind {
            Kind::Int { signed: true, .. } | Kind::Bits { signed: true, .. } => format!("H_INT({h}, {e});"),
            Kind::Int { signed: false, .. } | Kind::Bits { signed: false, .. } | Kind::Bool => {
                format!("H_UINT({h}, {e});")
            }
            Kind::Ptr => format!("H_PTR({h}, {e});"),
            Kind::F32 => format!("H_F32({h}, {e});"),
            Kind::F64 => format!("H_F64({h}, {e});"),
            Kind::F80 if self.rules == Rules::Windows => format!("H_F64({h}, {e});"),
            Kind::F80 => format!("H_F80({h}, {e});"),
            Kind::F128 => unreachable!("a quad-precision long double is AArch64's, not i386's"),
        }
    }

    fn build(&self, leaf: &Leaf, value: &str) -> String {
        let e = leaf.expr(value);
        match leaf.kind {
            Kind::Int { .. } => format!("B_INT(g, {e});"),
            Kind::Bool => format!("B_BOOL(g, {e});"),
            Kind::Ptr => format!("B_PTR(g, {e});"),
            Kind::F32 => format!("B_F32(g, {e});"),
            Kind::F64 => format!("B_F64(g, {e});"),
            Kind::F80 if self.rules == Rules::Windows => format!("B_F64(g, {e});"),
            Kind::F80 => format!("B_F80(g, {e});"),
            Kind::Bits { width, .. } => format!("B_BITS(g, {e}, {width});"),
            Kind::F128 => unreachable!("a quad-precision long double is AArch64's, not i386's"),
        }
    }
}

/// Leaves of a type spelled in C (paths and kinds do not depend on the target).
fn leaves_of(host: &mut CTypeTable, t: &str) -> Vec<Leaf> {
    let ty = host.parse_type(t, &[]).unwrap();
    leaves(host, ty)
}

/// The number of type `t` in the matrix, which names its C helpers `bT<n>` and `hT<n>`.
fn type_number(t: &str) -> usize {
    all_types().iter().position(|x| x == t).unwrap_or_else(|| panic!("{t} is not a matrix type"))
}

/// For every type of the matrix, `bT<n>(&g, &v)` builds a value from the generator and
/// `hT<n>(h, &v)` mixes its scalars into a hash (one function per type keeps the program
/// small enough to compile quickly).
fn type_helpers(st: &Stmts, host: &mut CTypeTable) -> String {
    let mut c = String::new();
    for (n, t) in all_types().iter().enumerate() {
        let leaves = leaves_of(host, t);
        let _ =
            writeln!(c, "static void bT{n}(uint64_t *gp, {t} *v) {{\n    uint64_t g = *gp; memset(v, 0, sizeof *v);");
        for leaf in &leaves {
            let _ = writeln!(c, "    {}", st.build(leaf, "(*v)"));
        }
        let _ = writeln!(c, "    *gp = g;\n}}\nstatic uint64_t hT{n}(uint64_t h, const {t} *v) {{");
        for leaf in &leaves {
            let _ = writeln!(c, "    {}", st.hash(leaf, "(*v)", "h"));
        }
        c.push_str("    return h;\n}\n");
    }
    c
}

/// Declares `var` of type `t` and builds it from the generator `g`.
fn build_value(c: &mut String, t: &str, var: &str) {
    let _ = writeln!(c, "    {t} {var}; bT{}(&g, &{var});", type_number(t));
}

/// Mixes the scalars of `var` of type `t` into `h`.
fn hash_value(c: &mut String, t: &str, var: &str) {
    let _ = writeln!(c, "    h = hT{}(h, &{var});", type_number(t));
}

/// `ok = 0` unless `got` and `want` (of type `t`) agree in every scalar.
fn compare_value(c: &mut String, t: &str, got: &str, want: &str, what: &str) {
    let n = type_number(t);
    let _ = writeln!(
        c,
        "    if (hT{n}(0, &{got}) != hT{n}(0, &{want})) {{ ok = 0; fprintf(stderr, \"{what} differs\\n\"); }}"
    );
}

/// The fixture `i`: hashes its arguments into `rivet_fixture_hash`, builds its result.
fn fixture(c: &mut String, rules: Rules, i: usize, sig: &Sig) {
    let _ = writeln!(c, "{} {{\n    uint64_t h = RV_SEED, g;", prototype(rules, i, sig));
    for (j, p) in sig.params.iter().enumerate() {
        hash_value(c, p, &format!("a{j}"));
    }
    if let Some(varargs) = &sig.varargs {
        let _ = writeln!(c, "    va_list ap;\n    va_start(ap, a{});", sig.params.len() - 1);
        for (k, v) in varargs.iter().enumerate() {
            let read = promoted(v);
            let _ = writeln!(c, "    {{ {read} v{k} = va_arg(ap, {read});");
            hash_value(c, read, &format!("v{k}"));
            c.push_str("    }\n");
        }
        c.push_str("    va_end(ap);\n");
    }
    c.push_str("    rivet_fixture_hash = h;\n    g = h;\n");
    if sig.ret == "void" {
        c.push_str("    (void)g;\n");
    } else {
        build_value(c, &sig.ret, "r");
        c.push_str("    return r;\n");
    }
    c.push_str("}\n");
}

/// Builds every argument of `sig` from `g` into `a0..`, `v0..`, hashing into `h` what the
/// callee receives (varargs after promotion).
fn build_arguments(c: &mut String, sig: &Sig) {
    for (j, p) in sig.params.iter().enumerate() {
        build_value(c, p, &format!("a{j}"));
        hash_value(c, p, &format!("a{j}"));
    }
    for (k, v) in sig.varargs.iter().flatten().enumerate() {
        build_value(c, v, &format!("v{k}"));
        let read = promoted(v);
        let _ = writeln!(c, "    {read} pv{k} = v{k};");
        hash_value(c, read, &format!("pv{k}"));
    }
}

/// The driver of fixture `i`: arguments into the block, the call through the stub, checks.
fn driver(c: &mut String, i: usize, sig: &Sig, block: &ArgBlock) {
    let _ = writeln!(
        c,
        "static int drv{i}(stub_fn stub, uint64_t seed) {{\n    uint64_t g = seed, h = RV_SEED; int ok = 1;\n    \
         static unsigned char blk[{}] __attribute__((aligned(64)));\n    \
         static unsigned char ret[{}] __attribute__((aligned(64)));\n    \
         memset(blk, 0xa5, sizeof blk); memset(ret, 0x5a, sizeof ret);",
        block.size.max(1),
        block.ret_size.max(1)
    );
    build_arguments(c, sig);
    let all = sig.params.len() + sig.varargs.as_ref().map_or(0, |v| v.len());
    for k in 0..all {
        let var = if k < sig.params.len() { format!("a{k}") } else { format!("v{}", k - sig.params.len()) };
        let _ = writeln!(c, "    memcpy(blk + {}, &{var}, sizeof {var});", block.offsets[k]);
    }
    let _ = writeln!(
        c,
        "    rivet_fixture_hash = 0;\n    stub((void *){}, blk, ret, 0);\n    \
         if (rivet_fixture_hash != h) {{ ok = 0; fprintf(stderr, \"call {i}: argument hash differs\\n\"); }}\n    g = h;",
        name(i)
    );
    if sig.ret != "void" {
        build_value(c, &sig.ret, "x_r");
        let _ = writeln!(c, "    {} r; memcpy(&r, ret, sizeof r);", sig.ret);
        compare_value(c, &sig.ret, "r", "x_r", &format!("call {i} result"));
    }
    c.push_str("    (void)g;\n    return ok;\n}\n");
}

/// The C caller of callback `i`: builds the arguments, calls the trampoline `fp` as a plain C
/// function pointer of the convention, checks what the dispatcher saw and the result.
fn callback_caller(c: &mut String, rules: Rules, i: usize, sig: &Sig) {
    let params = if sig.params.is_empty() { "void".to_string() } else { sig.params.join(", ") };
    let _ = writeln!(
        c,
        "typedef {} ({} *cbt{i})({params});
static int cb{i}(void *fp, uint64_t seed) {{
    \
         cbt{i} f = (cbt{i})fp; uint64_t g = seed, h = RV_SEED; int ok = 1;",
        sig.ret,
        rules.attribute(sig.abi)
    );
    build_arguments(c, sig);
    let args: Vec<String> = (0..sig.params.len()).map(|j| format!("a{j}")).collect();
    let call = format!("f({})", args.join(", "));
    c.push_str("    seen_hash = 0;\n");
    if sig.ret == "void" {
        let _ = writeln!(c, "    {call};");
    } else {
        let _ = writeln!(c, "    {} r = {call};", sig.ret);
    }
    let _ = writeln!(
        c,
        "    if (seen_hash != h) {{ ok = 0; fprintf(stderr, \"callback {i}: argument hash differs\\n\"); }}\n    g = h;"
    );
    if sig.ret != "void" {
        build_value(c, &sig.ret, "x_r");
        compare_value(c, &sig.ret, "r", "x_r", &format!("callback {i} result"));
    }
    c.push_str("    (void)g;\n    return ok;\n}\n");
}

/// The C dispatcher of callback `i`: reads the arguments from the block at rivet's offsets,
/// hashes them, and builds the result into the result buffer.
fn callback_dispatcher(c: &mut String, i: usize, sig: &Sig, block: &ArgBlock) {
    let _ = writeln!(c, "static void ds{i}(unsigned char *blk, unsigned char *ret) {{\n    uint64_t h = RV_SEED, g;");
    for (j, p) in sig.params.iter().enumerate() {
        let _ = writeln!(c, "    {p} a{j}; memcpy(&a{j}, blk + {}, sizeof a{j});", block.offsets[j]);
        hash_value(c, p, &format!("a{j}"));
    }
    c.push_str("    seen_hash = h; g = h;\n");
    if sig.ret == "void" {
        c.push_str("    (void)g; (void)ret;\n");
    } else {
        build_value(c, &sig.ret, "r");
        c.push_str("    memcpy(ret, &r, sizeof r);\n");
    }
    c.push_str("}\n");
}

/// Everything one program needs: C source and the code arrays.
struct Program {
    source: String,
    stubs: usize,
    bodies: usize,
    calls: usize,
    callbacks: usize,
    /// Per convention: signatures called, and called back.
    per_abi: Vec<(Abi, usize, usize)>,
}

fn c_array(c: &mut String, name: &str, bytes: &[u8]) {
    let _ = write!(c, "static const unsigned char {name}[] = {{");
    for (k, b) in bytes.iter().enumerate() {
        if k % 24 == 0 {
            c.push_str("\n    ");
        }
        let _ = write!(c, "{b},");
    }
    c.push_str("\n};\n");
}

fn program(rules: Rules, gaps: &mut HashMap<&'static str, usize>) -> Program {
    let target = rules.target();
    let st = Stmts { rules };
    let mut host = CTypeTable::new(HOST_TARGET);
    host.cdef(&type_definitions()).unwrap();
    let mut table = CTypeTable::new(target);
    table.cdef(&type_definitions()).unwrap();
    let mut sigs: Vec<Sig> = CONVENTIONS.iter().flat_map(|&abi| signatures(abi)).collect();
    sigs.retain(|sig| match gcc_gap(rules, sig) {
        Some(reason) => {
            *gaps.entry(reason).or_default() += 1;
            false
        }
        None => true,
    });

    let mut c = String::from(
        "#include \"fixture.h\"\n#include <stdio.h>\n#include <stdlib.h>\n#include <sys/mman.h>\n\
         uint64_t rivet_fixture_hash, seen_hash;\n\
         typedef void (*stub_fn)(void *fnptr, void *args, void *ret, int *errno_out);\n",
    );
    c.push_str(&type_definitions());
    c.push_str(&type_helpers(&st, &mut host));
    let mut decls = type_definitions();
    for (i, sig) in sigs.iter().enumerate() {
        // rivet reads the prototype without the attribute; the plan names the convention.
        let mut params: Vec<String> = sig.params.iter().enumerate().map(|(j, p)| format!("{p} a{j}")).collect();
        if sig.varargs.is_some() {
            params.push("...".into());
        }
        let _ = writeln!(
            decls,
            "{} {}({});",
            sig.ret,
            name(i),
            if params.is_empty() { "void".into() } else { params.join(", ") }
        );
    }
    table.cdef(&decls).unwrap_or_else(|e| panic!("rivet rejects the fixture declarations: {e}"));

    let mut codes: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut intern = |code: Vec<u8>| {
        let next = codes.len();
        *codes.entry(code).or_insert(next)
    };
    let (mut calls, mut callbacks) = (Vec::new(), Vec::new());
    let (mut stubs, mut bodies) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for (i, sig) in sigs.iter().enumerate() {
        let Some(Decl::Function(f)) = table.lookup(&name(i)).cloned() else { panic!("{}", name(i)) };
        let varargs: Vec<_> = sig.varargs.iter().flatten().map(|t| table.parse_type(t, &[]).unwrap()).collect();
        let plan: CallPlan = abi::plan_call(&table, f.ty, &varargs, Some(sig.abi), target)
            .unwrap_or_else(|e| panic!("{}: {e}", prototype(rules, i, sig)));
        let block = ArgBlock::of(&plan);
        let stub = intern(jit::call_stub_code(&plan).unwrap_or_else(|e| panic!("{}: {e}", prototype(rules, i, sig))));
        stubs.insert(stub);
        calls.push((i, stub));
        fixture(&mut c, rules, i, sig);
        driver(&mut c, i, sig, &block);
        if sig.varargs.is_none() {
            let body = intern(
                jit::trampoline_body_code(&plan).unwrap_or_else(|e| panic!("{}: {e}", prototype(rules, i, sig))),
            );
            bodies.insert(body);
            callbacks.push((i, body));
            callback_caller(&mut c, rules, i, sig);
            callback_dispatcher(&mut c, i, sig, &block);
        }
    }
    let mut by_index: Vec<(&Vec<u8>, &usize)> = codes.iter().collect();
    by_index.sort_by_key(|(_, &k)| k);
    for (bytes, k) in &by_index {
        c_array(&mut c, &format!("code{k}"), bytes);
    }
    c.push_str("static const unsigned char *const code[] = {\n");
    for (_, k) in &by_index {
        let _ = writeln!(c, "    code{k},");
    }
    c.push_str("};\nstatic const unsigned code_len[] = {\n");
    for (_, k) in &by_index {
        let _ = writeln!(c, "    sizeof code{k},");
    }
    c.push_str("};\ntypedef int (*driver_fn)(stub_fn, uint64_t);\nstatic const struct { driver_fn drv; int code; } calls[] = {\n");
    for (i, k) in &calls {
        let _ = writeln!(c, "    {{ drv{i}, {k} }},");
    }
    c.push_str(
        "};\ntypedef int (*caller_fn)(void *, uint64_t);\ntypedef void (*ds_fn)(unsigned char *, unsigned char *);\n\
         static const struct { caller_fn cb; ds_fn ds; int code; } callbacks[] = {\n",
    );
    for (i, k) in &callbacks {
        let _ = writeln!(c, "    {{ cb{i}, ds{i}, {k} }},");
    }
    c.push_str("};\n");
    let thunk = jit::x86_thunk_code(0);
    let _ = writeln!(
        c,
        "static const unsigned char thunk_template[] = {{{}}};\n\
         #define NCODE (sizeof code_len / sizeof code_len[0])\n\
         #define NCB (sizeof callbacks / sizeof callbacks[0])\n\
         /* The slot records the thunks point to: body, context, dispatcher (rivet's contract). */\n\
         static struct {{ const void *body; void *ctx; void *dispatcher; }} records[NCB];\n\
         static void dispatch(void *ctx, unsigned char *blk, unsigned char *ret) {{ callbacks[(uintptr_t)ctx].ds(blk, ret); }}\n\
         int main(void) {{\n    \
         size_t total = 16 * NCB + 16; unsigned char *entry[NCODE];\n    \
         for (unsigned k = 0; k < NCODE; k++) total += (code_len[k] + 15) & ~15u;\n    \
         unsigned char *mem = mmap(0, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n    \
         if (mem == MAP_FAILED) {{ perror(\"mmap\"); return 2; }}\n    \
         size_t at = 0;\n    \
         for (unsigned k = 0; k < NCODE; k++) {{ memcpy(mem + at, code[k], code_len[k]); entry[k] = mem + at; at += (code_len[k] + 15) & ~15u; }}\n    \
         unsigned char *thunks = mem + at;\n    \
         for (unsigned i = 0; i < NCB; i++) {{\n        \
             uint32_t record = (uint32_t)(uintptr_t)&records[i];\n        \
             records[i].body = entry[callbacks[i].code]; records[i].ctx = (void *)(uintptr_t)i; records[i].dispatcher = (void *)dispatch;\n        \
             memcpy(thunks + 16 * i, thunk_template, sizeof thunk_template);\n        \
             memcpy(thunks + 16 * i + {}, &record, 4);\n    }}\n    \
         if (mprotect(mem, total, PROT_READ | PROT_EXEC)) {{ perror(\"mprotect\"); return 2; }}\n    \
         unsigned failures = 0, done = 0, cb_done = 0;\n    \
         for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)\n        \
             for (uint64_t round = 0; round < 2; round++) {{\n            \
                 if (!calls[i].drv((stub_fn)entry[calls[i].code], (uint64_t)i << 8 | round)) {{ failures++; fprintf(stderr, \"FAIL call %u\\n\", i); break; }}\n            \
                 done++;\n        }}\n    \
         for (unsigned i = 0; i < NCB; i++)\n        \
             for (uint64_t round = 0; round < 2; round++) {{\n            \
                 if (!callbacks[i].cb(thunks + 16 * i, (uint64_t)i << 8 | round | 1u << 20)) {{ failures++; fprintf(stderr, \"FAIL callback %u\\n\", i); break; }}\n            \
                 cb_done++;\n        }}\n    \
         printf(\"calls %u callbacks %u failures %u\\n\", done, cb_done, failures);\n    \
         return failures != 0;\n}}",
        thunk.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", "),
        jit::X86_THUNK_RECORD_AT
    );
    let per_abi = CONVENTIONS
        .iter()
        .map(|&abi| {
            let called = calls.iter().filter(|(i, _)| sigs[*i].abi == abi).count();
            let called_back = callbacks.iter().filter(|(i, _)| sigs[*i].abi == abi).count();
            (abi, called, called_back)
        })
        .collect();
    Program {
        source: c,
        stubs: stubs.len(),
        bodies: bodies.len(),
        calls: calls.len(),
        callbacks: callbacks.len(),
        per_abi,
    }
}

fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native")
}

/// Whether `gcc -m32` can build and run a program here (gcc-multilib installed).
fn gcc_m32_works(dir: &Path) -> bool {
    let src = dir.join("probe.c");
    let exe = dir.join("probe");
    std::fs::write(&src, "#include <stdio.h>\nint main(void) { return sizeof(void *) != 4; }\n").unwrap();
    let built = Command::new("gcc").args(["-m32", "-o"]).arg(&exe).arg(&src).output().is_ok_and(|o| o.status.success());
    built && Command::new(&exe).status().is_ok_and(|s| s.success())
}

fn run(rules: Rules) {
    let dir = std::env::temp_dir().join(format!("rivet-x86-{}-{rules:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    if !gcc_m32_works(&dir) {
        eprintln!(
            "SKIPPED: `gcc -m32` cannot build and run a program here; install gcc-multilib \
             (`apt-get install -y gcc-multilib`) to run rivet's i386 code"
        );
        return;
    }
    let mut gaps = HashMap::new();
    let p = program(rules, &mut gaps);
    for (reason, n) in &gaps {
        eprintln!("{rules:?}: {n} signatures left out: {reason}");
    }
    let src = dir.join("harness.c");
    let exe = dir.join("harness");
    std::fs::write(&src, &p.source).unwrap();
    let out = Command::new("gcc")
        .args(["-m32", "-O0", "-std=gnu11", "-w"])
        .args(rules.flags())
        .arg("-I")
        .arg(include_dir())
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .output()
        .expect("gcc");
    assert!(out.status.success(), "gcc -m32 failed on {}:\n{}", src.display(), String::from_utf8_lossy(&out.stderr));
    let out = Command::new(&exe).output().expect("run the harness");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{rules:?}: the harness reported failures (status {:?}; program {}):\n{stdout}\n{}",
        out.status,
        src.display(),
        stderr.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    eprintln!(
        "{rules:?}: {} calls through {} distinct stubs, {} callbacks through {} distinct bodies: {stdout}",
        p.calls, p.stubs, p.callbacks, p.bodies
    );
    for (abi, called, called_back) in &p.per_abi {
        eprintln!("{rules:?} {abi}: {called} signatures called, {called_back} called back");
        assert!(*called >= 150 && *called_back >= 100, "too little was checked for {abi}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn i386_linux_rules_match_gcc() {
    run(Rules::Linux);
}

#[test]
fn i386_windows_rules_match_gcc() {
    run(Rules::Windows);
}
