//! CloudFormation and SAM templates → the model: roles with every policy attached to them, functions
//! with their role, environment and handler calls, endpoints. SL001/SL002/SL003 evidence found on the
//! way is recorded as typed model problems.
//!
//! SAM semantics (implicit `<Fn>Role`, `Policies`, `Globals`) follow aws-semantics.md §7 and
//! <https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/sam_resources.py>.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::code::locate::CodeRequest;
use crate::code::{self, ClientRegion, HandlerScan, Language};
use crate::formats::{BuildOptions, CodeCache};
use crate::iam::policy::PolicyProblemKind;
use crate::iam::{PolicyDocument, parse_policy};
use crate::link::{EnvValue, EnvVar, Environment, RoleSetting};
use crate::model::problem::{
    Deployer, FragmentSign, HandlerAbsence, LayerName, ParseProblem, Problem, SageMakerSign,
    UndecidableProblem, UnresolvedProblem,
};
use crate::model::{
    AttachedPolicy, Call, Endpoint, Format, Function, Model, Origin, Role, RoleRef, Target, UnknownPolicy,
    UnknownRole,
};
use crate::source::SourceMap;
use crate::span::{FileId, Loc, Span};
use crate::syntax::{Node, NodeKind};
use crate::text::closest;
use crate::value::{SymbolOrigin, Value, ValueKind};
use embedded::OffsetMap;
use origins::Origins;
use resolve::{Resolver, Target as RefTarget, getatt_parts};

mod async_config;
mod chain;
pub mod embedded;
mod inline_code;
mod json_string;
mod layers;
pub(crate) mod nested_params;
mod origins;
mod prepared;
mod rain;
pub(crate) mod rain_module;
pub mod resolve;
mod sam_generated;
mod sam_role;
pub(crate) mod stack_exports;
mod template_walk;
mod vpc;

pub use prepared::Prepared;
pub(crate) use stack_exports::Imports;

const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// True when a parsed document is a CloudFormation or SAM template (by content, not by name).
#[must_use]
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() || root.get("Transform").is_some() {
        return true;
    }
    root.get("Resources").is_some_and(|r| {
        r.entries().iter().any(|e| {
            e.value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
        })
    })
}

/// Adds one template's functions, roles, endpoints and issues to the model.
pub fn build(
    model: &mut Model,
    sources: &mut SourceMap,
    cache: &mut CodeCache,
    file: FileId,
    root: &Node,
    options: &BuildOptions,
) {
    build_prepared(model, sources, cache, file, root, options, None);
}

/// [`build`], with what depends on the tree alone already worked out (by a parsing worker) from
/// `root` when `prepared` is given.
pub fn build_prepared(
    model: &mut Model,
    sources: &mut SourceMap,
    cache: &mut CodeCache,
    file: FileId,
    root: &Node,
    options: &BuildOptions,
    prepared: Option<Prepared>,
) {
    let nested = nested_params::from_parent(sources.get(file).path(), options, cache);
    let merged;
    let options = if nested.is_empty() {
        options
    } else {
        // What the user pins with `--param` still wins.
        let mut params = nested;
        params.extend(options.params.iter().map(|(k, v)| (k.clone(), v.clone())));
        merged =
            BuildOptions { deployment: options.deployment.clone(), params, scan_code: options.scan_code };
        &merged
    };
    // A template built from local `rain pkg` modules is judged as `rain pkg` writes it.
    let scope = cache.scope().clone();
    let packaging = rain_module::package(root, file, sources, &scope, &mut cache.rain_modules);
    let mut origins = Origins::single(file);
    let mut rain_failure = None;
    let expanded;
    let mut prepared = prepared;
    let root = match packaging {
        rain_module::Packaging::Expanded { root: packaged, origins: packaged_origins } => {
            expanded = packaged;
            origins = packaged_origins;
            // Prepared from the template as written, not from what the build reads.
            prepared = None;
            &expanded
        }
        rain_module::Packaging::Fails { loc, module, via, why } => {
            let problem = UndecidableProblem::RainModuleUnexpanded { module, via, why };
            rain_failure = Some(Problem::new(loc, problem));
            root
        }
        rain_module::Packaging::AsWritten | rain_module::Packaging::Unsupported => root,
    };
    let prepared = prepared.unwrap_or_else(|| Prepared::for_tree(root));
    let imports = stack_exports::for_template(sources.get(file).path(), prepared.imports, options, cache);
    let mut builder = Builder::new(model, file, root, options, origins, prepared);
    builder.rain_failure = rain_failure;
    builder.resolver.imports = imports;
    builder.run(sources, cache);
}

struct Builder<'a> {
    model: &'a mut Model,
    file: FileId,
    root: &'a Node,
    options: &'a BuildOptions,
    resolver: Resolver<'a>,
    sam: bool,
    /// logical id → index in `model.roles`
    roles: BTreeMap<String, usize>,
    /// logical id → index in `model.endpoints`
    endpoints: BTreeMap<String, usize>,
    /// Policy documents whose problems were reported (a policy attached to two roles is read twice).
    reported_policies: BTreeSet<Span>,
    /// The file of each span: the template's, or a module's when `rain pkg` modules were expanded.
    origins: Origins,
    /// Why `rain pkg` cannot expand a module of the template, reported instead of the general
    /// note on `rain pkg` sources.
    rain_failure: Option<Problem>,
    /// The template's resources by logical ID and by type, built when an async endpoint first
    /// follows its config and model links (a scan of every resource per link is quadratic).
    resource_index: std::cell::OnceCell<async_config::ResourceIndex<'a>>,
    /// Scans of the template's inline handlers by language and text: generated stacks repeat one
    /// handler many times, and a scan depends on nothing else. Kept for this template only.
    inline_scans: std::cell::RefCell<HashMap<(Language, String), HandlerScan>>,
    /// The template's first Serverless Framework variable, when it may be a fragment (see
    /// [`serverless_fragment`]).
    serverless_variable: Option<&'static str>,
    /// The references SL002 checks (taken by the check).
    refs: Vec<RefUse>,
}

impl<'a> Builder<'a> {
    fn new(
        model: &'a mut Model,
        file: FileId,
        root: &'a Node,
        options: &'a BuildOptions,
        origins: Origins,
        prepared: Prepared,
    ) -> Self {
        let Prepared { imports: _, serverless_variable, sam, targets, generated, refs, inline_scans } =
            prepared;
        let mut resolver = Resolver::new(root, targets, &options.params, &options.deployment);
        resolver.generated = generated;
        Self {
            model,
            file,
            root,
            options,
            resolver,
            sam,
            roles: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            reported_policies: BTreeSet::new(),
            origins,
            rain_failure: None,
            resource_index: std::cell::OnceCell::new(),
            inline_scans: std::cell::RefCell::new(inline_scans),
            serverless_variable,
            refs,
        }
    }

    fn loc(&self, span: Span) -> Loc {
        self.origins.loc(span)
    }

    fn problem(&mut self, problem: Problem) {
        self.model.problems.push(problem);
    }

    fn run(&mut self, sources: &mut SourceMap, cache: &mut CodeCache) {
        let Some(res_node) = self.root.get("Resources") else {
            let span = self.root.entries().first().map_or(self.root.span, |e| e.key_span);
            self.problem(Problem::new(self.loc(span), ParseProblem::NoResources));
            return;
        };
        if !res_node.is_map() {
            self.problem(Problem::new(self.loc(res_node.span), ParseProblem::ResourcesNotMapping));
            return;
        }
        self.check_references();
        self.collect_suppressions();
        let root = self.root;
        for r in resources(root) {
            let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("");
            match kind {
                "AWS::IAM::Role" => self.add_role(&r.key, r.key_span, &r.value),
                "AWS::SageMaker::Endpoint" => self.add_endpoint(&r.key, r.key_span, &r.value),
                t if t.starts_with("Custom::") || t == "AWS::CloudFormation::CustomResource" => {
                    self.add_custom_endpoint(&r.value);
                }
                "AWS::CloudFormation::Stack" | "AWS::Serverless::Application" => {
                    let props = r.value.get("Properties");
                    let at = props.and_then(|p| p.get("TemplateURL").or_else(|| p.get("Location")));
                    if let Some(path) = at.and_then(Node::as_str) {
                        self.model.nested_stacks.push((self.file, path.to_owned()));
                    }
                }
                _ => {}
            }
        }
        for r in resources(root) {
            let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("");
            if matches!(kind, "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy") {
                self.attach_standalone_policy(&r.key, kind, &r.value);
            }
        }
        let net = vpc::NetBuilder { origins: &self.origins, root, resolver: &self.resolver };
        net.network(&mut self.model.network);
        let sam_functions = !self.sam || self.sam_globals_supported();
        for r in resources(root) {
            match r.value.get("Type").and_then(Node::as_str).unwrap_or("") {
                "AWS::Lambda::Function" => {
                    self.add_function(&r.key, r.key_span, &r.value, false, sources, cache);
                }
                "AWS::Serverless::Function" if self.sam && sam_functions => {
                    self.add_function(&r.key, r.key_span, &r.value, true, sources, cache);
                }
                _ => {}
            }
        }
        chain::collect(self.model, &self.origins, self.root, &self.resolver, self.sam);
    }

