//! Enums, `static const` constants, `#define` constants and constant-expression evaluation.
//! Expected values come from gcc 12 evaluating the same expressions.

use super::*;
use crate::ctype::{CType, IntKind};

#[test]
fn constant_expressions_follow_c() {
    let t = declared(
        "enum { A = 5, B, C = A + B * 2, D = -1, E = (unsigned)-1 >> 1, F = -1 < 0u, G = 1 ? 2 : 3,
                H = 0 && (1/0), I = sizeof(long) * 2, J = _Alignof(double), K = ~0u, L = 7 / -2, M = -7 % 3,
                N = 0x7fffffff + 1u, O = (char)300, P = (unsigned char)-1, Q = 1 << 31 >> 31, R = !5 + !0,
                S = (int)3.9, T = 10 / 3 * 3, U = 'a' + 1, V = sizeof(int[3][4]), W = (-1L < 0U),
                X = 1 ? 0 : 1/0, Y = __alignof__(long long), Z = sizeof(struct { char c; double d; }) };",
    );
    for (name, value) in [
        ("A", 5),
        ("B", 6),
        ("C", 17),
        ("D", -1),
        ("E", 2147483647),
        ("F", 0),
        ("G", 2),
        ("H", 0),
        ("I", 16),
        ("J", 8),
        ("K", 4294967295),
        ("L", -3),
        ("M", -1),
        ("N", 2147483648),
        ("O", 44),
        ("P", 255),
        ("Q", -1),
        ("R", 1),
        ("S", 3),
        ("T", 9),
        ("U", 98),
        ("V", 48),
        ("W", 1),
        ("X", 0),
        ("Y", 8),
        ("Z", 16),
    ] {
        assert_eq!(int_const(&t, name), value, "{name}");
    }
}

#[test]
fn constant_expressions_use_the_tables_target() {
    let mut t = CTypeTable::new(Target::I386_LINUX);
    t.cdef("enum { I = sizeof(long) * 2, J = _Alignof(double), W = (-1L < 0U) };").unwrap();
    assert_eq!((int_const(&t, "I"), int_const(&t, "J"), int_const(&t, "W")), (8, 4, 0));
    let mut t = CTypeTable::new(Target::X86_64_WINDOWS);
    t.cdef("enum { L = sizeof(long), P = sizeof(void *) };").unwrap();
    assert_eq!((int_const(&t, "L"), int_const(&t, "P")), (4, 8));
}

#[test]
fn enum_types_and_constants() {
    let mut t = declared(
        "enum color { RED, GREEN = 10, BLUE }; enum big { HUGE = 0x100000000 }; enum neg { MINUS = -5, PLUS = 5 };
         enum __attribute__((packed)) small { S1 = 1, S2 = 200 }; typedef enum { X1 } anon_e;",
    );
    assert_eq!((int_const(&t, "RED"), int_const(&t, "GREEN"), int_const(&t, "BLUE")), (0, 10, 11));
    assert_eq!(size_align(&mut t, "enum color"), (4, 4));
    assert_eq!(size_align(&mut t, "enum big"), (8, 8));
    assert_eq!(layout(&mut t, "enum big", Target::I386_LINUX).align, 4);
    assert_eq!(size_align(&mut t, "enum neg"), (4, 4));
    assert_eq!(size_align(&mut t, "enum small"), (1, 1));
    assert_eq!(layout(&mut t, "enum small", Target::X86_64_WINDOWS).size, 4);
    assert_eq!(render(&mut t, "enum color"), "enum color");
    assert!(render(&mut t, "anon_e").starts_with("enum "));
    let Some(Decl::Constant(c)) = t.lookup("HUGE") else { panic!() };
    assert_eq!(t.get(c.ty), &CType::Int(IntKind::LongLong));
}

#[test]
fn static_const_constants() {
    let t = declared(
        "static const int N = 10; static const unsigned char B = 300; const long M = N * 2;
         static const double PI = 3.25; static const float HALF = 1 / 2.0f; static const bool YES = 7;",
    );
    assert_eq!(int_const(&t, "N"), 10);
    assert_eq!(int_const(&t, "B"), 44);
    assert_eq!(int_const(&t, "M"), 20);
    assert_eq!(int_const(&t, "YES"), 1);
    let float = |name: &str| match t.lookup(name) {
        Some(Decl::Constant(c)) => match c.value {
            ConstValue::Float(f) => f,
            ref v => panic!("{v:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(float("PI"), 3.25);
    assert_eq!(float("HALF"), 0.5);
}

#[test]
fn defines_become_constants() {
    let mut t = declared(
        "#define SIZE 16\n\
         #define MASK (SIZE - 1)\n\
         #define BIG 0xffffffffffffffffULL\n\
         #define RATIO 1.5\n\
         #define HALF_F 0.5f\n\
         #define NAME \"rivet\" \"-ffi\"\n\
         #define NEG -(SIZE << 2)\n\
         #define LONG_BITS (sizeof(long) * 8)\n\
         #define CONT 1 + \\\n  2\n\
         #pragma once\n\
         #\n\
         char buf[MASK + 1];",
    );
    assert_eq!(int_const(&t, "SIZE"), 16);
    assert_eq!(int_const(&t, "MASK"), 15);
    assert_eq!(int_const(&t, "BIG"), u64::MAX as i128);
    assert_eq!(int_const(&t, "NEG"), -64);
    assert_eq!(int_const(&t, "LONG_BITS"), 64);
    assert_eq!(int_const(&t, "CONT"), 3);
    let Some(Decl::Constant(c)) = t.lookup("BIG") else { panic!() };
    assert_eq!(t.render(c.ty), "unsigned long long");
    let Some(Decl::Constant(c)) = t.lookup("RATIO") else { panic!() };
    assert_eq!((t.render(c.ty), &c.value), ("double".to_string(), &ConstValue::Float(1.5)));
    let Some(Decl::Constant(c)) = t.lookup("HALF_F") else { panic!() };
    assert_eq!(t.render(c.ty), "float");
    let Some(Decl::Constant(c)) = t.lookup("NAME") else { panic!() };
    assert_eq!((t.render(c.ty), &c.value), ("const char [10]".to_string(), &ConstValue::Str(b"rivet-ffi".to_vec())));
    let Some(Decl::Variable(v)) = t.lookup("buf") else { panic!() };
    assert_eq!(t.render(v.ty), "char [16]");
    // A repeated identical #define is fine.
    t.cdef("#define SIZE 16").unwrap();
    t.cdef("#define SIZE (8 + 8)").unwrap();
}

#[test]
fn literal_types_follow_c() {
    let t = declared(
        "#define A 2147483648\n#define B 0x80000000\n#define C 4294967296\n#define D 1u\n#define E 1L\n#define F 'x'",
    );
    let ty = |name: &str| match t.lookup(name) {
        Some(Decl::Constant(c)) => t.render(c.ty),
        other => panic!("{other:?}"),
    };
    // The constant's type is recorded by width and signedness: 64-bit types as long long.
    assert_eq!(ty("A"), "long long");
    assert_eq!(ty("B"), "unsigned int");
    assert_eq!(ty("C"), "long long");
    assert_eq!(ty("D"), "unsigned int");
    assert_eq!(ty("E"), "long long");
    assert_eq!(ty("F"), "int");
}
