//! JSON → [`Node`] with byte spans: a strict RFC 8259 parser owned by the JSON loader.
//!
//! Hand-written rather than built on serde_json because rules need a byte span on every key and
//! value, duplicate keys must be reported (CloudFormation silently keeps one of them), nesting must
//! be bounded so hostile input cannot overflow the stack, and each error needs a short message
//! pointing at the offending byte.
//!
//! The first syntax error ends parsing (the tree is dropped); duplicate keys do not: they are
//! reported, the first entry is kept and parsing goes on.

use std::collections::HashMap;

use super::{Entry, Node, NodeKind, Parsed, SyntaxError, SyntaxKind, Text};
use crate::span::Span;

/// Deeper documents are refused: recursion is bounded by this, and no real template comes close.
pub const MAX_DEPTH: usize = 512;

const BOM: &str = "\u{feff}";

/// Objects up to this many members look for duplicate keys by scanning; larger ones use a hash map,
/// so a generated object with 100k keys stays linear.
const LINEAR_KEY_SCAN: usize = 16;

/// Parses JSON text into a span-preserving tree.
///
/// Empty or whitespace-only text yields no root and no error: whether that is a problem is the
/// caller's decision. Otherwise `errors` holds every duplicate key found and, when parsing stopped,
/// the one fatal error (then `root` is `None`).
///
/// ```
/// use sagelint::syntax::json::parse_json;
/// let text = r#"{"Handler": "app.main"}"#;
/// let root = parse_json(text).root.expect("valid JSON");
/// let entry = root.entry("Handler").expect("key present");
/// assert_eq!(&text[entry.key_span.start as usize..entry.key_span.end as usize], r#""Handler""#);
/// assert_eq!(entry.value.as_str(), Some("app.main"));
/// ```
#[must_use]
pub fn parse_json(text: &str) -> Parsed {
    let mut parser = Parser::new(text);
    if text.starts_with(BOM) {
        parser.pos = BOM.len();
    }
    parser.skip_ws();
    if parser.at_end() {
        return Parsed::default();
    }
    let result = parser.parse_value().and_then(|root| {
        parser.skip_ws();
        if parser.at_end() { Ok(root) } else { Err(parser.unexpected(Expected::EndOfInput)) }
    });
    match result {
        Ok(root) => Parsed { root: Some(root), errors: parser.errors },
        Err(fatal) => {
            parser.errors.push(fatal);
            Parsed { root: None, errors: parser.errors }
        }
    }
}

