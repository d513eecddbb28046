//! The virtual machine: values, the objects of the heap (strings, tables, closures,
//! userdata, threads), the dispatch loop and everything it falls back to.

pub mod api;
pub mod arith;
pub mod call;
pub mod cdata_hooks;
pub mod closure;
pub mod collect;
pub mod coroutine;
pub mod debuginfo;
pub mod error;
pub mod execute;
pub mod forloop;
pub mod hook;
pub mod inspect;
pub mod load;
pub mod metamethod;
pub mod ops;
pub mod state;
pub mod string;
pub mod table;
pub mod thread;
pub mod traceback;
pub mod userdata;
pub mod value;

pub use error::{LuaError, LuaResult};
pub use state::Lua;
pub use value::{LuaType, Value};
