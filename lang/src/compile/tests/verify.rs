//! A structural self-check of compiled functions: register operands within `max_stack`, jump
//! targets within the code, constant, upvalue and prototype indices valid, line info complete.

use crate::bytecode::instr::MAX_A;
use crate::bytecode::{Instr, OpCode, Proto};

pub fn verify(p: &Proto) -> Result<(), String> {
    let n = p.code.len() as i64;
    let err = |pc: usize, what: &str| Err(format!("pc {}: {what}: {:?}", pc + 1, p.code[pc]));
    if p.line_info.len() != p.code.len() {
        return Err("line_info length differs from code length".into());
    }
    if p.max_stack < 2 {
        return Err("max_stack below 2".into());
    }
    if p.code.last().map(|i| i.op()) != Some(OpCode::Return) && p.code.last().map(|i| i.op()) != Some(OpCode::Return0) {
        return Err("function does not end with a return".into());
    }
    let reg = |r: u32| r < p.max_stack as u32;
    let kst = |k: u32| (k as usize) < p.constants.len();
    let up = |u: u32| (u as usize) < p.upvalues.len();
    for (pc, &i) in p.code.iter().enumerate() {
        use OpCode::*;
        let (a, b, c) = (i.a(), i.b(), i.c());
        let rk = |c: u32| if i.k() { kst(c) } else { reg(c) };
        let ok = match i.op() {
            Move | Unm | BNot | Not | Len => reg(a) && reg(b),
            LoadI | LoadF | LoadFalse | LFalseSkip | LoadTrue | Tbc | Return1 => reg(a),
            // Their A is a stack level, which may be the frame size.
            Close | Return0 => a <= p.max_stack as u32,
            LoadK => reg(a) && kst(i.bx()),
            LoadKX => reg(a) && p.code.get(pc + 1).is_some_and(|x| x.op() == ExtraArg && kst(x.ax_field())),
            LoadNil => reg(a + b),
            GetUpval | SetUpval => reg(a) && up(b),
            GetTabUp => reg(a) && up(b) && kst(c),
            GetTable => reg(a) && reg(b) && reg(c),
            GetI => reg(a) && reg(b),
            GetField => reg(a) && reg(b) && kst(c),
            SetTabUp => up(a) && kst(b) && rk(c),
            SetTable => reg(a) && reg(b) && rk(c),
            SetI => reg(a) && rk(c),
            SetField => reg(a) && kst(b) && rk(c),
            NewTable | SetList => reg(a) && p.code.get(pc + 1).is_some_and(|x| x.op() == ExtraArg),
            SelfOp => reg(a + 1) && reg(b) && rk(c),
            AddI | ShrI | ShlI => reg(a) && reg(b),
            AddK | SubK | MulK | ModK | PowK | DivK | IDivK | BAndK | BOrK | BXorK => reg(a) && reg(b) && kst(c),
            Add | Sub | Mul | Mod | Pow | Div | IDiv | BAnd | BOr | BXor | Shl | Shr => reg(a) && reg(b) && reg(c),
            Concat => b >= 2 && reg(a + b - 1),
            Jmp => (0..n).contains(&(pc as i64 + 1 + i.sj_field() as i64)),
            Eq | Lt | Le => reg(a) && reg(b),
            EqK => reg(a) && kst(b),
            EqI | LtI | LeI | GtI | GeI | Test => reg(a),
            TestSet => a != MAX_A && reg(a) && reg(b),
            Call | TailCall => reg(a) && (b == 0 || reg(a + b - 1)) && (c < 2 || reg(a + c - 2) || i.op() == TailCall),
            Return => b < 2 || reg(a + b - 2),
            ForLoop => reg(a + 3) && pc as i64 + 1 - (i.bx() as i64) >= 0,
            ForPrep => reg(a + 3) && pc as i64 + i.bx() as i64 + 2 <= n,
            TForPrep => reg(a + 3) && p.code.get(pc + 1 + i.bx() as usize).is_some_and(|x| x.op() == TForCall),
            TForCall => reg(a + 3 + c) && p.code.get(pc + 1).is_some_and(|x| x.op() == TForLoop),
            TForLoop => reg(a + 4) && pc as i64 + 1 - (i.bx() as i64) >= 0,
            Closure => reg(a) && (i.bx() as usize) < p.protos.len(),
            VarArg => c < 2 || reg(a + c - 2),
            VarArgPrep => pc == 0 && p.is_vararg && a == p.num_params as u32,
            ExtraArg => pc > 0 && matches!(p.code[pc - 1].op(), NewTable | SetList | LoadKX),
        };
        if !ok {
            return err(pc, "bad operand");
        }
        // A test must be followed by its jump.
        if matches!(i.op(), Eq | Lt | Le | EqK | EqI | LtI | LeI | GtI | GeI | Test | TestSet)
            && p.code.get(pc + 1).map(|x: &Instr| x.op()) != Some(Jmp)
        {
            return err(pc, "test not followed by a jump");
        }
    }
    for l in &p.locvars {
        if l.start_pc > l.end_pc || l.end_pc as i64 > n {
            return Err(format!("bad locvar range for {}", l.name));
        }
    }
    for child in &p.protos {
        verify(child)?;
    }
    Ok(())
}
