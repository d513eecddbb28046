//! Constant folding of arithmetic and bitwise operators on numeric constants, with the rules
//! of lcode.c's `constfolding`: an operation is folded only if it cannot raise an error at run
//! time (division or modulo by zero, bitwise operations on floats without an exact integer
//! value) and its result is neither NaN nor a float zero (folding could lose the sign of -0.0:
//! the constant table and `LoadF` do not tell 0.0 from -0.0 everywhere).
//!
//! The arithmetic itself follows Lua's numeric semantics (integer wrap-around, floor division
//! and modulo, logical shifts). FIXME: switch to the shared `vm::arith` module once it lands,
//! so that the compiler and the VM cannot disagree.

use crate::syntax::ast::{BinOp, UnOp};

/// A numeric constant operand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

/// The operators that can be folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FoldOp {
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

impl FoldOp {
    pub fn from_binop(op: BinOp) -> Option<FoldOp> {
        Some(match op {
            BinOp::Add => FoldOp::Add,
            BinOp::Sub => FoldOp::Sub,
            BinOp::Mul => FoldOp::Mul,
            BinOp::Mod => FoldOp::Mod,
            BinOp::Pow => FoldOp::Pow,
            BinOp::Div => FoldOp::Div,
            BinOp::IDiv => FoldOp::IDiv,
            BinOp::BAnd => FoldOp::BAnd,
            BinOp::BOr => FoldOp::BOr,
            BinOp::BXor => FoldOp::BXor,
            BinOp::Shl => FoldOp::Shl,
            BinOp::Shr => FoldOp::Shr,
            _ => return None,
        })
    }

    pub fn from_unop(op: UnOp) -> Option<FoldOp> {
        match op {
            UnOp::Neg => Some(FoldOp::Unm),
            UnOp::BNot => Some(FoldOp::BNot),
            _ => None,
        }
    }

    fn is_bitwise(self) -> bool {
        matches!(self, FoldOp::BAnd | FoldOp::BOr | FoldOp::BXor | FoldOp::Shl | FoldOp::Shr | FoldOp::BNot)
    }
}

/// The float's integer value, if it has an exact one in i64 range (Lua's `F2Ieq`).
pub(crate) fn float_to_int(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every float in [-2^63, 2^63) with no fraction converts.
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if f.floor() == f && (-TWO63..TWO63).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

fn to_int(n: Num) -> Option<i64> {
    match n {
        Num::Int(i) => Some(i),
        Num::Float(f) => float_to_int(f),
    }
}

fn to_float(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) => f,
    }
}

/// Folds `a op b` (for unary operators `b` is ignored), or `None` when it must be left to run
/// time.
pub(crate) fn fold(op: FoldOp, a: Num, b: Num) -> Option<Num> {
    let result = if op.is_bitwise() {
        let (x, y) = (to_int(a)?, to_int(b)?);
        Num::Int(match op {
            FoldOp::BAnd => x & y,
            FoldOp::BOr => x | y,
            FoldOp::BXor => x ^ y,
            FoldOp::Shl => shift_left(x, y),
            FoldOp::Shr => shift_left(x, y.wrapping_neg()),
            FoldOp::BNot => !x,
            _ => unreachable!("bitwise operators only"),
        })
    } else {
        if matches!(op, FoldOp::Div | FoldOp::IDiv | FoldOp::Mod) && to_float(b) == 0.0 {
            return None;
        }
        match (op, a, b) {
            (FoldOp::Div | FoldOp::Pow, _, _) => Num::Float(float_arith(op, to_float(a), to_float(b))),
            (_, Num::Int(x), Num::Int(y)) => Num::Int(int_arith(op, x, y)),
            _ => Num::Float(float_arith(op, to_float(a), to_float(b))),
        }
    };
    match result {
        Num::Float(f) if f.is_nan() || f == 0.0 => None,
        r => Some(r),
    }
}

fn int_arith(op: FoldOp, x: i64, y: i64) -> i64 {
    match op {
        FoldOp::Add => x.wrapping_add(y),
        FoldOp::Sub => x.wrapping_sub(y),
        FoldOp::Mul => x.wrapping_mul(y),
        FoldOp::Unm => x.wrapping_neg(),
        FoldOp::IDiv => int_floor_div(x, y),
        FoldOp::Mod => int_mod(x, y),
        _ => unreachable!("integer arithmetic operators only"),
    }
}

/// Floor division; `y` is nonzero (checked by the caller).
fn int_floor_div(x: i64, y: i64) -> i64 {
    if y == -1 {
        // Avoids the overflow trap of i64::MIN / -1; Lua wraps.
        return x.wrapping_neg();
    }
    let q = x / y;
    if x % y != 0 && (x ^ y) < 0 {
        q - 1
    } else {
        q
    }
}

/// Modulo with the sign of the divisor; `y` is nonzero.
fn int_mod(x: i64, y: i64) -> i64 {
    if y == -1 {
        return 0;
    }
    let m = x % y;
    if m != 0 && (m ^ y) < 0 {
        m + y
    } else {
        m
    }
}

