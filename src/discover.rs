//! Which files a run reads: `.gitignore`-aware walking (also outside git), explicit paths always
//! included, and config `exclude` globs on top.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;
use crate::fsread::{Scope, Seen};
use crate::source::normalize_path;

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

/// A folder or file the walk could not enter or read (permissions, I/O): reported, never dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// What a walk found: the files to read, and what it could not look into.
#[derive(Debug, Default)]
pub struct Discovered {
    pub candidates: Vec<Candidate>,
    pub problems: Vec<WalkProblem>,
    /// Files Terraform would load from a scanned module folder (`*.tf`, `terraform.tfvars`,
    /// `*.auto.tfvars`) that an ignore file kept out of the scan: present here, absent from the
    /// committed checkout, so the result does not use them, and says so.
    pub ignored_terraform: Vec<PathBuf>,
}

/// Every candidate file under `paths`, sorted, without duplicates. A path named on the command line
/// that is not a folder is always a candidate, whatever it is (a FIFO or a device is then refused
/// with a finding when it is read, never "0 files").
///
/// Only what is committed decides: `.gitignore` and `.ignore` files count, the user's global git
/// excludes (`core.excludesFile`) and `.git/info/exclude` do not, so a laptop and CI give the same
/// answer for the same checkout. A Terraform file an ignore file names but git tracks is read
/// (`git_index`): it is in every checkout.
///
/// With more than one of `threads` the folders are walked in parallel; the result is sorted, so it
/// is the same whatever the thread count.
pub fn discover(
    paths: &[PathBuf],
    excludes: &GlobSet,
    scope: &Scope,
    threads: usize,
) -> Result<Discovered, Error> {
    let mut found = Discovered::default();
    let mut links = Vec::new();
    let mut seen = Seen::default();
    for path in paths {
        if scope.is_given_file(path) {
            if scope.is_given_regular_file(path) {
                seen.add_file(path.clone());
            }
            found.candidates.push(Candidate { path: path.clone(), explicit: true });
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| {
            // A path that exists but cannot be followed (a symlink loop, a dangling link) is not "missing".
            if std::fs::symlink_metadata(path).is_ok() {
                Error::Io { path: crate::display_path(path), message: e.to_string() }
            } else {
                Error::MissingPath(path.display().to_string())
            }
        })?;
        if !meta.is_dir() {
            found.candidates.push(Candidate { path: path.clone(), explicit: true });
            continue;
        }
        // Most scanned folders are small, and starting walk threads costs more than they save
        // there: a folder is walked on this thread until it passes `SERIAL_WALK_ENTRIES`, and
        // only then is the rest walked in parallel.
        let budget = if threads > 1 { SERIAL_WALK_ENTRIES } else { usize::MAX };
        let mut found_here = walk_folder(path, excludes, threads, budget);
        let ignored = ignored_terraform(path, &found_here.candidates, excludes);
        // An ignore file does not apply to a file git tracks: a `terraform.tfvars` added with
        // `git add -f` is in every checkout, and Terraform loads it.
        let (tracked, ignored) = split_tracked(path, ignored, scope);
        for file in tracked {
            found_here.seen.add_file(file.clone());
            found_here.candidates.push(Candidate { path: file, explicit: false });
        }
        found.ignored_terraform.extend(ignored);
        found.candidates.append(&mut found_here.candidates);
        found.problems.append(&mut found_here.problems);
        links.append(&mut found_here.links);
        seen.extend(found_here.seen);
        seen.add_root(path.clone());
    }
    scope.remember_walk(seen);
    add_linked_files(&mut found.candidates, links, scope);
    // One entry per file however it was spelled (`./a.tf` walked, `a.tf` named), the named one
    // kept: a file named on the command line is read as the user asked.
    // Each path is normalised once (the comparisons of the sort and the dedup reuse it).
    let mut keyed: Vec<(PathBuf, Candidate)> =
        std::mem::take(&mut found.candidates).into_iter().map(|c| (normalize_path(&c.path), c)).collect();
    keyed.sort_by(|(a, ca), (b, cb)| (a, !ca.explicit).cmp(&(b, !cb.explicit)));
    keyed.dedup_by(|later, kept| later.0 == kept.0);
    if !found.ignored_terraform.is_empty() {
        let read: std::collections::HashSet<&Path> = keyed.iter().map(|(key, _)| key.as_path()).collect();
        found.ignored_terraform.retain(|p| !read.contains(normalize_path(p).as_path()));
    }
    found.candidates = keyed.into_iter().map(|(_, c)| c).collect();
    found.ignored_terraform.sort();
    found.ignored_terraform.dedup();
    // By message too: a parallel walk meets two problems of one folder in either order.
    found.problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    found.problems.dedup();
    Ok(found)
}

