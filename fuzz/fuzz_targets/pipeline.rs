//! What the whole-pipeline targets (`template`, `terraform`) share: every rule over the built
//! model, suppressions, and rendering in the formats that slice the source at every span.

use sagelint::model::Model;
use sagelint::report::{Format, Style, Summary, render};
use sagelint::rules::{Selection, run};
use sagelint::source::SourceMap;

pub fn lint_and_render(model: &Model, sources: &SourceMap) {
    let mut diagnostics = run(model, &Selection::default());
    let mut suppressions = model.suppressions.clone();
    suppressions.extend(sagelint::suppress::comments(sources));
    let _ = sagelint::suppress::apply(&mut diagnostics, &suppressions);
    // Rendering slices the source at every span: this catches spans past the text.
    let summary = Summary::new(&diagnostics, sources.len());
    let style = Style { color: false, quiet: false, width: 100 };
    for format in [Format::Pretty, Format::Json] {
        let _ = render(format, &diagnostics, sources, summary, style);
    }
}
