//! What the binding needs to know about a C type on the host, computed once per type and
//! cached: its size and alignment, how a value of it is loaded and stored ([`Shape`]), and for
//! structs and unions a member table searched by the precomputed hash of a Lua string, so
//! that `s.x` costs no string hashing and no layout computation.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::rc::Rc;

use rivet_ffi::ctype::{enum_repr, int_repr, ArrayLen, CType, CTypeId, FloatKind, IntKind, RecordKind, VarTail};
use rivet_ffi::{CTypeTable, Target};
use rivet_lang::vm::string::LuaStr;

/// A number type as memory holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl Scalar {
    pub fn size(self) -> usize {
        match self {
            Scalar::Bool | Scalar::I8 | Scalar::U8 => 1,
            Scalar::I16 | Scalar::U16 => 2,
            Scalar::I32 | Scalar::U32 | Scalar::F32 => 4,
            Scalar::I64 | Scalar::U64 | Scalar::F64 => 8,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }

    /// The integer scalar of `size` bytes and the given signedness.
    pub fn int(size: u32, signed: bool) -> Scalar {
        match (size, signed) {
            (1, true) => Scalar::I8,
            (1, false) => Scalar::U8,
            (2, true) => Scalar::I16,
            (2, false) => Scalar::U16,
            (4, true) => Scalar::I32,
            (4, false) => Scalar::U32,
            (8, true) => Scalar::I64,
            _ => Scalar::U64,
        }
    }

    pub fn is_signed(self) -> bool {
        matches!(self, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64)
    }
}

/// How values of a type are accessed.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    Void,
    /// Integers, floats and `bool`.
    Scalar(Scalar),
    /// An enumeration: stored as its integer representation; Lua strings naming one of its
    /// constants convert to that constant.
    Enum(Scalar),
    /// `long double`, which has no Lua counterpart (as in LuaJIT, conversions are refused).
    LongDouble,
    /// `complex float` (`F32`) or `complex double` (`F64`).
    Complex(Scalar),
    /// `elem_*`: the pointee's size (0 when unknown), for numbers how to access them, and
    /// whether the pointee is const.
    Pointer {
        target: CTypeId,
        elem_size: u64,
        elem_scalar: Option<Scalar>,
        elem_const: bool,
    },
    Array {
        elem: CTypeId,
        len: ArrayLen,
        elem_size: u64,
        elem_scalar: Option<Scalar>,
    },
    Record(Rc<RecordInfo>),
    Func,
    /// `va_list` and incomplete structs, unions and enums: no access at all.
    Opaque,
}

/// A type's cached description.
#[derive(Clone, Debug)]
pub(crate) struct TypeInfo {
    /// `None` when the size is unknown (void, functions, incomplete types).
    pub size: Option<u64>,
    pub align: u32,
    /// The type without top-level qualifiers (for arrays: with its elements' qualifiers).
    pub unqualified: CTypeId,
    /// A `const` object: no writes.
    pub is_const: bool,
    pub shape: Shape,
    /// The layout's variable-length tail (for `size_with`).
    tail: Option<VarTail>,
    /// `T[?]` or a struct ending in one (LuaJIT's VLA/VLS: `ffi.new` needs a count). Flexible
    /// `T[]` members do not count: C sizes their structs without them.
    pub is_variable: bool,
    /// For a function type or a pointer to one: the type prepared for calls (on first call).
    pub callable: std::cell::OnceCell<Rc<super::callable::Callable>>,
}

impl TypeInfo {
    /// Size of an object with `count` trailing elements (`Layout::size_with`); for types
    /// without a variable tail, the size.
    pub fn size_with(&self, count: u64) -> Option<u64> {
        let size = self.size?;
        let Some(tail) = self.tail else { return Some(size) };
        let end = tail.elem_size.checked_mul(count)?.checked_add(tail.offset)?;
        let align = u64::from(self.align.max(1));
        let end = end.checked_add(align - 1)? / align * align;
        Some(end.max(size))
    }
}

/// A member of a struct or union as the binding sees it: the members of anonymous members
/// are lifted into their parent, offsets are from the start of the outermost record.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub name: Box<[u8]>,
    hash: u64,
    pub ty: CTypeId,
    pub offset: u64,
    /// For a bit-field: its first bit (from the start of the record) and its width.
    pub bits: Option<(u64, u32)>,
    /// How the member is accessed when it is a number (and not a bit-field).
    pub scalar: Option<Scalar>,
    /// A const member.
    pub is_const: bool,
}

/// An initializer slot: the members a flat or positional initializer fills, in order.
/// A union (also an anonymous one inside a struct) takes only its first member.
#[derive(Clone, Debug)]
pub(crate) enum InitSlot {
    Member(usize),
    Union(Vec<InitSlot>),
}

/// The members of a struct or union.
#[derive(Clone, Debug)]
pub(crate) struct RecordInfo {
    pub kind: RecordKind,
    pub members: Vec<Member>,
    /// Where each positional initializer goes.
    pub init_order: Vec<InitSlot>,
    /// Member indices by name hash, for records too large for a linear scan.
    by_hash: Option<HashMap<u64, Vec<u32>>>,
}

