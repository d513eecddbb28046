//! Search paths: the default `package.path`/`package.cpath`, their environment variables
//! (`LUA_PATH_5_4`, `LUA_PATH`, with `;;` standing for the default), and `searchpath`, which
//! tries each template of a path with `?` replaced by the module name.
//!
//! Plain byte-string functions with no knowledge of the VM, so they are tested directly.

/// Directory separator, path separator, substitution mark, executable-directory mark and
/// the "ignore" mark, one per line, as `package.config` holds them.
pub const CONFIG: &str = "/\n;\n?\n!\n-\n";
pub const DIR_SEP: &[u8] = b"/";
const PATH_SEP: u8 = b';';
const PATH_MARK: &[u8] = b"?";

/// The default path: the reference Lua 5.4's directories under /usr/local, then the
/// directories Debian's lua5.4 adds for packaged pure-Lua modules, then the current directory.
pub const DEFAULT_PATH: &str = "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;\
/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;\
/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua";

/// The default C path (searched only so that a native module that exists is reported
/// clearly: rivet cannot load it).
pub const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;\
/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";

/// The value of a path from the environment: `LUA_PATH_5_4` (the versioned name) or else
/// `LUA_PATH`; none (or `ignore_env`, the command line's `-E`) gives the default. The first
/// `;;` in the variable is replaced by the default path.
pub fn path_from_env(plain_var: &str, default: &str, ignore_env: bool) -> Vec<u8> {
    let value = if ignore_env {
        None
    } else {
        std::env::var_os(format!("{plain_var}_5_4")).or_else(|| std::env::var_os(plain_var))
    };
    match value {
        None => default.as_bytes().to_vec(),
        Some(v) => insert_default(&os_bytes(&v), default.as_bytes()),
    }
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(s).to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// Replaces the first `;;` of `path` by `;default;` (without a leading or trailing `;` when
/// the `;;` starts or ends the path).
fn insert_default(path: &[u8], default: &[u8]) -> Vec<u8> {
    let Some(at) = path.windows(2).position(|w| w == [PATH_SEP, PATH_SEP]) else {
        return path.to_vec();
    };
    let mut out = Vec::with_capacity(path.len() + default.len() + 2);
    if at > 0 {
        out.extend_from_slice(&path[..at]);
        out.push(PATH_SEP);
    }
    out.extend_from_slice(default);
    let rest = &path[at + 2..];
    if !rest.is_empty() {
        out.push(PATH_SEP);
        out.extend_from_slice(rest);
    }
    out
}

/// Every occurrence of `pat` in `s` replaced by `rep` (`luaL_gsub`).
pub fn replace_all(s: &[u8], pat: &[u8], rep: &[u8]) -> Vec<u8> {
    if pat.is_empty() {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(pat) {
            out.extend_from_slice(rep);
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// The part of `s` before its first NUL byte: names and paths are C strings in Lua's
/// searcher, so `"??\0?"` is the path `"??"`.
fn c_string(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}

/// `package.searchpath(name, path, sep, rep)`: `sep` in `name` becomes `rep`, then each
/// `;`-separated template of `path` has its `?` replaced by the name and is tried in order.
/// Returns the first readable file name, or the message listing every file tried
/// (`no file 'a'\n\tno file 'b'`).
pub fn search_path(name: &[u8], path: &[u8], sep: &[u8], rep: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let (name, path, sep, rep) = (c_string(name), c_string(path), c_string(sep), c_string(rep));
    let name = if !sep.is_empty() && name.contains(&sep[0]) { replace_all(name, sep, rep) } else { name.to_vec() };
    let candidates = replace_all(path, PATH_MARK, &name);
    for file in candidates.split(|&b| b == PATH_SEP) {
        if readable(file) {
            return Ok(file.to_vec());
        }
    }
    let mut msg = b"no file '".to_vec();
    msg.extend_from_slice(&replace_all(&candidates, b";", b"'\n\tno file '"));
    msg.push(b'\'');
    Err(msg)
}

/// Whether `file` can be opened for reading, as `fopen(file, "r")` checks (a directory can:
/// loading it then fails with "cannot read", as in Lua).
pub fn readable(file: &[u8]) -> bool {
    !file.is_empty() && bytes_to_path(file).is_some_and(|p| std::fs::File::open(p).is_ok())
}

#[cfg(unix)]
pub fn bytes_to_path(b: &[u8]) -> Option<std::path::PathBuf> {
    Some(std::path::PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b)))
}

#[cfg(not(unix))]
pub fn bytes_to_path(b: &[u8]) -> Option<std::path::PathBuf> {
    std::str::from_utf8(b).ok().map(std::path::PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_semicolon_inserts_the_default_once() {
        assert_eq!(insert_default(b"a;;b", b"D"), b"a;D;b");
        assert_eq!(insert_default(b";;b", b"D"), b"D;b");
        assert_eq!(insert_default(b"a;;", b"D"), b"a;D");
        assert_eq!(insert_default(b";;", b"D"), b"D");
        assert_eq!(insert_default(b"a;;b;;c", b"D"), b"a;D;b;;c");
        assert_eq!(insert_default(b"a;b", b"D"), b"a;b");
        assert_eq!(insert_default(b"", b"D"), b"");
    }

    #[test]
    fn not_found_lists_every_template_as_lua_does() {
        // Lua 5.4.8: package.searchpath("a.b", "x;;y?;?.z") lists the empty template too.
        let err = search_path(b"a.b", b"/nonexistent/x;;/nonexistent/y?;?.z", b".", b"/").unwrap_err();
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "no file '/nonexistent/x'\n\tno file ''\n\tno file '/nonexistent/ya/b'\n\tno file 'a/b.z'"
        );
    }

    #[test]
    fn separators_are_replaced_only_when_present() {
        assert_eq!(replace_all(b"--x-", b"-", b"X"), b"XXxX");
        assert_eq!(replace_all(b"---xX", b"---", b"XX"), b"XXxX");
        let err = search_path(b"m", b"/nonexistent/?", b"", b"").unwrap_err();
        assert_eq!(err, b"no file '/nonexistent/m'");
    }

    #[test]
    fn a_path_is_a_c_string() {
        let err = search_path(b"f", b"/nonexistent/??\0?", b".", b"/").unwrap_err();
        assert_eq!(err, b"no file '/nonexistent/ff'");
    }

    #[test]
    fn finds_the_first_readable_file() {
        let dir = std::env::temp_dir();
        let dir_text = dir.to_str().unwrap().as_bytes().to_vec();
        let file = dir.join(format!("rivet-searchpath-{}.lua", std::process::id()));
        std::fs::write(&file, "return 1").unwrap();
        let name = file.file_stem().unwrap().to_str().unwrap().as_bytes().to_vec();
        let mut path = dir_text;
        path.extend_from_slice(b"/nothing/?;");
        path.extend_from_slice(dir.to_str().unwrap().as_bytes());
        path.extend_from_slice(b"/?.lua");
        let found = search_path(&name, &path, b".", b"/").unwrap();
        assert_eq!(found, file.to_str().unwrap().as_bytes());
        std::fs::remove_file(&file).unwrap();
    }
}
