//! Every report format on the seed scenarios, as snapshots. The pretty and short reports of every
//! scenario are in `scenarios.rs`; here are json, sarif and github for the six seed scenarios, run
//! from the crate root with relative paths so the snapshots hold no machine-specific path.

#[expect(dead_code, reason = "this file needs only `sagelint` of the shared helpers")]
mod common;
mod snap;

const SEEDS: [&str; 6] = [
    "sam-logs-s3-only",
    "sam-misspelled-endpoint",
    "sam-correct-wiring",
    "cfn-logs-s3-only",
    "cfn-misspelled-endpoint",
    "cfn-correct-wiring",
];

/// The SARIF report without what does not belong to the scenario: the absolute `%SRCROOT%` (the
/// working directory), the tool version, and the rule table (every rule's full documentation,
/// checked in `cli.rs`).
fn stable_sarif(out: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(out).expect("the sarif report is JSON");
    let run = &mut doc["runs"][0];
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("%SRCROOT% has a uri");
    let cwd = format!("file://{}/", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(root, cwd, "%SRCROOT% is the working directory");
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file://<working directory>/".into();
    let ids: Vec<String> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("the driver lists its rules")
        .iter()
        .map(|r| r["id"].as_str().expect("every rule has an id").to_owned())
        .collect();
    assert_eq!(ids.len(), sagelint::rules::REGISTRY.len());
    // Rule indexes shift whenever a rule is added; what matters is that each points at its rule.
    for result in run["results"].as_array_mut().expect("a run has results") {
        let index = result["ruleIndex"]
            .as_u64()
            .and_then(|i| usize::try_from(i).ok())
            .expect("a result has a ruleIndex");
        assert_eq!(result["ruleId"], ids[index].as_str());
        result["ruleIndex"] = "<index of ruleId>".into();
    }
    run["tool"]["driver"]["rules"] = "<every rule, see tests/cli.rs>".into();
    run["tool"]["driver"]["version"] = "<version>".into();
    run["tool"]["driver"]["semanticVersion"] = "<version>".into();
    serde_json::to_string_pretty(&doc).expect("a Value serialises") + "\n"
}

fn snapshot(format: &str, map: fn(&str) -> String) {
    let mut failures = Vec::new();
    for seed in SEEDS {
        let dir = format!("testdata/scenarios/{seed}");
        let (exit, out, err) = common::sagelint(&["check", &dir, "--format", format]);
        assert!(exit == 0 || exit == 1, "{dir}: exit {exit}: {err}");
        assert!(err.is_empty(), "{dir}: {err}");
        let text = format!("{}--- exit code: {exit} ---\n", map(&out));
        if !snap::matches(&format!("format__{format}__{seed}"), std::path::Path::new(&dir), &text) {
            failures.push(seed);
        }
    }
    assert!(failures.is_empty(), "{format} snapshots differ: {failures:?}");
}

#[test]
fn json_reports() {
    snapshot("json", |out| {
        let doc: serde_json::Value = serde_json::from_str(out).unwrap();
        assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
        out.replace(env!("CARGO_PKG_VERSION"), "<version>")
    });
}

#[test]
fn sarif_reports() {
    snapshot("sarif", stable_sarif);
}

#[test]
fn github_reports() {
    snapshot("github", str::to_owned);
}

/// Each annotation names the file, the whole primary span and a title, so GitHub can place it on
/// the pull request's diff.
#[test]
fn github_annotations_have_every_position_property() {
    let line_re = regex::Regex::new(
        r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=(SL\d{3}) ([a-z-]+)::(.+)$",
    )
    .unwrap();
    let mut annotations = 0;
    for seed in SEEDS {
        let dir = format!("testdata/scenarios/{seed}");
        let (_, out, _) = common::sagelint(&["check", &dir, "--format", "github"]);
        for line in out.lines() {
            let caps = line_re.captures(line).unwrap_or_else(|| panic!("{seed}: not an annotation: {line}"));
            assert!(caps[2].starts_with(&format!("{dir}/")), "{line}");
            assert!(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&caps[2]).is_file(), "{line}");
            let (line_no, col): (usize, usize) = (caps[3].parse().unwrap(), caps[4].parse().unwrap());
            let (end_line, end_col): (usize, usize) = (caps[5].parse().unwrap(), caps[6].parse().unwrap());
            assert!(line_no >= 1 && col >= 1 && (end_line, end_col) > (line_no, col), "{line}");
            annotations += 1;
        }
    }
    assert_eq!(annotations, 4, "one finding in each failing seed scenario");
}
