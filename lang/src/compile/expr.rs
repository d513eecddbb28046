//! Lowering of expressions: the AST walk that produces `ExpDesc`s (Lua's `expr`,
//! `suffixedexp`, `funcargs`, `constructor`, `body`).
//!
//! Instructions get the line of the node that produces them; a node re-establishes its line
//! after compiling its children.

use super::builder::Reg;
use super::expdesc::{ExpDesc, ExpKind};
use super::scope::VarRef;
use super::{CResult, Compiler};
use crate::bytecode::instr::{MAX_BX, MAX_C as MAX_ARG_C};
use crate::bytecode::{Constant, OpCode};
use crate::syntax::ast::{Attrib, Expr, ExprKind, Field, FuncBody};

/// Positional items stored per `SetList` (Lua's `LFIELDS_PER_FLUSH`).
const FIELDS_PER_FLUSH: u32 = 50;

impl Compiler {
    pub(super) fn expr(&mut self, e: &Expr) -> CResult<ExpDesc> {
        self.enter_level()?;
        let r = self.expr_inner(e);
        self.leave_level();
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> CResult<ExpDesc> {
        self.set_line(e.line);
        Ok(match &e.kind {
            ExprKind::Nil => ExpDesc::new(ExpKind::Nil),
            ExprKind::True => ExpDesc::new(ExpKind::True),
            ExprKind::False => ExpDesc::new(ExpKind::False),
            ExprKind::Int(i) => ExpDesc::new(ExpKind::Int(*i)),
            ExprKind::Float(f) => ExpDesc::new(ExpKind::Float(*f)),
            ExprKind::Str(s) => ExpDesc::new(ExpKind::Str(s.clone())),
            ExprKind::CData(lit) => {
                let fs = self.fs();
                let k = fs.b.add_constant(Constant::CData(*lit))?;
                if k.0 > MAX_BX {
                    return Err(
                        fs.error(format!("too many constants (limit is {MAX_BX} with 64-bit or complex literals)"))
                    );
                }
                ExpDesc::new(ExpKind::Reloc(fs.b.abx(OpCode::LoadCData, 0, k.0)))
            }
            ExprKind::Vararg => {
                let fs = self.fs();
                if !fs.is_vararg {
                    return Err(fs.error("cannot use '...' outside a vararg function near '...'"));
                }
                ExpDesc::new(ExpKind::Vararg(fs.b.abc(OpCode::VarArg, 0, 0, 1)))
            }
            ExprKind::Function(body) => self.function_body(body, false)?,
            ExprKind::Table { fields, end_line } => self.constructor(fields, *end_line)?,
            ExprKind::Binary { .. } => self.binary_chain(e)?,
            ExprKind::Unary { op, operand } => {
                let mut v = self.expr(operand)?;
                self.set_line(e.line);
                self.fs().prefix(*op, &mut v, e.line)?;
                v
            }
            ExprKind::Name(name) => self.single_var(name)?,
            ExprKind::Index { obj, key } => {
                let mut v = self.expr(obj)?;
                self.fs().exp_to_any_reg_up(&mut v)?;
                let mut k = self.expr(key)?;
                self.set_line(e.line);
                self.fs().exp_to_val(&mut k)?;
                self.fs().indexed(&mut v, k)?;
                v
            }
            ExprKind::Call { func, args, end_line } => {
                let mut f = self.expr(func)?;
                // The function is put in place once read (its line); the call goes on the
                // line where the arguments start.
                self.set_line(func.last_line());
                self.fs().exp_to_next_reg(&mut f)?;
                self.func_args(f, args, e.line, *end_line)?
            }
            ExprKind::MethodCall { obj, name, args, end_line } => {
                let mut v = self.expr(obj)?;
                self.set_line(e.line);
                self.fs().self_op(&mut v, ExpDesc::new(ExpKind::Str(name.as_bytes().to_vec())))?;
                self.func_args(v, args, e.line, *end_line)?
            }
            ExprKind::Paren(inner) => {
                let mut v = self.expr(inner)?;
                self.fs().discharge_vars(&mut v)?;
                v
            }
        })
    }

    /// A binary expression. Left-nested chains (`a + b + c + ...`) are walked iteratively, so
    /// long generated sums do not nest the compiler as deeply as the tree is deep; the order of
    /// the emitted code is the same as a recursive walk's.
    fn binary_chain(&mut self, e: &Expr) -> CResult<ExpDesc> {
        let mut spine = Vec::new();
        let mut leftmost = e;
        while let ExprKind::Binary { lhs, .. } = &leftmost.kind {
            spine.push(leftmost);
            leftmost = lhs;
        }
        let mut v = self.expr(leftmost)?;
        for node in spine.into_iter().rev() {
            let ExprKind::Binary { op, rhs, .. } = &node.kind else { unreachable!("spine of binaries") };
            self.set_line(node.line);
            self.fs().infix(*op, &mut v)?;
            let v2 = self.expr(rhs)?;
            // As Lua, once the right operand is read: its last instructions and comparisons
            // are on its last line, arithmetic is moved to the operator's line.
            self.set_line(rhs.last_line());
            self.fs().posfix(*op, &mut v, v2, node.line)?;
        }
        Ok(v)
    }

    /// A name in an expression: local, upvalue, compile-time constant or global.
    pub(super) fn single_var(&mut self, name: &str) -> CResult<ExpDesc> {
        let r = self.resolve_here(name)?;
        self.var_ref_exp(r, name)
    }

    /// The expression for a resolved name. Globals become `_ENV[name]`.
    pub(super) fn var_ref_exp(&mut self, r: VarRef, name: &str) -> CResult<ExpDesc> {
        Ok(match r {
            VarRef::Local { reg, .. } => ExpDesc::new(ExpKind::Local(reg)),
            VarRef::Upval(u) => ExpDesc::new(ExpKind::Upval(u)),
            VarRef::CompileTime(k) => ExpDesc::from_constant(k),
            VarRef::Global => {
                let env = self.resolve_here("_ENV")?;
                debug_assert!(env != VarRef::Global, "_ENV is always an upvalue or local");
                let mut v = self.var_ref_exp(env, "_ENV")?;
                let fs = self.fs();
                fs.exp_to_any_reg_up(&mut v)?;
                fs.indexed(&mut v, ExpDesc::new(ExpKind::Str(name.as_bytes().to_vec())))?;
                v
            }
        })
    }

    /// Compiles a non-empty expression list: all values but the last go to consecutive
    /// registers; the last is returned undischarged.
    pub(super) fn explist(&mut self, exprs: &[Expr]) -> CResult<ExpDesc> {
        let (last, init) = exprs.split_last().expect("non-empty expression list");
        for e in init {
            let mut v = self.expr(e)?;
            self.fs().exp_to_next_reg(&mut v)?;
        }
        self.expr(last)
    }

    /// Arguments and `Call` for the function in register `f`; the call is on `line` (where
    /// the arguments open), the last argument is put in place on `end_line`.
    fn func_args(&mut self, f: ExpDesc, args: &[Expr], line: u32, end_line: u32) -> CResult<ExpDesc> {
        let ExpKind::NonReloc(Reg(base)) = f.kind else { unreachable!("called function in a register") };
        let mut open = false;
        if !args.is_empty() {
            let mut last = self.explist(args)?;
            if last.kind.is_multi() {
                self.fs().set_multret(&mut last)?;
                open = true;
            } else {
                // Lua puts the last argument in place once the closing parenthesis is read.
                self.set_line(end_line);
                self.fs().exp_to_next_reg(&mut last)?;
            }
        }
        self.set_line(line);
        let fs = self.fs();
        let b = if open { 0 } else { (fs.free_reg - base) as u32 };
        let pc = fs.b.abc(OpCode::Call, base as u32, b, 2);
        fs.free_reg = base + 1;
        Ok(ExpDesc::new(ExpKind::Call(pc)))
    }

    /// A table constructor: `NewTable` (+ `ExtraArg`), keyed fields stored one by one,
    /// positional items flushed by `SetList` every 50.
    fn constructor(&mut self, fields: &[Field], end_line: u32) -> CResult<ExpDesc> {
        let fs = self.fs();
        let pc = fs.b.abc(OpCode::NewTable, 0, 0, 0);
        fs.b.extra_arg(0);
        let table = fs.free_reg;
        fs.reserve_regs(1)?;
        let mut array_size: u32 = 0; // positional items already stored
        let mut hash_size: u32 = 0;
        let mut to_store: u32 = 0; // positional items in registers, not yet stored
        let mut pending: Option<ExpDesc> = None; // last positional item, not yet in a register
        for field in fields {
            if let Some(mut v) = pending.take() {
                self.fs().exp_to_next_reg(&mut v)?;
                if to_store == FIELDS_PER_FLUSH {
                    self.set_list(table, array_size, Some(to_store))?;
                    array_size += to_store;
                    to_store = 0;
                }
            }
            match field {
                Field::Keyed { key, value } => {
                    let reg = self.fs().free_reg;
                    let mut k = self.expr(key)?;
                    self.fs().exp_to_val(&mut k)?;
                    hash_size += 1;
                    let mut tab = ExpDesc::new(ExpKind::NonReloc(Reg(table)));
                    self.fs().indexed(&mut tab, k)?;
                    let mut v = self.expr(value)?;
                    self.set_line(value.last_line());
                    self.fs().store_var(&tab, &mut v)?;
                    self.fs().free_reg = reg;
                }
                Field::Positional(e) => {
                    pending = Some(self.expr(e)?);
                    to_store += 1;
                }
            }
        }
        // The last items are stored once the closing brace is read.
        self.set_line(end_line);
        if to_store > 0 {
            match pending {
                Some(mut v) if v.kind.is_multi() => {
                    self.fs().set_multret(&mut v)?;
                    self.set_list(table, array_size, None)?;
                    // The last item's count is unknown: the size hint does not include it.
                    array_size += to_store - 1;
                }
                other => {
                    if let Some(mut v) = other {
                        self.fs().exp_to_next_reg(&mut v)?;
                    }
                    self.set_list(table, array_size, Some(to_store))?;
                    array_size += to_store;
                }
            }
        }
        self.set_table_size(pc, table, array_size, hash_size);
        Ok(ExpDesc::new(ExpKind::NonReloc(Reg(table))))
    }

    /// `SetList`: stores `count` items (`None`: up to the top) after the first `done` ones.
    /// Followed by an `ExtraArg` carrying the high bits of the offset when they are not 0
    /// (k set), as in Lua 5.4.
    fn set_list(&mut self, table: u8, done: u32, count: Option<u32>) -> CResult<()> {
        let fs = self.fs();
        let b = count.unwrap_or(0);
        let (c, extra) = (done % (MAX_ARG_C + 1), done / (MAX_ARG_C + 1));
        fs.b.abck(OpCode::SetList, table as u32, b, c, extra > 0);
        if extra > 0 {
            fs.b.extra_arg(extra);
        }
        fs.free_reg = table + 1;
        Ok(())
    }

    fn set_table_size(&mut self, pc: usize, table: u8, array_size: u32, hash_size: u32) {
        let b = if hash_size == 0 { 0 } else { ceil_log2(hash_size) + 1 };
        let (c, extra) = (array_size % (MAX_ARG_C + 1), array_size / (MAX_ARG_C + 1));
        let fs = self.fs();
        fs.b.set(pc, crate::bytecode::Instr::abc(OpCode::NewTable, table as u32, b, c, extra > 0));
        fs.b.set(pc + 1, crate::bytecode::Instr::ax(OpCode::ExtraArg, extra));
    }

    /// Compiles a function body into a child `Proto` and emits its `Closure` into the next
    /// register. Methods get the implicit `self` parameter.
    pub(super) fn function_body(&mut self, body: &FuncBody, is_method: bool) -> CResult<ExpDesc> {
        self.enter_level()?;
        self.open_function(body.line);
        let fs = self.fs();
        if is_method {
            fs.new_local("self", Attrib::None)?;
        }
        for p in &body.params {
            fs.new_local(p, Attrib::None)?;
        }
        let nparams = fs.actvars.len();
        fs.activate_locals(nparams);
        fs.num_params = nparams as u8;
        if body.is_vararg {
            fs.set_vararg(nparams as u8);
        }
        fs.reserve_regs(nparams as u32)?;
        self.stat_list(&body.body, false)?;
        let proto = self.close_function(body.end_line, body.end_line)?;
        self.leave_level();
        let fs = self.fs();
        if fs.protos.len() as u32 >= MAX_BX {
            return Err(fs.limit_error(MAX_BX, "functions"));
        }
        fs.protos.push(proto);
        fs.b.line = body.end_line;
        let pc = fs.b.abx(OpCode::Closure, 0, (fs.protos.len() - 1) as u32);
        let mut e = ExpDesc::new(ExpKind::Reloc(pc));
        fs.exp_to_next_reg(&mut e)?;
        Ok(e)
    }
}

/// `ceil(log2(x))` for x >= 1.
fn ceil_log2(x: u32) -> u32 {
    32 - (x - 1).leading_zeros()
}
