//! Operators on cdata (the shared metatable's arithmetic, comparison, `__concat`, `__len`,
//! `__call` and `__pairs`): LuaJIT's predefined operations first (pointer arithmetic,
//! pointer differences and comparisons, arithmetic and comparison of numbers), then the
//! metatype's metamethod of the left operand, then of the right one.
//!
//! Arithmetic and comparisons with a boxed number (`1LL + 1`, `ffi.new("int", 5) == 5`)
//! follow LuaJIT's 64-bit integer rules (`int64.rs`); the VM hands `==` between a cdata and a
//! value of another type to `__eq` (`Lua::set_mixed_eq_metatable`), so `p == nil` tests for
//! NULL as in LuaJIT. Complex numbers have no arithmetic, as in LuaJIT.
#![forbid(unsafe_code)]

use rivet_lang::gc::Gc;
use rivet_lang::vm::arith::ArithOp;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, LuaResult, Value};

use super::call::call_function;
use super::cdata::{Form, Num};
use super::convert::{num_value, object_loc, Ctx};
use super::create::construct;
use super::int64::{self, Numeric};
use super::metatype::{field, metatype_for};
use super::state::cdata_of;
use super::typeinfo::{Scalar, Shape};

/// What an operand is for the predefined operations.
enum Operand {
    /// A pointer (or an array, by its address): address, element size (`None` when
    /// unknown), the pointer type, the cdata that owns what it points into.
    Pointer {
        addr: usize,
        elem_size: Option<u64>,
        ptr_ty: rivet_ffi::CTypeId,
        owner: Option<Gc<UserData>>,
    },
    /// A Lua number, or a boxed C number (with its scalar type).
    Number(Value, Option<Scalar>),
    Other,
}

fn operand(ctx: &mut Ctx, v: Value) -> LuaResult<Operand> {
    match v {
        Value::Int(_) | Value::Float(_) => return Ok(Operand::Number(v, None)),
        Value::Nil => {
            return Ok(Operand::Pointer { addr: 0, elem_size: None, ptr_ty: ctx.st.ids.void_ptr, owner: None });
        }
        _ => {}
    }
    let Some((ud, cd)) = cdata_of(&v) else { return Ok(Operand::Other) };
    if cd.form == Form::CType {
        return Ok(Operand::Other);
    }
    let info = ctx.st.info(cd.ty);
    let loc = object_loc(ud, cd);
    Ok(match &info.shape {
        Shape::Pointer { target, .. } => {
            let elem_size = ctx.st.info(*target).size;
            let addr = loc.place.load_addr().map_err(|e| ctx.access_error(e))?;
            let owner = match ud.user_value(0) {
                Some(Value::UserData(o)) => Some(o),
                _ => None,
            };
            Operand::Pointer { addr, elem_size, ptr_ty: cd.ty, owner }
        }
        Shape::Array { elem, .. } => {
            let ptr_ty = ctx.st.pointer_to(*elem);
            let elem_size = ctx.st.info(*elem).size;
            Operand::Pointer { addr: loc.place.addr(), elem_size, ptr_ty, owner: loc.owner }
        }
        Shape::Scalar(s) | Shape::Enum(s) => {
            let n = loc.place.load(*s).map_err(|e| ctx.access_error(e))?;
            Operand::Number(num_value(n, *s), Some(*s))
        }
        _ => Operand::Other,
    })
}

fn to_index(v: Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Float(f) => Some(super::cdata::f64_to_i64(f)),
        Value::Bool(b) => Some(i64::from(b)),
        _ => None,
    }
}

/// The metamethod `name` of the metatype of `a`, else of `b`.
fn metatype_method(ctx: &mut Ctx, a: Value, b: Value, name: &str) -> Option<Value> {
    for v in [a, b] {
        if let Some((_, cd)) = cdata_of(&v) {
            if let Some(mt) = metatype_for(&ctx.st, &ctx.roots, cd) {
                let f = field(ctx.lua, mt, name);
                if !f.is_nil() {
                    return Some(f);
                }
            }
        }
    }
    None
}

