//! Which loops the loop compiler takes, and what it makes of their instructions: a hot
//! numeric `for` loop's body, read once when the loop gets hot, becomes a list of [`Step`]s
//! (plain data) that an emitter turns into machine code.
//!
//! A compiled loop keeps every register in its stack slot, as the interpreter does, and checks
//! the kinds of values each step needs before the step changes anything: when a check fails
//! (a number that turned into a string, a callee that is no longer the same C function, a
//! call the callee's compiled entry declines) the machine code stops at that instruction and
//! the interpreter goes on from there with exactly the state it would have had. So a step
//! needs only the common case; everything else is the interpreter's.
//!
//! The same steps make whole functions for callbacks (`plan_function`): a C function pointer
//! whose Lua function is short, calls nothing and reads its pointer parameters only as
//! `p[i]` runs it as machine code, with the pointers unboxed.
//!
//! Taken: bodies of register moves, loads of constants, upvalue reads and writes, integer and
//! float `+ - *`, comparisons of numbers, truth tests, forward jumps (`if`, `and`/`or`) and
//! calls of userdata that offer a compiled call ([`NativeCall`]: the ffi's C functions), under
//! an integer `for` loop. Anything else refuses the loop, with the reason.

use super::super::bytecode::{Instr, OpCode};
use crate::gc::Gc;
use crate::vm::closure::FnProto;
use crate::vm::userdata::{NativeCall, UserData};
use crate::vm::value::Value;

pub use super::{ElemKind, ParamKind};

