//! Bytecode shape: folding, operand forms, registers, scopes, closing, control flow.

use super::{code, code_of, compile};
use crate::bytecode::{Constant, OpCode};

fn has(code: &[String], instr: &str) -> bool {
    code.iter().any(|c| c == instr)
}

#[test]
fn folds_what_is_safe() {
    assert_eq!(code("return 1 + 2 * 3")[1], "LoadI 0 7");
    assert_eq!(
        code("return 7 // 2, 7 % -3, 2^10, 1 << 4, ~0, -(-3)")[1..7],
        ["LoadI 0 3", "LoadI 1 -2", "LoadF 2 1024", "LoadI 3 16", "LoadI 4 -1", "LoadI 5 3"]
    );
    assert_eq!(code("return 3 | 1.0")[1], "LoadI 0 3");
    let p = compile("return 0.5 + 0.25");
    assert_eq!(p.constants, [Constant::Float(0.75)]);
    // <const> locals with constant values take part in folding.
    assert_eq!(code("local k <const> = 10; return k * 2")[1], "LoadI 0 20");
}

#[test]
fn does_not_fold_what_could_raise_or_lose_a_sign() {
    assert!(has(&code("return 1 // 0"), "IDivK 0 0 0"));
    assert!(has(&code("return 1 % 0"), "ModK 0 0 0"));
    assert!(has(&code("return 1 / 0"), "DivK 0 0 0"));
    assert!(has(&code("return -0.0"), "Unm 0 0 0"));
    assert!(has(&code("return 0.0 * -1"), "MulK 0 0 0 k"));
    assert!(has(&code("return 1.5 & 1"), "BAndK 0 0 0"));
    assert!(has(&code("return ~1.5"), "BNot 0 0 0"));
}

#[test]
fn immediate_and_constant_operands() {
    let c = code("local x = ...; return x + 1, 1 + x, x - 1, x * 2, 2 * x, x >> 2, 3 << x, x & 255, 255 | x");
    assert!(has(&c, "AddI 1 0 1"), "{c:?}");
    assert!(has(&c, "AddI 2 0 1 k"), "flipped: {c:?}");
    assert!(has(&c, "SubK 3 0 0"), "no AddI for subtraction: {c:?}");
    assert!(has(&c, "MulK 4 0 1"));
    assert!(has(&c, "MulK 5 0 1 k"));
    assert!(has(&c, "ShrI 6 0 2"));
    assert!(has(&c, "ShlI 7 0 3"));
    assert!(has(&c, "BAndK 8 0 2"));
    assert!(has(&c, "BOrK 9 0 2 k"));
    // `x << 1` has no immediate form without a metamethod hint: a register operand.
    let c = code("local x = ...; return x << 1");
    assert_eq!(c[2..4], ["LoadI 1 1", "Shl 1 0 1"], "{c:?}");
}

#[test]
fn comparisons_use_immediates_and_constants() {
    let c = code("local x = ...; return x == 1, x == 'a', x == nil, x < 1, 1 < x, x >= 2.0, x == 1000, x < 1000");
    for expected in
        ["EqI 0 1 0 k", "EqK 0 0 0 k", "EqK 0 1 0 k", "LtI 0 1 0 k", "GtI 0 1 0 k", "GeI 0 2 1 k", "EqK 0 2 0 k"]
    {
        assert!(has(&c, expected), "{expected} in {c:?}");
    }
    assert!(c.iter().any(|i| i.starts_with("Lt 0 ")), "{c:?}");
    // `~=` is `==` with k = 0; `not` folds into the test.
    let c = code("local x = ...; if x ~= 1 then f() end");
    assert!(has(&c, "EqI 0 1 0 k"), "{c:?}");
    let c = code("local x = ...; if not x then f() end");
    assert!(has(&c, "Test 0 0 0 k"), "{c:?}");
}

#[test]
fn globals_and_env() {
    assert_eq!(code("x = y")[1..3], ["GetTabUp 0 0 1", "SetTabUp 0 0 0"]);
    assert_eq!(code("x = 'v'")[1], "SetTabUp 0 0 1 k");
    // Long strings are not short strings: the key goes through a register.
    let name = "n".repeat(41);
    let c = code(&format!("return {name}"));
    assert_eq!(c[1..3], ["GetUpval 0 0 0", "LoadK 1 0"]);
    assert_eq!(c[3], "GetTable 0 0 1");
    // A local _ENV changes what globals resolve to.
    let c = code("local _ENV = {}; x = 1");
    assert!(has(&c, "SetField 0 0 1 k"), "{c:?}");
}

