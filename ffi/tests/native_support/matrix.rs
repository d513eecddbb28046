//! The signature matrix, described once: the types, the families of signatures built from
//! them, and the conventions they are compiled for. The C fixtures and the test's
//! expectations are both generated from it.

use super::values::Rng;

/// Scalar types (C spelling).
pub const SCALARS: &[&str] = &[
    "char",
    "signed char",
    "unsigned char",
    "short",
    "unsigned short",
    "int",
    "unsigned int",
    "long",
    "unsigned long",
    "long long",
    "unsigned long long",
    "_Bool",
    "float",
    "double",
    "long double",
    "void *",
    "enum color",
    "_Complex float",
    "_Complex double",
    "_Complex long double",
];

/// Structs and unions from 1 to 64 bytes: float-only, integer-only, mixed, nested, arrays,
/// packed, unions, long double, complex, bit-fields, empty, over-aligned. (tag, definition)
pub const RECORDS: &[(&str, &str)] = &[
    // float-only
    ("F1", "struct F1 { float a; };"),
    ("F2", "struct F2 { float a, b; };"),
    ("F3", "struct F3 { float a, b, c; };"),
    ("F4", "struct F4 { float a, b, c, d; };"),
    ("F5", "struct F5 { float a, b, c, d, e; };"),
    ("D1", "struct D1 { double a; };"),
    ("D2", "struct D2 { double a, b; };"),
    ("D3", "struct D3 { double a, b, c; };"),
    ("FD", "struct FD { float a; double b; };"),
    ("DF", "struct DF { double a; float b; };"),
    ("FA3", "struct FA3 { float a[3]; };"),
    ("DA4", "struct DA4 { double a[4]; };"),
    // integer-only
    ("C1", "struct C1 { char a; };"),
    ("C2", "struct C2 { char a, b; };"),
    ("C3", "struct C3 { char a[3]; };"),
    ("C5", "struct C5 { unsigned char a[5]; };"),
    ("C7", "struct C7 { signed char a[7]; };"),
    ("C9", "struct C9 { char a[9]; };"),
    ("C15", "struct C15 { char a[15]; };"),
    ("S1", "struct S1 { short a; };"),
    ("S3", "struct S3 { short a, b, c; };"),
    ("I1", "struct I1 { int a; };"),
    ("I3", "struct I3 { int a, b, c; };"),
    ("L1", "struct L1 { long long a; };"),
    ("L2", "struct L2 { long long a, b; };"),
    ("L3", "struct L3 { long long a, b, c; };"),
    ("L8", "struct L8 { long long a[8]; };"),
    ("BC", "struct BC { _Bool a; char b; };"),
    ("CSC", "struct CSC { char a; short b; char c; };"),
    ("P2", "struct P2 { void *a; int *b; };"),
    ("U64", "struct U64 { unsigned char a[64]; };"),
    // mixed
    ("IF", "struct IF { int a; float b; };"),
    ("FI", "struct FI { float a; int b; };"),
    ("DI", "struct DI { double a; int b; };"),
    ("ID", "struct ID { int a; double b; };"),
    ("CFD", "struct CFD { char a; float b; double c; };"),
    ("CFC", "struct CFC { char a; float b; char c; };"),
    ("SFSS", "struct SFSS { short a; float b; short c, d; };"),
    ("LX", "struct LX { long a; double b; };"),
    ("M4", "struct M4 { long a; double b; long c; double d; };"),
    ("FFI", "struct FFI { float a, b; int c; };"),
    // nested and arrays inside
    ("N1", "struct N1 { struct F2 a; double b; };"),
    ("N2", "struct N2 { struct { int i; float f; } a; struct { char c; } b; };"),
    ("N3", "struct N3 { struct C3 a; struct S1 b; struct F1 c; };"),
    ("AF", "struct AF { float a[2]; int b; };"),
    ("AM", "struct AM { struct IF a[2]; char b[3]; };"),
    // packed
    ("PK1", "struct __attribute__((packed)) PK1 { char a; int b; };"),
    ("PK2", "struct __attribute__((packed)) PK2 { char a; double b; };"),
    ("PK3", "struct __attribute__((packed)) PK3 { short a; long long b; };"),
    ("PK4", "struct __attribute__((packed)) PK4 { int a, b; };"),
    // unions
    ("UFI", "union UFI { float a; int b; };"),
    ("UDL", "union UDL { double a; long long b; };"),
    ("UCF", "union UCF { char a[12]; float b; };"),
    ("UFD", "union UFD { float a[2]; double b; };"),
    ("UNS", "union UNS { struct F2 a; long long b; };"),
    // long double and complex inside
    ("X1", "struct X1 { long double a; };"),
    ("X2", "struct X2 { long double a; int b; };"),
    ("CX1", "struct CX1 { _Complex float a; };"),
    ("CX2", "struct CX2 { float a; _Complex float b; };"),
    // bit-fields
    ("B1", "struct B1 { int a : 3, b : 5; char c; };"),
    ("B2", "struct B2 { unsigned a : 7; unsigned b : 20; float c; };"),
    ("B3", "struct B3 { long long a : 40; int b; };"),
    // empty and over-aligned
    ("E", "struct E {};"),
    ("AL16", "struct __attribute__((aligned(16))) AL16 { long a; };"),
    ("AL32", "struct __attribute__((aligned(32))) AL32 { long long a, b, c; };"),
];

/// Other declarations the types use.
pub const PRELUDE: &str = "enum color { RED = 1, GREEN = 7, BLUE = 200 };";

/// The C spelling of every type of the matrix.
pub fn all_types() -> Vec<String> {
    let mut types: Vec<String> = SCALARS.iter().map(|s| s.to_string()).collect();
    for (tag, def) in RECORDS {
        let keyword = if def.starts_with("union") { "union" } else { "struct" };
        types.push(format!("{keyword} {tag}"));
    }
    types
}

