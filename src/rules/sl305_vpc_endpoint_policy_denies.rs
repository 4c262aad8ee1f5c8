//! SL305 vpc-endpoint-policy-denies. Prose, examples and suppression: rules/SL305.md.
//!
//! A VPC endpoint policy is one more policy every request through the endpoint must pass
//! (<https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>).
//! The path analysis is shared with SL301–SL305 (`rules/network/`).

use super::prelude::*;

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
    for finding in cx.network().sl305.clone() {
        cx.report(finding);
    }
}
