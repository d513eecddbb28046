//! rivet's record layouts against the compilers of each target: hundreds of generated
//! structs and unions per target, every size, alignment, offset and bit-field position
//! compared (see `layout_support/`). gcc for x86-64 and i386 Linux; the AArch64 GNU cross
//! compiler or Clang for AArch64 Linux; Clang's Apple and MSVC targets for the others.

mod layout_support;

use rivet_ffi::Target;

fn check(target: Target) {
    let c = layout_support::check_target(target);
    eprintln!(
        "{target}: {} generated records, {} member offsets and {} bit-field positions match {}",
        c.records, c.offsets, c.bitfields, c.compiler
    );
    assert!(c.records >= 100 && c.offsets > c.records && c.bitfields > c.records / 2, "too little was checked");
}

#[test]
fn x86_64_linux_matches_gcc() {
    check(Target::X86_64_LINUX);
}

#[test]
fn i386_linux_matches_gcc_m32() {
    check(Target::I386_LINUX);
}

#[test]
fn aarch64_linux_matches_the_aarch64_compiler() {
    check(Target::AARCH64_LINUX);
}

#[test]
fn aarch64_macos_matches_clang() {
    check(Target::AARCH64_MACOS);
}

#[test]
fn x86_64_windows_matches_clang_msvc() {
    check(Target::X86_64_WINDOWS);
}

#[test]
fn i386_windows_matches_clang_msvc() {
    check(Target::I386_WINDOWS);
}

#[test]
fn aarch64_windows_matches_clang_msvc() {
    check(Target::AARCH64_WINDOWS);
}