    fn collect_suppressions(&mut self) {
        for r in resources(self.root) {
            let Some(entry) = r.value.get("Metadata").and_then(|m| m.entry("sagelint")) else { continue };
            let rules: Vec<String> = entry
                .value
                .get("ignore")
                .map(|i| list_items(i).into_iter().filter_map(Node::scalar_text).collect())
                .unwrap_or_default();
            if rules.is_empty() {
                continue;
            }
            let key = self.loc(r.key_span);
            let whole = self.loc(r.key_span.cover(r.value.span));
            let span = if whole.file == key.file { whole.span } else { key.span };
            self.model.suppressions.push(crate::suppress::Suppression {
                resource: r.key.as_str().to_owned(),
                file: key.file,
                span,
                rules,
                loc: self.loc(entry.key_span),
            });
        }
    }

    // ---- SL002: references to nothing ----------------------------------------------------------

    fn check_references(&mut self) {
        // What SAM and `rain pkg` generate was worked out for the resolver in `Builder::new`; it is
        // lent to the check (which reports through `self`) rather than worked out again.
        let generated = std::mem::take(&mut self.resolver.generated);
        self.check_references_with(&generated);
        self.resolver.generated = generated;
    }

    fn check_references_with(&mut self, generated: &resolve::Generated) {
        let unknown_transforms: Vec<String> = transforms(self.root)
            .into_iter()
            .filter(|t| t != SAM_TRANSFORM && t != "AWS::LanguageExtensions")
            .collect();
        let for_each = resources(self.root).iter().find(|r| r.key.starts_with("Fn::ForEach::"));
        if !unknown_transforms.is_empty() || for_each.is_some() {
            // Point at the loop itself: its resources (functions, roles, policies) are not modelled.
            let span = for_each
                .map(|r| r.key_span)
                .or_else(|| self.root.entry("Transform").map(|e| e.key_span))
                .unwrap_or(self.root.span);
            let problem = UndecidableProblem::DeployTimeResources {
                for_each: for_each.map(|r| r.key.as_str().to_owned()),
                transforms: unknown_transforms,
            };
            self.problem(Problem::new(self.loc(span), problem));
            return;
        }
        let conditions: BTreeSet<String> = self
            .root
            .get("Conditions")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|e| e.key.as_str().to_owned())
            .collect();
        let found = std::mem::take(&mut self.refs);
        for r in resources(self.root) {
            if let Some(c) = r.value.get("Condition").and_then(Node::as_str)
                && !conditions.contains(c)
            {
                let span = r.value.get("Condition").map_or(r.key_span, |n| n.span);
                let problem = UnresolvedProblem::UndefinedCondition { name: c.to_owned() };
                self.problem(Problem::new(self.loc(span), problem).resource(r.key.clone()));
            }
        }
        let sam_generated = &generated.sam;
        let rain = &generated.rain;
        if let Some(source) = rain {
            let problem = self.rain_failure.take().unwrap_or_else(|| {
                let problem = UndecidableProblem::RainDirectives { directive: source.directive.clone() };
                Problem::new(self.loc(source.span), problem)
            });
            self.problem(problem);
        }
        let mut names: Vec<String> = self.resolver.targets.keys().cloned().collect();
        names.sort();
        // A misspelt pseudo parameter is offered the right one (`AWS::Regoin` → `AWS::Region`).
        names.extend(crate::value::Pseudo::ALL.iter().map(|p| p.id().to_owned()));
        if let Some(sign) =
            serverless_fragment(self.root, self.serverless_variable, &found, &self.resolver.targets)
        {
            let span = self.root.entry("Resources").map_or(self.root.span, |e| e.key_span);
            self.problem(Problem::new(self.loc(span), UndecidableProblem::ServerlessFragment { sign }));
            return;
        }
        for use_ in &found {
            let id = use_.id.as_str();
            if use_.what == "Condition" {
                if !conditions.contains(id) {
                    let problem = UnresolvedProblem::UndefinedCondition { name: id.to_owned() };
                    self.problem(Problem::new(self.loc(use_.span), problem));
                }
                continue;
            }
            // CloudFormation has no pseudo parameters beyond these; it rejects any other `AWS::` name.
            let pseudo = crate::value::Pseudo::from_ref(id).is_some() || id == resolve::NO_VALUE;
            if pseudo || self.resolver.targets.contains_key(id) {
                continue;
            }
            if sam_generated.as_ref().is_some_and(|g| g.defines(id))
                || rain.as_ref().is_some_and(|r| r.defines(id))
            {
                continue;
            }
            let problem = match sam_generated.as_ref().and_then(|g| g.unmet(id)) {
                Some(unmet) => UnresolvedProblem::SamNotGenerated {
                    via: use_.what,
                    id: id.to_owned(),
                    requires: unmet.requires,
                    function: unmet.function,
                },
                None => UnresolvedProblem::UndefinedReference {
                    via: use_.what,
                    id: id.to_owned(),
                    suggestion: closest(id, names.iter().map(String::as_str)).map(str::to_owned),
                },
            };
            self.problem(Problem::new(self.loc(use_.span), problem));
        }
    }

    // ---- roles and policies ---------------------------------------------------------------------

    fn add_role(&mut self, id: &str, key_span: Span, node: &Node) {
        let props = node.get("Properties");
        let mut attached = Attached::default();
        let mut role = Role {
            id: id.to_owned(),
            loc: self.loc(key_span),
            policies: Vec::new(),
            policies_loc: props.and_then(|p| p.entry("Policies")).map(|e| self.loc(e.key_span)),
            boundary: None,
            unknown_boundary: None,
            unknown_policies: Vec::new(),
        };
        if let Some(list) = props.and_then(|p| p.get("Policies")) {
            let list = self.resolver.resolve(list);
            for (i, item) in list.as_list().into_iter().enumerate() {
                let name = item
                    .get("PolicyName")
                    .and_then(Value::as_literal)
                    .unwrap_or_else(|| format!("policy {i}"));
                match item.get("PolicyDocument") {
                    Some(doc) => {
                        self.push_document(
                            &mut attached,
                            format!("{id} inline policy {name}"),
                            doc,
                            item.span,
                        );
                    }
                    None => attached.unknown.push(UnknownPolicy::not_in_files(
                        format!("{id} policy {name}"),
                        self.loc(item.span),
                    )),
                }
            }
        }
        if let Some(list) = props.and_then(|p| p.get("ManagedPolicyArns")) {
            for item in list_items(list) {
                self.attach_managed(&mut attached, item);
            }
        }
        if let Some(boundary) = props.and_then(|p| p.get("PermissionsBoundary")) {
            self.set_boundary(&mut role, boundary);
        }
        if role.policies_loc.is_none() {
            role.policies_loc =
                props.and_then(|p| p.entry("ManagedPolicyArns")).map(|e| self.loc(e.key_span));
        }
        attached.add_to(&mut role);
        self.roles.insert(id.to_owned(), self.model.roles.len());
        self.model.roles.push(role);
    }

    fn push_document(&mut self, into: &mut Attached, name: String, doc: &Value, at: Span) {
        // A document written as a JSON string is that document (json_string.rs).
        let from_string;
        let doc = match &doc.kind {
            ValueKind::Str(text) => match json_string::document(text, doc.span) {
                Ok(parsed) => {
                    from_string = parsed;
                    &from_string
                }
                Err(json_error) => {
                    if self.reported_policies.insert(doc.span) {
                        let at = self.loc(doc.span);
                        let problem = crate::iam::policy::PolicyProblem::new(
                            format!(
                                "the policy document is a string that is not valid JSON: {json_error} (counted from the start of the string)"
                            ),
                            at.file,
                            at.span,
                        );
                        let problem = ParseProblem::MalformedPolicy {
                            policy: name,
                            problem,
                            deployer: Deployer::CloudFormation,
                        };
                        self.problem(Problem::new(self.loc(doc.span), problem));
                    }
                    return;
                }
            },
            _ => doc,
        };
        if doc_has_unknown_statements(doc) {
            into.unknown.push(UnknownPolicy::not_in_files(name, self.loc(at)));
            return;
        }
        let (mut parsed, mut problems) = parse_policy(doc, self.file);
        crate::formats::map_locs(&mut parsed, |l| self.origins.loc(l.span));
        for p in &mut problems {
            p.loc = self.origins.loc(p.loc.span);
        }
        if self.reported_policies.insert(doc.span) {
            for problem in problems {
                // Parts unknown at lint time are not malformed; everything else IAM rejects at
                // deploy time with MalformedPolicyDocument.
                if problem.kind == PolicyProblemKind::Unknown {
                    continue;
                }
                let loc = problem.loc;
                let problem = ParseProblem::MalformedPolicy {
                    policy: name.clone(),
                    problem,
                    deployer: Deployer::CloudFormation,
                };
                self.problem(Problem::new(loc, problem));
            }
        }
        into.policies.push(AttachedPolicy { name, doc: parsed, loc: self.loc(doc.span) });
    }

    /// A managed-policy reference: an AWS-managed ARN or name, a `Ref` to a `AWS::IAM::ManagedPolicy`
    /// in this template (attached from that resource instead), or an ARN the files do not define.
    fn attach_managed(&mut self, into: &mut Attached, item: &Node) {
        let Some(item) = self.decided_branch(item) else { return };
        if let Some(id) = item.get("Ref").and_then(Node::as_str)
            && matches!(self.resolver.targets.get(id), Some(RefTarget::Resource { kind, .. }) if kind == "AWS::IAM::ManagedPolicy")
        {
            if let Some(doc) = resources(self.root)
                .iter()
                .find(|r| r.key == id)
                .and_then(|r| r.value.get("Properties"))
                .and_then(|p| p.get("PolicyDocument"))
            {
                let doc = self.resolver.resolve(doc);
                self.push_document(into, id.to_owned(), &doc, item.span);
            }
            return;
        }
        let value = self.resolver.resolve(item);
        let text = value.as_symstr().map(|s| s.to_string()).unwrap_or_default();
        match self.managed_document(&text, item.span) {
            Some(doc) => {
                let name = text.rsplit('/').next().unwrap_or(&text).to_owned();
                // SAM and IAM de-duplicate managed policies: attaching one twice changes nothing.
                if !into.policies.iter().any(|p| p.name == name) {
                    into.policies.push(AttachedPolicy { name, doc, loc: self.loc(item.span) });
                }
            }
            None => into.unknown.push(UnknownPolicy::not_in_files(text, self.loc(item.span))),
        }
    }

    /// A list item behind `Fn::If` whose condition the files decide: the branch CloudFormation
    /// keeps, or `None` for `AWS::NoValue` (the item is dropped from the list — it is no policy,
    /// not an unknown one). An undecided `Fn::If` is returned as it is.
    fn decided_branch<'n>(&self, item: &'n Node) -> Option<&'n Node> {
        let mut item = item;
        for _ in 0..16 {
            if item.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue") {
                return None;
            }
            let [cond, then, otherwise] = item.get("Fn::If").map(Node::items).unwrap_or_default() else {
                return Some(item);
            };
            item = match cond.as_str().and_then(|c| self.resolver.condition(c, 0)) {
                Some(true) => then,
                Some(false) => otherwise,
                None => return Some(item),
            };
        }
        Some(item)
    }

    fn managed_document(&self, name_or_arn: &str, at: Span) -> Option<PolicyDocument> {
        crate::formats::managed_document(name_or_arn, self.loc(at))
    }

    /// `AWS::NoValue` (often behind `Fn::If`) means no boundary.
    fn set_boundary(&mut self, role: &mut Role, node: &Node) {
        if crate::formats::cloudformation::resolve::is_no_value(&self.resolver.resolve(node)) {
            return;
        }
        let mut into = Attached::default();
        self.attach_managed(&mut into, node);
        match into.unknown.pop() {
            Some(unknown) => role.unknown_boundary = Some(unknown),
            None => role.boundary = Some(into.policies),
        }
    }

    fn attach_standalone_policy(&mut self, id: &str, kind: &str, node: &Node) {
        let Some(props) = node.get("Properties") else { return };
        let Some(doc_node) = props.get("PolicyDocument") else { return };
        let doc = self.resolver.resolve(doc_node);
        let role_nodes: Vec<&Node> = match kind {
            "AWS::IAM::RolePolicy" => props.get("RoleName").into_iter().collect(),
            _ => props.get("Roles").map(list_items).unwrap_or_default(),
        };
        for role_node in role_nodes {
            let Some(index) = self.role_by_name_node(role_node) else { continue };
            if self.model.roles[index].policies.iter().any(|p| p.name == id) {
                continue;
            }
            let mut into = Attached::default();
            self.push_document(&mut into, id.to_owned(), &doc, doc_node.span);
            into.add_to(&mut self.model.roles[index]);
        }
    }

    /// A role named by `!Ref Role` or by its literal `RoleName`.
    fn role_by_name_node(&self, node: &Node) -> Option<usize> {
        if let Some(id) = node.get("Ref").and_then(Node::as_str) {
            return self.roles.get(id).copied();
        }
        let name = self.resolver.resolve(node).as_literal()?;
        self.roles
            .iter()
            .find(|(id, _)| self.role_name(id).as_deref() == Some(name.as_str()))
            .map(|(_, i)| *i)
    }

    fn role_name(&self, id: &str) -> Option<String> {
        match self.resolver.targets.get(id) {
            Some(RefTarget::Resource { name: Some(n), .. }) => self.resolver.resolve(n).as_literal(),
            _ => None,
        }
    }

    /// A role's `RoleName` as written after resolving, symbols included (`${RoleName}`).
    fn role_name_text(&self, id: &str) -> Option<String> {
        match self.resolver.targets.get(id) {
            Some(RefTarget::Resource { name: Some(n), .. }) => {
                self.resolver.resolve(n).as_symstr().map(|s| s.to_string())
            }
            _ => None,
        }
    }

    /// SL003 when code the function runs could not be read and the calls it makes cannot be
    /// known: a layer outside the files, a handler missing from its code folder (build output
    /// that is not committed). Only for functions that may call an endpoint: their environment
    /// passes one, or their role allows invoking one.
    fn code_notes(
        &mut self,
        id: &str,
        notes: &CodeNotes,
        code_read: bool,
        calls: &[Call],
        env: &Environment,
        role: &RoleRef,
    ) {
        // Most layers (Powertools, extensions) have nothing to do with SageMaker: say it only when
        // the environment hands the function an endpoint.
        let defined = || self.endpoints.values().copied().collect();
        let passed = crate::link::endpoint_passed(env, &self.model.endpoints, defined);
        if let Some((layer, span)) = notes.unread_layers.first()
            && calls.is_empty()
            && passed.is_some()
        {
            let problem = UndecidableProblem::UnreadLayer { function: id.to_owned(), layer: layer.clone() };
            self.problem(Problem::new(self.loc(*span), problem).resource(id));
        }
        let Some(missing) = notes.missing_handler.as_ref().filter(|_| !code_read) else { return };
        let grant = || match role {
            RoleRef::Known(index) => crate::link::invoke_grant(&self.model.roles[*index]),
            RoleRef::Unknown { .. } => None,
        };
        let (sign, loc) = match (calls.first().map(|c| c.site).or(passed), grant()) {
            // A zip that is not read is said where it is named.
            (Some(_), _) if missing.absence.names_code() => {
                (SageMakerSign::PassesEndpoint, missing.handler_loc)
            }
            (Some(loc), _) => (SageMakerSign::PassesEndpoint, loc),
            (None, Some(action)) => (SageMakerSign::RoleAllows { action }, missing.handler_loc),
            (None, None) => return,
        };
        let problem = UndecidableProblem::MissingHandler {
            function: id.to_owned(),
            handler: missing.handler.clone(),
            absence: missing.absence.clone(),
            sign,
            code_setting: missing.code_setting,
        };
        self.problem(Problem::new(loc, problem).resource(id));
    }

    // ---- endpoints ------------------------------------------------------------------------------

    fn add_endpoint(&mut self, id: &str, key_span: Span, node: &Node) {
        let name_node = node.get("Properties").and_then(|p| p.get("EndpointName"));
        let name = name_node.and_then(|n| self.resolver.resolve(n).as_symstr());
        let async_config = self.async_config(node);
        self.endpoints.insert(id.to_owned(), self.model.endpoints.len());
        self.model.endpoints.push(Endpoint {
            id: id.to_owned(),
            name,
            name_loc: name_node.map(|n| self.loc(n.span)),
            loc: self.loc(key_span),
            async_config,
        });
    }

    /// A custom resource with an `EndpointName` (a provider Lambda deploying a JumpStart or
    /// Hugging Face model) stands for an endpoint the stack creates: its provider decides what the
    /// properties mean, so the name is declared like `endpoints = […]` in the config, not defined.
    /// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-custom-resources.html>
    fn add_custom_endpoint(&mut self, node: &Node) {
        let name = node.get("Properties").and_then(|p| p.get("EndpointName"));
        if let Some(name) = name.and_then(|n| self.resolver.resolve(n).as_literal())
            && !self.model.declared_endpoints.contains(&name)
        {
            self.model.declared_endpoints.push(name);
        }
    }

    // ---- functions ------------------------------------------------------------------------------

    fn add_function(
        &mut self,
        id: &str,
        key_span: Span,
        node: &Node,
        serverless: bool,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
    ) {
        let root = self.root;
        let prop = |key: &str| function_property(root, node, serverless, key);
        let setting = match prop("Role") {
            Some(role_node) => self.role_setting(role_node),
            None if serverless => RoleSetting::Resource(self.sam_generated_role(id, key_span, node)),
            None => RoleSetting::Unknown { why: UnknownRole::NotSet, loc: self.loc(key_span) },
        };
        let role = crate::link::tie_role(setting, || self.named_roles());
        let env = self.environment(node, serverless);
        let link_env: Vec<EnvVar> = env.iter().map(|(name, value)| self.env_var(name, value)).collect();
        let link_env = Ok(link_env);
        let mut calls = Vec::new();
        let mut code_read = false;
        let mut explicit_endpoint_url = false;
        let mut regions = Vec::new();
        let mut notes = CodeNotes::default();
        if self.options.scan_code {
            for (file, scan, map) in self.code_scans(id, node, serverless, sources, cache, &mut notes) {
                code_read = true;
                explicit_endpoint_url |= scan.explicit_endpoint_url;
                // Inline code is text of the template (or of a module): its map gives spans the
                // template's origins place.
                let remap = |s: Span| match &map {
                    Some(m) => self.origins.loc(m.map(s)),
                    None => Loc::new(file, s),
                };
                if scan.client_region != ClientRegion::NoClient {
                    regions.push(crate::link::client_region(&scan.client_region, &link_env, remap));
                }
                for call in &scan.calls {
                    let site = remap(call.span);
                    // A name read from an imported module points into that module.
                    let name_loc = |s: Span| call.endpoint_file.map_or_else(|| remap(s), |f| Loc::new(f, s));
                    let (target, env_loc) = crate::link::call_target(&call.endpoint, &link_env, name_loc);
                    let input_location =
                        call.input_location.as_ref().map(|i| self.input_location(i, &env, remap));
                    calls.push(Call {
                        api: call.api,
                        site,
                        target,
                        env_loc,
                        handled: Some(call.in_error_handler),
                        input_location,
                    });
                }
            }
        }
        // A function also calls an endpoint when its environment hands it a defined endpoint's name
        // or ARN and no code could be read to say how it is used.
        if calls.is_empty() && !code_read {
            let defined = || self.endpoints.values().copied().collect();
            calls = crate::link::calls_from_environment(&link_env, &self.model.endpoints, defined);
        }
        self.code_notes(id, &notes, code_read, &calls, &link_env, &role);
        let timeout_node = prop("Timeout");
        let timeout = match timeout_node {
            Some(t) => self.resolver.resolve(t).as_literal().and_then(|t| t.parse().ok()),
            None => Some(3),
        };
        let timeout_loc = timeout_node.map(|t| self.loc(t.span));
        let name = prop("FunctionName")
            .and_then(|n| self.resolver.resolve(n).as_symstr())
            .unwrap_or_else(|| resolve::resource_attribute(id, "FunctionName"));
        let vpc = self.vpc_config(id, node, serverless, !calls.is_empty());
        let ignored_policies = if serverless { self.sam_ignored_policies(node) } else { None };
        let log_group = self.log_group(node, serverless);
        // A function usually makes one call; the model holds every function of the run.
        calls.shrink_to_fit();
        self.model.functions.push(Function {
            ignored_policies,
            name,
            id: id.to_owned(),
            loc: self.loc(key_span),
            origin: Origin::new(if serverless { Format::Sam } else { Format::CloudFormation }),
            role,
            calls,
            timeout,
            timeout_loc,
            vpc,
            log_group,
            explicit_endpoint_url,
            code_region: crate::link::agreed_region(&regions),
            partition: self.options.deployment.partition(),
            region: self.options.deployment.region(),
            account: self.options.deployment.account(),
        });
    }

    /// `LoggingConfig.LogGroup`, the group Lambda sends the function's logs to instead of
    /// `/aws/lambda/<name>` (Lambda advanced logging controls, 2023-11:
    /// <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html>). A
    /// SAM function without its own `LogGroup` takes the one of `Globals.Function.LoggingConfig`,
    /// as SAM merges map-valued globals.
    fn log_group(&self, node: &Node, serverless: bool) -> Option<(crate::value::SymStr, Loc)> {
        let own = node.get("Properties").and_then(|p| p.get("LoggingConfig")).and_then(|c| c.get("LogGroup"));
        let global = || {
            let config = self.root.get("Globals")?.get("Function")?.get("LoggingConfig")?;
            config.get("LogGroup").filter(|_| serverless)
        };
        let value = own.or_else(global)?;
        let loc = self.loc(value.span);
        let name = self.resolver.resolve(value).as_symstr().unwrap_or_else(|| {
            crate::value::SymStr::sym("LogGroup", crate::value::SymbolOrigin::NotEvaluated)
        });
        Some((name, loc))
    }

    /// `report`: say when the configuration cannot be read (only a function that calls an endpoint
    /// has a network path worth checking).
    fn vpc_config(
        &mut self,
        id: &str,
        node: &Node,
        serverless: bool,
        report: bool,
    ) -> Option<crate::model::network::VpcConfig> {
        let net = vpc::NetBuilder { origins: &self.origins, root: self.root, resolver: &self.resolver };
        let found = net.function_vpc(node, serverless);
        found.unwrap_or_else(|(why, loc)| {
            if report {
                let problem = UndecidableProblem::VpcConfigUnknown { function: id.to_owned(), why };
                self.problem(Problem::new(loc, problem).resource(id));
            }
            None
        })
    }

    /// The role a function's `Role` names: a role of this template by `!GetAtt`, or by a symbol
    /// naming it, else the value for `link` to match by name.
    fn role_setting(&mut self, node: &Node) -> RoleSetting {
        if let Some(arg) = node.get("Fn::GetAtt")
            && let Some((id, _)) = getatt_parts(arg)
            && let Some(&index) = self.roles.get(&id)
        {
            return RoleSetting::Resource(index);
        }
        // Roles are matched within this template: an imported role ARN is left symbolic so the
        // finding says it comes from another stack, not that no file defines it.
        let imports = std::mem::take(&mut self.resolver.imports);
        let value = self.resolver.resolve(node);
        self.resolver.imports = imports;
        if let Some(s) = value.as_symstr() {
            // `!GetAtt Role.Arn` of a role without `RoleName` holds the role's physical ID.
            for sym in s.symbols() {
                if let SymbolOrigin::Resource { resource, .. } = sym.origin()
                    && let Some(&index) = self.roles.get(resource.as_str())
                {
                    return RoleSetting::Resource(index);
                }
            }
        }
        RoleSetting::value(value, self.loc(node.span))
    }

    /// The roles of this template with their `RoleName`, which a role ARN may name; a name from a
    /// parameter matches the same parameter.
    fn named_roles(&self) -> Vec<(usize, String)> {
        self.roles.iter().filter_map(|(id, &index)| Some((index, self.role_name_text(id)?))).collect()
    }

    /// The role SAM creates for a function without `Role` (aws-semantics.md §7.1).
    fn sam_generated_role(&mut self, id: &str, key_span: Span, node: &Node) -> usize {
        let root = self.root;
        let policies_entry = node.get("Properties").and_then(|p| p.entry("Policies"));
        let mut attached = Attached::default();
        let mut role = Role {
            id: format!("{id}Role"),
            loc: self.loc(key_span),
            policies: Vec::new(),
            policies_loc: Some(self.loc(policies_entry.map_or(key_span, |e| e.key_span))),
            boundary: None,
            unknown_boundary: None,
            unknown_policies: Vec::new(),
        };
        for &name in sam_role_managed(root, node) {
            if let Some(doc) = self.managed_document(name, key_span) {
                attached.policies.push(AttachedPolicy {
                    name: name.to_owned(),
                    doc,
                    loc: self.loc(key_span),
                });
            }
        }
        if let Some(entry) = policies_entry {
            let items: Vec<&Node> = match &entry.value.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![&entry.value],
            };
            for (i, item) in items.into_iter().enumerate() {
                self.sam_policy_item(&mut attached, id, i, item);
            }
        }
        if let Some(boundary) = sam_property(root, node, "PermissionsBoundary") {
            self.set_boundary(&mut role, boundary);
        }
        attached.add_to(&mut role);
        let index = self.model.roles.len();
        self.roles.insert(role.id.clone(), index);
        self.model.roles.push(role);
        index
    }

    fn sam_policy_item(&mut self, into: &mut Attached, id: &str, i: usize, item: &Node) {
        let Some(item) = self.decided_branch(item) else { return };
        match &item.kind {
            NodeKind::String(_) => self.attach_managed(into, item),
            NodeKind::Map(_) if item.get("Statement").is_some() => {
                let doc = self.resolver.resolve(item);
                self.push_document(into, format!("{id}RolePolicy{i}"), &doc, item.span);
            }
            NodeKind::Map(_) if item.get("Ref").is_some() || item.get("Fn::Sub").is_some() => {
                self.attach_managed(into, item);
            }
            NodeKind::Map(_) if item.get("Fn::If").is_some() => {
                let value = self.resolver.resolve(item);
                match &value.kind {
                    ValueKind::Map(_) if value.get("Statement").is_some() => {
                        self.push_document(into, format!("{id}RolePolicy{i}"), &value, item.span);
                    }
                    ValueKind::Str(s) if s.is_literal() => {
                        let text = s.to_string();
                        match self.managed_document(&text, item.span) {
                            Some(doc) => into.policies.push(AttachedPolicy {
                                name: text,
                                doc,
                                loc: self.loc(item.span),
                            }),
                            None => into.unknown.push(UnknownPolicy::not_in_files(text, self.loc(item.span))),
                        }
                    }
                    _ => {
                        into.unknown.push(UnknownPolicy::not_in_files(
                            format!("{id} policy {i} (Fn::If)"),
                            self.loc(item.span),
                        ));
                    }
                }
            }
            // A SAM policy template (`S3ReadPolicy: {BucketName: …}`). None of SAM's templates grants
            // an invoke action (aws-semantics.md §7.3, policy_templates.json), so for the invoke
            // decision it contributes nothing.
            NodeKind::Map(_) => {}
            _ => into
                .unknown
                .push(UnknownPolicy::not_in_files(format!("{id} policy {i}"), self.loc(item.span))),
        }
    }

    /// `Environment.Variables` of a function, with SAM `Globals.Function` merged under it.
    fn environment(&self, node: &Node, serverless: bool) -> Vec<(String, Node)> {
        let mut vars: Vec<(String, Node)> = Vec::new();
        let mut add = |vars_node: Option<&Node>| {
            for e in vars_node.map(Node::entries).unwrap_or_default() {
                if let Some(slot) = vars.iter_mut().find(|(k, _)| *k == e.key) {
                    slot.1 = e.value.clone();
                } else {
                    vars.push((e.key.as_str().to_owned(), e.value.clone()));
                }
            }
        };
        if serverless {
            add(self
                .root
                .get("Globals")
                .and_then(|g| g.get("Function"))
                .and_then(|f| f.get("Environment"))
                .and_then(|e| e.get("Variables")));
        }
        add(node.get("Properties").and_then(|p| p.get("Environment")).and_then(|e| e.get("Variables")));
        vars
    }

    /// What an environment value that names an endpoint refers to, when it clearly does.
    fn endpoint_reference(&self, value: &Node) -> Option<Target> {
        if let Some(arg) = value.get("Fn::GetAtt")
            && let Some((id, attr)) = getatt_parts(arg)
            && attr == "EndpointName"
            && let Some(&index) = self.endpoints.get(&id)
        {
            return Some(Target::Endpoint { index, loc: self.loc(value.span) });
        }
        if let Some(id) = value.get("Ref").and_then(Node::as_str)
            && self.endpoints.contains_key(id)
        {
            let text = self.resolver.resolve(value).as_symstr().map(|s| s.to_string()).unwrap_or_default();
            return Some(Target::Arn { text, loc: self.loc(value.span) });
        }
        None
    }

    /// An environment variable as the linker reads it: a reference to a defined endpoint, else
    /// its resolved value.
    fn env_var(&self, name: &str, node: &Node) -> EnvVar {
        let value = self.endpoint_reference(node).map_or_else(
            || EnvValue::evaluated(&self.resolver.resolve(node), |s| self.symbol_origins(s)),
            EnvValue::Endpoint,
        );
        EnvVar { name: name.to_owned(), value, loc: self.loc(node.span) }
    }

    /// Where the unknown parts of a name come from, when that is more than the symbol says:
    /// a Parameter Store key read at deploy time, or an export no other template here defines.
    fn symbol_origins(&self, s: &crate::value::SymStr) -> String {
        let params = self.root.get("Parameters");
        let mut notes = Vec::new();
        for sym in s.symbols() {
            let id = sym.id();
            if let SymbolOrigin::Mapping { lookup } = sym.origin() {
                notes.push(format!(
                    "the Mappings lookup {lookup} has a key the files do not fix; pin it with --region or --param"
                ));
            } else if let SymbolOrigin::Import { export } = sym.origin() {
                notes
                    .push(format!("the export {export} has no single value in the templates of this folder"));
            } else if sym.origin() == &SymbolOrigin::Parameter
                && let Some(param) = params.and_then(|p| p.get(id)).filter(|p| is_ssm_parameter_type(p))
                && !self.options.params.contains_key(id)
            {
                let key = param.get("Default").and_then(Node::as_str).unwrap_or("its value");
                notes.push(format!(
                    "parameter {id} is read from Systems Manager parameter {key} at deploy time"
                ));
            }
        }
        if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }
    }

    /// Handler source files for a function, each with an offset map when the code is inline.
    fn code_scans(
        &self,
        id: &str,
        node: &Node,
        serverless: bool,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
        notes: &mut CodeNotes,
    ) -> Vec<(FileId, HandlerScan, Option<OffsetMap>)> {
        let root = self.root;
        let prop = |key: &str| function_property(root, node, serverless, key);
        let lang = code::language_of_runtime(prop("Runtime").and_then(Node::as_str).unwrap_or(""));
        let inline =
            if serverless { prop("InlineCode") } else { prop("Code").and_then(|c| c.get("ZipFile")) };
        if let Some(inline) = inline {
            // `ZipFile: !Rain::Embed app.py`: `rain pkg` writes that file's text here (rain.rs).
            if let Some(embedded) = inline.get("Rain::Embed").and_then(Node::as_str) {
                let dir = sources.get(self.file).path().parent().map(Path::to_path_buf).unwrap_or_default();
                let scanned = cache.code.scan_file(sources, &dir.join(embedded));
                return scanned.map(|(file, _, scan)| (file, scan, None)).into_iter().collect();
            }
            let texts: &SourceMap = sources;
            let slice = |span: Span| self.origins.slice(texts, span);
            let Some((text, map)) = inline_code::inline_text(inline, &slice, &self.resolver) else {
                return Vec::new();
            };
            let lang =
                lang.unwrap_or(if text.contains("def ") { Language::Python } else { Language::JavaScript });
            let mut scan = self
                .inline_scans
                .borrow_mut()
                .entry((lang, text))
                .or_insert_with_key(|(lang, text)| code::scan(*lang, text))
                .clone();
            inline_code::neutralize(&mut scan, inline.get("Fn::Sub").is_some());
            return vec![(self.file, scan, Some(map))];
        }
        let template_dir = sources.get(self.file).path().parent().map(Path::to_path_buf).unwrap_or_default();
        let image = prop("PackageType").and_then(Node::as_str) == Some("Image");
        // A runtime whose code is not read (Go, Java, .NET, Ruby, `provided`): SL003 says so for
        // a function that may call SageMaker, instead of a silent pass.
        if let Some(runtime) = prop("Runtime").filter(|r| !image && lang.is_none() && r.as_str().is_some()) {
            notes.missing_handler = Some(MissingHandler {
                handler: prop("Handler").and_then(Node::as_str).unwrap_or_default().to_owned(),
                handler_loc: self.loc(runtime.span),
                absence: HandlerAbsence::Runtime { runtime: runtime.as_str().unwrap_or_default().to_owned() },
                code_setting: "Runtime",
            });
            return Vec::new();
        }
        let metadata = node.get("Metadata");
        let docker_context = metadata.and_then(|m| m.get("DockerContext")).and_then(Node::as_str);
        let code_dir = if serverless && image {
            // `sam build` builds the image from Metadata.DockerContext.
            docker_context.map(|c| join_relative(&template_dir, c))
        } else if serverless {
            match prop("CodeUri") {
                Some(uri) => match uri.as_str() {
                    Some(s) if !s.starts_with("s3://") => Some(join_relative(&template_dir, s)),
                    _ => None,
                },
                None => Some(template_dir.clone()),
            }
        } else {
            // `Code: function.zip` (a local path that `aws cloudformation package` uploads), else
            // a CDK asset's folder.
            let local_code = prop("Code").and_then(Node::as_str).filter(|c| !c.starts_with("s3://"));
            local_code
                .or_else(|| node.get("Metadata").and_then(|m| m.get("aws:asset:path")).and_then(Node::as_str))
                .map(|p| join_relative(&template_dir, p))
                .or_else(|| cdk_asset_dir(&template_dir, prop("Code"), cache.scope()))
                .or_else(|| packaged_zip(&template_dir, prop("Code"), &self.resolver, cache.scope()))
        };
        let Some(code_dir) = code_dir else {
            // A container image that no Dockerfile in the files builds (an `ImageUri` alone, a SAM
            // image without `DockerContext`): its code cannot be read, which SL003 says for a
            // function that may call SageMaker.
            if image {
                let uri = prop("ImageUri").or_else(|| prop("Code").and_then(|c| c.get("ImageUri")));
                notes.missing_handler = Some(MissingHandler {
                    handler: String::new(),
                    handler_loc: self.loc(uri.map_or(node.span, |u| u.span)),
                    absence: HandlerAbsence::Image { contexts: Vec::new() },
                    code_setting: "ImageUri",
                });
            } else if lang.is_some() {
                // Zip code in S3 (`CodeUri: s3://…`, `Code: {S3Bucket, S3Key}`) or at a location
                // computed at deploy time: not in the files, which SL003 says for a function that
                // may call SageMaker.
                let setting = if serverless { "CodeUri" } else { "Code" };
                if let Some(code) = prop(setting) {
                    notes.missing_handler = Some(MissingHandler {
                        handler: prop("Handler").and_then(Node::as_str).unwrap_or_default().to_owned(),
                        handler_loc: self.loc(code.span),
                        absence: HandlerAbsence::Uploaded { location: self.code_location(code) },
                        code_setting: setting,
                    });
                }
            }
            return Vec::new();
        };
        let _ = id;
        let handler = if image {
            image_handler(node, &code_dir, metadata, cache)
        } else {
            prop("Handler").and_then(Node::as_str).map(str::to_owned)
        };
        let handler = handler.as_deref().unwrap_or("");
        let layers = prop("Layers").map(|l| layers::function_layers(root, l, &template_dir, &self.resolver));
        let entry_points = esbuild_entry_points(metadata);
        let request = CodeRequest {
            code: &code_dir,
            handler,
            runtime: lang,
            layers: layers.as_ref().map_or(&[], |l| l.dirs.as_slice()),
            deployment_dir: Some(&template_dir),
            image,
            entry_points: &entry_points,
        };
        let located = code::locate::locate(&request, sources, &mut cache.code);
        if let Some(absence) = located.missing {
            // A zip that is not read is said where it is named.
            let handler_node = if absence.names_code() {
                prop("CodeUri").or_else(|| prop("Code"))
            } else if image {
                None
            } else {
                prop("Handler")
            };
            notes.missing_handler = Some(MissingHandler {
                handler: handler.to_owned(),
                handler_loc: self.loc(handler_node.map_or(node.span, |h| h.span)),
                absence,
                code_setting: if serverless { "CodeUri" } else { "the asset path" },
            });
        } else if let (Some(layers), Some(_)) = (layers, located.language) {
            notes.unread_layers = layers.unreadable;
        }
        located.scans.into_iter().map(|(file, scan)| (file, scan, None)).collect()
    }

    /// How a `CodeUri`/`Code` that names no folder of the files reads: `s3://bucket/key` (from a
    /// string or a `Bucket`/`Key`, `S3Bucket`/`S3Key` mapping, with computed parts as
    /// `${Name}`), or a description.
    fn code_location(&self, code: &Node) -> String {
        let part = |keys: [&str; 2]| {
            keys.iter().find_map(|k| code.get(k)).map(|n| self.resolver.resolve(n).as_symstr())
        };
        match (part(["Bucket", "S3Bucket"]), part(["Key", "S3Key"])) {
            (Some(Some(bucket)), Some(Some(key))) => format!("s3://{bucket}/{key}"),
            (Some(_), _) => "an S3 object".to_owned(),
            _ => match self.resolver.resolve(code).as_symstr() {
                Some(text) => text.shown(),
                None => "a location computed at deploy time".to_owned(),
            },
        }
    }
}

