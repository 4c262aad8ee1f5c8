//! What the SL4xx rules share: which function each integration and permission is about (indexed
//! once: large trees repeat logical ids across templates), and whether a permission lets API
//! Gateway invoke a function through a given integration.

use std::collections::{BTreeSet, HashMap};

use crate::model::api::{ApiIntegration, InvokePermission, Qualifier, function_name_in};
use crate::model::network::Link;
use crate::model::{Function, Model};
use crate::span::{FileId, Loc};

/// The model's integrations and permissions tied to functions (by index in `model.functions`).
pub(crate) struct Chain<'m> {
    pub(crate) model: &'m Model,
    /// function index → indices of the integrations that call it
    integrations: HashMap<usize, Vec<usize>>,
    /// function index → indices of the permissions written for it
    permissions: HashMap<usize, Vec<usize>>,
    /// permissions whose function is none of the scanned ones (or cannot be told)
    untied: Vec<usize>,
    /// the APIs integrations belong to, to read which API a `SourceArn` names
    apis: BTreeSet<&'m str>,
}

impl<'m> Chain<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        // Logical ids repeat across templates (`HelloWorldFunction` in every `sam init` stack), so
        // a reference is looked up by (file, id) and, when its file defines no such function, by
        // an id that only one function of the run has.
        let mut by_file_id: HashMap<(FileId, &str), usize> = HashMap::new();
        let mut by_id: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (i, f) in model.functions.iter().enumerate() {
            by_file_id.entry((f.loc.file, f.id.as_str())).or_insert(i);
            by_id.entry(f.id.as_str()).and_modify(|(count, _)| *count += 1).or_insert((1, i));
            if let Some(name) = f.name.as_literal() {
                by_name.entry(name).or_insert(i);
            }
        }
        let linked = |link: &Link, near: Loc| -> Option<usize> {
            match link {
                Link::Resource(id) => match by_id.get(id.as_str())? {
                    (1, only) => Some(*only),
                    _ => by_file_id.get(&(near.file, id.as_str())).copied(),
                },
                Link::External(text) => by_name.get(function_name_in(text)?).copied(),
                Link::Imported(_) => None,
            }
        };
        let mut chain = Self {
            model,
            integrations: HashMap::new(),
            permissions: HashMap::new(),
            untied: Vec::new(),
            apis: model.integrations.iter().filter_map(|i| i.api.as_deref()).collect(),
        };
        for (i, integration) in model.integrations.iter().enumerate() {
            if let Some(f) = linked(&integration.function, integration.loc) {
                chain.integrations.entry(f).or_default().push(i);
            }
        }
        for (i, permission) in model.permissions.iter().enumerate() {
            match linked(&permission.function, permission.loc) {
                Some(f) => chain.permissions.entry(f).or_default().push(i),
                None => chain.untied.push(i),
            }
        }
        chain
    }

    /// Every function an integration calls (its index in `model.functions` and itself), with
    /// those integrations.
    pub(crate) fn fronted(
        &self,
    ) -> impl Iterator<Item = (usize, &'m Function, Vec<&'m ApiIntegration>)> + '_ {
        let mut functions: Vec<usize> = self.integrations.keys().copied().collect();
        functions.sort_unstable();
        functions.into_iter().map(|f| {
            let integrations = self.integrations[&f].iter().map(|&i| &self.model.integrations[i]).collect();
            (f, &self.model.functions[f], integrations)
        })
    }

    /// Each permission that may concern function `index` of the model, with whether it lets the
    /// integration in.
    pub(crate) fn verdicts(
        &self,
        index: usize,
        integration: &ApiIntegration,
    ) -> Vec<(&'m InvokePermission, Cover)> {
        let Some(function) = self.model.functions.get(index) else { return Vec::new() };
        let tied = self.permissions.get(&index).map(Vec::as_slice).unwrap_or_default();
        let tied = tied.iter().map(|&p| {
            let permission = &self.model.permissions[p];
            (permission, self.grants(permission, integration))
        });
        let untied = self.untied.iter().map(|&p| {
            let permission = &self.model.permissions[p];
            // A literal name of a function outside the files cannot be this function when this
            // one's name is written; anything else (a parameter, an import, a generated name)
            // might be.
            let verdict = match &permission.function {
                Link::External(text) if function_name_in(text).is_some() && function.name.is_literal() => {
                    Cover::OtherFunction
                }
                // Whatever function it is for, it does not let API Gateway in (worth a label only
                // next to the function: elsewhere it is most likely another function's).
                _ if !principal_may_be_api_gateway(permission) || !action_may_invoke(permission) => {
                    match self.grants(permission, integration) {
                        Cover::Refuses(why) if permission.loc.file == function.loc.file => {
                            Cover::Refuses(why)
                        }
                        _ => Cover::OtherFunction,
                    }
                }
                // One for another API of the files (by its SourceArn) is not this integration's.
                _ => match self.grants(permission, integration) {
                    Cover::Yes => Cover::Unknown,
                    _ => Cover::OtherFunction,
                },
            };
            (permission, verdict)
        });
        tied.chain(untied).collect()
    }

    fn grants(&self, permission: &InvokePermission, integration: &ApiIntegration) -> Cover {
        if !principal_may_be_api_gateway(permission) {
            Cover::Refuses(Refusal::Principal)
        } else if !action_may_invoke(permission) {
            Cover::Refuses(Refusal::Action)
        } else if !self.same_api(permission, integration) {
            Cover::Refuses(Refusal::OtherApi)
        } else if let Some(why) = qualifier_mismatch(permission, integration) {
            Cover::Refuses(why)
        } else {
            Cover::Yes
        }
    }

    /// False only when the `SourceArn` names another API of the files (by reference) and not this one.
    fn same_api(&self, permission: &InvokePermission, integration: &ApiIntegration) -> bool {
        let (Some(source), Some(api)) = (&permission.source_arn, &integration.api) else { return true };
        // A CloudFormation symbol is the API's `Ref` or an attribute of its logical id; a
        // Terraform one an attribute of the API's address (`aws_apigatewayv2_api.http.execution_arn`).
        let named: Vec<&str> = self
            .apis
            .iter()
            .copied()
            .filter(|a| source.symbols().any(|s| s.resource() == Some(*a)))
            .collect();
        named.is_empty() || named.contains(&api.as_str())
    }
}

