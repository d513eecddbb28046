//! `Stream`: a buffered file as C's `FILE` is one: one object that can read, write and seek,
//! with read-ahead, a write buffer and a buffering mode (`setvbuf`). Reading can look one
//! byte ahead and step back (`getc`/`ungetc`), which Lua's number reader needs.
//!
//! The three standard streams are process-wide, as C's `stdin`/`stdout`/`stderr` are: every
//! runtime's `io.stdout` and `print` write into the same buffer, so their output interleaves
//! in call order.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// `setvbuf`'s modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufMode {
    /// Every write goes straight to the file.
    No,
    /// Output is written out at each newline (and when the buffer fills).
    Line,
    /// Output is written out when the buffer fills.
    Full,
}

/// Bytes asked for by one `read` call of the underlying file.
const READ_CHUNK: usize = 8192;
/// Default write buffer size (glibc uses the file system block size, commonly this).
pub const DEFAULT_BUFFER: usize = 4096;

pub struct Stream {
    file: File,
    readable: bool,
    writable: bool,
    /// Read-ahead: `rbuf[rpos..]` has not been consumed yet.
    rbuf: Vec<u8>,
    rpos: usize,
    wbuf: Vec<u8>,
    mode: BufMode,
    size: usize,
    /// Which standard stream this is, if one (see `c_stdio.rs`).
    standard: Option<StdStream>,
}

fn bad_fd() -> io::Error {
    io::Error::from_raw_os_error(9) // EBADF, as C reports a write to a read-only FILE
}

impl Stream {
    pub fn new(file: File, readable: bool, writable: bool, mode: BufMode) -> Stream {
        Stream {
            file,
            readable,
            writable,
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            mode,
            size: DEFAULT_BUFFER,
            standard: None,
        }
    }

    /// Marks the stream as one of the process's standard streams.
    fn standard(mut self, which: StdStream) -> Stream {
        self.standard = Some(which);
        self
    }

    /// Writes bytes to the file; a standard stream lets C's buffered output go first.
    fn write_out(&mut self, data: &[u8]) -> io::Result<()> {
        if self.standard.is_some() {
            super::c_stdio::flush_c_output();
        }
        self.file.write_all(data)
    }

    /// Records, for stdout, whether bytes wait in the buffer.
    fn note_pending(&self) {
        if self.standard == Some(StdStream::Out) {
            super::c_stdio::set_stdout_pending(!self.wbuf.is_empty());
        }
    }

    /// Gives back read-ahead bytes to the file position (a no-op on pipes, where they are
    /// dropped, as with C streams).
    fn drop_read_ahead(&mut self) {
        let unread = self.rbuf.len() - self.rpos;
        if unread > 0 {
            let _ = self.file.seek(SeekFrom::Current(-(unread as i64)));
        }
        self.rbuf.clear();
        self.rpos = 0;
    }

    pub fn write(&mut self, data: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(bad_fd());
        }
        if !self.rbuf.is_empty() {
            self.drop_read_ahead();
        }
        match self.mode {
            BufMode::No => {
                self.flush()?;
                self.write_out(data)
            }
            BufMode::Line => {
                self.wbuf.extend_from_slice(data);
                self.note_pending();
                if data.contains(&b'\n') || self.wbuf.len() >= self.size {
                    self.flush()?;
                }
                Ok(())
            }
            BufMode::Full => {
                self.wbuf.extend_from_slice(data);
                self.note_pending();
                if self.wbuf.len() >= self.size {
                    self.flush()?;
                }
                Ok(())
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.wbuf);
        let r = self.write_out(&data);
        self.wbuf = data;
        self.wbuf.clear();
        self.note_pending();
        r
    }

    /// Reads more input; false at end of file.
    fn fill(&mut self) -> io::Result<bool> {
        if !self.readable {
            return Err(bad_fd());
        }
        self.flush()?;
        if self.rpos > 0 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
        let start = self.rbuf.len();
        self.rbuf.resize(start + READ_CHUNK, 0);
        let n = loop {
            match self.file.read(&mut self.rbuf[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.rbuf.truncate(start);
                    return Err(e);
                }
            }
        };
        self.rbuf.truncate(start + n);
        Ok(n > 0)
    }

    /// The next byte, or None at end of file.
    pub fn getc(&mut self) -> io::Result<Option<u8>> {
        if self.rpos >= self.rbuf.len() && !self.fill()? {
            return Ok(None);
        }
        let c = self.rbuf[self.rpos];
        self.rpos += 1;
        Ok(Some(c))
    }

    /// Steps back over the byte `getc` just returned.
    pub fn ungetc(&mut self) {
        debug_assert!(self.rpos > 0, "ungetc follows a successful getc");
        self.rpos -= 1;
    }

