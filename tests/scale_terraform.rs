//! Terraform configurations at the sizes issue 11 names, generated into a temp dir at test time.
//! Each run is under a CPU-time limit (`ulimit -t`) generous for a debug build of linear code and
//! far below what quadratic code needs; nothing here asserts on wall-clock time.
#![cfg(unix)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

/// CPU seconds a debug build gets for one run (the linear code needs about 3 on 100k locals).
const CPU_SECONDS: u32 = 30;

/// Exit code (`None` when killed, e.g. by the CPU limit), stdout and stderr of `sagelint <args>`.
fn sagelint_limited(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -t {CPU_SECONDS} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_sagelint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A function whose endpoint name is the end of a chain of `n` locals (`l1 = local.l0`, …), and
/// whose role allows invoking only `allowed`.
fn chained_locals(dir: &Path, n: usize, allowed: &str) {
    fs::create_dir_all(dir.join("src")).expect("the temp dir is writable");
    fs::write(
        dir.join("src/app.py"),
        "import os\nimport boto3\n\nruntime = boto3.client(\"sagemaker-runtime\")\n\n\
         def handler(event, context):\n    \
         return runtime.invoke_endpoint(EndpointName=os.environ[\"ENDPOINT_NAME\"], Body=b\"{}\")\n",
    )
    .expect("the temp dir is writable");
    let mut tf = String::from(
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nlocals {\n  l0 = \"churn-scorer\"\n",
    );
    for i in 1..n {
        writeln!(tf, "  l{i} = local.l{}", i - 1).expect("writing to a String");
    }
    let last = n - 1;
    write!(
        tf,
        r#"}}

resource "aws_sagemaker_endpoint" "scorer" {{
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}}

resource "aws_iam_role" "scorer" {{
  name                = "churn-scorer-lambda"
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
  inline_policy {{
    name = "invoke"
    policy = jsonencode({{
      Version   = "2012-10-17"
      Statement = [{{ Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = "arn:aws:sagemaker:eu-west-1:*:endpoint/{allowed}" }}]
    }})
  }}
}}

data "archive_file" "code" {{
  type        = "zip"
  source_dir  = "${{path.module}}/src"
  output_path = "${{path.module}}/build/scorer.zip"
}}

resource "aws_lambda_function" "scorer" {{
  function_name = "churn-scorer"
  role          = aws_iam_role.scorer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  filename      = data.archive_file.code.output_path
  environment {{
    variables = {{
      ENDPOINT_NAME = local.l{last}
    }}
  }}
}}
"#
    )
    .expect("writing to a String");
    fs::write(dir.join("main.tf"), tf).expect("the temp dir is writable");
}

/// 100k chained locals: the endpoint name is only known by following the whole chain, so the
/// role's grant on another endpoint is SL101 (not an SL003 "cannot check", which a cut-off chain
/// gives), within the CPU limit.
#[test]
fn a_hundred_thousand_chained_locals_are_followed_to_the_endpoint_name() {
    let dir = tempfile::tempdir().unwrap();
    chained_locals(dir.path(), 100_000, "churn-staging");
    let path = dir.path().to_string_lossy();
    let (code, out, err) = sagelint_limited(&["check", path.as_ref(), "--format", "short"]);
    assert_ne!(code, None, "killed (over {CPU_SECONDS} s of CPU?): {err}");
    assert_eq!(code, Some(1), "{out}{err}");
    let codes: Vec<&str> = out.lines().filter_map(|l| l.split(' ').nth(1)).collect();
    assert_eq!(codes, ["SL101"], "{out}{err}");
    assert!(out.contains("endpoint/churn-scorer"), "{out}");
}

/// The same chain with the grant on the endpoint it names: nothing to report.
#[test]
fn a_hundred_thousand_chained_locals_naming_the_granted_endpoint_pass() {
    let dir = tempfile::tempdir().unwrap();
    chained_locals(dir.path(), 100_000, "churn-scorer");
    let path = dir.path().to_string_lossy();
    let (code, out, err) = sagelint_limited(&["check", path.as_ref(), "--format", "short"]);
    assert_ne!(code, None, "killed (over {CPU_SECONDS} s of CPU?): {err}");
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
}
