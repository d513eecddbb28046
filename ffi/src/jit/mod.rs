//! Call stubs: machine code generated from a [`CallPlan`] that calls a C function with the
//! arguments of an argument block ([`ArgBlock`]) and stores its result in a result buffer.
//!
//! ```text
//! CallPlan ──ArgBlock::of──▶ ArgBlock ──StubShape──▶ x64::emit_call_stub ──▶ ExecCode (cached per shape)
//! ```
//!
//! # The stub contract
//!
//! A [`Stub`] is an `unsafe extern "C" fn(fnptr, args, ret, errno_out)` ([`StubFn`]):
//! - `fnptr`: the C function to call; it must have the signature and convention the plan was
//!   made for.
//! - `args`: the argument block, `block.size` bytes aligned to `block.align`, argument `i` of
//!   the plan stored in its C representation at `block.offsets[i]` (a variadic `float` as a
//!   `float`, a by-value struct as its bytes, a `swift_error_result` argument as the pointer to
//!   its slot). The callee may modify arguments passed by reference in place, so the block is
//!   the call's own. May be dangling when `block.size` is 0.
//! - `ret`: the result buffer, `block.ret_size` bytes aligned to `block.ret_align`; after the
//!   call its first `plan.ret_size` bytes hold the result in its C representation; the bytes
//!   after them (up to `block.ret_size`) are unspecified. For a result returned through a
//!   hidden pointer, `ret` is that pointer: the callee writes there. Unused for `void`.
//! - Padding bytes of `args` (between and after arguments) may be anything; the stub may read
//!   whole eightbytes of a slot but passes on only what the convention defines.
//! - `errno_out`: null, or where the stub stores the C library's `errno` right after the
//!   function returns, before any other code runs on the thread.
//!
//! Stubs are position-independent, shared by every signature with the same shape, and live
//! as long as a [`Stub`] or the [`StubCache`] holds them.
//!
//! The other direction, C calling into rivet, goes through callback trampolines
//! ([`TrampolinePool`]): native functions of a planned signature that store their arguments
//! in an argument block of the same layout and call a dispatcher; see the
//! [`trampoline`](TrampolinePool) contract in `trampoline.rs`.
//!
//! Calls from compiled code with numbers only can skip the argument block: a [`ValueEntry`]
//! (`value_entry.rs`) reads an interpreter's tagged values, calls the function with them in
//! registers and writes the result as a value.

mod aarch64;
mod aarch64_trampoline;
mod argblock;
mod memory;
mod shape;
mod trampoline;
mod value_entry;
mod x64;
mod x64_trampoline;
mod x86;
mod x86_trampoline;

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Arc;

pub use argblock::{AlignedBuf, ArgBlock};
pub use trampoline::{abort_on_freed_callback, Dispatcher, Trampoline, TrampolinePool, SLOTS_PER_CHUNK};
pub use value_entry::{EntryArg, EntryCodes, EntryResult, ValueEntry, ValueEntryFn, ValueEntrySpec, ValueLayout};
pub use x86_trampoline::{
    thunk_code as x86_thunk_code, THUNK_BYTES as X86_THUNK_BYTES, THUNK_RECORD_AT as X86_THUNK_RECORD_AT,
};

use crate::abi::CallPlan;
use crate::error::JitError;
use crate::target::Isa;
use memory::ExecCode;
use shape::StubShape;

/// The entry point of a call stub; see the [module documentation](self) for the contract.
pub type StubFn = unsafe extern "C" fn(fnptr: *const c_void, args: *mut u8, ret: *mut u8, errno_out: *mut i32);

/// A callable stub for one plan: shared code and the plan's argument block layout.
#[derive(Clone, Debug)]
pub struct Stub {
    code: Arc<ExecCode>,
    entry: StubFn,
    block: ArgBlock,
}

impl Stub {
    /// The stub's entry point, for callers that manage their own buffers.
    pub fn entry(&self) -> StubFn {
        self.entry
    }

    /// Where the arguments go and how large the buffers must be.
    pub fn block(&self) -> &ArgBlock {
        &self.block
    }

    /// Bytes of machine code.
    pub fn code_len(&self) -> usize {
        self.code.len()
    }

