//! The invocation chain around a function: API Gateway integrations that call it and the
//! resource-policy statements (`lambda:InvokeFunction` permissions) that let them. Facts:
//! aws-semantics.md §7.4, §9.1, §11.

use crate::model::network::Link;
use crate::span::Loc;
use crate::value::SymStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKind {
    /// REST API (`AWS::ApiGateway::Method`, SAM `Api` event, `aws_api_gateway_integration`).
    Rest,
    /// HTTP API (`AWS::ApiGatewayV2::Integration`, SAM `HttpApi`, `aws_apigatewayv2_integration`).
    Http,
    /// WebSocket API (`AWS::ApiGatewayV2::Integration` on a WEBSOCKET API).
    WebSocket,
}

impl ApiKind {
    /// The integration timeout when none is set: REST and WebSocket 29 s, HTTP APIs 30 s.
    #[must_use]
    pub fn default_timeout_ms(self) -> u32 {
        match self {
            Self::Rest | Self::WebSocket => 29_000,
            Self::Http => 30_000,
        }
    }
}

/// An API Gateway integration whose backend is a Lambda function.
#[derive(Clone, Debug)]
pub struct ApiIntegration {
    /// The resource that defines it (method, integration, SAM function event).
    pub id: String,
    pub kind: ApiKind,
    /// The integrated function (by the function's model id) or what the URI names instead.
    pub function: Link,
    /// `TimeoutInMillis` / `timeout_milliseconds`; `None` means the kind's default.
    pub timeout_ms: Option<u32>,
    pub loc: Loc,
    pub dialect: super::Dialect,
    /// The API the integration belongs to, when known (to match permissions' `SourceArn`).
    pub api: Option<String>,
    /// The integration needs no `lambda:InvokeFunction` permission of its own: SAM events add one,
    /// and integrations with credentials (an IAM role) invoke the function with that role.
    pub implicit_permission: bool,
    /// Which version or alias of the function the integration calls.
    pub qualifier: Qualifier,
    /// A REST API's Lambda custom integration (type `AWS`, not `AWS_PROXY`): a function error
    /// reaches the client as `200 OK` unless an integration response maps it
    /// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html>).
    pub custom: bool,
}

/// The version or alias an invocation names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// The function's unqualified ARN (`aws_lambda_function.f.invoke_arn`).
    Unqualified,
    /// An alias or version (`aws_lambda_alias.live.invoke_arn`).
    Named(String),
    /// An alias or version whose name the files do not tell (a stage variable, a parameter, a
    /// version's number): not the unqualified function.
    Computed,
    /// The files do not tell (the builder does not read it, or it is computed).
    Unknown,
}

/// `AWS::Lambda::Permission` / `aws_lambda_permission`.
#[derive(Clone, Debug)]
pub struct InvokePermission {
    pub id: String,
    pub function: Link,
    pub action: SymStr,
    pub principal: SymStr,
    pub source_arn: Option<SymStr>,
    /// Terraform `qualifier` (or a permission on an alias): a permission on an alias or version
    /// covers invocations of that alias or version only
    /// (<https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html>).
    pub qualifier: Option<SymStr>,
    pub loc: Loc,
    pub dialect: super::Dialect,
}

/// The function name a Lambda ARN, an invocations URI or a bare name gives, when it is written out
/// (`arn:${AWS::Partition}:lambda:…:function:score` gives `score`). Anything that is not a valid
/// function name (letters, digits, `-`, `_`, at most 64) is a description of an unknown value
/// (`${FnName}`, `var.function_name`), not a name.
#[must_use]
pub fn function_name_in(text: &str) -> Option<&str> {
    let name = match text.split_once(":function:") {
        Some((_, rest)) => rest.split([':', '/']).next()?,
        None => text,
    };
    let valid = (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::function_name_in;

    #[test]
    fn function_names_in_arns_uris_and_bare_names() {
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:score:live/invocations";
        assert_eq!(function_name_in(uri), Some("score"));
        assert_eq!(
            function_name_in("arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:score"),
            Some("score")
        );
        assert_eq!(function_name_in("score-fn"), Some("score-fn"));
        assert_eq!(function_name_in("arn:aws:lambda:us-east-1:1:function:${Name}"), None);
        assert_eq!(function_name_in("${FnName}"), None);
        assert_eq!(function_name_in("arn:aws:sqs:us-east-1:1:queue"), None);
        assert_eq!(function_name_in("var.function_name"), None);
        assert_eq!(function_name_in("aws_lambda_function.score.arn"), None);
    }
}
