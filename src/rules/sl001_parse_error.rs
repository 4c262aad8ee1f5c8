//! SL001 parse-error. Prose, examples and suppression: rules/SL001.md.

use super::prelude::*;
use crate::model::IssueKind;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL001",
    name: "parse-error",
    severity: Severity::Error,
    summary: "A template, policy or config file does not parse",
    doc: rule_doc!("SL001"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for issue in cx.model().issues.iter().filter(|i| i.kind == IssueKind::Parse) {
        cx.report(issue.finding.clone());
    }
}
