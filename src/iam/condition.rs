//! Condition blocks: parsing `Condition` into clauses, the request [`Context`] of known key
//! values, and three-valued evaluation ([`Tri`]) whose `Unknown` names the keys that decide it.
//!
//! Semantics: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use crate::iam::pattern::{Match, MatchOptions, Mode, match_with};
use crate::iam::policy::PolicyProblem;
use crate::span::{FileId, Loc};
use crate::value::{SymStr, Symbol, SymbolOrigin, Value, ValueKind};

/// Keys that never exist for a Lambda execution-role session. `aws:username` is only set for IAM
/// users: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-username>
const ABSENT_FOR_ROLE_SESSION: &[&str] = &["aws:username"];

/// What is known about the request's condition keys. Key names are case-insensitive
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>),
/// so they are stored lower-cased. `Context::default()` knows nothing except that the principal
/// is a role session (so `aws:username` is absent).
///
/// ```
/// use sagelint::iam::condition::{Context, KeyState};
/// let ctx = Context::default().with_value("aws:SecureTransport", "true").with_absent("aws:SourceVpce");
/// assert_eq!(ctx.lookup("AWS:securetransport"), KeyState::Present(&["true".to_owned()]));
/// assert_eq!(ctx.lookup("aws:SourceVpce"), KeyState::Absent);
/// assert_eq!(ctx.lookup("aws:username"), KeyState::Absent);
/// assert_eq!(ctx.lookup("aws:SourceIp"), KeyState::Unknown);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, Vec<String>>,
    absent: BTreeSet<String>,
}

/// What a [`Context`] says about one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState<'a> {
    Present(&'a [String]),
    Absent,
    Unknown,
}

impl Context {
    /// Records a single value for `key` (replacing earlier values).
    #[must_use]
    pub fn with_value(self, key: &str, value: &str) -> Self {
        self.with_values(key, vec![value.to_owned()])
    }

    /// Records the values of a (possibly multi-valued) key.
    #[must_use]
    pub fn with_values(mut self, key: &str, values: Vec<String>) -> Self {
        self.set(key, values);
        self
    }

    /// Records that `key` is not in the request.
    #[must_use]
    pub fn with_absent(mut self, key: &str) -> Self {
        self.set_absent(key);
        self
    }

    pub fn set(&mut self, key: &str, values: Vec<String>) {
        let key = key.to_lowercase();
        self.absent.remove(&key);
        self.values.insert(key, values);
    }

    pub fn set_absent(&mut self, key: &str) {
        let key = key.to_lowercase();
        self.values.remove(&key);
        self.absent.insert(key);
    }

    #[must_use]
    pub fn lookup(&self, key: &str) -> KeyState<'_> {
        let key = key.to_lowercase();
        if let Some(values) = self.values.get(&key) {
            KeyState::Present(values)
        } else if self.absent.contains(&key) || ABSENT_FOR_ROLE_SESSION.contains(&key.as_str()) {
            KeyState::Absent
        } else {
            KeyState::Unknown
        }
    }
}

/// Kleene three-valued truth; `Unknown` names what decides it (condition keys or symbols),
/// sorted and deduplicated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown(Vec<Symbol>),
}

impl Tri {
    /// Decided by the request's value of a condition key; `key` may carry a note on why
    /// (`aws:SourceVpce (unsupported operator X)`).
    #[must_use]
    pub fn unknown_key(key: impl Into<String>) -> Tri {
        Tri::Unknown(vec![Symbol::new(key, SymbolOrigin::ConditionKey)])
    }

    #[must_use]
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    #[must_use]
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::Unknown(a), Tri::Unknown(b)) => Tri::Unknown(merge(a, b)),
            (Tri::Unknown(a), Tri::True) | (Tri::True, Tri::Unknown(a)) => Tri::Unknown(a),
            (Tri::True, Tri::True) => Tri::True,
        }
    }

    #[must_use]
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::Unknown(a), Tri::Unknown(b)) => Tri::Unknown(merge(a, b)),
            (Tri::Unknown(a), Tri::False) | (Tri::False, Tri::Unknown(a)) => Tri::Unknown(a),
            (Tri::False, Tri::False) => Tri::False,
        }
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;

    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u @ Tri::Unknown(_) => u,
        }
    }
}

