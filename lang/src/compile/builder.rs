//! `FuncBuilder`: the code vector of one function with its line info, its constant table
//! (deduplicated), and the lists of pending jumps.
//!
//! A jump list is threaded through the jumps themselves, as in Lua: the sJ field of a pending
//! `Jmp` holds the offset to the next jump of the list, and the offset -1 ends the list. The
//! "jump control" of a jump is the test instruction before it (comparisons, `Test`, `TestSet`);
//! patching a `TestSet` decides whether it must produce a value or becomes a plain `Test`.

use super::{CResult, Error};
use crate::bytecode::instr::{MAX_AX, MAX_BX, OFFSET_SBX, OFFSET_SJ};
use crate::bytecode::{Constant, Instr, OpCode};
use std::collections::HashMap;

/// An instruction index.
pub(crate) type Pc = usize;

/// The head of a list of pending jumps; `None` is the empty list.
pub(crate) type JumpList = Option<Pc>;

/// A register of the current frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reg(pub u8);

/// An index into the constant table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConstIdx(pub u32);

/// An index into the upvalue list of the current function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UpvalIdx(pub u8);

/// Largest register count of a frame (Lua's `MAXREGS`).
pub(crate) const MAX_REGS: u32 = 255;
/// `NO_REG` placeholder in a `TestSet` whose target register is not yet known.
pub(crate) const NO_REG: u8 = 255;
/// Largest index of a constant usable as an RK/B operand.
pub(crate) const MAX_INDEX_RK: u32 = 255;

/// Dedup key of the constant table. Integers and floats are different keys (so `1` and `1.0`
/// stay distinct constants); floats are keyed by bits (so `0.0` and `-0.0` do too).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ConstKey {
    Nil,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Vec<u8>),
    /// A LuaJIT literal: never looked up, never stored.
    Unique,
}

pub(crate) struct FuncBuilder {
    code: Vec<Instr>,
    lines: Vec<u32>,
    constants: Vec<Constant>,
    cache: HashMap<ConstKey, u32>,
    /// The pc of the last jump target: instructions before it cannot be merged with new ones
    /// (LoadNil ranges, Concat chains), because control may arrive between them.
    last_target: Pc,
    /// Line attributed to newly emitted instructions.
    pub line: u32,
}

impl FuncBuilder {
    pub fn new(line: u32) -> FuncBuilder {
        FuncBuilder {
            code: Vec::new(),
            lines: Vec::new(),
            constants: Vec::new(),
            cache: HashMap::new(),
            last_target: 0,
            line,
        }
    }

    pub fn into_parts(self) -> (Vec<Instr>, Vec<u32>, Vec<crate::bytecode::Constant>) {
        (self.code, self.lines, self.constants)
    }

    pub fn pc(&self) -> Pc {
        self.code.len()
    }

    pub fn emit(&mut self, i: Instr) -> Pc {
        self.code.push(i);
        self.lines.push(self.line);
        self.code.len() - 1
    }

    pub fn abc(&mut self, op: OpCode, a: u32, b: u32, c: u32) -> Pc {
        self.emit(Instr::abc(op, a, b, c, false))
    }

