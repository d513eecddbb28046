//! Reads the bytes of initialised data objects from compiler assembly output (`gcc -S`,
//! `clang -S`), so that layouts can be read for any target without running its code.

use std::collections::HashMap;

/// Bytes of every labelled object in `asm`. `word` is the size of `.word` (2 on x86, 4 on
/// AArch64).
pub fn objects(asm: &str, word: usize) -> HashMap<String, Vec<u8>> {
    let mut out: HashMap<String, Vec<u8>> = HashMap::new();
    let mut current: Option<String> = None;
    for raw in asm.lines() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(label) = line.strip_suffix(':') {
            if !label.contains(char::is_whitespace) {
                let name = label.strip_prefix('_').filter(|l| l.starts_with("rv_")).unwrap_or(label);
                current = Some(name.to_string());
                out.entry(name.to_string()).or_default();
                continue;
            }
        }
        let Some(name) = &current else { continue };
        let (directive, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let args = args.trim();
        let size = match directive {
            ".byte" => 1,
            ".short" | ".value" | ".hword" | ".2byte" => 2,
            ".word" => word,
            ".long" | ".4byte" | ".int" => 4,
            ".quad" | ".xword" | ".8byte" | ".dword" => 8,
            ".zero" | ".space" | ".skip" => {
                let n: usize = args.split(',').next().unwrap().trim().parse().expect("count");
                out.get_mut(name).unwrap().extend(std::iter::repeat_n(0, n));
                continue;
            }
            ".ascii" | ".string" | ".asciz" => {
                let mut bytes = unquote(args);
                if directive != ".ascii" {
                    bytes.push(0);
                }
                out.get_mut(name).unwrap().extend(bytes);
                continue;
            }
            _ => {
                // Any other directive ends the object.
                if directive.starts_with('.') {
                    current = None;
                }
                continue;
            }
        };
        for value in args.split(',') {
            let v = parse_int(value.trim());
            out.get_mut(name).unwrap().extend_from_slice(&v.to_le_bytes()[..size]);
        }
    }
    out
}

fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' | ';' if !in_string => return &line[..i],
            '/' if !in_string && line[i..].starts_with("//") => return &line[..i],
            _ => {}
        }
    }
    line
}

fn parse_int(text: &str) -> u64 {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let v = if let Some(h) = digits.strip_prefix("0x") { u64::from_str_radix(h, 16) } else { digits.parse::<u64>() }
        .unwrap_or_else(|_| panic!("unexpected number {text:?} in assembly"));
    if neg {
        v.wrapping_neg()
    } else {
        v
    }
}

/// The bytes of a quoted assembler string.
fn unquote(text: &str) -> Vec<u8> {
    let inner = text.trim().trim_start_matches('"').trim_end_matches('"');
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        i += 1;
        match bytes[i] {
            b'0'..=b'7' => {
                let start = i;
                while i < bytes.len() && i < start + 3 && (b'0'..=b'7').contains(&bytes[i]) {
                    i += 1;
                }
                let s = std::str::from_utf8(&bytes[start..i]).unwrap();
                out.push(u8::from_str_radix(s, 8).unwrap());
                continue;
            }
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'x' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                    i += 1;
                }
                let s = std::str::from_utf8(&bytes[start..i]).unwrap();
                out.push(u8::from_str_radix(s, 16).unwrap());
                continue;
            }
            other => out.push(other),
        }
        i += 1;
    }
    out
}

#[test]
fn reads_gas_data() {
    let asm = "rv_a:\n\t.zero 2\n\t.byte 224, -1\n\t.value 258\n\t.long 1 # c\n\t.size rv_a, 8\n_rv_b:\n\t.quad -1\n\t.ascii \"\\377\\001a\"\n";
    let objs = objects(asm, 2);
    assert_eq!(objs["rv_a"], vec![0, 0, 224, 255, 2, 1, 1, 0, 0, 0]);
    assert_eq!(objs["rv_b"], vec![255, 255, 255, 255, 255, 255, 255, 255, 255, 1, b'a']);
}
