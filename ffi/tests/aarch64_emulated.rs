//! rivet's AArch64 call stubs and callback trampolines, run under emulation against code real
//! compilers produce: AAPCS64 against GCC 12 for aarch64-linux-gnu, Windows arm64 against
//! Clang 14's `ms_abi` on aarch64-linux (Microsoft's convention with Linux's types). The matrix
//! of `native_support/matrix.rs` (scalars of every width, register exhaustion and stack spill,
//! structs and unions of 1 to 64 bytes of every field mix, HFAs, varargs) plus
//! AArch64-specific families is written out as C fixtures; the test generates one harness
//! program holding the machine code rivet emits for every signature, compiles it statically
//! and runs it with `qemu-aarch64`. The harness checks everything on the C side, against what
//! the fixture must see (the hash of every argument scalar, variadic ones promoted) and the
//! result it then builds:
//!
//! - calls: each fixture is called directly (the compiler's own call: where it does not
//!   deliver what its callee reads, the signature is reported as a gap of the compiler) and
//!   through rivet's stub, the arguments stored in an argument block at rivet's offsets;
//! - callbacks: a rivet trampoline is called as a function pointer of the fixture's type (the
//!   compiler's call); the trampoline hands the argument block to a C dispatcher, which
//!   unpacks it at rivet's offsets, calls the fixture and stores its result.
//!
//! A crash in rivet's code fails the signature and the run goes on. The toolchain:
//! `$RIVET_AARCH64_GCC`, else `scripts/aarch64-cross.sh`'s cache, else
//! `aarch64-linux-gnu-gcc-12` on the PATH; `qemu-aarch64` on the PATH; `clang`. `scripts/test.sh`
//! installs them; without them the tests print why and pass without checking anything.

#[allow(dead_code)]
mod native_support;

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use native_support::cgen::{self, build_stmt, hash_stmt};
use native_support::leaves::leaves_for;
use native_support::matrix::{self, Conv, Sig, SwiftParams};
use rivet_ffi::abi::{self, Abi, CallPlan};
use rivet_ffi::jit::{self, ArgBlock};
use rivet_ffi::{CTypeTable, Decl, Target};

const TARGET: Target = Target::AARCH64_LINUX;

/// Types beyond the shared matrix: composites whose members make them 16-aligned (rule C.8
/// pairs them from an even register; GCC ignores an `aligned` attribute on the struct itself,
/// which the matrix's AL16 checks).
const EXTRA_TYPES: &[(&str, &str)] = &[
    ("struct M16", "struct M16 { long a __attribute__((aligned(16))); int b; };"),
    ("struct M16S", "struct M16S { char c; short a __attribute__((aligned(16))); };"),
];

/// The cross compiler and the emulator, if both are there.
fn toolchain() -> Option<(PathBuf, PathBuf)> {
    let candidates = [
        std::env::var_os("RIVET_AARCH64_GCC").map(PathBuf::from),
        Some(PathBuf::from("/var/cache/rivet-cross/aarch64-linux-gnu-gcc")),
        Some(PathBuf::from("aarch64-linux-gnu-gcc-12")),
    ];
    let runs = |p: &Path| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success());
    let gcc = candidates.into_iter().flatten().find(|p| runs(p));
    let qemu = PathBuf::from(std::env::var_os("RIVET_QEMU_AARCH64").unwrap_or_else(|| "qemu-aarch64".into()));
    let qemu_ok = Command::new(&qemu).arg("--version").output().is_ok_and(|o| o.status.success());
    match (gcc, qemu_ok) {
        (Some(gcc), true) => Some((gcc, qemu)),
        (gcc, _) => {
            eprintln!(
                "SKIPPED: the AArch64 emulation tests need aarch64-linux-gnu-gcc-12 ({}) and qemu-aarch64 ({}); \
                 run scripts/aarch64-cross.sh (scripts/test.sh does) or set RIVET_AARCH64_GCC",
                if gcc.is_some() { "found" } else { "missing" },
                if qemu_ok { "found" } else { "missing" }
            );
            None
        }
    }
}

