//! Whole functions as machine code, for a host that calls a Lua function from machine code
//! with arguments whose C types it knows (the ffi's callbacks): [`Lua::compile_function`]
//! makes a [`CompiledFunction`] of a short function that calls nothing and reads its pointer
//! parameters only as `p[i]` (`plan::plan_function`), so they stay raw addresses;
//! [`Lua::run_compiled_function`] runs it, and when it stops before its end the host boxes
//! those parameters and lets the interpreter go on from there ([`Lua::pcall_across_c`]). The
//! code is kept with the function's prototype and shared by its closures.

use super::plan;
#[cfg(target_arch = "x86_64")]
use super::x64;
use crate::gc::Gc;
use crate::vm::closure::FnProto;
use crate::vm::value::Value;
use crate::vm::Lua;

/// What a compiled function knows of a parameter: any Lua value, or an address of numbers of
/// one kind that the function reads as `p[i]` (passed as a light userdata, so never boxed).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamKind {
    Value,
    Pointer(ElemKind),
}

/// The kind of number a pointer parameter points at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElemKind {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl ElemKind {
    pub fn size(self) -> u32 {
        match self {
            ElemKind::I8 | ElemKind::U8 => 1,
            ElemKind::I16 | ElemKind::U16 => 2,
            ElemKind::I32 | ElemKind::U32 | ElemKind::F32 => 4,
            ElemKind::I64 | ElemKind::U64 | ElemKind::F64 => 8,
        }
    }
}

/// A Lua function's machine code for calls with parameters of known kinds (see the module
/// documentation). It is for closures of the prototype it was made from; whoever keeps it
/// keeps that prototype alive (the host's reference to the function does).
pub struct CompiledFunction {
    #[cfg(target_arch = "x86_64")]
    code: x64::LoopCode,
    proto: Gc<FnProto>,
    params: Box<[ParamKind]>,
}

impl CompiledFunction {
    pub fn params(&self) -> &[ParamKind] {
        &self.params
    }
}

/// How a run of a compiled function ended.
#[derive(Clone, Copy, Debug)]
pub enum CompiledRun {
    /// It returned this value (nil for no value).
    Returned(Value),
    /// It stopped before instruction `pc`: the registers are as the interpreter would have
    /// them there, but for the pointer parameters, still light userdata. The host replaces
    /// those by their Lua values and calls [`Lua::pcall_across_c`] with this pc.
    Stopped { pc: usize },
}

impl Lua {
    /// Compiles Lua function `f` for calls whose parameters are of the kinds `params`, or
    /// says why not (see `plan::plan_function`). The code is kept with the function's
    /// prototype: asking again (for `f` or another closure of it) gives the same code.
    pub fn compile_function(
        &mut self,
        f: Value,
        params: &[ParamKind],
    ) -> Result<std::rc::Rc<CompiledFunction>, &'static str> {
        let Value::LuaFn(cl) = f else { return Err("not a Lua function") };
        if !self.loop_compiler() {
            return Err("the compiler is off");
        }
        let proto = cl.proto;
        let known = proto.jit.functions.borrow().iter().find(|(k, _)| **k == *params).map(|(_, c)| c.clone());
        if let Some(compiled) = known {
            return Ok(compiled);
        }
        let planned = plan::plan_function(&proto, params);
        if self.loop_compiler_verbose {
            let place = format!("{}:{}", crate::span::chunk_id(&proto.source), proto.line_defined);
            match &planned {
                Ok(_) => eprintln!("[function] {place}: compiled"),
                Err(why) => eprintln!("[function] {place}: not compiled ({why})"),
            }
        }
        let plan = planned?;
        #[cfg(target_arch = "x86_64")]
        {
            let code = x64::emit_function(&plan, proto.code.len(), &super::layout()).ok_or("no executable memory")?;
            self.loop_stats.compiled += 1;
            let compiled = std::rc::Rc::new(CompiledFunction { code, proto, params: params.into() });
            proto.jit.functions.borrow_mut().push((params.into(), compiled.clone()));
            Ok(compiled)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = plan;
            Err("no compiler for this processor")
        }
    }

    /// Runs `cf` for the call of stack[func] with its arguments above it (as `call` takes
    /// them; pointer parameters as light userdata addresses). A function that is not a
    /// closure of `cf`'s prototype, a debug hook or the compiler being off make it stop at
    /// once (`Stopped { pc: 0 }`).
    #[inline]
    pub fn run_compiled_function(&mut self, cf: &CompiledFunction, func: usize) -> CompiledRun {
        let stop = CompiledRun::Stopped { pc: 0 };
        let Value::LuaFn(cl) = self.th().stack[func] else { return stop };
        if !Gc::ptr_eq(cl.proto, cf.proto) || self.th().hook.mask != 0 || !self.loop_compiler() {
            return stop;
        }
        let base = func + 1;
        let needed = base + cf.proto.max_stack as usize;
        if needed > self.th().stack.len() && self.check_stack(needed).is_err() {
            return stop;
        }
        #[cfg(target_arch = "x86_64")]
        {
            let regs = self.th().stack.as_mut_ptr().wrapping_add(base);
            let interrupt = std::sync::Arc::as_ptr(&self.interrupt) as *const u8;
            // SAFETY: as in `run_loop`: the code was emitted for this prototype (checked
            // above), the stack holds its registers from `base` (`check_stack`), and it calls
            // nothing. Pointer parameters are read as the host declared them: the host
            // vouches for the addresses (a C caller's arguments).
            let answer = unsafe {
                (cf.code.entry)(
                    regs,
                    self as *mut Lua,
                    cf.proto.constants.as_ptr(),
                    base,
                    interrupt,
                    cl.upvals.as_ptr() as *const usize,
                )
            };
            if answer & x64::RETURNED == 0 {
                return CompiledRun::Stopped { pc: answer as usize };
            }
            let reg = answer & !x64::RETURNED;
            // Read as two words (`Value::load`): the machine code just stored it so.
            CompiledRun::Returned(if reg == x64::NO_RESULT {
                Value::Nil
            } else {
                self.th().stack[base + reg as usize].load()
            })
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = (cl, base);
            stop
        }
    }
}
