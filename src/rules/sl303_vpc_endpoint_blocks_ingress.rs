//! SL303 vpc-endpoint-blocks-ingress. Prose, examples and suppression: rules/SL303.md.
//!
//! An interface endpoint's security group must admit TCP 443 from its clients
//! (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
//! The path analysis is shared with SL301–SL305 (`rules/network/`).

use super::prelude::*;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL303",
    name: "vpc-endpoint-blocks-ingress",
    severity: Severity::Error,
    summary: "The sagemaker.runtime interface endpoint's security groups do not admit TCP 443 from the function",
    doc: rule_doc!("SL303"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for finding in cx.network().sl303.clone() {
        cx.report(finding);
    }
}
