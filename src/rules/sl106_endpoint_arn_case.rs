//! SL106 endpoint-arn-case. Prose, examples and suppression: rules/SL106.md.
//!
//! SageMaker authorises against endpoint ARNs whose name part is lower-case, and ARN matching is
//! case-sensitive, so a literal upper-case letter in the name part never matches
//! (aws-semantics.md §5.3: observed behaviour, e.g. philschmid/cdk-samples#2; CloudFormation's own
//! `Ref` example shows `…:endpoint/myendpoint` for `MyEndpoint`).

use super::invoke::decide_call;
use super::prelude::*;
use crate::iam::Effect;
use crate::iam::pattern::resource_matches;
use crate::iam::policy::{Item, ResourceList};
use crate::model::{AttachedPolicy, Function, Model, Role};
use crate::value::{Piece, SymStr};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL106",
    name: "endpoint-arn-case",
    severity: Severity::Error,
    summary: "A policy names an endpoint with upper-case letters; endpoint ARNs are lower-case",
    doc: rule_doc!("SL106"),
    source: file!(),
    check,
};

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
                        // In lower case the entry would name this ARN (wildcards included).
                        && (i.value.to_string().to_lowercase() == wanted
                            || resource_matches(&i.value.map_literals(str::to_lowercase), arn).is_yes())
                        // Authorised against the name as written, the request would pass.
                        && decide_call(model, function, role, action, &i.value).may_be_allowed()
                })
                .map(|i| (p, i))
        })
    })
}

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let mut seen = Vec::new();
    for d in cx.decided_calls() {
        let Some((policy, item)) = wrong_case_entry(model, d.function, d.role, d.call.api.action(), &d.arn)
        else {
            continue;
        };
        if seen.contains(&item.loc) {
            continue;
        }
        seen.push(item.loc);
        let text = item.value.to_string();
        let Some(name) = upper_case_endpoint_name(&item.value) else { continue };
        let lower = text.replacen(&name, &name.to_lowercase(), 1);
        cx.report(
            Finding::new(format!(
                "policy {} names endpoint {name} with upper-case letters; SageMaker authorises against {lower}, so this entry never matches and Lambda {} cannot call {}",
                policy.name,
                d.function.id,
                d.call.api.action()
            ))
            .at(item.loc, "the endpoint name part of this ARN must be lower-case")
            .related(d.call.site, "the endpoint is invoked here")
            .help(format!("write the Resource as {lower} (the endpoint keeps its name; only the ARN is lower-case)"))
            .resource(d.role.id.clone()),
        );
    }
}
