//! SL108 invoke-variant-not-allowed. Prose, examples and suppression: rules/SL108.md.
//!
//! `InvokeEndpoint`, `InvokeEndpointAsync` and `InvokeEndpointWithResponseStream` are distinct IAM
//! actions; an Allow of one does not cover another (aws-semantics.md §3.1, §5.1). This rule owns
//! every such call, the sync one included; SL101 leaves such a call to this rule while it runs.

use super::prelude::*;
use crate::iam::Outcome;
use crate::model::InvokeApi;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL108",
    name: "invoke-variant-not-allowed",
    severity: Severity::Error,
    summary: "The code calls an invoke action the role does not allow, though it allows another invoke action",
    doc: rule_doc!("SL108"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::ImplicitDeny {
            continue;
        }
        let Some(allowed) = d.allowed_sibling() else { continue };
        // Whether InvokeEndpoint authorises the streaming call is documented both ways; SL003
        // says so instead of an error (aws-semantics.md §5.2).
        if d.call.api == InvokeApi::InvokeEndpointWithResponseStream
            && allowed == InvokeApi::InvokeEndpoint.action()
        {
            continue;
        }
        let action = d.call.api.action();
        cx.report(
            Finding::new(format!(
                "Lambda {} calls {action} on {}, but its role allows only {allowed}",
                d.function.id, d.arn
            ))
            .at(d.call.site, format!("this call needs {action}"))
            .related(
                d.role.policies_loc.unwrap_or(d.role.loc),
                format!("{allowed} is allowed here, {action} is not"),
            )
            .help(format!(
                "add {action} to the statement (or use sagemaker:InvokeEndpoint* to cover all three)"
            ))
            .resource(d.function.id.clone()),
        );
    }
}
