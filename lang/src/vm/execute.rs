//! The dispatch loop: runs Lua frames until the frame it was entered for returns.
//!
//! Lua-to-Lua calls and returns stay inside this loop (no Rust recursion), so deep Lua
//! recursion is bounded only by the stack limit. Anything that may run other code (a
//! metamethod, a native function, the collector) can reallocate the stack, so the register
//! pointer is re-derived after each of those (`reload!`).

use super::arith::ArithOp;
use super::closure::LuaClosure;
use super::error::LuaResult;
use super::state::Lua;
use super::table::Table;
use super::value::{copy_value, Value};
use crate::bytecode::{Constant, Instr, OpCode};
use crate::gc::Gc;
use crate::number::Number;

impl Lua {
    /// Runs the Lua frame on top of the frame stack (marked `fresh`) and the Lua frames it
    /// calls, until that frame returns.
    ///
    /// The loop without hook code runs while the thread has no hook. Each instantiation of
    /// `run` also returns when the thread's hook mask no longer matches it, with the frames'
    /// saved pcs saying where to resume; the other one then takes over (see `hook.rs`).
    #[inline]
    pub(crate) fn execute(&mut self) -> LuaResult<()> {
        if self.th().hook.mask == 0 && self.run::<false>()? {
            return Ok(());
        }
        self.execute_with_hooks()
    }

    /// `execute` once the running thread has (or had) a hook.
    #[cold]
    #[inline(never)]
    fn execute_with_hooks(&mut self) -> LuaResult<()> {
        loop {
            let returned = if self.th().hook.mask == 0 { self.run::<false>()? } else { self.run::<true>()? };
            if returned {
                return Ok(());
            }
        }
    }

