//! YAML (with CloudFormation short tags) → [`Node`] with byte spans: owns YAML loading, scalar typing,
//! short-tag normalisation, alias expansion limits and YAML-level syntax errors.
//!
//! Events come from `saphyr-parser`, whose markers count characters; they are converted to byte
//! offsets here, once, with a cursor that only ever walks a short distance.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::ControlFlow;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{Entry, Node, NodeKind, Parsed, SyntaxError, SyntaxKind, Text};
use crate::span::Span;

/// Deeper trees are refused so that building, cloning and dropping them stays within the stack.
const MAX_DEPTH: usize = 512;
/// Total nodes that alias expansion may clone ("billion laughs" protection).
const ALIAS_BUDGET: usize = 100_000;
/// Total nodes that may be kept as anchor copies; nested anchors each copy their subtree, so this
/// bounds memory for adversarial files that anchor every level of a deep tree.
const ANCHOR_STORE_BUDGET: usize = 2_000_000;
/// Maps with more keys than this get a hash index for duplicate detection (linear below it).
const INDEX_THRESHOLD: usize = 16;

/// Parses YAML text into a span-preserving tree.
///
/// Only the first document is read. Every problem (parse error, duplicate key, alias, unknown tag,
/// excessive nesting) is reported in [`Parsed::errors`]; the tree built so far is still returned.
/// Empty or comment-only text gives no root and no error.
#[must_use]
pub fn parse_yaml(text: &str) -> Parsed {
    Builder::new(text).run()
}

/// Differential check of the fast path against saphyr (for tests and fuzzing): `Ok(false)` when
/// the fast path declined `text`, `Ok(true)` when it produced exactly saphyr's events and byte
/// spans, and a description of the first difference otherwise (including saphyr rejecting text
/// that the fast path accepted).
pub(super) fn fast_path_agrees(text: &str) -> Result<bool, String> {
    let Some(fast) = super::yaml_fast::events(text) else { return Ok(false) };
    let mut offsets = CharToByte::new(text);
    let mut expected = Vec::new();
    for result in Parser::new_from_str(text) {
        match result {
            Ok((event, span)) => {
                let start = offsets.byte(span.start.index());
                let end = offsets.byte(span.end.index());
                expected.push((event, start, end));
            }
            Err(e) => return Err(format!("saphyr rejects what the fast path accepted: {e}")),
        }
    }
    for (i, (got, want)) in fast.iter().zip(&expected).enumerate() {
        if got != want {
            return Err(format!("event {i}: fast path {got:?}, saphyr {want:?}"));
        }
    }
    if fast.len() != expected.len() {
        return Err(format!("fast path gives {} events, saphyr {}", fast.len(), expected.len()));
    }
    Ok(true)
}

/// Converts saphyr's character indices to byte offsets by walking from the last position, which is
/// O(n) overall because events arrive in (nearly) increasing source order.
struct CharToByte<'a> {
    bytes: &'a [u8],
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        Self { bytes: text.as_bytes(), ascii: text.is_ascii(), chars: 0, byte: 0 }
    }

    fn byte(&mut self, char_index: usize) -> u32 {
        let len = self.bytes.len();
        if self.ascii {
            return char_index.min(len) as u32;
        }
        while self.chars < char_index && self.byte < len {
            self.byte += utf8_width(self.bytes[self.byte]);
            self.chars += 1;
        }
        while self.chars > char_index && self.byte > 0 {
            self.byte -= 1;
            while self.byte > 0 && is_continuation(self.bytes[self.byte]) {
                self.byte -= 1;
            }
            self.chars -= 1;
        }
        self.byte.min(len) as u32
    }
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..0xC0).contains(&b)
}

/// A key waiting for its value.
struct PendingKey {
    key: Text,
    span: Span,
    /// A duplicate: its value is parsed (to keep going) but not kept.
    duplicate: bool,
    /// `<<`: the value's entries are merged when the mapping ends.
    merge: bool,
}

/// A mapping under construction. Its entries live at the end of [`Builder::entries`] (from
/// `start`) until it closes, so building a tree costs one exactly-sized allocation per mapping
/// instead of a growing `Vec` per mapping.
struct MapBody {
    start: usize,
    /// Key → position relative to `start`.
    index: Option<HashMap<Text, usize>>,
    pending: Option<PendingKey>,
    merges: Vec<Vec<Entry>>,
}

impl MapBody {
    fn new(start: usize) -> Self {
        Self { start, index: None, pending: None, merges: Vec::new() }
    }

    /// `entries` is the whole scratch stack; this mapping owns its tail from `start`.
    fn find(&self, entries: &[Entry], key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => entries[self.start..].iter().position(|e| e.key == key),
        }
    }

    fn push(&mut self, entries: &mut Vec<Entry>, entry: Entry) {
        let own = &entries[self.start..];
        if let Some(index) = &mut self.index {
            index.insert(entry.key.clone(), own.len());
        } else if own.len() >= INDEX_THRESHOLD {
            let mut index: HashMap<Text, usize> =
                own.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect();
            index.insert(entry.key.clone(), own.len());
            self.index = Some(index);
        }
        entries.push(entry);
    }
}

enum Body {
    /// A sequence whose items live at the end of [`Builder::items`] from this position.
    Seq(usize),
    Map(MapBody),
}

