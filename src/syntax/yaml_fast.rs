//! A fast YAML scanner for the block-style subset that CloudFormation and SAM templates use. It
//! produces exactly the events, values and (byte) spans that `saphyr-parser` gives for the same
//! text, and declines (returns `None`) on anything it was not built to reproduce, in which case
//! the caller runs saphyr. saphyr costs ~170 instructions per byte; this scanner about 30.
//!
//! Accepted: one document (optional leading `---`, optional trailing `...`, optional leading
//! BOM) whose root is a block mapping; block mappings and sequences (compact `- k: v`, `- - x`,
//! sequences at their parent key's column, a value on the line below its key); keys that are
//! plain or quoted scalars on one line; plain, single- and double-quoted scalars on one line;
//! block scalars `|` `>` with `+`/`-` chomping and detected indentation; flow sequences and
//! mappings, also across lines, with one-pair mappings in sequences (`[a, k: v]`); tags `!name`,
//! `!!name` and `!`; comments and blank lines; tabs inside quoted and block scalars and comments.
//!
//! Declined: other tabs, carriage returns, NUL, a BOM after the start, anchors, aliases,
//! directives, complex keys, multi-line plain or quoted scalars, explicit indentation indicators,
//! empty block scalars, empty flow entries or values, trailing commas in flow mappings, adjacent
//! `:` values, a second document, and every construct saphyr rejects.
//! Columns are byte offsets from the line start: every column compared is preceded only by ASCII
//! (indentation, `- `), so it equals saphyr's character column.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle, Tag};

/// An event with its byte span, in saphyr's order.
pub(super) type Spanned<'a> = (Event<'a>, u32, u32);

/// Deeper nesting is left to saphyr and the builder's depth limits.
const MAX_DEPTH: usize = 100;
/// saphyr stops treating a scalar as a possible key 1024 characters after its start; keys up to
/// this many bytes (hence characters) are far from that.
const MAX_KEY: usize = 1000;

/// The events of `text`, or `None` when `text` is outside the accepted subset.
pub(super) fn events(text: &str) -> Option<Vec<Spanned<'_>>> {
    let bytes = text.as_bytes();
    if u32::try_from(bytes.len()).is_err() || memchr::memchr2(b'\r', 0, bytes).is_some() {
        return None;
    }
    let origin = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    if memchr::memmem::find(&bytes[origin..], b"\xEF\xBB\xBF").is_some() {
        return None;
    }
    let mut scanner =
        Scanner { text, bytes, origin, events: Vec::with_capacity(bytes.len() / 12 + 8), depth: 0 };
    scanner.document()?;
    Some(scanner.events)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// Where the first line's columns start: saphyr does not count a BOM as a column.
    origin: usize,
    events: Vec<Spanned<'a>>,
    depth: usize,
}

/// What stopped a plain scalar.
#[derive(PartialEq, Eq)]
enum Stop {
    /// End of line or text.
    Eol,
    /// ` #`.
    Comment,
    /// `:` as a value indicator (at the returned position).
    Colon,
    /// A flow indicator inside a flow collection.
    Flow,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// A tag read before a node: the tag and its span.
type TagAt = (Tag, usize, usize);

fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// Characters accepted in a tag name (a safe subset of YAML's tag characters).
fn is_tag_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.')
}

fn quote_style(quote: u8) -> ScalarStyle {
    if quote == b'"' { ScalarStyle::DoubleQuoted } else { ScalarStyle::SingleQuoted }
}

fn event_span(start: usize, end: usize) -> (u32, u32) {
    // `events` refused texts whose length does not fit in u32.
    (start as u32, end as u32)
}

