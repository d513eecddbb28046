//! rivet-stdlib: the Lua 5.4 standard libraries and the `ffi` module; the only place where a
//! Lua value meets a C value.
#![deny(unsafe_op_in_unsafe_fn)]
