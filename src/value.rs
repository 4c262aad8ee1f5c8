//! Resolved values: what a template's properties mean once intrinsics are applied, with the parts
//! that cannot be known at lint time kept as named symbols instead of guesses.
//!
//! A [`SymStr`] is a string made of literal text and [`Symbol`]s. Two symbols are equal when
//! their ids are equal, so `arn:${AWS::Partition}:…:${AWS::AccountId}:…` in a policy matches the
//! same expression built for a request, while a literal account id against the symbolic one is
//! "depends on the deployment".
//!
//! Each symbol also says where its value comes from ([`SymbolOrigin`]), so a message can name it
//! ("the parameter Stage", "the variable var.stage") without guessing from the id's text.
//!
//! ```
//! use sagelint::value::{Pseudo, SymStr};
//! let mut s = SymStr::lit("arn:");
//! s.push_pseudo(Pseudo::Partition);
//! s.push_str(":sagemaker");
//! assert_eq!(s.to_string(), "arn:${AWS::Partition}:sagemaker");
//! assert_eq!(s.as_literal(), None);
//! assert_eq!(SymStr::lit("x").as_literal(), Some("x"));
//! ```

use std::fmt;

use crate::span::Span;

/// An unknown part of a string, named so that equal unknowns compare equal.
///
/// Equality, ordering and hashing use the id alone: the id already names one value (a parameter,
/// `AWS::Region`, `aws_x.y.arn`), and the same value reached two ways must still match itself.
///
/// A symbol is shared, not copied: the same symbol sits in every policy item, request ARN and
/// function that mentions it, and at 100,000 stacks each copy of an id and its origin was a
/// measurable part of the run's peak memory. The pseudo parameters are one value per process.
#[derive(Clone)]
pub struct Symbol(std::sync::Arc<SymbolData>);

struct SymbolData {
    id: String,
    origin: SymbolOrigin,
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Symbol").field("id", &self.0.id).field("origin", &self.0.origin).finish()
    }
}

impl Symbol {
    #[must_use]
    pub fn new(id: impl Into<String>, origin: SymbolOrigin) -> Self {
        Self(std::sync::Arc::new(SymbolData { id: id.into(), origin }))
    }

    /// A deployment's pseudo parameter, `AWS::Region` and the like.
    #[must_use]
    pub fn pseudo(p: Pseudo) -> Self {
        static PSEUDO: std::sync::LazyLock<[Symbol; Pseudo::ALL.len()]> =
            std::sync::LazyLock::new(|| Pseudo::ALL.map(|p| Symbol::new(p.id(), SymbolOrigin::Pseudo(p))));
        // `ALL` lists the variants in declaration order, so a variant indexes its own symbol.
        PSEUDO[p as usize].clone()
    }

    /// The name that identifies the value, shown as `${id}`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.0.id
    }

    #[must_use]
    pub fn origin(&self) -> &SymbolOrigin {
        &self.0.origin
    }

    /// An IAM request context key, not a value of the templates.
    #[must_use]
    pub fn is_condition_key(&self) -> bool {
        matches!(self.0.origin, SymbolOrigin::ConditionKey)
    }

    /// The resource whose value the symbol is: a CloudFormation logical ID, a Terraform address.
    #[must_use]
    pub fn resource(&self) -> Option<&str> {
        match &self.0.origin {
            SymbolOrigin::Resource { resource, .. }
            | SymbolOrigin::Terraform(TerraformRef::Attribute { resource: Some(resource) }) => Some(resource),
            _ => None,
        }
    }

    /// The part of the deployment (partition, region, account) the symbol stands for.
    #[must_use]
    pub fn deployment_part(&self) -> Option<&'static str> {
        match self.0.origin {
            SymbolOrigin::Pseudo(p) => p.deployment_part(),
            _ => None,
        }
    }
}

