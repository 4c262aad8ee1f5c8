//! Which symbols of a decision are request condition keys and which are values of the deployment
//! or the templates: what a rule needs to say why a call is allowed only conditionally. Each
//! question is answered by the symbol's origin, never by the shape of its id.

use crate::value::Symbol;

/// Keys present only when the request goes through a VPC endpoint (aws-semantics.md §4.3).
pub(crate) const VPC_KEYS: [&str; 3] = ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"];

/// A condition key that only a request through a VPC endpoint has (IAM keys are case-insensitive).
pub(crate) fn is_vpc_key(symbol: &Symbol) -> bool {
    symbol.is_condition_key() && VPC_KEYS.iter().any(|v| v.eq_ignore_ascii_case(symbol.id()))
}

/// A template value other than the deployment's partition, region and account that an Allow
/// depends on: a parameter without default, a resource attribute (`LlmEndpoint.EndpointName`).
/// Not SL107's question; SL003 names it (`pinned_by_value`).
pub(crate) fn is_template_value(symbol: &Symbol) -> bool {
    !symbol.is_condition_key() && symbol.deployment_part().is_none()
}
