//! Scopes: local variables (with `<const>`/`<close>`), blocks, upvalues, labels and gotos.
//!
//! The rules are Lua 5.4's. A variable is declared (pushed on `actvars`) before its
//! initialiser is compiled and becomes active afterwards. A `<const>` local whose initialiser is
//! a constant expression becomes a compile-time constant and takes no register. A block whose
//! locals are captured by a closure (`upval`) must `Close` them when left; gotos that leave such
//! a block are marked to close too. Labels are visible in their block and in nested blocks of
//! the same function; a label that ends its block (followed only by void statements) is
//! considered outside the scope of the block's locals.

use super::builder::{JumpList, Reg, UpvalIdx};
use super::{CResult, Compiler, FuncState};
use crate::bytecode::{Constant, LocVar, OpCode, UpvalDesc};
use crate::syntax::ast::Attrib;

/// Lua's `MAXVARS`: active local variables per function.
const MAX_VARS: u32 = crate::syntax::MAX_LOCALS;
/// Lua's `MAXUPVAL`.
const MAX_UPVALUES: u32 = 255;

/// Where a declared variable lives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum VarSlot {
    /// Declared, initialiser not yet compiled.
    Pending,
    /// In a register; `locvar` indexes the debug information.
    Reg { reg: Reg, locvar: usize },
    /// A `<const>` local with a constant value: no register, uses are replaced by the value.
    CompileTime(Constant),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VarDesc {
    pub name: String,
    pub attrib: Attrib,
    pub slot: VarSlot,
}

impl VarDesc {
    pub fn readonly(&self) -> bool {
        self.attrib != Attrib::None
    }
}

pub(crate) struct UpvalInfo {
    pub desc: UpvalDesc,
    /// The variable is `<const>` or `<close>` in its function.
    pub readonly: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct BlockInfo {
    /// Active variables outside the block.
    pub nactvar: usize,
    pub first_label: usize,
    pub first_goto: usize,
    /// Some local of the block is captured as an upvalue (or is to be closed).
    pub upval: bool,
    pub is_loop: bool,
    /// The block is inside the scope of a to-be-closed variable (no tail calls there).
    pub inside_tbc: bool,
}

/// A label, or a pending goto (`pc` then heads the list of its jumps).
#[derive(Debug, Clone)]
pub(crate) struct LabelDesc {
    pub name: String,
    pub pc: JumpList,
    pub line: u32,
    /// Active variables at the label/goto.
    pub nactvar: usize,
    /// The goto leaves the scope of a captured variable and must close it.
    pub close: bool,
}

/// What a name refers to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum VarRef {
    Local { reg: Reg, vidx: usize },
    Upval(UpvalIdx),
    CompileTime(Constant),
    Global,
}

impl FuncState {
    pub fn enter_block(&mut self, is_loop: bool) {
        let inside_tbc = self.blocks.last().is_some_and(|b| b.inside_tbc);
        self.blocks.push(BlockInfo {
            nactvar: self.nactvar,
            first_label: self.labels.len(),
            first_goto: self.gotos.len(),
            upval: false,
            is_loop,
            inside_tbc,
        });
        debug_assert_eq!(self.free_reg, self.nvarstack());
    }

    pub fn leave_block(&mut self) -> CResult<()> {
        let bl = self.blocks.last().cloned().expect("leave_block pairs with enter_block");
        let stack_level = self.reg_level(bl.nactvar);
        self.remove_vars(bl.nactvar);
        let mut has_close = false;
        if bl.is_loop {
            // Pending breaks jump here.
            has_close = self.create_label("break", 0, false)?;
        }
        let nested = self.blocks.len() > 1;
        if !has_close && nested && bl.upval {
            self.b.abc(OpCode::Close, stack_level as u32, 0, 0);
        }
        self.free_reg = stack_level;
        self.labels.truncate(bl.first_label);
        if nested {
            self.move_gotos_out(&bl);
        }
        // The descriptors of the removed variables were needed by `move_gotos_out`.
        self.actvars.truncate(self.nactvar);
        self.blocks.pop();
        if !nested {
            if let Some(gt) = self.gotos.get(bl.first_goto) {
                let message = if gt.name == "break" {
                    format!("break outside a loop at line {}", gt.line)
                } else {
                    format!("no visible label '{}' for <goto> at line {}", gt.name, gt.line)
                };
                return Err(self.error(message));
            }
        }
        Ok(())
    }

