//! `github`: GitHub Actions workflow commands, one annotation per finding
//! (<https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions>).

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use crate::text::escape_controls;

/// Escaping for the message part of a workflow command. Control characters from the files are
/// escaped before (the runner would pass ESC and BEL on to the log); the `%0A` kept here is the
/// line break this module puts before `help:`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping for a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    workers: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::stream::items(diagnostics, workers, out, |_, d, out| {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = escape_property(&format!("{} {}", d.code, d.name));
        let mut message = escape_controls(&d.finding.message).into_owned();
        if let Some(help) = &d.finding.help {
            message.push_str("\nhelp: ");
            message.push_str(&escape_controls(help));
        }
        match super::position(d, sources) {
            Some((file, line, col, end_line, end_col)) => {
                let _ = writeln!(
                    out,
                    "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={title}::{}",
                    escape_property(&escape_controls(&file)),
                    escape_data(&message)
                );
            }
            None => {
                let _ = writeln!(out, "::{command} title={title}::{}", escape_data(&message));
            }
        }
    })
}
