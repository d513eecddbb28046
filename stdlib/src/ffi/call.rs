//! Calling a C function: a function cdata (`ffi.C.strlen`, a function pointer) called from
//! Lua. The arguments are converted straight into the argument block of the signature's
//! stub (see `rivet_ffi::jit`), on the Rust stack for all but huge signatures, the stub calls
//! the function and captures `errno`, and the result is converted back.
//!
//! ```text
//! f(a, b) ──__call──▶ callable (prepared once per type) ──convert args──▶ block
//!         ──stub(fnptr, block, ret, &errno)──▶ ret buffer ──convert──▶ Lua value
//! ```
//!
//! Conversions follow LuaJIT's rules for C calls: fixed arguments convert to their declared
//! types as in an assignment, plus a Lua string to `const char *` (pointing at the string
//! itself, which stays alive on the stack during the call); variadic arguments take their type
//! from the value (a Lua number passes as `double`, a string as `const char *`, `nil` as a
//! NULL `void *`, a boolean as `bool`, a float cdata as `double`, an array or struct cdata as a
//! pointer to it, other cdata as their own type). 64-bit integer results are Lua integers.

use std::mem::MaybeUninit;

use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::{FastCall, UserData};
use rivet_lang::{Lua, LuaResult, Value};
use std::ops::Range;

use super::callable::{ArgKind, Callable, Param, Planned, RetKind};
use super::callback;
use super::cdata::{bits_to_num, convert_num, CData, Form, Num, Place, INLINE_SIZE};
use super::convert::{new_inline_described, num_value, object_loc, Ctx, Loc, Mode};
use super::state::{cdata_of, FfiState};
use super::typeinfo::{Scalar, Shape};

/// Argument blocks and result buffers up to this size live on the Rust stack.
const SCRATCH: usize = 256;

#[repr(C, align(16))]
struct Scratch([u8; SCRATCH]);

/// A buffer for a block of `len` bytes aligned to `align`: the scratch array when it fits,
/// else a heap allocation. Not cleared: the stub contract leaves padding unspecified, and
/// every byte the stub passes on is written first.
struct Buffer {
    scratch: MaybeUninit<Scratch>,
    heap: Option<rivet_ffi::jit::AlignedBuf>,
}

impl Buffer {
    fn new() -> Buffer {
        Buffer { scratch: MaybeUninit::uninit(), heap: None }
    }

    /// The address of the block.
    #[inline(always)]
    fn start(&mut self, len: u32, align: u32) -> usize {
        if len as usize <= SCRATCH && align <= 16 {
            self.scratch.as_mut_ptr() as usize
        } else {
            self.heap.insert(rivet_ffi::jit::AlignedBuf::new(len as usize, align as usize)).as_mut_ptr() as usize
        }
    }
}

/// Calls the C function the cdata at argument 1 designates with arguments 2.. and pushes its
/// result.
pub(crate) fn call_function(ctx: &mut Ctx, ud: Gc<UserData>, cd: &CData) -> LuaResult<usize> {
    let fnptr = object_loc(ud, cd).place.load_addr().map_err(|e| ctx.access_error(e))?;
    if fnptr == 0 {
        return Err(ctx.error("attempt to call a NULL function pointer"));
    }
    let cached = cd.cached().and_then(|(_, info)| info.callable.get().cloned());
    let callable = match cached.map_or_else(|| ctx.st.callable(cd.ty), Ok) {
        Ok(c) => c,
        Err(why) => {
            let name = ctx.cdata_type_name(cd);
            return Err(ctx.error(&format!("cannot call '{name}': {why}")));
        }
    };
    let nargs = ctx.lua.nargs() - 1;
    if nargs < callable.fixed || (nargs > callable.fixed && !callable.variadic) {
        return Err(ctx.error("wrong number of arguments for function call"));
    }
    let with_varargs;
    let planned: &Planned = if nargs > callable.fixed {
        with_varargs = plan_varargs(ctx, &callable, nargs)?;
        &with_varargs
    } else {
        &callable.plain
    };
    let block = planned.stub.block();
    let mut args = Buffer::new();
    let args_at = args.start(block.size, block.align);
    for (i, p) in planned.params.iter().enumerate() {
        let v = ctx.lua.arg(i + 2);
        store_arg(ctx, p, v, args_at + p.offset as usize).map_err(|e| argument_error(ctx, fnptr, i + 1, e))?;
    }
    let mut ret = Buffer::new();
    let ret_at = ret.start(block.ret_size, block.ret_align);
    callback::with_active(ctx, |st| invoke(st, planned, fnptr, args_at, ret_at));
    if let Some(e) = callback::take_pending_error(ctx) {
        return Err(e);
    }
    push_result(ctx, &callable, ret_at)
}

