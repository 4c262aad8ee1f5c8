//! What the whole-pipeline targets share: every rule over the built model, suppressions, and
//! rendering in every format (each slices the source at every span, and computes lines and
//! columns its own way).
// Each target uses part of this module.
#![allow(dead_code)]

use sagelint::diagnostic::Diagnostic;
use sagelint::model::Model;
use sagelint::report::{Format, Style, Summary, render};
use sagelint::rules::{Selection, run};
use sagelint::source::SourceMap;

pub fn lint_and_render(model: &Model, sources: &SourceMap) {
    let mut diagnostics = run(model, &Selection::default());
    let mut suppressions = model.suppressions.clone();
    suppressions.extend(sagelint::suppress::comments(sources));
    let (suppressed, _unused) = sagelint::suppress::apply(&mut diagnostics, &suppressions);
    let summary = Summary { suppressed, ..Summary::new(&diagnostics, sources.len()) };
    render_all(&diagnostics, sources, summary);
}

/// Renders in every format. Rendering slices the source at every span: this catches spans past
/// the text or inside a character.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap, summary: Summary) {
    let style = Style { color: false, quiet: false, width: 100 };
    for format in [Format::Pretty, Format::Short, Format::Github, Format::Json, Format::Sarif] {
        let _ = render(format, diagnostics, sources, summary, style);
    }
}
