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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::formats::{BuildOptions, CodeCache};
use crate::model::Model;
use crate::model::problem::{ParseProblem, Problem};
use crate::source::{SourceMap, normalize_path};
use crate::span::{FileId, Loc};
use ast::{Body, ExprKind};
use module::{Module, World};

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
    let first_problem = model.problems.len();
    let mut dirs: BTreeMap<PathBuf, Vec<&TfFile>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind != TfKind::Plan) {
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        dirs.entry(dir).or_default().push(f);
    }
    let roots = root_dirs(&dirs);
    for (dir, fs) in &dirs {
        if roots.contains(&normalize_path(dir)) {
            build_root(model, sources, cache, dir, fs, &dirs, options);
        }
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
    // The same problem from two instances differs only in the resource address.
    let added = model.problems.split_off(first_problem);
    for problem in added {
        let seen =
            model.problems[first_problem..].iter().any(|p| p.loc == problem.loc && p.kind == problem.kind);
        if !seen {
            model.problems.push(problem);
        }
    }
}

/// The `source` of a `module` block when it is a local folder.
pub(crate) fn local_source(b: &ast::Block) -> Option<&str> {
    match &b.body.get("source")?.kind {
        ExprKind::Str(s) if s.starts_with("./") || s.starts_with("../") => Some(s),
        _ => None,
    }
}

/// The folders built as root modules (normalised): those no other scanned folder calls as a local
/// child module. Folders that call each other (a cycle, which Terraform cannot initialise) and
/// that no folder outside the cycle calls are built once, from the shallowest of them, where the
/// cycle is reported: a cycle must not hide the findings of the folders in it.
fn root_dirs(dirs: &BTreeMap<PathBuf, Vec<&TfFile>>) -> BTreeSet<PathBuf> {
    let known: BTreeSet<PathBuf> = dirs.keys().map(|d| normalize_path(d)).collect();
    let mut calls: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut callers: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (dir, fs) in dirs {
        let from = normalize_path(dir);
        for b in fs.iter().flat_map(|f| f.body.blocks_of("module")) {
            let Some(s) = local_source(b) else { continue };
            let to = normalize_path(&dir.join(s));
            if known.contains(&to) {
                calls.entry(from.clone()).or_default().insert(to.clone());
                callers.entry(to).or_default().insert(from.clone());
            }
        }
    }
    let mut reach_memo: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut reach = |from: &PathBuf| -> BTreeSet<PathBuf> {
        reach_memo
            .entry(from.clone())
            .or_insert_with(|| {
                let mut seen = BTreeSet::new();
                let mut todo = vec![from];
                while let Some(x) = todo.pop() {
                    for c in calls.get(x).into_iter().flatten() {
                        if seen.insert(c.clone()) {
                            todo.push(c);
                        }
                    }
                }
                seen
            })
            .clone()
    };
    let mut roots = BTreeSet::new();
    for dir in &known {
        if !callers.contains_key(dir) {
            roots.insert(dir.clone());
            continue;
        }
        let mine = reach(dir);
        if !mine.contains(dir) {
            continue;
        }
        // The folders in a cycle with this one, itself included.
        let cycle: BTreeSet<PathBuf> = mine.iter().filter(|x| reach(x).contains(dir)).cloned().collect();
        let outside = cycle.iter().any(|x| callers.get(x).is_some_and(|by| !by.is_subset(&cycle)));
        let first = cycle.iter().min_by_key(|x| x.components().count());
        if !outside && first == Some(dir) {
            roots.insert(dir.clone());
        }
    }
    roots
}

/// SL001 for a `module` block whose `source` is a folder on its own call chain: `chain` holds the
/// calling module and its ancestors up to the one in that folder, innermost first. Terraform
/// cannot initialise such a configuration: `terraform init` nests the modules until the path is
/// too long (hashicorp/terraform#22648, #31557).
fn cycle_problem(modules: &[Module<'_>], chain: &[usize], file: FileId, call: &ast::Block) -> Problem {
    let mut folders: Vec<PathBuf> = chain.iter().rev().map(|&m| normalize_path(&modules[m].dir)).collect();
    folders.push(folders[0].clone());
    let src = call.body.get("source").map_or(call.head, |e| e.span);
    // The call that entered the cycle, when it is another module block.
    let entered_at = match chain {
        [.., entered, _] => modules[*entered].parent.map(|(_, f, b)| {
            let span = b.body.get("source").map_or(b.head, |e| e.span);
            Loc::new(f, span)
        }),
        _ => None,
    };
    let problem = ParseProblem::ModuleCycle { folders, calls_itself: chain.len() == 1, entered_at };
    Problem::new(Loc::new(file, src), problem)
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
    // A plan module's variables take their values from the call in its parent module, which the
    // plan reader writes there as a `module` block: `module.a["k"].module.b.` is called as `b`
    // from `module.a["k"].`. The parent is the longest module address that the child's extends
    // with `module.<call>` (an instance key may itself contain `module.`).
    for i in 1..modules.len() {
        let mut parent = None;
        for (p, m) in modules.iter().enumerate() {
            let Some(rest) = modules[i].address.strip_prefix(m.address.as_str()) else { continue };
            let Some(rest) = rest.strip_prefix("module.").filter(|_| p != i) else { continue };
            let call = rest.split(['[', '.']).next().unwrap_or(rest);
            let found = m.blocks.iter().find(|(_, b)| b.kind == "module" && b.label(0) == call);
            if let Some(&(file, b)) = found
                && parent.is_none_or(|(q, _, _): (usize, FileId, &ast::Block)| {
                    modules[q].address.len() < m.address.len()
                })
            {
                parent = Some((p, file, b));
            }
        }
        modules[i].parent = parent;
    }
    // Local child modules, breadth first. A call back into a folder on the way from the root
    // (the caller's own, or one that led to it) would nest forever: it is reported and not followed.
    let mut i = 0;
    while i < modules.len() && modules.len() < 256 {
        let calls: Vec<(FileId, &'a ast::Block)> =
            modules[i].blocks.iter().filter(|(_, b)| b.kind == "module").copied().collect();
        for (file, call) in calls {
            let Some(s) = local_source(call) else { continue };
            let child_dir = normalize_path(&modules[i].dir.join(s));
            // The modules from this one up to the one in the called folder, innermost first.
            let mut chain = vec![i];
            while normalize_path(&modules[chain[chain.len() - 1]].dir) != child_dir {
                match modules[chain[chain.len() - 1]].parent {
                    Some((p, _, _)) => chain.push(p),
                    None => break,
                }
            }
            if normalize_path(&modules[chain[chain.len() - 1]].dir) == child_dir {
                model.problems.push(cycle_problem(&modules, &chain, file, call));
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
    // References into whole resource values are found in a world of the modules as written; the
    // world the build uses follows each to the reference it stands for.
    let first = World::new(modules, &options.deployment, &options.params);
    let objects = first.object_references();
    let mut world = World::new(first.into_modules(), &options.deployment, &options.params);
    world.follow_objects(&objects);
    let mut builder = build::Builder::new(&world, model, options.scan_code);
    builder.run(sources, cache);
}
