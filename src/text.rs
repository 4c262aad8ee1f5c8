//! Small text utilities: edit distance for "did you mean" suggestions (rules), and the escaping of
//! control characters that every text report applies to what it quotes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Levenshtein distance in characters.
///
/// Costs the product of the two lengths: for "did you mean" checks, where only a small distance
/// matters, use [`edit_distance_within`].
///
/// ```
/// assert_eq!(sagelint::text::edit_distance("my-sagemker-endpoint", "my-sagemaker-endpoint"), 1);
/// ```
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// How a control character (C0, DEL or C1) is written in text output: `\n`, `\r`, `\t`, or
/// `\u{1b}` for the others; `None` for any other character.
#[must_use]
pub fn control_escape(c: char) -> Option<String> {
    match c {
        '\n' => Some("\\n".into()),
        '\r' => Some("\\r".into()),
        '\t' => Some("\\t".into()),
        c if c.is_control() => {
            let mut out = String::new();
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            Some(out)
        }
        _ => None,
    }
}

/// The text with every control character shown as a visible escape ([`control_escape`]).
///
/// Reports quote template-controlled strings (logical ids, endpoint names, policy text, file
/// paths): a raw newline there would start a line of its own (a forged `::error` workflow command,
/// a fake `path:line:col:` finding) and ESC or BEL would reach the terminal.
///
/// ```
/// use sagelint::text::escape_controls;
/// assert_eq!(escape_controls("a\n::error::x\u{1b}[31m\u{7}"), "a\\n::error::x\\u{1b}[31m\\u{7}");
/// assert_eq!(escape_controls("plain é"), "plain é");
/// ```
#[must_use]
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match control_escape(c) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`edit_distance`] when it is at most `limit`, else `None`, in time bounded by the shorter
/// string's length times `limit` (not the product of the lengths), so a 15,000-character bogus
/// name costs no more against a catalogue than a short one.
///
/// The distance is at least the difference of the lengths, so strings whose lengths differ by
/// more than `limit` are answered after reading the shorter one; otherwise only the diagonal band
/// `|i - j| <= limit` of the distance table is computed, as no path through a cell outside it
/// costs `limit` or less.
///
/// ```
/// use sagelint::text::edit_distance_within;
/// assert_eq!(edit_distance_within("sagemaker:InvokeEndpoints", "sagemaker:InvokeEndpoint", 2), Some(1));
/// assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
/// assert_eq!(edit_distance_within(&"x".repeat(15_000), "s3:GetObject", 4), None);
/// ```
#[must_use]
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    // The length difference, reading the longer string only `limit + 1` characters past the
    // shorter one's end.
    let (mut ia, mut ib) = (a.chars(), b.chars());
    loop {
        match (ia.next(), ib.next()) {
            (Some(_), Some(_)) => {}
            (None, None) => break,
            (Some(_), None) if ia.by_ref().take(limit).count() < limit => break,
            (None, Some(_)) if ib.by_ref().take(limit).count() < limit => break,
            _ => return None,
        }
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Cells outside the band hold `far`, which stays above `limit` however much is added to it.
    let far = limit.saturating_add(1);
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(far)).collect();
    let mut cur = vec![far; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(limit).max(1);
        let hi = row.saturating_add(limit).min(b.len());
        cur[0] = row.min(far);
        if lo > 1 {
            cur[lo - 1] = far;
        }
        let mut best = cur[0];
        for j in lo..=hi {
            let cost = usize::from(*ca != b[j - 1]);
            let d = (prev[j - 1] + cost)
                .min(prev[j].saturating_add(1))
                .min(cur[j - 1].saturating_add(1))
                .min(far);
            cur[j] = d;
            best = best.min(d);
        }
        if hi < b.len() {
            cur[hi + 1] = far;
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a plausible typo.
#[must_use]
pub fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_lowercase();
    candidates
        .filter_map(|c| {
            let limit = (c.len().max(name.len()) / 3).max(2);
            Some((edit_distance_within(&lower, &c.to_lowercase(), limit)?, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// The lines of `text` as [`str::lines`] gives them (a `\r` before each `\n` dropped), found with
/// a vectorised byte search: the bundled data files are megabytes with short lines, and indexing
/// them is part of every run's startup.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).map(Some).chain(std::iter::once(None)).filter_map(
        move |newline| {
            let line = match newline {
                Some(end) => text[start..end].strip_suffix('\r').unwrap_or(&text[start..end]),
                // The text after the last `\n`, when there is any.
                None if start < text.len() => &text[start..],
                None => return None,
            };
            start = newline.map_or(text.len(), |end| end + 1);
            Some(line)
        },
    )
}

/// The line of `text` that holds byte `at`, without its line end, and the offsets of its first
/// byte and of the byte after its `\n` (or the end of `text`).
pub(crate) fn line_at(text: &str, at: usize) -> (&str, usize, usize) {
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |n| n + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |n| at + n);
    let line = &text[start..end];
    (line.strip_suffix('\r').unwrap_or(line), start, (end + 1).min(text.len()))
}

/// The offset of the first line of `text` (sorted lines) for which `before` is false; `before`
/// must be true for a prefix of the lines and false for the rest.
pub(crate) fn partition_lines(text: &str, before: impl Fn(&str) -> bool) -> usize {
    // Invariant: every line starting before `lo` is before, every line starting at or after `hi`
    // is not, and `lo`, `hi` are line starts.
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let (line, start, next) = line_at(text, lo + (hi - lo) / 2);
        if before(line) {
            lo = next;
        } else {
            hi = start;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisecting_sorted_lines_finds_the_first_line_not_before() {
        for text in ["", "b\n", "b", "a\nb\nc\n", "a\r\nb\r\nc\r\n", "a\nbb\nbbb\nc", "x\ny\nz\n"] {
            for key in ["", "a", "b", "bb", "c", "d", "y"] {
                let at = partition_lines(text, |line| line < key);
                let expected: usize =
                    text.split_inclusive('\n').take_while(|l| l.trim_end() < key).map(str::len).sum();
                assert_eq!(at, expected, "{text:?} {key:?}");
                if at < text.len() {
                    let (line, start, _) = line_at(text, at);
                    assert_eq!(start, at);
                    assert!(line >= key && !line.ends_with('\r'), "{text:?} {key:?}");
                }
            }
        }
    }

    #[test]
    fn data_lines_are_str_lines() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\nx\n\n", "a\r", "x\ry\n", "\r\n"] {
            assert_eq!(data_lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "sagemaker:InvokeEndpoint",
            "sagemaker:InvokeEndpoints",
            "sagemaker:invokeendpointasync",
            "logs:PutLogEvent",
            "logs:PutLogEvents",
            "s3:GetObject",
            "s3:Get",
            "ééa",
            "aéé",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for limit in 0..=8 {
                    let want = (full <= limit).then_some(full);
                    assert_eq!(edit_distance_within(a, b, limit), want, "{a:?} {b:?} limit {limit}");
                }
                assert_eq!(edit_distance_within(a, b, usize::MAX), Some(full), "{a:?} {b:?}");
            }
        }
    }
}
