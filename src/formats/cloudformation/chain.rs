//! CloudFormation and SAM templates → the invocation chain around functions: API Gateway
//! integrations whose backend is a Lambda function, and the `lambda:InvokeFunction` permissions that
//! let API Gateway call it. Facts: aws-semantics.md §7.4, §11.
//!
//! Forms read: `AWS::ApiGateway::Method` `Integration`, `AWS::ApiGatewayV2::Integration`, OpenAPI
//! `x-amazon-apigateway-integration` in `AWS::ApiGateway::RestApi`/`AWS::ApiGatewayV2::Api` `Body`
//! and SAM `DefinitionBody`, SAM function events of type `Api`/`HttpApi`, `AWS::Lambda::Permission`.
//!
//! SAM adds a permission only for a function's own `Api`/`HttpApi` events
//! (<https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/eventsources/push.py>);
//! an OpenAPI body that integrates a function without such an event gets none (maintainer answer in
//! <https://github.com/aws/aws-sam-cli/issues/507>).

use std::collections::BTreeMap;

use crate::formats::cloudformation::resolve::{Resolver, getatt_parts, sub_parts};
use crate::model::Model;
use crate::model::api::{ApiIntegration, ApiKind, InvokePermission, Qualifier, function_name_in};
use crate::model::network::Link;
use crate::model::problem::{Problem, UndecidableProblem};
use crate::span::Loc;

use super::origins::Origins;
use crate::syntax::{Node, NodeKind};
use crate::value::{Piece, Pseudo, SymStr, SymbolOrigin};

/// Adds one template's API integrations and invoke permissions to the model.
pub(crate) fn collect<'a>(
    model: &mut Model,
    origins: &'a Origins,
    root: &'a Node,
    resolver: &'a Resolver<'a>,
    sam: bool,
) {
    let Some(resources) = root.get("Resources") else { return };
    let mut cx = Collector {
        origins,
        resolver,
        // Collected at once rather than inserted one by one: a sorted run (logical ids are often
        // written in order) is built without a search per key, which counts in a template of
        // thousands of resources. A repeated id keeps its last resource, as inserting did.
        resources: resources.entries().iter().map(|r| (r.key.as_str(), &r.value)).collect(),
        functions: BTreeMap::new(),
        aliases: BTreeMap::new(),
        published: BTreeMap::new(),
    };
    for r in resources.entries() {
        let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let props = r.value.get("Properties");
        match kind {
            "AWS::Lambda::Function" => {
                cx.functions
                    .insert(r.key.as_str().to_owned(), cx.literal(props.and_then(|p| p.get("FunctionName"))));
            }
            "AWS::Serverless::Function" if sam => {
                cx.functions
                    .insert(r.key.as_str().to_owned(), cx.literal(props.and_then(|p| p.get("FunctionName"))));
            }
            _ => {}
        }
    }
    // A macro or `Fn::ForEach` may add permissions the files do not show.
    if let Some(span) = generated_resources(root) {
        for id in cx.functions.keys() {
            model.permissions.push(unreadable_permission(id, "a transform may add it", origins.loc(span)));
        }
    }
    for r in resources.entries() {
        let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("");
        // SAM's `AutoPublishAlias: live` (or `Globals.Function.AutoPublishAlias`) generates the
        // alias `<Function>Alias<live>` (and a version), which the template may name:
        // `${ScoreFunctionAliaslive}` in an OpenAPI uri.
        if sam && kind == "AWS::Serverless::Function" {
            let Some(alias) = super::sam_property(root, &r.value, "AutoPublishAlias") else { continue };
            let function = r.key.as_str().to_owned();
            let name = cx.literal(Some(alias));
            if let Some(name) = &name {
                cx.aliases.insert(
                    format!("{function}Alias{name}"),
                    (function.clone(), Qualifier::Named(name.clone())),
                );
            }
            cx.published.insert(function, name.map_or(Qualifier::Computed, Qualifier::Named));
            continue;
        }
        if matches!(kind, "AWS::Lambda::Alias" | "AWS::Lambda::Version")
            && let Some(props) = r.value.get("Properties")
            && let Some(name) = props.get("FunctionName")
            && let Some(Link::Resource(function)) = cx.function_link(name)
        {
            // A version's number is known once it is published: only an alias's literal `Name`
            // is compared.
            let qualifier = match cx.literal(props.get("Name")) {
                Some(name) if kind == "AWS::Lambda::Alias" => Qualifier::Named(name),
                _ => Qualifier::Computed,
            };
            cx.aliases.insert(r.key.as_str().to_owned(), (function, qualifier));
        }
    }
    for r in resources.entries() {
        let Some(props) = r.value.get("Properties") else { continue };
        match r.value.get("Type").and_then(Node::as_str).unwrap_or("") {
            "AWS::ApiGateway::Method" => {
                if let Some(integration) = props.get("Integration") {
                    let api = props.get("RestApiId").and_then(|a| cx.first_ref(a));
                    model.integrations.extend(cx.rest_method(&r.key, integration, api));
                }
            }
            "AWS::ApiGatewayV2::Integration" => model.integrations.extend(cx.v2_integration(&r.key, props)),
            "AWS::ApiGateway::RestApi" => {
                cx.definition(model, &r.key, props, ("Body", "BodyS3Location"), ApiKind::Rest);
            }
            "AWS::ApiGatewayV2::Api" => {
                let kind = cx.protocol(props);
                cx.definition(model, &r.key, props, ("Body", "BodyS3Location"), kind);
                model.integrations.extend(cx.quick_create(&r.key, props));
            }
            "AWS::Serverless::Api" if sam => {
                cx.definition(model, &r.key, props, ("DefinitionBody", "DefinitionUri"), ApiKind::Rest);
            }
            "AWS::Serverless::HttpApi" if sam => {
                cx.definition(model, &r.key, props, ("DefinitionBody", "DefinitionUri"), ApiKind::Http);
            }
            "AWS::Serverless::Function" if sam => cx.sam_events(model, &r.key, props),
            // A nested stack given a function's name or ARN may grant API Gateway access to it
            // in a template the files may not include.
            "AWS::CloudFormation::Stack" | "AWS::Serverless::Application" => {
                let mut ids = Vec::new();
                if let Some(params) = props.get("Parameters") {
                    refs(params, &mut ids, 0);
                }
                for id in ids.into_iter().filter(|id| cx.functions.contains_key(id)) {
                    let why = format!("nested stack {} may grant it", r.key);
                    model.permissions.push(unreadable_permission(&id, &why, origins.loc(r.key_span)));
                }
            }
            "AWS::Lambda::Permission" => {
                let Some(function) = props.get("FunctionName") else { continue };
                let qualifier = permission_qualifier(&cx.qualifier(function));
                let function = cx
                    .function_link(function)
                    .unwrap_or_else(|| Link::External(cx.symstr(function).to_string()));
                let text = |key: &str| props.get(key).map(|n| cx.symstr(n));
                model.permissions.push(InvokePermission {
                    dialect: crate::model::Dialect::CloudFormation,
                    id: r.key.as_str().to_owned(),
                    function,
                    action: text("Action").unwrap_or_default(),
                    principal: text("Principal").unwrap_or_default(),
                    source_arn: text("SourceArn"),
                    qualifier,
                    loc: origins.loc(r.key_span),
                });
            }
            _ => {}
        }
    }
}