impl From<Match> for Tri {
    fn from(m: Match) -> Tri {
        match m {
            Match::Yes => Tri::True,
            Match::No => Tri::False,
            Match::Depends(syms) => Tri::Unknown(syms),
        }
    }
}

fn merge(mut a: Vec<Symbol>, b: Vec<Symbol>) -> Vec<Symbol> {
    a.extend(b);
    a.sort();
    a.dedup();
    a
}

/// `ForAnyValue:` / `ForAllValues:` set operator prefix.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    ForAnyValue,
    ForAllValues,
}

/// One `operator → key → values` entry of a `Condition` block.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionClause {
    /// The base operator without qualifier or `IfExists`, e.g. `StringEquals`.
    pub operator: String,
    pub qualifier: Option<Qualifier>,
    pub if_exists: bool,
    pub key: String,
    /// Policy values; symbolic when built from template intrinsics, a lone symbol when unknown.
    pub values: Vec<SymStr>,
    pub loc: Loc,
}

impl ConditionClause {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    #[must_use]
    pub fn written_operator(&self) -> String {
        let prefix = match self.qualifier {
            Some(Qualifier::ForAnyValue) => "ForAnyValue:",
            Some(Qualifier::ForAllValues) => "ForAllValues:",
            None => "",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.operator)
    }
}

/// Parses a statement's `Condition` value. Problems are appended to `problems`.
pub fn parse_conditions(
    cond: &Value,
    file: FileId,
    problems: &mut Vec<PolicyProblem>,
) -> Vec<ConditionClause> {
    let mut out = Vec::new();
    let ValueKind::Map(ops) = &cond.kind else {
        problems.push(PolicyProblem::new(
            "Condition must be a map of operator to key/value map",
            file,
            cond.span,
        ));
        return out;
    };
    for op_entry in ops {
        let (qualifier, rest) = if let Some(r) = op_entry.key.strip_prefix("ForAnyValue:") {
            (Some(Qualifier::ForAnyValue), r)
        } else if let Some(r) = op_entry.key.strip_prefix("ForAllValues:") {
            (Some(Qualifier::ForAllValues), r)
        } else {
            (None, op_entry.key.as_str())
        };
        // `Null` cannot take `IfExists`: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
        let (operator, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) if !base.is_empty() => (base.to_owned(), true),
            _ => (rest.to_owned(), false),
        };
        if !KNOWN_OPERATORS.contains(&operator.as_str()) {
            problems.push(PolicyProblem::new(
                format!(
                    "unknown condition operator `{}`; the condition is treated as undecidable",
                    op_entry.key
                ),
                file,
                op_entry.key_span,
            ));
        }
        let ValueKind::Map(keys) = &op_entry.value.kind else {
            problems.push(PolicyProblem::new(
                format!("condition operator `{}` must map to a key/value map", op_entry.key),
                file,
                op_entry.value.span,
            ));
            // Still keep an undecidable clause so a statement is not silently unconditional.
            out.push(ConditionClause {
                operator,
                qualifier,
                if_exists,
                key: op_entry.key.clone(),
                values: vec![SymStr::sym(
                    &format!("malformed condition `{}`", op_entry.key),
                    SymbolOrigin::NotEvaluated,
                )],
                loc: Loc::new(file, op_entry.value.span),
            });
            continue;
        };
        for key_entry in keys {
            let values = key_entry
                .value
                .as_list()
                .into_iter()
                .map(|v| match v.as_symstr() {
                    Some(s) => s,
                    None => SymStr::sym(
                        v.unknown_reason().unwrap_or("non-scalar condition value"),
                        SymbolOrigin::NotEvaluated,
                    ),
                })
                .collect();
            out.push(ConditionClause {
                operator: operator.clone(),
                qualifier,
                if_exists,
                key: key_entry.key.clone(),
                values,
                loc: Loc::new(file, key_entry.key_span.cover(key_entry.value.span)),
            });
        }
    }
    out
}

