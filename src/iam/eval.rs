//! The pure evaluator: one request (action + resource ARN + known context) against identity
//! policies, an optional permissions boundary and SCPs → a [`Decision`] that lists every
//! statement that (certainly or possibly) applies, so rules can point at them.
//!
//! Evaluation logic: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>.
//! Undecidable parts (symbols, unknown condition keys) are carried as Kleene "unknown" values.

use crate::iam::condition::{Tri, evaluate_all};
use crate::iam::pattern::{
    Match, MatchOptions, action_pattern_matches, has_variable_without_value, match_with,
};
use crate::iam::policy::{ActionList, Effect, Item, PolicyDocument, ResourceList, Statement};
use crate::span::Loc;
use crate::value::{SymStr, Symbol};

pub use crate::iam::condition::Context;

/// One API call to authorise.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// `service:Action`, e.g. `sagemaker:InvokeEndpoint`.
    pub action: String,
    pub resource: SymStr,
    pub context: Context,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Identity,
    Boundary,
    Scp,
}

#[derive(Clone, Debug)]
pub struct NamedPolicy<'a> {
    pub name: String,
    pub doc: &'a PolicyDocument,
}

#[derive(Clone, Debug, Default)]
pub struct Inputs<'a> {
    /// Inline and managed policies on the role: their Allows are a union.
    pub identity: Vec<NamedPolicy<'a>>,
    /// The permissions boundary; `None` when the role has none.
    pub boundary: Option<Vec<NamedPolicy<'a>>>,
    /// Service control policies; empty when none were given.
    pub scps: Vec<NamedPolicy<'a>>,
}

/// A statement that applies (certainly, or if `depends_on` holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub kind: PolicyKind,
    pub policy: String,
    pub statement: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub loc: Loc,
    /// The `Action` pattern that matched (e.g. `sagemaker:*`); `None` for `NotAction`.
    pub action_via: Option<String>,
    /// The `Resource` pattern that matched; `None` for `NotResource`.
    pub resource_via: Option<String>,
    /// Symbols and condition keys whose values decide whether the statement applies
    /// (sorted, deduplicated); empty when it certainly applies.
    pub depends_on: Vec<Symbol>,
}

impl Hit {
    #[must_use]
    pub fn is_certain(&self) -> bool {
        self.depends_on.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    /// Allowed only if the listed things hold (undecidable conditions or deployment-dependent
    /// ARN parts); see [`Decision::depends_on`].
    AllowedIf,
    /// A Deny statement certainly applies in a policy of this kind.
    ExplicitDeny(PolicyKind),
    /// A Deny applies if the listed things hold; otherwise the request would be allowed (or
    /// allowed-if).
    DeniedIf(PolicyKind),
    /// No identity policy allows the request.
    ImplicitDeny,
    /// The identity policies allow it but the permissions boundary does not.
    BoundaryDeny,
    /// The identity policies allow it but no SCP does.
    ScpDeny,
}

impl Outcome {
    /// Denied whatever the unknowns turn out to be.
    #[must_use]
    pub fn is_definite_deny(self) -> bool {
        matches!(self, Self::ExplicitDeny(_) | Self::ImplicitDeny | Self::BoundaryDeny | Self::ScpDeny)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// Identity Allow statements that apply (certainly or possibly).
    pub allows: Vec<Hit>,
    /// Deny statements of any kind that apply (certainly or possibly).
    pub denies: Vec<Hit>,
    pub boundary_allows: Vec<Hit>,
    pub scp_allows: Vec<Hit>,
}

impl Decision {
    /// Allowed for sure.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }

    /// Allowed for sure or allowed if conditions hold.
    #[must_use]
    pub fn may_be_allowed(&self) -> bool {
        matches!(self.outcome, Outcome::Allowed | Outcome::AllowedIf | Outcome::DeniedIf(_))
    }

