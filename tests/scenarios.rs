//! Every `testdata/scenarios/*` tree with all rules: the pretty and short report and the exit code,
//! as snapshots; the JSON report is checked against the contract's schema field by field.

mod common;
mod snap;

use std::path::Path;

#[test]
fn scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios");
    let dirs = common::subdirs(&root);
    assert!(!dirs.is_empty());
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let relative = dir.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_path_buf();
        let (_, text, _) = common::report(&relative, None);
        if !snap::matches(&format!("scenario__{name}"), &dir, &text) {
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "scenario snapshots differ: {failures:?}");
}

#[test]
fn headline_scenarios_exit_codes() {
    for (dir, code, expected) in [
        ("testdata/scenarios/sam-logs-s3-only", 1, Some("SL101")),
        ("testdata/scenarios/cfn-logs-s3-only", 1, Some("SL101")),
        ("testdata/scenarios/sam-misspelled-endpoint", 1, Some("SL201")),
        ("testdata/scenarios/cfn-misspelled-endpoint", 1, Some("SL201")),
        ("testdata/scenarios/sam-vpc-public-subnet", 1, Some("SL301")),
        ("testdata/scenarios/sam-correct-wiring", 0, None),
        ("testdata/scenarios/cfn-correct-wiring", 0, None),
        ("testdata/scenarios/terraform-vpc-api-chain", 0, None),
    ] {
        let (exit, out, err) = common::sagelint(&["check", dir, "--format", "short"]);
        assert_eq!(exit, code, "{dir}: {out}{err}");
        match expected {
            Some(rule) => assert!(out.lines().all(|l| l.contains(rule)) && !out.is_empty(), "{dir}: {out}"),
            None => assert!(out.is_empty(), "{dir}: {out}"),
        }
    }
}

#[test]
fn json_report_matches_the_contract() {
    let (exit, out, _) =
        common::sagelint(&["check", "testdata/scenarios/sam-logs-s3-only", "--format", "json"]);
    assert_eq!(exit, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "sagelint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "SL101");
    assert_eq!(d["name"], "invoke-not-allowed");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "testdata/scenarios/sam-logs-s3-only/template.yaml");
    // `Policies:` of ScoreFunction: line 16, columns 7-15 (1-based, end exclusive).
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(16), Some(7)));
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(16), Some(15)));
    assert_eq!(d["resource"], "ScoreFunction");
    assert!(d["help"].as_str().unwrap().contains("sagemaker:InvokeEndpoint"));
    assert!(d["fingerprint"].as_str().is_some_and(|f| f.len() == 16));
    let related = d["related"].as_array().unwrap();
    assert!(related.iter().any(|r| r["file"] == "testdata/scenarios/sam-logs-s3-only/src/app.py"
        && r["line"] == 14
        && r["message"] == "the endpoint is invoked here"));
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "fingerprint",
    ] {
        assert!(keys.contains(&key), "missing {key}");
    }
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["warnings"], 0);
    assert_eq!(doc["summary"]["suppressed"], 0);
}

#[test]
fn whole_testdata_tree_never_crashes() {
    let (exit, out, err) = common::sagelint(&["check", "testdata", "--format", "json"]);
    assert_eq!(exit, 1, "{err}");
    assert!(!err.contains("internal error"), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    // Sorted by file, line, column, code.
    let keys: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn parallel_and_single_threaded_runs_are_identical() {
    let (_, one, _) = common::sagelint(&["check", "testdata", "--format", "json", "--jobs", "1"]);
    let (_, many, _) = common::sagelint(&["check", "testdata", "--format", "json", "--jobs", "4"]);
    assert_eq!(one, many);
}
