//! Lowering of statements (Lua's `statement` and the `*stat` functions of lparser.c).
//!
//! After each statement every temporary register is free again. Loops are blocks that
//! resolve the pending `break`s (which are gotos to the label "break") when left.

use super::builder::{Pc, Reg};
use super::expdesc::{ExpDesc, ExpKind};
use super::scope::VarSlot;
use super::{CResult, Compiler, FuncState};
use crate::bytecode::instr::MAX_BX;
use crate::bytecode::{Instr, OpCode};
use crate::syntax::ast::{Attrib, Block, Expr, ExprKind, FuncBody, IfArm, LocalName, Name, Return, Stat, StatKind};

impl Compiler {
    /// The statements of `block` in the current scope. `repeat_body`: the block is the body of
    /// `repeat`, whose locals stay visible in the `until` condition.
    pub(super) fn stat_list(&mut self, block: &Block, repeat_body: bool) -> CResult<()> {
        self.statements(&block.stats, block.ret.as_ref(), repeat_body)
    }

    fn statements(&mut self, stats: &[Stat], ret: Option<&Return>, repeat_body: bool) -> CResult<()> {
        for (i, s) in stats.iter().enumerate() {
            // A label followed only by void statements up to the end of its block is outside
            // the scope of the block's locals (not so before `until`, which sees them).
            let ends_block =
                ret.is_none() && !repeat_body && stats[i + 1..].iter().all(|s| matches!(s.kind, StatKind::Label(_)));
            self.statement(s, ends_block)?;
            // What follows (the block's exit) is coded once the statement is read.
            self.set_line(s.last_line());
        }
        if let Some(r) = ret {
            self.ret_stat(r)?;
            let fs = self.fs();
            fs.free_reg = fs.nvarstack();
        }
        Ok(())
    }

    /// A block in its own scope.
    fn block(&mut self, block: &Block) -> CResult<()> {
        self.fs().enter_block(false);
        self.stat_list(block, false)?;
        self.fs().leave_block()
    }

    fn statement(&mut self, s: &Stat, ends_block: bool) -> CResult<()> {
        self.enter_level()?;
        self.set_line(s.line);
        match &s.kind {
            StatKind::Local { names, exprs } => self.local_stat(names, exprs)?,
            StatKind::Assign { targets, exprs } => self.assign_stat(targets, exprs)?,
            StatKind::Call(call) => {
                let e = self.expr(call)?;
                match e.kind {
                    ExpKind::Call(pc) => {
                        // A call statement keeps no results.
                        let fs = self.fs();
                        let i = fs.b.get(pc).with_c(1);
                        fs.b.set(pc, i);
                    }
                    _ => return Err(self.fs_ref().error("syntax error")),
                }
            }
            StatKind::Do { body, .. } => self.block(body)?,
            StatKind::While { cond, body, end_line } => self.while_stat(cond, body, *end_line)?,
            StatKind::Repeat { body, cond } => self.repeat_stat(body, cond)?,
            StatKind::If { arms, else_block, .. } => self.if_stat(arms, else_block.as_ref())?,
            StatKind::NumericFor { var, start, limit, step, body, end_line } => {
                self.fs().enter_block(true);
                self.numeric_for(var, start, limit, step.as_ref(), body, s.line)?;
                // The loop is left (a `Close` for `break`) on the line of `end`.
                self.set_line(*end_line);
                self.fs().leave_block()?;
            }
            StatKind::GenericFor { names, exprs, body, end_line } => {
                self.fs().enter_block(true);
                self.generic_for(names, exprs, body)?;
                self.set_line(*end_line);
                self.fs().leave_block()?;
            }
            StatKind::Function { path, method, body } => self.function_stat(path, method.as_deref(), body, s.line)?,
            StatKind::LocalFunction { name, body } => {
                let fs = self.fs();
                let vidx = fs.new_local(name, Attrib::None)?;
                fs.activate_locals(1);
                self.function_body(body, false)?;
                // Debug information sees the variable only once the closure is in place.
                let fs = self.fs();
                let pc = fs.b.pc() as u32;
                if let Some(lv) = fs.locvar_of(vidx) {
                    lv.start_pc = pc;
                }
            }
            StatKind::Break => {
                let fs = self.fs();
                let j = fs.b.jump();
                fs.new_goto("break", s.line, Some(j));
            }
            StatKind::Goto(name) => self.goto_stat(name, s.line)?,
            StatKind::Label(name) => {
                let fs = self.fs();
                if let Some(lb) = fs.find_label(name) {
                    return Err(fs.error(format!("label '{name}' already defined on line {}", lb.line)));
                }
                fs.create_label(name, s.line, ends_block)?;
            }
        }
        let fs = self.fs();
        debug_assert!(fs.max_stack >= fs.free_reg && fs.free_reg >= fs.nvarstack());
        fs.free_reg = fs.nvarstack();
        self.leave_level();
        Ok(())
    }

