//! Lua numbers as text: string -> number conversion (the lexer's numerals, `tonumber`,
//! arithmetic coercion) and number -> string formatting (`tostring`, `print`, `..`).
//!
//! Owned by the numeric-semantics work; this first version is a placeholder that only
//! handles plain decimal text, so that the crate builds while the real rules are written.

/// A Lua number: the integer and float subtypes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// Converts a numeral (with optional surrounding whitespace and sign) as Lua's
/// `lua_stringtonumber` does. Returns `None` if the whole text is not a numeral.
pub fn str2number(text: &[u8]) -> Option<Number> {
    let s = std::str::from_utf8(text).ok()?.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::Int(i));
    }
    s.parse::<f64>().ok().map(Number::Float)
}
