//! Rendering findings on very long lines: a minified (single-line) CloudFormation template whose
//! line is padded to up to ~200 KB, so that findings land past column 65,535, through the in-memory
//! pipeline (as `template`) and every report format.
//!
//! Input: a style byte, two bytes of padding length (little-endian, times 3 units), then a JSON
//! template (its line breaks become spaces). The padding goes right after the first `{` (or, with
//! style bit 4, before the last `}`). Style bits 0-2 pick what it is made of: whitespace (spaces
//! or tabs), or a `Description` string of ASCII, 2-, 3- or 4-byte characters, combining marks or
//! `\u` escapes. Style bit 3 parses the line as YAML (JSON is YAML's flow style) instead of JSON.
#![no_main]

mod pipeline;

use libfuzzer_sys::fuzz_target;
use sagelint::diagnostic::{Diagnostic, Finding, Severity};
use sagelint::model::Model;
use sagelint::formats::cloudformation::{build, is_template};
use sagelint::formats::{BuildOptions, CodeCache};
use sagelint::report::Summary;
use sagelint::source::{SourceFile, SourceMap};
use sagelint::span::Loc;
use sagelint::syntax::{json::parse_json, yaml::parse_yaml};

/// Padding of `units` units (bytes, roughly) for style `style`.
fn padding(style: u8, units: usize) -> String {
    let string = |unit: &str| format!("\"Description\":\"{}\"", unit.repeat(units / unit.len().max(1)));
    match style & 7 {
        0 => " ".repeat(units),
        1 => "\t".repeat(units),
        2 => string("x"),
        3 => string("é"),
        4 => string("中"),
        5 => string("😀"),
        6 => string("e\u{301}"),
        _ => string("\\u00e9"),
    }
}

fuzz_target!(|data: &[u8]| {
    let [style, lo, hi, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let units = usize::from(u16::from_le_bytes([*lo, *hi])) * 3;
    let line = text.replace(['\r', '\n'], " ");
    let pad = padding(*style, units);
    let whitespace = style & 7 < 2;
    let at_end = style & 0x10 != 0;
    let padded = if at_end {
        let Some(at) = line.rfind('}') else { return };
        let sep = if whitespace { "" } else { "," };
        format!("{}{sep}{pad}{}", &line[..at], &line[at..])
    } else {
        let Some(at) = line.find('{') else { return };
        let sep = if whitespace { "" } else { "," };
        format!("{}{pad}{sep}{}", &line[..=at], &line[at + 1..])
    };
    let parsed = if style & 8 == 0 { parse_json(&padded) } else { parse_yaml(&padded) };
    let mut sources = SourceMap::default();
    // A folder that does not exist: CodeUri handlers are simply not found (inline `ZipFile` code is).
    let path = std::path::PathBuf::from("/nonexistent-sagelint-fuzz/template.json");
    let id = sources.add(SourceFile::new(path, "template.json".into(), padded));
    // Syntax errors are findings too, at their spans on the long line.
    let errors: Vec<Diagnostic> = parsed
        .errors
        .iter()
        .map(|e| Diagnostic {
            code: "SL001",
            name: "parse-error",
            severity: Severity::Error,
            finding: Finding::new(e.message.clone()).at(Loc::new(id, e.span), "here"),
        })
        .collect();
    if !errors.is_empty() {
        pipeline::render_all(&errors, &sources, Summary::new(&errors, 1));
    }
    let Some(root) = parsed.root else { return };
    if !root.is_map() || !is_template(&root) {
        return;
    }
    let mut model = Model::default();
    let mut cache = CodeCache::default();
    let options = BuildOptions { scan_code: true, ..BuildOptions::default() };
    build(&mut model, &mut sources, &mut cache, id, &root, &options);
    pipeline::lint_and_render(&model, &sources);
});
