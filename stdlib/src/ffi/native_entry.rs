//! Compiled loops' calls of C function cdata (`FastPaths::native_call`): the same calls as the
//! interpreter's shortcut (`call::fast_call`), entered from machine code with a pointer to the
//! argument values.
//!
//! Two kinds of entry:
//! - a value entry (`rivet_ffi::jit::ValueEntry`), machine code made once per function type
//!   and kept in its `Callable`, for signatures of numbers only (integers, `bool`, `float`,
//!   `double`, in registers, of the host's System V convention on x86-64): it checks the
//!   argument tags, calls the function with the arguments converted in registers and writes
//!   the result value itself. `data` is the function's address (the cdata's value, which
//!   never changes).
//! - for every other call the fast path takes (pointers, strings, structs, other hosts): a
//!   Rust entry running `fast_call`'s code on the argument values. `data` is the userdata's
//!   address. Once the runtime has callbacks it is the only entry: it records the runtime for
//!   them (`call_recording_runtime`), as the general call path does.
//!
//! Both stay valid while the cdata lives: a cdata holds its type description (`Rc<TypeInfo>`,
//! which holds the `Callable` and so the value entry's code) and the ffi state
//! (`Rc<FfiState>`, whose `callbacks_exist` and `last_errno` the value entry reads and
//! writes).

use rivet_ffi::jit::{EntryArg, EntryCodes, EntryResult, ValueEntry, ValueEntrySpec, ValueLayout};
use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::{
    FastCall, NativeCall, NativeCallEntry, UserData, NATIVE_DECLINED, NATIVE_ERROR, NATIVE_NEW_OBJECT,
    NATIVE_NO_RESULT, NATIVE_ONE, NATIVE_RAN_LUA,
};
use rivet_lang::vm::value::tag;
use rivet_lang::{Lua, Value};

use super::call::{FastBlock, FastCallee};
use super::callable::{ArgKind, Callable, RetKind};
use super::callback;
use super::cdata::{CData, Form};
use super::convert::Ctx;
use super::state::{FfiState, Roots};
use super::typeinfo::Scalar;

/// The compiled call of the C function cdata `ud` with `nargs` arguments (`NativeCallFn`):
/// `None` unless calls of it with that many arguments may take the fast path.
pub(crate) fn native_call_of(ud: Gc<UserData>, nargs: usize) -> Option<NativeCall> {
    prepare_callable(&ud);
    let callee = FastCallee::of_any_runtime(&ud).filter(|c| c.callable.fixed == nargs)?;
    // Once the runtime has callbacks every call must record it (the Rust entry does); the
    // value entry would decline them all.
    if !callee.st.callbacks_exist.get() {
        if let Some(entry) = value_entry(callee.st, callee.callable) {
            return Some(NativeCall { entry, data: callee.fnptr });
        }
    }
    Some(NativeCall { entry: fast_path_entry, data: &*ud as *const UserData as usize })
}

/// Prepares the function type of `ud` for calls if no call did yet (the first call through
/// `__call` does it otherwise), so that a loop compiled before any call still gets an entry.
fn prepare_callable(ud: &UserData) {
    let Some(cd) = ud.payload::<CData>() else { return };
    let Some((st, info)) = cd.cached() else { return };
    if info.callable.get().is_some() || cd.form != Form::Value || !st.is_function_or_pointer_to_one(cd.ty) {
        return;
    }
    let Ok(mut stubs) = st.stubs.try_borrow_mut() else { return };
    if let Ok(c) = Callable::prepare(st, &mut stubs, cd.ty) {
        // The cdata's own description (the one `FastCallee::of` reads).
        let _ = info.callable.set(std::rc::Rc::new(c));
    }
}

/// The value entry of `callable`, made on first request; `None` when its signature has none.
fn value_entry(st: &FfiState, callable: &Callable) -> Option<NativeCallEntry> {
    let entry = callable.value_entry.get_or_init(|| make_value_entry(st, callable)).as_ref()?;
    // SAFETY: a value entry is a System V function `(usize, *const u8, *mut u8, *mut u8) ->
    // u64`, the same ABI as `NativeCallEntry`'s (only the pointees' types differ); it reads
    // its arguments and writes its result as `Value`s are laid out (`VALUE_LAYOUT`) and
    // follows the `NativeCallEntry` rules (no error, no call into Lua, no allocation). Its
    // code lives in `callable`, which the cdata the entry is for keeps alive.
    Some(unsafe { std::mem::transmute::<rivet_ffi::jit::ValueEntryFn, NativeCallEntry>(entry.entry()) })
}

/// How a `Value` is laid out (see `rivet_lang::vm::value::tag`).
const VALUE_LAYOUT: ValueLayout = ValueLayout {
    size: std::mem::size_of::<Value>() as u32,
    tag_offset: 0,
    payload_offset: 8,
    boolean: tag::BOOL,
    integer: tag::INT,
    float: tag::FLOAT,
};

