//! Names for error messages and tracebacks, recovered from bytecode and debug information
//! (Lua's `getobjname`/`funcnamefromcode`): "local 'x'", "global 'print'", "field 'y'",
//! "upvalue 'z'", "constant 'abc'", "method 'm'".

use super::closure::{FnProto, LuaClosure};
use super::state::Lua;
use super::thread::{CallInfo, ThreadData};
use super::value::Value;
use crate::bytecode::Instr;
use crate::bytecode::{Constant, OpCode};
use crate::gc::Gc;

/// What kind of variable a register's value came from, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjName {
    pub kind: &'static str,
    pub name: String,
}

fn const_str(p: &FnProto, k: u32) -> Option<String> {
    match p.origin_constant(k) {
        Some(Constant::Str(s)) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

impl FnProto {
    fn origin_constant(&self, k: u32) -> Option<&Constant> {
        self.origin.constants.get(k as usize)
    }

    fn upvalue_name(&self, n: u32) -> String {
        self.upvalues.get(n as usize).map_or_else(|| "?".to_string(), |u| u.name.clone())
    }
}

/// Whether instruction `op` writes register A (Lua's testAMode).
fn sets_a(op: OpCode) -> bool {
    !op.is_test()
        && !matches!(
            op,
            OpCode::SetTabUp
                | OpCode::SetTable
                | OpCode::SetI
                | OpCode::SetField
                | OpCode::SetUpval
                | OpCode::Close
                | OpCode::Tbc
                | OpCode::Jmp
                | OpCode::Return
                | OpCode::Return0
                | OpCode::Return1
                | OpCode::TForPrep
                | OpCode::SetList
                | OpCode::VarArgPrep
                | OpCode::ExtraArg
        )
}

/// The last instruction before `lastpc` that set register `reg`, if it is certain.
fn find_set_reg(p: &FnProto, lastpc: usize, reg: u32) -> Option<usize> {
    let mut setreg: Option<usize> = None;
    let mut jmptarget = 0usize;
    for pc in 0..lastpc.min(p.code.len()) {
        let i = p.code[pc];
        let a = i.a();
        let change = match i.op() {
            OpCode::LoadNil => a <= reg && reg <= a + i.b(),
            OpCode::TForCall => reg >= a + 2,
            OpCode::Call | OpCode::TailCall => reg >= a,
            OpCode::Jmp => {
                let dest = pc as i64 + 1 + i.sj_field() as i64;
                if dest >= 0 && (dest as usize) <= lastpc && dest as usize > jmptarget {
                    jmptarget = dest as usize;
                }
                false
            }
            op => sets_a(op) && reg == a,
        };
        if change {
            setreg = if pc < jmptarget { None } else { Some(pc) };
        }
    }
    setreg
}

/// Is the table in register `t` (or upvalue, when `upvalue`) the `_ENV` variable? Only a
/// local or an upvalue of that name is: not a field or a string constant "_ENV".
fn is_env(p: &FnProto, pc: usize, t: u32, upvalue: bool) -> bool {
    let name = if upvalue {
        Some(p.upvalue_name(t))
    } else {
        obj_name(p, pc, t).filter(|o| matches!(o.kind, "local" | "upvalue")).map(|o| o.name)
    };
    name.as_deref() == Some("_ENV")
}

/// Name of the value in register `reg` just before instruction `lastpc` runs.
pub fn obj_name(p: &FnProto, lastpc: usize, reg: u32) -> Option<ObjName> {
    if let Some(name) = p.local_name(reg, lastpc) {
        return Some(ObjName { kind: "local", name: name.to_string() });
    }
    let pc = find_set_reg(p, lastpc, reg)?;
    let i = p.code[pc];
    match i.op() {
        OpCode::Move => {
            let b = i.b();
            if b < i.a() {
                obj_name(p, pc, b)
            } else {
                None
            }
        }
        OpCode::GetTabUp => {
            let key = const_str(p, i.c())?;
            let kind = if is_env(p, pc, i.b(), true) { "global" } else { "field" };
            Some(ObjName { kind, name: key })
        }
        OpCode::GetTable => {
            let key = reg_const_name(p, pc, i.c()).unwrap_or_else(|| "?".into());
            let kind = if is_env(p, pc, i.b(), false) { "global" } else { "field" };
            Some(ObjName { kind, name: key })
        }
        OpCode::GetI => Some(ObjName { kind: "field", name: "integer index".into() }),
        OpCode::GetField => {
            let key = const_str(p, i.c())?;
            let kind = if is_env(p, pc, i.b(), false) { "global" } else { "field" };
            Some(ObjName { kind, name: key })
        }
        OpCode::GetUpval => Some(ObjName { kind: "upvalue", name: p.upvalue_name(i.b()) }),
        OpCode::LoadK => const_str(p, i.bx()).map(|name| ObjName { kind: "constant", name }),
        OpCode::LoadKX => {
            let ax = p.code.get(pc + 1)?.ax_field();
            const_str(p, ax).map(|name| ObjName { kind: "constant", name })
        }
        OpCode::SelfOp => {
            let key = if i.k() { const_str(p, i.c()) } else { reg_const_name(p, pc, i.c()) }?;
            Some(ObjName { kind: "method", name: key })
        }
        _ => None,
    }
}

/// The string constant loaded into register `reg` (for `t[k]` keys), if any.
fn reg_const_name(p: &FnProto, pc: usize, reg: u32) -> Option<String> {
    match obj_name(p, pc, reg) {
        Some(ObjName { kind: "constant", name }) => Some(name),
        _ => None,
    }
}

impl Lua {
    /// The running Lua function's frame, closure, and the instruction it is executing.
    fn current_instruction(&self) -> Option<(CallInfo, Gc<LuaClosure>, usize, Instr)> {
        let f = *self.th().frames.last()?;
        let cl = f.closure?;
        let pc = f.pc().saturating_sub(1);
        let i = *cl.proto.code.get(pc)?;
        Some((f, cl, pc, i))
    }

    /// " (local 'x')"-style suffix for an operand of the current instruction whose value
    /// is `v`, or "" if it cannot be named.
    pub fn varinfo(&self, v: Value) -> String {
        let th = self.th();
        let Some((f, cl, pc, i)) = self.current_instruction() else { return String::new() };
        let p = &cl.proto;
        let reg_is = |r: u32| {
            f.base + (r as usize) < th.stack.len()
                && th.stack[f.base + r as usize].raw_eq(v)
                && same_kind(th.stack[f.base + r as usize], v)
        };
        // Upvalue operands.
        if matches!(i.op(), OpCode::GetTabUp) {
            let up = cl.upvals.get(i.b() as usize).map(|u| u.get());
            if up.is_some_and(|u| u.raw_eq(v) && same_kind(u, v)) {
                return format!(" (upvalue '{}')", p.upvalue_name(i.b()));
            }
        }
        if matches!(i.op(), OpCode::SetTabUp) {
            return format!(" (upvalue '{}')", p.upvalue_name(i.a()));
        }
        let mut candidates: Vec<u32> = Vec::with_capacity(3);
        match i.op() {
            OpCode::SetTable | OpCode::SetI | OpCode::SetField => candidates.push(i.a()),
            OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
            | OpCode::EqK
            | OpCode::EqI
            | OpCode::LtI
            | OpCode::LeI
            | OpCode::GtI
            | OpCode::GeI => {
                candidates.push(i.a());
                candidates.push(i.b());
            }
            OpCode::Concat => {
                for r in i.a()..i.a() + i.b() {
                    candidates.push(r);
                }
            }
            OpCode::Call | OpCode::TailCall | OpCode::TForCall => candidates.push(i.a()),
            _ => {
                candidates.push(i.b());
                if !i.k() {
                    candidates.push(i.c());
                }
            }
        }
        for r in candidates {
            if reg_is(r) {
                if let Some(o) = obj_name(p, pc, r) {
                    return format!(" ({} '{}')", o.kind, o.name);
                }
                return String::new();
            }
        }
        // A constant operand (K[C]).
        if i.k() || i.op().is_arith_k() {
            if let Some(Constant::Str(s)) = p.origin_constant(i.c()) {
                if matches!(v, Value::Str(x) if x.as_bytes() == s.as_slice()) {
                    return format!(" (constant '{}')", String::from_utf8_lossy(s));
                }
            }
        }
        String::new()
    }

    /// " (global 'f')"-style suffix naming what the running frame is calling: the callee
    /// of a call instruction, or the metamethod an operator calls ("metamethod 'add'").
    pub fn call_target_info(&self) -> String {
        let th = self.th();
        let Some(running) = th.frames.len().checked_sub(1) else { return String::new() };
        match name_from_caller(th, running) {
            Some(o) => format!(" ({} '{}')", o.kind, o.name),
            None => String::new(),
        }
    }

    /// Name of the local variable living in stack slot `slot` of the running Lua function.
    pub fn local_name_at(&self, slot: usize) -> Option<String> {
        let th = self.th();
        let f = th.frames.last()?;
        let cl = f.closure?;
        let reg = slot.checked_sub(f.base)? as u32;
        cl.proto.local_name(reg, f.pc().saturating_sub(1)).map(str::to_string)
    }

    /// How the function of frame `level` (0 = innermost) of the running thread was called,
    /// from its caller's instruction: e.g. `("global", "f")`, `("method", "m")`,
    /// `("metamethod", "index")`.
    pub fn frame_function_name(&self, level: usize) -> Option<ObjName> {
        let th = self.th();
        let n = th.frames.len();
        if level >= n {
            return None;
        }
        frame_name(th, n - 1 - level)
    }
}

/// How the function of frame `idx` of a thread was called (Lua's `funcnamefromcall`): from
/// the instruction its caller is executing, or the hook or finalizer that called it.
pub(crate) fn frame_name(th: &ThreadData, idx: usize) -> Option<ObjName> {
    let f = th.frames.get(idx)?;
    if f.tail {
        return None;
    }
    if th.finalizer_frame == Some(idx) {
        return Some(ObjName { kind: "metamethod", name: "__gc".into() });
    }
    name_from_caller(th, idx.checked_sub(1)?)
}

/// What frame `caller_idx` is calling: a hook, or what its current instruction calls.
fn name_from_caller(th: &ThreadData, caller_idx: usize) -> Option<ObjName> {
    if th.hook.active.is_some_and(|h| h.frame == caller_idx) {
        return Some(ObjName { kind: "hook", name: "?".into() });
    }
    let caller = &th.frames[caller_idx];
    let cl = caller.closure?;
    let p = &cl.proto;
    let pc = caller.pc().saturating_sub(1);
    let i = *p.code.get(pc)?;
    match i.op() {
        OpCode::Call | OpCode::TailCall => obj_name(p, pc, i.a()),
        OpCode::TForCall => Some(ObjName { kind: "for iterator", name: "for iterator".into() }),
        OpCode::SelfOp | OpCode::GetTabUp | OpCode::GetTable | OpCode::GetI | OpCode::GetField => {
            Some(ObjName { kind: "metamethod", name: "index".into() })
        }
        OpCode::SetTabUp | OpCode::SetTable | OpCode::SetI | OpCode::SetField => {
            Some(ObjName { kind: "metamethod", name: "newindex".into() })
        }
        OpCode::Eq | OpCode::EqK | OpCode::EqI => Some(ObjName { kind: "metamethod", name: "eq".into() }),
        OpCode::Lt | OpCode::LtI | OpCode::GtI => Some(ObjName { kind: "metamethod", name: "lt".into() }),
        OpCode::Le | OpCode::LeI | OpCode::GeI => Some(ObjName { kind: "metamethod", name: "le".into() }),
        OpCode::Concat => Some(ObjName { kind: "metamethod", name: "concat".into() }),
        OpCode::Len => Some(ObjName { kind: "metamethod", name: "len".into() }),
        OpCode::Unm => Some(ObjName { kind: "metamethod", name: "unm".into() }),
        OpCode::Close | OpCode::Return => Some(ObjName { kind: "metamethod", name: "close".into() }),
        op => arith_event_name(op).map(|name| ObjName { kind: "metamethod", name: name.into() }),
    }
}

fn same_kind(a: Value, b: Value) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

fn arith_event_name(op: OpCode) -> Option<&'static str> {
    Some(match op {
        OpCode::Add | OpCode::AddI | OpCode::AddK => "add",
        OpCode::Sub | OpCode::SubK => "sub",
        OpCode::Mul | OpCode::MulK => "mul",
        OpCode::Mod | OpCode::ModK => "mod",
        OpCode::Pow | OpCode::PowK => "pow",
        OpCode::Div | OpCode::DivK => "div",
        OpCode::IDiv | OpCode::IDivK => "idiv",
        OpCode::BAnd | OpCode::BAndK => "band",
        OpCode::BOr | OpCode::BOrK => "bor",
        OpCode::BXor | OpCode::BXorK => "bxor",
        OpCode::Shl | OpCode::ShlI => "shl",
        OpCode::Shr | OpCode::ShrI => "shr",
        OpCode::BNot => "bnot",
        _ => return None,
    })
}
