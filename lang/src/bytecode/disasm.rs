//! Stable text listing of bytecode, used by golden tests, `--dump-bytecode` and debugging.

use super::instr::Instr;
use super::opcodes::Format;
use super::proto::{Constant, Proto};
use std::fmt::Write;

/// One instruction as `NAME a b c [k]` (fields per the opcode's format).
pub fn instr_text(i: Instr) -> String {
    let op = i.op();
    match op.format() {
        Format::ABC => {
            let k = if i.k() { " k" } else { "" };
            format!("{:<10} {} {} {}{}", op.name(), i.a(), i.b(), i.c(), k)
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
        "function {path} <{}:{},{}> params={}{} stack={} upvalues={} constants={} functions={}",
        p.source,
        p.line_defined,
        p.last_line_defined,
        p.num_params,
        if p.is_vararg { "+" } else { "" },
        p.max_stack,
        p.upvalues.len(),
        p.constants.len(),
        p.protos.len()
    );
    for (pc, i) in p.code.iter().enumerate() {
        let line = p.line_info.get(pc).copied().unwrap_or(0);
        let _ = writeln!(out, "  {:>4} [{line}] {}", pc + 1, instr_text(*i).trim_end());
    }
    for (n, c) in p.constants.iter().enumerate() {
        let _ = writeln!(out, "  K{n} = {}", constant_text(c));
    }
    for (n, u) in p.upvalues.iter().enumerate() {
        let _ = writeln!(out, "  U{n} = {} {} {}", u.name, if u.in_stack { "local" } else { "upval" }, u.index);
    }
    for (n, child) in p.protos.iter().enumerate() {
        write_proto(out, child, &format!("{path}.{n}"));
    }
}
