//! A call plan as text for people (`ffi.plan`, the REPL, golden tests): one line per argument
//! and for the result, registers named as the ABI documents name them.
//!
//! ```text
//! sysv64 on x86_64-linux: int (signed char c, struct pt p)
//!   arg 1 `signed char c` -> dil (sign-extended)
//!   arg 2 `struct pt p` (16 bytes) -> xmm0 [bytes 0..8] + rsi [bytes 8..16]
//!   result `int` -> eax
//!   stack: no arguments; rsp 16-aligned at the call; the caller pops
//! ```

use std::fmt::Write;

use super::aggregate::{value_kind, ValueKind};
use super::plan::{CallPlan, Ext, Loc, Part, Pass, RetPlan, VarargMarker};
use super::regs::{gpr_name, vec_part_name};
use crate::ctype::{CTypeId, CTypeTable, ParamAttr};
use crate::target::Isa;

/// The plan as text for the function `function`: [`render`], then the symbol a Win32 C
/// compiler gives it when its convention decorates names (`_f@12`; see
/// [`decorated_name`](super::decorated_name)).
pub fn render_named<S: AsRef<str>>(plan: &CallPlan, types: &CTypeTable, function: &str, names: &[Option<S>]) -> String {
    let mut out = render(plan, types, names);
    if let Some(symbol) = super::decorated_name(plan, function) {
        let _ = writeln!(out, "  symbol: {symbol} (Win32 {} decoration of `{function}`)", plan.abi);
    }
    out
}

