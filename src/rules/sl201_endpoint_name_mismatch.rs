//! SL201 endpoint-name-mismatch. Prose, examples and suppression: rules/SL201.md.

use super::prelude::*;
use crate::analysis::endpoint_names::{NameCheck, suggestion};
use crate::model::Target;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL201",
    name: "endpoint-name-mismatch",
    severity: Severity::Error,
    summary: "The endpoint name the code uses matches none of the known endpoints",
    doc: rule_doc!("SL201"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let facts = cx.facts();
    for (fi, function) in model.functions.iter().enumerate() {
        for (ci, call) in function.calls.iter().enumerate() {
            let Target::Name { name, loc } = &call.target else { continue };
            // An empty name is invalid before it is unknown: SL202 says so when it runs.
            if name.is_empty() && cx.enabled("SL202") {
                continue;
            }
            let Some(NameCheck::Mismatch { candidates }) = facts.name_check(fi, ci) else { continue };
            let suggestion = suggestion(name, candidates);
            let case_twin = suggestion.filter(|(n, _)| n.eq_ignore_ascii_case(name));
            let message = match case_twin {
                Some((twin, _)) => format!(
                    "Lambda {} invokes endpoint {name}, which differs only in case from {twin}; InvokeEndpoint requires the exact name",
                    function.id
                ),
                None if name.is_empty() => {
                    format!(
                        "Lambda {} invokes an endpoint with an empty name, which is not defined",
                        function.id
                    )
                }
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
