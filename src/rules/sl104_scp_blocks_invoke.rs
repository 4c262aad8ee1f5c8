//! SL104 scp-blocks-invoke. Prose, examples and suppression: rules/SL104.md.
//!
//! An SCP must allow the request too, and an SCP that allows nothing matching denies it
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

use super::prelude::*;
use crate::iam::{Outcome, PolicyKind};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL104",
    name: "scp-blocks-invoke",
    severity: Severity::Error,
    summary: "A service control policy given with --scp does not allow the invoke request",
    doc: rule_doc!("SL104"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for d in cx.decided_calls() {
        let action = d.call.api.action();
        let (at, label) = match d.decision.outcome {
            Outcome::ExplicitDeny(PolicyKind::Scp) => {
                let Some(deny) =
                    d.decision.denies.iter().find(|h| h.kind == PolicyKind::Scp && h.is_certain())
                else {
                    continue;
                };
                (deny.loc, format!("this Deny in {} matches {action}", deny.policy))
            }
            Outcome::ScpDeny => {
                let Some(scp) = model.scps.first() else { continue };
                let first = scp.doc.statements.first().map_or(scp.loc, |s| s.loc);
                (first, format!("no statement in {} allows {action}", scp.name))
            }
            _ => continue,
        };
        cx.report(
            Finding::new(format!(
                "a service control policy blocks Lambda {} from calling {action} on {}",
                d.function.id, d.arn
            ))
            .at(at, label)
            .related(d.call.site, "the endpoint is invoked here")
            .help("SCPs limit every role in the account: ask the organisation's administrators to allow the action, or deploy to an account where it is allowed")
            .resource(d.function.id.clone()),
        );
    }
}
