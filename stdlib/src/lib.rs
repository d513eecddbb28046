//! rivet-stdlib: the Lua 5.4 standard libraries and the `ffi` module; the only place where a
//! Lua value meets a C value.
#![deny(unsafe_op_in_unsafe_fn)]

pub mod base;
pub mod coroutine;
pub mod string;

use rivet_lang::Lua;

/// Opens every standard library into the runtime's globals.
pub fn open_all(lua: &mut Lua) {
    base::open(lua);
    coroutine::open(lua);
    string::open(lua);
}
