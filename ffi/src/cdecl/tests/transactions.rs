//! A failing cdef or type string adds nothing.

use super::*;

#[test]
fn failed_cdef_registers_nothing() {
    let mut t = declared("struct keep; typedef int keep_t;");
    let before = t.len();
    let err = t
        .cdef(
            "typedef int new_t; struct keep { int x; }; struct fresh { int y; }; enum { E1 = 1 };
             #define D 3\nint f(int); int broken(;",
        )
        .unwrap_err();
    assert_eq!(err.line, 3);
    assert_eq!(t.len(), before);
    for name in ["new_t", "E1", "D", "f", "broken"] {
        assert!(t.lookup(name).is_none(), "{name} leaked");
    }
    assert!(t.lookup_tag("fresh").is_none());
    let keep = t.lookup_tag("keep").unwrap();
    assert!(t.layout(keep, Target::X86_64_LINUX).is_err(), "struct keep must still be incomplete");
    // The table still works, and the same declarations now succeed.
    t.cdef("typedef int new_t; struct keep { int x; };").unwrap();
    assert_eq!(t.layout(keep, Target::X86_64_LINUX).unwrap().size, 4);
}

#[test]
fn failed_type_string_registers_nothing() {
    let mut t = table();
    let before = t.len();
    assert!(t.parse_type("struct newtag { int a; } junk", &[]).is_err());
    assert_eq!(t.len(), before);
    assert!(t.lookup_tag("newtag").is_none());
}
