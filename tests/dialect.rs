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

/// Every fixture folder (rule cases and scenarios) whose files are Terraform only.
fn terraform_fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut cases = Vec::new();
    for rule in common::subdirs(&root.join("rules")) {
        for kind in ["fail", "pass"] {
            cases.extend(common::subdirs(&rule.join(kind)));
        }
    }
    cases.extend(common::subdirs(&root.join("scenarios")));
    cases.into_iter().filter(|c| is_terraform_only(c)).collect()
}

fn is_terraform_only(dir: &Path) -> bool {
    let mut terraform = false;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("fixture folder").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let extension = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            if extension == "tf" || name.ends_with(".tf.json") || text.contains("\"format_version\"") {
                terraform = true;
            } else if matches!(extension.as_str(), "yaml" | "yml" | "json")
                && (text.contains("AWSTemplateFormatVersion") || text.contains("Resources"))
            {
                return false;
            }
        }
    }
    terraform
}

#[test]
fn terraform_findings_speak_terraform() {
    let cases = terraform_fixtures();
    assert!(cases.len() > 20, "only {} Terraform fixtures found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let relative = case.strip_prefix(env!("CARGO_MANIFEST_DIR")).expect("inside the crate");
        let (_, out, err) = common::sagelint(&["check", &relative.to_string_lossy(), "--format", "json"]);
        let report: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {e}: {out} {err}", relative.display()));
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            let mut texts = vec![d["message"].as_str().unwrap_or(""), d["help"].as_str().unwrap_or("")];
            if let Some(related) = d["related"].as_array() {
                texts.extend(related.iter().map(|r| r["message"].as_str().unwrap_or("")));
            }
            for text in texts {
                if let Some(word) = CLOUDFORMATION.iter().find(|w| text.contains(*w)) {
                    failures.push(format!("{} {}: {word} in {text:?}", relative.display(), d["code"]));
                }
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