    fn local_stat(&mut self, names: &[LocalName], exprs: &[Expr]) -> CResult<()> {
        let mut to_close = None;
        for (i, n) in names.iter().enumerate() {
            let fs = self.fs();
            fs.new_local(&n.name, n.attrib)?;
            if n.attrib == Attrib::Close {
                if to_close.is_some() {
                    return Err(fs.error("multiple to-be-closed variables in local list"));
                }
                to_close = Some(fs.nactvar + i);
            }
        }
        let e = if exprs.is_empty() { ExpDesc::new(ExpKind::Void) } else { self.explist(exprs)? };
        if let Some(x) = exprs.last() {
            self.set_line(x.last_line());
        }
        let nvars = names.len();
        let fs = self.fs();
        let last = fs.actvars.len() - 1;
        let constant =
            if nvars == exprs.len() && fs.actvars[last].attrib == Attrib::Const { e.to_constant() } else { None };
        if let Some(k) = constant {
            // Only the last variable can become a compile-time constant: it takes no register.
            fs.actvars[last].slot = VarSlot::CompileTime(k);
            fs.activate_locals(nvars - 1);
            fs.nactvar += 1;
        } else {
            fs.adjust_assign(nvars, exprs.len(), e)?;
            fs.activate_locals(nvars);
        }
        if let Some(level) = to_close {
            fs.mark_to_be_closed();
            let reg = fs.reg_level(level);
            fs.b.abc(OpCode::Tbc, reg as u32, 0, 0);
        }
        Ok(())
    }

    /// An assignment target: a variable or an indexed expression, not yet discharged.
    fn assign_target(&mut self, t: &Expr) -> CResult<ExpDesc> {
        self.set_line(t.line);
        match &t.kind {
            ExprKind::Name(name) => {
                let r = self.resolve_here(name)?;
                if self.is_readonly(&r) {
                    return Err(self.fs_ref().error(format!("attempt to assign to const variable '{name}'")));
                }
                self.var_ref_exp(r, name)
            }
            ExprKind::Index { .. } => self.expr(t),
            _ => Err(self.fs_ref().error("syntax error")),
        }
    }

    fn assign_stat(&mut self, targets: &[Expr], exprs: &[Expr]) -> CResult<()> {
        let mut lhs: Vec<ExpDesc> = Vec::with_capacity(targets.len());
        for t in targets {
            let v = self.assign_target(t)?;
            if !lhs.is_empty() && !v.kind.is_indexed() {
                self.fs().check_conflict(&mut lhs, &v)?;
            }
            lhs.push(v);
        }
        let mut e = self.explist(exprs)?;
        if let Some(x) = exprs.last() {
            self.set_line(x.last_line());
        }
        let fs = self.fs();
        let last = lhs.pop().expect("at least one target");
        if exprs.len() != targets.len() {
            fs.adjust_assign(targets.len(), exprs.len(), e)?;
            e = ExpDesc::new(ExpKind::NonReloc(Reg(fs.free_reg - 1)));
        } else {
            fs.set_one_ret(&mut e);
        }
        fs.store_var(&last, &mut e)?;
        // The other values are on the stack, last on top: store them in reverse order.
        for v in lhs.iter().rev() {
            let mut e = ExpDesc::new(ExpKind::NonReloc(Reg(fs.free_reg - 1)));
            fs.store_var(v, &mut e)?;
        }
        Ok(())
    }