    /// The dispatch loop. Returns true when the `fresh` frame returned, false (with the
    /// frames' saved pcs saying where to resume) when the other instantiation must take over.
    #[inline(never)]
    fn run<const HOOKED: bool>(&mut self) -> LuaResult<bool> {
        // The running frame, cached in locals: its closure, first register and next
        // instruction, and its prototype's code and constants.
        let mut cl: Gc<LuaClosure>;
        let mut base: usize;
        let mut pc: *const Instr;
        let mut k: *const Value;
        let mut regs: *mut Value;
        // Loads the state of the innermost frame: on entry, after a call pushed a Lua frame
        // and after a return to a Lua frame. A frame about to run its first instruction gets
        // its call event in the hooked loop.
        macro_rules! load_frame {
            () => {{
                let ci = self.th().frames.last().expect("execute runs a pushed frame");
                cl = ci.closure.expect("execute runs Lua frames");
                base = ci.base;
                pc = ci.saved_pc;
                k = cl.proto.constants.as_ptr();
                if HOOKED && pc == cl.proto.code.as_ptr() {
                    self.hook_lua_call()?;
                }
                regs = self.regs_ptr(base);
            }};
        }
        load_frame!();
        // Back in the caller (a Lua frame of this loop: the callee was not `fresh`) after its
        // callee's frame was popped: its registers are live again up to its frame top.
        macro_rules! return_to_caller {
            ($th:expr) => {{
                let Some(caller) = $th.frames.last() else { unreachable!("the caller frame exists") };
                $th.top = caller.top;
                cl = caller.closure.expect("execute runs Lua frames");
                base = caller.base;
                pc = caller.saved_pc;
                k = cl.proto.constants.as_ptr();
                regs = $th.stack.as_mut_ptr().wrapping_add(base);
            }};
        }
        {
            // Register access. SAFETY (for every use): `regs` points at `base` in the running
            // thread's stack, which `precall_lua` sized to hold `base + max_stack` slots; the
            // loader's verifier guarantees every register operand is below `max_stack`; and
            // `regs` is re-derived (`reload!`) after every operation that may reallocate the
            // stack.
            macro_rules! r {
                ($i:expr) => {
                    // SAFETY: see above.
                    *unsafe { &mut *regs.add($i as usize) }
                };
            }
            // Upvalue access. SAFETY (for every use): the verifier checked every upvalue
            // operand against the running prototype's upvalue count.
            macro_rules! upval {
                ($i:expr) => {
                    // SAFETY: see above.
                    unsafe { cl.upval_unchecked($i as usize) }
                };
            }
            // A value copied as two words (`value::copy_value`). SAFETY (for every use): both
            // pointers are registers (see `r!`), constants (see `kst!`) or an upvalue's
            // variable (`UpVal::ptr`), all valid and aligned.
            macro_rules! copy {
                ($src:expr, $dst:expr) => {{
                    let (src, dst) = ($src, $dst);
                    // SAFETY: see above.
                    unsafe { copy_value(src, dst) }
                }};
            }
            // Ends an instruction's arm with an empty assembly statement unique to that arm (by
            // line). Without it, LLVM merges the identical tails of many arms (typically
            // "store the result in R[A], go to dispatch") into one shared block, and every
            // instruction pays one more taken jump on the way back to the dispatch; measured:
            // register moves 1.34x Lua's time with the merged tails, 0.94x without.
            macro_rules! op_end {
                () => {
                    #[cfg(any(target_arch = "x86_64", target_arch = "x86", target_arch = "aarch64"))]
                    // SAFETY: an empty assembly statement (a comment): no instructions; it
                    // declares that it touches no stack or flags. It is not declared `nomem`
                    // so that memory accesses stay on their side of it: otherwise the
                    // scheduler moves the arm's last loads or stores after it, and those
                    // become a common tail again.
                    unsafe {
                        std::arch::asm!(concat!("/* op ", line!(), " */"), options(nostack, preserves_flags))
                    }
                };
            }
            macro_rules! reload {
                () => {
                    regs = self.regs_ptr(base)
                };
            }
            macro_rules! savepc {
                () => {
                    self.save_pc(pc)
                };
            }
            // Constant access. SAFETY (for every use): `k` points at the running prototype's
            // constants (kept alive by the closure in the frame's function slot), and the
            // verifier checked every constant operand against the constant table's length.
            macro_rules! kst {
                ($i:expr) => {
                    // SAFETY: see above.
                    *unsafe { &*k.add($i as usize) }
                };
            }
            // The instruction at `pc`. SAFETY (for every use): `pc` points into the running
            // prototype's code (kept alive by the closure in the frame's function slot), and
            // the verifier guarantees control never leaves it: every jump target is inside
            // it, the last instruction is a return or a jump, and an instruction that reads
            // the one after it (an ExtraArg, the Jmp after a test, TForLoop after TForCall)
            // is followed by it.
            macro_rules! code_at {
                ($pc:expr) => {
                    // SAFETY: see above.
                    *unsafe { &*$pc }
                };
            }
            // Operand RK(C): constant when k is set. (`load`: see `Value::load`.)
            macro_rules! rkc {
                ($i:expr) => {
                    if $i.k() {
                        kst!($i.c())
                    } else {
                        r!($i.c()).load()
                    }
                };
            }
            // A table read's general path (`__index`), after the inline fast path missed. Its
            // operands are read again rather than taken from the fast path: a value passed to
            // a call lives in a stack slot, and had the fast path used that same copy, every
            // fast-path read of it would be a 16-byte load of two 8-byte stores, which stalls
            // on store forwarding (`Value::load`).
            macro_rules! index_slow {
                ($t:expr, $key:expr) => {{
                    savepc!();
                    // The value is read out of the result as two words (`Value::load`):
                    // `index_cold` just wrote it so, and a 16-byte copy would stall.
                    let v = match self.index_cold($t, $key) {
                        Ok(ref v) => v.load(),
                        Err(e) => return Err(e),
                    };
                    reload!();
                    v
                }};
            }
            // A table write: raw when no `__newindex` can apply, else the general path. The
            // fast path `continue`s straight to the next instruction, and the slow path reads
            // the operands again (see `index_slow!`): sharing either with the slow path made
            // the fast path go through stack slots (measured: stores ran 2x slower).
            macro_rules! store {
                ($t:expr, $key:expr, $v:expr) => {{
                    if fast_set($t, $key, $v) {
                        continue;
                    }
                    savepc!();
                    self.set_index_cold($t, $key, $v)?;
                    reload!();
                }};
            }
            // `+ - *`: integers wrap, mixed operands become floats, anything else goes to
            // `ops` (metamethods, string coercion). `$b`/`$c` are places (registers/constants).
            macro_rules! arith_fast {
                ($i:expr, $op:expr, $b:expr, $c:expr, $int:expr, $flt:expr) => {{
                    let (b, c) = (&$b, &$c);
                    let v = if let (&Value::Int(x), &Value::Int(y)) = (b, c) {
                        Value::Int($int(x, y))
                    } else if let (Some(x), Some(y)) = (float_of(b), float_of(c)) {
                        Value::Float($flt(x, y))
                    } else {
                        let (b, c) = (*b, *c);
                        savepc!();
                        // k on a constant/immediate form: the source had the operands the
                        // other way round; metamethods must see them in source order.
                        let v = if $i.k() { self.arith_cold($op, c, b)? } else { self.arith_cold($op, b, c)? };
                        reload!();
                        v
                    };
                    r!($i.a()) = v;
                }};
            }
            // `%` and `//`: integers stay integers (a zero divisor goes to `ops` for its
            // error); `/` and `^` always work on floats. Mixed numbers are floats.
            macro_rules! arith_slow {
                ($i:expr, $op:expr, $b:expr, $c:expr) => {{
                    let (b, c) = (&$b, &$c);
                    let int_op = matches!($op, ArithOp::Mod | ArithOp::IDiv);
                    let v = match (b, c) {
                        (&Value::Int(x), &Value::Int(y)) if int_op && y != 0 => Value::Int(
                            if $op == ArithOp::Mod {
                                super::arith::mod_int(x, y)
                            } else {
                                super::arith::idiv_int(x, y)
                            }
                            .unwrap_or(0),
                        ),
                        (&Value::Int(_), &Value::Int(_)) if int_op => {
                            savepc!();
                            let v = self.arith_cold($op, *b, *c)?;
                            reload!();
                            v
                        }
                        _ => match (float_of(b), float_of(c)) {
                            (Some(x), Some(y)) => Value::Float(match $op {
                                ArithOp::Mod => super::arith::mod_float(x, y),
                                ArithOp::IDiv => super::arith::idiv_float(x, y),
                                ArithOp::Pow => super::arith::pow_float(x, y),
                                _ => super::arith::div_float(x, y),
                            }),
                            _ => {
                                let (b, c) = (*b, *c);
                                savepc!();
                                // k on a constant/immediate form: the source had the operands
                                // the other way round; metamethods must see them in order.
                                let v = if $i.k() { self.arith_cold($op, c, b)? } else { self.arith_cold($op, b, c)? };
                                reload!();
                                v
                            }
                        },
                    };
                    r!($i.a()) = v;
                }};
            }
            macro_rules! bitwise {
                ($i:expr, $op:expr, $b:expr, $c:expr, $f:expr) => {{
                    let (b, c) = (&$b, &$c);
                    let v = match (b, c) {
                        (&Value::Int(x), &Value::Int(y)) => Value::Int($f(x, y)),
                        (&b, &c) => {
                            savepc!();
                            // k on a constant/immediate form: the source had the operands the
                            // other way round; metamethods must see them in source order.
                            let v = if $i.k() { self.arith_cold($op, c, b)? } else { self.arith_cold($op, b, c)? };
                            reload!();
                            v
                        }
                    };
                    r!($i.a()) = v;
                }};
            }
            // After an instruction that may have run `debug.sethook` (a native call): leave for
            // the hooked loop when the running thread got a hook.
            macro_rules! leave_if_hooked {
                () => {
                    if !HOOKED && self.th().hook.mask != 0 {
                        savepc!();
                        return Ok(false);
                    }
                };
            }
            // Conditional jump after a comparison: skip the next instruction (a Jmp) unless
            // the outcome equals k; when taken, perform that Jmp right away. A backward one
            // closes a loop (`repeat ... until cond`) and is where an interrupt is noticed.
            macro_rules! cond_jump {
                ($i:expr, $cond:expr) => {{
                    if $cond != $i.k() {
                        pc = pc.wrapping_add(1);
                    } else {
                        let off = code_at!(pc).sj_field();
                        pc = pc.wrapping_offset(1 + off as isize);
                        if off < 0 && self.take_interrupt() {
                            savepc!();
                            return Err(self.interrupted_error());
                        }
                    }
                }};
            }

            // `R[A] op sB` (LtI, LeI, GtI, GeI): numbers directly, anything else through
            // `$slow` with the immediate as the number it stands for (C: a float).
            macro_rules! compare_imm {
                ($i:expr, $cmp:tt, |$a:ident, $imm:ident| $slow:expr) => {{
                    let imm = $i.sb() as i64;
                    let res = match &r!($i.a()) {
                        &Value::Int(x) => x $cmp imm,
                        &Value::Float(x) => x $cmp imm as f64,
                        &$a => {
                            savepc!();
                            let $imm = if $i.c() != 0 { Value::Float(imm as f64) } else { Value::Int(imm) };
                            let res = $slow?;
                            reload!();
                            res
                        }
                    };
                    cond_jump!($i, res);
                }};
            }
            // `R[A] op R[B]` (Lt, Le); `$mixed` compares an integer with a float exactly.
            macro_rules! compare {
                ($i:expr, $cmp:tt, $mixed:path, |$a:ident, $b:ident| $slow:expr) => {{
                    let res = match (&r!($i.a()), &r!($i.b())) {
                        (&Value::Int(x), &Value::Int(y)) => x $cmp y,
                        (&Value::Float(x), &Value::Float(y)) => x $cmp y,
                        (&Value::Int(x), &Value::Float(y)) => $mixed(Number::Int(x), Number::Float(y)),
                        (&Value::Float(x), &Value::Int(y)) => $mixed(Number::Float(x), Number::Int(y)),
                        (&$a, &$b) => {
                            savepc!();
                            let res = $slow?;
                            reload!();
                            res
                        }
                    };
                    cond_jump!($i, res);
                }};
            }

            loop {
                let i = code_at!(pc);
                if HOOKED {
                    let at = (pc as usize - cl.proto.code.as_ptr() as usize) / std::mem::size_of::<Instr>();
                    if self.hook_before_instruction(at, opcode(i))? {
                        return Ok(false);
                    }
                    reload!();
                }
                pc = pc.wrapping_add(1);
                match opcode(i) {
                    OpCode::Move => {
                        copy!(regs.wrapping_add(i.b() as usize), regs.wrapping_add(i.a() as usize));
                        op_end!();
                    }
                    OpCode::LoadI => {
                        r!(i.a()) = Value::Int(i.sbx() as i64);
                        op_end!();
                    }
                    OpCode::LoadF => {
                        r!(i.a()) = Value::Float(i.sbx() as f64);
                        op_end!();
                    }
                    OpCode::LoadK => {
                        copy!(k.wrapping_add(i.bx() as usize), regs.wrapping_add(i.a() as usize));
                        op_end!();
                    }
                    OpCode::LoadKX => {
                        let ax = code_at!(pc).ax_field();
                        pc = pc.wrapping_add(1);
                        r!(i.a()) = kst!(ax);
                        op_end!();
                    }
                    OpCode::LoadFalse => {
                        r!(i.a()) = Value::Bool(false);
                        op_end!();
                    }
                    OpCode::LFalseSkip => {
                        r!(i.a()) = Value::Bool(false);
                        pc = pc.wrapping_add(1);
                        op_end!();
                    }
                    OpCode::LoadTrue => {
                        r!(i.a()) = Value::Bool(true);
                        op_end!();
                    }
                    OpCode::LoadNil => {
                        for n in 0..=i.b() {
                            r!(i.a() + n) = Value::Nil;
                        }
                        op_end!();
                    }
                    OpCode::GetUpval => {
                        copy!(upval!(i.b()).ptr(), regs.wrapping_add(i.a() as usize));
                        op_end!();
                    }
                    OpCode::SetUpval => {
                        copy!(regs.wrapping_add(i.a() as usize), upval!(i.b()).ptr());
                        op_end!();
                    }
                    OpCode::GetTabUp => {
                        let (t, key) = (upval!(i.b()).get(), kst!(i.c()));
                        if let (Value::Table(tab), Value::Str(s)) = (t, key) {
                            let v = tab.get_str(s);
                            if !v.is_nil() || tab.metatable().is_none() {
                                r!(i.a()) = v;
                                continue;
                            }
                            if let Some(v) = self.index_str_inherited(tab, s) {
                                r!(i.a()) = v;
                                continue;
                            }
                        }
                        r!(i.a()) = index_slow!(upval!(i.b()).get(), kst!(i.c()));
                    }
                    // Table reads: a hit (or a miss with no metatable) `continue`s straight to the
                    // next instruction, as in `store!`. The own-field lookup is written out in each
                    // opcode: behind a helper returning `Option<Value>` LLVM passed the result
                    // through the stack (a GetField loop ran 2x lua5.4's time).
                    OpCode::GetTable => {
                        let (t, key) = (r!(i.b()).load(), r!(i.c()).load());
                        if let Value::Table(tab) = t {
                            let v = match key {
                                Value::Int(n) => tab.get_int(n),
                                Value::Str(s) => tab.get_str(s),
                                _ => tab.get(key),
                            };
                            if let Some(v) = fast_get(tab, v) {
                                r!(i.a()) = v;
                                continue;
                            }
                        }
                        r!(i.a()) = index_slow!(r!(i.b()).load(), r!(i.c()).load());
                    }
                    OpCode::GetI => {
                        if let Value::Table(tab) = r!(i.b()).load() {
                            if let Some(v) = fast_get(tab, tab.get_int(i.c() as i64)) {
                                r!(i.a()) = v;
                                continue;
                            }
                        }
                        r!(i.a()) = index_slow!(r!(i.b()).load(), Value::Int(i.c() as i64));
                    }
                    OpCode::GetField => {
                        let t = r!(i.b()).load();
                        if let (Value::Table(tab), &Value::Str(s)) = (t, &kst!(i.c())) {
                            let v = tab.get_str(s);
                            if !v.is_nil() || tab.metatable().is_none() {
                                r!(i.a()) = v;
                                continue;
                            }
                            if let Some(v) = self.index_str_inherited(tab, s) {
                                r!(i.a()) = v;
                                continue;
                            }
                        }
                        r!(i.a()) = index_slow!(r!(i.b()).load(), kst!(i.c()));
                    }
                    OpCode::SetTabUp => store!(upval!(i.a()).get(), kst!(i.b()), rkc!(i)),
                    OpCode::SetTable => store!(r!(i.a()).load(), r!(i.b()).load(), rkc!(i)),
                    OpCode::SetI => store!(r!(i.a()).load(), Value::Int(i.b() as i64), rkc!(i)),
                    OpCode::SetField => store!(r!(i.a()).load(), kst!(i.b()), rkc!(i)),
                    OpCode::NewTable => {
                        let b = i.b();
                        let hash = if b > 0 { 1usize << (b - 1) } else { 0 };
                        let mut array = i.c() as usize;
                        if i.k() {
                            array += code_at!(pc).ax_field() as usize * 256;
                        }
                        pc = pc.wrapping_add(1); // the ExtraArg
                        let t = self.new_table_with(array, hash);
                        r!(i.a()) = Value::Table(t);
                        if self.heap.should_collect() {
                            savepc!();
                            self.gc_safe_point(base + i.a() as usize + 1);
                            reload!();
                        }
                        op_end!();
                    }
                    OpCode::SelfOp => {
                        let t = r!(i.b()).load();
                        let key = rkc!(i);
                        r!(i.a() + 1) = t;
                        if let (Value::Table(tab), Value::Str(s)) = (t, key) {
                            let v = tab.get_str(s);
                            if !v.is_nil() || tab.metatable().is_none() {
                                r!(i.a()) = v;
                                continue;
                            }
                            if let Some(v) = self.index_str_inherited(tab, s) {
                                r!(i.a()) = v;
                                continue;
                            }
                        }
                        // Not re-read: R[A+1] was just overwritten and C may name it.
                        r!(i.a()) = index_slow!(t, key);
                    }
                    OpCode::AddI => {
                        let imm = i.sc() as i64;
                        r!(i.a()) = match r!(i.b()) {
                            Value::Int(x) => Value::Int(x.wrapping_add(imm)),
                            Value::Float(x) => Value::Float(x + imm as f64),
                            b => {
                                savepc!();
                                let v = if i.k() {
                                    self.arith_cold(ArithOp::Add, Value::Int(imm), b)?
                                } else {
                                    self.arith_cold(ArithOp::Add, b, Value::Int(imm))?
                                };
                                reload!();
                                v
                            }
                        };
                        op_end!();
                    }
                    OpCode::AddK => {
                        arith_fast!(i, ArithOp::Add, r!(i.b()), kst!(i.c()), i64::wrapping_add, |x: f64, y: f64| x + y);
                        op_end!();
                    }
                    OpCode::SubK => {
                        arith_fast!(i, ArithOp::Sub, r!(i.b()), kst!(i.c()), i64::wrapping_sub, |x: f64, y: f64| x - y);
                        op_end!();
                    }
                    OpCode::MulK => {
                        arith_fast!(i, ArithOp::Mul, r!(i.b()), kst!(i.c()), i64::wrapping_mul, |x: f64, y: f64| x * y);
                        op_end!();
                    }
                    OpCode::ModK => {
                        arith_slow!(i, ArithOp::Mod, r!(i.b()), kst!(i.c()));
                        op_end!();
                    }
                    OpCode::PowK => {
                        arith_slow!(i, ArithOp::Pow, r!(i.b()), kst!(i.c()));
                        op_end!();
                    }
                    OpCode::DivK => {
                        arith_slow!(i, ArithOp::Div, r!(i.b()), kst!(i.c()));
                        op_end!();
                    }
                    OpCode::IDivK => {
                        arith_slow!(i, ArithOp::IDiv, r!(i.b()), kst!(i.c()));
                        op_end!();
                    }
                    OpCode::BAndK => {
                        bitwise!(i, ArithOp::BAnd, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x & y);
                        op_end!();
                    }
                    OpCode::BOrK => {
                        bitwise!(i, ArithOp::BOr, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x | y);
                        op_end!();
                    }
                    OpCode::BXorK => {
                        bitwise!(i, ArithOp::BXor, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x ^ y);
                        op_end!();
                    }
                    OpCode::ShrI => {
                        bitwise!(i, ArithOp::Shr, r!(i.b()), Value::Int(i.sc() as i64), |x: i64, y: i64| {
                            super::arith::shift_right(x, y)
                        });
                        op_end!();
                    }
                    OpCode::ShlI => {
                        bitwise!(i, ArithOp::Shl, Value::Int(i.sc() as i64), r!(i.b()), super::arith::shift_left);
                        op_end!();
                    }
                    OpCode::Add => {
                        arith_fast!(i, ArithOp::Add, r!(i.b()), r!(i.c()), i64::wrapping_add, |x: f64, y: f64| x + y);
                        op_end!();
                    }
                    OpCode::Sub => {
                        arith_fast!(i, ArithOp::Sub, r!(i.b()), r!(i.c()), i64::wrapping_sub, |x: f64, y: f64| x - y);
                        op_end!();
                    }
                    OpCode::Mul => {
                        arith_fast!(i, ArithOp::Mul, r!(i.b()), r!(i.c()), i64::wrapping_mul, |x: f64, y: f64| x * y);
                        op_end!();
                    }
                    OpCode::Mod => {
                        arith_slow!(i, ArithOp::Mod, r!(i.b()), r!(i.c()));
                        op_end!();
                    }
                    OpCode::Pow => {
                        arith_slow!(i, ArithOp::Pow, r!(i.b()), r!(i.c()));
                        op_end!();
                    }
                    OpCode::Div => {
                        arith_slow!(i, ArithOp::Div, r!(i.b()), r!(i.c()));
                        op_end!();
                    }
                    OpCode::IDiv => {
                        arith_slow!(i, ArithOp::IDiv, r!(i.b()), r!(i.c()));
                        op_end!();
                    }
                    OpCode::BAnd => {
                        bitwise!(i, ArithOp::BAnd, r!(i.b()), r!(i.c()), |x: i64, y: i64| x & y);
                        op_end!();
                    }
                    OpCode::BOr => {
                        bitwise!(i, ArithOp::BOr, r!(i.b()), r!(i.c()), |x: i64, y: i64| x | y);
                        op_end!();
                    }
                    OpCode::BXor => {
                        bitwise!(i, ArithOp::BXor, r!(i.b()), r!(i.c()), |x: i64, y: i64| x ^ y);
                        op_end!();
                    }
                    OpCode::Shl => {
                        bitwise!(i, ArithOp::Shl, r!(i.b()), r!(i.c()), super::arith::shift_left);
                        op_end!();
                    }
                    OpCode::Shr => {
                        bitwise!(i, ArithOp::Shr, r!(i.b()), r!(i.c()), |x: i64, y: i64| {
                            super::arith::shift_right(x, y)
                        });
                        op_end!();
                    }
                    OpCode::Unm => {
                        r!(i.a()) = match r!(i.b()) {
                            Value::Int(x) => Value::Int(x.wrapping_neg()),
                            Value::Float(x) => Value::Float(-x),
                            b => {
                                savepc!();
                                let v = self.arith_cold(ArithOp::Unm, b, b)?;
                                reload!();
                                v
                            }
                        };
                        op_end!();
                    }
                    OpCode::BNot => {
                        r!(i.a()) = match r!(i.b()) {
                            Value::Int(x) => Value::Int(!x),
                            b => {
                                savepc!();
                                let v = self.arith_cold(ArithOp::BNot, b, b)?;
                                reload!();
                                v
                            }
                        };
                        op_end!();
                    }
                    OpCode::Not => {
                        r!(i.a()) = Value::Bool(!r!(i.b()).truthy());
                        op_end!();
                    }
                    OpCode::Len => {
                        r!(i.a()) = match r!(i.b()) {
                            Value::Str(s) => Value::Int(s.len() as i64),
                            Value::Table(t) if t.metatable().is_none() => Value::Int(t.len()),
                            b => {
                                savepc!();
                                let v = self.len_cold(b)?;
                                reload!();
                                v
                            }
                        };
                        op_end!();
                    }
                    OpCode::Concat => {
                        let (a, n) = (i.a() as usize, i.b() as usize);
                        savepc!();
                        self.th().top = base + a + n;
                        self.concat(base + a, n)?;
                        let top = self.th().frames.last().map_or(0, |f| f.top);
                        self.th().top = top;
                        if self.heap.should_collect() {
                            self.gc_safe_point(base + a + 1);
                        }
                        reload!();
                        op_end!();
                    }
                    OpCode::Close => {
                        savepc!();
                        self.close_level(base + i.a() as usize)?;
                        reload!();
                        leave_if_hooked!();
                        op_end!();
                    }
                    OpCode::Tbc => {
                        savepc!();
                        self.mark_tbc(base + i.a() as usize)?;
                        op_end!();
                    }
                    OpCode::Jmp => {
                        let off = i.sj_field();
                        pc = pc.wrapping_offset(off as isize);
                        if off < 0 && self.take_interrupt() {
                            savepc!();
                            return Err(self.interrupted_error());
                        }
                        op_end!();
                    }
                    OpCode::Eq => {
                        let eq = match (&r!(i.a()), &r!(i.b())) {
                            (&Value::Int(x), &Value::Int(y)) => x == y,
                            (&a @ Value::Table(_), &b @ Value::Table(_))
                            | (&a @ Value::UserData(_), &b @ Value::UserData(_)) => {
                                savepc!();
                                let eq = self.equals_cold(a, b)?;
                                reload!();
                                eq
                            }
                            (&a @ Value::UserData(_), &b) | (&a, &b @ Value::UserData(_)) => {
                                savepc!();
                                let eq = self.equals_cold(a, b)?;
                                reload!();
                                eq
                            }
                            (&a, &b) => a.raw_eq(b),
                        };
                        cond_jump!(i, eq);
                        op_end!();
                    }
                    OpCode::Lt => {
                        compare!(i, <, super::arith::num_lt, |a, b| self.less_than_cold(a, b));
                        op_end!();
                    }
                    OpCode::Le => {
                        compare!(i, <=, super::arith::num_le, |a, b| self.less_equal_cold(a, b));
                        op_end!();
                    }
                    OpCode::EqK => {
                        let eq = match r!(i.a()) {
                            // A cdata compared with a constant (`p == nil`, `x == 5`).
                            a @ Value::UserData(_) => {
                                savepc!();
                                let eq = self.equals_cold(a, kst!(i.b()))?;
                                reload!();
                                eq
                            }
                            a => a.raw_eq(kst!(i.b())),
                        };
                        cond_jump!(i, eq);
                        op_end!();
                    }
                    OpCode::EqI => {
                        let imm = i.sb() as i64;
                        let eq = match r!(i.a()) {
                            Value::Int(x) => x == imm,
                            Value::Float(x) => x == imm as f64,
                            a @ Value::UserData(_) => {
                                let imm = if i.c() != 0 { Value::Float(imm as f64) } else { Value::Int(imm) };
                                savepc!();
                                let eq = self.equals_cold(a, imm)?;
                                reload!();
                                eq
                            }
                            _ => false,
                        };
                        cond_jump!(i, eq);
                        op_end!();
                    }
                    OpCode::LtI => {
                        compare_imm!(i, <, |a, imm| self.less_than_cold(a, imm));
                        op_end!();
                    }
                    OpCode::LeI => {
                        compare_imm!(i, <=, |a, imm| self.less_equal_cold(a, imm));
                        op_end!();
                    }
                    OpCode::GtI => {
                        compare_imm!(i, >, |a, imm| self.less_than_cold(imm, a));
                        op_end!();
                    }
                    OpCode::GeI => {
                        compare_imm!(i, >=, |a, imm| self.less_equal_cold(imm, a));
                        op_end!();
                    }
                    OpCode::Test => {
                        let truthy = r!(i.a()).truthy();
                        cond_jump!(i, truthy);
                        op_end!();
                    }
                    OpCode::TestSet => {
                        if r!(i.b()).truthy() == i.k() {
                            copy!(regs.wrapping_add(i.b() as usize), regs.wrapping_add(i.a() as usize));
                            let j = code_at!(pc);
                            pc = pc.wrapping_offset(1 + j.sj_field() as isize);
                        } else {
                            pc = pc.wrapping_add(1);
                        }
                        op_end!();
                    }
                    OpCode::Call => {
                        let func = base + i.a() as usize;
                        if i.b() != 0 {
                            self.th().top = func + i.b() as usize;
                        }
                        let nargs = self.th().top - func - 1;
                        let nresults = i.c() as i32 - 1;
                        savepc!();
                        match r!(i.a()) {
                            Value::LuaFn(callee) => {
                                base = self.precall_lua(func, nargs, callee, nresults)?;
                                cl = callee;
                                pc = cl.proto.code.as_ptr();
                                k = cl.proto.constants.as_ptr();
                                if HOOKED {
                                    self.hook_lua_call()?;
                                }
                                regs = self.regs_ptr(base);
                                op_end!();
                                continue;
                            }
                            callee => {
                                // A userdata's fast call first (see `FastPaths`), else the
                                // general path: natives, `__call`.
                                let fast = match callee {
                                    Value::UserData(ud) if !HOOKED => match ud.fast_call() {
                                        Some(f) => f(self, ud, func + 1..func + 1 + nargs),
                                        None => super::userdata::FastCall::Declined,
                                    },
                                    _ => super::userdata::FastCall::Declined,
                                };
                                // The fast call had the runtime: the stack may have moved.
                                reload!();
                                let done = match fast {
                                    super::userdata::FastCall::Declined => None,
                                    super::userdata::FastCall::NoResult => Some(0),
                                    super::userdata::FastCall::One(v) => {
                                        r!(i.a()) = v;
                                        Some(1)
                                    }
                                };
                                if let Some(n) = done {
                                    if nresults < 0 {
                                        self.th().top = func + n;
                                    } else {
                                        for j in n..nresults as usize {
                                            r!(i.a() as usize + j) = Value::Nil;
                                        }
                                        let top = self.th().frames.last().map_or(0, |f| f.top);
                                        self.th().top = top;
                                    }
                                    // The result may be a new object (a struct cdata).
                                    if n > 0 && self.heap.should_collect() {
                                        self.gc_safe_point(func + n);
                                        reload!();
                                    }
                                } else {
                                    if let super::call::Precall::Lua = self.precall(func, nargs, nresults)? {
                                        load_frame!();
                                        continue;
                                    }
                                    if nresults >= 0 {
                                        let top = self.th().frames.last().map_or(0, |f| f.top);
                                        self.th().top = top;
                                    }
                                    reload!();
                                    leave_if_hooked!();
                                }
                            }
                        }
                        op_end!();
                    }
                    OpCode::TailCall => {
                        let func = base + i.a() as usize;
                        if i.b() != 0 {
                            self.th().top = func + i.b() as usize;
                        }
                        savepc!();
                        if self.tail_call(base, func, i.k())? {
                            load_frame!();
                        } else {
                            // A native callee ran; its results are above `func`.
                            let n = self.th().top - func;
                            if HOOKED {
                                self.hook_lua_return(func, n)?;
                            }
                            if self.finish_return(func, n) {
                                return Ok(true);
                            }
                            load_frame!();
                            leave_if_hooked!();
                        }
                        op_end!();
                    }
                    OpCode::Return => {
                        let first = base + i.a() as usize;
                        let n = if i.b() != 0 { i.b() as usize - 1 } else { self.th().top - first };
                        if i.k() {
                            savepc!();
                            self.th().top = first + n;
                            self.close_level(base)?;
                        }
                        // A `__close` may have set the hook: the return event is still due.
                        if HOOKED || (i.k() && self.th().hook.mask != 0) {
                            savepc!();
                            self.hook_lua_return(first, n)?;
                        }
                        if self.finish_return(first, n) {
                            return Ok(true);
                        }
                        load_frame!();
                        // A `__close` may have set a hook.
                        if i.k() {
                            leave_if_hooked!();
                        }
                        op_end!();
                    }
                    OpCode::Return0 => {
                        if HOOKED {
                            savepc!();
                            self.hook_lua_return(base, 0)?;
                        }
                        let th = self.th();
                        let Some(&ci) = th.frames.last() else { unreachable!("a returning frame exists") };
                        if !HOOKED && ci.nresults == 0 && !ci.fresh && !th.has_open_upvals_at(base) {
                            // Nothing to move, back to a caller in this loop.
                            th.frames.pop();
                            return_to_caller!(th);
                            op_end!();
                            continue;
                        }
                        std::hint::cold_path();
                        if self.finish_return(base, 0) {
                            return Ok(true);
                        }
                        load_frame!();
                        op_end!();
                    }
                    OpCode::Return1 => {
                        if HOOKED {
                            savepc!();
                            self.hook_lua_return(base + i.a() as usize, 1)?;
                        }
                        let th = self.th();
                        let Some(&ci) = th.frames.last() else { unreachable!("a returning frame exists") };
                        if !HOOKED && ci.nresults == 1 && !ci.fresh && !th.has_open_upvals_at(base) {
                            // One result wanted by a caller in this loop: it replaces the
                            // function in its slot, just below the registers.
                            // SAFETY: `ci.func < base`, so the slot is inside the stack below
                            // `regs`; no reference into the stack is live.
                            unsafe { copy_value(regs.wrapping_add(i.a() as usize), regs.wrapping_sub(base - ci.func)) };
                            th.frames.pop();
                            return_to_caller!(th);
                            op_end!();
                            continue;
                        }
                        std::hint::cold_path();
                        if self.finish_return(base + i.a() as usize, 1) {
                            return Ok(true);
                        }
                        load_frame!();
                        op_end!();
                    }
                    OpCode::ForLoop => {
                        let a = i.a();
                        // Whether this prototype's loop countdown ran out at this backward
                        // jump (see `crate::jit`).
                        let mut hot = false;
                        match r!(a + 2) {
                            Value::Int(step) => {
                                // R[A+1] holds the remaining iteration count, as an unsigned
                                // number (it may exceed i64::MAX).
                                if let Value::Int(count) = r!(a + 1) {
                                    if count != 0 {
                                        r!(a + 1) = Value::Int(count.wrapping_sub(1));
                                        if let Value::Int(idx) = r!(a) {
                                            let idx = idx.wrapping_add(step);
                                            r!(a) = Value::Int(idx);
                                            r!(a + 3) = Value::Int(idx);
                                        }
                                        pc = pc.wrapping_sub(i.bx() as usize);
                                        if !HOOKED {
                                            let heat = &cl.proto.jit.heat;
                                            let h = heat.get();
                                            if h > 1 {
                                                heat.set(h - 1);
                                            } else {
                                                hot = true;
                                            }
                                        }
                                    }
                                }
                            }
                            Value::Float(step) => {
                                if let (Value::Float(idx), Value::Float(limit)) = (r!(a), r!(a + 1)) {
                                    let idx = idx + step;
                                    let go = if step > 0.0 { idx <= limit } else { limit <= idx };
                                    if go {
                                        r!(a) = Value::Float(idx);
                                        r!(a + 3) = Value::Float(idx);
                                        pc = pc.wrapping_sub(i.bx() as usize);
                                    }
                                }
                            }
                            _ => {
                                // ForPrep leaves a numeric step; only a binary chunk whose code
                                // overwrites the loop's registers gets here.
                                savepc!();
                                return Err(self.runtime_error("'for' step is not a number (corrupt bytecode)"));
                            }
                        }
                        if self.take_interrupt() {
                            savepc!();
                            return Err(self.interrupted_error());
                        }
                        if hot {
                            savepc!();
                            let code = cl.proto.code.as_ptr();
                            let body_pc = (pc as usize - code as usize) / std::mem::size_of::<Instr>();
                            let forloop_pc = body_pc + i.bx() as usize - 1;
                            if let Some(next) = self.hot_loop(cl, base, body_pc, forloop_pc)? {
                                pc = code.wrapping_add(next);
                                reload!();
                            }
                        }
                        op_end!();
                    }
                    OpCode::ForPrep => {
                        let a = i.a();
                        savepc!();
                        let skip = self.for_prep(base + a as usize)?;
                        reload!();
                        if skip {
                            pc = pc.wrapping_add(i.bx() as usize + 1);
                        }
                        op_end!();
                    }
                    OpCode::TForPrep => {
                        savepc!();
                        self.mark_tbc(base + i.a() as usize + 3)?;
                        pc = pc.wrapping_add(i.bx() as usize);
                        op_end!();
                    }
                    OpCode::TForCall => {
                        let a = base + i.a() as usize;
                        // Copy iterator, state and control above the loop variables and call.
                        let th = self.th();
                        th.stack[a + 4] = th.stack[a];
                        th.stack[a + 5] = th.stack[a + 1];
                        th.stack[a + 6] = th.stack[a + 2];
                        th.top = a + 7;
                        savepc!();
                        self.call(a + 4, i.c() as i32)?;
                        // `call` counted a native level; the loop itself is not one.
                        let top = self.th().frames.last().map_or(0, |f| f.top);
                        self.th().top = top;
                        reload!();
                        // The next instruction is TForLoop.
                        let j = code_at!(pc);
                        pc = pc.wrapping_add(1);
                        let ja = j.a() as usize;
                        if !r!(ja + 4).is_nil() {
                            copy!(regs.wrapping_add(ja + 4), regs.wrapping_add(ja + 2));
                            pc = pc.wrapping_sub(j.bx() as usize);
                            // An iterator that never loops itself still makes an endless loop.
                            if self.take_interrupt() {
                                savepc!();
                                return Err(self.interrupted_error());
                            }
                        }
                        leave_if_hooked!();
                        op_end!();
                    }
                    OpCode::TForLoop => {
                        let a = i.a() as usize;
                        if !r!(a + 4).is_nil() {
                            copy!(regs.wrapping_add(a + 4), regs.wrapping_add(a + 2));
                            pc = pc.wrapping_sub(i.bx() as usize);
                            if self.take_interrupt() {
                                savepc!();
                                return Err(self.interrupted_error());
                            }
                        }
                        op_end!();
                    }
                    OpCode::SetList => {
                        let a = i.a() as usize;
                        let n = if i.b() != 0 { i.b() as usize } else { self.th().top - (base + a) - 1 };
                        let mut offset = i.c() as usize;
                        if i.k() {
                            offset += code_at!(pc).ax_field() as usize * 256;
                            pc = pc.wrapping_add(1);
                        }
                        self.set_list(base + a, n, offset);
                        op_end!();
                    }
                    OpCode::Closure => {
                        let c = self.new_closure(cl, base, i.bx() as usize);
                        reload!();
                        r!(i.a()) = Value::LuaFn(c);
                        if self.heap.should_collect() {
                            savepc!();
                            self.gc_safe_point(base + i.a() as usize + 1);
                            reload!();
                        }
                        op_end!();
                    }
                    OpCode::VarArg => {
                        if i.c() == 0 {
                            savepc!();
                        }
                        self.vararg(base, base + i.a() as usize, i.c() as usize)?;
                        reload!();
                        op_end!();
                    }
                    OpCode::VarArgPrep => {}
                    OpCode::LoadCData => {
                        let bx = i.bx() as usize;
                        let cached = cl.proto.literals[bx].get();
                        if !cached.is_nil() {
                            r!(i.a()) = cached;
                        } else {
                            let Some(Constant::CData(lit)) = cl.proto.origin.constants.get(bx) else {
                                unreachable!("the verifier checked that LoadCData names a literal")
                            };
                            savepc!();
                            let v = self.cdata_literal(*lit)?;
                            reload!();
                            // Kept by the prototype from now on (traced with it): one value
                            // per literal, as in LuaJIT.
                            cl.proto.literals[bx].set(v);
                            r!(i.a()) = v;
                            if self.heap.should_collect() {
                                self.gc_safe_point(base + i.a() as usize + 1);
                                reload!();
                            }
                        }
                        op_end!();
                    }
                    OpCode::ExtraArg => unreachable!("ExtraArg is consumed by the instruction before it"),
                }
            }
        }
    }

