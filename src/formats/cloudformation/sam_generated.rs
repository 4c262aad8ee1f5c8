//! The resources the SAM transform adds to a template, and the `<LogicalId>.<Property>` references
//! it resolves, so that a template referring to them is not told they are undefined (SL002).
//!
//! Sources (aws/serverless-application-model, `samtranslator/`):
//! - `model/sam_resources.py`: the `referable_properties` of `SamFunction` (`Alias`, `Version`,
//!   `DestinationTopic`, `DestinationQueue`), `SamApi` (`Stage`, `Deployment`, `DomainName`,
//!   `DomainNameV2`, `UsagePlan`, `UsagePlanKey`, `ApiKey`), `SamHttpApi` and `SamWebSocketApi`
//!   (`Stage`, `DomainName`). The alias and version exist only `if self.AutoPublishAlias`; a
//!   reference to them on a function without it is left unresolved and fails the deployment.
//! - Every other generated resource is named after the SAM resource that causes it, as
//!   `<LogicalId><Suffix>`: `<Fn>Role`, `<Fn>Version<hash>`, `<Fn>Alias<alias>`,
//!   `<Fn><Event>Permission`, `<Fn><Event>` (rules, topics' subscriptions), `<Fn>DeploymentGroup`,
//!   `<Api>Deployment<hash>`, `<Api><Stage>Stage`, `<Api>UsagePlan`, `<Api>ApiKey`,
//!   `<StateMachine><Event>Role`, `<Connector>Policy`, …; the suffixes depend on event names, stage
//!   names and hashes of the definition, so any suffix is accepted.
//! - `plugins/api/implicit_{rest,http}_api_plugin.py`: a function's or state machine's `Api` event
//!   without `RestApiId` (`HttpApi` event without `ApiId`) creates `ServerlessRestApi`
//!   (`ServerlessHttpApi`) and its deployment and stages; with no such event
//!   `_maybe_remove_implicit_api` removes it again, and a reference to it fails the deployment.
//! - `model/preferences/deployment_preference_collection.py`: any `DeploymentPreference` creates
//!   the CodeDeploy application `ServerlessDeploymentApplication`, and `CodeDeployServiceRole`
//!   unless every preference names its own `Role` (`can_skip_service_role`).
//! - `translator/translator.py`: an embedded connector `Connectors: {Name: …}` on resource `Res`
//!   becomes the connector `ResName`, which generates `ResName<Suffix>` resources.

use std::collections::{BTreeMap, BTreeSet};

use crate::syntax::{Entry, Node};

/// Implicit APIs: their own logical ID, the properties a template may reference on them, the
/// event type that creates them and the event property that sends the event to another API.
const IMPLICIT_APIS: [ImplicitApi; 2] = [
    ImplicitApi {
        id: "ServerlessRestApi",
        properties: REST_API_PROPERTIES,
        event: "Api",
        api_id: "RestApiId",
        requires: "an Api event without RestApiId",
    },
    ImplicitApi {
        id: "ServerlessHttpApi",
        properties: HTTP_API_PROPERTIES,
        event: "HttpApi",
        api_id: "ApiId",
        requires: "an HttpApi event without ApiId",
    },
];

struct ImplicitApi {
    id: &'static str,
    properties: &'static [&'static str],
    event: &'static str,
    api_id: &'static str,
    requires: &'static str,
}

/// The names of a SAM resource's events (`Properties.Events`) and embedded connectors
/// (`Connectors`): the transform names their resources `<LogicalId><Name>…`.
fn event_and_connector_names(resource: &Entry) -> impl Iterator<Item = &str> {
    let events = resource.value.get("Properties").and_then(|p| p.get("Events"));
    let connectors = resource.value.get("Connectors");
    [events, connectors].into_iter().flatten().flat_map(Node::entries).map(|e| e.key.as_str())
}

