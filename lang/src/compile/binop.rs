//! Unary and binary operators (Lua's `luaK_prefix`, `luaK_infix`, `luaK_posfix`).
//!
//! Operand forms follow Lua 5.4: immediates (`AddI`, `ShrI`, `ShlI`, `EqI`, `LtI`...) for small
//! integers, K operands (`AddK`..`BXorK`, `EqK`) for constants, registers otherwise. rivet has no
//! `MMBIN*` instructions, so two of Lua's tricks change:
//! - when a commutative operator's constant operand was written first (`2 * x`), the operands
//!   are swapped and the k bit of the `*I`/`*K` instruction records it, so that the VM calls the
//!   metamethod with the operands in source order;
//! - `x - 1` is not turned into `AddI x -1`, nor `x << 1` into `ShrI x -1`: without `MMBINI`
//!   the VM could not call `__sub`/`__shl`. `SubK` and a register operand are used instead.

use super::expdesc::{fits_c, small_number, to_sc, ExpDesc, ExpKind};
use super::fold::{fold, FoldOp, Num};
use super::{CResult, FuncState};
use crate::bytecode::OpCode;
use crate::syntax::ast::{BinOp, UnOp};

impl FuncState {
    /// Tries to fold `e1 op e2` into `e1`.
    fn const_folding(&mut self, op: FoldOp, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
        let (Some(a), Some(b)) = (e1.as_numeral(), e2.as_numeral()) else { return false };
        match fold(op, a, b) {
            Some(Num::Int(i)) => e1.kind = ExpKind::Int(i),
            Some(Num::Float(f)) => e1.kind = ExpKind::Float(f),
            None => return false,
        }
        true
    }

    pub fn prefix(&mut self, op: UnOp, e: &mut ExpDesc, line: u32) -> CResult<()> {
        self.discharge_vars(e)?;
        match op {
            UnOp::Neg | UnOp::BNot => {
                let fop = super::fold::fold_op_of_unop(op).expect("arithmetic unary operator");
                if self.const_folding(fop, e, &ExpDesc::new(ExpKind::Int(0))) {
                    return Ok(());
                }
                let opcode = if op == UnOp::Neg { OpCode::Unm } else { OpCode::BNot };
                self.code_unary(opcode, e, line)
            }
            UnOp::Len => self.code_unary(OpCode::Len, e, line),
            UnOp::Not => self.code_not(e),
        }
    }

    fn code_unary(&mut self, op: OpCode, e: &mut ExpDesc, line: u32) -> CResult<()> {
        let r = self.exp_to_any_reg(e)?;
        self.free_exp(e);
        e.kind = ExpKind::Reloc(self.b.abc(op, 0, r as u32, 0));
        self.b.fix_line(line);
        Ok(())
    }

    /// Prepares the first operand before the second is compiled.
    pub fn infix(&mut self, op: BinOp, v: &mut ExpDesc) -> CResult<()> {
        self.discharge_vars(v)?;
        match op {
            BinOp::And => self.go_if_true(v)?,
            BinOp::Or => self.go_if_false(v)?,
            BinOp::Concat => self.exp_to_next_reg(v)?,
            BinOp::Eq | BinOp::Ne => {
                if v.as_numeral().is_none() {
                    self.exp_to_rk(v)?;
                }
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if small_number(v).is_none() {
                    self.exp_to_any_reg(v)?;
                }
            }
            _ => {
                // Arithmetic and bitwise: keep a numeral, it may be folded or be an operand.
                if v.as_numeral().is_none() {
                    self.exp_to_any_reg(v)?;
                }
            }
        }
        Ok(())
    }

