//! Attributes, `__declspec`, `_Alignas`, calling-convention keywords, `asm` labels and
//! `#pragma pack` forms.

use super::*;
use crate::ctype::{CType, CallConv};

const X64: Target = Target::X86_64_LINUX;

#[test]
fn alignment_attributes() {
    let mut t = declared(
        "struct a { char c; int i __attribute__((aligned(8))); };
         struct __attribute__((aligned(16))) b { char c; };
         struct c { char c; } __attribute__((__aligned__(4)));
         struct __declspec(align(8)) d { char c; };
         struct e { char c; __declspec(align(4)) char d; };
         struct f { char c; _Alignas(8) char d; _Alignas(double) char e; };
         struct g { char c; } __attribute__((aligned));
         struct h { char c; int i; } __attribute__((packed, aligned(2)));",
    );
    assert_eq!(size_align(&mut t, "struct a"), (16, 8));
    assert_eq!(size_align(&mut t, "struct b"), (16, 16));
    assert_eq!(size_align(&mut t, "struct c"), (4, 4));
    assert_eq!(size_align(&mut t, "struct d"), (8, 8));
    assert_eq!(offsets(&mut t, "struct e", X64)[1].1, 4);
    assert_eq!(offsets(&mut t, "struct f", X64)[1..], [("d".into(), 8), ("e".into(), 16)]);
    assert_eq!(size_align(&mut t, "struct g"), (16, 16));
    assert_eq!(size_align(&mut t, "struct h"), (6, 2));
}

#[test]
fn ignored_attributes_change_nothing() {
    let t = declared(
        "int puts(const char *) __attribute__((nothrow, __nonnull__(1), visibility(\"default\")));
         __declspec(dllimport) int __stdcall GetLastError(void);
         void die(void) __attribute__((noreturn));
         int printf(const char *, ...) __attribute__((format(printf, 1, 2)));
         __extension__ typedef long long ll_t;
         static inline int helper(int);
         extern int restricted(char *__restrict p, const char *restrict q);",
    );
    for name in ["puts", "GetLastError", "die", "printf", "ll_t", "helper", "restricted"] {
        assert!(t.lookup(name).is_some(), "{name}");
    }
}

#[test]
fn asm_labels() {
    let t =
        declared("int stat64_alias(const char *, void *) __asm__(\"\" \"stat64\"); extern int var asm(\"real_var\");");
    match t.lookup("stat64_alias") {
        Some(Decl::Function(f)) => assert_eq!(f.asm_name.as_deref(), Some("stat64")),
        other => panic!("{other:?}"),
    }
    match t.lookup("var") {
        Some(Decl::Variable(v)) => assert_eq!(v.asm_name.as_deref(), Some("real_var")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pragma_pack_forms() {
    let mut t = declared(
        "#pragma pack(1)\n\
         struct p1 { char a; int b; };\n\
         #pragma pack()\n\
         struct p0 { char a; int b; };\n\
         #pragma pack(push, 2)\n\
         struct p2 { char a; int b; };\n\
         #pragma pack(push, inner, 1)\n\
         struct p1b { char a; int b; };\n\
         #pragma pack(pop, inner)\n\
         struct p2b { char a; int b; };\n\
         #pragma pack(pop)\n\
         struct p0b { char a; int b; };\n\
         #pragma pack(push)\n\
         #pragma pack(4)\n\
         struct p4 { char a; double b; };\n\
         #pragma pack(pop)\n\
         struct p8 { char a; double b; };",
    );
    for (ty, size) in [("p1", 5), ("p0", 8), ("p2", 6), ("p1b", 5), ("p2b", 6), ("p0b", 8), ("p4", 12), ("p8", 16)] {
        assert_eq!(layout(&mut t, &format!("struct {ty}"), X64).size, size, "{ty}");
    }
}

#[test]
fn pack_state_starts_fresh_in_each_cdef() {
    let mut t = declared("#pragma pack(1)\nstruct a { char c; int i; };");
    t.cdef("struct b { char c; int i; };").unwrap();
    assert_eq!(size_align(&mut t, "struct a"), (5, 1));
    assert_eq!(size_align(&mut t, "struct b"), (8, 4));
}

/// Attributes after a struct, union or enum tag that starts no body belong to the declaration
/// (GCC: `struct s __attribute__((ms_abi)) f(void)` declares an ms_abi function).
#[test]
fn attributes_after_a_tag_reference_apply_to_the_declaration() {
    let t = declared(
        "struct s { int a; }; union u { int a; }; enum e { A };
         struct s __attribute__((ms_abi)) f(void);
         union u __attribute__((swiftcall)) g(void);
         enum e __attribute__((ms_abi)) h(int);",
    );
    for (name, conv) in [("f", CallConv::MsAbi), ("g", CallConv::Swift), ("h", CallConv::MsAbi)] {
        let Some(Decl::Function(f)) = t.lookup(name) else { panic!("{name}") };
        let CType::Func(ft) = t.get(f.ty) else { panic!("{name} is not a function") };
        assert_eq!(ft.conv, conv, "{name}");
    }
}