/// The plan as text. `names` are the declared parameter names (missing ones are left out).
pub fn render<S: AsRef<str>>(plan: &CallPlan, types: &CTypeTable, names: &[Option<S>]) -> String {
    let isa = plan.abi.isa();
    let name = |i: usize| names.get(i).and_then(|n| n.as_ref()).map_or("", |n| n.as_ref());
    let mut params: Vec<String> = plan.args[..plan.fixed_args as usize]
        .iter()
        .enumerate()
        .map(|(i, a)| types.render_decl(a.ty, name(i)))
        .collect();
    if plan.variadic {
        params.push("...".into());
    }
    if params.is_empty() {
        params.push("void".into());
    }
    let mut out = format!("{} on {}: {} ({})", plan.abi, plan.target, types.render(plan.ret_ty), params.join(", "));
    if plan.variadic {
        let given: Vec<String> = plan.args[plan.fixed_args as usize..].iter().map(|a| types.render(a.ty)).collect();
        let _ = write!(out, " called with ({})", given.join(", "));
    }
    out.push('\n');

    for (i, arg) in plan.args.iter().enumerate() {
        let label = if arg.variadic {
            format!("vararg {}", i + 1 - plan.fixed_args as usize)
        } else {
            format!("arg {}", i + 1)
        };
        let decl = types.render_decl(arg.ty, if arg.variadic { "" } else { name(i) });
        let attr = match arg.attr {
            ParamAttr::None => "",
            ParamAttr::SwiftContext => " swift_context",
            ParamAttr::SwiftErrorResult => " swift_error_result",
            ParamAttr::SwiftIndirectResult => " swift_indirect_result",
        };
        let size = size_note(plan, types, arg.ty, arg.size);
        let place = match &arg.pass {
            Pass::Direct(parts) => parts_text(isa, parts, arg.size),
            Pass::ByReference { ptr } => format!("pointer to a copy in {}", loc_text(isa, *ptr, 8)),
            Pass::InOutRegister { reg } => {
                format!(
                    "{} (loaded from the pointed-to slot before the call, stored back after)",
                    gpr_name(isa, *reg, 8)
                )
            }
            Pass::Ignored => "nothing (empty)".into(),
        };
        let _ = writeln!(out, "  {label} `{decl}`{attr}{size} -> {place}");
    }

    let ret_decl = types.render(plan.ret_ty);
    let ret_size = size_note(plan, types, plan.ret_ty, plan.ret_size);
    match &plan.ret {
        RetPlan::Void => out.push_str("  result void\n"),
        RetPlan::Direct(parts) if parts.is_empty() => {
            let _ = writeln!(out, "  result `{ret_decl}`{ret_size} -> nothing (empty)");
        }
        RetPlan::Direct(parts) => {
            let _ = writeln!(out, "  result `{ret_decl}`{ret_size} -> {}", parts_text(isa, parts, plan.ret_size));
        }
        RetPlan::Indirect { ptr, echoed_in } => {
            let _ = write!(
                out,
                "  result `{ret_decl}`{ret_size} -> memory at a hidden pointer passed in {}",
                loc_text(isa, *ptr, 8)
            );
            if let Some(reg) = echoed_in {
                let _ = write!(out, " (returned in {})", gpr_name(isa, *reg, 8));
            }
            out.push('\n');
        }
    }
    if let Some(VarargMarker::VectorCountInAl(n)) = plan.vararg_marker {
        let _ = writeln!(out, "  varargs: al = {n} (vector registers used)");
    }

    let sp = match isa {
        Isa::X64 => "rsp",
        Isa::X86 => "esp",
        Isa::Aarch64 => "sp",
    };
    let stack = &plan.stack;
    let args_bytes = stack.size - stack.shadow;
    let mut line = String::from("  stack: ");
    if stack.shadow > 0 {
        let _ = write!(line, "{} bytes of shadow space, ", stack.shadow);
    }
    if args_bytes == 0 {
        line.push_str("no arguments");
    } else {
        let _ = write!(line, "{args_bytes} bytes of arguments");
    }
    let _ = write!(line, "; {sp} {}-aligned at the call; ", stack.align);
    if stack.callee_pops > 0 {
        let _ = write!(line, "the callee pops {} bytes", stack.callee_pops);
    } else {
        line.push_str("the caller pops");
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// " (16 bytes)" after aggregates, complex numbers and long doubles, whose size is not in
/// their name.
fn size_note(plan: &CallPlan, types: &CTypeTable, ty: CTypeId, size: u32) -> String {
    match value_kind(types, ty, plan.target, plan.abi) {
        Ok(ValueKind::Record | ValueKind::Complex(_) | ValueKind::Float(crate::ctype::FloatKind::LongDouble)) => {
            format!(" ({size} bytes)")
        }
        _ => String::new(),
    }
}

fn loc_text(isa: Isa, loc: Loc, size: u32) -> String {
    match loc {
        Loc::Gpr(reg) => gpr_name(isa, reg, size),
        Loc::Vec(n) => vec_part_name(isa, n, size),
        Loc::X87(n) => format!("st({n})"),
        Loc::Stack(offset) => format!("stack+{offset}"),
    }
}

fn ext_text(ext: Ext) -> &'static str {
    match ext {
        Ext::None => "",
        Ext::Sign => " (sign-extended)",
        Ext::Zero => " (zero-extended)",
        Ext::FloatToDouble => " (promoted to double)",
    }
}

fn parts_text(isa: Isa, parts: &[Part], value_size: u32) -> String {
    match parts {
        [] => "nothing".into(),
        [p] if p.offset == 0 && (p.size == value_size || matches!(p.loc, Loc::X87(_))) => {
            let held = if p.ext == Ext::FloatToDouble { 8 } else { p.size };
            format!("{}{}", loc_text(isa, p.loc, held), ext_text(p.ext))
        }
        // Win64 varargs: the same value in a vector and an integer register.
        [a, b] if a.offset == b.offset && a.size == b.size => format!(
            "{} and {} (duplicated{})",
            loc_text(isa, a.loc, a.size),
            loc_text(isa, b.loc, if a.ext == Ext::FloatToDouble { 8 } else { b.size }),
            if a.ext == Ext::FloatToDouble { ", promoted to double" } else { "" }
        ),
        _ => parts
            .iter()
            .map(|p| {
                format!(
                    "{} [bytes {}..{}]{}",
                    loc_text(isa, p.loc, p.size),
                    p.offset,
                    p.offset + p.size,
                    ext_text(p.ext)
                )
            })
            .collect::<Vec<_>>()
            .join(" + "),
    }
}
