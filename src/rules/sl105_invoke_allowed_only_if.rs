//! SL105 invoke-allowed-only-if. Prose, examples and suppression: rules/SL105.md.
//!
//! Conditions on keys whose values the files cannot tell make the decision three-valued
//! (aws-semantics.md §4.4–§4.5): say which keys must hold, never assume them.

use super::prelude::*;
use crate::iam::{Outcome, PolicyKind};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL105",
    name: "invoke-allowed-only-if",
    severity: Severity::Warning,
    summary: "The invoke request is allowed only if conditions that cannot be decided statically hold",
    doc: rule_doc!("SL105"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    denied_if(cx);
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::AllowedIf {
            continue;
        }
        let keys = condition_keys(&d.decision);
        if keys.is_empty() {
            continue;
        }
        let Some(allow) = d.decision.allows.iter().find(|h| !h.depends_on.is_empty()) else { continue };
        let action = d.call.api.action();
        cx.report(
            Finding::new(format!(
                "Lambda {} may call {action} on {} only if the condition on {} holds",
                d.function.id,
                d.arn,
                keys.join(", ")
            ))
            .at(allow.loc, format!("this Allow applies only when {} matches", keys.join(" and ")))
            .related(d.call.site, "the endpoint is invoked here")
            .help(format!(
                "the files cannot tell the value of {} for this call (e.g. aws:SourceVpce is present only when the call goes through an interface VPC endpoint); make sure it holds, or drop the condition",
                keys.join(", ")
            ))
            .resource(d.function.id.clone()),
        );
    }
}

/// The mirror case: allowed, unless a Deny whose condition the files cannot decide applies. The
/// call is then allowed only if that condition does not hold (aws-semantics.md §4.5).
fn denied_if(cx: &mut LintContext<'_>) {
    for d in cx.decided_calls() {
        if !matches!(d.decision.outcome, Outcome::DeniedIf(PolicyKind::Identity | PolicyKind::Boundary)) {
            continue;
        }
        let keys = condition_keys(&d.decision);
        let Some(deny) = d.decision.denies.iter().find(|h| !h.depends_on.is_empty()) else { continue };
        if keys.is_empty() {
            continue;
        }
        let action = d.call.api.action();
        let mut finding = Finding::new(format!(
            "Lambda {} may call {action} on {} only if the condition on {} of a Deny in {} does not hold",
            d.function.id,
            d.arn,
            keys.join(", "),
            deny.policy
        ))
        .at(deny.loc, format!("this Deny applies when its condition on {} holds", keys.join(" and ")))
        .related(d.call.site, "the endpoint is invoked here")
        .help(format!(
            "the files cannot tell the value of {} for this call (aws:SourceVpc and aws:SourceVpce are present only when the call goes through a VPC endpoint); make sure the Deny's condition is false for it",
            keys.join(", ")
        ))
        .resource(d.function.id.clone());
        if let Some(allow) = d.decision.allows.iter().find(|h| h.is_certain()) {
            finding = finding.related(allow.loc, "this Allow grants the call otherwise");
        }
        cx.report(finding);
    }
}

/// The request condition keys the decision depends on, by name.
fn condition_keys(decision: &crate::iam::Decision) -> Vec<String> {
    decision.depends_on().iter().filter(|k| k.is_condition_key()).map(|k| k.id().to_owned()).collect()
}
