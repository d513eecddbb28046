//! The dispatch loop: runs Lua frames until the frame it was entered for returns.
//!
//! Lua-to-Lua calls and returns stay inside this loop (no Rust recursion), so deep Lua
//! recursion is bounded only by the stack limit. Anything that may run other code (a
//! metamethod, a native function, the collector) can reallocate the stack, so the register
//! pointer is re-derived after each of those (`reload!`).

use super::arith::ArithOp;
use super::closure::{LuaClosure, UpvalRef};
use super::error::LuaResult;
use super::ops::arith_numbers;
use super::state::Lua;
use super::table::Table;
use super::value::Value;
use crate::bytecode::{Instr, OpCode};
use crate::gc::Gc;
use crate::number::Number;

impl Lua {
    /// Runs the Lua frame on top of the frame stack (and the Lua frames it calls) until the
    /// frame at depth `entry_depth` (1-based count of frames) returns.
    ///
    /// The loop without hook code runs while the thread has no hook. Each instantiation of
    /// `run` also returns when the thread's hook mask no longer matches it, with the entry
    /// frame still on the stack; the other one then takes over (see `hook.rs`).
    #[inline]
    pub(crate) fn execute(&mut self, entry_depth: usize) -> LuaResult<()> {
        if self.th().hook.mask == 0 {
            self.run::<false>(entry_depth)?;
            if self.th().frames.len() < entry_depth {
                return Ok(());
            }
        }
        self.execute_with_hooks(entry_depth)
    }

    /// `execute` once the running thread has (or had) a hook.
    #[cold]
    #[inline(never)]
    fn execute_with_hooks(&mut self, entry_depth: usize) -> LuaResult<()> {
        loop {
            if self.th().hook.mask == 0 {
                self.run::<false>(entry_depth)?;
            } else {
                self.run::<true>(entry_depth)?;
            }
            if self.th().frames.len() < entry_depth {
                return Ok(());
            }
        }
    }