#[test]
fn compile_time_constants_take_no_register() {
    let p = compile("local a <const> = 1; local s <const> = 'x'; return a, s");
    assert!(p.locvars.is_empty());
    assert_eq!(code_of(&p)[1..3], ["LoadI 0 1", "LoadK 1 0"]);
    // Only the last of several <const> locals can be a compile-time constant.
    let p = compile("local a <const>, b <const> = 1, 2; return a + b");
    assert_eq!(p.locvars.len(), 1);
    assert!(has(&code_of(&p), "AddI 1 0 2"));
    // A non-constant initialiser makes a read-only local in a register.
    let p = compile("local t <const> = {}; return t");
    assert_eq!(p.locvars.len(), 1);
}

#[test]
fn to_be_closed_variables() {
    let p = compile("local f <close> = g(); return h()");
    let c = code_of(&p);
    assert!(has(&c, "Tbc 0 0 0"));
    // No tail call in the scope of a tbc variable, and returns close.
    assert!(c.iter().any(|i| i.starts_with("Call 1 1 0")), "{c:?}");
    assert!(c.iter().all(|i| !i.starts_with("TailCall")));
    assert!(p.code.iter().filter(|i| i.op() == OpCode::Return).all(|i| i.k()));
}

#[test]
fn tail_calls() {
    assert!(code("return f(1)").iter().any(|i| i.starts_with("TailCall 0 2 0")));
    assert!(code("return (f(1))").iter().all(|i| !i.starts_with("TailCall")));
    assert!(code("return f(1), 2").iter().all(|i| !i.starts_with("TailCall")));
}

#[test]
fn upvalues_chain_through_functions() {
    let p = compile("local a; function f() return function() return a end end");
    let f = &p.protos[0];
    let g = &f.protos[0];
    assert_eq!((f.upvalues[0].in_stack, f.upvalues[0].index, f.upvalues[0].name.as_str()), (true, 0, "a"));
    assert_eq!((g.upvalues[0].in_stack, g.upvalues[0].index), (false, 0));
    // The main function captured a local: its returns close.
    assert!(p.code.iter().filter(|i| i.op() == OpCode::Return).all(|i| i.k()));
}

#[test]
fn closes_captured_locals_per_iteration_and_on_exit() {
    let c = code("for i = 1, 3 do local x = i; f(function() return x end) end");
    let close = c.iter().position(|i| i.starts_with("Close 4")).expect("close per iteration");
    assert!(c[close + 1].starts_with("ForLoop"));
    // `break` out of a block with captured locals closes them at the loop exit.
    let c = code("while x do local y; f(function() return y end); if z then break end end");
    assert!(c.iter().filter(|i| i.starts_with("Close 0")).count() >= 2, "{c:?}");
    // A backward goto leaving a local's scope closes it.
    let c = code("::top:: do local a; goto top end");
    assert!(has(&c, "Close 0 0 0"), "{c:?}");
    // repeat-until with captured locals closes on both paths.
    let c = code("repeat local k = f(); g(function() return k end) until k");
    assert_eq!(c.iter().filter(|i| i.starts_with("Close 0")).count(), 2, "{c:?}");
}

#[test]
fn multiple_assignment_conflicts_use_a_copy() {
    // `t[i], i = ...`: the table store uses a copy of the old i.
    let c = code("local t, i = {}, 1; t[i], i = 2, 3");
    assert_eq!(c[4..8], ["Move 2 1 0", "LoadI 3 2", "LoadI 1 3", "SetTable 0 2 3"], "{c:?}");
    // Upvalue table: `x, _ENV = ...` stores into a copy of the old _ENV.
    let c = code("x, _ENV = 1, 2");
    assert!(has(&c, "GetUpval 0 0 0"), "{c:?}");
    assert!(c.iter().any(|i| i.starts_with("SetField 0 0")), "{c:?}");
}

#[test]
fn registers_and_stack_size() {
    let p = compile("local a = f(g(1), h(2, 3))");
    assert_eq!(p.max_stack, 5);
    assert_eq!(compile("").max_stack, 2);
    // Multiple results adjust to the needed count.
    assert!(has(&code("local a, b, c = f()"), "Call 0 1 4"));
    assert!(has(&code("local a, b = ..."), "VarArg 0 0 3"));
    assert!(has(&code("local a = f(), g()"), "Call 1 1 1"));
    assert_eq!(code("local a, b, c"), ["VarArgPrep 0 0 0", "LoadNil 0 2 0", "Return 3 1 0"]);
    assert!(has(&code("local a, b, c = 1"), "LoadNil 1 1 0"));
}

