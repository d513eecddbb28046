//! rivet-ffi: native interop, with no knowledge of the language.
//!
//! ```text
//! cdef text ──cdecl──▶ CTypeTable ──ctype::layout(Target)──▶ Layout
//!           ──abi::classify(sig, Abi)──▶ CallPlan ──jit──▶ stubs and trampolines
//! ```
//! (Being built: see the ffi issues.)
#![deny(unsafe_op_in_unsafe_fn)]