/// A collection under construction (the explicit stack that replaces recursion).
struct Frame {
    body: Body,
    /// CloudFormation long-form key and the tag's span, when the collection carries a short tag.
    wrap: Option<(&'static str, Span)>,
    /// Start of the wrapper (the tag), when wrapped.
    outer_start: u32,
    /// Start of the collection itself (`[`, `{`, `-` or the first key).
    start: u32,
    /// Furthest byte reached by the collection's content so far.
    end: u32,
    anchor: usize,
}

struct StoredAnchor {
    node: Node,
    count: usize,
    height: usize,
}

/// What precedes a node's content: an optional tag (with its span) and where the content starts.
struct Prefix {
    tag_span: Option<Span>,
    content_start: u32,
}

struct Builder<'a> {
    text: &'a str,
    offsets: CharToByte<'a>,
    stack: Vec<Frame>,
    /// Items of the open sequences, innermost last (see [`Body::Seq`]).
    items: Vec<Node>,
    /// Entries of the open mappings, innermost last (see [`MapBody`]).
    entries: Vec<Entry>,
    root: Option<Node>,
    errors: Vec<SyntaxError>,
    /// `None`: the anchor was over the store budget, so aliases to it are over budget too.
    anchors: HashMap<usize, Option<StoredAnchor>>,
    alias_nodes_used: usize,
    anchor_nodes_stored: usize,
    budget_reported: bool,
    depth_reported: bool,
    /// While > 0, events belong to a subtree that is too deep and are skipped.
    skip_depth: usize,
    skip_start: u32,
    /// End of the previous event, used to find the `|`/`>` header of a block scalar.
    last_end: u32,
    line_starts: Option<Vec<u32>>,
    /// Documents started so far (only the first is read).
    documents: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            offsets: CharToByte::new(text),
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            root: None,
            errors: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes_used: 0,
            anchor_nodes_stored: 0,
            budget_reported: false,
            depth_reported: false,
            skip_depth: 0,
            skip_start: 0,
            last_end: 0,
            line_starts: None,
            documents: 0,
        }
    }

    fn run(mut self) -> Parsed {
        if let Some(events) = super::yaml_fast::events(self.text) {
            for (event, start, end) in events {
                if self.on_event(event, start, end).is_break() {
                    break;
                }
            }
            return self.finish_tree();
        }
        let mut parser = Parser::new_from_str(self.text);
        while let Some(result) = parser.next_event() {
            let (event, span) = match result {
                Ok(pair) => pair,
                Err(e) => {
                    let at = self.offsets.byte(e.marker().index());
                    let span = self.point_span(at);
                    // saphyr's own depth guard has no kind of its own; its words are its API.
                    let kind = if e.info() == "recursion limit exceeded" {
                        SyntaxKind::TooDeep
                    } else {
                        SyntaxKind::Syntax
                    };
                    self.error(kind, e.info().to_owned(), span);
                    break;
                }
            };
            let start = self.offsets.byte(span.start.index());
            let end = self.offsets.byte(span.end.index());
            if self.on_event(event, start, end).is_break() {
                break;
            }
        }
        self.finish_tree()
    }

    /// Consumes one event with its byte span, from saphyr or from the fast path.
    fn on_event(&mut self, event: Event<'_>, start: u32, end: u32) -> ControlFlow<()> {
        let end = end.max(start);
        if self.skip_depth > 0 {
            self.skip_event(&event, end);
            self.last_end = end;
            return ControlFlow::Continue(());
        }
        match event {
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => return ControlFlow::Break(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let span = if end > start { Span::new(start, end) } else { self.point_span(start) };
                    self.warn(
                        SyntaxKind::Unsupported,
                        "multiple YAML documents; CloudFormation reads one".to_owned(),
                        span,
                    );
                    return ControlFlow::Break(());
                }
            }
            Event::Alias(id) => self.on_alias(id, Span::new(start, end)),
            Event::Scalar(value, style, anchor, tag) => {
                self.on_scalar(value, style, anchor, tag.as_deref(), start, end);
            }
            Event::SequenceStart(anchor, tag) => self.on_start(true, anchor, tag.as_deref(), start, end),
            Event::MappingStart(anchor, tag) => self.on_start(false, anchor, tag.as_deref(), start, end),
            Event::SequenceEnd | Event::MappingEnd => self.on_end(start, end),
        }
        self.last_end = end;
        ControlFlow::Continue(())
    }

    /// Closes what a parse error left open, so that the partial tree is usable.
    fn finish_tree(mut self) -> Parsed {
        if self.skip_depth > 0 {
            self.skip_depth = 0;
            let span = Span::new(self.skip_start, self.last_end.max(self.skip_start));
            self.finish(Node::new(NodeKind::Null, span), 0);
        }
        while let Some(frame) = self.stack.pop() {
            let end = frame.end;
            self.close(frame, end);
        }
        Parsed { root: self.root, errors: self.errors }
    }

    /// An error after which the tree is incomplete.
    fn error(&mut self, kind: SyntaxKind, message: String, span: Span) {
        self.errors.push(SyntaxError::fatal(kind, message, span));
    }

    /// A finding that leaves the tree usable.
    fn warn(&mut self, kind: SyntaxKind, message: String, span: Span) {
        self.errors.push(SyntaxError::recoverable(kind, message, span));
    }

    /// A one-character span at `at` (the whole UTF-8 character), or an empty one at end of text.
    fn point_span(&self, at: u32) -> Span {
        let at = (at as usize).min(self.text.len());
        match self.text.as_bytes().get(at) {
            Some(&b) => Span::from_range(at, (at + utf8_width(b)).min(self.text.len())),
            None => Span::from_range(at, at),
        }
    }

    fn line_of(&mut self, offset: u32) -> usize {
        let text = self.text;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i as u32 + 1))
                .collect()
        });
        starts.partition_point(|&s| s <= offset)
    }

    fn skip_event(&mut self, event: &Event<'_>, end: u32) {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => self.skip_depth += 1,
            Event::SequenceEnd | Event::MappingEnd => {
                self.skip_depth -= 1;
                if self.skip_depth == 0 {
                    let span = Span::new(self.skip_start, end.max(self.skip_start));
                    self.finish(Node::new(NodeKind::Null, span), 0);
                }
            }
            _ => {}
        }
    }

    /// Reads an anchor and/or tag at `start`, returning the tag's span and where content begins.
    fn prefix(&self, start: u32) -> Prefix {
        let bytes = self.text.as_bytes();
        let mut i = start as usize;
        let mut tag_span = None;
        for _ in 0..2 {
            match bytes.get(i) {
                Some(&c @ (b'&' | b'!')) => {
                    let s = i;
                    while i < bytes.len() && !is_token_end(bytes[i]) {
                        i += 1;
                    }
                    if c == b'!' {
                        tag_span = Some(Span::from_range(s, i));
                    }
                    i = skip_space_and_comments(bytes, i);
                }
                _ => break,
            }
        }
        Prefix { tag_span, content_start: i as u32 }
    }

    /// The text of a tag as written, for messages.
    fn tag_text(&self, tag_span: Option<Span>, tag: &Tag) -> String {
        match tag_span {
            Some(s) => self.text[s.start as usize..s.end as usize].to_owned(),
            None => tag.to_string(),
        }
    }

    /// Decides what a tag means: a CloudFormation wrapper key, or nothing (reporting unknown tags).
    fn resolve_tag(&mut self, tag: Option<&Tag>, tag_span: Option<Span>, at: u32) -> TagMeaning {
        let Some(tag) = tag else { return TagMeaning::None };
        if tag.handle == "!" {
            if let Some(key) = cfn_long_name(&tag.suffix) {
                let span = tag_span.unwrap_or_else(|| self.point_span(at));
                return TagMeaning::Cfn(key, span);
            }
        } else if tag.is_yaml_core_schema() {
            return TagMeaning::Core;
        } else if tag.handle.is_empty() && tag.suffix == "!" {
            // The non-specific tag `!` just means "not a plain-typed scalar".
            return TagMeaning::NonSpecific;
        }
        let span = tag_span.unwrap_or_else(|| self.point_span(at));
        let message = format!("unknown tag {}", self.tag_text(tag_span, tag));
        self.warn(SyntaxKind::UnknownTag, message, span);
        TagMeaning::None
    }

    fn on_alias(&mut self, id: usize, span: Span) {
        self.warn(SyntaxKind::Alias, "YAML aliases are not supported by CloudFormation".to_owned(), span);
        let node = self.expand_alias(id, span);
        self.finish(node, 0);
    }

    fn expand_alias(&mut self, id: usize, span: Span) -> Node {
        let null = Node::new(NodeKind::Null, span);
        let stored = match self.anchors.get(&id) {
            Some(Some(stored)) => stored,
            Some(None) => {
                self.alias_budget_exceeded(span);
                return null;
            }
            // A self-reference (the anchored node is still open), or one skipped as too deep.
            None => return null,
        };
        if self.stack.len() + stored.height > MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.error(SyntaxKind::TooDeep, format!("nesting deeper than {MAX_DEPTH} levels"), span);
            }
            return null;
        }
        if self.alias_nodes_used + stored.count > ALIAS_BUDGET {
            self.alias_budget_exceeded(span);
            return null;
        }
        self.alias_nodes_used += stored.count;
        let mut node = stored.node.clone();
        node.span = span;
        node
    }

    fn alias_budget_exceeded(&mut self, span: Span) {
        self.alias_nodes_used = ALIAS_BUDGET;
        if !self.budget_reported {
            self.budget_reported = true;
            self.warn(
                SyntaxKind::AliasExpansion,
                format!("alias expansion exceeds {ALIAS_BUDGET} nodes"),
                span,
            );
        }
    }

    fn on_scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: u32,
        end: u32,
    ) {
        let decorated = anchor > 0 || tag.is_some();
        let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
        let prefix =
            if decorated { self.prefix(start) } else { Prefix { tag_span: None, content_start: start } };
        let mut content_start = prefix.content_start.min(end);
        let mut end = end;
        if block {
            if !decorated {
                content_start = self.block_header(content_start);
            }
            end = trim_trailing_space(self.text.as_bytes(), content_start, end);
        }
        let content = Span::new(content_start, end);

        if self.awaiting_key() {
            let key = Text::from(value);
            if anchor > 0 {
                self.store_anchor(anchor, Node::new(NodeKind::String(key.clone()), content));
            }
            let merge = key == "<<" && style == ScalarStyle::Plain && tag.is_none();
            self.on_key(key, content, merge);
            return;
        }

        let meaning = self.resolve_tag(tag, prefix.tag_span, start);
        let kind = match (&meaning, tag) {
            (TagMeaning::Core, Some(tag)) => core_scalar_kind(&tag.suffix, value, style),
            (TagMeaning::NonSpecific, _) => NodeKind::String(Text::from(value)),
            _ if style == ScalarStyle::Plain => plain_kind(value),
            _ => NodeKind::String(Text::from(value)),
        };
        let node = match meaning {
            TagMeaning::Cfn(key, tag_span) => {
                let inner = if key == "Fn::GetAtt" {
                    self.split_get_att(kind, content, style)
                } else {
                    Node::new(kind, content)
                };
                wrap(key, tag_span, inner, Span::new(tag_span.start.min(content_start), end))
            }
            _ => Node::new(kind, content),
        };
        self.finish(node, anchor);
    }

    /// `!GetAtt Res.Attr` is the two-item list form; each part gets its own span when the source
    /// text is the value verbatim (no escapes or folding).
    fn split_get_att(&self, kind: NodeKind, content: Span, style: ScalarStyle) -> Node {
        let NodeKind::String(value) = kind else { return Node::new(kind, content) };
        let Some(dot) = value.find('.') else { return Node::new(NodeKind::String(value), content) };
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let inner = if quoted && content.len() >= 2 {
            Span::new(content.start + 1, content.end - 1)
        } else {
            content
        };
        let verbatim = self.text.get(inner.start as usize..inner.end as usize) == Some(value.as_str());
        let (first, second) =
            if verbatim { (inner.sub(0, dot), inner.sub(dot + 1, value.len())) } else { (content, content) };
        let items = vec![
            Node::new(NodeKind::String(Text::new(&value[..dot])), first),
            Node::new(NodeKind::String(Text::new(&value[dot + 1..])), second),
        ];
        Node::new(NodeKind::Seq(items), content)
    }

    /// Saphyr starts a block scalar's span at its content; move it back to the `|`/`>` header.
    fn block_header(&self, content_start: u32) -> u32 {
        let bytes = self.text.as_bytes();
        let mut i = self.last_end as usize;
        let limit = (content_start as usize).min(bytes.len());
        while i < limit {
            match bytes[i] {
                b'|' | b'>' => return i as u32,
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                    while i < limit && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        content_start
    }

    fn awaiting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { body: Body::Map(m), .. }) if m.pending.is_none())
    }

    fn on_key(&mut self, key: Text, span: Span, merge: bool) {
        let first = match self.stack.last_mut() {
            Some(Frame { body: Body::Map(map), end, .. }) => {
                *end = (*end).max(span.end);
                map.find(&self.entries, &key).map(|i| self.entries[map.start + i].key_span)
            }
            _ => return,
        };
        if let Some(first) = first {
            let line = self.line_of(first.start);
            self.warn(
                SyntaxKind::DuplicateKey,
                format!("duplicate key '{key}' (first defined on line {line})"),
                span,
            );
        }
        if let Some(Frame { body: Body::Map(map), .. }) = self.stack.last_mut() {
            map.pending = Some(PendingKey { key, span, duplicate: first.is_some(), merge });
        }
    }

    fn on_start(&mut self, seq: bool, anchor: usize, tag: Option<&Tag>, start: u32, end: u32) {
        if self.stack.len() >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                let span = if end > start { Span::new(start, end) } else { self.point_span(start) };
                self.error(SyntaxKind::TooDeep, format!("nesting deeper than {MAX_DEPTH} levels"), span);
            }
            self.skip_depth = 1;
            self.skip_start = start;
            return;
        }
        let decorated = anchor > 0 || tag.is_some();
        let (tag_span, mut content_start) = if decorated {
            let p = self.prefix(start);
            (p.tag_span, p.content_start)
        } else {
            (None, start)
        };
        if seq && !decorated {
            content_start = self.sequence_dash(content_start);
        }
        // A collection used as a key is reported when it closes; its tag is irrelevant.
        let wrap = if self.awaiting_key() {
            None
        } else {
            match self.resolve_tag(tag, tag_span, start) {
                TagMeaning::Cfn(key, span) => Some((key, span)),
                _ => None,
            }
        };
        let body =
            if seq { Body::Seq(self.items.len()) } else { Body::Map(MapBody::new(self.entries.len())) };
        let outer_start = wrap.map_or(content_start, |(_, s)| s.start);
        self.stack.push(Frame {
            body,
            wrap,
            outer_start,
            start: content_start,
            end: end.max(content_start),
            anchor,
        });
    }

    /// Indentless sequences start at their first item; include the `-` in the span.
    fn sequence_dash(&self, start: u32) -> u32 {
        let bytes = self.text.as_bytes();
        let mut i = start as usize;
        if matches!(bytes.get(i), Some(b'[' | b'-')) {
            return start;
        }
        while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        if i > 0 && bytes[i - 1] == b'-' { (i - 1) as u32 } else { start }
    }

    fn on_end(&mut self, start: u32, end: u32) {
        let Some(frame) = self.stack.pop() else { return };
        // Flow collections end at their bracket; block ones at their last content.
        let end = if end > start { end } else { frame.end };
        self.close(frame, end);
    }

    fn close(&mut self, frame: Frame, end: u32) {
        let end = end.max(frame.end);
        let span = Span::new(frame.start, end);
        let kind = match frame.body {
            // The closing frame is the innermost, so its items or entries are the scratch's tail.
            Body::Seq(start) => NodeKind::Seq(self.items.split_off(start)),
            Body::Map(mut map) => {
                for merged in std::mem::take(&mut map.merges) {
                    for entry in merged {
                        if map.find(&self.entries, &entry.key).is_none() {
                            map.push(&mut self.entries, entry);
                        }
                    }
                }
                NodeKind::Map(self.entries.split_off(map.start))
            }
        };
        let inner = Node::new(kind, span);
        let node = match frame.wrap {
            Some((key, tag_span)) => wrap(key, tag_span, inner, Span::new(frame.outer_start, end)),
            None => inner,
        };
        self.finish(node, frame.anchor);
    }

    /// Places a completed node into its parent (or as the root), recording its anchor.
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.store_anchor(anchor, node.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        frame.end = frame.end.max(node.span.end);
        let map = match &mut frame.body {
            Body::Seq(_) => {
                self.items.push(node);
                return;
            }
            Body::Map(map) => map,
        };
        match map.pending.take() {
            None => {
                let span = node.span;
                let key = match node.kind {
                    NodeKind::Null => Text::default(),
                    NodeKind::Bool(b) => Text::new(if b { "true" } else { "false" }),
                    NodeKind::String(s) | NodeKind::Number(s) => s,
                    NodeKind::Seq(_) | NodeKind::Map(_) => {
                        self.warn(
                            SyntaxKind::Unsupported,
                            "complex mapping keys are not supported".to_owned(),
                            span,
                        );
                        Text::new(&self.text[span.start as usize..span.end as usize])
                    }
                };
                self.on_key(key, span, false);
            }
            Some(pending) if pending.duplicate => {}
            Some(pending) if pending.merge && mergeable(&node) => match node.kind {
                NodeKind::Map(entries) => map.merges.push(entries),
                NodeKind::Seq(items) => {
                    map.merges.extend(items.into_iter().filter_map(|n| match n.kind {
                        NodeKind::Map(entries) => Some(entries),
                        _ => None,
                    }));
                }
                _ => {}
            },
            Some(pending) => {
                map.push(&mut self.entries, Entry { key: pending.key, key_span: pending.span, value: node });
            }
        }
    }

    fn store_anchor(&mut self, id: usize, node: Node) {
        let (count, height) = measure(&node);
        if self.anchor_nodes_stored + count > ANCHOR_STORE_BUDGET {
            self.anchors.insert(id, None);
            return;
        }
        self.anchor_nodes_stored += count;
        self.anchors.insert(id, Some(StoredAnchor { node, count, height }));
    }
}