/// An operand's name in messages: its C type, or its Lua type.
fn operand_name(ctx: &Ctx, v: Value) -> String {
    ctx.value_name(v)
}

fn arith(lua: &mut Lua, op: ArithOp, event: &str) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let (a, b) = (ctx.lua.arg(1), ctx.lua.arg(2));
    let (x, y) = (operand(&mut ctx, a)?, operand(&mut ctx, b)?);
    let result = match (&x, &y, op) {
        (
            Operand::Pointer { addr, elem_size: Some(elem_size), ptr_ty, owner },
            Operand::Number(n, _),
            ArithOp::Add | ArithOp::Sub,
        ) => to_index(*n).map(|i| {
            let i = if op == ArithOp::Sub { i.wrapping_neg() } else { i };
            let addr = addr.wrapping_add((i.wrapping_mul(*elem_size as i64)) as usize);
            Value::UserData(ctx.new_pointer(*ptr_ty, addr, *owner))
        }),
        (Operand::Number(n, _), Operand::Pointer { addr, elem_size: Some(elem_size), ptr_ty, owner }, ArithOp::Add) => {
            to_index(*n).map(|i| {
                let addr = addr.wrapping_add((i.wrapping_mul(*elem_size as i64)) as usize);
                Value::UserData(ctx.new_pointer(*ptr_ty, addr, *owner))
            })
        }
        (
            Operand::Pointer { addr: p, elem_size: Some(elem_size), ptr_ty: pt, .. },
            Operand::Pointer { addr: q, ptr_ty: qt, .. },
            ArithOp::Sub,
        ) if *elem_size > 0 && compatible(&ctx, *pt, *qt) => {
            Some(Value::Int((*p as i64).wrapping_sub(*q as i64) / *elem_size as i64))
        }
        (&Operand::Number(m, sm), &Operand::Number(n, sn), _) => {
            match int64::operands(Numeric { value: m, boxed: sm }, Numeric { value: n, boxed: sn }) {
                Some((p, q, unsigned)) => match int64::arith(op, p, q, unsigned) {
                    Ok(bits) => Some(Value::UserData(ctx.new_int64(bits, unsigned))),
                    Err(msg) => return Err(ctx.error(msg)),
                },
                None => Some(ctx.lua.arith(op, m, n)?),
            }
        }
        _ => None,
    };
    if let Some(v) = result {
        ctx.lua.push(v);
        return Ok(1);
    }
    if let Some(f) = metatype_method(&mut ctx, a, b, event) {
        let r = ctx.lua.call_meta1(f, &[a, b])?;
        ctx.lua.push(r);
        return Ok(1);
    }
    let (na, nb) = (operand_name(&ctx, a), operand_name(&ctx, b));
    Err(ctx.error(&format!("attempt to perform arithmetic on '{na}' and '{nb}'")))
}

/// Pointers that can be subtracted or ordered: compatible pointee types, qualifiers aside.
fn compatible(ctx: &Ctx, p: rivet_ffi::CTypeId, q: rivet_ffi::CTypeId) -> bool {
    match (ctx.st.element_of(p), ctx.st.element_of(q)) {
        (Some(a), Some(b)) => ctx.compatible_pointee(a, b, false, true),
        _ => false,
    }
}

macro_rules! arith_metamethods {
    ($($name:ident => $op:ident, $event:literal;)*) => {
        $(pub(crate) fn $name(lua: &mut Lua) -> LuaResult<usize> { arith(lua, ArithOp::$op, $event) })*
        /// The arithmetic metamethods of the shared metatable.
        pub(crate) const ARITH_METAMETHODS: &[(&str, rivet_lang::vm::closure::NativeFn)] =
            &[$(($event, $name),)*];
    };
}

