//! Local child modules the scanned Terraform calls from folders the walk did not list:
//! `source = "../../modules/fn"` in `envs/dev`, the folder `terraform apply` runs in, when only
//! `envs/dev` is scanned. Terraform builds the module as part of that configuration, so it is read
//! (within the run's scope, the repository) and built with it; a module that cannot be read is
//! said (SL003), never skipped in silence.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Gathered, LintOptions, load_isolated};
use crate::discover::Candidate;
use crate::formats::terraform::{TfKind, local_source, tf_kind_of_name};
use crate::fsread::Scope;
use crate::model::problem::{Problem, UndecidableProblem};
use crate::source::{normalize_path, or_current_folder};
use crate::span::Loc;

/// Module folders read beyond the walk, at most: a chain of calls out of the scanned folder is
/// short in real configurations, and the cap bounds a pathological one.
const MAX_FOLDERS: usize = 64;

/// Files of one module folder read, at most.
const MAX_FILES: usize = 256;

impl Gathered {
    /// Reads the local modules that the Terraform read so far calls from outside the scanned
    /// `paths`, and the modules those call, so that each configuration is built whole.
    pub(super) fn add_called_modules(&mut self, paths: &[PathBuf], scope: &Scope, options: &LintOptions) {
        let roots: Vec<PathBuf> = paths.iter().map(|p| normalize_path(&absolute(p))).collect();
        let mut known: BTreeSet<PathBuf> = self
            .terraform
            .iter()
            .filter_map(|f| f.path.parent())
            .map(|d| normalize_path(&absolute(d)))
            .collect();
        let mut looked = 0;
        let mut next = 0;
        while next < self.terraform.len() && looked < MAX_FOLDERS {
            let mut wanted = Vec::new();
            let mut missing = Vec::new();
            for f in self.terraform[next..].iter().filter(|f| f.kind == TfKind::Config) {
                let dir = f.path.parent().unwrap_or(Path::new(""));
                for b in f.body.blocks_of("module") {
                    let Some(source) = local_source(b) else { continue };
                    let to = or_current_folder(&normalize_path(&dir.join(source))).to_path_buf();
                    let key = normalize_path(&absolute(&to));
                    if !known.insert(key.clone()) {
                        continue;
                    }
                    let at = Loc::new(f.file, b.body.get("source").map_or(b.head, |e| e.span));
                    // A folder under a scanned path was walked: what of it is not read, the walk
                    // left out on purpose (an ignore file, `--exclude`). Only a folder that is not
                    // there is news.
                    if roots.iter().any(|r| key.starts_with(r)) {
                        if !to.is_dir() {
                            let problem = UndecidableProblem::LocalModuleUnread {
                                module: b.label(0).to_owned(),
                                dir: to,
                                missing: true,
                            };
                            missing.push(Problem::new(at, problem));
                        }
                        continue;
                    }
                    wanted.push((to, b.label(0).to_owned(), at));
                }
            }
            next = self.terraform.len();
            self.model.problems.append(&mut missing);
            for (dir, module, at) in wanted {
                if looked == MAX_FOLDERS {
                    break;
                }
                looked += 1;
                let files = module_files(&dir, scope);
                if files.is_empty() {
                    // Not a folder, or one without Terraform files; else the scope refused it.
                    let missing = !dir.is_dir() || allowed(&dir, scope);
                    let problem = UndecidableProblem::LocalModuleUnread { module, dir, missing };
                    self.model.problems.push(Problem::new(at, problem));
                    continue;
                }
                for path in files {
                    let candidate = Candidate { path, explicit: false };
                    let loaded = load_isolated(&candidate, scope);
                    self.add(&candidate, loaded, options);
                }
            }
        }
    }
}

/// The Terraform configuration files of a module folder the scope allows (`.tf`, `.tf.json`; a
/// child module's `.tfvars` are not read by Terraform), in name order.
fn module_files(dir: &Path, scope: &Scope) -> Vec<PathBuf> {
    if !allowed(dir, scope) {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| tf_kind_of_name(p) == Some(TfKind::Config))
        .take(MAX_FILES)
        .collect();
    files.sort();
    files
}

/// Whether the run may read the folder (its canonical path inside the scope).
fn allowed(dir: &Path, scope: &Scope) -> bool {
    std::fs::canonicalize(dir).is_ok_and(|canonical| scope.allows(&canonical))
}

/// `path` from the working folder, for comparing folders however the run names them.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
