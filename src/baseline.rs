//! Baselines for adopting sagelint on an existing repository: `--write-baseline FILE` records the
//! current findings by fingerprint; `--baseline FILE` hides exactly those. Fingerprints contain no
//! line numbers, so unrelated edits (a resource added above) keep them stable.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::source::SourceMap;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    file: String,
    fingerprint: String,
    message: String,
}

/// Writes the diagnostics' fingerprints to `path`.
pub fn write(path: &Path, diagnostics: &[Diagnostic], sources: &SourceMap) -> Result<(), Error> {
    let findings = diagnostics
        .iter()
        .map(|d| Entry {
            code: d.code.to_owned(),
            file: d
                .finding
                .primary
                .as_ref()
                .map(|p| sources.get(p.loc.file).name().to_owned())
                .unwrap_or_default(),
            fingerprint: crate::report::fingerprint(d, sources),
            message: d.finding.message.to_string(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&BaselineFile { version: 1, findings })
        .map_err(|e| Error::Usage(format!("cannot write the baseline: {e}")))?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| Error::Write { path: crate::display_path(path), message: e.to_string() })
}

/// Removes the diagnostics recorded in the baseline at `path`; returns how many were removed.
pub fn apply(path: &Path, diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) -> Result<usize, Error> {
    let text = crate::read_named(path, crate::fsread::BASELINE_CAP, &crate::fsread::Scope::unrestricted())?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!("{} is not a sagelint baseline: {e}", crate::display_path(path)))
    })?;
    let known: BTreeSet<&str> = file.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let before = diagnostics.len();
    diagnostics.retain(|d| !known.contains(crate::report::fingerprint(d, sources).as_str()));
    Ok(before - diagnostics.len())
}
