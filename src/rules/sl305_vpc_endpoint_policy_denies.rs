//! SL305 vpc-endpoint-policy-denies. Prose, examples and suppression: rules/SL305.md.
//!
//! A VPC endpoint policy is one more policy every request through the endpoint must pass
//! (<https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>).
//! The path analysis is shared with SL301–SL305 (`analysis/network/`).

use super::prelude::*;
use crate::analysis::network::NetKind;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL305",
    name: "vpc-endpoint-policy-denies",
    severity: Severity::Error,
    summary: "The VPC endpoint's policy does not allow the invoke request",
    doc: rule_doc!("SL305"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for problem in cx.network() {
        let NetKind::PolicyDenies { endpoint: ep, policy, call, arn, explicit, deny_at } = &problem.kind
        else {
            continue;
        };
        let f = problem.function;
        let action = call.api.action();
        let (at, label) = match deny_at {
            Some(loc) if *explicit => (*loc, "this statement denies the request".to_owned()),
            _ => (policy.loc, format!("no statement allows {action} on this endpoint")),
        };
        let text = if *explicit {
            "with an explicit deny in a VPC endpoint policy".to_owned()
        } else {
            format!("because no VPC endpoint policy allows the {action} action")
        };
        cx.report(
            Finding::new(format!(
                "the policy of VPC endpoint {} does not allow {action} on {arn}: Lambda {} gets `AccessDeniedException: … is not authorized to perform: {action} on resource: {arn} {text}`",
                ep.id, f.id
            ))
            .at(at, label)
            .related(ep.loc, "the endpoint the call goes through")
            .related(problem.cfg.loc, "the function's VpcConfig")
            .related(call.site, "the endpoint is invoked here")
            .help(format!("allow {action} on the endpoint ARN in the VPC endpoint's {} (or drop the document for full access)", if ep.dialect.is_terraform() { "policy" } else { "PolicyDocument" }))
            .resource(f.id.clone()),
        );
    }
}