/// Machine code for calls of `callable` when all its arguments and its result are numbers.
fn make_value_entry(st: &FfiState, callable: &Callable) -> Option<ValueEntry> {
    let args = callable
        .plain
        .params
        .iter()
        .map(|p| match p.kind {
            ArgKind::Int(Scalar::Bool) => Some(EntryArg::Bool),
            // Floats convert as `convert_num` does: `f64_to_i64` is x86-64's truncation, but
            // `f64_to_u64` has a wider range.
            ArgKind::Int(s) => Some(EntryArg::Integer { floats: s != Scalar::U64 }),
            ArgKind::Float(_) => Some(EntryArg::Float),
            ArgKind::Pointer | ArgKind::Object => None,
        })
        .collect::<Option<Vec<_>>>()?;
    // As `num_value(bits_to_num(..))`: signed results sign-extended, unsigned ones (64-bit
    // ones included) zero-extended into the integer's bits.
    let result = match callable.ret {
        RetKind::Void => EntryResult::Void,
        RetKind::Number(Scalar::Bool) => EntryResult::Bool,
        RetKind::Number(Scalar::F32 | Scalar::F64) => EntryResult::Float,
        RetKind::Number(s) => {
            EntryResult::Integer { signed: matches!(s, Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64) }
        }
        RetKind::Pointer | RetKind::Object => return None,
    };
    let stdout_pending = crate::io::prepare_compiled_c_calls();
    let spec = ValueEntrySpec {
        plan: &callable.plain.plan,
        args: &args,
        result,
        layout: VALUE_LAYOUT,
        codes: EntryCodes { declined: NATIVE_DECLINED, no_result: NATIVE_NO_RESULT, one: NATIVE_ONE },
        decline_if_set: st.callbacks_exist.as_ptr() as *const u8,
        flush_if_set: stdout_pending.as_ptr() as *const u8,
        flush: flush_before_c_call,
        errno_to: st.last_errno.as_ptr(),
    };
    // SAFETY: the flag and errno addresses are in `st`, which every cdata of this callable's
    // type keeps alive (`Typed::state`) and so outlives every use of the entry (see the module
    // documentation); the stdout flag is a static; `flush_before_c_call` may run whenever a
    // C call is made.
    unsafe { ValueEntry::new(&spec) }.ok()
}

/// Writes rivet's pending standard output before a value entry's C call (see `io::c_stdio`).
unsafe extern "sysv64" fn flush_before_c_call() {
    crate::io::before_c_call();
}

/// The entry of the fast path's other calls: `data` is the address of the cdata's
/// `UserData`, `args` its `callable.fixed` arguments.
///
/// # Safety
/// The `NativeCallEntry` contract: `data` is what `native_call_of` answered for a userdata
/// that is still alive, `args` points at as many values as `nargs` was, `out` at a writable
/// value slot and `lua` at the runtime the userdata belongs to, not otherwise borrowed.
unsafe extern "sysv64" fn fast_path_entry(data: usize, args: *const Value, out: *mut Value, lua: *mut Lua) -> u64 {
    // SAFETY: `data` is the address of a live userdata (the contract).
    let ud = unsafe { &*(data as *const UserData) };
    let Some(callee) = FastCallee::of_any_runtime(ud) else { return NATIVE_DECLINED };
    if callee.st.callbacks_exist.get() {
        // SAFETY: the contract, as below.
        return unsafe { call_recording_runtime(&callee, ud, args, out, lua) };
    }
    // SAFETY: `args` points at `nargs` values, and `native_call_of` answered only for
    // `nargs == callable.fixed`. The slice is not used after `lua` is borrowed below.
    let args = unsafe { std::slice::from_raw_parts(args, callee.callable.fixed) };
    let mut block = FastBlock::new();
    if !callee.arguments(args, &mut block) {
        return NATIVE_DECLINED;
    }
    // SAFETY: the contract: `lua` is the runtime, borrowed by nothing else during the call.
    let answer = callee.call(unsafe { &mut *lua }, ud, &mut block);
    let (v, code) = match answer {
        FastCall::Declined => return NATIVE_DECLINED,
        FastCall::NoResult => return NATIVE_NO_RESULT,
        FastCall::One(v @ Value::UserData(_)) => (v, NATIVE_NEW_OBJECT),
        FastCall::One(v) => (v, NATIVE_ONE),
    };
    // SAFETY: `out` is a writable value slot (the contract).
    unsafe { out.write(v) };
    code
}

/// A call in a runtime that has callbacks: made with the runtime recorded, so that the C
/// function may call back into it (`NATIVE_RAN_LUA`; a callback's error is `NATIVE_ERROR`).
/// Lua code may have moved the stack by the time the call returns, so the result goes to the
/// slot `out` was, found again by its index.
///
/// # Safety
/// The contract of `NativeCallEntry` (`args`, `out` and `lua` as a compiled loop passes them).
unsafe fn call_recording_runtime(
    callee: &FastCallee,
    ud: &UserData,
    args: *const Value,
    out: *mut Value,
    lua: *mut Lua,
) -> u64 {
    // SAFETY: the contract: `lua` is the runtime, borrowed by nothing else during the call.
    let lua = unsafe { &mut *lua };
    let Some(out_index) = lua.stack_index_of(out) else { return NATIVE_DECLINED };
    let mut block = FastBlock::new();
    {
        // SAFETY: `args` points at the call's arguments (the contract); the slice is not used
        // once the C function may have run Lua code.
        let args = unsafe { std::slice::from_raw_parts(args, callee.callable.fixed) };
        if !callee.arguments(args, &mut block) {
            return NATIVE_DECLINED;
        }
    }
    let Some(roots) = ud.metatable().and_then(Roots::of_cdata_metatable) else { return NATIVE_DECLINED };
    let st = super::state::state(lua);
    let mut ctx = Ctx { lua, st, roots };
    let answer = callee.call_recording(&mut ctx, ud, &mut block);
    if let Some(e) = callback::take_pending_error(&mut ctx) {
        ctx.lua.stack_set(out_index, e.value);
        return NATIVE_ERROR;
    }
    let v = match answer {
        FastCall::One(v) => v,
        FastCall::NoResult | FastCall::Declined => Value::Nil,
    };
    ctx.lua.stack_set(out_index, v);
    NATIVE_RAN_LUA
}
