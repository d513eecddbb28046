//! Compiling a fixture file into a shared library with gcc or clang, and loading it.
//! A missing compiler fails the test with the command that installs it.

use std::ffi::{c_void, CString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A loaded shared library (unloaded and deleted on drop).
pub struct Library {
    handle: *mut c_void,
    dir: PathBuf,
}

fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native")
}

/// Compiles `source` with `compiler` at optimization level `opt` (`-O1`...) into a shared
/// library and loads it.
pub fn build(compiler: &str, opt: &str, name: &str, source: &str) -> Library {
    let available = Command::new(compiler).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        available,
        "{compiler} is needed to build the native call fixtures; install it with `apt-get install -y {compiler}`"
    );
    let dir = std::env::temp_dir().join(format!("rivet-native-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let c_file = dir.join(format!("{name}.c"));
    let so_file = dir.join(format!("lib{name}.so"));
    std::fs::write(&c_file, source).expect("write fixture source");
    let output = Command::new(compiler)
        .args([opt, "-shared", "-fPIC", "-std=gnu11", "-w", "-I"])
        .arg(include_dir())
        .arg("-o")
        .arg(&so_file)
        .arg(&c_file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "{compiler} failed on {}:\n{}",
        c_file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let path = CString::new(so_file.to_str().unwrap()).unwrap();
    // SAFETY: dlopen with a valid C string; the library only defines functions and a global.
    let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    assert!(!handle.is_null(), "dlopen {} failed", so_file.display());
    Library { handle, dir }
}

impl Library {
    pub fn symbol(&self, name: &str) -> *const c_void {
        let c_name = CString::new(name).unwrap();
        // SAFETY: `handle` is a live handle from dlopen; the name is a valid C string.
        let sym = unsafe { libc::dlsym(self.handle, c_name.as_ptr()) };
        assert!(!sym.is_null(), "symbol {name} missing");
        sym as *const c_void
    }

    /// The fixtures' `rivet_fixture_hash`.
    pub fn last_hash(&self) -> u64 {
        let p = self.symbol("rivet_fixture_hash") as *const u64;
        // SAFETY: the symbol is a `uint64_t` global of the library, alive while it is loaded.
        unsafe { std::ptr::read_volatile(p) }
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        // SAFETY: the handle came from dlopen and nothing of the library is used afterwards
        // (stubs hold no pointer into it).
        unsafe { libc::dlclose(self.handle) };
        if std::env::var_os("RIVET_KEEP_NATIVE").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
