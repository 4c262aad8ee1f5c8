//! Every `testdata/rules/<CODE>/{pass,fail}/<case>/` tree, linted twice.
//!
//! With only its rule selected, a `fail` case must report that rule and a `pass` case must report
//! nothing. With all rules on (what a user running plain `sagelint check` sees), a `fail` case
//! must still report its rule, and every case's whole report is a reviewed snapshot named
//! `<CODE>__<kind>__<case>`: a second problem in a fixture, or a rule misfiring on it, shows up
//! there instead of hiding behind `--select`.

mod common;
mod snap;

use std::path::Path;

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut failures = Vec::new();
    let mut cases = 0;
    for rule_dir in common::subdirs(&root) {
        let code = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        for kind in ["fail", "pass"] {
            for case in common::subdirs(&rule_dir.join(kind)) {
                cases += 1;
                let name = case.file_name().unwrap().to_string_lossy().into_owned();
                let relative = case.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_path_buf();
                let label = format!("{code}/{kind}/{name}");

                let selected = selected_codes(&relative, &code);
                if kind == "pass" && !selected.is_empty() {
                    failures.push(format!("{label}: --select {code} reported {}", selected.join(", ")));
                }
                if kind == "fail" && !selected.contains(&code) {
                    failures.push(format!("{label}: --select {code} reported no {code}"));
                }

                let (_, text, _) = common::report(&relative, None);
                if kind == "fail" && !codes(short_section(&text)).contains(&code) {
                    failures.push(format!("{label}: with all rules on, no {code} is reported"));
                }
                if !snap::matches(&format!("{code}__{kind}__{name}"), &case, &text) {
                    failures.push(format!("{label}: snapshot differs"));
                }
            }
        }
    }
    assert!(cases > 0, "no fixtures found under {}", root.display());
    assert!(
        failures.is_empty(),
        "{} of {cases} fixture cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The codes reported for `dir` with only `code` selected, one per finding.
fn selected_codes(dir: &Path, code: &str) -> Vec<String> {
    let dir = dir.to_string_lossy();
    let (_, short, stderr) =
        common::sagelint(&["check", dir.as_ref(), "-q", "--select", code, "--format", "short"]);
    assert!(!stderr.contains("internal error"), "{dir}: {stderr}");
    codes(&short)
}

/// The short-format lines of a report made by `common::report`.
fn short_section(text: &str) -> &str {
    text.split_once("--- short ---\n")
        .and_then(|(_, rest)| rest.split_once("--- exit code"))
        .map_or("", |(short, _)| short)
}

/// The code of each short-format line (`path:line:column: CODE [severity] message`).
fn codes(short: &str) -> Vec<String> {
    short
        .lines()
        .filter_map(|line| line.split_once(": ")?.1.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}