impl PartialEq for Symbol {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Symbol {}

impl std::hash::Hash for Symbol {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl PartialOrd for Symbol {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Symbol {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id().cmp(other.id())
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Where the value of a [`Symbol`] comes from: what a message calls it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolOrigin {
    /// A CloudFormation parameter without a default, and no value given with `--param`.
    Parameter,
    /// A pseudo parameter the deployment sets (Terraform's `aws_region` and
    /// `aws_caller_identity` data sources mean the same).
    Pseudo(Pseudo),
    /// A value of a CloudFormation resource known once it is created: `Fn::GetAtt` of
    /// `attribute`, or its `Ref` (physical ID) when `attribute` is `None`.
    Resource { resource: String, attribute: Option<String> },
    /// `Fn::ImportValue` of an export no scanned template gives one value.
    Import { export: String },
    /// `Fn::FindInMap` whose keys the files do not fix (`RegionMap.<AWS::Region>.Name`).
    Mapping { lookup: String },
    /// A name the template refers to but does not define; SL002 reports it.
    Undefined,
    /// A reference in Terraform; the id is its address.
    Terraform(TerraformRef),
    /// An IAM request context key (`aws:SourceVpce`, `aws:PrincipalTag/team`) that a condition
    /// or policy variable reads.
    ConditionKey,
    /// A value chosen at run time for each request: a log stream, a network interface, the
    /// endpoint the code names.
    Request,
    /// A value the linter does not evaluate; the id says what it is in words.
    NotEvaluated,
}

/// What kind of Terraform reference a symbol stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TerraformRef {
    /// An input variable with no value given (`var.endpoint_name`).
    Variable,
    /// A local value that cannot be evaluated (`local.name`).
    Local,
    /// An output of a module call (`module.model.endpoint_name`).
    ModuleOutput,
    /// An attribute of a resource or data source that is known only after apply; `resource` is
    /// its address (`aws_apigatewayv2_api.http`, `data.aws_x.y`) when the reference names it.
    Attribute { resource: Option<String> },
    /// An expression that is not evaluated (a function call, or a plan's computed value).
    Expression,
}

/// CloudFormation's pseudo parameters that stay unknown until deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pseudo {
    Partition,
    Region,
    AccountId,
    StackName,
    StackId,
    NotificationArns,
    UrlSuffix,
}

impl Pseudo {
    pub const ALL: [Pseudo; 7] = [
        Self::Partition,
        Self::Region,
        Self::AccountId,
        Self::StackName,
        Self::StackId,
        Self::NotificationArns,
        Self::UrlSuffix,
    ];

    /// The pseudo parameter `Ref` names (`AWS::Region`); `None` for other names.
    #[must_use]
    pub fn from_ref(name: &str) -> Option<Self> {
        Some(match name {
            "AWS::Partition" => Self::Partition,
            "AWS::Region" => Self::Region,
            "AWS::AccountId" => Self::AccountId,
            "AWS::StackName" => Self::StackName,
            "AWS::StackId" => Self::StackId,
            "AWS::NotificationARNs" => Self::NotificationArns,
            "AWS::URLSuffix" => Self::UrlSuffix,
            _ => return None,
        })
    }

    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Partition => "AWS::Partition",
            Self::Region => "AWS::Region",
            Self::AccountId => "AWS::AccountId",
            Self::StackName => "AWS::StackName",
            Self::StackId => "AWS::StackId",
            Self::NotificationArns => "AWS::NotificationARNs",
            Self::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// The name without `AWS::`, as in "the deployment's Region".
    #[must_use]
    pub fn name(self) -> &'static str {
        &self.id()["AWS::".len()..]
    }

    /// The part of an ARN this decides: partition, region or account.
    #[must_use]
    pub fn deployment_part(self) -> Option<&'static str> {
        match self {
            Self::Partition => Some("partition"),
            Self::Region => Some("region"),
            Self::AccountId => Some("account"),
            _ => None,
        }
    }
}

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
    pub fn sym(id: &str, origin: SymbolOrigin) -> Self {
        Self::symbol(Symbol::new(id, origin))
    }

    #[must_use]
    pub fn symbol(sym: Symbol) -> Self {
        Self { pieces: vec![Piece::Sym(sym)] }
    }

    #[must_use]
    pub fn pseudo(p: Pseudo) -> Self {
        Self::symbol(Symbol::pseudo(p))
    }

    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Lit(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            // Most strings are one literal; a first push would otherwise reserve four pieces.
            self.pieces.reserve_exact(1);
            self.pieces.push(Piece::Lit(s.to_owned()));
        }
    }

    pub fn push_sym(&mut self, id: &str, origin: SymbolOrigin) {
        self.push_symbol(Symbol::new(id, origin));
    }

    pub fn push_symbol(&mut self, sym: Symbol) {
        self.pieces.push(Piece::Sym(sym));
    }

    pub fn push_pseudo(&mut self, p: Pseudo) {
        self.push_symbol(Symbol::pseudo(p));
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
                Piece::Sym(sym) => sym.id().len(),
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

    /// How a message names the value: a value that is one symbol by its name alone
    /// (`var.zip_path`, `CodeUriParam`), anything else with its symbols as `${name}`.
    #[must_use]
    pub fn shown(&self) -> String {
        match self.pieces.as_slice() {
            [Piece::Sym(symbol)] => symbol.id().to_owned(),
            _ => self.to_string(),
        }
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
                Piece::Sym(sym) => write!(f, "${{{}}}", sym.id())?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_equal_by_id_whatever_their_origin() {
        // The same value reached two ways (a pseudo parameter from `--region`-less Terraform and
        // from a template) must still match itself in a policy.
        let a = Symbol::pseudo(Pseudo::Region);
        let b = Symbol::new("AWS::Region", SymbolOrigin::NotEvaluated);
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        assert_ne!(a, Symbol::new("AWS::AccountId", SymbolOrigin::Pseudo(Pseudo::AccountId)));
        assert_eq!(SymStr::pseudo(Pseudo::Region).to_string(), "${AWS::Region}");
        assert_eq!(a.deployment_part(), Some("region"));
        assert_eq!(b.deployment_part(), None);
    }
}
