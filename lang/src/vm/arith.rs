//! Lua 5.4's numeric semantics as pure functions: integer and float arithmetic, shifts,
//! float <-> integer conversion, exact mixed comparisons and numeric `for` loop preparation.
//!
//! Owns the rules that `lvm.c` (luaV_idiv, luaV_mod, luaV_modf, luaV_shiftl,
//! luaV_flttointns, LTnum/LEnum, luaV_equalobj, forprep/forlimit) and `llimits.h`
//! (luai_numidiv, luai_nummod, luai_numpow) define, for the VM, the compiler's constant folding
//! and the standard library. It knows no VM types: operands are `i64`, `f64` and
//! [`Number`]; failures come back as values ([`ArithError`], [`ForError`]) for the caller to
//! raise with its own position information.
//!
//! Expected values in the tests come from the reference `lua5.4` (5.4.4, glibc x86-64).

use std::cmp::Ordering;
use std::fmt;

use crate::number::{str2number, Number};

#[cfg(test)]
mod tests;

/// An arithmetic operation that Lua reports as an error instead of producing a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    /// Integer `//` by zero.
    DivideByZero,
    /// Integer `%` by zero.
    ModuloByZero,
    /// A bitwise operand is a float with no exact integer value (or out of range).
    NoIntegerRep,
}

impl fmt::Display for ArithError {
    /// Lua 5.4.4's messages (the VM adds position, and for `NoIntegerRep` the variable name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithError::DivideByZero => "attempt to divide by zero",
            ArithError::ModuloByZero => "attempt to perform 'n%0'",
            ArithError::NoIntegerRep => "number has no integer representation",
        })
    }
}

impl std::error::Error for ArithError {}

// ---------------------------------------------------------------------------------------------
// Integer arithmetic: Lua integers wrap around modulo 2^64 (manual §3.4.1).