/// One instruction of a compiled loop's body (kept with its index in the prototype, where
/// the interpreter resumes when the step's checks fail, and the target of jumps to it).
#[derive(Clone, Copy)]
pub(crate) enum Step {
    /// `R[a] := R[b]`.
    Move { a: u32, b: u32 },
    /// `R[a] := integer`.
    LoadInt { a: u32, value: i64 },
    /// `R[a] := float` (its bits).
    LoadFloat { a: u32, bits: u64 },
    /// `R[a] := K[k]` (any constant: a copy of the value).
    LoadConst { a: u32, k: u32 },
    /// `R[a] := true/false`.
    LoadBool { a: u32, value: bool },
    /// `R[a], ..., R[a+n-1] := nil`.
    LoadNil { a: u32, n: u32 },
    /// `R[a] := U[b]`.
    GetUpval { a: u32, b: u32 },
    /// `U[b] := R[a]`.
    SetUpval { a: u32, b: u32 },
    /// `R[a] := x op y` on numbers (anything else is the interpreter's).
    Arith { op: ArithKind, a: u32, x: Operand, y: Operand },
    /// `R[a] := x % y` or `x // y` (floored) on two integers with `y ~= 0` (else the
    /// interpreter's: floats, and the error of a zero divisor).
    IntDivision { modulo: bool, a: u32, x: Operand, y: Operand },
    /// Skips the next instruction (a jump) when `(x op y) ~= k`, on two integers or two
    /// floats (an immediate takes the other operand's kind).
    Compare { op: CompareKind, x: Operand, y: Operand, k: bool },
    /// Skips the next instruction (a jump) when `truthy(R[a]) ~= k`.
    Test { a: u32, k: bool },
    /// Skips the next instruction (a jump) when `truthy(R[b]) ~= k`, else `R[a] := R[b]`.
    TestSet { a: u32, b: u32, k: bool },
    /// Goes on at `target`, forward inside the body or at the `ForLoop`.
    Jump { target: usize },
    /// `R[a] := R[a](R[a+1], ...)` (one result kept when `keep_result`) where
    /// R[a] is `callee`, through its compiled call.
    NativeCall { a: u32, keep_result: bool, callee: Gc<UserData>, call: NativeCall },
    /// `R[a] := R[b][index]` where R[b] is a pointer parameter (an address) to numbers of
    /// kind `elem`.
    GetElem { a: u32, b: u32, index: u32, elem: ElemKind },
    /// Returns R[a] (nothing for `None`) from a compiled function.
    Return { a: Option<u32> },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CompareKind {
    Lt,
    Le,
    Eq,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ArithKind {
    Add,
    Sub,
    Mul,
    /// `/`: always on floats.
    Div,
}

/// An arithmetic operand: a register, a constant, or an integer immediate.
#[derive(Clone, Copy)]
pub(crate) enum Operand {
    Reg(u32),
    Const(u32),
    Imm(i64),
}

/// A loop the compiler takes: its body's steps and its `for` registers.
pub(crate) struct LoopPlan {
    /// Index of the body's first instruction (the loop's entry, and the resume point when the
    /// loop stops at its top).
    pub body_pc: usize,
    /// Index of the `ForLoop` instruction.
    pub forloop_pc: usize,
    /// `A` of the `ForLoop`: R[A] index, R[A+1] remaining count, R[A+2] step, R[A+3] the
    /// control variable.
    pub for_a: u32,
    /// The body's steps with their instruction indices, in order.
    pub steps: Vec<(usize, Step)>,
}

/// Plans the loop whose body starts at `body_pc` (the interpreter just jumped back there from
/// the `ForLoop` at `forloop_pc`), given the frame's registers now. Returns why not when the
/// loop cannot be compiled.
pub(crate) fn plan_loop(
    proto: &FnProto,
    body_pc: usize,
    forloop_pc: usize,
    regs: &[Value],
) -> Result<LoopPlan, &'static str> {
    let code = &proto.code;
    let for_a = code[forloop_pc].a();
    if !matches!(regs.get(for_a as usize + 2), Some(Value::Int(_))) {
        return Err("a float loop");
    }
    let mut steps = Vec::new();
    // Where each register written so far in the body got its value, for finding a call's
    // callee (a C function loaded into the call's register by a `Move` from a local).
    let mut moved_from: Vec<(u32, u32)> = Vec::new();
    let written_in_body = |r: u32| code[body_pc..forloop_pc].iter().any(|&i| writes(i, r));
    for pc in body_pc..forloop_pc {
        let i: Instr = code[pc];
        let a = i.a();
        let step = match i.op() {
            OpCode::Call => {
                let (b, c) = (i.b(), i.c());
                if b == 0 || c == 0 || c > 2 {
                    return Err("a call with open arguments or results");
                }
                let source = moved_from.iter().rev().find(|&&(dst, _)| dst == a).map(|&(_, src)| src);
                let Some(src) = source.filter(|&s| !written_in_body(s)) else {
                    return Err("a call of a value the loop computes");
                };
                let Some(&Value::UserData(callee)) = regs.get(src as usize) else {
                    return Err("a call of something other than a C function");
                };
                let nargs = b - 1;
                let Some(call) =
                    callee.fast_paths().and_then(|p| p.native_call).and_then(|f| f(callee, nargs as usize))
                else {
                    return Err("a call without a compiled entry");
                };
                Step::NativeCall { a, keep_result: c == 2, callee, call }
            }
            _ => common_step(proto, pc, forloop_pc)?,
        };
        if let Step::Move { a, b } = step {
            moved_from.push((a, b));
        } else {
            moved_from.retain(|&(dst, _)| !writes(i, dst));
        }
        steps.push((pc, step));
    }
    if (for_a..for_a + 3).any(written_in_body) {
        return Err("the body writes the loop's counters");
    }
    Ok(LoopPlan { body_pc, forloop_pc, for_a, steps })
}

/// A function the compiler takes: its steps, for the instructions from the first.
pub(crate) struct FunctionPlan {
    pub steps: Vec<(usize, Step)>,
}

/// Plans a whole function called with parameters of the kinds `params` (a callback's C
/// parameters): its code must be straight or forward-branching, call nothing, and use its
/// pointer parameters only as `p[i]` (so that they can stay unboxed addresses).
pub(crate) fn plan_function(proto: &FnProto, params: &[ParamKind]) -> Result<FunctionPlan, &'static str> {
    if proto.is_vararg {
        return Err("a vararg function");
    }
    if params.len() != proto.num_params as usize {
        return Err("a parameter count that differs from the C signature's");
    }
    let code = &proto.code;
    let end = code.len() - 1;
    let pointer_param = |r: u32| matches!(params.get(r as usize), Some(ParamKind::Pointer(_)));
    let mut steps = Vec::new();
    for (pc, &i) in code.iter().enumerate() {
        let step = match i.op() {
            OpCode::GetI if pointer_param(i.b()) => {
                let Some(ParamKind::Pointer(elem)) = params.get(i.b() as usize) else { unreachable!("checked") };
                Step::GetElem { a: i.a(), b: i.b(), index: i.c(), elem: *elem }
            }
            OpCode::Return1 => Step::Return { a: Some(i.a()) },
            OpCode::Return0 => Step::Return { a: None },
            OpCode::Return if i.b() == 2 && !i.k() => Step::Return { a: Some(i.a()) },
            OpCode::Return if i.b() == 1 && !i.k() => Step::Return { a: None },
            OpCode::Call | OpCode::TailCall => return Err("a call"),
            _ => common_step(proto, pc, end)?,
        };
        for r in (0..params.len() as u32).filter(|&r| pointer_param(r)) {
            if reads_other_than_elements(&step, r) || writes(i, r) {
                return Err("a pointer parameter used other than as p[i]");
            }
        }
        steps.push((pc, step));
    }
    Ok(FunctionPlan { steps })
}

