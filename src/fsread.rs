//! The one bounded reader: every file sagelint opens goes through here. A file is read only when it
//! is a regular file, no larger than the cap its purpose sets, and (unless the user named it on the
//! command line) inside the run's scope: the repositories of the scanned paths. A repository cannot
//! make sagelint hang on a FIFO, fill memory from `/dev/zero`, or print `/proc/self/environ` or
//! `/etc/...` into a report through a symlink or a path in its own configuration.
//!
//! ```
//! use sagelint::fsread::{self, Refusal, Scope};
//! let scope = Scope::unrestricted();
//! assert!(matches!(fsread::read_text(std::path::Path::new("/dev/null"), 10, &scope), Err(Refusal::NotRegular(_))));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

mod archive;
mod seen;
pub use archive::{ZIP_CAP, ZIP_ENTRY_CAP, ZIP_TOTAL_CAP, Zip, ZipRefusal, open_zip};
pub use seen::Seen;

/// Why a file was not read. Its `Display` is the reason a finding states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing at that path (or a dangling symlink).
    Missing,
    /// A FIFO, socket, device or folder: reading could block forever or never end.
    NotRegular(&'static str),
    /// Larger than the cap for its purpose.
    TooLarge { bytes: u64, cap: u64 },
    /// The bytes are not UTF-8; `at` is the first bad byte, `utf16` a UTF-16 byte-order mark.
    NotUtf8 { at: usize, utf16: bool },
    /// A symlink (or `..` path) leading outside the scanned repositories.
    Outside { target: PathBuf },
    /// The operating system refused (permissions, I/O error).
    Io(String),
    /// A zip, or a member of it, that is not read: corrupt, encrypted, a bomb, a path traversal.
    Zip(ZipRefusal),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("it does not exist"),
            Self::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            Self::TooLarge { bytes, cap } => {
                write!(f, "it is {bytes} bytes, over the {cap}-byte limit for such a file")
            }
            Self::NotUtf8 { utf16: true, .. } => f.write_str("it is UTF-16, not UTF-8"),
            Self::NotUtf8 { at, .. } => write!(f, "it is not valid UTF-8 (at byte {at})"),
            Self::Outside { target } => {
                write!(f, "it leads to {}, outside the scanned repository", target.display())
            }
            Self::Io(message) => write!(f, "cannot read it: {message}"),
            Self::Zip(refusal) => refusal.fmt(f),
        }
    }
}

/// Texts that stand in for files on disk: an editor's unsaved buffers (`sagelint server`), keyed
/// by canonical path. Reads consult it before the disk, under the same scope and caps, so every
/// stage of a run (templates, handlers, imported modules, side files) sees the buffer the user is
/// editing and never a stale file.
#[derive(Clone, Debug, Default)]
pub struct Overlay(Arc<HashMap<PathBuf, String>>);

impl Overlay {
    /// The key a path is found under: its canonical form, or, for a buffer whose file is not on
    /// disk (yet, or any more), its canonical folder joined with its name.
    #[must_use]
    pub fn key(path: &Path) -> Option<PathBuf> {
        path.canonicalize()
            .ok()
            .or_else(|| Some(parent_or_dot(path).canonicalize().ok()?.join(path.file_name()?)))
    }

    /// An overlay of the given buffers; their paths are keyed as [`Overlay::key`] says.
    #[must_use]
    pub fn new(buffers: impl IntoIterator<Item = (PathBuf, String)>) -> Self {
        let map = buffers.into_iter().filter_map(|(path, text)| Some((Self::key(&path)?, text))).collect();
        Self(Arc::new(map))
    }

    fn get(&self, path: &Path) -> Option<(PathBuf, &str)> {
        if self.0.is_empty() {
            return None;
        }
        let key = Self::key(path)?;
        let text = self.0.get(&key)?;
        Some((key, text.as_str()))
    }
}

