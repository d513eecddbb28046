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

/// How a stub reads the calling thread's `errno` right after the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ErrnoSource {
    /// `errno` is at this offset from the thread pointer (%fs base), the same in every thread:
    /// where the C library keeps it in static TLS (glibc and musl on x86-64 Linux), one load.
    ThreadPointerOffset(i32),
    /// Call this System V function, which returns the address of the thread's `errno`.
    LocationFunction(u64),
}

/// The fastest way of reading `errno` on this host, found once per process.
pub(crate) fn errno_source() -> Option<ErrnoSource> {
    static SOURCE: std::sync::OnceLock<Option<ErrnoSource>> = std::sync::OnceLock::new();
    *SOURCE.get_or_init(|| {
        let function = errno_location_fn()?;
        // The offset must be the same on another thread, or errno is not in static TLS.
        let here = errno_tls_offset();
        let there = std::thread::Builder::new().spawn(errno_tls_offset).ok().and_then(|t| t.join().ok()).flatten();
        Some(match (here, there) {
            (Some(a), Some(b)) if a == b => ErrnoSource::ThreadPointerOffset(a),
            _ => ErrnoSource::LocationFunction(function),
        })
    })
}

/// On this thread: the address of `errno` minus the thread pointer, if it fits an `i32`.
fn errno_tls_offset() -> Option<i32> {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        extern "C" {
            fn __errno_location() -> *mut std::ffi::c_int;
        }
        // SAFETY: __errno_location has no preconditions and returns this thread's errno
        // address.
        let errno = unsafe { __errno_location() } as i64;
        let thread_pointer: i64;
        // SAFETY: on x86-64 Linux the word at %fs:0 is the thread control block's pointer to
        // itself (the thread pointer), for glibc and musl alike; reading it has no effects.
        unsafe {
            std::arch::asm!("mov {}, qword ptr fs:[0]", out(reg) thread_pointer, options(nostack, readonly, preserves_flags))
        };
        i32::try_from(errno - thread_pointer).ok()
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    {
        None
    }
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
