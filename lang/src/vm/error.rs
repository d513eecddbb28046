//! Lua errors as Rust values.
//!
//! A Lua error travels as `Err(LuaError)` up the Rust stack until a protected call catches
//! it. The call frames (`CallInfo`s) are *not* popped while it travels: the catcher finds them
//! intact, which is what lets `xpcall`'s message handler and tracebacks see the frames of the
//! point where the error was raised.

use super::value::Value;

#[derive(Clone, Debug)]
pub struct LuaError {
    /// The error object (any Lua value; usually a string `chunk:line: message`).
    pub value: Value,
    /// Filled by the standalone interpreter's message handler, not by the VM.
    pub traceback: Option<String>,
    /// Set when the error is "C stack overflow"/"error in error handling" family, so handlers
    /// are not called again for it (Lua's LUA_ERRERR).
    pub kind: ErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Runtime,
    /// Error while running a message handler.
    Handler,
    /// Memory could not be allocated (stack limit).
    Memory,
}

impl LuaError {
    pub fn new(value: Value) -> LuaError {
        LuaError { value, traceback: None, kind: ErrorKind::Runtime }
    }
}

pub type LuaResult<T> = Result<T, LuaError>;
