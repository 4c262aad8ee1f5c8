//! `short`: one line per finding, `path:line:col: CODE [severity] message`, for editors and grep.
//! Path and message are escaped ([`escape_controls`]): a newline from a template would otherwise
//! start a line that a problem matcher reads as a finding (or a runner as `::error …`).

use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::text::escape_controls;

pub(super) fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    workers: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::stream::items(diagnostics, workers, out, |_, d, out| {
        let place = super::position(d, sources)
            .map_or_else(String::new, |(f, l, c, _, _)| format!("{}:{l}:{c}: ", escape_controls(&f)));
        let _ = writeln!(out, "{place}{} [{}] {}", d.code, d.severity, escape_controls(&d.finding.message));
    })
}
