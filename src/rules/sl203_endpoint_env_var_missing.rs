//! SL203 endpoint-env-var-missing. Prose, examples and suppression: rules/SL203.md.

use super::prelude::*;
use crate::model::Target;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL203",
    name: "endpoint-env-var-missing",
    severity: Severity::Error,
    summary: "The code reads the endpoint name from an environment variable the function does not define",
    doc: rule_doc!("SL203"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for function in &model.functions {
        for call in &function.calls {
            let Target::MissingEnv { var, loc } = &call.target else { continue };
            cx.report(
                Finding::new(format!(
                    "Lambda {} reads the endpoint name from environment variable {var}, which the function does not define",
                    function.id
                ))
                .at(*loc, format!("{var} is not set for this function"))
                .related(function.loc, "function defined here")
                .help(if function.origin.dialect.is_terraform() {
                    format!(
                        "add {var} to the function's environment {{ variables = {{ {var} = aws_sagemaker_endpoint.<name>.name }} }}; at run time the read fails (KeyError in Python, undefined in JavaScript)"
                    )
                } else {
                    format!(
                        "add {var} to the function's Environment.Variables (e.g. {var}: !GetAtt <Endpoint>.EndpointName); at run time the read fails (KeyError in Python, undefined in JavaScript)"
                    )
                })
                .resource(function.id.clone()),
            );
        }
    }
}
