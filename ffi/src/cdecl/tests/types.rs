//! Base types, qualifiers, pointers, arrays, functions, typedefs and their C rendering.

use super::*;
use crate::ctype::{ArrayLen, CType, CallConv, IntKind};
use crate::TypeParam;

#[test]
fn base_types_render_as_c() {
    let mut t = table();
    for (text, expected) in [
        ("void", "void"),
        ("_Bool", "bool"),
        ("bool", "bool"),
        ("char", "char"),
        ("signed char", "signed char"),
        ("unsigned char", "unsigned char"),
        ("short", "short"),
        ("short int", "short"),
        ("signed short int", "short"),
        ("unsigned short", "unsigned short"),
        ("int", "int"),
        ("signed", "int"),
        ("unsigned", "unsigned int"),
        ("long", "long"),
        ("long int", "long"),
        ("unsigned long", "unsigned long"),
        ("long long", "long long"),
        ("long long int", "long long"),
        ("unsigned long long", "unsigned long long"),
        ("int long unsigned long", "unsigned long long"),
        ("float", "float"),
        ("double", "double"),
        ("long double", "long double"),
        ("complex", "complex double"),
        ("complex float", "complex float"),
        ("_Complex double", "complex double"),
        ("double _Complex", "complex double"),
        ("__complex__ long double", "complex long double"),
        ("int8_t", "signed char"),
        ("uint8_t", "unsigned char"),
        ("int16_t", "short"),
        ("uint16_t", "unsigned short"),
        ("int32_t", "int"),
        ("uint32_t", "unsigned int"),
        ("int64_t", "long long"),
        ("uint64_t", "unsigned long long"),
        ("size_t", "size_t"),
        ("ssize_t", "ssize_t"),
        ("intptr_t", "intptr_t"),
        ("uintptr_t", "uintptr_t"),
        ("ptrdiff_t", "ptrdiff_t"),
        ("wchar_t", "wchar_t"),
        ("va_list", "va_list"),
        ("__builtin_va_list", "va_list"),
        ("__int8", "signed char"),
        ("unsigned __int64", "unsigned long long"),
        ("__int32", "int"),
    ] {
        assert_eq!(render(&mut t, text), expected, "{text}");
    }
}

#[test]
fn identical_types_have_one_id() {
    let mut t = table();
    let a = t.parse_type("int32_t", &[]).unwrap();
    let b = t.parse_type("signed int", &[]).unwrap();
    assert_eq!(a, b);
    let p = t.parse_type("const char *", &[]).unwrap();
    let q = t.parse_type("char const*", &[]).unwrap();
    assert_eq!(p, q);
    let f = t.parse_type("int (*)(int, char *)", &[]).unwrap();
    let g = t.parse_type("int(*)(int x, char *s)", &[]).unwrap();
    assert_eq!(f, g);
    assert_ne!(t.parse_type("char", &[]).unwrap(), t.parse_type("signed char", &[]).unwrap());
}

#[test]
fn derived_types_render_as_luajit_prints_them() {
    let mut t = table();
    for (text, expected) in [
        ("int *", "int *"),
        ("const char *", "const char *"),
        ("char *const", "char *const"),
        ("const volatile int", "const volatile int"),
        ("int **", "int **"),
        ("int[10]", "int [10]"),
        ("int[2][3]", "int [2][3]"),
        ("int[?]", "int [?]"),
        ("int[]", "int []"),
        ("int *[3]", "int *[3]"),
        ("int (*)[3]", "int (*)[3]"),
        ("int (*)(int)", "int (*)(int)"),
        ("int (int)", "int (int)"),
        ("void (*)(void)", "void (*)(void)"),
        ("void (*)()", "void (*)(void)"),
        ("int (*)(const char *, ...)", "int (*)(const char *, ...)"),
        ("int (*[3])(void)", "int (*[3])(void)"),
        ("int (*(*)(int))(double)", "int (*(*)(int))(double)"),
        ("int (__stdcall *)(int)", "int (__stdcall *)(int)"),
        ("char (*)[4][5]", "char (*)[4][5]"),
        ("const int[3]", "const int [3]"),
    ] {
        assert_eq!(render(&mut t, text), expected, "{text}");
    }
}

#[test]
fn qualifying_an_array_qualifies_its_elements() {
    let mut t = declared("typedef int A[3];");
    let a = t.parse_type("const A", &[]).unwrap();
    let b = t.parse_type("const int[3]", &[]).unwrap();
    assert_eq!(a, b);
}

