//! C `printf` float conversions (`%e %E %f %F %g %G %a %A`) with glibc's exact output, and
//! the width/flag padding shared with integer conversions.
//!
//! Lua hands these conversions to the C library (`lua_number2str` is `snprintf("%.14g")`,
//! `string.format` passes its spec to `snprintf`), so rivet reproduces glibc byte for byte.
//! Decimal digits come from Rust's `{:.*e}` / `{:.*}`, which expand the binary value exactly
//! and round half to even, as glibc does in the default rounding mode; this module only lays
//! the digits out.

/// Formats `value` as C's `printf` does for one float conversion, without width padding.
///
/// * `conv`: one of `e E f F g G a A` (anything else is treated as `g`); upper case
///   conversions print `E`, `X`, `P`, `INF`, `NAN` in upper case.
/// * `precision`: digits after the point (`e f a`) or significant digits (`g`); `None` is
///   C's default (6, or for `%a` the shortest exact hex form).
/// * `alt`: the `#` flag (always print the point; `%g` keeps trailing zeros).
///
/// Infinities and NaNs print as `inf`/`nan` with a `-` when the sign bit is set; glibc
/// prints the sign of a NaN too, which is why Lua on Linux shows `-nan` for `0/0`.
pub fn format_float(value: f64, conv: u8, precision: Option<usize>, alt: bool) -> String {
    let upper = conv.is_ascii_uppercase();
    let mut out = String::new();
    if value.is_sign_negative() {
        out.push('-');
    }
    let magnitude = value.abs();
    if !magnitude.is_finite() {
        out.push_str(match (magnitude.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        });
        return out;
    }
    match conv.to_ascii_lowercase() {
        b'e' => push_exponential(&mut out, magnitude, precision.unwrap_or(6), alt, upper),
        b'f' => push_fixed(&mut out, magnitude, precision.unwrap_or(6), alt),
        b'a' => push_hex(&mut out, magnitude, precision, alt, upper),
        _ => push_general(&mut out, magnitude, precision.unwrap_or(6), alt, upper),
    }
    out
}

/// Exactly rounded scientific digits: (`precision + 1` significant digits, decimal exponent).
fn scientific_digits(magnitude: f64, precision: usize) -> (String, i32) {
    let text = format!("{magnitude:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').expect("Rust's LowerExp output always contains 'e'");
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let exponent = exponent.parse().expect("Rust's LowerExp exponent is a decimal integer");
    (digits, exponent)
}

/// The decimal exponent of the exact value (no rounding): a double's expansion has at most
/// 767 significant digits, so 800 digits never round.
fn exact_exponent(magnitude: f64) -> i32 {
    scientific_digits(magnitude, 800).1
}

fn push_c_exponent(out: &mut String, exponent: i32, upper: bool) {
    // C prints at least two exponent digits, always with a sign.
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exponent < 0 { '-' } else { '+' });
    let magnitude = exponent.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    out.push_str(&magnitude.to_string());
}

fn push_exponential(out: &mut String, magnitude: f64, precision: usize, alt: bool, upper: bool) {
    let (digits, exponent) = scientific_digits(magnitude, precision);
    push_mantissa(out, &digits, alt);
    push_c_exponent(out, exponent, upper);
}

/// `d.ddd` from a digit string; the point is omitted when there are no fraction digits
/// unless `alt`.
fn push_mantissa(out: &mut String, digits: &str, alt: bool) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 || alt {
        out.push('.');
    }
    out.push_str(&digits[1..]);
}

fn push_fixed(out: &mut String, magnitude: f64, precision: usize, alt: bool) {
    // `{:.*}` prints every integer digit exactly (1e300 with %.0f has 301 digits in glibc too).
    out.push_str(&format!("{magnitude:.precision$}"));
    if alt && precision == 0 {
        out.push('.');
    }
}

/// `%g`: C11 7.21.6.1 — with P significant digits (0 means 1) and X the exponent that `%e`
/// would print, use `%f` with precision P-1-X if P > X >= -4, else `%e` with precision P-1;
/// without `#`, trailing fraction zeros and a trailing point are removed.
fn push_general(out: &mut String, magnitude: f64, precision: usize, alt: bool, upper: bool) {
    let significant = precision.max(1);
    let (digits, exponent) = scientific_digits(magnitude, significant - 1);
    let use_fixed = exponent >= -4 && i64::from(exponent) < significant as i64;
    if alt && i64::from(exponent) == significant as i64 && exact_exponent(magnitude) < exponent {
        // glibc picks the style from the exponent *before* rounding: 999.5 with `%#.3g` is
        // laid out as fixed with no fraction digits, the carry makes "1000." one digit too
        // long, and glibc then prints it in exponent form with no fraction digits ("1.e+03"
        // where C11 asks for "1.00e+03"). Lua shows glibc's text, so we match it. Without `#`
        // both readings give the same text ("1e+03").
        out.push_str("1.");
        push_c_exponent(out, exponent, upper);
        return;
    }
    // `%f` with precision P-1-X rounds at the same decimal position as `%e` with P-1 did
    // (when that rounding carried into a new leading digit, the coarser position rounds
    // to the same power of ten), so the same digits are laid out in fixed notation.
    let (mut int_part, mut frac_part) = if !use_fixed {
        (digits[..1].to_string(), digits[1..].to_string())
    } else if exponent >= 0 {
        let split = exponent as usize + 1;
        (digits[..split].to_string(), digits[split..].to_string())
    } else {
        let zeros = "0".repeat((-exponent - 1) as usize);
        ("0".to_string(), zeros + &digits)
    };
    if !alt {
        let kept = frac_part.trim_end_matches('0').len();
        frac_part.truncate(kept);
    }
    if !frac_part.is_empty() || alt {
        int_part.push('.');
    }
    out.push_str(&int_part);
    out.push_str(&frac_part);
    if !use_fixed {
        push_c_exponent(out, exponent, upper);
    }
}