const KNOWN_OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Global condition keys whose "Value type" is "Multivalued": a list in the request context even
/// when it holds one value.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>
const MULTIVALUED_KEYS: &[&str] = &[
    "aws:calledvia",
    "aws:principalorgpaths",
    "aws:principalservicenameslist",
    "aws:resourceorgpaths",
    "aws:sourceorgpaths",
    "aws:tagkeys",
];

fn is_multivalued(key: &str) -> bool {
    MULTIVALUED_KEYS.contains(&key.to_lowercase().as_str())
}

/// Evaluates all clauses of a statement (ANDed). `variables` is true under policy Version
/// 2012-10-17, when `${...}` in String/ARN/Bool values are policy variables.
#[must_use]
pub fn evaluate_all(clauses: &[ConditionClause], ctx: &Context, variables: bool) -> Tri {
    clauses.iter().fold(Tri::True, |acc, c| acc.and(evaluate(c, ctx, variables)))
}

/// Evaluates one clause against what is known about the request.
///
/// ```
/// use sagelint::iam::condition::{evaluate, ConditionClause, Context, Tri};
/// use sagelint::span::{FileId, Loc, Span};
/// use sagelint::value::SymStr;
/// let clause = ConditionClause {
///     operator: "StringEquals".into(), qualifier: None, if_exists: false,
///     key: "aws:SourceVpce".into(), values: vec![SymStr::lit("vpce-1")],
///     loc: Loc::new(FileId(0), Span::default()),
/// };
/// assert_eq!(evaluate(&clause, &Context::default(), true), Tri::unknown_key("aws:SourceVpce"));
/// // No interface endpoint on the path: the key is absent, so the condition is false.
/// assert_eq!(evaluate(&clause, &Context::default().with_absent("aws:SourceVpce"), true), Tri::False);
/// let ctx = Context::default().with_value("aws:sourcevpce", "vpce-1");
/// assert_eq!(evaluate(&clause, &ctx, true), Tri::True);
/// ```
#[must_use]
pub fn evaluate(clause: &ConditionClause, ctx: &Context, variables: bool) -> Tri {
    let Some(op) = Operator::parse(&clause.operator) else {
        // Never decide a condition we do not understand.
        return Tri::unknown_key(format!(
            "{} (unsupported operator {})",
            clause.key,
            clause.written_operator()
        ));
    };
    let state = ctx.lookup(&clause.key);
    if op == Operator::Null {
        // `Null: true` means "the key is absent".
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
        let present = match state {
            KeyState::Present(v) => !v.is_empty(),
            KeyState::Absent => false,
            KeyState::Unknown => return Tri::unknown_key(clause.key.clone()),
        };
        return clause.values.iter().fold(Tri::False, |acc, pv| {
            let t = match pv.as_literal() {
                Some(s) if s.eq_ignore_ascii_case("true") => Tri::from_bool(!present),
                Some(s) if s.eq_ignore_ascii_case("false") => Tri::from_bool(present),
                Some(_) => Tri::False,
                None => Tri::Unknown(pv.symbols().cloned().collect()),
            };
            acc.or(t)
        });
    }
    let request_values: &[String] = match state {
        KeyState::Present(v) if !v.is_empty() => v,
        KeyState::Present(_) | KeyState::Absent => {
            if clause.if_exists && clause.qualifier == Some(Qualifier::ForAnyValue) {
                // `IfExists` says an absent key makes the condition true; `ForAnyValue` says an
                // absent key makes it false. The guide defines each alone and never the two
                // together ("For no matching context key or if the key does not exist, the
                // condition returns `false`." for ForAnyValue; "If the key is not present,
                // evaluate the condition element as true." for IfExists), so sagelint does not
                // pick one: the clause is undecidable (SL105 in rules, "only if" in eval).
                // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>,
                // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists>
                return Tri::unknown_key(format!(
                    "{} (ForAnyValue with {}IfExists on an absent key, which the IAM documentation does not define)",
                    clause.key, clause.operator
                ));
            }
            // Missing key: IfExists → true; ForAllValues → true (vacuous); ForAnyValue → false;
            // plain negated operators → true; others → false.
            return Tri::from_bool(
                clause.if_exists
                    || match clause.qualifier {
                        Some(Qualifier::ForAllValues) => true,
                        Some(Qualifier::ForAnyValue) => false,
                        None => op.negated(),
                    },
            );
        }
        KeyState::Unknown => return Tri::unknown_key(clause.key.clone()),
    };
    if clause.qualifier.is_none() && (request_values.len() > 1 || is_multivalued(&clause.key)) {
        // A key with several values in the request is multivalued, and the guide requires a set
        // operator for it without saying what an operator without one does: "Multivalued context
        // keys require a condition set operator." and "The difference between single-valued and
        // multivalued context keys depends on the number of values in the request context, not
        // the number of values in the policy condition." Undecidable rather than a guess.
        // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>
        return Tri::unknown_key(format!(
            "{} ({} without ForAnyValue or ForAllValues on a multivalued key, which the IAM documentation does not define)",
            clause.key,
            clause.written_operator()
        ));
    }
    let vars = variables && op.allows_variables();
    let test = |v: &str| {
        let any = clause.values.iter().fold(Tri::False, |acc, pv| acc.or(op.positive(v, pv, ctx, vars)));
        if op.negated() { !any } else { any }
    };
    match clause.qualifier {
        Some(Qualifier::ForAllValues) => request_values.iter().fold(Tri::True, |acc, v| acc.and(test(v))),
        Some(Qualifier::ForAnyValue) | None => {
            request_values.iter().fold(Tri::False, |acc, v| acc.or(test(v)))
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Str { ignore_case: bool, like: bool, negated: bool },
    Num { cmp: Cmp, negated: bool },
    Date { cmp: Cmp, negated: bool },
    Bool,
    Binary,
    Ip { negated: bool },
    Arn { negated: bool },
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Cmp::Eq => ord == Equal,
            Cmp::Lt => ord == Less,
            Cmp::Le => ord != Greater,
            Cmp::Gt => ord == Greater,
            Cmp::Ge => ord != Less,
        }
    }
}

