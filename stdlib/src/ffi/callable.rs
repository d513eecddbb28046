//! What calling a C function of one type takes, worked out once per function type and kept
//! by the ffi state: the stub the call plan needs, and for every parameter and the result
//! how its value crosses between Lua and C. A call (`call.rs`) then does no type-table
//! lookup, no planning and no hashing.
//!
//! A variadic function gets a plan per distinct list of variadic argument types (`printf`
//! with a string and a double is not planned like `printf` with two ints); those are cached
//! per callable, keyed by the list.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::collections::HashMap;

use rivet_ffi::abi::{function_type, plan_call};
use rivet_ffi::jit::{Stub, StubCache};
use rivet_ffi::{CTypeId, CTypeTable, Target};

use super::state::FfiState;
use super::typeinfo::{Scalar, Shape};

/// How a Lua value becomes a C argument.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ArgKind {
    /// An integer, `bool` or enumeration (stored as this scalar).
    Int(Scalar),
    Float(Scalar),
    /// A pointer: Lua strings pass as a pointer to their bytes (zero-terminated), `nil` as
    /// NULL, arrays decay.
    Pointer,
    /// A struct, union, complex number or `long double` passed by value: its bytes.
    Object,
}

impl ArgKind {
    /// How the argument becomes a Lua value (a callback's argument, read like a result).
    pub fn as_value(self) -> RetKind {
        match self {
            ArgKind::Int(s) | ArgKind::Float(s) => RetKind::Number(s),
            ArgKind::Pointer => RetKind::Pointer,
            ArgKind::Object => RetKind::Object,
        }
    }
}

/// One argument of a planned call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Param {
    pub ty: CTypeId,
    pub kind: ArgKind,
    /// Offset of the argument in the argument block.
    pub offset: u32,
    /// A pointer parameter a Lua string may be passed to (`const char *`, `const void *`).
    pub takes_string: bool,
}

/// How the result (or a callback's argument) becomes a Lua value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RetKind {
    Void,
    /// A number or boolean.
    Number(Scalar),
    /// A pointer cdata.
    Pointer,
    /// A cdata holding a copy of the returned object.
    Object,
}

/// One planned signature: the stub and where each argument goes.
#[derive(Debug)]
pub(crate) struct Planned {
    pub plan: rivet_ffi::abi::CallPlan,
    pub stub: Stub,
    pub params: Vec<Param>,
}

/// A C function type prepared for calls.
#[derive(Debug)]
pub(crate) struct Callable {
    /// The function type (not a pointer to it).
    pub func: CTypeId,
    pub ret_ty: CTypeId,
    pub ret: RetKind,
    /// Number of declared parameters.
    pub fixed: usize,
    pub variadic: bool,
    /// The plan of a call without variadic arguments (for a non-variadic function, of every
    /// call).
    pub plain: Planned,
    /// Whether calls can take the interpreter's shortcut (`call::fast_call`): not variadic,
    /// the result a number, nothing, or a pointer or object small enough for a cdata's inline
    /// bytes, the argument block within the shortcut's fixed buffer.
    pub fits_fast_path: bool,
    /// Size of the result type (0 for `void`).
    pub ret_size: u64,
    /// The machine-code entry of compiled loops' calls (`native_entry.rs`), made on first
    /// request; `None` inside when the signature has none.
    pub value_entry: std::cell::OnceCell<Option<rivet_ffi::jit::ValueEntry>>,
    /// Plans of variadic calls, by the types of their variadic arguments.
    with_varargs: RefCell<HashMap<Box<[CTypeId]>, std::rc::Rc<Planned>>>,
    /// The result type's description for the state generation it was looked up in (pointer
    /// and struct results of the fast path are described with it, without a lookup per call).
    result_info: RefCell<Option<(u32, std::rc::Rc<super::typeinfo::TypeInfo>)>>,
}

impl Callable {
    /// The result type's current description (cached per state generation).
    #[inline]
    pub fn result_info(&self, st: &FfiState) -> std::rc::Rc<super::typeinfo::TypeInfo> {
        if let Some((generation, info)) = &*self.result_info.borrow() {
            if *generation == st.generation() {
                return info.clone();
            }
        }
        let info = st.info(self.ret_ty);
        self.result_info.replace(Some((st.generation(), info.clone())));
        info
    }

