//! Register allocation: the registers of a frame are a stack. Active local variables occupy
//! its bottom (`nvarstack()` registers); temporaries are pushed above them and must be freed in
//! reverse order. `max_stack` records the high-water mark.

use super::builder::{Reg, MAX_REGS};
use super::expdesc::{ExpDesc, ExpKind};
use super::{CResult, FuncState};

impl FuncState {
    /// Number of registers held by active local variables (compile-time constants hold none).
    pub fn nvarstack(&self) -> u8 {
        self.reg_level(self.nactvar)
    }

    /// Ensures `n` more registers above `free_reg` fit in the frame.
    pub fn check_stack(&mut self, n: u32) -> CResult<()> {
        let needed = self.free_reg as u32 + n;
        if needed > self.max_stack as u32 {
            if needed >= MAX_REGS {
                return Err(self.error("function or expression needs too many registers"));
            }
            self.max_stack = needed as u8;
        }
        Ok(())
    }

    pub fn reserve_regs(&mut self, n: u32) -> CResult<()> {
        self.check_stack(n)?;
        self.free_reg += n as u8;
        Ok(())
    }

    /// Frees `reg` if it is a temporary (it must then be the top one).
    pub fn free_reg(&mut self, reg: Reg) {
        if reg.0 >= self.nvarstack() {
            self.free_reg -= 1;
            debug_assert_eq!(reg.0, self.free_reg, "temporaries are freed in stack order");
        }
    }

    /// Frees two registers, the higher first.
    pub fn free_regs(&mut self, r1: Reg, r2: Reg) {
        if r1.0 > r2.0 {
            self.free_reg(r1);
            self.free_reg(r2);
        } else {
            self.free_reg(r2);
            self.free_reg(r1);
        }
    }

    /// Frees the register of an expression held in a fixed register.
    pub fn free_exp(&mut self, e: &ExpDesc) {
        if let ExpKind::NonReloc(r) = e.kind {
            self.free_reg(r);
        }
    }

    /// Frees the registers of two expressions, in stack order.
    pub fn free_exps(&mut self, e1: &ExpDesc, e2: &ExpDesc) {
        match (&e1.kind, &e2.kind) {
            (ExpKind::NonReloc(r1), ExpKind::NonReloc(r2)) => self.free_regs(*r1, *r2),
            (ExpKind::NonReloc(r1), _) => self.free_reg(*r1),
            (_, ExpKind::NonReloc(r2)) => self.free_reg(*r2),
            _ => {}
        }
    }
}