impl ImplicitApi {
    /// True when some function or state machine of `resources` has an event for this API.
    fn is_created(&self, resources: &[Entry]) -> bool {
        resources
            .iter()
            .filter(|r| {
                matches!(
                    r.value.get("Type").and_then(Node::as_str),
                    Some("AWS::Serverless::Function" | "AWS::Serverless::StateMachine")
                )
            })
            .filter_map(|r| r.value.get("Properties").and_then(|p| p.get("Events")))
            .flat_map(Node::entries)
            .any(|event| {
                event.value.get("Type").and_then(Node::as_str) == Some(self.event)
                    && event.value.get("Properties").and_then(|p| p.get(self.api_id)).is_none()
            })
    }
}
const REST_API_PROPERTIES: &[&str] =
    &["Stage", "Deployment", "DomainName", "DomainNameV2", "UsagePlan", "UsagePlanKey", "ApiKey"];
const HTTP_API_PROPERTIES: &[&str] = &["Stage", "DomainName"];

/// What the SAM transform generates for one template.
#[derive(Debug, Default)]
pub(super) struct SamGenerated {
    /// Generated logical IDs known exactly.
    exact: BTreeSet<String>,
    /// Logical IDs of which every `<id><Suffix>` may be generated.
    prefixes: Vec<String>,
    /// Logical IDs of which only `<id><Suffix>` with one of these suffix starts is generated: a
    /// state machine's `Role`, `Version`, `Alias<name>` and its events' resources
    /// (samtranslator `model/stepfunctions/generators.py`), so `StateMachineFunction` next to a
    /// `StateMachine` is not taken for one of its resources.
    narrow_prefixes: Vec<(String, Vec<String>)>,
    /// `<LogicalId>.<Property>` references the transform replaces with a generated resource.
    properties: BTreeSet<String>,
    /// Names SAM would generate if a property were set: the property, and the function that
    /// lacks it (`None`: any function).
    unmet: BTreeMap<String, (&'static str, Option<String>)>,
    /// Implicit APIs no event creates, with what would: their ID is a prefix of every name they
    /// would generate (`ServerlessRestApiProdStage`, `ServerlessRestApi.Stage`).
    absent_apis: Vec<(&'static str, &'static str)>,
}

/// Why SAM does not generate a name a template refers to.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unmet {
    /// The SAM property that would generate it (`AutoPublishAlias`).
    pub(super) requires: &'static str,
    /// The function that lacks it; `None`: no function has it.
    pub(super) function: Option<String>,
}

