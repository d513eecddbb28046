//! When one C pointer type converts implicitly to another: the rules of LuaJIT's
//! `lj_cconv_compatptr`, used by assignments, calls and comparisons.
#![forbid(unsafe_code)]

use rivet_ffi::ctype::CType;
use rivet_ffi::CTypeId;

use super::state::FfiState;
use super::typeinfo::{Scalar, Shape};

impl FfiState {
    /// Whether a pointer of type `from` converts implicitly to one of type `to` (LuaJIT's
    /// `lj_cconv_compatptr`: qualifiers may be added, not dropped; `void *` matches any
    /// object pointer; pointee types must agree in kind and size).
    pub fn compatible_pointers(&self, to: CTypeId, from: CTypeId) -> bool {
        let (Some(d), Some(s)) = (self.element_of(to), self.element_of(from)) else { return false };
        self.compatible_pointee(d, s, false, false)
    }

    /// The pointee rule behind [`FfiState::compatible_pointers`]. `same_quals`: qualifiers must be
    /// equal (one level down); `ignore_quals`: they do not matter (`ffi.istype`, comparisons).
    pub fn compatible_pointee(&self, d: CTypeId, s: CTypeId, same_quals: bool, ignore_quals: bool) -> bool {
        let types = self.types();
        let (db, dq) = types.unqualified(d);
        let (sb, sq) = types.unqualified(s);
        if same_quals {
            if dq != sq {
                return false;
            }
        } else if !ignore_quals {
            if (sq.is_const && !dq.is_const) || (sq.is_volatile && !dq.is_volatile) {
                return false;
            }
            if matches!(types.get(db), CType::Void) || matches!(types.get(sb), CType::Void) {
                return true;
            }
        }
        if db == sb {
            return true;
        }
        drop(types);
        let (di, si) = (self.info(db), self.info(sb));
        match (&di.shape, &si.shape) {
            (Shape::Scalar(a) | Shape::Enum(a), Shape::Scalar(b) | Shape::Enum(b)) => {
                a.size() == b.size() && a.is_float() == b.is_float() && (*a == Scalar::Bool) == (*b == Scalar::Bool)
            }
            (Shape::Pointer { target: a, .. }, Shape::Pointer { target: b, .. }) => {
                self.compatible_pointee(*a, *b, true, ignore_quals)
            }
            (Shape::Array { elem: a, .. }, Shape::Array { elem: b, .. }) => {
                di.size == si.size && self.compatible_pointee(*a, *b, true, ignore_quals)
            }
            (Shape::Complex(a), Shape::Complex(b)) => a == b,
            (Shape::Func, Shape::Func) => true,
            (Shape::Void, Shape::Void) => true,
            _ => false,
        }
    }
}