/// Entries of a scanned folder walked on the calling thread before the walk goes parallel.
const SERIAL_WALK_ENTRIES: usize = 2_000;

/// The walk of the scanned folder `root`: on this thread for its first `budget` entries, and
/// when there are more, the rest on `threads` threads. The parallel walk starts from the root
/// again but skips the folders the serial one finished, so only the folders it was inside of when
/// it stopped are listed twice (what they yield twice is one path, deduplicated with the
/// candidates).
fn walk_folder(root: &Path, excludes: &GlobSet, threads: usize, budget: usize) -> Walked {
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .require_git(false)
        .git_global(false)
        .git_exclude(false)
        .follow_links(false)
        .filter_entry(is_not_dependencies);
    let mut serial = Walked::default();
    let mut finished = FinishedFolders::default();
    let small = walker.build().enumerate().all(|(n, entry)| {
        if let Ok(entry) = &entry {
            finished.enter(entry);
        }
        serial.visit(root, excludes, entry);
        n < budget
    });
    if small {
        return serial;
    }
    let finished = std::sync::Arc::new(finished.done);
    walker.filter_entry(move |e| {
        is_not_dependencies(e) && !(e.file_type().is_some_and(|t| t.is_dir()) && finished.contains(e.path()))
    });
    let shared = std::sync::Mutex::new(serial);
    walker.threads(threads).build_parallel().run(|| {
        // Each walking thread gathers its own entries and hands them over once, when the walk
        // drops its visitor: a lock and a `Walked` per entry kept the two threads waiting on each
        // other.
        let mut mine = WalkedBy { walked: Walked::default(), shared: &shared };
        Box::new(move |entry| {
            mine.walked.visit(root, excludes, entry);
            ignore::WalkState::Continue
        })
    });
    let mut whole = crate::sync::into_inner(shared);
    // Threads finish folders in any order; the run reads them in path order (the candidates are
    // sorted with everything else found below).
    whole.links.sort();
    whole.links.dedup();
    whole
}

/// Not a `node_modules` folder: dependencies are never the project's templates, even where no
/// ignore file says so (e.g. bundled CDK assets).
fn is_not_dependencies(entry: &ignore::DirEntry) -> bool {
    entry.file_name() != "node_modules"
}

/// The folders a depth-first walk has left, whose every entry it has therefore yielded.
#[derive(Default)]
struct FinishedFolders {
    /// The folders the walk is inside of, the one at depth `d` at `d - 1`.
    open: Vec<PathBuf>,
    done: std::collections::HashSet<PathBuf>,
}

impl FinishedFolders {
    /// The walk yields `entry`: the open folders at its depth or deeper are left.
    fn enter(&mut self, entry: &ignore::DirEntry) {
        let depth = entry.depth();
        if depth == 0 {
            return;
        }
        while self.open.len() >= depth {
            self.done.extend(self.open.pop());
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            self.open.push(entry.path().to_owned());
        }
    }
}

/// What the walk of one scanned folder found.
#[derive(Default)]
struct Walked {
    candidates: Vec<Candidate>,
    /// Symbolic links to files, judged once the walk is done (`add_linked_files`).
    links: Vec<Candidate>,
    problems: Vec<WalkProblem>,
    /// Folders and readable files listed, kept until every file is read ([`Scope::remember_walk`]).
    seen: Seen,
}

impl Walked {
    /// One entry of the walk under `root`.
    fn visit(&mut self, root: &Path, excludes: &GlobSet, entry: Result<ignore::DirEntry, ignore::Error>) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                self.problems.push(walk_problem(root, &e));
                return;
            }
        };
        if let Some(e) = entry.error() {
            // A partial error (an unreadable .gitignore): the entry is still walked.
            self.problems.push(walk_problem(entry.path(), e));
        }
        let p = entry.path();
        let Some(file_type) = entry.file_type() else { return };
        // The root is the user's path as given (a link, maybe): only what is below it was listed.
        if entry.depth() > 0 {
            let kept_name = || is_candidate(p) || crate::code::language_for_path(p).is_some();
            if file_type.is_dir() {
                self.seen.add_folder(p.to_owned());
            } else if file_type.is_file() && kept_name() {
                self.seen.add_file(p.to_owned());
            } else if file_type.is_symlink() && kept_name() {
                self.seen.add_link(p.to_owned());
            }
        }
        if !(file_type.is_file() || file_type.is_symlink()) {
            return;
        }
        let relative = p.strip_prefix(root).unwrap_or(p);
        if excludes.is_match(relative) || excludes.is_match(p) || !is_candidate(p) {
            return;
        }
        let candidate = Candidate { path: p.to_owned(), explicit: false };
        if file_type.is_symlink() {
            self.links.push(candidate);
        } else {
            self.candidates.push(candidate);
        }
    }

    fn append(&mut self, mut other: Walked) {
        self.candidates.append(&mut other.candidates);
        self.links.append(&mut other.links);
        self.problems.append(&mut other.problems);
        self.seen.extend(other.seen);
    }
}

