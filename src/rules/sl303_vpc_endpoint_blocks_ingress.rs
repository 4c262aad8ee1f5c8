//! SL303 vpc-endpoint-blocks-ingress. Prose, examples and suppression: rules/SL303.md.
//!
//! An interface endpoint's security group must admit TCP 443 from its clients
//! (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html>).
//! The path analysis is shared with SL301–SL305 (`analysis/network/`).

use super::prelude::*;
use super::wording::network_symptom;
use crate::analysis::network::NetKind;

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
    for problem in cx.network() {
        let NetKind::IngressBlocked { endpoint: ep, groups } = &problem.kind else { continue };
        let f = problem.function;
        let key = if ep.dialect.is_terraform() { "security_group_ids" } else { "SecurityGroupIds" };
        let (at, label, detail) = match groups.first() {
            Some(g) => (
                g.ingress_loc,
                format!("the ingress rules of {} do not admit TCP 443 from the function", g.id),
                String::new(),
            ),
            None => (
                ep.loc,
                format!("no {key}: the VPC's default security group applies"),
                format!(
                    " (without {key} it gets the VPC's default security group, which admits only its own members)"
                ),
            ),
        };
        let source_key = if ep.dialect.is_terraform() {
            "referenced_security_group_id of an aws_vpc_security_group_ingress_rule"
        } else {
            "SourceSecurityGroupId"
        };
        let mut finding = Finding::new(format!(
            "sagemaker.runtime VPC endpoint {}{detail} does not admit TCP 443 from Lambda {}'s security groups or subnets; {}",
            ep.id,
            f.id,
            network_symptom(f)
        ))
        .at(at, label)
        .related(ep.loc, "the endpoint the call resolves to");
        for g in groups.iter().skip(1) {
            finding = finding.related(g.ingress_loc, format!("nor do those of {}", g.id));
        }
        cx.report(
            finding
                .related(problem.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help(format!("add an ingress rule for TCP 443 from the function's security group ({source_key}) or its subnets' CIDR to the endpoint's security group"))
                .resource(f.id.clone()),
        );
    }
}
