//! Typed identity-policy documents built from a resolved [`Value`], with a [`Loc`] on every
//! statement and item, and the grammar problems found on the way.
//!
//! Grammar: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.
//! Every element accepts a string or a list (normalised to lists here); values that cannot be
//! known statically are kept as symbols so that matching them is "depends", never a guess.

use crate::iam::arn::is_valid_arn_shape;
use crate::iam::condition::{ConditionClause, parse_conditions};
use crate::span::{FileId, Loc, Span};
use crate::value::{SymStr, Value, ValueKind};

/// The policy language version under which `${...}` are policy variables.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html>
pub const VERSION_2012: &str = "2012-10-17";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    pub version: Option<String>,
    pub statements: Vec<Statement>,
    pub loc: Loc,
}

impl PolicyDocument {
    /// Policy variables are recognised only under `Version: 2012-10-17`.
    #[must_use]
    pub fn variables_enabled(&self) -> bool {
        self.version.as_deref() == Some(VERSION_2012)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Position in the document's statement list (0-based, counting skipped statements).
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: ActionList,
    pub resources: ResourceList,
    pub conditions: Vec<ConditionClause>,
    pub loc: Loc,
}

/// `Action` or `NotAction`. Items are symbolic strings: a value unknown at lint time is a lone
/// symbol, which makes matching it [`crate::iam::pattern::Match::Depends`].
#[derive(Clone, Debug, PartialEq)]
pub enum ActionList {
    Action(Vec<Item<SymStr>>),
    NotAction(Vec<Item<SymStr>>),
}

/// `Resource` or `NotResource`.
#[derive(Clone, Debug, PartialEq)]
pub enum ResourceList {
    Resource(Vec<Item<SymStr>>),
    NotResource(Vec<Item<SymStr>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item<T> {
    pub value: T,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyProblem {
    pub kind: PolicyProblemKind,
    pub message: String,
    pub loc: Loc,
}

/// What a [`PolicyProblem`] means for the document: callers decide what to report by the kind,
/// never by the message's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyProblemKind {
    /// IAM rejects the document (MalformedPolicyDocument).
    Malformed,
    /// A part is not known at lint time (a parameter, an unevaluated expression): not malformed.
    Unknown,
    /// `Principal`/`NotPrincipal` (the key), which an identity policy must not have (a resource
    /// policy, such as a VPC endpoint policy, needs it).
    Principal(&'static str),
}

/// True when a resource policy's statement names only everyone (`"*"` or `{"AWS": "*"}`): the
/// evaluator, which decides for the one caller it is given, can then read it like an identity
/// policy. A statement naming specific principals (or `NotPrincipal`) needs the caller's identity.
#[must_use]
pub fn names_only_everyone(statement: &Value) -> bool {
    if statement.get("NotPrincipal").is_some() {
        return false;
    }
    statement.get("Principal").is_none_or(|p| match &p.kind {
        ValueKind::Str(s) => s.as_literal() == Some("*"),
        ValueKind::Map(_) => {
            p.entries().len() == 1 && p.get("AWS").is_some_and(|a| a.as_literal().as_deref() == Some("*"))
        }
        _ => false,
    })
}

impl PolicyProblem {
    /// A problem IAM rejects the document for.
    #[must_use]
    pub fn new(message: impl Into<String>, file: FileId, span: Span) -> Self {
        Self { kind: PolicyProblemKind::Malformed, message: message.into(), loc: Loc::new(file, span) }
    }

    /// A part not known at lint time.
    #[must_use]
    pub fn unknown(message: impl Into<String>, file: FileId, span: Span) -> Self {
        Self { kind: PolicyProblemKind::Unknown, message: message.into(), loc: Loc::new(file, span) }
    }
}

const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
    "NotPrincipal",
];

/// Parses an identity policy. Statements with a missing or invalid `Effect`, or without exactly
/// one of `Action`/`NotAction` and one of `Resource`/`NotResource`, are reported and skipped;
/// other problems are reported and the statement is kept.
///
/// ```
/// use sagelint::iam::policy::{parse_policy, ActionList, Effect};
/// use sagelint::span::{FileId, Span};
/// use sagelint::value::{SymStr, Value, ValueEntry, ValueKind};
/// let s = |t: &str| Value::new(ValueKind::Str(SymStr::lit(t)), Span::default());
/// let entry = |k: &str, v: Value| ValueEntry { key: k.into(), key_span: Span::default(), value: v };
/// let stmt = Value::new(ValueKind::Map(vec![
///     entry("Effect", s("Allow")),
///     entry("Action", s("sagemaker:InvokeEndpoint")),
///     entry("Resource", s("*")),
/// ]), Span::default());
/// let doc = Value::new(ValueKind::Map(vec![
///     entry("Version", s("2012-10-17")),
///     entry("Statement", stmt), // a single object is accepted
/// ]), Span::default());
/// let (policy, problems) = parse_policy(&doc, FileId(0));
/// assert!(problems.is_empty());
/// assert_eq!(policy.statements.len(), 1);
/// assert_eq!(policy.statements[0].effect, Effect::Allow);
/// assert!(matches!(&policy.statements[0].actions, ActionList::Action(a) if a.len() == 1));
/// ```
#[must_use]
pub fn parse_policy(doc: &Value, file: FileId) -> (PolicyDocument, Vec<PolicyProblem>) {
    let mut problems = Vec::new();
    let mut policy = PolicyDocument { version: None, statements: Vec::new(), loc: Loc::new(file, doc.span) };
    let ValueKind::Map(entries) = &doc.kind else {
        problems.push(match doc.unknown_reason() {
            Some(why) => PolicyProblem::unknown(
                format!("the policy document cannot be known statically: {why}"),
                file,
                doc.span,
            ),
            None => PolicyProblem::new("a policy document must be a map", file, doc.span),
        });
        return (policy, problems);
    };
    check_keys(entries, TOP_KEYS, "policy", file, &mut problems);
    if let Some(v) = doc.get("Version") {
        match v.as_literal() {
            Some(ver) if ver == VERSION_2012 || ver == "2008-10-17" => policy.version = Some(ver),
            Some(ver) => {
                problems.push(PolicyProblem::new(
                    format!("unknown policy Version `{ver}` (expected 2012-10-17)"),
                    file,
                    v.span,
                ));
                policy.version = Some(ver);
            }
            None => problems.push(PolicyProblem::unknown("Version must be a literal string", file, v.span)),
        }
    }
    let Some(stmts) = doc.get("Statement") else {
        problems.push(PolicyProblem::new("the policy has no Statement", file, doc.span));
        return (policy, problems);
    };
    for (index, stmt) in stmts.as_list().into_iter().enumerate() {
        if let Some(s) = parse_statement(stmt, index, file, &mut problems) {
            policy.statements.push(s);
        }
    }
    // A document lives as long as its role, and most have a statement or two.
    policy.statements.shrink_to_fit();
    (policy, problems)
}

fn check_keys(
    entries: &[crate::value::ValueEntry],
    known: &[&str],
    what: &str,
    file: FileId,
    problems: &mut Vec<PolicyProblem>,
) {
    for (i, e) in entries.iter().enumerate() {
        if !known.contains(&e.key.as_str()) {
            problems.push(PolicyProblem::new(format!("unknown {what} key `{}`", e.key), file, e.key_span));
        }
        // A key may not repeat: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html#policies-grammar-notes
        if entries[..i].iter().any(|prev| prev.key == e.key) {
            problems.push(PolicyProblem::new(format!("duplicate {what} key `{}`", e.key), file, e.key_span));
        }
    }
}

fn parse_statement(
    stmt: &Value,
    index: usize,
    file: FileId,
    problems: &mut Vec<PolicyProblem>,
) -> Option<Statement> {
    let loc = Loc::new(file, stmt.span);
    let ValueKind::Map(entries) = &stmt.kind else {
        problems.push(match stmt.unknown_reason() {
            Some(why) => PolicyProblem::unknown(
                format!("statement {index} cannot be known statically ({why}); it is ignored"),
                file,
                stmt.span,
            ),
            None => {
                PolicyProblem::new(format!("statement {index} must be a map; it is ignored"), file, stmt.span)
            }
        });
        return None;
    };
    check_keys(entries, STATEMENT_KEYS, "statement", file, problems);

    // Effect values are case-sensitive: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
    let effect = match stmt.get("Effect") {
        None => {
            problems.push(PolicyProblem::new(
                format!("statement {index} has no Effect; it is ignored"),
                file,
                stmt.span,
            ));
            return None;
        }
        Some(v) => match v.as_literal().as_deref() {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            _ => {
                problems.push(PolicyProblem::new(
                    format!("Effect must be exactly `Allow` or `Deny` (case-sensitive), not `{}`; the statement is ignored", display(v)),
                    file,
                    v.span,
                ));
                return None;
            }
        },
    };

    let actions = match pick_one(stmt, "Action", "NotAction", index, file, problems)? {
        (true, v) => ActionList::Action(action_items(v, file, problems)),
        (false, v) => ActionList::NotAction(action_items(v, file, problems)),
    };
    let resources = match pick_one(stmt, "Resource", "NotResource", index, file, problems)? {
        (true, v) => ResourceList::Resource(resource_items(v, file, problems)),
        (false, v) => ResourceList::NotResource(resource_items(v, file, problems)),
    };

    // The principal of an identity policy is the identity it is attached to.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    for key in ["Principal", "NotPrincipal"] {
        if let Some(e) = entries.iter().find(|e| e.key == key) {
            problems.push(PolicyProblem {
                kind: PolicyProblemKind::Principal(key),
                message: format!(
                    "`{key}` is not allowed in an identity policy (IAM rejects it: \"Policy document should not specify a principal\")"
                ),
                loc: Loc::new(file, e.key_span),
            });
        }
    }

    let sid = stmt.get("Sid").map(display);
    let conditions = match stmt.get("Condition") {
        Some(c) => parse_conditions(c, file, problems),
        None => Vec::new(),
    };
    Some(Statement { index, sid, effect, actions, resources, conditions, loc })
}

/// Exactly one of `positive`/`negative` must be present. Returns which one and its value.
fn pick_one<'v>(
    stmt: &'v Value,
    positive: &str,
    negative: &str,
    index: usize,
    file: FileId,
    problems: &mut Vec<PolicyProblem>,
) -> Option<(bool, &'v Value)> {
    match (stmt.get(positive), stmt.get(negative)) {
        (Some(v), None) => Some((true, v)),
        (None, Some(v)) => Some((false, v)),
        (Some(_), Some(v)) => {
            problems.push(PolicyProblem::new(
                format!("statement {index} has both {positive} and {negative}; it is ignored"),
                file,
                v.span,
            ));
            None
        }
        (None, None) => {
            problems.push(PolicyProblem::new(
                format!("statement {index} has neither {positive} nor {negative}; it is ignored"),
                file,
                stmt.span,
            ));
            None
        }
    }
}

/// An item's text; a value unknown at lint time becomes a lone symbol named by the reason.
fn item_text(v: &Value) -> SymStr {
    match v.as_symstr() {
        Some(s) => s,
        None => SymStr::sym(
            v.unknown_reason().unwrap_or("non-string value"),
            crate::value::SymbolOrigin::NotEvaluated,
        ),
    }
}

fn display(v: &Value) -> String {
    item_text(v).to_string()
}

/// A list or map where a string belongs; the item is kept (as an undecidable symbol).
fn check_scalar(item: &Value, what: &str, file: FileId, problems: &mut Vec<PolicyProblem>) {
    if matches!(item.kind, ValueKind::List(_) | ValueKind::Map(_) | ValueKind::Null) {
        problems.push(PolicyProblem::new(format!("{what} items must be strings"), file, item.span));
    }
}

fn action_items(v: &Value, file: FileId, problems: &mut Vec<PolicyProblem>) -> Vec<Item<SymStr>> {
    v.as_list()
        .into_iter()
        .map(|item| {
            check_scalar(item, "Action", file, problems);
            let value = item_text(item);
            if let Some(text) = value.as_literal()
                && !is_action_shape(text)
            {
                problems.push(PolicyProblem::new(
                    format!("action `{text}` is not of the form `service:Action` or `*`"),
                    file,
                    item.span,
                ));
            }
            Item { value, loc: Loc::new(file, item.span) }
        })
        .collect()
}

/// `*` or `prefix:name`, with a service prefix of letters, digits and `-`.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>
fn is_action_shape(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    match text.split_once(':') {
        Some((service, name)) => {
            !service.is_empty()
                && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !name.is_empty()
                && !name.contains(':')
        }
        None => false,
    }
}

fn resource_items(v: &Value, file: FileId, problems: &mut Vec<PolicyProblem>) -> Vec<Item<SymStr>> {
    v.as_list()
        .into_iter()
        .map(|item| {
            check_scalar(item, "Resource", file, problems);
            let value = item_text(item);
            if let Some(text) = value.as_literal()
                && text != "*"
                && !is_valid_arn_shape(text)
            {
                problems.push(PolicyProblem::new(
                    format!("resource `{text}` is neither `*` nor an ARN (arn:partition:service:region:account:resource)"),
                    file,
                    item.span,
                ));
            }
            Item { value, loc: Loc::new(file, item.span) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::SymbolOrigin;
    use crate::value::ValueEntry;

    fn s(t: &str) -> Value {
        Value::new(ValueKind::Str(SymStr::lit(t)), Span::new(0, t.len() as u32))
    }
    fn list(items: Vec<Value>) -> Value {
        Value::new(ValueKind::List(items), Span::default())
    }
    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::new(
            ValueKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| ValueEntry { key: k.into(), key_span: Span::default(), value: v })
                    .collect(),
            ),
            Span::new(1, 2),
        )
    }

    fn parse(doc: &Value) -> (PolicyDocument, Vec<String>) {
        let (p, probs) = parse_policy(doc, FileId(0));
        (p, probs.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn problems_and_skips() {
        let (_, probs) = parse(&s("x"));
        assert_eq!(probs.len(), 1);
        let (_, probs) = parse(&map(vec![("Version", s("2012-10-17"))]));
        assert!(probs[0].contains("no Statement"));

        let doc = map(vec![
            ("Version", s("2012-10-17")),
            ("Extra", s("x")),
            (
                "Statement",
                list(vec![
                    map(vec![("Effect", s("allow")), ("Action", s("*")), ("Resource", s("*"))]),
                    map(vec![
                        ("Effect", s("Allow")),
                        ("Action", s("*")),
                        ("NotAction", s("x:y")),
                        ("Resource", s("*")),
                    ]),
                    map(vec![("Effect", s("Allow")), ("Action", s("*"))]),
                    map(vec![
                        ("Effect", s("Deny")),
                        ("Sid", s("S1")),
                        ("Principal", s("*")),
                        ("Action", list(vec![s("sagemaker:InvokeEndpoint"), s("InvokeEndpoint")])),
                        ("Resource", list(vec![s("endpoint/x"), s("arn:aws:sagemaker:*:*:endpoint/*")])),
                        ("Bogus", s("1")),
                    ]),
                    map(vec![
                        ("Effect", s("Allow")),
                        ("Action", list(vec![list(vec![])])),
                        ("Resource", s("*")),
                    ]),
                ]),
            ),
        ]);
        let (p, probs) = parse(&doc);
        assert_eq!(p.statements.len(), 2);
        let st = &p.statements[0];
        assert_eq!(st.index, 3);
        assert_eq!(st.sid.as_deref(), Some("S1"));
        assert_eq!(st.effect, Effect::Deny);
        assert!(p.variables_enabled());
        let joined = probs.join("\n");
        for needle in [
            "unknown policy key `Extra`",
            "case-sensitive",
            "both Action and NotAction",
            "neither Resource nor NotResource",
            "not allowed in an identity policy",
            "action `InvokeEndpoint`",
            "resource `endpoint/x`",
            "unknown statement key `Bogus`",
            "Action items must be strings",
        ] {
            assert!(joined.contains(needle), "missing {needle:?} in\n{joined}");
        }
    }

    #[test]
    fn unknown_values_become_symbols() {
        let unknown =
            Value::new(ValueKind::Unknown("parameter ActionParam has no default".into()), Span::default());
        let doc = map(vec![(
            "Statement",
            map(vec![("Effect", s("Allow")), ("Action", unknown), ("NotResource", s("*"))]),
        )]);
        let (p, probs) = parse(&doc);
        assert!(probs.is_empty(), "{probs:?}");
        let ActionList::Action(items) = &p.statements[0].actions else { panic!() };
        assert_eq!(
            items[0].value,
            SymStr::sym("parameter ActionParam has no default", SymbolOrigin::NotEvaluated)
        );
        assert!(matches!(p.statements[0].resources, ResourceList::NotResource(_)));
        assert!(!p.variables_enabled());
    }

    #[test]
    fn conditions_are_parsed() {
        let doc = map(vec![(
            "Statement",
            map(vec![
                ("Effect", s("Allow")),
                ("Action", s("*")),
                ("Resource", s("*")),
                (
                    "Condition",
                    map(vec![(
                        "ForAnyValue:StringLikeIfExists",
                        map(vec![("aws:TagKeys", list(vec![s("a"), s("b")])), ("k2", s("c"))]),
                    )]),
                ),
            ]),
        )]);
        let (p, probs) = parse(&doc);
        assert!(probs.is_empty(), "{probs:?}");
        let cs = &p.statements[0].conditions;
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].operator, "StringLike");
        assert!(cs[0].if_exists);
        assert_eq!(cs[0].qualifier, Some(crate::iam::condition::Qualifier::ForAnyValue));
        assert_eq!(cs[0].values.len(), 2);
        assert_eq!(cs[0].written_operator(), "ForAnyValue:StringLikeIfExists");
    }
}