    /// Pending gotos of a block being left now belong to the enclosing block; those that leave
    /// the scope of a captured variable must close it.
    fn move_gotos_out(&mut self, bl: &BlockInfo) {
        let block_level = self.reg_level(bl.nactvar);
        for i in bl.first_goto..self.gotos.len() {
            if self.reg_level(self.gotos[i].nactvar) > block_level {
                self.gotos[i].close |= bl.upval;
            }
            self.gotos[i].nactvar = bl.nactvar;
        }
    }

    /// Declares a variable (not yet active); returns its index in `actvars`.
    pub fn new_local(&mut self, name: &str, attrib: Attrib) -> CResult<usize> {
        if self.actvars.len() as u32 + 1 > MAX_VARS {
            return Err(self.limit_error(MAX_VARS, "local variables"));
        }
        self.actvars.push(VarDesc { name: name.to_string(), attrib, slot: VarSlot::Pending });
        Ok(self.actvars.len() - 1)
    }

    /// Activates the next `n` declared variables, giving them consecutive registers.
    pub fn activate_locals(&mut self, n: usize) {
        let first_reg = self.nvarstack();
        let pc = self.b.pc() as u32;
        for reg in (first_reg..).take(n) {
            let vidx = self.nactvar;
            self.nactvar += 1;
            let locvar = self.locvars.len();
            self.locvars.push(LocVar { name: self.actvars[vidx].name.clone(), start_pc: pc, end_pc: 0 });
            self.actvars[vidx].slot = VarSlot::Reg { reg: Reg(reg), locvar };
        }
    }

    /// Deactivates variables down to `level`, closing their debug ranges. Their descriptors
    /// stay in `actvars` until the block is left.
    fn remove_vars(&mut self, level: usize) {
        let pc = self.b.pc() as u32;
        while self.nactvar > level {
            self.nactvar -= 1;
            if let VarSlot::Reg { locvar, .. } = self.actvars[self.nactvar].slot {
                self.locvars[locvar].end_pc = pc;
            }
        }
    }

