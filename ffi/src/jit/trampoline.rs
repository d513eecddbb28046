//! Callback trampolines: native functions with a planned C signature that hand their
//! arguments to a Rust dispatcher. The mirror image of a [`Stub`](super::Stub).
//!
//! # The trampoline contract
//!
//! A [`Trampoline`] made by [`TrampolinePool::create`] for a plan (SysV x64, Win64 or Swift;
//! not variadic) is a C function pointer of that signature and convention. Each call:
//! 1. stores every argument in its C representation in a fresh argument block with the layout
//!    [`ArgBlock::of`] gives for the plan (the same one a [`Stub`](super::Stub) reads, so the
//!    binding decodes callback arguments with the code that encodes call arguments; a
//!    `swift_error_result` argument is the pointer to a slot holding the incoming r12);
//! 2. calls `dispatcher(ctx, args, ret)` ([`Dispatcher`], System V) on the calling thread, with
//!    the context the trampoline was created (or last [`set`](TrampolinePool::set)) with;
//!    `ret` is a zeroed result buffer of `block.ret_size` bytes, or, for a result returned
//!    through a hidden pointer, that pointer (the dispatcher writes the result there);
//! 3. returns the first `plan.ret_size` bytes of `ret` as the plan says (registers, x87, the
//!    hidden pointer echoed in rax), writes the error slot back to r12 for Swift, and pops
//!    what the convention makes the callee pop.
//!
//! The dispatcher must not unwind (a Rust panic or a Lua error may not cross the C frames
//! above it): it catches, leaves a zeroed result, and lets the binding re-raise later.
//!
//! # Freed trampolines
//!
//! [`TrampolinePool::free`] never unmaps or rewrites code: the slot's thunk stays valid
//! machine code, its body stays the one of its signature, and its context becomes null and
//! its dispatcher the pool's *freed handler*. So a C library that calls a freed callback gets
//! a well-formed call: the freed handler runs with `ctx` null. The default handler,
//! [`abort_on_freed_callback`], prints `rivet: a freed callback was called` and aborts the
//! process (nothing sensible can be returned to C in general); a binding may install its own
//! with [`TrampolinePool::set_freed_handler`] (for instance to record the error and return the
//! zeroed result). Freed slots are reused oldest-freed first, so a stale pointer keeps
//! reaching the freed handler for as long as possible; once a slot is reused, a stale pointer
//! to it calls the new callback (as in any C library, a freed function pointer must not be
//! called).
//!
//! # Threads
//!
//! Trampolines run on whatever thread C calls them on; the dispatcher is that thread's code.
//! The hook for a thread check is the context: the binding's context records the owning
//! thread (e.g. `std::thread::current().id()` or the runtime's identity) and the dispatcher
//! compares it with the current thread before touching the runtime, reporting "callback
//! called on a foreign thread" instead of entering the VM.
//!
//! # Memory
//!
//! Each trampoline is a 16-byte thunk `mov r11, <slot record>; jmp [r11]` in a chunk of
//! [`SLOTS_PER_CHUNK`] thunks, written once and then mapped read-execute for good (W^X); the
//! slot records `{ body, ctx, dispatcher }` live in ordinary (writable, never executable)
//! memory. Bodies are generated per distinct plan and shared. Chunks are added on demand: no
//! fixed limit.

use std::collections::{HashMap, VecDeque};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynasmrt::mmap::{ExecutableBuffer, MutableBuffer};

use super::argblock::ArgBlock;
use super::memory::{host_runs_x64_stubs, ExecCode};
use super::x64_trampoline::emit_trampoline_body;
use crate::abi::{Abi, CallPlan, Pass, RetPlan};
use crate::error::JitError;
use crate::target::Isa;

/// The Rust side of every callback: `ctx` the trampoline's context (null for a freed one),
/// `args` the argument block, `ret` the result buffer (see the [module documentation](self)).
pub type Dispatcher = unsafe extern "C" fn(ctx: *mut c_void, args: *mut u8, ret: *mut u8);

/// Thunks per chunk of executable memory (one page of 16-byte thunks).
pub const SLOTS_PER_CHUNK: usize = 256;
const THUNK_BYTES: usize = 16;

/// The record a thunk points r11 to: read by the thunk (`body`) and the body (`ctx`,
/// `dispatcher`); written by the pool.
#[repr(C)]
struct SlotRecord {
    body: AtomicUsize,
    ctx: AtomicUsize,
    dispatcher: AtomicUsize,
    _pad: usize,
}

struct Chunk {
    records: Box<[SlotRecord]>,
    code: ExecutableBuffer,
}