    pub fn abck(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> Pc {
        self.emit(Instr::abc(op, a, b, c, k))
    }

    pub fn abx(&mut self, op: OpCode, a: u32, bx: u32) -> Pc {
        self.emit(Instr::abx(op, a, bx))
    }

    pub fn extra_arg(&mut self, ax: u32) -> Pc {
        self.emit(Instr::ax(OpCode::ExtraArg, ax))
    }

    pub fn get(&self, pc: Pc) -> Instr {
        self.code[pc]
    }

    pub fn set(&mut self, pc: Pc, i: Instr) {
        self.code[pc] = i;
    }

    /// Attributes the last instruction to `line` (Lua's `luaK_fixline`).
    pub fn fix_line(&mut self, line: u32) {
        if let Some(l) = self.lines.last_mut() {
            *l = line;
        }
    }

    pub fn remove_last(&mut self) {
        self.code.pop();
        self.lines.pop();
    }

    /// The previous instruction, if no jump can land between it and the next one.
    pub fn previous_instruction(&self) -> Option<Instr> {
        if self.pc() > self.last_target {
            self.code.last().copied()
        } else {
            None
        }
    }

    /// Marks the current pc as a jump target and returns it (Lua's `luaK_getlabel`).
    pub fn label(&mut self) -> Pc {
        self.last_target = self.pc();
        self.pc()
    }

    // ---- jumps ----

    /// Emits a jump to be patched later.
    pub fn jump(&mut self) -> Pc {
        self.emit(Instr::sj(OpCode::Jmp, -1))
    }

    /// A test instruction followed by a pending jump; returns the jump.
    pub fn cond_jump(&mut self, op: OpCode, a: u32, b: u32, c: u32, k: bool) -> Pc {
        self.abck(op, a, b, c, k);
        self.jump()
    }

    fn next_jump(&self, pc: Pc) -> JumpList {
        let offset = self.code[pc].sj_field();
        if offset == -1 {
            None
        } else {
            Some((pc as i64 + 1 + offset as i64) as Pc)
        }
    }

    fn fix_jump(&mut self, pc: Pc, dest: Pc) -> CResult<()> {
        let offset = dest as i64 - (pc as i64 + 1);
        if !(-(OFFSET_SJ as i64)..=(MAX_AX as i64 - OFFSET_SJ as i64)).contains(&offset) {
            return Err(Error { line: self.line, message: "control structure too long".into() });
        }
        let i = self.code[pc].with_sj(offset as i32);
        self.code[pc] = i;
        Ok(())
    }

    /// Appends list `l2` to list `l1`.
    pub fn concat(&mut self, l1: &mut JumpList, l2: JumpList) -> CResult<()> {
        let Some(l2) = l2 else { return Ok(()) };
        match *l1 {
            None => *l1 = Some(l2),
            Some(mut last) => {
                while let Some(next) = self.next_jump(last) {
                    last = next;
                }
                self.fix_jump(last, l2)?;
            }
        }
        Ok(())
    }

    /// The instruction that controls the jump at `pc`: the test before it, if any.
    pub fn jump_control(&self, pc: Pc) -> Pc {
        if pc >= 1 && is_test(self.code[pc - 1].op()) {
            pc - 1
        } else {
            pc
        }
    }

    /// Gives the `TestSet` controlling `node` its destination register, or turns it into a
    /// `Test` when no value is needed. Returns false if the jump is not controlled by a
    /// `TestSet`.
    fn patch_test_reg(&mut self, node: Pc, reg: Option<u8>) -> bool {
        let ctl = self.jump_control(node);
        let i = self.code[ctl];
        if i.op() != OpCode::TestSet {
            return false;
        }
        self.code[ctl] = match reg {
            Some(r) if r as u32 != i.b() => i.with_a(r as u32),
            _ => Instr::abc(OpCode::Test, i.b(), 0, 0, i.k()),
        };
        true
    }

    /// Drops the values of all `TestSet`s in `list`.
    pub fn remove_values(&mut self, mut list: JumpList) {
        while let Some(pc) = list {
            self.patch_test_reg(pc, None);
            list = self.next_jump(pc);
        }
    }

    /// Whether some jump of `list` does not produce a value (is not a `TestSet`).
    pub fn need_value(&self, mut list: JumpList) -> bool {
        while let Some(pc) = list {
            if self.code[self.jump_control(pc)].op() != OpCode::TestSet {
                return true;
            }
            list = self.next_jump(pc);
        }
        false
    }

    /// Patches every jump of `list`: those controlled by a `TestSet` get `reg` and go to
    /// `vtarget`, the others go to `dtarget`.
    pub fn patch_list_aux(&mut self, mut list: JumpList, vtarget: Pc, reg: Option<u8>, dtarget: Pc) -> CResult<()> {
        while let Some(pc) = list {
            let next = self.next_jump(pc);
            if self.patch_test_reg(pc, reg) {
                self.fix_jump(pc, vtarget)?;
            } else {
                self.fix_jump(pc, dtarget)?;
            }
            list = next;
        }
        Ok(())
    }

    pub fn patch_list(&mut self, list: JumpList, target: Pc) -> CResult<()> {
        self.patch_list_aux(list, target, None, target)
    }

    pub fn patch_to_here(&mut self, list: JumpList) -> CResult<()> {
        let here = self.label();
        self.patch_list(list, here)
    }

    /// Emits a jump to `target` (a backward jump).
    pub fn jump_to(&mut self, target: Pc) -> CResult<()> {
        let j = self.jump();
        self.patch_list(Some(j), target)
    }

    // ---- constants ----

    pub fn add_constant(&mut self, c: Constant) -> CResult<ConstIdx> {
        let key = match &c {
            Constant::Nil => ConstKey::Nil,
            Constant::Bool(b) => ConstKey::Bool(*b),
            Constant::Int(i) => ConstKey::Int(*i),
            Constant::Float(f) => ConstKey::Float(f.to_bits()),
            Constant::Str(s) => ConstKey::Str(s.clone()),
            // Never shared: each literal is its own cdata, as in LuaJIT.
            Constant::CData(_) => ConstKey::Unique,
        };
        if let Some(&k) = self.cache.get(&key) {
            return Ok(ConstIdx(k));
        }
        let k = self.constants.len() as u32;
        if k > MAX_AX {
            return Err(Error { line: self.line, message: format!("too many constants (limit is {MAX_AX})") });
        }
        self.constants.push(c);
        if key != ConstKey::Unique {
            self.cache.insert(key, k);
        }
        Ok(ConstIdx(k))
    }

    pub fn constant(&self, k: ConstIdx) -> &Constant {
        &self.constants[k.0 as usize]
    }

    /// `R[from .. from+n] := nil`, merged into a directly preceding `LoadNil` when the ranges
    /// touch (Lua's `luaK_nil`).
    pub fn load_nil(&mut self, from: u8, n: u8) {
        let (mut from, mut last) = (from as u32, from as u32 + n as u32 - 1);
        if let Some(prev) = self.previous_instruction() {
            if prev.op() == OpCode::LoadNil {
                let (pfrom, plast) = (prev.a(), prev.a() + prev.b());
                if (pfrom <= from && from <= plast + 1) || (from <= pfrom && pfrom <= last + 1) {
                    from = from.min(pfrom);
                    last = last.max(plast);
                    let pc = self.pc() - 1;
                    self.code[pc] = prev.with_a(from).with_b(last - from);
                    return;
                }
            }
        }
        self.abc(OpCode::LoadNil, from, last - from, 0);
    }

    /// `R[reg] := K[k]`, with `LoadKX` when `k` does not fit in Bx.
    pub fn load_constant(&mut self, reg: u8, k: ConstIdx) -> Pc {
        if k.0 <= MAX_BX {
            self.abx(OpCode::LoadK, reg as u32, k.0)
        } else {
            let pc = self.abc(OpCode::LoadKX, reg as u32, 0, 0);
            self.extra_arg(k.0);
            pc
        }
    }

    pub fn load_int(&mut self, reg: u8, i: i64) -> CResult<()> {
        if fits_sbx(i) {
            self.emit(Instr::asbx(OpCode::LoadI, reg as u32, i as i32));
        } else {
            let k = self.add_constant(Constant::Int(i))?;
            self.load_constant(reg, k);
        }
        Ok(())
    }

    pub fn load_float(&mut self, reg: u8, f: f64) -> CResult<()> {
        // -0.0 would lose its sign as an integer immediate (folding never produces it, but a
        // constant of the table could be one).
        let int = super::fold::float_to_int(f).filter(|_| !(f == 0.0 && f.is_sign_negative()));
        match int {
            Some(i) if fits_sbx(i) => {
                self.emit(Instr::asbx(OpCode::LoadF, reg as u32, i as i32));
            }
            _ => {
                let k = self.add_constant(Constant::Float(f))?;
                self.load_constant(reg, k);
            }
        }
        Ok(())
    }

    // ---- final pass ----

    /// Lua's `luaK_finish`: returns that must close get `k` (and become `Return`), and every
    /// jump goes straight to its final target instead of through a chain of jumps.
    pub fn finish(&mut self, needclose: bool, is_vararg: bool) -> CResult<()> {
        for pc in 0..self.code.len() {
            let i = self.code[pc];
            match i.op() {
                // Like Lua, vararg functions always use the general `Return`.
                OpCode::Return0 | OpCode::Return1 if needclose || is_vararg => {
                    let b = if i.op() == OpCode::Return0 { 1 } else { 2 };
                    self.code[pc] = Instr::abc(OpCode::Return, i.a(), b, 0, needclose);
                }
                OpCode::Return | OpCode::TailCall if needclose => self.code[pc] = i.with_k(true),
                OpCode::Jmp => {
                    let target = self.final_target(pc);
                    self.fix_jump(pc, target)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn final_target(&self, mut pc: Pc) -> Pc {
        // Bounded, so that a jump cycle (an infinite `goto` loop) cannot hang the compiler.
        for _ in 0..100 {
            let i = self.code[pc];
            if i.op() != OpCode::Jmp {
                break;
            }
            pc = (pc as i64 + 1 + i.sj_field() as i64) as Pc;
        }
        pc
    }
}

/// Instructions that are followed by a jump they may skip.
fn is_test(op: OpCode) -> bool {
    use OpCode::*;
    matches!(op, Eq | Lt | Le | EqK | EqI | LtI | LeI | GtI | GeI | Test | TestSet)
}

/// Whether `i` fits the sBx field.
pub(crate) fn fits_sbx(i: i64) -> bool {
    -(OFFSET_SBX as i64) <= i && i <= MAX_BX as i64 - OFFSET_SBX as i64
}
