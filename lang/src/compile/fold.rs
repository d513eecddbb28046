//! Constant folding of arithmetic and bitwise operators on numeric constants, with the rules
//! of lcode.c's `constfolding`: an operation is folded only if it cannot raise an error at run
//! time (division or modulo by zero, bitwise operations on floats without an exact integer
//! value) and its result is neither NaN nor a float zero (folding could lose the sign of -0.0:
//! the constant table and `LoadF` do not tell 0.0 from -0.0 everywhere).
//!
//! The arithmetic itself is the VM's (`vm::arith`), so the compiler and the VM cannot
//! disagree on a folded value.

use crate::syntax::ast::{BinOp, UnOp};
use crate::vm::arith::{self, ArithOp};

/// A numeric constant operand.
pub(crate) type Num = crate::number::Number;

/// The operators that can be folded: Lua's arithmetic and bitwise operators.
pub(crate) type FoldOp = ArithOp;

pub(crate) fn fold_op_of_binop(op: BinOp) -> Option<FoldOp> {
    Some(match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        BinOp::Mod => ArithOp::Mod,
        BinOp::Pow => ArithOp::Pow,
        BinOp::Div => ArithOp::Div,
        BinOp::IDiv => ArithOp::IDiv,
        BinOp::BAnd => ArithOp::BAnd,
        BinOp::BOr => ArithOp::BOr,
        BinOp::BXor => ArithOp::BXor,
        BinOp::Shl => ArithOp::Shl,
        BinOp::Shr => ArithOp::Shr,
        _ => return None,
    })
}

pub(crate) fn fold_op_of_unop(op: UnOp) -> Option<FoldOp> {
    match op {
        UnOp::Neg => Some(ArithOp::Unm),
        UnOp::BNot => Some(ArithOp::BNot),
        _ => None,
    }
}

/// The float's integer value, if it has an exact one in i64 range (Lua's `F2Ieq`).
pub(crate) fn float_to_int(f: f64) -> Option<i64> {
    arith::tointeger(f)
}

/// Folds `a op b` (for unary operators `b` is ignored), or `None` when it must be left to run
/// time.
pub(crate) fn fold(op: FoldOp, a: Num, b: Num) -> Option<Num> {
    if matches!(op, ArithOp::Div | ArithOp::IDiv | ArithOp::Mod) && b.to_f64() == 0.0 {
        return None;
    }
    match arith::arith(op, a, b).ok()? {
        Num::Float(f) if f.is_nan() || f == 0.0 => None,
        r => Some(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Number::*;
    use ArithOp::*;

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
