//! Facts about a call, a role or a symbol that several rules read: each is computed here, from
//! the model, so that a rule never calls another rule's code and switching one rule off changes
//! nothing another rule knows.

use super::invoke::decide_call;
use crate::iam::pattern::{Match, resource_matches};
use crate::iam::policy::{Item, ResourceList};
use crate::iam::{Effect, Outcome};
use crate::model::handler::InvokeApi;
use crate::model::{AttachedPolicy, Function, Model, Role};
use crate::value::{Piece, SymStr};

/// Keys present only when the request goes through a VPC endpoint (aws-semantics.md §4.3).
pub(super) const VPC_KEYS: [&str; 3] = ["aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp"];

/// Condition keys look like `service:Key`; template symbols (`AWS::Region`, logical ids, an
/// unresolved `ImportValue:<export>` or `FindInMap:<lookup>`) do not.
pub(super) fn is_condition_key(name: &str) -> bool {
    !name.starts_with("AWS::")
        && !TEMPLATE_VALUE_PREFIXES.iter().any(|p| name.starts_with(p))
        && name.split(':').count() == 2
        && !name.contains("::")
}

/// Symbols the template resolver names with a prefix: values of the deployment, not request keys.
pub(super) const TEMPLATE_VALUE_PREFIXES: [&str; 2] = ["ImportValue:", crate::model::resolve::FIND_IN_MAP];

/// The part of the deployment a pseudo-parameter symbol stands for.
pub(super) fn deployment_part(symbol: &str) -> Option<&'static str> {
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
pub(super) fn is_template_value(symbol: &str) -> bool {
    !is_condition_key(symbol) && deployment_part(symbol).is_none()
}

/// The endpoint-name part of a policy resource, when its literal text has upper-case letters.
/// Symbols (`${EndpointName}`) are values chosen at deploy time, not upper-case text.
pub(super) fn upper_case_endpoint_name(resource: &SymStr) -> Option<String> {
    let mut text = String::new();
    let mut in_name = false;
    let mut upper = false;
    for piece in resource.pieces() {
        match piece {
            Piece::Lit(lit) => {
                for c in lit.chars() {
                    upper |= in_name && c.is_ascii_uppercase();
                    text.push(c);
                    in_name |= text.ends_with(":endpoint/");
                }
            }
            Piece::Sym(_) => text.push('\u{0}'),
        }
    }
    let rendered = resource.to_string();
    let (_, name) = rendered.split_once(":endpoint/")?;
    upper.then(|| name.to_owned())
}

/// The policy entry that names this request's endpoint ARN except for upper-case letters in the
/// name, when writing it in lower case would let the request through: the upper-case text is then
/// what breaks the call. A dead upper-case entry next to one that works (`[!Ref Ep,
/// …endpoint/Shadow-Model]`), or in a Deny or a statement about other actions, breaks nothing.
pub(super) fn wrong_case_entry<'r>(
    model: &Model,
    function: &Function,
    role: &'r Role,
    action: &str,
    arn: &SymStr,
) -> Option<(&'r AttachedPolicy, &'r Item<SymStr>)> {
    if decide_call(model, function, role, action, arn).may_be_allowed() {
        return None;
    }
    let wanted = arn.to_string().to_lowercase();
    role.policies.iter().find_map(|p| {
        p.doc.statements.iter().filter(|s| s.effect == Effect::Allow).find_map(|s| {
            let ResourceList::Resource(items) = &s.resources else { return None };
            items
                .iter()
                .find(|i| {
                    upper_case_endpoint_name(&i.value).is_some()
                        // In lower case the entry would name this ARN (wildcards included), or
                        // would where the stack is deployed to the partition, region and account
                        // it names literally: the case blocks the call in every deployment.
                        && (i.value.to_string().to_lowercase() == wanted
                            || match resource_matches(&i.value.map_literals(str::to_lowercase), arn) {
                                Match::Yes => true,
                                Match::Depends(symbols) => {
                                    symbols.iter().all(|s| deployment_part(&s.0).is_some())
                                }
                                Match::No => false,
                            })
                        // Authorised against the name as written, the request would pass.
                        && decide_call(model, function, role, action, &i.value).may_be_allowed()
                })
                .map(|i| (p, i))
        })
    })
}

/// Another invoke action the role does allow on the ARN, when the one the code uses is denied.
pub(super) fn allowed_sibling(
    model: &Model,
    function: &Function,
    role: &Role,
    api: InvokeApi,
    arn: &SymStr,
) -> Option<&'static str> {
    [InvokeApi::InvokeEndpoint, InvokeApi::InvokeEndpointAsync, InvokeApi::InvokeEndpointWithResponseStream]
        .into_iter()
        .filter(|other| *other != api)
        .map(InvokeApi::action)
        .find(|action| decide_call(model, function, role, action, arn).outcome == Outcome::Allowed)
}