/// A parameter of type `AWS::SSM::Parameter::Value<…>`: its `Default` is the Systems Manager
/// parameter *key*, and `Ref` returns the value CloudFormation reads from Parameter Store at
/// deploy time, which the files do not hold. Using the key as the value would make
/// `/ml/endpoint-name` an endpoint name. Source:
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html>
/// ("Systems Manager parameter types": the `Default` and the value passed are parameter keys;
/// the stack uses the resolved value).
fn is_ssm_parameter_type(param: &Node) -> bool {
    param
        .get("Type")
        .and_then(Node::as_str)
        .is_some_and(|t| t.trim().starts_with("AWS::SSM::Parameter::Value<"))
}

/// What each `Ref`/`GetAtt` target of a template is: its parameters and resources (with the
/// physical name where we read one), plus the role SAM generates for a function without `Role`.
fn ref_targets(root: &Node) -> BTreeMap<String, RefTarget> {
    // Gathered in a list and turned into the map at once (a stable sort, the last of a repeated
    // name kept, as inserting in this order did): cheaper than a search per insert for a template
    // of thousands of resources.
    let mut targets = Vec::new();

    for p in root.get("Parameters").map(Node::entries).unwrap_or_default() {
        let default = if is_ssm_parameter_type(&p.value) { None } else { p.value.get("Default").cloned() };
        targets.push((p.key.as_str().to_owned(), RefTarget::Parameter { default }));
    }
    for r in resources(root) {
        let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("").to_owned();
        let name_key = match kind.as_str() {
            "AWS::IAM::Role" => "RoleName",
            "AWS::SageMaker::Endpoint" => "EndpointName",
            "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => "PolicyName",
            "AWS::Logs::LogGroup" => "LogGroupName",
            _ => "",
        };
        let name = r.value.get("Properties").and_then(|p| p.get(name_key)).cloned();
        if kind == "AWS::Serverless::Function" && sam_property(root, &r.value, "Role").is_none() {
            targets.push((
                format!("{}Role", r.key),
                RefTarget::Resource { kind: "AWS::IAM::Role".into(), name: None },
            ));
        }
        targets.push((r.key.as_str().to_owned(), RefTarget::Resource { kind, name }));
    }
    targets.into_iter().collect()
}

