//! Terraform modules → the model: the order resources are read in, and SL002/SL003 evidence.
//! Problem `resource`s are Terraform addresses (`aws_lambda_function.scorer`).

use std::collections::BTreeMap;

use super::ast::{Block, ExprKind};
use super::module::World;
use crate::formats::CodeCache;
use crate::model::Model;
use crate::model::problem::{Problem, TerraformThing, UndecidableProblem, UnresolvedProblem};
use crate::source::SourceMap;
use crate::span::Loc;
use crate::value::{SymStr, Value, ValueEntry, ValueKind};

/// Builds one root module and its children into the model; the IAM side is in `policy.rs`,
/// functions and endpoints in `function.rs`, network and API resources in `network.rs`.
pub(super) struct Builder<'w, 'a> {
    pub(super) world: &'w World<'a>,
    pub(super) model: &'w mut Model,
    pub(super) scan_code: bool,
    /// (module, address) → role index
    pub(super) roles: BTreeMap<(usize, String), usize>,
    pub(super) endpoints: BTreeMap<(usize, String), usize>,
    /// role index → the resources that attach policies to it
    pub(super) attached_by: BTreeMap<usize, Vec<Loc>>,
    /// Policy problems already reported (a document is read once per role and module instance).
    pub(super) reported_problems: std::collections::BTreeSet<(Loc, String)>,
    /// Policy documents being assembled, to cut `source_policy_documents` cycles.
    pub(super) assembling: Vec<(usize, String)>,
    /// Where files the configuration names (`file()`, handler code) may be read.
    pub(super) read_scope: crate::fsread::Scope,
}

pub(super) fn address(world: &World<'_>, m: usize, b: &Block) -> String {
    let data = if b.kind == "data" { "data." } else { "" };
    // A plan's blocks carry their module address; a configuration's module knows its own.
    let module = if b.prefix.is_empty() { world.modules[m].address.as_str() } else { b.prefix.as_str() };
    format!("{module}{data}{}.{}", b.label(0), b.label(1))
}

impl<'w, 'a> Builder<'w, 'a> {
    pub(super) fn new(world: &'w World<'a>, model: &'w mut Model, scan_code: bool) -> Self {
        Self {
            world,
            model,
            scan_code,
            roles: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            attached_by: BTreeMap::new(),
            reported_problems: std::collections::BTreeSet::new(),
            assembling: Vec::new(),
            read_scope: crate::fsread::Scope::default(),
        }
    }

    pub(super) fn problem(&mut self, problem: Problem) {
        self.model.problems.push(problem);
    }