    /// Calls `fnptr` with the arguments in `args` and stores its result in `ret`; returns
    /// the `errno` the function left.
    ///
    /// # Panics
    /// If a buffer is smaller or less aligned than [`Stub::block`] requires.
    ///
    /// # Safety
    /// 1. `fnptr` is a function with the signature and calling convention of the plan the
    ///    stub was made for.
    /// 2. The arguments in `args` are valid for that function (pointers point where it will
    ///    read or write, and so on): the call does whatever the C function does.
    pub unsafe fn call(&self, fnptr: *const c_void, args: &mut AlignedBuf, ret: &mut AlignedBuf) -> i32 {
        let b = &self.block;
        assert!(
            args.len() >= b.size as usize && (args.as_ptr() as usize).is_multiple_of(b.align as usize),
            "argument block"
        );
        assert!(
            ret.len() >= b.ret_size as usize && (ret.as_ptr() as usize).is_multiple_of(b.ret_align as usize),
            "result buffer"
        );
        let mut errno = 0;
        // SAFETY: the buffers satisfy the stub contract (checked above); the caller guarantees
        // that `fnptr` matches the plan and that the arguments are valid for it (obligations 1
        // and 2), which is all the stub's code relies on.
        unsafe { (self.entry)(fnptr, args.as_mut_ptr(), ret.as_mut_ptr(), &mut errno) };
        errno
    }
}

/// Stubs by shape: one piece of code per distinct way of moving arguments, generated on first
/// request. One cache serves any number of type tables.
#[derive(Debug, Default)]
pub struct StubCache {
    code: HashMap<StubShape, Arc<ExecCode>>,
}

impl StubCache {
    pub fn new() -> StubCache {
        StubCache::default()
    }

    /// The stub for `plan`, generated if no stub of the same shape exists yet.
    pub fn stub(&mut self, plan: &CallPlan) -> Result<Stub, JitError> {
        if plan.abi.isa() != Isa::X64 || !memory::host_runs_x64_stubs() {
            return Err(JitError::ForeignIsa { abi: plan.abi.name() });
        }
        let block = ArgBlock::of(plan);
        let shape = StubShape::of(plan, &block);
        let code = match self.code.get(&shape) {
            Some(code) => code.clone(),
            None => {
                let bytes = x64::emit_call_stub(&shape, memory::errno_source())?;
                let code = Arc::new(ExecCode::new(&bytes)?);
                self.code.insert(shape, code.clone());
                code
            }
        };
        // SAFETY: `code` holds a complete x86-64 function emitted by `emit_call_stub`, which
        // follows the host C convention (checked above) with exactly the parameters of
        // `StubFn`; the memory is executable and stays mapped while `code` is alive, and the
        // `Stub` keeps `code` alive for as long as `entry` can be used through it.
        let entry = unsafe { std::mem::transmute::<*const u8, StubFn>(code.entry()) };
        Ok(Stub { code, entry, block })
    }

    /// Number of distinct stubs generated.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }
}

/// The machine code of the call stub for `plan`, for any ISA rivet emits, on any host (for
/// inspection and for running in foreign-target harnesses). errno is not captured.
pub fn call_stub_code(plan: &CallPlan) -> Result<Vec<u8>, JitError> {
    let block = ArgBlock::of(plan);
    let shape = StubShape::of(plan, &block);
    match shape.isa {
        Isa::X64 => x64::emit_call_stub(&shape, None),
        Isa::X86 => x86::emit_call_stub(&shape),
        Isa::Aarch64 => aarch64::emit_call_stub(&shape),
    }
}

/// The machine code of the callback trampoline body for `plan` (not variadic), for any ISA
/// rivet emits, on any host (for inspection and for foreign-target harnesses). An i386 body is
/// entered through a thunk made by [`x86_thunk_code`] from the address of its slot record
/// `{ body, ctx, dispatcher }` (three 4-byte words; the dispatcher is cdecl); an AArch64 body
/// through the thunk [`trampoline_code`] gives with it.
pub fn trampoline_body_code(plan: &CallPlan) -> Result<Vec<u8>, JitError> {
    if plan.variadic {
        return Err(JitError::VariadicCallback);
    }
    let block = ArgBlock::of(plan);
    match plan.abi.isa() {
        Isa::X64 => x64_trampoline::emit_trampoline_body(plan, &block),
        Isa::X86 => x86_trampoline::emit_trampoline_body(plan, &block),
        Isa::Aarch64 => aarch64_trampoline::emit_trampoline_body(plan, &block),
    }
}

