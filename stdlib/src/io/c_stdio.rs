//! Output order between rivet's standard streams and C's `stdio`. rivet buffers `print` and
//! `io.write` itself, and a C function called through the ffi (`printf`, `puts`) buffers in
//! C's `stdout`; both end on the same file descriptor. To keep the text in call order, as in
//! C Lua and LuaJIT where both are C's buffer:
//! - before a C call, rivet's pending standard output is written out;
//! - before rivet writes to a standard stream's descriptor, once C code has been called,
//!   C's output buffers are flushed (`fflush(NULL)`).

use std::sync::atomic::{AtomicBool, Ordering};

/// Set at the first ffi call: from then on C's buffers may hold output.
static C_CALLED: AtomicBool = AtomicBool::new(false);
/// Set while rivet's `stdout` buffer holds bytes not yet written.
static STDOUT_PENDING: AtomicBool = AtomicBool::new(false);

/// Called by the ffi before each C call.
#[inline]
pub fn before_c_call() {
    if !C_CALLED.load(Ordering::Relaxed) {
        C_CALLED.store(true, Ordering::Relaxed);
    }
    if STDOUT_PENDING.load(Ordering::Relaxed) {
        super::stream::flush_stdout();
    }
}

/// For C calls made by machine code (the ffi's compiled entries): notes that C calls happen
/// from now on, and answers the flag that says rivet's `stdout` buffer holds bytes (the
/// entry then calls [`before_c_call`] before the C function; a plain byte read of the flag
/// is a relaxed load).
pub fn prepare_compiled_c_calls() -> &'static AtomicBool {
    C_CALLED.store(true, Ordering::Relaxed);
    &STDOUT_PENDING
}

/// Notes whether rivet's `stdout` buffer holds bytes.
pub(super) fn set_stdout_pending(pending: bool) {
    STDOUT_PENDING.store(pending, Ordering::Relaxed);
}

/// Called before rivet writes to a standard stream's descriptor.
pub(super) fn flush_c_output() {
    if C_CALLED.load(Ordering::Relaxed) {
        // SAFETY: `fflush(NULL)` flushes every C output stream; it takes no pointer from us
        // and is safe to call at any time from any thread (stdio locks its streams).
        unsafe {
            libc::fflush(std::ptr::null_mut());
        }
    }
}
