//! File handles: the payload of io's `FILE*` userdata. A handle is open on its own stream
//! (io.open, io.tmpfile, io.popen) or on one of the process-wide standard streams, and knows
//! how it closes: `fclose`, `pclose` (wait for the command, report its status) or not at all
//! (standard files). Dropping an open handle closes it, which is the collector's finalizer.

use super::stream::{std_stream, BufMode, StdStream, Stream};
use std::cell::RefCell;
use std::fs::File;
use std::io;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::rc::{Rc, Weak};

/// Where a handle's bytes go.
pub enum Target {
    Own(Stream),
    Std(StdStream),
}

/// How a handle closes.
pub enum Closer {
    File,
    Process(Child),
    /// Standard files are never closed ("cannot close standard file").
    Standard,
}

pub struct OpenFile {
    target: Target,
    closer: Closer,
}

/// What closing a handle produced (`luaL_fileresult` / `luaL_execresult` material).
pub enum CloseResult {
    Done(io::Result<()>),
    Exited(io::Result<ExitStatus>),
    NotClosable,
}

/// The payload of a `FILE*` userdata. The state is shared with the runtime's list of open
/// files, which `os.exit` flushes as C's `exit` flushes every stream.
pub struct LuaFile {
    state: Rc<RefCell<Option<OpenFile>>>,
}

impl LuaFile {
    fn new(target: Target, closer: Closer, open_files: &OpenFiles) -> LuaFile {
        let state = Rc::new(RefCell::new(Some(OpenFile { target, closer })));
        open_files.track(&state);
        LuaFile { state }
    }

    pub fn standard(which: StdStream, open_files: &OpenFiles) -> LuaFile {
        LuaFile::new(Target::Std(which), Closer::Standard, open_files)
    }

    pub fn is_closed(&self) -> bool {
        self.state.borrow().is_none()
    }

    /// Runs `f` on the handle's stream; None when the handle is closed. Reading standard
    /// input first writes out pending standard output, so prompts appear before input.
    pub fn with_stream<R>(&self, reading: bool, f: impl FnOnce(&mut Stream) -> R) -> Option<R> {
        let mut state = self.state.borrow_mut();
        let open = state.as_mut()?;
        Some(match &mut open.target {
            Target::Own(s) => f(s),
            Target::Std(which) => {
                if reading && *which == StdStream::In {
                    super::stream::flush_stdout();
                }
                f(&mut std_stream(*which))
            }
        })
    }

    /// Closes the handle (standard files stay open).
    pub fn close(&self) -> CloseResult {
        let mut state = self.state.borrow_mut();
        if matches!(state.as_ref(), Some(OpenFile { closer: Closer::Standard, .. })) {
            return CloseResult::NotClosable;
        }
        let Some(open) = state.take() else {
            return CloseResult::Done(Ok(()));
        };
        drop(state);
        let flushed = match open.target {
            Target::Own(mut s) => s.flush(),
            Target::Std(_) => Ok(()),
        };
        match open.closer {
            Closer::Process(mut child) => {
                // The pipe's end was closed with the stream; now wait as pclose does.
                CloseResult::Exited(child.wait())
            }
            _ => CloseResult::Done(flushed),
        }
    }
}

impl Drop for LuaFile {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

/// The runtime's open files (weakly), for `os.exit` to flush.
#[derive(Default)]
pub struct OpenFiles {
    files: RefCell<Vec<Weak<RefCell<Option<OpenFile>>>>>,
}

impl OpenFiles {
    fn track(&self, state: &Rc<RefCell<Option<OpenFile>>>) {
        let mut files = self.files.borrow_mut();
        files.retain(|w| w.strong_count() > 0);
        files.push(Rc::downgrade(state));
    }

    /// Writes out every open file's buffer.
    pub fn flush_all(&self) {
        for w in self.files.borrow().iter() {
            let Some(rc) = w.upgrade() else { continue };
            // A handle in use (borrowed) is skipped rather than waited for.
            if let Ok(mut state) = rc.try_borrow_mut() {
                if let Some(OpenFile { target: Target::Own(s), .. }) = state.as_mut() {
                    let _ = s.flush();
                }
            };
        }
    }
}

/// Checks an `io.open` mode: `r`, `w` or `a`, an optional `+`, then only `b`s.
pub fn valid_mode(mode: &[u8]) -> bool {
    match mode.split_first() {
        Some((b'r' | b'w' | b'a', rest)) => {
            let rest = rest.strip_prefix(b"+").unwrap_or(rest);
            rest.iter().all(|&c| c == b'b')
        }
        _ => false,
    }
}

/// `fopen`: opens `path` with a valid mode.
pub fn open(path: &str, mode: &[u8], open_files: &OpenFiles) -> io::Result<LuaFile> {
    let plus = mode.contains(&b'+');
    let mut opts = File::options();
    let (readable, writable) = match mode[0] {
        b'r' => (true, plus),
        b'w' => {
            opts.create(true).truncate(true);
            (plus, true)
        }
        _ => {
            opts.create(true).append(true);
            (plus, true)
        }
    };
    opts.read(readable).write(writable);
    let file = opts.open(path)?;
    let stream = Stream::new(file, readable, writable, BufMode::Full);
    Ok(LuaFile::new(Target::Own(stream), Closer::File, open_files))
}

/// `tmpfile`: a new file opened for update, removed when closed (unlinked at once).
pub fn tmpfile(open_files: &OpenFiles) -> io::Result<LuaFile> {
    let (path, file) = super::super::os::create_temp_file()?;
    drop(file);
    let file = File::options().read(true).write(true).open(&path)?;
    std::fs::remove_file(&path)?;
    let stream = Stream::new(file, true, true, BufMode::Full);
    Ok(LuaFile::new(Target::Own(stream), Closer::File, open_files))
}

/// `popen`: runs `command` with `/bin/sh -c`, reading its output (`r`) or writing its input
/// (`w`).
pub fn popen(command: &str, write: bool, open_files: &OpenFiles) -> io::Result<LuaFile> {
    super::stream::flush_stdout();
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(command);
    if write {
        cmd.stdin(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped());
    }
    let mut child = cmd.spawn()?;
    let file = if write {
        File::from(std::os::fd::OwnedFd::from(child.stdin.take().expect("stdin was piped")))
    } else {
        File::from(std::os::fd::OwnedFd::from(child.stdout.take().expect("stdout was piped")))
    };
    let stream = Stream::new(file, !write, write, BufMode::Full);
    Ok(LuaFile::new(Target::Own(stream), Closer::Process(child), open_files))
}
