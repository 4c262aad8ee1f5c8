//! SL106 endpoint-arn-case. Prose, examples and suppression: rules/SL106.md.
//!
//! SageMaker authorises against endpoint ARNs whose name part is lower-case, and ARN matching is
//! case-sensitive, so a literal upper-case letter in the name part never matches
//! (aws-semantics.md §5.3: observed behaviour, e.g. philschmid/cdk-samples#2; CloudFormation's own
//! `Ref` example shows `…:endpoint/myendpoint` for `MyEndpoint`).

use super::prelude::*;
use crate::iam::policy::ResourceList;
use crate::model::{Role, RoleRef};
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

/// True when one of the role's statements names this request's endpoint ARN except for the
/// upper-case letters in the name: the case SL106 reports, so SL101 leaves it to SL106.
pub(super) fn names_in_wrong_case(role: &Role, arn: &SymStr) -> bool {
    let wanted = arn.to_string().to_lowercase();
    role.policies.iter().flat_map(|p| &p.doc.statements).any(|s| match &s.resources {
        ResourceList::Resource(items) => items.iter().any(|i| {
            upper_case_endpoint_name(&i.value).is_some() && i.value.to_string().to_lowercase() == wanted
        }),
        ResourceList::NotResource(_) => false,
    })
}

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let mut seen = Vec::new();
    for function in model.functions.iter().filter(|f| !f.calls.is_empty()) {
        let RoleRef::Known(index) = function.role else { continue };
        let Some(role) = model.roles.get(index) else { continue };
        for policy in &role.policies {
            for statement in &policy.doc.statements {
                let ResourceList::Resource(items) = &statement.resources else { continue };
                for item in items {
                    let text = item.value.to_string();
                    let Some(name) = upper_case_endpoint_name(&item.value) else { continue };
                    if seen.contains(&item.loc) {
                        continue;
                    }
                    seen.push(item.loc);
                    let lower = text.replacen(&name, &name.to_lowercase(), 1);
                    cx.report(
                        Finding::new(format!(
                            "policy {} names endpoint {name} with upper-case letters; SageMaker authorises against {lower}, so this statement never matches",
                            policy.name
                        ))
                        .at(item.loc, "the endpoint name part of this ARN must be lower-case")
                        .related(function.loc, format!("{} uses this role", function.id))
                        .help(format!("write the Resource as {lower} (the endpoint keeps its name; only the ARN is lower-case)"))
                        .resource(role.id.clone()),
                    );
                }
            }
        }
    }
}
