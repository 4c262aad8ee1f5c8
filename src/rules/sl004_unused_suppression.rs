//! SL004 unused-suppression. Prose, examples and suppression: rules/SL004.md.
//!
//! Whether a suppression was used is known only after every other rule ran, so the run computes
//! this rule's findings with [`findings`] after applying suppressions; `check` has nothing to do.

use super::prelude::*;
use crate::model::Suppression;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL004",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "A suppression that suppresses nothing",
    doc: rule_doc!("SL004"),
    source: file!(),
    check,
};

fn check(_cx: &mut LintContext<'_>) {}

/// Findings for suppressions that hid nothing, among the rules that ran (a suppression for a rule
/// that was not selected is not stale).
pub(crate) fn findings(unused: &[Suppression], enabled: impl Fn(&str) -> Option<bool>) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in unused {
        let unknown: Vec<&str> =
            s.rules.iter().map(String::as_str).filter(|r| enabled(r).is_none()).collect();
        let finding = if s.rules.is_empty() {
            Finding::new("the suppression names no rule").at(s.loc, "nothing follows `ignore`")
        } else if !unknown.is_empty() {
            Finding::new(format!("the suppression names {}, which matches no rule", unknown.join(", ")))
                .at(s.loc, "no rule has this code, prefix or name")
        } else if s.rules.iter().all(|r| enabled(r) == Some(true)) {
            let what = if s.resource.is_empty() { String::new() } else { format!(" on {}", s.resource) };
            Finding::new(format!("the suppression of {}{what} suppresses nothing", s.rules.join(", ")))
                .at(s.loc, "no finding here is hidden by this")
        } else {
            continue; // a rule it names did not run, so it may well be needed
        };
        out.push(finding.help(
            "remove it, or fix the rule list (codes like SL101, prefixes like SL1, or names like invoke-not-allowed)",
        ));
    }
    out
}