impl SamGenerated {
    /// What the transform generates for the SAM template `root`.
    pub(super) fn of(root: &Node) -> Self {
        let mut generated = Self::default();
        let globals = root.get("Globals").and_then(|g| g.get("Function"));
        let mut preferences = 0usize;
        let mut preferences_with_role = 0usize;
        let resources = root.get("Resources").map(Node::entries).unwrap_or_default();
        for api in &IMPLICIT_APIS {
            if api.is_created(resources) {
                generated.prefixes.push(api.id.to_owned());
                generated.add_properties(api.id, api.properties);
            } else {
                generated.absent_apis.push((api.id, api.requires));
            }
        }
        for entry in resources {
            let id = entry.key.as_str();
            if let Some(connectors) = entry.value.get("Connectors") {
                for connector in connectors.entries() {
                    generated.prefixes.push(format!("{id}{}", connector.key));
                }
            }
            let Some(kind) = entry.value.get("Type").and_then(Node::as_str) else { continue };
            if !kind.starts_with("AWS::Serverless::") {
                continue;
            }
            let props = entry.value.get("Properties");
            if kind == "AWS::Serverless::StateMachine" {
                let mut starts: Vec<String> = ["Role", "Version", "Alias"].map(str::to_owned).to_vec();
                starts.extend(event_and_connector_names(entry).map(str::to_owned));
                generated.narrow_prefixes.push((id.to_owned(), starts));
            } else {
                generated.prefixes.push(id.to_owned());
            }
            let property =
                |key: &str| props.and_then(|p| p.get(key)).or_else(|| globals.and_then(|g| g.get(key)));
            match kind {
                "AWS::Serverless::Function" => {
                    for (requires, refs) in [
                        ("AutoPublishAlias", ["Alias", "Version"]),
                        ("EventInvokeConfig", ["DestinationTopic", "DestinationQueue"]),
                    ] {
                        if property(requires).is_some() {
                            generated.add_properties(id, &refs);
                        } else {
                            for r in refs {
                                generated.unmet.insert(format!("{id}.{r}"), (requires, Some(id.to_owned())));
                            }
                        }
                    }
                    if let Some(preference) = property("DeploymentPreference") {
                        preferences += 1;
                        preferences_with_role += usize::from(preference.get("Role").is_some());
                    }
                    // `<Fn>Url` and `<Fn>DeploymentGroup` exist only with their property, unless
                    // an event or connector of the function is named so that `<Fn><Name>` is it.
                    let suffixes: Vec<&str> = event_and_connector_names(entry).collect();
                    for (requires, suffix) in
                        [("FunctionUrlConfig", "Url"), ("DeploymentPreference", "DeploymentGroup")]
                    {
                        if property(requires).is_none() && !suffixes.iter().any(|s| s.starts_with(suffix)) {
                            generated.unmet.insert(format!("{id}{suffix}"), (requires, Some(id.to_owned())));
                        }
                    }
                }
                "AWS::Serverless::Api" => generated.add_properties(id, REST_API_PROPERTIES),
                "AWS::Serverless::HttpApi" | "AWS::Serverless::WebSocketApi" => {
                    generated.add_properties(id, HTTP_API_PROPERTIES);
                }
                _ => {}
            }
        }
        if preferences > 0 {
            generated.exact.insert("ServerlessDeploymentApplication".to_owned());
            if preferences_with_role < preferences {
                generated.exact.insert("CodeDeployServiceRole".to_owned());
            }
        } else {
            for id in ["ServerlessDeploymentApplication", "CodeDeployServiceRole"] {
                generated.unmet.insert(id.to_owned(), ("DeploymentPreference", None));
            }
        }
        generated
    }

    /// Why SAM does not generate `id`, when it would with a property the template leaves out.
    pub(super) fn unmet(&self, id: &str) -> Option<Unmet> {
        if let Some((requires, function)) = self.unmet.get(id) {
            return Some(Unmet { requires, function: function.clone() });
        }
        let (_, requires) = self.absent_apis.iter().find(|(api, _)| id.starts_with(api))?;
        Some(Unmet { requires, function: None })
    }

    fn add_properties(&mut self, id: &str, properties: &[&str]) {
        self.properties.extend(properties.iter().map(|p| format!("{id}.{p}")));
    }

