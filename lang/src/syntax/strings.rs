//! String literals and long brackets: where they end, what bytes they stand for.
//!
//! Short strings (`"..."`, `'...'`) with every Lua 5.4 escape, long strings `[==[ ... ]==]`
//! and long comments `--[==[ ... ]==]`. The functions scan the raw source from a given offset
//! and return the value and the offset just past the literal. On error they report the text
//! Lua shows after `near` — Lua's token buffer at that moment: the opening delimiter, the
//! *processed* content so far, the escape being read and the character that broke it.

use super::lex_error::{LexError, LexErrorKind};

/// Is `b` a byte Lua treats as white space (C `isspace`)?
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_newline(b: Option<&u8>) -> bool {
    matches!(b, Some(b'\n' | b'\r'))
}

/// Offset just past the line break at `i` (`\n`, `\r`, `\r\n` or `\n\r`).
fn skip_newline(src: &[u8], i: usize) -> usize {
    let first = src[i];
    match src.get(i + 1) {
        Some(&next) if (next == b'\n' || next == b'\r') && next != first => i + 2,
        _ => i + 1,
    }
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Appends `x` (at most 0x7FFFFFFF) as UTF-8, extended to 6 bytes as Lua's `luaO_utf8esc`.
pub fn push_utf8(buf: &mut Vec<u8>, mut x: u32) {
    if x < 0x80 {
        buf.push(x as u8);
        return;
    }
    let mut tail = Vec::with_capacity(5);
    // Largest payload that still fits in the first byte; it shrinks by one bit per
    // continuation byte.
    let mut first_max: u32 = 0x3f;
    loop {
        tail.push(0x80 | (x & 0x3f) as u8);
        x >>= 6;
        first_max >>= 1;
        if x <= first_max {
            break;
        }
    }
    buf.push(((!first_max << 1) | x) as u8);
    buf.extend(tail.iter().rev());
}

/// Scans a short string whose opening quote is at `start`. Returns the value and the offset
/// just past the closing quote.
pub fn short_string(src: &[u8], start: usize) -> Result<(Vec<u8>, usize), LexError> {
    let delim = src[start];
    // Lua's token buffer: the opening quote, then the value as processed so far.
    let mut buf = vec![delim];
    let mut i = start + 1;
    loop {
        match src.get(i) {
            None => return Err(LexError::new(LexErrorKind::UnfinishedString, i, None)),
            Some(b'\n' | b'\r') => {
                return Err(LexError::new(LexErrorKind::UnfinishedString, i, Some(buf)));
            }
            Some(&c) if c == delim => {
                buf.remove(0);
                return Ok((buf, i + 1));
            }
            Some(b'\\') => {
                buf.push(b'\\');
                i = escape(src, i + 1, &mut buf)?;
            }
            Some(&c) => {
                buf.push(c);
                i += 1;
            }
        }
    }
}

/// An escape error: Lua adds the offending character (if any) to the buffer it shows.
fn escape_error(kind: LexErrorKind, src: &[u8], i: usize, buf: &mut Vec<u8>) -> LexError {
    if let Some(&c) = src.get(i) {
        buf.push(c);
    }
    LexError::new(kind, i, Some(std::mem::take(buf)))
}

/// Reads the escape after a backslash; `i` is the offset of the character after it and `buf`
/// ends with the backslash. Replaces the backslash with the escaped bytes and returns the
/// offset after the escape.
fn escape(src: &[u8], i: usize, buf: &mut Vec<u8>) -> Result<usize, LexError> {
    let backslash = buf.len() - 1;
    let simple = |c: u8| match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' | b'"' | b'\'' => Some(c),
        _ => None,
    };
    let Some(&c) = src.get(i) else {
        // Backslash at the very end: Lua reports the unfinished string at <eof>. A line
        // break may follow in more input, so the chunk is incomplete rather than wrong.
        let mut err = LexError::new(LexErrorKind::UnfinishedString, i, None);
        err.incomplete = true;
        return Err(err);
    };
    if let Some(byte) = simple(c) {
        buf[backslash] = byte;
        return Ok(i + 1);
    }
    match c {
        b'\n' | b'\r' => {
            buf[backslash] = b'\n';
            Ok(skip_newline(src, i))
        }
        b'x' => {
            buf.push(b'x');
            let mut value = 0;
            let mut j = i + 1;
            for _ in 0..2 {
                match src.get(j).and_then(|&d| hex_value(d)) {
                    Some(v) => value = value * 16 + v,
                    None => return Err(escape_error(LexErrorKind::HexDigitExpected, src, j, buf)),
                }
                buf.push(src[j]);
                j += 1;
            }
            buf.truncate(backslash);
            buf.push(value as u8);
            Ok(j)
        }
        b'u' => utf8_escape(src, i + 1, buf, backslash),
        b'z' => {
            buf.truncate(backslash);
            let mut j = i + 1;
            while let Some(&b) = src.get(j) {
                if !is_space(b) {
                    break;
                }
                j = if is_newline(Some(&b)) { skip_newline(src, j) } else { j + 1 };
            }
            Ok(j)
        }
        b'0'..=b'9' => {
            let mut value: u32 = 0;
            let mut j = i;
            while j < i + 3 && src.get(j).is_some_and(u8::is_ascii_digit) {
                value = value * 10 + u32::from(src[j] - b'0');
                buf.push(src[j]);
                j += 1;
            }
            if value > 255 {
                return Err(escape_error(LexErrorKind::DecimalEscapeTooLarge, src, j, buf));
            }
            buf.truncate(backslash);
            buf.push(value as u8);
            Ok(j)
        }
        _ => Err(escape_error(LexErrorKind::InvalidEscape, src, i, buf)),
    }
}

