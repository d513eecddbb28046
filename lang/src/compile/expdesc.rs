//! `ExpDesc`: an expression whose code is not (completely) generated yet, and the operations
//! that move it towards a register, a constant operand or a jump (Lua's `expdesc` and the
//! discharge functions of lcode.c).
//!
//! Each kind carries exactly the data it needs. Every kind may also have pending jump lists:
//! `t` (jumps taken when the expression is true) and `f` (when false), produced by `and`/`or`
//! and comparisons; `exp2reg` turns them into a value.

use super::builder::{ConstIdx, JumpList, Pc, Reg, UpvalIdx, MAX_INDEX_RK, NO_REG};
use super::{CResult, FuncState};
use crate::bytecode::{Constant, Instr, OpCode};

/// Longest string that is a "short string" in Lua (`LUAI_MAXSHORTLEN`): only those can be
/// keys of `GetField`/`SetField`/`GetTabUp`/`SetTabUp`/`SelfOp`.
const MAX_SHORT_LEN: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExpKind {
    /// No value (empty expression list).
    Void,
    Nil,
    True,
    False,
    /// Numeric and string literals, not yet in the constant table.
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    /// A constant of the constant table.
    K(ConstIdx),
    /// The value is in this register.
    NonReloc(Reg),
    /// A local variable in its register.
    Local(Reg),
    Upval(UpvalIdx),
    /// `U[table][K[key]]`, key a short string.
    IndexUp {
        table: UpvalIdx,
        key: ConstIdx,
    },
    /// `R[table][K[key]]`, key a short string.
    IndexStr {
        table: Reg,
        key: ConstIdx,
    },
    /// `R[table][key]`, key an integer 0..=255.
    IndexInt {
        table: Reg,
        key: u8,
    },
    /// `R[table][R[key]]`.
    Indexed {
        table: Reg,
        key: Reg,
    },
    /// A comparison: the value is the outcome of the jump at this pc.
    Jmp(Pc),
    /// The instruction at this pc computes the value; its A field can still be chosen.
    Reloc(Pc),
    /// An open call at this pc (number of results not fixed yet).
    Call(Pc),
    /// An open `VarArg` at this pc.
    Vararg(Pc),
}

impl ExpKind {
    pub fn is_multi(&self) -> bool {
        matches!(self, ExpKind::Call(_) | ExpKind::Vararg(_))
    }