/// Calls through the stub with the argument block at `args` and the result buffer at `ret`.
#[inline(always)]
fn invoke(st: &FfiState, planned: &Planned, fnptr: usize, args: usize, ret: usize) {
    let mut errno = 0;
    crate::io::before_c_call();
    // SAFETY: the stub was generated for exactly this function type's plan (with these
    // variadic argument types), the argument block and result buffer have the sizes and
    // alignments its `ArgBlock` asks for (`Buffer::start`), and every argument was converted
    // to its C type at its offset. That `fnptr` really is a function of the declared type, and
    // that pointer arguments point where the function will read and write, is the script's
    // declaration and responsibility, as with any FFI (and as in C). Objects the arguments
    // point into (strings, cdata, temporaries) are on the Lua stack until the call returns.
    unsafe { (planned.stub.entry())(fnptr as *const _, args as *mut u8, ret as *mut u8, &mut errno) };
    st.last_errno.set(errno);
}

/// The interpreter's shortcut for calling a C function cdata (`FastPaths::call`): a call of
/// a signature whose argument block fits [`FastBlock`] (`Callable::fits_fast_path`), whose
/// arguments are all numbers, strings for string parameters, `nil` for pointers, pointers of
/// the exact parameter type or structs of the exact parameter type, and whose result is a
/// number, a pointer, a small struct or nothing, is made here with no frame and no error
/// path, as long as the runtime has no callbacks (they need the runtime recorded by the
/// general path). A pointer or struct result is a new cdata, made like `Ctx::wrap` does.
/// Any other call declines and takes `__call` (`call_function`), which converts everything
/// and reports errors.
pub(crate) fn fast_call(lua: &mut Lua, ud: Gc<UserData>, args: Range<usize>) -> FastCall {
    let Some(callee) = FastCallee::of(&ud, args.len()) else { return FastCall::Declined };
    let mut block = FastBlock::new();
    if !callee.arguments(lua.stack_slice(args), &mut block) {
        return FastCall::Declined;
    }
    callee.call(lua, &ud, &mut block)
}

/// A C function cdata that calls with `nargs` arguments may take the fast path for: the
/// checks of [`fast_call`] that do not depend on the arguments (shared with the compiled
/// loops' entry, `native_entry.rs`).
pub(crate) struct FastCallee<'a> {
    cd: &'a CData,
    pub st: &'a FfiState,
    pub callable: &'a Callable,
    pub fnptr: usize,
}

