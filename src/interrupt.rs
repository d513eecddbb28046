//! Ctrl-C while code runs. As in `lua.c`, SIGINT is caught only while a chunk runs: the handler
//! sets the runtime's interrupt flag and the running code fails with "interrupted!" at its next
//! backward jump, numeric loop step or tail call. Outside a run SIGINT keeps its previous
//! disposition (by default it ends the process; at the REPL prompt the line editor has the
//! terminal in raw mode and reads Ctrl-C as a key instead).
//!
//! A second Ctrl-C that arrives while the first is still unnoticed (the code is inside a native
//! call that never reaches a check) restores the default disposition and ends the process, the
//! escape hatch `lua.c` also leaves.
//!
//! Knows nothing of Lua beyond the flag; the only unsafe code of the root crate lives here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The flag SIGINT sets. A signal handler can reach only static data, so a runtime that wants
/// Ctrl-C to interrupt it runs with this flag (`Lua::set_interrupt_handle`).
static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The process-wide flag set by Ctrl-C while a `SigintGuard` is alive.
pub fn sigint_flag() -> Arc<AtomicBool> {
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false))).clone()
}

/// Catches SIGINT for as long as it lives; dropping it restores the previous disposition and
/// clears the flag (a Ctrl-C that came after the code's last check must not interrupt the next
/// chunk).
pub struct SigintGuard {
    #[cfg(unix)]
    previous: libc::sigaction,
}

#[cfg(unix)]
extern "C" fn on_sigint(_signal: libc::c_int) {
    // Only async-signal-safe work here: an atomic swap, `signal` and `raise`. The flag was
    // initialised before the handler was installed, so `get` is a plain atomic load.
    let Some(flag) = FLAG.get() else { return };
    if flag.swap(true, Ordering::SeqCst) {
        // SAFETY: `signal` and `raise` are async-signal-safe (POSIX.1 list of safe functions);
        // SIG_DFL is a valid disposition for SIGINT.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::raise(libc::SIGINT);
        }
    }
}

#[cfg(unix)]
impl SigintGuard {
    /// Installs the handler (`None` if that fails). As `lua.c` does, it replaces whatever
    /// disposition SIGINT had, an inherited "ignore" included, until the guard is dropped.
    pub fn install() -> Option<SigintGuard> {
        let flag = sigint_flag();
        flag.store(false, Ordering::SeqCst);
        // SAFETY: `sigaction` is plain old data; all-zero is a valid value (no flags, empty
        // mask, SIG_DFL) that the fields set below complete.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // Restarting interrupted system calls keeps blocking reads (`io.read`) as they were.
        action.sa_flags = libc::SA_RESTART;
        // SAFETY: see above.
        let mut previous: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers are to live, initialised `sigaction` values; the handler only
        // does async-signal-safe work (see `on_sigint`).
        if unsafe { libc::sigaction(libc::SIGINT, &action, &mut previous) } != 0 {
            return None;
        }
        Some(SigintGuard { previous })
    }
}

#[cfg(unix)]
impl Drop for SigintGuard {
    fn drop(&mut self) {
        // SAFETY: `previous` is the disposition `sigaction` reported when the guard was made.
        unsafe {
            libc::sigaction(libc::SIGINT, &self.previous, std::ptr::null_mut());
        }
        sigint_flag().store(false, Ordering::SeqCst);
    }
}

#[cfg(not(unix))]
impl SigintGuard {
    /// Ctrl-C handling is written for Unix signals only; elsewhere Ctrl-C keeps its default
    /// effect (the process ends).
    pub fn install() -> Option<SigintGuard> {
        None
    }
}