impl Operator {
    fn parse(name: &str) -> Option<Operator> {
        let cmp = |rest: &str| match rest {
            "Equals" => Some((Cmp::Eq, false)),
            "NotEquals" => Some((Cmp::Eq, true)),
            "LessThan" => Some((Cmp::Lt, false)),
            "LessThanEquals" => Some((Cmp::Le, false)),
            "GreaterThan" => Some((Cmp::Gt, false)),
            "GreaterThanEquals" => Some((Cmp::Ge, false)),
            _ => None,
        };
        let s = |ignore_case, like, negated| Some(Operator::Str { ignore_case, like, negated });
        match name {
            "StringEquals" => s(false, false, false),
            "StringNotEquals" => s(false, false, true),
            "StringEqualsIgnoreCase" => s(true, false, false),
            "StringNotEqualsIgnoreCase" => s(true, false, true),
            "StringLike" => s(false, true, false),
            "StringNotLike" => s(false, true, true),
            "Bool" => Some(Operator::Bool),
            "BinaryEquals" => Some(Operator::Binary),
            "IpAddress" => Some(Operator::Ip { negated: false }),
            "NotIpAddress" => Some(Operator::Ip { negated: true }),
            // ArnEquals behaves as ArnLike (wildcards allowed).
            "ArnEquals" | "ArnLike" => Some(Operator::Arn { negated: false }),
            "ArnNotEquals" | "ArnNotLike" => Some(Operator::Arn { negated: true }),
            "Null" => Some(Operator::Null),
            _ => {
                if let Some(rest) = name.strip_prefix("Numeric") {
                    cmp(rest).map(|(cmp, negated)| Operator::Num { cmp, negated })
                } else if let Some(rest) = name.strip_prefix("Date") {
                    cmp(rest).map(|(cmp, negated)| Operator::Date { cmp, negated })
                } else {
                    None
                }
            }
        }
    }

