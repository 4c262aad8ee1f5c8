//! The one code locator: a function's code folder, runtime and handler string → the source files
//! it runs, each scanned once per run through the bounded reader. Every format builder calls
//! [`locate`]; what differs between formats is only how they find the folder, the handler and the
//! layers, not which files that makes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::sync::lock;

use super::{HandlerScan, Language, language_for_path};
use crate::fsread::{Refusal, Scope};
use crate::model::problem::HandlerAbsence;
use crate::source::{SourceFile, SourceMap, normalize_path, or_current_folder};
use crate::span::FileId;

/// The handler files read in a run: each file's scan once, shared by every function whose code
/// includes it, and why a file was refused.
#[derive(Default)]
pub struct CodeFiles {
    scans: HashMap<PathBuf, Option<(FileId, Language, HandlerScan)>>,
    refusals: HashMap<PathBuf, Refusal>,
    /// Zips read as code, each once: its listing, or why it is not read.
    zips: HashMap<PathBuf, Result<crate::fsread::Zip, Refusal>>,
    scope: Scope,
    /// What parsing workers found ahead of the builder; see [`Prefetched`].
    prefetched: Arc<Prefetched>,
}

impl CodeFiles {
    /// Code files read only inside `scope`.
    #[must_use]
    pub fn new(scope: Scope) -> Self {
        Self { scope, ..Self::default() }
    }

    /// The scope code is read in.
    #[must_use]
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Why `path` could not be read as handler code, if it was refused.
    #[must_use]
    pub fn refusal(&self, path: &Path) -> Option<&Refusal> {
        self.refusals.get(path)
    }

    /// Where parsing workers leave the code they read ahead of [`locate`].
    #[must_use]
    pub fn prefetched(&self) -> Arc<Prefetched> {
        Arc::clone(&self.prefetched)
    }

    /// The text of a side file (Dockerfile, package metadata, an imported module) of at most
    /// `cap` bytes in the run's scope.
    pub(crate) fn read_side(&self, path: &Path, cap: u64) -> Option<String> {
        crate::fsread::read_text(path, cap, &self.scope).ok()
    }

    /// The scan of the source file at `path`, read (and added to `sources`) the first time only.
    /// `None` for a file of no handler language or one the reader refuses.
    pub(crate) fn scan_file(
        &mut self,
        sources: &mut SourceMap,
        path: &Path,
    ) -> Option<(FileId, Language, HandlerScan)> {
        if let Some(hit) = self.scans.get(path) {
            return hit.clone();
        }
        let result = (|| {
            let lang = language_for_path(path)?;
            if let Some((text, scan)) = self.prefetched.take_scan(path) {
                let id = sources.add(SourceFile::from_disk(path.to_owned(), text));
                return Some((id, lang, scan));
            }
            let text = match crate::fsread::read_text(path, crate::fsread::CODE_CAP, &self.scope) {
                Ok(text) => text,
                Err(refusal) => {
                    self.refusals.insert(path.to_owned(), refusal);
                    return None;
                }
            };
            let scan = super::scan(lang, &text);
            let id = sources.add(SourceFile::from_disk(path.to_owned(), text));
            Some((id, lang, scan))
        })();
        self.scans.insert(path.to_owned(), result.clone());
        result
    }

    /// The files of the zip at `path`, opened the first time only.
    pub(super) fn zip_names(&mut self, path: &Path) -> Result<Vec<String>, Refusal> {
        let scope = &self.scope;
        let zip = self.zips.entry(path.to_owned()).or_insert_with(|| crate::fsread::open_zip(path, scope));
        zip.as_ref().map(|z| z.names().to_vec()).map_err(Clone::clone)
    }

    /// Lets go of the bytes of the zip at `path` once its function's files are scanned: a run over
    /// many large zips holds one at a time (the scans of its members stay; a refusal is kept, it is
    /// small).
    pub(super) fn release_zip(&mut self, path: &Path) {
        if matches!(self.zips.get(path), Some(Ok(_))) {
            self.zips.remove(path);
        }
    }