    pub fn is_indexed(&self) -> bool {
        matches!(
            self,
            ExpKind::IndexUp { .. } | ExpKind::IndexStr { .. } | ExpKind::IndexInt { .. } | ExpKind::Indexed { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExpDesc {
    pub kind: ExpKind,
    pub t: JumpList,
    pub f: JumpList,
}

impl ExpDesc {
    pub fn new(kind: ExpKind) -> ExpDesc {
        ExpDesc { kind, t: None, f: None }
    }

    pub fn has_jumps(&self) -> bool {
        self.t.is_some() || self.f.is_some()
    }

    /// The expression as a numeric constant, if it is one (without pending jumps).
    pub fn as_numeral(&self) -> Option<super::fold::Num> {
        if self.has_jumps() {
            return None;
        }
        match self.kind {
            ExpKind::Int(i) => Some(super::fold::Num::Int(i)),
            ExpKind::Float(f) => Some(super::fold::Num::Float(f)),
            _ => None,
        }
    }

    /// An integer constant without jumps.
    pub fn as_int(&self) -> Option<i64> {
        match self.kind {
            ExpKind::Int(i) if !self.has_jumps() => Some(i),
            _ => None,
        }
    }

    /// The value of a constant expression, for `<const>` locals (Lua's `luaK_exp2const`).
    pub fn to_constant(&self) -> Option<Constant> {
        if self.has_jumps() {
            return None;
        }
        Some(match &self.kind {
            ExpKind::Nil => Constant::Nil,
            ExpKind::True => Constant::Bool(true),
            ExpKind::False => Constant::Bool(false),
            ExpKind::Int(i) => Constant::Int(*i),
            ExpKind::Float(f) => Constant::Float(*f),
            ExpKind::Str(s) => Constant::Str(s.clone()),
            _ => return None,
        })
    }

    /// The expression for a compile-time constant.
    pub fn from_constant(c: Constant) -> ExpDesc {
        ExpDesc::new(match c {
            Constant::Nil => ExpKind::Nil,
            Constant::Bool(true) => ExpKind::True,
            Constant::Bool(false) => ExpKind::False,
            Constant::Int(i) => ExpKind::Int(i),
            Constant::Float(f) => ExpKind::Float(f),
            Constant::Str(s) => ExpKind::Str(s),
            Constant::CData(_) => unreachable!("a cdata literal is never a compile-time constant (`as_constant`)"),
        })
    }
}

/// The immediate form of a small number for the `sB`/`sC` fields, with whether it stands for
/// a float (Lua's `isSCnumber`).
pub(crate) fn small_number(e: &ExpDesc) -> Option<(u32, bool)> {
    if e.has_jumps() {
        return None;
    }
    let (i, is_float) = match e.kind {
        ExpKind::Int(i) => (i, false),
        ExpKind::Float(f) => (super::fold::float_to_int(f)?, true),
        _ => return None,
    };
    fits_c(i).then(|| (to_sc(i), is_float))
}

/// Whether `i` fits a signed 8-bit field.
pub(crate) fn fits_c(i: i64) -> bool {
    (-(crate::bytecode::instr::OFFSET_SC as i64)
        ..=(crate::bytecode::instr::MAX_C as i64 - crate::bytecode::instr::OFFSET_SC as i64))
        .contains(&i)
}

/// Encodes a small integer in excess-127.
pub(crate) fn to_sc(i: i64) -> u32 {
    (i + crate::bytecode::instr::OFFSET_SC as i64) as u32
}

impl FuncState {
    pub fn string_constant(&mut self, s: &[u8]) -> CResult<ConstIdx> {
        self.b.add_constant(Constant::Str(s.to_vec()))
    }

    /// Puts a string literal into the constant table.
    fn str_to_k(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if let ExpKind::Str(s) = &e.kind {
            let k = self.string_constant(s)?;
            e.kind = ExpKind::K(k);
        }
        Ok(())
    }

    /// Whether `e` is a short-string constant usable as a B/C operand.
    fn is_kstr(&self, e: &ExpDesc) -> bool {
        match e.kind {
            ExpKind::K(k) if !e.has_jumps() && k.0 <= MAX_INDEX_RK => {
                matches!(self.b.constant(k), Constant::Str(s) if s.len() <= MAX_SHORT_LEN)
            }
            _ => false,
        }
    }

    /// Turns variables into values: emits the loads of upvalues and indexed values, closes
    /// open calls to one result (Lua's `luaK_dischargevars`).
    pub fn discharge_vars(&mut self, e: &mut ExpDesc) -> CResult<()> {
        e.kind = match e.kind {
            ExpKind::Local(r) => ExpKind::NonReloc(r),
            ExpKind::Upval(u) => ExpKind::Reloc(self.b.abc(OpCode::GetUpval, 0, u.0 as u32, 0)),
            ExpKind::IndexUp { table, key } => ExpKind::Reloc(self.b.abc(OpCode::GetTabUp, 0, table.0 as u32, key.0)),
            ExpKind::IndexInt { table, key } => {
                self.free_reg(table);
                ExpKind::Reloc(self.b.abc(OpCode::GetI, 0, table.0 as u32, key as u32))
            }
            ExpKind::IndexStr { table, key } => {
                self.free_reg(table);
                ExpKind::Reloc(self.b.abc(OpCode::GetField, 0, table.0 as u32, key.0))
            }
            ExpKind::Indexed { table, key } => {
                self.free_regs(table, key);
                ExpKind::Reloc(self.b.abc(OpCode::GetTable, 0, table.0 as u32, key.0 as u32))
            }
            ExpKind::Call(_) | ExpKind::Vararg(_) => {
                self.set_one_ret(e);
                return Ok(());
            }
            _ => return Ok(()),
        };
        Ok(())
    }

    /// Fixes an open call or vararg to produce exactly one value.
    pub fn set_one_ret(&mut self, e: &mut ExpDesc) {
        match e.kind {
            ExpKind::Call(pc) => {
                // Calls are emitted with one result already (C = 2).
                debug_assert_eq!(self.b.get(pc).c(), 2);
                e.kind = ExpKind::NonReloc(Reg(self.b.get(pc).a() as u8));
            }
            ExpKind::Vararg(pc) => {
                let i = self.b.get(pc).with_c(2);
                self.b.set(pc, i);
                e.kind = ExpKind::Reloc(pc);
            }
            _ => {}
        }
    }

    /// Fixes an open call or vararg to produce `n` values (`None`: all of them).
    pub fn set_returns(&mut self, e: &mut ExpDesc, n: Option<u32>) -> CResult<()> {
        let c = n.map_or(0, |n| n + 1);
        match e.kind {
            ExpKind::Call(pc) => {
                let i = self.b.get(pc).with_c(c);
                self.b.set(pc, i);
            }
            ExpKind::Vararg(pc) => {
                let i = self.b.get(pc).with_c(c).with_a(self.free_reg as u32);
                self.b.set(pc, i);
                self.reserve_regs(1)?;
            }
            _ => unreachable!("only calls and varargs have several results"),
        }
        Ok(())
    }

    pub fn set_multret(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.set_returns(e, None)
    }

    /// Puts the value of `e` (without its jumps) into `reg`.
    fn discharge_to_reg(&mut self, e: &mut ExpDesc, reg: u8) -> CResult<()> {
        self.discharge_vars(e)?;
        match &e.kind {
            ExpKind::Nil => self.b.load_nil(reg, 1),
            ExpKind::False => {
                self.b.abc(OpCode::LoadFalse, reg as u32, 0, 0);
            }
            ExpKind::True => {
                self.b.abc(OpCode::LoadTrue, reg as u32, 0, 0);
            }
            ExpKind::Str(s) => {
                let k = self.string_constant(s)?;
                self.b.load_constant(reg, k);
            }
            ExpKind::K(k) => {
                self.b.load_constant(reg, *k);
            }
            ExpKind::Float(f) => self.b.load_float(reg, *f)?,
            ExpKind::Int(i) => self.b.load_int(reg, *i)?,
            ExpKind::Reloc(pc) => {
                let i = self.b.get(*pc).with_a(reg as u32);
                self.b.set(*pc, i);
            }
            ExpKind::NonReloc(r) => {
                if r.0 != reg {
                    self.b.abc(OpCode::Move, reg as u32, r.0 as u32, 0);
                }
            }
            ExpKind::Jmp(_) => return Ok(()),
            other => unreachable!("discharged expression expected, got {other:?}"),
        }
        e.kind = ExpKind::NonReloc(Reg(reg));
        Ok(())
    }

    /// Puts `e` into some register, unless it already is in one.
    fn discharge_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.kind, ExpKind::NonReloc(_)) {
            self.reserve_regs(1)?;
            self.discharge_to_reg(e, self.free_reg - 1)?;
        }
        Ok(())
    }

    /// Puts the complete value of `e`, jumps included, into `reg` (Lua's `exp2reg`).
    pub fn exp_to_reg(&mut self, e: &mut ExpDesc, reg: u8) -> CResult<()> {
        self.discharge_to_reg(e, reg)?;
        if let ExpKind::Jmp(pc) = e.kind {
            self.b.concat(&mut e.t, Some(pc))?;
        }
        if e.has_jumps() {
            let mut load_false = None;
            let mut load_true = None;
            if self.b.need_value(e.t) || self.b.need_value(e.f) {
                let skip = if matches!(e.kind, ExpKind::Jmp(_)) { None } else { Some(self.b.jump()) };
                self.b.label();
                load_false = Some(self.b.abc(OpCode::LFalseSkip, reg as u32, 0, 0));
                self.b.label();
                load_true = Some(self.b.abc(OpCode::LoadTrue, reg as u32, 0, 0));
                self.b.patch_to_here(skip)?;
            }
            let end = self.b.label();
            self.b.patch_list_aux(e.f, end, Some(reg), load_false.unwrap_or(end))?;
            self.b.patch_list_aux(e.t, end, Some(reg), load_true.unwrap_or(end))?;
        }
        *e = ExpDesc::new(ExpKind::NonReloc(Reg(reg)));
        Ok(())
    }

    /// Puts `e` into the next free register.
    pub fn exp_to_next_reg(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        self.free_exp(e);
        self.reserve_regs(1)?;
        self.exp_to_reg(e, self.free_reg - 1)
    }

    /// Puts `e` into some register and returns it.
    pub fn exp_to_any_reg(&mut self, e: &mut ExpDesc) -> CResult<u8> {
        self.discharge_vars(e)?;
        if let ExpKind::NonReloc(r) = e.kind {
            if !e.has_jumps() {
                return Ok(r.0);
            }
            if r.0 >= self.nvarstack() {
                self.exp_to_reg(e, r.0)?;
                return Ok(r.0);
            }
            // A local cannot receive the values of the jumps: use a new register.
        }
        self.exp_to_next_reg(e)?;
        match e.kind {
            ExpKind::NonReloc(r) => Ok(r.0),
            _ => unreachable!("exp_to_next_reg leaves a register"),
        }
    }

    /// Like `exp_to_any_reg`, but an upvalue may stay an upvalue (as table of an index).
    pub fn exp_to_any_reg_up(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if !matches!(e.kind, ExpKind::Upval(_)) || e.has_jumps() {
            self.exp_to_any_reg(e)?;
        }
        Ok(())
    }

    /// Makes `e` a value (register or constant) without pending jumps. A comparison (`Jmp`)
    /// is a pending jump too: left undischarged, code emitted later (an upvalue table loaded
    /// for `_ENV[1 < 2]`) would land inside its jumps (the bug Lua 5.4.8 fixed).
    pub fn exp_to_val(&mut self, e: &mut ExpDesc) -> CResult<()> {
        if matches!(e.kind, ExpKind::Jmp(_)) || e.has_jumps() {
            self.exp_to_any_reg(e)?;
        } else {
            self.discharge_vars(e)?;
        }
        Ok(())
    }

    /// Makes `e` a constant of the table usable as an RK operand, if it is a constant
    /// (Lua's `luaK_exp2K`).
    pub fn exp_to_k(&mut self, e: &mut ExpDesc) -> CResult<bool> {
        if e.has_jumps() {
            return Ok(false);
        }
        let k = match &e.kind {
            ExpKind::True => self.b.add_constant(Constant::Bool(true))?,
            ExpKind::False => self.b.add_constant(Constant::Bool(false))?,
            ExpKind::Nil => self.b.add_constant(Constant::Nil)?,
            ExpKind::Int(i) => self.b.add_constant(Constant::Int(*i))?,
            ExpKind::Float(f) => self.b.add_constant(Constant::Float(*f))?,
            ExpKind::Str(s) => self.string_constant(s)?,
            ExpKind::K(k) => *k,
            _ => return Ok(false),
        };
        if k.0 <= MAX_INDEX_RK {
            e.kind = ExpKind::K(k);
            return Ok(true);
        }
        Ok(false)
    }

    /// Makes `e` an RK operand; returns the operand and whether it is a constant.
    pub fn exp_to_rk(&mut self, e: &mut ExpDesc) -> CResult<(u32, bool)> {
        if self.exp_to_k(e)? {
            if let ExpKind::K(k) = e.kind {
                return Ok((k.0, true));
            }
        }
        Ok((self.exp_to_any_reg(e)? as u32, false))
    }

    /// Emits `op A B RK(ec)`.
    fn code_abrk(&mut self, op: OpCode, a: u32, b: u32, ec: &mut ExpDesc) -> CResult<()> {
        let (c, k) = self.exp_to_rk(ec)?;
        self.b.abck(op, a, b, c, k);
        Ok(())
    }

    /// Stores `ex` into the variable `var` (Lua's `luaK_storevar`).
    pub fn store_var(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> CResult<()> {
        match var.kind {
            ExpKind::Local(r) => {
                self.free_exp(ex);
                return self.exp_to_reg(ex, r.0);
            }
            ExpKind::Upval(u) => {
                let e = self.exp_to_any_reg(ex)?;
                self.b.abc(OpCode::SetUpval, e as u32, u.0 as u32, 0);
            }
            ExpKind::IndexUp { table, key } => self.code_abrk(OpCode::SetTabUp, table.0 as u32, key.0, ex)?,
            ExpKind::IndexInt { table, key } => self.code_abrk(OpCode::SetI, table.0 as u32, key as u32, ex)?,
            ExpKind::IndexStr { table, key } => self.code_abrk(OpCode::SetField, table.0 as u32, key.0, ex)?,
            ExpKind::Indexed { table, key } => self.code_abrk(OpCode::SetTable, table.0 as u32, key.0 as u32, ex)?,
            ref other => unreachable!("assignment target expected, got {other:?}"),
        }
        self.free_exp(ex);
        Ok(())
    }

    /// Turns `t` (a local, register or upvalue) into the indexed expression `t[k]`
    /// (Lua's `luaK_indexed`).
    pub fn indexed(&mut self, t: &mut ExpDesc, mut k: ExpDesc) -> CResult<()> {
        self.str_to_k(&mut k)?;
        debug_assert!(!t.has_jumps());
        if matches!(t.kind, ExpKind::Upval(_)) && !self.is_kstr(&k) {
            self.exp_to_any_reg(t)?;
        }
        if let ExpKind::Upval(u) = t.kind {
            let ExpKind::K(key) = k.kind else { unreachable!("checked by is_kstr") };
            t.kind = ExpKind::IndexUp { table: u, key };
            return Ok(());
        }
        let table = match t.kind {
            ExpKind::Local(r) | ExpKind::NonReloc(r) => r,
            ref other => unreachable!("indexed table must be in a register, got {other:?}"),
        };
        t.kind = if self.is_kstr(&k) {
            let ExpKind::K(key) = k.kind else { unreachable!("checked by is_kstr") };
            ExpKind::IndexStr { table, key }
        } else if let Some(i) = k.as_int().filter(|i| (0..=255).contains(i)) {
            ExpKind::IndexInt { table, key: i as u8 }
        } else {
            ExpKind::Indexed { table, key: Reg(self.exp_to_any_reg(&mut k)?) }
        };
        Ok(())
    }

    /// `e:key` — emits `SelfOp`, leaving the method and `e` in two new registers.
    pub fn self_op(&mut self, e: &mut ExpDesc, mut key: ExpDesc) -> CResult<()> {
        let ereg = self.exp_to_any_reg(e)?;
        self.free_exp(e);
        let base = self.free_reg;
        e.kind = ExpKind::NonReloc(Reg(base));
        self.reserve_regs(2)?;
        self.code_abrk(OpCode::SelfOp, base as u32, ereg as u32, &mut key)?;
        self.free_exp(&key);
        Ok(())
    }

    // ---- conditions ----

    /// Inverts the test that controls the jump of a comparison.
    fn negate_condition(&mut self, pc: Pc) {
        let ctl = self.b.jump_control(pc);
        let i = self.b.get(ctl);
        self.b.set(ctl, i.with_k(!i.k()));
    }

    /// Emits a jump taken when `e` is `cond`; returns it.
    fn jump_on_cond(&mut self, e: &mut ExpDesc, cond: bool) -> CResult<Pc> {
        if let ExpKind::Reloc(pc) = e.kind {
            let i = self.b.get(pc);
            if i.op() == OpCode::Not && pc + 1 == self.b.pc() {
                // `not x` as a condition: test x with the opposite sense.
                self.b.remove_last();
                return Ok(self.b.cond_jump(OpCode::Test, i.b(), 0, 0, !cond));
            }
        }
        self.discharge_to_any_reg(e)?;
        self.free_exp(e);
        let ExpKind::NonReloc(r) = e.kind else { unreachable!("discharged to a register") };
        Ok(self.b.cond_jump(OpCode::TestSet, NO_REG as u32, r.0 as u32, 0, cond))
    }

    /// Goes on if `e` is true, jumps (through `e.f`) if it is false.
    pub fn go_if_true(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        let pc = match e.kind {
            ExpKind::Jmp(pc) => {
                self.negate_condition(pc);
                Some(pc)
            }
            ExpKind::K(_) | ExpKind::Float(_) | ExpKind::Int(_) | ExpKind::Str(_) | ExpKind::True => None,
            _ => Some(self.jump_on_cond(e, false)?),
        };
        self.b.concat(&mut e.f, pc)?;
        self.b.patch_to_here(e.t)?;
        e.t = None;
        Ok(())
    }

    /// Goes on if `e` is false, jumps (through `e.t`) if it is true.
    pub fn go_if_false(&mut self, e: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(e)?;
        let pc = match e.kind {
            ExpKind::Jmp(pc) => Some(pc),
            ExpKind::Nil | ExpKind::False => None,
            _ => Some(self.jump_on_cond(e, true)?),
        };
        self.b.concat(&mut e.t, pc)?;
        self.b.patch_to_here(e.f)?;
        e.f = None;
        Ok(())
    }

    /// `not e`: folds constants, inverts comparisons, emits `Not` otherwise.
    pub fn code_not(&mut self, e: &mut ExpDesc) -> CResult<()> {
        match e.kind {
            ExpKind::Nil | ExpKind::False => e.kind = ExpKind::True,
            ExpKind::K(_) | ExpKind::Float(_) | ExpKind::Int(_) | ExpKind::Str(_) | ExpKind::True => {
                e.kind = ExpKind::False
            }
            ExpKind::Jmp(pc) => self.negate_condition(pc),
            ExpKind::Reloc(_) | ExpKind::NonReloc(_) => {
                self.discharge_to_any_reg(e)?;
                self.free_exp(e);
                let ExpKind::NonReloc(r) = e.kind else { unreachable!("discharged to a register") };
                e.kind = ExpKind::Reloc(self.b.abc(OpCode::Not, 0, r.0 as u32, 0));
            }
            ref other => unreachable!("discharged expression expected, got {other:?}"),
        }
        std::mem::swap(&mut e.t, &mut e.f);
        // The values of `TestSet`s are useless once negated.
        self.b.remove_values(e.f);
        self.b.remove_values(e.t);
        Ok(())
    }

    /// Emits the return of `nret` values from `first` (`None`: up to the top).
    pub fn ret(&mut self, first: u8, nret: Option<u8>) {
        let (op, b) = match nret {
            Some(0) => (OpCode::Return0, 1),
            Some(1) => (OpCode::Return1, 2),
            Some(n) => (OpCode::Return, n as u32 + 1),
            None => (OpCode::Return, 0),
        };
        self.b.emit(Instr::abc(op, first as u32, b, 0, false));
    }
}
