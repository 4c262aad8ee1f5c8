//! The AWS SAM translator as an oracle for SL002: every SAM template under `testdata/` is
//! translated by `aws-sam-translator` (PyPI, installed by `.ci/run` into `.tools/sam-translator`)
//! and sagelint must report SL002 on exactly the names the translated stack references but does
//! not define — the names CloudFormation rejects. A name SAM generates (`ServerlessRestApi`,
//! `CodeDeployServiceRole`, `MyFunction.Alias`, …) is defined in the output, so SL002 on it is a
//! false error; a name SAM does not generate for that template stays undefined, so silence on it
//! is a miss.
//!
//! SAM's own translator suite (`tests/translator/input`) is not shipped on any registry this CI
//! reaches, so CI's inputs are this project's fixtures. With `SAGELINT_SAM_SUITE` set to a
//! checkout of aws/serverless-application-model, the suite's valid inputs join them (given the
//! SAM `Transform` line where they leave it out, as every deployable SAM template has it).
//!
//! Without the translator installed the test is skipped with a message, unless
//! `SAGELINT_REQUIRE_ORACLE=1` (as in `.ci/run`), where that is a failure.

#[expect(dead_code, reason = "this file uses only `sagelint` from the shared helpers")]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/sam-translator/bin/python")
}

/// Every file under `testdata/` that declares the SAM transform.
fn sam_templates() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("testdata")];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("testdata is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
                && std::fs::read_to_string(&path).is_ok_and(|t| t.contains("AWS::Serverless-2016-10-31"))
            {
                out.push(path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Copies of the valid inputs of SAM's translator suite under `suite`, each with the SAM transform
/// declared; inputs that declare another transform (the suite's `…-test` variants) are left out.
fn suite_templates(suite: &Path, scratch: &Path) -> Vec<String> {
    let input = suite.join("tests/translator/input");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&input).expect("SAGELINT_SAM_SUITE has tests/translator/input").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let yaml = Path::new(&name).extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml"));
        if name.starts_with("error_") || !yaml {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let transform = text.lines().find_map(|l| l.strip_prefix("Transform:")).map(str::trim);
        let text = match transform {
            Some("AWS::Serverless-2016-10-31") => text,
            Some(_) => continue,
            None => match text.strip_prefix("---\n") {
                Some(rest) => format!("---\nTransform: AWS::Serverless-2016-10-31\n{rest}"),
                None => format!("Transform: AWS::Serverless-2016-10-31\n{text}"),
            },
        };
        let copy = scratch.join(&name);
        std::fs::write(&copy, text).expect("the scratch folder is writable");
        out.push(copy.to_string_lossy().into_owned());
    }
    out.sort();
    out
}

/// The text a finding's span covers (1-based lines and columns, end exclusive).
fn span_text(file: &str, d: &serde_json::Value) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap_or_default();
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split('\n').collect();
    let at = |line: &serde_json::Value| line.as_u64().unwrap_or(1) as usize - 1;
    let (l0, l1) = (at(&d["line"]), at(&d["end_line"]));
    let (c0, c1) =
        (d["column"].as_u64().unwrap_or(1) as usize - 1, d["end_column"].as_u64().unwrap_or(1) as usize - 1);
    let joined: Vec<&str> =
        lines.get(l0..=l1.min(lines.len().saturating_sub(1))).unwrap_or_default().to_vec();
    let mut out = joined.join("\n");
    let last_start = out.len() - joined.last().map_or(0, |l| l.len());
    out.truncate((last_start + c1).min(out.len()));
    out.chars().skip(c0).collect()
}

/// True when `name` occurs in `text` as a whole logical ID, alone or with an attribute
/// (`${Name.Arn}`), not as part of a longer ID.
fn names(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn sl002_agrees_with_the_sam_translator() {
    if !python().is_file() {
        assert!(
            std::env::var("SAGELINT_REQUIRE_ORACLE").as_deref() != Ok("1"),
            "SAGELINT_REQUIRE_ORACLE=1 but the SAM translator is not installed at {}",
            python().display()
        );
        println!(
            "sam_translator: aws-sam-translator not installed (run .ci/run, or `python3 -m venv \
             .tools/sam-translator && .tools/sam-translator/bin/pip install aws-sam-translator==1.115.0 \
             PyYAML==6.0.2`), SKIPPED"
        );
        return;
    }
    let mut templates = sam_templates();
    assert!(templates.len() > 100, "only {} SAM templates found under testdata/", templates.len());
    let scratch = tempfile::tempdir().expect("a scratch folder");
    if let Some(suite) = std::env::var_os("SAGELINT_SAM_SUITE") {
        templates.extend(suite_templates(Path::new(&suite), scratch.path()));
    }

    let out = Command::new(python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sam_translator/translate.py"))
        .args(&templates)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the SAM translator runs");
    assert!(out.status.success(), "translate.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut undefined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rejected = 0;
    for line in String::from_utf8(out.stdout).expect("UTF-8").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per template");
        let file = v["template"].as_str().unwrap().to_owned();
        if v.get("error").is_some() {
            rejected += 1;
            continue;
        }
        let names = v["undefined"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned());
        undefined.insert(file, names.collect());
    }
    assert!(undefined.len() > 100, "the translator accepted only {} templates", undefined.len());

    let mut args = vec!["check", "--select", "SL002", "--format", "json"];
    args.extend(undefined.keys().map(String::as_str));
    let (_, stdout, stderr) = common::sagelint(&args);
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON report ({e}): {stderr}"));

    let mut failures = Vec::new();
    let mut reported: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let file = d["file"].as_str().unwrap();
        let Some(expected) = undefined.get(file) else { continue };
        let text = span_text(file, d);
        match expected.iter().find(|n| names(&text, n)) {
            Some(name) => reported.entry(file).or_default().push(name.clone()),
            None => failures.push(format!(
                "{file}:{}: false SL002 on `{text}` ({}); the translated stack defines it",
                d["line"], d["message"]
            )),
        }
    }
    for (file, expected) in &undefined {
        for name in expected {
            if !reported.get(file.as_str()).is_some_and(|r| r.contains(name)) {
                failures.push(format!(
                    "{file}: no SL002 on {name}, which the translated stack references undefined"
                ));
            }
        }
    }
    println!(
        "sam_translator: {} templates translated ({rejected} rejected by the translator), {} undefined names",
        undefined.len(),
        undefined.values().map(Vec::len).sum::<usize>()
    );
    assert!(failures.is_empty(), "SL002 disagrees with the SAM translator:\n{}", failures.join("\n"));
}