/// Where a run may read without the user naming the file: canonical folders, and the files the
/// user named on the command line (read wherever they are).
/// The default reads anywhere (still regular files under the cap): for library callers and for
/// files the user names.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// `None`: anywhere. Sorted, and no root lies inside another: a run naming hundreds of files
    /// of one repository has one root, not one per file, and a read is checked against one root.
    roots: Option<Arc<[PathBuf]>>,
    named: Arc<std::collections::HashSet<PathBuf>>,
    /// The named paths, as written, that are not folders: the walk takes them as they are
    /// instead of looking at each again (298 named templates: 298 `stat` calls before any read).
    /// True for a regular file that is not a link, which the reader then need not look at again.
    given_files: Arc<HashMap<PathBuf, bool>>,
    overlay: Overlay,
    /// Folders as paths name them → their canonical form, shared by the clones of the scope and
    /// by the helper-source walks. A run reads hundreds of files from a few dozen folders;
    /// resolving each file's folder anew cost a `readlink` per path component per file.
    folders: Arc<Mutex<HashMap<PathBuf, CanonicalFolder>>>,
    /// What the discovery walk saw, from its end ([`Scope::remember_walk`]) until the files are
    /// read ([`Scope::forget_walk`]).
    seen: Arc<RwLock<Option<Seen>>>,
}

/// What [`Scope::resolve`] found of a path.
struct Resolved {
    canonical: PathBuf,
    /// The target's metadata; none for a regular file the walk saw or the user named (the
    /// reader checks the open file).
    meta: Option<std::fs::Metadata>,
    /// The path itself is not a symbolic link, nor ends in `.` or `..`: its canonical form is its
    /// folder's joined with its name.
    plain: bool,
}

/// A folder's canonical path, and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalFolder {
    pub path: PathBuf,
    /// The folder itself is a symbolic link, or its name is `.` or `..`: the system resolved the
    /// whole path. Otherwise the path is the parent's canonical path joined with the folder's
    /// name, so a walk that lists it from its name sees what the system would.
    pub resolved_whole: bool,
}

impl Scope {
    #[must_use]
    pub fn unrestricted() -> Self {
        Self::default()
    }

    /// The scope of a run over `paths`: each path's repository (the nearest folder at or above it
    /// holding `.git`), else the folder itself (a file's parent folder). Templates routinely name
    /// code beside their own folder (`CodeUri: ../src`), so the repository, not the folder, is the
    /// boundary; named files stay readable wherever they are.
    #[must_use]
    pub fn of_paths(paths: &[PathBuf]) -> Self {
        let mut named = std::collections::HashSet::new();
        let mut given_files = HashMap::new();
        // Files named together mostly share folders: each folder is resolved (through the scope's
        // cache of canonical folders, which the run goes on using) and its repository looked up
        // once. Resolving each path whole cost a `readlink` per component: 5,000 system calls
        // before the first read for 298 named templates.
        let unbounded = Self::default();
        let mut repositories: HashMap<PathBuf, PathBuf> = HashMap::new();
        let mut git_folders = GitFolders::default();
        for path in paths {
            let Ok(Resolved { canonical, meta, plain }) = unbounded.resolve(path) else { continue };
            let folder = if meta.as_ref().is_some_and(std::fs::Metadata::is_dir) {
                canonical
            } else {
                named.insert(canonical);
                given_files.insert(path.clone(), plain && meta.is_some_and(|m| m.is_file()));
                // The folder the user sees the file in, not where a symlink leads.
                let Some(folder) = unbounded.canonical_folder(parent_or_dot(path)) else { continue };
                folder.path
            };
            repositories.entry(folder).or_insert_with_key(|folder| git_folders.repository_of(folder));
        }
        let mut roots: Vec<PathBuf> = repositories.into_values().collect();
        // Sorted by components, the folders under a root follow it: keep the first of each run.
        roots.sort_unstable();
        let mut kept: Vec<PathBuf> = Vec::with_capacity(roots.len());
        for root in roots {
            if !kept.last().is_some_and(|outer| root.starts_with(outer)) {
                kept.push(root);
            }
        }
        Self {
            roots: Some(kept.into()),
            named: Arc::new(named),
            given_files: Arc::new(given_files),
            ..unbounded
        }
    }

