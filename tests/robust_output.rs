//! Text reports stay readable, bounded and inert whatever the files contain (issue 11, items 1 and
//! 7): a finding past column 65,535 of a one-line file (a minified template, a one-line plan, a
//! minified policy given to `eval`) is shown in a bounded window instead of crashing the renderer
//! or printing the whole line per label; control characters that a template puts into names and
//! paths are shown as escapes, so they cannot forge a workflow command or reach the terminal.
//! Fixtures are generated into a temp dir; sizes are checked on the output, never on timing.

#[expect(dead_code, reason = "this file uses only `sagelint` from the shared helpers")]
mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use common::sagelint;
use serde_json::Value;

fn fixture(path: &str) -> Value {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The columns of the `short` lines' positions.
fn columns(short: &str) -> Vec<usize> {
    short.lines().filter_map(|l| l.split(':').nth(2)?.parse().ok()).collect()
}

/// A minified (one-line) template of about 1.3 MB: 20,000 topics, then `copies` functions whose
/// roles allow only sagemaker:DescribeEndpoint (SL101 each), then a `Ref` to nothing (SL002).
fn minified_template(copies: usize) -> String {
    let base = fixture("testdata/rules/SL101/fail/cfn-json-role-wrong-action/template.json");
    let resources = &base["Resources"];
    let mut text = String::from(r#"{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"#);
    for i in 0..20_000 {
        let _ = write!(
            text,
            r#""Pad{i}":{{"Type":"AWS::SNS::Topic","Properties":{{"TopicName":"topic-{i}"}}}},"#
        );
    }
    for k in 0..copies {
        let role = resources["ScoreRole"].to_string();
        let function = resources["ScoreFunction"].to_string().replace("ScoreRole", &format!("ScoreRole{k}"));
        let _ = write!(text, r#""ScoreRole{k}":{role},"ScoreFunction{k}":{function},"#);
    }
    let _ = write!(text, r#""Endpoint":{},"#, resources["Endpoint"]);
    text.push_str(r#""Last":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Ref":"Missing"}}}}}"#);
    assert!(!text.contains('\n'));
    text
}

#[test]
fn minified_template_past_column_65535_is_rendered_in_bounded_windows() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.json");
    fs::write(&template, minified_template(30)).unwrap();
    let path = dir.path().to_string_lossy().into_owned();

    let (code, short, err) = sagelint(&["check", &path, "--format", "short"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(short.lines().count(), 31, "{short}");
    assert!(columns(&short).iter().all(|&c| c > 65_535), "{short}");

    let (code, pretty, err) = sagelint(&["check", &path, "--color", "never"]);
    assert_eq!(code, 1, "the renderer must not panic: {err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(pretty.matches("SL101 invoke-not-allowed").count(), 30, "{pretty}");
    assert!(pretty.contains("Ref refers to Missing"), "{pretty}");
    assert!(
        pretty.lines().any(|l| l.starts_with(" 1 │ …") && l.ends_with(r#"{"Ref":"Missing"}}}}}"#)),
        "{pretty}"
    );
    assert!(pretty.contains("31 errors, 0 warnings, 0 infos in 1 file"), "{pretty}");
    // Each label shows a window of its line, not the 1.3 MB line (40 MB for 31 findings).
    assert!(pretty.len() < 64 * 1024, "{} bytes:\n{pretty}", pretty.len());
    assert!(pretty.lines().all(|l| l.chars().count() < 400), "{pretty}");
    // The real column stays in the header.
    let last = columns(&short)[30];
    assert!(pretty.contains(&format!("template.json:1:{last}]")), "{pretty}");

    let report = dir.path().join("report.txt");
    let (code, out, err) = sagelint(&[
        "check",
        &template.to_string_lossy(),
        "--color",
        "never",
        "--output",
        &report.to_string_lossy(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(fs::read_to_string(&report).unwrap(), pretty);
}

#[test]
fn one_line_terraform_plan_past_column_65535_is_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let case =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/SL101/fail/terraform-plan-describe-only");
    fs::create_dir(dir.path().join("src")).unwrap();
    fs::copy(case.join("src/app.py"), dir.path().join("src/app.py")).unwrap();
    let mut plan = fixture("testdata/rules/SL101/fail/terraform-plan-describe-only/plan.json");
    let resources = plan["planned_values"]["root_module"]["resources"].as_array_mut().unwrap();
    let padding = (0..3_000).map(|i| {
        serde_json::json!({
            "address": format!("aws_sns_topic.pad{i}"), "mode": "managed", "type": "aws_sns_topic",
            "name": format!("pad{i}"), "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0, "values": { "name": format!("topic-{i}") }, "sensitive_values": {}
        })
    });
    resources.splice(0..0, padding);
    fs::write(dir.path().join("plan.json"), plan.to_string()).unwrap();
    let path = dir.path().to_string_lossy().into_owned();

    let (code, short, err) = sagelint(&["check", &path, "--format", "short", "--select", "SL101"]);
    assert_eq!(code, 1, "{err}");
    assert!(!columns(&short).is_empty() && columns(&short).iter().all(|&c| c > 65_535), "{short}");
    let (code, pretty, err) = sagelint(&["check", &path, "--color", "never", "--select", "SL101"]);
    assert_eq!(code, 1, "the renderer must not panic: {err}");
    assert!(pretty.contains("SL101 invoke-not-allowed"), "{pretty}");
    assert!(pretty.len() < 16 * 1024, "{} bytes:\n{pretty}", pretty.len());
}

#[test]
fn eval_on_a_minified_10000_statement_policy_shows_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut statements: Vec<Value> = (0..9_999)
        .map(|i| {
            serde_json::json!({
                "Sid": format!("Read{i}"), "Effect": "Allow", "Action": "s3:GetObject",
                "Resource": format!("arn:aws:s3:::bucket-{i}/*")
            })
        })
        .collect();
    statements.push(serde_json::json!({
        "Sid": "DenyInvoke", "Effect": "Deny", "Action": "sagemaker:InvokeEndpoint", "Resource": "*"
    }));
    let policy = serde_json::json!({ "Version": "2012-10-17", "Statement": statements });
    let file = dir.path().join("policy.json");
    fs::write(&file, policy.to_string()).unwrap();
    let (code, out, err) = sagelint(&[
        "eval",
        "--policy",
        &file.to_string_lossy(),
        "--action",
        "sagemaker:InvokeEndpoint",
        "--resource",
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "the renderer must not panic: {err}");
    assert!(out.contains("ExplicitDeny"), "{out}");
    assert!(out.contains("Sid DenyInvoke"), "{out}");
    assert!(out.contains(r#"{"Action":"sagemaker:InvokeEndpoint","Effect":"Deny""#), "{out}");
    assert!(out.len() < 4 * 1024, "{} bytes:\n{out}", out.len());
}

/// What a template controls and a message quotes: a line break that would start a workflow command
/// or a fake finding, and ESC/BEL for the terminal.
const INJECTED: &str = "\n::error file=x::pwned\u{1b}[31m\u{7}";

fn has_raw_controls(text: &str) -> bool {
    text.contains(['\u{1b}', '\u{7}'])
}

#[test]
fn control_characters_from_templates_and_paths_are_escaped_in_text_output() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(format!("stack{INJECTED}"));
    fs::create_dir(&dir).unwrap();
    let template = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/rules/SL101/fail/cfn-json-role-wrong-action/template.json"),
    )
    .unwrap();
    let escaped = serde_json::to_string(INJECTED).unwrap();
    let escaped = escaped.trim_matches('"');
    let template = template.replace("\"ScoreFunction\"", &format!("\"Score{escaped}Function\"")).replace(
        "\"EndpointName\": \"my-sagemaker-endpoint\"",
        &format!("\"EndpointName\": \"my{escaped}\""),
    );
    fs::write(dir.join("template.json"), template).unwrap();
    // Raw control characters in the file itself (an SL001 whose snippet shows them).
    fs::write(
        dir.join("broken.template.json"),
        "{\"Description\": \"\u{1b}[31m\u{7}\", \"Resources\": {}}\n",
    )
    .unwrap();
    let path = root.path().to_string_lossy().into_owned();

    // The JSON report keeps the exact strings: the fixture really puts them into messages and paths.
    let (code, json, _) = sagelint(&["check", &path, "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains(&format!("Lambda Score{INJECTED}")))
    );
    assert!(diagnostics.iter().all(|d| d["file"].as_str().unwrap().contains(INJECTED)));
    assert!(diagnostics.iter().any(|d| d["code"] == "SL001"), "{json}");

    let (_, short, err) = sagelint(&["check", &path, "--format", "short"]);
    assert!(!has_raw_controls(&short) && !has_raw_controls(&err), "{short}");
    assert_eq!(short.lines().count(), diagnostics.len(), "{short}");
    assert!(short.lines().all(|l| l.starts_with(path.as_str())), "{short}");
    assert!(
        short.contains("Lambda Score\\n::error file=x::pwned\\u{1b}[31m\\u{7}Function cannot call"),
        "{short}"
    );
    assert!(short.contains("stack\\n::error file=x::pwned\\u{1b}[31m\\u{7}/template.json:"), "{short}");

    let (_, pretty, err) = sagelint(&["check", &path, "--color", "never"]);
    assert!(!has_raw_controls(&pretty) && !has_raw_controls(&err), "{pretty}");
    assert!(!pretty.lines().any(|l| l.starts_with("::")), "{pretty}");
    assert!(pretty.contains(r"× Lambda Score\n::error file=x::pwned\u{1b}[31m\u{7}Function"), "{pretty}");
    assert!(pretty.contains(r#""Description": "\u{1b}[31m\u{7}""#), "{pretty}");

    let (_, github, err) = sagelint(&["check", &path, "--format", "github"]);
    assert!(!has_raw_controls(&github) && !has_raw_controls(&err), "{github}");
    assert_eq!(github.lines().count(), diagnostics.len(), "{github}");
    assert!(
        github.lines().all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{github}"
    );
}

#[test]
fn control_characters_in_a_config_file_are_escaped_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let unknown_key = dir.path().join("unknown.toml");
    fs::write(&unknown_key, "\"bad\\u001b[31m\\u0007key\" = 1\n").unwrap();
    let raw = dir.path().join("raw.toml");
    fs::write(&raw, "region = \"eu-west-1\u{1b}[31m\u{7}\"\n").unwrap();
    for config in [unknown_key, raw] {
        let (code, out, err) =
            sagelint(&["check", "testdata/scenarios/garbage", "--config", &config.to_string_lossy()]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("\\u{1b}[31m"), "{err}");
        assert!(!has_raw_controls(&err), "{err}");
    }
}
