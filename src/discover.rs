//! Which files a run reads: `.gitignore`-aware walking (also outside git), explicit paths always
//! included, and config `exclude` globs on top.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;

/// Extensions that may hold templates or policies (content decides later).
const CANDIDATE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "tf", "tfvars"];

/// A file to read, and whether the user named it explicitly.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
}

pub fn build_excludes(patterns: &[String]) -> Result<GlobSet, Error> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| Error::Usage(format!("invalid exclude pattern {p:?}: {e}")))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| Error::Usage(format!("invalid exclude patterns: {e}")))
}

/// Every candidate file under `paths`, sorted, without duplicates.
pub fn discover(paths: &[PathBuf], excludes: &GlobSet) -> Result<Vec<Candidate>, Error> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            // A path that exists but cannot be followed (a symlink loop, a dangling link) is not "missing".
            if std::fs::symlink_metadata(path).is_ok() {
                Error::Io { path: crate::display_path(path), message: e.to_string() }
            } else {
                Error::MissingPath(path.display().to_string())
            }
        })?;
        if meta.is_file() {
            out.push(Candidate { path: path.clone(), explicit: true });
            continue;
        }
        // Dependencies are never the project's templates, even where no .gitignore says so
        // (e.g. bundled CDK assets).
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != "node_modules")
            .build();
        for entry in walker.flatten() {
            let p = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let relative = p.strip_prefix(path).unwrap_or(p);
            if excludes.is_match(relative) || excludes.is_match(p) {
                continue;
            }
            if is_candidate(p) {
                out.push(Candidate { path: p.to_owned(), explicit: false });
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

fn is_candidate(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CANDIDATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Names that say "this is a CloudFormation template" even when the content cannot tell.
#[must_use]
pub fn template_like_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    name.starts_with("template.") || name.contains(".template") || name.ends_with(".template")
}
