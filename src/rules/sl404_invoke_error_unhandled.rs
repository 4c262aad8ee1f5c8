//! SL404 invoke-error-unhandled. Prose, examples and suppression: rules/SL404.md.
//!
//! API Gateway turns a function error into a 502 whose body is only
//! `{"message": "Internal server error"}`; a custom status needs the error caught in the code
//! (<https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html>). A REST API's
//! Lambda custom integration (`AWS`, not `AWS_PROXY`) answers `200 OK` with the error document
//! instead, unless an integration response maps it
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html>).

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

const PROXY_HELP: &str = "catch the SDK error and return a response the client can act on: in Python `except botocore.exceptions.ClientError as err: return {\"statusCode\": 502, \"body\": json.dumps({\"error\": err.response[\"Error\"][\"Code\"]})}`; in JavaScript wrap the `send` in try/catch and return `{ statusCode: 502, body: JSON.stringify({ error: err.name }) }`";

/// Behind a custom integration the fix is in the handler or in an integration response, named as
/// the function's format names it.
const CUSTOM_HELP_TERRAFORM: &str = "catch the SDK error in the handler, or map the Lambda error to an HTTP status with an `aws_api_gateway_integration_response` whose `selection_pattern` matches its `errorMessage`";
const CUSTOM_HELP_CLOUDFORMATION: &str = "catch the SDK error in the handler, or map the Lambda error to an HTTP status with an `IntegrationResponses` entry (`responses` in an OpenAPI body) whose `SelectionPattern` matches its `errorMessage`";

fn check(cx: &mut LintContext<'_>) {
    let chain = &cx.facts().api;
    for (_, function, integrations) in chain.fronted() {
        let Some(integration) = integrations.first() else { continue };
        // A Lambda custom integration does not turn the error into a 502: it answers 200 OK with
        // the error document unless an integration response maps it.
        let (reaches, answers, help) = if integration.custom {
            (
                "as a 200 OK response holding the Lambda error (`errorMessage`, `errorType`), unless an integration response maps it",
                "a Lambda custom integration answers 200 OK with the function's error unless an integration response maps it",
                if integration.dialect.is_terraform() {
                    CUSTOM_HELP_TERRAFORM
                } else {
                    CUSTOM_HELP_CLOUDFORMATION
                },
            )
        } else {
            (
                "as a bare \"Internal server error\"",
                "API Gateway answers \"Internal server error\" when the function fails",
                PROXY_HELP,
            )
        };
        for call in function.calls.iter().filter(|c| c.handled == Some(false)) {
            cx.report(
                Finding::new(format!(
                    "Lambda {} calls the SageMaker endpoint without handling its errors: a throttle, a model error or a denied call reaches the {} client {reaches}",
                    function.id,
                    kind_name(integration.kind),
                ))
                .at(call.site, "no try/except, try/catch or .catch handles its errors")
                .related(integration.loc, answers)
                .help(help)
                .resource(function.id.clone()),
            );
        }
    }
}
