//! Resolved values: what a template's properties mean once intrinsics are applied, with the parts
//! that cannot be known at lint time kept as named symbols instead of guesses.
//!
//! A [`SymStr`] is a string made of literal text and [`Symbol`]s. Two symbols are equal when
//! their ids are equal, so `arn:${AWS::Partition}:…:${AWS::AccountId}:…` in a policy matches the
//! same expression built for a request, while a literal account id against the symbolic one is
//! "depends on the deployment".
//!
//! ```
//! use sagelint::value::SymStr;
//! let mut s = SymStr::lit("arn:");
//! s.push_sym("AWS::Partition");
//! s.push_str(":sagemaker");
//! assert_eq!(s.to_string(), "arn:${AWS::Partition}:sagemaker");
//! assert_eq!(s.as_literal(), None);
//! assert_eq!(SymStr::lit("x").as_literal(), Some("x"));
//! ```

use std::fmt;

use crate::span::Span;

/// An unknown part of a string, named so that equal unknowns compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(pub String);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Piece {
    Lit(String),
    Sym(Symbol),
}

/// A string of literal text and symbols. Adjacent literals are always merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SymStr {
    pieces: Vec<Piece>,
}

impl SymStr {
    #[must_use]
    pub fn lit(s: &str) -> Self {
        let mut out = Self::default();
        out.push_str(s);
        out
    }

    #[must_use]
    pub fn sym(id: &str) -> Self {
        let mut out = Self::default();
        out.push_sym(id);
        out
    }

    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Lit(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Lit(s.to_owned()));
        }
    }

    pub fn push_sym(&mut self, id: &str) {
        self.pieces.push(Piece::Sym(Symbol(id.to_owned())));
    }

    pub fn append(&mut self, other: &SymStr) {
        for piece in &other.pieces {
            match piece {
                Piece::Lit(s) => self.push_str(s),
                Piece::Sym(sym) => self.pieces.push(Piece::Sym(sym.clone())),
            }
        }
    }

    /// Bytes of text, symbols counted by their ids.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.len(),
                Piece::Sym(Symbol(id)) => id.len(),
            })
            .sum()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    #[must_use]
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The text when it has no symbols.
    #[must_use]
    pub fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Lit(s)] => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_literal(&self) -> bool {
        self.as_literal().is_some()
    }

    /// The symbols this string depends on.
    pub fn symbols(&self) -> impl Iterator<Item = &Symbol> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Sym(s) => Some(s),
            Piece::Lit(_) => None,
        })
    }

    /// Applies `f` to literal text only (symbols are unchanged), e.g. to lower-case a name.
    #[must_use]
    pub fn map_literals(&self, f: impl Fn(&str) -> String) -> SymStr {
        let mut out = SymStr::default();
        for piece in &self.pieces {
            match piece {
                Piece::Lit(s) => out.push_str(&f(s)),
                Piece::Sym(sym) => out.pieces.push(Piece::Sym(sym.clone())),
            }
        }
        out
    }
}

impl fmt::Display for SymStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in &self.pieces {
            match piece {
                Piece::Lit(s) => f.write_str(s)?,
                Piece::Sym(Symbol(id)) => write!(f, "${{{id}}}")?,
            }
        }
        Ok(())
    }
}

/// The largest value evaluated: CloudFormation's own template limit is 1 MB, and a name, ARN or
/// policy document is far smaller.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// Why a value was not evaluated: larger than [`MAX_VALUE_BYTES`] once expanded.
pub const TOO_LARGE: &str = "a value over 1 MiB once expanded, not evaluated";

/// A resolved value with the span of the source text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    Number(String),
    Str(SymStr),
    List(Vec<Value>),
    Map(Vec<ValueEntry>),
    /// A value that cannot be known statically; the text says why (shown in SL003).
    Unknown(String),
    /// A value whose evaluation fails where it is deployed: a Terraform attribute or element that
    /// the object or list does not have. Unknown to every reader, except Terraform's `try(…)`,
    /// which goes on to its next argument (the text says which reference failed).
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueEntry {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

impl Value {
    #[must_use]
    pub fn new(kind: ValueKind, span: Span) -> Self {
        Self { kind, span }
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries().iter().find(|e| e.key == key).map(|e| &e.value)
    }

    #[must_use]
    pub fn entries(&self) -> &[ValueEntry] {
        match &self.kind {
            ValueKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// List items; a scalar counts as a one-item list (IAM's "string or list" rule).
    #[must_use]
    pub fn as_list(&self) -> Vec<&Value> {
        match &self.kind {
            ValueKind::List(items) => items.iter().collect(),
            ValueKind::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// A string (symbolic or not); numbers and booleans are given as literal text.
    #[must_use]
    pub fn as_symstr(&self) -> Option<SymStr> {
        match &self.kind {
            ValueKind::Str(s) => Some(s.clone()),
            ValueKind::Number(n) => Some(SymStr::lit(n)),
            ValueKind::Bool(b) => Some(SymStr::lit(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    /// The literal text of a string, number or boolean without symbols.
    #[must_use]
    pub fn as_literal(&self) -> Option<String> {
        self.as_symstr().and_then(|s| s.as_literal().map(str::to_owned))
    }

    /// The value, or an unknown when it is larger than any name, ARN or policy could be: a few
    /// lines of nested `Fn::Sub`/`Fn::Join` (or Terraform locals) that each double a string
    /// would otherwise expand to terabytes. The bound is checked on each computed value, so no
    /// intermediate result exceeds twice [`MAX_VALUE_BYTES`].
    #[must_use]
    pub fn bounded(self) -> Self {
        if self.size_at_least(MAX_VALUE_BYTES + 1) > MAX_VALUE_BYTES {
            return Self { kind: ValueKind::Unknown(TOO_LARGE.into()), span: self.span };
        }
        self
    }

    /// True for the unknown that [`Value::bounded`] leaves: what contains it is too large too.
    #[must_use]
    pub fn is_too_large(&self) -> bool {
        self.unknown_reason() == Some(TOO_LARGE)
    }

    /// The size of the value (text bytes, plus one per list item and map entry), counted until
    /// `limit` is reached.
    #[must_use]
    pub fn size_at_least(&self, limit: usize) -> usize {
        match &self.kind {
            ValueKind::Str(s) => s.len(),
            ValueKind::Number(n) | ValueKind::Unknown(n) | ValueKind::Failed(n) => n.len(),
            ValueKind::Null | ValueKind::Bool(_) => 1,
            ValueKind::List(items) => {
                let mut total = items.len();
                for item in items {
                    if total >= limit {
                        break;
                    }
                    total += item.size_at_least(limit - total);
                }
                total
            }
            ValueKind::Map(entries) => {
                let mut total = entries.len();
                for e in entries {
                    if total >= limit {
                        break;
                    }
                    total += e.key.len() + e.value.size_at_least(limit - total);
                }
                total
            }
        }
    }

    #[must_use]
    pub fn unknown_reason(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Unknown(why) | ValueKind::Failed(why) => Some(why),
            _ => None,
        }
    }
}

/// The name of a value another stack exports (`Fn::ImportValue`), as a symbol: `ImportValue:<export>`.
pub const IMPORT_VALUE_SYMBOL: &str = "ImportValue:";

/// The name of a `Fn::FindInMap` lookup the files cannot decide, as a symbol: `FindInMap:<map>.<keys>`.
pub const FIND_IN_MAP_SYMBOL: &str = "FindInMap:";