    /// The scan of a member of an opened zip, read (and added to `sources`) the first time only.
    pub(super) fn scan_member(
        &mut self,
        sources: &mut SourceMap,
        zip: &Path,
        member: &str,
    ) -> Result<(FileId, Language, HandlerScan), Refusal> {
        let Some(Ok(archive)) = self.zips.get_mut(zip) else { return Err(Refusal::Missing) };
        let shown = archive.member_path(member);
        if let Some(hit) = self.scans.get(&shown) {
            return hit.clone().ok_or_else(|| self.refusals.get(&shown).cloned().unwrap_or(Refusal::Missing));
        }
        let lang = language_for_path(Path::new(member)).ok_or(Refusal::Missing)?;
        let result = archive.read_text(member, crate::fsread::CODE_CAP).map(|text| {
            let scan = super::scan(lang, &text);
            (sources.add(SourceFile::from_disk(shown.clone(), text)), lang, scan)
        });
        self.scans.insert(shown.clone(), result.clone().ok());
        if let Err(refusal) = &result {
            self.refusals.insert(shown, refusal.clone());
        }
        result
    }
}

/// A function's code as its format describes it.
pub struct CodeRequest<'a> {
    /// The code folder (SAM `CodeUri`, a CDK asset, an `archive_file`'s `source_dir`, a registry
    /// module's `source_path`), or a single source file.
    pub code: &'a Path,
    /// `module.function` (`app.handler`, `dist/index.handler`); empty when not known.
    pub handler: &'a str,
    /// The language the function's runtime runs, when the runtime is given.
    pub runtime: Option<Language>,
    /// The function's layers whose content is in the files.
    pub layers: &'a [super::layers::Layer],
    /// The deployment file's own folder. When it is the code folder (`CodeUri: .`), the code of
    /// many functions and their sources may sit side by side below it: helper modules are taken
    /// from the handler's own folder only.
    pub deployment_dir: Option<&'a Path>,
    /// A container image: its handler may be missing from the folder without that meaning
    /// anything (the image may be built from elsewhere).
    pub image: bool,
    /// Source files a bundler builds the handler module from, relative to `code` (SAM esbuild's
    /// `BuildProperties.EntryPoints`): the bundle names the module after the entry's file stem, so
    /// `Handler: app.lambdaHandler` runs the bundle of `src/app.ts`.
    pub entry_points: &'a [String],
}

/// The files a function runs, scanned.
#[derive(Default)]
pub struct Located {
    pub scans: Vec<(FileId, HandlerScan)>,
    /// The language of the handler: the runtime's, else the handler file's.
    pub language: Option<Language>,
    /// The runtime reads code this linter reads, but the handler was not read.
    pub missing: Option<HandlerAbsence>,
}

/// The files a function runs: the handler module, the layer modules and the helper files of its
/// code folder it imports, each scanned once through `files`.
pub fn locate(request: &CodeRequest<'_>, sources: &mut SourceMap, files: &mut CodeFiles) -> Located {
    let code = request.code;
    if super::zipped::is_zip(code) {
        return super::zipped::locate(request, sources, files);
    }
    let lang = request.runtime;
    let mut handler_files = files.prefetched.handler_files(code, request.handler, lang, &files.scope);
    if handler_files.is_empty() {
        handler_files = entry_point_files(code, request.handler, request.entry_points);
    }
    let mut scans: Vec<(FileId, HandlerScan)> = handler_files
        .iter()
        .filter_map(|path| files.scan_file(sources, path))
        .filter(|(_, l, _)| lang.is_none_or(|want| want == *l))
        .map(|(file, _, scan)| (file, scan))
        .collect();
    // Only the runtime of a handler language has code this linter reads (a Java jar is not
    // missing). A handler file the reader refused is missing whether the code is its folder or
    // the file itself (Terraform's `archive_file` packs a `source_file`): a file outside the
    // scanned folders must not go unread in silence.
    if scans.is_empty() && !request.image && lang.is_some() {
        let missing = match handler_files.iter().find_map(|f| Some((f, files.refusal(f)?))) {
            Some((file, refusal)) => {
                Some(HandlerAbsence::Refused { file: file.clone(), refusal: refusal.clone() })
            }
            None => (!files.scope.is_file(code)).then(|| HandlerAbsence::NotIn { dir: code.to_path_buf() }),
        };
        if missing.is_some() {
            return Located { scans, language: lang, missing };
        }
    }
    let language = lang.or_else(|| handler_files.first().and_then(|f| language_for_path(f)));
    let Some(language) = language else { return Located { scans, language, missing: None } };
    let reader = language.reader();
    add_layer_scans(request, language, &mut scans, sources, files);
    // Helper modules count only when the handler imports them: functions that share a code
    // folder must not inherit each other's calls. That holds in the template's own folder too
    // (`CodeUri: .`): SAM packages the whole folder, and Lambda puts it on the import path.
    if files.scope.is_dir(or_current_folder(code)) && !scans.is_empty() {
        let handler_text: String = scans.iter().map(|(f, _)| sources.get(*f).text().to_owned()).collect();
        let siblings = files.prefetched.siblings(code, &handler_files, files.scope());
        let beside_template =
            request.deployment_dir.is_some_and(|d| normalize_path(d) == normalize_path(code));
        for sibling in siblings {
            let stem = sibling.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if handler_files.contains(&sibling) || stem.is_empty() || !mentions_module(&handler_text, stem) {
                continue;
            }
            // A TypeScript source beside its build (`src/` and `dist/` under `CodeUri: .`) is
            // not what the handler imports.
            if beside_template && !handler_files.iter().any(|h| h.parent() == sibling.parent()) {
                continue;
            }
            add_scan(&mut scans, &sibling, sources, files, lang);
        }
    }
    reader.follow_imports(&handler_files, code, &mut scans, sources, files);
    drop_unreached(&mut scans, sources, request.handler);
    Located { scans, language: Some(language), missing: None }
}

