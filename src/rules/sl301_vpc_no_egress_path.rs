//! SL301 vpc-no-egress-path. Prose, examples and suppression: rules/SL301.md.
//!
//! A VPC-attached function reaches the SageMaker runtime only through a NAT gateway route or a
//! `sagemaker.runtime` interface endpoint; an internet gateway gives it no internet
//! (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-internet>).
//! The path analysis is shared with SL301–SL305 (`analysis/network/`).

use super::prelude::*;
use super::wording::{partial_network_symptom, subnet_label};
use crate::analysis::network::{Egress, NetKind};

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
    for problem in cx.network() {
        let NetKind::NoPath { bad, runtime } = &problem.kind else { continue };
        let f = problem.function;
        let public = bad.iter().any(|(_, e)| matches!(e, Egress::Igw(_)));
        let names: Vec<&str> = bad.iter().map(|(s, _)| s.id.as_str()).collect();
        let why = if public {
            format!(
                "subnet {} is public, but an internet gateway gives a Lambda no internet (its network interfaces get no public IP)",
                names.join(", ")
            )
        } else {
            format!("subnet {} has no route to a working NAT gateway", names.join(", "))
        };
        let vpc = bad[0].0.vpc.to_string();
        let mut finding = Finding::new(format!(
            "Lambda {} cannot reach the SageMaker runtime from VPC {vpc}: {why}, and no sagemaker.runtime interface endpoint serves the VPC; {}",
            f.id,
            partial_network_symptom(f, problem.cfg, bad.len())
        ));
        let (subnet, egress) = &bad[0];
        finding = finding.at(subnet.loc, subnet_label(egress));
        for (s, e) in bad.iter().skip(1) {
            finding = finding.related(s.loc, subnet_label(e));
        }
        for (_, e) in bad {
            finding = match e {
                Egress::Igw(loc) => finding.related(*loc, "the default route goes to an internet gateway"),
                Egress::BadNat { nat, loc, why } => finding.related(*loc, format!("NAT gateway {nat} {why}")),
                Egress::NoRoute(Some(loc)) => {
                    finding.related(*loc, "this route table has no 0.0.0.0/0 route")
                }
                _ => finding,
            };
        }
        for ep in runtime {
            finding = finding.related(
                ep.loc,
                // Both tools default to Gateway; name the key the user has to write.
                if ep.dialect.is_terraform() {
                    "a Gateway-type endpoint (Terraform's default): sagemaker.runtime needs vpc_endpoint_type = \"Interface\""
                } else {
                    "a Gateway-type endpoint (CloudFormation's default): sagemaker.runtime needs VpcEndpointType Interface"
                },
            );
        }
        cx.report(
            finding
                .related(problem.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help("put the function in private subnets whose 0.0.0.0/0 route goes to a NAT gateway in a public subnet, or add an interface VPC endpoint for com.amazonaws.<region>.sagemaker.runtime with private DNS on")
                .resource(f.id.clone()),
        );
    }
}
