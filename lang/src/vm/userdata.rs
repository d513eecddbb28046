//! Full userdata: a Rust payload with a metatable and user values.
//!
//! The payload's `Drop` is the native finalizer hook: it runs when the collector frees the
//! userdata (after any `__gc` metamethod ran and the object stayed unreachable), which is how
//! the ffi's cdata, COM and Objective-C handles release native resources.

use super::table::Table;
use super::value::Value;
use crate::gc::heap::{ErasedPtr, Heap};
use crate::gc::{Gc, Trace, Tracer};
use std::any::{Any, TypeId};
use std::cell::{Cell, UnsafeCell};

/// What a userdata's fast call did (see [`UserData::set_fast_call`]).
pub enum FastCall {
    /// Nothing happened: the call takes the general path (`__call`).
    Declined,
    /// The call was made and has no results.
    NoResult,
    /// The call was made and has this one result.
    One(Value),
}

/// A fast call: gets the runtime, the userdata and where the arguments of a call of it are
/// (absolute stack indices, read with [`Lua::stack_slice`](crate::Lua::stack_slice)).
/// It must not raise errors or call into Lua: whatever needs that declines, and the general
/// path (`__call`, which may do all of it) handles the call. It may allocate its result (a
/// new userdata): no collection happens before the interpreter has stored the result in its
/// register, and the interpreter then reaches a safe point.
pub type FastCallFn = fn(lua: &mut crate::Lua, ud: Gc<UserData>, args: std::ops::Range<usize>) -> FastCall;

/// A fast `ud[key]`: `Some(value)`, or `None` to take `__index`.
pub type FastIndexFn = fn(ud: Gc<UserData>, key: Value) -> Option<Value>;

/// A fast `ud[key] = value`: true when done, false to take `__newindex`.
pub type FastNewIndexFn = fn(ud: Gc<UserData>, key: Value, value: Value) -> bool;

/// A userdata's call as machine code, for compiled loops (`crate::jit`): `entry(data, args,
/// out, lua)` with `args` pointing at the call's arguments (consecutive values, as many as
/// were given to [`NativeCallFn`]), `out` at the slot for the one result and `lua` at the
/// runtime. It follows the rules of [`FastCallFn`] (no error, no call into Lua, may decline
/// anything) and answers one of the `NATIVE_*` codes. It may allocate its result only when it
/// answers `NATIVE_NEW_OBJECT` (the compiled loop then reaches a GC safe point), and run Lua
/// code only when it answers `NATIVE_RAN_LUA` or `NATIVE_ERROR`.
pub type NativeCallEntry =
    unsafe extern "sysv64" fn(data: usize, args: *const Value, out: *mut Value, lua: *mut crate::Lua) -> u64;

/// The entry declined: nothing happened, the call takes the interpreter's path.
pub const NATIVE_DECLINED: u64 = 0;
/// The call was made and has no result (`out` is untouched).
pub const NATIVE_NO_RESULT: u64 = 1;
/// The call was made and its result is in `out`.
pub const NATIVE_ONE: u64 = 2;
/// The call was made, its result is in `out` and is a new object.
pub const NATIVE_NEW_OBJECT: u64 = 3;
/// The call was made and ran Lua code (a C function calling back into the runtime): the
/// stack may have moved, so the entry wrote its result (nil for none) into the stack slot
/// `out` pointed at when it was called, found again by its index.
pub const NATIVE_RAN_LUA: u64 = 4;
/// The call was made and raised an error (a callback's, re-raised when the C call returned):
/// the error value is in the slot of `out`, found as for `NATIVE_RAN_LUA`.
pub const NATIVE_ERROR: u64 = 5;

/// A compiled call of one userdata with a fixed argument count: `entry` is called with `data`.
#[derive(Clone, Copy)]
pub struct NativeCall {
    pub entry: NativeCallEntry,
    pub data: usize,
}

/// The compiled call of `ud` with `nargs` arguments, if it has one. The answer stays valid
/// while `ud` lives (a compiled loop keeps `ud` alive and checks the callee is still `ud`).
pub type NativeCallFn = fn(ud: Gc<UserData>, nargs: usize) -> Option<NativeCall>;

/// Shortcuts the interpreter tries before a userdata's `__call`, `__index` and `__newindex`
/// metamethods (the ffi's cdata: `p[i]`, `s.x` and C calls cost a load or a call, not a
/// metamethod call). Each follows the rules of [`FastCallFn`]: no error, no call into Lua,
/// and for `index` and `newindex` no allocation; `None` / `false` / `Declined` hand the
/// operation to the metamethod, which must implement all of it (the shortcuts are skipped
/// while debug hooks are set).
pub struct FastPaths {
    pub call: Option<FastCallFn>,
    pub index: Option<FastIndexFn>,
    pub newindex: Option<FastNewIndexFn>,
    /// The compiled form of `call` for compiled loops (see [`NativeCallEntry`]).
    pub native_call: Option<NativeCallFn>,
}

