//! Source files shared by `Arc`: text read once, a lazy line index, and byte → (line, column) conversion.
//!
//! ```
//! use sagelint::source::SourceFile;
//! let f = SourceFile::new("t.yaml".into(), "t.yaml".into(), "a: 1\nbé: 2\n".into());
//! assert_eq!(f.line_col(0), (1, 1));
//! assert_eq!(f.line_col(9), (2, 4)); // columns count characters, not bytes
//! ```

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SpanContents};

use crate::span::{FileId, Span};

/// One file's text, read once and shared.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    display: String,
    text: String,
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    #[must_use]
    pub fn new(path: PathBuf, display: String, text: String) -> Self {
        Self { path, display, text, line_starts: OnceLock::new() }
    }

    /// A file read from disk: reports show its path relative to the working directory when it is
    /// below it (the one place the run's working directory shapes a file's name).
    #[must_use]
    pub fn from_disk(path: PathBuf, text: String) -> Self {
        let display = crate::display_path(&path);
        Self::new(path, display, text)
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as reports show it (relative to the working directory when below it).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.display
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of the start of each line, the first line's (0) included.
    pub(crate) fn line_starts(&self) -> &[u32] {
        // memchr's vector search: a 1 MiB template's index is built for the report of every run
        // with findings, and a byte-at-a-time search took a tenth of such a run.
        self.line_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 32 + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| (i + 1) as u32));
            starts
        })
    }

    /// 1-based line and 1-based character column of a byte offset (clamped to the text).
    #[must_use]
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s as usize <= offset).saturating_sub(1);
        let line_start = starts[line] as usize;
        let col = self.text.get(line_start..offset).map_or(offset - line_start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// 1-based line of a byte offset.
    #[must_use]
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_col(offset).0
    }

    /// Byte range of a 1-based line, without its line terminator.
    #[must_use]
    pub fn line_span(&self, line: usize) -> Option<Span> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)? as usize;
        let end = starts.get(line).map_or(self.text.len(), |&e| e as usize);
        let trimmed = self.text[start..end].trim_end_matches(['\n', '\r']).len();
        Some(Span::from_range(start, start + trimmed))
    }

    /// The text under a span (empty if the span is out of range or splits a character).
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or("")
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.display.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Every file the run has read, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(Arc::new(file));
        id
    }

    #[must_use]
    pub fn get(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    #[must_use]
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(|i| FileId(i as u32))
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Arc<SourceFile>)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A folder as the system is asked about it: the folder the run started in is written as the
/// empty path (`Path::new("main.tf").parent()`, a normalised `..` back to it), which names no
/// folder to the system.
#[must_use]
pub fn or_current_folder(folder: &std::path::Path) -> &std::path::Path {
    if folder.as_os_str().is_empty() { std::path::Path::new(".") } else { folder }
}

/// `a/./b/../c` as `a/c`, without touching the file system: a `..` folds only into a folder name
/// before it, so a leading `..` (or `../..`) is kept, as the user wrote it.
#[must_use]
pub fn normalize_path(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let folds = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if !(folds && out.pop()) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod path_tests {
    use super::normalize_path;
    use std::path::Path;

    #[test]
    fn dots_fold_into_folder_names_only() {
        assert_eq!(normalize_path(Path::new("a/./b/../c")), Path::new("a/c"));
        // A `..` above the start is what the user wrote; it never cancels another `..`.
        assert_eq!(normalize_path(Path::new("../../x")), Path::new("../../x"));
        assert_eq!(normalize_path(Path::new("a/../../x")), Path::new("../x"));
        assert_eq!(normalize_path(Path::new("./template.yaml")), Path::new("template.yaml"));
    }
}