    fn cond(&mut self, cond: &Expr) -> CResult<super::builder::JumpList> {
        let mut v = self.expr(cond)?;
        if v.kind == ExpKind::Nil {
            v.kind = ExpKind::False; // all falses are equal here
        }
        self.fs().go_if_true(&mut v)?;
        Ok(v.f)
    }

    fn while_stat(&mut self, cond: &Expr, body: &Block, end_line: u32) -> CResult<()> {
        let init = self.fs().b.label();
        let exit = self.cond(cond)?;
        self.fs().enter_block(true);
        self.block(body)?;
        let fs = self.fs();
        fs.b.jump_to(init)?;
        fs.b.line = end_line;
        fs.leave_block()?;
        fs.b.patch_to_here(exit)
    }

    fn repeat_stat(&mut self, body: &Block, cond: &Expr) -> CResult<()> {
        let fs = self.fs();
        let init = fs.b.label();
        fs.enter_block(true); // loop block
        fs.enter_block(false); // scope block
        self.stat_list(body, true)?;
        let mut exit = self.cond(cond)?;
        let fs = self.fs();
        let scope = fs.blocks.last().cloned().expect("scope block");
        fs.leave_block()?;
        if scope.upval {
            // The repetition must close the upvalues of this iteration too.
            let normal_exit = fs.b.jump();
            fs.b.patch_to_here(exit)?;
            let level = fs.reg_level(scope.nactvar);
            fs.b.abc(OpCode::Close, level as u32, 0, 0);
            exit = Some(fs.b.jump());
            fs.b.patch_to_here(Some(normal_exit))?;
        }
        fs.b.patch_list(exit, init)?;
        fs.leave_block()
    }

    fn if_stat(&mut self, arms: &[IfArm], else_block: Option<&Block>) -> CResult<()> {
        let mut escape = None;
        for (i, arm) in arms.iter().enumerate() {
            let more = i + 1 < arms.len() || else_block.is_some();
            self.test_then_block(arm, more, &mut escape)?;
        }
        if let Some(b) = else_block {
            self.block(b)?;
        }
        self.fs().b.patch_to_here(escape)
    }

    /// `[else]if cond then block`. `if cond then break` jumps out directly on `cond`.
    fn test_then_block(&mut self, arm: &IfArm, more: bool, escape: &mut super::builder::JumpList) -> CResult<()> {
        let block = &arm.block;
        let mut v = self.expr(&arm.cond)?;
        self.set_line(arm.then_line);
        let skip_then;
        let rest: &[Stat];
        match block.stats.first() {
            Some(Stat { kind: StatKind::Break, line }) => {
                let fs = self.fs();
                fs.go_if_false(&mut v)?; // jumps out when the condition is true
                fs.enter_block(false);
                fs.new_goto("break", *line, v.t);
                if block.stats.len() == 1 && block.ret.is_none() {
                    return fs.leave_block(); // the jump is the whole block
                }
                skip_then = Some(fs.b.jump());
                rest = &block.stats[1..];
            }
            _ => {
                let fs = self.fs();
                fs.go_if_true(&mut v)?;
                fs.enter_block(false);
                skip_then = v.f;
                rest = &block.stats;
            }
        }
        self.statements(rest, block.ret.as_ref(), false)?;
        let fs = self.fs();
        fs.leave_block()?;
        if more {
            let j = fs.b.jump();
            fs.b.concat(escape, Some(j))?;
        }
        fs.b.patch_to_here(skip_then)
    }

    fn goto_stat(&mut self, name: &str, line: u32) -> CResult<()> {
        let fs = self.fs();
        match fs.find_label(name) {
            Some(lb) => {
                // Backward jump: close the variables of the scopes left.
                let (level, target) = (fs.reg_level(lb.nactvar), lb.pc.expect("labels have a pc"));
                if fs.nvarstack() > level {
                    fs.b.abc(OpCode::Close, level as u32, 0, 0);
                }
                fs.b.jump_to(target)
            }
            None => {
                let j = fs.b.jump();
                fs.new_goto(name, line, Some(j));
                Ok(())
            }
        }
    }