    /// The scope of files a configuration file names: its own repository only.
    #[must_use]
    pub fn of_config(config: &Path) -> Self {
        let folder = config
            .canonicalize()
            .ok()
            .and_then(|c| c.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        Self { roots: Some(vec![repository_of(&folder)].into()), ..Self::default() }
    }

    /// Whether `path`, as written, was named when this scope was made ([`Scope::of_paths`]) and is
    /// not a folder.
    #[must_use]
    pub fn is_given_file(&self, path: &Path) -> bool {
        self.given_files.contains_key(path)
    }

    /// Whether `path`, as written, was named when this scope was made and is a regular file, not
    /// a link.
    #[must_use]
    pub fn is_given_regular_file(&self, path: &Path) -> bool {
        self.given_files.get(path).copied().unwrap_or(false)
    }

    /// Keeps what the discovery walk saw until [`Scope::forget_walk`] (shared by the scope's
    /// clones).
    pub fn remember_walk(&self, seen: Seen) {
        *self.seen.write().unwrap_or_else(PoisonError::into_inner) = Some(seen);
    }

    /// Hands back what the walk saw, for the caller to free once every file is read: at 100,000
    /// stacks it is 25 MB, which the analysis and the rules, where a run's memory peaks, can then
    /// reuse. Later looks ask the system, as without a walk.
    pub fn forget_walk(&self) -> Option<Seen> {
        self.seen.write().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// What `ask` says of what the walk saw; `false` without a walk.
    fn walk_says(&self, ask: impl FnOnce(&Seen) -> bool) -> bool {
        self.seen.read().unwrap_or_else(PoisonError::into_inner).as_ref().is_some_and(ask)
    }

    /// `path.is_dir()`, without a system call for a folder the walk entered.
    #[must_use]
    pub fn is_dir(&self, path: &Path) -> bool {
        self.walk_says(|s| s.is_folder(path)) || path.is_dir()
    }

    /// `path.is_file()`, without a system call for a path the walk saw.
    #[must_use]
    pub fn is_file(&self, path: &Path) -> bool {
        self.walk_says(|s| s.is_file(path)) || !self.walk_says(|s| s.is_folder(path)) && path.is_file()
    }

    /// Whether `path` is a regular file the run takes into account: in a folder the walk entered,
    /// one it listed (what an ignore file keeps out is not part of the committed checkout, which
    /// alone decides); elsewhere, what the system says. For names the walk keeps ([`Seen`]):
    /// candidates and handler source.
    #[must_use]
    pub fn is_listed_file(&self, path: &Path) -> bool {
        if !self.walk_says(|s| s.listed(parent_or_dot(path))) {
            return path.is_file();
        }
        self.walk_says(|s| s.is_file(path)) || self.walk_says(|s| s.is_link(path)) && path.is_file()
    }

    /// Whether something other than a folder is at `path`, through links (a regular file, a
    /// FIFO, a link to a file): what a handler probe takes for the handler.
    #[must_use]
    pub fn holds_non_folder(&self, path: &Path) -> bool {
        self.walk_says(|s| s.is_file(path)) || path.metadata().is_ok_and(|m| !m.is_dir())
    }

    /// The same scope, reading these buffers instead of their files.
    #[must_use]
    pub fn with_overlay(mut self, overlay: Overlay) -> Self {
        self.overlay = overlay;
        self
    }

    /// An overlaid buffer's text, after the checks a file on disk gets (inside the scope, under
    /// the cap).
    fn overlaid(&self, path: &Path, cap: u64) -> Option<Result<&str, Refusal>> {
        let (canonical, text) = self.overlay.get(path)?;
        if !self.allows(&canonical) {
            return Some(Err(Refusal::Outside { target: canonical }));
        }
        let bytes = text.len() as u64;
        Some(if bytes > cap { Err(Refusal::TooLarge { bytes, cap }) } else { Ok(text) })
    }

    /// The canonical form of `path` and its metadata (the target's, through symlinks). A path
    /// whose last component is not a symlink is its canonical folder joined with its name, and
    /// the folder is resolved once per run; a symlink (or a name like `..`) is resolved whole.
    ///
    /// A regular file the walk saw or the user named needs no look: its canonical form is its
    /// folder's joined with its name, and there is no metadata (the reader checks the open file).
    fn resolve(&self, path: &Path) -> Result<Resolved, Refusal> {
        if self.walk_says(|s| s.is_file(path))
            && let Some(name) = path.file_name()
            && let Some(canonical) = self.canonical_folder(parent_or_dot(path))
        {
            return Ok(Resolved { canonical: canonical.path.join(name), meta: None, plain: true });
        }
        let meta = std::fs::symlink_metadata(path).map_err(|e| missing_or_io(&e))?;
        let name = path.file_name().filter(|_| !meta.file_type().is_symlink() && !ends_in_dots(path));
        if let Some(name) = name
            && let Some(canonical) = self.canonical_folder(parent_or_dot(path))
        {
            return Ok(Resolved { canonical: canonical.path.join(name), meta: Some(meta), plain: true });
        }
        let meta = std::fs::metadata(path).map_err(|e| missing_or_io(&e))?;
        let canonical = path.canonicalize().map_err(|e| Refusal::Io(e.to_string()))?;
        Ok(Resolved { canonical, meta: Some(meta), plain: false })
    }

    /// The canonical form of a folder, kept for the run: from its parent's when it is not itself
    /// a symbolic link (one `lstat` per new folder instead of a `readlink` per component of its
    /// path). `None` when it cannot be resolved (it does not exist, say).
    #[must_use]
    pub fn canonical_folder(&self, folder: &Path) -> Option<CanonicalFolder> {
        let folders = || crate::sync::lock(&self.folders);
        if let Some(canonical) = folders().get(folder) {
            return Some(canonical.clone());
        }
        let from_parent = |name| {
            let walked = self.walk_says(|s| s.is_folder(folder));
            if !walked && !std::fs::symlink_metadata(folder).ok()?.is_dir() || ends_in_dots(folder) {
                return None;
            }
            let parent = folder.parent()?;
            let parent = crate::source::or_current_folder(parent);
            Some(self.canonical_folder(parent)?.path.join(name))
        };
        let whole = || Some(CanonicalFolder { path: folder.canonicalize().ok()?, resolved_whole: true });
        let canonical = match folder.file_name().and_then(from_parent) {
            Some(path) => CanonicalFolder { path, resolved_whole: false },
            None => whole()?,
        };
        folders().insert(folder.to_path_buf(), canonical.clone());
        Some(canonical)
    }

    fn is_unrestricted(&self) -> bool {
        self.roots.is_none()
    }

    /// Whether a canonical path may be read.
    #[must_use]
    pub fn allows(&self, canonical: &Path) -> bool {
        match &self.roots {
            None => true,
            Some(roots) => {
                // Sorted and none inside another, a root holding the path is the last one at or
                // before it (the paths under a root sort right after it).
                let at = roots.partition_point(|root| root.as_path() <= canonical);
                self.named.contains(canonical)
                    || at.checked_sub(1).is_some_and(|i| canonical.starts_with(&roots[i]))
            }
        }
    }
}

/// The nearest folder at or above `folder` that holds `.git` (a work tree or a worktree's file),
/// else `folder`.
#[must_use]
pub fn repository_of(folder: &Path) -> PathBuf {
    nearest_repository(folder, holds_git)
}

/// [`repository_of`], asking `has_git` of each folder from `folder` up.
fn nearest_repository(folder: &Path, mut has_git: impl FnMut(&Path) -> bool) -> PathBuf {
    folder.ancestors().find(|d| has_git(d)).map_or_else(|| folder.to_path_buf(), Path::to_path_buf)
}

fn holds_git(folder: &Path) -> bool {
    folder.join(".git").exists()
}

/// [`repository_of`] for many folders: folders named together share their ancestors, and each
/// ancestor is looked at once (298 named templates in 67 folders: 334 looks for `.git`, now 100).
#[derive(Default)]
struct GitFolders(HashMap<PathBuf, bool>);

impl GitFolders {
    fn repository_of(&mut self, folder: &Path) -> PathBuf {
        nearest_repository(folder, |d| *self.0.entry(d.to_path_buf()).or_insert_with(|| holds_git(d)))
    }
}

/// What a failed look at a path means for the reader: not there, or another I/O failure.
fn missing_or_io(e: &std::io::Error) -> Refusal {
    match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e.to_string()),
    }
}