/// The key of the body cache: a plan without its types.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BodyKey {
    abi: Abi,
    args: Vec<(Pass, u32)>,
    ret: RetPlan,
    callee_pops: u32,
    block: ArgBlock,
}

/// One live callback: its C function pointer and its argument block layout.
#[derive(Clone, Debug)]
pub struct Trampoline {
    slot: u32,
    entry: *const c_void,
    block: ArgBlock,
}

impl Trampoline {
    /// The C function pointer.
    pub fn entry(&self) -> *const c_void {
        self.entry
    }

    /// The layout of the argument block and result buffer the dispatcher receives.
    pub fn block(&self) -> &ArgBlock {
        &self.block
    }

    /// The pool slot (for [`TrampolinePool::free`] and [`TrampolinePool::set`]).
    pub fn slot(&self) -> u32 {
        self.slot
    }
}

/// The freed handler installed by default: reports and aborts.
pub extern "C" fn abort_on_freed_callback(_ctx: *mut c_void, _args: *mut u8, _ret: *mut u8) {
    eprintln!("rivet: a freed callback was called");
    std::process::abort();
}

/// All the trampolines of one owner (a runtime): slots, shared bodies, the freed handler.
/// Dropping the pool unmaps every trampoline, so it must outlive every C use of them.
pub struct TrampolinePool {
    bodies: HashMap<BodyKey, Arc<ExecCode>>,
    chunks: Vec<Chunk>,
    /// Slots never used yet start at this index.
    fresh: usize,
    /// Freed slots, oldest first.
    freed: VecDeque<u32>,
    /// Per slot ever used: whether it holds a live trampoline.
    in_use: Vec<bool>,
    live: usize,
    freed_handler: Dispatcher,
}

impl Default for TrampolinePool {
    fn default() -> Self {
        TrampolinePool::new()
    }
}

impl std::fmt::Debug for TrampolinePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrampolinePool").field("live", &self.live).field("bodies", &self.bodies.len()).finish()
    }
}

impl TrampolinePool {
    pub fn new() -> TrampolinePool {
        TrampolinePool {
            bodies: HashMap::new(),
            chunks: Vec::new(),
            fresh: 0,
            freed: VecDeque::new(),
            in_use: Vec::new(),
            live: 0,
            freed_handler: abort_on_freed_callback,
        }
    }

    /// The dispatcher freed trampolines call (with a null context) from now on, for slots
    /// freed from now on.
    pub fn set_freed_handler(&mut self, handler: Dispatcher) {
        self.freed_handler = handler;
    }

    /// A trampoline for `plan` calling `dispatcher` with `ctx`.
    pub fn create(
        &mut self,
        plan: &CallPlan,
        dispatcher: Dispatcher,
        ctx: *mut c_void,
    ) -> Result<Trampoline, JitError> {
        if plan.variadic {
            return Err(JitError::VariadicCallback);
        }
        if plan.abi.isa() != Isa::X64 || !host_runs_x64_stubs() {
            return Err(JitError::ForeignIsa { abi: plan.abi.name() });
        }
        let block = ArgBlock::of(plan);
        let key = BodyKey {
            abi: plan.abi,
            args: plan.args.iter().map(|a| (a.pass.clone(), a.size)).collect(),
            ret: plan.ret.clone(),
            callee_pops: plan.stack.callee_pops,
            block: block.clone(),
        };
        let body = match self.bodies.get(&key) {
            Some(body) => body.entry() as usize,
            None => {
                let code = Arc::new(ExecCode::new(&emit_trampoline_body(plan, &block)?)?);
                let entry = code.entry() as usize;
                self.bodies.insert(key, code);
                entry
            }
        };
        let slot = match self.freed.pop_front() {
            Some(slot) => slot as usize,
            None => {
                if self.fresh == self.chunks.len() * SLOTS_PER_CHUNK {
                    self.chunks.push(new_chunk()?);
                }
                self.fresh += 1;
                self.in_use.push(false);
                self.fresh - 1
            }
        };
        self.in_use[slot] = true;
        let record = self.record(slot);
        record.body.store(body, Ordering::Release);
        record.dispatcher.store(dispatcher as usize, Ordering::Release);
        record.ctx.store(ctx as usize, Ordering::Release);
        self.live += 1;
        let chunk = &self.chunks[slot / SLOTS_PER_CHUNK];
        let entry = chunk.code.as_ptr().wrapping_add(THUNK_BYTES * (slot % SLOTS_PER_CHUNK)) as *const c_void;
        Ok(Trampoline { slot: slot as u32, entry, block })
    }

    fn record(&self, slot: usize) -> &SlotRecord {
        &self.chunks[slot / SLOTS_PER_CHUNK].records[slot % SLOTS_PER_CHUNK]
    }

