//! `pretty`: miette reports with the source snippet, the primary label, related labels (in other
//! files, or too far along an over-long line, as related reports, each with its own snippet) and
//! help. miette sees bounded, escaped [`Snippet`]s, never a whole file.

use std::fmt;
use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::snippet::{self, Snippet};
use super::{Style, Summary};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::SourceMap;
use crate::text::escape_controls;

/// One diagnostic as miette sees it: labels in one file, related reports for the others.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    url: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url.as_ref().map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() { None } else { Some(Box::new(self.labels.iter().cloned())) }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A report of its own for a label that has no place in its diagnostic's snippet (in another file,
/// or on an over-long line far from the other labels).
fn alone(l: &Label, sources: &SourceMap) -> Rendered {
    let (snippet, spans) = snippet::build(sources.get(l.loc.file), &[l.loc.span]);
    Rendered {
        message: escape_controls(&l.message).into_owned(),
        code: None,
        url: None,
        severity: miette::Severity::Advice,
        help: None,
        source: Some(snippet),
        labels: spans.into_iter().flatten().map(|s| LabeledSpan::new_with_span(None, s)).collect(),
        related: Vec::new(),
    }
}

fn build(d: &Diagnostic, sources: &SourceMap) -> Rendered {
    let primary_file = d.finding.primary.as_ref().map(|l| l.loc.file);
    // The primary label first: it sets the window of an over-long line.
    let here: Vec<&Label> = d
        .finding
        .primary
        .iter()
        .chain(d.finding.related.iter().filter(|l| Some(l.loc.file) == primary_file))
        .collect();
    let (source, placed) = match primary_file {
        Some(file) => {
            let spans: Vec<_> = here.iter().map(|l| l.loc.span).collect();
            let (snippet, placed) = snippet::build(sources.get(file), &spans);
            (Some(snippet), placed)
        }
        None => (None, Vec::new()),
    };
    let mut labels = Vec::new();
    let mut unplaced = Vec::new();
    for (i, (l, span)) in here.iter().zip(placed).enumerate() {
        let message = Some(escape_controls(&l.message).into_owned());
        match span {
            Some(span) if i == 0 && d.finding.primary.is_some() => {
                labels.push(LabeledSpan::new_primary_with_span(message, span));
            }
            Some(span) => labels.push(LabeledSpan::new_with_span(message, span)),
            None => unplaced.push(*l),
        }
    }
    let related = d
        .finding
        .related
        .iter()
        .filter(|l| Some(l.loc.file) != primary_file || unplaced.contains(l))
        .map(|l| alone(l, sources))
        .collect();
    Rendered {
        message: escape_controls(&d.finding.message).into_owned(),
        code: Some(format!("{} {}", d.code, d.name)),
        url: d.code.starts_with("SL").then(|| crate::rules::doc_url(d.code)),
        severity: miette_severity(d.severity),
        help: d.finding.help.as_deref().map(|h| escape_controls(h).into_owned()),
        source,
        labels,
        related,
    }
}

pub(super) fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    style: Style,
    workers: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    super::stream::items(diagnostics, workers, out, |_, d, out| {
        let rendered = build(d, sources);
        if handler.render_report(out, &rendered).is_err() {
            let _ = writeln!(out, "{} {}: {}", d.code, d.severity, escape_controls(&d.finding.message));
        }
        out.push('\n');
    })?;
    if !style.quiet {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        // Hidden findings are counted so a clean-looking run does not hide that something was
        // silenced (the JSON `summary.suppressed` carries the same number).
        let suppressed = if summary.suppressed > 0 {
            format!(" ({} suppressed)", summary.suppressed)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}, {}, {} in {}{suppressed}",
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info"),
            plural(summary.files, "file")
        )?;
    }
    Ok(())
}