    /// The dispatch loop. Returns when the entry frame returned, or (with the entry frame
    /// still on the stack and the frames' saved pcs saying where to resume) when the other
    /// instantiation must take over.
    #[inline(never)]
    fn run<const HOOKED: bool>(&mut self, entry_depth: usize) -> LuaResult<()> {
        'frame: loop {
            let (cl, mut pc, base) = {
                let ci = self.th().frames.last().expect("execute runs a pushed frame");
                (ci.closure.expect("execute runs Lua frames"), ci.pc, ci.base)
            };
            if HOOKED && pc == 0 {
                self.hook_lua_call()?;
            }
            let cl: Gc<LuaClosure> = cl;
            let proto = cl.proto;
            let code: &[Instr] = &proto.code;
            let k: &[Value] = &proto.constants;
            let mut regs: *mut Value = self.regs_ptr(base);

            // Register access. SAFETY (for every use): `regs` points at `base` in the running
            // thread's stack, which `precall_lua` sized to hold `base + max_stack` slots; the
            // loader's verifier guarantees every register operand is below `max_stack`; and
            // `regs` is re-derived (`reload!`) after every operation that may reallocate the
            // stack.
            macro_rules! r {
                ($i:expr) => {
                    *unsafe { &mut *regs.add($i as usize) }
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
            // Constant access. SAFETY (for every use): the verifier checked every constant
            // operand against the constant table's length.
            macro_rules! kst {
                ($i:expr) => {
                    *unsafe { k.get_unchecked($i as usize) }
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
                    let v = self.index($t, $key)?;
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
                    self.set_index($t, $key, $v)?;
                    reload!();
                }};
            }
            // `+ - *`: integers wrap, mixed operands become floats, anything else goes to
            // `ops` (metamethods, string coercion). `$b`/`$c` are places (registers/constants).
            macro_rules! arith_fast {
                ($i:expr, $op:expr, $b:expr, $c:expr, $int:expr, $flt:expr) => {{
                    let (b, c) = (&$b, &$c);
                    let v = match (b, c) {
                        (&Value::Int(x), &Value::Int(y)) => Value::Int($int(x, y)),
                        (&Value::Float(x), &Value::Float(y)) => Value::Float($flt(x, y)),
                        (&Value::Int(x), &Value::Float(y)) => Value::Float($flt(x as f64, y)),
                        (&Value::Float(x), &Value::Int(y)) => Value::Float($flt(x, y as f64)),
                        (&b, &c) => {
                            savepc!();
                            // k on a constant/immediate form: the source had the operands the
                            // other way round; metamethods must see them in source order.
                            let v = if $i.k() { self.arith($op, c, b)? } else { self.arith($op, b, c)? };
                            reload!();
                            v
                        }
                    };
                    r!($i.a()) = v;
                }};
            }
            // Operations whose integer case can fail or that always go through `ops`.
            macro_rules! arith_slow {
                ($i:expr, $op:expr, $b:expr, $c:expr) => {{
                    let (b, c) = (&$b, &$c);
                    let v = match (b, c) {
                        (&Value::Int(x), &Value::Int(y)) if y != 0 && matches!($op, ArithOp::Mod | ArithOp::IDiv) => {
                            Value::Int(
                                if $op == ArithOp::Mod {
                                    super::arith::mod_int(x, y)
                                } else {
                                    super::arith::idiv_int(x, y)
                                }
                                .unwrap_or(0),
                            )
                        }
                        (&Value::Int(x), &Value::Int(y)) if $op == ArithOp::Div => Value::Float(x as f64 / y as f64),
                        (&Value::Float(x), &Value::Float(y)) => {
                            match arith_numbers($op, Number::Float(x), Number::Float(y)) {
                                Ok(v) => v,
                                Err(e) => unreachable!("float arithmetic cannot fail: {e}"),
                            }
                        }
                        (&b, &c) => {
                            savepc!();
                            // k on a constant/immediate form: the source had the operands the
                            // other way round; metamethods must see them in source order.
                            let v = if $i.k() { self.arith($op, c, b)? } else { self.arith($op, b, c)? };
                            reload!();
                            v
                        }
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
                            let v = if $i.k() { self.arith($op, c, b)? } else { self.arith($op, b, c)? };
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
                        return Ok(());
                    }
                };
            }
            // Conditional jump after a comparison: skip the next instruction (a Jmp) unless
            // the outcome equals k; when taken, perform that Jmp right away. A backward one
            // closes a loop (`repeat ... until cond`) and is where an interrupt is noticed.
            macro_rules! cond_jump {
                ($i:expr, $cond:expr) => {{
                    if $cond != $i.k() {
                        pc += 1;
                    } else {
                        let off = code[pc].sj_field();
                        pc = (pc as i64 + 1 + off as i64) as usize;
                        if off < 0 && self.take_interrupt() {
                            savepc!();
                            return Err(self.interrupted_error());
                        }
                    }
                }};
            }

            loop {
                // SAFETY: the verifier guarantees control never leaves the code: every jump
                // target is inside it and the last instruction is a return or a jump.
                let i = *unsafe { code.get_unchecked(pc) };
                if HOOKED {
                    if self.hook_before_instruction(pc, i.op())? {
                        return Ok(());
                    }
                    reload!();
                }
                pc += 1;
                match i.op() {
                    OpCode::Move => r!(i.a()) = r!(i.b()),
                    OpCode::LoadI => r!(i.a()) = Value::Int(i.sbx() as i64),
                    OpCode::LoadF => r!(i.a()) = Value::Float(i.sbx() as f64),
                    OpCode::LoadK => r!(i.a()) = kst!(i.bx()),
                    OpCode::LoadKX => {
                        let ax = code[pc].ax_field();
                        pc += 1;
                        r!(i.a()) = kst!(ax);
                    }
                    OpCode::LoadFalse => r!(i.a()) = Value::Bool(false),
                    OpCode::LFalseSkip => {
                        r!(i.a()) = Value::Bool(false);
                        pc += 1;
                    }
                    OpCode::LoadTrue => r!(i.a()) = Value::Bool(true),
                    OpCode::LoadNil => {
                        for n in 0..=i.b() {
                            r!(i.a() + n) = Value::Nil;
                        }
                    }
                    OpCode::GetUpval => r!(i.a()) = cl.upvals[i.b() as usize].get(),
                    OpCode::SetUpval => cl.upvals[i.b() as usize].set(r!(i.a())),
                    OpCode::GetTabUp => {
                        let (t, key) = (cl.upvals[i.b() as usize].get(), kst!(i.c()));
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
                        r!(i.a()) = index_slow!(cl.upvals[i.b() as usize].get(), kst!(i.c()));
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
                    OpCode::SetTabUp => store!(cl.upvals[i.a() as usize].get(), kst!(i.b()), rkc!(i)),
                    OpCode::SetTable => store!(r!(i.a()).load(), r!(i.b()).load(), rkc!(i)),
                    OpCode::SetI => store!(r!(i.a()).load(), Value::Int(i.b() as i64), rkc!(i)),
                    OpCode::SetField => store!(r!(i.a()).load(), kst!(i.b()), rkc!(i)),
                    OpCode::NewTable => {
                        let b = i.b();
                        let hash = if b > 0 { 1usize << (b - 1) } else { 0 };
                        let mut array = i.c() as usize;
                        if i.k() {
                            array += code[pc].ax_field() as usize * 256;
                        }
                        pc += 1; // the ExtraArg
                        let t = self.new_table_with(array, hash);
                        r!(i.a()) = Value::Table(t);
                        if self.heap.should_collect() {
                            savepc!();
                            self.gc_safe_point(base + i.a() as usize + 1);
                            reload!();
                        }
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
                        let b = r!(i.b());
                        let imm = i.sc() as i64;
                        r!(i.a()) = match b {
                            Value::Int(x) => Value::Int(x.wrapping_add(imm)),
                            Value::Float(x) => Value::Float(x + imm as f64),
                            _ => {
                                savepc!();
                                let v = if i.k() {
                                    self.arith(ArithOp::Add, Value::Int(imm), b)?
                                } else {
                                    self.arith(ArithOp::Add, b, Value::Int(imm))?
                                };
                                reload!();
                                v
                            }
                        };
                    }
                    OpCode::AddK => {
                        arith_fast!(i, ArithOp::Add, r!(i.b()), kst!(i.c()), i64::wrapping_add, |x: f64, y: f64| x + y)
                    }
                    OpCode::SubK => {
                        arith_fast!(i, ArithOp::Sub, r!(i.b()), kst!(i.c()), i64::wrapping_sub, |x: f64, y: f64| x - y)
                    }
                    OpCode::MulK => {
                        arith_fast!(i, ArithOp::Mul, r!(i.b()), kst!(i.c()), i64::wrapping_mul, |x: f64, y: f64| x * y)
                    }
                    OpCode::ModK => arith_slow!(i, ArithOp::Mod, r!(i.b()), kst!(i.c())),
                    OpCode::PowK => arith_slow!(i, ArithOp::Pow, r!(i.b()), kst!(i.c())),
                    OpCode::DivK => arith_slow!(i, ArithOp::Div, r!(i.b()), kst!(i.c())),
                    OpCode::IDivK => arith_slow!(i, ArithOp::IDiv, r!(i.b()), kst!(i.c())),
                    OpCode::BAndK => bitwise!(i, ArithOp::BAnd, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x & y),
                    OpCode::BOrK => bitwise!(i, ArithOp::BOr, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x | y),
                    OpCode::BXorK => bitwise!(i, ArithOp::BXor, r!(i.b()), kst!(i.c()), |x: i64, y: i64| x ^ y),
                    OpCode::ShrI => {
                        bitwise!(i, ArithOp::Shr, r!(i.b()), Value::Int(i.sc() as i64), |x: i64, y: i64| {
                            super::arith::shift_right(x, y)
                        })
                    }
                    OpCode::ShlI => {
                        bitwise!(i, ArithOp::Shl, Value::Int(i.sc() as i64), r!(i.b()), super::arith::shift_left)
                    }
                    OpCode::Add => {
                        arith_fast!(i, ArithOp::Add, r!(i.b()), r!(i.c()), i64::wrapping_add, |x: f64, y: f64| x + y)
                    }
                    OpCode::Sub => {
                        arith_fast!(i, ArithOp::Sub, r!(i.b()), r!(i.c()), i64::wrapping_sub, |x: f64, y: f64| x - y)
                    }
                    OpCode::Mul => {
                        arith_fast!(i, ArithOp::Mul, r!(i.b()), r!(i.c()), i64::wrapping_mul, |x: f64, y: f64| x * y)
                    }
                    OpCode::Mod => arith_slow!(i, ArithOp::Mod, r!(i.b()), r!(i.c())),
                    OpCode::Pow => arith_slow!(i, ArithOp::Pow, r!(i.b()), r!(i.c())),
                    OpCode::Div => arith_slow!(i, ArithOp::Div, r!(i.b()), r!(i.c())),
                    OpCode::IDiv => arith_slow!(i, ArithOp::IDiv, r!(i.b()), r!(i.c())),
                    OpCode::BAnd => bitwise!(i, ArithOp::BAnd, r!(i.b()), r!(i.c()), |x: i64, y: i64| x & y),
                    OpCode::BOr => bitwise!(i, ArithOp::BOr, r!(i.b()), r!(i.c()), |x: i64, y: i64| x | y),
                    OpCode::BXor => bitwise!(i, ArithOp::BXor, r!(i.b()), r!(i.c()), |x: i64, y: i64| x ^ y),
                    OpCode::Shl => bitwise!(i, ArithOp::Shl, r!(i.b()), r!(i.c()), super::arith::shift_left),
                    OpCode::Shr => bitwise!(i, ArithOp::Shr, r!(i.b()), r!(i.c()), |x: i64, y: i64| {
                        super::arith::shift_right(x, y)
                    }),
                    OpCode::Unm => {
                        let b = r!(i.b());
                        r!(i.a()) = match b {
                            Value::Int(x) => Value::Int(x.wrapping_neg()),
                            Value::Float(x) => Value::Float(-x),
                            _ => {
                                savepc!();
                                let v = self.arith(ArithOp::Unm, b, b)?;
                                reload!();
                                v
                            }
                        };
                    }
                    OpCode::BNot => {
                        let b = r!(i.b());
                        r!(i.a()) = match b {
                            Value::Int(x) => Value::Int(!x),
                            _ => {
                                savepc!();
                                let v = self.arith(ArithOp::BNot, b, b)?;
                                reload!();
                                v
                            }
                        };
                    }
                    OpCode::Not => r!(i.a()) = Value::Bool(!r!(i.b()).truthy()),
                    OpCode::Len => {
                        let b = r!(i.b());
                        r!(i.a()) = match b {
                            Value::Str(s) => Value::Int(s.len() as i64),
                            Value::Table(t) if t.metatable().is_none() => Value::Int(t.len()),
                            _ => {
                                savepc!();
                                let v = self.len(b)?;
                                reload!();
                                v
                            }
                        };
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
                    }
                    OpCode::Close => {
                        savepc!();
                        self.close_level(base + i.a() as usize)?;
                        reload!();
                        leave_if_hooked!();
                    }
                    OpCode::Tbc => {
                        savepc!();
                        self.mark_tbc(base + i.a() as usize)?;
                    }
                    OpCode::Jmp => {
                        let off = i.sj_field();
                        pc = (pc as i64 + off as i64) as usize;
                        if off < 0 && self.take_interrupt() {
                            savepc!();
                            return Err(self.interrupted_error());
                        }
                    }
                    OpCode::Eq => {
                        let (a, b) = (r!(i.a()), r!(i.b()));
                        let eq = match (a, b) {
                            (Value::Table(_), Value::Table(_)) | (Value::UserData(_), Value::UserData(_)) => {
                                savepc!();
                                let eq = self.equals(a, b)?;
                                reload!();
                                eq
                            }
                            _ => a.raw_eq(b),
                        };
                        cond_jump!(i, eq);
                    }
                    OpCode::Lt => {
                        let (a, b) = (r!(i.a()), r!(i.b()));
                        let res = match (a, b) {
                            (Value::Int(x), Value::Int(y)) => x < y,
                            (Value::Float(x), Value::Float(y)) => x < y,
                            _ => {
                                savepc!();
                                let res = self.less_than(a, b)?;
                                reload!();
                                res
                            }
                        };
                        cond_jump!(i, res);
                    }
                    OpCode::Le => {
                        let (a, b) = (r!(i.a()), r!(i.b()));
                        let res = match (a, b) {
                            (Value::Int(x), Value::Int(y)) => x <= y,
                            (Value::Float(x), Value::Float(y)) => x <= y,
                            _ => {
                                savepc!();
                                let res = self.less_equal(a, b)?;
                                reload!();
                                res
                            }
                        };
                        cond_jump!(i, res);
                    }
                    OpCode::EqK => {
                        let eq = r!(i.a()).raw_eq(kst!(i.b()));
                        cond_jump!(i, eq);
                    }
                    OpCode::EqI => {
                        let imm = i.sb() as i64;
                        let eq = match r!(i.a()) {
                            Value::Int(x) => x == imm,
                            Value::Float(x) => x == imm as f64,
                            _ => false,
                        };
                        cond_jump!(i, eq);
                    }
                    OpCode::LtI | OpCode::LeI | OpCode::GtI | OpCode::GeI => {
                        let a = r!(i.a());
                        let imm = i.sb() as i64;
                        let res = match a {
                            Value::Int(x) => match i.op() {
                                OpCode::LtI => x < imm,
                                OpCode::LeI => x <= imm,
                                OpCode::GtI => x > imm,
                                _ => x >= imm,
                            },
                            Value::Float(x) => {
                                let y = imm as f64;
                                match i.op() {
                                    OpCode::LtI => x < y,
                                    OpCode::LeI => x <= y,
                                    OpCode::GtI => x > y,
                                    _ => x >= y,
                                }
                            }
                            _ => {
                                savepc!();
                                let imm_v = if i.c() != 0 { Value::Float(imm as f64) } else { Value::Int(imm) };
                                let res = match i.op() {
                                    OpCode::LtI => self.less_than(a, imm_v)?,
                                    OpCode::LeI => self.less_equal(a, imm_v)?,
                                    OpCode::GtI => self.less_than(imm_v, a)?,
                                    _ => self.less_equal(imm_v, a)?,
                                };
                                reload!();
                                res
                            }
                        };
                        cond_jump!(i, res);
                    }
                    OpCode::Test => {
                        let truthy = r!(i.a()).truthy();
                        cond_jump!(i, truthy);
                    }
                    OpCode::TestSet => {
                        let v = r!(i.b());
                        if v.truthy() == i.k() {
                            r!(i.a()) = v;
                            let j = code[pc];
                            pc = (pc as i64 + 1 + j.sj_field() as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    OpCode::Call => {
                        let func = base + i.a() as usize;
                        if i.b() != 0 {
                            self.th().top = func + i.b() as usize;
                        }
                        let nargs = self.th().top - func - 1;
                        let nresults = i.c() as i32 - 1;
                        savepc!();
                        match self.stack_at(func) {
                            Value::LuaFn(callee) => {
                                self.precall_lua(func, nargs, callee, nresults)?;
                                continue 'frame;
                            }
                            _ => {
                                if let super::call::Precall::Lua = self.precall(func, nargs, nresults)? {
                                    continue 'frame;
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
                    OpCode::TailCall => {
                        let func = base + i.a() as usize;
                        if i.b() != 0 {
                            self.th().top = func + i.b() as usize;
                        }
                        savepc!();
                        // Loops are interrupted on backward jumps and non-tail recursion ends in
                        // a stack overflow; an endless tail-call loop is caught here.
                        if self.take_interrupt() {
                            return Err(self.interrupted_error());
                        }
                        if i.k() {
                            self.close_upvalues(base);
                        }
                        let mut nargs = self.th().top - func - 1;
                        // Resolve `__call` first so the frame is replaced by the real callee.
                        let mut callee = self.stack_at(func);
                        while !callee.is_function() {
                            self.insert_call_metamethod(func, callee)?;
                            nargs += 1;
                            callee = self.stack_at(func);
                        }
                        match callee {
                            Value::LuaFn(target) => {
                                // Move function and arguments down over the current frame.
                                let ci = self.th().frames.pop().expect("running frame");
                                let th = self.th();
                                let dest = ci.func;
                                for n in 0..=nargs {
                                    th.stack[dest + n] = th.stack[func + n];
                                }
                                th.top = dest + 1 + nargs;
                                self.precall_lua(dest, nargs, target, ci.nresults)?;
                                if let Some(f) = self.th().frames.last_mut() {
                                    f.tail = true;
                                }
                                continue 'frame;
                            }
                            _ => {
                                // A native function: call it, then return its results.
                                self.precall(func, nargs, -1)?;
                                let n = self.th().top - func;
                                if HOOKED {
                                    self.hook_lua_return(func, n)?;
                                }
                                if self.finish_return(func, n)? < entry_depth {
                                    return Ok(());
                                }
                                if !HOOKED && self.th().hook.mask != 0 {
                                    return Ok(());
                                }
                                continue 'frame;
                            }
                        }
                    }
                    OpCode::Return => {
                        let first = base + i.a() as usize;
                        let n = if i.b() != 0 { i.b() as usize - 1 } else { self.th().top - first };
                        if i.k() {
                            savepc!();
                            self.th().top = first + n;
                            self.close_level(base)?;
                        }
                        if HOOKED {
                            savepc!();
                            self.hook_lua_return(first, n)?;
                        }
                        if self.finish_return(first, n)? < entry_depth {
                            return Ok(());
                        }
                        // A `__close` may have set a hook.
                        if !HOOKED && i.k() && self.th().hook.mask != 0 {
                            return Ok(());
                        }
                        continue 'frame;
                    }
                    OpCode::Return0 => {
                        if HOOKED {
                            savepc!();
                            self.hook_lua_return(base, 0)?;
                        }
                        if self.finish_return(base, 0)? < entry_depth {
                            return Ok(());
                        }
                        continue 'frame;
                    }
                    OpCode::Return1 => {
                        if HOOKED {
                            savepc!();
                            self.hook_lua_return(base + i.a() as usize, 1)?;
                        }
                        if self.finish_return(base + i.a() as usize, 1)? < entry_depth {
                            return Ok(());
                        }
                        continue 'frame;
                    }
                    OpCode::ForLoop => {
                        let a = i.a();
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
                                        pc -= i.bx() as usize;
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
                                        pc -= i.bx() as usize;
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
                    }
                    OpCode::ForPrep => {
                        let a = i.a();
                        savepc!();
                        let skip = self.for_prep(base + a as usize)?;
                        reload!();
                        if skip {
                            pc += i.bx() as usize + 1;
                        }
                    }
                    OpCode::TForPrep => {
                        savepc!();
                        self.mark_tbc(base + i.a() as usize + 3)?;
                        pc += i.bx() as usize;
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
                        let j = code[pc];
                        pc += 1;
                        let ja = j.a();
                        let v = r!(ja + 4);
                        if !v.is_nil() {
                            r!(ja + 2) = v;
                            pc -= j.bx() as usize;
                            // An iterator that never loops itself still makes an endless loop.
                            if self.take_interrupt() {
                                savepc!();
                                return Err(self.interrupted_error());
                            }
                        }
                        leave_if_hooked!();
                    }
                    OpCode::TForLoop => {
                        let a = i.a();
                        let v = r!(a + 4);
                        if !v.is_nil() {
                            r!(a + 2) = v;
                            pc -= i.bx() as usize;
                            if self.take_interrupt() {
                                savepc!();
                                return Err(self.interrupted_error());
                            }
                        }
                    }
                    OpCode::SetList => {
                        let a = i.a() as usize;
                        let n = if i.b() != 0 { i.b() as usize } else { self.th().top - (base + a) - 1 };
                        let mut offset = i.c() as usize;
                        if i.k() {
                            offset += code[pc].ax_field() as usize * 256;
                            pc += 1;
                        }
                        if let Value::Table(t) = r!(a) {
                            // With B = 0 the values reach up to the top, possibly past the
                            // frame's registers: read them through the stack.
                            let th = self.th();
                            t.set_list(offset + 1, &th.stack[base + a + 1..base + a + 1 + n]);
                        }
                        let top = self.th().frames.last().map_or(0, |f| f.top);
                        self.th().top = top;
                    }
                    OpCode::Closure => {
                        let p = proto.protos[i.bx() as usize];
                        let mut upvals = Vec::with_capacity(p.upvalues.len());
                        for d in p.upvalues.iter() {
                            upvals.push(UpvalRef::new(if d.in_stack {
                                self.find_upvalue(base + d.index as usize)
                            } else {
                                cl.upvals[d.index as usize].target()
                            }));
                        }
                        let c = self.heap.alloc(LuaClosure { proto: p, upvals: upvals.into_boxed_slice() });
                        reload!();
                        r!(i.a()) = Value::LuaFn(c);
                        if self.heap.should_collect() {
                            savepc!();
                            self.gc_safe_point(base + i.a() as usize + 1);
                            reload!();
                        }
                    }
                    OpCode::VarArg => {
                        let a = base + i.a() as usize;
                        let nvar = self.th().frames.last().map_or(0, |f| f.nvarargs);
                        let wanted = if i.c() == 0 { nvar } else { i.c() as usize - 1 };
                        if i.c() == 0 {
                            savepc!();
                            self.check_stack(a + nvar)?;
                        }
                        let th = self.th();
                        for n in 0..wanted {
                            th.stack[a + n] = if n < nvar { th.stack[base - nvar + n] } else { Value::Nil };
                        }
                        if i.c() == 0 {
                            th.top = a + nvar;
                        }
                        reload!();
                    }
                    OpCode::VarArgPrep => {}
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
    fn save_pc(&self, pc: usize) {
        if let Some(f) = self.th().frames.last_mut() {
            f.pc = pc;
        }
    }

    /// Pops the running Lua frame, moving its `n` results from `first` to the caller's slot.
    /// Returns the number of frames left.
    #[inline(always)]
    fn finish_return(&mut self, first: usize, n: usize) -> LuaResult<usize> {
        let th = self.th();
        let ci = match th.frames.pop() {
            Some(ci) => ci,
            None => unreachable!("a returning frame exists"),
        };
        if let Some(u) = th.open_upvals.last() {
            if u.open_index().is_some_and(|i| i >= ci.base) {
                self.close_upvalues(ci.base);
            }
        }
        let th = self.th();
        let dest = ci.func;
        if ci.nresults == 1 {
            // The common case: exactly one result wanted.
            th.stack[dest] = if n > 0 { th.stack[first] } else { Value::Nil };
            th.top = dest + 1;
        } else {
            self.move_results(first, n, dest, ci.nresults);
        }
        let th = self.th();
        let depth = th.frames.len();
        if ci.nresults >= 0 {
            if let Some(caller) = th.frames.last() {
                if caller.closure.is_some() {
                    th.top = caller.top;
                }
            }
        }
        Ok(depth)
    }

    /// Collects at a safe point; `live_top` is the first register above the live ones of
    /// the current frame.
    fn gc_safe_point(&mut self, live_top: usize) {
        let frame_top = self.th().top;
        self.th().top = live_top;
        self.collect_garbage();
        self.th().top = frame_top;
    }
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