/// What the parser was looking for when it met an unexpected character; selects the message.
#[derive(Clone, Copy)]
enum Expected {
    Value,
    Key,
    Colon,
    AfterMember,
    AfterElement,
    EndOfInput,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Open brackets, innermost last, with their offsets: the depth, and the "unclosed" message.
    open: Vec<(u8, usize)>,
    /// Non-fatal problems (duplicate keys), in source order.
    errors: Vec<SyntaxError>,
    /// Built on first use: only error paths need line numbers.
    line_starts: Option<Vec<usize>>,
    /// Children of the open containers, innermost last. Collecting here and moving each finished
    /// container's children out at once gives one exact-size allocation per container instead of
    /// a chain of regrowths; allocation dominates parse time.
    items: Vec<Node>,
    members: Vec<Entry>,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            open: Vec::new(),
            errors: Vec::new(),
            line_starts: None,
            items: Vec::new(),
            members: Vec::new(),
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            // Indentation is most of a pretty-printed template's whitespace: the spaces among the
            // next eight bytes are counted at once before the byte-at-a-time step.
            while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
                let not_space =
                    u64::from_le_bytes(chunk.try_into().expect("a slice of eight bytes")) ^ SPACES;
                self.pos += (not_space.trailing_zeros() / 8) as usize;
                if not_space != 0 {
                    break;
                }
            }
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// Expects whitespace already skipped.
    fn parse_value(&mut self) -> Result<Node> {
        match self.peek() {
            None => Err(self.eof_error()),
            Some(b'{') => self.parse_object(),
            Some(b'[') => self.parse_array(),
            Some(b'"') => {
                let (s, span) = self.parse_string()?;
                Ok(Node::new(NodeKind::String(s), span))
            }
            Some(b't') => self.parse_literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.parse_literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.parse_literal("null", NodeKind::Null),
            Some(b'-' | b'0'..=b'9') => self.parse_number(),
            Some(_) => Err(self.unexpected(Expected::Value)),
        }
    }

    fn enter(&mut self, bracket: u8) -> Result<()> {
        if self.open.len() >= MAX_DEPTH {
            let mut error = self.error_here(format!("nesting deeper than {MAX_DEPTH} levels"));
            error.kind = SyntaxKind::TooDeep;
            return Err(error);
        }
        self.open.push((bracket, self.pos));
        self.pos += 1;
        Ok(())
    }

    fn parse_array(&mut self) -> Result<Node> {
        let start = self.pos;
        self.enter(b'[')?;
        let base = self.items.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                let item = self.parse_value()?;
                self.items.push(item);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.after_comma(b']')?,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected(Expected::AfterElement)),
                }
            }
        }
        self.open.pop();
        let items = self.items.drain(base..).collect();
        Ok(Node::new(NodeKind::Seq(items), Span::from_range(start, self.pos)))
    }

    fn parse_object(&mut self) -> Result<Node> {
        let start = self.pos;
        self.enter(b'{')?;
        let base = self.members.len();
        let mut index: Option<HashMap<Text, usize>> = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.unexpected(Expected::Key));
                }
                let (key, key_span) = self.parse_string()?;
                let first = find_key(&self.members[base..], &mut index, &key);
                if let Some(first) = first {
                    let line = self.line_of(self.members[base + first].key_span.start as usize);
                    self.errors.push(SyntaxError::recoverable(
                        SyntaxKind::DuplicateKey,
                        format!("duplicate key '{}' (first defined on line {line})", key.escape_debug()),
                        key_span,
                    ));
                }
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.unexpected(Expected::Colon));
                }
                self.pos += 1;
                self.skip_ws();
                let value = self.parse_value()?;
                if first.is_none() {
                    if let Some(index) = &mut index {
                        index.insert(key.clone(), self.members.len() - base);
                    }
                    self.members.push(Entry { key, key_span, value });
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.after_comma(b'}')?;
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected(Expected::AfterMember)),
                }
            }
        }
        self.open.pop();
        let entries = self.members.drain(base..).collect();
        Ok(Node::new(NodeKind::Map(entries), Span::from_range(start, self.pos)))
    }

    /// Consumes a separating comma and refuses it when the container closes right after.
    fn after_comma(&mut self, close: u8) -> Result<()> {
        let comma = self.pos;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(close) {
            return Err(SyntaxError::fatal(
                SyntaxKind::Syntax,
                "trailing comma is not allowed in JSON".to_owned(),
                Span::from_range(comma, comma + 1),
            ));
        }
        Ok(())
    }

    /// Returns the unescaped text and the span including both quotes.
    fn parse_string(&mut self) -> Result<(Text, Span)> {
        let start = self.pos;
        self.pos += 1;
        let run = self.pos;
        self.pos = self.plain_run_end(run);
        // Both ends of a run sit next to ASCII bytes (or the end of text), so they are char
        // boundaries.
        if self.peek() == Some(b'"') {
            // Most strings have no escape: the text is the run itself, kept in place when short.
            let text = Text::new(&self.text[run..self.pos]);
            self.pos += 1;
            return Ok((text, Span::from_range(start, self.pos)));
        }
        let mut out = self.text[run..self.pos].to_owned();
        loop {
            match self.peek() {
                None => return Err(self.unterminated_string(start)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((Text::from(out), Span::from_range(start, self.pos)));
                }
                Some(b'\\') => self.parse_escape(start, &mut out)?,
                Some(_) => return Err(self.error_here("control character in string".to_owned())),
            }
            let run = self.pos;
            self.pos = self.plain_run_end(run);
            out.push_str(&self.text[run..self.pos]);
        }
    }

    /// Where the run of string bytes that need no decoding, starting at `from`, stops: at a quote,
    /// a backslash, a control character or the end of text. Strings are most of a template's
    /// bytes, in runs too short (keys, code lines between `\n` escapes) for a vector search to pay
    /// for its call: eight bytes are tested at a time in a register instead.
    fn plain_run_end(&self, from: usize) -> usize {
        let mut pos = from;
        while let Some(chunk) = self.bytes.get(pos..pos + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("a slice of eight bytes"));
            let stops = string_stops(word);
            if stops != 0 {
                return pos + (stops.trailing_zeros() / 8) as usize;
            }
            pos += 8;
        }
        while self.peek_at(pos).is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20) {
            pos += 1;
        }
        pos
    }

    fn peek_at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn parse_escape(&mut self, string_start: usize, out: &mut String) -> Result<()> {
        let backslash = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            None => return Err(self.unterminated_string(string_start)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let c = self.parse_unicode_escape(string_start, backslash)?;
                out.push(c);
                return Ok(());
            }
            Some(_) => {
                let shown = self.char_here().map_or_else(String::new, |c| c.escape_debug().to_string());
                return Err(self.error_here(format!("invalid escape '\\{shown}' in string")));
            }
        };
        out.push(simple);
        self.pos += 1;
        Ok(())
    }

    /// After `\u`: one code point, pairing a high surrogate with the `\uDC00`–`\uDFFF` that must follow.
    fn parse_unicode_escape(&mut self, string_start: usize, backslash: usize) -> Result<char> {
        let lone = |unit: u32| {
            SyntaxError::fatal(
                SyntaxKind::Syntax,
                format!("lone surrogate '\\u{unit:04X}' in string"),
                Span::from_range(backslash, backslash + 1),
            )
        };
        let high = self.hex4(string_start)?;
        if (0xDC00..0xE000).contains(&high) {
            return Err(lone(high));
        }
        if !(0xD800..0xDC00).contains(&high) {
            return Ok(char::from_u32(high).expect("four hex digits outside the surrogate range are a char"));
        }
        if !self.bytes[self.pos..].starts_with(b"\\u") {
            return Err(lone(high));
        }
        self.pos += 2;
        let low = self.hex4(string_start)?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(lone(high));
        }
        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        Ok(char::from_u32(code).expect("a surrogate pair always decodes to a supplementary-plane char"))
    }

    fn hex4(&mut self, string_start: usize) -> Result<u32> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                None => return Err(self.unterminated_string(string_start)),
                Some(b) => char::from(b).to_digit(16),
            };
            let Some(digit) = digit else {
                return Err(self.error_here("invalid unicode escape: expected 4 hex digits".to_owned()));
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    fn parse_number(&mut self) -> Result<Node> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_here("invalid number: leading zeros are not allowed".to_owned()));
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.expected_digit("invalid number: expected a digit after '-'")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.expected_digit("invalid number: expected a digit after '.'"));
            }
            self.skip_digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.expected_digit("invalid number: expected a digit in the exponent"));
            }
            self.skip_digits();
        }
        let span = Span::from_range(start, self.pos);
        Ok(Node::new(NodeKind::Number(Text::new(&self.text[start..self.pos])), span))
    }

    fn skip_digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn expected_digit(&mut self, message: &str) -> SyntaxError {
        if self.at_end() { self.eof_error() } else { self.error_here(message.to_owned()) }
    }

    fn parse_literal(&mut self, word: &'static str, kind: NodeKind) -> Result<Node> {
        let start = self.pos;
        for &expected in word.as_bytes() {
            match self.peek() {
                None => return Err(self.eof_error()),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error_here(format!("invalid literal: expected '{word}'"))),
            }
        }
        Ok(Node::new(kind, Span::from_range(start, self.pos)))
    }

    fn char_here(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    /// An error covering the character at the current position (empty at the end of input).
    fn error_here(&self, message: String) -> SyntaxError {
        let len = self.char_here().map_or(0, char::len_utf8);
        SyntaxError::fatal(SyntaxKind::Syntax, message, Span::from_range(self.pos, self.pos + len))
    }

    fn unexpected(&mut self, expected: Expected) -> SyntaxError {
        let Some(c) = self.char_here() else {
            return self.eof_error();
        };
        let shown = c.escape_debug();
        let message = if c == '/' && matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*')) {
            "comments are not allowed in JSON".to_owned()
        } else if c == '\'' && matches!(expected, Expected::Value | Expected::Key) {
            "strings must use double quotes in JSON".to_owned()
        } else {
            match expected {
                Expected::Value if matches!(c, '}' | ']' | ',' | ':') => {
                    format!("expected a value, found '{c}'")
                }
                Expected::Value => format!("unexpected character '{shown}'"),
                Expected::Key if c.is_alphabetic() || c == '_' || c == '$' => {
                    "object keys must be double-quoted strings".to_owned()
                }
                Expected::Key => format!("expected a double-quoted object key, found '{shown}'"),
                Expected::Colon => "expected ':' after object key".to_owned(),
                Expected::AfterMember => "expected ',' or '}' after object member".to_owned(),
                Expected::AfterElement => "expected ',' or ']' after array element".to_owned(),
                Expected::EndOfInput => format!("unexpected character '{shown}' after the JSON value"),
            }
        };
        self.error_here(message)
    }

    fn eof_error(&mut self) -> SyntaxError {
        let message = match self.open.last().copied() {
            Some((bracket, at)) => format!(
                "unexpected end of input: unclosed '{}' opened at line {}",
                char::from(bracket),
                self.line_of(at)
            ),
            None => "unexpected end of input".to_owned(),
        };
        let end = self.bytes.len();
        SyntaxError::fatal(SyntaxKind::Syntax, message, Span::from_range(end, end))
    }

    fn unterminated_string(&mut self, start: usize) -> SyntaxError {
        let end = self.bytes.len();
        SyntaxError::fatal(
            SyntaxKind::Syntax,
            format!("unexpected end of input: unterminated string starting at line {}", self.line_of(start)),
            Span::from_range(end, end),
        )
    }

    /// 1-based line of a byte offset (lines end at `\n`, as in `SourceFile::line_col`).
    fn line_of(&mut self, offset: usize) -> usize {
        let bytes = self.bytes;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1))
                .collect()
        });
        starts.partition_point(|&s| s <= offset)
    }
}

