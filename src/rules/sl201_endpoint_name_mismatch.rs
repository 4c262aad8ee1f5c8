//! SL201 endpoint-name-mismatch. Prose, examples and suppression: rules/SL201.md.

use std::collections::HashSet;

use super::prelude::*;
use crate::model::{Model, Target};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL201",
    name: "endpoint-name-mismatch",
    severity: Severity::Error,
    summary: "The endpoint name the code uses matches none of the known endpoints",
    doc: rule_doc!("SL201"),
    source: file!(),
    check,
};

/// True when the name is checked by this rule and matches no known endpoint (used by SL101 to
/// leave the root cause to this rule).
pub(super) fn is_mismatch(model: &Model, name: &str) -> bool {
    let mut known = model.known_endpoint_names().peekable();
    known.peek().is_some()
        && !has_symbolic_endpoint_name(model)
        && !model.known_endpoint_names().any(|(n, _)| n == name)
}

/// An endpoint whose name comes from a parameter without default could have any name.
fn has_symbolic_endpoint_name(model: &Model) -> bool {
    model.endpoints.iter().any(|e| e.name.as_ref().is_some_and(|n| !n.is_literal()))
}

/// Beyond this many endpoints in the run, suggestions come only from the function's own template,
/// so the "did you mean" search stays linear in the size of the run.
const GLOBAL_SUGGESTION_LIMIT: usize = 500;

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let known: HashSet<&str> = model.known_endpoint_names().map(|(n, _)| n).collect();
    if known.is_empty() || has_symbolic_endpoint_name(model) {
        return;
    }
    let total = known.len();
    for function in &model.functions {
        for call in &function.calls {
            let Target::Name { name, loc } = &call.target else { continue };
            if known.contains(name.as_str()) {
                continue;
            }
            let nearby = model.known_endpoint_names().filter(|(_, e)| {
                e.is_none_or(|e| e.loc.file == function.loc.file || total <= GLOBAL_SUGGESTION_LIMIT)
            });
            let candidates: Vec<(&str, Option<&crate::model::Endpoint>)> = nearby.collect();
            let case_twin = candidates.iter().copied().find(|(n, _)| n.eq_ignore_ascii_case(name));
            let suggestion = case_twin.or_else(|| {
                let close = crate::model::cfn::closest(name, candidates.iter().map(|(n, _)| *n))?;
                candidates.iter().copied().find(|(n, _)| *n == close)
            });
            let message = match case_twin {
                Some((twin, _)) => format!(
                    "Lambda {} invokes endpoint {name}, which differs only in case from {twin}; InvokeEndpoint requires the exact name",
                    function.id
                ),
                None => format!("Lambda {} invokes endpoint {name}, which is not defined", function.id),
            };
            let finding = Finding::new(message)
                .at(*loc, "this endpoint name is not known")
                .related(call.site, "the endpoint is invoked here")
                .resource(function.id.clone());
            let finding = if let Some((close, defined)) = suggestion {
                let f = finding.help(format!(
                    "did you mean {close}? At run time the call fails with ValidationError: Endpoint {name} of account … not found"
                ));
                match defined {
                    Some(ep) => {
                        f.related(ep.name_loc.unwrap_or(ep.loc), format!("endpoint {close} is defined here"))
                    }
                    None => f,
                }
            } else {
                let names: Vec<&str> = candidates.iter().map(|(n, _)| *n).take(5).collect();
                finding.help(format!(
                    "known endpoints include {}; if {name} is created outside the scanned files, add it to `endpoints` in sagelint.toml",
                    names.join(", ")
                ))
            };
            cx.report(finding);
        }
    }
}
