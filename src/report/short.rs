//! `short`: one line per finding, `path:line:col: CODE [severity] message`, for editors and grep.

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

pub(super) fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let place =
            super::position(d, sources).map_or_else(String::new, |(f, l, c, _, _)| format!("{f}:{l}:{c}: "));
        let _ = writeln!(out, "{place}{} [{}] {}", d.code, d.severity, d.finding.message);
    }
    out
}
