//! SL301 vpc-no-egress-path. Prose, examples and suppression: rules/SL301.md.
//!
//! A VPC-attached function reaches the SageMaker runtime only through a NAT gateway route or a
//! `sagemaker.runtime` interface endpoint; an internet gateway gives it no internet
//! (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-internet>).
//! The path analysis is shared with SL301–SL305 (`rules/network/`).

use super::prelude::*;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL301",
    name: "vpc-no-egress-path",
    severity: Severity::Error,
    summary: "A function in a VPC has neither a NAT route nor a sagemaker.runtime interface endpoint, so its calls time out",
    doc: rule_doc!("SL301"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for finding in cx.network().sl301.clone() {
        cx.report(finding);
    }
}
