//! Rendering a run's diagnostics: one module per format. Only this module and `main` write output.

mod github;
mod json;
pub mod lsp;
mod pretty;
mod sarif;
mod short;
mod snippet;
mod stream;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// Report formats of `check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pretty,
    Short,
    Json,
    Sarif,
    Github,
}

/// Options that change how a report looks.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub quiet: bool,
    pub width: usize,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
}

impl Summary {
    #[must_use]
    pub fn new(diagnostics: &[Diagnostic], files: usize) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Self {
            files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            suppressed: 0,
        }
    }
}

/// Renders the diagnostics in the given format.
#[must_use]
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    style: Style,
) -> String {
    let mut out = Vec::new();
    // Writing to a `Vec` cannot fail, and every format writes UTF-8 text.
    let _ = write(format, diagnostics, sources, summary, style, 1, &mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes the diagnostics in the given format to `out` as they are rendered, never holding the
/// whole report: with more than one worker, many findings are rendered on `workers` threads, a
/// chunk each, and written in order (the bytes never depend on `workers`). Only a failed write
/// fails.
pub fn write(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    style: Style,
    workers: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Pretty => pretty::write(diagnostics, sources, summary, style, workers, out),
        Format::Short => short::write(diagnostics, sources, workers, out),
        Format::Json => json::write(diagnostics, sources, summary, workers, out),
        Format::Sarif => sarif::write(diagnostics, sources, workers, out),
        Format::Github => github::write(diagnostics, sources, workers, out),
    }
}

/// 1-based (line, column, end line, end column) of a diagnostic's primary span.
pub(crate) fn position(d: &Diagnostic, sources: &SourceMap) -> Option<(String, usize, usize, usize, usize)> {
    let label = d.finding.primary.as_ref()?;
    let file = sources.get(label.loc.file);
    let (line, col) = file.line_col(label.loc.span.start);
    let (end_line, end_col) = file.line_col(label.loc.span.end);
    Some((file.name().to_owned(), line, col, end_line, end_col))
}

/// A fingerprint that survives unrelated edits: code, file, resource, message and the primary text,
/// never line numbers.
#[must_use]
pub fn fingerprint(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(d.code);
    feed(d.finding.resource.as_deref().unwrap_or(""));
    feed(&d.finding.message);
    if let Some(label) = &d.finding.primary {
        let file = sources.get(label.loc.file);
        feed(file.name());
        feed(file.slice(label.loc.span));
    }
    format!("{hash:016x}")
}