pub struct UserData {
    /// The payload's type and where it is (see [`PayloadKind`]).
    kind: &'static PayloadKind,
    /// Shortcuts the interpreter tries before metamethods (see [`FastPaths`]).
    fast: Cell<Option<&'static FastPaths>>,
    metatable: Cell<Option<Gc<Table>>>,
    /// User value 0, kept inline: most userdata that have user values have one (a cdata
    /// reference and its owner), and then need no separate allocation.
    first_user_value: Cell<Value>,
    /// User values 1 and up (boxed: rare, and a thin pointer keeps every userdata small).
    #[allow(clippy::box_collection)]
    more_user_values: UnsafeCell<Option<Box<Vec<Value>>>>,
    /// Number of user values.
    user_value_count: u32,
    /// Native memory the payload owns (a cdata's buffer, a boxed payload), counted for GC
    /// pacing.
    extra_bytes: usize,
}

/// What a userdata's payload is and where: right after the userdata in the same heap object
/// (`UserDataWith<P>`), or, for payloads given boxed ([`Lua::new_userdata`]
/// (crate::Lua::new_userdata)), in the box that is there. One static per payload type, so a
/// userdata spends one word on it and `payload::<T>()` costs a load and a comparison.
struct PayloadKind {
    /// The type of what follows the userdata (`Box<dyn Any>` for boxed payloads).
    type_id: TypeId,
    /// The payload as `dyn Any`, from the address of what follows the userdata.
    as_any: unsafe fn(*const u8) -> *const dyn Any,
    boxed: bool,
}

/// [`PayloadKind::as_any`] of inline payloads of type `P`.
///
/// # Safety
/// `p` points to a live `P`.
unsafe fn inline_as_any<P: Any>(p: *const u8) -> *const dyn Any {
    p as *const P as *const dyn Any
}

/// [`PayloadKind::as_any`] of boxed payloads.
///
/// # Safety
/// `p` points to a live `Box<dyn Any>`.
unsafe fn boxed_as_any(p: *const u8) -> *const dyn Any {
    // SAFETY: by the function's contract.
    unsafe { &**(p as *const Box<dyn Any>) as *const dyn Any }
}

/// What the heap holds for a userdata: the userdata, then its payload, in one allocation.
/// `#[repr(C)]` with the userdata first, so a `Gc` to it is also a `Gc<UserData>`.
#[repr(C)]
pub(crate) struct UserDataWith<P: Any> {
    ud: UserData,
    payload: P,
}

impl<P: Any> UserDataWith<P> {
    /// A payload of this type can live inline: its alignment does not change where the
    /// userdata starts (see `Gc::cast_prefix`), nor where the payload is after it.
    pub(crate) const FITS: bool = std::mem::align_of::<UserDataWith<P>>() == std::mem::align_of::<UserData>()
        && std::mem::offset_of!(UserDataWith<P>, payload) == std::mem::size_of::<UserData>();

    const INLINE: PayloadKind = PayloadKind { type_id: TypeId::of::<P>(), as_any: inline_as_any::<P>, boxed: false };

    fn with_kind(kind: &'static PayloadKind, payload: P, user_values: usize, extra_bytes: usize) -> UserDataWith<P> {
        let count = u32::try_from(user_values).expect("user value counts are checked by the callers");
        UserDataWith {
            ud: UserData {
                kind,
                fast: Cell::new(None),
                metatable: Cell::new(None),
                first_user_value: Cell::new(Value::Nil),
                more_user_values: UnsafeCell::new(
                    (user_values > 1).then(|| Box::new(vec![Value::Nil; user_values - 1])),
                ),
                user_value_count: count,
                extra_bytes,
            },
            payload,
        }
    }

    /// A new heap object holding the payload `make` makes inline (callers check
    /// [`UserDataWith::FITS`]), written in place (see `Heap::alloc_in_place`).
    #[inline(always)]
    pub(crate) fn alloc(
        heap: &mut Heap,
        make: impl FnOnce() -> P,
        user_values: usize,
        extra_bytes: usize,
    ) -> Gc<UserData> {
        debug_assert!(Self::FITS);
        let more = (user_values > 1).then(|| Box::new(vec![Value::Nil; user_values - 1]));
        let count = u32::try_from(user_values).expect("user value counts are checked by the callers");
        // SAFETY: both fields of the object are written (obligation 1 of `alloc_in_place`).
        let obj = unsafe {
            heap.alloc_in_place(extra_bytes, |p: *mut UserDataWith<P>| {
                std::ptr::addr_of_mut!((*p).ud).write(UserData {
                    kind: &Self::INLINE,
                    fast: Cell::new(None),
                    metatable: Cell::new(None),
                    first_user_value: Cell::new(Value::Nil),
                    more_user_values: UnsafeCell::new(more),
                    user_value_count: count,
                    extra_bytes,
                });
                std::ptr::addr_of_mut!((*p).payload).write(make());
            })
        };
        Self::as_userdata(obj)
    }

