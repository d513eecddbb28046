//! The `ffi` module: LuaJIT's FFI library on Lua 5.4 — C declarations (`ffi.cdef`), cdata
//! values (C objects owned by the GC) and their conversions to and from Lua values. This is
//! the only place where a Lua value meets a C value: `rivet-lang` knows nothing of C and
//! `rivet-ffi` (types, layouts) nothing of Lua.
//!
//! ```text
//! ffi.new("struct point", 1, 2) ──args──▶ CTypeId ──typeinfo (cached per type)──▶ size, shape
//!    ──cdata::CData (owned bytes) in a userdata with the shared metatable──▶ script
//! p.x ──__index (index.rs)──▶ member by name hash ──cdata::Place::load──▶ Lua number
//! ```
//!
//! `require("ffi")` returns the module; `ffi` is not a global, as in LuaJIT. Each runtime has
//! its own type table (in the runtime's extension slots) and its own GC roots (upvalues of
//! every ffi function). C functions reached through `ffi.C` or `ffi.load` are called through
//! JIT-compiled stubs (`call.rs`).

mod anchor;
mod args;
mod call;
mod callable;
mod callback;
mod cdata;
mod clib;
mod compiled_callback;
mod compat;
mod convert;
mod create;
mod index;
mod init;
mod int64;
mod layout;
mod memory;
mod metatype;
mod native_entry;
mod ops;
mod plan;
mod query;
mod state;
mod tostring;
mod typeinfo;

pub(crate) use cdata::{f64_to_i64 as float_to_i64, f64_to_u64 as float_to_u64};
pub use clib::declared_symbols;
pub use int64::{box_int64, boxed_int64_bits, cdata_int64};
pub use ops::cdata_to_number;
pub use state::is_cdata;

use rivet_ffi::{Isa, Os, Target};
use rivet_lang::vm::closure::NativeFn;
use rivet_lang::{Lua, LuaResult, Value};

use state::Roots;

