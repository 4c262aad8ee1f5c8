//! SL102 invoke-explicitly-denied. Prose, examples and suppression: rules/SL102.md.

use super::prelude::*;
use crate::analysis::keys::VPC_KEYS;
use crate::iam::{Effect, Outcome, PolicyKind};
use crate::model::network::VpcConfig;

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
        // A Deny that applies through its condition on the VPC keys (absent outside a VPC) looks
        // wrong at first sight: say why it matches.
        let vpc_keys: Vec<&str> = d
            .role
            .policies
            .iter()
            .filter(|p| p.name == deny.policy)
            .flat_map(|p| &p.doc.statements)
            .filter(|s| s.index == deny.statement)
            .flat_map(|s| &s.conditions)
            .map(|c| c.key.as_str())
            .filter(|k| VPC_KEYS.iter().any(|v| v.eq_ignore_ascii_case(k)))
            .collect();
        let outside_vpc = !vpc_keys.is_empty() && !d.function.vpc.as_ref().is_some_and(VpcConfig::attached);
        // In a VPC the keys are known absent only when the calls certainly leave through NAT
        // (analysis/invoke.rs), so a certain Deny on them means that path.
        let via_nat = !vpc_keys.is_empty() && !outside_vpc;
        let label = if via_nat {
            format!(
                "{how} matches the request: its condition on {} holds because the key is absent ({}'s calls leave the VPC through NAT, not through a sagemaker.runtime interface endpoint)",
                vpc_keys.join(", "),
                d.function.id
            )
        } else if outside_vpc {
            format!(
                "{how} matches the request: its condition on {} holds because the key is absent ({} is not attached to a VPC, so it cannot call through a VPC endpoint)",
                vpc_keys.join(", "),
                d.function.id
            )
        } else {
            format!("{how} matches the request")
        };
        let help = if via_nat {
            "an explicit Deny overrides every Allow; give the function's VPC a sagemaker.runtime interface endpoint with private DNS on (the one the condition names), or narrow the Deny"
        } else if outside_vpc {
            "an explicit Deny overrides every Allow; attach the function to the VPC the condition names and give it a SageMaker runtime interface endpoint, or narrow the Deny"
        } else {
            "an explicit Deny overrides every Allow; narrow the Deny so it does not match this endpoint, or remove it"
        };
        let sid = deny.sid.as_deref().map(|s| format!(" (Sid {s})")).unwrap_or_default();
        let mut finding = Finding::new(format!(
            "Lambda {} is explicitly denied {action} on {} by {}{sid}",
            d.function.id, d.arn, deny.policy
        ))
        .at(deny.loc, label)
        .related(d.call.site, "the endpoint is invoked here")
        .help(help)
        .resource(d.function.id.clone());
        for allow in d.decision.allows.iter().filter(|h| h.is_certain()).take(1) {
            finding = finding.related(allow.loc, format!("this Allow in {} is overridden", allow.policy));
        }
        cx.report(finding);
    }
}