struct Collector<'a> {
    origins: &'a Origins,
    resolver: &'a Resolver<'a>,
    /// logical id → resource
    resources: BTreeMap<&'a str, &'a Node>,
    /// function logical id → its literal `FunctionName`, when written
    functions: BTreeMap<String, Option<String>>,
    /// `AWS::Lambda::Alias`/`Version` logical id (and SAM's generated alias) → the function it
    /// points to, and the qualifier it invokes
    aliases: BTreeMap<String, (String, Qualifier)>,
    /// SAM function with `AutoPublishAlias` → that alias: its events invoke it
    published: BTreeMap<String, Qualifier>,
}

impl Collector<'_> {
    fn loc(&self, node: &Node) -> Loc {
        self.origins.loc(node.span)
    }

    fn literal(&self, node: Option<&Node>) -> Option<String> {
        self.resolver.resolve(node?).as_literal()
    }

    /// What a value means, with anything computed kept as a named symbol.
    fn symstr(&self, node: &Node) -> SymStr {
        let value = self.resolver.resolve(node);
        value.as_symstr().unwrap_or_else(|| {
            SymStr::sym(value.unknown_reason().unwrap_or("computed value"), SymbolOrigin::NotEvaluated)
        })
    }

    fn first_ref(&self, node: &Node) -> Option<String> {
        let mut ids = Vec::new();
        refs(node, &mut ids, 0);
        ids.into_iter()
            .find(|id| self.resources.contains_key(id.as_str()))
            .or_else(|| node.as_str().map(str::to_owned))
    }

    /// The function a `FunctionName` or integration URI names: a function of this template (through
    /// `Ref`/`GetAtt`/`Sub`/`Join`, an alias, or its literal name or ARN), or what it names instead.
    fn function_link(&self, node: &Node) -> Option<Link> {
        let mut ids = Vec::new();
        refs(node, &mut ids, 0);
        for id in &ids {
            if self.functions.contains_key(id) {
                return Some(Link::Resource(id.clone()));
            }
            if let Some((function, _)) = self.aliases.get(id) {
                return Some(Link::Resource(function.clone()));
            }
        }
        let text = self.symstr(node).to_string();
        if let Some(name) = function_name_in(&text) {
            if let Some((id, _)) = self.functions.iter().find(|(_, n)| n.as_deref() == Some(name)) {
                return Some(Link::Resource(id.clone()));
            }
        } else if !text.contains("${") && !text.contains(":lambda:path/") {
            return None; // a literal that names no function (an HTTP URL, another service's ARN)
        }
        Some(Link::External(text))
    }

    /// Which alias or version a reference to a function invokes: an integration URI
    /// (`…/functions/${Fn.Arn}:live/invocations`) or a permission's `FunctionName` (`!Ref
    /// LiveAlias`, `!Sub ${Fn.Arn}:live`, a literal ARN). `Computed` for an alias or version the
    /// files do not name (a stage variable, a parameter, a version's number); `Unknown` when
    /// the text cannot be read as a function reference.
    fn qualifier(&self, node: &Node) -> Qualifier {
        let text = self.symstr(node);
        let pieces = text.pieces();
        let named = pieces.iter().enumerate().find_map(|(i, piece)| {
            let Piece::Sym(symbol) = piece else { return None };
            let SymbolOrigin::Resource { resource, attribute } = symbol.origin() else { return None };
            if let Some((_, qualifier)) = self.aliases.get(resource.as_str()) {
                let arn = attribute.as_deref().is_none_or(|a| a == "AliasArn");
                return Some((i, if arn { qualifier.clone() } else { Qualifier::Unknown }));
            }
            self.functions.contains_key(resource.as_str()).then(|| {
                let arn = attribute.as_deref().is_none_or(|a| a == "Arn");
                (i, if arn { Qualifier::Unqualified } else { Qualifier::Unknown })
            })
        });
        // A written ARN otherwise: what follows `:function:<name>`.
        let Some((i, base)) = named else { return written_arn_qualifier(pieces) };
        let after = &pieces[i + 1..];
        match after {
            [] => base,
            [Piece::Lit(rest)] => qualifier_suffix(rest, base),
            // A computed part after the path is not part of the ARN.
            [Piece::Lit(rest), ..] if rest.starts_with('/') => base,
            // `${Fn.Arn}:${AliasName}`: an alias or version, which one the files do not tell.
            [Piece::Lit(colon), Piece::Sym(_), rest @ ..]
                if colon == ":" && base == Qualifier::Unqualified && arn_ends(rest) =>
            {
                Qualifier::Computed
            }
            _ => Qualifier::Unknown,
        }
    }

    /// A Lambda backend named by an integration URI (REST `Uri`, V2 `IntegrationUri`, OpenAPI `uri`).
    /// `proxy` integrations always call Lambda; `AWS` ones only when the URI is Lambda's.
    fn lambda_backend(&self, uri: &Node, proxy: bool) -> Option<Link> {
        let link = self.function_link(uri)?;
        if proxy || matches!(link, Link::Resource(_)) {
            return Some(link);
        }
        let text = self.symstr(uri).to_string();
        (text.contains(":lambda:path/") || text.contains(":function:")).then_some(link)
    }

    fn timeout(&self, node: Option<&Node>) -> Option<u32> {
        // A computed timeout is taken as the kind's default, which is also its usual maximum: an
        // SL403 "longer than the integration allows" stays true whatever value it has.
        self.literal(node)?.parse().ok()
    }

    fn rest_method(&self, id: &str, integration: &Node, api: Option<String>) -> Option<ApiIntegration> {
        let kind = self.literal(integration.get("Type"))?.to_ascii_uppercase();
        if kind != "AWS_PROXY" && kind != "AWS" {
            return None;
        }
        let uri = integration.get("Uri")?;
        Some(ApiIntegration {
            dialect: crate::model::Dialect::CloudFormation,
            id: id.to_owned(),
            kind: ApiKind::Rest,
            function: self.lambda_backend(uri, kind == "AWS_PROXY")?,
            timeout_ms: self.timeout(integration.get("TimeoutInMillis")),
            loc: self.loc(uri),
            api,
            implicit_permission: has_credentials(integration.get("Credentials")),
            qualifier: self.qualifier(uri),
            custom: kind == "AWS",
        })
    }

    fn v2_integration(&self, id: &str, props: &Node) -> Option<ApiIntegration> {
        let kind = self.literal(props.get("IntegrationType"))?.to_ascii_uppercase();
        // A subtype means an AWS service integration (SQS, EventBridge…), not Lambda.
        if !matches!(kind.as_str(), "AWS_PROXY" | "AWS") || props.get("IntegrationSubtype").is_some() {
            return None;
        }
        let uri = props.get("IntegrationUri")?;
        let api = props.get("ApiId").and_then(|a| self.first_ref(a));
        let api_kind = api
            .as_ref()
            .and_then(|a| self.resources.get(a.as_str()))
            .filter(|r| r.get("Type").and_then(Node::as_str) == Some("AWS::ApiGatewayV2::Api"))
            .and_then(|r| r.get("Properties"))
            // An API outside the files is taken as HTTP: its 30 s default is the longest, so an
            // SL403 stays true whatever the API is.
            .map_or(ApiKind::Http, |p| self.protocol(p));
        Some(ApiIntegration {
            dialect: crate::model::Dialect::CloudFormation,
            id: id.to_owned(),
            kind: api_kind,
            function: self.lambda_backend(uri, kind == "AWS_PROXY")?,
            timeout_ms: self.timeout(props.get("TimeoutInMillis")),
            loc: self.loc(uri),
            api,
            implicit_permission: has_credentials(props.get("CredentialsArn")),
            qualifier: self.qualifier(uri),
            custom: false,
        })
    }

    /// Quick create (`Target`, HTTP APIs only): an `AWS_PROXY` integration of the function with
    /// the default timeout, a `$default` route and stage. Without `CredentialsArn` API Gateway
    /// calls the function through its resource policy (AWS::ApiGatewayV2::Api `CredentialsArn`:
    /// "To use resource-based permissions on supported AWS services, specify null").
    fn quick_create(&self, id: &str, props: &Node) -> Option<ApiIntegration> {
        let target = props.get("Target")?;
        Some(ApiIntegration {
            dialect: crate::model::Dialect::CloudFormation,
            id: id.to_owned(),
            kind: ApiKind::Http,
            function: self.lambda_backend(target, true)?,
            timeout_ms: None,
            loc: self.loc(target),
            api: Some(id.to_owned()),
            implicit_permission: has_credentials(props.get("CredentialsArn")),
            qualifier: self.qualifier(target),
            custom: false,
        })
    }

    fn protocol(&self, props: &Node) -> ApiKind {
        match self.literal(props.get("ProtocolType")).map(|p| p.to_ascii_uppercase()).as_deref() {
            Some("WEBSOCKET") => ApiKind::WebSocket,
            _ => ApiKind::Http,
        }
    }

    /// An API's OpenAPI definition (`keys`: the inline body's property, and the one naming a file
    /// or upload): written in the template, its integrations are read; included
    /// (`Fn::Transform: AWS::Include`) or uploaded, it is not, and when the template has
    /// functions it may integrate, SL003 says so instead of a silent pass.
    fn definition(&self, model: &mut Model, api: &str, props: &Node, keys: (&str, &str), kind: ApiKind) {
        let body = props.get(keys.0);
        let elsewhere = match body.and_then(|b| b.get("Fn::Transform")) {
            Some(include) => {
                let location =
                    include.get("Parameters").and_then(|p| p.get("Location")).and_then(Node::as_str);
                Some((
                    include,
                    location.map_or_else(
                        || "is included with AWS::Include".to_owned(),
                        |l| format!("is included from {l} (AWS::Include)"),
                    ),
                ))
            }
            None if body.is_none() => props.get(keys.1).map(|uri| {
                (
                    uri,
                    uri.as_str().map_or_else(
                        || format!("is uploaded ({})", keys.1),
                        |p| format!("is the file {p} ({})", keys.1),
                    ),
                )
            }),
            None => None,
        };
        match elsewhere {
            Some((at, how)) => {
                if !self.functions.is_empty() {
                    let problem = UndecidableProblem::ApiDefinitionUnread {
                        api: api.to_owned(),
                        how,
                        terraform: false,
                    };
                    model.problems.push(Problem::new(self.loc(at), problem).resource(api.to_owned()));
                }
            }
            None => self.openapi(model, api, body, kind),
        }
    }

    /// `x-amazon-apigateway-integration` entries of an OpenAPI body written in the template.
    fn openapi(&self, model: &mut Model, api: &str, body: Option<&Node>, kind: ApiKind) {
        let Some(paths) = body.and_then(|b| b.get("paths")) else { return };
        for path in paths.entries() {
            for method in path.value.entries() {
                let Some(integration) = method.value.get("x-amazon-apigateway-integration") else {
                    continue;
                };
                let Some(uri) = integration.get("uri") else { continue };
                let integration_type = self.literal(integration.get("type"));
                let proxy = integration_type.as_ref().is_some_and(|t| t.eq_ignore_ascii_case("aws_proxy"));
                let custom = kind == ApiKind::Rest
                    && integration_type.as_ref().is_some_and(|t| t.eq_ignore_ascii_case("aws"));
                let Some(function) = self.lambda_backend(uri, proxy) else { continue };
                model.integrations.push(ApiIntegration {
                    dialect: crate::model::Dialect::CloudFormation,
                    id: format!("{api} {} {}", method_name(&method.key), path.key),
                    kind,
                    function,
                    timeout_ms: self.timeout(integration.get("timeoutInMillis")),
                    loc: self.loc(uri),
                    api: Some(api.to_owned()),
                    implicit_permission: has_credentials(integration.get("credentials")),
                    qualifier: self.qualifier(uri),
                    custom,
                });
            }
        }
    }

    /// SAM `Api`/`HttpApi` events: an integration on the named (or implicit) API, and the permission
    /// SAM generates for it (aws-semantics.md §7.4).
    fn sam_events(&self, model: &mut Model, function: &str, props: &Node) {
        let Some(events) = props.get("Events") else { return };
        for event in events.entries() {
            let (kind, api_key, implicit) = match event.value.get("Type").and_then(Node::as_str) {
                Some("Api") => (ApiKind::Rest, "RestApiId", "ServerlessRestApi"),
                Some("HttpApi") => (ApiKind::Http, "ApiId", "ServerlessHttpApi"),
                _ => continue,
            };
            let eprops = event.value.get("Properties");
            let get = |key: &str| eprops.and_then(|p| p.get(key));
            let api = get(api_key).and_then(|a| self.first_ref(a)).unwrap_or_else(|| implicit.to_owned());
            let loc = self.origins.loc(event.key_span);
            model.integrations.push(ApiIntegration {
                dialect: crate::model::Dialect::CloudFormation,
                id: format!("{function}.Events.{}", event.key),
                kind,
                function: Link::Resource(function.to_owned()),
                timeout_ms: self.timeout(get("TimeoutInMillis")),
                loc,
                api: Some(api.clone()),
                implicit_permission: true,
                qualifier: self.published.get(function).cloned().unwrap_or(Qualifier::Unqualified),
                custom: false,
            });
            let method =
                self.literal(get("Method")).map_or_else(|| "*".to_owned(), |m| m.to_ascii_uppercase());
            let method = if method == "ANY" { "*".to_owned() } else { method };
            let path = self.literal(get("Path")).unwrap_or_else(|| "/*".to_owned());
            let mut source_arn = SymStr::lit("arn:");
            source_arn.push_pseudo(Pseudo::Partition);
            source_arn.push_str(":execute-api:");
            source_arn.push_pseudo(Pseudo::Region);
            source_arn.push_str(":");
            source_arn.push_pseudo(Pseudo::AccountId);
            source_arn.push_str(":");
            source_arn.push_sym(&api, SymbolOrigin::Resource { resource: api.clone(), attribute: None });
            source_arn.push_str(&format!("/*/{method}{path}"));
            model.permissions.push(InvokePermission {
                dialect: crate::model::Dialect::CloudFormation,
                id: format!("{function}{}Permission (generated by SAM)", event.key),
                function: Link::Resource(function.to_owned()),
                action: SymStr::lit("lambda:InvokeFunction"),
                principal: SymStr::lit("apigateway.amazonaws.com"),
                source_arn: Some(source_arn),
                qualifier: self.published.get(function).and_then(permission_qualifier),
                loc,
            });
        }
    }
}

