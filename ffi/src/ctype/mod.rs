//! The C type system: the type table ([`CTypeTable`], [`CTypeId`], [`CType`]), what names
//! refer to ([`Decl`]), layouts per target ([`layout_of`], [`Layout`]), member lookup and C
//! rendering. Knows nothing of C syntax (that is `cdecl`) nor of calling conventions.
#![forbid(unsafe_code)]

mod builtins;
mod decl;
mod display;
mod fields;
pub mod layout;
mod table;
mod types;

pub use decl::{ConstValue, ConstantDecl, Decl, FunctionDecl, VariableDecl};
pub use fields::MemberRef;
pub use layout::scalar::{enum_repr, int_repr, IntRepr};
pub use layout::{layout_of, BitfieldLayout, FieldLayout, Layout, VarTail};
pub use table::CTypeTable;
pub use types::{
    ArrayLen, CType, CTypeId, CallConv, EnumBody, EnumType, Field, FloatKind, FuncType, IntKind, ParamAttr, Quals,
    Record, RecordAttrs, RecordBody, RecordKind,
};

impl CTypeTable {
    /// The layout of `id` on `target`; see [`layout_of`].
    pub fn layout(&self, id: CTypeId, target: crate::Target) -> Result<Layout, crate::LayoutError> {
        layout_of(self, id, target)
    }
}
