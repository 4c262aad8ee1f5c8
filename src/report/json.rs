//! `json`: the stable schema of cli-contract.md (version 1); fields are only ever added.

use serde::Serialize;

use super::Summary;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    diagnostics: Vec<JsonDiagnostic<'a>>,
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

pub(super) fn render(diagnostics: &[Diagnostic], sources: &SourceMap, summary: Summary) -> String {
    let doc = Document {
        version: 1,
        tool: Tool { name: "sagelint", version: env!("CARGO_PKG_VERSION") },
        diagnostics: diagnostics
            .iter()
            .map(|d| {
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
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            suppressed: summary.suppressed,
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