/// A calling convention of the matrix and how its fixtures are written and compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    Sysv,
    MsAbi,
    Swift,
}

impl Conv {
    /// The attribute written before the function name.
    pub fn attribute(self) -> &'static str {
        match self {
            Conv::Sysv => "",
            Conv::MsAbi => "__attribute__((ms_abi)) ",
            Conv::Swift => "__attribute__((swiftcall)) ",
        }
    }

    pub fn has_varargs(self) -> bool {
        self != Conv::Swift
    }
}

/// Swift's special parameters a signature may carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwiftParams {
    /// A `swift_indirect_result` parameter (first) pointing to a value of this type.
    pub indirect: Option<String>,
    pub context: bool,
    pub error: bool,
}

/// One fixture function.
#[derive(Clone, Debug)]
pub struct Sig {
    pub ret: String,
    pub params: Vec<String>,
    /// The variadic arguments of the call (the prototype ends in `...`).
    pub varargs: Option<Vec<String>>,
    pub swift: SwiftParams,
}

impl Sig {
    fn plain(ret: &str, params: Vec<String>) -> Sig {
        Sig { ret: ret.to_string(), params, varargs: None, swift: SwiftParams::default() }
    }
}

/// Every signature compiled for `conv`.
pub fn signatures(conv: Conv) -> Vec<Sig> {
    let types = all_types();
    let mut sigs = Vec::new();
    // Each type as the only argument and as the result.
    for t in &types {
        sigs.push(Sig::plain(t, vec![t.clone()]));
    }
    // Each type twice after registers are nearly used up: partial exhaustion, whole aggregates
    // going to the stack, later arguments still taking registers.
    for t in &types {
        let mut params: Vec<String> = ["long", "long", "long", "long", "long"].iter().map(|s| s.to_string()).collect();
        params.extend(["double"; 7].iter().map(|s| s.to_string()));
        params.extend([t.clone(), t.clone(), "int".into(), "float".into(), "char".into(), "double".into()]);
        sigs.push(Sig::plain(t, params));
    }
    // Argument counts 0 to 20 of several kinds.
    for n in 0..=20 {
        for kinds in
            [&["long long"][..], &["double"], &["float"], &["signed char", "double"], &["int", "struct F2", "short"]]
        {
            let params = (0..n).map(|i| kinds[i % kinds.len()].to_string()).collect();
            let ret = kinds[n % kinds.len()];
            sigs.push(Sig::plain(ret, params));
        }
    }
    // Random signatures over every type.
    let mut rng = Rng(match conv {
        Conv::Sysv => 1,
        Conv::MsAbi => 2,
        Conv::Swift => 3,
    });
    for _ in 0..150 {
        let n = rng.below(19) as usize;
        let params = (0..n).map(|_| types[rng.below(types.len() as u64) as usize].clone()).collect();
        let ret =
            if rng.below(7) == 0 { "void".to_string() } else { types[rng.below(types.len() as u64) as usize].clone() };
        sigs.push(Sig::plain(&ret, params));
    }
    if conv.has_varargs() {
        for _ in 0..60 {
            let fixed = 1 + rng.below(3) as usize;
            let params = (0..fixed).map(|_| types[rng.below(types.len() as u64) as usize].clone()).collect();
            let count = 1 + rng.below(14) as usize;
            let varargs = (0..count).map(|_| types[rng.below(types.len() as u64) as usize].clone()).collect();
            let ret = types[rng.below(types.len() as u64) as usize].clone();
            sigs.push(Sig { ret, params, varargs: Some(varargs), swift: SwiftParams::default() });
        }
    }
    if conv == Conv::Swift {
        // Swift's special parameters, with a spread of other arguments and results.
        for (i, t) in types.iter().enumerate() {
            let mut params = vec![t.clone()];
            if i % 2 == 0 {
                params.push("double".into());
            }
            let swift = SwiftParams {
                indirect: (i % 3 == 0).then(|| types[(i * 7) % types.len()].clone()),
                context: i % 4 != 1,
                // Clang: "'swift_error_result' parameter must follow 'swift_context' parameter".
                error: i % 4 != 2 && i % 4 != 1,
            };
            sigs.push(Sig { ret: types[(i * 5) % types.len()].clone(), params, varargs: None, swift });
        }
    }
    sigs
}

/// Why a compiler cannot serve as the oracle for a signature, if it cannot: the places where
/// GCC and Clang disagree or are wrong, each stated (never skipped silently: the test prints
/// how many signatures each reason removed). `by_reference(t)` says whether Microsoft's
/// convention passes a `t` by reference.
pub fn compiler_gap(
    conv: Conv,
    compiler: &str,
    sig: &Sig,
    by_reference: impl Fn(&str) -> bool,
) -> Option<&'static str> {
    match (conv, compiler) {
        // GCC 12's __builtin_va_arg on an ms_abi va_list misreads arguments passed by
        // reference (its own callers and callees disagree); Clang reads them correctly.
        (Conv::MsAbi, "gcc") if sig.varargs.iter().flatten().any(|t| by_reference(t)) => {
            Some("GCC misreads by-reference varargs of ms_abi functions")
        }
        // Clang on Linux returns an ms_abi long double in st(0) and an empty struct through a
        // hidden pointer; rivet follows GCC and MinGW-w64 (hidden pointer, nothing).
        (Conv::MsAbi, "clang") if sig.ret == "long double" || sig.ret == "struct E" => {
            Some("Clang returns ms_abi long double and empty structs differently from GCC")
        }
        _ => None,
    }
}