pub fn add_int(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

pub fn sub_int(a: i64, b: i64) -> i64 {
    a.wrapping_sub(b)
}

pub fn mul_int(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}

pub fn unm_int(a: i64) -> i64 {
    a.wrapping_neg()
}

/// Floor division `a // b` (luaV_idiv): rounds towards minus infinity; `b == 0` is an
/// error, and `math.mininteger // -1` wraps to `math.mininteger` instead of trapping.
pub fn idiv_int(a: i64, b: i64) -> Result<i64, ArithError> {
    match b {
        0 => Err(ArithError::DivideByZero),
        -1 => Ok(a.wrapping_neg()),
        _ => {
            let quotient = a / b;
            // Truncation rounded towards zero; step down when the exact quotient is negative
            // and not an integer.
            if (a % b != 0) && ((a < 0) != (b < 0)) {
                Ok(quotient - 1)
            } else {
                Ok(quotient)
            }
        }
    }
}

/// Floor modulo `a % b` (luaV_mod): the result has the sign of `b`; `b == 0` is an error and
/// `x % -1` is 0 (also for `math.mininteger`, where Rust's `%` would overflow).
pub fn mod_int(a: i64, b: i64) -> Result<i64, ArithError> {
    match b {
        0 => Err(ArithError::ModuloByZero),
        -1 => Ok(0),
        _ => {
            let remainder = a % b;
            if remainder != 0 && ((remainder < 0) != (b < 0)) {
                Ok(remainder + b)
            } else {
                Ok(remainder)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Float arithmetic: IEEE-754 doubles through the C library, as llimits.h defines them.

pub fn div_float(a: f64, b: f64) -> f64 {
    a / b
}

/// `a // b` on floats: luai_numidiv is `floor(a / b)`, so `7 // 0.0` is `inf` and NaNs
/// propagate.
pub fn idiv_float(a: f64, b: f64) -> f64 {
    (a / b).floor()
}

/// `a % b` on floats (luai_nummod): C's `fmod` (truncated remainder, sign of `a`), then when
/// the remainder is non-zero and its sign differs from `b`'s, add `b`. So `-5 % math.huge` is
/// `inf`, `5 % -math.huge` is `-inf`, `x % 0.0` and `inf % x` are NaN.
pub fn mod_float(a: f64, b: f64) -> f64 {
    // Rust's `%` on f64 is C's fmod.
    let remainder = a % b;
    if (remainder > 0.0 && b < 0.0) || (remainder < 0.0 && b > 0.0) {
        remainder + b
    } else {
        remainder
    }
}

/// `a ^ b` (luai_numpow): `a * a` when `b == 2`, else C's `pow` (Rust's `powf` calls the
/// platform libm's `pow`).
pub fn pow_float(a: f64, b: f64) -> f64 {
    if b == 2.0 {
        a * a
    } else {
        a.powf(b)
    }
}

// ---------------------------------------------------------------------------------------------
// Bitwise shifts (luaV_shiftl): logical shifts on the 64-bit pattern.

/// `x << n`: a negative `n` shifts right; |n| >= 64 gives 0; right shifts fill with zeros.
pub fn shift_left(x: i64, n: i64) -> i64 {
    let bits = x as u64;
    if n <= -64 || n >= 64 {
        0
    } else if n >= 0 {
        (bits << n) as i64
    } else {
        (bits >> -n) as i64
    }
}

/// `x >> n`, defined by lvm.c as `x << -n` with wrapping negation (so `n = math.mininteger`
/// is a left shift by 2^63, which gives 0).
pub fn shift_right(x: i64, n: i64) -> i64 {
    shift_left(x, n.wrapping_neg())
}

// ---------------------------------------------------------------------------------------------
// Conversions.

/// How a float becomes an integer (lvm.h's F2Imod).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatToInt {
    /// Only floats with an exact integer value (`math.tointeger`, table keys, bitwise operands).
    Exact,
    /// Round towards minus infinity (`for` limits with a positive step, `math.floor`).
    Floor,
    /// Round towards plus infinity (`for` limits with a negative step, `math.ceil`).
    Ceil,
}

/// luaV_flttointns: rounds `f` as `mode` asks, then accepts it if the result lies in
/// [-2^63, 2^63). NaN and infinities never convert.
pub fn float_to_int(f: f64, mode: FloatToInt) -> Option<i64> {
    let rounded = match mode {
        FloatToInt::Exact => f,
        FloatToInt::Floor => f.floor(),
        FloatToInt::Ceil => f.ceil(),
    };
    if rounded != rounded.floor() {
        return None; // not integral (Exact mode); also NaN
    }
    // -2^63 and 2^63 are exact doubles, so these comparisons are exact; `as` cannot saturate
    // inside the range.
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    if (-TWO_POW_63..TWO_POW_63).contains(&rounded) {
        Some(rounded as i64)
    } else {
        None
    }
}

/// `math.tointeger` on a float: the integer with exactly this value, if any.
pub fn tointeger(f: f64) -> Option<i64> {
    float_to_int(f, FloatToInt::Exact)
}

/// `floor(f)` as an integer, if it fits.
pub fn float_to_int_floor(f: f64) -> Option<i64> {
    float_to_int(f, FloatToInt::Floor)
}

/// `ceil(f)` as an integer, if it fits.
pub fn float_to_int_ceil(f: f64) -> Option<i64> {
    float_to_int(f, FloatToInt::Ceil)
}

/// A number as an integer for bitwise operators and integer-only arguments
/// (luaV_tointegerns with F2Ieq): integers as they are, floats only when exactly integral.
pub fn number_to_int(n: Number) -> Option<i64> {
    match n {
        Number::Int(i) => Some(i),
        Number::Float(f) => tointeger(f),
    }
}

/// `number_to_int` with a rounding mode (luaV_tointegerns).
pub fn number_to_int_mode(n: Number, mode: FloatToInt) -> Option<i64> {
    match n {
        Number::Int(i) => Some(i),
        Number::Float(f) => float_to_int(f, mode),
    }
}

/// String -> number coercion (lvm.c's `l_strton`, used for arithmetic on strings, `for`
/// operands and integer arguments): the whole string must be a numeral (see
/// [`str2number`]); an embedded NUL makes it fail.
pub fn coerce_to_number(text: &[u8]) -> Option<Number> {
    str2number(text)
}

/// String -> integer coercion (luaV_tointeger on a string): a numeral whose value is an
/// integer, e.g. `"8"`, `"8.0"`, `"0x10"`, but not `"8.5"`.
pub fn coerce_to_int(text: &[u8]) -> Option<i64> {
    coerce_to_number(text).and_then(number_to_int)
}

// ---------------------------------------------------------------------------------------------
// Generic arithmetic on numbers (luaO_rawarith), for the VM's fast paths and constant folding.

/// Lua's arithmetic and bitwise operators, in lua.h's LUA_OP* order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Mod,
    Pow,
    Div,
    IDiv,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
    Unm,
    BNot,
}

impl ArithOp {
    /// Operators whose operands must be integers (manual §3.4.2).
    pub fn is_bitwise(self) -> bool {
        matches!(self, ArithOp::BAnd | ArithOp::BOr | ArithOp::BXor | ArithOp::Shl | ArithOp::Shr | ArithOp::BNot)
    }
}

/// Applies `op` to two numbers (unary operators ignore `b`; pass the operand twice, as
/// lcode.c does). Bitwise operators convert both operands exactly to integers; `/` and `^`
/// always work on floats; the others stay integers when both operands are integers
/// (manual §3.4.1) and otherwise convert both to floats.
pub fn arith(op: ArithOp, a: Number, b: Number) -> Result<Number, ArithError> {
    if op.is_bitwise() {
        let x = number_to_int(a).ok_or(ArithError::NoIntegerRep)?;
        let y = number_to_int(b).ok_or(ArithError::NoIntegerRep)?;
        return Ok(Number::Int(match op {
            ArithOp::BAnd => x & y,
            ArithOp::BOr => x | y,
            ArithOp::BXor => x ^ y,
            ArithOp::Shl => shift_left(x, y),
            ArithOp::Shr => shift_right(x, y),
            _ => !x, // BNot
        }));
    }
    if let (Number::Int(x), Number::Int(y)) = (a, b) {
        match op {
            ArithOp::Add => return Ok(Number::Int(add_int(x, y))),
            ArithOp::Sub => return Ok(Number::Int(sub_int(x, y))),
            ArithOp::Mul => return Ok(Number::Int(mul_int(x, y))),
            ArithOp::Mod => return mod_int(x, y).map(Number::Int),
            ArithOp::IDiv => return idiv_int(x, y).map(Number::Int),
            ArithOp::Unm => return Ok(Number::Int(unm_int(x))),
            _ => {} // Pow and Div are float operations
        }
    }
    let (x, y) = (a.to_f64(), b.to_f64());
    Ok(Number::Float(match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Mod => mod_float(x, y),
        ArithOp::Pow => pow_float(x, y),
        ArithOp::Div => div_float(x, y),
        ArithOp::IDiv => idiv_float(x, y),
        _ => -x, // Unm
    }))
}

// ---------------------------------------------------------------------------------------------
// Comparisons: exact between integers and floats, never by converting the integer to a float
// (which would round above 2^53).

/// Compares an integer with a float exactly; `None` when `f` is NaN.
fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // Integers up to 2^53 in magnitude convert to floats exactly.
    const EXACT: i64 = 1 << 53;
    if (-EXACT..=EXACT).contains(&i) {
        return (i as f64).partial_cmp(&f);
    }
    // Otherwise compare with floor(f) in integer arithmetic, as LTintfloat/LEintfloat do:
    // i < f  <=>  i < ceil(f)  and  i <= f  <=>  i <= floor(f).
    match float_to_int_floor(f) {
        Some(fl) if i < fl => Some(Ordering::Less),
        Some(fl) if i > fl => Some(Ordering::Greater),
        Some(_) if f == f.floor() => Some(Ordering::Equal),
        Some(_) => Some(Ordering::Less), // i == floor(f) < f
        // floor(f) is outside the integer range: f is beyond every integer on one side.
        None if f > 0.0 => Some(Ordering::Less),
        None => Some(Ordering::Greater),
    }
}

/// Compares two numbers as Lua does; `None` when either is NaN.
fn cmp_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(x), Number::Float(y)) => cmp_int_float(x, y),
        (Number::Float(x), Number::Int(y)) => cmp_int_float(y, x).map(Ordering::reverse),
    }
}

