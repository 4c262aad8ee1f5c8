//! Findings as Language Server Protocol diagnostics (`sagelint server`): one list per file, with
//! ranges in the protocol's UTF-16 positions, the rule's code and doc link, and the finding's
//! other labels (handler call, role, endpoint) as related information.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position,
    Range, Uri,
};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, SourceMap};
use crate::span::Span;

/// The diagnostics of a run, by the document they belong to (in URI order). `uri_of` names a file as the client
/// knows it (the URI it opened a buffer under, when it did). A finding without a primary location
/// is shown at its first related one; one with no location at all is returned apart, so the
/// server can still tell the user about it.
pub fn diagnostics(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> (Vec<(Uri, Vec<lsp_types::Diagnostic>)>, Vec<String>) {
    // Keyed by the URI's text: `Uri` caches parts of itself and is no map key.
    let mut by_uri: BTreeMap<String, (Uri, Vec<lsp_types::Diagnostic>)> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for d in diagnostics {
        let anchor = d.finding.primary.as_ref().or(d.finding.related.first());
        let Some((uri, range)) = anchor.and_then(|l| location(l, sources, uri_of)) else {
            unplaced.push(format!("{} {}", d.code, message(d, None)));
            continue;
        };
        let related: Vec<_> = d
            .finding
            .related
            .iter()
            .filter(|l| Some(*l) != anchor)
            .filter_map(|l| {
                let (uri, range) = location(l, sources, uri_of)?;
                Some(DiagnosticRelatedInformation {
                    location: Location { uri, range },
                    message: l.message.to_string(),
                })
            })
            .collect();
        let diagnostic = lsp_types::Diagnostic {
            range,
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.code.to_owned())),
            code_description: d
                .code
                .starts_with("SL")
                .then(|| Uri::from_str(&crate::rules::doc_url(d.code)).ok())
                .flatten()
                .map(|href| CodeDescription { href }),
            source: Some("sagelint".to_owned()),
            message: message(d, anchor),
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        };
        by_uri.entry(uri.as_str().to_owned()).or_insert_with(|| (uri, Vec::new())).1.push(diagnostic);
    }
    (by_uri.into_values().collect(), unplaced)
}

/// The message, the label of the range it is shown at, then the help, each on its own line, as
/// the pretty report shows them.
fn message(d: &Diagnostic, anchor: Option<&Label>) -> String {
    let mut text = d.finding.message.to_string();
    if let Some(label) = anchor.filter(|l| !l.message.is_empty() && l.message != d.finding.message) {
        text.push('\n');
        text.push_str(&label.message);
    }
    if let Some(help) = &d.finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

fn location(
    label: &Label,
    sources: &SourceMap,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> Option<(Uri, Range)> {
    let file = sources.get(label.loc.file);
    Some((uri_of(file.path())?, range(file, label.loc.span)))
}

/// A byte span as a protocol range.
#[must_use]
pub fn range(file: &SourceFile, span: Span) -> Range {
    Range { start: position(file, span.start), end: position(file, span.end.max(span.start)) }
}

/// A byte offset as a protocol position: a 0-based line and a column in UTF-16 code units (the
/// protocol's default encoding; an offset inside a character counts from that character's start).
/// A UTF-8 byte-order mark is not part of the document an editor shows, so it is not counted.
fn position(file: &SourceFile, offset: u32) -> Position {
    let text = file.text();
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let starts = file.line_starts();
    let line = starts.partition_point(|&s| s as usize <= offset).saturating_sub(1);
    let start = starts.get(line).map_or(0, |&s| s as usize);
    let mut before = &text[start..offset];
    if line == 0 {
        before = before.trim_start_matches('\u{feff}');
    }
    Position { line: line as u32, character: before.encode_utf16().count() as u32 }
}

/// The `file://` URI of an absolute path, percent-encoding what a URI path may not hold.
#[must_use]
pub fn file_uri(path: &Path) -> Option<Uri> {
    if !path.is_absolute() {
        return None;
    }
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        // A Windows drive path (`C:/x`) is `file:///C:/x`.
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:!$&'()*+,;=@".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    Uri::from_str(&uri).ok()
}

/// The local path a `file:` URI names (percent-decoded); `None` for other schemes, which have no
/// file to lint.
#[must_use]
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority other than the local host names a file on another machine.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut bytes = Vec::with_capacity(path.len());
    let mut rest = path.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        let decoded = (byte == b'%')
            .then(|| {
                tail.get(..2).and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
            })
            .flatten();
        if let Some(value) = decoded {
            bytes.push(value);
            rest = &tail[2..];
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    // `/C:/x` is the Windows path `C:/x`.
    let windows_drive = text.len() > 2 && text.as_bytes()[2] == b':' && cfg!(windows);
    Some(PathBuf::from(if windows_drive { &text[1..] } else { &text[..] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_code_units_from_zero() {
        // `é` is 2 bytes and 1 UTF-16 unit; `🦀` is 4 bytes and 2 units.
        let file = SourceFile::new("t.yaml".into(), "t.yaml".into(), "a: 1\né🦀: x\n".into());
        let x = file.text().find('x').expect("x") as u32;
        assert_eq!(position(&file, x), Position { line: 1, character: 5 });
        assert_eq!(position(&file, 0), Position { line: 0, character: 0 });
        // Inside the crab: its start.
        assert_eq!(position(&file, 8), Position { line: 1, character: 1 });
        let bom = SourceFile::new("t.yaml".into(), "t.yaml".into(), "\u{feff}ab".into());
        assert_eq!(position(&bom, 4), Position { line: 0, character: 1 });
    }

    #[cfg(unix)]
    #[test]
    fn file_uris_round_trip_with_percent_encoding() {
        let path = Path::new("/tmp/my stack/tëmplate#1.yaml");
        let uri = file_uri(path).expect("a URI");
        assert_eq!(uri.as_str(), "file:///tmp/my%20stack/t%C3%ABmplate%231.yaml");
        assert_eq!(uri_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_path(&Uri::from_str("untitled:Untitled-1").expect("uri")), None);
    }
}
