//! Throughput benchmark for Terraform input: lints N generated module folders (one `.tf` file
//! with endpoint, role, policy document, attachment, archive and function, plus `src/app.py`).
//!
//! Run with `cargo bench --bench lint_terraform` (N = 1, 100, 1000) or `-- 5000` for one N.
//! Every 4th module's policy allows only `sagemaker:DescribeEndpoint` (SL101).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use sagelint::LintOptions;

const RUNS: usize = 3;

const HANDLER: &str = r#"import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    response = runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=event["body"])
    return {"statusCode": 200, "body": response["Body"].read()}
"#;

fn module(i: usize) -> String {
    let action = if i % 4 == 1 { "sagemaker:DescribeEndpoint" } else { "sagemaker:InvokeEndpoint" };
    format!(
        r#"data "aws_partition" "current" {{}}
data "aws_region" "current" {{}}
data "aws_caller_identity" "current" {{}}

variable "model" {{
  type    = string
  default = "model-{i}"
}}

resource "aws_sagemaker_endpoint" "scorer" {{
  name                 = "${{var.model}}-endpoint"
  endpoint_config_name = "${{var.model}}-config"
}}

data "aws_iam_policy_document" "invoke" {{
  statement {{
    actions   = ["{action}"]
    resources = ["arn:${{data.aws_partition.current.partition}}:sagemaker:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:endpoint/${{aws_sagemaker_endpoint.scorer.name}}"]
  }}
}}

resource "aws_iam_role" "scorer" {{
  name               = "${{var.model}}-lambda"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Principal = {{ Service = "lambda.amazonaws.com" }}, Action = "sts:AssumeRole" }}] }})
}}

resource "aws_iam_role_policy" "invoke" {{
  role   = aws_iam_role.scorer.id
  policy = data.aws_iam_policy_document.invoke.json
}}

resource "aws_iam_role_policy_attachment" "logs" {{
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}}

data "archive_file" "code" {{
  type        = "zip"
  source_dir  = "${{path.module}}/src"
  output_path = "${{path.module}}/build/code.zip"
}}

resource "aws_lambda_function" "scorer" {{
  function_name = "${{var.model}}-scorer"
  role          = aws_iam_role.scorer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  filename      = data.archive_file.code.output_path

  environment {{
    variables = {{
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }}
  }}
}}
"#
    )
}

fn generate(dir: &Path, n: usize) {
    for i in 0..n {
        let m = dir.join(format!("module-{i:05}"));
        fs::create_dir_all(m.join("src")).expect("can create a module folder");
        fs::write(m.join("main.tf"), module(i)).expect("can write main.tf");
        fs::write(m.join("src/app.py"), HANDLER).expect("can write the handler");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn main() {
    let from_args: Vec<usize> =
        std::env::args().skip(1).filter_map(|a| a.parse().ok()).filter(|&n| n > 0).collect();
    let sizes = if from_args.is_empty() { vec![1, 100, 1000] } else { from_args };
    let options = LintOptions {
        build: sagelint::formats::BuildOptions { scan_code: true, ..Default::default() },
        ..Default::default()
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("sagelint lint_terraform: best of {RUNS} runs, {threads} threads available");
    println!();
    println!("| N modules | files | diagnostics | SL101 | lint wall ms | ms/module |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let dir = tempfile::tempdir().expect("can create a temp dir");
        generate(dir.path(), n);
        let paths = vec![dir.path().to_path_buf()];
        let mut best = Duration::MAX;
        let mut last = None;
        for _ in 0..RUNS {
            let start = Instant::now();
            let outcome = sagelint::lint(&paths, &options).expect("lint of generated modules succeeds");
            best = best.min(start.elapsed());
            last = Some(outcome);
        }
        let outcome = last.expect("at least one run");
        assert!(outcome.internal_errors.is_empty(), "no internal errors: {:?}", outcome.internal_errors);
        let sl101 = outcome.diagnostics.iter().filter(|d| d.code == "SL101").count();
        assert_eq!(sl101, (n + 2) / 4, "modules 1, 5, 9, … allow only DescribeEndpoint");
        let per = u32::try_from(n).expect("N fits in u32");
        println!(
            "| {n} | {} | {} | {sl101} | {:.2} | {:.3} |",
            outcome.files,
            outcome.diagnostics.len(),
            ms(best),
            ms(best / per)
        );
    }
}