impl<'a> FastCallee<'a> {
    /// The callee for the interpreter's call with `nargs` arguments (in a runtime without
    /// callbacks: they need the general path).
    #[inline(always)]
    pub fn of(ud: &'a UserData, nargs: usize) -> Option<FastCallee<'a>> {
        FastCallee::of_any_runtime(ud).filter(|c| nargs == c.callable.fixed && !c.st.callbacks_exist.get())
    }

    /// The callee for a call with as many arguments as the function has parameters (the only
    /// count the fast path takes), whether or not the runtime has callbacks (a call must then
    /// record the runtime: `call_recording`).
    #[inline(always)]
    pub fn of_any_runtime(ud: &'a UserData) -> Option<FastCallee<'a>> {
        let cd = ud.payload::<CData>()?;
        let (st, info) = cd.cached()?;
        let callable = info.callable.get()?;
        if !callable.fits_fast_path || cd.form != Form::Value {
            return None;
        }
        let fnptr = match cd.own_place().load_addr() {
            Ok(addr) if addr != 0 => addr,
            _ => return None,
        };
        Some(FastCallee { cd, st, callable, fnptr })
    }

    /// Fills `block` with the arguments `args` (as many as the callable's parameters); false
    /// when one of them is not for the fast path. (The block is filled in place: a copy of it
    /// would read words just stored one by one with wider loads, which stall.)
    #[inline(always)]
    pub fn arguments(&self, args: &[Value], block: &mut FastBlock) -> bool {
        let args_at = block.0.as_mut_ptr() as usize;
        for (p, v) in self.callable.plain.params.iter().zip(args) {
            if let ArgKind::Object = p.kind {
                if !copy_object_argument(p, *v, args_at + p.offset as usize) {
                    return false;
                }
                continue;
            }
            match argument_word(self.st, p, *v) {
                Some(word) => block.0[p.offset as usize / 8] = word,
                None => return false,
            }
        }
        true
    }

    /// Makes the call with the argument block `arguments` filled; `ud` is the callee's userdata.
    #[inline(always)]
    pub fn call(&self, lua: &mut Lua, ud: &UserData, block: &mut FastBlock) -> FastCall {
        let args_at = block.0.as_mut_ptr() as usize;
        let mut ret = FastBlock::new();
        let ret_at = ret.0.as_mut_ptr() as usize;
        invoke(self.st, &self.callable.plain, self.fnptr, args_at, ret_at);
        self.result(lua, ud, &ret)
    }

    /// [`FastCallee::call`] with the runtime recorded for callbacks (`callback::with_active`),
    /// for a runtime that has some: the C function may call back into it.
    pub fn call_recording(&self, ctx: &mut Ctx, ud: &UserData, block: &mut FastBlock) -> FastCall {
        let args_at = block.0.as_mut_ptr() as usize;
        let mut ret = FastBlock::new();
        let ret_at = ret.0.as_mut_ptr() as usize;
        callback::with_active(ctx, |st| invoke(st, &self.callable.plain, self.fnptr, args_at, ret_at));
        self.result(ctx.lua, ud, &ret)
    }

    /// The Lua value of the result in `ret`.
    #[inline(always)]
    fn result(&self, lua: &mut Lua, ud: &UserData, ret: &FastBlock) -> FastCall {
        let callable = self.callable;
        match callable.ret {
            RetKind::Number(s) => FastCall::One(num_value(bits_to_num(ret.0[0], s), s)),
            RetKind::Void => FastCall::NoResult,
            RetKind::Pointer | RetKind::Object => {
                let (Some(typed), Some(mt)) = (self.cd.typed.as_ref(), ud.metatable()) else {
                    unreachable!("`cached` answered, and every cdata has the cdata metatable")
                };
                let info = callable.result_info(&typed.state);
                let mut bytes = [0u8; INLINE_SIZE];
                for (chunk, word) in bytes.chunks_exact_mut(8).zip(ret.0.iter()) {
                    chunk.copy_from_slice(&word.to_ne_bytes());
                }
                let (ty, len) = (callable.ret_ty, callable.ret_size);
                FastCall::One(Value::UserData(new_inline_described(lua, &typed.state, &info, mt, ty, bytes, len)))
            }
        }
    }
}

/// Copies a struct (or other object) argument into the block at `at` when `v` is a cdata of
/// exactly the parameter's type; false for anything else (the general path converts it).
#[inline]
fn copy_object_argument(p: &Param, v: Value, at: usize) -> bool {
    let Some((src_ud, src)) = cdata_of(&v) else { return false };
    if src.form == Form::CType || src.ty != p.ty {
        return false;
    }
    let Some((_, info)) = src.cached() else { return false };
    let Some(size) = info.size else { return false };
    let from = object_loc(src_ud, src);
    Place::raw(at).copy_from(from.place, size as usize).is_ok()
}

/// Words of the fast path's argument block and result buffer: every argument slot is 8-byte
/// aligned and a multiple of 8 bytes long (`ArgBlock`), so a scalar argument is one word
/// holding its value in the low bytes (the stub passes on only the argument's own bytes).
pub(crate) const FAST_WORDS: usize = 16;

#[repr(C, align(16))]
pub(crate) struct FastBlock([u64; FAST_WORDS]);

impl FastBlock {
    #[inline(always)]
    pub fn new() -> FastBlock {
        FastBlock([0; FAST_WORDS])
    }
}

/// An argument of the fast path as its slot's word; `None` for anything else.
#[inline(always)]
fn argument_word(st: &FfiState, p: &Param, v: Value) -> Option<u64> {
    Some(match (p.kind, v) {
        (ArgKind::Int(Scalar::Bool), Value::Int(i)) => u64::from(i != 0),
        // Truncated to the parameter's width by the callee reading only its bytes, as C's
        // conversion to a narrower integer type.
        (ArgKind::Int(_), Value::Int(i)) => i as u64,
        (ArgKind::Int(s), Value::Float(f)) => convert_num(Num::F(f), s),
        (ArgKind::Float(s), Value::Int(i)) => convert_num(Num::I(i), s),
        (ArgKind::Float(s), Value::Float(f)) => convert_num(Num::F(f), s),
        (ArgKind::Pointer, Value::Nil) => 0,
        (ArgKind::Pointer, Value::Str(s)) if p.takes_string => s.as_bytes_with_nul().as_ptr() as u64,
        (ArgKind::Pointer, Value::UserData(ud)) => match ud.payload::<CData>() {
            Some(cd) if cd.form == Form::Value && cd.ty == p.ty && st.info(cd.ty).size == Some(8) => {
                cd.own_place().load_addr().ok()? as u64
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// Converts `v` to the parameter's C type at `at` (inside the argument block).
fn store_arg(ctx: &mut Ctx, p: &Param, v: Value, at: usize) -> LuaResult<()> {
    let place = Place::raw(at);
    match p.kind {
        ArgKind::Int(s) | ArgKind::Float(s) => {
            let n = match v {
                Value::Int(i) => Num::I(i),
                Value::Float(f) => Num::F(f),
                _ => return ctx.store(p.ty, Loc { place, owner: None }, v, Mode::Implicit, None),
            };
            place.store(s, n).map_err(|e| ctx.access_error(e))
        }
        ArgKind::Pointer => {
            let addr = match v {
                Value::Str(s) if p.takes_string => s.as_bytes_with_nul().as_ptr() as usize,
                // The objects the address points into are arguments on the stack: no anchors.
                _ => ctx.address_of(v, p.ty, Mode::Implicit)?.0,
            };
            place.store_addr(addr).map_err(|e| ctx.access_error(e))
        }
        ArgKind::Object => store_object_arg(ctx, p.ty, v, place),
    }
}

/// A struct, union, complex or other object passed by value.
fn store_object_arg(ctx: &mut Ctx, ty: CTypeId, v: Value, place: Place) -> LuaResult<()> {
    let info = ctx.st.info(ty);
    let size = info.size.unwrap_or(0) as usize;
    if let Some((src_ud, src)) = cdata_of(&v) {
        let same_type = src.form != Form::CType && ctx.st.types().unqualified(src.ty).0 == info.unqualified;
        if same_type {
            let from = object_loc(src_ud, src);
            return place.copy_from(from.place, size).map_err(|e| ctx.access_error(e));
        }
    }
    if matches!(info.shape, Shape::Complex(_)) {
        return ctx.store(ty, Loc { place, owner: None }, v, Mode::Implicit, None);
    }
    // Built in a temporary cdata (which anchors what its pointer members point to), kept on
    // the stack until the call returns, then copied.
    let temp = ctx.new_value(ty, None)?;
    ctx.lua.push(Value::UserData(temp));
    let cd = temp.payload::<CData>().expect("just made");
    let loc = object_loc(temp, cd);
    ctx.store(ty, loc, v, Mode::Implicit, None)?;
    place.copy_from(cd.own_place(), size).map_err(|e| ctx.access_error(e))
}

/// The plan for a call with the variadic arguments `fixed+2 ..= nargs+1`.
fn plan_varargs(ctx: &mut Ctx, callable: &Callable, nargs: usize) -> LuaResult<std::rc::Rc<Planned>> {
    let mut types = Vec::with_capacity(nargs - callable.fixed);
    for i in callable.fixed..nargs {
        let v = ctx.lua.arg(i + 2);
        types.push(vararg_type(ctx, v));
    }
    let planned = callable.with_varargs(&ctx.st, &mut ctx.st.stubs.borrow_mut(), &types);
    planned.map_err(|why| ctx.error(&format!("cannot call with these variadic arguments: {why}")))
}

/// The C type a Lua value passed to `...` takes (LuaJIT's rules).
fn vararg_type(ctx: &mut Ctx, v: Value) -> CTypeId {
    let ids = &ctx.st.ids;
    match v {
        Value::Int(_) | Value::Float(_) => ids.double,
        Value::Str(_) => ids.const_char_ptr,
        Value::Bool(_) => ids.bool,
        _ => match cdata_of(&v) {
            Some((_, cd)) if cd.form != Form::CType => {
                let info = ctx.st.info(cd.ty);
                match info.shape {
                    Shape::Array { elem, .. } => ctx.st.pointer_to(elem),
                    Shape::Record(_) | Shape::Func => ctx.st.pointer_to(cd.ty),
                    Shape::Scalar(Scalar::F32) => ctx.st.ids.double,
                    _ => cd.ty,
                }
            }
            _ => ctx.st.ids.void_ptr,
        },
    }
}

/// Pushes the Lua value of the result in the buffer at `ret`.
fn push_result(ctx: &mut Ctx, callable: &Callable, ret: usize) -> LuaResult<usize> {
    match value_at(ctx, callable.ret, callable.ret_ty, Place::raw(ret))? {
        Some(v) => {
            ctx.lua.push(v);
            Ok(1)
        }
        None => Ok(0),
    }
}

/// The Lua value of the C value of type `ty` at `place` (a call's result, a callback's
/// argument): numbers as Lua numbers, pointers as pointer cdata, other objects copied into a
/// new cdata (the memory they are in does not outlive the call). `None` for `void`.
pub(crate) fn value_at(ctx: &mut Ctx, kind: RetKind, ty: CTypeId, place: Place) -> LuaResult<Option<Value>> {
    Ok(Some(match kind {
        RetKind::Void => return Ok(None),
        RetKind::Number(s) => num_value(place.load(s).map_err(|e| ctx.access_error(e))?, s),
        RetKind::Pointer => {
            let addr = place.load_addr().map_err(|e| ctx.access_error(e))?;
            Value::UserData(ctx.new_pointer(ty, addr, None))
        }
        RetKind::Object => Value::UserData(ctx.new_copy(ty, place)?),
    }))
}

/// `bad argument #n to 'name' (message)`, naming the function when a namespace resolved it.
fn argument_error(ctx: &mut Ctx, fnptr: usize, n: usize, e: rivet_lang::LuaError) -> rivet_lang::LuaError {
    let Value::Str(text) = e.value else { return e };
    // The conversion's message carries the caller's position, which goes in front instead.
    let pos = ctx.lua.where_(1);
    let text = text.to_str_lossy();
    let msg = text.strip_prefix(pos.as_str()).unwrap_or(&text).to_string();
    let name = ctx.st.function_name(fnptr);
    let name = name.as_deref().unwrap_or("?");
    ctx.error(&format!("bad argument #{n} to '{name}' ({msg})"))
}
