//! Random (seeded) struct and union declarations mixing every layout feature: scalars of
//! every kind, arrays, nested and anonymous records, earlier records as members, enums,
//! bit-fields of every width (zero-width ones included), packing, alignment attributes and
//! `#pragma pack`. The same text is given to the C compiler and to rivet's cdef.
//!
//! Two dialects: GCC-style attributes for System V and Apple targets, `__declspec` and
//! `#pragma pack` for Microsoft targets (MSVC has no `__attribute__`).

use super::rng::Rng;

/// A member to check, by its path from the top-level record (`m3`, `m4.x`, `x` for a member
/// of an anonymous member).
#[derive(Clone, Debug)]
pub struct MemberPath {
    pub path: String,
    pub bitfield: bool,
}

/// A generated top-level record.
#[derive(Clone, Debug)]
pub struct Generated {
    /// `struct S12` or `union S12`.
    pub c_type: String,
    /// Its declaration (with any `#pragma pack` lines around it).
    pub text: String,
    pub members: Vec<MemberPath>,
}

pub struct Generator {
    rng: Rng,
    msvc: bool,
    /// Whether bit-fields may carry alignment attributes.
    aligned_bitfields: bool,
    /// Records usable as members (no flexible array member): their C type names.
    reusable: Vec<String>,
    enums: Vec<String>,
    /// Enum definitions, emitted before the records.
    pub enum_text: String,
    next_name: usize,
}

const SCALARS: &[&str] = &[
    "char",
    "signed char",
    "unsigned char",
    "short",
    "unsigned short",
    "int",
    "unsigned int",
    "long",
    "unsigned long",
    "long long",
    "unsigned long long",
    "float",
    "double",
    "long double",
    "_Bool",
    "void *",
    "char *",
    "_Complex float",
    "_Complex double",
];

/// Bit-field types and the widest width allowed on every target (`long` is 32 bits on some).
const BITFIELD_TYPES: &[(&str, u32)] = &[
    ("char", 8),
    ("signed char", 8),
    ("unsigned char", 8),
    ("short", 16),
    ("unsigned short", 16),
    ("int", 32),
    ("unsigned int", 32),
    ("long", 32),
    ("unsigned long", 32),
    ("long long", 64),
    ("unsigned long long", 64),
    ("_Bool", 1),
];

const ALIGNMENTS: &[u32] = &[1, 2, 4, 8, 16];

