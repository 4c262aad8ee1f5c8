//! `sagelint.toml` / `.sagelint.toml`: found upward from the first path; unknown keys and bad values
//! are errors with the key's span (exit 2). The CLI overrides the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::NamedSource;
use serde::Deserialize;

use crate::error::Error;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    pub region: Option<String>,
    pub account_id: Option<String>,
    pub partition: Option<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// Service control policy files (relative to the config file), like `--scp`.
    #[serde(default)]
    pub scp: Vec<PathBuf>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
    /// Where the file was read from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

const NAMES: [&str; 2] = ["sagelint.toml", ".sagelint.toml"];

/// The nearest config file at or above `start`.
#[must_use]
pub fn find(start: &Path) -> Option<PathBuf> {
    let absolute =
        if start.is_absolute() { start.to_path_buf() } else { std::env::current_dir().ok()?.join(start) };
    let mut dir = if absolute.is_dir() { Some(absolute.as_path()) } else { absolute.parent() };
    while let Some(d) = dir {
        for name in NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent();
    }
    None
}

/// The 1-based line and column of byte `at` when its line is too long before it for miette to
/// draw a label there: more than 65,535 display columns, counting each tab as 4 and every other
/// character as 2 (the widest), so the check errs on the safe side.
fn beyond_renderable_columns(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let width: usize = before.chars().map(|c| if c == '\t' { 4 } else { 2 }).sum();
    (width > usize::from(u16::MAX))
        .then(|| (text[..line_start].matches('\n').count() + 1, before.chars().count() + 1))
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = crate::read_named(path, crate::fsread::CONFIG_CAP, &crate::fsread::Scope::unrestricted())?;
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let mut message = e.message().to_owned();
        let mut span = e.span();
        // miette cannot underline past column 65,535 (it panics): such a span is given as a line
        // and column in the message instead.
        if let Some(r) = &span
            && let Some((line, column)) = beyond_renderable_columns(&text, r.end)
        {
            message = format!("{message} (line {line}, column {column})");
            span = None;
        }
        Error::Config {
            message,
            span: span.map(|r| (r.start, r.end.saturating_sub(r.start)).into()),
            src: NamedSource::new(crate::display_path(path), text.clone()),
        }
    })?;
    // The file's own words point at the mistake: the quoted value, or the key of a table entry.
    let bad = |message: String, needle: &str| Error::Config {
        message,
        span: span_of(&text, needle),
        src: NamedSource::new(crate::display_path(path), text.clone()),
    };
    if let Some(level) = &config.fail_on
        && crate::diagnostic::Severity::parse(level).is_none()
    {
        return Err(bad(format!("fail-on must be error, warning or info, not {level:?}"), level));
    }
    for (code, level) in &config.severity {
        if crate::diagnostic::Severity::parse(level).is_none() {
            return Err(bad(
                format!("severity for {code} must be error, warning or info, not {level:?}"),
                level,
            ));
        }
    }
    let names_a_rule = |pattern: &str| {
        crate::rules::REGISTRY.iter().any(|r| crate::rules::pattern_names(pattern, r.code, r.name))
    };
    for pattern in config.select.iter().chain(&config.ignore).chain(config.severity.keys()) {
        if !names_a_rule(pattern) {
            return Err(bad(
                format!("{pattern:?} matches no rule code, prefix or name (see `sagelint rules`)"),
                pattern,
            ));
        }
    }
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Where `needle` is written in the file: quoted (a value or a quoted key), else as a bare key at
/// the start of a line. Only to point at it; `None` when it cannot be found.
fn span_of(text: &str, needle: &str) -> Option<miette::SourceSpan> {
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{needle}{quote}");
        if let Some(at) = text.find(&quoted) {
            return Some((at, quoted.len()).into());
        }
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(needle)
            && rest.trim_start().starts_with('=')
        {
            return Some((offset + (line.len() - trimmed.len()), needle.len()).into());
        }
        offset += line.len();
    }
    None
}