/// Whether `step` reads register `r`, except as the address of an element read.
fn reads_other_than_elements(step: &Step, r: u32) -> bool {
    let is = |x: &Operand| matches!(x, Operand::Reg(q) if *q == r);
    match *step {
        Step::Move { b, .. } | Step::TestSet { b, .. } => b == r,
        Step::SetUpval { a, .. } | Step::Test { a, .. } => a == r,
        Step::Return { a } => a == Some(r),
        Step::Arith { x, y, .. } | Step::IntDivision { x, y, .. } | Step::Compare { x, y, .. } => is(&x) || is(&y),
        Step::NativeCall { a, .. } => r >= a,
        Step::LoadInt { .. }
        | Step::LoadFloat { .. }
        | Step::LoadConst { .. }
        | Step::LoadBool { .. }
        | Step::LoadNil { .. }
        | Step::GetUpval { .. }
        | Step::Jump { .. }
        | Step::GetElem { .. } => false,
    }
}

/// The step of instruction `pc` when it is one that loops and functions compile alike;
/// `end`: the last instruction a forward jump may target.
fn common_step(proto: &FnProto, pc: usize, end: usize) -> Result<Step, &'static str> {
    let i = proto.code[pc];
    let a = i.a();
    let reg = Operand::Reg;
    let imm = |v: i32| Operand::Imm(v as i64);
    Ok(match i.op() {
        OpCode::Move => Step::Move { a, b: i.b() },
        OpCode::LoadI => Step::LoadInt { a, value: i.sbx() as i64 },
        OpCode::LoadF => Step::LoadFloat { a, bits: (i.sbx() as f64).to_bits() },
        OpCode::LoadK => Step::LoadConst { a, k: i.bx() },
        OpCode::LoadFalse => Step::LoadBool { a, value: false },
        OpCode::LoadTrue => Step::LoadBool { a, value: true },
        OpCode::LoadNil => Step::LoadNil { a, n: i.b() + 1 },
        OpCode::GetUpval => Step::GetUpval { a, b: i.b() },
        OpCode::SetUpval => Step::SetUpval { a, b: i.b() },
        OpCode::Add => arith(ArithKind::Add, a, reg(i.b()), reg(i.c())),
        OpCode::Sub => arith(ArithKind::Sub, a, reg(i.b()), reg(i.c())),
        OpCode::Mul => arith(ArithKind::Mul, a, reg(i.b()), reg(i.c())),
        OpCode::AddK => arith(ArithKind::Add, a, reg(i.b()), number_const(proto, i.c())?),
        OpCode::SubK => arith(ArithKind::Sub, a, reg(i.b()), number_const(proto, i.c())?),
        OpCode::MulK => arith(ArithKind::Mul, a, reg(i.b()), number_const(proto, i.c())?),
        OpCode::AddI => arith(ArithKind::Add, a, reg(i.b()), imm(i.sc())),
        OpCode::Div => arith(ArithKind::Div, a, reg(i.b()), reg(i.c())),
        OpCode::DivK => arith(ArithKind::Div, a, reg(i.b()), number_const(proto, i.c())?),
        OpCode::Mod => Step::IntDivision { modulo: true, a, x: reg(i.b()), y: reg(i.c()) },
        OpCode::IDiv => Step::IntDivision { modulo: false, a, x: reg(i.b()), y: reg(i.c()) },
        OpCode::ModK => Step::IntDivision { modulo: true, a, x: reg(i.b()), y: number_const(proto, i.c())? },
        OpCode::IDivK => Step::IntDivision { modulo: false, a, x: reg(i.b()), y: number_const(proto, i.c())? },
        OpCode::Lt => compare(CompareKind::Lt, reg(a), reg(i.b()), i.k()),
        OpCode::Le => compare(CompareKind::Le, reg(a), reg(i.b()), i.k()),
        OpCode::Eq => compare(CompareKind::Eq, reg(a), reg(i.b()), i.k()),
        OpCode::EqK => compare(CompareKind::Eq, reg(a), number_const(proto, i.b())?, i.k()),
        OpCode::EqI => compare(CompareKind::Eq, reg(a), imm(i.sb()), i.k()),
        OpCode::LtI => compare(CompareKind::Lt, reg(a), imm(i.sb()), i.k()),
        OpCode::LeI => compare(CompareKind::Le, reg(a), imm(i.sb()), i.k()),
        OpCode::GtI => compare(CompareKind::Lt, imm(i.sb()), reg(a), i.k()),
        OpCode::GeI => compare(CompareKind::Le, imm(i.sb()), reg(a), i.k()),
        OpCode::Test => Step::Test { a, k: i.k() },
        OpCode::TestSet => Step::TestSet { a, b: i.b(), k: i.k() },
        OpCode::Jmp => {
            let target = pc as i64 + 1 + i.sj_field() as i64;
            if target <= pc as i64 || target > end as i64 {
                return Err("a jump out of the body or backward");
            }
            Step::Jump { target: target as usize }
        }
        _ => return Err("an instruction the loop compiler does not take"),
    })
}

