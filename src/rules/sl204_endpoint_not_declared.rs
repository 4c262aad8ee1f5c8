//! SL204 endpoint-not-declared. Prose, examples and suppression: rules/SL204.md.

use super::prelude::*;
use crate::analysis::endpoint_names::NameCheck;
use crate::model::Target;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL204",
    name: "endpoint-not-declared",
    severity: Severity::Warning,
    summary: "The code calls an endpoint that no scanned file defines and the config does not declare",
    doc: rule_doc!("SL204"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    let facts = cx.facts();
    for (fi, function) in model.functions.iter().enumerate() {
        for (ci, call) in function.calls.iter().enumerate() {
            let Target::Name { name, loc } = &call.target else { continue };
            if !matches!(facts.name_check(fi, ci), Some(NameCheck::Unchecked)) {
                continue;
            }
            let finding = Finding::new(format!(
                "Lambda {} invokes endpoint {name}, which no scanned file defines: the name cannot be checked",
                function.id
            ))
            .at(*loc, "endpoint name used here")
            .help(format!(
                "if {name} is created outside these files, declare it in sagelint.toml: endpoints = [\"{name}\"]"
            ))
            .resource(function.id.clone());
            let finding = finding.related(call.site, "the endpoint is invoked here");
            cx.report(finding);
        }
    }
}