    /// Evaluates one loop-control expression into the next register.
    fn exp1(&mut self, e: &Expr) -> CResult<()> {
        let mut v = self.expr(e)?;
        self.fs().exp_to_next_reg(&mut v)
    }

    fn numeric_for(
        &mut self,
        var: &Name,
        start: &Expr,
        limit: &Expr,
        step: Option<&Expr>,
        body: &Block,
        line: u32,
    ) -> CResult<()> {
        let fs = self.fs();
        let base = fs.free_reg;
        for _ in 0..3 {
            fs.new_local("(for state)", Attrib::None)?;
        }
        fs.new_local(var, Attrib::None)?;
        self.exp1(start)?;
        self.exp1(limit)?;
        match step {
            Some(step) => self.exp1(step)?,
            None => {
                let fs = self.fs();
                let r = fs.free_reg;
                fs.b.load_int(r, 1)?;
                fs.reserve_regs(1)?;
            }
        }
        self.fs().activate_locals(3);
        self.for_body(base, line, 1, false, body)
    }

    fn generic_for(&mut self, names: &[Name], exprs: &[Expr], body: &Block) -> CResult<()> {
        let fs = self.fs();
        let base = fs.free_reg;
        for _ in 0..4 {
            fs.new_local("(for state)", Attrib::None)?;
        }
        for n in names {
            fs.new_local(n, Attrib::None)?;
        }
        let line = exprs.first().map_or(fs.b.line, |e| e.line);
        let e = self.explist(exprs)?;
        let fs = self.fs();
        fs.adjust_assign(4, exprs.len(), e)?;
        fs.activate_locals(4);
        fs.mark_to_be_closed(); // the closing value
        fs.check_stack(3)?; // room to call the iterator
        self.for_body(base, line, names.len(), true, body)
    }

    fn for_body(&mut self, base: u8, line: u32, nvars: usize, generic: bool, body: &Block) -> CResult<()> {
        let fs = self.fs();
        let prep = fs.b.abx(if generic { OpCode::TForPrep } else { OpCode::ForPrep }, base as u32, 0);
        fs.enter_block(false);
        fs.activate_locals(nvars);
        fs.reserve_regs(nvars as u32)?;
        self.block(body)?;
        let fs = self.fs();
        fs.leave_block()?;
        let here = fs.b.label();
        fs.fix_for_jump(prep, here, false)?;
        fs.b.line = line;
        if generic {
            fs.b.abc(OpCode::TForCall, base as u32, 0, nvars as u32);
        }
        let end = fs.b.abx(if generic { OpCode::TForLoop } else { OpCode::ForLoop }, base as u32, 0);
        fs.fix_for_jump(end, prep + 1, true)
    }

    fn function_stat(&mut self, path: &[Name], method: Option<&str>, body: &FuncBody, line: u32) -> CResult<()> {
        let r = self.resolve_here(&path[0])?;
        let readonly = path.len() == 1 && method.is_none() && self.is_readonly(&r);
        let mut v = self.var_ref_exp(r, &path[0])?;
        for key in path[1..].iter().map(String::as_str).chain(method) {
            let fs = self.fs();
            fs.exp_to_any_reg_up(&mut v)?;
            fs.indexed(&mut v, ExpDesc::new(ExpKind::Str(key.as_bytes().to_vec())))?;
        }
        let mut f = self.function_body(body, method.is_some())?;
        self.set_line(line);
        if readonly {
            return Err(self.fs_ref().error(format!("attempt to assign to const variable '{}'", path[0])));
        }
        let fs = self.fs();
        fs.store_var(&v, &mut f)?;
        // The definition "happens" on the line of `function`.
        fs.b.fix_line(line);
        Ok(())
    }

