//! The loaders of the files a user names beside the scanned ones: `sagelint.toml`, policy documents
//! (`--scp`, `eval --policy`, `--boundary`; JSON or YAML) and baselines. Their errors and findings
//! are rendered as the binary renders them, so a span past the text shows up here.
//!
//! Input: the first byte picks the loader (`% 4`: config, JSON policy, YAML policy, baseline); the
//! rest is the file. In a baseline, `@fp@` stands for the fingerprint of the fixture's first
//! finding (fingerprints include the file's displayed path, which differs between checkouts).
#![no_main]

mod pipeline;
mod scratch;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use miette::{GraphicalReportHandler, GraphicalTheme};
use sagelint::diagnostic::{Diagnostic, Severity};
use sagelint::error::Error;
use sagelint::report::Summary;
use sagelint::source::SourceMap;

/// Real findings with their sources, for baselines to match against: one small fixture linted once.
fn fixture() -> &'static (Vec<Diagnostic>, SourceMap) {
    static FIXTURE: OnceLock<(Vec<Diagnostic>, SourceMap)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios/sam-logs-s3-only");
        let options = sagelint::LintOptions { jobs: Some(1), ..Default::default() };
        let outcome = sagelint::lint(&[dir], &options).expect("the fixture lints");
        assert!(!outcome.diagnostics.is_empty(), "the fixture has findings");
        (outcome.diagnostics, outcome.sources)
    })
}

/// Renders a run-level error as `main` prints it (miette's graphical report, with its span).
fn render_error(error: Error) {
    let _ = format!("{error}");
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    let _ = handler.render_report(&mut out, &error);
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, content)) = data.split_first() else { return };
    let dir = scratch::fresh("config_files");
    let name = match which % 4 {
        0 => "sagelint.toml",
        1 => "scp.json",
        2 => "scp.yaml",
        _ => "baseline.json",
    };
    let mut content = content.to_vec();
    if which % 4 == 3 {
        let (diagnostics, sources) = fixture();
        let real = sagelint::report::fingerprint(&diagnostics[0], sources);
        content = replace(&content, b"@fp@", real.as_bytes());
    }
    let path = scratch::write(dir, name, &content).expect("write the input");
    match which % 4 {
        0 => {
            if let Err(e) = sagelint::config::load(&path) {
                render_error(e);
            }
        }
        1 | 2 => {
            let mut sources = SourceMap::default();
            let scope = sagelint::fsread::Scope::unrestricted();
            match sagelint::load_policy_file(&path, &mut sources, &scope) {
                Ok((_policy, issues)) => {
                    let diagnostics: Vec<Diagnostic> = issues
                        .into_iter()
                        .map(|i| Diagnostic {
                            code: "SL001",
                            name: "parse-error",
                            severity: Severity::Error,
                            finding: sagelint::rules::describe(&i),
                        })
                        .collect();
                    let summary = Summary::new(&diagnostics, sources.len());
                    pipeline::render_all(&diagnostics, &sources, summary);
                }
                Err(e) => render_error(e),
            }
        }
        _ => {
            let (diagnostics, sources) = fixture();
            let mut kept = diagnostics.clone();
            match sagelint::baseline::apply(&path, &mut kept, sources) {
                Ok(removed) => assert_eq!(removed + kept.len(), diagnostics.len()),
                Err(e) => render_error(e),
            }
        }
    }
});