/// Which alias or version a written function ARN (`arn:…:function:score:live`) or bare name
/// names.
fn written_arn_qualifier(pieces: &[Piece]) -> Qualifier {
    let at = pieces.iter().rposition(|p| matches!(p, Piece::Lit(t) if t.contains(":function:")));
    let Some(at) = at else {
        // A bare function name is unqualified; anything else is not read.
        return match pieces {
            [Piece::Lit(name)] if function_name_in(name).is_some() => Qualifier::Unqualified,
            _ => Qualifier::Unknown,
        };
    };
    let Piece::Lit(text) = &pieces[at] else { return Qualifier::Unknown };
    let rest = text.rsplit_once(":function:").map_or("", |(_, rest)| rest);
    let rest = &rest[rest.find([':', '/']).unwrap_or(rest.len())..];
    match &pieces[at + 1..] {
        [] => qualifier_suffix(rest, Qualifier::Unqualified),
        // A computed part after the path is not in the ARN.
        _ if rest.starts_with('/') => Qualifier::Unqualified,
        _ => Qualifier::Unknown,
    }
}

/// The qualifier that literal text after a function's or alias's ARN adds: none before the path
/// (`/invocations`), an alias or version after a `:` (`:live/invocations`, `:3`).
fn qualifier_suffix(rest: &str, base: Qualifier) -> Qualifier {
    if rest.is_empty() || rest.starts_with('/') {
        return base;
    }
    let Some(rest) = rest.strip_prefix(':') else { return Qualifier::Unknown };
    let name = &rest[..rest.find('/').unwrap_or(rest.len())];
    // An alias name or a version number (Lambda `Qualifier`: `[a-zA-Z0-9-_]+`). A stage
    // variable (`${stageVariables.alias}`, <https://docs.aws.amazon.com/apigateway/latest/developerguide/stage-variables.html>)
    // names an alias the files do not tell; `$LATEST` is not compared.
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match base {
        Qualifier::Unqualified if valid => Qualifier::Named(name.to_owned()),
        Qualifier::Unqualified if name.starts_with("${stageVariables.") && name.ends_with('}') => {
            Qualifier::Computed
        }
        _ => Qualifier::Unknown,
    }
}

