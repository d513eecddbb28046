//! Tests pinned to the output of the reference `lua5.4` (5.4.4, glibc x86-64).

use super::*;

/// Expected conversion: an integer, a float given by its bit pattern, or failure.
#[derive(Debug, Clone, Copy)]
enum Expect {
    I(i64),
    F(u64),
    N,
}
use Expect::{F, I, N};

fn check_str2number(cases: &[(&[u8], Expect)]) {
    for &(text, expect) in cases {
        let got = str2number(text);
        let ok = match (got, expect) {
            (Some(Number::Int(i)), I(e)) => i == e,
            (Some(Number::Float(f)), F(bits)) => f.to_bits() == bits,
            (None, N) => true,
            _ => false,
        };
        assert!(ok, "str2number({:?}) = {got:?}, expected {expect:?}", String::from_utf8_lossy(text));
    }
}

/// `tonumber(s)` for each text, from lua5.4 (the comment is Lua's `tostring` of the result).
#[test]
fn str2number_matches_lua() {
    check_str2number(&[
        (b"0", I(0)),                                                                                         // 0
        (b"1", I(1)),                                                                                         // 1
        (b"-1", I(-1)),                                                                                       // -1
        (b"+1", I(1)),                                                                                        // 1
        (b"  42  ", I(42)),                                                                                   // 42
        (b"\x09\x0a\x0b\x0c\x0d7\x0d\x0a", I(7)),                                                             // 7
        (b"- 1", N),                                                                                          // nil
        (b"--1", N),                                                                                          // nil
        (b"+-1", N),                                                                                          // nil
        (b"1 2", N),                                                                                          // nil
        (b"0x", N),                                                                                           // nil
        (b"0X", N),                                                                                           // nil
        (b"0x10", I(16)),                                                                                     // 16
        (b"0XfF", I(255)),                                                                                    // 255
        (b"-0x10", I(-16)),                                                                                   // -16
        (b"+0xa", I(10)),                                                                                     // 10
        (b"0xffffffffffffffff", I(-1)),                                                                       // -1
        (b"0x7fffffffffffffff", I(9223372036854775807)), // 9223372036854775807
        (b"0x8000000000000000", I(-9223372036854775808)), // -9223372036854775808
        (b"0x10000000000000000", I(0)),                  // 0
        (b"0x1234567890abcdef1234", I(6230889152035885620)), // 6230889152035885620
        (b"9223372036854775807", I(9223372036854775807)), // 9223372036854775807
        (b"9223372036854775808", F(0x43e0000000000000)), // 9.2233720368548e+18
        (b"-9223372036854775808", I(-9223372036854775808)), // -9223372036854775808
        (b"-9223372036854775809", F(0xc3e0000000000000)), // -9.2233720368548e+18
        (b"18446744073709551616", F(0x43f0000000000000)), // 1.844674407371e+19
        (b"00000000000000000000000000000012", I(12)),    // 12
        (b"1e", N),                                      // nil
        (b"1e+", N),                                     // nil
        (b"1e-", N),                                     // nil
        (b"1e5", F(0x40f86a0000000000)),                 // 100000.0
        (b"1E5", F(0x40f86a0000000000)),                 // 100000.0
        (b"1e+5", F(0x40f86a0000000000)),                // 100000.0
        (b"1e-5", F(0x3ee4f8b588e368f1)),                // 1e-05
        (b".", N),                                       // nil
        (b"..", N),                                      // nil
        (b"1..2", N),                                    // nil
        (b"1.2.3", N),                                   // nil
        (b".5", F(0x3fe0000000000000)),                  // 0.5
        (b"5.", F(0x4014000000000000)),                  // 5.0
        (b"-.5", F(0xbfe0000000000000)),                 // -0.5
        (b"+5.", F(0x4014000000000000)),                 // 5.0
        (b"1.5e3", F(0x4097700000000000)),               // 1500.0
        (b"1.5E-3", F(0x3f589374bc6a7efa)),              // 0.0015
        (b"0.1", F(0x3fb999999999999a)),                 // 0.1
        (b"3.14159265358979323846264338327950288", F(0x400921fb54442d18)), // 3.1415926535898
        (b"1e308", F(0x7fe1ccf385ebc8a0)),               // 1e+308
        (b"1e309", F(0x7ff0000000000000)),               // inf
        (b"-1e309", F(0xfff0000000000000)),              // -inf
        (b"1e-320", F(0x00000000000007e8)),              // 9.9998886718268e-321
        (b"1e-400", F(0x0000000000000000)),              // 0.0
        (b"2.2250738585072014e-308", F(0x0010000000000000)), // 2.2250738585072e-308
        (b"4.9406564584124654e-324", F(0x0000000000000001)), // 4.9406564584125e-324
        (b"2.4703282292062327e-324", F(0x0000000000000000)), // 0.0
        (b"2.4703282292062328e-324", F(0x0000000000000001)), // 4.9406564584125e-324
        (b"1e99999999999999999999", F(0x7ff0000000000000)), // inf
        (b"1e-99999999999999999999", F(0x0000000000000000)), // 0.0
        (b" 10 x", N),                                   // nil
        (b"10x", N),                                     // nil
        (b"x10", N),                                     // nil
        (b"inf", N),                                     // nil
        (b"-inf", N),                                    // nil
        (b"nan", N),                                     // nil
        (b"NaN", N),                                     // nil
        (b"infinity", N),                                // nil
        (b"INF", N),                                     // nil
        (b"1e5n", N),                                    // nil
        (b"0x1p4", F(0x4030000000000000)),               // 16.0
        (b"0xA.8p0", F(0x4025000000000000)),             // 10.5
        (b"0x.1", F(0x3fb0000000000000)),                // 0.0625
        (b"0x1P-2", F(0x3fd0000000000000)),              // 0.25
        (b"0x1.", F(0x3ff0000000000000)),                // 1.0
        (b"0x.", N),                                     // nil
        (b"0x.p1", N),                                   // nil
        (b"0xp1", N),                                    // nil
        (b"0x1p", N),                                    // nil
        (b"0x1p+", N),                                   // nil
        (b"0x1p-", N),                                   // nil
        (b"0x1.8", F(0x3ff8000000000000)),               // 1.5
        (b"-0x1.8p1", F(0xc008000000000000)),            // -3.0
        (b"0x1e", I(30)),                                // 30
        (b"0x1E+2", N),                                  // nil
        (b"0xg", N),                                     // nil
        (b"0x1g", N),                                    // nil
        (b"0x1p-1074", F(0x0000000000000001)),           // 4.9406564584125e-324
        (b"0x1p-1075", F(0x0000000000000000)),           // 0.0
        (b"0x1.0000000000001p-1075", F(0x0000000000000001)), // 4.9406564584125e-324
        (b"0x1.8p-1075", F(0x0000000000000001)),         // 4.9406564584125e-324
        (b"0x1p-1076", F(0x0000000000000000)),           // 0.0
        (b"0x1p1023", F(0x7fe0000000000000)),            // 8.9884656743116e+307
        (b"0x1p1024", F(0x7ff0000000000000)),            // inf
        (b"0x1.fffffffffffffp1023", F(0x7fefffffffffffff)), // 1.7976931348623e+308
        (b"0x1.fffffffffffff8p1023", F(0x7ff0000000000000)), // inf
        (b"0x1.fffffffffffff7ffffffp1023", F(0x7fefffffffffffff)), // 1.7976931348623e+308
        (b"0x10000000000000000.0", F(0x43f0000000000000)), // 1.844674407371e+19
        (b"0x1.00000000000008p0", F(0x3ff0000000000000)), // 1.0
        (b"0x1.00000000000008000000001p0", F(0x3ff0000000000001)), // 1.0
        (b"0x1.00000000000018p0", F(0x3ff0000000000002)), // 1.0
        (b"0x1.000000000000080000000000000000000000000000000000000000000000000001p0", F(0x3ff0000000000001)), // 1.0
        (b"0x0.00000000000000000000000001p100", F(0x3fb0000000000000)), // 0.0625
        (b"0x1p99999999999999999999", F(0x7ff0000000000000)), // inf
        (b"0x1p-99999999999999999999", F(0x0000000000000000)), // 0.0
        (b"0x00000000000000000000000000001", I(1)),      // 1
        (b"0xFFFFFFFFFFFFFFFFFFFFFFFF.8p0", F(0x45f0000000000000)), // 7.9228162514264e+28
        (b"0x.000000000000000000000000000000000000000000000000000000000000000000001p+280", F(0x4030000000000000)), // 16.0
        (b"0x0.0000000000001p-1022", F(0x0000000000000001)), // 4.9406564584125e-324
        (b"0x0.0000000000000fp-1022", F(0x0000000000000001)), // 4.9406564584125e-324
        (b"0x1.ffffffffffffffp-1023", F(0x0010000000000000)), // 2.2250738585072e-308
        (b"1e22", F(0x4480f0cf064dd592)),                    // 1e+22
        (b"1e23", F(0x44b52d02c7e14af6)),                    // 1e+23
        (b"123456789012345678901234567890", F(0x45f8ee90ff6c373e)), // 1.2345678901235e+29
        (b"0.30000000000000004", F(0x3fd3333333333334)),     // 0.3
        (b"9007199254740993", I(9007199254740993)),          // 9007199254740993
        (b"-0", I(0)),                                       // 0
        (b"-0.0", F(0x8000000000000000)),                    // -0.0
        (b"0e0", F(0x0000000000000000)),                     // 0.0
        (b"0e", N),                                          // nil
        (b"e1", N),                                          // nil
        (b"1 .5", N),                                        // nil
        (b"1. 5", N),                                        // nil
        (b"\x00", N),                                        // nil
        (b"1\x00", N),                                       // nil
        (b"1\x002", N),                                      // nil
        (b"", N),                                            // nil
        (b" ", N),                                           // nil
        (b"+", N),                                           // nil
        (b"-", N),                                           // nil
        (b"0x-1", N),                                        // nil
        (b"1_0", N),                                         // nil
        (b"1,5", N),                                         // nil
        (b"\xd9\xa3", N),                                    // nil
        (b"0b101", N),                                       // nil
        (b"017", I(17)),                                     // 17
        (b"1.e5", F(0x40f86a0000000000)),                    // 100000.0
        (b"1.e", N),                                         // nil
        (b"1.5e+03 ", F(0x4097700000000000)),                // 1500.0
        (b"\x090x10\x09", I(16)),                            // 16
        (b"-0X1P+0", F(0xbff0000000000000)),                 // -1.0
        (b"0x1.P1", F(0x4000000000000000)),                  // 2.0
    ]);
}