/// The signatures: the shared matrix and families aimed at AAPCS64's rules.
fn signatures(conv: Conv) -> Vec<Sig> {
    let mut sigs = matrix::signatures(conv);
    let plain = |ret: &str, params: &[&str]| Sig {
        ret: ret.to_string(),
        params: params.iter().map(|s| s.to_string()).collect(),
        varargs: None,
        swift: SwiftParams::default(),
    };
    let mut all = matrix::all_types();
    all.extend(EXTRA_TYPES.iter().map(|(t, _)| t.to_string()));
    for t in all {
        // Seven of eight registers of each kind used: an aggregate that needs two registers of
        // a kind goes to the stack (C.3, C.11) and so does every later argument of that kind.
        let mut params = vec!["long"; 7];
        params.extend(["double"; 7]);
        let t = t.as_str();
        params.extend([t, "char", t, "float", "short", t]);
        sigs.push(plain(t, &params));
        // An odd register count before a possibly 16-aligned composite (C.8).
        sigs.push(plain(t, &["int", t, "int", t]));
        // HFAs around the vector register boundary.
        sigs.push(plain(t, &["struct F3", "struct D3", t, "struct F4", "double"]));
    }
    sigs
}

/// C statements declaring `name` of type `ty` and filling it from the generator `g`.
fn build_value(c: &mut String, types: &mut CTypeTable, ty: &str, name: &str) {
    let _ = writeln!(c, "    {ty} {name};\n    memset(&{name}, 0, sizeof {name});");
    let id = types.parse_type(ty, &[]).unwrap();
    for leaf in leaves_for(types, id, TARGET) {
        let _ = writeln!(c, "    {}", build_stmt(&leaf, name));
    }
}

/// A C expression block hashing every scalar of `name` into `var`.
fn hash_value(c: &mut String, types: &mut CTypeTable, ty: &str, name: &str, var: &str) {
    let id = types.parse_type(ty, &[]).unwrap();
    for leaf in leaves_for(types, id, TARGET) {
        let _ = writeln!(c, "    {}", hash_stmt(&leaf, name).replacen("(h,", &format!("({var},"), 1));
    }
}

/// The machine code of one program, deduplicated.
#[derive(Default)]
struct Code {
    bytes: Vec<u8>,
    at: HashMap<Vec<u8>, usize>,
}

impl Code {
    fn add(&mut self, code: Vec<u8>) -> usize {
        if let Some(&at) = self.at.get(&code) {
            return at;
        }
        while !self.bytes.len().is_multiple_of(16) {
            self.bytes.push(0);
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&code);
        self.at.insert(code, at);
        at
    }

    fn c_array(&self) -> String {
        let mut out = format!("static const unsigned char code[{}] = {{", self.bytes.len().max(1));
        for (i, b) in self.bytes.iter().enumerate() {
            if i % 24 == 0 {
                out.push('\n');
            }
            let _ = write!(out, "{b},");
        }
        out.push_str("\n};\n");
        out
    }
}

const HARNESS_HEAD: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/mman.h>
typedef void (*stub_fn)(const void *, unsigned char *, unsigned char *, int *);
typedef void (*dispatch_fn)(void *, unsigned char *, unsigned char *);
struct record { const void *body; void *ctx; dispatch_fn dispatcher; };
static unsigned char *exec;
static int failures;
static volatile int current = -1;
static int gaps;
static void gap(int i) {
    printf("GAP %d\n", i);
    gaps++;
}
static void fail(int i, const char *what) {
    printf("FAIL %d %s\n", i, what);
    failures++;
}
/* A crash ends the signature's test: in the compiler's own call it is a gap of the oracle,
 * in rivet's code a failure. */
static volatile int phase;
static sigjmp_buf recover;
static void crashed(int sig) {
    (void)sig;
    siglongjmp(recover, 1);
}
static void run(int i, void (*test)(void)) {
    current = i;
    phase = 0;
    if (sigsetjmp(recover, 1) == 0) {
        test();
    } else if (phase == 0) {
        gap(i);
    } else {
        fail(i, "crash");
    }
}
"#;

