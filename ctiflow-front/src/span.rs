//! Byte ranges into a flow's source text, and their line:column positions.

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A 1-based line and column; the column counts characters, as rustc does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Maps byte offsets to [`LineCol`] in O(log lines) plus at most one stride of characters,
/// however long the line (a minified flow is one line).
#[derive(Clone, Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// (byte offset, characters before it), every [`STRIDE`] bytes or so, on char boundaries.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two checkpoints.
const STRIDE: usize = 1024;

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut checkpoints = vec![(0, 0)];
        let mut chars = 0;
        let mut last = 0;
        for (i, _) in text.char_indices() {
            if i - last >= STRIDE {
                chars += text[last..i].chars().count();
                checkpoints.push((i, chars));
                last = i;
            }
        }
        LineIndex {
            text,
            line_starts,
            checkpoints,
        }
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let at = self.checkpoints.partition_point(|&(b, _)| b <= offset) - 1;
        let (byte, chars) = self.checkpoints[at];
        chars + self.text[byte..offset].chars().count()
    }

    /// The position of byte `offset` (clamped to the text, rounded down to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let column = self.chars_before(offset) - self.chars_before(self.line_starts[line]) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_long_lines_count_characters_from_checkpoints() {
        let text = format!(
            "{}é{}\n{}x",
            "a".repeat(3000),
            "ü".repeat(2000),
            "b".repeat(5000)
        );
        let idx = LineIndex::new(&text);
        for offset in [
            0,
            1,
            2999,
            3000,
            3002,
            3004,
            7002,
            7003,
            7004,
            12_003,
            text.len(),
        ] {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let expected = LineCol {
                line: text[..offset].matches('\n').count() + 1,
                column: text[line_start..offset].chars().count() + 1,
            };
            assert_eq!(idx.line_col(offset), expected, "{offset}");
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let idx = LineIndex::new("{\n  \"タイトル\": 1\n}");
        assert_eq!(idx.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(2), LineCol { line: 2, column: 1 });
        // `1` comes after 2 spaces, 6 characters of key (4 of them 3-byte) and `: `.
        let one = "{\n  \"タイトル\": 1".len() - 1;
        assert_eq!(
            idx.line_col(one),
            LineCol {
                line: 2,
                column: 11
            }
        );
        assert_eq!(idx.line_col(10_000), LineCol { line: 3, column: 2 });
    }
}
