//! Whether each async endpoint's execution role can reach the S3 locations of its calls.
//! SageMaker reads an async request's `InputLocation` and writes its result to the endpoint
//! config's `S3OutputPath` (failures to `S3FailurePath`) with the **execution role of the
//! endpoint's model**, not with the caller's credentials
//! (<https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html>).
//! So that role is evaluated: `s3:GetObject` on the input object, `s3:PutObject` under the output
//! and failure paths. What the caller's own code does with S3 (uploading the input, reading the
//! result) is its business and not evaluated here.

use std::collections::HashSet;

use crate::analysis::invoke::decide_for;
use crate::iam::Outcome;
use crate::model::{Call, Endpoint, Function, InputLocation, InvokeApi, Model, Role, Target};
use crate::span::Loc;
use crate::value::{Piece, SymStr, SymbolOrigin};

/// Stands for the object key SageMaker picks under an output path.
const OUTPUT_OBJECT: &str = "AsyncOutputObject";

/// An async call whose endpoint's execution role certainly cannot reach one of its S3 locations.
pub(crate) struct AsyncIoDenied<'m> {
    pub function: &'m Function,
    pub call: &'m Call,
    pub endpoint: &'m Endpoint,
    pub role: &'m Role,
    /// Where the endpoint's model names the role.
    pub role_loc: Loc,
    pub location: Denied<'m>,
}

/// Which location, and the ARN the role was asked about.
pub(crate) enum Denied<'m> {
    /// `s3:GetObject` on the call's `InputLocation`.
    Input { input: &'m InputLocation, uri: &'m SymStr, arn: SymStr },
    /// `s3:PutObject` under the output path (`what`: "results") or the failure path ("failure
    /// responses"); `arn` ends in `*` for the key SageMaker picks.
    Output { uri: &'m SymStr, at: Loc, what: &'static str, arn: String },
}

/// Every certain denial, in model order: per function, per async call, per execution role, the
/// input first, then the output and failure paths. An output path belongs to the endpoint: it is
/// reported once per (endpoint, role, path), however many calls address it.
pub(crate) fn denied(model: &Model) -> Vec<AsyncIoDenied<'_>> {
    let mut out = Vec::new();
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
                let denial = |location| AsyncIoDenied {
                    function,
                    call,
                    endpoint,
                    role,
                    role_loc: *role_loc,
                    location,
                };
                if let Some(input) = &call.input_location
                    && let Some(uri) = &input.value
                    && let Some(arn) = s3_arn(uri, &function.partition, false)
                    && denied_to(model, role, "s3:GetObject", &arn)
                {
                    out.push(denial(Denied::Input { input, uri, arn }));
                }
                let paths = [(&config.output_path, "results"), (&config.failure_path, "failure responses")];
                for (path, what) in paths {
                    let Some((uri, at)) = path else { continue };
                    let Some(arn) = s3_arn(uri, &function.partition, true) else { continue };
                    if !reported.insert((index, role_index, *at))
                        || !denied_to(model, role, "s3:PutObject", &arn)
                    {
                        continue;
                    }
                    let arn = arn.to_string().replace(&format!("${{{OUTPUT_OBJECT}}}"), "*");
                    out.push(denial(Denied::Output { uri, at: *at, what, arn }));
                }
            }
        }
    }
    out
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
fn denied_to(model: &Model, role: &Role, action: &str, arn: &SymStr) -> bool {
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
        arn.push_sym(OUTPUT_OBJECT, SymbolOrigin::Request);
    }
    Some(arn)
}
