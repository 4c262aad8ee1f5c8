//! SL003 undecidable. Prose, examples and suppression: rules/SL003.md.
//!
//! Says exactly what the files cannot tell: a role or policy defined elsewhere, an endpoint name
//! built at run time. Never a guess in either direction.

use super::prelude::*;
use crate::iam::Outcome;
use crate::model::{IssueKind, RoleRef, Target};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL003",
    name: "undecidable",
    severity: Severity::Info,
    summary: "A check cannot be decided from the scanned files",
    doc: rule_doc!("SL003"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for issue in model.issues.iter().filter(|i| i.kind == IssueKind::Undecidable) {
        cx.report(issue.finding.clone());
    }
    for function in &model.functions {
        if function.calls.is_empty() {
            continue;
        }
        if let RoleRef::Unknown { why, loc } = &function.role {
            let first = &function.calls[0];
            cx.report(
                Finding::new(format!("cannot check whether {} may invoke the endpoint: {why}", function.id))
                    .at(*loc, "the execution role is set here")
                    .related(first.site, "the endpoint is invoked here")
                    .help("lint the template that defines the role together with this one, or declare the role in this template")
                    .resource(function.id.clone()),
            );
        }
        for call in &function.calls {
            if let Target::Unknown { why, loc } | Target::Symbolic { why, loc, .. } = &call.target {
                let at = if loc.span.is_empty() { call.site } else { *loc };
                cx.report(
                    Finding::new(format!("cannot check which endpoint {} invokes: {why}", function.id))
                        .at(at, "the endpoint name is not known statically")
                        .related(call.site, "the endpoint is invoked here")
                        .help("pass the name through an environment variable set from the endpoint (!GetAtt Endpoint.EndpointName) so it can be checked")
                        .resource(function.id.clone()),
                );
            }
        }
    }
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::ImplicitDeny || d.role.unknown_policies.is_empty() {
            continue;
        }
        let mut finding = Finding::new(format!(
            "cannot tell whether {} may call {} on {}: the role has policies the scanned files do not define",
            d.function.id,
            d.call.api.action(),
            d.arn
        ))
        .at(d.role.unknown_policies[0].1, format!("{} is not in the scanned files", d.role.unknown_policies[0].0))
        .related(d.call.site, "the endpoint is invoked here")
        .help("no policy that the files define allows the request; check the external policies, or lint them with the template")
        .resource(d.function.id.clone());
        for (name, loc) in d.role.unknown_policies.iter().skip(1) {
            finding = finding.related(*loc, format!("{name} is not in the scanned files"));
        }
        cx.report(finding);
    }
}