    fn negated(self) -> bool {
        match self {
            Operator::Str { negated, .. }
            | Operator::Num { negated, .. }
            | Operator::Date { negated, .. }
            | Operator::Ip { negated }
            | Operator::Arn { negated } => negated,
            Operator::Bool | Operator::Binary | Operator::Null => false,
        }
    }

    /// Policy variables are allowed only with String, ARN and Bool operators.
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-wheretouse>
    fn allows_variables(self) -> bool {
        matches!(self, Operator::Str { .. } | Operator::Arn { .. } | Operator::Bool)
    }

    /// The un-negated test of one request value against one policy value.
    fn positive(self, v: &str, pv: &SymStr, ctx: &Context, vars: bool) -> Tri {
        let vars = vars.then_some(ctx);
        let text = SymStr::lit(v);
        match self {
            Operator::Str { ignore_case, like, .. } => {
                let mode = if like { Mode::Glob } else { Mode::Exact };
                match_with(pv, &text, MatchOptions { mode, ignore_case }, vars).into()
            }
            Operator::Bool => {
                match_with(pv, &text, MatchOptions { mode: Mode::Exact, ignore_case: true }, vars).into()
            }
            // ARN operators compare each colon-separated part separately, case-sensitively.
            Operator::Arn { .. } => {
                match_with(pv, &text, MatchOptions { mode: Mode::ArnSegments, ignore_case: false }, vars)
                    .into()
            }
            Operator::Binary => literal_test(pv, |p| p == v),
            Operator::Num { cmp, .. } => literal_test(pv, |p| match (parse_number(v), parse_number(p)) {
                (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| cmp.holds(o)),
                _ => false,
            }),
            Operator::Date { cmp, .. } => literal_test(pv, |p| match (parse_date(v), parse_date(p)) {
                (Some(a), Some(b)) => cmp.holds(a.cmp(&b)),
                _ => false,
            }),
            Operator::Ip { .. } => literal_test(pv, |p| cidr_contains(p, v)),
            Operator::Null => Tri::False,
        }
    }
}

/// Applies a test to a literal policy value; a symbolic one is undecidable.
fn literal_test(pv: &SymStr, f: impl Fn(&str) -> bool) -> Tri {
    match pv.as_literal() {
        Some(p) => Tri::from_bool(f(p)),
        None => Tri::Unknown(pv.symbols().cloned().collect()),
    }
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parses an ISO-8601 date (`YYYY-MM-DD`), date-time (`YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`,
/// `±HH:MM` or no zone = UTC) or epoch seconds into seconds since the epoch.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>
///
/// ```
/// use sagelint::iam::condition::parse_date;
/// assert_eq!(parse_date("1970-01-02"), Some(86_400));
/// assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(1_577_836_800));
/// assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), Some(1_577_836_800));
/// assert_eq!(parse_date("1577836800"), Some(1_577_836_800));
/// assert_eq!(parse_date("yesterday"), None);
/// ```
#[must_use]
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = split_zone(time)?;
        let clock = clock.split('.').next()?;
        let mut hms = clock.split(':');
        let h: i64 = hms.next()?.parse().ok()?;
        let m: i64 = hms.next()?.parse().ok()?;
        let sec: i64 = match hms.next() {
            Some(x) => x.parse().ok()?,
            None => 0,
        };
        if hms.next().is_some() || h > 24 || m > 59 || sec > 60 {
            return None;
        }
        secs += h * 3600 + m * 60 + sec - offset;
    }
    Some(secs)
}

/// Splits `HH:MM:SS…` from its zone suffix; returns the zone offset in seconds.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    if let Some(pos) = time.rfind(['+', '-']) {
        let (clock, zone) = time.split_at(pos);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let zone = &zone[1..];
        let (h, m) = zone.split_once(':').unwrap_or((zone, "0"));
        let h: i64 = h.parse().ok()?;
        let m: i64 = m.parse().ok()?;
        return Some((clock, sign * (h * 3600 + m * 60)));
    }
    Some((time, 0))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let d = i64::from(d);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Is `ip` inside `cidr` (`a.b.c.d/n`, IPv6 `x::/n`, or a bare address)?
