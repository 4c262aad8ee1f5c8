//! SL202 endpoint-name-invalid. Prose, examples and suppression: rules/SL202.md.
//!
//! SageMaker's pattern: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`
//! (<https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html>).

use super::prelude::*;
use crate::model::Target;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL202",
    name: "endpoint-name-invalid",
    severity: Severity::Error,
    summary: "An endpoint name SageMaker would reject, or an ARN passed where a name is expected",
    doc: rule_doc!("SL202"),
    source: file!(),
    check,
};

/// Why SageMaker would reject the name, if it would.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > 63 {
        return Some(format!("it is {} characters long (at most 63)", name.len()));
    }
    if let Some(bad) = name.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-') {
        return Some(format!("it contains '{bad}' (only letters, digits and hyphens are allowed)"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("it starts or ends with a hyphen".into());
    }
    None
}

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for ep in &model.endpoints {
        let Some(name) = ep.name.as_ref().and_then(|n| n.as_literal()) else { continue };
        if let Some(why) = name_problem(name) {
            cx.report(
                Finding::new(format!("endpoint name {name} is invalid: {why}"))
                    .at(ep.name_loc.unwrap_or(ep.loc), "SageMaker rejects this name")
                    .help("use 1-63 letters, digits and hyphens, starting and ending with a letter or digit")
                    .resource(ep.id.clone()),
            );
        }
    }
    for function in &model.functions {
        for call in &function.calls {
            match &call.target {
                Target::Arn { text, loc } => {
                    let finding = Finding::new(format!(
                        "Lambda {} passes an endpoint ARN ({text}) where InvokeEndpoint expects the endpoint name",
                        function.id
                    ))
                    .at(*loc, if function.origin.dialect.is_terraform() {
                        "this is the endpoint's ARN"
                    } else {
                        "this is the endpoint's ARN (Ref of AWS::SageMaker::Endpoint returns the ARN)"
                    })
                    .help(if function.origin.dialect.is_terraform() {
                        "pass the name instead: aws_sagemaker_endpoint.<name>.name"
                    } else {
                        "pass the name instead: !GetAtt <Endpoint>.EndpointName"
                    })
                    .resource(function.id.clone());
                    let finding = finding.related(call.site, "the endpoint is invoked here");
                    cx.report(finding);
                }
                Target::Name { name, loc } => {
                    if let Some(why) = name_problem(name) {
                        let message = if name.is_empty() {
                            format!(
                                "Lambda {} invokes an endpoint with an empty name, which SageMaker rejects",
                                function.id
                            )
                        } else {
                            format!(
                                "Lambda {} invokes endpoint {name}, which is not a valid endpoint name: {why}",
                                function.id
                            )
                        };
                        let finding = Finding::new(message)
                            .at(*loc, "SageMaker rejects this name")
                            .help("use the endpoint's exact name: 1-63 letters, digits and hyphens")
                            .resource(function.id.clone());
                        let finding = finding.related(call.site, "the endpoint is invoked here");
                        cx.report(finding);
                    }
                }
                _ => {}
            }
        }
    }
}