    fn live_record(&self, slot: u32) -> Option<&SlotRecord> {
        let in_use = self.in_use.get(slot as usize).copied().unwrap_or(false);
        in_use.then(|| self.record(slot as usize))
    }

    /// Points a live trampoline at another context (`cb:set`); false if `slot` is not live.
    pub fn set(&mut self, slot: u32, ctx: *mut c_void) -> bool {
        match self.live_record(slot) {
            Some(record) => {
                record.ctx.store(ctx as usize, Ordering::Release);
                true
            }
            None => false,
        }
    }

    /// Frees a trampoline: calls of it reach the freed handler (see the module
    /// documentation) until the slot is reused. False if `slot` is not live.
    pub fn free(&mut self, slot: u32) -> bool {
        let handler = self.freed_handler as usize;
        match self.live_record(slot) {
            Some(record) => {
                record.ctx.store(0, Ordering::Release);
                record.dispatcher.store(handler, Ordering::Release);
                self.freed.push_back(slot);
                self.in_use[slot as usize] = false;
                self.live -= 1;
                true
            }
            None => false,
        }
    }

    /// Trampolines created and not freed.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Distinct bodies generated (one per distinct plan shape).
    pub fn bodies(&self) -> usize {
        self.bodies.len()
    }

    /// Slots mapped (live, freed and not yet used).
    pub fn capacity(&self) -> usize {
        self.chunks.len() * SLOTS_PER_CHUNK
    }
}

/// A chunk of thunks `mov r11, imm64; jmp qword [r11]`, each pointing at its own record
/// (whose body stays null until the slot is first used, and the slot is unreachable until then).
fn new_chunk() -> Result<Chunk, JitError> {
    let records: Box<[SlotRecord]> = (0..SLOTS_PER_CHUNK)
        .map(|_| SlotRecord {
            body: AtomicUsize::new(0),
            ctx: AtomicUsize::new(0),
            dispatcher: AtomicUsize::new(0),
            _pad: 0,
        })
        .collect();
    let mut buf = MutableBuffer::new(SLOTS_PER_CHUNK * THUNK_BYTES)?;
    buf.set_len(SLOTS_PER_CHUNK * THUNK_BYTES);
    for (i, record) in records.iter().enumerate() {
        let address = record as *const SlotRecord as u64;
        let thunk = &mut buf[i * THUNK_BYTES..(i + 1) * THUNK_BYTES];
        // mov r11, imm64 (49 bb imm64); jmp qword [r11] (41 ff 23); int3 padding.
        thunk[..2].copy_from_slice(&[0x49, 0xbb]);
        thunk[2..10].copy_from_slice(&address.to_le_bytes());
        thunk[10..13].copy_from_slice(&[0x41, 0xff, 0x23]);
        thunk[13..].fill(0xcc);
    }
    let code = buf.make_exec()?;
    dynasmrt::cache_control::synchronize_icache(&code);
    Ok(Chunk { records, code })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::plan_call;
    use crate::{CTypeTable, Target};

    fn plan(types: &mut CTypeTable, ty: &str) -> CallPlan {
        let f = types.parse_type(ty, &[]).unwrap();
        plan_call(types, f, &[], None, Target::X86_64_LINUX).unwrap()
    }

    unsafe extern "C" fn add(ctx: *mut c_void, args: *mut u8, ret: *mut u8) {
        // SAFETY: the plan is `long (*)(long, long)`: two 8-byte slots, an 8-byte result.
        unsafe {
            let a = *(args as *const i64);
            let b = *(args.add(8) as *const i64);
            *(ret as *mut i64) = a + b + ctx as i64;
        }
    }

    #[test]
    fn a_trampoline_is_a_c_function() {
        if !host_runs_x64_stubs() {
            return;
        }
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let mut pool = TrampolinePool::new();
        let cb = pool.create(&plan(&mut t, "long (*)(long, long)"), add, 1000 as *mut c_void).unwrap();
        // SAFETY: the trampoline has exactly this signature.
        let f: extern "C" fn(i64, i64) -> i64 = unsafe { std::mem::transmute(cb.entry()) };
        assert_eq!(f(3, 4), 1007);
        assert!(pool.set(cb.slot(), 2000 as *mut c_void));
        assert_eq!(f(3, 4), 2007);
        assert!(pool.free(cb.slot()));
        assert!(!pool.free(cb.slot()), "a double free is refused");
        assert_eq!(pool.live(), 0);
    }

    #[test]
    fn variadic_callbacks_are_rejected() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let p = plan(&mut t, "int (*)(int, ...)");
        let err = TrampolinePool::new().create(&p, add, std::ptr::null_mut()).unwrap_err();
        assert!(err.to_string().contains("variadic"), "{err}");
    }
}
