//! The scalars of a value, found through rivet's own type table and layouts (which the layout
//! tests check against the compilers): each with its C access path, for the generated C, and
//! its offset and kind, for the bytes the test writes and reads.

use rivet_ffi::ctype::{enum_repr, int_repr, ArrayLen, FloatKind, RecordKind};
use rivet_ffi::{CType, CTypeId, CTypeTable, Target};

/// How a scalar is generated, stored and hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int {
        size: u32,
        signed: bool,
    },
    Bool,
    Ptr,
    F32,
    F64,
    /// x87 extended: 10 significant bytes.
    F80,
    /// IEEE binary128 (`long double` on AArch64 Linux).
    F128,
    /// A bit-field: `width` bits from bit `bit_offset` of the value.
    Bits {
        width: u32,
        signed: bool,
        bit_offset: u64,
    },
}

/// One scalar of a value.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// C expression with `$` standing for the value (`$.a[2]`, `__real__ ($)`).
    pub path: String,
    /// Byte offset in the value (for bit-fields, see `Kind::Bits`).
    pub offset: u64,
    pub kind: Kind,
}

impl Leaf {
    pub fn expr(&self, value: &str) -> String {
        self.path.replace('$', value)
    }
}

pub const TARGET: Target = Target::X86_64_LINUX;

/// The scalars of a value of type `ty`, in declaration order.
pub fn leaves(types: &CTypeTable, ty: CTypeId) -> Vec<Leaf> {
    leaves_for(types, ty, TARGET)
}

/// The scalars of a value of type `ty` laid out for `target`.
pub fn leaves_for(types: &CTypeTable, ty: CTypeId, target: Target) -> Vec<Leaf> {
    let mut out = Vec::new();
    walk(types, ty, "$".to_string(), 0, target, &mut out);
    out
}

fn float_kind(kind: FloatKind, target: Target) -> Kind {
    match kind {
        FloatKind::Float => Kind::F32,
        FloatKind::Double => Kind::F64,
        FloatKind::LongDouble if target == Target::AARCH64_LINUX => Kind::F128,
        FloatKind::LongDouble if target.isa == rivet_ffi::Isa::Aarch64 || target.os == rivet_ffi::Os::Windows => {
            Kind::F64
        }
        FloatKind::LongDouble => Kind::F80,
    }
}

fn walk(types: &CTypeTable, ty: CTypeId, path: String, offset: u64, target: Target, out: &mut Vec<Leaf>) {
    let (ty, _) = types.unqualified(ty);
    let mut leaf = |kind| out.push(Leaf { path: path.clone(), offset, kind });
    match types.get(ty) {
        CType::Bool => leaf(Kind::Bool),
        CType::Int(kind) => {
            let r = int_repr(*kind, target);
            leaf(Kind::Int { size: r.size, signed: r.signed })
        }
        CType::Enum(e) => {
            let r = int_repr(enum_repr(e.body.as_ref().expect("complete enum"), target), target);
            leaf(Kind::Int { size: r.size, signed: r.signed })
        }
        CType::Pointer(_) => leaf(Kind::Ptr),
        CType::Float(k) => leaf(float_kind(*k, target)),
        CType::Complex(k) => {
            let half = types.layout(ty, target).unwrap().size / 2;
            out.push(Leaf { path: format!("__real__ ({path})"), offset, kind: float_kind(*k, target) });
            out.push(Leaf { path: format!("__imag__ ({path})"), offset: offset + half, kind: float_kind(*k, target) });
        }
        CType::Array { elem, len: ArrayLen::Fixed(n) } => {
            let size = types.layout(*elem, target).unwrap().size;
            for i in 0..*n {
                walk(types, *elem, format!("{path}[{i}]"), offset + i * size, target, out);
            }
        }
        CType::Record(record) => {
            let layout = types.layout(ty, target).unwrap();
            // A union's members share their bytes: its first member (the largest in the
            // matrix) stands for it.
            let count = if record.kind == RecordKind::Union { 1 } else { layout.fields.len() };
            for field in &layout.fields[..count] {
                let Some(name) = &field.name else { continue };
                let fpath = format!("{path}.{name}");
                match field.bitfield {
                    Some(bits) => {
                        let signed = match types.get(types.unqualified(field.ty).0) {
                            CType::Int(k) => int_repr(*k, target).signed,
                            CType::Bool => false,
                            other => panic!("bit-field of {other:?}"),
                        };
                        out.push(Leaf {
                            path: fpath,
                            offset: offset + bits.bit_offset / 8,
                            kind: Kind::Bits { width: bits.width, signed, bit_offset: offset * 8 + bits.bit_offset },
                        });
                    }
                    None => walk(types, field.ty, fpath, offset + field.offset, target, out),
                }
            }
        }
        other => panic!("no leaves for {other:?}"),
    }
}