    /// Pointer to stack slot `base` of the running thread.
    #[inline(always)]
    fn regs_ptr(&self, base: usize) -> *mut Value {
        let th = self.th();
        debug_assert!(base <= th.stack.len());
        // SAFETY: base is within the stack (frames are pushed with their registers allocated).
        unsafe { th.stack.as_mut_ptr().add(base) }
    }

    #[inline(always)]
    pub(crate) fn save_pc(&self, pc: *const Instr) {
        if let Some(f) = self.th().frames.last_mut() {
            f.saved_pc = pc;
        }
    }

    /// Pops the running Lua frame, moving its `n` results from `first` to the caller's slot.
    /// Returns whether the frame was `fresh` (the dispatch loop returns too).
    #[inline(always)]
    fn finish_return(&mut self, first: usize, n: usize) -> bool {
        let th = self.th();
        let Some(ci) = th.frames.pop() else { unreachable!("a returning frame exists") };
        if th.has_open_upvals_at(ci.base) {
            self.close_upvalues(ci.base);
        }
        let th = self.th();
        let dest = ci.func;
        if ci.nresults == 1 {
            // The common case: exactly one result wanted.
            if n > 0 {
                let stack = th.stack.as_mut_ptr();
                debug_assert!(dest < first && first < th.stack.len());
                // SAFETY: `dest` (the function slot) is below `first` (a register of the
                // returning frame), which is inside the stack; no reference into it is live.
                unsafe { copy_value(stack.add(first), stack.add(dest)) };
            } else {
                th.stack[dest] = Value::Nil;
            }
            th.top = dest + 1;
        } else {
            self.move_results(first, n, dest, ci.nresults);
        }
        let th = self.th();
        if ci.nresults >= 0 {
            if let Some(caller) = th.frames.last() {
                if caller.closure.is_some() {
                    th.top = caller.top;
                }
            }
        }
        ci.fresh
    }

