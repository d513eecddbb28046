//! rivet-stdlib: the Lua 5.4 standard libraries and the `ffi` module; the only place where a
//! Lua value meets a C value.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod base;
pub mod bit;
pub mod coroutine;
pub mod debug;
pub mod ffi;
pub mod io;
pub mod luajit;
pub mod math;
pub mod os;
pub mod package;
pub mod rivet;
pub mod string;
pub mod table;
pub mod utf8;

use rivet_lang::Lua;

/// Opens every standard library into the runtime's globals (`package` last: it registers
/// the others in `package.loaded`).
pub fn open_all(lua: &mut Lua) {
    base::open(lua);
    coroutine::open(lua);
    string::open(lua);
    table::open(lua);
    math::open(lua);
    utf8::open(lua);
    io::open(lua);
    os::open(lua);
    ffi::open(lua);
    rivet::open(lua);
    bit::open(lua);
    debug::open(lua);
    // Last: it registers every library opened before it in package.loaded.
    package::open(lua);
    // After the libraries it extends.
    luajit::open(lua);
}