/// The program text for `sigs` in the requested mode (calls or callbacks), with the rendered
/// plans of the checked signatures by index.
fn harness(sigs: &[Sig], callbacks: bool, setup: &Setup) -> (String, Vec<(usize, String)>, usize) {
    let conv = setup.conv;
    let mut types = CTypeTable::new(TARGET);
    let extra: String = EXTRA_TYPES.iter().map(|(_, def)| format!("{def}\n")).collect();
    types.cdef(&extra).unwrap_or_else(|e| panic!("rivet rejects {extra}: {e}"));
    types.cdef(&cgen::cdef(conv, sigs)).unwrap_or_else(|e| panic!("rivet rejects the fixtures: {e}"));
    // The fixtures first (they include fixture.h), then the harness.
    let mut c = cgen::source_for(conv, sigs, &mut types, TARGET).replacen(
        "uint64_t rivet_fixture_hash;",
        &format!("{extra}uint64_t rivet_fixture_hash;"),
        1,
    );
    c.push_str(HARNESS_HEAD);
    let mut code = Code::default();
    let mut tests = Vec::new();
    let mut plans = Vec::new();
    let mut thunks = Vec::new();
    for (i, sig) in sigs.iter().enumerate() {
        if callbacks && sig.varargs.is_some() {
            continue;
        }
        let name = cgen::name(i);
        let Some(Decl::Function(f)) = types.lookup(&name).cloned() else { panic!("{name} not declared") };
        let varargs: Vec<_> = sig.varargs.iter().flatten().map(|t| types.parse_type(t, &[]).unwrap()).collect();
        let plan: CallPlan =
            abi::plan_call(&types, f.ty, &varargs, Some(setup.abi), TARGET).unwrap_or_else(|e| panic!("{e}"));
        plans.push((i, abi::render(&plan, &types, &f.param_names)));
        let block: ArgBlock;
        let code_at;
        if callbacks {
            let t = jit::trampoline_code(&plan).unwrap_or_else(|e| panic!("{name}: {e}"));
            let body = code.add(t.body);
            let thunk = code.add_unique(t.thunk);
            thunks.push((i, body, thunk + t.record_at));
            code_at = thunk;
            block = t.block;
        } else {
            block = ArgBlock::of(&plan);
            code_at = code.add(jit::call_stub_code(&plan).unwrap_or_else(|e| panic!("{name}: {e}")));
        }
        let all_args: Vec<&String> = sig.params.iter().chain(sig.varargs.iter().flatten()).collect();
        let arg_names: Vec<String> = (0..all_args.len()).map(|k| format!("a{k}")).collect();
        let has_ret = sig.ret != "void";

        if callbacks {
            // The dispatcher: unpack at rivet's offsets, call the fixture, store the result.
            let _ = writeln!(
                c,
                "static void disp{i}(void *ctx, unsigned char *args, unsigned char *ret) {{\n    \
                 if (ctx != (void *)(uintptr_t)({i} + 0x1000)) fail({i}, \"context\");"
            );
            for (k, t) in all_args.iter().enumerate() {
                let _ = writeln!(c, "    {t} a{k};\n    memcpy(&a{k}, args + {}, sizeof a{k});", block.offsets[k]);
            }
            let call = format!("{name}({})", arg_names.join(", "));
            if has_ret {
                let _ = writeln!(c, "    {} r = {call};\n    memcpy(ret, &r, sizeof r);\n}}", sig.ret);
            } else {
                let _ = writeln!(c, "    {call};\n    (void)ret;\n}}");
            }
        }

        let _ = writeln!(
            c,
            "static void test{i}(void) {{\n    uint64_t g = {i}u * 7919u + 17u, rh1 = RV_SEED, rh2 = RV_SEED;"
        );
        for (k, t) in all_args.iter().enumerate() {
            build_value(&mut c, &mut types, t, &format!("a{k}"));
        }
        // What the fixture must see: every scalar of every argument (variadic ones after C's
        // default promotions), and the result it then builds.
        c.push_str("    uint64_t h = RV_SEED;\n");
        for (k, t) in all_args.iter().enumerate() {
            let variadic = k >= sig.params.len();
            let promoted = if variadic { cgen::promoted(t) } else { t.as_str() };
            let value = if promoted == t.as_str() { format!("a{k}") } else { format!("(({promoted})a{k})") };
            hash_value(&mut c, &mut types, promoted, &value, "h");
        }
        if has_ret {
            let _ = writeln!(
                c,
                "    {0} x;\n    {0} r2;\n    memset(&x, 0, sizeof x);\n    memset(&r2, 0, sizeof r2);",
                sig.ret
            );
            c.push_str("    g = h;\n");
            let id = types.parse_type(&sig.ret, &[]).unwrap();
            for leaf in leaves_for(&types, id, TARGET) {
                let _ = writeln!(c, "    {}", build_stmt(&leaf, "x"));
            }
            hash_value(&mut c, &mut types, &sig.ret, "x", "rh1");
        }
        // The compiler's own call first: if it does not deliver what its callee reads, the
        // compiler cannot be the oracle for this signature (reported, not checked).
        let direct = format!("{name}({})", arg_names.join(", "));
        c.push_str("    rivet_fixture_hash = 0;\n");
        // In a callback test that call is what is checked; in a call test the callee is the
        // oracle, so rivet's call is still checked against what the callee reads.
        let on_gap = if callbacks { "return;" } else { "" };
        let _ = writeln!(c, "    {direct};\n    if (rivet_fixture_hash != h) {{ gap({i}); {on_gap} }}\n    phase = 1;");
        c.push_str("    rivet_fixture_hash = 0;\n");
        if callbacks {
            let params: Vec<String> = sig.params.to_vec();
            let params = if params.is_empty() { "void".to_string() } else { params.join(", ") };
            let attr = conv.attribute().trim();
            let _ = writeln!(c, "    {} ({attr} *f)({params}) = (void *)(exec + {code_at});", sig.ret);
            if has_ret {
                let _ = writeln!(c, "    r2 = f({});", arg_names.join(", "));
            } else {
                let _ = writeln!(c, "    f({});", arg_names.join(", "));
            }
        } else {
            let _ = writeln!(
                c,
                "    static _Alignas(64) unsigned char block[{}], result[{}];\n    \
                 memset(block, 0xa5, sizeof block);\n    memset(result, 0x5a, sizeof result);",
                block.size.max(1),
                block.ret_size.max(16)
            );
            for k in 0..all_args.len() {
                let _ = writeln!(c, "    memcpy(block + {}, &a{k}, sizeof a{k});", block.offsets[k]);
            }
            let _ = writeln!(c, "    ((stub_fn)(exec + {code_at}))((const void *){name}, block, result, 0);");
            if has_ret {
                c.push_str("    memcpy(&r2, result, sizeof r2);\n");
            }
        }
        let _ = writeln!(c, "    if (rivet_fixture_hash != h) fail({i}, \"arguments\");");
        if has_ret {
            hash_value(&mut c, &mut types, &sig.ret, "r2", "rh2");
            let _ = writeln!(c, "    if (rh1 != rh2) fail({i}, \"result\");");
        }
        c.push_str("    (void)g; (void)rh1; (void)rh2;\n}\n");
        tests.push(i);
    }
    c.push_str(&code.c_array());
    let _ = writeln!(c, "static struct record records[{}];", thunks.len().max(1));
    c.push_str("int main(void) {\n");
    let _ = writeln!(
        c,
        "    size_t size = (sizeof code + 65535) & ~(size_t)65535;\n    \
         exec = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n    \
         if (exec == MAP_FAILED) {{ perror(\"mmap\"); return 2; }}\n    memcpy(exec, code, sizeof code);"
    );
    for (j, (i, body, literal)) in thunks.iter().enumerate() {
        let _ = writeln!(
            c,
            "    records[{j}] = (struct record){{ exec + {body}, (void *)(uintptr_t)({i} + 0x1000), disp{i} }};\n    \
             {{ struct record *p = &records[{j}]; memcpy(exec + {literal}, &p, 8); }}"
        );
    }
    c.push_str(
        "    if (mprotect(exec, size, PROT_READ | PROT_EXEC) != 0) { perror(\"mprotect\"); return 2; }\n    \
         __builtin___clear_cache((char *)exec, (char *)exec + size);\n",
    );
    c.push_str("    setvbuf(stdout, 0, _IONBF, 0);\n    signal(SIGSEGV, crashed);\n    signal(SIGBUS, crashed);\n    signal(SIGILL, crashed);\n");
    for i in &tests {
        let _ = writeln!(c, "    run({i}, test{i});");
    }
    let _ = writeln!(
        c,
        "    printf(\"checked {} failed %d gaps %d\\n\", failures, gaps);\n    return failures != 0;\n}}",
        tests.len()
    );
    let distinct = code.at.len();
    (c, plans, distinct)
}

