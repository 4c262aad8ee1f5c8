//! SL401 api-invoke-permission-missing. Prose, examples and suppression: rules/SL401.md.
//!
//! API Gateway calls a Lambda integration with the function's resource policy unless the
//! integration has credentials (<https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html>);
//! SAM adds that policy only for the function's own `Api`/`HttpApi` events (aws-semantics.md §7.4).

use super::prelude::*;
use super::wording::{kind_name, refusal};
use crate::analysis::api_chain::Cover;
use crate::model::api::{ApiIntegration, Qualifier, function_name_in};
use crate::model::network::Link;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL401",
    name: "api-invoke-permission-missing",
    severity: Severity::Error,
    summary: "An API Gateway integration targets the function and no permission lets API Gateway invoke it",
    doc: rule_doc!("SL401"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let chain = &cx.facts().api;
    for (index, function, integrations) in chain.fronted() {
        let needing: Vec<&ApiIntegration> =
            integrations.into_iter().filter(|i| !i.implicit_permission).collect();
        let mut reported: Vec<Option<&str>> = Vec::new();
        for integration in &needing {
            if reported.contains(&integration.api.as_deref()) {
                continue;
            }
            let verdicts = chain.verdicts(index, integration);
            // A permission the files cannot tie to a function might be this one's: not proven missing.
            if verdicts.iter().any(|(_, v)| matches!(v, Cover::Yes | Cover::Unknown)) {
                continue;
            }
            reported.push(integration.api.as_deref());
            let api = integration.api.as_deref().map_or_else(String::new, |a| format!(" {a}"));
            let terraform = integration.dialect.is_terraform();
            let mut finding = Finding::new(format!(
                "API Gateway cannot invoke Lambda {}: the {}{api} integrates it, and no {} lets apigateway.amazonaws.com call lambda:InvokeFunction on it",
                function.id,
                kind_name(integration.kind),
                if terraform { "aws_lambda_permission" } else { "AWS::Lambda::Permission" },
            ))
            .at(integration.loc, "API Gateway calls the function here, without permission")
            .related(function.loc, "function defined here; its resource policy does not allow API Gateway");
            for (permission, verdict) in &verdicts {
                match (verdict, &permission.function) {
                    (Cover::Refuses(why), _) => {
                        finding = finding.related(
                            permission.loc,
                            format!("permission {} does not apply: {}", permission.id, refusal(*why)),
                        );
                    }
                    // A name outside the files is worth showing: it is often a stale or mistyped name.
                    (Cover::OtherFunction, Link::External(name)) if function_name_in(name).is_some() => {
                        finding = finding.related(
                            permission.loc,
                            format!("permission {} is for {name}, not this function", permission.id),
                        );
                    }
                    _ => {}
                }
            }
            for other in
                needing.iter().filter(|i| !std::ptr::eq(**i, *integration) && i.api == integration.api)
            {
                finding = finding.related(other.loc, "also integrated here");
            }
            let source = integration.api.as_deref().map_or_else(
                || "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:<api-id>/*".to_owned(),
                |a| format!("!Sub arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{a}}}/*"),
            );
            if terraform {
                let source = integration.api.as_deref().map_or_else(
                    || "the API's execution_arn followed by /*/*".to_owned(),
                    |a| format!("\"${{{}.execution_arn}}/*/*\"", local_address(a)),
                );
                // The integration calls an alias: only a permission on that alias covers it.
                let qualifier = match &integration.qualifier {
                    Qualifier::Named(n) => format!(", qualifier = \"{n}\""),
                    _ => String::new(),
                };
                // Written next to the integration: the function is referenced directly only when
                // both are in the same module.
                let name = if module_of(&function.id) == module_of(&integration.id) {
                    format!("{}.function_name", local_address(&function.id))
                } else {
                    format!("the name of {} (a module output)", function.id)
                };
                cx.report(
                    finding
                        .help(format!(
                            "add an aws_lambda_permission with function_name = {name}, action = \"lambda:InvokeFunction\", principal = \"apigateway.amazonaws.com\", source_arn = {source}{qualifier}"
                        ))
                        .resource(function.id.clone()),
                );
                continue;
            }
            // The integration calls an alias or version: only a permission on it covers it.
            let function_name = match &integration.qualifier {
                Qualifier::Named(n) => format!("!Sub ${{{}.Arn}}:{n}", function.id),
                Qualifier::Computed => {
                    format!(
                        "the alias or version the integration invokes (!Sub ${{{}.Arn}}:<alias>)",
                        function.id
                    )
                }
                _ => format!("!GetAtt {}.Arn", function.id),
            };
            cx.report(
                finding
                    .help(format!(
                        "add an AWS::Lambda::Permission with FunctionName: {function_name}, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, SourceArn: {source} (with SAM, an Api/HttpApi event on the function adds it)"
                    ))
                    .resource(function.id.clone()),
            );
        }
    }
}

/// The module part of an address (`module.a.` of `module.a.aws_lambda_function.f`).
fn module_of(address: &str) -> &str {
    &address[..address.len() - local_address(address).len()]
}

/// The address as written inside its own module (`module.a.aws_lambda_function.f` → `aws_lambda_function.f`),
/// where the permission would be added.
fn local_address(address: &str) -> &str {
    let mut dots = address.rmatch_indices('.').map(|(i, _)| i);
    match (dots.next(), dots.next()) {
        (Some(_), Some(i)) => &address[i + 1..],
        _ => address,
    }
}
