//! SL103 boundary-blocks-invoke. Prose, examples and suppression: rules/SL103.md.
//!
//! A permissions boundary never grants; the request needs an Allow in both the identity policies
//! and the boundary (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>).

use super::prelude::*;
use crate::iam::Outcome;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL103",
    name: "boundary-blocks-invoke",
    severity: Severity::Error,
    summary: "The role's permissions boundary does not allow the invoke request",
    doc: rule_doc!("SL103"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::BoundaryDeny {
            continue;
        }
        let Some(boundary) = d.role.boundary.as_ref().and_then(|b| b.first()) else { continue };
        let action = d.call.api.action();
        let mut finding = Finding::new(format!(
            "the permissions boundary {} of {} does not allow {action} on {}, so Lambda {} cannot call it",
            boundary.name, d.role.id, d.arn, d.function.id
        ))
        .at(boundary.loc, format!("no statement in this boundary allows {action}"))
        .related(d.call.site, "the endpoint is invoked here")
        .help(format!(
            "a boundary only limits: add {action} on {} to the boundary, or remove the boundary from {}",
            d.arn, d.role.id
        ))
        .resource(d.function.id.clone());
        if let Some(allow) = d.decision.allows.first() {
            finding = finding.related(
                allow.loc,
                format!("{} allows it, but the boundary must allow it too", allow.policy),
            );
        }
        cx.report(finding);
    }
}