enum TagMeaning {
    None,
    Core,
    NonSpecific,
    Cfn(&'static str, Span),
}

fn wrap(key: &'static str, key_span: Span, value: Node, span: Span) -> Node {
    Node::new(NodeKind::Map(vec![Entry { key: Text::new(key), key_span, value }]), span)
}

fn mergeable(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Map(_) => true,
        NodeKind::Seq(items) => items.iter().all(Node::is_map),
        _ => false,
    }
}

/// Node count and collection height, without recursion.
fn measure(node: &Node) -> (usize, usize) {
    let mut count = 0;
    let mut height = 0;
    let mut todo = vec![(node, 0usize)];
    while let Some((n, depth)) = todo.pop() {
        count += 1;
        match &n.kind {
            NodeKind::Seq(items) => {
                height = height.max(depth + 1);
                todo.extend(items.iter().map(|i| (i, depth + 1)));
            }
            NodeKind::Map(entries) => {
                height = height.max(depth + 1);
                todo.extend(entries.iter().map(|e| (&e.value, depth + 1)));
            }
            _ => {}
        }
    }
    (count, height)
}

fn is_token_end(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
}

fn skip_space_and_comments(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

fn trim_trailing_space(bytes: &[u8], start: u32, end: u32) -> u32 {
    let mut end = end as usize;
    while end > start as usize + 1 && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        end -= 1;
    }
    end as u32
}