/// What one walking thread found, added to the walk's whole when the thread is done with it.
struct WalkedBy<'a> {
    walked: Walked,
    shared: &'a std::sync::Mutex<Walked>,
}

impl Drop for WalkedBy<'_> {
    fn drop(&mut self) {
        crate::sync::lock(self.shared).append(std::mem::take(&mut self.walked));
    }
}

/// Files Terraform loads by name from the module folders of `walked` that the walk did not yield
/// (and that `exclude` does not name): an ignore file kept them out.
fn ignored_terraform(root: &Path, walked: &[Candidate], excludes: &GlobSet) -> Vec<PathBuf> {
    use crate::formats::terraform::{TfKind, tf_kind_of_name};
    let seen: std::collections::HashSet<&Path> = walked.iter().map(|c| c.path.as_path()).collect();
    let folders: std::collections::BTreeSet<&Path> = walked
        .iter()
        .filter(|c| tf_kind_of_name(&c.path) == Some(TfKind::Config))
        .filter_map(|c| c.path.parent())
        .collect();
    let mut out = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            let relative = p.strip_prefix(root).unwrap_or(&p);
            if tf_kind_of_name(&p).is_some()
                && entry.file_type().is_ok_and(|t| t.is_file())
                && !seen.contains(p.as_path())
                && !excludes.is_match(relative)
                && !excludes.is_match(&p)
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `files` (under the scanned folder `root`) split into those the repository's git index tracks
/// and the others. Without a readable index, none is tracked.
fn split_tracked(root: &Path, files: Vec<PathBuf>, scope: &Scope) -> (Vec<PathBuf>, Vec<PathBuf>) {
    if files.is_empty() {
        return (Vec::new(), files);
    }
    let Ok(canonical_root) = std::fs::canonicalize(root) else { return (Vec::new(), files) };
    let repo = crate::fsread::repository_of(&canonical_root);
    let Some(tracked) = crate::git_index::tracked(&repo, scope) else { return (Vec::new(), files) };
    files.into_iter().partition(|file| {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let in_repo = canonical_root.join(relative);
        in_repo.strip_prefix(&repo).is_ok_and(|r| tracked.contains(r))
    })
}

/// The operating system's words for an I/O error wrapped by the walker ("Permission denied (os
/// error 13)").
fn os_reason(io: &std::io::Error) -> Option<String> {
    let mut current: &(dyn std::error::Error + 'static) = io;
    loop {
        if let Some(e) = current.downcast_ref::<std::io::Error>()
            && let Some(code) = e.raw_os_error()
        {
            return Some(std::io::Error::from_raw_os_error(code).to_string());
        }
        if let Some(e) = current.downcast_ref::<std::io::Error>()
            && let Some(inner) = e.get_ref()
        {
            current = inner;
            continue;
        }
        current = current.source()?;
    }
}

/// Symlinked candidates: a link to a file the walk already reads is dropped (one copy of its
/// findings); a link to a folder is not followed (loops); a link out of the scope is kept when its
/// name says it must be read (a template or Terraform name), so the reader refuses it with a
/// finding, and otherwise dropped unread (its content cannot be judged without reading it).
fn add_linked_files(candidates: &mut Vec<Candidate>, links: Vec<Candidate>, scope: &Scope) {
    if links.is_empty() {
        return;
    }
    let walked: std::collections::HashSet<PathBuf> =
        candidates.iter().filter_map(|c| c.path.canonicalize().ok()).collect();
    for link in links {
        let target = link.path.canonicalize();
        let must_read = template_like_name(&link.path)
            || crate::formats::terraform::tf_kind_of_name(&link.path).is_some();
        match target {
            Ok(t) if walked.contains(&t) || t.is_dir() => {}
            Ok(t) if scope.allows(&t) || must_read => candidates.push(link),
            // A dangling link named like a template is reported as missing by the reader.
            Err(_) if must_read => candidates.push(link),
            _ => {}
        }
    }
}

fn walk_problem(root: &Path, e: &ignore::Error) -> WalkProblem {
    let mut path = root.to_path_buf();
    let mut inner = e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path.clone_from(p);
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => inner = err,
            _ => break,
        }
    }
    let message = match inner {
        // The walker's own I/O errors repeat the path; the operating system's reason is enough.
        ignore::Error::Io(io) => os_reason(io).unwrap_or_else(|| io.to_string()),
        other => other.to_string(),
    };
    WalkProblem { path, message }
}

