//! SL106 endpoint-arn-case. Prose, examples and suppression: rules/SL106.md.
//!
//! SageMaker authorises against endpoint ARNs whose name part is lower-case, and ARN matching is
//! case-sensitive, so a literal upper-case letter in the name part never matches
//! (aws-semantics.md §5.3: observed behaviour, e.g. philschmid/cdk-samples#2; CloudFormation's own
//! `Ref` example shows `…:endpoint/myendpoint` for `MyEndpoint`).

use super::prelude::*;
use crate::analysis::explain::upper_case_endpoint_name;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL106",
    name: "endpoint-arn-case",
    severity: Severity::Error,
    summary: "A policy names an endpoint with upper-case letters; endpoint ARNs are lower-case",
    doc: rule_doc!("SL106"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let mut seen = Vec::new();
    for d in cx.decided_calls() {
        let Some((policy, item)) = d.wrong_case else { continue };
        if seen.contains(&item.loc) {
            continue;
        }
        seen.push(item.loc);
        let text = item.value.to_string();
        let Some(name) = upper_case_endpoint_name(&item.value) else { continue };
        let lower = text.replacen(&name, &name.to_lowercase(), 1);
        cx.report(
            Finding::new(format!(
                "policy {} names endpoint {name} with upper-case letters; SageMaker authorises against {lower}, so this entry never matches and Lambda {} cannot call {}",
                policy.name,
                d.function.id,
                d.call.api.action()
            ))
            .at(item.loc, "the endpoint name part of this ARN must be lower-case")
            .related(d.call.site, "the endpoint is invoked here")
            .help(format!("write the Resource as {lower} (the endpoint keeps its name; only the ARN is lower-case)"))
            .resource(d.role.id.clone()),
        );
    }
}
