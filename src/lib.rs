//! sagelint: checks, before deployment, that an API Gateway → Lambda → SageMaker endpoint chain will
//! work: the execution role may invoke the endpoint, the code names an endpoint that exists, and a
//! function in a VPC can reach the SageMaker runtime.
//!
//! Layers: `syntax` owns where things are (span-preserving trees), `model` owns what they mean
//! (functions, roles, policies, endpoints), `iam` decides requests, `analysis` computes the facts
//! rules share once per run, `rules` read them and word findings, `report` renders. The public API
//! is small: [`lint`] and the pure cores `iam`, `source`.
#![forbid(unsafe_code)]

pub(crate) mod analysis;
pub mod baseline;
pub mod cli;
pub mod code;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod formats;
pub mod fsread;
mod git_index;
pub mod iam;
pub mod link;
mod load;
pub mod model;
mod named_code;
pub mod report;
pub mod rules;
pub mod source;
pub mod span;
pub mod suppress;
mod sync;
pub mod syntax;
pub mod text;
pub mod value;

use std::path::{Path, PathBuf};

pub use load::{LintOptions, Outcome, Phases, lint, load_policy_file, read_named};

/// A path as reports show it: relative to the current directory when below it. The directory is
/// read once per process (sagelint never changes it): a run shows hundreds of paths, and asking
/// the kernel each time was a system call per file.
#[must_use]
pub fn display_path(path: &Path) -> String {
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().unwrap_or_default());
    let absolute = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
    let shown: PathBuf = match absolute.strip_prefix(cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => absolute,
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").map_or(text.clone(), str::to_owned);
    // The folder the run started in is itself a path a message may name.
    if text.is_empty() { ".".to_owned() } else { text }
}
