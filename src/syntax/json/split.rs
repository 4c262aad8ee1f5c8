//! A large JSON template parsed on two threads, with the tree and findings of a parse on one.
//!
//! Almost all of a large template is its `Resources` object. Its members are split near the
//! middle of the text: this thread parses the document up to the key of one member and stops
//! there, another parses from that key to the end, and the two halves are joined. JSON strings
//! hold no raw newline, so the split is found by layout alone: a line that starts with a key
//! indented like the object's first one, after a line ending in a comma. The parse bears it out
//! or not: only a key this thread reaches, directly in the root's `Resources`, is a split.
//! Anything else (no such line, a miss, any syntax problem or a key in both halves) gives the
//! parse on one thread, so every message and span is that parse's.

use std::collections::HashSet;

use super::{BOM, Entry, Node, NodeKind, Parsed, Parser, Span, parse_document, parse_json};

/// Texts from this size up are split: a thread costs far less than parsing half of this.
pub const SPLIT_FROM: usize = 256 * 1024;

/// The split threads' stack, as the parsing workers': the parse recurses once per level.
const STACK: usize = 16 * 1024 * 1024;

/// Where a parse is split: the root's `Resources` object, and the key of one of its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Split {
    pub(super) object: usize,
    pub(super) member: usize,
}

/// What the second thread parsed: the split object's members from the split on, and the root's
/// members after that object, with where each object ends.
struct Tail {
    members: Vec<Entry>,
    object_end: usize,
    root_members: Vec<Entry>,
    root_end: usize,
}

/// Parses `text` as [`parse_json`] does, the second half of a large template's `Resources` on
/// another thread (a worker of the current rayon pool when called on one, else a new thread).
#[must_use]
pub fn parse_json_on_two_threads(text: &str) -> Parsed {
    match split_point(text) {
        Some(split) if text.len() >= SPLIT_FROM => parse_split(text, split),
        _ => parse_json(text),
    }
}

/// [`parse_json_on_two_threads`] at any size, for the fuzz target that holds the split parse to
/// the parse on one thread on any text.
#[doc(hidden)]
#[must_use]
pub fn parse_json_split_at_any_size(text: &str) -> Parsed {
    match split_point(text) {
        Some(split) => parse_split(text, split),
        None => parse_json(text),
    }
}

/// The parse of `text`, split at `split` when the text bears it out.
fn parse_split(text: &str, split: Split) -> Parsed {
    let head = || {
        let mut parser = Parser::new(text);
        parser.stop_at = Some(split);
        let parsed = parse_document(&mut parser);
        (parsed, parser.stopped)
    };
    let ((parsed, stopped), tail) = both(head, || tail(text, split));
    if !stopped {
        // The head never met the split: it parsed the whole text, as one thread would.
        return parsed;
    }
    let joined = match (parsed, tail) {
        (Parsed { root: Some(root), errors }, Some(tail)) if errors.is_empty() => join(root, split, tail),
        _ => None,
    };
    joined.unwrap_or_else(|| parse_json(text))
}

/// Runs both closures, the second on another thread when one can be had.
fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> Option<B> + Send,
) -> (A, Option<B>) {
    if rayon::current_thread_index().is_some() {
        return rayon::join(a, b);
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, b);
        let a = a();
        // A thread that could not start, or panicked, leaves the parse to one thread.
        (a, handle.ok().and_then(|h| h.join().ok()).flatten())
    })
}

/// Parses from the split's key to the end of the text, as the parse on one thread continues
/// there: inside the root object and its `Resources`. `None` on any problem.
fn tail(text: &str, split: Split) -> Option<Tail> {
    let root_start = root_start(text.as_bytes())?;
    let mut parser = Parser::new(text);
    parser.open = vec![(b'{', root_start), (b'{', split.object)];
    parser.pos = split.member;
    let object = parser.object_members(split.object).ok()?;
    let object_end = parser.pos;
    parser.skip_ws();
    let root = match parser.peek() {
        Some(b',') => {
            parser.after_comma(b'}').ok()?;
            parser.object_members(root_start).ok()?
        }
        Some(b'}') => {
            parser.pos += 1;
            Node::new(NodeKind::Map(Vec::new()), Span::from_range(root_start, parser.pos))
        }
        _ => return None,
    };
    let root_end = parser.pos;
    parser.skip_ws();
    if !parser.at_end() || !parser.errors.is_empty() {
        return None;
    }
    let (NodeKind::Map(members), NodeKind::Map(root_members)) = (object.kind, root.kind) else { return None };
    Some(Tail { members, object_end, root_members, root_end })
}

/// The head's tree with the tail's members appended; `None` when a key is in both halves (the
/// parse on one thread reports it).
fn join(mut root: Node, split: Split, tail: Tail) -> Option<Parsed> {
    let NodeKind::Map(root_members) = &mut root.kind else { return None };
    let object = &mut root_members.last_mut()?.value;
    if object.span.start as usize != split.object {
        return None;
    }
    let NodeKind::Map(members) = &mut object.kind else { return None };
    if shares_a_key(members, &tail.members) {
        return None;
    }
    members.extend(tail.members);
    object.span = Span::from_range(split.object, tail.object_end);
    if shares_a_key(root_members, &tail.root_members) {
        return None;
    }
    root_members.extend(tail.root_members);
    root.span = Span::from_range(root.span.start as usize, tail.root_end);
    Some(Parsed { root: Some(root), errors: Vec::new() })
}