    /// Completes `e1 op e2` into `e1`.
    pub fn posfix(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc, line: u32) -> CResult<()> {
        self.discharge_vars(&mut e2)?;
        if let Some(fop) = super::fold::fold_op_of_binop(op) {
            if self.const_folding(fop, e1, &e2) {
                return Ok(());
            }
        }
        match op {
            BinOp::And => {
                debug_assert!(e1.t.is_none(), "closed by infix");
                self.b.concat(&mut e2.f, e1.f)?;
                *e1 = e2;
            }
            BinOp::Or => {
                debug_assert!(e1.f.is_none(), "closed by infix");
                self.b.concat(&mut e2.t, e1.t)?;
                *e1 = e2;
            }
            BinOp::Concat => {
                self.exp_to_next_reg(&mut e2)?;
                self.code_concat(e1, e2, line);
            }
            BinOp::Add | BinOp::Mul => self.code_commutative(op, e1, e2, line)?,
            BinOp::Sub | BinOp::Div | BinOp::IDiv | BinOp::Mod | BinOp::Pow => {
                self.code_arith(op, e1, e2, false, line)?
            }
            BinOp::BAnd | BinOp::BOr | BinOp::BXor => self.code_bitwise(op, e1, e2, line)?,
            BinOp::Shl => {
                if e1.as_int().is_some_and(fits_c) {
                    // `I << x`
                    let imm = to_sc(e1.as_int().expect("checked"));
                    self.finish_binary(e2, e1, OpCode::ShlI, imm, false, line)?;
                } else {
                    self.code_reg_reg(op, e1, e2, line)?;
                }
            }
            BinOp::Shr => match e2.as_int().filter(|i| fits_c(*i)) {
                Some(i) => {
                    let left = std::mem::replace(e1, ExpDesc::new(ExpKind::Void));
                    self.finish_binary(left, e1, OpCode::ShrI, to_sc(i), false, line)?
                }
                None => self.code_reg_reg(op, e1, e2, line)?,
            },
            BinOp::Eq | BinOp::Ne => self.code_eq(op == BinOp::Eq, e1, e2)?,
            BinOp::Lt | BinOp::Le => self.code_order(op, e1, e2)?,
            BinOp::Gt | BinOp::Ge => {
                // `a > b` is `b < a`: both are evaluated already, only the operands swap.
                let swapped = if op == BinOp::Gt { BinOp::Lt } else { BinOp::Le };
                let a = std::mem::replace(e1, e2);
                self.code_order(swapped, e1, a)?;
            }
        }
        Ok(())
    }

    /// Emits `op A R[left] v2`: `left` goes to a register, `result` becomes the relocatable
    /// instruction. `flip` (the k bit) tells the VM the operands were swapped.
    fn finish_binary(
        &mut self,
        mut left: ExpDesc,
        result: &mut ExpDesc,
        op: OpCode,
        v2: u32,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        let v1 = self.exp_to_any_reg(&mut left)?;
        let pc = self.b.abck(op, 0, v1 as u32, v2, flip);
        self.free_exp(&left);
        *result = ExpDesc::new(ExpKind::Reloc(pc));
        self.b.fix_line(line);
        Ok(())
    }

    /// Both operands in registers.
    fn code_reg_reg(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc, line: u32) -> CResult<()> {
        let v2 = self.exp_to_any_reg(&mut e2)?;
        let v1 = self.exp_to_any_reg(e1)?;
        let pc = self.b.abc(reg_opcode(op), 0, v1 as u32, v2 as u32);
        self.free_exps(e1, &e2);
        *e1 = ExpDesc::new(ExpKind::Reloc(pc));
        self.b.fix_line(line);
        Ok(())
    }

    /// `e1 op K[e2]`, or registers when `e2` is not a numeric constant that fits.
    fn code_arith(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc, flip: bool, line: u32) -> CResult<()> {
        if e2.as_numeral().is_some() && self.exp_to_k(&mut e2)? {
            let ExpKind::K(k) = e2.kind else { unreachable!("exp_to_k made a constant") };
            let left = std::mem::replace(e1, ExpDesc::new(ExpKind::Void));
            return self.finish_binary(left, e1, k_opcode(op), k.0, flip, line);
        }
        self.code_regs_in_source_order(op, e1, e2, flip, line)
    }

    /// Both operands in registers; `flip` says they were swapped, so swap them back.
    fn code_regs_in_source_order(
        &mut self,
        op: BinOp,
        e1: &mut ExpDesc,
        e2: ExpDesc,
        flip: bool,
        line: u32,
    ) -> CResult<()> {
        if flip {
            let a = std::mem::replace(e1, e2);
            return self.code_reg_reg(op, e1, a, line);
        }
        self.code_reg_reg(op, e1, e2, line)
    }

    fn code_commutative(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc, line: u32) -> CResult<()> {
        let mut flip = false;
        if e1.as_numeral().is_some() {
            std::mem::swap(e1, &mut e2);
            flip = true;
        }
        if op == BinOp::Add {
            if let Some(i) = e2.as_int().filter(|i| fits_c(*i)) {
                let left = std::mem::replace(e1, ExpDesc::new(ExpKind::Void));
                return self.finish_binary(left, e1, OpCode::AddI, to_sc(i), flip, line);
            }
        }
        self.code_arith(op, e1, e2, flip, line)
    }

    fn code_bitwise(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc, line: u32) -> CResult<()> {
        let mut flip = false;
        if matches!(e1.kind, ExpKind::Int(_)) {
            std::mem::swap(e1, &mut e2);
            flip = true;
        }
        // Only integer constants become K operands of bitwise instructions.
        if matches!(e2.kind, ExpKind::Int(_)) {
            return self.code_arith(op, e1, e2, flip, line);
        }
        self.code_regs_in_source_order(op, e1, e2, flip, line)
    }