impl Code {
    /// Adds code that must not be shared (a thunk gets its own record address).
    fn add_unique(&mut self, code: Vec<u8>) -> usize {
        while !self.bytes.len().is_multiple_of(16) {
            self.bytes.push(0);
        }
        let at = self.bytes.len();
        self.bytes.extend_from_slice(&code);
        at
    }
}

/// A convention under test: how the fixtures are written, the plan rivet makes for them and
/// the compiler that is the oracle.
struct Setup {
    name: &'static str,
    conv: Conv,
    abi: Abi,
    clang: bool,
    /// Signatures that must at least be checked.
    minimum: usize,
    /// Why the compiler cannot be the oracle for a signature, if it cannot (printed with the
    /// number of signatures left out).
    gap: fn(&Sig) -> Option<&'static str>,
}

fn no_gap(_: &Sig) -> Option<&'static str> {
    None
}

/// Microsoft's rule C.12 aligns a 16-aligned variadic argument to 16 on the imaginary stack;
/// only Linux's 16-byte `long double` makes such a value (Windows has none), and Clang 14's
/// `ms_abi` callers and callees disagree about it.
fn win_gap(sig: &Sig) -> Option<&'static str> {
    let aligned16 = |t: &String| t == "long double" || t == "struct X1";
    sig.varargs.iter().flatten().any(aligned16).then_some("16-aligned variadic arguments (Linux's long double)")
}