fn shares_a_key(head: &[Entry], tail: &[Entry]) -> bool {
    let keys: HashSet<&str> = head.iter().map(|e| e.key.as_str()).collect();
    tail.iter().any(|e| keys.contains(e.key.as_str()))
}

/// Where to split `text`, guessed from its layout (see the module's documentation).
fn split_point(text: &str) -> Option<Split> {
    let bytes = text.as_bytes();
    let start = root_start(bytes)?;
    let key = start + memchr::memmem::find(&bytes[start..], b"\"Resources\"")?;
    let colon = skip_space(bytes, key + "\"Resources\"".len());
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    let object = skip_space(bytes, colon + 1);
    let first_key = skip_space(bytes, object + 1);
    if bytes.get(object) != Some(&b'{') || bytes.get(first_key) != Some(&b'"') {
        return None;
    }
    let line_start = object + 1 + memchr::memrchr(b'\n', &bytes[object + 1..first_key])? + 1;
    let mut line = b"\n".to_vec();
    line.extend_from_slice(&bytes[line_start..first_key]);
    line.push(b'"');
    let middle = object + (bytes.len() - object) / 2;
    let newline =
        memchr::memmem::find_iter(&bytes[middle..], &line).map(|at| middle + at).find(|&newline| {
            let before = &bytes[..newline];
            before.strip_suffix(b"\r").unwrap_or(before).last() == Some(&b',')
        })?;
    Some(Split { object, member: newline + line.len() - 1 })
}

/// Where the root value starts: after a byte-order mark and whitespace; `None` unless an object.
fn root_start(bytes: &[u8]) -> Option<usize> {
    let from = if bytes.starts_with(BOM.as_bytes()) { BOM.len() } else { 0 };
    let start = skip_space(bytes, from);
    (bytes.get(start) == Some(&b'{')).then_some(start)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pretty-printed template of `n` resources, with `extra` spliced into the last one.
    fn template(n: usize, extra: &str) -> String {
        let resources: Vec<String> = (0..n)
            .map(|i| {
                let body = if i + 1 == n { extra } else { "" };
                format!("    \"Fn{i}\": {{\n      \"Type\": \"AWS::Lambda::Function\",\n      \"Properties\": {{\"Handler\": \"app.h{i}\"{body}}}\n    }}")
            })
            .collect();
        format!(
            "{{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {{\n{}\n  }},\n  \"Outputs\": {{\"A\": {{\"Value\": \"x\"}}}}\n}}\n",
            resources.join(",\n")
        )
    }

    fn split_of(text: &str) -> Split {
        split_point(text).expect("a pretty-printed template splits")
    }

    #[test]
    fn the_split_parse_is_the_parse_on_one_thread() {
        let text = template(200, "");
        let split = split_of(&text);
        assert!(split.member > text.len() / 3 && text[split.member..].starts_with("\"Fn"), "{split:?}");
        let mut head = Parser::new(&text);
        head.stop_at = Some(split);
        let _ = parse_document(&mut head);
        assert!(head.stopped && tail(&text, split).is_some(), "both halves parse");
        let parsed = parse_split(&text, split);
        assert_eq!(parsed, parse_json(&text));
        let root = parsed.root.expect("a tree");
        assert_eq!(root.get("Resources").map(|r| r.entries().len()), Some(200));
        assert!(root.get("Outputs").is_some());
    }

    #[test]
    fn problems_in_either_half_are_reported_as_on_one_thread() {
        let broken_tail = template(200, ", \"Handler\": tru");
        let duplicate_in_tail = template(200, ", \"Handler\": \"again\"");
        let mut across = template(200, "");
        // The last resource takes the first one's name: a key in both halves.
        let last = across.rfind("\"Fn199\"").expect("last resource");
        across.replace_range(last..last + 7, "\"Fn0\"  ");
        let broken_head = template(200, "").replacen("\": \"2010", "\"! \"2010", 1);
        for text in [broken_tail, duplicate_in_tail, across, broken_head] {
            let split = split_of(&text);
            let expected = parse_json(&text);
            assert!(!expected.errors.is_empty(), "each text has a problem");
            assert_eq!(parse_split(&text, split), expected);
        }
    }

    #[test]
    fn a_guess_the_parse_does_not_bear_out_costs_nothing_but_time() {
        let text = template(200, "");
        let split = split_of(&text);
        // Inside a string, inside a nested object, past the end of `Resources`: never reached.
        for member in [
            split.member + 1,
            text.find("\"Type\"").expect("a type"),
            text.rfind("\"A\"").expect("an output"),
        ] {
            let guess = Split { member, ..split };
            assert_eq!(parse_split(&text, guess), parse_json(&text), "{guess:?}");
        }
        // A root array, and a `Resources` that is not the root's.
        let nested = format!("{{\"Metadata\": {text}}}");
        assert_eq!(parse_json_on_two_threads(&nested), parse_json(&nested));
        let array = format!("[{text}]");
        if let Some(split) = split_point(&array) {
            assert_eq!(parse_split(&array, split), parse_json(&array));
        }
    }

    #[test]
    fn minified_or_small_texts_are_parsed_on_one_thread() {
        let minified: String = template(50, "").split_whitespace().collect();
        assert_eq!(split_point(&minified), None);
        assert_eq!(parse_json_on_two_threads(&minified), parse_json(&minified));
    }
}