/// `\u{XXX}`: `i` is just after the `u`.
fn utf8_escape(src: &[u8], i: usize, buf: &mut Vec<u8>, backslash: usize) -> Result<usize, LexError> {
    buf.push(b'u');
    if src.get(i) != Some(&b'{') {
        return Err(escape_error(LexErrorKind::MissingOpenBrace, src, i, buf));
    }
    buf.push(b'{');
    let mut j = i + 1;
    let Some(mut value) = src.get(j).and_then(|&d| hex_value(d)) else {
        return Err(escape_error(LexErrorKind::HexDigitExpected, src, j, buf));
    };
    buf.push(src[j]);
    j += 1;
    while let Some(digit) = src.get(j).and_then(|&d| hex_value(d)) {
        if value > (0x7FFF_FFFF >> 4) {
            return Err(escape_error(LexErrorKind::Utf8TooLarge, src, j, buf));
        }
        value = value * 16 + digit;
        buf.push(src[j]);
        j += 1;
    }
    if src.get(j) != Some(&b'}') {
        return Err(escape_error(LexErrorKind::MissingCloseBrace, src, j, buf));
    }
    buf.truncate(backslash);
    push_utf8(buf, value);
    Ok(j + 1)
}

/// What a `[` at some offset opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bracket {
    /// A plain `[`.
    Plain,
    /// `[=...=` not followed by `[`: `level` equal signs, then something else.
    Malformed { level: usize },
    /// A long bracket of the given level; the content starts at `content`.
    Long { level: usize, content: usize },
}

/// Classifies the `[` at `start` (Lua's `skip_sep`).
pub fn open_bracket(src: &[u8], start: usize) -> Bracket {
    let mut j = start + 1;
    while src.get(j) == Some(&b'=') {
        j += 1;
    }
    let level = j - start - 1;
    match src.get(j) {
        Some(b'[') => Bracket::Long { level, content: j + 1 },
        _ if level == 0 => Bracket::Plain,
        _ => Bracket::Malformed { level },
    }
}

/// Whether a long bracket holds a string or a comment (only the error message differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongKind {
    String,
    Comment,
}

/// Reads a long bracket's content from `content` (just past the opening `[==[`) up to the
/// matching close. `start` is the offset of the opening `[`. Returns the content (first line
/// break skipped, every line break normalised to `\n`) and the offset past the close.
pub fn long_bracket(
    src: &[u8],
    start: usize,
    level: usize,
    content: usize,
    kind: LongKind,
) -> Result<(Vec<u8>, usize), LexError> {
    let mut value = Vec::new();
    let mut i = content;
    if is_newline(src.get(i)) {
        i = skip_newline(src, i);
    }
    loop {
        match src.get(i) {
            None => {
                let kind = match kind {
                    LongKind::String => LexErrorKind::UnfinishedLongString { start },
                    LongKind::Comment => LexErrorKind::UnfinishedLongComment { start },
                };
                let mut err = LexError::new(kind, i, None);
                err.incomplete = true;
                return Err(err);
            }
            Some(b']') => {
                let mut j = i + 1;
                while src.get(j) == Some(&b'=') {
                    j += 1;
                }
                if j - i - 1 == level && src.get(j) == Some(&b']') {
                    return Ok((value, j + 1));
                }
                // Not our close: keep the `]` and the `=`s, look again from what follows.
                value.extend_from_slice(&src[i..j]);
                i = j;
            }
            Some(b'\n' | b'\r') => {
                value.push(b'\n');
                i = skip_newline(src, i);
            }
            Some(&c) => {
                value.push(c);
                i += 1;
            }
        }
    }
}

