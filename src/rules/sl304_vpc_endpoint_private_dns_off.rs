//! SL304 vpc-endpoint-private-dns-off. Prose, examples and suppression: rules/SL304.md.
//!
//! Without private DNS the default runtime hostname resolves to public addresses; code must pass the
//! endpoint's own URL (<https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html>).
//! The path analysis is shared with SL301–SL305 (`analysis/network/`).

use super::prelude::*;
use super::wording::{partial_network_symptom, subnet_label};
use crate::analysis::network::NetKind;

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
    for problem in cx.network() {
        let NetKind::DnsOff { endpoint: ep, vpc, bad } = &problem.kind else { continue };
        let f = problem.function;
        let (support, hostnames) = if ep.dialect.is_terraform() {
            ("enable_dns_support", "enable_dns_hostnames")
        } else {
            ("EnableDnsSupport", "EnableDnsHostnames")
        };
        let (why, at, label) = match vpc {
            Some(v) if ep.private_dns == Some(true) => (
                format!(
                    "VPC {} does not enable both {support} and {hostnames}, which private DNS needs",
                    v.id
                ),
                v.loc,
                format!(
                    "private DNS needs {support} and {hostnames} true here ({hostnames} defaults to false)"
                ),
            ),
            _ => match ep.private_dns_loc {
                Some(loc) => {
                    ("its private DNS is off".to_owned(), loc, "private DNS is turned off here".to_owned())
                }
                None => (
                    "its private DNS is off".to_owned(),
                    ep.loc,
                    "private DNS is not enabled (off by default)".to_owned(),
                ),
            },
        };
        let mut finding = Finding::new(format!(
            "Lambda {} cannot use sagemaker.runtime VPC endpoint {}: {why}, so the SDK resolves runtime.sagemaker.<region>.amazonaws.com to public addresses, and subnet {} has no NAT route to reach them; {}",
            f.id,
            ep.id,
            bad.iter().map(|(s, _)| s.id.as_str()).collect::<Vec<_>>().join(", "),
            partial_network_symptom(f, problem.cfg, bad.len())
        ))
        .at(at, label)
        .related(ep.loc, "the interface endpoint");
        for (s, e) in bad {
            finding = finding.related(s.loc, subnet_label(e));
        }
        cx.report(
            finding
                .related(problem.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the client is created without endpoint_url")
                .help(if ep.dialect.is_terraform() {
                    "set private_dns_enabled = true on the aws_vpc_endpoint (with enable_dns_support and enable_dns_hostnames on the aws_vpc), or pass endpoint_url=\"https://<vpce-id>.runtime.sagemaker.<region>.vpce.amazonaws.com\" to the client"
                } else {
                    "set PrivateDnsEnabled: true on the endpoint (with EnableDnsSupport and EnableDnsHostnames on the VPC), or pass endpoint_url=\"https://<vpce-id>.runtime.sagemaker.<region>.vpce.amazonaws.com\" to the client"
                })
                .resource(f.id.clone()),
        );
    }
}
