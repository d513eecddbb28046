//! Executable memory and the few facts about the host a stub needs. This is the only module of
//! `jit/` bound to the machine rivet runs on (STYLE.md convention 3).
//!
//! Code is written into a fresh private mapping while it is writable and not executable, then
//! the mapping is made read-only and executable (never both writable and executable). Each
//! stub has its own mapping (whole pages), unmapped when the last [`ExecCode`] handle to it is
//! dropped, so nothing is leaked and no page ever goes back to writable while code in it may
//! run. Stubs are shared per shape, so a program maps one per distinct signature shape it
//! calls.

use std::io;

use dynasmrt::mmap::{ExecutableBuffer, MutableBuffer};

/// A piece of machine code in executable memory.
#[derive(Debug)]
pub(crate) struct ExecCode {
    buf: ExecutableBuffer,
}

impl ExecCode {
    /// Copies `code` into new executable memory.
    pub fn new(code: &[u8]) -> io::Result<ExecCode> {
        let mut buf = MutableBuffer::new(code.len().max(1))?;
        buf.set_len(code.len());
        buf.copy_from_slice(code);
        let buf = buf.make_exec()?;
        // Orders the writes before execution on ISAs with separate instruction caches (a
        // no-op on x86-64).
        dynasmrt::cache_control::synchronize_icache(&buf);
        Ok(ExecCode { buf })
    }

    /// The address of the first instruction.
    pub fn entry(&self) -> *const u8 {
        self.buf.as_ptr()
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }
}

/// Whether stubs for x86-64 can run here: an x86-64 host whose C convention is System V (the
/// convention stubs are entered with).
pub(crate) fn host_runs_x64_stubs() -> bool {
    cfg!(all(target_arch = "x86_64", not(windows)))
}

/// The address of the C library's function returning the calling thread's `errno` location.
pub(crate) fn errno_location_fn() -> Option<u64> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        extern "C" {
            fn __errno_location() -> *mut std::ffi::c_int;
        }
        Some(__errno_location as *const () as usize as u64)
    }
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    {
        extern "C" {
            fn __error() -> *mut std::ffi::c_int;
        }
        Some(__error as *const () as usize as u64)
    }
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    )))]
    {
        None
    }
}