#[test]
fn typedefs_name_their_types() {
    let mut t = declared(
        "typedef int myint; typedef myint *pmyint, arr3[3]; typedef struct point { int x, y; } point_t, *ppoint;
         typedef int fn_t(int); typedef fn_t *fnptr;",
    );
    assert_eq!(render(&mut t, "pmyint"), "int *");
    assert_eq!(render(&mut t, "arr3"), "int [3]");
    assert_eq!(render(&mut t, "point_t"), "struct point");
    assert_eq!(render(&mut t, "ppoint"), "struct point *");
    assert_eq!(render(&mut t, "fn_t"), "int (int)");
    assert_eq!(render(&mut t, "fnptr"), "int (*)(int)");
    assert_eq!(render(&mut t, "const myint"), "const int");
    assert_eq!(render(&mut t, "unsigned long"), "unsigned long");
    let Some(Decl::Typedef(id)) = t.lookup("point_t") else { panic!() };
    assert_eq!(Some(*id), t.lookup_tag("point"));
}

#[test]
fn typedef_names_can_be_used_as_declarator_names_after_a_type() {
    // `size` is not a typedef; `int myint` redeclares nothing because `myint` after a type
    // specifier is a member name.
    let mut t = declared("typedef int myint; struct s { long myint; myint other; };");
    let l = layout(&mut t, "struct s", Target::X86_64_LINUX);
    assert_eq!(l.fields[0].name.as_deref(), Some("myint"));
    assert_eq!(l.size, 16);
}

