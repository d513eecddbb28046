//! When two declarations of one name agree: the same type, where integer types of equal size
//! and signedness on the table's target count as the same (`size_t` and `unsigned long` on
//! LP64), and anonymous structs, unions and enums compare by their members (a repeated cdef
//! defines them anew).

use super::parser::Parser;
use crate::ctype::{int_repr, CType, CTypeId, ConstValue, Decl, Field, RecordBody};

impl Parser<'_> {
    pub fn same_decl(&self, old: &Decl, new: &Decl) -> bool {
        match (old, new) {
            (Decl::Typedef(a), Decl::Typedef(b)) => self.same_type(*a, *b),
            (Decl::Function(a), Decl::Function(b)) => self.same_type(a.ty, b.ty) && a.asm_name == b.asm_name,
            (Decl::Variable(a), Decl::Variable(b)) => self.same_type(a.ty, b.ty) && a.asm_name == b.asm_name,
            (Decl::Constant(a), Decl::Constant(b)) => {
                let same_value = match (&a.value, &b.value) {
                    (ConstValue::Float(x), ConstValue::Float(y)) => x.to_bits() == y.to_bits(),
                    (x, y) => x == y,
                };
                same_value && self.same_type(a.ty, b.ty)
            }
            _ => false,
        }
    }

    pub fn same_type(&self, a: CTypeId, b: CTypeId) -> bool {
        if a == b {
            return true;
        }
        let target = self.table.target();
        match (self.table.get(a), self.table.get(b)) {
            (CType::Int(x), CType::Int(y)) => {
                // Plain char stays distinct from signed and unsigned char, as in C.
                let plain = |k| k == crate::ctype::IntKind::Char;
                plain(*x) == plain(*y) && int_repr(*x, target) == int_repr(*y, target)
            }
            (CType::Pointer(x), CType::Pointer(y)) => self.same_type(*x, *y),
            (CType::Qualified { base: x, quals: qx }, CType::Qualified { base: y, quals: qy }) => {
                qx == qy && self.same_type(*x, *y)
            }
            (CType::Array { elem: x, len: lx }, CType::Array { elem: y, len: ly }) => {
                lx == ly && self.same_type(*x, *y)
            }
            (CType::Func(f), CType::Func(g)) => {
                f.variadic == g.variadic
                    && f.conv == g.conv
                    && f.param_attrs == g.param_attrs
                    && f.params.len() == g.params.len()
                    && self.same_type(f.ret, g.ret)
                    && f.params.iter().zip(&g.params).all(|(x, y)| self.same_type(*x, *y))
            }
            (CType::Record(r), CType::Record(s)) => {
                r.tag.is_none()
                    && s.tag.is_none()
                    && r.kind == s.kind
                    && match (&r.body, &s.body) {
                        (Some(x), Some(y)) => self.same_record_body(x, y),
                        _ => false,
                    }
            }
            (CType::Enum(e), CType::Enum(f)) => e.tag.is_none() && f.tag.is_none() && e.body == f.body,
            _ => false,
        }
    }

    pub fn same_record_body(&self, a: &RecordBody, b: &RecordBody) -> bool {
        a.attrs == b.attrs
            && a.fields.len() == b.fields.len()
            && a.fields.iter().zip(&b.fields).all(|(x, y)| self.same_field(x, y))
    }

    fn same_field(&self, a: &Field, b: &Field) -> bool {
        a.name == b.name && a.bits == b.bits && a.align == b.align && a.packed == b.packed && self.same_type(a.ty, b.ty)
    }
}