#[test]
fn concatenation_chains_into_one_instruction() {
    let c = code("local a, b = ...; return a .. b .. 'c' .. 1");
    assert!(has(&c, "Concat 2 4 0"), "{c:?}");
    assert_eq!(c.iter().filter(|i| i.starts_with("Concat")).count(), 1);
}

#[test]
fn table_constructors() {
    let c = code("return {1, 2, x = 1, [3] = 4, f()}");
    assert_eq!(c[1], "NewTable 0 2 2");
    assert!(has(&c, "SetI 0 3 2 k"), "{c:?}");
    assert!(has(&c, "SetList 0 0 0"), "{c:?}");
    let items = vec!["1"; 120].join(", ");
    let c = code(&format!("return {{{items}}}"));
    assert_eq!(c[1], "NewTable 0 0 120");
    let lists: Vec<&String> = c.iter().filter(|i| i.starts_with("SetList")).collect();
    assert_eq!(lists, ["SetList 0 50 0", "SetList 0 50 50", "SetList 0 20 100"]);
    // NewTable is always followed by an ExtraArg; SetList only when its k bit is set.
    let p = compile(&format!("return {{{}}}", vec!["1"; 600].join(", ")));
    for (pc, i) in p.code.iter().enumerate() {
        let needs_extra = i.op() == OpCode::NewTable || (i.op() == OpCode::SetList && i.k());
        let next_is_extra = p.code.get(pc + 1).is_some_and(|n| n.op() == OpCode::ExtraArg);
        assert!(i.op() == OpCode::ExtraArg || next_is_extra == needs_extra, "at {pc}");
    }
    let c = code_of(&p);
    let at = c.iter().position(|i| i == "SetList 0 50 44 k").expect("offset 300 = 44 + 1 * 256");
    assert_eq!(c[at + 1], "ExtraArg 1");
}

#[test]
fn many_constants_use_registers_and_loadkx() {
    // Past 255 constants, K operands no longer fit: the value goes through a register.
    let strings: String = (0..300).map(|i| format!("'s{i}', ")).collect();
    let p = compile(&format!("local t = {{{strings}}}; local x = ...; return x + 0.5"));
    let c = code_of(&p);
    assert!(c.iter().any(|i| i.starts_with("Add ")), "{:?}", &c[c.len() - 4..]);
    // Past MAX_BX constants, LoadKX + ExtraArg.
    let n = crate::bytecode::instr::MAX_BX as usize + 2;
    let strings: String = (0..n).map(|i| format!("'{i}',")).collect();
    let p = compile(&format!("local t = {{{strings}}}"));
    assert!(p.code.iter().any(|i| i.op() == OpCode::LoadKX));
}

#[test]
fn method_definitions_and_calls() {
    let p = compile("function a.b:m(x) return self end");
    assert_eq!(p.protos[0].num_params, 2);
    assert_eq!(p.protos[0].locvars[0].name, "self");
    let c = code("local o = ...; o:m(1)");
    assert!(has(&c, "SelfOp 1 0 0 k"), "{c:?}");
    assert!(has(&c, "Call 1 3 1"));
}

#[test]
fn if_break_jumps_directly() {
    let c = code("while x do if y then break end end");
    // The condition's jump is the break: no extra jump over an empty then-block.
    assert_eq!(c.iter().filter(|i| i.starts_with("Jmp")).count(), 3, "{c:?}");
}

#[test]
fn debug_info() {
    let p = compile("local a = 1\nlocal function f(x, ...)\n  return x\nend\nreturn f");
    assert_eq!(p.line_info.len(), p.code.len());
    let f = &p.protos[0];
    assert_eq!((f.line_defined, f.last_line_defined, f.num_params, f.is_vararg), (2, 4, 1, true));
    assert_eq!(f.code[0].op(), OpCode::VarArgPrep);
    assert_eq!(p.locvars.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["a", "f"]);
    assert_eq!(p.source, "=test");
    assert!(p.is_vararg && p.num_params == 0 && p.upvalues.len() == 1);
    assert_eq!((p.upvalues[0].in_stack, p.upvalues[0].index, p.upvalues[0].name.as_str()), (true, 0, "_ENV"));
    // Every instruction of `f` is on lines 2..=4.
    assert!(f.line_info.iter().all(|l| (2..=4).contains(l)));
}