    /// Appends `e2` (in the register after `e1`) to the concatenation `e1`, merging with a
    /// `Concat` just emitted for `e2` so a chain becomes one instruction.
    fn code_concat(&mut self, e1: &mut ExpDesc, e2: ExpDesc, line: u32) {
        let ExpKind::NonReloc(r1) = e1.kind else { unreachable!("concat operand in a register") };
        if let Some(prev) = self.b.previous_instruction() {
            if prev.op() == OpCode::Concat {
                debug_assert_eq!(r1.0 as u32 + 1, prev.a());
                self.free_exp(&e2);
                let pc = self.b.pc() - 1;
                self.b.set(pc, prev.with_a(r1.0 as u32).with_b(prev.b() + 1));
                return;
            }
        }
        self.b.abc(OpCode::Concat, r1.0 as u32, 2, 0);
        self.free_exp(&e2);
        self.b.fix_line(line);
    }

    /// `==`/`~=`: `EqI` for a small number, `EqK` for a constant, `Eq` otherwise.
    fn code_eq(&mut self, is_eq: bool, e1: &mut ExpDesc, mut e2: ExpDesc) -> CResult<()> {
        if !matches!(e1.kind, ExpKind::NonReloc(_)) {
            // e1 is a constant (kept by infix): compare the other operand against it.
            std::mem::swap(e1, &mut e2);
        }
        let r1 = self.exp_to_any_reg(e1)?;
        let (op, r2, is_float) = if let Some((imm, is_float)) = small_number(&e2) {
            (OpCode::EqI, imm, is_float)
        } else {
            match self.exp_to_rk(&mut e2)? {
                (k, true) => (OpCode::EqK, k, false),
                (r, false) => (OpCode::Eq, r, false),
            }
        };
        self.free_exps(e1, &e2);
        let pc = self.b.cond_jump(op, r1 as u32, r2, is_float as u32, is_eq);
        *e1 = ExpDesc::new(ExpKind::Jmp(pc));
        Ok(())
    }

    /// `<`/`<=`, with immediates on either side (`LtI`/`LeI`, or `GtI`/`GeI` when the number
    /// is the first operand).
    fn code_order(&mut self, op: BinOp, e1: &mut ExpDesc, mut e2: ExpDesc) -> CResult<()> {
        let is_lt = op == BinOp::Lt;
        let (opcode, r1, r2, is_float);
        if let Some((imm, f)) = small_number(&e2) {
            r1 = self.exp_to_any_reg(e1)?;
            (opcode, r2, is_float) = (if is_lt { OpCode::LtI } else { OpCode::LeI }, imm, f);
        } else if let Some((imm, f)) = small_number(e1) {
            r1 = self.exp_to_any_reg(&mut e2)?;
            (opcode, r2, is_float) = (if is_lt { OpCode::GtI } else { OpCode::GeI }, imm, f);
        } else {
            r1 = self.exp_to_any_reg(e1)?;
            r2 = self.exp_to_any_reg(&mut e2)? as u32;
            (opcode, is_float) = (if is_lt { OpCode::Lt } else { OpCode::Le }, false);
        }
        self.free_exps(e1, &e2);
        let pc = self.b.cond_jump(opcode, r1 as u32, r2, is_float as u32, true);
        *e1 = ExpDesc::new(ExpKind::Jmp(pc));
        Ok(())
    }
}

/// The register-register opcode of an arithmetic or bitwise operator.
fn reg_opcode(op: BinOp) -> OpCode {
    match op {
        BinOp::Add => OpCode::Add,
        BinOp::Sub => OpCode::Sub,
        BinOp::Mul => OpCode::Mul,
        BinOp::Mod => OpCode::Mod,
        BinOp::Pow => OpCode::Pow,
        BinOp::Div => OpCode::Div,
        BinOp::IDiv => OpCode::IDiv,
        BinOp::BAnd => OpCode::BAnd,
        BinOp::BOr => OpCode::BOr,
        BinOp::BXor => OpCode::BXor,
        BinOp::Shl => OpCode::Shl,
        BinOp::Shr => OpCode::Shr,
        _ => unreachable!("arithmetic or bitwise operator expected"),
    }
}

/// The register-constant opcode of an arithmetic or bitwise operator.
fn k_opcode(op: BinOp) -> OpCode {
    match op {
        BinOp::Add => OpCode::AddK,
        BinOp::Sub => OpCode::SubK,
        BinOp::Mul => OpCode::MulK,
        BinOp::Mod => OpCode::ModK,
        BinOp::Pow => OpCode::PowK,
        BinOp::Div => OpCode::DivK,
        BinOp::IDiv => OpCode::IDivK,
        BinOp::BAnd => OpCode::BAndK,
        BinOp::BOr => OpCode::BOrK,
        BinOp::BXor => OpCode::BXorK,
        _ => unreachable!("operator with a K form expected"),
    }
}
