//! Bounded source excerpts for `pretty`.
//!
//! Handed a whole file, miette prints every line a label touches in full, once per label (a 1 MB
//! minified template with 30 findings printed 32 MB), and panics on a label past column 65,535 (a
//! formatting width over `u16::MAX`). It is handed instead a [`Snippet`]: a copy of the file in which
//! - only the lines near the labels are copied; the line numbers and line counts it reports are
//!   moved back to the real file's, so which labels miette shows together stays what it was;
//! - a line longer than [`LINE_LIMIT`] characters is cut to a [`WINDOW`]-character window around its
//!   label, with `…` on the cut sides;
//! - control characters are shown as escapes (`\u{1b}`): a template cannot reach the terminal;
//! - a label over more than [`SPAN_LINES`] lines is cut after them, and labels are shown in one
//!   excerpt only while it spans at most [`JOINED_LINES`] lines.
//!
//! The `[file:line:col]` header keeps the real line and (character) column.

use std::collections::BTreeMap;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;
use crate::span::Span;
use crate::text::{control_escape, escape_controls};

/// Lines up to this many characters are shown whole.
const LINE_LIMIT: usize = 1024;
/// Characters of a longer line shown around a label.
const WINDOW: usize = 120;
/// Characters of that window before the label starts.
const LEAD: usize = 30;
/// Lines of a multi-line label shown; the label is cut after them.
const SPAN_LINES: usize = 12;
/// Lines an excerpt joining several labels may span; labels farther apart get excerpts of their own.
const JOINED_LINES: usize = 80;
const ELLIPSIS: &str = "…";

/// What miette reads instead of the file: see the module documentation.
#[derive(Debug)]
pub(super) struct Snippet {
    name: String,
    text: String,
    /// The lines that keep their text, in order.
    shown: Vec<Shown>,
    /// Runs of consecutive lines of the file, in order.
    groups: Vec<Group>,
}

/// A run of consecutive lines of the file copied into the snippet.
#[derive(Debug)]
struct Group {
    /// Offset in the snippet of its first line.
    start: usize,
    /// How many lines of the file before it were left out.
    shift: usize,
}

/// One line of the file that keeps (part of) its text in the snippet.
#[derive(Debug)]
struct Shown {
    /// 0-based line in the file.
    line: usize,
    /// 0-based character column in the file where the window starts.
    col: usize,
    /// Byte range of the file shown.
    window: (usize, usize),
    /// Offsets in the snippet of the line's start and of the end of its text (ellipses included).
    start: usize,
    end: usize,
    /// (file offset, snippet offset) of each character of the window, then of the window's end;
    /// empty when the window is copied verbatim (no control character), where offsets map one to
    /// one. Most lines are: a mark per character of the ±82 lines around every label was most of
    /// the cost of a `pretty` report.
    marks: Vec<(usize, usize)>,
}

/// Line boundaries of a file.
struct Lines<'a> {
    text: &'a str,
    starts: &'a [u32],
}

impl Lines<'_> {
    fn count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    fn of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s as usize <= offset).saturating_sub(1)
    }

    /// Start and end of a line's text, and the end of its terminator (`\n`, `\r\n` or none at EOF).
    fn bounds(&self, line: usize) -> (usize, usize, usize) {
        let start = self.starts[line] as usize;
        let next = self.starts.get(line + 1).map_or(self.text.len(), |&s| s as usize);
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        (start, end, next)
    }
}

