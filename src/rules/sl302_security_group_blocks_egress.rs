//! SL302 security-group-blocks-egress. Prose, examples and suppression: rules/SL302.md.
//!
//! The function's security groups must let TCP 443 out to where the runtime hostname resolves: the
//! internet (NAT path) or the interface endpoint's security group or subnets.
//! The path analysis is shared with SL301–SL305 (`rules/network/`).

use super::prelude::*;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL302",
    name: "security-group-blocks-egress",
    severity: Severity::Error,
    summary: "None of the function's security groups allows outbound TCP 443 to the SageMaker runtime",
    doc: rule_doc!("SL302"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for finding in cx.network().sl302.clone() {
        cx.report(finding);
    }
}
