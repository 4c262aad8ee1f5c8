//! SL306 vpc-eni-permission-missing. Prose, examples and suppression: rules/SL306.md.
//!
//! Lambda creates the function's Hyperplane network interfaces with the execution role: it needs
//! `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces` (on `*` only) and
//! `ec2:DeleteNetworkInterface` (aws-semantics.md §6.3,
//! <https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-permissions>). SAM's
//! generated role carries `AWSLambdaVPCAccessExecutionRole` whenever `VpcConfig` is set.

use super::prelude::*;
use crate::analysis::eni::EniDenied;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL306",
    name: "vpc-eni-permission-missing",
    severity: Severity::Error,
    summary: "A function in a VPC whose role cannot create, describe and delete network interfaces: the deploy fails",
    doc: rule_doc!("SL306"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    // The evaluations are the analysis stage's (`analysis::eni`); the rule words them.
    for denied in &cx.facts().eni_denied {
        let EniDenied { function, vpc, role, missing } = denied;
        cx.report(
            Finding::new(format!(
                "Lambda {} is attached to a VPC but role {} does not allow {}: creating or updating the function fails with `InvalidParameterValueException: The provided execution role does not have permissions to call CreateNetworkInterface on EC2`",
                function.id,
                role.id,
                missing.join(", ")
            ))
            .at(role.policies_loc.unwrap_or(role.loc), "no statement here allows managing the function's network interfaces")
            .related(vpc.loc, "the function's VpcConfig")
            .related(function.loc, "function defined here")
            .help("attach the AWS managed policy service-role/AWSLambdaVPCAccessExecutionRole (or AWSLambdaENIManagementAccess), or allow ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface on \"*\"")
            .resource(function.id.clone()),
        );
    }
}
