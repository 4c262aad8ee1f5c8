//! What the discovery walk saw, kept until every file is read: the folders it entered, the
//! regular files later stages read or probe (candidates and handler source), and the regular
//! files the user named, which the scope looked at when the run began. The walk learnt each
//! one's kind from its folder's listing; asking the system again cost a `stat` per path (at
//! 10,000 stacks, 55,000 of the run's 115,000). A path the walk skipped (hidden, ignored, a
//! symbolic link) or never reached is looked at as before, except where a file of the committed
//! checkout is asked for ([`crate::fsread::Scope::is_listed_file`]): in a folder the walk
//! listed, a name it did not list is not there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Paths the walk saw, by kind. A symbolic link's kind is its target's, which the walk did not
/// look at: links are kept apart, as listed names only.
#[derive(Debug, Default)]
#[cfg_attr(test, derive(PartialEq))]
pub struct Seen {
    /// The walk's roots, as given: listed whole, but maybe through a link.
    roots: HashSet<PathBuf>,
    folders: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
    links: HashSet<PathBuf>,
}

impl Seen {
    /// A folder the walk started from.
    pub fn add_root(&mut self, path: PathBuf) {
        self.roots.insert(path);
    }

    /// A folder the walk entered (not a link to one).
    pub fn add_folder(&mut self, path: PathBuf) {
        self.folders.insert(path);
    }

    /// A regular file the walk listed (not a link to one).
    pub fn add_file(&mut self, path: PathBuf) {
        self.files.insert(path);
    }

    /// A symbolic link the walk listed (by a name it keeps files by).
    pub fn add_link(&mut self, path: PathBuf) {
        self.links.insert(path);
    }

    /// Everything `other` saw too. The walking threads' parts are merged into the larger set:
    /// at 10,000 stacks each thread saw about 15,000 paths, and hashing them all again into an
    /// empty set was serial time after the walk.
    pub fn extend(&mut self, other: Seen) {
        merge(&mut self.roots, other.roots);
        merge(&mut self.folders, other.folders);
        merge(&mut self.files, other.files);
        merge(&mut self.links, other.links);
    }

    /// A folder below a root, not a link (its canonical path is its parent's joined with its name).
    #[must_use]
    pub fn is_folder(&self, path: &Path) -> bool {
        self.folders.contains(path)
    }

    /// A folder whose every entry the walk listed: a root or a folder below one.
    #[must_use]
    pub fn listed(&self, folder: &Path) -> bool {
        self.is_folder(folder) || self.roots.contains(folder)
    }

    #[must_use]
    pub fn is_file(&self, path: &Path) -> bool {
        self.files.contains(path)
    }

    #[must_use]
    pub fn is_link(&self, path: &Path) -> bool {
        self.links.contains(path)
    }
}

/// `into` with every path of `other`, the smaller set hashed into the larger.
fn merge(into: &mut HashSet<PathBuf>, mut other: HashSet<PathBuf>) {
    if other.len() > into.len() {
        std::mem::swap(into, &mut other);
    }
    into.extend(other);
}