arith_metamethods! {
    cdata_add => Add, "__add";
    cdata_sub => Sub, "__sub";
    cdata_mul => Mul, "__mul";
    cdata_div => Div, "__div";
    cdata_mod => Mod, "__mod";
    cdata_pow => Pow, "__pow";
    cdata_unm => Unm, "__unm";
    cdata_idiv => IDiv, "__idiv";
    cdata_band => BAnd, "__band";
    cdata_bor => BOr, "__bor";
    cdata_bxor => BXor, "__bxor";
    cdata_shl => Shl, "__shl";
    cdata_shr => Shr, "__shr";
    cdata_bnot => BNot, "__bnot";
}

#[derive(Clone, Copy, PartialEq)]
enum Cmp {
    Eq,
    Lt,
    Le,
}

fn compare(lua: &mut Lua, cmp: Cmp, event: &str) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let (a, b) = (ctx.lua.arg(1), ctx.lua.arg(2));
    if cmp == Cmp::Eq {
        // Two ctype objects are equal when they name the same type.
        if let (Some((_, x)), Some((_, y))) = (cdata_of(&a), cdata_of(&b)) {
            if x.form == Form::CType && y.form == Form::CType {
                ctx.lua.push(Value::Bool(x.ty == y.ty));
                return Ok(1);
            }
        }
    }
    let (x, y) = (operand(&mut ctx, a)?, operand(&mut ctx, b)?);
    let result = match (&x, &y) {
        (Operand::Pointer { addr: p, ptr_ty: pt, .. }, Operand::Pointer { addr: q, ptr_ty: qt, .. }) => {
            match cmp {
                // Equality of addresses never fails, whatever the pointer types.
                Cmp::Eq => Some(p == q),
                _ if compatible(&ctx, *pt, *qt) || a.is_nil() || b.is_nil() => {
                    Some(if cmp == Cmp::Lt { p < q } else { p <= q })
                }
                _ => None,
            }
        }
        (&Operand::Number(m, sm), &Operand::Number(n, sn)) => {
            match int64::operands(Numeric { value: m, boxed: sm }, Numeric { value: n, boxed: sn }) {
                Some((p, q, unsigned)) => Some(match cmp {
                    Cmp::Eq => p == q,
                    Cmp::Lt => int64::less(p, q, unsigned, false),
                    Cmp::Le => int64::less(p, q, unsigned, true),
                }),
                None => Some(match cmp {
                    Cmp::Eq => ctx.lua.equals(m, n)?,
                    Cmp::Lt => ctx.lua.less_than(m, n)?,
                    Cmp::Le => ctx.lua.less_equal(m, n)?,
                }),
            }
        }
        _ => None,
    };
    if let Some(r) = result {
        ctx.lua.push(Value::Bool(r));
        return Ok(1);
    }
    if let Some(f) = metatype_method(&mut ctx, a, b, event) {
        let r = ctx.lua.call_meta1(f, &[a, b])?;
        ctx.lua.push(Value::Bool(r.truthy()));
        return Ok(1);
    }
    if cmp == Cmp::Eq {
        // Equality never raises an error: different objects are unequal.
        ctx.lua.push(Value::Bool(false));
        return Ok(1);
    }
    let (na, nb) = (operand_name(&ctx, a), operand_name(&ctx, b));
    Err(ctx.error(&format!("attempt to compare '{na}' with '{nb}'")))
}

pub(crate) fn cdata_eq(lua: &mut Lua) -> LuaResult<usize> {
    compare(lua, Cmp::Eq, "__eq")
}

pub(crate) fn cdata_lt(lua: &mut Lua) -> LuaResult<usize> {
    compare(lua, Cmp::Lt, "__lt")
}

pub(crate) fn cdata_le(lua: &mut Lua) -> LuaResult<usize> {
    compare(lua, Cmp::Le, "__le")
}