/// Drops the calls this function never runs: those in a named top-level function or class of its
/// code that its entry point does not reach (the unused helper of a shared module, the other
/// handler of a module two functions share). Reached are the entry point, every decorated
/// definition, and every name written in reached code or at a module's top level (a call, an
/// import, a callback, a string), until nothing more is reached. Python and Node.js run a
/// module's top level on import, never its functions.
pub(super) fn drop_unreached(scans: &mut [(FileId, HandlerScan)], sources: &SourceMap, handler: &str) {
    let Some((_, entry)) = handler.rsplit_once('.') else { return };
    let callers: Vec<&str> = scans
        .iter()
        .flat_map(|(_, scan)| scan.calls.iter().filter_map(|c| c.reached_through.as_deref()))
        .filter(|name| *name != entry)
        .collect();
    if callers.is_empty() {
        return;
    }
    // Every text that runs for sure (module level), then each definition once it is reached.
    let mut reached: Vec<&str> = vec![entry];
    let mut pending: Vec<&str> = Vec::new();
    let mut unreached: Vec<(&str, &str)> = Vec::new();
    for (file, scan) in scans.iter() {
        let text = sources.get(*file).text();
        let mut at = 0;
        for def in &scan.top_level {
            let (lo, hi) = (def.span.start as usize, def.span.end as usize);
            let (lo, hi) = (lo.min(text.len()), hi.min(text.len()));
            pending.push(text.get(at..lo.max(at)).unwrap_or(""));
            at = at.max(hi);
            if def.decorated || def.name == entry {
                pending.push(text.get(lo..hi).unwrap_or(""));
            } else {
                unreached.push((def.name.as_str(), text.get(lo..hi).unwrap_or("")));
            }
        }
        pending.push(text.get(at..).unwrap_or(""));
    }
    while let Some(code) = pending.pop() {
        let mut i = 0;
        while i < unreached.len() {
            let (name, body) = unreached[i];
            if names(code, name) {
                reached.push(name);
                pending.push(body);
                unreached.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }
    let dropped: Vec<&str> = callers.into_iter().filter(|name| !reached.contains(name)).collect();
    if dropped.is_empty() {
        return;
    }
    let dropped: Vec<String> = dropped.into_iter().map(str::to_owned).collect();
    for (_, scan) in scans.iter_mut() {
        scan.calls.retain(|c| c.reached_through.as_ref().is_none_or(|name| !dropped.contains(name)));
    }
}

/// Whether `text` writes `name` as a whole identifier (of Python or JavaScript: `$` included).
fn names(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(at, _)| is_whole_word(text, at, name.len(), ident))
}

/// Whether the `len` bytes of `text` at `at` are not part of a longer word made of `word`
/// characters.
fn is_whole_word(text: &str, at: usize, len: usize, word: impl Fn(char) -> bool) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(&word) && !after.is_some_and(&word)
}

