//! SL109 broad-invoke-grant. Prose, examples and suppression: rules/SL109.md.

use super::prelude::*;
use crate::iam::Outcome;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL109",
    name: "broad-invoke-grant",
    severity: Severity::Warning,
    summary: "The invoke permission comes from sagemaker:*, * or Resource \"*\" rather than the endpoint's ARN",
    doc: rule_doc!("SL109"),
    source: file!(),
    check,
};

fn is_broad(action_via: Option<&str>, resource_via: Option<&str>) -> bool {
    let action_broad = action_via.is_none_or(|a| a == "*" || a.eq_ignore_ascii_case("sagemaker:*"));
    let resource_broad =
        resource_via.is_none_or(|r| r == "*" || r.ends_with(":*") && !r.contains("endpoint/"));
    action_broad || resource_broad
}

fn check(cx: &mut LintContext<'_>) {
    let mut seen = Vec::new();
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::Allowed {
            continue;
        }
        let certain: Vec<_> = d.decision.allows.iter().filter(|h| h.is_certain()).collect();
        if certain.is_empty()
            || !certain.iter().all(|h| is_broad(h.action_via.as_deref(), h.resource_via.as_deref()))
        {
            continue;
        }
        let hit = certain[0];
        if seen.contains(&(hit.loc, d.function.id.clone())) {
            continue;
        }
        seen.push((hit.loc, d.function.id.clone()));
        let what = match (hit.action_via.as_deref(), hit.resource_via.as_deref()) {
            (Some(a), Some(r)) => format!("Allow {a} on {r}"),
            (None, Some(r)) => format!("Allow via NotAction on {r}"),
            (Some(a), None) => format!("Allow {a} via NotResource"),
            (None, None) => "Allow via NotAction/NotResource".to_owned(),
        };
        let action = d.call.api.action();
        // A name the files do not tell (read from the request, substituted at deploy time) is
        // allowed only because every endpoint is: a request may pick which one is called.
        let (message, help) = if d.any_name {
            (
                format!(
                    "Lambda {} may call {action} on any endpoint through a broad grant in {}, and the files do not tell which endpoint it names",
                    d.function.id, hit.policy
                ),
                format!(
                    "least privilege: allow {action} on the ARNs of the endpoints the function is meant to call, and check the name against them"
                ),
            )
        } else {
            (
                format!(
                    "Lambda {} may call {action} on {} only through a broad grant in {}",
                    d.function.id, d.arn, hit.policy
                ),
                format!("least privilege: allow {action} on {} only", d.arn),
            )
        };
        cx.report(
            Finding::new(message)
                .at(hit.loc, format!("{what} grants far more than this endpoint"))
                .related(d.call.site, "the endpoint is invoked here")
                .help(help)
                .resource(d.function.id.clone()),
        );
    }
}