/// `%a` as glibc prints it: `0x1.8p+1`; subnormals keep a leading `0` with exponent -1022
/// (`0x0.0000000000001p-1022`) and zero is `0x0p+0`. A precision rounds the 52-bit fraction
/// to that many hex digits, ties to even; a carry turns the leading digit into `2`
/// (glibc prints `0x2p+0` for `%.0a` of 1.5, it does not renormalise).
fn push_hex(out: &mut String, magnitude: f64, precision: Option<usize>, alt: bool, upper: bool) {
    const FRACTION_DIGITS: usize = 13; // 52 bits
    let bits = magnitude.to_bits();
    let biased = (bits >> 52) as i32;
    let mut fraction = bits & ((1 << 52) - 1);
    let (mut lead, exponent) = match (biased, fraction) {
        (0, 0) => (0u64, 0),
        (0, _) => (0, -1022),
        _ => (1, biased - 1023),
    };
    let digit_count = match precision {
        None => {
            // Shortest exact form: drop trailing zero nibbles.
            let zero_nibbles = if fraction == 0 { FRACTION_DIGITS } else { (fraction.trailing_zeros() / 4) as usize };
            FRACTION_DIGITS - zero_nibbles
        }
        Some(p) if p < FRACTION_DIGITS => {
            let dropped = 4 * (FRACTION_DIGITS - p) as u32;
            let rest = fraction & ((1 << dropped) - 1);
            let half = 1 << (dropped - 1);
            let mut kept = fraction >> dropped;
            // Ties go to the even last printed digit, which is the leading digit when no
            // fraction digit is printed (`%.0a` of 1.5 is `0x2p+0`).
            let last_digit = if p == 0 { lead } else { kept };
            if rest > half || (rest == half && last_digit & 1 == 1) {
                kept += 1;
                if kept == 1 << (4 * p) {
                    kept = 0;
                    lead += 1;
                }
            }
            fraction = kept << dropped;
            p
        }
        Some(p) => p,
    };
    out.push_str(if upper { "0X" } else { "0x" });
    out.push_str(&lead.to_string());
    if digit_count > 0 || alt {
        out.push('.');
    }
    let hex = if upper { format!("{fraction:013X}") } else { format!("{fraction:013x}") };
    let shown = digit_count.min(FRACTION_DIGITS);
    out.push_str(&hex[..shown]);
    for _ in shown..digit_count {
        out.push('0');
    }
    out.push(if upper { 'P' } else { 'p' });
    out.push(if exponent < 0 { '-' } else { '+' });
    out.push_str(&exponent.unsigned_abs().to_string());
}

/// The `printf` flags that affect padding of a signed numeric conversion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumericFlags {
    /// `-`: left-justify within the width (overrides `zero`).
    pub left: bool,
    /// `0`: pad with zeros after the sign (and after a `0x` prefix) instead of spaces.
    pub zero: bool,
    /// `+`: prefix non-negative values with `+`.
    pub plus: bool,
    /// ` `: prefix non-negative values with a space (ignored when `plus`).
    pub space: bool,
}

/// Applies sign flags and a minimum width to the output of a signed conversion (`%d %i` or a
/// float conversion from [`format_float`]) as glibc does. Zero padding is not applied to
/// `inf`/`nan` (glibc pads those with spaces). The caller handles C's rule that `0` is ignored
/// for integer conversions with a precision.
pub fn pad_numeric(body: &str, width: usize, flags: NumericFlags) -> String {
    let (sign, rest) = match body.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None if flags.plus => ("+", body),
        None if flags.space => (" ", body),
        None => ("", body),
    };
    let len = sign.len() + rest.len();
    let fill = width.saturating_sub(len);
    let mut out = String::with_capacity(len + fill);
    let finite = rest.starts_with(|c: char| c.is_ascii_digit());
    if flags.left {
        out.push_str(sign);
        out.push_str(rest);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if flags.zero && finite {
        let prefix_len = if rest.starts_with("0x") || rest.starts_with("0X") { 2 } else { 0 };
        out.push_str(sign);
        out.push_str(&rest[..prefix_len]);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(&rest[prefix_len..]);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(sign);
        out.push_str(rest);
    }
    out
}