/// The code folders, handlers and runtimes of a template's functions whose code is a local folder
/// given literally (SAM `CodeUri`, a CDK asset path), as `Builder::code_scans` will hand them to
/// `code::locate`: known right after parsing, so a parsing worker can read that code ahead of the
/// builder (`code::locate::Prefetched`). A function whose request differs is simply not read
/// ahead.
#[must_use]
pub fn literal_code_requests(root: &Node, template: &Path) -> Vec<(PathBuf, String, Option<Language>)> {
    let template_dir = template.parent().map(Path::to_path_buf).unwrap_or_default();
    let sam = is_sam(root);
    let resources = root.get("Resources").map(Node::entries).unwrap_or_default();
    let mut requests = Vec::new();
    for r in resources {
        let node = &r.value;
        let serverless = match node.get("Type").and_then(Node::as_str) {
            Some("AWS::Serverless::Function") if sam => true,
            Some("AWS::Lambda::Function") => false,
            _ => continue,
        };
        let prop = |key: &str| function_property(root, node, serverless, key);
        let inline =
            if serverless { prop("InlineCode") } else { prop("Code").and_then(|c| c.get("ZipFile")) };
        if inline.is_some() || prop("PackageType").and_then(Node::as_str) == Some("Image") {
            continue;
        }
        let code_dir = if serverless {
            match prop("CodeUri").map(Node::as_str) {
                Some(Some(uri)) if !uri.starts_with("s3://") => join_relative(&template_dir, uri),
                Some(_) => continue,
                None => template_dir.clone(),
            }
        } else {
            let asset = node.get("Metadata").and_then(|m| m.get("aws:asset:path")).and_then(Node::as_str);
            // A CDK asset found by its S3 key alone is located by the builder, not read ahead.
            let Some(asset) = asset else { continue };
            join_relative(&template_dir, asset)
        };
        let Some(handler) = prop("Handler").and_then(Node::as_str) else { continue };
        let runtime = code::language_of_runtime(prop("Runtime").and_then(Node::as_str).unwrap_or(""));
        requests.push((code_dir, handler.to_owned(), runtime));
    }
    requests
}

