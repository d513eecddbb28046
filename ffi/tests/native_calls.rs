//! Real calls through rivet's call stubs into C compiled by gcc and clang, for each calling
//! convention: the matrix of `native_support/matrix.rs` (0 to 20 arguments, every scalar
//! type, register exhaustion, structs and unions of 1 to 64 bytes of every field mix, varargs,
//! results of each) with every argument byte and result byte checked (see
//! `tests/native/fixture.h`).

mod native_support;

use native_support::matrix::Conv;

fn check(conv: Conv, compiler: &str) {
    let o = native_support::run(conv, compiler, 2);
    eprintln!(
        "{conv:?} ({compiler}): {} functions, {} calls, {} scalars checked (arguments, results, members), {} distinct stubs",
        o.functions, o.calls, o.scalars_checked, o.stubs
    );
    assert!(o.functions >= 300 && o.stubs > 50, "too little was checked: {o:?}");
}

#[test]
fn sysv_matches_gcc() {
    check(Conv::Sysv, "gcc");
}

/// Clang-compiled callees rely on small integer arguments being extended to 32 bits.
#[test]
fn sysv_matches_clang() {
    check(Conv::Sysv, "clang");
}

#[test]
fn ms_abi_matches_gcc() {
    check(Conv::MsAbi, "gcc");
}

#[test]
fn swiftcall_matches_clang() {
    check(Conv::Swift, "clang");
}

/// Clang's ms_abi varargs are right where GCC's are not (see `matrix::compiler_gap`).
#[test]
fn ms_abi_matches_clang() {
    check(Conv::MsAbi, "clang");
}
