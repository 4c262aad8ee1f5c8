//! Which endpoints a literal endpoint name in a function's code is checked against (SL101, SL201,
//! SL204), resolved once per run.
//!
//! A run may cover several stacks or modules. An endpoint whose name the files do not tell (a
//! parameter without default) could have any name, but only where the function can plausibly mean
//! it: in the same template, or in a template of the same folder or of a folder above or below
//! (nested stacks, Terraform modules). Likewise the endpoints defined in an unrelated stack do not
//! make every other name "unknown"; only a near miss of one of them (a typo) is reported there.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::model::{Endpoint, Model, Target};
use crate::span::FileId;

/// Beyond this many endpoints in the run, near misses are searched only in the function's own
/// stack or module, so the search stays linear in the size of the run.
const GLOBAL_SUGGESTION_LIMIT: usize = 500;

/// What can be said about a literal endpoint name.
#[derive(Clone)]
pub(crate) enum NameCheck<'m> {
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

/// Every call's literal endpoint name checked, per function and call (`None` for a call whose
/// target is not a literal name). Each (function file, name) is resolved once; functions of one
/// file share their scope, computed once from an index of endpoints by folder.
pub(crate) fn resolve_all<'m>(model: &'m Model, parallel: bool) -> Vec<Vec<Option<NameCheck<'m>>>> {
    let names = EndpointNames::new(model);
    // The files of functions with a literal name to check, each scoped once.
    let mut files: Vec<FileId> = model
        .functions
        .iter()
        .filter(|f| f.calls.iter().any(|c| matches!(c.target, Target::Name { .. })))
        .map(|f| f.loc.file)
        .collect();
    files.sort_unstable();
    files.dedup();
    let scopes: HashMap<FileId, Scope> =
        files.iter().copied().zip(super::map_in_order(&files, parallel, |_, f| names.scope_of(*f))).collect();
    super::map_in_order(&model.functions, parallel, |_, function| {
        let scope = scopes.get(&function.loc.file);
        let mut said: Vec<(&str, NameCheck<'m>)> = Vec::new();
        function
            .calls
            .iter()
            .map(|call| {
                let Target::Name { name, .. } = &call.target else { return None };
                let scope = scope?;
                if let Some((_, check)) = said.iter().find(|(n, _)| *n == name.as_str()) {
                    return Some(check.clone());
                }
                let check = names.check(scope, name);
                said.push((name.as_str(), check.clone()));
                Some(check)
            })
            .collect()
    })
}

/// True when an endpoint defined in `a` may be the one a function defined in `b` addresses by
/// name: same file, directories that are the same or one inside the other, or a nested stack of
/// `b`'s template (whose parameters the parent may set). [`FolderIndex`] answers the same question
/// for every `a` at once; this is its definition, kept for the tests that hold the two equal.
#[cfg(test)]
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

/// Items (by index) defined in files, indexed so that the items related to one file (see
/// `related`) are found without walking every item of the run: by file, by folder (folders
/// above and below are ranges of the ordered map, keyed by [`folder_key`]) and by normalised path
/// (nested stacks).
struct FolderIndex<'m> {
    files: HashMap<FileId, Vec<usize>>,
    folders: BTreeMap<Vec<u8>, Vec<usize>>,
    paths: HashMap<PathBuf, Vec<usize>>,
    /// Each parent template's local nested stacks (`TemplateURL` as written), so a file's are
    /// found without scanning every nested stack of the run.
    nested: HashMap<FileId, Vec<&'m str>>,
}

/// A folder as bytes that are equal when the folders' components are, and in which every folder
/// below a folder follows it directly (a component's kind and name, components separated by 0,
/// which no name holds). Ordering `PathBuf`s compares them component by component, and an index
/// of 100,000 folders spent most of its time there; these compare as bytes.
fn folder_key(dir: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(dir.as_os_str().len() + 8);
    for (i, component) in dir.components().enumerate() {
        if i > 0 {
            key.push(0);
        }
        match component {
            Component::Prefix(prefix) => {
                key.push(1);
                key.extend_from_slice(prefix.as_os_str().as_encoded_bytes());
            }
            Component::RootDir => key.push(2),
            Component::CurDir => key.push(3),
            Component::ParentDir => key.push(4),
            Component::Normal(name) => {
                key.push(5);
                key.extend_from_slice(name.as_encoded_bytes());
            }
        }
    }
    key
}

/// Whether the folder keyed `key` is the one keyed `folder` or below it (`Path::starts_with`).
fn key_within(key: &[u8], folder: &[u8]) -> bool {
    folder.is_empty() || (key.starts_with(folder) && key.get(folder.len()).is_none_or(|b| *b == 0))
}

impl<'m> FolderIndex<'m> {
    fn new(model: &'m Model, files: impl Iterator<Item = (usize, FileId)>) -> Self {
        let mut nested: HashMap<FileId, Vec<&str>> = HashMap::new();
        for (parent_file, child) in &model.nested_stacks {
            if !child.contains("://") {
                nested.entry(*parent_file).or_default().push(child);
            }
        }
        let mut index =
            Self { files: HashMap::new(), folders: BTreeMap::new(), paths: HashMap::new(), nested };
        for (item, file) in files {
            index.files.entry(file).or_default().push(item);
            if let Some(path) = model.file_paths.get(file.0 as usize) {
                index.folders.entry(folder_key(parent(path))).or_default().push(item);
                index.paths.entry(normalize(path)).or_default().push(item);
            }
        }
        index
    }