/// The machine code of a callback trampoline for an AArch64 plan, for harnesses that place
/// it themselves.
///
/// To make a callable trampoline: place `body` and `thunk` in executable memory, fill a
/// record `{ body address, ctx, dispatcher }` (three pointer-sized words), and write the
/// record's address at `thunk[record_at..record_at + 8]`. The thunk is then a C function of
/// the plan's signature that calls `dispatcher(ctx, args, ret)` as the [`TrampolinePool`]
/// contract describes (the dispatcher follows the target's C convention).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrampolineCode {
    pub body: Vec<u8>,
    pub thunk: Vec<u8>,
    pub record_at: usize,
    pub block: ArgBlock,
}

/// The pieces of a trampoline for `plan` (AArch64, not variadic); see [`TrampolineCode`].
pub fn trampoline_code(plan: &CallPlan) -> Result<TrampolineCode, JitError> {
    if plan.variadic {
        return Err(JitError::VariadicCallback);
    }
    let block = ArgBlock::of(plan);
    match plan.abi.isa() {
        Isa::Aarch64 => Ok(TrampolineCode {
            body: aarch64_trampoline::emit_trampoline_body(plan, &block)?,
            thunk: aarch64_trampoline::thunk(),
            record_at: aarch64_trampoline::THUNK_RECORD_AT,
            block,
        }),
        Isa::X64 | Isa::X86 => Err(JitError::ForeignIsa { abi: plan.abi.name() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{plan_call, Abi};
    use crate::{CTypeTable, Target};

    fn plan(types: &mut CTypeTable, ty: &str) -> CallPlan {
        let f = types.parse_type(ty, &[]).unwrap();
        plan_call(types, f, &[], None, Target::X86_64_LINUX).unwrap()
    }

    #[test]
    fn signatures_of_one_shape_share_a_stub() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let mut cache = StubCache::new();
        let a = cache.stub(&plan(&mut t, "int (*)(int, int)")).unwrap();
        let b = cache.stub(&plan(&mut t, "unsigned (*)(unsigned, int)")).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(a.entry() as usize, b.entry() as usize);
        // A sign-extended char moves differently from an int.
        cache.stub(&plan(&mut t, "int (*)(signed char, int)")).unwrap();
        assert_eq!(cache.len(), 2);
        assert!(a.code_len() > 0);
    }

    #[test]
    fn code_for_any_plan_without_running_it() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let f = t.parse_type("double (*)(double, long)", &[]).unwrap();
        let plan = plan_call(&t, f, &[], Some(Abi::Win64), Target::X86_64_WINDOWS).unwrap();
        let code = call_stub_code(&plan).unwrap();
        assert_eq!(&code[..4], &[0x55, 0x48, 0x89, 0xe5], "push rbp; mov rbp, rsp");
        assert_eq!(code.last(), Some(&0xc3), "ret");
    }

    #[test]
    fn calls_a_rust_function_through_a_stub() {
        extern "C" fn mix(a: i8, b: f32, c: u64) -> f64 {
            a as f64 * 1000.0 + b as f64 + c as f64 / 4.0
        }
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let mut cache = StubCache::new();
        let stub = match cache.stub(&plan(&mut t, "double (*)(signed char, float, unsigned long long)")) {
            Ok(stub) => stub,
            Err(JitError::ForeignIsa { .. }) => return, // not an x86-64 System V host
            Err(e) => panic!("{e}"),
        };
        let block = stub.block().clone();
        let mut args = AlignedBuf::for_args(&block);
        let mut ret = AlignedBuf::for_result(&block);
        let o = &block.offsets;
        args.bytes_mut()[o[0] as usize] = (-3i8) as u8;
        args.bytes_mut()[o[1] as usize..][..4].copy_from_slice(&0.5f32.to_ne_bytes());
        args.bytes_mut()[o[2] as usize..][..8].copy_from_slice(&10u64.to_ne_bytes());
        // SAFETY: `mix` has exactly the planned C signature.
        unsafe { stub.call(mix as *const c_void, &mut args, &mut ret) };
        assert_eq!(f64::from_ne_bytes(ret.bytes()[..8].try_into().unwrap()), -3000.0 + 0.5 + 2.5);
    }
}