    /// Collects at a safe point; `live_top` is the first register above the live ones of
    /// the current frame.
    pub(crate) fn gc_safe_point(&mut self, live_top: usize) {
        let frame_top = self.th().top;
        self.th().top = live_top;
        self.collect_garbage();
        self.th().top = frame_top;
    }
}

/// The dispatch loop's slow paths (metamethods, coercions), out of line and marked cold so
/// that the loop's block frequencies favour the fast paths: the register allocator then keeps
/// `pc` and the register pointer in registers instead of spilling them at the dispatch.
impl Lua {
    #[cold]
    #[inline(never)]
    fn arith_cold(&mut self, op: ArithOp, a: Value, b: Value) -> LuaResult<Value> {
        self.arith(op, a, b)
    }

    #[cold]
    #[inline(never)]
    fn index_cold(&mut self, obj: Value, key: Value) -> LuaResult<Value> {
        if let Value::UserData(ud) = obj {
            if let Some(index) = ud.fast_paths().and_then(|p| p.index) {
                // Word-sized reads (`Value::load`): the key and the shortcut's answer were
                // just written field by field, and a 16-byte copy of them would stall.
                if let Some(v) = index(ud, key.load()) {
                    return Ok(v.load());
                }
            }
        }
        self.index(obj, key)
    }

