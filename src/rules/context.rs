//! The lint context: read-only access to the model and the analysis stage's facts for rules, and
//! `report`, which stamps each finding with the current rule's code, name and configured severity.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::{REGISTRY, RuleDef};
use crate::analysis::Facts;
use crate::analysis::invoke::CallFacts;
use crate::analysis::network::NetProblem;
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::model::Model;
use crate::span::Loc;

/// Which rules run and at what severity.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Codes, code prefixes (`SL1`) or names; empty = all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
}

impl Selection {
    fn matches(pattern: &str, rule: &RuleDef) -> bool {
        super::pattern_names(pattern, rule.code, rule.name)
    }

    /// True when the rule is selected and not ignored.
    #[must_use]
    pub fn enabled(&self, rule: &RuleDef) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| Self::matches(p, rule));
        selected && !self.ignore.iter().any(|p| Self::matches(p, rule))
    }

    /// The configured severity of a rule.
    #[must_use]
    pub fn severity_of(&self, rule: &RuleDef) -> Severity {
        self.severity.iter().find(|(p, _)| Self::matches(p, rule)).map_or(rule.severity, |(_, s)| *s)
    }

    /// A pattern that names no rule (for a clear error on typos).
    #[must_use]
    pub fn unknown_pattern(&self) -> Option<&str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .find(|p| !REGISTRY.iter().any(|r| Self::matches(p, r)))
            .map(String::as_str)
    }
}

pub struct LintContext<'m> {
    model: &'m Model,
    /// Which rules run: a rule yields to a more precise one only when that one is enabled.
    selection: &'m Selection,
    /// What the analysis stage computed once, before any rule ran.
    facts: &'m Facts<'m>,
    current: Option<&'static RuleDef>,
    severity: Severity,
    out: Vec<Diagnostic>,
    /// Findings already reported, by code, primary location and a hash of the message: many calls
    /// can lead to the same finding (twenty handlers reading one missing variable), which is
    /// reported once. A hash, not a copy of every message: the map lives as long as the rule runs.
    reported: HashMap<(&'static str, Option<Loc>, u64), usize>,
}

fn message_hash(message: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    message.hash(&mut hasher);
    hasher.finish()
}

/// Related labels a repeated finding may add to the first one (its other call sites).
const MAX_MERGED_LABELS: usize = 8;

impl<'m> LintContext<'m> {
    #[must_use]
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// True when the rule with this code runs in this lint: a rule that leaves a problem to a more
    /// precise rule does so only then, so switching that rule off never hides the problem.
    pub(super) fn enabled(&self, code: &str) -> bool {
        REGISTRY.iter().any(|r| r.code == code && self.selection.enabled(r))
    }

    /// The run's facts. They borrow the run, not the context, so rules can report while reading
    /// them.
    pub(super) fn facts(&self) -> &'m Facts<'m> {
        self.facts
    }

    /// The network analysis of every VPC-attached function (SL003, SL301–SL305).
    pub(super) fn network(&self) -> &'m [NetProblem<'m>] {
        &self.facts.network
    }

    /// Every decidable call of every function with its decision and what explains it (see
    /// [`crate::analysis::invoke`]).
    pub(super) fn decided_calls(&self) -> &'m [CallFacts<'m>] {
        &self.facts.calls
    }

    /// Records a finding of the rule being run.
    pub fn report(&mut self, finding: Finding) {
        let Some(rule) = self.current else { return };
        let finding = in_dialect(self.model, finding);
        let at = finding.primary.as_ref().map(|p| p.loc);
        let key = (rule.code, at, message_hash(&finding.message));
        let same = |d: &Diagnostic| {
            d.code == rule.code
                && d.finding.primary.as_ref().map(|p| p.loc) == at
                && d.finding.message == finding.message
        };
        let earlier = match self.reported.get(&key) {
            Some(&index) if same(&self.out[index]) => Some(index),
            // Two messages with one hash: rare enough to look for the same finding one by one.
            Some(_) => self.out.iter().position(same),
            None => None,
        };
        if let Some(index) = earlier {
            let first = &mut self.out[index].finding;
            for label in finding.related {
                if first.related.len() >= MAX_MERGED_LABELS {
                    break;
                }
                if !first.related.contains(&label) {
                    first.related.push(label);
                }
            }
            return;
        }
        self.reported.entry(key).or_insert(self.out.len());
        self.out.push(Diagnostic { code: rule.code, name: rule.name, severity: self.severity, finding });
    }
}

