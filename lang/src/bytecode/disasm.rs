//! Stable text listing of bytecode, used by golden tests, `--dump-bytecode` and debugging.
//!
//! One line per instruction: 1-based pc, `[line]`, the operands in the opcode's format (signed
//! immediates shown as their value), and after `;` what the operands refer to: constants,
//! upvalue names, absolute jump targets (1-based, like the pcs). The layout follows
//! `luac -l -l`, so listings can be compared with the reference implementation by eye.

use super::instr::Instr;
use super::opcodes::{Format, OpCode};
use super::proto::{Constant, Proto};
use std::fmt::Write;

/// One instruction as `NAME a b c [k]` (fields per the opcode's format; sB/sC immediates
/// shown signed).
pub fn instr_text(i: Instr) -> String {
    let op = i.op();
    match op.format() {
        Format::ABC => {
            let k = if i.k() { " k" } else { "" };
            let (b, c) = match op {
                OpCode::AddI | OpCode::ShrI | OpCode::ShlI => (i.b() as i32, i.sc()),
                OpCode::EqI | OpCode::LtI | OpCode::LeI | OpCode::GtI | OpCode::GeI => (i.sb(), i.c() as i32),
                _ => (i.b() as i32, i.c() as i32),
            };
            format!("{:<10} {} {} {}{}", op.name(), i.a(), b, c, k)
        }
        Format::ABx => format!("{:<10} {} {}", op.name(), i.a(), i.bx()),
        Format::AsBx => format!("{:<10} {} {}", op.name(), i.a(), i.sbx()),
        Format::Ax => format!("{:<10} {}", op.name(), i.ax_field()),
        Format::SJ => format!("{:<10} {}", op.name(), i.sj_field()),
    }
}

fn constant_text(c: &Constant) -> String {
    match c {
        Constant::Nil => "nil".into(),
        Constant::Bool(b) => b.to_string(),
        Constant::Int(n) => n.to_string(),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
        Constant::CData(lit) => lit.source_text(),
    }
}

/// What the operands of the instruction at `pc` refer to (empty if nothing worth saying).
fn comment(p: &Proto, pc: usize) -> String {
    let i = p.code[pc];
    let k = |n: u32| p.constants.get(n as usize).map_or_else(|| format!("K{n}?"), constant_text);
    let up = |n: u32| p.upvalues.get(n as usize).map_or_else(|| format!("U{n}?"), |u| u.name.clone());
    let rk = |n: u32| if i.k() { k(n) } else { String::new() };
    // Targets are printed 1-based, like the pcs of the listing.
    let target = |t: i64| format!("to {}", t + 1);
    let pc = pc as i64;
    match i.op() {
        OpCode::LoadK | OpCode::LoadCData => k(i.bx()),
        OpCode::LoadKX => p.code.get(pc as usize + 1).map_or(String::new(), |x| k(x.ax_field())),
        OpCode::GetUpval | OpCode::SetUpval => up(i.b()),
        OpCode::GetTabUp => format!("{} {}", up(i.b()), k(i.c())),
        OpCode::SetTabUp => format!("{} {} {}", up(i.a()), k(i.b()), rk(i.c())).trim_end().to_string(),
        OpCode::GetField => k(i.c()),
        OpCode::SetField => format!("{} {}", k(i.b()), rk(i.c())).trim_end().to_string(),
        OpCode::SetTable | OpCode::SetI | OpCode::SelfOp => rk(i.c()),
        op if op.is_arith_k() => k(i.c()),
        OpCode::EqK => k(i.b()),
        OpCode::Jmp => target(pc + 1 + i.sj_field() as i64),
        OpCode::ForPrep => format!("exit {}", target(pc + i.bx() as i64 + 2)),
        OpCode::ForLoop | OpCode::TForLoop => target(pc + 1 - i.bx() as i64),
        OpCode::TForPrep => target(pc + 1 + i.bx() as i64),
        OpCode::Closure => format!("function {}", i.bx()),
        _ => String::new(),
    }
}

/// The whole function and its nested functions, depth first.
pub fn proto_listing(p: &Proto) -> String {
    let mut out = String::new();
    write_proto(&mut out, p, "main");
    out
}

fn write_proto(out: &mut String, p: &Proto, path: &str) {
    let _ = writeln!(
        out,
        "function {path} <{}:{},{}> params={}{} stack={} upvalues={} locals={} constants={} functions={}",
        p.source,
        p.line_defined,
        p.last_line_defined,
        p.num_params,
        if p.is_vararg { "+" } else { "" },
        p.max_stack,
        p.upvalues.len(),
        p.locvars.len(),
        p.constants.len(),
        p.protos.len()
    );
    for pc in 0..p.code.len() {
        let line = p.line_info.get(pc).copied().unwrap_or(0);
        let text = instr_text(p.code[pc]);
        let note = comment(p, pc);
        let text = if note.is_empty() { text } else { format!("{text:<24} ; {note}") };
        let _ = writeln!(out, "  {:>4} [{line}] {}", pc + 1, text.trim_end());
    }
    for (n, c) in p.constants.iter().enumerate() {
        let _ = writeln!(out, "  K{n} = {}", constant_text(c));
    }
    for (n, l) in p.locvars.iter().enumerate() {
        // As `luac -l -l`: both ends printed 1-based.
        let _ = writeln!(out, "  L{n} = {} {}..{}", l.name, l.start_pc + 1, l.end_pc + 1);
    }
    for (n, u) in p.upvalues.iter().enumerate() {
        let _ = writeln!(out, "  U{n} = {} {} {}", u.name, if u.in_stack { "local" } else { "upval" }, u.index);
    }
    for (n, child) in p.protos.iter().enumerate() {
        write_proto(out, child, &format!("{path}.{n}"));
    }
}