#[test]
fn str2number_extra_forms() {
    check_str2number(&[
        (b"1.e5", F(100000f64.to_bits())),
        (b"-0x0p0", F((-0.0f64).to_bits())),
        (b"0x1.fffffffffffff8p-1023", F(0x0010_0000_0000_0000)), // rounds up to the smallest normal
        (b"0x1.ffffffffffffe8p-1023", F(0x000f_ffff_ffff_ffff)),
        (b"\x0b1\x0c", I(1)),
        (b"1\xa0", N), // non-breaking space is not C-locale whitespace
    ]);
}

/// `tonumber(s, base)` from lua5.4.
#[test]
fn str2int_base_matches_lua() {
    let cases: &[(&[u8], u32, Option<i64>)] = &[
        (b"10", 2, Some(2)),
        (b"101", 2, Some(5)),
        (b"  -101  ", 2, Some(-5)),
        (b"+101", 2, Some(5)),
        (b"102", 2, None),
        (b"ff", 16, Some(255)),
        (b"FF", 16, Some(255)),
        (b"-ff", 16, Some(-255)),
        (b"zz", 36, Some(1295)),
        (b"ZZ", 36, Some(1295)),
        (b"z", 35, None),
        (b"777", 8, Some(511)),
        (b"8", 8, None),
        (b"", 10, None),
        (b" ", 10, None),
        (b"-", 10, None),
        (b"1 0", 10, None),
        (b"0x10", 16, None),
        (b"10", 36, Some(36)),
        (b"1.0", 10, None),
        (b"ffffffffffffffff", 16, Some(-1)),
        (b"10000000000000000", 16, Some(0)),
        (b"-8000000000000000", 16, Some(-9223372036854775808)),
        (b"7fffffffffffffff", 16, Some(9223372036854775807)),
        (b"18446744073709551616", 10, Some(0)),
        (b"99999999999999999999", 10, Some(7766279631452241919)),
        (b"1111111111111111111111111111111111111111111111111111111111111111", 2, Some(-1)),
        (b"11111111111111111111111111111111111111111111111111111111111111111", 2, Some(-1)),
        (b"\x0912\x0a", 10, Some(12)),
        (b"12\x00", 10, None),
        (b"1_0", 10, None),
        (b"--1", 10, None),
        (b"- 1", 10, None),
        (b"abc", 10, None),
        (b"abc", 13, Some(1845)),
    ];
    for &(text, base, expect) in cases {
        assert_eq!(str2int_base(text, base), expect, "tonumber({:?}, {base})", String::from_utf8_lossy(text));
    }
    assert_eq!(str2int_base(b"1", 1), None);
    assert_eq!(str2int_base(b"1", 37), None);
}