fn arith(op: ArithKind, a: u32, x: Operand, y: Operand) -> Step {
    Step::Arith { op, a, x, y }
}

fn compare(op: CompareKind, x: Operand, y: Operand, k: bool) -> Step {
    Step::Compare { op, x, y, k }
}

/// A `K` operand of `AddK`/`SubK`/`MulK`/`EqK`: the compiler only takes numbers.
fn number_const(proto: &FnProto, k: u32) -> Result<Operand, &'static str> {
    match proto.constants.get(k as usize) {
        Some(Value::Int(_) | Value::Float(_)) => Ok(Operand::Const(k)),
        _ => Err("a constant operand that is not a number"),
    }
}

/// Whether instruction `i`, of the kinds the loop compiler takes, writes register `r`.
fn writes(i: Instr, r: u32) -> bool {
    match i.op() {
        OpCode::LoadNil => (i.a()..=i.a() + i.b()).contains(&r),
        // A call's results, and the slots of its arguments (dead after it).
        OpCode::Call => r >= i.a(),
        // Comparisons, tests and jumps write nothing; SetUpval reads R[A].
        OpCode::Lt
        | OpCode::Le
        | OpCode::Eq
        | OpCode::EqK
        | OpCode::EqI
        | OpCode::LtI
        | OpCode::LeI
        | OpCode::GtI
        | OpCode::GeI
        | OpCode::Test
        | OpCode::Jmp
        | OpCode::SetUpval => false,
        _ => i.a() == r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::Lua;

    /// The prototype of the first function defined in `src`, and the body range of its
    /// first numeric `for` loop.
    fn first_loop(lua: &mut Lua, src: &str) -> (Gc<FnProto>, usize, usize) {
        let f = lua.load_text(src.as_bytes(), "=t").expect("compiles");
        let Value::LuaFn(main) = f else { panic!("a Lua function") };
        let proto = main.proto.protos[0];
        let forloop = proto.code.iter().position(|i| i.op() == OpCode::ForLoop).expect("a for loop");
        let body = forloop + 1 - proto.code[forloop].bx() as usize;
        (proto, body, forloop)
    }

    #[test]
    fn bodies_are_taken_and_others_refused_with_a_reason() {
        let mut lua = Lua::new();
        let regs = [Value::Int(0), Value::Int(0), Value::Int(0), Value::Int(10), Value::Int(1), Value::Int(0)];
        let (p, body, fl) =
            first_loop(&mut lua, "local function f(s) for i = 1, 10 do s = s * 2 + i - 1.5 end return s end");
        let plan = plan_loop(&p, body, fl, &regs).expect("taken");
        assert_eq!(plan.steps.len(), 3);
        assert!(matches!(
            plan.steps[0].1,
            Step::Arith { op: ArithKind::Mul, x: Operand::Reg(0), y: Operand::Const(_), .. }
        ));

        let (p, body, fl) = first_loop(&mut lua, "local function f(t) for i = 1, 10 do t[i] = i end end");
        assert_eq!(plan_loop(&p, body, fl, &regs).err(), Some("an instruction the loop compiler does not take"));

        let (p, body, fl) = first_loop(
            &mut lua,
            "local function f(s) for i = 1, 10 do if s and i > 2 then s = 1 elseif s == 3 then s = 2 end end return s end",
        );
        let plan = plan_loop(&p, body, fl, &regs).expect("taken");
        assert!(plan
            .steps
            .iter()
            .any(|(_, s)| matches!(s, Step::Compare { op: CompareKind::Lt, x: Operand::Imm(2), .. })));
        assert!(plan.steps.iter().any(|(_, s)| matches!(s, Step::Test { a: 0, k: false })));

        let (p, body, fl) =
            first_loop(&mut lua, "local function f(s) for i = 1, 10 do while s do s = false end end return s end");
        assert_eq!(plan_loop(&p, body, fl, &regs).err(), Some("a jump out of the body or backward"));

        let (p, body, fl) =
            first_loop(&mut lua, "local function f(s) for i = 1, 10 do if s == 'x' then s = 1 end end end");
        assert_eq!(plan_loop(&p, body, fl, &regs).err(), Some("a constant operand that is not a number"));

        let (p, body, fl) = first_loop(&mut lua, "local function f(g) for i = 1, 10 do g(i) end end");
        assert_eq!(plan_loop(&p, body, fl, &regs).err(), Some("a call of something other than a C function"));

        let (p, body, fl) = first_loop(&mut lua, "local function f(g) for i = 1, 10 do g = g(i) end end");
        assert_eq!(plan_loop(&p, body, fl, &regs).err(), Some("a call of a value the loop computes"));
    }
}