/// `a < b` for numbers (LTnum): exact for mixed subtypes, false when a NaN is involved.
pub fn num_lt(a: Number, b: Number) -> bool {
    cmp_numbers(a, b) == Some(Ordering::Less)
}

/// `a <= b` for numbers (LEnum).
pub fn num_le(a: Number, b: Number) -> bool {
    matches!(cmp_numbers(a, b), Some(Ordering::Less | Ordering::Equal))
}

/// `a == b` for numbers (luaV_equalobj): an integer equals a float only when the float has
/// exactly that integer value; NaN equals nothing; `0 == -0.0`.
pub fn num_eq(a: Number, b: Number) -> bool {
    cmp_numbers(a, b) == Some(Ordering::Equal)
}

// ---------------------------------------------------------------------------------------------
// Numeric `for` loops (manual §3.3.5; lvm.c forprep and forlimit).

/// A `for` loop operand as the VM sees it: a number, a string (coerced as `l_strton` does)
/// or any other value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ForOperand<'a> {
    Int(i64),
    Float(f64),
    Str(&'a [u8]),
    Other,
}

impl From<Number> for ForOperand<'_> {
    fn from(n: Number) -> Self {
        match n {
            Number::Int(i) => ForOperand::Int(i),
            Number::Float(f) => ForOperand::Float(f),
        }
    }
}

impl ForOperand<'_> {
    /// The operand as a number, strings coerced (luaV_tonumber_).
    fn to_number(self) -> Option<Number> {
        match self {
            ForOperand::Int(i) => Some(Number::Int(i)),
            ForOperand::Float(f) => Some(Number::Float(f)),
            ForOperand::Str(s) => coerce_to_number(s),
            ForOperand::Other => None,
        }
    }
}

