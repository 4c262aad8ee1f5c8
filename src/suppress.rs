//! Suppressions written in the files, and which of them were used (for SL004):
//! - a CloudFormation resource's `Metadata: {sagelint: {ignore: [SL101, broad-invoke-grant], reason: "…"}}`
//!   hides that resource's findings of those rules (by code, prefix or name);
//! - a comment `# sagelint: ignore SL101 -- reason` (or `// …` in JavaScript) hides findings whose
//!   primary span starts on that line or the next.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::span::{FileId, Loc, Span};

pub use crate::model::Suppression;

impl Suppression {
    /// True when one of the suppression's patterns names this rule (an empty pattern names none).
    fn names(&self, code: &str, name: &str) -> bool {
        self.rules.iter().any(|r| !r.trim().is_empty() && crate::rules::pattern_names(r, code, name))
    }

    fn covers(&self, d: &Diagnostic) -> bool {
        if !self.names(d.code, d.name) {
            return false;
        }
        let in_span = d.finding.primary.as_ref().is_some_and(|p| {
            p.loc.file == self.file
                && p.loc.span.start >= self.span.start
                && p.loc.span.start <= self.span.end
        });
        let about_resource = !self.resource.is_empty()
            && d.finding.resource.as_deref() == Some(self.resource.as_str())
            && (d.finding.primary.as_ref().is_some_and(|p| p.loc.file == self.file)
                || d.finding.related.iter().any(|r| r.loc.file == self.file));
        in_span || about_resource
    }
}

/// Removes suppressed diagnostics; returns how many were removed and which suppressions hid nothing.
/// A suppression can only cover a finding in its own file (see [`Suppression::covers`]), so each
/// finding is checked against its files' suppressions alone: a repository with a suppression in
/// each of thousands of files is not findings × suppressions.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, suppressions: &[Suppression]) -> (usize, Vec<Suppression>) {
    let mut by_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, s) in suppressions.iter().enumerate() {
        by_file.entry(s.file).or_default().push(i);
    }
    let mut used = vec![false; suppressions.len()];
    let before = diagnostics.len();
    let mut files = Vec::new();
    diagnostics.retain(|d| {
        files.clear();
        files.extend(d.finding.primary.iter().chain(&d.finding.related).map(|l| l.loc.file));
        files.sort_unstable();
        files.dedup();
        let mut hidden = false;
        for i in files.iter().filter_map(|f| by_file.get(f)).flatten().copied() {
            if suppressions[i].covers(d) {
                used[i] = true;
                hidden = true;
            }
        }
        !hidden
    });
    let unused = suppressions.iter().zip(used).filter(|(_, u)| !u).map(|(s, _)| s.clone()).collect();
    (before - diagnostics.len(), unused)
}

const MARKER: &str = "sagelint: ignore";

/// Comment suppressions in every file read (templates, policies, handler code), in file order.
#[must_use]
pub fn comments(sources: &SourceMap) -> Vec<Suppression> {
    comments_with(sources, false)
}

/// [`comments`], the files searched on the current rayon pool when `parallel`.
#[must_use]
pub(crate) fn comments_with(sources: &SourceMap, parallel: bool) -> Vec<Suppression> {
    if parallel {
        use rayon::prelude::*;
        let files: Vec<_> = sources.iter().collect();
        files.par_iter().flat_map_iter(|(file, source)| file_comments(*file, source.text())).collect()
    } else {
        sources.iter().flat_map(|(file, source)| file_comments(file, source.text())).collect()
    }
}

/// The comment suppressions of one file.
fn file_comments(file: FileId, text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    // One search over the file, not one per line: most files hold no marker at all.
    for at in memchr::memmem::find_iter(text.as_bytes(), MARKER) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let before = text[line_start..at].trim_end();
        if !(before.ends_with('#') || before.ends_with("//")) {
            continue;
        }
        let line = &text[line_start..line_end];
        let rest = &line[at - line_start + MARKER.len()..];
        let rules_text = rest.split("--").next().unwrap_or("");
        let rules: Vec<String> = rules_text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        // The marker covers its own line and the next one.
        let next_end = text[line_end..].find('\n').map_or(text.len(), |i| line_end + i + 1);
        out.push(Suppression {
            resource: String::new(),
            file,
            span: Span::from_range(line_start, next_end),
            rules,
            loc: Loc::new(file, Span::from_range(at, at + MARKER.len())),
        });
    }
    out
}