    #[cold]
    #[inline(never)]
    fn set_index_cold(&mut self, obj: Value, key: Value, value: Value) -> LuaResult<()> {
        if let Value::UserData(ud) = obj {
            if let Some(newindex) = ud.fast_paths().and_then(|p| p.newindex) {
                // Word-sized reads, as in `index_cold`.
                if newindex(ud, key.load(), value.load()) {
                    return Ok(());
                }
            }
        }
        self.set_index(obj, key, value)
    }

    #[cold]
    #[inline(never)]
    fn less_than_cold(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        self.less_than(a, b)
    }

    #[cold]
    #[inline(never)]
    fn less_equal_cold(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        self.less_equal(a, b)
    }

    #[cold]
    #[inline(never)]
    fn equals_cold(&mut self, a: Value, b: Value) -> LuaResult<bool> {
        self.equals(a, b)
    }

    #[cold]
    #[inline(never)]
    fn len_cold(&mut self, v: Value) -> LuaResult<Value> {
        self.len(v)
    }
}

/// A number operand as a float (integers convert), for the float paths of arithmetic.
#[inline(always)]
fn float_of(v: &Value) -> Option<f64> {
    match *v {
        Value::Float(x) => Some(x),
        Value::Int(i) => Some(i as f64),
        _ => None,
    }
}

