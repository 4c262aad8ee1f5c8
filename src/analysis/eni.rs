//! Whether each VPC-attached function's role lets Lambda manage the function's network
//! interfaces: three IAM evaluations per function. Lambda creates the function's Hyperplane
//! network interfaces with the execution role, which needs `ec2:CreateNetworkInterface`,
//! `ec2:DescribeNetworkInterfaces` (on `*` only) and `ec2:DeleteNetworkInterface`
//! (aws-semantics.md §6.3,
//! <https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-permissions>).

use crate::analysis::invoke::denied_actions;
use crate::model::network::VpcConfig;
use crate::model::{Function, Model, Role};
use crate::value::{SymStr, SymbolOrigin};

/// A VPC-attached function whose role certainly cannot manage its network interfaces.
pub(crate) struct EniDenied<'m> {
    pub function: &'m Function,
    pub vpc: &'m VpcConfig,
    pub role: &'m Role,
    /// The actions denied, in the order Lambda needs them.
    pub missing: Vec<&'static str>,
}

/// Every VPC-attached function whose role is known and fully read, and certainly denied managing
/// its network interfaces, in model order.
pub(crate) fn denied(model: &Model, parallel: bool) -> Vec<EniDenied<'_>> {
    super::per_function(model, parallel, |function| denied_for(model, function))
}

fn denied_for<'m>(model: &'m Model, function: &'m Function) -> Option<EniDenied<'m>> {
    let vpc = function.vpc.as_ref().filter(|v| v.attached())?;
    let role = super::fully_read_role(model, function)?;
    let mut eni = function.own_arn_prefix("ec2");
    eni.push_str("network-interface/");
    eni.push_sym("NetworkInterfaceId", SymbolOrigin::Request);
    let any = SymStr::lit("*");
    let missing = denied_actions(
        model,
        role,
        &[
            ("ec2:CreateNetworkInterface", &eni),
            ("ec2:DescribeNetworkInterfaces", &any),
            ("ec2:DeleteNetworkInterface", &eni),
        ],
    );
    (!missing.is_empty()).then_some(EniDenied { function, vpc, role, missing })
}