impl<'a> Scanner<'a> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn space_before(&self, i: usize) -> bool {
        i.checked_sub(1).and_then(|p| self.at(p)) == Some(b' ')
    }

    /// Space, line break or end of text.
    fn blank_or_end(&self, i: usize) -> bool {
        matches!(self.at(i), None | Some(b' ' | b'\n'))
    }

    fn push(&mut self, event: Event<'a>, start: usize, end: usize) {
        let (s, e) = event_span(start, end);
        self.events.push((event, s, e));
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn col(&self, i: usize) -> usize {
        let line_start = memchr::memrchr(b'\n', &self.bytes[..i]).map_or(self.origin, |n| n + 1);
        i.saturating_sub(line_start)
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.at(i) == Some(b' ') {
            i += 1;
        }
        i
    }

    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[i..]).map_or(self.bytes.len(), |n| i + n)
    }

    /// From the end of a token: spaces and a comment (which needs a space before it, as saphyr
    /// requires after most tokens), then the line must end. Returns the line break's position.
    fn eol(&self, i: usize) -> Option<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            None | Some(b'\n') => Some(j),
            Some(b'#') if j > i || self.space_before(j) => Some(self.line_end(j)),
            _ => None,
        }
    }

    /// saphyr's span end for a closing quote or a flow indicator: trailing spaces and a comment
    /// on the same line belong to the token.
    fn token_end(&self, i: usize) -> Option<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            Some(b'#') if j > i => Some(self.line_end(j)),
            Some(b'#') => None,
            _ => Some(j),
        }
    }

    /// The next token at or after `i`, past spaces, line breaks and comments; the text's length
    /// at its end. Callers have checked that any comment here is well separated.
    fn next_token(&self, mut i: usize) -> usize {
        loop {
            match self.at(i) {
                Some(b' ' | b'\n') => i += 1,
                Some(b'#') => i = self.line_end(i),
                _ => return i,
            }
        }
    }

    /// `---` or `...` at the start of a line, followed by a blank or the end.
    fn marker(&self, i: usize) -> Option<&'static [u8]> {
        let marker: &'static [u8] = match self.bytes.get(i..i + 3)? {
            b"---" => b"---",
            b"..." => b"...",
            _ => return None,
        };
        (self.blank_or_end(i + 3) && self.col(i) == 0).then_some(marker)
    }

    /// The end of the text or a document marker: every block collection ends here.
    fn ends_all(&self, i: usize) -> bool {
        i >= self.bytes.len() || self.marker(i).is_some()
    }

    fn is_dash(&self, i: usize) -> bool {
        self.at(i) == Some(b'-') && self.blank_or_end(i + 1)
    }

    /// After a node that ends its line, a more indented line would continue or break it.
    fn not_deeper(&self, next: usize, col: usize) -> Option<usize> {
        (self.ends_all(next) || self.col(next) <= col).then_some(next)
    }

    fn document(&mut self) -> Option<()> {
        let len = self.bytes.len();
        self.push(Event::StreamStart, 0, 0);
        let mut pos = self.next_token(self.origin);
        if pos >= len {
            return None;
        }
        match self.marker(pos) {
            Some(b"---") => {
                self.push(Event::DocumentStart(true), pos, pos + 3);
                pos = self.next_token(self.eol(pos + 3)?);
                if self.ends_all(pos) {
                    return None;
                }
            }
            Some(_) => return None,
            None => self.push(Event::DocumentStart(false), pos, pos),
        }
        let next = self.block_mapping(pos, self.col(pos), None, pos)?;
        if next < len {
            if self.marker(next) != Some(b"...") {
                return None;
            }
            self.push(Event::DocumentEnd, next, next + 3);
            if self.next_token(self.eol(next + 3)?) < len {
                return None;
            }
        } else {
            self.push(Event::DocumentEnd, len, len);
        }
        self.push(Event::StreamEnd, len, len);
        Some(())
    }

    /// A block mapping whose first key starts at `key` (column `col`). Returns the next token.
    fn block_mapping(&mut self, key: usize, col: usize, tag: Option<TagAt>, start: usize) -> Option<usize> {
        self.enter()?;
        self.push(Event::MappingStart(0, tag.map(|t| Cow::Owned(t.0))), start, key);
        let mut pos = key;
        let next = loop {
            let colon = self.block_key(pos)?;
            let next = self.block_value(colon, col)?;
            if self.ends_all(next) || self.col(next) < col {
                break next;
            }
            if self.col(next) > col || self.is_dash(next) {
                return None;
            }
            pos = next;
        };
        self.push(Event::MappingEnd, next, next);
        self.depth -= 1;
        Some(next)
    }

    /// A key at `i` (quoted, or plain and stopped by a `:` indicator): its value, style, end, and
    /// where the `:` should be (a quoted key's is only checked by the caller).
    fn key_before_colon(&self, i: usize, flow: bool) -> Option<(Cow<'a, str>, ScalarStyle, usize, usize)> {
        match self.at(i)? {
            q @ (b'\'' | b'"') => {
                let (value, close) = self.quoted(i, q)?;
                let colon = self.skip_spaces(close);
                Some((value, quote_style(q), colon, colon))
            }
            _ if self.plain_start(i, flow) => {
                let (end, stop, how) = self.scan_plain(i, flow)?;
                (how == Stop::Colon)
                    .then(|| (Cow::Borrowed(&self.text[i..end]), ScalarStyle::Plain, end, stop))
            }
            _ => None,
        }
    }

    /// A key at `i` followed by `:` and a blank; pushes the key and returns the colon.
    fn block_key(&mut self, i: usize) -> Option<usize> {
        let (value, style, end, colon) = self.key_before_colon(i, false)?;
        if self.at(colon) != Some(b':') || !self.blank_or_end(colon + 1) || colon - i > MAX_KEY {
            return None;
        }
        self.push(Event::Scalar(value, style, 0, None), i, end);
        Some(colon)
    }

    /// Whether a key (plain or quoted, then `: `) starts at `i`, without pushing anything.
    fn is_key(&self, i: usize) -> bool {
        match self.at(i) {
            Some(q @ (b'\'' | b'"')) => self.quoted(i, q).is_some_and(|(_, close)| {
                let colon = self.skip_spaces(close);
                self.at(colon) == Some(b':') && self.blank_or_end(colon + 1)
            }),
            _ => self.plain_start(i, false) && matches!(self.scan_plain(i, false), Some((_, _, Stop::Colon))),
        }
    }

    /// The value after the `:` at `colon` of a key in a mapping at column `col`.
    fn block_value(&mut self, colon: usize, col: usize) -> Option<usize> {
        let i = self.skip_spaces(colon + 1);
        if matches!(self.at(i), None | Some(b'\n' | b'#')) {
            let next = self.next_token(self.eol(colon + 1)?);
            return self.node_below(next, col, None, colon, true);
        }
        self.inline_node(i, col, true)
    }

    /// The node of an entry whose line has nothing more (after its key, dash or tag): a block
    /// collection on the following lines, or an empty scalar at `empty` (at the tag if tagged).
    fn node_below(
        &mut self,
        next: usize,
        col: usize,
        tag: Option<TagAt>,
        empty: usize,
        in_map: bool,
    ) -> Option<usize> {
        if !self.ends_all(next) {
            let ncol = self.col(next);
            let start = tag.as_ref().map_or(next, |t| t.1);
            if ncol > col {
                return if self.is_dash(next) {
                    self.block_sequence(next, ncol, tag, start, false)
                } else if tag.is_some() || self.is_key(next) {
                    self.block_mapping(next, ncol, tag, start)
                } else {
                    self.inline_node(next, col, in_map)
                };
            }
            if ncol == col && in_map && self.is_dash(next) {
                return self.block_sequence(next, ncol, tag, start, true);
            }
        }
        let (tag, start, end) = match tag {
            Some((tag, start, end)) => (Some(Cow::Owned(tag)), start, end),
            None => (None, empty, empty),
        };
        self.push(Event::Scalar(Cow::Borrowed(""), ScalarStyle::Plain, 0, tag), start, end);
        Some(next)
    }

    /// A node starting at `i` on the line of its key or dash, inside a collection at `col`.
    fn inline_node(&mut self, i: usize, col: usize, in_map: bool) -> Option<usize> {
        let start = i;
        let mut i = i;
        let mut tag = None;
        if self.at(i) == Some(b'!') {
            let (t, end) = self.tag(i)?;
            i = self.skip_spaces(end);
            if matches!(self.at(i), None | Some(b'\n' | b'#')) {
                let next = self.next_token(self.eol(end)?);
                return self.node_below(next, col, Some((t, start, end)), start, in_map);
            }
            tag = Some(t);
        }
        let tag = tag.map(Cow::Owned);
        let end = match self.at(i)? {
            b'[' | b'{' => {
                let end = self.flow_collection(i, start, tag, col + 1)?;
                self.eol(end)?
            }
            b'|' | b'>' => {
                let end = self.block_scalar(i, col, tag, start)?;
                return self.not_deeper(self.next_token(end), col);
            }
            q @ (b'\'' | b'"') => {
                let (value, close) = self.quoted(i, q)?;
                let end = self.eol(close)?;
                let style = quote_style(q);
                self.push(Event::Scalar(value, style, 0, tag), start, end);
                end
            }
            _ if self.plain_start(i, false) => {
                let (_, stop) = self.plain_value(i, false, tag, start)?;
                self.eol(stop)?
            }
            _ => return None,
        };
        self.not_deeper(self.next_token(end), col)
    }

    /// A plain scalar at `i` that is a value, not a key: pushes it (its node from `start`, at its
    /// tag) and returns its end and where the scan stopped.
    fn plain_value(
        &mut self,
        i: usize,
        flow: bool,
        tag: Option<Cow<'a, Tag>>,
        start: usize,
    ) -> Option<(usize, usize)> {
        let (end, stop, how) = self.scan_plain(i, flow)?;
        if how == Stop::Colon {
            return None;
        }
        self.push(Event::Scalar(Cow::Borrowed(&self.text[i..end]), ScalarStyle::Plain, 0, tag), start, end);
        Some((end, stop))
    }

    /// After `-` and its spaces (and a comment): saphyr's position of the entry.
    fn entry(&self, dash: usize) -> usize {
        let i = self.skip_spaces(dash + 1);
        if self.at(i) == Some(b'#') { self.line_end(i) } else { i }
    }

    /// A block sequence whose first `-` is at `dash` (column `col`). An indentless sequence (at
    /// its parent key's column) starts at its first entry, others at the dash.
    fn block_sequence(
        &mut self,
        dash: usize,
        col: usize,
        tag: Option<TagAt>,
        start: usize,
        indentless: bool,
    ) -> Option<usize> {
        self.enter()?;
        let mut entry = self.entry(dash);
        let (start, end) = match (&tag, indentless) {
            (Some(_), true) => (start, entry),
            (None, true) => (entry, entry),
            (_, false) => (start, dash),
        };
        self.push(Event::SequenceStart(0, tag.map(|t| Cow::Owned(t.0))), start, end);
        let next = loop {
            let next = self.sequence_item(entry, col)?;
            if self.ends_all(next) || self.col(next) < col {
                break next;
            }
            if self.col(next) > col {
                return None;
            }
            if !self.is_dash(next) {
                if indentless {
                    break next;
                }
                return None;
            }
            entry = self.entry(next);
        };
        self.push(Event::SequenceEnd, next, next);
        self.depth -= 1;
        Some(next)
    }

    fn sequence_item(&mut self, entry: usize, col: usize) -> Option<usize> {
        if matches!(self.at(entry), None | Some(b'\n')) {
            let next = self.next_token(entry);
            return self.node_below(next, col, None, entry, false);
        }
        if self.is_dash(entry) {
            return self.block_sequence(entry, self.col(entry), None, entry, false);
        }
        if self.is_key(entry) {
            return self.block_mapping(entry, self.col(entry), None, entry);
        }
        self.inline_node(entry, col, false)
    }

    /// A tag at `i` (`!name`, `!!name` or `!`) followed by a blank. Returns it and its end.
    fn tag(&self, i: usize) -> Option<(Tag, usize)> {
        let secondary = self.at(i + 1) == Some(b'!');
        let name_start = if secondary { i + 2 } else { i + 1 };
        let mut end = name_start;
        while self.at(end).is_some_and(is_tag_name) {
            end += 1;
        }
        if !self.blank_or_end(end) {
            return None;
        }
        let suffix = &self.text[name_start..end];
        let tag = match (secondary, suffix.is_empty()) {
            (true, true) => return None,
            (true, false) => Tag { handle: "tag:yaml.org,2002:".to_owned(), suffix: suffix.to_owned() },
            (false, true) => Tag { handle: String::new(), suffix: "!".to_owned() },
            (false, false) => Tag { handle: "!".to_owned(), suffix: suffix.to_owned() },
        };
        Some((tag, end))
    }

    /// Whether a plain scalar may start at `i` (conservatively: no indicator starts one).
    fn plain_start(&self, i: usize, flow: bool) -> bool {
        match self.at(i) {
            Some(b'-') => !(self.blank_or_end(i + 1) || flow && self.at(i + 1).is_some_and(is_flow)),
            // `:x` and `?x` are plain in block context (`- :lambda:path/...` in ARNs).
            Some(b':' | b'?') => !flow && !self.blank_or_end(i + 1) && self.at(i + 1) != Some(b'\t'),
            Some(c) => !matches!(
                c,
                b' ' | b'\t'
                    | b'\n'
                    | b'#'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b','
                    | b'*'
                    | b'&'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            ),
            None => false,
        }
    }

    /// A plain scalar on one line from `i`: (end of its text, where scanning stopped, why).
    fn scan_plain(&self, start: usize, flow: bool) -> Option<(usize, usize, Stop)> {
        let mut i = start;
        let mut end = start;
        let how = loop {
            let Some(c) = self.at(i) else { break Stop::Eol };
            match c {
                b'\n' => break Stop::Eol,
                b' ' => {
                    i += 1;
                    continue;
                }
                // A tab is a blank to saphyr (it may end the scalar or start a comment).
                b'\t' => return None,
                b'#' if self.space_before(i) => break Stop::Comment,
                b':' if self.blank_or_end(i + 1) || (flow && self.at(i + 1).is_some_and(is_flow)) => {
                    break Stop::Colon;
                }
                _ if flow && is_flow(c) => break Stop::Flow,
                // saphyr rejects `-` followed by a flow indicator after a blank in flow context.
                b'-' if flow && self.space_before(i) && self.at(i + 1).is_some_and(is_flow) => {
                    return None;
                }
                _ => {}
            }
            i += 1;
            end = i;
        };
        Some((end, i, how))
    }

    /// A quoted scalar on one line; returns its value and the position after the closing quote.
    fn quoted(&self, open: usize, quote: u8) -> Option<(Cow<'a, str>, usize)> {
        let bytes = self.bytes;
        let mut owned: Option<String> = None;
        let mut from = open + 1;
        let mut i = from;
        loop {
            let rel = if quote == b'\'' {
                memchr::memchr2(b'\'', b'\n', &bytes[i..])?
            } else {
                memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..])?
            };
            i += rel;
            match bytes[i] {
                b'\n' => return None,
                b'\'' if self.at(i + 1) == Some(b'\'') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[from..=i]);
                    i += 2;
                    from = i;
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[from..i]);
                    let (c, len) = self.escape(i + 1)?;
                    s.push(c);
                    i += 1 + len;
                    from = i;
                }
                _ => break,
            }
        }
        let value = match owned {
            Some(mut s) => {
                s.push_str(&self.text[from..i]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[from..i]),
        };
        Some((value, i + 1))
    }

    /// The escape after a backslash at `i - 1`: the character and how many bytes it used.
    fn escape(&self, i: usize) -> Option<(char, usize)> {
        let c = match self.at(i)? {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            x @ (b'x' | b'u' | b'U') => {
                let digits = match x {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.bytes.get(i + 1..i + 1 + digits)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                return Some((char::from_u32(code)?, 1 + digits));
            }
            _ => return None,
        };
        Some((c, 1))
    }

    /// A block scalar whose header is at `header`, in a collection at column `parent`; saphyr's
    /// algorithm (`scan_block_scalar`) restricted to auto-detected indentation and non-empty
    /// content. Returns where saphyr's scanner stops (past trailing blank lines and indentation).
    fn block_scalar(
        &mut self,
        header: usize,
        parent: usize,
        tag: Option<Cow<'a, Tag>>,
        start: usize,
    ) -> Option<usize> {
        let bytes = self.bytes;
        let len = bytes.len();
        let literal = bytes[header] == b'|';
        let mut i = header + 1;
        let chomp = match self.at(i) {
            Some(b'+') => Chomp::Keep,
            Some(b'-') => Chomp::Strip,
            _ => Chomp::Clip,
        };
        if chomp != Chomp::Clip {
            i += 1;
        }
        if self.at(i).is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        i = self.eol(i)?;
        if i >= len {
            return None;
        }
        i += 1;
        // Leading blank lines; the first content line sets the indentation.
        let mut breaks = 0usize;
        let mut max_indent = 0;
        let mut line = i;
        loop {
            i = self.skip_spaces(i);
            max_indent = max_indent.max(i - line);
            if self.at(i) != Some(b'\n') {
                break;
            }
            breaks += 1;
            i += 1;
            line = i;
        }
        let indent = max_indent.max(parent + 1);
        if i >= len || i - line < indent {
            return None;
        }
        let content_start = i;
        let mut value = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        let mut col = indent;
        while col == indent && i < len && bytes[i] != b'\n' {
            let trailing_blank = matches!(bytes[i], b' ' | b'\t');
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if breaks == 0 {
                    value.push(' ');
                }
            } else if leading_break {
                value.push('\n');
            }
            value.extend(std::iter::repeat_n('\n', breaks));
            leading_break = false;
            breaks = 0;
            leading_blank = trailing_blank;
            let end = self.line_end(i);
            value.push_str(&self.text[i..end]);
            col += self.text[i..end].chars().count();
            i = end;
            if i >= len {
                break;
            }
            i += 1;
            leading_break = true;
            // Indentation of the following lines, and blank lines.
            loop {
                let line = i;
                while i - line < indent && self.at(i) == Some(b' ') {
                    i += 1;
                }
                col = i - line;
                if self.at(i) != Some(b'\n') {
                    break;
                }
                breaks += 1;
                i += 1;
            }
        }
        if chomp != Chomp::Strip {
            if leading_break {
                value.push('\n');
            }
            if i >= len && col >= indent.max(1) {
                value.push('\n');
            }
        }
        if chomp == Chomp::Keep {
            value.extend(std::iter::repeat_n('\n', breaks));
        }
        let style = if literal { ScalarStyle::Literal } else { ScalarStyle::Folded };
        let start = if tag.is_some() { start } else { content_start };
        self.push(Event::Scalar(Cow::Owned(value), style, 0, tag), start, i);
        Some(i)
    }

    /// A flow collection opening at `open`; every token on a later line must be at column
    /// `min_col` or more (saphyr's indentation rule inside flow collections). Returns the end of
    /// the closing bracket's token.
    fn flow_collection(
        &mut self,
        open: usize,
        start: usize,
        tag: Option<Cow<'a, Tag>>,
        min_col: usize,
    ) -> Option<usize> {
        self.enter()?;
        let seq = self.bytes[open] == b'[';
        let close = if seq { b']' } else { b'}' };
        let tok_end = self.token_end(open + 1)?;
        let event = if seq { Event::SequenceStart(0, tag) } else { Event::MappingStart(0, tag) };
        self.push(event, start, tok_end);
        let mut i = self.flow_skip(tok_end, min_col)?;
        if self.at(i) != Some(close) {
            loop {
                // `[a, k: v]`: a single-pair mapping inside a flow sequence, ending at the `,`/`]`.
                let pair = seq && self.is_flow_pair(i);
                if pair {
                    self.push(Event::MappingStart(0, None), i, i);
                }
                if pair || !seq {
                    i = self.flow_key(i, min_col)?;
                }
                i = self.flow_node(i, min_col)?;
                i = self.flow_skip(i, min_col)?;
                if pair {
                    self.push(Event::MappingEnd, i, i);
                }
                match self.at(i)? {
                    b',' => {
                        i = self.flow_skip(self.token_end(i + 1)?, min_col)?;
                        if self.at(i) == Some(close) {
                            // saphyr ends a mapping with a trailing comma at the comma's span.
                            if !seq {
                                return None;
                            }
                            break;
                        }
                    }
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        let end = self.token_end(i + 1)?;
        self.push(if seq { Event::SequenceEnd } else { Event::MappingEnd }, i, end);
        self.depth -= 1;
        Some(end)
    }

    /// Spaces, line breaks and comments inside a flow collection; the next token must exist and
    /// respect `min_col` when it starts a line.
    fn flow_skip(&self, i: usize, min_col: usize) -> Option<usize> {
        let next = self.next_token(i);
        if next >= self.bytes.len() {
            return None;
        }
        let crossed_line = memchr::memchr(b'\n', &self.bytes[i..next]).is_some();
        (!crossed_line || self.col(next) >= min_col).then_some(next)
    }

    /// A flow mapping key followed by `: `; pushes the key and returns the value's position.
    fn flow_key(&mut self, i: usize, min_col: usize) -> Option<usize> {
        let (value, style, end, colon) = self.key_before_colon(i, true)?;
        if self.at(colon) != Some(b':') || !matches!(self.at(colon + 1), Some(b' ' | b'\n')) {
            return None;
        }
        self.push(Event::Scalar(value, style, 0, None), i, end);
        let next = self.flow_skip(colon + 1, min_col)?;
        (!matches!(self.at(next), Some(b',' | b'}' | b']'))).then_some(next)
    }

    /// Whether a plain key and `: ` start at `i` inside a flow sequence.
    fn is_flow_pair(&self, i: usize) -> bool {
        self.plain_start(i, true)
            && matches!(self.scan_plain(i, true), Some((_, colon, Stop::Colon)) if self.at(colon + 1) == Some(b' '))
    }

    /// A node inside a flow collection; returns the end of its last token.
    fn flow_node(&mut self, i: usize, min_col: usize) -> Option<usize> {
        let start = i;
        let mut i = i;
        let mut tag = None;
        if self.at(i) == Some(b'!') {
            let (t, end) = self.tag(i)?;
            i = self.flow_skip(end, min_col)?;
            tag = Some(Cow::Owned(t));
        }
        match self.at(i)? {
            b'[' | b'{' => self.flow_collection(i, start, tag, min_col),
            q @ (b'\'' | b'"') => {
                let (value, close) = self.quoted(i, q)?;
                let end = self.token_end(close)?;
                let style = quote_style(q);
                self.push(Event::Scalar(value, style, 0, tag), start, end);
                Some(end)
            }
            _ if self.plain_start(i, true) => self.plain_value(i, true, tag, start).map(|(end, _)| end),
            _ => None,
        }
    }
}