/// The opcode of an instruction of a verified prototype, decoded without the table lookup
/// of `Instr::op` (one load less per instruction dispatched).
#[inline(always)]
fn opcode(i: Instr) -> OpCode {
    let byte = i.0 as u8 & 0x7f;
    debug_assert!(OpCode::from_u8(byte).is_some());
    // SAFETY: `OpCode` is `repr(u8)` with its variants numbered 0..COUNT (the opcode table's
    // test checks the numbering), and the loader's verifier rejects any prototype with a
    // word whose low 7 bits are COUNT or more, so `byte` names a variant.
    unsafe { std::mem::transmute::<u8, OpCode>(byte) }
}

#[inline(always)]
fn fast_get(tab: Gc<Table>, raw: Value) -> Option<Value> {
    if !raw.is_nil() || tab.metatable().is_none() {
        Some(raw)
    } else {
        None
    }
}

/// Raw store when no `__newindex` can apply: a table without metatable, or an existing
/// non-nil field. Returns false when the slow path must run.
#[inline(always)]
fn fast_set(t: Value, key: Value, v: Value) -> bool {
    if let Value::Table(tab) = t {
        if tab.metatable().is_none() {
            return match key {
                Value::Int(n) => {
                    tab.set_int(n, v);
                    true
                }
                Value::Str(s) => {
                    tab.set_str(s, v);
                    true
                }
                _ => false,
            };
        }
        return tab.set_if_present(key, v);
    }
    false
}