/// Adds the modules of the function's layers that the handler files in `scans` import.
pub(super) fn add_layer_scans(
    request: &CodeRequest<'_>,
    language: Language,
    scans: &mut Vec<(FileId, HandlerScan)>,
    sources: &mut SourceMap,
    files: &mut CodeFiles,
) {
    if request.layers.is_empty() {
        return;
    }
    let reader = language.reader();
    let handler_text: String = scans.iter().map(|(f, _)| sources.get(*f).text().to_owned()).collect();
    for package in reader.imported_packages(&handler_text) {
        for layer in request.layers {
            for path in reader.layer_files(&layer.runtime_dir(reader.layer_folder()), &package) {
                add_scan(scans, &path, sources, files, None);
            }
        }
    }
}

/// The file-system work of [`locate`] for the functions a template names literally (handler
/// files probed, handler modules read and scanned, the code folder walked for helpers), done by a
/// parsing worker while the calling thread is still building the model from earlier templates.
/// `locate` takes each text once, in its own order, so the model and its file ids are the same
/// as without it; what it finds missing it computes itself. Handler-file probes and helper walks
/// are kept for the rest of the read (many functions share a code folder) and `locate` records
/// its own there too. Results are pure functions of the files, read through the same scope, so
/// taking one instead of computing it changes nothing.
#[derive(Default)]
pub struct Prefetched {
    handler_files: Mutex<HashMap<HandlerKey, Vec<PathBuf>>>,
    /// Text and scan of handler files that could be read; a refusal is left to `scan_file`.
    scans: Mutex<HashMap<PathBuf, (String, HandlerScan)>>,
    /// (code folder, its handler files) → its helper source files.
    siblings: Mutex<HashMap<SiblingKey, Vec<PathBuf>>>,
    /// What the helper walks learnt about folders (shared ancestors are asked once).
    folders: super::helper_walk::FolderFacts,
}

/// What `handler_files` is asked: code folder, handler string, runtime language.
type HandlerKey = (PathBuf, String, Option<Language>);

/// What `sibling_sources` is asked: code folder, its handler files.
type SiblingKey = (PathBuf, Vec<PathBuf>);

impl Prefetched {
    /// Reads ahead what `locate` will need for a function whose code is the folder `code` with
    /// `handler` and `runtime`.
    pub fn prefetch(&self, code: &Path, handler: &str, runtime: Option<Language>, scope: &Scope) {
        let key = (code.to_path_buf(), handler.to_owned(), runtime);
        if lock(&self.handler_files).contains_key(&key) {
            return;
        }
        let found = handler_files(code, handler, runtime, scope);
        for path in &found {
            let Some(lang) = language_for_path(path) else { continue };
            if lock(&self.scans).contains_key(path) {
                continue;
            }
            if let Ok(text) = crate::fsread::read_text(path, crate::fsread::CODE_CAP, scope) {
                let scan = super::scan(lang, &text);
                lock(&self.scans).insert(path.clone(), (text, scan));
            }
        }
        if !found.is_empty() && scope.is_dir(or_current_folder(code)) {
            let key = (code.to_path_buf(), found.clone());
            // The lock is not held over the walk: the builder may be asking for another folder.
            let walked = lock(&self.siblings).contains_key(&key);
            if !walked {
                let siblings = sibling_sources(code, &found, scope, &self.folders);
                lock(&self.siblings).insert(key, siblings);
            }
        }
        lock(&self.handler_files).insert(key, found);
    }

    /// The files that may hold the handler module, probed once per (folder, handler, runtime) in
    /// a run: templates and functions routinely share a code folder.
    fn handler_files(
        &self,
        code: &Path,
        handler: &str,
        runtime: Option<Language>,
        scope: &Scope,
    ) -> Vec<PathBuf> {
        let key = (code.to_path_buf(), handler.to_owned(), runtime);
        if let Some(found) = lock(&self.handler_files).get(&key) {
            return found.clone();
        }
        let found = handler_files(code, handler, runtime, scope);
        lock(&self.handler_files).insert(key, found.clone());
        found
    }

    fn take_scan(&self, path: &Path) -> Option<(String, HandlerScan)> {
        lock(&self.scans).remove(path)
    }

