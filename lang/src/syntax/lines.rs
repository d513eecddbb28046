//! Byte offset -> line number, counting newlines as Lua does.
//!
//! The lexer and the grammar work with byte offsets; messages and the AST want lines. Lua
//! counts `\n`, `\r`, `\r\n` and `\n\r` as one line break each (llex.c `inclinenumber`), in
//! code, comments and strings alike, so one table built up front serves every token.

#[derive(Debug, Clone)]
pub struct LineTable {
    /// Byte offset at which each line starts; `starts[0] == 0`.
    starts: Vec<usize>,
}

impl LineTable {
    pub fn new(source: &[u8]) -> LineTable {
        let mut starts = vec![0];
        let mut i = 0;
        while i < source.len() {
            let b = source[i];
            if b == b'\n' || b == b'\r' {
                i += 1;
                if i < source.len() && (source[i] == b'\n' || source[i] == b'\r') && source[i] != b {
                    i += 1;
                }
                starts.push(i);
            } else {
                i += 1;
            }
        }
        LineTable { starts }
    }

    /// The 1-based line that holds `offset` (an offset at a line break belongs to the line
    /// the break ends).
    pub fn line(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::LineTable;

    #[test]
    fn every_newline_sequence_counts_once() {
        let t = LineTable::new(b"a\nb\r\nc\n\rd\re\n\nf");
        assert_eq!(t.line(0), 1);
        assert_eq!(t.line(1), 1, "the newline itself is on the line it ends");
        assert_eq!(t.line(2), 2); // b
        assert_eq!(t.line(5), 3); // c
        assert_eq!(t.line(8), 4); // d
        assert_eq!(t.line(10), 5); // e
        assert_eq!(t.line(13), 7); // f
        assert_eq!(t.line(14), 7, "end of input is on the last line");
    }

    #[test]
    fn trailing_newline_opens_a_new_line() {
        let t = LineTable::new(b"x\n");
        assert_eq!(t.line(2), 2);
        assert_eq!(LineTable::new(b"").line(0), 1);
    }
}
