//! The walk of a code folder for its helper source files, with what the `ignore` crate would
//! decide, at a fraction of its system calls when no ignore file is involved.
//!
//! A walk by `ignore::WalkBuilder` first canonicalises its root and probes every ancestor for
//! `.ignore` and `.gitignore`, then probes each folder it enters: at 10,000 generated stacks that
//! was about half of the run's `statx` calls, most of them asking again about the same ancestors.
//! Here what is known about a folder (its canonical path, kept by the run's [`Scope`], and
//! whether it holds an ignore file) is kept for the run, so shared ancestors are asked once, and a tree whose folders and ancestors
//! hold no ignore file is listed with plain `read_dir`, which sees the ignore files it would
//! have to honour in the listings themselves. Anything else (an ignore file anywhere, a symbolic
//! link on the way, `..` in the path, a listing that may reach the walk's bound) is walked by the
//! `ignore` crate as before, so the answer is the same.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::sync::lock;

use crate::fsread::Scope;

/// The names the `ignore` crate reads in each folder of a walk (with `require_git(false)`,
/// neither global nor `.git/info/exclude` rules).
const IGNORE_FILES: [&str; 2] = [".ignore", ".gitignore"];

/// An entry of a walk: its path, and whether it is (or links to) a regular file.
pub(super) type WalkedEntry = (PathBuf, bool);

/// What a plain walk saw.
#[derive(Default)]
pub(super) struct PlainWalk {
    pub(super) entries: Vec<WalkedEntry>,
    /// Every name in the root folder, hidden ones included (at most `vendored::MAX_LISTED`).
    pub(super) root_names: Vec<OsString>,
}

/// Folder facts kept for a run (the file system is taken not to change while it is read).
#[derive(Default)]
pub(super) struct FolderFacts {
    /// Canonical folder → whether it holds neither `.ignore` nor `.gitignore`.
    ignore_free: Mutex<HashMap<PathBuf, bool>>,
}

impl FolderFacts {
    /// The entries under `dir` down to `max_depth` (the root excluded), as a walk of
    /// `ignore::WalkBuilder::new(dir)` with `require_git(false)`, `git_global(false)`,
    /// `git_exclude(false)` would yield them, in some order, or `None` when that walk must be
    /// asked: an ignore file applies, a path needs resolving, or the tree has more than `limit`
    /// entries (a caller that stops early depends on the crate's order).
    pub(super) fn plain_walk(
        &self,
        dir: &Path,
        scope: &Scope,
        max_depth: usize,
        limit: usize,
    ) -> Option<PlainWalk> {
        // A root that is a link is the crate's to walk: it must be seen to be one.
        let canonical = scope.canonical_folder(dir).filter(|c| !c.resolved_whole)?.path;
        if !canonical.ancestors().skip(1).all(|a| self.is_ignore_free(a)) {
            return None;
        }
        let mut walk = PlainWalk::default();
        list(dir, 1, max_depth, limit, &mut walk)?;
        Some(walk)
    }

    /// Whether the canonical folder `dir` holds no `.ignore` or `.gitignore` (anything by those
    /// names counts, even a dangling link: the crate is then asked).
    fn is_ignore_free(&self, dir: &Path) -> bool {
        if let Some(known) = lock(&self.ignore_free).get(dir) {
            return *known;
        }
        let free = IGNORE_FILES.iter().all(|name| std::fs::symlink_metadata(dir.join(name)).is_err());
        lock(&self.ignore_free).insert(dir.to_path_buf(), free);
        free
    }

    /// Empties what is kept once every file is read, and returns it.
    pub(super) fn empty(&self) -> HashMap<PathBuf, bool> {
        std::mem::take(&mut *lock(&self.ignore_free))
    }
}

