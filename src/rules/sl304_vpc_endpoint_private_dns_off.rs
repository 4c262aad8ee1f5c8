//! SL304 vpc-endpoint-private-dns-off. Prose, examples and suppression: rules/SL304.md.
//!
//! Without private DNS the default runtime hostname resolves to public addresses; code must pass the
//! endpoint's own URL (<https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html>).
//! The path analysis is shared with SL301–SL305 (`rules/network/`).

use super::prelude::*;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL304",
    name: "vpc-endpoint-private-dns-off",
    severity: Severity::Warning,
    summary: "The interface endpoint has private DNS off and the code passes no endpoint URL, so the SDK never uses it",
    doc: rule_doc!("SL304"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for finding in cx.network().sl304.clone() {
        cx.report(finding);
    }
}
