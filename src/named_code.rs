//! Handler code named on the command line (`git diff --name-only | xargs sagelint check`, an
//! editor's on-save run): a handler is judged within the stack that deploys it. Its repository's
//! templates are read as context, and only findings about what the user named are kept: those on
//! named files, those that point into the named code, and those about a function whose calls are
//! in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::problem::{Problem, UndecidableProblem};
use crate::source::{SourceFile, SourceMap, normalize_path};
use crate::span::{FileId, Loc, Span};

/// The handler files among the paths of a run, and the folders to read for their stacks.
#[derive(Debug, Default)]
pub(crate) struct NamedCode {
    /// The handler files named, as given, each with the folder its stack is looked for in.
    files: Vec<(PathBuf, PathBuf)>,
    /// Paths the user named (files and folders), canonical: findings on files at or under them
    /// are always kept.
    asked: Vec<PathBuf>,
    /// Where each handler's stack is looked for: its repository (the nearest folder with `.git`),
    /// else the working directory when the file is under it, else the file's folder.
    pub(crate) context: Vec<PathBuf>,
}

impl NamedCode {
    /// Splits the handler files out of `paths`; `context` holds the folders to add to the run.
    #[must_use]
    pub(crate) fn of_paths(paths: &[PathBuf]) -> Self {
        let files: Vec<(PathBuf, PathBuf)> = paths
            .iter()
            .filter(|p| crate::code::language_for_path(p).is_some() && p.is_file())
            .map(|file| {
                let folder = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                (file.clone(), stack_root(folder))
            })
            .collect();
        let mut context: Vec<PathBuf> = Vec::new();
        for (_, root) in &files {
            if !context.contains(root) {
                context.push(root.clone());
            }
        }
        // Only `keep_judged` reads them, and only when handler files were named.
        let asked = if files.is_empty() { Vec::new() } else { paths.iter().map(|p| canonical(p)).collect() };
        Self { files, asked, context }
    }

    /// Whether handler files were named (and context folders are read).
    #[must_use]
    pub(crate) fn any(&self) -> bool {
        !self.files.is_empty()
    }

    /// An SL003 note for each named handler no function runs (its file added to `sources` so the
    /// note has a place); without it, `sagelint check src/app.py` would pass in silence.
    pub(crate) fn note_undeployed(
        &self,
        model: &mut Model,
        sources: &mut SourceMap,
        scope: &crate::fsread::Scope,
    ) {
        for (file, searched) in &self.files {
            if ids_of(sources, file).next().is_some() {
                continue;
            }
            // The note needs the file's text for its snippet; an unreadable one is shown empty.
            let text = crate::fsread::read_text(file, crate::fsread::CODE_CAP, scope).unwrap_or_default();
            let at = unchecked_span(file, &text);
            let id = sources.add(SourceFile::from_disk(file.clone(), text));
            model.problems.push(Problem::new(
                Loc::new(id, at),
                UndecidableProblem::CodeNotDeployed { searched: searched.clone() },
            ));
        }
    }

    /// Drops the findings about stacks read only as context: a finding stays when it is on a
    /// file the user named (or under a folder they named), points into named code, or is about a
    /// function whose calls are in named code.
    pub(crate) fn keep_judged(&self, diagnostics: &mut Vec<Diagnostic>, model: &Model, sources: &SourceMap) {
        let named: BTreeSet<FileId> = self.files.iter().flat_map(|(f, _)| ids_of(sources, f)).collect();
        let callers: BTreeSet<(&str, FileId)> = model
            .functions
            .iter()
            .filter(|f| f.calls.iter().any(|c| named.contains(&c.site.file)))
            .map(|f| (f.id.as_str(), f.loc.file))
            .collect();
        let asked: BTreeSet<FileId> = sources
            .iter()
            .filter(|(_, s)| {
                let path = canonical(s.path());
                self.asked.iter().any(|a| path.starts_with(a))
            })
            .map(|(id, _)| id)
            .collect();
        diagnostics.retain(|d| {
            let Some(primary) = &d.finding.primary else { return true };
            asked.contains(&primary.loc.file)
                || d.finding.related.iter().any(|l| named.contains(&l.loc.file))
                || d.finding.resource.as_deref().is_some_and(|r| callers.contains(&(r, primary.loc.file)))
        });
    }
}

/// Where the note about an unjudged handler points: its first endpoint call, which is what goes
/// unchecked, else its first line with text.
fn unchecked_span(file: &Path, text: &str) -> Span {
    let first_call = crate::code::language_for_path(file)
        .and_then(|lang| crate::code::scan(lang, text).calls.first().map(|c| c.span));
    first_call.unwrap_or_else(|| {
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let lead = line.len() - line.trim_start().len();
                return Span::from_range(start + lead, start + lead + trimmed.len());
            }
            start += line.len();
        }
        Span::new(0, 0)
    })
}

/// The source ids of `file` (as read by a function's locator, spelled however it reached it).
fn ids_of<'s>(sources: &'s SourceMap, file: &Path) -> impl Iterator<Item = FileId> + 's {
    let want = canonical(file);
    let name = file.file_name().map(std::ffi::OsStr::to_owned);
    sources
        .iter()
        .filter(move |(_, s)| s.path().file_name() == name.as_deref() && canonical(s.path()) == want)
        .map(|(id, _)| id)
}

/// The folder whose templates may deploy code in `folder`.
fn stack_root(folder: &Path) -> PathBuf {
    let Ok(canonical_folder) = folder.canonicalize() else { return folder.to_path_buf() };
    let repository = crate::fsread::repository_of(&canonical_folder);
    if repository != canonical_folder {
        // As the user would write it (relative to the working directory), so the stack's files
        // read under it are shown as the other findings' are.
        let shown = crate::display_path(&repository);
        return PathBuf::from(if shown.is_empty() { ".".to_owned() } else { shown });
    }
    // No repository: the working directory, when the file is under it (a template beside
    // `src/`), else the file's own folder.
    match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if canonical_folder.starts_with(&cwd) => PathBuf::from("."),
        _ => folder.to_path_buf(),
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| normalize_path(path))
}