///
/// ```
/// use sagelint::iam::condition::cidr_contains;
/// assert!(cidr_contains("10.0.0.0/8", "10.1.2.3"));
/// assert!(!cidr_contains("10.0.0.0/8", "11.1.2.3"));
/// assert!(cidr_contains("2001:db8::/32", "2001:db8::1"));
/// assert!(!cidr_contains("2001:db8::/32", "10.1.2.3"));
/// assert!(cidr_contains("192.0.2.7", "192.0.2.7"));
/// ```
#[must_use]
pub fn cidr_contains(cidr: &str, ip: &str) -> bool {
    let (net, len) = match cidr.trim().split_once('/') {
        Some((n, l)) => (n, l.parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    let (Ok(net), Ok(ip)) = (net.parse::<IpAddr>(), ip.trim().parse::<IpAddr>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return false;
            }
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let len = len.unwrap_or(128);
            if len > 128 {
                return false;
            }
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;
    use crate::value::Pseudo;

    fn clause(op: &str, key: &str, values: &[&str]) -> ConditionClause {
        let (qualifier, rest) = if let Some(r) = op.strip_prefix("ForAnyValue:") {
            (Some(Qualifier::ForAnyValue), r)
        } else if let Some(r) = op.strip_prefix("ForAllValues:") {
            (Some(Qualifier::ForAllValues), r)
        } else {
            (None, op)
        };
        let (operator, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        ConditionClause {
            operator: operator.into(),
            qualifier,
            if_exists,
            key: key.into(),
            values: values.iter().map(|v| SymStr::lit(v)).collect(),
            loc: Loc::new(FileId(0), Span::default()),
        }
    }

    fn eval(op: &str, key: &str, values: &[&str], ctx: &Context) -> Tri {
        evaluate(&clause(op, key, values), ctx, true)
    }

    fn with(key: &str, v: &str) -> Context {
        Context::default().with_value(key, v)
    }

    #[test]
    fn strings() {
        let ctx = with("k", "Hello");
        assert_eq!(eval("StringEquals", "k", &["hello", "Hello"], &ctx), Tri::True);
        assert_eq!(eval("StringEquals", "k", &["hello"], &ctx), Tri::False);
        assert_eq!(eval("StringEqualsIgnoreCase", "k", &["hello"], &ctx), Tri::True);
        assert_eq!(eval("StringNotEquals", "k", &["a", "b"], &ctx), Tri::True);
        assert_eq!(eval("StringNotEquals", "k", &["a", "Hello"], &ctx), Tri::False);
        assert_eq!(eval("StringNotEqualsIgnoreCase", "k", &["HELLO"], &ctx), Tri::False);
        assert_eq!(eval("StringLike", "k", &["H*o"], &ctx), Tri::True);
        assert_eq!(eval("StringLike", "k", &["h*"], &ctx), Tri::False);
        assert_eq!(eval("StringNotLike", "k", &["x*"], &ctx), Tri::True);
        // `*` is literal for StringEquals.
        assert_eq!(eval("StringEquals", "k", &["*"], &ctx), Tri::False);
        // Key names are case-insensitive.
        assert_eq!(eval("StringEquals", "K", &["Hello"], &ctx), Tri::True);
    }

    #[test]
    fn absent_unknown_and_if_exists() {
        let absent = Context::default().with_absent("k");
        let none = Context::default();
        assert_eq!(eval("StringEquals", "k", &["a"], &absent), Tri::False);
        assert_eq!(eval("StringNotEquals", "k", &["a"], &absent), Tri::True);
        assert_eq!(eval("StringEqualsIfExists", "k", &["a"], &absent), Tri::True);
        assert_eq!(eval("StringEquals", "k", &["a"], &none), Tri::unknown_key("k"));
        assert_eq!(eval("StringEqualsIfExists", "k", &["a"], &with("k", "b")), Tri::False);
        assert_eq!(eval("StringEquals", "aws:username", &["a"], &none), Tri::False);
        assert_eq!(
            eval("NoSuchOperator", "k", &["a"], &with("k", "a")),
            Tri::unknown_key("k (unsupported operator NoSuchOperator)")
        );
    }

    #[test]
    fn null() {
        assert_eq!(eval("Null", "k", &["true"], &Context::default().with_absent("k")), Tri::True);
        assert_eq!(eval("Null", "k", &["false"], &Context::default().with_absent("k")), Tri::False);
        assert_eq!(eval("Null", "k", &["false"], &with("k", "x")), Tri::True);
        assert_eq!(eval("Null", "k", &["true"], &Context::default()), Tri::unknown_key("k"));
    }

    #[test]
    fn numeric_and_date() {
        let ctx = with("n", "10");
        assert_eq!(eval("NumericEquals", "n", &["10.0"], &ctx), Tri::True);
        assert_eq!(eval("NumericNotEquals", "n", &["10"], &ctx), Tri::False);
        assert_eq!(eval("NumericLessThan", "n", &["11"], &ctx), Tri::True);
        assert_eq!(eval("NumericLessThanEquals", "n", &["10"], &ctx), Tri::True);
        assert_eq!(eval("NumericGreaterThan", "n", &["10"], &ctx), Tri::False);
        assert_eq!(eval("NumericGreaterThanEquals", "n", &["9"], &ctx), Tri::True);
        assert_eq!(eval("NumericEquals", "n", &["ten"], &ctx), Tri::False);
        let d = with("aws:CurrentTime", "2026-06-01T12:00:00Z");
        assert_eq!(eval("DateLessThan", "aws:CurrentTime", &["2027-01-01"], &d), Tri::True);
        assert_eq!(eval("DateGreaterThan", "aws:CurrentTime", &["2027-01-01T00:00:00Z"], &d), Tri::False);
        assert_eq!(eval("DateEquals", "aws:CurrentTime", &["1780315200"], &d), Tri::True);
        assert_eq!(eval("DateNotEquals", "aws:CurrentTime", &["2026-06-01"], &d), Tri::True);
    }

    #[test]
    fn bool_binary_ip_arn() {
        let ctx = with("aws:SecureTransport", "true");
        assert_eq!(eval("Bool", "aws:SecureTransport", &["TRUE"], &ctx), Tri::True);
        assert_eq!(eval("Bool", "aws:SecureTransport", &["false"], &ctx), Tri::False);
        assert_eq!(eval("BinaryEquals", "b", &["QmluYXJ5"], &with("b", "QmluYXJ5")), Tri::True);
        let ip = with("aws:SourceIp", "203.0.113.9");
        assert_eq!(eval("IpAddress", "aws:SourceIp", &["203.0.113.0/24"], &ip), Tri::True);
        assert_eq!(eval("NotIpAddress", "aws:SourceIp", &["203.0.113.0/24"], &ip), Tri::False);
        assert_eq!(eval("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8", "::/0"], &ip), Tri::True);
        let arn = with("aws:PrincipalArn", "arn:aws:iam::111122223333:role/fn-role");
        assert_eq!(eval("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/fn-*"], &arn), Tri::True);
        assert_eq!(
            eval("ArnEquals", "aws:PrincipalArn", &["arn:aws:iam::111122223333:role/*"], &arn),
            Tri::True
        );
        assert_eq!(eval("ArnNotLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/other"], &arn), Tri::True);
        // A `*` does not cross segments in ARN operators.
        assert_eq!(eval("ArnLike", "aws:PrincipalArn", &["arn:aws:*:role/fn-role"], &arn), Tri::False);
        // Case-sensitive.
        assert_eq!(eval("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/FN-*"], &arn), Tri::False);
    }

    #[test]
    fn set_operators() {
        let tags = Context::default().with_values("aws:TagKeys", vec!["a".into(), "b".into()]);
        assert_eq!(eval("ForAnyValue:StringEquals", "aws:TagKeys", &["b", "z"], &tags), Tri::True);
        assert_eq!(eval("ForAllValues:StringEquals", "aws:TagKeys", &["b", "z"], &tags), Tri::False);
        assert_eq!(eval("ForAllValues:StringEquals", "aws:TagKeys", &["a", "b"], &tags), Tri::True);
        let absent = Context::default().with_absent("aws:TagKeys");
        assert_eq!(eval("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &absent), Tri::True);
        assert_eq!(eval("ForAnyValue:StringEquals", "aws:TagKeys", &["a"], &absent), Tri::False);
        assert_eq!(eval("ForAnyValue:StringNotEquals", "aws:TagKeys", &["a"], &tags), Tri::True);
    }

    #[test]
    fn undocumented_combinations_are_undecidable() {
        let called = Context::default().with_values(
            "aws:CalledVia",
            vec!["athena.amazonaws.com".into(), "dynamodb.amazonaws.com".into()],
        );
        assert_eq!(
            eval("StringEquals", "aws:CalledVia", &["athena.amazonaws.com"], &called),
            Tri::unknown_key(
                "aws:CalledVia (StringEquals without ForAnyValue or ForAllValues on a multivalued key, which \
                 the IAM documentation does not define)"
            )
        );
        // A documented multivalued key is a list even with one value in it.
        let one = Context::default().with_values("aws:CalledVia", vec!["athena.amazonaws.com".into()]);
        assert!(matches!(
            eval("StringEquals", "aws:CalledVia", &["athena.amazonaws.com"], &one),
            Tri::Unknown(_)
        ));
        // Any other key with one value is single-valued.
        let vpc = Context::default().with_value("aws:SourceVpc", "vpc-1");
        assert_eq!(eval("StringEquals", "aws:SourceVpc", &["vpc-1"], &vpc), Tri::True);
        let absent = Context::default().with_absent("aws:CalledVia");
        assert_eq!(
            eval("ForAnyValue:StringEqualsIfExists", "aws:CalledVia", &["athena.amazonaws.com"], &absent),
            Tri::unknown_key(
                "aws:CalledVia (ForAnyValue with StringEqualsIfExists on an absent key, which the IAM \
                 documentation does not define)"
            )
        );
        assert_eq!(
            eval("ForAllValues:StringEqualsIfExists", "aws:CalledVia", &["athena.amazonaws.com"], &absent),
            Tri::True
        );
    }

    #[test]
    fn variables_in_values() {
        let ctx = Context::default().with_value("aws:ResourceTag/p", "x");
        let c = clause("StringEquals", "aws:ResourceTag/p", &["${aws:PrincipalTag/p}"]);
        assert_eq!(evaluate(&c, &ctx, true), Tri::unknown_key("aws:PrincipalTag/p"));
        let known = ctx.clone().with_value("aws:PrincipalTag/p", "x");
        assert_eq!(evaluate(&c, &known, true), Tri::True);
        let absent = ctx.clone().with_absent("aws:PrincipalTag/p");
        assert_eq!(evaluate(&c, &absent, true), Tri::False);
        // Version 2008-10-17: literal text.
        assert_eq!(evaluate(&c, &ctx, false), Tri::False);
        // Symbolic policy value (template intrinsic).
        let mut acct = clause("StringEquals", "aws:ResourceAccount", &[]);
        acct.values = vec![SymStr::pseudo(Pseudo::AccountId)];
        let ctx = Context::default().with_value("aws:ResourceAccount", "111122223333");
        assert_eq!(evaluate(&acct, &ctx, true), Tri::unknown_key("AWS::AccountId"));
    }

    #[test]
    fn and_of_clauses() {
        let ctx = with("a", "1").with_absent("b");
        let cs = [clause("StringEquals", "a", &["1"]), clause("StringEquals", "c", &["1"])];
        assert_eq!(evaluate_all(&cs, &ctx, true), Tri::unknown_key("c"));
        let cs = [clause("StringEquals", "b", &["1"]), clause("StringEquals", "c", &["1"])];
        assert_eq!(evaluate_all(&cs, &ctx, true), Tri::False);
    }
}
