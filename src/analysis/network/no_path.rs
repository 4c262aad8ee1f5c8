//! SL301 (no NAT route and no interface endpoint) and SL304 (an interface endpoint the SDK does not
//! resolve to) findings.

use super::{Analysis, Egress, describe};
use crate::diagnostic::Finding;
use crate::model::network::{Subnet, VpcEndpoint};

impl<'m> Analysis<'_, 'm> {
    // ---- SL301 / SL304 ---------------------------------------------------------------------------

    pub(super) fn no_path(&mut self, bad: &[(&'m Subnet, Egress<'m>)], runtime: &[&'m VpcEndpoint]) {
        let f = self.function;
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
        let vpc = describe(&bad[0].0.vpc);
        let mut finding = Finding::new(format!(
            "Lambda {} cannot reach the SageMaker runtime from VPC {vpc}: {why}, and no sagemaker.runtime interface endpoint serves the VPC; {}",
            f.id,
            self.partial_symptom(bad.len())
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
                if self.model.speaks_terraform(ep.loc) {
                    "a Gateway-type endpoint (Terraform's default): sagemaker.runtime needs vpc_endpoint_type = \"Interface\""
                } else {
                    "a Gateway-type endpoint (CloudFormation's default): sagemaker.runtime needs VpcEndpointType Interface"
                },
            );
        }
        self.out.sl301.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help("put the function in private subnets whose 0.0.0.0/0 route goes to a NAT gateway in a public subnet, or add an interface VPC endpoint for com.amazonaws.<region>.sagemaker.runtime with private DNS on")
                .resource(f.id.clone()),
        );
    }

    pub(super) fn dns_off(&mut self, ep: &'m VpcEndpoint, bad: &[(&'m Subnet, Egress<'m>)]) {
        let f = self.function;
        let vpc = self.vpc(&ep.vpc, ep.loc.file);
        let (support, hostnames) = if self.model.speaks_terraform(ep.loc) {
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
            self.partial_symptom(bad.len())
        ))
        .at(at, label)
        .related(ep.loc, "the interface endpoint");
        for (s, e) in bad {
            finding = finding.related(s.loc, subnet_label(e));
        }
        self.out.sl304.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the client is created without endpoint_url")
                .help(if self.model.speaks_terraform(ep.loc) {
                    "set private_dns_enabled = true on the aws_vpc_endpoint (with enable_dns_support and enable_dns_hostnames on the aws_vpc), or pass endpoint_url=\"https://<vpce-id>.runtime.sagemaker.<region>.vpce.amazonaws.com\" to the client"
                } else {
                    "set PrivateDnsEnabled: true on the endpoint (with EnableDnsSupport and EnableDnsHostnames on the VPC), or pass endpoint_url=\"https://<vpce-id>.runtime.sagemaker.<region>.vpce.amazonaws.com\" to the client"
                })
                .resource(f.id.clone()),
        );
    }
}

fn subnet_label(e: &Egress<'_>) -> &'static str {
    match e {
        Egress::Igw(_) => "a public subnet: the function gets no public IP here",
        Egress::BadNat { .. } => "its NAT gateway cannot reach the internet",
        _ => "no route to a NAT gateway",
    }
}
