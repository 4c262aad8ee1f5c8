//! Terraform's `file()` for a role policy: the policy document is read from disk through the
//! bounded reader, parsed as JSON and evaluated against the handler's call, then every report
//! format renders spans inside it.
//!
//! Input: the bytes of `policy.json`, beside a fixed module (the shape of
//! `testdata/rules/SL101/fail/terraform-hcl-describe-only`) whose role policy is
//! `file("${path.module}/policy.json")`.
#![no_main]

mod pipeline;
mod scratch;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sagelint::LintOptions;
use sagelint::report::Summary;

const MAIN_TF: &str = r#"
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

resource "aws_iam_role" "scorer" {
  name = "churn-scorer-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "invoke" {
  name = "invoke-endpoint"
  role = aws_iam_role.scorer.id
  policy = file("${path.module}/policy.json")
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/scorer.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "churn-scorer"
  role             = aws_iam_role.scorer.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}
"#;

const HANDLER: &str = r#"import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName=ENDPOINT_NAME,
        ContentType="application/json",
        Body=json.dumps(event),
    )
    return json.loads(response["Body"].read())
"#;

/// The module folder, written once; only `policy.json` changes between inputs.
fn module() -> &'static Path {
    static MODULE: OnceLock<PathBuf> = OnceLock::new();
    MODULE.get_or_init(|| {
        let dir = scratch::fresh("terraform_file_fn").join("module");
        scratch::write(&dir, "main.tf", MAIN_TF.trim_start().as_bytes()).expect("main.tf");
        scratch::write(&dir, "src/app.py", HANDLER.as_bytes()).expect("src/app.py");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = module();
    scratch::write(dir, "policy.json", data).expect("policy.json");
    let options = LintOptions { jobs: Some(1), ..LintOptions::default() };
    let Ok(outcome) = sagelint::lint(&[dir.to_path_buf()], &options) else { return };
    assert!(outcome.internal_errors.is_empty(), "{:?}", outcome.internal_errors);
    let summary =
        Summary { suppressed: outcome.suppressed, ..Summary::new(&outcome.diagnostics, outcome.files) };
    pipeline::render_all(&outcome.diagnostics, &outcome.sources, summary);
});