    fn ret_stat(&mut self, ret: &Return) -> CResult<()> {
        self.set_line(ret.line);
        let mut first = self.fs().nvarstack();
        let nret = match ret.exprs.len() {
            0 => Some(0),
            n => {
                let mut e = self.explist(&ret.exprs)?;
                let fs = self.fs();
                if e.kind.is_multi() {
                    fs.set_multret(&mut e)?;
                    let inside_tbc = fs.blocks.last().is_some_and(|b| b.inside_tbc);
                    if let (ExpKind::Call(pc), 1, false) = (&e.kind, n, inside_tbc) {
                        let i = fs.b.get(*pc);
                        debug_assert_eq!(i.a(), fs.nvarstack() as u32);
                        fs.b.set(*pc, Instr::abc(OpCode::TailCall, i.a(), i.b(), 0, false));
                    }
                    None
                } else if n == 1 {
                    first = fs.exp_to_any_reg(&mut e)?;
                    Some(1)
                } else {
                    fs.exp_to_next_reg(&mut e)?;
                    debug_assert_eq!(n, (fs.free_reg - first) as usize);
                    Some(n as u8)
                }
            }
        };
        self.fs().ret(first, nret);
        Ok(())
    }
}

impl FuncState {
    /// Adjusts `nexps` values to `nvars` (Lua's `adjust_assign`): an open call or vararg at
    /// the end provides the missing values, otherwise nils do; extra values are dropped.
    pub fn adjust_assign(&mut self, nvars: usize, nexps: usize, mut e: ExpDesc) -> CResult<()> {
        let needed = nvars as i64 - nexps as i64;
        if e.kind.is_multi() {
            let extra = (needed + 1).max(0) as u32;
            self.set_returns(&mut e, Some(extra))?;
        } else {
            if e.kind != ExpKind::Void {
                self.exp_to_next_reg(&mut e)?;
            }
            if needed > 0 {
                self.b.load_nil(self.free_reg, needed as u8);
            }
        }
        if needed > 0 {
            self.reserve_regs(needed as u32)?;
        } else {
            self.free_reg = (self.free_reg as i64 + needed) as u8;
        }
        Ok(())
    }

    /// In a multiple assignment, a local or upvalue assigned now may be the table or key of
    /// an earlier target (`a[i], i = ...`): the earlier target must use a copy of the old value.
    pub fn check_conflict(&mut self, lhs: &mut [ExpDesc], v: &ExpDesc) -> CResult<()> {
        let extra = Reg(self.free_reg);
        let mut conflict = false;
        for lh in lhs.iter_mut() {
            match (&mut lh.kind, &v.kind) {
                (ExpKind::IndexUp { table, key }, ExpKind::Upval(u)) if table == u => {
                    conflict = true;
                    lh.kind = ExpKind::IndexStr { table: extra, key: *key };
                }
                (ExpKind::IndexStr { table, .. } | ExpKind::IndexInt { table, .. }, ExpKind::Local(r))
                    if table == r =>
                {
                    conflict = true;
                    *table = extra;
                }
                (ExpKind::Indexed { table, key }, ExpKind::Local(r)) => {
                    if table == r {
                        conflict = true;
                        *table = extra;
                    }
                    if key == r {
                        conflict = true;
                        *key = extra;
                    }
                }
                _ => {}
            }
        }
        if conflict {
            match v.kind {
                ExpKind::Local(r) => self.b.abc(OpCode::Move, extra.0 as u32, r.0 as u32, 0),
                ExpKind::Upval(u) => self.b.abc(OpCode::GetUpval, extra.0 as u32, u.0 as u32, 0),
                _ => unreachable!("only variables conflict"),
            };
            self.reserve_regs(1)?;
        }
        Ok(())
    }

    /// Sets the Bx offset of a for-loop instruction at `pc` to reach `dest`.
    pub fn fix_for_jump(&mut self, pc: Pc, dest: Pc, back: bool) -> CResult<()> {
        let offset = if back { (pc + 1) as i64 - dest as i64 } else { dest as i64 - (pc + 1) as i64 };
        if !(0..=MAX_BX as i64).contains(&offset) {
            return Err(self.error("control structure too long"));
        }
        let i = self.b.get(pc).with_bx(offset as u32);
        self.b.set(pc, i);
        Ok(())
    }
}
