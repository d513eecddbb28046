//! The loop compiler: hot numeric `for` loops (register moves, constants, number arithmetic
//! and comparisons, forward branches, calls of C functions through their compiled entries)
//! become x86-64 machine code that runs the loop until it ends or until a value is not of the
//! kind the code was made for; the interpreter then goes on at that instruction (see
//! `plan.rs`). It exists for loops that call C: such a loop's iteration costs a few dozen
//! instructions instead of the interpreter's few hundred.
//!
//! When: every prototype counts the backward jumps of its integer `for` loops
//! ([`LoopCache::heat`]); when the count runs out the interpreter asks `Lua::hot_loop`,
//! which compiles the loop that jumped (once: a refused loop is remembered; a loop whose code
//! proved useless is compiled again a few times) and runs it. Compiled loops run only while
//! no debug hook is set and the compiler is on (`Lua::set_loop_compiler`, LuaJIT's
//! `jit.on`/`jit.off`).
//!
//! Whole functions too, for the ffi's callbacks (`function.rs`).

mod function;
mod plan;
#[cfg(target_arch = "x86_64")]
mod x64;

pub use function::{CompiledFunction, CompiledRun, ElemKind, ParamKind};

use crate::gc::{Gc, Tracer};
use crate::vm::closure::{FnProto, LuaClosure};
use crate::vm::userdata::UserData;
use crate::vm::value::Value;
use crate::vm::{Lua, LuaResult};
use std::cell::{Cell, RefCell};

/// Backward jumps of a prototype's loops between two looks at them: loops that run fewer
/// times never pay for compiling, and a prototype with loops that cannot be compiled asks
/// again only this often.
const HEAT: u32 = 100;

/// A prototype's compiled loops and its countdown to the next look.
pub struct LoopCache {
    /// Counts down at each backward jump of an integer `for` loop; at 1 the interpreter calls
    /// `hot_loop`.
    pub(crate) heat: Cell<u32>,
    loops: RefCell<Vec<LoopRecord>>,
    /// The function compiled for each list of parameter kinds asked for (callbacks of the
    /// same function, or of closures of it, share the code).
    functions: RefCell<Vec<CompiledFor>>,
}

/// A function's code for one list of parameter kinds.
type CompiledFor = (Box<[ParamKind]>, std::rc::Rc<CompiledFunction>);

/// What became of one loop (by the index of its body's first instruction).
struct LoopRecord {
    body_pc: usize,
    compiled: Option<CompiledLoop>,
    /// 0 until its code is first given back (see `CompiledLoop::runs_without_progress`), then
    /// 1 + the attempts to compile it again since (the callees or conditions may have
    /// changed): at most `RECOMPILES` attempts, counted whether they succeed or are refused.
    given_back: u8,
}

/// See `LoopRecord::given_back`.
const RECOMPILES: u8 = 2;

struct CompiledLoop {
    #[cfg(target_arch = "x86_64")]
    code: x64::LoopCode,
    /// The C functions the code calls (it checks the callee is still each of them by address:
    /// kept alive so that no other object can take that address).
    callees: Vec<Gc<UserData>>,
    /// The register counting the loop's remaining iterations (`R[A+1]` of its `ForLoop`),
    /// and the instruction after the loop.
    count_reg: usize,
    end_pc: usize,
    /// Runs in a row that stopped before finishing one iteration (the code is then of no use:
    /// a value that never has the kind it expects, a call its entry always declines); at
    /// `USELESS_RUNS` the loop is given back to the interpreter (see `LoopRecord::given_back`).
    runs_without_progress: Cell<u32>,
}

/// See `CompiledLoop::runs_without_progress`.
const USELESS_RUNS: u32 = 16;

impl Default for LoopCache {
    fn default() -> Self {
        LoopCache { heat: Cell::new(HEAT), loops: RefCell::new(Vec::new()), functions: RefCell::new(Vec::new()) }
    }
}

impl LoopCache {
    pub(crate) fn trace(&self, tracer: &mut Tracer) {
        for record in self.loops.borrow().iter() {
            for &ud in record.compiled.iter().flat_map(|c| c.callees.iter()) {
                tracer.mark(ud);
            }
        }
    }
}

/// Counts of the loop compiler's work, for tests and tools.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct LoopStats {
    /// Loops compiled.
    pub compiled: u64,
    /// Loops looked at and refused.
    pub refused: u64,
    /// Times compiled loops were entered.
    pub entered: u64,
    /// Compiled loops given back to the interpreter because their code kept stopping before
    /// finishing an iteration.
    pub given_back: u64,
}

