//! Words several rules use for the same fact, so that their findings name it alike. Not a rule:
//! it decides nothing.

use crate::analysis::api_chain::Refusal;
use crate::model::api::ApiKind;

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