/// Whether what follows a part of an ARN ends it: nothing, or the invocations path.
fn arn_ends(rest: &[Piece]) -> bool {
    match rest.first() {
        None => true,
        Some(Piece::Lit(text)) => text.starts_with('/'),
        Some(Piece::Sym(_)) => false,
    }
}

/// How a permission records the qualifier its `FunctionName` limits it to: `None` for the
/// unqualified function, a named symbol when the files do not name the alias or version.
fn permission_qualifier(qualifier: &Qualifier) -> Option<SymStr> {
    match qualifier {
        Qualifier::Unqualified => None,
        Qualifier::Named(name) => Some(SymStr::lit(name)),
        Qualifier::Computed | Qualifier::Unknown => {
            Some(SymStr::sym("computed qualifier", SymbolOrigin::NotEvaluated))
        }
    }
}

/// An integration with credentials invokes the function with that IAM role, so it needs no
/// resource-policy statement (<https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html>).
fn has_credentials(node: Option<&Node>) -> bool {
    node.is_some_and(|n| !matches!(n.kind, NodeKind::Null))
}

/// A permission for the function that the files cannot read: it may let API Gateway in.
fn unreadable_permission(function: &str, why: &str, loc: Loc) -> InvokePermission {
    InvokePermission {
        dialect: crate::model::Dialect::CloudFormation,
        id: why.to_owned(),
        function: Link::Resource(function.to_owned()),
        action: SymStr::sym(why, SymbolOrigin::NotEvaluated),
        principal: SymStr::sym(why, SymbolOrigin::NotEvaluated),
        source_arn: None,
        qualifier: Some(SymStr::sym(why, SymbolOrigin::NotEvaluated)),
        loc,
    }
}