    /// The helper source files of a code folder, walked once per (folder, handler files) in a run.
    fn siblings(&self, code: &Path, handler_files: &[PathBuf], scope: &Scope) -> Vec<PathBuf> {
        let key = (code.to_path_buf(), handler_files.to_vec());
        if let Some(found) = lock(&self.siblings).get(&key) {
            return found.clone();
        }
        let found = sibling_sources(code, handler_files, scope, &self.folders);
        lock(&self.siblings).insert(key, found.clone());
        found
    }

    /// Empties what is kept once every file is read (the probes and walks, and the texts no
    /// function took: a template whose build asked for other paths) and returns it, for the
    /// caller to free where it costs least.
    #[must_use]
    pub fn empty(&self) -> Box<dyn Send> {
        Box::new((
            std::mem::take(&mut *lock(&self.handler_files)),
            std::mem::take(&mut *lock(&self.scans)),
            std::mem::take(&mut *lock(&self.siblings)),
            self.folders.empty(),
        ))
    }
}

/// The handler a Lambda base image runs: the first argument of the Dockerfile's last `CMD`
/// (`CMD ["app.handler"]`, `CMD app.handler`)
/// (<https://docs.aws.amazon.com/lambda/latest/dg/images-create.html>).
#[must_use]
pub fn dockerfile_handler(text: &str) -> Option<String> {
    let cmd = text.lines().rev().find_map(|l| {
        let l = l.trim();
        l.get(..4).filter(|k| k.eq_ignore_ascii_case("CMD ")).map(|_| l[4..].trim())
    })?;
    let first = match cmd.strip_prefix('[') {
        Some(json) => json.split(',').next()?.trim().trim_end_matches(']').trim().trim_matches('"'),
        None => cmd.split_whitespace().next()?,
    };
    (!first.is_empty()).then(|| first.to_owned())
}

