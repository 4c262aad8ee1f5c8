//! Terraform input: HCL (`.tf`), JSON (`.tf.json`) and `terraform show -json` plans, read into one
//! configuration tree and built into the same model CloudFormation templates produce.
//! Facts: aws-semantics.md §9.

pub mod ast;
mod build;
mod funcs;
mod function;
pub mod hcl;
mod lambda_module;
pub mod module;
mod network;
pub mod plan;
mod policy;
#[cfg(test)]
mod tests;
pub mod tfjson;

pub use policy::UNREADABLE as UNREADABLE_POLICY;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Model;
use crate::model::cfn::{BuildOptions, CodeCache};
use crate::source::{SourceMap, normalize_path};
use crate::span::FileId;
use ast::{Body, ExprKind};
use module::{Module, World};

impl crate::model::Function {
    /// True for a function built from Terraform (its id is an address such as
    /// `aws_lambda_function.scorer`; CloudFormation logical ids cannot contain dots), so help text
    /// can speak Terraform.
    #[must_use]
    pub fn from_terraform(&self) -> bool {
        self.id.starts_with("aws_lambda_function.") || self.id.contains(".aws_lambda_function.")
    }
}

/// What kind of Terraform file a body came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfKind {
    Config,
    Tfvars,
    Plan,
}

/// One parsed Terraform file, placed in the run's sources.
#[derive(Debug)]
pub struct TfFile {
    pub file: FileId,
    pub path: PathBuf,
    pub kind: TfKind,
    pub body: Body,
    /// The file did not parse (SL001): its module's references are not checked.
    pub broken: bool,
    /// Named on the command line (not found by walking a folder).
    pub explicit: bool,
}

/// True for file names Terraform reads as configuration or variable values.
#[must_use]
pub fn tf_kind_of_name(path: &Path) -> Option<TfKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let config = [".tf", ".tf.json"].iter().any(|ext| name.ends_with(ext));
    if config {
        Some(TfKind::Config)
    } else if ["terraform.tfvars", "terraform.tfvars.json"].contains(&name.as_str())
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
    {
        Some(TfKind::Tfvars)
    } else {
        None
    }
}

/// Builds every Terraform root module (each folder not called as a local child module of another
/// scanned folder, and each plan) into the model.
pub fn build(
    model: &mut Model,
    sources: &mut SourceMap,
    cache: &mut CodeCache,
    files: &[TfFile],
    options: &BuildOptions,
) {
    let first_issue = model.issues.len();
    let mut dirs: BTreeMap<PathBuf, Vec<&TfFile>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind != TfKind::Plan) {
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        dirs.entry(dir).or_default().push(f);
    }
    let mut children = std::collections::BTreeSet::new();
    for (dir, fs) in &dirs {
        for f in fs {
            for b in f.body.blocks_of("module") {
                if let Some(src) = b.body.get("source")
                    && let ExprKind::Str(s) = &src.kind
                    && (s.starts_with("./") || s.starts_with("../"))
                {
                    let child = normalize_path(&dir.join(s));
                    // A module calling its own folder is invalid; it must not hide the folder.
                    if child != normalize_path(dir) {
                        children.insert(child);
                    }
                }
            }
        }
    }
    for (dir, fs) in &dirs {
        if children.contains(&normalize_path(dir)) {
            continue;
        }
        build_root(model, sources, cache, dir, fs, &dirs, options);
    }
    for f in files.iter().filter(|f| f.kind == TfKind::Plan) {
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        // A plan saved next to the configuration it was made from describes the same resources:
        // the configuration is read (its spans are the user's), the plan only when named.
        let beside_config = dirs.get(&dir).is_some_and(|fs| fs.iter().any(|c| c.kind == TfKind::Config));
        if beside_config && !f.explicit {
            continue;
        }
        build_root(model, sources, cache, &dir, &[f], &BTreeMap::new(), options);
    }
    // A child module called several times is still one set of files: its input problems are
    // reported once.
    let mut seen = std::collections::BTreeSet::new();
    let mut added = model.issues.split_off(first_issue);
    added.retain(|issue| {
        let loc = issue.finding.primary.as_ref().map(|l| l.loc);
        seen.insert((issue.kind as u8, loc, issue.finding.message.clone()))
    });
    model.issues.extend(added);
}