/// Registers the `ffi` module in `package.loaded` (the registry's `_LOADED`), so that
/// `require("ffi")` finds it. Hosts rivet has no layout rules for get no `ffi`.
pub fn open(lua: &mut Lua) {
    let Some(host) = Target::host() else { return };
    let roots = Roots::create(lua);
    fill_cdata_metatable(lua, &roots);

    let module = lua.new_table();
    let functions: &[(&str, &'static str, NativeFn)] = &[
        ("cdef", "ffi.cdef", ffi_cdef),
        ("new", "ffi.new", create::ffi_new),
        ("cast", "ffi.cast", create::ffi_cast),
        ("typeof", "ffi.typeof", create::ffi_typeof),
        ("metatype", "ffi.metatype", metatype::ffi_metatype),
        ("gc", "ffi.gc", create::ffi_gc),
        ("sizeof", "ffi.sizeof", query::ffi_sizeof),
        ("alignof", "ffi.alignof", query::ffi_alignof),
        ("offsetof", "ffi.offsetof", query::ffi_offsetof),
        ("istype", "ffi.istype", query::ffi_istype),
        ("string", "ffi.string", memory::ffi_string),
        ("copy", "ffi.copy", memory::ffi_copy),
        ("fill", "ffi.fill", memory::ffi_fill),
        ("abi", "ffi.abi", ffi_abi),
        ("errno", "ffi.errno", ffi_errno),
        ("layout", "ffi.layout", layout::ffi_layout),
        ("load", "ffi.load", clib::ffi_load),
        ("plan", "ffi.plan", plan::ffi_plan),
    ];
    for &(key, name, f) in functions {
        let v = lua.new_native_with_upvalues(name, f, roots.upvalues());
        lua.set_field(module, key, v);
    }
    let os = lua.str_value(os_name(host));
    lua.set_field(module, "os", os);
    let arch = lua.str_value(arch_name(host));
    lua.set_field(module, "arch", arch);
    let c = clib::new_namespace(lua, &roots, rivet_ffi::library::Library::this(), "ffi.C");
    lua.set_field(module, "C", Value::Table(c));

    // `123LL`, `123ULL` and `12.5i` literals, and `cdata == number` / `ptr == nil`.
    let maker = lua.new_native_with_upvalues("cdata literal", int64::make_literal, roots.upvalues());
    int64::install_literal_hook(lua, maker);
    lua.set_mixed_eq_metatable(roots.cdata_mt);

    let loaded = crate::package::loaded_table(lua);
    lua.set_field(loaded, "ffi", Value::Table(module));
}

/// The metamethods every cdata shares.
fn fill_cdata_metatable(lua: &mut Lua, roots: &Roots) {
    let mt = roots.cdata_mt;
    let mut methods: Vec<(&str, NativeFn)> = vec![
        ("__index", index::cdata_index),
        ("__newindex", index::cdata_newindex),
        ("__tostring", tostring::cdata_tostring),
        ("__eq", ops::cdata_eq),
        ("__lt", ops::cdata_lt),
        ("__le", ops::cdata_le),
        ("__concat", ops::cdata_concat),
        ("__len", ops::cdata_len),
        ("__call", ops::cdata_call),
        ("__pairs", ops::cdata_pairs),
        ("__gc", create::cdata_gc),
    ];
    methods.extend_from_slice(ops::ARITH_METAMETHODS);
    for (event, f) in methods {
        let v = lua.new_native_with_upvalues("cdata metamethod", f, roots.upvalues());
        lua.set_field(mt, event, v);
    }
    // Error messages call cdata "cdata"; getmetatable(cdata) answers "ffi", as LuaJIT.
    let name = lua.str_value("cdata");
    lua.set_field(mt, "__name", name);
    let protect = lua.str_value("ffi");
    lua.set_field(mt, "__metatable", protect);
}

/// `ffi.cdef(def [, params...])`.
fn ffi_cdef(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = convert::Ctx::new(lua);
    let text = ctx.lua.check_string(1)?;
    let params = args::type_params(&mut ctx, 2)?;
    let Ok(text) = std::str::from_utf8(text.as_bytes()) else {
        return Err(ctx.lua.arg_error(1, "declarations are not valid UTF-8"));
    };
    let text = text.to_string();
    ctx.st.cdef(&text, &params).map_err(|e| ctx.error(&e.to_string()))?;
    Ok(0)
}

/// `ffi.abi(param)`: facts about the host's ABI, with LuaJIT's parameter names.
fn ffi_abi(lua: &mut Lua) -> LuaResult<usize> {
    let param = lua.check_string(1)?;
    let host = state::host_target();
    let is_64 = host.pointer_size() == 8;
    let answer = match param.as_bytes() {
        b"32bit" => !is_64,
        b"64bit" => is_64,
        b"le" => true,
        b"be" => false,
        b"fpu" | b"hardfp" => true,
        b"softfp" | b"eabi" | b"uwp" | b"pauth" | b"dualnum" => false,
        b"win" => host.os == Os::Windows,
        b"gc64" => is_64,
        _ => false,
    };
    lua.push(Value::Bool(answer));
    Ok(1)
}

/// `ffi.errno([newerrno])`: the `errno` the last C call left (captured by its stub right
/// after the function returned, before anything else could change it). With an argument,
/// also sets the C library's `errno` (which the next C call sees) and returns the old value.
fn ffi_errno(lua: &mut Lua) -> LuaResult<usize> {
    let st = state::state(lua);
    let old = st.last_errno.get();
    if !lua.arg(1).is_nil() {
        let new = lua.check_integer(1)? as i32;
        cdata::set_errno(new);
        st.last_errno.set(new);
    }
    lua.push(Value::Int(i64::from(old)));
    Ok(1)
}

/// `ffi.os`, with LuaJIT's names.
fn os_name(t: Target) -> &'static str {
    match t.os {
        Os::Linux => "Linux",
        Os::Windows => "Windows",
        Os::Macos => "OSX",
    }
}

/// `ffi.arch`, with LuaJIT's names.
fn arch_name(t: Target) -> &'static str {
    match t.isa {
        Isa::X64 => "x64",
        Isa::X86 => "x86",
        Isa::Aarch64 => "arm64",
    }
}
