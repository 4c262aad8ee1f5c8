//! What the SL4xx rules share: which function an integration or a permission is about, and whether
//! a permission lets API Gateway invoke a function through a given integration.

use crate::model::api::{ApiIntegration, ApiKind, InvokePermission, function_name_in};
use crate::model::network::Link;
use crate::model::{Function, Model};
use crate::span::Loc;

/// The function a link names: by id (ids repeat across templates: the one in `near`'s file then),
/// or by the literal name or ARN it gives.
fn linked<'m>(model: &'m Model, link: &Link, near: Loc) -> Option<&'m Function> {
    match link {
        Link::Resource(id) => {
            let mut same_id = model.functions.iter().filter(|f| &f.id == id);
            let first = same_id.next()?;
            match same_id.next() {
                None => Some(first),
                Some(_) => model.functions.iter().find(|f| &f.id == id && f.loc.file == near.file),
            }
        }
        Link::External(text) => {
            let name = function_name_in(text)?;
            model.functions.iter().find(|f| f.name.as_literal() == Some(name))
        }
    }
}

/// The function an integration calls, when it is one of the scanned functions.
pub(super) fn integrated<'m>(model: &'m Model, integration: &ApiIntegration) -> Option<&'m Function> {
    linked(model, &integration.function, integration.loc)
}

/// Every integration that calls this function.
pub(super) fn integrations_of<'m>(
    model: &'m Model,
    function: &'m Function,
) -> impl Iterator<Item = &'m ApiIntegration> {
    model.integrations.iter().filter(move |i| integrated(model, i).is_some_and(|f| std::ptr::eq(f, function)))
}

/// The integration timeout in milliseconds, and whether it is the API kind's default.
pub(super) fn timeout_ms(integration: &ApiIntegration) -> (u32, bool) {
    integration.timeout_ms.map_or((integration.kind.default_timeout_ms(), true), |t| (t, false))
}

pub(super) fn kind_name(kind: ApiKind) -> &'static str {
    match kind {
        ApiKind::Rest => "REST API",
        ApiKind::Http => "HTTP API",
        ApiKind::WebSocket => "WebSocket API",
    }
}

/// Whether a permission may let API Gateway invoke a function through an integration.
pub(super) enum Cover {
    Yes,
    /// It is for another function.
    OtherFunction,
    /// It is for this function but does not let this integration in: why.
    Refuses(&'static str),
    /// The files cannot tell which function it is for.
    Unknown,
}

pub(super) fn covers(
    model: &Model,
    permission: &InvokePermission,
    function: &Function,
    integration: &ApiIntegration,
) -> Cover {
    match linked(model, &permission.function, permission.loc) {
        Some(f) if !std::ptr::eq(f, function) => return Cover::OtherFunction,
        Some(_) => {}
        // A literal name of a function outside the files cannot be this function when this one's
        // name is written; anything else (a parameter, an import, a generated name) might be.
        None => match &permission.function {
            Link::External(text) if function_name_in(text).is_some() && function.name.is_literal() => {
                return Cover::OtherFunction;
            }
            _ => return Cover::Unknown,
        },
    }
    if !principal_may_be_api_gateway(permission) {
        Cover::Refuses("its Principal is not apigateway.amazonaws.com")
    } else if !action_may_invoke(permission) {
        Cover::Refuses("its Action is not lambda:InvokeFunction")
    } else if !same_api(model, permission, integration) {
        Cover::Refuses("its SourceArn allows another API only")
    } else {
        Cover::Yes
    }
}

fn principal_may_be_api_gateway(permission: &InvokePermission) -> bool {
    permission.principal.as_literal().is_none_or(|p| p == "*" || p.starts_with("apigateway."))
}

fn action_may_invoke(permission: &InvokePermission) -> bool {
    permission.action.as_literal().is_none_or(|a| {
        let a = a.to_ascii_lowercase();
        a == "lambda:invokefunction" || a == "lambda:*" || a == "*"
    })
}

/// False only when the `SourceArn` names another API of the files (by reference) and not this one.
fn same_api(model: &Model, permission: &InvokePermission, integration: &ApiIntegration) -> bool {
    let (Some(source), Some(api)) = (&permission.source_arn, &integration.api) else { return true };
    let apis: Vec<&str> = model.integrations.iter().filter_map(|i| i.api.as_deref()).collect();
    let named: Vec<&str> = source.symbols().map(|s| s.0.as_str()).filter(|s| apis.contains(s)).collect();
    named.is_empty() || named.contains(&api.as_str())
}
