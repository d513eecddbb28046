//! Structs and unions: definitions, tags, nesting, anonymous members, flexible and
//! variable-length members, bit-fields, redefinitions. Expected numbers come from gcc 12
//! (`-m64` and `-m32`) compiling the same declarations.

use super::*;
use crate::ctype::{CType, RecordKind};

const X64: Target = Target::X86_64_LINUX;
const I386: Target = Target::I386_LINUX;

#[test]
fn plain_struct_and_union() {
    let mut t = declared("struct a { char c; short s; int i; long l; }; union u { char c[5]; int i; double d; };");
    let a = layout(&mut t, "struct a", X64);
    assert_eq!((a.size, a.align, a.fields[3].offset), (16, 8, 8));
    let a = layout(&mut t, "struct a", I386);
    assert_eq!((a.size, a.align, a.fields[3].offset), (12, 4, 8));
    assert_eq!(size_align(&mut t, "union u"), (8, 8));
    let u = layout(&mut t, "union u", I386);
    assert_eq!((u.size, u.align), (8, 4));
    assert!(u.fields.iter().all(|f| f.offset == 0));
}

#[test]
fn anonymous_members_are_found_by_name() {
    let mut t = declared("struct n { int a; union { int b; float f; }; struct { char x, y; }; int z; };");
    let n = t.parse_type("struct n", &[]).unwrap();
    assert_eq!(t.layout(n, X64).unwrap().size, 16);
    for (name, offset) in [("a", 0), ("b", 4), ("f", 4), ("x", 8), ("y", 9), ("z", 12)] {
        let m = t.member(n, name, X64).unwrap().unwrap_or_else(|| panic!("{name}"));
        assert_eq!(m.offset, offset, "{name}");
    }
    assert_eq!(t.member(n, "nope", X64).unwrap(), None);
    let mut t2 = declared("struct bits { char c; struct { int lo : 4, hi : 12; }; };");
    let bits = t2.parse_type("struct bits", &[]).unwrap();
    let hi = t2.member(bits, "hi", X64).unwrap().unwrap();
    assert_eq!((hi.offset, hi.bit_pos(), hi.bitfield.unwrap().bit_offset), (4, Some(4), 36));
    let flat: Vec<_> = t.flat_members(n, X64).unwrap().into_iter().map(|(n, m)| (n.to_string(), m.offset)).collect();
    assert_eq!(flat.len(), 6);
    assert_eq!(flat[4], ("y".to_string(), 9));
}

#[test]
fn nested_definitions_declare_their_tags() {
    let mut t = declared("struct outer { struct inner { int x; } in; union { int y; } u; }; struct inner i2;");
    assert!(t.lookup_tag("inner").is_some());
    assert_eq!(size_align(&mut t, "struct outer"), (8, 4));
}

#[test]
fn self_reference_through_pointers() {
    let mut t = declared("struct node { int v; struct node *next; struct node *children[2]; };");
    assert_eq!(size_align(&mut t, "struct node"), (32, 8));
    assert_eq!(render(&mut t, "struct node *"), "struct node *");
}

#[test]
fn forward_declaration_then_definition_keeps_the_id() {
    let mut t = declared("struct later; typedef struct later later_t; struct later { double d; };");
    let fwd = t.parse_type("later_t", &[]).unwrap();
    assert_eq!(Some(fwd), t.lookup_tag("later"));
    assert_eq!(t.layout(fwd, X64).unwrap().size, 8);
    let mut t = declared("struct opaque; struct opaque *make(void);");
    let id = t.parse_type("struct opaque", &[]).unwrap();
    assert!(t.layout(id, X64).is_err());
    assert_eq!(render(&mut t, "struct opaque *"), "struct opaque *");
}

#[test]
fn flexible_and_variable_length_members() {
    let mut t = declared(
        "struct fam { int n; double d[]; }; struct fam2 { char n; int a[]; }; struct vls { char n; int a[?]; };",
    );
    let fam = layout(&mut t, "struct fam", X64);
    assert_eq!((fam.size, fam.fields[1].offset), (8, 8));
    assert_eq!(fam.size_with(3), Some(32));
    let fam = layout(&mut t, "struct fam", I386);
    assert_eq!((fam.size, fam.fields[1].offset), (4, 4));
    let fam2 = layout(&mut t, "struct fam2", X64);
    assert_eq!((fam2.size, fam2.fields[1].offset), (4, 4));
    let vls = layout(&mut t, "struct vls", X64);
    assert_eq!((vls.size, vls.fields[1].offset), (4, 4));
    assert_eq!(vls.size_with(5), Some(24));
    assert!(vls.is_variable());
}