/// Appends the entries of `dir` (at `depth`) and below to `out`, the way the crate's walk skips
/// them: hidden names, folders below `max_depth`, unreadable folders. `None` when a folder holds
/// an ignore file or `out` passes `limit`.
fn list(dir: &Path, depth: usize, max_depth: usize, limit: usize, walk: &mut PlainWalk) -> Option<()> {
    // An unreadable folder yields an error the caller's walk drops.
    let Ok(entries) = std::fs::read_dir(dir) else { return Some(()) };
    let mut folders = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        if IGNORE_FILES.iter().any(|f| name == *f) {
            return None;
        }
        if depth == 1 {
            if walk.root_names.len() == super::vendored::MAX_LISTED {
                return None;
            }
            walk.root_names.push(name.clone());
        }
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { return None };
        // `Path::is_file` follows a link, as the helper filter does on the crate's entries.
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        if kind.is_dir() && depth < max_depth {
            folders.push(path.clone());
        }
        walk.entries.push((path, is_file));
        if walk.entries.len() > limit {
            return None;
        }
    }
    for folder in folders {
        list(&folder, depth + 1, max_depth, limit, walk)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `ignore` crate's walk yields, sorted, as `sibling_sources` asks it.
    fn crate_walk(dir: &Path) -> Vec<WalkedEntry> {
        let mut out: Vec<WalkedEntry> = ignore::WalkBuilder::new(dir)
            .require_git(false)
            .git_global(false)
            .git_exclude(false)
            .max_depth(Some(4))
            .build()
            .flatten()
            .filter(|e| e.depth() > 0)
            .map(|e| {
                let is_file = e.path().is_file();
                (e.into_path(), is_file)
            })
            .collect();
        out.sort();
        out
    }

    fn plain(facts: &FolderFacts, dir: &Path) -> Option<Vec<WalkedEntry>> {
        let mut out = facts.plain_walk(dir, &Scope::unrestricted(), 4, 200)?.entries;
        out.sort();
        Some(out)
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn a_folder_without_ignore_files_is_listed_as_the_crate_walks_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let code = root.path().join("stack/src");
        write(&code.join("app.py"), "import helper\n");
        write(&code.join("helper.py"), "");
        write(&code.join(".hidden/secret.py"), "");
        write(&code.join("a/b/c/deep.py"), "");
        write(&code.join("a/b/c/d/deeper.py"), "");
        std::fs::create_dir_all(code.join("empty")).expect("mkdir");
        let facts = FolderFacts::default();
        let listed = plain(&facts, &code).expect("no ignore file applies");
        assert_eq!(listed, crate_walk(&code));
        assert!(listed.iter().any(|(p, f)| p.ends_with("a/b/c/deep.py") && *f));
        assert!(!listed.iter().any(|(p, _)| p.ends_with("deeper.py") || p.ends_with("secret.py")));
    }

    #[test]
    fn an_ignore_file_in_the_tree_or_above_it_leaves_the_walk_to_the_crate() {
        let root = tempfile::tempdir().expect("tempdir");
        let inside = root.path().join("inside/src");
        write(&inside.join("app.py"), "");
        write(&inside.join("lib/.gitignore"), "*.py\n");
        let above = root.path().join("above/stack/src");
        write(&above.join("app.py"), "");
        write(&root.path().join("above/.ignore"), "app.py\n");
        let clean = root.path().join("clean/src");
        write(&clean.join("app.py"), "");
        let facts = FolderFacts::default();
        assert_eq!(plain(&facts, &inside), None);
        assert_eq!(plain(&facts, &above), None);
        assert!(crate_walk(&above).is_empty(), "the ancestor's .ignore is honoured");
        assert_eq!(plain(&facts, &clean), Some(crate_walk(&clean)));
    }

    #[test]
    fn the_root_listing_keeps_hidden_names_for_the_installed_packages() {
        let root = tempfile::tempdir().expect("tempdir");
        write(&root.path().join("requests-2.32.0.dist-info/top_level.txt"), "requests\n");
        write(&root.path().join(".cache.egg-info/top_level.txt"), "cached\n");
        write(&root.path().join("app.py"), "");
        let walk = FolderFacts::default()
            .plain_walk(root.path(), &Scope::unrestricted(), 4, 200)
            .expect("no ignore file");
        let mut names = walk.root_names;
        names.sort();
        let expected: Vec<OsString> =
            vec![".cache.egg-info".into(), "app.py".into(), "requests-2.32.0.dist-info".into()];
        assert_eq!(names, expected);
    }

    #[test]
    fn more_entries_than_the_bound_leave_the_walk_to_the_crate() {
        let root = tempfile::tempdir().expect("tempdir");
        for i in 0..5 {
            write(&root.path().join(format!("m{i}.py")), "");
        }
        assert!(FolderFacts::default().plain_walk(root.path(), &Scope::unrestricted(), 4, 4).is_none());
        assert!(FolderFacts::default().plain_walk(root.path(), &Scope::unrestricted(), 4, 5).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_root_is_left_to_the_crate_and_a_link_above_it_is_resolved() {
        let root = tempfile::tempdir().expect("tempdir");
        write(&root.path().join("real/src/app.py"), "");
        std::os::unix::fs::symlink(root.path().join("real"), root.path().join("link")).expect("symlink");
        let facts = FolderFacts::default();
        let scope = Scope::unrestricted();
        let names = |dir: &Path| {
            let walk = facts.plain_walk(dir, &scope, 4, 200)?;
            Some(
                walk.entries
                    .iter()
                    .map(|(p, _)| p.strip_prefix(dir).expect("below").to_owned())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(names(&root.path().join("link")), None, "a linked root is the crate's");
        assert_eq!(names(&root.path().join("link/src")), Some(vec![PathBuf::from("app.py")]));
        assert_eq!(names(&root.path().join("real/../real/src")), Some(vec![PathBuf::from("app.py")]));
        write(&root.path().join("real/.gitignore"), "*.py\n");
        let fresh = FolderFacts::default();
        assert!(
            fresh.plain_walk(&root.path().join("link/src"), &scope, 4, 200).is_none(),
            "an ignore file above the link's target is seen"
        );
    }
}