/// The folder `path` is in, as written (`.` for a bare name).
fn parent_or_dot(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether the path's last component is `.` or `..`, which `file_name` does not name.
fn ends_in_dots(path: &Path) -> bool {
    matches!(
        path.components().next_back(),
        Some(std::path::Component::CurDir | std::path::Component::ParentDir)
    )
}

/// What a non-regular file is, in words.
#[cfg(unix)]
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() { "a folder" } else { "not a regular file" }
}

/// Checks a path before it is opened: it exists, resolves inside the scope, and is a regular file
/// of at most `cap` bytes (a regular file the walk saw or the user named is not looked at again:
/// the reader checks the open file's kind and size).
pub fn check(path: &Path, cap: u64, scope: &Scope) -> Result<(), Refusal> {
    let meta = if scope.is_unrestricted() {
        if scope.walk_says(|s| s.is_file(path)) {
            return Ok(());
        }
        std::fs::metadata(path).map_err(|e| missing_or_io(&e))?
    } else {
        let Resolved { canonical, meta, .. } = scope.resolve(path)?;
        if !scope.allows(&canonical) {
            return Err(Refusal::Outside { target: canonical });
        }
        let Some(meta) = meta else { return Ok(()) };
        meta
    };
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(Refusal::TooLarge { bytes: meta.len(), cap });
    }
    Ok(())
}

