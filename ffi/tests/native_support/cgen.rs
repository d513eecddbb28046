//! The C text of the fixtures: declarations (read by rivet's cdef as well) and the function
//! bodies that hash their arguments and build their results (see tests/native/fixture.h).

use std::fmt::Write;

use rivet_ffi::CTypeTable;

use super::leaves::{leaves_for, Kind, Leaf};
use super::matrix::{Conv, Sig, PRELUDE, RECORDS};
use rivet_ffi::Target;

/// The name of fixture function `i`.
pub fn name(i: usize) -> String {
    format!("fx{i}")
}

/// The type definitions every fixture file starts with.
pub fn type_definitions() -> String {
    let mut out = String::from(PRELUDE);
    out.push('\n');
    for (_, def) in RECORDS {
        out.push_str(def);
        out.push('\n');
    }
    out
}

/// The prototype of fixture `i` (no trailing `;`).
pub fn prototype(conv: Conv, i: usize, sig: &Sig) -> String {
    let mut params = Vec::new();
    if let Some(t) = &sig.swift.indirect {
        params.push(format!("{t} *res __attribute__((swift_indirect_result))"));
    }
    for (j, p) in sig.params.iter().enumerate() {
        params.push(format!("{p} a{j}"));
    }
    if sig.swift.context {
        params.push("void *ctx __attribute__((swift_context))".into());
    }
    if sig.swift.error {
        params.push("void **err __attribute__((swift_error_result))".into());
    }
    if sig.varargs.is_some() {
        params.push("...".into());
    }
    if params.is_empty() {
        params.push("void".into());
    }
    format!("{} {}{}({})", sig.ret, conv.attribute(), name(i), params.join(", "))
}

pub fn hash_stmt(leaf: &Leaf, value: &str) -> String {
    let e = leaf.expr(value);
    match leaf.kind {
        Kind::Int { signed: true, .. } | Kind::Bits { signed: true, .. } => format!("H_INT(h, {e});"),
        Kind::Int { signed: false, .. } | Kind::Bits { signed: false, .. } | Kind::Bool => format!("H_UINT(h, {e});"),
        Kind::Ptr => format!("H_PTR(h, {e});"),
        Kind::F32 => format!("H_F32(h, {e});"),
        Kind::F64 => format!("H_F64(h, {e});"),
        Kind::F80 => format!("H_F80(h, {e});"),
        Kind::F128 => format!("H_F128(h, {e});"),
    }
}

pub fn build_stmt(leaf: &Leaf, value: &str) -> String {
    let e = leaf.expr(value);
    match leaf.kind {
        Kind::Int { .. } => format!("B_INT(g, {e});"),
        Kind::Bool => format!("B_BOOL(g, {e});"),
        Kind::Ptr => format!("B_PTR(g, {e});"),
        Kind::F32 => format!("B_F32(g, {e});"),
        Kind::F64 => format!("B_F64(g, {e});"),
        Kind::F80 => format!("B_F80(g, {e});"),
        Kind::F128 => format!("B_F128(g, {e});"),
        Kind::Bits { width, .. } => format!("B_BITS(g, {e}, {width});"),
    }
}

/// The type `va_arg` reads a variadic argument of type `t` as (C's default promotions).
pub fn promoted(t: &str) -> &str {
    match t {
        "float" => "double",
        "char" | "signed char" | "unsigned char" | "short" | "unsigned short" | "_Bool" => "int",
        other => other,
    }
}

/// The whole C file for `sigs`, and the cdef text rivet reads for them.
pub fn source(conv: Conv, sigs: &[Sig], types: &mut CTypeTable) -> String {
    source_for(conv, sigs, types, super::leaves::TARGET)
}

/// [`source`] for the types laid out for `target`.
pub fn source_for(conv: Conv, sigs: &[Sig], types: &mut CTypeTable, target: Target) -> String {
    let mut c = String::from("#include \"fixture.h\"\n");
    c.push_str(&type_definitions());
    c.push_str("uint64_t rivet_fixture_hash;\n");
    c.push_str("int rivet_set_errno(int v) { errno = v; return -1; }\n");
    let (va_list, va_start, va_arg, va_end) = match conv {
        Conv::MsAbi => ("__builtin_ms_va_list", "__builtin_ms_va_start", "__builtin_va_arg", "__builtin_ms_va_end"),
        _ => ("va_list", "va_start", "va_arg", "va_end"),
    };
    for (i, sig) in sigs.iter().enumerate() {
        let _ = writeln!(c, "{} {{\n    uint64_t h = RV_SEED, g;", prototype(conv, i, sig));
        for (j, p) in sig.params.iter().enumerate() {
            let ty = types.parse_type(p, &[]).unwrap();
            for leaf in leaves_for(types, ty, target) {
                let _ = writeln!(c, "    {}", hash_stmt(&leaf, &format!("a{j}")));
            }
        }
        if sig.swift.context {
            c.push_str("    H_PTR(h, ctx);\n");
        }
        if sig.swift.error {
            c.push_str("    H_PTR(h, *err);\n");
        }
        if let Some(varargs) = &sig.varargs {
            let last = format!("a{}", sig.params.len() - 1);
            let _ = writeln!(c, "    {va_list} ap;\n    {va_start}(ap, {last});");
            for (k, v) in varargs.iter().enumerate() {
                let read = promoted(v);
                let _ = writeln!(c, "    {{ {read} v{k} = {va_arg}(ap, {read});");
                let ty = types.parse_type(read, &[]).unwrap();
                for leaf in leaves_for(types, ty, target) {
                    let _ = writeln!(c, "      {}", hash_stmt(&leaf, &format!("v{k}")));
                }
                c.push_str("    }\n");
            }
            let _ = writeln!(c, "    {va_end}(ap);");
        }
        c.push_str("    rivet_fixture_hash = h;\n    g = h;\n");
        if let Some(t) = &sig.swift.indirect {
            c.push_str("    memset(res, 0, sizeof *res);\n");
            let ty = types.parse_type(t, &[]).unwrap();
            for leaf in leaves_for(types, ty, target) {
                let _ = writeln!(c, "    {}", build_stmt(&leaf, "(*res)"));
            }
        }
        if sig.swift.error {
            c.push_str("    *err = (void *)(uintptr_t)(h * 3 + 1);\n");
        }
        if sig.ret != "void" {
            let _ = writeln!(c, "    {} r;\n    memset(&r, 0, sizeof r);", sig.ret);
            let ty = types.parse_type(&sig.ret, &[]).unwrap();
            for leaf in leaves_for(types, ty, target) {
                let _ = writeln!(c, "    {}", build_stmt(&leaf, "r"));
            }
            c.push_str("    return r;\n");
        } else {
            c.push_str("    (void)g;\n");
        }
        c.push_str("}\n");
    }
    c
}

/// The declarations rivet reads: the types and every prototype.
pub fn cdef(conv: Conv, sigs: &[Sig]) -> String {
    let mut out = type_definitions();
    out.push_str("int rivet_set_errno(int v);\n");
    for (i, sig) in sigs.iter().enumerate() {
        out.push_str(&prototype(conv, i, sig));
        out.push_str(";\n");
    }
    out
}
