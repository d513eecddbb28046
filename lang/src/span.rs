//! Chunk names and how they are shown in messages (`chunk:line: message`).

/// The display form of a chunk name, as Lua's `luaO_chunkid`: `=name` shows `name`,
/// `@file` shows `file`, anything else is source text shown as `[string "first line..."]`.
pub fn chunk_id(source: &str) -> String {
    const MAX: usize = 60;
    if let Some(rest) = source.strip_prefix('=') {
        return rest.chars().take(MAX - 1).collect();
    }
    if let Some(rest) = source.strip_prefix('@') {
        // Fits with the terminating NUL of Lua's buffer.
        if rest.len() < MAX {
            return rest.to_string();
        }
        let tail: String = rest.chars().rev().take(MAX - 4).collect::<Vec<_>>().into_iter().rev().collect();
        return format!("...{tail}");
    }
    let first_line = source.split('\n').next().unwrap_or("");
    let truncated = first_line.len() < source.len();
    let budget = MAX - "[string \"...\"]".len() - 1;
    if !truncated && first_line.len() <= budget {
        format!("[string \"{first_line}\"]")
    } else {
        let cut: String = first_line.chars().take(budget).collect();
        format!("[string \"{cut}...\"]")
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_id;

    #[test]
    fn chunk_ids_read_like_lua() {
        assert_eq!(chunk_id("=stdin"), "stdin");
        assert_eq!(chunk_id("@x.lua"), "x.lua");
        assert_eq!(chunk_id("return 1"), "[string \"return 1\"]");
        assert_eq!(chunk_id("x = 1\ny = 2"), "[string \"x = 1...\"]");
    }
}