/// Compiles `c_file` into a static AArch64 executable `exe` (Clang compiles for the target,
/// GCC's cross toolchain links).
fn compile(gcc: &Path, setup: &Setup, c_file: &Path, exe: &Path) {
    let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native");
    let mut input = c_file.to_path_buf();
    if setup.clang {
        let libc = Command::new(gcc).arg("-print-file-name=libc.a").output().expect("run the cross compiler");
        let libc = PathBuf::from(String::from_utf8_lossy(&libc.stdout).trim());
        let libc_include = libc.parent().and_then(Path::parent).expect("libc.a in <sysroot>/lib").join("include");
        let object = exe.with_extension("o");
        let out = Command::new("clang")
            .args(["--target=aarch64-linux-gnu", "-O0", "-std=gnu11", "-w", "-nostdlibinc", "-c", "-I"])
            .arg(&include)
            .arg("-isystem")
            .arg(&libc_include)
            .arg("-o")
            .arg(&object)
            .arg(c_file)
            .output()
            .expect("run clang");
        assert!(
            out.status.success(),
            "clang failed on {}:\n{}",
            c_file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        input = object;
    }
    let out = Command::new(gcc)
        .args(["-O0", "-static", "-std=gnu11", "-w", "-I"])
        .arg(&include)
        .arg("-o")
        .arg(exe)
        .arg(&input)
        .output()
        .expect("run the cross compiler");
    assert!(
        out.status.success(),
        "{} failed on {}:\n{}",
        gcc.display(),
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds and runs the harness; panics with the plans of the failing signatures.
fn run(callbacks: bool, setup: &Setup) {
    let Some((gcc, qemu)) = toolchain() else { return };
    if setup.clang && !Command::new("clang").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: the {} emulation tests need clang (scripts/test.sh installs it)", setup.name);
        return;
    }
    let mut sigs = signatures(setup.conv);
    let before = sigs.len();
    let mut reasons = std::collections::BTreeSet::new();
    sigs.retain(|sig| (setup.gap)(sig).map(|r| reasons.insert(r)).is_none());
    if sigs.len() < before {
        eprintln!("{}: {} signatures left out: {reasons:?}", setup.name, before - sigs.len());
    }
    let (source, plans, distinct) = harness(&sigs, callbacks, setup);
    let kind = if callbacks { "callbacks" } else { "calls" };
    let dir = std::env::temp_dir().join(format!("rivet-{}-{kind}-{}", setup.name, std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c_file = dir.join("harness.c");
    let exe = dir.join("harness");
    std::fs::write(&c_file, &source).unwrap();
    compile(&gcc, setup, &c_file, &exe);
    let out = Command::new(&qemu).arg(&exe).output().expect("run qemu-aarch64");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let describe = |i: usize| {
        let plan = plans.iter().find(|(k, _)| *k == i).map_or("", |(_, p)| p.as_str());
        format!("{}\n{plan}", sigs.get(i).map_or(String::new(), |s| cgen::prototype(setup.conv, i, s)))
    };
    let failures: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("FAIL "))
        .map(|l| {
            let (i, what) = l.split_once(' ').unwrap_or((l, ""));
            format!("({what}) {}", describe(i.parse().unwrap_or(usize::MAX)))
        })
        .collect();
    let gaps: Vec<usize> =
        stdout.lines().filter_map(|l| l.strip_prefix("GAP ")).filter_map(|i| i.parse().ok()).collect();
    if std::env::var_os("RIVET_TRACE_GAPS").is_some() {
        for &i in &gaps {
            eprintln!("gap: {}", describe(i));
        }
    }
    if std::env::var_os("RIVET_KEEP_NATIVE").is_none() && failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        failures.is_empty() && out.status.success(),
        "{} of {} {} {kind} failed (harness in {}; status {:?}, stderr {}):\n{}",
        failures.len(),
        plans.len(),
        setup.name,
        dir.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr),
        failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
    let checked = format!("checked {} failed 0 gaps {}", plans.len(), gaps.len());
    assert!(stdout.contains(&checked), "the harness did not finish: {stdout}");
    let compiler = if setup.clang { "clang" } else { "gcc" };
    eprintln!(
        "{} {kind} under qemu-aarch64: {} signatures checked against {compiler}; {} where {compiler}'s own call \
         disagrees with its callee ({}; RIVET_TRACE_GAPS=1 lists them); {distinct} distinct code blocks",
        setup.name,
        plans.len() - if callbacks { gaps.len() } else { 0 },
        gaps.len(),
        if callbacks { "left out" } else { "rivet's call still checked against the callee" }
    );
    assert!(plans.len() - gaps.len() >= setup.minimum, "too little was checked");
}

const AAPCS64_GCC: Setup =
    Setup { name: "aapcs64", conv: Conv::Sysv, abi: Abi::Aapcs64, clang: false, minimum: 600, gap: no_gap };

/// Windows arm64: Clang's `ms_abi` on aarch64-linux is Microsoft's convention (LP64 types).
const ARM64_WIN_CLANG: Setup =
    Setup { name: "arm64-win", conv: Conv::MsAbi, abi: Abi::Arm64Win, clang: true, minimum: 600, gap: win_gap };

#[test]
fn aapcs64_calls_match_gcc() {
    run(false, &AAPCS64_GCC);
}

#[test]
fn aapcs64_callbacks_match_gcc() {
    run(true, &AAPCS64_GCC);
}

#[test]
fn arm64_win_calls_match_clang() {
    run(false, &ARM64_WIN_CLANG);
}

#[test]
fn arm64_win_callbacks_match_clang() {
    run(true, &ARM64_WIN_CLANG);
}
