//! SL002 unresolved-reference. Prose, examples and suppression: rules/SL002.md.
//!
//! The builders record references to nothing as typed problems; this rule owns their words.

use super::prelude::*;
use crate::model::ProblemKind;
use crate::model::problem::{TerraformThing, UnresolvedProblem};
use crate::span::Loc;

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
    for problem in &cx.model().problems {
        if let ProblemKind::Unresolved(kind) = &problem.kind {
            let mut finding = describe(kind, problem.loc);
            finding.resource.clone_from(&problem.resource);
            cx.report(finding);
        }
    }
}

/// The finding for a problem at `loc`.
pub(super) fn describe(problem: &UnresolvedProblem, loc: Loc) -> Finding {
    match problem {
        UnresolvedProblem::UndefinedCondition { name } => {
            Finding::new(format!("condition {name} is not defined in Conditions"))
                .at(loc, "no such condition")
                .help("define it under Conditions, or fix the name")
        }
        UnresolvedProblem::UndefinedReference { via, id, suggestion } => {
            let finding =
                Finding::new(format!("{via} refers to {id}, which is not defined in this template"))
                    .at(loc, "not a parameter, resource or pseudo parameter");
            match suggestion {
                Some(close) => finding.help(format!("did you mean {close}?")),
                None => finding.help(
                    "define it under Resources or Parameters, or use Fn::ImportValue for another stack's output",
                ),
            }
        }
        UnresolvedProblem::SamNotGenerated { via, id, requires, function } => {
            let (whose, help) = match function {
                Some(f) => (
                    format!("{f} has none"),
                    format!(
                        "set {requires} on {f} (or in Globals.Function), or refer to a resource the template defines"
                    ),
                ),
                None => (
                    "no function here has one".to_owned(),
                    format!(
                        "add {requires} to the function it is for, or refer to a resource the template defines"
                    ),
                ),
            };
            Finding::new(format!(
                "{via} refers to {id}, which SAM generates only for a function with {requires}; {whose}"
            ))
            .at(loc, "SAM leaves this reference unresolved and CloudFormation rejects it")
            .help(help)
        }
        UnresolvedProblem::UndeclaredTerraform { kind, address, suggestion } => {
            let kind = match kind {
                TerraformThing::Variable => "variable",
                TerraformThing::Local => "local value",
                TerraformThing::Module => "module",
                TerraformThing::DataSource => "data source",
                TerraformThing::Resource => "resource",
            };
            let help = match suggestion {
                Some(close) => format!("did you mean {close}?"),
                None => format!("declare the {kind} in this module's .tf files, or fix the name"),
            };
            Finding::new(format!("reference to undeclared {kind} {address}"))
                .at(loc, "not declared in this module")
                .help(help)
        }
    }
}
