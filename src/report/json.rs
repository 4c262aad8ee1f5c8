//! `json`: the stable schema of cli-contract.md (version 1); fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::{Summary, stream};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

#[derive(Serialize)]
struct Document<D> {
    version: u32,
    tool: Tool,
    /// The findings, or the marker they are written in place of (`stream::Frame`).
    diagnostics: D,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Related<'a>>,
    fingerprint: String,
}

#[derive(Serialize)]
struct Related<'a> {
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
}

/// Writes the document: its frame, then each finding as it is rendered (on `workers` threads when
/// there are many), byte for byte what serializing the whole document at once would give.
pub(super) fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    summary: Summary,
    workers: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = JsonSummary {
        files: summary.files,
        errors: summary.errors,
        warnings: summary.warnings,
        infos: summary.infos,
        suppressed: summary.suppressed,
    };
    let tool = Tool { name: "sagelint", version: env!("CARGO_PKG_VERSION") };
    let frame = if diagnostics.is_empty() {
        Document { version: 1, tool, diagnostics: Vec::<()>::new(), summary }.to_pretty()
    } else {
        Document { version: 1, tool, diagnostics: [stream::MARKER], summary }.to_pretty()
    };
    let Some(frame) = stream::Frame::split(&frame) else {
        // No findings: the frame is the whole document.
        return out.write_all(frame.as_bytes());
    };
    out.write_all(frame.head.as_bytes())?;
    stream::items(diagnostics, workers, out, |i, d, text| {
        let element = serde_json::to_string_pretty(&diagnostic(d, sources))
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        stream::push_element(&frame.indent, i, &element, text);
    })?;
    out.write_all(frame.tail.as_bytes())
}

impl<D: Serialize> Document<D> {
    fn to_pretty(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, sources: &SourceMap) -> JsonDiagnostic<'a> {
    let (file, line, column, end_line, end_column) =
        super::position(d, sources).unwrap_or_else(|| (String::new(), 1, 1, 1, 1));
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity.as_str(),
        message: &d.finding.message,
        file,
        line,
        column,
        end_line,
        end_column,
        help: d.finding.help.as_deref(),
        resource: d.finding.resource.as_deref(),
        related: d
            .finding
            .related
            .iter()
            .map(|r| {
                let f = sources.get(r.loc.file);
                let (line, column) = f.line_col(r.loc.span.start);
                Related { file: f.name().to_owned(), line, column, message: &r.message }
            })
            .collect(),
        fingerprint: super::fingerprint(d, sources),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Finding, Severity};
    use crate::source::SourceFile;
    use crate::span::{Loc, Span};

    #[test]
    fn the_streamed_report_is_the_whole_document_serialized_at_once() {
        let mut sources = SourceMap::default();
        let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n".to_owned();
        let file = sources.add(SourceFile::new("t.yaml".into(), "t.yaml".into(), text));
        let at = Loc { file, span: Span::new(13, 15) };
        let diagnostics = [
            Diagnostic {
                code: "SL201",
                name: "unknown-endpoint",
                severity: Severity::Warning,
                finding: Finding::new("one \"quoted\"\nline").at(at, "here").related(at, "there").help("h"),
            },
            Diagnostic {
                code: "SL003",
                name: "undecidable",
                severity: Severity::Info,
                finding: Finding::new("no place").resource("Fn"),
            },
        ];
        for findings in [&diagnostics[..], &diagnostics[..1], &[]] {
            let summary = Summary::new(findings, 1);
            let mut streamed = Vec::new();
            write(findings, &sources, summary, 1, &mut streamed).expect("a Vec takes any write");
            let whole = Document {
                version: 1,
                tool: Tool { name: "sagelint", version: env!("CARGO_PKG_VERSION") },
                diagnostics: findings.iter().map(|d| diagnostic(d, &sources)).collect::<Vec<_>>(),
                summary: JsonSummary {
                    files: 1,
                    errors: 0,
                    warnings: summary.warnings,
                    infos: summary.infos,
                    suppressed: 0,
                },
            };
            assert_eq!(String::from_utf8(streamed).expect("UTF-8"), whole.to_pretty());
        }
    }
}
