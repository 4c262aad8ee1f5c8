//! The invoke decision shared by the IAM rules: one request per (function, call), decided against
//! the role's identity policies and boundary.

use crate::iam::{Context, Decision, Inputs, Request, decide};
use crate::model::{Call, Function, Model, Role, RoleRef, named};
use crate::value::SymStr;

/// A call whose request can be built and whose role is known, with its decision.
pub(super) struct Decided<'m> {
    pub function: &'m Function,
    pub call: &'m Call,
    pub role: &'m Role,
    pub arn: SymStr,
    pub decision: Decision,
    /// The endpoint name cannot be known (read from the request, a missing variable): the call is
    /// kept only when the role is denied whatever the name is.
    pub any_name: bool,
}

/// Every decidable call of every function, once per (function, action, endpoint ARN). Rules get
/// it from `LintContext::decided_calls`, computed once per run.
pub(super) fn decided_calls(model: &Model) -> Vec<Decided<'_>> {
    let mut out: Vec<Decided<'_>> = Vec::new();
    for function in &model.functions {
        let RoleRef::Known(role_index) = function.role else { continue };
        let Some(role) = model.roles.get(role_index) else { continue };
        // Duplicates can only be among this function's own calls; looking further is quadratic.
        let first = out.len();
        for call in &function.calls {
            let (arn, any_name) = match model.request_arn(function, &call.target) {
                Some(arn) => (arn, false),
                None => (any_endpoint_arn(function), true),
            };
            if out[first..].iter().any(|d| d.call.api == call.api && d.arn == arn) {
                continue;
            }
            let decision = decide_call(model, function, role, call.api.action(), &arn);
            if any_name && !decision.outcome.is_definite_deny() {
                continue;
            }
            out.push(Decided { function, call, role, arn, decision, any_name });
        }
    }
    out
}

/// The ARN of an endpoint whose name is a symbol no policy names, so only a decision that holds for
/// every endpoint comes out definite.
fn any_endpoint_arn(function: &Function) -> SymStr {
    crate::iam::arn::sagemaker_endpoint_arn(
        &function.partition,
        &function.region,
        &function.account,
        &SymStr::sym("EndpointName"),
    )
}

/// The decision for a request the function itself sends to the SageMaker runtime: what is known
/// of its network path is part of the request context.
pub(super) fn decide_call(
    model: &Model,
    function: &Function,
    role: &Role,
    action: &str,
    arn: &SymStr,
) -> Decision {
    let mut context = base_context();
    // aws:SourceVpc, aws:SourceVpce and aws:VpcSourceIp are present only when the request goes
    // through a VPC endpoint (aws-semantics.md §4.3, §4.4; IAM User Guide, "AWS global condition
    // context keys", #condition-keys-sourcevpc). A function not attached to a VPC cannot reach an
    // interface endpoint, so for it they are absent: `StringNotEquals aws:SourceVpc` then matches
    // and `StringEquals` does not. An explicit endpoint_url in the code could point anywhere, so it
    // leaves them unknown; so does a VPC function, unless the network analysis shows its calls
    // certainly leave through NAT. (When they certainly go through an interface endpoint the keys
    // are present, but their values are the endpoint's and VPC's ids, which the files only name
    // symbolically: they stay unknown.)
    let in_vpc = function.vpc.as_ref().is_some_and(crate::model::network::VpcConfig::attached);
    if (!in_vpc && !function.explicit_endpoint_url)
        || (in_vpc && super::network::calls_via_nat(model, function))
    {
        for key in ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"] {
            context = context.with_absent(key);
        }
    }
    decide_in(model, role, action, arn, context)
}

/// The actions of `requests` the role is certainly denied (each on its ARN), in order: what a rule
/// checking a role's supporting permissions (logs, network interfaces) reports as missing.
pub(super) fn denied_actions<'a>(
    model: &Model,
    role: &Role,
    requests: &[(&'a str, &SymStr)],
) -> Vec<&'a str> {
    requests
        .iter()
        .filter(|(action, arn)| decide_for(model, role, action, arn).outcome.is_definite_deny())
        .map(|(action, _)| *action)
        .collect()
}

pub(super) fn decide_for(model: &Model, role: &Role, action: &str, arn: &SymStr) -> Decision {
    decide_in(model, role, action, arn, base_context())
}

/// What is always true of a Lambda calling the runtime itself (aws-semantics.md §4.3).
fn base_context() -> Context {
    Context::default()
        .with_value("aws:SecureTransport", "true")
        .with_value("aws:ViaAWSService", "false")
        .with_absent("aws:CalledVia")
        .with_absent("aws:CalledViaFirst")
        .with_absent("aws:CalledViaLast")
}

fn decide_in(model: &Model, role: &Role, action: &str, arn: &SymStr, context: Context) -> Decision {
    let request = Request { action: action.to_owned(), resource: arn.clone(), context };
    let inputs = Inputs {
        identity: named(&role.policies),
        boundary: role.boundary.as_deref().map(named),
        scps: named(&model.scps),
    };
    decide(&request, &inputs)
}
