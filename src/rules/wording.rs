//! Words several rules use for the same fact, so that their findings name it alike. Not a rule:
//! it decides nothing.

use crate::analysis::api_chain::Refusal;
use crate::analysis::network::Egress;
use crate::model::Function;
use crate::model::api::ApiKind;
use crate::model::network::VpcConfig;

/// An API's kind as API Gateway's console names it.
pub(super) fn kind_name(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST API",
        ApiKind::Http => "HTTP API",
        ApiKind::WebSocket => "WebSocket API",
    }
}

/// Why a permission for the function does not let an integration in, as a clause.
pub(super) fn refusal(why: Refusal) -> &'static str {
    match why {
        Refusal::Principal => "its Principal is not apigateway.amazonaws.com",
        Refusal::Action => "its Action is not lambda:InvokeFunction",
        Refusal::OtherApi => "its SourceArn allows another API only",
        Refusal::UnqualifiedOnly => {
            "it has no qualifier, so it covers the unqualified function only, and the integration invokes an alias or version"
        }
        Refusal::QualifiedOnly => {
            "its qualifier limits it to an alias or version, and the integration invokes the unqualified function"
        }
        Refusal::OtherQualifier => {
            "its qualifier names another alias or version than the one the integration invokes"
        }
    }
}

/// What the user sees when a function cannot reach the runtime: the call hangs until the
/// function's timeout.
pub(super) fn network_symptom(function: &Function) -> String {
    let timeout = function.timeout.map_or_else(|| "N".to_owned(), |t| format!("{t}.00"));
    format!(
        "the call hangs until the function dies with `Task timed out after {timeout} seconds` (or boto3 raises `ConnectTimeoutError`)"
    )
}

/// The symptom when only some of the function's subnets lack a path: Lambda places execution
/// environments in every listed subnet, so the failures are intermittent.
pub(super) fn partial_network_symptom(function: &Function, cfg: &VpcConfig, bad: usize) -> String {
    if bad < cfg.subnets.len() {
        format!(
            "Lambda runs the function in every subnet of its VpcConfig, so calls from there fail intermittently: {}",
            network_symptom(function)
        )
    } else {
        network_symptom(function)
    }
}

/// The label on a subnet without a path.
pub(super) fn subnet_label(e: &Egress<'_>) -> &'static str {
    match e {
        Egress::Igw(_) => "a public subnet: the function gets no public IP here",
        Egress::BadNat { .. } => "its NAT gateway cannot reach the internet",
        _ => "no route to a NAT gateway",
    }
}