/// The folders under `dir` (at most `depth` levels down, `dir` included) with a `Dockerfile`:
/// the build contexts an image may be built from. Committed ignore files count, dependency
/// folders do not, and the walk is bounded.
#[must_use]
pub fn docker_contexts(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .git_global(false)
        .git_exclude(false)
        .max_depth(Some(depth + 1))
        .filter_entry(|e| {
            !matches!(e.file_name().to_str(), Some("node_modules" | ".terraform" | ".venv" | "venv"))
        })
        .build();
    let mut out: Vec<PathBuf> = walker
        .flatten()
        .take(5000)
        .filter(|e| e.file_name() == "Dockerfile" && e.path().is_file())
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// True when `dir` holds the module of `handler` in the runtime's language: a folder a package
/// built outside the deployment tool may have been made from.
#[must_use]
pub fn holds_handler(dir: &Path, handler: &str, runtime: Language, scope: &Scope) -> bool {
    scope.is_dir(dir)
        && handler_files(dir, handler, Some(runtime), scope)
            .iter()
            .any(|f| language_for_path(f) == Some(runtime))
}

/// Adds the scan of the file at `path` once, when it is of the language wanted.
pub(in crate::code) fn add_scan(
    scans: &mut Vec<(FileId, HandlerScan)>,
    path: &Path,
    sources: &mut SourceMap,
    files: &mut CodeFiles,
    want: Option<Language>,
) {
    if let Some((file, l, scan)) = files.scan_file(sources, path)
        && want.is_none_or(|want| want == l)
        && !scans.iter().any(|(f, _)| *f == file)
    {
        scans.push((file, scan));
    }
}

/// The files that may hold the handler module: `code` itself when it is a file, else the module's
/// file under `code` in the extensions of the runtime's language (of every language when the
/// runtime is not known), else the module's package entry. A file of another language is not the
/// runtime's handler, whatever its name: it is neither scanned nor reported as the handler.
fn handler_files(code: &Path, handler: &str, runtime: Option<Language>, scope: &Scope) -> Vec<PathBuf> {
    if scope.is_file(code) {
        return vec![code.to_path_buf()];
    }
    let Some((module, _)) = handler.rsplit_once('.') else { return Vec::new() };
    let base = code.join(module.replace('.', "/"));
    let base_alt = code.join(module);
    let mut files = Vec::new();
    // A module without dots names one path: probe it once. One `metadata` call per candidate
    // (at 10,000 stacks the probes were most of the run's system calls).
    let bases: &[&PathBuf] = if base_alt == base { &[&base] } else { &[&base_alt, &base] };
    let languages = || super::handler_languages(runtime);
    for ext in languages().flat_map(super::HandlerLanguage::handler_extensions) {
        for candidate in bases.iter().map(|b| b.with_extension(ext)) {
            // Whatever is there is the handler (a FIFO or a link out of the repository included):
            // the reader refuses what it must not read, and the finding says so.
            let present = scope.holds_non_folder(&candidate);
            if present && !files.contains(&candidate) {
                files.push(candidate);
            }
        }
    }
    if files.is_empty()
        && let Some(entry) = languages().filter_map(|l| l.package_entry(&base)).find(|p| scope.is_file(p))
    {
        files.push(entry);
    }
    files
}

/// The entry points (relative to `code`) a bundle's handler module is built from: the entry whose
/// path without extension is the module's, else whose file stem is the module's last segment. SAM
/// CLI bundles each entry to `<outdir>/<stem>.js` (esbuild's `outbase` is the entries' common
/// folder), and uses the handler as the entry point only when `EntryPoints` is not given
/// (<https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html>).
fn entry_point_files(code: &Path, handler: &str, entry_points: &[String]) -> Vec<PathBuf> {
    let Some((module, _)) = handler.rsplit_once('.') else { return Vec::new() };
    let module = module.trim_start_matches("./");
    let last = module.rsplit('/').next().unwrap_or(module);
    let without_ext = |entry: &str| -> String {
        let path = Path::new(entry.trim_start_matches("./"));
        path.with_extension("").to_string_lossy().replace('\\', "/")
    };
    let exact = entry_points.iter().find(|e| without_ext(e) == module);
    let by_stem = || {
        entry_points.iter().find(|e| Path::new(e.as_str()).file_stem().and_then(|s| s.to_str()) == Some(last))
    };
    let Some(entry) = exact.or_else(by_stem) else { return Vec::new() };
    let path = code.join(entry.trim_start_matches("./"));
    if path.is_file() { vec![path] } else { Vec::new() }
}

/// Other source files of a code folder (helpers the handler imports), skipping tests and
/// dependencies; bounded so a huge folder cannot stall the run. A folder the handler itself is in
/// is not skipped for its name: with `CodeUri: ./` and `Handler: dist/index.handler` (tsc output),
/// the helpers are in `dist/` too.
fn sibling_sources(
    dir: &Path,
    handler_files: &[PathBuf],
    scope: &crate::fsread::Scope,
    folders: &super::helper_walk::FolderFacts,
) -> Vec<PathBuf> {
    const MAX_DEPTH: usize = 4;
    const MAX_FILES: usize = 200;
    let mut out = Vec::new();
    // The folder the run started in is the empty path: it is walked as `.`, and what the walk
    // gives is named as the handler files are (`score.py`, not `./score.py`).
    let walked = or_current_folder(dir);
    let named = |path: PathBuf| if walked == dir { path } else { normalize_path(&path) };
    // Both walks give the same entries; the plain one only where no ignore file applies, and
    // its listing of `dir` is the one the installed packages are read from.
    let plain = folders.plain_walk(walked, scope, MAX_DEPTH, MAX_FILES);
    let vendored = match &plain {
        Some(walk) => super::vendored::packages_listed(walked, &walk.root_names, scope),
        None => super::vendored::top_level_packages(walked, scope),
    };
    let homes: Vec<&Path> = handler_files
        .iter()
        .filter_map(|f| f.parent()?.strip_prefix(dir).ok())
        .filter(|home| home.components().next().is_some())
        .collect();
    // Only committed ignore files count, as in discovery: the same checkout gives the same answer.
    let entries: Box<dyn Iterator<Item = (PathBuf, bool)>> = match plain {
        Some(walk) => Box::new(walk.entries.into_iter()),
        None => Box::new(
            ignore::WalkBuilder::new(walked)
                .require_git(false)
                .git_global(false)
                .git_exclude(false)
                .max_depth(Some(MAX_DEPTH))
                .build()
                .flatten()
                .map(|entry| {
                    let is_file = entry.path().is_file();
                    (entry.into_path(), is_file)
                }),
        ),
    };
    for (path, is_file) in entries {
        let path = named(path);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        let below_home = homes.iter().find_map(|home| relative.strip_prefix(home).ok()).unwrap_or(relative);
        let in_excluded =
            below_home.components().any(|c| c.as_os_str().to_str().is_some_and(is_excluded_folder))
                || super::vendored::is_vendored(relative, &vendored);
        let is_test = name.starts_with("test_") || name.contains(".test.") || name.contains(".spec.");
        if is_file && !in_excluded && !is_test && language_for_path(&path).is_some() {
            out.push(path);
            if out.len() >= MAX_FILES {
                break;
            }
        }
    }
    out.sort();
    out
}

/// A folder whose source files are not the function's own helpers: dependencies, tests, build
/// output, caches.
pub(super) fn is_excluded_folder(name: &str) -> bool {
    matches!(
        name,
        "node_modules"
            | "tests"
            | "test"
            | "__tests__"
            | "dist"
            | "build"
            | "venv"
            | ".venv"
            | "site-packages"
            | "vendor"
            | "__pycache__"
    )
}

/// True when source text imports a module by this file stem (`import x`, `from .x import`,
/// `require('./x')`, `from './x'`): a whole-word mention on a line that imports or requires.
///
/// Linear in the text: the mentions come in order, so whether a line imports is read once per
/// line, not once per mention (a 1.2 MB line naming the stem thousands of times took 78 s).
pub(super) fn mentions_module(text: &str, stem: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    // The end of the last line read and whether it imports.
    let mut line: Option<(usize, bool)> = None;
    text.match_indices(stem).any(|(i, _)| {
        if !is_whole_word(text, i, stem.len(), word) {
            return false;
        }
        match line {
            Some((end, imports)) if i < end => imports,
            _ => {
                // Back to the line's start: not past the last line read, which ended in a `\n`.
                let start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                let end = text[i..].find('\n').map_or(text.len(), |p| i + p);
                let text = &text[start..end];
                let imports = text.contains("import") || text.contains("require(");
                line = Some((end, imports));
                imports
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{entry_point_files, mentions_module};

    #[test]
    fn a_bundled_handler_module_is_the_entry_point_of_its_name() {
        let dir = std::env::temp_dir().join(format!("sagelint-entry-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/lib")).unwrap();
        for f in ["src/app.ts", "src/lib/other.ts"] {
            std::fs::write(dir.join(f), "export const lambdaHandler = 1;").unwrap();
        }
        let entries = ["./src/app.ts".to_owned(), "src/lib/other.ts".to_owned()];
        assert_eq!(entry_point_files(&dir, "app.lambdaHandler", &entries), vec![dir.join("src/app.ts")]);
        assert_eq!(entry_point_files(&dir, "src/lib/other.h", &entries), vec![dir.join("src/lib/other.ts")]);
        assert!(entry_point_files(&dir, "missing.lambdaHandler", &entries).is_empty());
        assert!(entry_point_files(&dir, "nohandler", &entries).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The scan as first written (quadratic on a long line): the reference for the linear one.
    fn mentions_module_reference(text: &str, stem: &str) -> bool {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        text.match_indices(stem).any(|(i, _)| {
            let before = text[..i].chars().next_back().unwrap_or(' ');
            let after = text[i + stem.len()..].chars().next().unwrap_or(' ');
            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            let line = text[line_start..].split('\n').next().unwrap_or("");
            !word(before) && !word(after) && (line.contains("import") || line.contains("require("))
        })
    }

    #[test]
    fn a_module_is_mentioned_by_a_whole_word_on_an_importing_line() {
        let cases = [
            ("import helper\n", "helper", true),
            ("from .helper import NAME", "helper", true),
            ("const h = require('./helper');", "helper", true),
            ("import { x } from './helper';\n", "helper", true),
            ("helper = 1\nimport os\n", "helper", false),
            ("import helpers\n", "helper", false),
            ("import my_helper\n", "helper", false),
            ("x = [helper, helper, helper]\nprint(helper)\nfrom helper import NAME\n", "helper", true),
            ("x = [helper, helper]\nimport os\ny = helper\n", "helper", false),
            ("import os; x = helperx; y = (helper)\n", "helper", true),
            ("helperhelper import\n", "helper", false),
            ("é helper import\nhelper\n", "helper", true),
            ("\nimport\nhelper\n", "helper", false),
            ("a \nb import\n", "\nb", false),
            ("", "helper", false),
        ];
        for (text, stem, want) in cases {
            assert_eq!(mentions_module(text, stem), want, "{text:?} {stem:?}");
            assert_eq!(mentions_module_reference(text, stem), want, "{text:?} {stem:?}");
        }
    }
}