/// Whether a permission may let API Gateway invoke a function through an integration.
pub(crate) enum Cover {
    Yes,
    /// It is for another function.
    OtherFunction,
    /// It is for this function but does not let this integration in: why.
    Refuses(Refusal),
    /// The files cannot tell which function it is for.
    Unknown,
}

/// Why a permission for the function does not let an integration in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Its principal is not API Gateway.
    Principal,
    /// Its action is not `lambda:InvokeFunction`.
    Action,
    /// Its `SourceArn` names another API of the files.
    OtherApi,
    /// It has no qualifier (covers the unqualified function only) and the integration invokes an
    /// alias or version.
    UnqualifiedOnly,
    /// Its qualifier limits it to an alias or version and the integration invokes the
    /// unqualified function.
    QualifiedOnly,
    /// Its qualifier names another alias or version than the integration's.
    OtherQualifier,
}

/// The integration timeout in milliseconds, and whether it is the API kind's default.
pub(crate) fn timeout_ms(integration: &ApiIntegration) -> (u32, bool) {
    integration.timeout_ms.map_or((integration.kind.default_timeout_ms(), true), |t| (t, false))
}

/// A permission with a qualifier covers invocations of that alias or version only: invoking the
/// unqualified function or another alias is denied
/// (<https://docs.aws.amazon.com/lambda/latest/dg/using-aliases.html>). Only literal qualifiers on
/// both sides decide it.
fn qualifier_mismatch(permission: &InvokePermission, integration: &ApiIntegration) -> Option<Refusal> {
    let Some(q) = &permission.qualifier else {
        // Without a qualifier a permission covers the unqualified ARN only (AddPermission,
        // `Qualifier`). Both builders record a qualifier they cannot read as a symbol, so `None`
        // is a permission on the unqualified function.
        return matches!(integration.qualifier, Qualifier::Named(_) | Qualifier::Computed)
            .then_some(Refusal::UnqualifiedOnly);
    };
    let q = q.as_literal()?;
    match &integration.qualifier {
        Qualifier::Unqualified => Some(Refusal::QualifiedOnly),
        Qualifier::Named(n) if n != q => Some(Refusal::OtherQualifier),
        _ => None,
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
