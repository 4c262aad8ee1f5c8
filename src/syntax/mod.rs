//! The span-preserving document tree shared by every input format.
//!
//! Loaders (`json`, `yaml`) turn text into a [`Node`] tree whose every node and key carries its byte
//! span. CloudFormation YAML short tags (`!Ref x`) are normalised to their long form
//! (`{"Ref": "x"}`), with the key's span at the tag, so later stages see one shape.

pub mod json;
pub mod yaml;
mod yaml_fast;

/// Runs the YAML fast path and saphyr on `text` and compares their events and spans: `Ok(false)`
/// when the fast path declined, `Ok(true)` when both agree, `Err` with the first difference.
/// For tests and the `yaml_fast` fuzz target.
#[doc(hidden)]
pub fn yaml_fast_agrees(text: &str) -> Result<bool, String> {
    yaml::fast_path_agrees(text)
}

use crate::span::Span;

/// A key or scalar of a [`Node`]: kept in place when short (most keys and many values of a
/// template are), so a tree costs far fewer allocations to build and to free.
pub type Text = compact_str::CompactString;

/// One value in a parsed document.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// A number, kept as its source text (CloudFormation treats most numbers as strings).
    Number(Text),
    String(Text),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping, in source order.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Text,
    pub key_span: Span,
    pub value: Node,
}

/// What kind of problem a [`SyntaxError`] is: the help a finding gives, and how the run treats
/// it, follow from the kind, never from the message's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxKind {
    /// The text does not follow the format's grammar.
    Syntax,
    /// HCL that `terraform validate` rejects.
    Hcl,
    DuplicateKey,
    /// A YAML alias (`*name`): expanded by packaging tools, rejected by CloudFormation itself.
    Alias,
    /// Aliases that expand past the bound.
    AliasExpansion,
    UnknownTag,
    /// More than one YAML document, or a complex mapping key.
    Unsupported,
    /// Nesting past the parsers' depth limit.
    TooDeep,
}

/// A problem that stops a file from being read as intended (reported as SL001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxKind,
    pub message: String,
    pub span: Span,
    /// The tree is incomplete after this error, so it must not be modelled (findings about text
    /// that is not there). Duplicate keys, aliases or unknown tags leave a usable tree.
    pub fatal: bool,
}

impl SyntaxError {
    /// An error after which the tree cannot be trusted.
    #[must_use]
    pub fn fatal(kind: SyntaxKind, message: impl Into<String>, span: Span) -> Self {
        Self { kind, message: message.into(), span, fatal: true }
    }

    /// An error reported as a finding while the tree stays usable.
    #[must_use]
    pub fn recoverable(kind: SyntaxKind, message: impl Into<String>, span: Span) -> Self {
        Self { kind, message: message.into(), span, fatal: false }
    }
}

/// The result of loading a file: the tree if one could be built, and every syntax problem found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
}

impl Node {
    #[must_use]
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// The value under `key` when this is a mapping (first occurrence).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries().iter().find(|e| e.key == key).map(|e| &e.value)
    }

    /// The entry for `key` when this is a mapping, with the key's span.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    /// Mapping entries, or an empty slice for any other kind.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Sequence items, or an empty slice for any other kind.
    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// A string value (not numbers or booleans).
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text: strings, numbers and booleans (CloudFormation's view of scalars).
    #[must_use]
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Some(s.as_str().to_owned()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    /// For a single-key mapping, that one entry (the shape of every intrinsic function).
    #[must_use]
    pub fn single_entry(&self) -> Option<&Entry> {
        match self.entries() {
            [only] => Some(only),
            _ => None,
        }
    }
}
