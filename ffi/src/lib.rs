//! rivet-ffi: native interop, with no knowledge of the language.
//!
//! ```text
//! cdef text ──cdecl──▶ CTypeTable ──ctype::layout_of(Target)──▶ Layout
//!           ──abi::classify(sig, Abi)──▶ CallPlan ──jit──▶ stubs and trampolines
//! ```
//!
//! [`cdecl`] reads C declarations into a [`CTypeTable`], [`ctype`] lays types out for any
//! supported [`Target`], [`abi`] plans calls under a calling convention and [`jit`] turns a plan
//! into a call stub.
//!
//! ```
//! use rivet_ffi::{CTypeTable, Target};
//! let mut types = CTypeTable::new(Target::X86_64_LINUX);
//! types.cdef("struct point { int x, y; }; int abs(int);").unwrap();
//! let point = types.parse_type("struct point", &[]).unwrap();
//! let layout = types.layout(point, Target::I386_LINUX).unwrap();
//! assert_eq!((layout.size, layout.align), (8, 4));
//! let fnptr = types.parse_type("int (*)(int)", &[]).unwrap();
//! assert_eq!(types.render(fnptr), "int (*)(int)");
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod abi;
pub mod cdecl;
pub mod ctype;
mod error;
pub mod jit;
pub mod library;
mod target;

pub use cdecl::TypeParam;
pub use ctype::{CType, CTypeId, CTypeTable, Decl, Layout};
pub use error::{AbiError, CdeclError, JitError, LayoutError};
pub use target::{DataModel, Isa, Os, RecordDialect, Target};