/// `tostring(x)` for floats, from lua5.4.
#[test]
fn fmt_float_matches_lua() {
    let cases: &[(u64, &str)] = &[
        (0x0000000000000000, "0.0"),
        (0x8000000000000000, "-0.0"),
        (0x3ff0000000000000, "1.0"),
        (0xbff0000000000000, "-1.0"),
        (0x3fb999999999999a, "0.1"),
        (0x3fe0000000000000, "0.5"),
        (0x3ff8000000000000, "1.5"),
        (0xc004000000000000, "-2.5"),
        (0x3fd5555555555555, "0.33333333333333"),
        (0x400921fb54442d18, "3.1415926535898"),
        (0xc00921fb54442d18, "-3.1415926535898"),
        (0x4059000000000000, "100.0"),
        (0x42d6bcc41e900000, "1e+14"),
        (0x430c6bf526340000, "1e+15"),
        (0x4341c37937e08000, "1e+16"),
        (0x42dc12218377de66, "1.2345678901235e+14"),
        (0x4340000000000000, "9.007199254741e+15"),
        (0x4340000000000001, "9.007199254741e+15"),
        (0x43e0000000000000, "9.2233720368548e+18"),
        (0xc3e0000000000000, "-9.2233720368548e+18"),
        (0x43f0000000000000, "1.844674407371e+19"),
        (0x54b249ad2594c37d, "1e+100"),
        (0xd4b249ad2594c37d, "-1e+100"),
        (0x7e37e43c8800759c, "1e+300"),
        (0x7fefffffffffffff, "1.7976931348623e+308"),
        (0x3ee4f8b588e368f1, "1e-05"),
        (0x3f1a36e2eb1c432d, "0.0001"),
        (0x01a56e1fc2f8f359, "1e-300"),
        (0x0010000000000000, "2.2250738585072e-308"),
        (0x0008000000000000, "1.1125369292536e-308"),
        (0x0000000000000001, "4.9406564584125e-324"),
        (0x40fe240c9fbe76c9, "123456.789"),
        (0x42d6bcc41e8fffff, "1e+14"),
        (0x42d6bcc41e8fffe0, "1e+14"),
        (0x430c6bf52633fff8, "1e+15"),
        (0x444b1ae4d6e2ef50, "1e+21"),
        (0x44dfe185ca57c517, "6.02214076e+23"),
        (0x3ff0000000000001, "1.0"),
        (0x3fefffffffffffff, "1.0"),
        (0x406ff00000000000, "255.5"),
        (0x3e7ad7f29abcaf48, "1e-07"),
        (0x40f0000000000000, "65536.0"),
        (0x400921ff2e48e8a7, "3.1416"),
        (0x400921ff2e48e8a7, "3.1416"),
        (0x4075400000000000, "340.0"),
        (0x7ff0000000000000, "inf"),
        (0xfff0000000000000, "-inf"),
        (0xfff8000000000000, "-nan"),
        (0x7ff8000000000000, "nan"),
        (0x42a674e79c5fe400, "12345678901234.0"),
        (0x42dc12218377de40, "1.2345678901234e+14"),
        (0x401c000000000000, "7.0"),
        (0xc01d000000000000, "-7.25"),
        (0x3ceb05876e5b0120, "3e-15"),
        (0x3fd3333333333334, "0.3"),
        (0x42d6bcc41e900000, "1e+14"),
    ];
    for &(bits, expect) in cases {
        let f = f64::from_bits(bits);
        assert_eq!(fmt_float(f), expect, "tostring({f:e})");
        assert_eq!(Number::Float(f).to_string(), expect);
    }
}