/// `__concat`: only through the metatype; LuaJIT's message otherwise.
pub(crate) fn cdata_concat(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let (a, b) = (ctx.lua.arg(1), ctx.lua.arg(2));
    if let Some(f) = metatype_method(&mut ctx, a, b, "__concat") {
        let r = ctx.lua.call_meta1(f, &[a, b])?;
        ctx.lua.push(r);
        return Ok(1);
    }
    let (na, nb) = (operand_name(&ctx, a), operand_name(&ctx, b));
    Err(ctx.error(&format!("attempt to concatenate '{na}' and '{nb}'")))
}

/// `__len`: only through the metatype.
pub(crate) fn cdata_len(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let a = ctx.lua.arg(1);
    if let Some(f) = metatype_method(&mut ctx, a, Value::Nil, "__len") {
        let r = ctx.lua.call_meta1(f, &[a, a])?;
        ctx.lua.push(r);
        return Ok(1);
    }
    let na = operand_name(&ctx, a);
    Err(ctx.error(&format!("attempt to get length of '{na}'")))
}

/// `__call`: a ctype constructs; other cdata call their metatype's `__call`.
pub(crate) fn cdata_call(lua: &mut Lua) -> LuaResult<usize> {
    let a = lua.arg(1);
    let Some((ud, cd)) = cdata_of(&a) else { return Err(lua.type_error(1, "cdata")) };
    let mut ctx = Ctx::for_cdata(lua, cd);
    if cd.form == Form::CType {
        return construct(&mut ctx, cd.ty);
    }
    let cached_callable = cd.cached().is_some_and(|(_, info)| info.callable.get().is_some());
    if cached_callable || ctx.st.is_function_or_pointer_to_one(cd.ty) {
        return call_function(&mut ctx, ud, cd);
    }
    if let Some(f) = metatype_method(&mut ctx, a, Value::Nil, "__call") {
        let n = ctx.lua.nargs();
        let func = ctx.lua.top();
        ctx.lua.push(f);
        for i in 1..=n {
            let v = ctx.lua.arg(i);
            ctx.lua.push(v);
        }
        ctx.lua.call(func, -1)?;
        return Ok(ctx.lua.top() - func);
    }
    let name = ctx.cdata_type_name(cd);
    Err(ctx.error(&format!("'{name}' is not callable")))
}

/// `__pairs`: the metatype's, else what `pairs` does for a value without one (so that the
/// loop fails in `next` with Lua's message).
pub(crate) fn cdata_pairs(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let a = ctx.lua.arg(1);
    if let Some(f) = metatype_method(&mut ctx, a, Value::Nil, "__pairs") {
        let func = ctx.lua.top();
        ctx.lua.push(f);
        ctx.lua.push(a);
        ctx.lua.call(func, 3)?;
        return Ok(3);
    }
    let next = ctx.lua.registry().get_str_bytes(b"rivet.next");
    ctx.lua.push(next);
    ctx.lua.push(a);
    ctx.lua.push(Value::Nil);
    Ok(3)
}

/// The value of a numeric cdata as a Lua number (`tonumber(cdata)`); `None` for other cdata.
pub fn cdata_to_number(lua: &mut Lua, v: Value) -> Option<Value> {
    let (ud, cd) = cdata_of(&v)?;
    if cd.form == Form::CType {
        return None;
    }
    let st = super::state::state(lua);
    let info = st.info(cd.ty);
    let loc = object_loc(ud, cd);
    match info.shape {
        Shape::Scalar(s) | Shape::Enum(s) | Shape::Complex(s) => {
            let n = loc.place.load(s).ok()?;
            Some(match (n, s) {
                (Num::U(u), Scalar::Bool) => Value::Int(u as i64),
                // A uint64_t past the integers keeps its value as a float (LuaJIT: a double).
                (Num::U(u), Scalar::U64) if u > i64::MAX as u64 => Value::Float(u as f64),
                _ => num_value(n, s),
            })
        }
        _ => None,
    }
}