/// The bytes of a regular file inside the scope, at most `cap` of them. The open file is checked
/// again and read up to the size it has then, so a file swapped for a FIFO or growing after the
/// check can neither block on the metadata nor exceed the cap.
pub fn read_bytes(path: &Path, cap: u64, scope: &Scope) -> Result<Vec<u8>, Refusal> {
    if let Some(buffer) = scope.overlaid(path, cap) {
        return buffer.map(|text| text.as_bytes().to_vec());
    }
    check(path, cap, scope)?;
    let mut file = std::fs::File::open(path).map_err(|e| Refusal::Io(e.to_string()))?;
    let meta = file.metadata().map_err(|e| Refusal::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(Refusal::TooLarge { bytes: meta.len(), cap });
    }
    let bytes = if meta.len() == 0 {
        // A file that says it is empty may still have content (`/proc`): read to its end.
        let mut bytes = Vec::new();
        file.take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| Refusal::Io(e.to_string()))?;
        bytes
    } else {
        read_sized(&mut file, meta.len()).map_err(|e| Refusal::Io(e.to_string()))?
    };
    if bytes.len() as u64 > cap {
        return Err(Refusal::TooLarge { bytes: bytes.len() as u64, cap });
    }
    Ok(bytes)
}

/// The first `len` bytes of `file` (fewer if it ends first), read in as few calls as the system
/// allows: one, for a file that does not change. Reading through `Read::read_to_end` took a call
/// per 8 KiB at first and always one more to find the end (15,000 calls at 10,000 stacks).
fn read_sized(file: &mut std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len).unwrap_or(usize::MAX)];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// The text of a regular UTF-8 file inside the scope, at most `cap` bytes (a UTF-8 byte-order
/// mark is kept: the parsers skip it and spans stay byte offsets of the file).
pub fn read_text(path: &Path, cap: u64, scope: &Scope) -> Result<String, Refusal> {
    utf8(read_bytes(path, cap, scope)?)
}

