//! SL102 invoke-explicitly-denied. Prose, examples and suppression: rules/SL102.md.

use super::prelude::*;
use crate::iam::{Effect, Outcome, PolicyKind};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL102",
    name: "invoke-explicitly-denied",
    severity: Severity::Error,
    summary: "A Deny statement in the role's policies matches the invoke request",
    doc: rule_doc!("SL102"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for d in cx.decided_calls() {
        if !matches!(d.decision.outcome, Outcome::ExplicitDeny(PolicyKind::Identity | PolicyKind::Boundary)) {
            continue;
        }
        let Some(deny) = d.decision.denies.iter().find(|h| h.effect == Effect::Deny && h.is_certain()) else {
            continue;
        };
        let action = d.call.api.action();
        let how = match (&deny.action_via, &deny.resource_via) {
            (Some(a), Some(r)) => format!("Deny {a} on {r}"),
            (Some(a), None) => format!("Deny {a} (NotResource does not exclude this endpoint)"),
            (None, Some(r)) => format!("Deny via NotAction on {r}"),
            (None, None) => "Deny via NotAction/NotResource".to_owned(),
        };
        let sid = deny.sid.as_deref().map(|s| format!(" (Sid {s})")).unwrap_or_default();
        let mut finding = Finding::new(format!(
            "Lambda {} is explicitly denied {action} on {} by {}{sid}",
            d.function.id, d.arn, deny.policy
        ))
        .at(deny.loc, format!("{how} matches the request"))
        .related(d.call.site, "the endpoint is invoked here")
        .help("an explicit Deny overrides every Allow; narrow the Deny so it does not match this endpoint, or remove it")
        .resource(d.function.id.clone());
        for allow in d.decision.allows.iter().filter(|h| h.is_certain()).take(1) {
            finding = finding.related(allow.loc, format!("this Allow in {} is overridden", allow.policy));
        }
        cx.report(finding);
    }
}
