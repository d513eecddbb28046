//! Loading: source text or a `Proto` becomes a closure of this runtime.
//!
//! Every `Proto` is checked by `verify` before it runs: the dispatch loop indexes registers
//! without bounds checks, so a prototype whose operands point outside its frame (a corrupt
//! binary chunk) must be rejected here.

use super::closure::{FnProto, LuaClosure, UpVal};
use super::error::LuaResult;
use super::state::Lua;
use super::string::LuaStr;
use super::value::Value;
use crate::bytecode::{Constant, Instr, OpCode, Proto};
use crate::gc::Gc;
use std::collections::HashMap;
use std::rc::Rc;

impl Lua {
    /// Compiles Lua source text into a function (not run). Syntax errors become a Lua error
    /// whose value is the message string `chunk:line: message`.
    pub fn load_text(&mut self, source: &[u8], chunkname: &str) -> LuaResult<Value> {
        let proto = crate::compile_source(source, chunkname).map_err(|e| self.error_str(&e.to_string()))?;
        self.load_proto(proto, None)
    }

    /// Reads a binary chunk written by `string.dump` into a function (not run). A foreign,
    /// truncated or corrupt chunk is an error whose value reads like Lua's:
    /// `chunk: bad binary format (truncated chunk)`. The function's upvalues start as nil,
    /// except the first, which is `env` or the globals (as for text chunks).
    pub fn load_binary(&mut self, data: &[u8], chunkname: &str, env: Option<Value>) -> LuaResult<Value> {
        // Named as lundump names it: without the '@' or '=' mark, and a chunk whose name is
        // the binary string itself (`load(s)`) is "binary string".
        let name = match chunkname.as_bytes().first() {
            Some(b'@' | b'=') => &chunkname[1..],
            Some(0x1b) => "binary string",
            _ => chunkname,
        };
        let bad =
            |lua: &mut Lua, why: &dyn std::fmt::Display| lua.error_str(&format!("{name}: bad binary format ({why})"));
        let proto = crate::bytecode::undump::undump(data).map_err(|e| bad(self, &e))?;
        verify(&proto).map_err(|m| bad(self, &m))?;
        Ok(self.instantiate(proto, env))
    }

    /// Turns a compiled `Proto` into a closure. Its first upvalue (the main chunk's `_ENV`)
    /// is set to `env`, or to the globals.
    pub fn load_proto(&mut self, proto: Proto, env: Option<Value>) -> LuaResult<Value> {
        verify(&proto).map_err(|m| self.error_str(&format!("bad binary format ({m})")))?;
        Ok(self.instantiate(proto, env))
    }

    /// A closure of a verified `Proto`, with fresh upvalues.
    fn instantiate(&mut self, proto: Proto, env: Option<Value>) -> Value {
        let source: Rc<str> = Rc::from(proto.source.as_str());
        let origin = Rc::new(proto);
        let mut long_strings = HashMap::new();
        let fp = self.load_fn_proto(&origin, &source, &mut long_strings);
        let env = env.unwrap_or(Value::Table(self.globals));
        let upvals: Vec<Gc<UpVal>> = (0..fp.upvalues.len())
            .map(|n| UpVal::alloc_closed(&mut self.heap, if n == 0 { env } else { Value::Nil }))
            .collect();
        let cl = self.heap.alloc(LuaClosure::new(fp, &upvals));
        Value::LuaFn(cl)
    }

