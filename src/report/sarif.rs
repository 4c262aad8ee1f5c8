//! `sarif`: SARIF 2.1.0 for GitHub code scanning: every rule with its help from `rules/<CODE>.md`,
//! precise regions, related locations along the chain, and `partialFingerprints`.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::REGISTRY;
use crate::source::SourceMap;

use super::stream;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path under `%SRCROOT%` (the working directory), or an absolute file URI.
fn artifact(name: &str) -> Value {
    if name.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(name)) })
    } else {
        json!({ "uri": encode_path(name), "uriBaseId": "%SRCROOT%" })
    }
}

/// A path as the path part of a URI (RFC 3986): every byte other than an unreserved character or
/// `/` percent-encoded, so spaces, `#`, `%`, a `:` in a first segment and non-ASCII names stay
/// one valid URI reference (SARIF 3.10.2; the validator's SARIF1002).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn physical(sources: &SourceMap, loc: crate::span::Loc) -> Value {
    let file = sources.get(loc.file);
    let (start_line, start_col) = file.line_col(loc.span.start);
    let (end_line, end_col) = file.line_col(loc.span.end);
    // SARIF regions may not be empty: an empty span still marks one column.
    let end_col = if (end_line, end_col) == (start_line, start_col) { end_col + 1 } else { end_col };
    json!({
        "artifactLocation": artifact(file.name()),
        "region": { "startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col }
    })
}

/// One finding as a SARIF `result`.
fn result(d: &Diagnostic, sources: &SourceMap) -> Value {
    let index = REGISTRY.iter().position(|r| r.code == d.code).unwrap_or(0);
    let mut text = d.finding.message.to_string();
    if let Some(help) = &d.finding.help {
        text.push_str(". ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": { "text": text },
        "partialFingerprints": { "sagelint/v1": super::fingerprint(d, sources) },
    });
    // GitHub code scanning rejects a whole upload if one result has no location (GH1015), so a
    // finding without a primary span is placed at its first related place.
    if let Some(label) = d.finding.primary.as_ref().or_else(|| d.finding.related.first()) {
        result["locations"] = json!([{ "physicalLocation": physical(sources, label.loc) }]);
    }
    let related: Vec<Value> = d
        .finding
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({ "id": i + 1, "physicalLocation": physical(sources, r.loc), "message": { "text": r.message } })
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    result
}

/// The log around its results: the tool with every rule, the source root. `results` is what the
/// `results` array holds while it is serialized (`stream::Frame`).
fn frame(results: &Value) -> String {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "helpUri": crate::rules::doc_url(r.code),
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": ["sagemaker", "lambda", "iam"] }
            })
        })
        .collect();
    let root = std::env::current_dir().map_or_else(
        |_| "file:///".to_owned(),
        |d| format!("file://{}/", encode_path(d.to_string_lossy().trim_end_matches('/'))),
    );
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "sagelint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/sagelint/sagelint",
                "rules": rules
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the log: its frame, then each result as it is rendered (on `workers` threads when there
/// are many), byte for byte what serializing the whole log at once would give.
pub(super) fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    workers: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let frame = frame(&if diagnostics.is_empty() { json!([]) } else { json!([stream::MARKER]) });
    let Some(frame) = stream::Frame::split(&frame) else {
        // No results: the frame is the whole log.
        return out.write_all(frame.as_bytes());
    };
    out.write_all(frame.head.as_bytes())?;
    stream::items(diagnostics, workers, out, |i, d, text| {
        let element = serde_json::to_string_pretty(&result(d, sources)).unwrap_or_default();
        stream::push_element(&frame.indent, i, &element, text);
    })?;
    out.write_all(frame.tail.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;
    use crate::source::SourceFile;
    use crate::span::{Loc, Span};

    const STYLE: crate::report::Style = crate::report::Style { color: false, quiet: true, width: 100 };

    #[test]
    fn a_finding_without_a_primary_span_is_placed_at_its_first_related_place() {
        let mut sources = SourceMap::default();
        let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n".to_owned();
        let file = sources.add(SourceFile::new("t.yaml".into(), "t.yaml".into(), text));
        let finding =
            Finding::new("no primary").related(Loc { file, span: Span::new(13, 15) }, "the function");
        let d = Diagnostic { code: "SL003", name: "undecidable", severity: Severity::Info, finding };
        let doc: Value = serde_json::from_str(&crate::report::render(
            crate::report::Format::Sarif,
            &[d],
            &sources,
            crate::report::Summary::default(),
            STYLE,
        ))
        .expect("the report is JSON");
        let location = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "t.yaml");
        assert_eq!(location["region"]["startLine"], 2);
        assert_eq!(location["region"]["startColumn"], 3);
    }

    #[test]
    fn paths_become_valid_uri_references() {
        assert_eq!(encode_path("stacks/app-1/template.yaml"), "stacks/app-1/template.yaml");
        assert_eq!(encode_path("my stack#1/a:b.yaml"), "my%20stack%231/a%3Ab.yaml");
        assert_eq!(encode_path("/tmp/100%/é.json"), "/tmp/100%25/%C3%A9.json");
    }
}
