//! Inputs a real repository can hold that once made a scan quadratic (issue 11, item 5). Each is
//! generated here into a temp dir and linted by the real binary under a CPU-time limit
//! (`ulimit -t`): generous for the linear code in a debug build, far below what the quadratic
//! code needs at this size. Nothing here measures time; `benches/scans.rs` does.
#![cfg(unix)]

use std::fs;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::Command;

/// CPU seconds each run may use. The linear code needs well under a second in a debug build; the
/// quadratic code needed 49 to 101 s in a release build at these sizes.
const CPU_SECONDS: u32 = 20;

/// One finding of the JSON report: code, message and help.
struct Finding {
    code: String,
    message: String,
    help: String,
}

/// Exit code and findings of `sagelint check <dir>`, run with at most `CPU_SECONDS` of CPU time.
/// Panics when the limit killed the run (SIGXCPU, then SIGKILL).
fn check_within_limit(dir: &Path) -> (i32, Vec<Finding>) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -t {CPU_SECONDS} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_sagelint"))
        .args(["check", &dir.to_string_lossy(), "--format", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs the sagelint binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Some(signal) = out.status.signal() {
        panic!("sagelint was killed by signal {signal} (CPU limit of {CPU_SECONDS} s exceeded?)\n{stderr}");
    }
    let code = out.status.code().expect("an exit code");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report ({e}), exit code {code}\n{stderr}"));
    let text = |d: &serde_json::Value, key: &str| d[key].as_str().unwrap_or_default().to_owned();
    let findings = report["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| Finding { code: text(d, "code"), message: text(d, "message"), help: text(d, "help") })
        .collect();
    (code, findings)
}

/// A SAM function (`CodeUri: src/`, `Handler: app.handler`) on `runtime` whose role allows
/// `actions`, calling endpoint `my-sagemaker-endpoint` named in its environment.
fn sam_template(runtime: &str, actions: &[String]) -> String {
    let mut list = String::new();
    for a in actions {
        list.push_str("                - ");
        list.push_str(a);
        list.push('\n');
    }
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ScoreFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: {runtime}
      Timeout: 25
      Environment:
        Variables:
          ENDPOINT_NAME: !GetAtt Endpoint.EndpointName
      Policies:
        - Statement:
            - Effect: Allow
              Action:
{list}              Resource: "*"
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: my-sagemaker-endpoint
      EndpointConfigName: my-config
"#
    )
}

const PY_HANDLER: &str = r#"import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=event["body"])
"#;

/// 100 bogus actions of 15,000 characters each: "did you mean" compared each with every action
/// of the service by full edit distance (15,000 × the action's length, ~300 times per entry).
/// A near miss next to them still gets its suggestion.
#[test]
fn long_bogus_action_names_are_judged_within_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut actions: Vec<String> =
        (0..100).map(|i| format!("sagemaker:Invoke{}{i}", "x".repeat(15_000))).collect();
    actions.push("sagemaker:InvokeEndpoints".to_owned());
    fs::create_dir(dir.path().join("src")).expect("src dir");
    fs::write(dir.path().join("template.yaml"), sam_template("python3.12", &actions)).expect("template");
    fs::write(dir.path().join("src/app.py"), PY_HANDLER).expect("handler");
    let (code, findings) = check_within_limit(dir.path());
    assert_eq!(code, 1);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    let mut want = vec!["SL101"];
    want.extend(["SL112"; 101]);
    assert_eq!(codes, want);
    assert!(findings[0].help.contains("did you mean sagemaker:InvokeEndpoint?"), "{}", findings[0].help);
    for f in &findings[1..101] {
        assert!(f.message.contains("is not an action of sagemaker"), "{}", f.message);
        assert!(f.help.starts_with("use an action listed for sagemaker"), "{}", f.help);
    }
    assert!(findings[101].message.contains("`sagemaker:InvokeEndpoints`"), "{}", findings[101].message);
    assert!(
        findings[101].help.starts_with("did you mean `sagemaker:InvokeEndpoint`?"),
        "{}",
        findings[101].help
    );
}

/// A handler returned through 100,000 nested arrow functions (`(a) => (a) => … => call`): each
/// arrow's body was scanned to the end of the statement, so the whole chain once per arrow.
#[test]
fn deeply_nested_js_arrow_functions_are_read_within_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let handler = format!(
        "const {{ SageMakerRuntimeClient, InvokeEndpointCommand }} = require(\"@aws-sdk/client-sagemaker-runtime\");\nconst client = new SageMakerRuntimeClient({{}});\nexports.handler = {}client.send(new InvokeEndpointCommand({{ EndpointName: process.env.ENDPOINT_NAME, Body: \"{{}}\" }}));\n",
        "(a) => ".repeat(100_000)
    );
    fs::create_dir(dir.path().join("src")).expect("src dir");
    fs::write(dir.path().join("template.yaml"), sam_template("nodejs20.x", &["s3:GetObject".to_owned()]))
        .expect("template");
    fs::write(dir.path().join("src/app.js"), handler).expect("handler");
    let (code, findings) = check_within_limit(dir.path());
    assert_eq!(code, 1);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["SL101"]);
    // The call at the innermost arrow is found, its endpoint name read from the environment.
    assert!(findings[0].message.ends_with(":endpoint/my-sagemaker-endpoint"), "{}", findings[0].message);
}

/// A Python handler with a 1.2 MB line naming its sibling module 150,000 times (a generated
/// table), importing it further down, and a sibling module that is one such line too: the
/// import check read the whole line again for each mention.
#[test]
fn a_long_line_naming_a_sibling_module_is_read_within_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = format!("TABLE = [{}]\n", "helper, ".repeat(150_000));
    let handler = format!(
        "import boto3\n\nruntime = boto3.client(\"sagemaker-runtime\")\n{table}from helper import ENDPOINT_NAME\n\n\ndef handler(event, context):\n    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=event[\"body\"])\n"
    );
    let helper = format!("import os\n\nENDPOINT_NAME = os.environ[\"ENDPOINT_NAME\"]\n{table}");
    fs::create_dir(dir.path().join("src")).expect("src dir");
    fs::write(dir.path().join("template.yaml"), sam_template("python3.12", &["s3:GetObject".to_owned()]))
        .expect("template");
    fs::write(dir.path().join("src/app.py"), handler).expect("handler");
    fs::write(dir.path().join("src/helper.py"), helper).expect("helper");
    let (code, findings) = check_within_limit(dir.path());
    assert_eq!(code, 1);
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    // The endpoint name is the helper's constant: without the sibling module it would be unknown.
    assert_eq!(codes, ["SL101"]);
    assert!(findings[0].message.ends_with(":endpoint/my-sagemaker-endpoint"), "{}", findings[0].message);
}
