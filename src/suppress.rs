//! Suppressions written in the files: a CloudFormation resource's
//! `Metadata: {sagelint: {ignore: [SL101, broad-invoke-grant], reason: "…"}}` hides that resource's
//! findings of those rules (by code, prefix or name).

use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Loc, Span};

/// One resource's ignore list.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The resource's logical id.
    pub resource: String,
    pub file: FileId,
    /// The resource's whole definition: findings whose primary span lies inside are covered.
    pub span: Span,
    /// Codes, prefixes or names.
    pub rules: Vec<String>,
    /// Where the ignore list is written.
    pub loc: Loc,
}

impl Suppression {
    fn covers(&self, d: &Diagnostic) -> bool {
        let names_rule = self.rules.iter().any(|r| {
            let r = r.trim();
            r == d.name || d.code.to_ascii_uppercase().starts_with(&r.to_ascii_uppercase())
        });
        if !names_rule {
            return false;
        }
        let in_resource = d.finding.primary.as_ref().is_some_and(|p| {
            p.loc.file == self.file && p.loc.span.start >= self.span.start && p.loc.span.end <= self.span.end
        });
        let about_resource = d.finding.resource.as_deref() == Some(self.resource.as_str())
            && d.finding.primary.as_ref().is_none_or(|p| {
                p.loc.file == self.file || d.finding.related.iter().any(|r| r.loc.file == self.file)
            });
        in_resource || about_resource
    }
}

/// Removes suppressed diagnostics; returns how many were removed.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, suppressions: &[Suppression]) -> usize {
    let before = diagnostics.len();
    diagnostics.retain(|d| !suppressions.iter().any(|s| s.covers(d)));
    before - diagnostics.len()
}