/// Offset just past a comment whose `--` starts at `start`.
pub fn comment(src: &[u8], start: usize) -> Result<usize, LexError> {
    let after = start + 2;
    if src.get(after) == Some(&b'[') {
        if let Bracket::Long { level, content } = open_bracket(src, after) {
            return long_bracket(src, after, level, content, LongKind::Comment).map(|(_, end)| end);
        }
    }
    let mut i = after;
    while i < src.len() && !is_newline(src.get(i)) {
        i += 1;
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(s: &[u8]) -> Result<Vec<u8>, LexError> {
        short_string(s, 0).map(|(v, end)| {
            assert_eq!(end, s.len(), "string should end at the end of {s:?}");
            v
        })
    }

    fn near(s: &[u8]) -> (LexErrorKind, String) {
        let err = short_string(s, 0).unwrap_err();
        let near = err.near.map_or("<eof>".to_string(), |n| String::from_utf8_lossy(&n).into_owned());
        (err.kind, near)
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(short(br#""\a\b\f\n\r\t\v\\\"\'""#).unwrap(), b"\x07\x08\x0c\n\r\t\x0b\\\"'");
        assert_eq!(short(b"'a\"b'").unwrap(), b"a\"b");
    }

    #[test]
    fn line_continuation_and_z() {
        assert_eq!(short(b"\"a\\\nb\"").unwrap(), b"a\nb");
        assert_eq!(short(b"\"a\\\r\nb\"").unwrap(), b"a\nb");
        assert_eq!(short(b"\"a\\\n\rb\"").unwrap(), b"a\nb");
        assert_eq!(short(b"\"a\\z  \n\t  b\"").unwrap(), b"ab");
        assert_eq!(short(b"\"a\\zb\"").unwrap(), b"ab");
    }

    #[test]
    fn numeric_escapes() {
        assert_eq!(short(br#""\x41\x7a\xFF""#).unwrap(), b"Az\xff");
        assert_eq!(short(br#""\65\0\255\0011""#).unwrap(), b"A\0\xff\x011");
        assert_eq!(short(br#""\u{41}\u{E9}\u{20AC}""#).unwrap(), "Aé€".as_bytes());
        assert_eq!(short(br#""\u{10FFFF}""#).unwrap(), b"\xF4\x8F\xBF\xBF");
        assert_eq!(short(br#""\u{7FFFFFFF}""#).unwrap(), b"\xFD\xBF\xBF\xBF\xBF\xBF");
        assert_eq!(short(br#""\u{200000}""#).unwrap(), b"\xF8\x88\x80\x80\x80");
        assert_eq!(short(br#""\u{0000041}""#).unwrap(), b"A");
    }

    #[test]
    fn raw_bytes_survive() {
        assert_eq!(short(b"\"\xff\x00\xc3(\"").unwrap(), b"\xff\x00\xc3(");
    }

    #[test]
    fn escape_errors_show_luas_buffer() {
        use LexErrorKind::*;
        assert_eq!(near(br#""a\qb""#), (InvalidEscape, r#""a\q"#.into()));
        assert_eq!(near(br#""a\tb\q""#), (InvalidEscape, "\"a\tb\\q".into()));
        assert_eq!(near(br#""\300""#), (DecimalEscapeTooLarge, r#""\300""#.into()));
        assert_eq!(near(br#""\9999""#), (DecimalEscapeTooLarge, r#""\9999"#.into()));
        assert_eq!(near(br#""\xg""#), (HexDigitExpected, r#""\xg"#.into()));
        assert_eq!(near(br#""\x5g""#), (HexDigitExpected, r#""\x5g"#.into()));
        assert_eq!(near(br#""\u{80000000}""#), (Utf8TooLarge, r#""\u{80000000"#.into()));
        assert_eq!(near(br#""\u{800000000}""#), (Utf8TooLarge, r#""\u{80000000"#.into()));
        assert_eq!(near(br#""\u123""#), (MissingOpenBrace, r#""\u1"#.into()));
        assert_eq!(near(br#""\u{12""#), (MissingCloseBrace, r#""\u{12""#.into()));
        assert_eq!(near(br#""\u{}""#), (HexDigitExpected, r#""\u{}"#.into()));
        assert_eq!(near(br#""\x"#), (HexDigitExpected, r#""\x"#.into()));
    }

    #[test]
    fn unfinished_strings() {
        let err = short_string(b"\"abc\ny", 0).unwrap_err();
        assert_eq!(
            (err.kind, err.offset, err.near.as_deref(), err.incomplete),
            (LexErrorKind::UnfinishedString, 4, Some(&b"\"abc"[..]), false)
        );
        let err = short_string(b"\"abc", 0).unwrap_err();
        assert_eq!((err.near, err.incomplete), (None, false));
        let err = short_string(b"\"abc\\", 0).unwrap_err();
        assert_eq!((err.near, err.incomplete), (None, true));
    }

    fn long(s: &[u8]) -> Result<(Vec<u8>, usize), LexError> {
        match open_bracket(s, 0) {
            Bracket::Long { level, content } => long_bracket(s, 0, level, content, LongKind::String),
            other => panic!("not a long bracket: {other:?}"),
        }
    }

    #[test]
    fn long_brackets() {
        assert_eq!(long(b"[[abc]]").unwrap(), (b"abc".to_vec(), 7));
        assert_eq!(long(b"[[\nabc]]").unwrap().0, b"abc");
        assert_eq!(long(b"[[\r\nabc]]").unwrap().0, b"abc");
        assert_eq!(long(b"[[\n\nabc]]").unwrap().0, b"\nabc");
        assert_eq!(long(b"[[a\r\nb\n\rc\rd\ne]]").unwrap().0, b"a\nb\nc\nd\ne");
        assert_eq!(long(b"[==[a]]b]=]c]===]d]==]").unwrap().0, b"a]]b]=]c]===]d");
        assert_eq!(long(b"[=[]]=]").unwrap().0, b"]");
        assert_eq!(long(b"[[]=]]]").unwrap().0, b"]=");
        assert_eq!(long(b"[[\\n\"]] tail").unwrap(), (b"\\n\"".to_vec(), 7));
        let err = long(b"[==[abc]]").unwrap_err();
        assert_eq!((err.kind, err.offset, err.incomplete), (LexErrorKind::UnfinishedLongString { start: 0 }, 9, true));
    }

    #[test]
    fn bracket_kinds() {
        assert_eq!(open_bracket(b"[x", 0), Bracket::Plain);
        assert_eq!(open_bracket(b"[", 0), Bracket::Plain);
        assert_eq!(open_bracket(b"[==x", 0), Bracket::Malformed { level: 2 });
        assert_eq!(open_bracket(b"[=[", 0), Bracket::Long { level: 1, content: 3 });
    }

    #[test]
    fn comments() {
        assert_eq!(comment(b"-- abc\nx", 0).unwrap(), 6);
        assert_eq!(comment(b"--[[ a\n b ]] x", 0).unwrap(), 12);
        assert_eq!(comment(b"--[==x\ny", 0).unwrap(), 6, "a malformed bracket opens a line comment");
        assert_eq!(comment(b"--", 0).unwrap(), 2);
        let err = comment(b"--[=[ abc ]]", 0).unwrap_err();
        assert_eq!((err.kind, err.incomplete), (LexErrorKind::UnfinishedLongComment { start: 2 }, true));
    }

    #[test]
    fn utf8_encoding_matches_lua() {
        let enc = |x| {
            let mut v = Vec::new();
            push_utf8(&mut v, x);
            v
        };
        assert_eq!(enc(0x7f), b"\x7f");
        assert_eq!(enc(0x80), b"\xc2\x80");
        assert_eq!(enc(0x7ff), b"\xdf\xbf");
        assert_eq!(enc(0x800), b"\xe0\xa0\x80");
        assert_eq!(enc(0xffff), b"\xef\xbf\xbf");
        assert_eq!(enc(0x10000), b"\xf0\x90\x80\x80");
        assert_eq!(enc(0x3ffffff), b"\xfb\xbf\xbf\xbf\xbf");
        assert_eq!(enc(0x4000000), b"\xfc\x84\x80\x80\x80\x80");
    }
}