    /// `long_strings` holds the long string constants already made for this chunk: as in Lua,
    /// where the lexer anchors every string of a compilation in one table, equal string
    /// constants of one chunk are one object even when they are too long to be interned (a
    /// chunk's functions share them, and `%p` shows it). Short strings are interned anyway.
    /// Nothing here reaches a safe point, so the map's strings stay alive until the constant
    /// tables that hold them are allocated.
    fn load_fn_proto(
        &mut self,
        p: &Rc<Proto>,
        source: &Rc<str>,
        long_strings: &mut HashMap<Box<[u8]>, Gc<LuaStr>>,
    ) -> Gc<FnProto> {
        let constants: Vec<Value> = p
            .constants
            .iter()
            .map(|c| match c {
                Constant::Nil => Value::Nil,
                Constant::Bool(b) => Value::Bool(*b),
                Constant::Int(i) => Value::Int(*i),
                Constant::Float(f) => Value::Float(*f),
                Constant::Str(s) if s.len() > LuaStr::MAX_SHORT => {
                    Value::Str(*long_strings.entry(s.clone().into_boxed_slice()).or_insert_with(|| self.heap.intern(s)))
                }
                Constant::Str(s) => Value::Str(self.heap.intern(s)),
                // Never read from here: `LoadCData` takes the literal from the `Proto`.
                Constant::CData(_) => Value::Nil,
            })
            .collect();
        let protos: Vec<Gc<FnProto>> =
            p.protos.iter().map(|child| self.load_fn_proto(&Rc::new(child.clone()), source, long_strings)).collect();
        self.heap.alloc(FnProto {
            code: p.code.clone().into_boxed_slice(),
            constants: constants.into_boxed_slice(),
            protos: protos.into_boxed_slice(),
            upvalues: p.upvalues.clone().into_boxed_slice(),
            line_info: p.line_info.clone().into_boxed_slice(),
            locvars: p.locvars.clone().into_boxed_slice(),
            num_params: p.num_params,
            is_vararg: p.is_vararg,
            max_stack: p.max_stack,
            line_defined: p.line_defined,
            last_line_defined: p.last_line_defined,
            source: source.clone(),
            origin: p.clone(),
            literals: if p.constants.iter().any(|c| matches!(c, Constant::CData(_))) {
                (0..p.constants.len()).map(|_| std::cell::Cell::new(Value::Nil)).collect()
            } else {
                Box::default()
            },
            jit: crate::jit::LoopCache::default(),
        })
    }
}

/// Checks that every operand of every instruction stays inside the frame, the constant
/// table, the upvalues and the code; that control can only reach the start of an instruction
/// (never past the end, never an `ExtraArg`); that an instruction using the top (an operand
/// count of 0) directly follows the one that set it; and that table size hints are bounded.
/// Recurses into nested prototypes. What is not checked here (register contents, such as a
/// numeric `for` state overwritten by crafted code) the VM turns into Lua errors.
pub fn verify(p: &Proto) -> Result<(), String> {
    verify_one(p, None)
}

