//! SL101 invoke-not-allowed. Prose, examples and suppression: rules/SL101.md.

use super::prelude::*;
use crate::analysis::endpoint_names::NameCheck;
use crate::analysis::keys::is_vpc_key;
use crate::iam::Outcome;
use crate::model::Target;
use crate::model::network::VpcConfig;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL101",
    name: "invoke-not-allowed",
    severity: Severity::Error,
    summary: "No identity policy of the function's role allows the invoke action on the endpoint",
    doc: rule_doc!("SL101"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let facts = cx.facts();
    for d in cx.decided_calls() {
        // With policies the files cannot show, a missing Allow is not proven (SL003 says so).
        if d.decision.outcome != Outcome::ImplicitDeny || !d.role.unknown_policies.is_empty() {
            continue;
        }
        // A misspelled name is the root cause; SL201 reports it with the right fix when it runs.
        let misspelt = match &d.call.target {
            Target::Name { name, .. } => match facts.name_check(d.at.0, d.at.1) {
                Some(NameCheck::Mismatch { candidates }) => candidates.first().map(|c| (name.clone(), *c)),
                _ => None,
            },
            _ => None,
        };
        if misspelt.is_some() && cx.enabled("SL201") {
            continue;
        }
        let action = d.call.api.action();
        let at = d.role.policies_loc.unwrap_or(d.role.loc);
        let searched: Vec<&str> = d.role.policies.iter().map(|p| p.name.as_str()).collect();
        // An Allow that needs a VPC endpoint's keys reads as a grant; say why it does not apply.
        let vpc_only = d
            .without_network
            .as_ref()
            .filter(|without| without.outcome == Outcome::AllowedIf)
            .and_then(|without| without.allows.iter().find(|h| !h.depends_on.is_empty()))
            .map(|h| {
                let keys: Vec<String> =
                    h.depends_on.iter().filter(|k| is_vpc_key(k)).map(|k| k.id().to_owned()).collect();
                (h, keys)
            })
            .filter(|(_, keys)| !keys.is_empty());
        let label = if searched.is_empty() {
            "the role has no policies".to_owned()
        } else {
            format!("no statement here allows {action}")
        };
        let on = if d.any_name {
            format!("any endpoint (the files do not tell its name; {})", d.arn)
        } else {
            d.arn.to_string()
        };
        let mut finding = Finding::new(format!("Lambda {} cannot call {action} on {on}", d.function.id))
            .at(at, label)
            .related(d.call.site, "the endpoint is invoked here")
            .resource(d.function.id.clone());
        if let Some(env) = d.call.env_loc {
            finding = finding.related(env, "the endpoint name comes from here");
        }
        // The ARN's region is the one the code names, not the function's.
        let other_region = d.function.code_region.as_ref().filter(|(region, _)| *region != d.function.region);
        if let Some((region, at)) = other_region {
            finding = finding.related(
                *at,
                format!("the client sends its requests to {region}, so the call is authorised against that region's ARN"),
            );
        }
        if let Target::Endpoint { index, .. } = &d.call.target
            && let Some(ep) = model.endpoints.get(*index)
        {
            finding = finding.related(ep.loc, "endpoint defined here");
        }
        // The root cause has its own rule: SL106 (upper-case ARN) or SL108 (other invoke variant).
        // When that rule is off, this one reports the denial and names the cause.
        let wrong_case = d.wrong_case;
        let sibling = d.allowed_sibling();
        // A streaming call with only InvokeEndpoint granted is documented both ways (SL003 says
        // so, aws-semantics.md §5.2): not a certain denial.
        if sibling.is_some_and(|allowed| {
            d.call.api == crate::model::InvokeApi::InvokeEndpointWithResponseStream
                && allowed == crate::model::InvokeApi::InvokeEndpoint.action()
        }) {
            continue;
        }
        if (wrong_case.is_some() && cx.enabled("SL106")) || (sibling.is_some() && cx.enabled("SL108")) {
            continue;
        }
        if let Some((_, item)) = &wrong_case {
            finding = finding.related(
                item.loc,
                "this entry names the endpoint in another case: IAM compares the name case-sensitively and endpoint ARNs are lower-case",
            );
        }
        if let Some((name, candidate)) = &misspelt {
            finding = finding.related(
                d.call.site,
                format!("{name} is not an endpoint of these files: did you mean {}?", candidate.0),
            );
        }
        if let Some((allow, keys)) = &vpc_only {
            let keys = keys.join(", ");
            // The keys are absent either outside a VPC or, in one, when the call leaves through
            // NAT (analysis/invoke.rs decides which).
            let in_vpc = d.function.vpc.as_ref().is_some_and(VpcConfig::attached);
            let (why, fix) = if in_vpc {
                (
                    "its call leaves the VPC through NAT, not through a sagemaker.runtime interface endpoint"
                        .to_owned(),
                    "add a sagemaker.runtime interface endpoint with private DNS on to the function's VPC"
                        .to_owned(),
                )
            } else {
                (
                    format!(
                        "{} is not attached to a VPC, so its call cannot go through a VPC endpoint",
                        d.function.id
                    ),
                    format!("attach {} to a VPC with a SageMaker runtime interface endpoint", d.function.id),
                )
            };
            finding = finding.related(allow.loc, format!("this Allow needs {keys}, which is absent: {why}"));
            cx.report(finding.help(format!(
                "{fix}, or drop the condition on {keys} (aws:SourceVpc, aws:SourceVpce and aws:VpcSourceIp are present only when the request goes through a VPC endpoint)"
            )));
            continue;
        }
        // SAM attaches a function's Policies only to the role it generates, and generates none when
        // Role is set: a grant written there reads as one but is attached to nothing.
        if let Some(ignored) = d.function.ignored_policies {
            cx.report(
                finding
                    .related(ignored, "SAM ignores these Policies because the function sets Role")
                    .help(format!(
                        "SAM attaches Policies only to the role it generates, and generates none when Role is set: add the statement allowing {action} on {} to role {} itself, or remove Role so SAM builds the role from Policies",
                        d.arn, d.role.id
                    )),
            );
            continue;
        }
        // A near-miss action (`sagemaker:InvokeEndpoints`) matches nothing: IAM ignores unknown
        // action names, so the typo is the whole story.
        let typo = d.role.policies.iter().flat_map(|p| &p.doc.statements).find_map(|s| match &s.actions {
            crate::iam::policy::ActionList::Action(items) => items.iter().find_map(|i| {
                let text = i.value.to_string();
                let distance =
                    crate::text::edit_distance_within(&text.to_lowercase(), &action.to_lowercase(), 2);
                (distance.is_some_and(|d| d > 0) && !text.contains('*') && !text.contains('?'))
                    .then_some((text, i.loc))
            }),
            crate::iam::policy::ActionList::NotAction(_) => None,
        });
        // The stack defines the endpoint in its own region, where the client does not send.
        let defined_elsewhere = other_region
            .filter(|_| matches!(d.call.target, Target::Endpoint { .. }))
            .map(|(region, _)| region);
        let mut finding = match typo {
            Some((text, loc)) => finding
                .related(loc, format!("{text} is not an IAM action"))
                .help(format!("{text} is not an IAM action, so it allows nothing: did you mean {action}?")),
            None if defined_elsewhere.is_some() => finding.help(format!(
                "create the client without a region, so that its requests go to the function's own region (the SDK reads AWS_REGION), where these files define the endpoint; or, if the endpoint also exists in {}, add a statement allowing {action} on {} to {}",
                defined_elsewhere.map(ToString::to_string).unwrap_or_default(),
                d.arn,
                d.role.id
            )),
            None => finding.help(format!(
                "add a statement allowing {} on {} to {} (policies searched: {})",
                if d.call.api == crate::model::InvokeApi::InvokeEndpointWithResponseStream {
                    // AWS documents either action for the streaming call (aws-semantics.md §5.2).
                    "sagemaker:InvokeEndpoint and sagemaker:InvokeEndpointWithResponseStream"
                } else {
                    action
                },
                if d.any_name {
                    d.arn.to_string().replace("${EndpointName}", "<name>")
                        + " for every endpoint it may be asked to call (a shared prefix such as endpoint/churn-* keeps the grant narrow)"
                } else {
                    d.arn.to_string()
                },
                d.role.id,
                if searched.is_empty() { "none".to_owned() } else { searched.join(", ") }
            )),
        };
        if let Some(allowed) = sibling
            && let Some(help) = &mut finding.help
        {
            *help = format!("the role allows {allowed}, a different action from {action}: {help}").into();
        }
        cx.report(finding);
    }
}