#[test]
fn fmt_int_and_number() {
    assert_eq!(fmt_int(i64::MIN), "-9223372036854775808");
    assert_eq!(fmt_number(Number::Int(-7)), "-7");
    assert_eq!(fmt_number(Number::Float(-7.0)), "-7.0");
    assert_eq!(Number::Int(i64::MAX).to_string(), "9223372036854775807");
}

/// Round trip: `%.17g` text read back gives the same float (correctly rounded both ways).
#[test]
fn decimal_round_trip() {
    let mut x: u64 = 0x1234_5678_9abc_def1;
    for _ in 0..2000 {
        // xorshift: deterministic spread over all exponents
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if !f.is_finite() {
            continue;
        }
        let text = format_float(f, b'g', Some(17), false);
        let back = str2number(text.as_bytes());
        assert_eq!(back.map(|n| n.to_f64().to_bits()), Some(f.to_bits()), "{text}");
        let hex = format_float(f, b'a', None, false);
        let back = str2number(hex.as_bytes());
        assert_eq!(back.map(|n| n.to_f64().to_bits()), Some(f.to_bits()), "{hex}");
    }
}

/// Parses a printf spec such as `%-+012.3e` into (flags, width, precision, alt, conv).
fn parse_spec(spec: &str) -> (NumericFlags, usize, Option<usize>, bool, u8) {
    let body = spec.strip_prefix('%').expect("spec starts with %");
    let flag_len = body.find(|c: char| !"-+ #0".contains(c)).unwrap_or(body.len());
    let (flag_text, rest) = body.split_at(flag_len);
    let flags = NumericFlags {
        left: flag_text.contains('-'),
        zero: flag_text.contains('0'),
        plus: flag_text.contains('+'),
        space: flag_text.contains(' '),
    };
    let conv = *rest.as_bytes().last().expect("conversion letter");
    let numbers = &rest[..rest.len() - 1];
    let (width, precision) = match numbers.split_once('.') {
        Some((w, p)) => (w, Some(p.parse().unwrap_or(0))),
        None => (numbers, None),
    };
    let width = width.parse().unwrap_or(0);
    (flags, width, precision, flag_text.contains('#'), conv)
}