    /// The items related to a function defined in `b`, sorted and without repeats.
    fn related_to(&self, model: &Model, b: FileId) -> Vec<usize> {
        let mut out: Vec<usize> = self.files.get(&b).cloned().unwrap_or_default();
        if let Some(b_path) = model.file_paths.get(b.0 as usize) {
            let b_dir = parent(b_path);
            let b_key = folder_key(b_dir);
            // Folders that hold `b`'s: its ancestors, each a run of its components, the empty
            // path included (a prefix of every relative and absolute one).
            let ancestors = b_key.iter().enumerate().filter(|(_, b)| **b == 0).map(|(at, _)| at);
            for end in ancestors.chain([0, b_key.len()]) {
                out.extend(self.folders.get(&b_key[..end]).into_iter().flatten());
            }
            // Folders inside `b`'s follow it in the key order.
            for (dir, items) in self.folders.range(b_key.clone()..) {
                if !key_within(dir, &b_key) {
                    break;
                }
                out.extend(items);
            }
            for child in self.nested.get(&b).into_iter().flatten() {
                out.extend(self.paths.get(&normalize(&b_dir.join(child))).into_iter().flatten());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What a function's file can address by name: the known endpoints in its scope (positions in
/// the run's list of known names, declared ones included) and whether an endpoint whose name the
/// files do not tell is in it.
pub(crate) struct Scope {
    in_scope: Vec<usize>,
    masked: bool,
}

/// The run's endpoint names, gathered once.
struct EndpointNames<'m> {
    model: &'m Model,
    known: Vec<(&'m str, Option<&'m Endpoint>)>,
    names: HashSet<&'m str>,
    /// Positions in `known` of the names `sagelint.toml` declares (in every scope).
    declared: Vec<usize>,
    /// `known`'s defined endpoints, by position, indexed by where they are defined.
    known_index: FolderIndex<'m>,
    /// Endpoints whose name the files do not tell, indexed by where they are defined.
    unknown_index: FolderIndex<'m>,
}

impl<'m> EndpointNames<'m> {
    fn new(model: &'m Model) -> Self {
        let known: Vec<(&str, Option<&Endpoint>)> = model.known_endpoint_names().collect();
        let names = known.iter().map(|(n, _)| *n).collect();
        let declared = known.iter().enumerate().filter(|(_, (_, e))| e.is_none()).map(|(i, _)| i).collect();
        let known_index = FolderIndex::new(
            model,
            known.iter().enumerate().filter_map(|(i, (_, e))| Some((i, (*e)?.loc.file))),
        );
        let unknown = model
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name.as_ref().is_some_and(|n| !n.is_literal()))
            .map(|(i, e)| (i, e.loc.file));
        let unknown_index = FolderIndex::new(model, unknown);
        Self { model, known, names, declared, known_index, unknown_index }
    }

    fn scope_of(&self, file: FileId) -> Scope {
        let masked = !self.unknown_index.related_to(self.model, file).is_empty();
        let mut in_scope = self.known_index.related_to(self.model, file);
        in_scope.extend(&self.declared);
        in_scope.sort_unstable();
        in_scope.dedup();
        Scope { in_scope, masked }
    }

    fn check(&self, scope: &Scope, name: &str) -> NameCheck<'m> {
        if self.names.contains(name) {
            return NameCheck::Known;
        }
        if scope.masked {
            return NameCheck::Masked;
        }
        let known = &self.known;
        let mut candidates: Vec<(&str, Option<&Endpoint>)> =
            scope.in_scope.iter().map(|&i| known[i]).collect();
        if !candidates.is_empty() {
            if known.len() <= GLOBAL_SUGGESTION_LIMIT {
                candidates.extend(
                    known
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| scope.in_scope.binary_search(i).is_err())
                        .map(|(_, k)| *k),
                );
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
pub(crate) fn suggestion<'m>(
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
    use super::{FolderIndex, is_typo_of, related};
    use crate::model::Model;
    use crate::span::FileId;

    /// The index finds, for every file, exactly the files `related` names: same file, folders
    /// above and below (the empty and the root folder included), nested stacks, and none of the
    /// neighbours whose names only share a prefix (`app` and `app-v2`).
    #[test]
    fn the_folder_index_agrees_with_the_definition() {
        let paths = [
            "app/template.yaml",
            "app/nested/child.yaml",
            "app-v2/template.yaml",
            "app/deeper/x/y.yaml",
            "other/template.yaml",
            "top.yaml",
            "./app/dot.yaml",
            "/abs/stack/a.yaml",
            "/abs/b.yaml",
            "other/parent.yaml",
            "stacks/child.yaml",
            "../up/t.yaml",
            "app.d/t.yaml",
            "app/./dotted/t.yaml",
            "/abs/stack-x/c.yaml",
        ];
        let model = Model {
            file_paths: paths.iter().map(std::path::PathBuf::from).collect(),
            nested_stacks: vec![
                (FileId(9), "../stacks/child.yaml".to_owned()),
                (FileId(9), "s3://b/k".to_owned()),
            ],
            ..Model::default()
        };
        let files: Vec<FileId> = (0..=u32::try_from(paths.len()).unwrap_or(0)).map(FileId).collect();
        let index = FolderIndex::new(&model, files.iter().copied().enumerate());
        for &b in &files {
            let expected: Vec<usize> =
                files.iter().enumerate().filter(|(_, a)| related(&model, **a, b)).map(|(i, _)| i).collect();
            assert_eq!(index.related_to(&model, b), expected, "items related to {b:?}");
        }
    }

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