/// The bytes as text, or where they stop being UTF-8.
fn utf8(bytes: Vec<u8>) -> Result<String, Refusal> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        Refusal::NotUtf8 { at: e.utf8_error().valid_up_to(), utf16 }
    })
}

/// The first `limit` bytes of a regular file in the scope (to sniff what an oversized file is).
pub fn read_head(path: &Path, limit: u64, scope: &Scope) -> Result<Vec<u8>, Refusal> {
    if let Some(buffer) = scope.overlaid(path, u64::MAX) {
        return buffer.map(|text| text.as_bytes().iter().take(limit as usize).copied().collect());
    }
    check(path, u64::MAX, scope)?;
    let file = std::fs::File::open(path).map_err(|e| Refusal::Io(e.to_string()))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(Refusal::NotRegular("not a regular file"));
    }
    let mut head = Vec::new();
    file.take(limit).read_to_end(&mut head).map_err(|e| Refusal::Io(e.to_string()))?;
    Ok(head)
}

/// Caps by purpose. Templates: far beyond what CloudFormation accepts (1 MB from S3), and a
/// parsed tree costs about 14 times its text, which bounds a worker's peak memory.
pub const TEMPLATE_CAP: u64 = 32 * 1024 * 1024;
/// Handler source and modules it imports: generated bundles stay below this.
pub const CODE_CAP: u64 = 4 * 1024 * 1024;
/// Dockerfiles, package metadata and other small side files.
pub const SMALL_CAP: u64 = 256 * 1024;
/// `sagelint.toml`.
pub const CONFIG_CAP: u64 = 1024 * 1024;
/// Policy documents named with `--scp`, `eval --policy`, `--boundary` (an IAM policy is at most
/// 10,240 characters, an SCP 5,120; the cap only keeps a wrong file from filling memory).
pub const POLICY_CAP: u64 = 32 * 1024 * 1024;
/// Baseline files (one entry per recorded finding).
pub const BASELINE_CAP: u64 = 64 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_folders_are_refused_before_opening() {
        let scope = Scope::unrestricted();
        assert_eq!(read_text(Path::new("/dev/zero"), 10, &scope), Err(Refusal::NotRegular("a device")));
        assert_eq!(read_text(Path::new("/"), 10, &scope), Err(Refusal::NotRegular("a folder")));
        assert_eq!(read_text(Path::new("/no/such/file"), 10, &scope), Err(Refusal::Missing));
    }

    #[test]
    fn the_cap_is_enforced_and_encodings_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let scope = Scope::unrestricted();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "x".repeat(11)).expect("write");
        assert_eq!(read_text(&big, 10, &scope), Err(Refusal::TooLarge { bytes: 11, cap: 10 }));
        let utf16 = dir.path().join("u16.tf");
        std::fs::write(&utf16, [0xFF, 0xFE, b'a', 0]).expect("write");
        assert_eq!(read_text(&utf16, 10, &scope), Err(Refusal::NotUtf8 { at: 0, utf16: true }));
        let latin1 = dir.path().join("l1.tf");
        std::fs::write(&latin1, b"# caf\xe9\n").expect("write");
        assert_eq!(read_text(&latin1, 10, &scope), Err(Refusal::NotUtf8 { at: 5, utf16: false }));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_scope_are_refused_unless_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).expect("mkdir");
        std::fs::write(dir.path().join("secret.txt"), "s").expect("write");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), repo.join("app.py")).expect("symlink");
        std::fs::write(repo.join("ok.py"), "x = 1\n").expect("write");
        let scope = Scope::of_paths(std::slice::from_ref(&repo));
        assert!(matches!(read_text(&repo.join("app.py"), 100, &scope), Err(Refusal::Outside { .. })));
        assert_eq!(read_text(&repo.join("ok.py"), 100, &scope).as_deref(), Ok("x = 1\n"));
        let named = Scope::of_paths(&[repo.clone(), repo.join("app.py")]);
        assert_eq!(read_text(&repo.join("app.py"), 100, &named).as_deref(), Ok("s"));
    }

    #[test]
    fn files_named_in_many_folders_are_read_within_each_folder_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        // `a-b` sorts between `a` and `a/x` byte-wise but after `a`'s files component-wise.
        for folder in ["a", "a/x", "a-b", "c"] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
            std::fs::write(dir.path().join(folder).join("t.yaml"), folder).expect("write");
            std::fs::write(dir.path().join(folder).join("app.py"), folder).expect("write");
        }
        std::fs::write(dir.path().join("outside.py"), "o").expect("write");
        let named: Vec<PathBuf> =
            ["a/x", "a-b", "a", "c"].iter().map(|f| dir.path().join(f).join("t.yaml")).collect();
        let scope = Scope::of_paths(&named);
        for folder in ["a", "a/x", "a-b", "c"] {
            assert_eq!(
                read_text(&dir.path().join(folder).join("app.py"), 100, &scope).as_deref(),
                Ok(folder)
            );
        }
        assert!(matches!(
            read_text(&dir.path().join("outside.py"), 100, &scope),
            Err(Refusal::Outside { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_symlink_out_of_the_scope_is_refused_after_its_siblings_were_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("src")).expect("mkdir");
        std::fs::create_dir_all(dir.path().join("outside")).expect("mkdir");
        std::fs::write(dir.path().join("outside/app.py"), "s").expect("write");
        std::fs::write(repo.join("src/app.py"), "x = 1\n").expect("write");
        std::os::unix::fs::symlink(dir.path().join("outside"), repo.join("src/vendor")).expect("symlink");
        let scope = Scope::of_paths(std::slice::from_ref(&repo));
        // The first read resolves `repo/src` once; the link below it is still resolved whole.
        assert_eq!(read_text(&repo.join("src/app.py"), 100, &scope).as_deref(), Ok("x = 1\n"));
        assert!(matches!(
            read_text(&repo.join("src/vendor/app.py"), 100, &scope),
            Err(Refusal::Outside { .. })
        ));
        // `..` after a link climbs from where the link leads, as the kernel reads the path.
        std::fs::write(dir.path().join("app.py"), "s").expect("write");
        let dotted = repo.join("src/vendor/../app.py");
        assert_eq!(
            read_text(&dotted, 100, &scope),
            Err(Refusal::Outside { target: dir.path().canonicalize().expect("canonical").join("app.py") })
        );
    }

    #[test]
    fn an_overlaid_buffer_is_read_instead_of_its_file_within_scope_and_cap() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).expect("mkdir");
        std::fs::write(repo.join("t.yaml"), "on disk\n").expect("write");
        let overlay = Overlay::new([
            (repo.join("t.yaml"), "unsaved\n".to_owned()),
            (repo.join("new.yaml"), "never saved\n".to_owned()),
            (dir.path().join("outside.yaml"), "x".to_owned()),
        ]);
        let scope = Scope::of_paths(std::slice::from_ref(&repo)).with_overlay(overlay);
        assert_eq!(read_text(&repo.join("t.yaml"), 100, &scope).as_deref(), Ok("unsaved\n"));
        assert_eq!(read_text(&repo.join("new.yaml"), 100, &scope).as_deref(), Ok("never saved\n"));
        assert_eq!(read_head(&repo.join("t.yaml"), 3, &scope), Ok(b"uns".to_vec()));
        assert_eq!(read_text(&repo.join("t.yaml"), 4, &scope), Err(Refusal::TooLarge { bytes: 8, cap: 4 }));
        assert!(matches!(
            read_text(&dir.path().join("outside.yaml"), 100, &scope),
            Err(Refusal::Outside { .. })
        ));
    }
}
