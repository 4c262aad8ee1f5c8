//! `pretty`: miette reports with the source snippet, the primary label, related labels (in other
//! files as related reports, each with its own source) and help.

use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::{Style, Summary};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, SourceMap};

/// One diagnostic as miette sees it: labels in one file, related reports for the others.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    url: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Arc<SourceFile>>,
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
        self.source.as_deref().map(|s| s as &dyn SourceCode)
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

fn build(d: &Diagnostic, sources: &SourceMap) -> Rendered {
    let primary_file = d.finding.primary.as_ref().map(|l| l.loc.file);
    let to_span = |l: &Label, primary: bool| {
        if primary {
            LabeledSpan::new_primary_with_span(Some(l.message.clone()), l.loc.span)
        } else {
            LabeledSpan::new_with_span(Some(l.message.clone()), l.loc.span)
        }
    };
    let mut labels: Vec<LabeledSpan> = d.finding.primary.iter().map(|l| to_span(l, true)).collect();
    let mut related = Vec::new();
    for l in &d.finding.related {
        if Some(l.loc.file) == primary_file {
            labels.push(to_span(l, false));
        } else {
            related.push(Rendered {
                message: l.message.clone(),
                code: None,
                url: None,
                severity: miette::Severity::Advice,
                help: None,
                source: Some(sources.get(l.loc.file).clone()),
                labels: vec![LabeledSpan::new_with_span(None, l.loc.span)],
                related: Vec::new(),
            });
        }
    }
    Rendered {
        message: d.finding.message.clone(),
        code: Some(format!("{} {}", d.code, d.name)),
        url: d.code.starts_with("SL").then(|| crate::rules::doc_url(d.code)),
        severity: miette_severity(d.severity),
        help: d.finding.help.clone(),
        source: primary_file.map(|f| sources.get(f).clone()),
        labels,
        related,
    }
}

pub(super) fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    style: Style,
) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = String::new();
    for d in diagnostics {
        let rendered = build(d, sources);
        if handler.render_report(&mut out, &rendered).is_err() {
            let _ = writeln!(out, "{} {}: {}", d.code, d.severity, d.finding.message);
        }
        out.push('\n');
    }
    if !style.quiet {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        // Hidden findings are counted so a clean-looking run does not hide that something was
        // silenced (the JSON `summary.suppressed` carries the same number).
        let suppressed = if summary.suppressed > 0 {
            format!(" ({} suppressed)", summary.suppressed)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}, {}, {} in {}{suppressed}",
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.infos, "info"),
            plural(summary.files, "file")
        );
    }
    out
}
