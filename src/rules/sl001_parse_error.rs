//! SL001 parse-error. Prose, examples and suppression: rules/SL001.md.
//!
//! The builders record what does not parse, or what the deployment tool rejects, as typed
//! problems; this rule owns their words.

use super::prelude::*;
use crate::fsread::Refusal;
use crate::iam::policy::PolicyProblemKind;
use crate::model::ProblemKind;
use crate::model::problem::{Deployer, ParseProblem};
use crate::span::Loc;
use crate::syntax::SyntaxKind;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL001",
    name: "parse-error",
    severity: Severity::Error,
    summary: "A template, policy or config file does not parse",
    doc: rule_doc!("SL001"),
    source: file!(),
    check,
};

/// How to fix a policy document IAM would reject.
const POLICY_HELP: &str =
    "fix this element: IAM rejects the document with MalformedPolicyDocument (see the IAM policy grammar)";

/// What a `Principal` in an identity policy is: IAM rejects the document.
const PRINCIPAL_IN_IDENTITY_POLICY: &str = "is not allowed in an identity policy (IAM rejects it: \"Policy document should not specify a principal\")";

fn check(cx: &mut LintContext<'_>) {
    for problem in &cx.model().problems {
        if let ProblemKind::Parse(kind) = &problem.kind {
            let mut finding = describe(kind, problem.loc);
            finding.resource.clone_from(&problem.resource);
            cx.report(finding);
        }
    }
}

/// The finding for a problem at `loc`.
pub(super) fn describe(problem: &ParseProblem, loc: Loc) -> Finding {
    match problem {
        ParseProblem::Syntax { kind, message } => {
            Finding::new(message.clone()).at(loc, "here").help(syntax_help(*kind))
        }
        ParseProblem::UnreadableFile { refusal, terraform } => {
            let message = match refusal {
                Refusal::NotUtf8 { utf16: true, .. } => "the file is not valid UTF-8 (it is UTF-16)".to_owned(),
                Refusal::NotUtf8 { at, .. } => format!("the file is not valid UTF-8 (at byte {at})"),
                Refusal::TooLarge { bytes, cap } => format!(
                    "the file is {bytes} bytes; sagelint does not read files over {cap} bytes{}",
                    if *terraform { "" } else { " (CloudFormation accepts templates up to 1 MB)" }
                ),
                Refusal::Io(message) => format!("cannot read the file: {message}"),
                other => format!("the file is not read: {other}"),
            };
            let help = match refusal {
                Refusal::NotUtf8 { .. } => "save the file as UTF-8",
                Refusal::TooLarge { .. } => {
                    "split the template into nested stacks, or add the file to `exclude` in sagelint.toml if it is not one"
                }
                _ => {
                    "make it a regular, readable file inside the repository, or add it to `exclude` in sagelint.toml"
                }
            };
            Finding::new(message).at(loc, "here").help(help)
        }
        ParseProblem::UnreadableFolder { reason } => {
            Finding::new(format!("cannot read the folder: {reason}; the files in it were not checked"))
                .at(loc, "here")
                .help("give sagelint read and execute permission on the folder, or add it to `exclude` in sagelint.toml")
        }
        ParseProblem::NotAMapping { list } => {
            let what = if *list { "a list" } else { "a single value" };
            Finding::new(format!("a CloudFormation template must be a mapping, but this file is {what}"))
                .at(loc, "here")
                .help("a template's top level is a mapping with Resources (and optionally Parameters, Outputs, …)")
        }
        ParseProblem::EmptyTemplate => {
            Finding::new("the template is empty; CloudFormation needs at least a Resources section")
                .at(loc, "here")
                .help("add a Resources section, or remove the file")
        }
        ParseProblem::NoResources => Finding::new("the template has no Resources section")
            .at(loc, "CloudFormation requires Resources")
            .help("add a Resources section with at least one resource"),
        ParseProblem::ResourcesNotMapping => Finding::new("Resources must be a mapping of logical ids to resources")
            .at(loc, "not a mapping")
            .help("write Resources as a mapping: LogicalId: {Type: AWS::…, Properties: …}"),
        ParseProblem::SamGlobalsUnsupported { key } => Finding::new(format!(
            "Globals.Function.{key} is not supported by SAM: the transform fails with \"'{key}' is not a supported property of 'Function'\", so the stack is not deployed"
        ))
        .at(loc, format!("{key} cannot be set in Globals"))
        .help(format!(
            "set {key} on each AWS::Serverless::Function instead (Globals.Function accepts every function property except Role, Policies, FunctionName and Events); the functions are not checked until then"
        )),
        ParseProblem::MalformedPolicy { policy, problem, deployer } => {
            let what = match problem.kind {
                PolicyProblemKind::Principal(key) => format!("`{key}` {PRINCIPAL_IN_IDENTITY_POLICY}"),
                PolicyProblemKind::Malformed | PolicyProblemKind::Unknown => problem.message.clone(),
            };
            let label = match deployer {
                Deployer::CloudFormation => "IAM rejects this policy document at deploy time",
                Deployer::Terraform => "IAM rejects this policy document at apply time",
            };
            Finding::new(format!("malformed policy {policy}: {what}")).at(loc, label).help(POLICY_HELP)
        }
        ParseProblem::PolicyFile { problem } => {
            Finding::new(problem.message.clone()).at(loc, "here").help(POLICY_HELP)
        }
        ParseProblem::EmptyPolicyFile => Finding::new("the policy file is empty")
            .at(loc, "here")
            .help("write a policy document: {\"Version\": \"2012-10-17\", \"Statement\": [...]}"),
        ParseProblem::ModuleCycle { folders, calls_itself, entered_at } => {
            let shown: Vec<String> = folders
                .iter()
                .map(|d| if d.as_os_str().is_empty() { ".".to_owned() } else { d.display().to_string() })
                .collect();
            let (label, help) = if *calls_itself {
                (
                    "calls the folder it is written in",
                    "a module cannot call its own folder; move the resources it should reuse into a child folder",
                )
            } else {
                (
                    "calls a folder this module is called from",
                    "modules cannot call each other in a cycle; keep the shared resources in one of them, or in a third folder both call",
                )
            };
            Finding::new(format!(
                "module cycle: {}: Terraform cannot initialise this configuration",
                shown.join(" → ")
            ))
            .at(loc, label)
            .help(help)
            .related_opt(*entered_at, "the cycle starts with this call")
        }
    }
}

/// The help line for a syntax problem.
fn syntax_help(kind: SyntaxKind) -> &'static str {
    match kind {
        SyntaxKind::DuplicateKey => {
            "remove or rename one of the keys: CloudFormation rejects templates with duplicate keys"
        }
        SyntaxKind::Alias | SyntaxKind::AliasExpansion => {
            "write the value out in full: CloudFormation does not accept YAML anchors and aliases"
        }
        SyntaxKind::UnknownTag => {
            "use a CloudFormation short form (!Ref, !Sub, !GetAtt, …) or the long form (Fn::…)"
        }
        SyntaxKind::Hcl => "fix the syntax at this position: terraform validate rejects the configuration",
        SyntaxKind::TooDeep => "no template nests this deeply; check that this is the file you meant",
        SyntaxKind::Syntax | SyntaxKind::Unsupported => {
            "fix the syntax at this position: CloudFormation rejects the template with \"Template format error\""
        }
    }
}