/// The folder `cdk synth` staged a function's code in, found from its S3 key alone: a template
/// synthesized with `--no-asset-metadata` has no `aws:asset:path`, but CDK still stages the asset
/// as `asset.<hash>` beside the template and uploads it as `<hash>.zip` (the asset manifest pairs
/// `source.path` with `destinations.*.objectKey`:
/// <https://github.com/aws/aws-cdk/blob/main/packages/cdk-assets/README.md#manifest-example>).
/// Only a folder that exists is taken: a hand-written template's key names an upload, not a folder.
fn cdk_asset_dir(template_dir: &Path, code: Option<&Node>, scope: &crate::fsread::Scope) -> Option<PathBuf> {
    let key = code?.get("S3Key")?.as_str()?;
    let hash = key.strip_suffix(".zip")?;
    if hash.len() < 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let dir = join_relative(template_dir, &format!("asset.{hash}"));
    scope.is_dir(&dir).then_some(dir)
}

/// The zip a packaged template uploads, when it sits beside the template: `serverless package`
/// writes `.serverless/<service>.zip` next to `cloudformation-template-update-stack.json`, whose
/// `S3Key` ends in that file's name
/// (<https://www.serverless.com/framework/docs/providers/aws/guide/packaging>).
fn packaged_zip(
    template_dir: &Path,
    code: Option<&Node>,
    resolver: &Resolver<'_>,
    scope: &crate::fsread::Scope,
) -> Option<PathBuf> {
    let key = resolver.resolve(code?.get("S3Key")?).as_symstr()?;
    let Some(crate::value::Piece::Lit(tail)) = key.pieces().last() else { return None };
    let name = tail.rsplit('/').next()?;
    let valid = Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && !name.contains(['\\', ':']);
    let zip = join_relative(template_dir, name);
    (valid && scope.is_file(&zip)).then_some(zip)
}