fn verify_one(p: &Proto, parent: Option<&Proto>) -> Result<(), String> {
    let n = p.code.len();
    if n == 0 {
        return Err("empty code".into());
    }
    // Stripped chunks have no line information at all.
    if !p.line_info.is_empty() && p.line_info.len() != n {
        return Err("line information does not match the code".into());
    }
    if p.num_params > p.max_stack {
        return Err("more parameters than registers".into());
    }
    let ms = p.max_stack as u32;
    let nk = p.constants.len() as u32;
    let nu = p.upvalues.len() as u32;
    let np = p.protos.len() as u32;
    let is_str = |k: u32| matches!(p.constants.get(k as usize), Some(Constant::Str(_)));
    // A suffixed literal's constant is only for `LoadCData` (its runtime slot is a placeholder).
    let is_cdata = |k: u32| matches!(p.constants.get(k as usize), Some(Constant::CData(_)));
    let plain_k = |k: u32| k < nk && !is_cdata(k);
    let at = |pc: usize| -> Option<Instr> { p.code.get(pc).copied() };
    let next_is = |pc: usize, op: OpCode| at(pc + 1).is_some_and(|i| i.op() == op);
    let target_ok = |t: i64| t >= 0 && (t as usize) < n;
    // The dispatch loop decodes opcodes without a table lookup: every word, including the
    // ExtraArg operands it never dispatches, must carry a valid opcode number.
    if let Some(pc) = p.code.iter().position(|i| OpCode::from_u8(i.0 as u8 & 0x7f).is_none()) {
        return Err(format!("invalid opcode in instruction {}", pc + 1));
    }
    // Where control can go other than to the next instruction (checked after the walk: not
    // past the end, not onto an ExtraArg that belongs to the instruction before it).
    let mut targets: Vec<usize> = Vec::new();
    let mut is_operand = vec![false; n];
    let mut pc = 0usize;
    while pc < n {
        let i = p.code[pc];
        let (a, b, c, k) = (i.a(), i.b(), i.c(), i.k());
        let rk = |c: u32| if k { plain_k(c) } else { c < ms };
        match i.op() {
            OpCode::Jmp => targets.push((pc as i64 + 1 + i.sj_field() as i64).max(0) as usize),
            op if op.is_test() || matches!(op, OpCode::TestSet | OpCode::LFalseSkip) => targets.push(pc + 2),
            OpCode::ForPrep => targets.push(pc + i.bx() as usize + 2),
            OpCode::ForLoop | OpCode::TForLoop => targets.push((pc as i64 + 1 - i.bx() as i64).max(0) as usize),
            _ => {}
        }
        // An operand count of 0 means "up to the top", which the instruction just before set
        // (a call or vararg keeping all results); anything else could leave the top below
        // the operands. The compiler also puts a `Return A 0` after every tail call, where
        // control never arrives (a tail call leaves the frame).
        let open_consumer_base = match i.op() {
            OpCode::Call | OpCode::TailCall | OpCode::SetList if b == 0 => Some(a + 1),
            OpCode::Return if b == 0 => Some(a),
            _ => None,
        };
        if let Some(needed) = open_consumer_base {
            let prev = pc.checked_sub(1).map(|q| p.code[q]);
            let sets_top = prev.is_some_and(|q| {
                let after_tail_call = q.op() == OpCode::TailCall && i.op() == OpCode::Return;
                let keeps_all = matches!(q.op(), OpCode::Call | OpCode::VarArg) && q.c() == 0 && q.a() >= needed;
                (after_tail_call || keeps_all) && !is_operand[pc - 1]
            });
            if !sets_top {
                return Err(format!("instruction {} uses a top no instruction set ({:?})", pc + 1, i));
            }
        }
        let ok = match i.op() {
            OpCode::Move => a < ms && b < ms,
            OpCode::LoadI | OpCode::LoadF | OpCode::LoadFalse | OpCode::LoadTrue => a < ms,
            OpCode::LFalseSkip => a < ms && pc + 1 < n,
            OpCode::LoadK => a < ms && plain_k(i.bx()),
            OpCode::LoadKX => {
                a < ms && next_is(pc, OpCode::ExtraArg) && at(pc + 1).is_some_and(|x| plain_k(x.ax_field()))
            }
            OpCode::LoadCData => a < ms && is_cdata(i.bx()),
            OpCode::LoadNil => a + b < ms,
            OpCode::GetUpval | OpCode::SetUpval => a < ms && b < nu,
            OpCode::GetTabUp => a < ms && b < nu && is_str(c),
            OpCode::GetTable => a < ms && b < ms && c < ms,
            OpCode::GetI => a < ms && b < ms,
            OpCode::GetField => a < ms && b < ms && is_str(c),
            OpCode::SetTabUp => a < nu && is_str(b) && rk(c),
            OpCode::SetTable => a < ms && b < ms && rk(c),
            OpCode::SetI => a < ms && rk(c),
            OpCode::SetField => a < ms && is_str(b) && rk(c),
            OpCode::NewTable => a < ms && next_is(pc, OpCode::ExtraArg) && table_hints_ok(p, pc),
            OpCode::SelfOp => a + 1 < ms && b < ms && rk(c),
            OpCode::AddI | OpCode::ShrI | OpCode::ShlI => a < ms && b < ms,
            // Spelled out, not `is_arith_k()`: this match names every opcode, so a new one
            // cannot slip past the verifier.
            OpCode::AddK
            | OpCode::SubK
            | OpCode::MulK
            | OpCode::ModK
            | OpCode::PowK
            | OpCode::DivK
            | OpCode::IDivK
            | OpCode::BAndK
            | OpCode::BOrK
            | OpCode::BXorK => a < ms && b < ms && plain_k(c),
            OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Mod
            | OpCode::Pow
            | OpCode::Div
            | OpCode::IDiv
            | OpCode::BAnd
            | OpCode::BOr
            | OpCode::BXor
            | OpCode::Shl
            | OpCode::Shr => a < ms && b < ms && c < ms,
            OpCode::Unm | OpCode::BNot | OpCode::Not | OpCode::Len => a < ms && b < ms,
            OpCode::Concat => b >= 1 && a + b <= ms,
            OpCode::Close | OpCode::Tbc => a < ms,
            OpCode::Jmp => target_ok(pc as i64 + 1 + i.sj_field() as i64),
            OpCode::Eq | OpCode::Lt | OpCode::Le => a < ms && b < ms && jmp_follows(p, pc),
            OpCode::EqK => a < ms && plain_k(b) && jmp_follows(p, pc),
            OpCode::EqI | OpCode::LtI | OpCode::LeI | OpCode::GtI | OpCode::GeI => a < ms && jmp_follows(p, pc),
            OpCode::Test => a < ms && jmp_follows(p, pc),
            OpCode::TestSet => a < ms && b < ms && jmp_follows(p, pc),
            OpCode::Call => a < ms && (b == 0 || a + b <= ms) && (c <= 1 || a + c - 1 <= ms),
            OpCode::TailCall => a < ms && (b == 0 || a + b <= ms),
            OpCode::Return => a <= ms && (b == 0 || a + b - 1 <= ms),
            OpCode::Return0 => true,
            OpCode::Return1 => a < ms,
            OpCode::ForLoop => a + 3 < ms && target_ok(pc as i64 + 1 - i.bx() as i64),
            OpCode::ForPrep => a + 3 < ms && (pc + 1 + i.bx() as usize + 1) < n,
            OpCode::TForPrep => {
                let t = pc + 1 + i.bx() as usize;
                a + 3 < ms && t < n && p.code[t].op() == OpCode::TForCall
            }
            OpCode::TForCall => a + 6 < ms && a + 3 + c < ms && next_is(pc, OpCode::TForLoop),
            OpCode::TForLoop => a + 4 < ms && target_ok(pc as i64 + 1 - i.bx() as i64),
            OpCode::SetList => a < ms && (b == 0 || a + b < ms) && (!k || next_is(pc, OpCode::ExtraArg)),
            OpCode::Closure => a < ms && i.bx() < np,
            OpCode::VarArg => a < ms && (c <= 1 || a + c - 1 <= ms),
            OpCode::VarArgPrep => p.is_vararg,
            OpCode::ExtraArg => false,
        };
        if !ok {
            return Err(format!("invalid operands in instruction {} ({:?})", pc + 1, i));
        }
        // Skip the ExtraArg an instruction consumed.
        let consumes_extra = match i.op() {
            OpCode::LoadKX | OpCode::NewTable => true,
            OpCode::SetList => k,
            _ => false,
        };
        if consumes_extra {
            is_operand[pc + 1] = true;
        }
        pc += if consumes_extra { 2 } else { 1 };
    }
    let mut is_target = vec![false; n];
    for &t in &targets {
        if t >= n || is_operand[t] {
            return Err("jump to an invalid position".into());
        }
        is_target[t] = true;
    }
    // A jump onto an instruction that uses the top would skip the one that set it.
    for (pc, i) in p.code.iter().enumerate() {
        let open = match i.op() {
            OpCode::Call | OpCode::TailCall | OpCode::Return | OpCode::SetList => i.b() == 0,
            _ => false,
        };
        if open && is_target[pc] && !is_operand[pc] {
            return Err(format!("jump to instruction {}, which uses the top", pc + 1));
        }
    }
    let last = p.code[n - 1].op();
    if !matches!(last, OpCode::Return | OpCode::Return0 | OpCode::Return1 | OpCode::Jmp | OpCode::TailCall) {
        return Err("code does not end with a return".into());
    }
    if let Some(parent) = parent {
        for u in &p.upvalues {
            let ok = if u.in_stack { u.index < parent.max_stack } else { (u.index as usize) < parent.upvalues.len() };
            if !ok {
                return Err("invalid upvalue description".into());
            }
        }
    }
    for child in &p.protos {
        verify_one(child, Some(p))?;
    }
    Ok(())
}

/// A constructor's size hints come from its items, each of which takes an instruction, so
/// they are small next to the code; a corrupt hint must not make the VM allocate without
/// bound (or shift past the word size).
fn table_hints_ok(p: &Proto, pc: usize) -> bool {
    let i = p.code[pc];
    let limit = 4 * p.code.len() as u64 + 256;
    let hash_ok = i.b() == 0 || (i.b() <= 33 && 1u64 << (i.b() - 1) <= limit);
    let extra = if i.k() { p.code.get(pc + 1).map_or(0, |x| x.ax_field() as u64) } else { 0 };
    hash_ok && i.c() as u64 + extra * 256 <= limit
}

fn jmp_follows(p: &Proto, pc: usize) -> bool {
    p.code.get(pc + 1).is_some_and(|j| {
        j.op() == OpCode::Jmp && {
            let t = pc as i64 + 2 + j.sj_field() as i64;
            t >= 0 && (t as usize) < p.code.len()
        }
    })
}