fn build_root<'a>(
    model: &mut Model,
    sources: &mut SourceMap,
    cache: &mut CodeCache,
    dir: &Path,
    files: &[&'a TfFile],
    all: &BTreeMap<PathBuf, Vec<&'a TfFile>>,
    options: &BuildOptions,
) {
    let mut modules = Vec::new();
    let mut root = Module {
        dir: dir.to_path_buf(),
        blocks: Vec::new(),
        address: String::new(),
        tfvars: BTreeMap::new(),
        parent: None,
        complete: files.iter().all(|f| !f.broken),
    };
    let mut tfvars: Vec<&TfFile> = files.iter().copied().filter(|f| f.kind == TfKind::Tfvars).collect();
    // `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)` in lexical order:
    // later files win (Terraform's variable definition precedence).
    tfvars.sort_by_key(|f| {
        let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let base = name.starts_with("terraform.tfvars");
        let json = f.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        (!base, base && json, f.path.clone())
    });
    for f in tfvars {
        for a in &f.body.attrs {
            root.tfvars.insert(a.name.clone(), (f.file, &a.value));
        }
    }
    // A plan's child-module resources carry their module address; each module gets its own scope
    // so that `aws_iam_role.this` inside it means its own role.
    let mut plan_children: BTreeMap<&str, Vec<(FileId, &'a ast::Block)>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind != TfKind::Tfvars) {
        for b in &f.body.blocks {
            if b.prefix.is_empty() {
                root.blocks.push((f.file, b));
            } else {
                plan_children.entry(b.prefix.as_str()).or_default().push((f.file, b));
            }
        }
    }
    let complete = root.complete;
    modules.push(root);
    for (prefix, blocks) in plan_children {
        modules.push(Module {
            dir: dir.to_path_buf(),
            blocks,
            address: prefix.to_owned(),
            tfvars: BTreeMap::new(),
            parent: None,
            complete,
        });
    }
    // Local child modules, breadth first; a module calling itself is cut off by depth.
    let mut i = 0;
    while i < modules.len() && modules.len() < 256 {
        let calls: Vec<(FileId, &'a ast::Block)> =
            modules[i].blocks.iter().filter(|(_, b)| b.kind == "module").copied().collect();
        for (file, call) in calls {
            let Some(src) = call.body.get("source") else { continue };
            let ExprKind::Str(s) = &src.kind else { continue };
            if !(s.starts_with("./") || s.starts_with("../")) {
                continue;
            }
            let child_dir = normalize_path(&modules[i].dir.join(s));
            // A module that (indirectly) calls its own folder would nest forever.
            let mut ancestor = Some(i);
            let mut cycle = false;
            while let Some(a) = ancestor {
                cycle |= normalize_path(&modules[a].dir) == child_dir;
                ancestor = modules[a].parent.map(|(p, _, _)| p);
            }
            if cycle {
                continue;
            }
            let Some(child_files) = all.iter().find(|(d, _)| normalize_path(d) == child_dir).map(|(_, f)| f)
            else {
                continue;
            };
            let mut child = Module {
                dir: child_dir,
                blocks: Vec::new(),
                address: format!("{}module.{}.", modules[i].address, call.label(0)),
                tfvars: BTreeMap::new(),
                parent: Some((i, file, call)),
                complete: child_files.iter().all(|f| !f.broken),
            };
            if child.address.matches("module.").count() > 8 {
                continue;
            }
            for f in child_files.iter().filter(|f| f.kind == TfKind::Config) {
                child.blocks.extend(f.body.blocks.iter().map(|b| (f.file, b)));
            }
            modules.push(child);
        }
        i += 1;
    }
    let world = World {
        modules,
        deployment: &options.deployment,
        params: &options.params,
        scope: std::cell::RefCell::new(Vec::new()),
    };
    let mut builder = build::Builder::new(&world, model, options.scan_code);
    builder.run(sources, cache);
}
