//! SL111 async-io-not-allowed. Prose, examples and suppression: rules/SL111.md.
//!
//! SageMaker reads an async request's `InputLocation` and writes its result to the endpoint
//! config's `S3OutputPath` (failures to `S3FailurePath`) with the **execution role of the
//! endpoint's model**, not with the caller's credentials
//! (<https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html>).
//! So this rule checks that role: `s3:GetObject` on the input object, `s3:PutObject` under the
//! output and failure paths. What the caller's own code does with S3 (uploading the input,
//! reading the result) is its business and not checked here. The evaluations are the analysis
//! stage's (`analysis::async_io`); the rule words them.

use super::prelude::*;
use crate::analysis::async_io::{AsyncIoDenied, Denied};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL111",
    name: "async-io-not-allowed",
    severity: Severity::Warning,
    summary: "The async endpoint's execution role cannot read the request's input location or write the output location",
    doc: rule_doc!("SL111"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let mut findings = Vec::new();
    for denied in &cx.facts().async_io_denied {
        let AsyncIoDenied { function, call, endpoint, role, role_loc, location } = denied;
        let finding = match location {
            Denied::Input { input, uri, arn } => {
                let finding = Finding::new(format!(
                    "endpoint {}'s execution role {} cannot read the async input {uri} (s3:GetObject on {arn})",
                    endpoint.id, role.id
                ))
                .at(input.loc, "SageMaker reads this input with the endpoint's execution role")
                .related(*role_loc, "the execution role of the endpoint's model")
                .related(role.policies_loc.unwrap_or(role.loc), "no statement here allows s3:GetObject on it")
                .help(format!("allow s3:GetObject on {arn} to role {}", role.id))
                .resource(function.id.clone());
                match input.env_loc {
                    Some(env) => finding.related(env, "the input location comes from here"),
                    None => finding,
                }
            }
            Denied::Output { uri, at, what, arn } => Finding::new(format!(
                "endpoint {}'s execution role {} cannot write async {what} to {uri} (s3:PutObject on {arn})",
                endpoint.id, role.id
            ))
            .at(*at, format!("SageMaker writes {what} here with the endpoint's execution role"))
            .related(*role_loc, "the execution role of the endpoint's model")
            .related(role.policies_loc.unwrap_or(role.loc), "no statement here allows s3:PutObject on it")
            .related(call.site, "the endpoint is invoked asynchronously here")
            .help(format!("allow s3:PutObject on {arn} to role {}", role.id))
            .resource(endpoint.id.clone()),
        };
        findings.push(finding);
    }
    for finding in findings {
        cx.report(finding);
    }
}
