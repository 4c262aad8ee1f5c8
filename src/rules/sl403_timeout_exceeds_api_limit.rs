//! SL403 timeout-exceeds-api-limit. Prose, examples and suppression: rules/SL403.md.
//!
//! API Gateway stops waiting after the integration timeout (REST and WebSocket 29 s, HTTP APIs
//! 30 s, or `TimeoutInMillis`) and answers 504 while the function keeps running (aws-semantics.md §11).

use super::prelude::*;
use super::wording::kind_name;
use crate::analysis::api_chain::timeout_ms;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL403",
    name: "timeout-exceeds-api-limit",
    severity: Severity::Warning,
    summary: "The function's timeout is longer than its API Gateway integration timeout",
    doc: rule_doc!("SL403"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let chain = &cx.facts().api;
    for (_, function, integrations) in chain.fronted() {
        let Some(timeout) = function.timeout else { continue };
        let Some(integration) = integrations.into_iter().min_by_key(|i| timeout_ms(i).0) else { continue };
        let (limit, default) = timeout_ms(integration);
        if u64::from(timeout) * 1000 <= u64::from(limit) {
            continue;
        }
        let limit_text = seconds(limit);
        let terraform = function.origin.dialect.is_terraform();
        let key = if terraform { "timeout" } else { "Timeout" };
        let (at, what) = match function.timeout_loc {
            Some(loc) => (loc, format!("{key} is {timeout} s")),
            None => (function.loc, format!("Lambda's default timeout of {timeout} s applies")),
        };
        let source = if default {
            format!("the {} default", kind_name(integration.kind))
        } else {
            (if terraform { "timeout_milliseconds" } else { "TimeoutInMillis" }).to_owned()
        };
        cx.report(
            Finding::new(format!(
                "Lambda {} may run for {timeout} s, but API Gateway stops waiting after {limit_text} ({source}): clients get 504 while the function still runs",
                function.id
            ))
            .at(at, what)
            .related(integration.loc, format!("{} integration gives up after {limit_text}", kind_name(integration.kind)))
            .help(format!(
                "set the function's {key} to at most {} s, and make the model call fit in it (SDK read timeout, smaller payloads, or an asynchronous endpoint for long inferences)",
                limit / 1000
            ))
            .resource(function.id.clone()),
        );
    }
}

fn seconds(ms: u32) -> String {
    if ms.is_multiple_of(1000) { format!("{} s", ms / 1000) } else { format!("{} ms", ms) }
}