/// What the VM does with a numeric `for` after preparation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ForPlan {
    /// The loop body never runs.
    Skip,
    /// Integer loop: the body runs `remaining + 1` times with `start`, `start + step`, ...
    /// (wrapping additions never overflow in practice: the count stops first). `remaining`
    /// counts the iterations after the first, as lvm.c stores it, so that a loop over all
    /// 2^64 integers fits.
    Int { start: i64, step: i64, remaining: u64 },
    /// Float loop: the body runs with `start`, then while `index += step` stays within
    /// `limit` (see [`float_for_next`]).
    Float { start: f64, limit: f64, step: f64 },
}

/// Why a numeric `for` cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForError {
    InitialNotNumber,
    LimitNotNumber,
    StepNotNumber,
    StepIsZero,
}

impl ForError {
    /// Lua's message; `type_name` is the type of the offending operand (its `__name` if any; unused for
    /// `StepIsZero`), e.g. "bad 'for' limit (number expected, got table)".
    pub fn message(self, type_name: &str) -> String {
        let what = match self {
            ForError::InitialNotNumber => "initial value",
            ForError::LimitNotNumber => "limit",
            ForError::StepNotNumber => "step",
            ForError::StepIsZero => return "'for' step is zero".to_string(),
        };
        format!("bad 'for' {what} (number expected, got {type_name})")
    }
}

/// Prepares `for v = init, limit, step` as lvm.c's forprep.
///
/// When `init` and `step` are both integers (strings never count as integers here) the loop
/// is an integer loop: a zero step is an error before the limit is even looked at, the limit
/// is converted to an integer (floor for a positive step, ceil for a negative one; strings
/// coerced), a float limit beyond the integer range is clipped or skips the loop, and the
/// iteration count is computed in unsigned arithmetic so that no step can overflow.
/// Otherwise all three are converted to floats, checking limit, step, then initial value.
pub fn for_prep(init: ForOperand<'_>, limit: ForOperand<'_>, step: ForOperand<'_>) -> Result<ForPlan, ForError> {
    if let (ForOperand::Int(start), ForOperand::Int(step)) = (init, step) {
        if step == 0 {
            return Err(ForError::StepIsZero);
        }
        let Some(limit) = int_for_limit(start, limit, step)? else {
            return Ok(ForPlan::Skip);
        };
        // The count divides the (unsigned) distance by the step; `-(step + 1) + 1` is |step|
        // computed without negating math.mininteger.
        let remaining = if step > 0 {
            (limit as u64).wrapping_sub(start as u64) / step as u64
        } else {
            (start as u64).wrapping_sub(limit as u64) / ((-(step + 1)) as u64 + 1)
        };
        return Ok(ForPlan::Int { start, step, remaining });
    }
    let limit = limit.to_number().ok_or(ForError::LimitNotNumber)?.to_f64();
    let step = step.to_number().ok_or(ForError::StepNotNumber)?.to_f64();
    let start = init.to_number().ok_or(ForError::InitialNotNumber)?.to_f64();
    if step == 0.0 {
        return Err(ForError::StepIsZero);
    }
    // NaN limits make both comparisons false: the body runs once (as in lua5.4).
    let skip = if 0.0 < step { limit < start } else { start < limit };
    Ok(if skip { ForPlan::Skip } else { ForPlan::Float { start, limit, step } })
}

/// lvm.c forlimit: the integer limit of an integer loop, or `None` to skip the loop.
fn int_for_limit(start: i64, limit: ForOperand<'_>, step: i64) -> Result<Option<i64>, ForError> {
    let number = limit.to_number().ok_or(ForError::LimitNotNumber)?;
    let mode = if step < 0 { FloatToInt::Ceil } else { FloatToInt::Floor };
    let limit = match number_to_int_mode(number, mode) {
        Some(limit) => limit,
        // A float outside the integer range (or NaN): positive ones lie above every
        // integer, the rest (NaN included, as in lvm.c) below.
        None if number.to_f64() > 0.0 => {
            if step < 0 {
                return Ok(None);
            }
            i64::MAX
        }
        None => {
            if step > 0 {
                return Ok(None);
            }
            i64::MIN
        }
    };
    let skip = if step > 0 { start > limit } else { start < limit };
    Ok(if skip { None } else { Some(limit) })
}

/// One step of an integer loop (OP_FORLOOP): returns the next control value, or `None`
/// when the loop is over.
pub fn int_for_next(index: i64, step: i64, remaining: &mut u64) -> Option<i64> {
    if *remaining == 0 {
        return None;
    }
    *remaining -= 1;
    Some(index.wrapping_add(step))
}

/// One step of a float loop (lvm.c floatforloop): the index accumulates `step` (so 0.1
/// steps drift as in C) and the loop continues while it has not passed `limit`.
pub fn float_for_next(index: f64, limit: f64, step: f64) -> Option<f64> {
    let next = index + step;
    let within = if 0.0 < step { next <= limit } else { limit <= next };
    within.then_some(next)
}