    /// What the outcome depends on: for `DeniedIf`, what makes the possible Denies apply; for
    /// `AllowedIf`, what makes the possible Allows apply in each policy set that has no certain
    /// Allow. Empty for the certain outcomes.
    #[must_use]
    pub fn depends_on(&self) -> Vec<Symbol> {
        let mut out: Vec<Symbol> = Vec::new();
        match self.outcome {
            Outcome::DeniedIf(_) => {
                for h in &self.denies {
                    out.extend(h.depends_on.iter().cloned());
                }
            }
            Outcome::AllowedIf => {
                for set in [&self.allows, &self.boundary_allows, &self.scp_allows] {
                    if !set.iter().any(Hit::is_certain) {
                        for h in set {
                            out.extend(h.depends_on.iter().cloned());
                        }
                    }
                }
            }
            _ => {}
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Decides `req` against the inputs.
///
/// Order (§1.2 of the evaluation logic): a certain Deny anywhere wins; then an identity Allow is
/// required; then the boundary (if any) and the SCPs (if given) must each allow; possible Denies
/// turn the result into `DeniedIf`; possible-only Allows into `AllowedIf`.
///
/// ```
/// use sagelint::iam::eval::{decide, Context, Inputs, NamedPolicy, Outcome, Request};
/// use sagelint::iam::policy::parse_policy;
/// use sagelint::span::{FileId, Span};
/// use sagelint::value::{SymStr, Value, ValueEntry, ValueKind};
/// let s = |t: &str| Value::new(ValueKind::Str(SymStr::lit(t)), Span::default());
/// let entry = |k: &str, v: Value| ValueEntry { key: k.into(), key_span: Span::default(), value: v };
/// let map = |e: Vec<ValueEntry>| Value::new(ValueKind::Map(e), Span::default());
/// let doc = map(vec![entry("Statement", map(vec![
///     entry("Effect", s("Allow")),
///     entry("Action", s("sagemaker:InvokeEndpoint")),
///     entry("Resource", s("arn:aws:sagemaker:*:*:endpoint/*")),
/// ]))]);
/// let (policy, _) = parse_policy(&doc, FileId(0));
/// let inputs = Inputs {
///     identity: vec![NamedPolicy { name: "inline".into(), doc: &policy }],
///     ..Inputs::default()
/// };
/// let req = |action: &str| Request {
///     action: action.into(),
///     resource: SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/my-ep"),
///     context: Context::default(),
/// };
/// assert_eq!(decide(&req("sagemaker:InvokeEndpoint"), &inputs).outcome, Outcome::Allowed);
/// assert_eq!(decide(&req("sagemaker:InvokeEndpointAsync"), &inputs).outcome, Outcome::ImplicitDeny);
/// ```
#[must_use]
pub fn decide(req: &Request, inputs: &Inputs<'_>) -> Decision {
    let mut denies = Vec::new();
    let allows = collect(req, &inputs.identity, PolicyKind::Identity, &mut denies);
    let boundary_allows = match &inputs.boundary {
        Some(b) => collect(req, b, PolicyKind::Boundary, &mut denies),
        None => Vec::new(),
    };
    let scp_allows = collect(req, &inputs.scps, PolicyKind::Scp, &mut denies);
    // Decisions are kept through the rules, one per call: no room beyond their statements.
    denies.shrink_to_fit();

    let outcome = if let Some(h) = denies.iter().find(|h| h.is_certain()) {
        // An explicit Deny in any policy overrides every Allow.
        Outcome::ExplicitDeny(h.kind)
    } else if allows.is_empty() {
        Outcome::ImplicitDeny
    } else if inputs.boundary.is_some() && boundary_allows.is_empty() {
        // A boundary never grants; it must also allow.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
        Outcome::BoundaryDeny
    } else if !inputs.scps.is_empty() && scp_allows.is_empty() {
        // The given SCPs are treated as one level: some statement must allow.
        Outcome::ScpDeny
    } else if let Some(h) = denies.first() {
        Outcome::DeniedIf(h.kind)
    } else {
        let certain = |set: &[Hit]| set.iter().any(Hit::is_certain);
        let boundary_ok = inputs.boundary.is_none() || certain(&boundary_allows);
        let scp_ok = inputs.scps.is_empty() || certain(&scp_allows);
        if certain(&allows) && boundary_ok && scp_ok { Outcome::Allowed } else { Outcome::AllowedIf }
    };
    Decision { outcome, allows, denies, boundary_allows, scp_allows }
}

/// Evaluates every statement of a policy set; returns the applying Allows and appends the
/// applying Denies to `denies`.
fn collect(req: &Request, policies: &[NamedPolicy<'_>], kind: PolicyKind, denies: &mut Vec<Hit>) -> Vec<Hit> {
    let mut allows = Vec::new();
    for p in policies {
        for st in &p.doc.statements {
            if let Some(hit) = statement_hit(req, p, st, kind) {
                match st.effect {
                    Effect::Allow => allows.push(hit),
                    Effect::Deny => denies.push(hit),
                }
            }
        }
    }
    allows.shrink_to_fit();
    allows
}

/// A statement applies iff its action part, resource part and conditions all hold (Kleene AND).
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html>
fn statement_hit(req: &Request, p: &NamedPolicy<'_>, st: &Statement, kind: PolicyKind) -> Option<Hit> {
    let variables = p.doc.variables_enabled();
    let (action, action_via) = match &st.actions {
        ActionList::Action(items) => any_item(items, |pat| action_pattern_matches(pat, &req.action)),
        ActionList::NotAction(items) => {
            (!any_item(items, |pat| action_pattern_matches(pat, &req.action)).0, None)
        }
    };
    if action == Tri::False {
        return None;
    }
    let resource_match = |pat: &SymStr| {
        match_with(pat, &req.resource, MatchOptions::default(), variables.then_some(&req.context))
    };
    let (resource, resource_via) = match &st.resources {
        ResourceList::Resource(items) => any_item(items, resource_match),
        // A `NotResource` entry whose policy variable has no value is not "a resource the request
        // is outside of": it cannot be resolved, and the guide says that makes the statement not
        // apply rather than apply to everything. "If a variable that has no value in the
        // authorization context is used as part of the `Resource` or `NotResource` element of a
        // policy, the resource that includes a policy variable with no value will not match any
        // resource." and "If AWS cannot resolve a variable this might cause the entire statement
        // to be invalid." —
        // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value>
        ResourceList::NotResource(items)
            if variables && items.iter().any(|i| has_variable_without_value(&i.value, &req.context)) =>
        {
            (Tri::False, None)
        }
        ResourceList::NotResource(items) => (!any_item(items, resource_match).0, None),
    };
    let applies = action.and(resource).and(evaluate_all(&st.conditions, &req.context, variables));
    let depends_on = match applies {
        Tri::False => return None,
        Tri::True => Vec::new(),
        Tri::Unknown(names) => names,
    };
    Some(Hit {
        kind,
        policy: p.name.clone(),
        statement: st.index,
        sid: st.sid.clone(),
        effect: st.effect,
        loc: st.loc,
        action_via,
        resource_via,
        depends_on,
    })
}

/// Kleene OR over the items; also returns the pattern that decided it (first certain match,
/// else first possible match).
fn any_item(items: &[Item<SymStr>], f: impl Fn(&SymStr) -> Match) -> (Tri, Option<String>) {
    let mut result = Tri::False;
    let mut maybe_via = None;
    for item in items {
        match f(&item.value) {
            Match::Yes => return (Tri::True, Some(item.value.to_string())),
            Match::No => {}
            m @ Match::Depends(_) => {
                maybe_via.get_or_insert_with(|| item.value.to_string());
                result = result.or(m.into());
            }
        }
    }
    (result, maybe_via)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(symbols: &[Symbol]) -> Vec<&str> {
        symbols.iter().map(Symbol::id).collect()
    }
    use crate::iam::policy::parse_policy;
    use crate::span::{FileId, Span};
    use crate::value::{Value, ValueEntry, ValueKind};

    /// Builds a `Value` from JSON text (spans are not needed here).
    fn value(j: &serde_json::Value) -> Value {
        let kind = match j {
            serde_json::Value::Null => ValueKind::Null,
            serde_json::Value::Bool(b) => ValueKind::Bool(*b),
            serde_json::Value::Number(n) => ValueKind::Number(n.to_string()),
            serde_json::Value::String(s) => ValueKind::Str(SymStr::lit(s)),
            serde_json::Value::Array(a) => ValueKind::List(a.iter().map(value).collect()),
            serde_json::Value::Object(o) => ValueKind::Map(
                o.iter()
                    .map(|(k, v)| ValueEntry { key: k.clone(), key_span: Span::default(), value: value(v) })
                    .collect(),
            ),
        };
        Value::new(kind, Span::default())
    }

    fn policy(j: &str) -> PolicyDocument {
        let (p, problems) = parse_policy(&value(&serde_json::from_str(j).unwrap()), FileId(0));
        assert!(problems.is_empty(), "{problems:?}");
        p
    }

    const EP: &str = "arn:aws:sagemaker:us-east-1:111122223333:endpoint/my-ep";

    fn req(action: &str) -> Request {
        Request { action: action.into(), resource: SymStr::lit(EP), context: Context::default() }
    }

    fn ident<'a>(docs: &[&'a PolicyDocument]) -> Vec<NamedPolicy<'a>> {
        docs.iter().enumerate().map(|(i, d)| NamedPolicy { name: format!("p{i}"), doc: d }).collect()
    }

    fn decide_identity(req: &Request, docs: &[&PolicyDocument]) -> Decision {
        decide(req, &Inputs { identity: ident(docs), ..Inputs::default() })
    }

    fn allow(action: &str, resource: &str) -> PolicyDocument {
        policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}}}"#
        ))
    }

    #[test]
    fn allows() {
        let p = allow("sagemaker:InvokeEndpoint", EP);
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::Allowed);
        assert!(d.is_allowed());
        assert_eq!(d.allows[0].action_via.as_deref(), Some("sagemaker:InvokeEndpoint"));
        assert_eq!(d.allows[0].resource_via.as_deref(), Some(EP));
    }

    #[test]
    fn wildcard_action() {
        let p = allow("sagemaker:Invoke*", "*");
        for a in [
            "sagemaker:InvokeEndpoint",
            "sagemaker:InvokeEndpointAsync",
            "sagemaker:InvokeEndpointWithResponseStream",
        ] {
            assert_eq!(decide_identity(&req(a), &[&p]).outcome, Outcome::Allowed, "{a}");
        }
    }

    #[test]
    fn exact_action_is_not_a_prefix() {
        let p = allow("sagemaker:InvokeEndpoint", "*");
        let d = decide_identity(&req("sagemaker:InvokeEndpointAsync"), &[&p]);
        assert_eq!(d.outcome, Outcome::ImplicitDeny);
        assert!(d.allows.is_empty());
    }

    #[test]
    fn deny_beats_allow() {
        let p = policy(
            r#"{"Statement":[
                {"Effect":"Allow","Action":"sagemaker:*","Resource":"*"},
                {"Sid":"NoInvoke","Effect":"Deny","Action":"sagemaker:InvokeEndpoint","Resource":"*"}]}"#,
        );
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::ExplicitDeny(PolicyKind::Identity));
        assert_eq!(d.denies[0].sid.as_deref(), Some("NoInvoke"));
        assert_eq!(d.denies[0].statement, 1);
        assert_eq!(d.allows.len(), 1);
    }

    #[test]
    fn deny_via_not_resource() {
        let p = policy(
            r#"{"Statement":[
                {"Effect":"Allow","Action":"sagemaker:InvokeEndpoint","Resource":"*"},
                {"Effect":"Deny","Action":"sagemaker:*","NotResource":"arn:aws:sagemaker:*:*:endpoint/other"}]}"#,
        );
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::ExplicitDeny(PolicyKind::Identity));
        assert_eq!(d.denies[0].resource_via, None);
        // The excepted endpoint is not denied.
        let mut other = req("sagemaker:InvokeEndpoint");
        other.resource = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/other");
        assert_eq!(decide_identity(&other, &[&p]).outcome, Outcome::Allowed);
    }

    #[test]
    fn not_action_allow() {
        let p = policy(
            r#"{"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}"#,
        );
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::Allowed);
        assert_eq!(d.allows[0].action_via, None);
        assert_eq!(decide_identity(&req("iam:PassRole"), &[&p]).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn sagemaker_full_access_like() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAllNonAdminSageMakerActions","Effect":"Allow",
                "Action":["sagemaker:*","sagemaker-geospatial:*"],
                "NotResource":["arn:aws:sagemaker:*:*:domain/*","arn:aws:sagemaker:*:*:user-profile/*",
                    "arn:aws:sagemaker:*:*:app/*","arn:aws:sagemaker:*:*:space/*"]}]}"#,
        );
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::Allowed);
        assert_eq!(d.allows[0].action_via.as_deref(), Some("sagemaker:*"));
        let mut dom = req("sagemaker:CreateApp");
        dom.resource = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:domain/d-1");
        assert_eq!(decide_identity(&dom, &[&p]).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn boundary_and_scp() {
        let id = allow("sagemaker:*", "*");
        let logs = allow("logs:*", "*");
        let r = req("sagemaker:InvokeEndpoint");
        let d =
            decide(&r, &Inputs { identity: ident(&[&id]), boundary: Some(ident(&[&logs])), scps: vec![] });
        assert_eq!(d.outcome, Outcome::BoundaryDeny);
        let d = decide(&r, &Inputs { identity: ident(&[&id]), boundary: Some(ident(&[&id])), scps: vec![] });
        assert_eq!(d.outcome, Outcome::Allowed);
        assert_eq!(d.boundary_allows.len(), 1);
        let d = decide(&r, &Inputs { identity: ident(&[&id]), boundary: None, scps: ident(&[&logs]) });
        assert_eq!(d.outcome, Outcome::ScpDeny);
        let full = allow("*", "*");
        let d = decide(&r, &Inputs { identity: ident(&[&id]), boundary: None, scps: ident(&[&full]) });
        assert_eq!(d.outcome, Outcome::Allowed);
        let scp_deny = policy(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","Action":"sagemaker:Invoke*","Resource":"*"}]}"#,
        );
        let d = decide(&r, &Inputs { identity: ident(&[&id]), boundary: None, scps: ident(&[&scp_deny]) });
        assert_eq!(d.outcome, Outcome::ExplicitDeny(PolicyKind::Scp));
        // No identity allow comes first.
        let d =
            decide(&r, &Inputs { identity: ident(&[&logs]), boundary: Some(ident(&[&logs])), scps: vec![] });
        assert_eq!(d.outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn symbolic_account_in_request() {
        let p = allow("sagemaker:InvokeEndpoint", EP);
        let mut r = req("sagemaker:InvokeEndpoint");
        let mut res = SymStr::lit("arn:aws:sagemaker:us-east-1:");
        res.push_pseudo(crate::value::Pseudo::AccountId);
        res.push_str(":endpoint/my-ep");
        r.resource = res;
        let d = decide_identity(&r, &[&p]);
        assert_eq!(d.outcome, Outcome::AllowedIf);
        assert_eq!(ids(&d.depends_on()), ["AWS::AccountId"]);
        assert!(d.may_be_allowed());
        assert!(!d.is_allowed());
        // A certain allow elsewhere makes it certain.
        let star = allow("sagemaker:InvokeEndpoint", "arn:aws:sagemaker:*:*:endpoint/my-ep");
        let d = decide_identity(&r, &[&p, &star]);
        assert_eq!(d.outcome, Outcome::Allowed);
        assert!(d.depends_on().is_empty());
        assert_eq!(d.allows.len(), 2);
    }

    #[test]
    fn upper_case_endpoint_name_never_matches() {
        let p = allow("sagemaker:InvokeEndpoint", "arn:aws:sagemaker:us-east-1:111122223333:endpoint/My-Ep");
        assert_eq!(decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn conditions_make_it_conditional() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:InvokeEndpoint",
                "Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#,
        );
        let r = req("sagemaker:InvokeEndpoint");
        let d = decide_identity(&r, &[&p]);
        assert_eq!(d.outcome, Outcome::AllowedIf);
        assert_eq!(ids(&d.depends_on()), ["aws:SourceVpce"]);
        let mut absent = r.clone();
        absent.context.set_absent("aws:SourceVpce");
        assert_eq!(decide_identity(&absent, &[&p]).outcome, Outcome::ImplicitDeny);

        let deny = policy(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#,
        );
        let d = decide_identity(&r, &[&deny]);
        assert_eq!(d.outcome, Outcome::DeniedIf(PolicyKind::Identity));
        assert_eq!(ids(&d.depends_on()), ["aws:SecureTransport"]);
        let mut tls = r.clone();
        tls.context.set("aws:SecureTransport", vec!["true".into()]);
        assert_eq!(decide_identity(&tls, &[&deny]).outcome, Outcome::Allowed);
    }

    #[test]
    fn unknown_action_depends() {
        let unknown = Value::new(ValueKind::Unknown("ActionParam".into()), Span::default());
        let doc = value(&serde_json::json!({"Statement": {"Effect": "Allow", "Resource": "*"}}));
        let ValueKind::Map(mut top) = doc.kind else { panic!() };
        let ValueKind::Map(ref mut st) = top[0].value.kind else { panic!() };
        st.push(ValueEntry { key: "Action".into(), key_span: Span::default(), value: unknown });
        let (p, _) = parse_policy(&Value::new(ValueKind::Map(top), Span::default()), FileId(0));
        let d = decide_identity(&req("sagemaker:InvokeEndpoint"), &[&p]);
        assert_eq!(d.outcome, Outcome::AllowedIf);
        assert_eq!(ids(&d.depends_on()), ["ActionParam"]);
    }

    #[test]
    fn not_resource_with_a_variable_without_value_does_not_apply() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sagemaker:InvokeEndpoint",
                "NotResource":"arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team}"}}"#,
        );
        let mut r = req("sagemaker:InvokeEndpoint");
        r.context.set_absent("aws:PrincipalTag/team");
        assert_eq!(decide_identity(&r, &[&p]).outcome, Outcome::ImplicitDeny);
        r.context.set("aws:PrincipalTag/team", vec!["other".into()]);
        assert_eq!(decide_identity(&r, &[&p]).outcome, Outcome::Allowed);
        r.context.set("aws:PrincipalTag/team", vec!["my-ep".into()]);
        assert_eq!(decide_identity(&r, &[&p]).outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn policy_variables_follow_version() {
        let body = r#""Statement":{"Effect":"Allow","Action":"sagemaker:InvokeEndpoint",
            "Resource":"arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/ep}"}"#;
        let new = policy(&format!(r#"{{"Version":"2012-10-17",{body}}}"#));
        let old = policy(&format!(r#"{{"Version":"2008-10-17",{body}}}"#));
        let r = req("sagemaker:InvokeEndpoint");
        let d = decide_identity(&r, &[&new]);
        assert_eq!(d.outcome, Outcome::AllowedIf);
        assert_eq!(ids(&d.depends_on()), ["aws:PrincipalTag/ep"]);
        assert_eq!(decide_identity(&r, &[&old]).outcome, Outcome::ImplicitDeny);
        let mut tagged = r.clone();
        tagged.context.set("aws:PrincipalTag/ep", vec!["my-ep".into()]);
        assert_eq!(decide_identity(&tagged, &[&new]).outcome, Outcome::Allowed);
    }
}