fn is_long(line: &str) -> bool {
    line.len() > LINE_LIMIT && line.chars().nth(LINE_LIMIT).is_some()
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `count` characters back from `offset`, not before `floor`.
fn back(text: &str, floor: usize, offset: usize, count: usize) -> usize {
    if count == 0 {
        return offset;
    }
    text[floor..offset].char_indices().rev().take(count).last().map_or(offset, |(i, _)| floor + i)
}

/// The byte range of a [`WINDOW`] of the line `start..end` that shows `anchor` with `lead`
/// characters before it (fewer at the start of the line, more at its end).
fn window_around(text: &str, (start, end): (usize, usize), anchor: usize, lead: usize) -> (usize, usize) {
    let anchor = floor_boundary(text, anchor.clamp(start, end));
    let from = back(text, start, anchor, lead);
    let to = text[from..end].char_indices().nth(WINDOW).map_or(end, |(i, _)| from + i);
    if to < end {
        return (from, to);
    }
    let shown = text[from..to].chars().count();
    (back(text, start, from, WINDOW.saturating_sub(shown)), to)
}

/// A snippet of `file` for labels at `spans`, and each span in snippet offsets; `None` for a span
/// that does not fit: it starts (or ends) on an over-long line outside the window an earlier span
/// set there. The caller shows those in a snippet of their own, where they always fit.
pub(super) fn build(file: &SourceFile, spans: &[Span]) -> (Snippet, Vec<Option<SourceSpan>>) {
    let text = file.text();
    let lines = Lines { text, starts: file.line_starts() };
    let mut windows: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    // (start, end, first line, last line) in the file, the end cut after SPAN_LINES lines.
    let mut placed: Vec<Option<(usize, usize, usize, usize)>> = Vec::with_capacity(spans.len());
    for span in spans {
        let start = (span.start as usize).min(text.len());
        let mut end = (span.end as usize).clamp(start, text.len());
        let first = lines.of(start);
        let mut last = lines.of(end.saturating_sub(1).max(start));
        if last - first >= SPAN_LINES {
            last = first + SPAN_LINES - 1;
            end = lines.bounds(last).1;
        }
        let mut anchors = vec![(first, start, LEAD)];
        if last != first {
            anchors.push((last, end, WINDOW - LEAD));
        }
        let mut pending = Vec::new();
        let mut fits = true;
        for (line, anchor, lead) in anchors {
            let (line_start, line_end, _) = lines.bounds(line);
            if !is_long(&text[line_start..line_end]) {
                continue;
            }
            match windows.get(&line) {
                Some(&(from, to)) => fits &= from <= anchor && anchor <= to,
                None => pending.push((line, window_around(text, (line_start, line_end), anchor, lead))),
            }
        }
        if fits {
            windows.extend(pending);
            placed.push(Some((start, end, first, last)));
        } else {
            placed.push(None);
        }
    }

    // Every line miette may show lies within JOINED_LINES (+ one line of context) of a label.
    let reach = JOINED_LINES + 2;
    let mut kept: Vec<(usize, usize)> = placed
        .iter()
        .flatten()
        .map(|&(_, _, first, last)| (first.saturating_sub(reach), (last + reach).min(lines.count() - 1)))
        .collect();
    kept.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(kept.len());
    for (from, to) in kept {
        match merged.last_mut() {
            Some(last) if from <= last.1 + 1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }

    let mut out = String::new();
    let mut shown = Vec::new();
    let mut groups = Vec::with_capacity(merged.len());
    for &(from, to) in &merged {
        groups.push(Group { start: out.len(), shift: from - shown.len() });
        for l in from..=to {
            let (line_start, line_end, next) = lines.bounds(l);
            let window = if is_long(&text[line_start..line_end]) {
                windows
                    .get(&l)
                    .copied()
                    .unwrap_or_else(|| window_around(text, (line_start, line_end), line_start, 0))
            } else {
                (line_start, line_end)
            };
            let start = out.len();
            if window.0 > line_start {
                out.push_str(ELLIPSIS);
            }
            let shown_text = &text[window.0..window.1];
            // miette lays tabs out itself.
            let escaped = |c: char| c != '\t' && c.is_control();
            let mut marks = Vec::new();
            if shown_text.chars().any(escaped) {
                for (i, c) in shown_text.char_indices() {
                    marks.push((window.0 + i, out.len()));
                    match control_escape(c).filter(|_| escaped(c)) {
                        Some(escaped) => out.push_str(&escaped),
                        None => out.push(c),
                    }
                }
                marks.push((window.1, out.len()));
            } else {
                out.push_str(shown_text);
            }
            if window.1 < line_end {
                out.push_str(ELLIPSIS);
            }
            let col = text[line_start..window.0].chars().count();
            shown.push(Shown { line: l, col, window, start, end: out.len(), marks });
            out.push_str(&text[line_end..next]);
        }
    }

    let snippet = Snippet { name: escape_controls(file.name()).into_owned(), text: out, shown, groups };
    let spans = placed
        .into_iter()
        .map(|p| {
            let (start, end, _, _) = p?;
            let from = snippet.offset(&lines, start)?;
            let to = snippet.offset(&lines, end)?.max(from);
            Some(SourceSpan::from((from, to - from)))
        })
        .collect();
    (snippet, spans)
}

impl Snippet {
    /// The snippet offset of a file offset on a shown line (the nearest ellipsis when cut away).
    fn offset(&self, lines: &Lines<'_>, offset: usize) -> Option<usize> {
        let line = lines.of(offset);
        let shown = &self.shown[self.shown.binary_search_by_key(&line, |s| s.line).ok()?];
        let (_, line_end, _) = lines.bounds(line);
        if offset > line_end {
            return Some(shown.end + (offset - line_end));
        }
        if offset < shown.window.0 {
            return Some(shown.start);
        }
        if offset > shown.window.1 {
            return Some(shown.end);
        }
        if shown.marks.is_empty() {
            let offset = floor_boundary(lines.text, offset);
            return Some(shown.text_start() + floor_boundary(lines.text, offset) - shown.window.0);
        }
        let at = shown.marks.partition_point(|&(real, _)| real <= offset);
        Some(shown.marks[at.saturating_sub(1)].1)
    }

    /// The 0-based character column in the file of a snippet offset on a shown line.
    fn column(&self, offset: usize) -> Option<usize> {
        let shown = &self.shown[self.shown.partition_point(|s| s.start <= offset).checked_sub(1)?];
        if offset > shown.end + 2 {
            return None;
        }
        if shown.marks.is_empty() {
            let from = shown.text_start();
            let to = offset.min(from + shown.window.1 - shown.window.0);
            return Some(
                shown.col + self.text.get(from..floor_boundary(&self.text, to.max(from)))?.chars().count(),
            );
        }
        let at = shown.marks.partition_point(|&(_, at)| at <= offset);
        Some(shown.col + at.saturating_sub(1))
    }
}

impl Shown {
    /// The snippet offset of the window's first character (after the leading ellipsis of a cut
    /// line: a window starts past column 0 only when the line is cut before it).
    fn text_start(&self) -> usize {
        self.start + if self.col > 0 { ELLIPSIS.len() } else { 0 }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette joins labels whose excerpts overlap only if it can read the joined span: refusing
        // a long one (or one across lines left out) keeps far-apart labels (line 3 and line 300)
        // in excerpts of their own.
        let end = (span.offset() + span.len()).min(self.text.len());
        let covered = self.text.as_bytes().get(span.offset()..end).unwrap_or_default();
        let group = |offset: usize| self.groups.partition_point(|g| g.start <= offset).saturating_sub(1);
        let first = group(span.offset());
        if group(end.saturating_sub(1).max(span.offset())) != first
            || covered.iter().filter(|&&b| b == b'\n').take(JOINED_LINES + 1).count() > JOINED_LINES
        {
            return Err(MietteError::OutOfBounds);
        }
        let shift = self.groups.get(first).map_or(0, |g| g.shift);
        let inner = self.text.as_str().read_span(span, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            self.column(inner.span().offset()).unwrap_or_else(|| inner.column())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + shift,
            column,
            inner.line_count() + shift,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.json".into(), "t.json".into(), text.into())
    }

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        Span::from_range(start, start + needle.len())
    }

    /// The snippet text under a snippet span.
    fn shown(snippet: &Snippet, span: Option<SourceSpan>) -> &str {
        let span = span.unwrap();
        &snippet.text[span.offset()..span.offset() + span.len()]
    }

    #[test]
    fn short_lines_near_a_label_are_kept_whole() {
        let text = "a: 1\r\nb: 2\nc: é\n";
        let (snippet, spans) = build(&file(text), &[span_of(text, "é")]);
        assert_eq!(snippet.text, text);
        assert_eq!(shown(&snippet, spans[0]), "é");
        assert_eq!(snippet.column(spans[0].unwrap().offset()), Some(3));
    }

    #[test]
    fn far_lines_are_left_out_and_line_numbers_stay() {
        let text = (0..1000).fold(String::new(), |t, i| t + &format!("line {i}\n"));
        let spans = [span_of(&text, "line 250"), span_of(&text, "line 260"), span_of(&text, "line 900")];
        let (snippet, spans) = build(&file(&text), &spans);
        // 82 lines either side of the labels.
        assert_eq!(snippet.text.lines().count(), (260 + 82 - (250 - 82) + 1) + (900 + 82 - (900 - 82) + 1));
        assert!(snippet.text.starts_with("line 168\n"));
        let contents = snippet.read_span(&spans[0].unwrap(), 1, 1).unwrap();
        assert_eq!(contents.line(), 249);
        let contents = snippet.read_span(&spans[2].unwrap(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (900, 0));
        // Labels 10 lines apart can share an excerpt; across the lines left out they cannot.
        let (a, b, c) = (spans[0].unwrap(), spans[1].unwrap(), spans[2].unwrap());
        assert!(snippet.read_span(&(a.offset(), b.offset() + b.len() - a.offset()).into(), 1, 1).is_ok());
        assert!(snippet.read_span(&(b.offset(), c.offset() + c.len() - b.offset()).into(), 1, 1).is_err());
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_with_the_real_column() {
        // Multi-byte characters everywhere: a cut inside one would panic.
        let text = format!("{}\"Ref\":\"Missing\"{}", "é".repeat(100_000), "ü".repeat(100_000));
        let (snippet, spans) = build(&file(&text), &[span_of(&text, "\"Missing\"")]);
        assert_eq!(shown(&snippet, spans[0]), "\"Missing\"");
        let line = snippet.text.lines().next().unwrap();
        assert!(line.starts_with("…é") && line.ends_with("ü…"), "{line}");
        assert_eq!(line.chars().count(), WINDOW + 2);
        assert_eq!(snippet.column(spans[0].unwrap().offset()), Some(100_006));
        let contents = snippet.read_span(&spans[0].unwrap(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (0, 100_006));
    }

    #[test]
    fn a_label_far_along_the_same_long_line_gets_a_snippet_of_its_own() {
        let text = format!("[\"first\",{}\"second\"]", "0,".repeat(50_000));
        let spans = [span_of(&text, "\"first\""), span_of(&text, "\"second\""), span_of(&text, "0,0")];
        let (snippet, placed) = build(&file(&text), &spans);
        assert_eq!(shown(&snippet, placed[0]), "\"first\"");
        assert_eq!(placed[1], None);
        assert_eq!(shown(&snippet, placed[2]), "0,0");
        let (alone, placed) = build(&file(&text), &spans[1..2]);
        assert_eq!(shown(&alone, placed[0]), "\"second\"");
    }

    #[test]
    fn a_long_multi_line_label_is_cut_and_control_characters_are_escaped() {
        let text = (0..100).fold(String::new(), |t, i| t + &format!("{i}\u{1b}[31m\u{7}\t\n"));
        let (snippet, spans) = build(&file(&text), &[Span::from_range(0, text.len())]);
        let shown = shown(&snippet, spans[0]);
        assert_eq!(shown.lines().count(), SPAN_LINES);
        assert!(shown.starts_with("0\\u{1b}[31m\\u{7}\t\n"), "{shown}");
        assert!(!snippet.text.contains(['\u{1b}', '\u{7}']));
    }
}
