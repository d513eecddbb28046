//! Callbacks whose Lua function runs as machine code (`rivet_lang::jit`'s compiled
//! functions): a short function that calls nothing, such as a `qsort` comparator, gets its
//! number parameters as numbers and its pointers-to-numbers parameters as raw addresses it
//! reads as `p[i]`, so a call makes no cdata, no frame and no protected call. When the code
//! stops before its end (a value of another kind than it was made for), the pointer
//! parameters are boxed as usual and the interpreter finishes the call under the callback's
//! usual protection; a script cannot tell the difference but by speed.
//!
//! Each callback slot compiles its function once, at its first call (again after `cb:set`);
//! a function the compiler refuses takes the usual path from then on.

use super::callable::{Callable, RetKind};
use super::cdata::Place;
use super::convert::{num_value, Ctx};
use super::typeinfo::{Scalar, Shape};
use rivet_lang::jit::{CompiledFunction, CompiledRun, ElemKind, ParamKind};
use rivet_lang::{LuaResult, Value};

/// A slot's compiled form of its function.
pub(crate) struct CompiledCallback {
    /// The function it was compiled from (kept alive by the slot's entry in the roots).
    function: Value,
    /// `None`: the compiler refused it.
    code: Option<std::rc::Rc<CompiledFunction>>,
    /// Where each argument is in the trampoline's argument block, and how to read it.
    args: Vec<RawArg>,
}

/// An argument as the compiled function takes it: a number of this C type, or an address.
#[derive(Clone, Copy)]
enum RawArg {
    Number { offset: u32, scalar: Scalar },
    Address { offset: u32 },
}

/// What each parameter of `callable` is to the compiled function and where its argument
/// is, or `None` when some parameter has no compiled form (structs by value, pointers to
/// anything but numbers: the usual path).
fn param_kinds(ctx: &Ctx, callable: &Callable) -> Option<Vec<(ParamKind, RawArg)>> {
    callable
        .plain
        .params
        .iter()
        .map(|p| match p.kind.as_value() {
            RetKind::Number(Scalar::Bool) => None,
            RetKind::Number(scalar) => Some((ParamKind::Value, RawArg::Number { offset: p.offset, scalar })),
            RetKind::Pointer => match ctx.st.info(p.ty).shape {
                Shape::Pointer { elem_scalar: Some(s), .. } => {
                    elem_kind(s).map(|e| (ParamKind::Pointer(e), RawArg::Address { offset: p.offset }))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn elem_kind(s: Scalar) -> Option<ElemKind> {
    Some(match s {
        Scalar::Bool => return None,
        Scalar::I8 => ElemKind::I8,
        Scalar::U8 => ElemKind::U8,
        Scalar::I16 => ElemKind::I16,
        Scalar::U16 => ElemKind::U16,
        Scalar::I32 => ElemKind::I32,
        Scalar::U32 => ElemKind::U32,
        Scalar::I64 => ElemKind::I64,
        Scalar::U64 => ElemKind::U64,
        Scalar::F32 => ElemKind::F32,
        Scalar::F64 => ElemKind::F64,
    })
}

impl CompiledCallback {
    /// Compiles `f` for `callable`'s parameters (once per function: `is_for` says whether a
    /// slot's compiled form is still its function's).
    pub fn new(ctx: &mut Ctx, callable: &Callable, f: Value) -> CompiledCallback {
        let params = param_kinds(ctx, callable).unwrap_or_default();
        let kinds: Vec<ParamKind> = params.iter().map(|&(k, _)| k).collect();
        let code =
            if params.len() == callable.plain.params.len() { ctx.lua.compile_function(f, &kinds).ok() } else { None };
        CompiledCallback { function: f, code, args: params.into_iter().map(|(_, a)| a).collect() }
    }

    pub fn is_for(&self, f: Value) -> bool {
        self.function.raw_eq(f)
    }

    /// The function it was compiled from.
    pub fn function(&self) -> Value {
        self.function
    }

    pub fn compiled(&self) -> bool {
        self.code.is_some()
    }

    /// Runs the call of the function at stack[func] (already pushed) with the C arguments in
    /// the trampoline's block `args`, and returns its Lua result; `box_pointer(i)` makes
    /// pointer argument `i`'s cdata if the code stops and the interpreter must finish the
    /// call, which `finish(pc)` then does (a protected call from instruction `pc`).
    // Inlined into the dispatcher: a call of its own cost a fifth of the whole callback
    // (measured: 46 against 37 ns per qsort comparison).
    #[inline(always)]
    pub fn run(
        &self,
        ctx: &mut Ctx,
        func: usize,
        args: *mut u8,
        mut box_pointer: impl FnMut(&mut Ctx, usize) -> LuaResult<Value>,
        finish: impl FnOnce(&mut Ctx, usize) -> LuaResult<Value>,
    ) -> LuaResult<Value> {
        let Some(code) = &self.code else { unreachable!("run only compiled callbacks") };
        // A NULL pointer argument: the interpreter runs the call (and reports `p[i]` on it).
        let mut null = false;
        for &a in &self.args {
            let v = match a {
                RawArg::Number { offset, scalar } => {
                    let n = Place::raw(args as usize + offset as usize).load_inline(scalar);
                    num_value(n.map_err(|e| ctx.access_error(e))?, scalar)
                }
                RawArg::Address { offset } => {
                    let addr = Place::raw(args as usize + offset as usize).load_addr();
                    let addr = addr.map_err(|e| ctx.access_error(e))?;
                    null |= addr == 0;
                    Value::LightUserData(addr)
                }
            };
            ctx.lua.push(v);
        }
        let run = if null { CompiledRun::Stopped { pc: 0 } } else { ctx.lua.run_compiled_function(code, func) };
        match run {
            CompiledRun::Returned(v) => Ok(v),
            CompiledRun::Stopped { pc } => {
                for (i, kind) in code.params().iter().enumerate() {
                    if let ParamKind::Pointer(_) = kind {
                        let v = box_pointer(ctx, i)?;
                        ctx.lua.stack_set(func + 1 + i, v);
                    }
                }
                finish(ctx, pc)
            }
        }
    }
}
