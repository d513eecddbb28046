//! Shared libraries and the addresses of their symbols, through libloading: the process's
//! own namespace (the executable and the libraries loaded with it: libc, libm, libdl), which
//! `ffi.C` binds to, and libraries opened by name (`ffi.load`). One of the three places where
//! the target's OS shows in the code.

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

    /// Opens a shared library with LuaJIT's name rules: a name with a path separator is used
    /// as it is; otherwise `z` becomes `libz.so` (`z.dll` on Windows) and the dynamic
    /// linker's search finds it. A name with a dot (`libz.so.1`) keeps its suffix. `global`
    /// makes the library's symbols available to libraries loaded later (`RTLD_GLOBAL`). On
    /// Linux, a file that is a GNU ld script (as `libc.so` often is) is followed to the
    /// library it names. The error is the dynamic linker's message.
    pub fn open(name: &str, global: bool) -> Result<Library, String> {
        let file = system_file_name(name);
        #[cfg(unix)]
        {
            use libloading::os::unix::{Library as Unix, RTLD_GLOBAL, RTLD_LAZY, RTLD_LOCAL};
            let flags = RTLD_LAZY | if global { RTLD_GLOBAL } else { RTLD_LOCAL };
            // SAFETY: loading a library runs its initialisers; that the library is fit to be
            // loaded into this process is what the script asks for by loading it (as
            // `dlopen` in C). rivet calls nothing in it until the script declares and calls.
            let open = |file: &str| unsafe { Unix::open(Some(file), flags) };
            match open(&file) {
                Ok(inner) => Ok(Library { inner }),
                Err(e) => {
                    let message = dlerror_text(&e);
                    match ld_script_target(&message) {
                        Some(target) => open(&target).map(|inner| Library { inner }).map_err(|e| dlerror_text(&e)),
                        None => Err(message),
                    }
                }
            }
        }
        #[cfg(windows)]
        {
            let _ = global;
            // SAFETY: as above (`LoadLibraryEx`).
            unsafe { libloading::os::windows::Library::new(&file) }
                .map(|inner| Library { inner })
                .map_err(|e| e.to_string())
        }
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

/// The file name `Library::open` asks the dynamic linker for.
pub fn system_file_name(name: &str) -> String {
    if name.contains('/') || (cfg!(windows) && name.contains('\\')) {
        return name.to_string();
    }
    if cfg!(windows) {
        return if name.contains('.') { name.to_string() } else { format!("{name}.dll") };
    }
    let ext = if cfg!(target_os = "macos") { ".dylib" } else { ".so" };
    let with_ext = if name.contains('.') { name.to_string() } else { format!("{name}{ext}") };
    if with_ext.starts_with("lib") {
        with_ext
    } else {
        format!("lib{with_ext}")
    }
}

/// The dynamic linker's message for a failed `dlopen`.
#[cfg(unix)]
fn dlerror_text(e: &libloading::Error) -> String {
    match e {
        libloading::Error::DlOpen { desc } => format!("{desc:?}").trim_matches('"').to_string(),
        other => other.to_string(),
    }
}

/// When `dlopen` refused a file because it is a text file (a GNU ld script such as
/// `/usr/lib/x86_64-linux-gnu/libc.so`; the message starts with its path), the first library
/// its `GROUP (...)` or `INPUT (...)` names.
#[cfg(unix)]
fn ld_script_target(message: &str) -> Option<String> {
    if !message.contains("invalid ELF header") && !message.contains("file too short") {
        return None;
    }
    let path = message.split(':').next().filter(|p| p.starts_with('/')).map(str::to_string)?;
    let text = std::fs::read_to_string(path).ok()?;
    let body = text.lines().filter(|l| !l.trim_start().starts_with("/*")).collect::<Vec<_>>().join(" ");
    let start = body.find("GROUP").or_else(|| body.find("INPUT"))?;
    let open = body[start..].find('(')? + start + 1;
    body[open..].split_whitespace().find(|w| w.starts_with('/') && w.contains(".so")).map(str::to_string)
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

    #[test]
    #[cfg(target_os = "linux")]
    fn names_follow_luajit_rules() {
        assert_eq!(system_file_name("z"), "libz.so");
        assert_eq!(system_file_name("libz"), "libz.so");
        assert_eq!(system_file_name("z.so.1"), "libz.so.1");
        assert_eq!(system_file_name("libm.so.6"), "libm.so.6");
        assert_eq!(system_file_name("./x.so"), "./x.so");
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn opens_libraries_and_reports_failures() {
        let m = Library::open("m", false).expect("libm");
        assert!(m.symbol("cos").is_some());
        let e = Library::open("no_such_library_rivet", false).unwrap_err();
        assert!(e.contains("libno_such_library_rivet.so"), "{e}");
        // libc.so is usually a linker script naming the real library.
        if let Ok(c) = Library::open("c", false) {
            assert!(c.symbol("strlen").is_some());
        }
    }
}
