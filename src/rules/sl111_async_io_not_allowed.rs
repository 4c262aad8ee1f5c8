//! SL111 async-io-not-allowed. Prose, examples and suppression: rules/SL111.md.
//!
//! SageMaker reads an async request's `InputLocation` and writes its result to the endpoint
//! config's `S3OutputPath` (failures to `S3FailurePath`) with the **execution role of the
//! endpoint's model**, not with the caller's credentials
//! (<https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html>).
//! So this rule checks that role: `s3:GetObject` on the input object, `s3:PutObject` under the
//! output and failure paths. What the caller's own code does with S3 (uploading the input,
//! reading the result) is its business and not checked here.

use std::collections::HashSet;

use super::prelude::*;
use crate::analysis::invoke::decide_for;
use crate::iam::Outcome;
use crate::model::InvokeApi;
use crate::model::{Endpoint, Model, Role, Target};
use crate::span::Loc;
use crate::value::{Piece, SymStr};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL111",
    name: "async-io-not-allowed",
    severity: Severity::Warning,
    summary: "The async endpoint's execution role cannot read the request's input location or write the output location",
    doc: rule_doc!("SL111"),
    source: file!(),
    check,
};

/// Stands for the object key SageMaker picks under an output path.
const OUTPUT_OBJECT: &str = "AsyncOutputObject";

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let mut findings = Vec::new();
    // Output paths belong to the endpoint: once per (endpoint, role, path), however many calls.
    let mut reported: HashSet<(usize, usize, Loc)> = HashSet::new();
    for function in &model.functions {
        for call in function.calls.iter().filter(|c| c.api == InvokeApi::InvokeEndpointAsync) {
            let Some((index, endpoint)) = called_endpoint(model, &call.target) else { continue };
            let Some(config) = &endpoint.async_config else { continue };
            for (role_id, role_loc) in &config.execution_roles {
                let Some((role_index, role)) = model.roles.iter().enumerate().find(|(_, r)| r.id == *role_id)
                else {
                    continue;
                };
                // Policies the files cannot show might grant the access.
                if !role.unknown_policies.is_empty() {
                    continue;
                }
                if let Some(input) = &call.input_location
                    && let Some(uri) = &input.value
                    && let Some(arn) = s3_arn(uri, &function.partition, false)
                    && denied(model, role, "s3:GetObject", &arn)
                {
                    let mut finding = Finding::new(format!(
                        "endpoint {}'s execution role {} cannot read the async input {uri} (s3:GetObject on {arn})",
                        endpoint.id, role.id
                    ))
                    .at(input.loc, "SageMaker reads this input with the endpoint's execution role")
                    .related(*role_loc, "the execution role of the endpoint's model")
                    .related(role.policies_loc.unwrap_or(role.loc), "no statement here allows s3:GetObject on it")
                    .help(format!("allow s3:GetObject on {arn} to role {}", role.id))
                    .resource(function.id.clone());
                    if let Some(env) = input.env_loc {
                        finding = finding.related(env, "the input location comes from here");
                    }
                    findings.push(finding);
                }
                let paths = [(&config.output_path, "results"), (&config.failure_path, "failure responses")];
                for (path, what) in paths {
                    let Some((uri, loc)) = path else { continue };
                    let Some(arn) = s3_arn(uri, &function.partition, true) else { continue };
                    if !reported.insert((index, role_index, *loc))
                        || !denied(model, role, "s3:PutObject", &arn)
                    {
                        continue;
                    }
                    let arn = arn.to_string().replace(&format!("${{{OUTPUT_OBJECT}}}"), "*");
                    findings.push(
                        Finding::new(format!(
                            "endpoint {}'s execution role {} cannot write async {what} to {uri} (s3:PutObject on {arn})",
                            endpoint.id, role.id
                        ))
                        .at(*loc, format!("SageMaker writes {what} here with the endpoint's execution role"))
                        .related(*role_loc, "the execution role of the endpoint's model")
                        .related(role.policies_loc.unwrap_or(role.loc), "no statement here allows s3:PutObject on it")
                        .related(call.site, "the endpoint is invoked asynchronously here")
                        .help(format!("allow s3:PutObject on {arn} to role {}", role.id))
                        .resource(endpoint.id.clone()),
                    );
                }
            }
        }
    }
    for finding in findings {
        cx.report(finding);
    }
}

/// The defined endpoint a call addresses: through `!GetAtt X.EndpointName` or by its literal name.
fn called_endpoint<'m>(model: &'m Model, target: &Target) -> Option<(usize, &'m Endpoint)> {
    match target {
        Target::Endpoint { index, .. } => model.endpoints.get(*index).map(|e| (*index, e)),
        Target::Name { name, .. } => model
            .endpoints
            .iter()
            .enumerate()
            .find(|(_, e)| e.name.as_ref().and_then(SymStr::as_literal) == Some(name.as_str())),
        _ => None,
    }
}

/// Certainly denied; a decision that depends on the deployment is not reported.
fn denied(model: &Model, role: &Role, action: &str, arn: &SymStr) -> bool {
    matches!(
        decide_for(model, role, action, arn).outcome,
        Outcome::ImplicitDeny | Outcome::ExplicitDeny(_) | Outcome::BoundaryDeny | Outcome::ScpDeny
    )
}

/// `s3://bucket/key` → `arn:<partition>:s3:::bucket/key`. For an output path (`prefix`), the
/// object SageMaker writes is some key under it, so the ARN ends in a symbol standing for that key:
/// `…/prefix/*` in a policy matches it, `…/prefix/exact.out` makes the answer depend on it.
fn s3_arn(uri: &SymStr, partition: &SymStr, prefix: bool) -> Option<SymStr> {
    let (first, others) = uri.pieces().split_first()?;
    let Piece::Lit(first) = first else { return None };
    let path = first.strip_prefix("s3://")?;
    // Without a literal bucket name there is nothing to match policies against.
    if path.is_empty() || path.starts_with('/') {
        return None;
    }
    let mut arn = SymStr::lit("arn:");
    arn.append(partition);
    arn.push_str(":s3:::");
    arn.push_str(path);
    for piece in others {
        match piece {
            Piece::Lit(s) => arn.push_str(s),
            Piece::Sym(sym) => arn.push_symbol(sym.clone()),
        }
    }
    if prefix {
        if !matches!(arn.pieces().last(), Some(Piece::Lit(s)) if s.ends_with('/')) {
            arn.push_str("/");
        }
        arn.push_sym(OUTPUT_OBJECT, crate::value::SymbolOrigin::Request);
    }
    Some(arn)
}
