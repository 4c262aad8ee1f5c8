//! SL110 logs-permission-missing. Prose, examples and suppression: rules/SL110.md.
//!
//! Lambda writes logs with the execution role: it needs `logs:CreateLogStream` and
//! `logs:PutLogEvents` on the function's log group: `/aws/lambda/<name>`, or the one named by
//! `LoggingConfig.LogGroup`
//! (<https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html>,
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html>).

use super::prelude::*;
use crate::analysis::logs::LogsDenied;

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL110",
    name: "logs-permission-missing",
    severity: Severity::Warning,
    summary: "The function's role cannot create log streams and put log events, so failures leave no trace",
    doc: rule_doc!("SL110"),
    source: file!(),
    check,
};

fn check(cx: &mut LintContext<'_>) {
    // The evaluations are the analysis stage's (`analysis::logs`); the rule words them.
    for denied in &cx.facts().logs_denied {
        let LogsDenied { function, role, group, missing } = denied;
        cx.report(
            Finding::new(format!(
                "Lambda {} cannot write its logs: role {} does not allow {} on {group}",
                function.id,
                role.id,
                missing.join(" and ")
            ))
            .at(role.policies_loc.unwrap_or(role.loc), "no statement here allows writing the function's logs")
            .related(function.loc, "function defined here")
            .related_opt(function.log_group.as_ref().map(|(_, loc)| *loc), "the function logs to this group")
            .help("attach the AWS managed policy service-role/AWSLambdaBasicExecutionRole, or allow logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on the function's log group")
            .resource(function.id.clone()),
        );
    }
}
