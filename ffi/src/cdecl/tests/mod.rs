//! Parser tests: every construct (types.rs, records.rs, constants.rs, attributes.rs), every
//! error message (errors.rs), and all-or-nothing cdefs (transactions.rs).

mod attributes;
mod constants;
mod errors;
mod records;
mod transactions;
mod types;

use crate::ctype::{ConstValue, Decl};
use crate::{CTypeTable, Layout, Target};

fn table() -> CTypeTable {
    CTypeTable::new(Target::X86_64_LINUX)
}

/// A table after a cdef that must succeed.
fn declared(src: &str) -> CTypeTable {
    let mut t = table();
    if let Err(e) = t.cdef(src) {
        panic!("cdef failed: {e}\n{src}");
    }
    t
}

/// The rendered error of a cdef that must fail.
fn cdef_error(src: &str) -> String {
    let mut t = table();
    match t.cdef(src) {
        Ok(()) => panic!("cdef succeeded but should fail:\n{src}"),
        Err(e) => e.to_string(),
    }
}

/// A type string rendered back as C.
fn render(t: &mut CTypeTable, ty: &str) -> String {
    match t.parse_type(ty, &[]) {
        Ok(id) => t.render(id),
        Err(e) => panic!("parse_type({ty:?}) failed: {e}"),
    }
}

fn layout(t: &mut CTypeTable, ty: &str, target: Target) -> Layout {
    let id = t.parse_type(ty, &[]).unwrap_or_else(|e| panic!("{ty}: {e}"));
    t.layout(id, target).unwrap_or_else(|e| panic!("{ty}: {e}"))
}

/// (size, align) of a type string on x86-64 Linux.
fn size_align(t: &mut CTypeTable, ty: &str) -> (u64, u32) {
    let l = layout(t, ty, Target::X86_64_LINUX);
    (l.size, l.align)
}

/// The integer value of a named constant.
fn int_const(t: &CTypeTable, name: &str) -> i128 {
    match t.lookup(name) {
        Some(Decl::Constant(c)) => match c.value {
            ConstValue::Int(v) => v,
            ref other => panic!("{name} is {other:?}"),
        },
        other => panic!("{name} is {other:?}"),
    }
}

/// Offsets of the named members of a record type string on a target.
fn offsets(t: &mut CTypeTable, ty: &str, target: Target) -> Vec<(String, u64)> {
    layout(t, ty, target).fields.iter().map(|f| (f.name.as_deref().unwrap_or("").to_string(), f.offset)).collect()
}