    pub(super) fn run(&mut self, sources: &mut SourceMap, cache: &mut CodeCache) {
        self.read_scope = cache.scope().clone();
        let n = self.world.modules.len();
        for m in 0..n {
            self.check_module(m);
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                match b.label(0) {
                    "aws_iam_role" => self.add_role(m, file, b, sources),
                    "aws_sagemaker_endpoint" => self.add_endpoint(m, file, b),
                    _ => {}
                }
            }
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                let attaches = matches!(
                    b.label(0),
                    "aws_iam_role_policy" | "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment"
                );
                if !attaches {
                    continue;
                }
                // Each instance of a `for_each` attachment, with its `each` in scope.
                let world = self.world;
                for each in for_each_instances(world, m, b) {
                    world.with_scope(each, || match b.label(0) {
                        "aws_iam_role_policy" => self.attach_role_policy(m, file, b, sources),
                        _ => self.attach_policy_resource(m, file, b, sources),
                    });
                }
            }
        }
        // A role whose permissions all come from one attaching resource: that is where a missing
        // statement belongs. With several, the role itself is the honest place to point at.
        for (index, locs) in std::mem::take(&mut self.attached_by) {
            if let [only] = locs.as_slice() {
                self.model.roles[index].policies_loc.get_or_insert(*only);
            }
        }
        for m in 0..n {
            let calls = self.world.modules[m]
                .blocks
                .iter()
                .filter(|(_, b)| super::lambda_module::is_registry_lambda(b));
            for (file, b) in calls.copied().collect::<Vec<_>>() {
                self.add_registry_lambda(m, file, b, sources, cache);
            }
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                if b.label(0) == "aws_lambda_function" {
                    self.add_function(m, file, b, sources, cache);
                } else {
                    self.add_network(m, file, b, sources);
                }
            }
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                self.add_network_links(m, file, b);
            }
        }
    }

    // ---- SL002 / SL003 --------------------------------------------------------------------------

    fn check_module(&mut self, m: usize) {
        let world = self.world;
        for (file, b) in &world.modules[m].blocks {
            // `moved`, `import`, `removed` and `check` blocks may name objects that no longer or not
            // yet exist; variables' validations refer only to themselves.
            if !matches!(b.kind.as_str(), "resource" | "data" | "module" | "output" | "locals" | "provider") {
                continue;
            }
            let addr = if matches!(b.kind.as_str(), "resource" | "data") {
                Some(address(world, m, b))
            } else {
                None
            };
            let mut refs = Vec::new();
            b.body.refs(&mut refs);
            for r in refs {
                if !world.modules[m].complete {
                    break;
                }
                let Some(path) = r.as_ref_path() else { continue };
                if world.declares(m, path) {
                    continue;
                }
                let what = path
                    .iter()
                    .take(if path[0] == "data" { 3 } else { 2 })
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(".");
                let kind = match path[0].as_str() {
                    "var" => TerraformThing::Variable,
                    "local" => TerraformThing::Local,
                    "module" => TerraformThing::Module,
                    "data" => TerraformThing::DataSource,
                    _ => TerraformThing::Resource,
                };
                let declared: Vec<String> = world.modules[m]
                    .blocks
                    .iter()
                    .filter_map(|(_, d)| match d.kind.as_str() {
                        "variable" => Some(format!("var.{}", d.label(0))),
                        "module" => Some(format!("module.{}", d.label(0))),
                        "resource" => Some(format!("{}.{}", d.label(0), d.label(1))),
                        "data" => Some(format!("data.{}.{}", d.label(0), d.label(1))),
                        _ => None,
                    })
                    .collect();
                let suggestion =
                    crate::text::closest(&what, declared.iter().map(String::as_str)).map(str::to_owned);
                let mut problem = Problem::new(
                    Loc::new(*file, r.span),
                    UnresolvedProblem::UndeclaredTerraform { kind, address: what, suggestion },
                );
                problem.resource.clone_from(&addr);
                self.problem(problem);
            }
            if b.kind == "module"
                && let Some(src) = b.body.get("source")
                && let ExprKind::Str(s) = &src.kind
                && !(s.starts_with("./") || s.starts_with("../"))
                && !super::lambda_module::is_registry_lambda(b)
            {
                let problem =
                    UndecidableProblem::RemoteModule { module: b.label(0).to_owned(), source: s.clone() };
                self.problem(Problem::new(Loc::new(*file, src.span), problem));
            }
            if let Some(a) = &addr
                && let Some(attr) = b.body.attr("count").or_else(|| b.body.attr("for_each"))
                && matches!(b.label(0), "aws_lambda_function" | "aws_iam_role" | "aws_sagemaker_endpoint")
                && !world.none_created(m, b)
            {
                // One or more instances, all configured alike: checked once, and said so.
                let problem = UndecidableProblem::Instances { address: a.clone(), meta: attr.name.clone() };
                self.problem(Problem::new(Loc::new(*file, attr.key_span), problem).resource(a.clone()));
            }
        }
    }
}

/// The `each` binding of every instance of a resource with a known `for_each` (a map, or a set
/// whose keys are its values); one instance without `each` otherwise, where `each.value` stays
/// unknown. https://developer.hashicorp.com/terraform/language/meta-arguments/for_each
fn for_each_instances(world: &World<'_>, m: usize, b: &Block) -> Vec<Vec<(String, Value)>> {
    let Some(e) = b.body.get("for_each") else { return vec![Vec::new()] };
    let collection = world.eval_at(m, e);
    let pairs: Vec<(Value, Value)> = match &collection.kind {
        ValueKind::Map(entries) => entries
            .iter()
            .map(|x| (Value::new(ValueKind::Str(SymStr::lit(&x.key)), x.key_span), x.value.clone()))
            .collect(),
        ValueKind::List(items) => items.iter().map(|v| (v.clone(), v.clone())).collect(),
        _ => return vec![Vec::new()],
    };
    pairs
        .into_iter()
        .map(|(key, value)| {
            let span = value.span;
            let each = ValueKind::Map(vec![
                ValueEntry { key: "key".into(), key_span: span, value: key },
                ValueEntry { key: "value".into(), key_span: span, value },
            ]);
            vec![("each".to_owned(), Value::new(each, span))]
        })
        .collect()
}
