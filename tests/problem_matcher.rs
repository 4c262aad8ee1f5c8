//! The `short` format's problem matchers (`.github/sagelint-matcher.json` for GitHub Actions,
//! `docs/vscode-tasks.json` for VS Code) read real `short` lines back into the diagnostics the
//! JSON report holds: file, line, column, severity, code and message.

#[expect(dead_code, reason = "this file needs only `sagelint` of the shared helpers")]
mod common;

use serde_json::Value;

/// A problem-matcher pattern: the regex and the capture group of each field.
struct Pattern {
    regex: regex::Regex,
    groups: Value,
}

impl Pattern {
    fn new(pattern: &Value) -> Self {
        let source = pattern["regexp"].as_str().expect("a pattern has a regexp");
        Self { regex: regex::Regex::new(source).expect("the regexp compiles"), groups: pattern.clone() }
    }

    /// The named fields of a matching line.
    fn fields(&self, line: &str) -> Option<serde_json::Map<String, Value>> {
        let caps = self.regex.captures(line)?;
        let mut out = serde_json::Map::new();
        for field in ["file", "line", "column", "severity", "code", "message"] {
            let group = self.groups[field]
                .as_u64()
                .and_then(|g| usize::try_from(g).ok())
                .expect("each field names its group");
            out.insert(field.to_owned(), caps.get(group).map_or("", |m| m.as_str()).into());
        }
        Some(out)
    }
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("the matcher file exists");
    serde_json::from_str(&text).expect("the matcher file is JSON")
}

/// Each `short` line with the JSON diagnostic it stands for (both reports share one order).
fn short_lines_and_diagnostics() -> Vec<(String, Value)> {
    let (_, short, _) = common::sagelint(&["check", "testdata", "--format", "short"]);
    let (_, json, _) = common::sagelint(&["check", "testdata", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).expect("the json report is JSON");
    let diagnostics = doc["diagnostics"].as_array().expect("the report lists diagnostics").clone();
    let lines: Vec<String> = short.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), diagnostics.len(), "one short line per diagnostic:\n{short}");
    for severity in ["error", "warning", "info"] {
        assert!(diagnostics.iter().any(|d| d["severity"] == severity), "the tree has an {severity} finding");
    }
    lines.into_iter().zip(diagnostics).collect()
}

fn assert_reads_back(line: &str, fields: &serde_json::Map<String, Value>, d: &Value) {
    assert_eq!(fields["file"], d["file"], "{line}");
    assert_eq!(fields["line"], d["line"].to_string().as_str(), "{line}");
    assert_eq!(fields["column"], d["column"].to_string().as_str(), "{line}");
    assert_eq!(fields["severity"], d["severity"], "{line}");
    assert_eq!(fields["code"], d["code"], "{line}");
    assert_eq!(fields["message"], d["message"], "{line}");
}

#[test]
fn github_matcher_reads_errors_and_warnings_and_skips_infos() {
    let doc = load(".github/sagelint-matcher.json");
    let matcher = &doc["problemMatcher"][0];
    assert_eq!(matcher["owner"], "sagelint");
    let pattern = Pattern::new(&matcher["pattern"][0]);
    for (line, d) in short_lines_and_diagnostics() {
        match pattern.fields(&line) {
            Some(fields) => assert_reads_back(&line, &fields, &d),
            // The runner knows only error and warning: an `info` line would be dropped anyway.
            None => assert_eq!(d["severity"], "info", "not matched: {line}"),
        }
    }
}

#[test]
fn vscode_task_matcher_reads_every_line() {
    let doc = load("docs/vscode-tasks.json");
    let task = &doc["tasks"][0];
    let args: Vec<&str> = task["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(args.windows(2).any(|w| w == ["--format", "short"]), "{args:?}");
    let pattern = Pattern::new(&task["problemMatcher"]["pattern"]);
    for (line, d) in short_lines_and_diagnostics() {
        let fields = pattern.fields(&line).unwrap_or_else(|| panic!("not matched: {line}"));
        assert_reads_back(&line, &fields, &d);
    }
}

#[test]
fn matchers_ignore_the_pretty_report_and_summary() {
    let doc = load("docs/vscode-tasks.json");
    let pattern = Pattern::new(&doc["tasks"][0]["problemMatcher"]["pattern"]);
    let (_, pretty, _) =
        common::sagelint(&["check", "testdata/scenarios/sam-logs-s3-only", "--color", "never"]);
    assert!(pretty.lines().count() > 10);
    for line in pretty.lines() {
        assert!(pattern.fields(line).is_none(), "{line}");
    }
}