/// Where the template says that resources are generated at deploy time (a transform other than
/// SAM and language extensions, or `Fn::ForEach`).
fn generated_resources(root: &Node) -> Option<crate::span::Span> {
    let transform = root.entry("Transform");
    let names = transform.map(|t| std::iter::once(&t.value).chain(t.value.items()).collect::<Vec<_>>());
    let unknown = names.unwrap_or_default().into_iter().any(|n| {
        let name = n.as_str().or_else(|| n.get("Name").and_then(Node::as_str));
        name.is_some_and(|n| n != "AWS::Serverless-2016-10-31" && n != "AWS::LanguageExtensions")
    });
    if unknown {
        return transform.map(|t| t.key_span);
    }
    let resources = root.get("Resources")?;
    resources.entries().iter().find(|r| r.key.starts_with("Fn::ForEach::")).map(|r| r.key_span)
}

fn method_name(key: &str) -> String {
    if key == "x-amazon-apigateway-any-method" { "ANY".to_owned() } else { key.to_ascii_uppercase() }
}

/// Logical ids a value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub` variables, in order
/// (`Fn.Arn` → `Fn`).
fn refs(node: &Node, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    let base = |id: &str| id.split('.').next().unwrap_or(id).to_owned();
    if let Some(entry) = node.single_entry() {
        match entry.key.as_str() {
            "Ref" => {
                if let Some(id) = entry.value.as_str() {
                    out.push(base(id));
                }
                return;
            }
            "Fn::GetAtt" => {
                if let Some((id, _)) = getatt_parts(&entry.value) {
                    out.push(id);
                }
                return;
            }
            "Fn::Sub" => {
                let (template, vars) = match &entry.value.kind {
                    NodeKind::String(s) => (s.as_str(), None),
                    NodeKind::Seq(items) => match items.as_slice() {
                        [t, vars] => (t.as_str().unwrap_or(""), Some(vars)),
                        _ => return,
                    },
                    _ => return,
                };
                for part in sub_parts(template) {
                    if let crate::formats::cloudformation::resolve::SubPart::Var { name, .. } = part {
                        match vars.and_then(|v| v.get(&name)) {
                            Some(value) => refs(value, out, depth + 1),
                            None if !name.starts_with("AWS::") => out.push(base(&name)),
                            None => {}
                        }
                    }
                }
                return;
            }
            _ => {}
        }
    }
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().for_each(|e| refs(&e.value, out, depth + 1)),
        NodeKind::Seq(items) => items.iter().for_each(|i| refs(i, out, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::formats::cloudformation::{BuildOptions, CodeCache, build};
    use crate::model::Model;
    use crate::model::api::ApiKind;
    use crate::model::network::Link;
    use crate::source::{SourceFile, SourceMap};

    const HEAD: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: score-fn\n      Role: arn:aws:iam::123456789012:role/r\n";

    fn model(resources: &str) -> Model {
        model_of(&format!("{HEAD}{resources}"))
    }

    fn model_of(text: &str) -> Model {
        let parsed = crate::syntax::yaml::parse_yaml(text);
        let root = parsed.root.expect("test template parses");
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(PathBuf::from("t.yaml"), "t.yaml".into(), text.to_owned()));
        let mut model = Model::default();
        build(&mut model, &mut sources, &mut CodeCache::default(), id, &root, &BuildOptions::default());
        model
    }

    fn fn_link() -> Link {
        Link::Resource("Fn".into())
    }

    /// The qualifier each way of naming a function gives: written ARNs (with and without an alias,
    /// through pseudo parameters), a CDK `Fn::Join`, a version, a computed alias name.
    #[test]
    fn qualifiers_of_uris_and_permission_names() {
        use crate::model::api::Qualifier;
        let m = model(
            r#"  V:
    Type: AWS::Lambda::Version
    Properties: { FunctionName: !Ref Fn }
  Q:
    Type: AWS::ApiGatewayV2::Integration
    Properties: { ApiId: x, IntegrationType: AWS_PROXY, IntegrationUri: "arn:aws:lambda:us-east-1:123456789012:function:score-fn:live" }
  U:
    Type: AWS::ApiGatewayV2::Integration
    Properties: { ApiId: x, IntegrationType: AWS_PROXY, IntegrationUri: !Sub "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:score-fn/invocations" }
  Ver:
    Type: AWS::ApiGatewayV2::Integration
    Properties: { ApiId: x, IntegrationType: AWS_PROXY, IntegrationUri: !Ref V }
  P1:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: "score-fn" }
  P2:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: !Join [":", [!GetAtt Fn.Arn, !Ref AliasName]] }
  P3:
    Type: AWS::Lambda::Permission
    Properties: { Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:score-fn:7" }
"#,
        );
        let of = |id: &str| m.integrations.iter().find(|i| i.id == id).map(|i| i.qualifier.clone());
        assert_eq!(of("Q"), Some(Qualifier::Named("live".into())));
        assert_eq!(of("U"), Some(Qualifier::Unqualified));
        assert_eq!(of("Ver"), Some(Qualifier::Computed));
        let permission = |id: &str| {
            let p = m.permissions.iter().find(|p| p.id == id).expect("permission read");
            assert_eq!(p.function, fn_link(), "{id} names Fn");
            p.qualifier.as_ref().map(|q| q.as_literal().map(str::to_owned))
        };
        assert_eq!(permission("P1"), None, "a bare name is the unqualified function");
        assert_eq!(permission("P2"), Some(None), "a computed alias name is some qualifier");
        assert_eq!(permission("P3"), Some(Some("7".into())));
    }

    #[test]
    fn cdk_join_uri_and_getatt_permission_name_the_function() {
        let m = model(
            r#"  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: { Ref: Api }
      Integration:
        Type: AWS_PROXY
        TimeoutInMillis: 10000
        Uri: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":apigateway:", { Ref: "AWS::Region" }, ":lambda:path/2015-03-31/functions/", { "Fn::GetAtt": [Fn, Arn] }, "/invocations"]] }
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: { "Fn::GetAtt": [Fn, Arn] }
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
      SourceArn: { "Fn::Sub": "arn:aws:execute-api:us-east-1:123456789012:${Api}/*" }
  Api:
    Type: AWS::ApiGateway::RestApi