/// Every line of testdata/printf.txt: `string.format(spec, x)` from lua5.4 (glibc printf).
#[test]
fn format_float_matches_glibc() {
    let data = include_str!("testdata/printf.txt");
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let mut fields = line.splitn(3, '\t');
        let (Some(bits), Some(spec), Some(expect)) = (fields.next(), fields.next(), fields.next()) else {
            panic!("malformed line {line:?}");
        };
        let bits = u64::from_str_radix(bits.trim_start_matches("0x"), 16).expect("hex bits");
        let expect = expect.strip_prefix('[').and_then(|e| e.strip_suffix(']')).expect("bracketed output");
        let (flags, width, precision, alt, conv) = parse_spec(spec);
        let body = format_float(f64::from_bits(bits), conv, precision, alt);
        let got = pad_numeric(&body, width, flags);
        if got != expect {
            failures.push(format!("{spec} of {:e} ({bits:#x}): got {got:?}, lua5.4 {expect:?}", f64::from_bits(bits)));
        }
        checked += 1;
    }
    assert!(checked > 3000, "printf.txt has {checked} cases");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn pad_numeric_integers() {
    let plus = NumericFlags { plus: true, ..NumericFlags::default() };
    let zero = NumericFlags { zero: true, ..NumericFlags::default() };
    let left = NumericFlags { left: true, zero: true, ..NumericFlags::default() };
    assert_eq!(pad_numeric("42", 5, plus), "  +42");
    assert_eq!(pad_numeric("-42", 6, zero), "-00042");
    assert_eq!(pad_numeric("-42", 6, left), "-42   ");
    assert_eq!(pad_numeric("12345", 3, zero), "12345");
}