/// Whether a file's extension may hold a template, a plan or a Terraform file.
#[must_use]
pub fn is_candidate(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CANDIDATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        && !is_scaffold(path)
}

/// Names that say "this is a CloudFormation template" even when the content cannot tell.
#[must_use]
pub fn template_like_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    (name.starts_with("template.") || name.contains(".template") || name.ends_with(".template"))
        && !is_scaffold(path)
}

/// Languages whose files projects keep as `<name>.<ext>.template` scaffolds, filled in by a
/// script before use (`terraform.tfvars.template`, `backend.tf.template`, `config.py.template`):
/// not CloudFormation, whatever `.template` suggests.
const SCAFFOLD_LANGUAGES: &[&str] = &[
    "tf", "tfvars", "hcl", "py", "js", "ts", "sh", "env", "ini", "cfg", "conf", "toml", "xml", "html", "md",
    "txt",
];

/// A `<name>.<ext>.template` file of another language (see [`SCAFFOLD_LANGUAGES`]).
fn is_scaffold(path: &Path) -> bool {
    let Some(stem) = path.file_name().and_then(|n| n.to_str()).map(str::to_ascii_lowercase) else {
        return false;
    };
    let Some(inner) = stem.strip_suffix(".template") else { return false };
    Path::new(inner).extension().and_then(|e| e.to_str()).is_some_and(|e| SCAFFOLD_LANGUAGES.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// What a walk found, in an order that does not depend on the threads.
    fn settled(mut walked: Walked) -> (Vec<Candidate>, Vec<Candidate>, Vec<WalkProblem>, Seen) {
        walked.candidates.sort();
        walked.candidates.dedup();
        walked.problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
        walked.problems.dedup();
        (walked.candidates, walked.links, walked.problems, walked.seen)
    }

    /// A tree where ignore files, whitelists, hidden folders and `node_modules` decide what is
    /// walked, at several depths, so that a serial walk stopped anywhere is inside of some of them.
    fn tricky_tree(root: &Path) {
        for stack in 0..4 {
            let s = root.join(format!("stack-{stack}"));
            write(&s.join("template.yaml"), "Resources: {}\n");
            write(&s.join("src/app.py"), "");
            write(&s.join("src/lib/util.py"), "");
            write(&s.join("build/template.yaml"), "");
            write(&s.join(".gitignore"), "build/\n*.json\n");
            write(&s.join("params.json"), "{}");
            write(&s.join("node_modules/pkg/template.yaml"), "");
            write(&s.join(".aws-sam/build/template.yaml"), "");
        }
        write(&root.join(".ignore"), "ignored-by-root/\n");
        write(&root.join("ignored-by-root/template.yaml"), "");
        write(&root.join("deep/a/b/c/template.json"), "{}");
        write(&root.join("deep/a/.gitignore"), "*\n!b/\n!b/**\n");
        write(&root.join("deep/a/other.yaml"), "");
        write(&root.join(".github/.gitignore"), "!*\n");
        write(&root.join(".github/workflows/ci.yml"), "");
        write(&root.join("main.tf"), "");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("main.tf"), root.join("linked.tf")).expect("symlink");
    }

    #[test]
    fn a_parallel_walk_after_a_serial_start_finds_what_one_thread_finds_wherever_the_start_stops() {
        let dir = tempfile::tempdir().expect("tempdir");
        tricky_tree(dir.path());
        let excludes = build_excludes(&["**/lib/**".to_owned()]).expect("globs");
        let alone = settled(walk_folder(dir.path(), &excludes, 1, usize::MAX));
        assert!(alone.0.iter().any(|c| c.path.ends_with("deep/a/b/c/template.json")), "{:?}", alone.0);
        assert!(!alone.0.iter().any(|c| c.path.ends_with("build/template.yaml")), "{:?}", alone.0);
        assert!(!alone.0.iter().any(|c| c.path.ends_with("params.json")), "{:?}", alone.0);
        assert_eq!(alone.1.len(), usize::from(cfg!(unix)), "{:?}", alone.1);
        let entries = ignore::WalkBuilder::new(dir.path()).build().count();
        for budget in 0..=entries + 1 {
            let resumed = settled(walk_folder(dir.path(), &excludes, 2, budget));
            assert_eq!(resumed, alone, "serial start of {budget} entries");
        }
    }
}
