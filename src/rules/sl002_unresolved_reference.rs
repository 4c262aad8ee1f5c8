//! SL002 unresolved-reference. Prose, examples and suppression: rules/SL002.md.

use super::prelude::*;
use crate::model::IssueKind;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL002",
    name: "unresolved-reference",
    severity: Severity::Error,
    summary: "A Ref, GetAtt or Sub variable refers to nothing defined in the scanned files",
    doc: rule_doc!("SL002"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    for issue in cx.model().issues.iter().filter(|i| i.kind == IssueKind::Unresolved) {
        cx.report(issue.finding.clone());
    }
}
