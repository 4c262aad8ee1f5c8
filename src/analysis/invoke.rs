//! The invoke decision shared by the IAM rules: one request per (function, call), decided once
//! against the role's identity policies, boundary and SCPs, with what explains a denial.

use crate::iam::policy::Item;
use crate::iam::{Context, Decision, Inputs, Outcome, Request, decide};
use crate::model::InvokeApi;
use crate::model::{AttachedPolicy, Call, Function, Model, Role, RoleRef, named};
use crate::value::SymStr;

/// A call whose request can be built and whose role is known, with its decision and what explains
/// it.
pub(crate) struct CallFacts<'m> {
    pub function: &'m Function,
    /// The function's index in `model.functions` and the call's in its `calls`.
    pub at: (usize, usize),
    pub call: &'m Call,
    pub role: &'m Role,
    pub arn: SymStr,
    pub decision: Decision,
    /// The endpoint name cannot be known (read from the request, a missing variable): the call is
    /// kept only when the decision holds whatever the name is: denied, or allowed (a grant on
    /// every endpoint, which SL109 reports).
    pub any_name: bool,
    /// The decision without what the network path says of the VPC condition keys (they stay
    /// unknown): for an implicit denial, an Allow that depends on them then shows up as
    /// conditional, and says which keys the call lacks.
    pub without_network: Option<Decision>,
    /// When the call is not allowed: the policy entry that names its endpoint in the wrong case
    /// (upper-case letters in the name part), with its policy.
    pub wrong_case: Option<(&'m AttachedPolicy, &'m Item<SymStr>)>,
    /// The other invoke actions' outcomes on the same ARN, in the runtime API's order.
    pub siblings: Vec<(InvokeApi, Outcome)>,
}

impl CallFacts<'_> {
    /// Another invoke action the role certainly allows on the ARN, when this one is denied.
    #[must_use]
    pub(crate) fn allowed_sibling(&self) -> Option<&'static str> {
        if self.decision.outcome != Outcome::ImplicitDeny {
            return None;
        }
        self.siblings.iter().find(|(_, o)| *o == Outcome::Allowed).map(|(api, _)| api.action())
    }

    /// The outcome of another invoke action on the same ARN.
    #[must_use]
    pub(crate) fn sibling(&self, api: InvokeApi) -> Option<&Outcome> {
        self.siblings.iter().find(|(a, _)| *a == api).map(|(_, o)| o)
    }
}

/// Every decidable call of every function, once per (function, action, endpoint ARN), in model
/// order. `via_nat[i]`: function `i`'s calls certainly leave its VPC through NAT.
pub(crate) fn call_facts<'m>(model: &'m Model, via_nat: &[bool], parallel: bool) -> Vec<CallFacts<'m>> {
    let per_function = super::map_in_order(&model.functions, parallel, |i, function| {
        function_calls(model, i, function, via_nat.get(i).copied().unwrap_or(false))
    });
    // Sized exactly: the facts live through the rules, and a doubling vector at 100,000 stacks
    // leaves tens of thousands of unused slots.
    let mut all = Vec::with_capacity(per_function.iter().map(Vec::len).sum());
    for calls in per_function {
        all.extend(calls);
    }
    all
}

fn function_calls<'m>(
    model: &'m Model,
    index: usize,
    function: &'m Function,
    via_nat: bool,
) -> Vec<CallFacts<'m>> {
    // At most one fact per call, and most functions make one: a vector left to grow reserved room
    // for four, and every function's facts are alive at once (the run's peak memory).
    let mut out: Vec<CallFacts<'m>> = Vec::with_capacity(function.calls.len());
    let RoleRef::Known(role_index) = function.role else { return out };
    let Some(role) = model.roles.get(role_index) else { return out };
    for (call_index, call) in function.calls.iter().enumerate() {
        let (arn, any_name) = match model.request_arn(function, &call.target) {
            Some(arn) => (arn, false),
            None => (any_endpoint_arn(function), true),
        };
        if out.iter().any(|d| d.call.api == call.api && d.arn == arn) {
            continue;
        }
        let action = call.api.action();
        let decision = decide_call(model, function, role, action, &arn, via_nat);
        if any_name && !decision.outcome.is_definite_deny() && decision.outcome != Outcome::Allowed {
            continue;
        }
        let denied = decision.outcome == Outcome::ImplicitDeny;
        let without_network = denied.then(|| decide_for(model, role, action, &arn));
        let wrong_case = if decision.may_be_allowed() {
            None
        } else {
            super::explain::wrong_case_entry(model, function, role, action, &arn, via_nat)
        };
        // Asked of denied calls (which other action the role grants) and of streaming ones (AWS
        // documents two actions for them); other calls skip the two extra decisions.
        let siblings = if denied || call.api == InvokeApi::InvokeEndpointWithResponseStream {
            super::explain::sibling_outcomes(model, function, role, call.api, &arn, via_nat)
        } else {
            Vec::new()
        };
        out.push(CallFacts {
            function,
            at: (index, call_index),
            call,
            role,
            arn,
            decision,
            any_name,
            without_network,
            wrong_case,
            siblings,
        });
    }
    out
}

/// The ARN of an endpoint whose name is a symbol no policy names, so only a decision that holds for
/// every endpoint comes out definite.
fn any_endpoint_arn(function: &Function) -> SymStr {
    crate::iam::arn::sagemaker_endpoint_arn(
        &function.partition,
        function.request_region(),
        &function.account,
        &SymStr::sym("EndpointName", crate::value::SymbolOrigin::Request),
    )
}

/// The decision for a request the function itself sends to the SageMaker runtime: what is known
/// of its network path is part of the request context.
pub(crate) fn decide_call(
    model: &Model,
    function: &Function,
    role: &Role,
    action: &str,
    arn: &SymStr,
    via_nat: bool,
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
    if (!in_vpc && !function.explicit_endpoint_url) || (in_vpc && via_nat) {
        for key in ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"] {
            context = context.with_absent(key);
        }
    }
    decide_in(model, role, action, arn, context)
}

/// The actions of `requests` the role is certainly denied (each on its ARN), in order: what the
/// facts of a role's supporting permissions (`logs`, `eni`) report as missing.
pub(crate) fn denied_actions<'a>(
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

pub(crate) fn decide_for(model: &Model, role: &Role, action: &str, arn: &SymStr) -> Decision {
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