/// CloudFormation's long form for a short tag (`Ref` → `Ref`, `GetAtt` → `Fn::GetAtt`).
fn cfn_long_name(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "Not" => "Fn::Not",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Transform" => "Fn::Transform",
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        "ForEach" => "Fn::ForEach",
        // Directives of a source template for `rain pkg`, which replaces them before deployment
        // (aws-cloudformation/rain, `rain pkg`); their JSON form is the same key.
        "Rain::Embed" => "Rain::Embed",
        "Rain::Include" => "Rain::Include",
        "Rain::Env" => "Rain::Env",
        "Rain::S3Http" => "Rain::S3Http",
        "Rain::S3" => "Rain::S3",
        "Rain::Module" => "Rain::Module",
        "Rain::Constant" => "Rain::Constant",
        _ => return None,
    })
}

/// Scalars with an explicit `!!` tag: `!!str` forces a string, the rest are typed best-effort.
fn core_scalar_kind(suffix: &str, value: Cow<'_, str>, style: ScalarStyle) -> NodeKind {
    match suffix {
        "null" => NodeKind::Null,
        "bool" => match plain_kind(value) {
            k @ NodeKind::Bool(_) => k,
            NodeKind::Number(s) | NodeKind::String(s) => NodeKind::String(s),
            _ => NodeKind::String(Text::default()),
        },
        "int" | "float" => NodeKind::Number(Text::from(value)),
        "str" | "binary" | "timestamp" => NodeKind::String(Text::from(value)),
        _ if style == ScalarStyle::Plain => plain_kind(value),
        _ => NodeKind::String(Text::from(value)),
    }
}

