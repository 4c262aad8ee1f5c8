//! SL404 invoke-error-unhandled. Prose, examples and suppression: rules/SL404.md.
//!
//! API Gateway turns a function error into a 502 whose body is only
//! `{"message": "Internal server error"}`; a custom status needs the error caught in the code
//! (<https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html>).

use super::prelude::*;
use super::wording::kind_name;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL404",
    name: "invoke-error-unhandled",
    severity: Severity::Info,
    summary: "The handler calls the endpoint without handling the client error, so API Gateway returns a bare error",
    doc: rule_doc!("SL404"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let chain = &cx.facts().api;
    for (_, function, integrations) in chain.fronted() {
        let Some(integration) = integrations.first() else { continue };
        for call in function.calls.iter().filter(|c| c.handled == Some(false)) {
            cx.report(
                Finding::new(format!(
                    "Lambda {} calls the SageMaker endpoint without handling its errors: a throttle, a model error or a denied call reaches the {} client as a bare \"Internal server error\"",
                    function.id,
                    kind_name(integration.kind),
                ))
                .at(call.site, "no try/except, try/catch or .catch handles its errors")
                .related(integration.loc, "API Gateway answers \"Internal server error\" when the function fails")
                .help("catch the SDK error and return a response the client can act on: in Python `except botocore.exceptions.ClientError as err: return {\"statusCode\": 502, \"body\": json.dumps({\"error\": err.response[\"Error\"][\"Code\"]})}`; in JavaScript wrap the `send` in try/catch and return `{ statusCode: 502, body: JSON.stringify({ error: err.name }) }`")
                .resource(function.id.clone()),
            );
        }
    }
}