/// Equality of short byte strings (member names) without a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Records with more members than this get a hash index.
const LINEAR_SCAN_MAX: usize = 12;

impl RecordInfo {
    /// The member a Lua string names.
    #[inline]
    pub fn find(&self, key: &LuaStr) -> Option<&Member> {
        let hash = key.hash();
        let bytes = key.as_bytes();
        match &self.by_hash {
            None => self.members.iter().find(|m| m.hash == hash && same_bytes(&m.name, bytes)),
            Some(index) => {
                index.get(&hash)?.iter().map(|&i| &self.members[i as usize]).find(|m| same_bytes(&m.name, bytes))
            }
        }
    }

    /// The member with this name.
    #[cfg(test)]
    pub fn find_name(&self, name: &[u8]) -> Option<&Member> {
        self.members.iter().find(|m| &*m.name == name)
    }
}

/// Computes the description of `id` on `host`.
pub(crate) fn describe(types: &CTypeTable, id: CTypeId, host: Target) -> TypeInfo {
    let (unqualified, quals) = types.unqualified(id);
    let layout = types.layout(id, host).ok();
    let size = layout.as_ref().map(|l| l.size);
    let align = layout.as_ref().map_or(1, |l| l.align);
    let tail = layout.as_ref().and_then(|l| l.tail);
    let mut is_const = quals.is_const;
    let shape = match types.get(unqualified) {
        CType::Void => Shape::Void,
        CType::Bool => Shape::Scalar(Scalar::Bool),
        CType::Int(kind) => Shape::Scalar(int_scalar(*kind, host)),
        CType::Float(FloatKind::Float) => Shape::Scalar(Scalar::F32),
        CType::Float(FloatKind::Double) => Shape::Scalar(Scalar::F64),
        CType::Float(FloatKind::LongDouble) => long_double_shape(host),
        CType::Complex(FloatKind::Float) => Shape::Complex(Scalar::F32),
        CType::Complex(FloatKind::Double) => Shape::Complex(Scalar::F64),
        CType::Complex(FloatKind::LongDouble) => Shape::Opaque,
        CType::VaList => Shape::Opaque,
        CType::Pointer(target) => Shape::Pointer {
            target: *target,
            elem_size: types.layout(*target, host).map_or(0, |l| l.size),
            elem_scalar: scalar_of(types, *target, host),
            elem_const: is_const_object(types, *target),
        },
        CType::Qualified { .. } => unreachable!("unqualified() strips qualifiers"),
        CType::Array { elem, len } => {
            // An array of const elements is itself unwritable.
            is_const |= types.unqualified(*elem).1.is_const;
            let elem_size = types.layout(*elem, host).map_or(0, |l| l.size);
            Shape::Array { elem: *elem, len: *len, elem_size, elem_scalar: scalar_of(types, *elem, host) }
        }
        CType::Func(_) => Shape::Func,
        CType::Enum(e) => match &e.body {
            Some(body) => {
                let kind = enum_repr(body, host);
                Shape::Enum(int_scalar(kind, host))
            }
            None => Shape::Opaque,
        },
        CType::Record(r) => match (&r.body, &layout) {
            (Some(_), Some(_)) => Shape::Record(Rc::new(record_info(types, unqualified, r.kind, host))),
            _ => Shape::Opaque,
        },
    };
    let is_variable = is_variable(types, unqualified);
    // `T[]` on its own has no size (in a struct it is a flexible member and adds none).
    let size = if matches!(types.get(unqualified), CType::Array { len: ArrayLen::Flexible, .. }) { None } else { size };
    TypeInfo { size, align, unqualified, is_const, shape, tail, is_variable, callable: Default::default() }
}

/// Whether `id` is `T[?]` or a struct whose last member is one (at any depth).
fn is_variable(types: &CTypeTable, id: CTypeId) -> bool {
    let (id, _) = types.unqualified(id);
    match types.get(id) {
        CType::Array { len: ArrayLen::Variable, .. } => true,
        CType::Record(r) if r.kind == RecordKind::Struct => {
            r.body.as_ref().and_then(|b| b.fields.last()).is_some_and(|f| f.bits.is_none() && is_variable(types, f.ty))
        }
        _ => false,
    }
}

/// Whether objects of type `id` are const (for arrays: their elements).
fn is_const_object(types: &CTypeTable, id: CTypeId) -> bool {
    let (base, quals) = types.unqualified(id);
    quals.is_const
        || match types.get(base) {
            CType::Array { elem, .. } => is_const_object(types, *elem),
            _ => false,
        }
}

/// How a number type is accessed (`None` for other types).
fn scalar_of(types: &CTypeTable, id: CTypeId, host: Target) -> Option<Scalar> {
    match types.get(types.unqualified(id).0) {
        CType::Bool => Some(Scalar::Bool),
        CType::Int(kind) => Some(int_scalar(*kind, host)),
        CType::Float(FloatKind::Float) => Some(Scalar::F32),
        CType::Float(FloatKind::Double) => Some(Scalar::F64),
        CType::Enum(e) => e.body.as_ref().map(|b| int_scalar(enum_repr(b, host), host)),
        _ => None,
    }
}