"#,
        );
        let [i] = m.integrations.as_slice() else { panic!("{:?}", m.integrations) };
        assert_eq!(
            (i.kind, &i.function, i.timeout_ms, i.api.as_deref()),
            (ApiKind::Rest, &fn_link(), Some(10_000), Some("Api"))
        );
        assert!(!i.implicit_permission);
        let [p] = m.permissions.as_slice() else { panic!("{:?}", m.permissions) };
        assert_eq!(p.function, fn_link());
        assert_eq!(p.principal.as_literal(), Some("apigateway.amazonaws.com"));
        assert!(p.source_arn.as_ref().is_some_and(|s| s.symbols().any(|s| s.id() == "Api")));
    }

    #[test]
    fn literal_arns_match_the_function_name_or_stay_external() {
        let m = model(
            r"  Mine:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: abc123
      IntegrationType: AWS_PROXY
      IntegrationUri: arn:aws:lambda:us-east-1:123456789012:function:score-fn
  Other:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: abc123
      IntegrationType: AWS_PROXY
      IntegrationUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:elsewhere:live/invocations
  ByParameter:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: { Ref: FnName }
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
Parameters:
  FnName:
    Type: String
",
        );
        let links: Vec<_> = m.integrations.iter().map(|i| (i.id.as_str(), &i.function, i.kind)).collect();
        assert_eq!(links[0], ("Mine", &fn_link(), ApiKind::Http));
        assert!(matches!(links[1].1, Link::External(t) if t.contains("function:elsewhere")), "{links:?}");
        assert!(matches!(&m.permissions[0].function, Link::External(t) if t.contains("FnName")));
    }

    #[test]
    fn websocket_apis_aliases_and_non_lambda_integrations() {
        let m = model(
            r"  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: WEBSOCKET
  Alias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: { Ref: Fn }
      Name: live
  WsIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: { Ref: Ws }
      IntegrationType: AWS_PROXY
      IntegrationUri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Alias}/invocations' }
  Sqs:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: { Ref: Ws }
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      IntegrationUri: { 'Fn::GetAtt': [Fn, Arn] }
  Http:
    Type: AWS::ApiGateway::Method
    Properties:
      Integration:
        Type: HTTP_PROXY
        Uri: https://example.com/{proxy}
",
        );
        let [i] = m.integrations.as_slice() else { panic!("{:?}", m.integrations) };
        assert_eq!((i.id.as_str(), i.kind, &i.function), ("WsIntegration", ApiKind::WebSocket, &fn_link()));
    }

    #[test]
    fn openapi_bodies_and_credentials() {
        let m = model(
            r"  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        paths:
          /score:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' }
          /admin:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                credentials: arn:aws:iam::123456789012:role/apigw-invoke
                uri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' }
",
        );
        let got: Vec<_> = m.integrations.iter().map(|i| (i.id.as_str(), i.implicit_permission)).collect();
        assert_eq!(got, [("Api ANY /score", false), ("Api GET /admin", true)]);
    }

    #[test]
    fn sam_events_bring_their_permission() {
        let m = model_of(
            r"Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Handler: index.handler
      Runtime: python3.12
      Events:
        Score:
          Type: Api
          Properties: { Path: /score, Method: post, TimeoutInMillis: 5000 }
        Queue:
          Type: SQS
          Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:q }
",
        );
        let [i] = m.integrations.as_slice() else { panic!("{:?}", m.integrations) };
        assert_eq!(
            (i.kind, i.timeout_ms, i.api.as_deref(), i.implicit_permission),
            (ApiKind::Rest, Some(5000), Some("ServerlessRestApi"), true)
        );
        let [p] = m.permissions.as_slice() else { panic!("{:?}", m.permissions) };
        assert_eq!(p.function, fn_link());
        assert!(
            p.source_arn
                .as_ref()
                .is_some_and(|s| s.to_string().ends_with("${ServerlessRestApi}/*/POST/score"))
        );
    }
}
