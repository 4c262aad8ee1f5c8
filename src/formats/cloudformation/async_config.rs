//! Async endpoints in CloudFormation: the endpoint → `AWS::SageMaker::EndpointConfig`
//! (`AsyncInferenceConfig`) → `AWS::SageMaker::Model` (`ExecutionRoleArn`) links, and the
//! `InputLocation` an async call passes. SL111 reads both.

use std::collections::HashMap;

use super::{Builder, getatt_parts, resources};
use crate::code::EndpointName;
use crate::model::{AsyncConfig, InputLocation};
use crate::span::{Loc, Span};
use crate::syntax::{Entry, Node};
use crate::value::SymStr;

/// A template's resources by logical ID and by `Type`, each list in document order (a parse
/// may keep a repeated key, and the first match wins as in a scan).
pub(super) struct ResourceIndex<'a> {
    by_id: HashMap<&'a str, Vec<&'a Entry>>,
    by_type: HashMap<&'a str, Vec<&'a Entry>>,
}

impl<'a> ResourceIndex<'a> {
    fn of(root: &'a Node) -> Self {
        let mut by_id: HashMap<&str, Vec<&Entry>> = HashMap::new();
        let mut by_type: HashMap<&str, Vec<&Entry>> = HashMap::new();
        for r in resources(root) {
            by_id.entry(r.key.as_str()).or_default().push(r);
            if let Some(kind) = r.value.get("Type").and_then(Node::as_str) {
                by_type.entry(kind).or_default().push(r);
            }
        }
        Self { by_id, by_type }
    }

    /// The first resource called `id` whose type is `kind`.
    fn with_id(&self, id: &str, kind: &str) -> Option<&'a Entry> {
        let is_kind = |r: &&&Entry| r.value.get("Type").and_then(Node::as_str) == Some(kind);
        self.by_id.get(id)?.iter().find(is_kind).copied()
    }

    fn of_type(&self, kind: &str) -> &[&'a Entry] {
        self.by_type.get(kind).map_or(&[], Vec::as_slice)
    }
}

impl<'a> Builder<'a> {
    fn resource_index(&self) -> &ResourceIndex<'a> {
        self.resource_index.get_or_init(|| ResourceIndex::of(self.root))
    }

    /// The `AsyncInferenceConfig` of the endpoint's config, when the config is in this template.
    pub(super) fn async_config(&self, endpoint: &Node) -> Option<AsyncConfig> {
        let config_ref = endpoint.get("Properties")?.get("EndpointConfigName")?;
        let config =
            self.linked_resource(config_ref, "AWS::SageMaker::EndpointConfig", "EndpointConfigName")?;
        let props = config.get("Properties")?;
        let entry = props.entry("AsyncInferenceConfig")?;
        let output = entry.value.get("OutputConfig");
        let path = |key: &str| {
            let node = output?.get(key)?;
            Some((self.resolver.resolve(node).as_symstr()?, self.loc(node.span)))
        };
        let mut execution_roles = Vec::new();
        for variant in props.get("ProductionVariants").map(Node::items).unwrap_or_default() {
            let Some(model) = variant
                .get("ModelName")
                .and_then(|m| self.linked_resource(m, "AWS::SageMaker::Model", "ModelName"))
            else {
                continue;
            };
            let Some(role_node) = model.get("Properties").and_then(|p| p.get("ExecutionRoleArn")) else {
                continue;
            };
            let role = match role_node.get("Fn::GetAtt").and_then(getatt_parts) {
                Some((id, _)) => Some(id),
                None => role_node.get("Ref").and_then(Node::as_str).map(str::to_owned),
            };
            if let Some(id) =
                role.filter(|id| self.roles.contains_key(id) || self.is_resource(id, "AWS::IAM::Role"))
                && !execution_roles.iter().any(|(r, _)| *r == id)
            {
                execution_roles.push((id, self.loc(role_node.span)));
            }
        }
        Some(AsyncConfig {
            loc: self.loc(entry.key_span),
            output_path: path("S3OutputPath"),
            failure_path: path("S3FailurePath"),
            execution_roles,
        })
    }

    /// The resource of `kind` a property names: `!GetAtt X.<attr>`, `!Ref X`, or a literal equal to
    /// the resource's `name_key` property.
    fn linked_resource(&self, value: &Node, kind: &str, name_key: &str) -> Option<&'a Node> {
        let by_id = match value.get("Fn::GetAtt").and_then(getatt_parts) {
            Some((id, _)) => Some(id),
            None => value.get("Ref").and_then(Node::as_str).map(str::to_owned),
        };
        if let Some(id) = by_id {
            return self.resource_index().with_id(&id, kind).map(|r| &r.value);
        }
        let name = value.as_str()?;
        self.resource_index()
            .of_type(kind)
            .iter()
            .find(|r| {
                r.value.get("Properties").and_then(|p| p.get(name_key)).and_then(Node::as_str) == Some(name)
            })
            .map(|r| &r.value)
    }

    fn is_resource(&self, id: &str, kind: &str) -> bool {
        self.resource_index().with_id(id, kind).is_some()
    }

    /// An async call's `InputLocation` in the model: its value when the code or the function's
    /// environment tells it.
    pub(super) fn input_location(
        &self,
        input: &EndpointName,
        env: &[(String, Node)],
        remap: impl Fn(Span) -> Loc,
    ) -> InputLocation {
        match input {
            EndpointName::Literal { value, span } => {
                InputLocation { value: Some(SymStr::lit(value)), loc: remap(*span), env_loc: None }
            }
            EndpointName::EnvVar { var, span, default } => match env.iter().find(|(k, _)| k == var) {
                Some((_, node)) => InputLocation {
                    value: self.resolver.resolve(node).as_symstr(),
                    loc: remap(*span),
                    env_loc: Some(self.loc(node.span)),
                },
                None => InputLocation {
                    value: default.as_deref().map(SymStr::lit),
                    loc: remap(*span),
                    env_loc: None,
                },
            },
            EndpointName::Dynamic { span, .. } | EndpointName::Composed { span, .. } => {
                InputLocation { value: None, loc: remap(*span), env_loc: None }
            }
            EndpointName::Missing => {
                InputLocation { value: None, loc: remap(Span::default()), env_loc: None }
            }
        }
    }
}