/// Eight little-endian bytes, one bit per byte: `0x01` in each byte, and `0x80` in each byte.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const SPACES: u64 = ONES * b' ' as u64;

/// The high bit of each byte of `word` that is zero (exact: no carry crosses a byte, so no byte
/// is flagged because of its neighbour).
fn zero_bytes(word: u64) -> u64 {
    !(((word & !HIGHS) + !HIGHS) | word) & HIGHS
}

/// The high bit of each byte of `word` that ends a run of plain string bytes: `"`, `\` or a
/// control character (below 0x20: its low seven bits plus 0x60 stay below 0x80, and its high bit
/// is clear).
fn string_stops(word: u64) -> u64 {
    let control = !(((word & !HIGHS) + ONES * 0x60) | word) & HIGHS;
    zero_bytes(word ^ (ONES * u64::from(b'"'))) | zero_bytes(word ^ (ONES * u64::from(b'\\'))) | control
}

/// The index of an earlier entry with this key, switching to a hash map once the object is large.
fn find_key(entries: &[Entry], index: &mut Option<HashMap<Text, usize>>, key: &str) -> Option<usize> {
    if index.is_none() && entries.len() >= LINEAR_KEY_SCAN {
        let mut map = HashMap::with_capacity(entries.len() * 2);
        for (i, e) in entries.iter().enumerate() {
            map.insert(e.key.clone(), i);
        }
        *index = Some(map);
    }
    match index {
        Some(map) => map.get(key).copied(),
        None => entries.iter().position(|e| e.key == key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    fn ok(text: &str) -> Node {
        let parsed = parse_json(text);
        assert!(parsed.errors.is_empty(), "unexpected errors for {text:?}: {:?}", parsed.errors);
        parsed.root.expect("root")
    }

    /// The single fatal error: (message, span text, span start).
    fn err(text: &str) -> (String, Span) {
        let parsed = parse_json(text);
        assert!(parsed.root.is_none(), "expected failure for {text:?}");
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        let e = parsed.errors.into_iter().next().unwrap();
        (e.message, e.span)
    }

    #[test]
    fn eight_byte_tests_flag_exactly_the_bytes_a_byte_test_flags() {
        let stop = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for b in 0..=u8::MAX {
            for neighbour in [0, b' ', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff] {
                let word = u64::from_le_bytes([neighbour, b, neighbour, b, b, neighbour, neighbour, b]);
                let flagged: Vec<bool> =
                    (0..8).map(|i| (string_stops(word) >> (i * 8 + 7)) & 1 == 1).collect();
                let expected: Vec<bool> = word.to_le_bytes().iter().map(|&x| stop(x)).collect();
                assert_eq!(flagged, expected, "byte {b:#x} next to {neighbour:#x}");
            }
        }
    }

    #[test]
    fn spans_of_keys_and_values() {
        let text = "{\n  \"a\": [1, -2.5e+3, true, false, null],\n  \"b\": {\"c\": \"d\\n\"}\n}";
        let root = ok(text);
        assert_eq!(root.span, Span::from_range(0, text.len()));
        let a = root.entry("a").unwrap();
        assert_eq!(slice(text, a.key_span), "\"a\"");
        assert_eq!(slice(text, a.value.span), "[1, -2.5e+3, true, false, null]");
        let items = a.value.items();
        let texts: Vec<&str> = items.iter().map(|n| slice(text, n.span)).collect();
        assert_eq!(texts, ["1", "-2.5e+3", "true", "false", "null"]);
        assert_eq!(items[1].kind, NodeKind::Number("-2.5e+3".into()));
        assert_eq!(items[2].kind, NodeKind::Bool(true));
        assert_eq!(items[3].kind, NodeKind::Bool(false));
        assert_eq!(items[4].kind, NodeKind::Null);
        let b = root.entry("b").unwrap();
        assert_eq!(slice(text, b.value.span), "{\"c\": \"d\\n\"}");
        let c = b.value.entry("c").unwrap();
        assert_eq!(slice(text, c.key_span), "\"c\"");
        assert_eq!(slice(text, c.value.span), "\"d\\n\"");
        assert_eq!(c.value.as_str(), Some("d\n"));
    }

    #[test]
    fn scalars_at_top_level_and_entry_order() {
        assert_eq!(ok(" 0 ").kind, NodeKind::Number("0".into()));
        assert_eq!(ok("\"x\"").kind, NodeKind::String("x".into()));
        assert_eq!(ok("[]").kind, NodeKind::Seq(vec![]));
        assert_eq!(ok("{}").kind, NodeKind::Map(vec![]));
        let root = ok(r#"{"z":1,"a":2,"m":3}"#);
        let keys: Vec<&str> = root.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn numbers_follow_the_rfc_grammar() {
        for good in ["0", "-0", "10", "1.5", "-0.0e0", "1E5", "1e-5", "123456789012345678901234567890"] {
            assert_eq!(ok(good).kind, NodeKind::Number(good.into()), "{good}");
        }
        assert_eq!(err("01"), ("invalid number: leading zeros are not allowed".into(), Span::new(1, 2)));
        assert_eq!(err("-"), ("unexpected end of input".into(), Span::new(1, 1)));
        assert_eq!(err("-a"), ("invalid number: expected a digit after '-'".into(), Span::new(1, 2)));
        assert_eq!(err("1."), ("unexpected end of input".into(), Span::new(2, 2)));
        assert_eq!(err("[1.]"), ("invalid number: expected a digit after '.'".into(), Span::new(3, 4)));
        assert_eq!(err("[1e]"), ("invalid number: expected a digit in the exponent".into(), Span::new(3, 4)));
        assert_eq!(err("[1e+]").0, "invalid number: expected a digit in the exponent");
        assert_eq!(err(".5"), ("unexpected character '.'".into(), Span::new(0, 1)));
        assert_eq!(err("+1"), ("unexpected character '+'".into(), Span::new(0, 1)));
        assert_eq!(err("[1x]"), ("expected ',' or ']' after array element".into(), Span::new(2, 3)));
    }

    #[test]
    fn string_escapes() {
        let root = ok(r#""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u20AC\ud83d\ude00""#);
        assert_eq!(root.as_str(), Some("a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti\u{41}é€😀"));
        // Raw non-ASCII passes through; spans stay byte offsets.
        let text = r#"{"clé": "värde"}"#;
        let root = ok(text);
        let e = root.entry("clé").unwrap();
        assert_eq!(slice(text, e.key_span), "\"clé\"");
        assert_eq!(slice(text, e.value.span), "\"värde\"");
    }

    #[test]
    fn string_errors() {
        assert_eq!(err(r#""\ud800""#), ("lone surrogate '\\uD800' in string".into(), Span::new(1, 2)));
        assert_eq!(err(r#""\udc00""#), ("lone surrogate '\\uDC00' in string".into(), Span::new(1, 2)));
        assert_eq!(err(r#""\ud800\u0041""#).0, "lone surrogate '\\uD800' in string");
        assert_eq!(err(r#""\ud800x""#).0, "lone surrogate '\\uD800' in string");
        assert_eq!(
            err(r#""\u12G4""#),
            ("invalid unicode escape: expected 4 hex digits".into(), Span::new(5, 6))
        );
        assert_eq!(err(r#""\x""#), ("invalid escape '\\x' in string".into(), Span::new(2, 3)));
        assert_eq!(err("\"a\nb\""), ("control character in string".into(), Span::new(2, 3)));
        assert_eq!(err("\"a\tb\"").0, "control character in string");
        assert_eq!(
            err("\n\"abc"),
            ("unexpected end of input: unterminated string starting at line 2".into(), Span::new(5, 5))
        );
        assert_eq!(err(r#""\u12"#).0, "unexpected end of input: unterminated string starting at line 1");
        assert_eq!(err(r#""\"#).0, "unexpected end of input: unterminated string starting at line 1");
        assert_eq!(err("'a'"), ("strings must use double quotes in JSON".into(), Span::new(0, 1)));
    }

    #[test]
    fn bom_is_skipped_and_spans_count_it() {
        let text = "\u{feff}{\"a\": 1}";
        let root = ok(text);
        assert_eq!(root.span.start, 3);
        assert_eq!(slice(text, root.entry("a").unwrap().key_span), "\"a\"");
        let parsed = parse_json("\u{feff}  \n");
        assert!(parsed.root.is_none() && parsed.errors.is_empty());
        assert_eq!(err("[\u{feff}]"), ("unexpected character '\\u{feff}'".into(), Span::new(1, 4)));
    }

    #[test]
    fn empty_text_is_not_an_error() {
        for text in ["", " ", "\n\r\t "] {
            let parsed = parse_json(text);
            assert!(parsed.root.is_none() && parsed.errors.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_first_and_continue() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": {\"x\": 3}\n}";
        let parsed = parse_json(text);
        let root = parsed.root.expect("duplicates do not abort");
        assert_eq!(parsed.errors.len(), 1);
        let e = &parsed.errors[0];
        assert_eq!(e.message, "duplicate key 'a' (first defined on line 2)");
        assert_eq!(slice(text, e.span), "\"a\"");
        assert_eq!(e.span.start as usize, text.rfind("\"a\"").unwrap());
        assert_eq!(root.entries().len(), 2);
        assert_eq!(root.get("a").unwrap().kind, NodeKind::Number("1".into()));
    }

    #[test]
    fn duplicate_keys_in_large_objects_and_nested_objects() {
        use std::fmt::Write as _;
        let mut text = String::from("{");
        for i in 0..100 {
            writeln!(text, "\"k{i}\": {{\"k\": 1, \"k\": 2}},").unwrap();
        }
        text.push_str("\"k7\": 0}");
        let parsed = parse_json(&text);
        let root = parsed.root.unwrap();
        assert_eq!(root.entries().len(), 100);
        assert_eq!(parsed.errors.len(), 101);
        assert_eq!(parsed.errors[100].message, "duplicate key 'k7' (first defined on line 8)");
        // Escaped and raw spellings of one key are the same key.
        let parsed = parse_json(r#"{"A": 1, "\u0041": 2}"#);
        assert_eq!(parsed.errors[0].message, "duplicate key 'A' (first defined on line 1)");
    }

    #[test]
    fn duplicate_errors_are_kept_alongside_a_fatal_error() {
        let parsed = parse_json(r#"{"a": 1, "a": 2,"#);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.errors.len(), 2);
        assert!(parsed.errors[1].message.starts_with("unexpected end of input"));
    }

    #[test]
    fn structural_errors() {
        assert_eq!(
            err(r#"{"a": 1 "b": 2}"#),
            ("expected ',' or '}' after object member".into(), Span::new(8, 9))
        );
        assert_eq!(err(r#"{"a" 1}"#), ("expected ':' after object key".into(), Span::new(5, 6)));
        assert_eq!(err("[1 2]"), ("expected ',' or ']' after array element".into(), Span::new(3, 4)));
        assert_eq!(err(r#"{"a": 1,}"#), ("trailing comma is not allowed in JSON".into(), Span::new(7, 8)));
        assert_eq!(err("[1,\n ]"), ("trailing comma is not allowed in JSON".into(), Span::new(2, 3)));
        assert_eq!(err("{a: 1}"), ("object keys must be double-quoted strings".into(), Span::new(1, 2)));
        assert_eq!(err("{1: 1}"), ("expected a double-quoted object key, found '1'".into(), Span::new(1, 2)));
        assert_eq!(err("{'a': 1}").0, "strings must use double quotes in JSON");
        assert_eq!(err(r#"{"a": }"#), ("expected a value, found '}'".into(), Span::new(6, 7)));
        assert_eq!(err("[,1]"), ("expected a value, found ','".into(), Span::new(1, 2)));
        assert_eq!(err("x"), ("unexpected character 'x'".into(), Span::new(0, 1)));
        assert_eq!(err("[é]"), ("unexpected character 'é'".into(), Span::new(1, 3)));
        assert_eq!(err("{} []"), ("unexpected character '[' after the JSON value".into(), Span::new(3, 4)));
        assert_eq!(err("tru"), ("unexpected end of input".into(), Span::new(3, 3)));
        assert_eq!(err("[trUe]"), ("invalid literal: expected 'true'".into(), Span::new(3, 4)));
        assert_eq!(err("nan").0, "invalid literal: expected 'null'");
        assert_eq!(err("True").0, "unexpected character 'T'");
    }

    #[test]
    fn comments_are_refused_wherever_they_appear() {
        assert_eq!(err("// c\n{}"), ("comments are not allowed in JSON".into(), Span::new(0, 1)));
        assert_eq!(err("{/* c */}").1, Span::new(1, 2));
        assert_eq!(err("[1 // c\n]").0, "comments are not allowed in JSON");
        assert_eq!(err("{\"a\": 1 /* c */}").0, "comments are not allowed in JSON");
        assert_eq!(err("{} // end").0, "comments are not allowed in JSON");
        assert_eq!(err("/").0, "unexpected character '/'");
    }

    #[test]
    fn truncated_input_names_the_unclosed_bracket() {
        let text = "{\n  \"a\": [\n    1,\n";
        assert_eq!(
            err(text),
            (
                "unexpected end of input: unclosed '[' opened at line 2".into(),
                Span::from_range(text.len(), text.len())
            )
        );
        assert_eq!(err("{\n\n").0, "unexpected end of input: unclosed '{' opened at line 1");
        assert_eq!(err(r#"{"a""#).0, "unexpected end of input: unclosed '{' opened at line 1");
        assert_eq!(err(r#"{"a":"#).0, "unexpected end of input: unclosed '{' opened at line 1");
        assert_eq!(err("[tr").0, "unexpected end of input: unclosed '[' opened at line 1");
        // Every prefix of a valid document fails cleanly with an error at or before its end.
        let full = r#"{"a": [1, -2.5e3, "x\u00e9\ud83d\ude00", true, null, {"b": false}]}"#;
        for cut in 1..full.len() {
            let prefix = &full[..cut];
            let parsed = parse_json(prefix);
            assert!(parsed.root.is_none(), "{prefix}");
            assert_eq!(parsed.errors.len(), 1, "{prefix}");
            assert!(parsed.errors[0].span.end as usize <= cut, "{prefix}");
        }
    }

    #[test]
    fn control_bytes_and_garbage_never_panic() {
        // A deterministic xorshift stream of bytes drawn mostly from JSON's own alphabet.
        let alphabet = b"{}[]:,\"\\/*-+.0123456789eEtrufalsn \t\r\n\x00\x01\x07\x1b\x7fxu";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(char::from(alphabet[(state % alphabet.len() as u64) as usize]));
            }
            let parsed = parse_json(&s);
            for e in &parsed.errors {
                assert!(e.span.start <= e.span.end && e.span.end as usize <= s.len(), "{s:?}: {e:?}");
                assert!(s.is_char_boundary(e.span.start as usize) && s.is_char_boundary(e.span.end as usize));
            }
            if parsed.root.is_none() && !s.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
                assert!(!parsed.errors.is_empty(), "{s:?}");
            }
        }
        assert_eq!(err("\u{0}"), ("unexpected character '\\0'".into(), Span::new(0, 1)));
        assert_eq!(err("[1,\u{1}]").0, "unexpected character '\\u{1}'");
    }

    #[test]
    fn nesting_up_to_the_limit_is_accepted() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let root = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse_json(&text).root.is_some())
            .unwrap()
            .join()
            .unwrap();
        assert!(root);
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_without_overflowing() {
        let run = || {
            let text = "[".repeat(100_000);
            let parsed = parse_json(&text);
            assert!(parsed.root.is_none());
            assert_eq!(parsed.errors.len(), 1);
            assert_eq!(parsed.errors[0].message, "nesting deeper than 512 levels");
            assert_eq!(parsed.errors[0].span, Span::from_range(MAX_DEPTH, MAX_DEPTH + 1));
            let objects = "{\"a\":".repeat(100_000);
            assert_eq!(parse_json(&objects).errors[0].message, "nesting deeper than 512 levels");
        };
        run();
        std::thread::Builder::new().stack_size(2 << 20).spawn(run).unwrap().join().unwrap();
    }
}