/// Types a plain scalar the YAML 1.1 way CloudFormation does.
fn plain_kind(value: Cow<'_, str>) -> NodeKind {
    match &*value {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => NodeKind::Bool(false),
        s if is_number(s) => NodeKind::Number(Text::from(value)),
        _ => NodeKind::String(Text::from(value)),
    }
}

fn is_number(s: &str) -> bool {
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(bin) = s.strip_prefix("0b") {
        return !bin.is_empty() && bin.bytes().all(|b| b == b'0' || b == b'1');
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let bytes = unsigned.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn parse_ok(text: &str) -> Node {
        let parsed = parse_yaml(text);
        assert_eq!(parsed.errors, vec![], "unexpected errors for {text:?}");
        parsed.root.expect("root")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    fn messages(parsed: &Parsed) -> Vec<&str> {
        parsed.errors.iter().map(|e| e.message.as_str()).collect()
    }

    #[test]
    fn scalar_spans_for_every_style() {
        let text = "é: plain words\nsq: 'it''s é'\ndq: \"a\\tb\"\nlit: |\n  line one\n  line two\nfold: >-\n  folded\nflow: [a, 'b', {k: v}]\n";
        let root = parse_ok(text);
        let entry = root.entry("é").expect("é");
        assert_eq!(slice(text, entry.key_span), "é");
        assert_eq!(slice(text, entry.value.span), "plain words");
        assert_eq!(slice(text, root.get("sq").expect("sq").span), "'it''s é'");
        assert_eq!(root.get("sq").and_then(Node::as_str), Some("it's é"));
        assert_eq!(slice(text, root.get("dq").expect("dq").span), "\"a\\tb\"");
        assert_eq!(root.get("dq").and_then(Node::as_str), Some("a\tb"));
        let lit = root.get("lit").expect("lit");
        assert_eq!(slice(text, lit.span), "|\n  line one\n  line two");
        assert_eq!(lit.as_str(), Some("line one\nline two\n"));
        assert_eq!(slice(text, root.get("fold").expect("fold").span), ">-\n  folded");
        let flow = root.get("flow").expect("flow");
        assert_eq!(slice(text, flow.span), "[a, 'b', {k: v}]");
        assert_eq!(slice(text, flow.items()[1].span), "'b'");
        assert_eq!(slice(text, flow.items()[2].span), "{k: v}");
        assert_eq!(slice(text, flow.items()[2].entries()[0].key_span), "k");
        assert_eq!(slice(text, root.span), text.trim_end());
    }

    #[test]
    fn block_collection_spans() {
        let text = "a:\n  b: c\n  d:\n  - x\n  - y\ne:\n  - 1\n";
        let root = parse_ok(text);
        let a = root.get("a").expect("a");
        assert_eq!(slice(text, a.span), "b: c\n  d:\n  - x\n  - y");
        assert_eq!(slice(text, a.get("d").expect("d").span), "- x\n  - y");
        assert_eq!(slice(text, root.get("e").expect("e").span), "- 1");
    }

    #[test]
    fn short_tags_become_long_form_with_spans() {
        let text = "ü: x\nr: !Ref Bucket\nc: !Condition IsProd\ns: !Sub 'arn:${AWS::Region}'\n";
        let root = parse_ok(text);
        let r = root.get("r").expect("r");
        assert_eq!(slice(text, r.span), "!Ref Bucket");
        let e = r.single_entry().expect("entry");
        assert_eq!(e.key, "Ref");
        assert_eq!(slice(text, e.key_span), "!Ref");
        assert_eq!(slice(text, e.value.span), "Bucket");
        assert_eq!(e.value.as_str(), Some("Bucket"));
        assert_eq!(root.get("c").and_then(Node::single_entry).map(|e| e.key.as_str()), Some("Condition"));
        let s = root.get("s").and_then(Node::single_entry).expect("sub");
        assert_eq!(s.key, "Fn::Sub");
        assert_eq!(slice(text, s.value.span), "'arn:${AWS::Region}'");
        assert_eq!(s.value.as_str(), Some("arn:${AWS::Region}"));
    }

    #[test]
    fn get_att_scalar_is_split_at_first_dot() {
        let text = "é: !GetAtt Fn.Arn.Sub\nq: !GetAtt 'A.B'\n";
        let root = parse_ok(text);
        let g = root.get("é").and_then(Node::single_entry).expect("getatt");
        assert_eq!(g.key, "Fn::GetAtt");
        assert_eq!(slice(text, g.key_span), "!GetAtt");
        assert_eq!(slice(text, g.value.span), "Fn.Arn.Sub");
        let parts: Vec<_> = g.value.items().iter().map(|n| (n.as_str(), slice(text, n.span))).collect();
        assert_eq!(parts, vec![(Some("Fn"), "Fn"), (Some("Arn.Sub"), "Arn.Sub")]);
        let q = root.get("q").and_then(Node::single_entry).expect("quoted");
        let parts: Vec<_> = q.value.items().iter().map(|n| slice(text, n.span)).collect();
        assert_eq!(parts, vec!["A", "B"]);
    }

    #[test]
    fn get_att_list_and_sub_list_forms() {
        let text = "g: !GetAtt [A, B]\ns: !Sub\n  - '${X}-${Y}'\n  - X: 1\n    Y: !Ref Z\n";
        let root = parse_ok(text);
        let g = root.get("g").expect("g");
        assert_eq!(slice(text, g.span), "!GetAtt [A, B]");
        let e = g.single_entry().expect("entry");
        assert_eq!(slice(text, e.value.span), "[A, B]");
        assert_eq!(e.value.items().len(), 2);
        let s = root.get("s").expect("s");
        let e = s.single_entry().expect("entry");
        assert_eq!(e.key, "Fn::Sub");
        assert_eq!(slice(text, e.key_span), "!Sub");
        assert_eq!(slice(text, e.value.span), "- '${X}-${Y}'\n  - X: 1\n    Y: !Ref Z");
        assert_eq!(slice(text, s.span), "!Sub\n  - '${X}-${Y}'\n  - X: 1\n    Y: !Ref Z");
        let vars = &e.value.items()[1];
        assert_eq!(vars.get("Y").and_then(|y| y.get("Ref")).and_then(Node::as_str), Some("Z"));
    }

    #[test]
    fn if_list_and_nested_tags() {
        let text = "i: !If [Cond, a, b]\nj: !Join ['', [!Ref A, !Sub 'x${B}']]\n";
        let root = parse_ok(text);
        let i = root.get("i").and_then(Node::single_entry).expect("if");
        assert_eq!(i.key, "Fn::If");
        let items: Vec<_> = i.value.items().iter().filter_map(Node::as_str).collect();
        assert_eq!(items, vec!["Cond", "a", "b"]);
        let j = root.get("j").and_then(Node::single_entry).expect("join");
        assert_eq!(j.key, "Fn::Join");
        let inner = &j.value.items()[1];
        let r = &inner.items()[0];
        assert_eq!(slice(text, r.span), "!Ref A");
        assert_eq!(r.get("Ref").and_then(Node::as_str), Some("A"));
        let s = &inner.items()[1];
        assert_eq!(slice(text, s.span), "!Sub 'x${B}'");
        assert_eq!(slice(text, s.entries()[0].key_span), "!Sub");
        assert_eq!(s.get("Fn::Sub").and_then(Node::as_str), Some("x${B}"));
    }

    #[test]
    fn block_sequence_for_join_and_tagged_block_scalar() {
        let text = "j: !Join\n  - ','\n  - - a\n    - b\ns: !Sub |\n  echo ${X}\n";
        let root = parse_ok(text);
        let j = root.get("j").and_then(Node::single_entry).expect("join");
        assert_eq!(j.value.items().len(), 2);
        let s = root.get("s").expect("s");
        assert_eq!(slice(text, s.span), "!Sub |\n  echo ${X}");
        assert_eq!(slice(text, s.entries()[0].value.span), "|\n  echo ${X}");
    }

    #[test]
    fn core_and_unknown_tags() {
        let text = "a: !!str 12\nb: !!int 7\nc: !Foo bar\n";
        let parsed = parse_yaml(text);
        let root = parsed.root.as_ref().expect("root");
        assert_eq!(root.get("a").map(|n| &n.kind), Some(&NodeKind::String("12".into())));
        assert_eq!(root.get("b").map(|n| &n.kind), Some(&NodeKind::Number("7".into())));
        assert_eq!(root.get("c").and_then(Node::as_str), Some("bar"));
        assert_eq!(messages(&parsed), vec!["unknown tag !Foo"]);
        assert_eq!(slice(text, parsed.errors[0].span), "!Foo");
    }

    #[test]
    fn typed_scalars() {
        let text = "a: yes\nb: 'yes'\nc: 0777\nd: 1.5\ne: ~\nf:\ng: Off\nh: 0x1F\ni: 1e3\nj: .inf\nk: 1.2.3\nl: \"12\"\n200: x\ntrue: y\n";
        let root = parse_ok(text);
        let kind = |k: &str| root.get(k).map(|n| n.kind.clone()).expect(k);
        assert_eq!(kind("a"), NodeKind::Bool(true));
        assert_eq!(kind("b"), NodeKind::String("yes".into()));
        assert_eq!(kind("c"), NodeKind::Number("0777".into()));
        assert_eq!(kind("d"), NodeKind::Number("1.5".into()));
        assert_eq!(kind("e"), NodeKind::Null);
        assert_eq!(kind("f"), NodeKind::Null);
        assert_eq!(kind("g"), NodeKind::Bool(false));
        assert_eq!(kind("h"), NodeKind::Number("0x1F".into()));
        assert_eq!(kind("i"), NodeKind::Number("1e3".into()));
        assert_eq!(kind("j"), NodeKind::Number(".inf".into()));
        assert_eq!(kind("k"), NodeKind::String("1.2.3".into()));
        assert_eq!(kind("l"), NodeKind::String("12".into()));
        assert_eq!(kind("200"), NodeKind::String("x".into()));
        assert_eq!(kind("true"), NodeKind::String("y".into()));
    }

    #[test]
    fn duplicate_keys_keep_first_and_report_line() {
        let text = "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n";
        let parsed = parse_yaml(text);
        assert_eq!(
            messages(&parsed),
            vec![
                "duplicate key 'c' (first defined on line 3)",
                "duplicate key 'a' (first defined on line 1)"
            ]
        );
        assert_eq!(parsed.errors[1].span, Span::new(22, 23));
        let root = parsed.root.expect("root");
        assert_eq!(root.entries().len(), 2);
        assert_eq!(root.get("a").map(|n| &n.kind), Some(&NodeKind::Number("1".into())));
        assert_eq!(root.get("b").map(|b| b.entries().len()), Some(1));
    }

    #[test]
    fn duplicate_detection_in_large_maps() {
        let mut text = String::new();
        for i in 0..100 {
            writeln!(text, "k{i}: {i}").expect("write");
        }
        text.push_str("k42: again\n");
        let parsed = parse_yaml(&text);
        assert_eq!(messages(&parsed), vec!["duplicate key 'k42' (first defined on line 43)"]);
        assert_eq!(parsed.root.expect("root").entries().len(), 100);
    }

    #[test]
    fn aliases_are_reported_and_expanded() {
        let text = "base: &b {x: 1, y: 2}\nuse: *b\nm:\n  <<: *b\n  y: 3\n";
        let parsed = parse_yaml(text);
        assert_eq!(
            messages(&parsed),
            vec![
                "YAML aliases are not supported by CloudFormation",
                "YAML aliases are not supported by CloudFormation"
            ]
        );
        assert_eq!(slice(text, parsed.errors[0].span), "*b");
        let root = parsed.root.expect("root");
        let used = root.get("use").expect("use");
        assert_eq!(slice(text, used.span), "*b");
        assert_eq!(used.get("x").map(|n| &n.kind), Some(&NodeKind::Number("1".into())));
        let m = root.get("m").expect("m");
        let keys: Vec<_> = m.entries().iter().map(|e| (e.key.as_str(), e.value.scalar_text())).collect();
        assert_eq!(keys, vec![("y", Some("3".to_owned())), ("x", Some("1".to_owned()))]);
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            writeln!(text, "{name}: &{name} [{refs}]").expect("write");
        }
        let parsed = parse_yaml(&text);
        let budget: Vec<_> = messages(&parsed).into_iter().filter(|m| m.contains("exceeds")).collect();
        assert_eq!(budget, vec!["alias expansion exceeds 100000 nodes"]);
        let (count, _) = measure(parsed.root.as_ref().expect("root"));
        assert!(count < 3 * ALIAS_BUDGET, "{count} nodes");
    }

    #[test]
    fn deep_flow_nesting_does_not_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let parsed = parse_yaml(&text);
        // saphyr caps flow nesting (at 255) before our own limit is reached.
        assert_eq!(messages(&parsed), vec!["recursion limit exceeded"]);
    }

    #[test]
    fn deep_block_nesting_reports_depth_once() {
        let text = format!("{}x\n", "- ".repeat(100_000));
        let parsed = parse_yaml(&text);
        assert_eq!(messages(&parsed), vec!["nesting deeper than 512 levels"]);
        assert_eq!(parsed.errors[0].span.start, 2 * 512);
        let text = format!("a:\n  {}x\nb: 1\n", "- ".repeat(1000));
        let parsed = parse_yaml(&text);
        assert_eq!(messages(&parsed), vec!["nesting deeper than 512 levels"]);
        assert_eq!(parsed.root.expect("root").get("b").and_then(Node::scalar_text), Some("1".into()));
    }

    #[test]
    fn parse_error_points_at_the_right_byte() {
        let text = "é: [unclosed\n";
        let parsed = parse_yaml(text);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].message, "while parsing a flow sequence, expected ',' or ']'");
        assert_eq!(parsed.errors[0].span, Span::new(14, 14));
        assert!(parsed.root.is_some());
        let text = "a: b\n  c: d\n";
        let parsed = parse_yaml(text);
        assert_eq!(messages(&parsed), vec!["mapping values are not allowed in this context"]);
        assert_eq!(parsed.errors[0].span, Span::new(8, 9));
    }

    #[test]
    fn empty_and_comment_only_have_no_root() {
        for text in ["", "   \n", "# just a comment\n"] {
            let parsed = parse_yaml(text);
            assert_eq!(parsed.root, None);
            assert_eq!(parsed.errors, vec![]);
        }
    }

    #[test]
    fn second_document_is_reported() {
        let text = "a: 1\n---\nb: 2\n";
        let parsed = parse_yaml(text);
        assert_eq!(messages(&parsed), vec!["multiple YAML documents; CloudFormation reads one"]);
        assert_eq!(slice(text, parsed.errors[0].span), "---");
        assert_eq!(parsed.root.expect("root").entries().len(), 1);
        assert_eq!(parse_ok("---\na: 1\n").entries().len(), 1);
    }

    #[test]
    fn bom_crlf_and_tabs() {
        let text = "\u{feff}a:\r\n  b:\t'é'\r\n  c: !Ref X\r\n";
        let root = parse_ok(text);
        assert_eq!(slice(text, root.entries()[0].key_span), "a");
        let a = root.get("a").expect("a");
        assert_eq!(slice(text, a.get("b").expect("b").span), "'é'");
        assert_eq!(slice(text, a.get("c").expect("c").span), "!Ref X");
    }

    #[test]
    fn anchored_and_complex_keys() {
        let text = "&k key: v\n? [a, b]\n: w\n";
        let parsed = parse_yaml(text);
        assert_eq!(messages(&parsed), vec!["complex mapping keys are not supported"]);
        let root = parsed.root.expect("root");
        assert_eq!(root.get("key").and_then(Node::as_str), Some("v"));
        assert_eq!(root.get("[a, b]").and_then(Node::as_str), Some("w"));
    }

    #[test]
    fn every_prefix_parses_without_panicking() {
        let text = "\u{feff}Résumé: &a !Sub\r\n  - 'x${Y}' # ü\n  - {Y: !GetAtt \"A.B\"}\nk: |+\n  é\n\n? [c, *a]\n: !If [C, *a, ! x]\n<<: *a\n--- \n";
        for (i, _) in text.char_indices() {
            let parsed = parse_yaml(&text[..i]);
            for e in &parsed.errors {
                assert!(e.span.start <= e.span.end && e.span.end as usize <= i, "{e:?} in {i}");
                assert!(text.is_char_boundary(e.span.start as usize));
            }
        }
    }

    #[test]
    fn char_to_byte_walks_both_ways() {
        let text = "aé€😀b";
        let mut offsets = CharToByte::new(text);
        assert_eq!(offsets.byte(4), 10);
        assert_eq!(offsets.byte(2), 3);
        assert_eq!(offsets.byte(5), 11);
        assert_eq!(offsets.byte(99), 11);
        assert_eq!(offsets.byte(0), 0);
    }
}