/// The deployment's values as a finding about Terraform names them: the model writes them as
/// CloudFormation pseudo parameters (`${AWS::AccountId}`), which a Terraform configuration never
/// shows (it has `data.aws_caller_identity` or the provider's region, or nothing at all).
const TERRAFORM_PSEUDO: [(&str, &str); 4] = [
    ("${AWS::AccountId}", "<account>"),
    ("${AWS::Region}", "<region>"),
    ("${AWS::Partition}", "<partition>"),
    ("${AWS::URLSuffix}", "<url-suffix>"),
];

/// A finding about something written in Terraform (its primary or a related location is in a
/// Terraform file) speaks Terraform.
fn in_dialect(model: &Model, mut finding: Finding) -> Finding {
    let terraform =
        finding.primary.iter().chain(&finding.related).any(|l| model.dialect_at(l.loc).is_terraform());
    if !terraform {
        return finding;
    }
    let translate = |text: &mut std::borrow::Cow<'static, str>| {
        if text.contains("${AWS::") {
            for (pseudo, shown) in TERRAFORM_PSEUDO {
                *text = text.replace(pseudo, shown).into();
            }
        }
    };
    translate(&mut finding.message);
    if let Some(help) = &mut finding.help {
        translate(help);
    }
    for label in finding.primary.iter_mut().chain(finding.related.iter_mut()) {
        translate(&mut label.message);
    }
    finding
}

/// Runs every enabled rule over the model.
#[must_use]
pub fn run(model: &Model, selection: &Selection) -> Vec<Diagnostic> {
    run_isolated(model, selection).0
}

/// A rule that panicked: its code and the panic message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePanic {
    pub code: &'static str,
    pub message: String,
}

/// Runs every enabled rule; a rule that panics loses its findings and is returned, so a bug in
/// one rule costs that rule, not the run (the caller turns it into an internal error, exit 2).
/// The analysis stage and the rules spread over the current rayon pool.
#[must_use]
pub fn run_isolated(model: &Model, selection: &Selection) -> (Vec<Diagnostic>, Vec<RulePanic>) {
    run_with(model, selection, true)
}

/// [`run_isolated`], on this thread alone when `parallel` is false (`--jobs 1`). The output is the
/// same either way: facts are collected in model order, and each rule's findings (which only that
/// rule de-duplicates) are concatenated in registry order.
#[must_use]
pub fn run_with(model: &Model, selection: &Selection, parallel: bool) -> (Vec<Diagnostic>, Vec<RulePanic>) {
    let facts = Facts::compute(model, parallel);
    let rules: Vec<&'static RuleDef> = REGISTRY.iter().copied().filter(|r| selection.enabled(r)).collect();
    let run_one = |rule: &&'static RuleDef| run_rule(model, selection, &facts, rule);
    // One task per rule: a rule's cost is not known, and rayon's default split hands a worker a
    // run of neighbouring rules, so the longest (SL101 at 10,000 stacks) could start last and
    // keep one worker alone at the end.
    let results: Vec<Result<Vec<Diagnostic>, RulePanic>> = if parallel {
        rules.par_iter().with_max_len(1).map(run_one).collect()
    } else {
        rules.iter().map(run_one).collect()
    };
    // The facts are no longer read: released before the findings are gathered into one list.
    drop(facts);
    let found = results.iter().map(|r| r.as_ref().map_or(0, Vec::len)).sum();
    let mut out = Vec::with_capacity(found);
    let mut panics = Vec::new();
    for result in results {
        match result {
            Ok(diagnostics) => out.extend(diagnostics),
            Err(panic) => panics.push(panic),
        }
    }
    (out, panics)
}

/// One rule over the model, with its own context (de-duplication is per rule).
fn run_rule(
    model: &Model,
    selection: &Selection,
    facts: &Facts<'_>,
    rule: &'static RuleDef,
) -> Result<Vec<Diagnostic>, RulePanic> {
    let mut cx = LintContext {
        model,
        selection,
        facts,
        current: Some(rule),
        severity: selection.severity_of(rule),
        out: Vec::new(),
        reported: HashMap::new(),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Debug builds only: lets tests/adversarial.rs prove that a rule's panic is isolated.
        #[cfg(debug_assertions)]
        assert!(
            !(rule.code == "SL101" && model.roles.iter().any(|r| r.id == "SagelintFaultInjectionPanic")),
            "fault injected by a test"
        );
        (rule.check)(&mut cx);
    }));
    match result {
        Ok(()) => Ok(cx.out),
        Err(panic) => Err(RulePanic { code: rule.code, message: crate::error::panic_message(&*panic) }),
    }
}
