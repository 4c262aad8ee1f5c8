//! SL107 arn-scope-mismatch. Prose, examples and suppression: rules/SL107.md.
//!
//! An Allow pinned to a literal partition, region or account applies only where the stack is
//! deployed there; unless `--region`/`--account-id` pin the deployment, that is undecidable.

use super::prelude::*;
use crate::analysis::keys::is_template_value;
use crate::iam::Outcome;
use crate::value::Symbol;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL107",
    name: "arn-scope-mismatch",
    severity: Severity::Warning,
    summary: "The invoke is allowed only if the deployment's region or account equals the one a statement names",
    doc: rule_doc!("SL107"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::AllowedIf {
            continue;
        }
        let symbols: Vec<Symbol> =
            d.decision.depends_on().into_iter().filter(|k| !k.is_condition_key()).collect();
        if symbols.is_empty()
            || symbols.len() != d.decision.depends_on().len()
            || symbols.iter().any(is_template_value)
        {
            continue;
        }
        let Some(allow) = d.decision.allows.iter().find(|h| !h.depends_on.is_empty()) else { continue };
        let what: Vec<&str> = symbols.iter().filter_map(Symbol::deployment_part).collect();
        // The code, not the statement, names the region the request goes to: the statement is
        // written for the stack's own region.
        if let Some((region, at)) = &d.function.code_region
            && region.is_literal()
            && what == ["region"]
        {
            cx.report(
                Finding::new(format!(
                    "Lambda {} may call {} on {} only if the stack is deployed to {region}, the region its code creates the SageMaker runtime client for",
                    d.function.id,
                    d.call.api.action(),
                    d.arn,
                ))
                .at(*at, format!("the client sends its requests to {region}, whatever region the function runs in"))
                .related(allow.loc, "this statement allows the endpoint in the stack's own region")
                .related(d.call.site, "the endpoint is invoked here")
                .help(format!(
                    "create the client without a region (the SDK then uses AWS_REGION, the function's region), or allow the endpoint's ARN in {region} too"
                ))
                .resource(d.function.id.clone()),
            );
            continue;
        }
        let pinned = allow.resource_via.as_deref().unwrap_or("its Resource");
        cx.report(
            Finding::new(format!(
                "Lambda {} may call {} on {} only if the stack is deployed to the {} that {pinned} names",
                d.function.id,
                d.call.api.action(),
                d.arn,
                what.join(" and ")
            ))
            .at(allow.loc, format!("this statement is pinned to a literal {}", what.join(" and ")))
            .related(d.call.site, "the endpoint is invoked here")
            .help(if d.function.origin.dialect.is_terraform() {
                "build the ARN from data.aws_region and data.aws_caller_identity, or check the deployment with --region and --account-id"
            } else {
                "write the ARN with ${AWS::Region} and ${AWS::AccountId} (Fn::Sub), or check the deployment with --region and --account-id"
            })
            .resource(d.function.id.clone()),
        );
    }
}