#[test]
fn bitfields_gcc_rules() {
    let mut t = declared(
        "struct b1 { unsigned a:3, b:5, c:9; int :0; unsigned char d:4; long long e:40; };
         struct b2 { char a; int b:31; short c:9; char d; long long e:33; };
         struct __attribute__((packed)) b3 { char a; int b:31; short c:9; };",
    );
    let bits = |l: &Layout| -> Vec<(u64, u32)> {
        l.fields.iter().filter_map(|f| f.bitfield.filter(|b| b.width > 0).map(|b| (b.bit_offset, b.width))).collect()
    };
    let b1 = layout(&mut t, "struct b1", X64);
    assert_eq!((b1.size, b1.align), (16, 8));
    assert_eq!(bits(&b1), vec![(0, 3), (3, 5), (8, 9), (32, 4), (64, 40)]);
    let b1 = layout(&mut t, "struct b1", I386);
    assert_eq!((b1.size, b1.align), (12, 4));
    assert_eq!(bits(&b1), vec![(0, 3), (3, 5), (8, 9), (32, 4), (36, 40)]);
    let b2 = layout(&mut t, "struct b2", X64);
    assert_eq!((b2.size, b2.align), (16, 8));
    assert_eq!(bits(&b2), vec![(32, 31), (64, 9), (88, 33)]);
    assert_eq!(b2.fields[3].offset, 10);
    let b2 = layout(&mut t, "struct b2", I386);
    assert_eq!((b2.size, b2.align), (16, 4));
    let b3 = layout(&mut t, "struct b3", X64);
    assert_eq!((b3.size, b3.align), (6, 1));
    assert_eq!(bits(&b3), vec![(8, 31), (39, 9)]);
    // The storage unit reported for a bit-field holds it whole when one can.
    assert_eq!((b1.fields[5].offset, b1.fields[5].bit_pos()), (4, Some(4)));
}

#[test]
fn i386_mode_sized_bitfields_with_an_alignment_attribute() {
    let mut t = declared(
        "union u { char c; unsigned long long b : 64 __attribute__((aligned(1))); };
         struct s1 { int a; long long b : 64 __attribute__((aligned(1))); };
         struct s2 { long long a; long long b : 64 __attribute__((aligned(1))); };
         struct s3 { long long a; long long b : 64; };",
    );
    let sa = |t: &mut CTypeTable, ty: &str| {
        let l = layout(t, ty, I386);
        (l.size, l.align)
    };
    assert_eq!(sa(&mut t, "union u"), (8, 8));
    assert_eq!(sa(&mut t, "struct s1"), (12, 4));
    assert_eq!(sa(&mut t, "struct s2"), (16, 8));
    assert_eq!(sa(&mut t, "struct s3"), (16, 4));
}

#[test]
fn packed_aligned_and_pragma_pack() {
    let mut t = declared(
        "struct __attribute__((packed)) p { char a; int b; short c; };
         struct al { char a; int b __attribute__((aligned(16))); } __attribute__((aligned(32)));
         #pragma pack(push, 2)
         struct pp { char a; double b; int c; };
         #pragma pack(pop)
         struct after { char a; double b; };",
    );
    assert_eq!(offsets(&mut t, "struct p", X64), vec![("a".into(), 0), ("b".into(), 1), ("c".into(), 5)]);
    assert_eq!(size_align(&mut t, "struct p"), (7, 1));
    assert_eq!(size_align(&mut t, "struct al"), (32, 32));
    assert_eq!(layout(&mut t, "struct al", X64).fields[1].offset, 16);
    assert_eq!(size_align(&mut t, "struct pp"), (14, 2));
    assert_eq!(offsets(&mut t, "struct pp", X64)[1..], [("b".into(), 2), ("c".into(), 10)]);
    assert_eq!(size_align(&mut t, "struct after"), (16, 8));
    assert_eq!(layout(&mut t, "struct after", I386).size, 12);
}

#[test]
fn repeated_identical_definitions_are_accepted() {
    let src = "struct s { int a; struct { char c; } in; }; typedef struct s s_t; enum e { A, B }; int f(int);";
    let mut t = declared(src);
    let before = t.lookup_tag("s");
    t.cdef(src).unwrap();
    assert_eq!(t.lookup_tag("s"), before);
    t.cdef("typedef unsigned long size_t; typedef int int32_t; int f(int32_t x);").unwrap();
}

#[test]
fn records_are_nominal() {
    let mut t = declared("struct a { int x; }; struct b { int x; };");
    assert_ne!(t.parse_type("struct a", &[]).unwrap(), t.parse_type("struct b", &[]).unwrap());
    let anon1 = t.parse_type("struct { int x; }", &[]).unwrap();
    let anon2 = t.parse_type("struct { int x; }", &[]).unwrap();
    assert_ne!(anon1, anon2);
    assert_eq!(t.render(anon1), format!("struct {}", anon1.index()));
    let CType::Record(r) = t.get(anon1) else { panic!() };
    assert_eq!(r.kind, RecordKind::Struct);
}

#[test]
fn union_with_bitfields_and_empty_struct() {
    let mut t = declared("union ub { int a:3; long long b:40; char c; }; struct empty {};");
    assert_eq!(size_align(&mut t, "union ub"), (8, 8));
    assert_eq!(size_align(&mut t, "struct empty"), (0, 1));
}
