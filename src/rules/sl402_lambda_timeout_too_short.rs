//! SL402 lambda-timeout-too-short. Prose, examples and suppression: rules/SL402.md.
//!
//! Lambda's default timeout is 3 s (aws-semantics.md §11); a real-time model call plus a cold
//! client easily takes longer. The threshold (10 s) follows §11's advice; no configuration key
//! changes it yet.

use super::prelude::*;
use crate::model::InvokeApi;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL402",
    name: "lambda-timeout-too-short",
    severity: Severity::Warning,
    summary: "A function that invokes an endpoint has a timeout too short for a model call",
    doc: rule_doc!("SL402"),
    source: file!(),
    check,
};

/// Below this many seconds a function is flagged.
const MIN_TIMEOUT_S: u32 = 10;

/// The help for a key and its example. It is the same in every finding of a dialect, so it is
/// one static text, not a copy per finding; `concat!` takes only literals, hence the assertion
/// that the threshold it spells out is `MIN_TIMEOUT_S`.
macro_rules! help {
    ($key:literal, $example:literal) => {
        concat!(
            "set ", $key, " to at least 10 s (e.g. ", $example,
            "; behind API Gateway keep it at or below the integration timeout: 29 s for REST APIs, 30 s for HTTP APIs), and set the SDK's read timeout below it"
        )
    };
}
const _: () = assert!(MIN_TIMEOUT_S == 10, "the help text spells out the threshold");

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for function in &model.functions {
        // An async call returns once the request is queued: its latency is not the model's.
        let calls: Vec<_> =
            function.calls.iter().filter(|c| c.api != InvokeApi::InvokeEndpointAsync).collect();
        let Some(first) = calls.first() else { continue };
        let Some(timeout) = function.timeout.filter(|t| *t < MIN_TIMEOUT_S) else { continue };
        let (key, help) = if function.origin.dialect.is_terraform() {
            ("timeout", help!("timeout", "timeout = 25"))
        } else {
            ("Timeout", help!("Timeout", "Timeout: 25"))
        };
        let (at, what) = match function.timeout_loc {
            Some(loc) => (loc, format!("{key} is {timeout} s")),
            None => (function.loc, format!("no {key}: Lambda's default of {timeout} s applies")),
        };
        let how = if first.handled.is_some() {
            "calls the endpoint here"
        } else {
            "receives the endpoint name here"
        };
        let mut finding = Finding::new(format!(
            "Lambda {} invokes a SageMaker endpoint but is stopped after {timeout} s{}: a model call with a cold client or a slow model can take longer",
            function.id,
            if function.timeout_loc.is_none() { " (Lambda's default)" } else { "" },
        ))
        .at(at, what)
        .related(first.site, how);
        for call in calls.iter().skip(1) {
            finding = finding.related(call.site, "also calls the endpoint here");
        }
        cx.report(finding.help(help).resource(function.id.clone()));
    }
}