fn int_scalar(kind: IntKind, host: Target) -> Scalar {
    let repr = int_repr(kind, host);
    Scalar::int(repr.size, repr.signed)
}

/// `long double` where it is just `double` (Windows, Apple arm64) is accessed as one.
fn long_double_shape(host: Target) -> Shape {
    match rivet_ffi::ctype::layout::scalar::float_layout(FloatKind::LongDouble, host) {
        (8, _) => Shape::Scalar(Scalar::F64),
        _ => Shape::LongDouble,
    }
}

fn record_info(types: &CTypeTable, id: CTypeId, kind: RecordKind, host: Target) -> RecordInfo {
    let mut members = Vec::new();
    let mut init_order = Vec::new();
    collect_members(types, id, 0, host, &mut members, &mut init_order);
    let by_hash = (members.len() > LINEAR_SCAN_MAX).then(|| {
        let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            index.entry(m.hash).or_default().push(i as u32);
        }
        index
    });
    RecordInfo { kind, members, init_order, by_hash }
}

/// Adds the named members of record `id` (placed at `base`) to `out`, lifting the members of
/// anonymous struct and union members; `order` gets the initializer slots.
fn collect_members(
    types: &CTypeTable,
    id: CTypeId,
    base: u64,
    host: Target,
    out: &mut Vec<Member>,
    order: &mut Vec<InitSlot>,
) {
    let Ok(layout) = types.layout(id, host) else { return };
    let mut slots = Vec::new();
    for field in &layout.fields {
        match (&field.name, field.bitfield) {
            (Some(name), bits) => {
                let name: Box<[u8]> = name.as_bytes().into();
                let hash = LuaStr::hash_bytes(&name);
                slots.push(InitSlot::Member(out.len()));
                out.push(Member {
                    name,
                    hash,
                    ty: field.ty,
                    offset: base + field.offset,
                    bits: bits.map(|b| (base * 8 + b.bit_offset, b.width)),
                    scalar: if bits.is_some() { None } else { scalar_of(types, field.ty, host) },
                    is_const: is_const_object(types, field.ty),
                });
            }
            (None, None) => {
                // An anonymous struct or union member.
                let mut inner = Vec::new();
                collect_members(types, field.ty, base + field.offset, host, out, &mut inner);
                let inner_is_union =
                    matches!(types.get(types.unqualified(field.ty).0), CType::Record(r) if r.kind == RecordKind::Union);
                if inner_is_union {
                    slots.push(InitSlot::Union(inner));
                } else {
                    slots.extend(inner);
                }
            }
            (None, Some(_)) => {} // unnamed bit-fields are padding
        }
    }
    order.extend(slots);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CTypeTable {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef(
            "struct p { int x; union { int i; float f; }; struct { char a, b; }; int bf : 3; int : 0; unsigned u : 5; };",
        )
        .unwrap();
        t
    }

    #[test]
    fn members_are_lifted_from_anonymous_members() {
        let mut t = table();
        let id = t.parse_type("struct p", &[]).unwrap();
        let info = describe(&t, id, Target::X86_64_LINUX);
        let Shape::Record(r) = &info.shape else { panic!("record expected") };
        let names: Vec<_> = r.members.iter().map(|m| String::from_utf8_lossy(&m.name).into_owned()).collect();
        assert_eq!(names, ["x", "i", "f", "a", "b", "bf", "u"]);
        assert_eq!(r.find_name(b"f").unwrap().offset, 4);
        assert_eq!(r.find_name(b"b").unwrap().offset, 9);
        assert_eq!(r.find_name(b"bf").unwrap().bits, Some((80, 3)));
        // The anonymous union takes one positional initializer.
        assert_eq!(r.init_order.len(), 6);
        assert!(matches!(&r.init_order[1], InitSlot::Union(v) if v.len() == 2));
    }

    #[test]
    fn large_records_are_found_through_the_hash_index() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let fields: String = (0..40).map(|i| format!("int f{i};")).collect();
        t.cdef(&format!("struct big {{ {fields} }};")).unwrap();
        let id = t.parse_type("struct big", &[]).unwrap();
        let info = describe(&t, id, Target::X86_64_LINUX);
        let Shape::Record(r) = &info.shape else { panic!("record expected") };
        assert!(r.by_hash.is_some());
        assert_eq!(r.find_name(b"f39").unwrap().offset, 156);
    }

    #[test]
    fn variable_types() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef("struct v { int n; double d[?]; }; struct f { int n; int a[]; };").unwrap();
        for (ty, variable) in [("int[?]", true), ("struct v", true), ("struct f", false), ("int[3]", false)] {
            let id = t.parse_type(ty, &[]).unwrap();
            assert_eq!(describe(&t, id, Target::X86_64_LINUX).is_variable, variable, "{ty}");
        }
    }
}
