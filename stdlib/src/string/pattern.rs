//! The Lua pattern matcher (manual §6.4.1): character classes, sets, quantifiers, anchors,
//! captures (including position captures), back-references, `%b` and `%f`.
//!
//! A backtracking matcher over bytes, with Lua's limits: at most 32 captures and a recursion
//! budget of 200 nested matches ("pattern too complex"), so pathological patterns fail with
//! an error instead of exhausting the Rust stack. Errors are returned as Lua's messages,
//! without position; the caller turns them into `luaL_error`-style errors.
//!
//! Out-of-range reads of the pattern yield byte 0, mirroring the terminating NUL that Lua's
//! strings carry: that is what decides, for example, that `[a` is "missing ']'" and that a
//! trailing quantifier position holds no quantifier.

/// Lua's LUA_MAXCAPTURES.
pub const MAX_CAPTURES: usize = 32;
/// Lua's MAXCCALLS for the matcher: nesting of recursive matches.
const MAX_DEPTH: usize = 200;
const ESC: u8 = b'%';

pub type PatResult<T> = Result<T, String>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum CapLen {
    /// Opened with `(` and not yet closed.
    Unfinished,
    /// A position capture `()`.
    Position,
    Len(usize),
}

#[derive(Clone, Copy, Debug)]
struct Capture {
    start: usize,
    len: CapLen,
}

/// One captured value: a substring or a (1-based) position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureValue<'a> {
    Str(&'a [u8]),
    Position(usize),
}

/// Matching state for one subject and one pattern; reusable across start positions.
pub struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    depth: usize,
    level: usize,
    caps: [Capture; MAX_CAPTURES],
}

