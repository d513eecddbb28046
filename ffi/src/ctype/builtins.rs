//! The typedef names every table knows before any cdef: the `<stdint.h>`, `<stddef.h>` and
//! `<stdarg.h>` names LuaJIT predefines, and a few more. One table, read by
//! [`CTypeTable::new`](super::CTypeTable::new).
//!
//! Fixed-width names map to the C type of that width on every supported target; the
//! pointer-sized and `wchar_t` names are kinds of their own because their width depends on
//! the target.

use super::types::{CType, IntKind};

pub(super) const BUILTIN_TYPEDEFS: &[(&str, CType)] = &[
    ("int8_t", CType::Int(IntKind::SChar)),
    ("uint8_t", CType::Int(IntKind::UChar)),
    ("int16_t", CType::Int(IntKind::Short)),
    ("uint16_t", CType::Int(IntKind::UShort)),
    ("int32_t", CType::Int(IntKind::Int)),
    ("uint32_t", CType::Int(IntKind::UInt)),
    ("int64_t", CType::Int(IntKind::LongLong)),
    ("uint64_t", CType::Int(IntKind::ULongLong)),
    ("intmax_t", CType::Int(IntKind::LongLong)),
    ("uintmax_t", CType::Int(IntKind::ULongLong)),
    ("size_t", CType::Int(IntKind::Size)),
    ("ssize_t", CType::Int(IntKind::SSize)),
    ("ptrdiff_t", CType::Int(IntKind::PtrDiff)),
    ("intptr_t", CType::Int(IntKind::IntPtr)),
    ("uintptr_t", CType::Int(IntKind::UIntPtr)),
    ("wchar_t", CType::Int(IntKind::WChar)),
    ("va_list", CType::VaList),
    ("__builtin_va_list", CType::VaList),
    ("__gnuc_va_list", CType::VaList),
];
