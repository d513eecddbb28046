//! Tests pinned to the output of the reference `lua5.4` (5.4.4, glibc x86-64); the tables in
//! testdata/ come from testdata/gen_arith.lua.

use super::*;

/// Parses a table number: decimal integer, or `f:` and the float's bits in hex.
fn parse_num(field: &str) -> Number {
    match field.strip_prefix("f:") {
        Some(bits) => Number::Float(f64::from_bits(u64::from_str_radix(bits, 16).expect("float bits"))),
        None => Number::Int(field.parse().expect("decimal integer")),
    }
}

fn parse_opt(field: &str) -> Option<Number> {
    (field != "-").then(|| parse_num(field))
}

fn int(field: &str) -> i64 {
    int_of(parse_num(field))
}

fn float(field: &str) -> f64 {
    match parse_num(field) {
        Number::Float(f) => f,
        Number::Int(i) => panic!("expected a float, found {i}"),
    }
}

/// The data lines of a table, split into fields.
fn rows(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| l.split(' ').collect())
}

/// Same number, same subtype, same bits (NaN signs included: `tostring` shows them).
fn same(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x == y,
        (Number::Float(x), Number::Float(y)) => x.to_bits() == y.to_bits(),
        _ => false,
    }
}

#[test]
fn integer_ops_match_lua() {
    let mut count = 0;
    for row in rows(include_str!("testdata/int_ops.txt")) {
        let (a, b) = (int(row[0]), int(row[1]));
        assert_eq!(idiv_int(a, b).ok(), parse_opt(row[2]).map(int_of), "{a} // {b}");
        assert_eq!(mod_int(a, b).ok(), parse_opt(row[3]).map(int_of), "{a} % {b}");
        assert_eq!(add_int(a, b), int(row[4]), "{a} + {b}");
        assert_eq!(sub_int(a, b), int(row[5]), "{a} - {b}");
        assert_eq!(mul_int(a, b), int(row[6]), "{a} * {b}");
        count += 1;
    }
    assert_eq!(count, 17 * 17);
}

fn int_of(n: Number) -> i64 {
    match n {
        Number::Int(i) => i,
        Number::Float(f) => panic!("expected an integer, found {f}"),
    }
}

#[test]
fn zero_divisors_are_errors() {
    assert_eq!(idiv_int(1, 0), Err(ArithError::DivideByZero));
    assert_eq!(mod_int(1, 0), Err(ArithError::ModuloByZero));
    assert_eq!(ArithError::DivideByZero.to_string(), "attempt to divide by zero");
    assert_eq!(ArithError::ModuloByZero.to_string(), "attempt to perform 'n%0'");
    assert_eq!(idiv_int(i64::MIN, -1), Ok(i64::MIN));
    assert_eq!(mod_int(i64::MIN, -1), Ok(0));
    assert_eq!(unm_int(i64::MIN), i64::MIN);
}

#[test]
fn float_ops_match_lua() {
    let mut count = 0;
    for row in rows(include_str!("testdata/float_ops.txt")) {
        let (a, b) = (float(row[0]), float(row[1]));
        let checks = [
            ("/", div_float(a, b), float(row[2])),
            ("//", idiv_float(a, b), float(row[3])),
            ("%", mod_float(a, b), float(row[4])),
            ("^", pow_float(a, b), float(row[5])),
        ];
        for (op, got, expect) in checks {
            assert_eq!(got.to_bits(), expect.to_bits(), "{a:e} {op} {b:e}: got {got:e}, lua {expect:e}");
        }
        count += 1;
    }
    assert_eq!(count, 23 * 23);
}

#[test]
fn shifts_match_lua() {
    let mut count = 0;
    for row in rows(include_str!("testdata/shifts.txt")) {
        let (x, n) = (int(row[0]), int(row[1]));
        assert_eq!(shift_left(x, n), int(row[2]), "{x} << {n}");
        assert_eq!(shift_right(x, n), int(row[3]), "{x} >> {n}");
        count += 1;
    }
    assert_eq!(count, 7 * 17);
}