/// `base` joined with a relative path written in a template, without `.` segments and with `..`
/// folded where it can be, so reported paths read as the user writes them.
fn join_relative(base: &Path, relative: &str) -> PathBuf {
    crate::source::normalize_path(&base.join(relative))
}

/// The entry points `sam build` bundles a function from (`Metadata: {BuildMethod: esbuild,
/// BuildProperties: {EntryPoints: [...]}}`), relative to `CodeUri`. Only the resource's own
/// `Metadata` counts: it is a resource attribute, which SAM `Globals` cannot set.
fn esbuild_entry_points(metadata: Option<&Node>) -> Vec<String> {
    let Some(metadata) = metadata else { return Vec::new() };
    if metadata.get("BuildMethod").and_then(Node::as_str) != Some("esbuild") {
        return Vec::new();
    }
    let entries = metadata.get("BuildProperties").and_then(|p| p.get("EntryPoints"));
    entries
        .map(|e| e.items().iter().filter_map(Node::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The handler of a container-image function: `ImageConfig.Command[0]`, else the last `CMD` of the
/// Dockerfile in its build context (`CMD ["app.handler"]`), as the Lambda base images run it
/// (<https://docs.aws.amazon.com/lambda/latest/dg/images-create.html>).
fn image_handler(node: &Node, context: &Path, metadata: Option<&Node>, cache: &CodeCache) -> Option<String> {
    let command = node.get("Properties").and_then(|p| p.get("ImageConfig")).and_then(|c| c.get("Command"));
    if let Some(first) = command.and_then(|c| c.items().first()).and_then(Node::as_str) {
        return Some(first.to_owned());
    }
    let dockerfile = metadata
        .and_then(|m| m.get("Dockerfile").or_else(|| m.get("aws:asset:dockerfile-path")))
        .and_then(Node::as_str)
        .unwrap_or("Dockerfile");
    let text = cache.read_side(&context.join(dockerfile), crate::fsread::SMALL_CAP)?;
    code::locate::dockerfile_handler(&text)
}

/// What reading a function's code could not do, reported once the calls are known.
#[derive(Default)]
struct CodeNotes {
    /// Layers whose code is not in the files, with where each is named.
    unread_layers: Vec<(LayerName, Span)>,
    /// The handler whose code was not read.
    missing_handler: Option<MissingHandler>,
}

/// A handler the locator did not find: its name, where it is named, why it was not read, and the
/// setting that names the code folder.
struct MissingHandler {
    handler: String,
    handler_loc: Loc,
    absence: HandlerAbsence,
    code_setting: &'static str,
}

/// Policies gathered for a role (or its boundary) before they are attached to it.
#[derive(Default)]
struct Attached {
    policies: Vec<AttachedPolicy>,
    /// Policies that cannot be read: a missing Allow cannot be proven.
    unknown: Vec<UnknownPolicy>,
}

impl Attached {
    fn add_to(self, role: &mut Role) {
        // Exactly: a role lives until the end of the run, and most have one or two policies.
        role.policies.reserve_exact(self.policies.len());
        role.policies.extend(self.policies);
        role.unknown_policies.extend(self.unknown);
    }
}

/// A policy whose statements cannot all be known (an undecidable `Fn::If`) cannot prove a missing Allow.
fn doc_has_unknown_statements(doc: &Value) -> bool {
    match &doc.kind {
        ValueKind::Unknown(_) => true,
        ValueKind::Map(_) => match doc.get("Statement") {
            Some(st) => {
                st.as_list().iter().any(|s| matches!(s.kind, ValueKind::Unknown(_)))
                    || st.unknown_reason().is_some()
            }
            None => false,
        },
        _ => false,
    }
}

/// True for a SAM template: it is deployed through `sam deploy`/`sam package`, never as written.
#[must_use]
pub fn is_sam(root: &Node) -> bool {
    transforms(root).iter().any(|t| t == SAM_TRANSFORM)
}

fn transforms(root: &Node) -> Vec<String> {
    match root.get("Transform") {
        Some(t) => std::iter::once(t)
            .chain(t.items())
            .filter_map(|n| {
                n.as_str()
                    .map(str::to_owned)
                    .or_else(|| n.get("Name").and_then(Node::as_str).map(str::to_owned))
            })
            .collect(),
        None => Vec::new(),
    }
}

fn resources(root: &Node) -> &[crate::syntax::Entry] {
    root.get("Resources").map(Node::entries).unwrap_or_default()
}

fn list_items(node: &Node) -> Vec<&Node> {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

/// A function property: SAM functions fall back to `Globals.Function`.
fn function_property<'n>(root: &'n Node, node: &'n Node, serverless: bool, key: &str) -> Option<&'n Node> {
    if serverless { sam_property(root, node, key) } else { node.get("Properties").and_then(|p| p.get(key)) }
}

/// A SAM function property, falling back to `Globals.Function` (aws-semantics.md §7.2).
pub(super) fn sam_property<'n>(root: &'n Node, node: &'n Node, key: &str) -> Option<&'n Node> {
    node.get("Properties").and_then(|p| p.get(key)).or_else(|| {
        if matches!(key, "Role" | "Policies" | "FunctionName" | "Events") {
            return None;
        }
        root.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get(key))
    })
}

/// The AWS managed policies SAM attaches to the role it generates for a function: basic
/// execution, plus VPC access when `VpcConfig` is set (aws-semantics.md §7.1). One list for the
/// builder and for the parsing workers that look the documents up ahead of it.
fn sam_role_managed(root: &Node, node: &Node) -> &'static [&'static str] {
    if sam_property(root, node, "VpcConfig").is_some() {
        &["AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"]
    } else {
        &["AWSLambdaBasicExecutionRole"]
    }
}

/// A reference the template makes.
#[derive(Debug)]
struct RefUse {
    id: String,
    span: Span,
    what: &'static str,
}

/// Serverless Framework `resources:` files hold a bare `Resources` map that the framework merges
/// into the template it generates, so they refer to ids defined nowhere in the file
/// (`IamRoleLambdaExecution`, `<Name>LambdaFunction`, `ApiGatewayRestApi`) and carry its `${self:…}`
/// variables (<https://www.serverless.com/framework/docs/providers/aws/guide/resources>). Returns
/// what gave the file away, or `None` for a CloudFormation template in its own right. `variable` is
/// the file's first framework variable (see [`template_walk::TemplateWalk`]).
fn serverless_fragment(
    root: &Node,
    variable: Option<&'static str>,
    refs: &[RefUse],
    targets: &BTreeMap<String, RefTarget>,
) -> Option<FragmentSign> {
    if root.get("AWSTemplateFormatVersion").is_some() || root.get("Transform").is_some() {
        return None;
    }
    if let Some(var) = variable {
        return Some(FragmentSign::Variable(var));
    }
    let generated = |id: &str| {
        id == "IamRoleLambdaExecution"
            || id == "ServerlessDeploymentBucket"
            || id.starts_with("ApiGatewayRestApi")
            || id.starts_with("HttpApi")
            || id.ends_with("LambdaFunction")
    };
    refs.iter()
        .find(|r| !targets.contains_key(&r.id) && generated(&r.id))
        .map(|r| FragmentSign::GeneratedName(r.id.clone()))
}

/// The first of the framework's variable sources (in this list's order) that `s` uses.
fn serverless_variable(s: &str) -> Option<&'static str> {
    const VARIABLE_SOURCES: [&str; 9] =
        ["${self:", "${opt:", "${env:", "${sls:", "${file(", "${ssm:", "${cf:", "${param:", "${s3:"];
    // Every source starts with `${`, and a template's strings rarely hold a `$`: one byte search
    // (no substring searcher set up per string) rules out almost every string of the walk.
    let dollar = memchr::memchr(b'$', s.as_bytes())?;
    let from_dollar = &s[dollar..];
    if !from_dollar.contains("${") {
        return None;
    }
    VARIABLE_SOURCES.iter().find(|v| from_dollar.contains(*v)).copied()
}

/// The resource id of an `Fn::GetAtt` argument, when [`getatt_parts`] reads one, borrowed.
fn getatt_id(arg: &Node) -> Option<&str> {
    match &arg.kind {
        NodeKind::Seq(items) => match items.as_slice() {
            [id, attr]
                if matches!(attr.kind, NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_)) =>
            {
                id.as_str()
            }
            _ => None,
        },
        NodeKind::String(s) => s.split_once('.').map(|(id, _)| id),
        _ => None,
    }
}