impl<'a> Matcher<'a> {
    pub fn new(src: &'a [u8], pat: &'a [u8]) -> Matcher<'a> {
        Matcher {
            src,
            pat,
            depth: MAX_DEPTH,
            level: 0,
            caps: [Capture { start: 0, len: CapLen::Unfinished }; MAX_CAPTURES],
        }
    }

    /// Tries to match the pattern starting at pattern index `p` against the subject at
    /// byte offset `s`; returns the end offset of the match.
    pub fn match_at(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        self.level = 0;
        self.depth = MAX_DEPTH;
        self.do_match(s, p)
    }

    /// Number of captures of the last successful match (0 when the pattern has none).
    pub fn level(&self) -> usize {
        self.level
    }

    /// Capture `i` (0-based) of the last match `s..e`; capture 0 of a pattern without
    /// captures is the whole match.
    pub fn capture(&self, i: usize, s: usize, e: usize) -> PatResult<CaptureValue<'a>> {
        if i >= self.level {
            if i != 0 {
                return Err(format!("invalid capture index %{}", i + 1));
            }
            return Ok(CaptureValue::Str(&self.src[s..e]));
        }
        let cap = self.caps[i];
        match cap.len {
            CapLen::Unfinished => Err("unfinished capture".to_string()),
            CapLen::Position => Ok(CaptureValue::Position(cap.start + 1)),
            CapLen::Len(n) => Ok(CaptureValue::Str(&self.src[cap.start..cap.start + n])),
        }
    }

    /// How many values a match yields: its captures, or the whole match when the pattern
    /// has none and `whole` is set.
    pub fn capture_count(&self, whole: bool) -> usize {
        if self.level == 0 && whole {
            1
        } else {
            self.level
        }
    }

    fn at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    fn do_match(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        if self.depth == 0 {
            return Err("pattern too complex".to_string());
        }
        self.depth -= 1;
        let r = self.match_here(s, p);
        self.depth += 1;
        r
    }

    /// The body of `do_match`: simple items advance in a loop, only choices recurse.
    fn match_here(&mut self, mut s: usize, mut p: usize) -> PatResult<Option<usize>> {
        loop {
            if p == self.pat.len() {
                return Ok(Some(s));
            }
            match self.pat[p] {
                b'(' => {
                    return if self.at(p + 1) == b')' {
                        self.start_capture(s, p + 2, CapLen::Position)
                    } else {
                        self.start_capture(s, p + 1, CapLen::Unfinished)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'$' if p + 1 == self.pat.len() => return Ok((s == self.src.len()).then_some(s)),
                ESC if self.at(p + 1) == b'b' => match self.match_balance(s, p + 2)? {
                    Some(e) => {
                        s = e;
                        p += 4;
                        continue;
                    }
                    None => return Ok(None),
                },
                ESC if self.at(p + 1) == b'f' => {
                    p += 2;
                    if self.at(p) != b'[' {
                        return Err("missing '[' after '%f' in pattern".to_string());
                    }
                    let ep = self.class_end(p)?;
                    let prev = if s == 0 { 0 } else { self.src[s - 1] };
                    let cur = self.src.get(s).copied().unwrap_or(0);
                    if !self.match_set(prev, p, ep - 1) && self.match_set(cur, p, ep - 1) {
                        p = ep;
                        continue;
                    }
                    return Ok(None);
                }
                ESC if self.at(p + 1).is_ascii_digit() => match self.match_backref(s, self.at(p + 1))? {
                    Some(e) => {
                        s = e;
                        p += 2;
                        continue;
                    }
                    None => return Ok(None),
                },
                _ => {}
            }
            let ep = self.class_end(p)?;
            let quantifier = self.at(ep);
            if !self.single_match(s, p, ep) {
                if matches!(quantifier, b'*' | b'?' | b'-') {
                    p = ep + 1;
                    continue;
                }
                return Ok(None);
            }
            match quantifier {
                b'?' => {
                    if let Some(e) = self.do_match(s + 1, ep + 1)? {
                        return Ok(Some(e));
                    }
                    p = ep + 1;
                }
                b'+' => return self.max_expand(s + 1, p, ep),
                b'*' => return self.max_expand(s, p, ep),
                b'-' => return self.min_expand(s, p, ep),
                _ => {
                    s += 1;
                    p = ep;
                }
            }
        }
    }

    /// Index just past the single-character class starting at `p`.
    fn class_end(&self, p: usize) -> PatResult<usize> {
        let c = self.pat[p];
        let mut p = p + 1;
        match c {
            ESC => {
                if p >= self.pat.len() {
                    return Err("malformed pattern (ends with '%')".to_string());
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.at(p) == b'^' {
                    p += 1;
                }
                // The first character is part of the set even when it is ']'.
                loop {
                    if p >= self.pat.len() {
                        return Err("malformed pattern (missing ']')".to_string());
                    }
                    let c = self.pat[p];
                    p += 1;
                    if c == ESC && p < self.pat.len() {
                        p += 1;
                    }
                    if self.at(p) == b']' {
                        return Ok(p + 1);
                    }
                }
            }
            _ => Ok(p),
        }
    }

    /// Does subject byte `s` match the class `p..ep`?
    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else {
            return false;
        };
        match self.pat[p] {
            b'.' => true,
            ESC => match_class(c, self.pat[p + 1]),
            b'[' => self.match_set(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Does `c` belong to the set `[...]` from `p` (at '[') to `end` (at ']')?
    fn match_set(&self, c: u8, p: usize, end: usize) -> bool {
        let mut p = p + 1;
        let negated = self.at(p) == b'^';
        if negated {
            p += 1;
        }
        while p < end {
            let pc = self.pat[p];
            if pc == ESC {
                p += 1;
                if match_class(c, self.at(p)) {
                    return !negated;
                }
                p += 1;
            } else if self.at(p + 1) == b'-' && p + 2 < end {
                if pc <= c && c <= self.pat[p + 2] {
                    return !negated;
                }
                p += 3;
            } else {
                if pc == c {
                    return !negated;
                }
                p += 1;
            }
        }
        negated
    }

    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> PatResult<Option<usize>> {
        let mut count = 0;
        while self.single_match(s + count, p, ep) {
            count += 1;
        }
        loop {
            if let Some(e) = self.do_match(s + count, ep + 1)? {
                return Ok(Some(e));
            }
            if count == 0 {
                return Ok(None);
            }
            count -= 1;
        }
    }

    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> PatResult<Option<usize>> {
        loop {
            if let Some(e) = self.do_match(s, ep + 1)? {
                return Ok(Some(e));
            }
            if !self.single_match(s, p, ep) {
                return Ok(None);
            }
            s += 1;
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, len: CapLen) -> PatResult<Option<usize>> {
        if self.level >= MAX_CAPTURES {
            return Err("too many captures".to_string());
        }
        self.caps[self.level] = Capture { start: s, len };
        self.level += 1;
        let r = self.do_match(s, p)?;
        if r.is_none() {
            self.level -= 1;
        }
        Ok(r)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> PatResult<Option<usize>> {
        let Some(open) = (0..self.level).rev().find(|&i| self.caps[i].len == CapLen::Unfinished) else {
            return Err("invalid pattern capture".to_string());
        };
        self.caps[open].len = CapLen::Len(s - self.caps[open].start);
        let r = self.do_match(s, p)?;
        if r.is_none() {
            self.caps[open].len = CapLen::Unfinished;
        }
        Ok(r)
    }

    /// `%b xy` at pattern index `p` (the `x`).
    fn match_balance(&self, s: usize, p: usize) -> PatResult<Option<usize>> {
        if p + 1 >= self.pat.len() {
            return Err("malformed pattern (missing arguments to '%b')".to_string());
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// A back-reference `%1`..`%9` (`digit` is the ASCII digit).
    fn match_backref(&self, s: usize, digit: u8) -> PatResult<Option<usize>> {
        let index = usize::from(digit - b'0');
        let closed = index >= 1 && index <= self.level;
        let len = match closed.then(|| self.caps[index - 1].len) {
            Some(CapLen::Len(n)) => Some(n),
            Some(CapLen::Position) => None,
            _ => return Err(format!("invalid capture index %{index}")),
        };
        let Some(len) = len else {
            return Ok(None);
        };
        let start = self.caps[index - 1].start;
        let matches = self.src.len() - s >= len && self.src[start..start + len] == self.src[s..s + len];
        Ok(matches.then_some(s + len))
    }
}

/// Does `c` belong to the class letter `class` (`%a`, `%D`...)? Other characters stand for
/// themselves (`%.`).
fn match_class(c: u8, class: u8) -> bool {
    let result = match class.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        // Deprecated since Lua 5.2 but still accepted: the zero byte.
        b'z' => c == 0,
        _ => return class == c,
    };
    if class.is_ascii_uppercase() {
        !result
    } else {
        result
    }
}

/// True when the pattern has no magic characters (a plain substring search suffices).
pub fn is_plain(pat: &[u8]) -> bool {
    !pat.iter().any(|c| b"^$*+?.([%-".contains(c))
}

/// Offset of the first occurrence of `needle` in `hay`.
pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    (0..=hay.len() - needle.len()).find(|&i| hay[i] == first && &hay[i..i + needle.len()] == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(s: &str, p: &str) -> PatResult<Option<(usize, usize)>> {
        let (src, pat) = (s.as_bytes(), p.as_bytes());
        let (anchor, p0) = if pat.first() == Some(&b'^') { (true, 1) } else { (false, 0) };
        let mut m = Matcher::new(src, pat);
        for start in 0..=src.len() {
            if let Some(e) = m.match_at(start, p0)? {
                return Ok(Some((start, e)));
            }
            if anchor {
                break;
            }
        }
        Ok(None)
    }

    #[test]
    fn basic_items() {
        assert_eq!(find("hello world", "o w"), Ok(Some((4, 7))));
        assert_eq!(find("hello", "l+"), Ok(Some((2, 4))));
        assert_eq!(find("hello", "^h.-o$"), Ok(Some((0, 5))));
        assert_eq!(find("x = (a(b)c)", "%b()"), Ok(Some((4, 11))));
        assert_eq!(find("THE (quick) fox", "%f[%a]%a+"), Ok(Some((0, 3))));
        assert_eq!(find("abcabc", "(abc)%1"), Ok(Some((0, 6))));
        assert_eq!(find("a]b", "[]]"), Ok(Some((1, 2))));
        assert_eq!(find("a-b", "[a%-]+"), Ok(Some((0, 2))));
        assert_eq!(find("xyz", "[^x-y]"), Ok(Some((2, 3))));
    }

    #[test]
    fn errors() {
        assert_eq!(find("a", "%"), Err("malformed pattern (ends with '%')".into()));
        assert_eq!(find("a", "[a"), Err("malformed pattern (missing ']')".into()));
        assert_eq!(find("a", "(%1)"), Err("invalid capture index %1".into()));
        assert_eq!(find("b", "a)"), Ok(None));
        assert_eq!(find("a", "a)"), Err("invalid pattern capture".into()));
        assert_eq!(find(&"a".repeat(300), &"a?".repeat(300)), Err("pattern too complex".into()));
    }

    #[test]
    fn plain_search() {
        assert!(is_plain(b"abc def"));
        assert!(!is_plain(b"a.c"));
        assert_eq!(find_bytes(b"hello", b"llo"), Some(2));
        assert_eq!(find_bytes(b"hello", b""), Some(0));
        assert_eq!(find_bytes(b"he", b"hello"), None);
    }
}