#[test]
fn functions_are_declared_with_names_conventions_and_varargs() {
    let t = declared(
        "int printf(const char *fmt, ...);
         void __stdcall Sleep(unsigned long ms);
         int __attribute__((fastcall)) fast(int, int);
         double __attribute__((ms_abi)) ms(double x);
         int sysv(int) __attribute__((sysv_abi));
         void __thiscall method(void *self);
         void swift(void *ctx __attribute__((swift_context)), void **err __attribute__((swift_error_result))) __attribute__((swiftcall));
         int open(const char *, int, ...) asm(\"open64\");
         int f(void);
         int g();",
    );
    let func = |name: &str| match t.lookup(name) {
        Some(Decl::Function(f)) => f.clone(),
        other => panic!("{name}: {other:?}"),
    };
    let ty = |name: &str| match t.get(func(name).ty) {
        CType::Func(f) => f.clone(),
        other => panic!("{other:?}"),
    };
    assert!(ty("printf").variadic);
    assert_eq!(func("printf").param_names, vec![Some("fmt".into())]);
    assert_eq!(ty("Sleep").conv, CallConv::Stdcall);
    assert_eq!(ty("fast").conv, CallConv::Fastcall);
    assert_eq!(ty("ms").conv, CallConv::MsAbi);
    assert_eq!(ty("sysv").conv, CallConv::SysvAbi);
    assert_eq!(ty("method").conv, CallConv::Thiscall);
    assert_eq!(ty("swift").conv, CallConv::Swift);
    assert_eq!(
        ty("swift").param_attrs,
        vec![crate::ctype::ParamAttr::SwiftContext, crate::ctype::ParamAttr::SwiftErrorResult]
    );
    assert_eq!(func("open").asm_name.as_deref(), Some("open64"));
    assert!(ty("f").params.is_empty() && !ty("f").variadic);
    assert!(ty("g").params.is_empty());
    assert_eq!(t.render(func("printf").ty), "int (const char *, ...)");
    assert_eq!(t.render(func("Sleep").ty), "void __stdcall (unsigned long)");
}

#[test]
fn calling_convention_placement() {
    let mut t = declared(
        "typedef int (__stdcall *PFN)(int);
         typedef int __stdcall FN(int);
         __stdcall int (*q)(int);
         int (__fastcall *table[2])(int);
         int (*__cdecl r)(int);",
    );
    assert_eq!(render(&mut t, "PFN"), "int (__stdcall *)(int)");
    assert_eq!(render(&mut t, "FN *"), "int (__stdcall *)(int)");
    let var_ty = |t: &CTypeTable, n: &str| match t.lookup(n) {
        Some(Decl::Variable(v)) => t.render(v.ty),
        other => panic!("{other:?}"),
    };
    assert_eq!(var_ty(&t, "q"), "int (__stdcall *)(int)");
    assert_eq!(var_ty(&t, "table"), "int (__fastcall *[2])(int)");
    assert_eq!(var_ty(&t, "r"), "int (*)(int)");
}

#[test]
fn parameters_are_adjusted() {
    let mut t = table();
    assert_eq!(render(&mut t, "void (*)(int a[10], int b[], int c(int))"), "void (*)(int *, int *, int (*)(int))");
    assert_eq!(render(&mut t, "void (*)(const int a[3])"), "void (*)(const int *)");
}

#[test]
fn extern_variables_and_plain_declarations() {
    let t = declared("extern int errno; const char *environ_name; extern int table[]; extern struct opaque obj;");
    for (name, ty) in
        [("errno", "int"), ("environ_name", "const char *"), ("table", "int []"), ("obj", "struct opaque")]
    {
        match t.lookup(name) {
            Some(Decl::Variable(v)) => assert_eq!(t.render(v.ty), ty),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn type_strings_with_parameters() {
    let mut t = declared("struct foo { int a; };");
    let int = t.parse_type("int", &[]).unwrap();
    let foo = t.parse_type("struct foo", &[]).unwrap();
    let p = t.parse_type("$ *", &[TypeParam::Type(int)]).unwrap();
    assert_eq!(t.render(p), "int *");
    let a = t.parse_type("$[$]", &[TypeParam::Type(foo), TypeParam::Int(4)]).unwrap();
    assert_eq!(t.render(a), "struct foo [4]");
    let s = t.parse_type("struct { $ $; int n; }", &[TypeParam::Type(int), TypeParam::Name("x".into())]).unwrap();
    let l = t.layout(s, Target::X86_64_LINUX).unwrap();
    assert_eq!(l.fields[0].name.as_deref(), Some("x"));
    let f = t.parse_type("$ (*)($, $)", &[TypeParam::Type(int), TypeParam::Type(int), TypeParam::Type(foo)]).unwrap();
    assert_eq!(t.render(f), "int (*)(int, struct foo)");
    let n = t.parse_type("char[$ * 2 + 1]", &[TypeParam::Int(3)]).unwrap();
    let char_ty = t.parse_type("char", &[]).unwrap();
    assert_eq!(t.get(n), &CType::Array { elem: char_ty, len: ArrayLen::Fixed(7) });
    let tagged = t.parse_type("struct $", &[TypeParam::Name("foo".into())]).unwrap();
    assert_eq!(tagged, foo);
}

#[test]
fn type_strings_may_define_records() {
    let mut t = table();
    let s = t.parse_type("struct { int a; double b; }", &[]).unwrap();
    assert!(t.render(s).starts_with("struct "));
    assert_eq!(t.layout(s, Target::X86_64_LINUX).unwrap().size, 16);
    let named = t.parse_type("struct tagged { int a; } *", &[]).unwrap();
    assert_eq!(t.render(named), "struct tagged *");
    assert!(t.lookup_tag("tagged").is_some());
}

#[test]
fn sizes_of_base_types_per_target() {
    let mut t = table();
    let cases: [(&str, [(u64, u32); 4]); 8] = [
        ("long", [(8, 8), (4, 4), (4, 4), (8, 8)]),
        ("long double", [(16, 16), (8, 8), (12, 4), (16, 16)]),
        ("double", [(8, 8), (8, 8), (8, 4), (8, 8)]),
        ("long long", [(8, 8), (8, 8), (8, 4), (8, 8)]),
        ("wchar_t", [(4, 4), (2, 2), (4, 4), (4, 4)]),
        ("size_t", [(8, 8), (8, 8), (4, 4), (8, 8)]),
        ("va_list", [(24, 8), (8, 8), (4, 4), (32, 8)]),
        ("complex float", [(8, 4), (8, 4), (8, 4), (8, 4)]),
    ];
    let targets = [Target::X86_64_LINUX, Target::X86_64_WINDOWS, Target::I386_LINUX, Target::AARCH64_LINUX];
    for (ty, expected) in cases {
        for (target, want) in targets.iter().zip(expected) {
            let l = layout(&mut t, ty, *target);
            assert_eq!((l.size, l.align), want, "{ty} on {target}");
        }
    }
    assert_eq!(size_align(&mut t, "int *"), (8, 8));
    assert_eq!(size_align(&mut t, "_Bool"), (1, 1));
    assert_eq!(layout(&mut t, "void *", Target::I386_WINDOWS).size, 4);
}

#[test]
fn variable_length_arrays_have_a_tail() {
    let mut t = table();
    let l = layout(&mut t, "int[?]", Target::X86_64_LINUX);
    assert_eq!(l.size, 0);
    assert_eq!(l.size_with(10), Some(40));
    let l = layout(&mut t, "double[?][3]", Target::X86_64_LINUX);
    assert_eq!(l.size_with(2), Some(48));
    assert!(t.parse_type("int[3][?]", &[]).is_err());
}

#[test]
fn int_kinds_of_char_constants_follow_the_target() {
    let mut t = CTypeTable::new(Target::AARCH64_LINUX);
    t.cdef("enum { C = '\\xff', W = L'\\xff' };").unwrap();
    assert_eq!(int_const(&t, "C"), 255);
    let mut t = table();
    t.cdef("enum { C = '\\xff' };").unwrap();
    assert_eq!(int_const(&t, "C"), -1);
    let char_ty = t.parse_type("char", &[]).unwrap();
    assert_eq!(t.get(char_ty), &CType::Int(IntKind::Char));
}
