//! The C library of test functions, tests/native/lua_fixture.c, built with the system C
//! compiler (`cc`) once per test binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Builds tests/native/lua_fixture.c into a shared library (once per test run).
pub fn fixture_library() -> &'static Path {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // One file per test binary: two binaries building at once must not write one file.
        let name = format!("liblua_fixture_{}.so", env!("CARGO_CRATE_NAME"));
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let status = Command::new("cc")
            .args(["-O1", "-shared", "-fPIC", "-pthread", "-o"])
            .arg(&out)
            .arg(root.join("tests/native/lua_fixture.c"))
            .status()
            .expect("a C compiler (cc) is installed: scripts/test.sh installs gcc");
        assert!(status.success(), "compiling tests/native/lua_fixture.c failed");
        out
    })
}