impl Lua {
    /// Turns the loop compiler on or off (on by default where it exists: x86-64). Loops
    /// already compiled stay compiled but do not run while it is off.
    pub fn set_loop_compiler(&mut self, on: bool) {
        self.loop_compiler_on = on;
    }

    pub fn loop_compiler(&self) -> bool {
        self.loop_compiler_on && cfg!(target_arch = "x86_64")
    }

    /// Whether the loop compiler reports each loop and function it looks at on stderr
    /// (`[loop] chunk:line: compiled`, or `not compiled (the reason)`; the CLI's `-jv`).
    pub fn set_loop_compiler_verbose(&mut self, on: bool) {
        self.loop_compiler_verbose = on;
    }

    /// What the loop compiler did so far in this runtime.
    pub fn loop_stats(&self) -> LoopStats {
        self.loop_stats
    }

    /// The interpreter's call when a prototype's loop countdown ran out, at the backward jump
    /// of the integer `for` loop whose `ForLoop` is at `forloop_pc` (the interpreter is about
    /// to run the body at `body_pc`). Compiles that loop if it was never looked at, and runs
    /// it if it is compiled: then returns the index of the instruction where the interpreter
    /// goes on.
    #[cold]
    #[inline(never)]
    pub(crate) fn hot_loop(
        &mut self,
        cl: Gc<LuaClosure>,
        base: usize,
        body_pc: usize,
        forloop_pc: usize,
    ) -> LuaResult<Option<usize>> {
        let proto = cl.proto;
        let cache = &proto.jit;
        cache.heat.set(HEAT);
        if !self.loop_compiler() {
            return Ok(None);
        }
        let known = cache.loops.borrow().iter().position(|r| r.body_pc == body_pc);
        let index = match known {
            Some(i) => {
                let again = {
                    let loops = cache.loops.borrow();
                    loops[i].compiled.is_none() && (1..=RECOMPILES).contains(&loops[i].given_back)
                };
                if again {
                    let compiled = self.compile_loop(&proto, base, body_pc, forloop_pc);
                    let mut loops = cache.loops.borrow_mut();
                    loops[i].compiled = compiled;
                    loops[i].given_back += 1;
                }
                i
            }
            None => {
                let compiled = self.compile_loop(&proto, base, body_pc, forloop_pc);
                let mut loops = cache.loops.borrow_mut();
                loops.push(LoopRecord { body_pc, compiled, given_back: 0 });
                loops.len() - 1
            }
        };
        let Some(resume) = self.run_loop(cl, base, index)? else { return Ok(None) };
        // Compiled code ran: come back at this prototype's next backward jump, which is most
        // often this loop's next run.
        cache.heat.set(1);
        Ok(Some(resume))
    }

    fn compile_loop(
        &mut self,
        proto: &FnProto,
        base: usize,
        body_pc: usize,
        forloop_pc: usize,
    ) -> Option<CompiledLoop> {
        let regs = &self.th().stack[base..base + proto.max_stack as usize];
        let planned = plan::plan_loop(proto, body_pc, forloop_pc, regs);
        if self.loop_compiler_verbose {
            let place = format!("{}:{}", crate::span::chunk_id(&proto.source), proto.line_at(forloop_pc));
            match &planned {
                Ok(_) => eprintln!("[loop] {place}: compiled"),
                Err(why) => eprintln!("[loop] {place}: not compiled ({why})"),
            }
        }
        let plan = match planned {
            Ok(plan) => plan,
            Err(_) => {
                self.loop_stats.refused += 1;
                return None;
            }
        };
        let callees = plan
            .steps
            .iter()
            .filter_map(|(_, s)| match s {
                plan::Step::NativeCall { callee, .. } => Some(*callee),
                _ => None,
            })
            .collect();
        #[cfg(target_arch = "x86_64")]
        {
            let code = x64::emit_loop(&plan, &layout())?;
            self.loop_stats.compiled += 1;
            let count_reg = plan.for_a as usize + 1;
            let end_pc = plan.forloop_pc + 1;
            Some(CompiledLoop { code, callees, count_reg, end_pc, runs_without_progress: Cell::new(0) })
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = callees;
            None
        }
    }

