//! `explain CODE|NAME` and `rules`: the embedded rule documentation and the registry listing.

use std::fmt::Write as _;

use super::args::ListFormat;
use super::{ExitStatus, Output};
use crate::error::Error;
use crate::rules::REGISTRY;

pub(super) fn explain(rule: &str) -> Result<Output, Error> {
    let def = crate::rules::find(rule)
        .ok_or_else(|| Error::Usage(format!("unknown rule {rule:?}; `sagelint rules` lists them")))?;
    Ok(Output { stdout: def.doc.to_owned(), status: ExitStatus::Success, errors: Vec::new() })
}

pub(super) fn rules(format: ListFormat) -> Output {
    let stdout = match format {
        ListFormat::Text => {
            let mut out = String::new();
            for r in REGISTRY {
                let _ = writeln!(out, "{}  {:<32} {:<8} {}", r.code, r.name, r.severity, r.summary);
            }
            out
        }
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = REGISTRY
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "severity": r.severity.as_str(),
                        "summary": r.summary, "url": crate::rules::doc_url(r.code), "source": r.source,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    Output { stdout, status: ExitStatus::Success, errors: Vec::new() }
}
