//! Whether each calling function's role lets Lambda write the function's logs: two IAM
//! evaluations per function (`logs:CreateLogStream` and `logs:PutLogEvents` on its log group;
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html>). Computed here,
//! spread over the pool: inside SL110's task they were half of the rules' time at 10,000 stacks,
//! and the stage's last task, with one worker idle.

use crate::analysis::invoke::denied_actions;
use crate::model::{Function, Model, Role};
use crate::value::{SymStr, SymbolOrigin};

/// A function whose role certainly cannot write the function's logs.
pub(crate) struct LogsDenied<'m> {
    pub function: &'m Function,
    pub role: &'m Role,
    /// The ARN of the function's log group.
    pub group: SymStr,
    /// The actions denied, in the order Lambda needs them.
    pub missing: Vec<&'static str>,
}

/// Every calling function whose role is known and fully read, and certainly denied writing its
/// logs, in model order.
pub(crate) fn denied(model: &Model, parallel: bool) -> Vec<LogsDenied<'_>> {
    super::per_function(model, parallel, |function| denied_for(model, function))
}

fn denied_for<'m>(model: &'m Model, function: &'m Function) -> Option<LogsDenied<'m>> {
    if function.calls.is_empty() {
        return None;
    }
    let role = super::fully_read_role(model, function)?;
    let mut group = function.own_arn_prefix("logs");
    group.push_str("log-group:");
    if let Some((name, _)) = &function.log_group {
        group.append(name);
    } else {
        group.push_str("/aws/lambda/");
        group.append(&function.name);
    }
    let mut stream = group.clone();
    stream.push_str(":log-stream:");
    stream.push_sym("LogStream", SymbolOrigin::Request);
    let missing =
        denied_actions(model, role, &[("logs:CreateLogStream", &stream), ("logs:PutLogEvents", &stream)]);
    (!missing.is_empty()).then_some(LogsDenied { function, role, group, missing })
}