    /// Register level below the first `nvar` variables.
    pub fn reg_level(&self, nvar: usize) -> u8 {
        self.actvars[..nvar]
            .iter()
            .rev()
            .find_map(|v| match v.slot {
                VarSlot::Reg { reg, .. } => Some(reg.0 + 1),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// The debug-information entry of variable `vidx`.
    pub fn locvar_of(&mut self, vidx: usize) -> Option<&mut LocVar> {
        match self.actvars[vidx].slot {
            VarSlot::Reg { locvar, .. } => self.locvars.get_mut(locvar),
            _ => None,
        }
    }

    fn search_var(&self, name: &str) -> Option<usize> {
        (0..self.nactvar).rev().find(|&i| self.actvars[i].name == name)
    }

    fn search_upvalue(&self, name: &str) -> Option<UpvalIdx> {
        self.upvalues.iter().position(|u| u.desc.name == name).map(|i| UpvalIdx(i as u8))
    }

    /// Variable `vidx` is captured by a closure: its block must close it.
    fn mark_upval(&mut self, vidx: usize) {
        if let Some(bl) = self.blocks.iter_mut().rev().find(|b| b.nactvar <= vidx) {
            bl.upval = true;
        }
        self.needclose = true;
    }

    pub fn mark_to_be_closed(&mut self) {
        let bl = self.blocks.last_mut().expect("inside a block");
        bl.upval = true;
        bl.inside_tbc = true;
        self.needclose = true;
    }

    // ---- labels and gotos ----

    pub fn find_label(&self, name: &str) -> Option<&LabelDesc> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn new_goto(&mut self, name: &str, line: u32, pc: JumpList) {
        self.gotos.push(LabelDesc { name: name.to_string(), pc, line, nactvar: self.nactvar, close: false });
    }

    /// Declares a label at the current pc and resolves the pending gotos of the current block
    /// that target it. `last`: the label ends its block, so the block's locals are already out
    /// of scope there. Returns whether a `Close` was emitted for the gotos.
    pub fn create_label(&mut self, name: &str, line: u32, last: bool) -> CResult<bool> {
        let pc = self.b.label();
        let nactvar = if last { self.blocks.last().expect("inside a block").nactvar } else { self.nactvar };
        let label = LabelDesc { name: name.to_string(), pc: Some(pc), line, nactvar, close: false };
        let first = self.blocks.last().expect("inside a block").first_goto;
        let mut needs_close = false;
        let mut i = first;
        while i < self.gotos.len() {
            if self.gotos[i].name == name {
                let gt = self.gotos.remove(i);
                needs_close |= gt.close;
                if gt.nactvar < label.nactvar {
                    let var = &self.actvars[gt.nactvar].name;
                    return Err(self.error(format!(
                        "<goto {}> at line {} jumps into the scope of local '{var}'",
                        gt.name, gt.line
                    )));
                }
                self.b.patch_list(gt.pc, pc)?;
            } else {
                i += 1;
            }
        }
        self.labels.push(label);
        if needs_close {
            let level = self.nvarstack();
            self.b.abc(OpCode::Close, level as u32, 0, 0);
        }
        Ok(needs_close)
    }
}

impl Compiler {
    /// Resolves `name` as seen from function `level` (Lua's `singlevaraux`). `base`: the
    /// lookup starts at this level (false when an inner function asks, which captures locals).
    pub(crate) fn resolve(&mut self, level: usize, name: &str, base: bool) -> CResult<VarRef> {
        let fs = &mut self.funcs[level];
        if let Some(vidx) = fs.search_var(name) {
            return Ok(match &fs.actvars[vidx].slot {
                VarSlot::Reg { reg, .. } => {
                    let reg = *reg;
                    if !base {
                        fs.mark_upval(vidx);
                    }
                    VarRef::Local { reg, vidx }
                }
                VarSlot::CompileTime(k) => VarRef::CompileTime(k.clone()),
                VarSlot::Pending => unreachable!("pending variables are not active"),
            });
        }
        if let Some(idx) = fs.search_upvalue(name) {
            return Ok(VarRef::Upval(idx));
        }
        if level == 0 {
            return Ok(VarRef::Global);
        }
        let outer = self.resolve(level - 1, name, false)?;
        let (in_stack, index, readonly) = match outer {
            VarRef::Local { reg, vidx } => (true, reg.0, self.funcs[level - 1].actvars[vidx].readonly()),
            VarRef::Upval(idx) => (false, idx.0, self.funcs[level - 1].upvalues[idx.0 as usize].readonly),
            other => return Ok(other),
        };
        let fs = &mut self.funcs[level];
        if fs.upvalues.len() as u32 + 1 > MAX_UPVALUES {
            return Err(fs.limit_error(MAX_UPVALUES, "upvalues"));
        }
        fs.upvalues.push(UpvalInfo { desc: UpvalDesc { in_stack, index, name: name.to_string() }, readonly });
        Ok(VarRef::Upval(UpvalIdx((fs.upvalues.len() - 1) as u8)))
    }

    /// Resolves `name` in the innermost function.
    pub(crate) fn resolve_here(&mut self, name: &str) -> CResult<VarRef> {
        self.resolve(self.funcs.len() - 1, name, true)
    }

    /// Whether assigning to `r` is forbidden.
    pub(crate) fn is_readonly(&self, r: &VarRef) -> bool {
        let fs = self.fs_ref();
        match r {
            VarRef::Local { vidx, .. } => fs.actvars[*vidx].readonly(),
            VarRef::Upval(idx) => fs.upvalues[idx.0 as usize].readonly,
            VarRef::CompileTime(_) => true,
            VarRef::Global => false,
        }
    }
}
