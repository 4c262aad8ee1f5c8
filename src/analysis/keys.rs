//! Which symbols of a decision are request condition keys and which are values of the deployment
//! or the templates: what a rule needs to say why a call is allowed only conditionally.

/// Keys present only when the request goes through a VPC endpoint (aws-semantics.md §4.3).
pub(crate) const VPC_KEYS: [&str; 3] = ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"];

/// Condition keys look like `service:Key`; template symbols (`AWS::Region`, logical ids, an
/// unresolved `ImportValue:<export>` or `FindInMap:<lookup>`) do not.
pub(crate) fn is_condition_key(name: &str) -> bool {
    !name.starts_with("AWS::")
        && !TEMPLATE_VALUE_PREFIXES.iter().any(|p| name.starts_with(p))
        && name.split(':').count() == 2
        && !name.contains("::")
}

/// Symbols the template resolver names with a prefix: values of the deployment, not request keys.
pub(crate) const TEMPLATE_VALUE_PREFIXES: [&str; 2] =
    [crate::value::IMPORT_VALUE_SYMBOL, crate::value::FIND_IN_MAP_SYMBOL];

/// The part of the deployment a pseudo-parameter symbol stands for.
pub(crate) fn deployment_part(symbol: &str) -> Option<&'static str> {
    match symbol {
        "AWS::Region" => Some("region"),
        "AWS::AccountId" => Some("account"),
        "AWS::Partition" => Some("partition"),
        _ => None,
    }
}

/// A template value other than the deployment's partition, region and account that an Allow
/// depends on: a parameter without default, a resource attribute (`LlmEndpoint.EndpointName`).
/// Not SL107's question; SL003 names it (`pinned_by_value`).
pub(crate) fn is_template_value(symbol: &str) -> bool {
    !is_condition_key(symbol) && deployment_part(symbol).is_none()
}