    /// Runs compiled loop `index` of `proto` in the frame at `base`; the index of the
    /// instruction to go on at, or `None` when the loop was refused.
    fn run_loop(&mut self, cl: Gc<LuaClosure>, base: usize, index: usize) -> LuaResult<Option<usize>> {
        let proto = &cl.proto;
        #[cfg(target_arch = "x86_64")]
        {
            let (entry, count_reg, end_pc) = {
                let loops = proto.jit.loops.borrow();
                let Some(compiled) = loops[index].compiled.as_ref() else { return Ok(None) };
                (compiled.code.entry, base + compiled.count_reg, compiled.end_pc)
            };
            self.loop_stats.entered += 1;
            let left_before = self.th().stack[count_reg].load();
            let regs = self.th().stack.as_mut_ptr().wrapping_add(base);
            let constants = proto.constants.as_ptr();
            let interrupt = std::sync::Arc::as_ptr(&self.interrupt) as *const u8;
            let upvalues = cl.upvals.as_ptr() as *const usize;
            // SAFETY: the code was emitted for this prototype's loop (`x64`), reads and writes
            // only the frame's registers (below `base + max_stack`, which the stack holds
            // while the frame runs), the prototype's constants, the interrupt flag (an
            // `AtomicBool`: one byte, read only) and the variables of the closure's upvalues
            // (one link per upvalue operand, which the verifier bounded by the prototype's
            // upvalue count; each link is a pointer to a live upvalue object, which points at
            // its variable: `UpVal`), and calls entries under their contract
            // (`NativeCallEntry`) and `safe_point_from_loop`, which get this runtime through
            // the pointer while nothing else uses it: this function holds the only borrow.
            let pc = unsafe { entry(regs, self as *mut Lua, constants, base, interrupt, upvalues) };
            if pc & x64::RAISED != 0 {
                // A call raised a callback's error: raised here as that call's, with the
                // frame's position at it.
                let call_pc = (pc & !x64::RAISED) as usize;
                let a = proto.code[call_pc].a() as usize;
                let error = self.th().stack[base + a];
                self.save_pc(proto.code.as_ptr().wrapping_add(call_pc + 1));
                return Err(crate::vm::LuaError::new(error));
            }
            let progressed = pc as usize == end_pc || !self.th().stack[count_reg].load().raw_eq(left_before);
            let mut loops = proto.jit.loops.borrow_mut();
            if let Some(compiled) = loops[index].compiled.as_ref() {
                let useless = if progressed { 0 } else { compiled.runs_without_progress.get() + 1 };
                compiled.runs_without_progress.set(useless);
                if useless >= USELESS_RUNS {
                    loops[index].compiled = None;
                    loops[index].given_back = loops[index].given_back.max(1);
                    self.loop_stats.given_back += 1;
                    if self.loop_compiler_verbose {
                        let line = proto.line_at(end_pc - 1);
                        eprintln!(
                            "[loop] {}:{line}: given back (its code keeps stopping)",
                            crate::span::chunk_id(&proto.source)
                        );
                    }
                }
            }
            Ok(Some(pc as usize))
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = (cl, base, index);
            Ok(None)
        }
    }
}

/// What the emitter must know of this runtime's objects.
#[cfg(target_arch = "x86_64")]
fn layout() -> x64::Layout {
    use crate::gc::heap::Heap;
    let heap = std::mem::offset_of!(Lua, heap);
    x64::Layout {
        safe_point: safe_point_from_loop,
        upvalue_variable: crate::vm::closure::UpVal::VARIABLE_POINTER_OFFSET as i32,
        heap_allocated: (heap + Heap::ALLOCATED_POINTER_OFFSET) as i32,
        heap_threshold: (heap + Heap::THRESHOLD_OFFSET) as i32,
    }
}

/// `x64::SafePointFn`: a compiled loop's GC safe point after a call made a new object.
#[cfg(target_arch = "x86_64")]
unsafe extern "sysv64" fn safe_point_from_loop(lua: *mut Lua, base: usize, live: usize) -> *mut Value {
    // SAFETY: `run_loop` passed this pointer from its `&mut Lua` and uses nothing of the
    // runtime while the compiled code runs.
    let lua = unsafe { &mut *lua };
    if lua.heap.should_collect() {
        lua.gc_safe_point(base + live);
    }
    lua.th().stack.as_mut_ptr().wrapping_add(base)
}
#[cfg(all(test, target_arch = "x86_64"))]
mod tests;