#[test]
fn float_to_int_matches_lua() {
    let mut count = 0;
    for row in rows(include_str!("testdata/float_to_int.txt")) {
        let f = float(row[0]);
        let expect = |field: &str| parse_opt(field).map(int_of);
        assert_eq!(tointeger(f), expect(row[1]), "math.tointeger({f:e})");
        assert_eq!(float_to_int_floor(f), expect(row[2]), "floor({f:e})");
        assert_eq!(float_to_int_ceil(f), expect(row[3]), "ceil({f:e})");
        assert_eq!(number_to_int(Number::Float(f)), expect(row[1]));
        count += 1;
    }
    assert!(count >= 30);
    assert_eq!(number_to_int(Number::Int(-5)), Some(-5));
}

#[test]
fn comparisons_match_lua() {
    let mut count = 0;
    for row in rows(include_str!("testdata/compare.txt")) {
        let (a, b) = (parse_num(row[0]), parse_num(row[1]));
        assert_eq!(num_lt(a, b), row[2] == "1", "{a:?} < {b:?}");
        assert_eq!(num_le(a, b), row[3] == "1", "{a:?} <= {b:?}");
        assert_eq!(num_eq(a, b), row[4] == "1", "{a:?} == {b:?}");
        count += 1;
    }
    assert_eq!(count, 39 * 39);
}

#[test]
fn comparisons_around_2_pow_53_and_63() {
    use Number::{Float as F, Int as I};
    let two53 = 9_007_199_254_740_992i64;
    let two63 = 2f64.powi(63);
    assert!(!num_eq(I(two53 + 1), F(two53 as f64)));
    assert!(num_lt(F(two53 as f64), I(two53 + 1)));
    assert!(num_lt(I(i64::MAX), F(two63)));
    assert!(num_eq(F(i64::MAX as f64), F(two63)));
    assert!(num_eq(I(i64::MIN), F(-two63)));
    assert!(!num_le(I(1), F(f64::NAN)) && !num_le(F(f64::NAN), I(1)));
    assert!(num_eq(I(0), F(-0.0)));
}

#[test]
fn coercion_of_strings() {
    assert_eq!(coerce_to_number(b" 0x10 "), Some(Number::Int(16)));
    assert_eq!(coerce_to_number(b"1e1"), Some(Number::Float(10.0)));
    assert_eq!(coerce_to_number(b"1\0"), None);
    assert_eq!(coerce_to_int(b"8"), Some(8));
    assert_eq!(coerce_to_int(b"8.0"), Some(8));
    assert_eq!(coerce_to_int(b"8.5"), None);
    assert_eq!(coerce_to_int(b"x"), None);
}

#[test]
fn generic_arith() {
    use Number::{Float as F, Int as I};
    let cases = [
        (ArithOp::Add, I(i64::MAX), I(1), Ok(I(i64::MIN))),
        (ArithOp::Add, I(1), F(0.5), Ok(F(1.5))),
        (ArithOp::Div, I(7), I(2), Ok(F(3.5))),
        (ArithOp::Pow, I(2), I(10), Ok(F(1024.0))),
        (ArithOp::IDiv, I(7), I(-2), Ok(I(-4))),
        (ArithOp::IDiv, I(7), F(0.0), Ok(F(f64::INFINITY))),
        (ArithOp::IDiv, I(7), I(0), Err(ArithError::DivideByZero)),
        (ArithOp::Mod, I(-7), F(3.0), Ok(F(2.0))),
        (ArithOp::Mod, I(-7), I(0), Err(ArithError::ModuloByZero)),
        (ArithOp::Unm, I(i64::MIN), I(i64::MIN), Ok(I(i64::MIN))),
        (ArithOp::Unm, F(0.0), F(0.0), Ok(F(-0.0))),
        (ArithOp::BAnd, F(3.0), I(6), Ok(I(2))),
        (ArithOp::BOr, F(1.5), I(1), Err(ArithError::NoIntegerRep)),
        (ArithOp::BXor, I(5), F(9.3e18), Err(ArithError::NoIntegerRep)),
        (ArithOp::Shl, I(1), F(63.0), Ok(I(i64::MIN))),
        (ArithOp::Shr, I(-1), I(60), Ok(I(15))),
        (ArithOp::BNot, I(0), I(0), Ok(I(-1))),
    ];
    for (op, a, b, expect) in cases {
        let got = arith(op, a, b);
        let ok = match (got, expect) {
            (Ok(x), Ok(y)) => same(x, y),
            (Err(x), Err(y)) => x == y,
            _ => false,
        };
        assert!(ok, "{op:?} {a:?} {b:?}: got {got:?}, expected {expect:?}");
    }
}

