//! Every error message of the C declaration parser, with its position and token.

use super::*;
use crate::TypeParam;

fn type_error(src: &str, params: &[TypeParam]) -> String {
    let mut t = declared("struct s { int a; }; int func(int);");
    match t.parse_type(src, params) {
        Ok(id) => panic!("{src:?} parsed as {}", t.render(id)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn lexical_errors() {
    for (src, msg) in [
        ("int @x;", "cdef:1:5: unexpected character near '@'"),
        ("char *s =\n \"abc;", "cdef:2:2: unfinished string near '\"abc;'"),
        ("enum { A = 'x };", "cdef:1:12: unfinished character constant near ''x };'"),
        ("int x; /* open", "cdef:1:8: unfinished comment near '/*'"),
        ("int x; #define A 1", "cdef:1:8: '#' must start a line near '#'"),
        ("enum { A = 12ab };", "cdef:1:12: invalid integer suffix near '12ab'"),
        ("enum { A = 1.2.3 };", "cdef:1:12: malformed number near '1.2.3'"),
        ("enum { A = 0x };", "cdef:1:12: malformed number near '0x'"),
        ("enum { A = 08 };", "cdef:1:12: invalid digit in octal constant near '08'"),
        ("enum { A = 99999999999999999999 };", "cdef:1:12: integer constant is too large near '99999999999999999999'"),
        (
            "enum { A = 18446744073709551615 };",
            "cdef:1:12: integer constant is too large for its type near '18446744073709551615'",
        ),
        ("enum { A = '' };", "cdef:1:12: empty character constant near ''''"),
        ("enum { A = 'ab' };", "cdef:1:12: multi-character character constant near ''ab''"),
        ("enum { A = '\\q' };", "cdef:1:12: invalid escape sequence near ''\\q''"),
        ("enum { A = '\\777' };", "cdef:1:12: octal escape sequence out of range near ''\\777''"),
        ("enum { A = '\\x' };", "cdef:1:12: \\x used with no following hex digits near ''\\x''"),
        ("enum { A = '\\x100' };", "cdef:1:12: hex escape sequence out of range near ''\\x100''"),
        ("enum { A = L'\\u12' };", "cdef:1:12: incomplete universal character name near 'L'\\u12''"),
        ("#define S \"\\ud800\"", "cdef:1:11: invalid universal character near '\"\\ud800\"'"),
        ("#define S L\"wide\"", "cdef:1:11: wide string literals are not supported near 'L\"wide\"'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn declaration_errors() {
    for (src, msg) in [
        ("int x", "cdef:1:6: ';' expected near '<eof>'"),
        ("int;", "cdef:1:1: declaration does not declare anything near 'int'"),
        ("x;", "cdef:1:1: declaration expected near 'x'"),
        ("const x;", "cdef:1:7: type specifier expected near 'x'"),
        ("int *;", "cdef:1:6: identifier expected near ';'"),
        ("typedef extern int x;", "cdef:1:9: multiple storage classes in declaration specifiers near 'extern'"),
        ("register int x;", "cdef:1:1: storage class not allowed here near 'register'"),
        ("long char c;", "cdef:1:1: invalid combination of type specifiers near 'long'"),
        ("signed float f;", "cdef:1:1: invalid combination of type specifiers near 'signed'"),
        ("long long long x;", "cdef:1:1: invalid combination of type specifiers near 'long'"),
        ("int struct s x;", "cdef:1:5: invalid combination of type specifiers near 'struct'"),
        ("int f(int) { return 0; }", "cdef:1:12: function definitions are not supported near '{'"),
        (
            "int x = 3;",
            "cdef:1:7: only 'static const' integer or floating constants can have an initializer ('x') near '='",
        ),
        (
            "static const char *s = \"a\";",
            "cdef:1:22: only 'static const' integer or floating constants can have an initializer ('s') near '='",
        ),
        ("typedef int t = 3;", "cdef:1:15: typedef with an initializer near '='"),
        ("int f(int) = 3;", "cdef:1:12: function with an initializer near '='"),
        (
            "typedef int t __attribute__((aligned(8)));",
            "cdef:1:13: alignment or packing attributes on a typedef are not supported near 't'",
        ),
        ("typedef int t asm(\"x\");", "cdef:1:13: asm label on a typedef near 't'"),
        ("void v;", "cdef:1:6: variable 'v' declared void near 'v'"),
        ("int x; long x;", "cdef:1:13: conflicting types for 'x' near 'x'"),
        ("int f(int); int f(long);", "cdef:1:17: conflicting types for 'f' near 'f'"),
        ("int f(int); int __stdcall f(int);", "cdef:1:27: conflicting types for 'f' near 'f'"),
        ("int x; typedef int x;", "cdef:1:20: 'x' redeclared as a different kind of symbol near 'x'"),
        ("enum { A = 1 }; enum { A = 2 };", "cdef:1:24: redefinition of 'A' with a different value near 'A'"),
        ("int f(int) asm(\"a\"); int f(int) asm(\"b\");", "cdef:1:26: conflicting types for 'f' near 'f'"),
        ("int f(void x);", "cdef:1:7: parameter of type 'void' near 'void'"),
        ("int f(,);", "cdef:1:7: parameter type expected near ','"),
        ("int f(int x, char *x);", "cdef:1:14: redefinition of parameter 'x' near 'char'"),
        ("typedef int bool;", "cdef:1:1: invalid combination of type specifiers near 'typedef'"),
        ("int f(int a[?]); int g[3][?];", "cdef:1:26: '[?]' is only allowed in the outermost array near '['"),
        ("int a[-1];", "cdef:1:7: size of array is negative near '-'"),
        ("int f(void)[3];", "cdef:1:6: function returning an array near '('"),
        ("int f(void)(int);", "cdef:1:6: function returning a function near '('"),
        ("struct s; struct s a[3];", "cdef:1:21: array of incomplete type 'struct s' near '['"),
        ("void a[3];", "cdef:1:7: array of 'void' near '['"),
        (
            "struct v { int n; int a[?]; }; struct v arr[2];",
            "cdef:1:44: array of variable-length type 'struct v' near '['",
        ),
        ("int __stdcall x;", "cdef:1:15: calling convention on something that is not a function near 'x'"),
        ("int (__stdcall x);", "cdef:1:6: calling convention on something that is not a function near '__stdcall'"),
        ("int __stdcall __fastcall f(void);", "cdef:1:15: conflicting calling conventions near '__fastcall'"),
        ("int (__stdcall *p)(int) __attribute__((fastcall));", "cdef:1:19: conflicting calling conventions near '('"),
        ("int __vectorcall f(void);", "cdef:1:5: unsupported calling convention '__vectorcall' near '__vectorcall'"),
        ("int (f;", "cdef:1:7: ')' expected near ';'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn record_errors() {
    for (src, msg) in [
        ("struct { int a; ", "cdef:1:17: '}' expected near '<eof>'"),
        ("struct;", "cdef:1:7: identifier or '{' expected near ';'"),
        ("struct s { int a; }; union s u;", "cdef:1:28: 's' defined as wrong kind of tag near 's'"),
        ("struct s { int a; }; struct s { long a; };", "cdef:1:29: redefinition of 'struct s' near 's'"),
        ("struct r { struct r { } x; };", "cdef:1:8: redefinition of 'struct r' near 'r'"),
        ("struct s { int a; } __stdcall;", "cdef:1:30: calling convention on a struct or union near ';'"),
        (
            "struct s { int a; \n#pragma pack(1)\n };",
            "cdef:2:1: preprocessor line inside a struct or union near '#pragma pack(1)'",
        ),
        ("struct s { 3; };", "cdef:1:12: member declaration expected near '3'"),
        ("struct s { int; };", "cdef:1:12: declaration does not declare anything near 'int'"),
        ("struct s { struct t; };", "cdef:1:12: declaration does not declare anything near 'struct'"),
        ("struct s { float f : 3; };", "cdef:1:20: bit-field 'f' has invalid type near ':'"),
        ("struct s { int f : -1; };", "cdef:1:18: negative width in bit-field 'f' near ':'"),
        ("struct s { int f : 33; };", "cdef:1:18: width of 'f' exceeds its type near ':'"),
        ("struct s { bool f : 2; };", "cdef:1:19: width of 'f' exceeds its type near ':'"),
        ("struct s { int f : 0; };", "cdef:1:18: zero width for bit-field 'f' near ':'"),
        ("struct s { int f(int); };", "cdef:1:16: field 'f' declared as a function near 'f'"),
        ("union u { int n; int a[]; };", "cdef:1:22: variable-length member 'a' in a union near 'a'"),
        ("struct s { int a[]; int n; };", "cdef:1:16: variable-length member 'a' not at end of struct near 'a'"),
        ("struct s { struct t inner; };", "cdef:1:21: field 'inner' has incomplete type 'struct t' near 'inner'"),
        ("struct s { void v; };", "cdef:1:17: field 'v' has incomplete type 'void' near 'v'"),
        ("struct s { int a; float a; };", "cdef:1:25: duplicate member 'a' near 'a'"),
        ("struct s { int a; union { int a; }; };", "cdef:1:19: duplicate member 'a' near 'union'"),
        ("struct s { extern int a; };", "cdef:1:12: storage class not allowed here near 'extern'"),
        ("enum e { A = 0xffffffffffffffffull, B };", "cdef:1:37: enumerator value for 'B' is out of range near 'B'"),
        ("enum e { };", "cdef:1:10: empty enum near '}'"),
        ("enum e { 3 };", "cdef:1:10: identifier expected near '3'"),
        ("enum e { A } __attribute__((aligned(4)));", "cdef:1:41: unsupported attribute on an enum near ';'"),
        ("enum e { A }; enum e { B };", "cdef:1:20: redefinition of 'enum e' near 'e'"),
        ("enum e { A B };", "cdef:1:12: '}' expected near 'B'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn attribute_errors() {
    for (src, msg) in [
        ("int f(void) __attribute__((frobnicate));", "cdef:1:28: unknown attribute 'frobnicate' near 'frobnicate'"),
        (
            "typedef int v4 __attribute__((vector_size(16)));",
            "cdef:1:31: unsupported attribute 'vector_size' near 'vector_size'",
        ),
        ("int f(void) __attribute__((3));", "cdef:1:28: attribute name expected near '3'"),
        ("struct __declspec(property) s { int a; };", "cdef:1:19: unsupported __declspec 'property' near 'property'"),
        ("struct __declspec(3) s { int a; };", "cdef:1:19: __declspec name expected near '3'"),
        (
            "struct s { int a __attribute__((aligned(3))); };",
            "cdef:1:41: requested alignment is not a positive power of 2 near '3'",
        ),
        ("int f(void) __attribute__((nonnull(1);", "cdef:1:38: ')' expected near ';'"),
        ("int f(void) asm(x);", "cdef:1:17: string expected near 'x'"),
        ("int f(void) asm(\"\");", "cdef:1:19: empty symbol name near ')'"),
        ("int f(void) asm(\"\\xff\");", "cdef:1:23: symbol name is not valid UTF-8 near ')'"),
        ("int f(void) __attribute__(packed);", "cdef:1:27: '(' expected near 'packed'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn constant_expression_errors() {
    for (src, msg) in [
        ("int a[1.5];", "cdef:1:7: integer constant expression expected near '1.5'"),
        ("enum { A = \"s\" ? 1 : 2 };", "cdef:1:12: a string is not a condition near '\"s\"'"),
        ("enum { A = 1 ? \"s\" : 2 };", "cdef:1:16: invalid operands to '?:' near '\"s\"'"),
        ("enum { A = 1.5 % 2 };", "cdef:1:16: invalid operands to binary '%' near '%'"),
        ("enum { A = \"s\" + 1 };", "cdef:1:16: invalid operands to binary '+' near '+'"),
        ("enum { A = 1 << 40 };", "cdef:1:14: shift count out of range near '<<'"),
        ("enum { A = 1 >> -1 };", "cdef:1:14: shift count out of range near '>>'"),
        ("enum { A = 1 / 0 };", "cdef:1:14: division by zero near '/'"),
        ("enum { A = 5 % (2 - 2) };", "cdef:1:14: division by zero near '%'"),
        ("enum { A = ~1.5 };", "cdef:1:12: invalid operand to unary '~' near '~'"),
        ("enum { A = -\"s\" };", "cdef:1:12: invalid operand to unary '-' near '-'"),
        ("enum e; enum { A = (enum e)1 };", "cdef:1:21: cast to an incomplete enum near 'enum'"),
        ("enum { A = (int)\"s\" };", "cdef:1:12: invalid cast of a string near '('"),
        ("enum { A = (int *)0 };", "cdef:1:13: cast to 'int *' is not a constant expression near 'int'"),
        ("enum { A = (int)1e30 };", "cdef:1:12: floating constant out of range of the integer type near '('"),
        ("enum { A = B };", "cdef:1:12: undeclared identifier 'B' near 'B'"),
        ("int f(void); enum { A = f };", "cdef:1:25: 'f' is a function, not a constant near 'f'"),
        ("enum { A = };", "cdef:1:12: constant expression expected near '}'"),
        ("enum { A = (1 };", "cdef:1:15: ')' expected near '}'"),
        (
            "enum { A = sizeof(struct nope) };",
            "cdef:1:19: size of incomplete type 'struct nope' is unknown near 'struct'",
        ),
        ("enum { A = sizeof(void) };", "cdef:1:19: type 'void' has no size near 'void'"),
        ("enum { A = sizeof(int(int)) };", "cdef:1:19: type 'int (int)' has no size near 'int'"),
        ("enum { A = _Alignof(3) };", "cdef:1:21: type expected near '3'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn directive_errors() {
    for (src, msg) in [
        ("#include <stdio.h>", "cdef:1:2: unsupported preprocessor directive '#include' (only #define and #pragma pack are understood) near 'include'"),
        ("#ifdef X\n#endif", "cdef:1:2: unsupported preprocessor directive '#ifdef' (only #define and #pragma pack are understood) near 'ifdef'"),
        ("#3", "cdef:1:2: preprocessor directive expected near '3'"),
        ("#define", "cdef:1:8: macro name expected near '<eof>'"),
        ("#define F(x) (x)", "cdef:1:9: function-like macros are not supported near 'F'"),
        ("#define EMPTY", "cdef:1:9: #define without a value is not supported (only constants) near 'EMPTY'"),
        ("#define T int", "cdef:1:11: constant expression expected near 'int'"),
        ("#define X 1 2", "cdef:1:13: unexpected symbol at the end of the directive near '2'"),
        ("#define X 1\n#define X 2", "cdef:2:9: redefinition of 'X' with a different value near 'X'"),
        ("int X;\n#define X 2", "cdef:2:9: 'X' redeclared as a different kind of symbol near 'X'"),
        ("#pragma", "cdef:1:8: pragma name expected near '<eof>'"),
        ("#pragma warning(disable: 4996)", "cdef:1:9: unsupported #pragma 'warning' near 'warning'"),
        ("#pragma pack(3)", "cdef:1:14: #pragma pack value must be 1, 2, 4, 8 or 16 near '3'"),
        ("#pragma pack(pop)", "cdef:1:14: #pragma pack(pop) without a matching push near 'pop'"),
        ("#pragma pack(push, a)\n#pragma pack(pop, b)", "cdef:2:14: #pragma pack(pop) without a matching push near 'pop'"),
        ("#pragma pack(show)", "cdef:1:14: #pragma pack expects push, pop, or a number near 'show'"),
        ("#pragma pack(push, 1, 2)", "cdef:1:23: unexpected argument to #pragma pack near '2'"),
        ("#pragma pack 1", "cdef:1:14: '(' expected near '1'"),
        ("#define S \"unterminated", "cdef:1:11: unfinished string near '\"unterminated'"),
    ] {
        assert_eq!(cdef_error(src), msg, "{src}");
    }
}

#[test]
fn nesting_limits_give_errors_not_stack_overflows() {
    let parens = format!("int {}x{};", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(cdef_error(&parens), "cdef:1:105: declaration nested too deeply near '('");
    let expr = format!("enum {{ A = {}1{} }};", "(".repeat(5000), ")".repeat(5000));
    assert!(cdef_error(&expr).contains("declaration nested too deeply near '('"));
    let minus = format!("enum {{ A = {}1 }};", "-".repeat(5000));
    assert!(cdef_error(&minus).contains("declaration nested too deeply"));
    let records = format!("{}int x;{}", "struct { ".repeat(500), " } m;".repeat(500));
    assert!(cdef_error(&records).contains("declaration nested too deeply"));
    let stars = format!("int {}p;", "*".repeat(5000));
    assert_eq!(cdef_error(&stars), "cdef:1:5005: type nested too deeply near 'p'");
    // Depth accumulated over many declarations is limited too.
    let mut t = table();
    let mut src = String::from("typedef int t0;");
    for i in 1..=500 {
        src.push_str(&format!(" typedef t{} *t{i};", i - 1));
    }
    let err = t.cdef(&src).unwrap_err();
    assert_eq!(err.message, "type nested too deeply");
    let mut src = String::from("struct s0 { int a; };");
    for i in 1..=500 {
        src.push_str(&format!(" struct s{i} {{ struct s{} inner; }};", i - 1));
    }
    assert_eq!(t.cdef(&src).unwrap_err().message, "type nested too deeply");
}

#[test]
fn type_string_errors() {
    for (src, params, msg) in [
        ("", vec![], "cdef:1:1: type expected near '<eof>'"),
        ("int x", vec![], "cdef:1:5: unexpected symbol after the type near 'x'"),
        ("nosuchtype", vec![], "cdef:1:1: type expected near 'nosuchtype'"),
        ("extern int", vec![], "cdef:1:1: storage class not allowed here near 'extern'"),
        ("$ *", vec![], "cdef:1:1: type expected near '$'"),
        ("int[$]", vec![], "cdef:1:5: missing parameter for '$' near '$'"),
        ("int[$]", vec![TypeParam::Name("x".into())], "cdef:1:5: '$' here needs a number parameter near '$'"),
        ("int", vec![TypeParam::Int(1)], "cdef:1:4: more parameters than '$' placeholders near '<eof>'"),
        ("int[3][?]", vec![], "cdef:1:7: '[?]' is only allowed in the outermost array near '['"),
        ("int (*)[?]", vec![], "cdef:1:8: '[?]' is only allowed in the outermost array near '['"),
        ("struct s[2", vec![], "cdef:1:11: ']' expected near '<eof>'"),
        ("int[9223372036854775807][4]", vec![], "cdef:1:4: size of array is too large near '['"),
    ] {
        assert_eq!(type_error(src, &params), msg, "{src}");
    }
}