fn float_arith(op: FoldOp, x: f64, y: f64) -> f64 {
    match op {
        FoldOp::Add => x + y,
        FoldOp::Sub => x - y,
        FoldOp::Mul => x * y,
        FoldOp::Div => x / y,
        FoldOp::Unm => -x,
        FoldOp::Pow => {
            if y == 2.0 {
                x * x
            } else {
                x.powf(y)
            }
        }
        FoldOp::IDiv => (x / y).floor(),
        FoldOp::Mod => {
            let m = x % y;
            if if m > 0.0 { y < 0.0 } else { m < 0.0 && y != m } {
                m + y
            } else {
                m
            }
        }
        _ => unreachable!("float arithmetic operators only"),
    }
}

/// Logical shift left by `y` (right for negative `y`); shifts of 64 or more give 0.
fn shift_left(x: i64, y: i64) -> i64 {
    if y <= -64 || y >= 64 {
        0
    } else if y < 0 {
        ((x as u64) >> (-y)) as i64
    } else {
        ((x as u64) << y) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FoldOp::*;
    use Num::*;

    #[test]
    fn folds_safe_integer_and_float_arithmetic() {
        assert_eq!(fold(Add, Int(1), Int(2)), Some(Int(3)));
        assert_eq!(fold(Add, Int(i64::MAX), Int(1)), Some(Int(i64::MIN)));
        assert_eq!(fold(Mul, Int(3), Float(0.5)), Some(Float(1.5)));
        assert_eq!(fold(Div, Int(7), Int(2)), Some(Float(3.5)));
        assert_eq!(fold(Pow, Int(2), Int(10)), Some(Float(1024.0)));
        assert_eq!(fold(IDiv, Int(7), Int(-2)), Some(Int(-4)));
        assert_eq!(fold(IDiv, Int(i64::MIN), Int(-1)), Some(Int(i64::MIN)));
        assert_eq!(fold(Mod, Int(-7), Int(3)), Some(Int(2)));
        assert_eq!(fold(Mod, Int(7), Int(-3)), Some(Int(-2)));
        assert_eq!(fold(Mod, Float(-7.5), Float(2.0)), Some(Float(0.5)));
        assert_eq!(fold(IDiv, Float(7.0), Float(2.0)), Some(Float(3.0)));
        assert_eq!(fold(Unm, Int(5), Int(0)), Some(Int(-5)));
        assert_eq!(fold(Unm, Float(1.5), Int(0)), Some(Float(-1.5)));
        assert_eq!(fold(Pow, Float(1e300), Float(2.0)), Some(Float(f64::INFINITY)));
    }

    #[test]
    fn never_folds_what_could_raise_or_lose_a_sign() {
        assert_eq!(fold(Div, Int(1), Int(0)), None);
        assert_eq!(fold(Div, Float(1.0), Float(-0.0)), None);
        assert_eq!(fold(IDiv, Int(1), Int(0)), None);
        assert_eq!(fold(Mod, Int(1), Int(0)), None);
        assert_eq!(fold(Mod, Float(1.0), Float(0.0)), None);
        assert_eq!(fold(Unm, Float(0.0), Int(0)), None, "-0.0");
        assert_eq!(fold(Sub, Float(1.0), Float(1.0)), None, "0.0 result");
        assert_eq!(fold(Mul, Int(0), Float(1.0)), None, "0.0 result");
        assert_eq!(fold(Sub, Float(f64::INFINITY), Float(f64::INFINITY)), None, "NaN");
        assert_eq!(fold(BAnd, Float(1.5), Int(1)), None);
        assert_eq!(fold(BNot, Float(1e100), Int(0)), None);
        // Integer zero results are fine: they have no sign.
        assert_eq!(fold(Sub, Int(1), Int(1)), Some(Int(0)));
    }

    #[test]
    fn bitwise_on_integral_floats_and_shifts() {
        assert_eq!(fold(BOr, Float(2.0), Int(1)), Some(Int(3)));
        assert_eq!(fold(BXor, Int(5), Int(3)), Some(Int(6)));
        assert_eq!(fold(BNot, Int(0), Int(0)), Some(Int(-1)));
        assert_eq!(fold(Shl, Int(1), Int(63)), Some(Int(i64::MIN)));
        assert_eq!(fold(Shl, Int(1), Int(64)), Some(Int(0)));
        assert_eq!(fold(Shr, Int(-1), Int(60)), Some(Int(15)));
        assert_eq!(fold(Shl, Int(-1), Int(-60)), Some(Int(15)));
        assert_eq!(fold(Shr, Int(1), Int(i64::MIN)), Some(Int(0)));
        assert_eq!(float_to_int(2f64.powi(63)), None);
        assert_eq!(float_to_int(-(2f64.powi(63))), Some(i64::MIN));
    }
}