    /// The object as a `Gc<UserData>`.
    pub(crate) fn as_userdata(this: Gc<UserDataWith<P>>) -> Gc<UserData> {
        const { assert!(std::mem::offset_of!(UserDataWith<P>, ud) == 0) };
        // SAFETY: `UserDataWith` is `#[repr(C)]` with the userdata first, and objects are
        // only made of payload types that `FITS` (same alignment), as `cast_prefix` requires.
        unsafe { this.cast_prefix() }
    }
}

impl UserDataWith<Box<dyn Any>> {
    const BOXED: PayloadKind = PayloadKind { type_id: TypeId::of::<Box<dyn Any>>(), as_any: boxed_as_any, boxed: true };

    /// A new heap object holding a boxed payload (its content is what `payload` answers).
    pub(crate) fn boxed(payload: Box<dyn Any>, user_values: usize, extra_bytes: usize) -> Self {
        Self::with_kind(&Self::BOXED, payload, user_values, extra_bytes)
    }
}

// SAFETY: the userdata part traces everything (the payload holds no GC values by the contract
// of `Lua::new_userdata`); `as_value` wraps this very object, which is also a userdata (see
// `as_userdata`).
unsafe impl<P: Any> Trace for UserDataWith<P> {
    fn trace(&self, tracer: &mut Tracer) {
        self.ud.trace(tracer)
    }
    fn extra_bytes(&self) -> usize {
        self.ud.extra_bytes
    }
    fn as_value(&self, self_ptr: ErasedPtr) -> Option<Value> {
        self.ud.as_value(self_ptr)
    }
}

impl UserData {
    /// Address of what follows the userdata in its heap object (the payload, or its box).
    #[inline(always)]
    fn after(&self) -> *const u8 {
        // SAFETY: every userdata is the first part of a `UserDataWith` (only those are
        // allocated), whose payload starts right after it (`FITS`).
        unsafe { (self as *const UserData as *const u8).add(std::mem::size_of::<UserData>()) }
    }

    #[inline]
    pub fn payload<T: Any>(&self) -> Option<&T> {
        if self.kind.type_id == TypeId::of::<T>() {
            // SAFETY: a `T` follows the userdata (`kind` was made for it), alive as long as
            // the userdata.
            return Some(unsafe { &*(self.after() as *const T) });
        }
        if self.kind.boxed {
            return self.payload_any().downcast_ref();
        }
        None
    }

    pub fn payload_any(&self) -> &dyn Any {
        // SAFETY: `kind.as_any` was made for what follows the userdata (see `payload`).
        unsafe { &*(self.kind.as_any)(self.after()) }
    }

    /// Gives this userdata's calls and indexing shortcuts (see [`FastPaths`]); its
    /// metamethods must still handle every operation, as a shortcut may decline any of them.
    pub fn set_fast_paths(&self, paths: Option<&'static FastPaths>) {
        self.fast.set(paths)
    }

    #[inline(always)]
    pub fn fast_call(&self) -> Option<FastCallFn> {
        self.fast.get().and_then(|p| p.call)
    }

    #[inline(always)]
    pub fn fast_paths(&self) -> Option<&'static FastPaths> {
        self.fast.get()
    }

    pub fn metatable(&self) -> Option<Gc<Table>> {
        self.metatable.get()
    }

    pub fn set_metatable(&self, mt: Option<Gc<Table>>) {
        self.metatable.set(mt)
    }

    #[inline]
    pub fn user_value(&self, n: usize) -> Option<Value> {
        if n >= self.user_value_count as usize {
            return None;
        }
        if n == 0 {
            return Some(self.first_user_value.get());
        }
        // SAFETY: copied out; no reference into the vector escapes.
        unsafe { (*self.more_user_values.get()).as_ref().and_then(|more| more.get(n - 1).copied()) }
    }

    /// Returns false if the userdata has no user value `n`.
    pub fn set_user_value(&self, n: usize, v: Value) -> bool {
        if n >= self.user_value_count as usize {
            return false;
        }
        if n == 0 {
            self.first_user_value.set(v);
            return true;
        }
        // SAFETY: no reference into the vector is held across this write.
        match unsafe { &mut *self.more_user_values.get() } {
            Some(more) => more[n - 1] = v,
            None => unreachable!("a userdata with more than one user value has them boxed"),
        }
        true
    }
}

// SAFETY: reports the metatable and user values (obligation 1); the payload holds no GC values
// by the contract of `new`. `as_value` wraps this very object (obligation 3).
unsafe impl Trace for UserData {
    fn trace(&self, tracer: &mut Tracer) {
        if let Some(mt) = self.metatable.get() {
            tracer.mark(mt);
        }
        if self.user_value_count > 0 {
            tracer.mark_value(self.first_user_value.get());
        }
        // SAFETY: read-only traversal during marking.
        if let Some(more) = unsafe { &*self.more_user_values.get() } {
            for &v in more.iter() {
                tracer.mark_value(v);
            }
        }
    }
    fn extra_bytes(&self) -> usize {
        self.extra_bytes
    }
    fn as_value(&self, self_ptr: ErasedPtr) -> Option<Value> {
        // SAFETY: obligation 3 of `Trace`: `self_ptr` points to this userdata.
        Some(Value::UserData(unsafe { Gc::from_erased(self_ptr) }))
    }
}
