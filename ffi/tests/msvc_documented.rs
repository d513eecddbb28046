//! MSVC layout rules pinned by hand from Microsoft's documentation (Microsoft Learn, C/C++
//! language reference), independent of any compiler on this machine. The generated checks in
//! `layout_vs_compilers.rs` cover the same rules in bulk through Clang's MSVC targets.

use rivet_ffi::{CTypeTable, Layout, Target};

fn layouts(src: &str, ty: &str, target: Target) -> Layout {
    let mut t = CTypeTable::new(target);
    t.cdef(src).unwrap_or_else(|e| panic!("{e}"));
    let id = t.parse_type(ty, &[]).unwrap();
    t.layout(id, target).unwrap()
}

fn bit_positions(l: &Layout) -> Vec<(u64, u32)> {
    l.fields.iter().filter_map(|f| f.bitfield).filter(|b| b.width > 0).map(|b| (b.bit_offset, b.width)).collect()
}

/// "C++ Bit Fields": bit-fields are packed into units of their declared type; `nYear` does
/// not fit in the first `unsigned short` and starts the next one; sizeof is 4.
#[test]
fn bit_fields_start_a_new_unit_when_the_current_one_is_full() {
    let src = "struct Date { unsigned short nWeekDay : 3; unsigned short nMonthDay : 6;
                              unsigned short nMonth : 5; unsigned short nYear : 8; };";
    for target in [Target::X86_64_WINDOWS, Target::I386_WINDOWS, Target::AARCH64_WINDOWS] {
        let l = layouts(src, "struct Date", target);
        assert_eq!(l.size, 4);
        assert_eq!(bit_positions(&l), vec![(0, 3), (3, 6), (9, 5), (16, 8)]);
    }
}

/// "C++ Bit Fields": a zero-width bit-field forces the next one to the next `unsigned`
/// boundary; sizeof is 8.
#[test]
fn zero_width_bit_field_forces_the_next_unit() {
    let src = "struct Date { unsigned nWeekDay : 3; unsigned nMonthDay : 6; unsigned : 0;
                              unsigned nMonth : 5; unsigned nYear : 8; };";
    let l = layouts(src, "struct Date", Target::X86_64_WINDOWS);
    assert_eq!(l.size, 8);
    assert_eq!(bit_positions(&l), vec![(0, 3), (3, 6), (32, 5), (37, 8)]);
}

/// "pack pragma": with `#pragma pack(2)`, `struct { int i; short j; double k; }` has its
/// members at 0, 4 and 6.
#[test]
fn pragma_pack_caps_member_alignment() {
    let src = "#pragma pack(2)\nstruct T { int i; short j; double k; };";
    let l = layouts(src, "struct T", Target::X86_64_WINDOWS);
    let offsets: Vec<u64> = l.fields.iter().map(|f| f.offset).collect();
    assert_eq!(offsets, vec![0, 4, 6]);
    assert_eq!(l.size, 14);
}

/// "align (C++)": `__declspec(align(32)) struct Str1 { int a, b, c, d, e; }` has size and
/// alignment 32.
#[test]
fn declspec_align_on_a_struct() {
    let l = layouts("__declspec(align(32)) struct Str1 { int a, b, c, d, e; };", "struct Str1", Target::X86_64_WINDOWS);
    assert_eq!((l.size, l.align), (32, 32));
}

/// "align (C++)", "How align works with data packing": a `__declspec(align(32))` member
/// keeps its alignment under every `/Zp` (`#pragma pack`) value; the table of offsets for
/// `struct S { char a; short b; double c; CACHE_ALIGN double d; char e; double f; }`.
#[test]
fn declspec_align_wins_over_packing() {
    let table: [(u32, [u64; 6]); 4] = [
        (1, [0, 1, 3, 32, 40, 41]),
        (2, [0, 2, 4, 32, 40, 42]),
        (4, [0, 2, 4, 32, 40, 44]),
        (8, [0, 2, 8, 32, 40, 48]),
    ];
    for (pack, expected) in table {
        let src = format!(
            "#pragma pack({pack})\nstruct S {{ char a; short b; double c; __declspec(align(32)) double d; char e; double f; }};"
        );
        for target in [Target::X86_64_WINDOWS, Target::I386_WINDOWS] {
            let l = layouts(&src, "struct S", target);
            let offsets: Vec<u64> = l.fields.iter().map(|f| f.offset).collect();
            assert_eq!(offsets, expected, "/Zp{pack} on {target}");
            assert_eq!(l.size, 64, "/Zp{pack} on {target}");
        }
    }
}

/// "x64 software conventions", types and storage: `long` is 4 bytes, `long double` is 8,
/// pointers 8; x86 ("Argument passing and naming conventions"): `double` is 8-aligned in
/// structs, unlike System V i386.
#[test]
fn scalar_types_of_the_windows_data_model() {
    let mut t = CTypeTable::new(Target::X86_64_WINDOWS);
    for (ty, size, align) in [("long", 4, 4), ("long double", 8, 8), ("void *", 8, 8), ("wchar_t", 2, 2)] {
        let id = t.parse_type(ty, &[]).unwrap();
        let l = t.layout(id, Target::X86_64_WINDOWS).unwrap();
        assert_eq!((l.size, l.align), (size, align), "{ty}");
    }
    let l = layouts("struct s { char c; double d; };", "struct s", Target::I386_WINDOWS);
    assert_eq!((l.size, l.fields[1].offset), (16, 8));
}
