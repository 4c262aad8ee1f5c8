//! The rule registry: one line per rule, sorted by code. Each rule is one file exporting `RULE`.

mod context;
mod sl001_parse_error;
mod sl002_unresolved_reference;
mod sl003_undecidable;
mod sl004_unused_suppression;
mod sl101_invoke_not_allowed;
mod sl102_invoke_explicitly_denied;
mod sl103_boundary_blocks_invoke;
mod sl104_scp_blocks_invoke;
mod sl105_invoke_allowed_only_if;
mod sl106_endpoint_arn_case;
mod sl107_arn_scope_mismatch;
mod sl108_invoke_variant_not_allowed;
mod sl109_broad_invoke_grant;
mod sl110_logs_permission_missing;
mod sl111_async_io_not_allowed;
mod sl112_unknown_action;
mod sl201_endpoint_name_mismatch;
mod sl202_endpoint_name_invalid;
mod sl203_endpoint_env_var_missing;
mod sl204_endpoint_not_declared;
mod sl301_vpc_no_egress_path;
mod sl302_security_group_blocks_egress;
mod sl303_vpc_endpoint_blocks_ingress;
mod sl304_vpc_endpoint_private_dns_off;
mod sl305_vpc_endpoint_policy_denies;
mod sl306_vpc_eni_permission_missing;
mod sl401_api_invoke_permission_missing;
mod sl402_lambda_timeout_too_short;
mod sl403_timeout_exceeds_api_limit;
mod sl404_invoke_error_unhandled;
mod wording;

pub use context::{LintContext, RulePanic, Selection, run, run_isolated, run_with};

use crate::diagnostic::Severity;

/// Everything about a rule except its logic's internals.
#[derive(Debug)]
pub struct RuleDef {
    pub code: &'static str,
    /// The problem, in kebab-case (`invoke-not-allowed`).
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// `rules/<CODE>.md`, embedded so a missing page is a build error.
    pub doc: &'static str,
    /// The rule's source file, for `sagelint rules --format json`.
    pub source: &'static str,
    pub check: fn(&mut LintContext<'_>),
}

macro_rules! rule_doc {
    ($code:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $code, ".md"))
    };
}
pub(crate) use rule_doc;

/// Every rule, sorted by code.
pub static REGISTRY: &[&RuleDef] = &[
    &sl001_parse_error::RULE,
    &sl002_unresolved_reference::RULE,
    &sl003_undecidable::RULE,
    &sl004_unused_suppression::RULE,
    &sl101_invoke_not_allowed::RULE,
    &sl102_invoke_explicitly_denied::RULE,
    &sl103_boundary_blocks_invoke::RULE,
    &sl104_scp_blocks_invoke::RULE,
    &sl105_invoke_allowed_only_if::RULE,
    &sl106_endpoint_arn_case::RULE,
    &sl107_arn_scope_mismatch::RULE,
    &sl108_invoke_variant_not_allowed::RULE,
    &sl109_broad_invoke_grant::RULE,
    &sl110_logs_permission_missing::RULE,
    &sl111_async_io_not_allowed::RULE,
    &sl112_unknown_action::RULE,
    &sl201_endpoint_name_mismatch::RULE,
    &sl202_endpoint_name_invalid::RULE,
    &sl203_endpoint_env_var_missing::RULE,
    &sl204_endpoint_not_declared::RULE,
    &sl301_vpc_no_egress_path::RULE,
    &sl302_security_group_blocks_egress::RULE,
    &sl303_vpc_endpoint_blocks_ingress::RULE,
    &sl304_vpc_endpoint_private_dns_off::RULE,
    &sl305_vpc_endpoint_policy_denies::RULE,
    &sl306_vpc_eni_permission_missing::RULE,
    &sl401_api_invoke_permission_missing::RULE,
    &sl402_lambda_timeout_too_short::RULE,
    &sl403_timeout_exceeds_api_limit::RULE,
    &sl404_invoke_error_unhandled::RULE,
];

/// SL004 findings for the suppressions that hid nothing, stamped like any other rule's.
#[must_use]
pub fn unused_suppressions(
    unused: &[crate::model::Suppression],
    selection: &Selection,
) -> Vec<crate::diagnostic::Diagnostic> {
    let rule = &sl004_unused_suppression::RULE;
    if !selection.enabled(rule) {
        return Vec::new();
    }
    // None: the pattern names no rule; Some(false): a rule it names did not run.
    let enabled = |pattern: &str| {
        let named: Vec<_> = REGISTRY.iter().filter(|r| pattern_names(pattern, r.code, r.name)).collect();
        (!named.is_empty()).then(|| named.iter().all(|r| selection.enabled(r)))
    };
    let severity = selection.severity_of(rule);
    sl004_unused_suppression::findings(unused, enabled)
        .into_iter()
        .map(|finding| crate::diagnostic::Diagnostic { code: rule.code, name: rule.name, severity, finding })
        .collect()
}

/// The finding for a problem the builders recorded, in the words of the rule that owns it (for
/// callers outside a lint run, such as `eval`, which reports a policy file's problems).
#[must_use]
pub fn describe(problem: &crate::model::Problem) -> crate::diagnostic::Finding {
    use crate::model::ProblemKind;
    let finding = match &problem.kind {
        ProblemKind::Parse(p) => sl001_parse_error::describe(p, problem.loc),
        ProblemKind::Unresolved(p) => sl002_unresolved_reference::describe(p, problem.loc),
        ProblemKind::Undecidable(p) => sl003_undecidable::describe(p, problem.loc),
    };
    match &problem.resource {
        Some(resource) => finding.resource(resource.clone()),
        None => finding,
    }
}

/// True when a user's pattern (code, code prefix such as `SL1`, or name) names the rule. One
/// definition for `--select`/`--ignore`, `[severity]` and suppressions.
#[must_use]
pub fn pattern_names(pattern: &str, code: &str, name: &str) -> bool {
    let p = pattern.trim();
    name == p || code.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase())
}

/// The rule with this code or name.
#[must_use]
pub fn find(code_or_name: &str) -> Option<&'static RuleDef> {
    REGISTRY.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// The link to a rule's documentation page.
#[must_use]
pub fn doc_url(code: &str) -> String {
    format!("https://github.com/sagelint/sagelint/blob/main/rules/{code}.md")
}

mod prelude {
    pub(super) use super::context::LintContext;
    pub(super) use super::{RuleDef, rule_doc};
    pub(super) use crate::diagnostic::{Finding, Severity};
}
