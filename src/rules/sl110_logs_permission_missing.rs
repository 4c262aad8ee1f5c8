//! SL110 logs-permission-missing. Prose, examples and suppression: rules/SL110.md.
//!
//! Lambda writes logs with the execution role: it needs `logs:CreateLogStream` and
//! `logs:PutLogEvents` on the function's log group: `/aws/lambda/<name>`, or the one named by
//! `LoggingConfig.LogGroup`
//! (<https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html>,
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html>).

use super::prelude::*;
use crate::analysis::invoke::denied_actions;
use crate::model::RoleRef;
use crate::value::SymStr;

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
    let model = cx.model();
    for function in model.functions.iter().filter(|f| !f.calls.is_empty()) {
        let RoleRef::Known(index) = function.role else { continue };
        let Some(role) = model.roles.get(index) else { continue };
        if !role.unknown_policies.is_empty() {
            continue;
        }
        let mut group = SymStr::lit("arn:");
        group.append(&function.partition);
        group.push_str(":logs:");
        group.append(&function.region);
        group.push_str(":");
        group.append(&function.account);
        group.push_str(":log-group:");
        if let Some((name, _)) = &function.log_group {
            group.append(name);
        } else {
            group.push_str("/aws/lambda/");
            group.append(&function.name);
        }
        let mut stream = group.clone();
        stream.push_str(":log-stream:");
        stream.push_sym("LogStream", crate::value::SymbolOrigin::Request);
        let missing =
            denied_actions(model, role, &[("logs:CreateLogStream", &stream), ("logs:PutLogEvents", &stream)]);
        if missing.is_empty() {
            continue;
        }
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