    /// Prepares calls of the function type `func` (or pointer to one): plans them for the
    /// host's convention and generates (or reuses) the stub. The error says why the type
    /// cannot be called (an incomplete struct by value, an unsupported convention...).
    pub fn prepare(st: &FfiState, stubs: &mut StubCache, func: CTypeId) -> Result<Callable, String> {
        let (func, ret_ty, fixed, variadic) = {
            let types = st.types();
            let f = function_type(&types, func).map_err(|e| e.to_string())?;
            let func = unqualified_function(&types, func);
            (func, f.ret, f.params.len(), f.variadic)
        };
        let plain = plan(st, stubs, func, &[])?;
        let ret = match st.info(ret_ty).shape {
            Shape::Void => RetKind::Void,
            Shape::Scalar(s) | Shape::Enum(s) => RetKind::Number(s),
            Shape::Pointer { .. } => RetKind::Pointer,
            _ => RetKind::Object,
        };
        let block = plain.stub.block();
        let ret_info = st.info(ret_ty);
        let (ret_size, ret_align) = (ret_info.size.unwrap_or(0), ret_info.align);
        // A pointer or object result becomes a cdata with inline bytes (no failure).
        let small_result = ret_size as usize <= super::cdata::INLINE_SIZE && ret_align as usize <= 8;
        let fits_fast_path = !variadic
            && (matches!(ret, RetKind::Void | RetKind::Number(_)) || small_result)
            && block.size as usize <= super::call::FAST_WORDS * 8
            && block.align <= 16
            && block.ret_size as usize <= super::call::FAST_WORDS * 8
            && block.ret_align <= 16;
        Ok(Callable {
            func,
            ret_ty,
            ret,
            fixed,
            variadic,
            plain,
            fits_fast_path,
            ret_size,
            value_entry: std::cell::OnceCell::new(),
            result_info: RefCell::new(None),
            with_varargs: RefCell::new(HashMap::new()),
        })
    }

    /// The plan of a call with variadic arguments of the types `varargs`.
    pub fn with_varargs(
        &self,
        st: &FfiState,
        stubs: &mut StubCache,
        varargs: &[CTypeId],
    ) -> Result<std::rc::Rc<Planned>, String> {
        if let Some(p) = self.with_varargs.borrow().get(varargs) {
            return Ok(p.clone());
        }
        let planned = std::rc::Rc::new(plan(st, stubs, self.func, varargs)?);
        self.with_varargs.borrow_mut().insert(varargs.into(), planned.clone());
        Ok(planned)
    }
}

/// The function type itself when `ty` is a pointer to one.
fn unqualified_function(types: &CTypeTable, ty: CTypeId) -> CTypeId {
    let (ty, _) = types.unqualified(ty);
    match types.get(ty) {
        rivet_ffi::CType::Pointer(target) => types.unqualified(*target).0,
        _ => ty,
    }
}

fn plan(st: &FfiState, stubs: &mut StubCache, func: CTypeId, varargs: &[CTypeId]) -> Result<Planned, String> {
    let host: Target = st.host;
    let plan = plan_call(&st.types(), func, varargs, None, host).map_err(|e| e.to_string())?;
    let stub = stubs.stub(&plan).map_err(|e| e.to_string())?;
    let params = plan
        .args
        .iter()
        .zip(&stub.block().offsets)
        .map(|(arg, &offset)| {
            let kind = match st.info(arg.ty).shape {
                Shape::Scalar(s) | Shape::Enum(s) if s.is_float() => ArgKind::Float(s),
                Shape::Scalar(s) | Shape::Enum(s) => ArgKind::Int(s),
                Shape::Pointer { .. } | Shape::Array { .. } | Shape::Func => ArgKind::Pointer,
                _ => ArgKind::Object,
            };
            let takes_string = match (kind, st.element_of(arg.ty)) {
                (ArgKind::Pointer, Some(target)) => st.compatible_pointee(target, st.ids.const_char, false, false),
                _ => false,
            };
            Param { ty: arg.ty, kind, offset, takes_string }
        })
        .collect();
    Ok(Planned { plan, stub, params })
}
