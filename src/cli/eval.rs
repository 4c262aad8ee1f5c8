//! `eval`: one request decided offline against standalone policy files, with the deciding
//! statements shown at their spans. Exit 0 when allowed, 1 otherwise (a policy file IAM would
//! reject included: it allows nothing).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::args::EvalArgs;
use super::{ExitStatus, Output};
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::error::Error;
use crate::iam::{Context, Decision, Hit, Inputs, Outcome, PolicyDocument, PolicyKind, Request, decide};
use crate::model::{AttachedPolicy, named};
use crate::report::{self, Format, Style, Summary};
use crate::source::SourceMap;
use crate::text::escape_controls;
use crate::value::SymStr;

pub(super) fn run(args: &EvalArgs) -> Result<Output, Error> {
    let mut sources = SourceMap::default();
    let mut problems = Vec::new();
    // Policy files IAM would refuse (MalformedPolicyDocument), by name.
    let mut rejected: Vec<String> = Vec::new();
    let mut load = |paths: &[std::path::PathBuf]| -> Result<Vec<AttachedPolicy>, Error> {
        let mut out = Vec::new();
        for path in paths {
            let (policy, issues) =
                crate::load_policy_file(path, &mut sources, &crate::fsread::Scope::unrestricted())?;
            // A standalone policy file is what `aws iam create-policy --policy-document` sends as
            // written: no template fills anything in, so every problem the parser reports (a
            // grammar error, a `Principal` in an identity policy, an action or resource that is
            // not of the required form) is one IAM rejects the document for. A rejected document
            // is never attached, so it allows nothing; it stays in the inputs with no statements,
            // which also makes a rejected boundary or SCP allow nothing.
            // <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html> (Errors:
            // "MalformedPolicyDocument: The request was rejected because the policy document was
            // malformed.")
            if issues.is_empty() {
                out.extend(policy);
            } else {
                // A file that is not even a document (a JSON syntax error) still stands for a
                // policy that allows nothing, at the place its first error points to; otherwise a
                // broken boundary or SCP would silently count as none given.
                let at = issues.first().map(|p| p.loc);
                let policy = policy.or_else(|| {
                    at.map(|loc| AttachedPolicy {
                        name: crate::display_path(path),
                        doc: PolicyDocument { version: None, statements: Vec::new(), loc },
                        loc,
                    })
                });
                rejected.push(policy.as_ref().map_or_else(|| crate::display_path(path), |p| p.name.clone()));
                out.extend(policy.map(|mut p| {
                    p.doc.statements.clear();
                    p
                }));
            }
            problems.extend(issues);
        }
        Ok(out)
    };
    let identity = load(&args.policies)?;
    let boundary = load(&args.boundary)?;
    let scps = load(&args.scp)?;
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut context = Context::default();
    for pair in &args.context {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--context expects KEY=VALUE, got {pair:?}")))?;
        if value.is_empty() {
            context = context.with_absent(key);
        } else {
            values.entry(key.to_owned()).or_default().push(value.to_owned());
        }
    }
    for (key, vals) in values {
        context = context.with_values(&key, vals);
    }
    let request = Request { action: args.action.clone(), resource: SymStr::lit(&args.resource), context };
    let inputs = Inputs {
        identity: named(&identity),
        boundary: if boundary.is_empty() { None } else { Some(named(&boundary)) },
        scps: named(&scps),
    };
    let decision = decide(&request, &inputs);

    let mut stdout = String::new();
    let _ = writeln!(
        stdout,
        "{} on {}: {}",
        escape_controls(&args.action),
        escape_controls(&args.resource),
        outcome_text(&decision)
    );
    let depends = decision.depends_on();
    if !depends.is_empty() {
        // Condition keys come from the policy files.
        let names: Vec<&str> = depends.iter().map(crate::value::Symbol::id).collect();
        let _ = writeln!(stdout, "depends on: {}", escape_controls(&names.join(", ")));
    }
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|problem| Diagnostic {
            code: "SL001",
            name: "parse-error",
            severity: Severity::Error,
            finding: crate::rules::describe(&problem),
        })
        .collect();
    for hit in deciding(&decision) {
        let what = format!(
            "{} statement {}{} of {} ({})",
            match hit.effect {
                crate::iam::Effect::Allow => "Allow",
                crate::iam::Effect::Deny => "Deny",
            },
            hit.statement,
            hit.sid.as_deref().map(|s| format!(" (Sid {s})")).unwrap_or_default(),
            hit.policy,
            kind_text(hit.kind)
        );
        let severity =
            if matches!(hit.effect, crate::iam::Effect::Deny) { Severity::Error } else { Severity::Info };
        let label = if hit.depends_on.is_empty() {
            "decides the request".to_owned()
        } else {
            let (noun, verb) =
                if hit.depends_on.len() == 1 { ("condition", "holds") } else { ("conditions", "hold") };
            let names: Vec<&str> = hit.depends_on.iter().map(crate::value::Symbol::id).collect();
            format!("applies only if the {noun} on {} {verb}", names.join(", "))
        };
        diagnostics.push(Diagnostic {
            code: "eval",
            name: "deciding-statement",
            severity,
            finding: Finding::new(what).at(hit.loc, label),
        });
    }
    if matches!(decision.outcome, Outcome::ImplicitDeny) {
        let searched: Vec<&str> = identity.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(
            stdout,
            "no statement allows it; policies searched: {}",
            escape_controls(&searched.join(", "))
        );
    }
    for name in &rejected {
        let _ = writeln!(
            stdout,
            "IAM rejects {} (MalformedPolicyDocument, errors below): a rejected document allows nothing",
            escape_controls(name)
        );
    }
    let color = args.color.enabled(false);
    let style = Style { color, quiet: true, width: 100 };
    stdout.push_str(&report::render(Format::Pretty, &diagnostics, &sources, Summary::default(), style));
    // Parse errors count as findings (exit 1), as for `check`.
    let status = if decision.outcome == Outcome::Allowed && rejected.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    };
    Ok(Output { stdout, status, errors: Vec::new() })
}

fn deciding(decision: &Decision) -> Vec<&Hit> {
    match decision.outcome {
        Outcome::ExplicitDeny(_) | Outcome::DeniedIf(_) => decision.denies.iter().collect(),
        Outcome::Allowed | Outcome::AllowedIf => {
            decision.allows.iter().chain(&decision.boundary_allows).chain(&decision.scp_allows).collect()
        }
        Outcome::BoundaryDeny | Outcome::ScpDeny => decision.allows.iter().collect(),
        Outcome::ImplicitDeny => Vec::new(),
    }
}

fn kind_text(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity-based policy",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::Scp => "service control policy",
    }
}

fn outcome_text(decision: &Decision) -> String {
    match decision.outcome {
        Outcome::Allowed => "Allowed".into(),
        Outcome::AllowedIf => "Allowed only if the conditions listed below hold".into(),
        Outcome::ExplicitDeny(kind) => {
            format!("ExplicitDeny (explicit deny in {})", with_article(kind_text(kind)))
        }
        Outcome::DeniedIf(kind) => {
            format!("Denied if the conditions listed below hold ({})", kind_text(kind))
        }
        Outcome::ImplicitDeny => "ImplicitDeny (no identity-based policy allows it)".into(),
        Outcome::BoundaryDeny => "ImplicitDeny (no permissions boundary allows it)".into(),
        Outcome::ScpDeny => "ImplicitDeny (no service control policy allows it)".into(),
    }
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {noun}")
}
