//! Every compile-time error the code generator reports, with Lua 5.4's wording.

use super::error;

#[test]
fn goto_and_label_errors() {
    assert_eq!(error("goto x"), "test:1: no visible label 'x' for <goto> at line 1");
    assert_eq!(error("do goto x end"), "test:1: no visible label 'x' for <goto> at line 1");
    // Reported where the function ends (here at the end of input), as Lua does.
    assert_eq!(error("x = 1\ny = 2\ngoto z\n"), "test:4: no visible label 'z' for <goto> at line 3");
    assert_eq!(error("break"), "test:1: break outside a loop at line 1");
    assert_eq!(error("if x then break end"), "test:1: break outside a loop at line 1");
    assert_eq!(error("::a:: ::a::"), "test:1: label 'a' already defined on line 1");
    assert_eq!(error("::a:: do ::a:: end"), "test:1: label 'a' already defined on line 1");
    assert_eq!(
        error("goto f; local x; ::f:: print(x)"),
        "test:1: <goto f> at line 1 jumps into the scope of local 'x'"
    );
    // Labels of an enclosing function are not visible.
    assert_eq!(error("::l:: local function f() goto l end"), "test:1: no visible label 'l' for <goto> at line 1");
    // A label in a nested block is not visible outside it.
    assert_eq!(error("do ::l:: end goto l"), "test:1: no visible label 'l' for <goto> at line 1");
    // `break` inside a function inside a loop does not see the loop.
    assert_eq!(error("while x do local function f() break end end"), "test:1: break outside a loop at line 1");
    // Before `until` the body's locals are still in scope: the label is not "at the end".
    assert_eq!(
        error("repeat goto l; local x; ::l:: until x"),
        "test:1: <goto l> at line 1 jumps into the scope of local 'x'"
    );
}

#[test]
fn const_and_close_errors() {
    assert_eq!(error("local x <const> = 1; x = 2"), "test:1: attempt to assign to const variable 'x'");
    assert_eq!(error("local x <const> = f(); x = 2"), "test:1: attempt to assign to const variable 'x'");
    assert_eq!(error("local x <close> = f(); x = 2"), "test:1: attempt to assign to const variable 'x'");
    assert_eq!(
        error("local x <const> = {}; return function() x = 1 end"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(
        error("local x <const> = 1; local function f() return function() x = 2 end end"),
        "test:1: attempt to assign to const variable 'x'"
    );
    assert_eq!(error("local x <const> = 1; function x() end"), "test:1: attempt to assign to const variable 'x'");
    assert_eq!(error("local a, b <const> = 1, 2; a, b = 3, 4"), "test:1: attempt to assign to const variable 'b'");
    assert_eq!(error("local a <close>, b <close> = 1, 2"), "test:1: multiple to-be-closed variables in local list");
}

#[test]
fn vararg_outside_vararg_function() {
    assert_eq!(error("function f() return ... end"), "test:1: cannot use '...' outside a vararg function near '...'");
}

#[test]
fn limits() {
    let many_locals: String = (0..201).map(|i| format!("local v{i}\n")).collect();
    // As Lua's parser: at the token after the declaration (the end of input is on line 202).
    assert_eq!(error(&many_locals), "test:202: too many local variables (limit is 200) in main function near <eof>");
    let in_function = format!("local function f()\n{many_locals}end");
    assert_eq!(
        error(&in_function),
        "test:203: too many local variables (limit is 200) in function at line 1 near 'end'"
    );

    // 200 locals are fine; 60 more temporaries are not.
    let locals: String = (0..200).map(|i| format!("local v{i}\n")).collect();
    let args = vec!["1"; 60].join(", ");
    let src = format!("{locals}f({args})");
    assert_eq!(error(&src), "test:201: function or expression needs too many registers");

    // 256 distinct upvalues: 128 from two levels each.
    let mut src = String::new();
    for i in 0..128 {
        src.push_str(&format!("local a{i} = {i}\n"));
    }
    src.push_str("local function outer()\n");
    for i in 0..128 {
        src.push_str(&format!("local b{i} = {i}\n"));
    }
    src.push_str("return function() return {");
    let uses: Vec<String> = (0..128).map(|i| format!("a{i}")).chain((0..128).map(|i| format!("b{i}"))).collect();
    src.push_str(&uses.join(", "));
    src.push_str("} end\nend\n");
    assert_eq!(error(&src), format!("test:{}: too many upvalues (limit is 255) in function at line 258", 258));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // The parser limits nesting first; the compiler checks again for trees built otherwise.
    use crate::syntax::ast::{Block, Chunk, Expr, ExprKind, Return};
    let mut e = Expr::new(ExprKind::Int(1), 1);
    for _ in 0..300 {
        e = Expr::new(ExprKind::Paren(Box::new(e)), 1);
    }
    let chunk = Chunk {
        body: Block { stats: vec![], ret: Some(Return { exprs: vec![e], line: 1 }) },
        end_line: 1,
        last_token_line: 1,
        too_many_locals: None,
    };
    let err = crate::compile::compile_chunk(&chunk, "=test").unwrap_err();
    assert_eq!(err.to_string(), "test:1: C stack overflow");
    // Long left-associative chains are not nesting for the compiler.
    let mut sum = Expr::new(ExprKind::Name("a".into()), 1);
    for _ in 0..5000 {
        let rhs = Box::new(Expr::new(ExprKind::Name("a".into()), 1));
        sum = Expr::new(ExprKind::Binary { op: crate::syntax::ast::BinOp::Add, lhs: Box::new(sum), rhs }, 1);
    }
    let chunk = Chunk {
        body: Block { stats: vec![], ret: Some(Return { exprs: vec![sum], line: 1 }) },
        end_line: 1,
        last_token_line: 1,
        too_many_locals: None,
    };
    let p = crate::compile::compile_chunk(&chunk, "=test").expect("a long sum compiles");
    crate::vm::load::verify(&p).unwrap();
}