fn parse_operand(field: &str) -> ForOperand<'_> {
    if field == "t" {
        ForOperand::Other
    } else if let Some(text) = field.strip_prefix("s:") {
        ForOperand::Str(text.as_bytes())
    } else {
        parse_num(field).into()
    }
}

/// Runs a plan as the VM would, collecting up to 6 control values and whether more follow.
fn run_plan(plan: ForPlan) -> (Vec<Number>, bool) {
    let mut values = Vec::new();
    match plan {
        ForPlan::Skip => {}
        ForPlan::Int { start, step, mut remaining } => {
            let mut index = Some(start);
            while let Some(i) = index {
                if values.len() == 6 {
                    return (values, true);
                }
                values.push(Number::Int(i));
                index = int_for_next(i, step, &mut remaining);
            }
        }
        ForPlan::Float { start, limit, step } => {
            let mut index = Some(start);
            while let Some(f) = index {
                if values.len() == 6 {
                    return (values, true);
                }
                values.push(Number::Float(f));
                index = float_for_next(f, limit, step);
            }
        }
    }
    (values, false)
}

#[test]
fn for_loops_match_lua() {
    let mut count = 0;
    for line in include_str!("testdata/for_loops.txt").lines().filter(|l| !l.starts_with('#')) {
        let (operands, result) = line.split_once(" |").expect("separator");
        // Strings were written with '_' for spaces.
        let fields: Vec<String> = operands.split(' ').map(|f| f.replace('_', " ")).collect();
        let plan = for_prep(parse_operand(&fields[0]), parse_operand(&fields[1]), parse_operand(&fields[2]));
        let result = result.trim();
        if let Some(message) = result.strip_prefix("err:") {
            let message = message.replace('_', " ");
            let type_name = if message.contains("got string") { "string" } else { "table" };
            match plan {
                Err(e) => assert_eq!(e.message(type_name), message, "{line}"),
                Ok(plan) => panic!("{line}: got {plan:?}, lua5.4 raised {message}"),
            }
        } else {
            let plan = plan.unwrap_or_else(|e| panic!("{line}: unexpected {e:?}"));
            let (values, more) = run_plan(plan);
            let mut expect: Vec<&str> = result.split(' ').filter(|s| !s.is_empty()).collect();
            let expect_more = expect.last() == Some(&"+");
            if expect_more {
                expect.pop();
            }
            let expect: Vec<Number> = expect.into_iter().map(parse_num).collect();
            let equal = values.len() == expect.len() && values.iter().zip(&expect).all(|(a, b)| same(*a, *b));
            assert!(equal && more == expect_more, "{line}: plan {plan:?} gives {values:?} more={more}");
        }
        count += 1;
    }
    assert!(count >= 70, "{count} loops");
}

/// Iteration counts that lua5.4 cannot show in a table (it would have to run 2^64 times).
#[test]
fn for_loop_counts_at_the_edges() {
    let plan = |a: i64, b: i64, c: i64| for_prep(ForOperand::Int(a), ForOperand::Int(b), ForOperand::Int(c));
    let int_plan = |start, step, remaining| Ok(ForPlan::Int { start, step, remaining });
    assert_eq!(plan(i64::MIN, i64::MAX, 1), int_plan(i64::MIN, 1, u64::MAX));
    assert_eq!(plan(i64::MAX, i64::MIN, -1), int_plan(i64::MAX, -1, u64::MAX));
    assert_eq!(plan(i64::MAX, i64::MIN, i64::MIN), int_plan(i64::MAX, i64::MIN, 1));
    assert_eq!(plan(i64::MAX - 2, i64::MAX, 1), int_plan(i64::MAX - 2, 1, 2));
    assert_eq!(plan(1, 0, 1), Ok(ForPlan::Skip));
    assert_eq!(plan(1, 2, 0), Err(ForError::StepIsZero));
    let clipped = for_prep(ForOperand::Int(0), ForOperand::Float(1e300), ForOperand::Int(1 << 62));
    assert_eq!(clipped, int_plan(0, 1 << 62, 1)); // 0 and 2^62: limit clipped to maxinteger
    assert_eq!(ForError::StepIsZero.message("number"), "'for' step is zero");
    assert_eq!(ForError::InitialNotNumber.message("nil"), "bad 'for' initial value (number expected, got nil)");
}