    /// True when the transform defines `id`: a generated logical ID, or a `<LogicalId>.<Property>`
    /// reference it resolves.
    pub(super) fn defines(&self, id: &str) -> bool {
        if id.contains('.') {
            return self.properties.contains(id);
        }
        self.exact.contains(id)
            || (!self.unmet.contains_key(id) && self.prefixes.iter().any(|p| id.starts_with(p.as_str())))
            || self.narrow_prefixes.iter().any(|(p, starts)| {
                id.strip_prefix(p.as_str())
                    .is_some_and(|rest| starts.iter().any(|s| rest.starts_with(s.as_str())))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::SamGenerated;

    fn generated(yaml: &str) -> SamGenerated {
        let root = crate::syntax::yaml::parse_yaml(yaml).root.expect("test template parses");
        SamGenerated::of(&root)
    }

    #[test]
    fn alias_and_version_exist_only_with_auto_publish_alias() {
        let g = generated(
            "Resources:\n  Live:\n    Type: AWS::Serverless::Function\n    Properties:\n      AutoPublishAlias: live\n  Plain:\n    Type: AWS::Serverless::Function\n",
        );
        assert!(g.defines("Live.Alias") && g.defines("Live.Version"));
        assert!(!g.defines("Plain.Alias") && !g.defines("Plain.Version"));
        let unmet = g.unmet("Plain.Alias").expect("Plain.Alias needs AutoPublishAlias");
        assert_eq!((unmet.requires, unmet.function.as_deref()), ("AutoPublishAlias", Some("Plain")));
        assert!(g.unmet("Live.Alias").is_none());
        assert!(g.defines("LiveAliaslive") && g.defines("PlainRole"));
    }

    #[test]
    fn function_url_and_deployment_group_need_their_property() {
        let g = generated(
            "Resources:\n  Web:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionUrlConfig: {AuthType: NONE}\n  Plain:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        UrlPoll:\n          Type: Schedule\n",
        );
        assert!(g.defines("WebUrl") && !g.defines("WebDeploymentGroup"));
        assert_eq!(g.unmet("WebDeploymentGroup").map(|u| u.requires), Some("DeploymentPreference"));
        // `PlainUrlPoll` is the schedule's rule: `PlainUrl…` may be generated.
        assert!(g.defines("PlainUrlPoll") && g.unmet("PlainUrl").is_none());
    }

    #[test]
    fn auto_publish_alias_from_globals_counts() {
        let g = generated(
            "Globals:\n  Function:\n    AutoPublishAlias: live\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
        );
        assert!(g.defines("Fn.Version"));
    }

    #[test]
    fn deployment_preference_creates_codedeploy_application_and_role() {
        let g = generated(
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: AllAtOnce\n",
        );
        assert!(g.defines("ServerlessDeploymentApplication") && g.defines("CodeDeployServiceRole"));
        let none = generated("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n");
        assert!(!none.defines("ServerlessDeploymentApplication") && !none.defines("CodeDeployServiceRole"));
    }

    #[test]
    fn own_codedeploy_roles_skip_the_service_role() {
        let g = generated(
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      DeploymentPreference:\n        Type: AllAtOnce\n        Role: arn:aws:iam::123456789012:role/deployer\n",
        );
        assert!(g.defines("ServerlessDeploymentApplication") && !g.defines("CodeDeployServiceRole"));
    }

    #[test]
    fn api_properties_and_embedded_connectors() {
        let g = generated(
            "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n  Queue:\n    Type: AWS::SQS::Queue\n    Connectors:\n      ToFn:\n        Properties: {}\n",
        );
        assert!(g.defines("Api.Stage") && g.defines("Api.DomainNameV2"));
        assert!(!g.defines("Api.Alias") && !g.defines("Queue.Stage"));
        assert!(g.defines("QueueToFnPolicy") && g.defines("QueueToFn"));
        assert!(!g.defines("QueuePolicy"));
    }

    #[test]
    fn implicit_apis_exist_only_with_an_event_for_them() {
        let g = generated(
            "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /, Method: get}\n        Own:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Http}\n",
        );
        assert!(g.defines("ServerlessRestApi") && g.defines("ServerlessRestApiProdStage"));
        assert!(g.defines("ServerlessRestApi.Stage"));
        assert!(!g.defines("ServerlessHttpApi") && !g.defines("ServerlessHttpApi.Stage"));
        let unmet = g.unmet("ServerlessHttpApiApiGatewayDefaultStage").expect("needs an HttpApi event");
        assert_eq!((unmet.requires, unmet.function), ("an HttpApi event without ApiId", None));
        let machine = generated(
            "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Events:\n        Start:\n          Type: HttpApi\n",
        );
        assert!(machine.defines("ServerlessHttpApi") && !machine.defines("ServerlessRestApi"));
    }

    #[test]
    fn a_state_machine_generates_only_its_role_version_alias_and_event_resources() {
        let g = generated(
            "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Events:\n        Hourly:\n          Type: Schedule\n",
        );
        assert!(g.defines("FlowRole") && g.defines("FlowHourly") && g.defines("FlowHourlyRole"));
        assert!(g.defines("FlowVersion") && g.defines("FlowAliaslive"));
        assert!(!g.defines("FlowFunction") && !g.defines("FlowLogGroup"));
    }
}