    /// A line; `Ok(None)` when nothing at all could be read. The newline is kept when
    /// `keep_newline`.
    pub fn read_line(&mut self, keep_newline: bool) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            if self.rpos >= self.rbuf.len() && !self.fill()? {
                return Ok(if line.is_empty() { None } else { Some(line) });
            }
            let avail = &self.rbuf[self.rpos..];
            match avail.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    line.extend_from_slice(&avail[..i + usize::from(keep_newline)]);
                    self.rpos += i + 1;
                    return Ok(Some(line));
                }
                None => {
                    line.extend_from_slice(avail);
                    self.rpos = self.rbuf.len();
                }
            }
        }
    }

    /// Up to `n` bytes (fewer at end of file).
    pub fn read_bytes(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while out.len() < n {
            if self.rpos >= self.rbuf.len() && !self.fill()? {
                break;
            }
            let take = (n - out.len()).min(self.rbuf.len() - self.rpos);
            out.extend_from_slice(&self.rbuf[self.rpos..self.rpos + take]);
            self.rpos += take;
        }
        Ok(out)
    }

    /// Everything up to end of file.
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            out.extend_from_slice(&self.rbuf[self.rpos..]);
            self.rpos = self.rbuf.len();
            if !self.fill()? {
                return Ok(out);
            }
        }
    }

    /// Is there at least one more byte to read?
    pub fn at_eof(&mut self) -> io::Result<bool> {
        Ok(self.rpos >= self.rbuf.len() && !self.fill()?)
    }

    /// Moves the file position; returns the new position from the start.
    pub fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.flush()?;
        let unread = (self.rbuf.len() - self.rpos) as i64;
        let pos = match pos {
            SeekFrom::Current(off) => SeekFrom::Current(off - unread),
            other => other,
        };
        let r = self.file.seek(pos)?;
        self.rbuf.clear();
        self.rpos = 0;
        Ok(r)
    }

    pub fn set_mode(&mut self, mode: BufMode, size: usize) -> io::Result<()> {
        self.flush()?;
        self.mode = mode;
        self.size = size.max(1);
        Ok(())
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// A duplicate of a standard descriptor (sharing its file position), or /dev/null when the
/// descriptor is closed.
fn dup_or_null(fd: std::os::fd::BorrowedFd<'_>) -> File {
    match fd.try_clone_to_owned() {
        Ok(owned) => File::from(owned),
        Err(_) => File::options().read(true).write(true).open("/dev/null").expect("/dev/null exists"),
    }
}

/// The three standard streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdStream {
    In,
    Out,
    Err,
}

static STDIN: OnceLock<Mutex<Stream>> = OnceLock::new();
static STDOUT: OnceLock<Mutex<Stream>> = OnceLock::new();
static STDERR: OnceLock<Mutex<Stream>> = OnceLock::new();

/// The process-wide stream for `which`, locked. Never call into Lua while holding it.
pub fn std_stream(which: StdStream) -> MutexGuard<'static, Stream> {
    let cell = match which {
        StdStream::In => &STDIN,
        StdStream::Out => &STDOUT,
        StdStream::Err => &STDERR,
    };
    let m = cell.get_or_init(|| {
        let s = match which {
            StdStream::In => Stream::new(dup_or_null(io::stdin().as_fd()), true, false, BufMode::Full),
            StdStream::Out => {
                let mode = if io::stdout().is_terminal() { BufMode::Line } else { BufMode::Full };
                Stream::new(dup_or_null(io::stdout().as_fd()), false, true, mode)
            }
            StdStream::Err => Stream::new(dup_or_null(io::stderr().as_fd()), false, true, BufMode::No),
        }
        .standard(which);
        Mutex::new(s)
    });
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes out what `print`, `io.write` and `io.stdout` have buffered (at exit, before the
/// REPL prompts, before reading standard input).
pub fn flush_stdout() {
    if STDOUT.get().is_some() {
        let _ = std_stream(StdStream::Out).flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_stream(content: &[u8]) -> (Stream, std::path::PathBuf) {
        // A counter, not the content, makes the name unique: tests run in parallel.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("rivet_stream_test_{}_{n}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        let f = File::options().read(true).write(true).open(&path).unwrap();
        (Stream::new(f, true, true, BufMode::Full), path)
    }

    #[test]
    fn lines_bytes_and_unget() {
        let (mut s, path) = temp_stream(b"ab\ncd\nlast");
        assert_eq!(s.read_line(false).unwrap(), Some(b"ab".to_vec()));
        assert_eq!(s.getc().unwrap(), Some(b'c'));
        s.ungetc();
        assert_eq!(s.read_line(true).unwrap(), Some(b"cd\n".to_vec()));
        assert_eq!(s.read_bytes(2).unwrap(), b"la".to_vec());
        assert_eq!(s.read_all().unwrap(), b"st".to_vec());
        assert!(s.at_eof().unwrap());
        assert_eq!(s.read_line(false).unwrap(), None);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn writes_after_reads_land_at_the_logical_position() {
        let (mut s, path) = temp_stream(b"0123456789");
        assert_eq!(s.read_bytes(3).unwrap(), b"012".to_vec());
        s.write(b"xy").unwrap();
        assert_eq!(s.seek(SeekFrom::Current(0)).unwrap(), 5);
        assert_eq!(s.seek(SeekFrom::Start(0)).unwrap(), 0);
        assert_eq!(s.read_all().unwrap(), b"012xy56789".to_vec());
        drop(s);
        std::fs::remove_file(path).unwrap();
    }
}
