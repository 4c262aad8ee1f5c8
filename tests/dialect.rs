//! Findings speak the language of what they are about: on every Terraform fixture, with all rules
//! on, no message, label or help shows CloudFormation syntax (`${AWS::…}`, `!GetAtt`, `!Sub`,
//! `Fn::…`, `Environment.Variables`, CloudFormation resource types).

#[expect(dead_code, reason = "this file uses `sagelint` and `subdirs` from the shared helpers")]
mod common;

use std::path::{Path, PathBuf};

/// CloudFormation words a Terraform user never writes.
const CLOUDFORMATION: [&str; 9] = [
    "${AWS::",
    "!GetAtt",
    "!Sub",
    "!Ref",
    "!ImportValue",
    "Fn::",
    "Environment.Variables",
    "AWS::Lambda::Permission",
    "AWS::IAM::",
];

/// Every fixture folder (rule cases and scenarios) that holds a Terraform file: `.tf`,
/// `.tf.json`, tfvars, or a plan or state JSON document.
fn terraform_fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut cases = Vec::new();
    for rule in common::subdirs(&root.join("rules")) {
        for kind in ["fail", "pass"] {
            cases.extend(common::subdirs(&rule.join(kind)));
        }
    }
    cases.extend(common::subdirs(&root.join("scenarios")));
    cases.into_iter().filter(|c| files(c).iter().any(|f| is_terraform(f))).collect()
}

/// The files under `dir`, at any depth.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("fixture folder").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files
}

fn is_terraform(file: &Path) -> bool {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if [".tf", ".tf.json", ".tfvars", ".tfvars.json", ".tfstate"].iter().any(|e| name.ends_with(e)) {
        return true;
    }
    file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) && {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        text.contains("\"format_version\"") || text.contains("\"terraform_version\"")
    }
}

/// A CloudFormation or SAM template: findings about what it defines rightly speak CloudFormation,
/// even in a folder that also holds Terraform.
fn is_cloudformation(file: &Path) -> bool {
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(extension.as_str(), "yaml" | "yml" | "json" | "template") && !is_terraform(file) && {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        text.contains("AWSTemplateFormatVersion")
            || text.contains("\"Resources\"")
            || text.lines().any(|l| l.starts_with("Resources:"))
    }
}

/// The label texts of a pretty report (`╰── label`): what the report writes under a span.
fn labels(pretty: &str) -> Vec<&str> {
    pretty.lines().filter_map(|l| l.split_once("╰── ").map(|(_, label)| label)).collect()
}

#[test]
fn terraform_findings_speak_terraform() {
    let cases = terraform_fixtures();
    assert!(cases.len() >= 100, "only {} Terraform fixtures found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let relative = case.strip_prefix(env!("CARGO_MANIFEST_DIR")).expect("inside the crate");
        let dir = relative.to_string_lossy();
        let (_, out, err) = common::sagelint(&["check", &dir, "--format", "json"]);
        let report: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{dir}: {e}: {out} {err}"));
        let mut texts: Vec<(String, String)> = Vec::new();
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            let file = d["file"].as_str().unwrap_or("");
            if is_cloudformation(&Path::new(env!("CARGO_MANIFEST_DIR")).join(file)) {
                continue;
            }
            let code = d["code"].as_str().unwrap_or("").to_owned();
            texts.push((code.clone(), d["message"].as_str().unwrap_or("").to_owned()));
            texts.push((code.clone(), d["help"].as_str().unwrap_or("").to_owned()));
            if let Some(related) = d["related"].as_array() {
                texts.extend(
                    related.iter().map(|r| (code.clone(), r["message"].as_str().unwrap_or("").to_owned())),
                );
            }
        }
        // Labels are only in the pretty report; a mixed folder would need them per file, and no
        // fixture mixes the two formats, so they are checked where every finding is Terraform's.
        if !files(case).iter().any(|f| is_cloudformation(f)) {
            let (_, pretty, _) = common::sagelint(&["check", &dir, "--color", "never", "-q"]);
            texts.extend(labels(&pretty).into_iter().map(|l| ("label".to_owned(), l.to_owned())));
        }
        for (code, text) in texts {
            if let Some(word) = CLOUDFORMATION.iter().find(|w| text.contains(*w)) {
                failures.push(format!("{dir} {code}: {word} in {text:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} CloudFormation words in Terraform findings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
