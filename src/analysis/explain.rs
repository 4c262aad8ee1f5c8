//! What explains a denied call beyond the decision itself: a policy entry that names the endpoint
//! in the wrong case, another invoke action the role does allow.

use super::invoke::decide_call;
use crate::iam::pattern::{Match, resource_matches};
use crate::iam::policy::{Item, ResourceList};
use crate::iam::{Effect, Outcome};
use crate::model::InvokeApi;
use crate::model::{AttachedPolicy, Function, Model, Role};
use crate::value::{Piece, SymStr};

/// The endpoint-name part of a policy resource, when its literal text has upper-case letters.
/// Symbols (`${EndpointName}`) are values chosen at deploy time, not upper-case text.
pub(crate) fn upper_case_endpoint_name(resource: &SymStr) -> Option<String> {
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
pub(crate) fn wrong_case_entry<'r>(
    model: &Model,
    function: &Function,
    role: &'r Role,
    action: &str,
    arn: &SymStr,
    via_nat: bool,
) -> Option<(&'r AttachedPolicy, &'r Item<SymStr>)> {
    if decide_call(model, function, role, action, arn, via_nat).may_be_allowed() {
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
                                    symbols.iter().all(|s| s.deployment_part().is_some())
                                }
                                Match::No => false,
                            })
                        // Authorised against the name as written, the request would pass.
                        && decide_call(model, function, role, action, &i.value, via_nat).may_be_allowed()
                })
                .map(|i| (p, i))
        })
    })
}

/// The outcome of each other invoke action on the same ARN, in the order the runtime API lists
/// them: the first one allowed is the action the role grants instead of the one the code uses.
pub(crate) fn sibling_outcomes(
    model: &Model,
    function: &Function,
    role: &Role,
    api: InvokeApi,
    arn: &SymStr,
    via_nat: bool,
) -> Vec<(InvokeApi, Outcome)> {
    [InvokeApi::InvokeEndpoint, InvokeApi::InvokeEndpointAsync, InvokeApi::InvokeEndpointWithResponseStream]
        .into_iter()
        .filter(|other| *other != api)
        .map(|other| (other, decide_call(model, function, role, other.action(), arn, via_nat).outcome))
        .collect()
}
