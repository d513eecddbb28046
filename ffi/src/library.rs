//! Shared libraries and the addresses of their symbols, through libloading: the process's
//! own namespace (the executable and the libraries loaded with it: libc, libm, libdl), which
//! `ffi.C` binds to. One of the three places where the target's OS shows in the code.

use std::ffi::c_void;

/// A loaded library (or the process's namespace).
pub struct Library {
    #[cfg(unix)]
    inner: libloading::os::unix::Library,
    #[cfg(windows)]
    inner: libloading::os::windows::Library,
}

impl Library {
    /// The symbols of the running program and of the libraries loaded with it.
    pub fn this() -> Library {
        #[cfg(unix)]
        let inner = libloading::os::unix::Library::this();
        #[cfg(windows)]
        let inner = libloading::os::windows::Library::this().expect("the running executable has a module handle");
        Library { inner }
    }

    /// The address of a symbol, if the library defines it.
    pub fn symbol(&self, name: &str) -> Option<usize> {
        if name.as_bytes().contains(&0) {
            return None;
        }
        // SAFETY: the symbol is looked up as an untyped address (`*mut c_void`): nothing is
        // called or dereferenced here, so no signature or type can be wrong. The address is
        // used by the caller under the C declaration the script gave.
        let symbol = unsafe { self.inner.get::<*mut c_void>(name.as_bytes()) }.ok()?;
        let addr = *symbol as usize;
        (addr != 0).then_some(addr)
    }
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Library")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_namespace_has_libc() {
        let this = Library::this();
        assert!(this.symbol("strlen").is_some());
        assert!(this.symbol("no_such_symbol_in_rivet").is_none());
        assert!(this.symbol("nul\0inside").is_none());
    }
}