fn collect_refs(node: &Node, out: &mut Vec<RefUse>, depth: usize) {
    if depth > 256 {
        return;
    }
    if let Some(entry) = node.single_entry() {
        match entry.key.as_str() {
            "Ref" => {
                if let Some(id) = entry.value.as_str() {
                    out.push(RefUse { id: id.to_owned(), span: entry.value.span, what: "Ref" });
                }
            }
            "Fn::GetAtt" => {
                if let Some(id) = getatt_id(&entry.value) {
                    let span = entry.value.items().first().map_or(entry.value.span, |n| n.span);
                    out.push(RefUse { id: id.to_owned(), span, what: "Fn::GetAtt" });
                }
            }
            "Fn::Sub" => {
                let (template, vars) = match &entry.value.kind {
                    NodeKind::String(_) => (Some(&entry.value), None),
                    NodeKind::Seq(items) => (items.first(), items.get(1)),
                    _ => (None, None),
                };
                if let Some(t) = template
                    && let Some(text) = t.as_str()
                {
                    for (name, start, end) in resolve::sub_vars(text) {
                        if vars.is_some_and(|v| v.get(name).is_some()) {
                            continue;
                        }
                        let id = if name.starts_with("AWS::") {
                            name
                        } else {
                            name.split('.').next().unwrap_or(name)
                        };
                        // The variable's span: offset inside the string, shifted by an opening quote.
                        let quote = usize::from(t.span.len() as usize > text.len());
                        out.push(RefUse {
                            id: id.to_owned(),
                            span: t.span.sub(start + quote, end + quote),
                            what: "Fn::Sub",
                        });
                    }
                }
                if let Some(v) = vars {
                    collect_refs(v, out, depth + 1);
                }
                return;
            }
            "Condition" if entry.value.as_str().is_some() => {
                if let Some(id) = entry.value.as_str() {
                    out.push(RefUse { id: id.to_owned(), span: entry.value.span, what: "Condition" });
                }
            }
            "Fn::If" => {
                if let Some(c) = entry.value.items().first()
                    && let Some(id) = c.as_str()
                {
                    out.push(RefUse { id: id.to_owned(), span: c.span, what: "Condition" });
                }
            }
            _ => {}
        }
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                // `Fn::If`'s first item is a condition name, handled above.
                if e.key == "Fn::If" {
                    for item in e.value.items().iter().skip(1) {
                        collect_refs(item, out, depth + 1);
                    }
                } else if e.key != "Ref" && e.key != "Fn::GetAtt" && e.key != "Condition" {
                    collect_refs(&e.value, out, depth + 1);
                }
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|i| collect_refs(i, out, depth + 1)),
        _ => {}
    }
}
