//! Where the REPL keeps its history: `RIVET_HISTORY` names the file (empty: keep no history),
//! else `~/.rivet_history`. The file is rustyline's: one entry per line, a multi-line chunk
//! stored as one entry with its newlines escaped.

use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable that overrides the history file.
pub const HISTORY_VARIABLE: &str = "RIVET_HISTORY";

/// The file name used in the home folder.
pub const HISTORY_FILE_NAME: &str = ".rivet_history";

/// The history file for this session; `ignore_env` (`-E`) skips `RIVET_HISTORY`. `None`: no
/// history is kept (the variable is empty, or there is no home folder).
pub fn history_path(ignore_env: bool) -> Option<PathBuf> {
    let variable = if ignore_env { None } else { std::env::var_os(HISTORY_VARIABLE) };
    resolve(variable, std::env::home_dir())
}

fn resolve(variable: Option<OsString>, home: Option<PathBuf>) -> Option<PathBuf> {
    match variable {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => home.filter(|h| !h.as_os_str().is_empty()).map(|h| h.join(HISTORY_FILE_NAME)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_home_folder() {
        let home = Some(PathBuf::from("/home/u"));
        assert_eq!(resolve(None, home.clone()), Some(PathBuf::from("/home/u/.rivet_history")));
        assert_eq!(resolve(Some("/tmp/h".into()), home.clone()), Some(PathBuf::from("/tmp/h")));
        assert_eq!(resolve(Some("".into()), home), None);
        assert_eq!(resolve(None, None), None);
    }
}
