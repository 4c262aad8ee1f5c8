//! SL302 security-group-blocks-egress. Prose, examples and suppression: rules/SL302.md.
//!
//! The function's security groups must let TCP 443 out to where the runtime hostname resolves: the
//! internet (NAT path) or the interface endpoint's security group or subnets.
//! The path analysis is shared with SL301–SL305 (`analysis/network/`).

use super::prelude::*;
use super::wording::network_symptom;
use crate::analysis::network::{Dest, NetKind};

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
    for problem in cx.network() {
        let NetKind::EgressBlocked { groups, dest } = &problem.kind else { continue };
        let f = problem.function;
        let (to, help) = match dest {
            Dest::Internet => (
                "0.0.0.0/0 (the NAT path)".to_owned(),
                "add an egress rule for TCP 443 to 0.0.0.0/0 (the runtime's public addresses, through the NAT gateway)",
            ),
            Dest::Endpoint(ep) => (
                format!("VPC endpoint {} (its security group or subnets)", ep.id),
                "add an egress rule for TCP 443 to the endpoint's security group (DestinationSecurityGroupId) or its subnets' CIDR",
            ),
        };
        let g = groups[0];
        let mut finding = Finding::new(format!(
            "Lambda {}'s security groups do not allow outbound TCP 443 to {to}, so it cannot reach the SageMaker runtime; {}",
            f.id,
            network_symptom(f)
        ))
        .at(g.egress_loc, if g.egress.is_empty() && g.unknown_rules.is_none() && g.dialect.is_terraform() {
            // The one way to get a group without egress in practice, and a surprise to users who
            // know the AWS console's (and CloudFormation's) allow-all default (aws-semantics.md §9).
            format!("{} writes no egress rule, and Terraform removes AWS's default allow-all egress", g.id)
        } else {
            format!("the egress rules of {} do not cover TCP 443 to the runtime", g.id)
        });
        for other in groups.iter().skip(1) {
            finding = finding.related(other.egress_loc, format!("nor do those of {}", other.id));
        }
        if let Dest::Endpoint(ep) = dest {
            finding = finding.related(ep.loc, "the sagemaker.runtime endpoint the call resolves to");
        }
        cx.report(
            finding
                .related(problem.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help(help)
                .resource(f.id.clone()),
        );
    }
}