impl Generator {
    pub fn new(seed: u64, msvc: bool, aligned_bitfields: bool) -> Generator {
        let mut g = Generator {
            rng: Rng::new(seed),
            msvc,
            aligned_bitfields,
            reusable: Vec::new(),
            enums: Vec::new(),
            enum_text: String::new(),
            next_name: 0,
        };
        // Enums with small, negative and (GCC only: MSVC enums are int) 64-bit values.
        let mut defs = vec![("E0", "E0_A, E0_B, E0_C"), ("E1", "E1_A = -5, E1_B = 100000")];
        if !msvc {
            defs.push(("E2", "E2_A = 1, E2_B = 0x100000000"));
            defs.push(("E3", "E3_A = -1, E3_B = 0x7fffffffffff"));
        }
        for (name, body) in defs {
            g.enum_text.push_str(&format!("enum {name} {{ {body} }};\n"));
            g.enums.push(format!("enum {name}"));
        }
        if !msvc {
            // GCC gives a packed enum the smallest type that holds its values.
            g.enum_text.push_str("enum __attribute__((packed)) E4 { E4_A, E4_B = 200 };\n");
            g.enum_text.push_str("enum __attribute__((packed)) E5 { E5_A = -3, E5_B = 1000 };\n");
            g.enums.push("enum E4".into());
            g.enums.push("enum E5".into());
        }
        g
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    /// The next top-level record.
    pub fn record(&mut self, index: usize) -> Generated {
        let is_union = self.rng.chance(20);
        let keyword = if is_union { "union" } else { "struct" };
        let tag = format!("S{index}");
        let mut members = Vec::new();
        let mut body = self.body(0, "", &mut members);
        let mut flexible = false;
        if !is_union && self.rng.chance(6) {
            let ty = *self.rng.pick(&["int", "char", "double", "short"]);
            body.push_str(&format!(" {ty} tail[];"));
            flexible = true;
        }
        let mut head = format!("{keyword} ");
        let mut trailer = String::new();
        if self.msvc {
            if self.rng.chance(12) {
                let n = self.rng.pick(ALIGNMENTS);
                // Both placements give the alignment to the type.
                if self.rng.chance(50) {
                    head = format!("__declspec(align({n})) {keyword} ");
                } else {
                    head.push_str(&format!("__declspec(align({n})) "));
                }
            }
        } else {
            if self.rng.chance(15) {
                head.push_str("__attribute__((packed)) ");
            }
            if self.rng.chance(10) {
                trailer = format!(" __attribute__((aligned({})))", self.rng.pick(ALIGNMENTS));
            }
        }
        let mut text = format!("{head}{tag} {{{body} }}{trailer};\n");
        if self.rng.chance(18) {
            let n = self.rng.pick(ALIGNMENTS);
            text = format!("#pragma pack(push, {n})\n{text}#pragma pack(pop)\n");
        }
        let c_type = format!("{keyword} {tag}");
        if !flexible {
            self.reusable.push(c_type.clone());
        }
        Generated { c_type, text, members }
    }

    /// Members of a record; `prefix` is the path of the record from the top (`m3.`).
    fn body(&mut self, depth: u32, prefix: &str, members: &mut Vec<MemberPath>) -> String {
        let mut out = String::new();
        let count = 1 + self.rng.below(if depth == 0 { 8 } else { 4 });
        let mut named = 0;
        for _ in 0..count {
            let roll = self.rng.below(100);
            if roll < 30 {
                // A run of bit-fields, so that they can share storage units.
                for _ in 0..1 + self.rng.below(4) {
                    named += self.bitfield(prefix, members, &mut out) as u32;
                }
            } else if roll < 40 && depth < 2 {
                let inner_union = self.rng.chance(40);
                let keyword = if inner_union { "union" } else { "struct" };
                let anonymous = self.rng.chance(40);
                if anonymous {
                    let body = self.body(depth + 1, prefix, members);
                    out.push_str(&format!(" {keyword} {{{body} }};"));
                } else {
                    let name = self.fresh("m");
                    let body = self.body(depth + 1, &format!("{prefix}{name}."), members);
                    members.push(MemberPath { path: format!("{prefix}{name}"), bitfield: false });
                    out.push_str(&format!(" {keyword} {{{body} }} {name};"));
                    named += 1;
                }
            } else if roll < 50 && !self.reusable.is_empty() {
                let ty = self.rng.pick(&self.reusable).clone();
                let name = self.fresh("m");
                let dims = if self.rng.chance(20) { format!("[{}]", 1 + self.rng.below(3)) } else { String::new() };
                members.push(MemberPath { path: format!("{prefix}{name}"), bitfield: false });
                out.push_str(&format!(" {ty} {name}{dims};"));
                named += 1;
            } else if roll < 55 {
                let ty = self.rng.pick(&self.enums).clone();
                let name = self.fresh("m");
                members.push(MemberPath { path: format!("{prefix}{name}"), bitfield: false });
                out.push_str(&format!(" {ty} {name};"));
                named += 1;
            } else {
                out.push_str(&self.scalar(prefix, members));
                named += 1;
            }
        }
        if named == 0 {
            out.push_str(&self.scalar(prefix, members));
        }
        out
    }

    fn scalar(&mut self, prefix: &str, members: &mut Vec<MemberPath>) -> String {
        let ty = *self.rng.pick(SCALARS);
        let name = self.fresh("m");
        let dims = match self.rng.below(10) {
            0 | 1 => format!("[{}]", 1 + self.rng.below(5)),
            2 => format!("[{}][{}]", 1 + self.rng.below(3), 1 + self.rng.below(3)),
            _ => String::new(),
        };
        members.push(MemberPath { path: format!("{prefix}{name}"), bitfield: false });
        let align = if self.rng.chance(12) { Some(*self.rng.pick(ALIGNMENTS)) } else { None };
        if self.msvc {
            let before = align.map(|n| format!("__declspec(align({n})) ")).unwrap_or_default();
            return format!(" {before}{ty} {name}{dims};");
        }
        let mut attrs = Vec::new();
        if let Some(n) = align {
            attrs.push(format!("aligned({n})"));
        }
        if self.rng.chance(6) {
            attrs.push("packed".to_string());
        }
        if attrs.is_empty() {
            format!(" {ty} {name}{dims};")
        } else if self.rng.chance(50) {
            format!(" __attribute__(({})) {ty} {name}{dims};", attrs.join(", "))
        } else {
            format!(" {ty} {name}{dims} __attribute__(({}));", attrs.join(", "))
        }
    }

    /// One bit-field; returns whether it is named.
    fn bitfield(&mut self, prefix: &str, members: &mut Vec<MemberPath>, out: &mut String) -> bool {
        let (mut ty, mut max) = *self.rng.pick(BITFIELD_TYPES);
        if self.rng.chance(8) {
            // Enum bit-fields, of the enum's integer type.
            (ty, max) = *self.rng.pick(if self.msvc {
                &[("enum E0", 32), ("enum E1", 32)][..]
            } else {
                &[("enum E0", 32), ("enum E1", 32), ("enum E4", 8), ("enum E5", 16)][..]
            });
        }
        let named = self.rng.chance(80);
        let width = if named {
            1 + self.rng.below(max as u64) as u32
        } else if self.rng.chance(40) {
            0
        } else {
            1 + self.rng.below(max as u64) as u32
        };
        if !named {
            out.push_str(&format!(" {ty} :{width};"));
            return false;
        }
        let name = self.fresh("b");
        members.push(MemberPath { path: format!("{prefix}{name}"), bitfield: true });
        if !self.msvc && self.aligned_bitfields && self.rng.chance(5) {
            out.push_str(&format!(" {ty} {name}:{width} __attribute__((aligned({})));", self.rng.pick(ALIGNMENTS)));
        } else {
            out.push_str(&format!(" {ty} {name}:{width};"));
        }
        true
    }
}
