//! Small text utilities: edit distance for "did you mean" suggestions (rules), and the escaping of
//! control characters that every text report applies to what it quotes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Levenshtein distance in characters.
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
