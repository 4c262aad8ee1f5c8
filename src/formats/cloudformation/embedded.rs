//! Text inside a template string (inline Lambda code) mapped back to byte offsets in the template,
//! so findings in inline code point at the template line, never at `1:1`.

use crate::span::Span;

/// Maps offsets in a decoded string value to offsets in the file it was read from.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// `(decoded_offset, source_offset)` anchors, sorted; offsets between anchors move together.
    anchors: Vec<(u32, u32)>,
    fallback: Span,
}

impl OffsetMap {
    /// Builds the map for the string `decoded` whose source text (quotes, block header and all) is
    /// `source`, starting at byte `base` of the file.
    #[must_use]
    pub fn new(decoded: &str, source: &str, base: u32) -> Self {
        let fallback = Span::from_range(base as usize, base as usize + source.len());
        let mut anchors = Vec::new();
        // Anchor each decoded line at its occurrence in the source, searching forward: this is
        // exact for YAML block scalars (indentation stripped) and for plain or JSON strings
        // without escapes, and degrades to the nearest earlier anchor otherwise.
        let mut search_from = 0usize;
        let mut decoded_offset = 0usize;
        let is_json = source.starts_with('"');
        for line in decoded.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            if !content.is_empty() {
                let needle = if is_json { content.split('"').next().unwrap_or(content) } else { content };
                if let Some(found) = source.get(search_from..).and_then(|s| find_near(s, needle)) {
                    let at = search_from + found;
                    anchors.push((decoded_offset as u32, base + at as u32));
                    search_from = at + needle.len();
                }
            }
            decoded_offset += line.len();
        }
        Self { anchors, fallback }
    }

    /// The map of a string concatenated from pieces: each piece's map, at the decoded offset
    /// where the piece starts. `whole` is the span of the expression built from them.
    #[must_use]
    pub fn concat(pieces: Vec<(u32, OffsetMap)>, whole: Span) -> Self {
        let mut anchors = Vec::new();
        for (start, piece) in pieces {
            if piece.anchors.first().is_none_or(|&(d, _)| d > 0) {
                anchors.push((start, piece.fallback.start));
            }
            anchors.extend(piece.anchors.iter().map(|&(d, s)| (start + d, s)));
        }
        Self { anchors, fallback: whole }
    }

    /// The file span for a span inside the decoded string.
    #[must_use]
    pub fn map(&self, span: Span) -> Span {
        let find = |offset: u32| {
            let i = self.anchors.partition_point(|&(d, _)| d <= offset);
            let (d, s) = *self.anchors.get(i.checked_sub(1)?)?;
            Some(s + (offset - d))
        };
        match (find(span.start), find(span.end)) {
            (Some(start), Some(end)) if end >= start && end <= self.fallback.end => Span::new(start, end),
            _ => self.fallback,
        }
    }
}

/// How far `find_near` looks position by position before a full substring search.
const NEAR: usize = 64;

/// The first occurrence of `needle` in `haystack`, as `str::find` gives it. The next decoded line
/// almost always starts within a few bytes (indentation, an escaped newline): those positions are
/// tried one by one, which costs far less than setting up a substring search per line of every
/// inline handler; the search takes over only past them, so the answer is the same.
fn find_near(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let Some(&first) = needle.as_bytes().first() else { return Some(0) };
    let near = bytes.len().saturating_sub(needle.len()).min(NEAR);
    let matches_at = |at: usize| bytes[at] == first && bytes[at..].starts_with(needle.as_bytes());
    if let Some(at) = (0..=near).find(|&at| at < bytes.len() && matches_at(at)) {
        return Some(at);
    }
    let from = near + 1;
    // Bytes match where `str::find` matches: a whole UTF-8 needle only matches at char boundaries.
    memchr::memmem::find(bytes.get(from..)?, needle.as_bytes()).map(|at| from + at)
}

#[cfg(test)]
mod tests {
    use super::{NEAR, find_near};

    #[test]
    fn find_near_finds_what_str_find_finds() {
        let far = format!("{}needle", "x".repeat(NEAR * 2));
        let cases: &[(&str, &str)] = &[
            ("  import json\n", "import json"),
            ("\\nnimport", "nimport"),
            ("", ""),
            ("abc", ""),
            ("", "a"),
            ("ab", "abc"),
            ("é needle é", "needle"),
            ("aaab", "aab"),
            (&far, "needle"),
            (&far, "absent"),
            ("x\u{e9}y", "\u{e9}"),
        ];
        for (haystack, needle) in cases {
            assert_eq!(find_near(haystack, needle), haystack.find(needle), "{needle:?} in {haystack:?}");
        }
    }
}
