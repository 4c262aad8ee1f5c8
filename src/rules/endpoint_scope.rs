//! Which endpoints a literal endpoint name in a function's code is checked against (SL101, SL201,
//! SL204).
//!
//! A run may cover several stacks or modules. An endpoint whose name the files do not tell (a
//! parameter without default) could have any name, but only where the function can plausibly mean
//! it: in the same template, or in a template of the same folder or of a folder above or below
//! (nested stacks, Terraform modules). Likewise the endpoints defined in an unrelated stack do not
//! make every other name "unknown"; only a near miss of one of them (a typo) is reported there.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::model::{Endpoint, Function, Model};
use crate::span::FileId;

/// Beyond this many endpoints in the run, near misses are searched only in the function's own
/// stack or module, so the search stays linear in the size of the run.
const GLOBAL_SUGGESTION_LIMIT: usize = 500;

/// What can be said about a literal endpoint name.
pub(super) enum NameCheck<'m> {
    /// A known endpoint has this name.
    Known,
    /// An endpoint of the function's stack or module has a name the files do not tell: the
    /// name may be its, so it cannot be checked.
    Masked,
    /// Endpoints the call may address are known and none has this name; `candidates` are the
    /// names to suggest from (the function's scope first).
    Mismatch { candidates: Vec<(&'m str, Option<&'m Endpoint>)> },
    /// No endpoint the call may address is known (SL204).
    Unchecked,
}

/// True when an endpoint defined in `a` may be the one a function defined in `b` addresses by
/// name: same file, directories that are the same or one inside the other, or a nested stack of
/// `b`'s template (whose parameters the parent may set).
fn related(model: &Model, a: FileId, b: FileId) -> bool {
    if a == b {
        return true;
    }
    let path = |f: FileId| model.file_paths.get(f.0 as usize);
    let (Some(a_path), Some(b_path)) = (path(a), path(b)) else { return false };
    let (a_dir, b_dir) = (parent(a_path), parent(b_path));
    if a_dir.starts_with(b_dir) || b_dir.starts_with(a_dir) {
        return true;
    }
    let a_path = normalize(a_path);
    model.nested_stacks.iter().any(|(parent_file, child)| {
        *parent_file == b && !child.contains("://") && normalize(&b_dir.join(child)) == a_path
    })
}

fn parent(p: &Path) -> &Path {
    p.parent().unwrap_or(Path::new(""))
}

/// `a/b/../c` as `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The run's endpoint names, gathered once per rule.
pub(super) struct EndpointNames<'m> {
    model: &'m Model,
    known: Vec<(&'m str, Option<&'m Endpoint>)>,
    names: HashSet<&'m str>,
    /// Endpoints whose name the files do not tell (usually few).
    unknown: Vec<&'m Endpoint>,
}

impl<'m> EndpointNames<'m> {
    pub(super) fn new(model: &'m Model) -> Self {
        let known: Vec<(&str, Option<&Endpoint>)> = model.known_endpoint_names().collect();
        let names = known.iter().map(|(n, _)| *n).collect();
        let unknown =
            model.endpoints.iter().filter(|e| e.name.as_ref().is_some_and(|n| !n.is_literal())).collect();
        Self { model, known, names, unknown }
    }

    pub(super) fn check(&self, function: &Function, name: &str) -> NameCheck<'m> {
        if self.names.contains(name) {
            return NameCheck::Known;
        }
        let here = |e: &Endpoint| related(self.model, e.loc.file, function.loc.file);
        if self.unknown.iter().any(|e| here(e)) {
            return NameCheck::Masked;
        }
        let in_scope = |e: Option<&Endpoint>| e.is_none_or(here);
        let known = &self.known;
        let mut candidates: Vec<(&str, Option<&Endpoint>)> =
            known.iter().copied().filter(|(_, e)| in_scope(*e)).collect();
        if !candidates.is_empty() {
            if known.len() <= GLOBAL_SUGGESTION_LIMIT {
                candidates.extend(known.iter().copied().filter(|(_, e)| !in_scope(*e)));
            }
            return NameCheck::Mismatch { candidates };
        }
        // Outside its scope a name is reported only when it is a plain typo of a known one: an
        // unrelated stack's `fraud-ep` says nothing about an external `fraud-xgb`, nor `churn-v2`
        // about `churn-v1`.
        let twin = (known.len() <= GLOBAL_SUGGESTION_LIMIT)
            .then(|| known.iter().copied().find(|(n, _)| is_typo_of(name, n)))
            .flatten();
        match twin {
            Some(twin) => NameCheck::Mismatch { candidates: vec![twin] },
            None => NameCheck::Unchecked,
        }
    }
}

/// `name` differs from `known` only in case, or by one character typed wrong, missing, extra or
/// swapped with its neighbour, and not in a digit (a version suffix is a different endpoint).
fn is_typo_of(name: &str, known: &str) -> bool {
    if name.eq_ignore_ascii_case(known) {
        return true;
    }
    let a: Vec<char> = name.to_lowercase().chars().collect();
    let b: Vec<char> = known.to_lowercase().chars().collect();
    let digits = |s: &[char]| s.iter().filter(|c| c.is_ascii_digit()).copied().collect::<Vec<char>>();
    digits(&a) == digits(&b) && within_one_edit(&a, &b)
}

/// Optimal-string-alignment distance of at most one (a transposition counts as one edit).
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (0, 0) => true,
        (x, y) if x == y => a[1..] == b[1..] || (x >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]),
        (x, y) if x + 1 == y => a == &b[1..],
        (x, y) if y + 1 == x => &a[1..] == b,
        _ => false,
    }
}

/// The known name `name` most likely misspells: one differing only in case, else the closest.
pub(super) fn suggestion<'m>(
    name: &str,
    candidates: &[(&'m str, Option<&'m Endpoint>)],
) -> Option<(&'m str, Option<&'m Endpoint>)> {
    let case_twin = candidates.iter().copied().find(|(n, _)| n.eq_ignore_ascii_case(name));
    case_twin.or_else(|| {
        let close = crate::text::closest(name, candidates.iter().map(|(n, _)| *n))?;
        candidates.iter().copied().find(|(n, _)| *n == close)
    })
}

#[cfg(test)]
mod tests {
    use super::is_typo_of;

    #[test]
    fn typos_are_one_slip_away() {
        assert!(is_typo_of("churn-modle", "churn-model"));
        assert!(is_typo_of("chrun-ep", "churn-ep"));
        assert!(is_typo_of("Churn-Model", "churn-model"));
        assert!(is_typo_of("churn-mdel", "churn-model"));
        assert!(is_typo_of("churn-modell", "churn-model"));
        assert!(!is_typo_of("fraud-xgb", "fraud-ep"));
        assert!(!is_typo_of("churn-v1", "churn-v2"));
        assert!(!is_typo_of("churn-v12", "churn-v1"));
        assert!(!is_typo_of("sentiment-bert", "sentiment-v2"));
    }
}
