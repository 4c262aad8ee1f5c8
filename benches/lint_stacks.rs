//! Throughput benchmark: lints N generated stacks and compares against two parse-only baselines:
//! the templates read and parsed (issue 7's), and every byte the lint reads (issue 14's "the same
//! bytes"): the templates parsed and the handler files scanned, which is how the lint parses them.
//!
//! Run with `cargo bench --bench lint_stacks` (N = 1, 100, 1000; add 10000 with
//! `SAGELINT_BENCH_LARGE=1`) or `cargo bench --bench lint_stacks -- 5000` for a single N.
//! `cargo bench --bench lint_stacks -- --generate DIR N` only writes the N stacks into DIR (for
//! `benches/compare.sh`: peak RSS of the CLI and cfn-lint on the same files).
//!
//! Stacks alternate between SAM YAML (function + policies + API event + endpoint, handler in
//! `src/app.py`) and CloudFormation JSON (role + function with `Code.ZipFile` + endpoint). Every 10th
//! stack carries 40 extra `AWS::SNS::Topic` resources. Variants (by index) make some stacks produce
//! findings: a policy that only allows S3, and a handler that names a misspelled endpoint.
//!
//! First, the managed-data load benchmark: how long building the index of each bundled data file
//! (managed policies, action catalogue) takes, the one-off cost of the first run that needs it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sagelint::LintOptions;
use sagelint::syntax::{json::parse_json, yaml::parse_yaml};
use serde_json::{Map, Value, json};

// The binary's allocator, so the lint and the parse baselines are timed as the CLI runs them
// (the library leaves the choice to the program; see src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 3;
const PADDING: usize = 40;

/// What a stack gets wrong, if anything.
#[derive(Clone, Copy)]
enum Variant {
    Correct,
    S3Only,
    Misspelled,
}

fn variant(i: usize) -> Variant {
    match i % 4 {
        1 => Variant::S3Only,
        2 => Variant::Misspelled,
        _ => Variant::Correct,
    }
}

fn handler_source(endpoint: &str, variant: Variant) -> String {
    let name_line = match variant {
        Variant::Misspelled => format!("ENDPOINT_NAME = \"{endpoint}-typo\"\n"),
        _ => "ENDPOINT_NAME = os.environ[\"ENDPOINT_NAME\"]\n".to_owned(),
    };
    format!(
        r#"import json
import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")
{name_line}

def handler(event, context):
    payload = json.loads(event.get("body") or "{{}}")
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME,
            ContentType="application/json",
            Body=json.dumps(payload),
        )
    except ClientError as err:
        print(f"invoke_endpoint failed: {{err}}")
        return {{"statusCode": 502, "body": json.dumps({{"error": "model unavailable"}})}}
    prediction = json.loads(response["Body"].read())
    return {{"statusCode": 200, "body": json.dumps(prediction)}}
"#
    )
}

fn sam_template(i: usize, endpoint: &str, variant: Variant) -> String {
    let statement = match variant {
        Variant::S3Only => "            - Effect: Allow\n              Action: s3:GetObject\n              Resource: arn:aws:s3:::my-bucket/*\n".to_owned(),
        _ => format!(
            "            - Effect: Allow\n              Action: sagemaker:InvokeEndpoint\n              Resource: !Sub \"arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/{endpoint}\"\n"
        ),
    };
    let mut text = format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Score requests with a SageMaker endpoint (stack {i})

Resources:
  ScoreFunction{i}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Timeout: 25
      Environment:
        Variables:
          ENDPOINT_NAME: !GetAtt Endpoint{i}.EndpointName
      Policies:
        - AWSLambdaBasicExecutionRole
        - Statement:
{statement}      Events:
        Score:
          Type: Api
          Properties:
            Path: /score{i}
            Method: post

  Endpoint{i}:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: {endpoint}
      EndpointConfigName: config-{i}
"#
    );
    if i.is_multiple_of(10) {
        for k in 0..PADDING {
            let _ = write!(
                text,
                "\n  Topic{k}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: topic-{i}-{k}\n"
            );
        }
    }
    text
}

fn cfn_template(i: usize, endpoint: &str, variant: Variant) -> String {
    let statement = match variant {
        Variant::S3Only => json!({
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::my-bucket/*"
        }),
        _ => json!({
            "Effect": "Allow",
            "Action": "sagemaker:InvokeEndpoint",
            "Resource": {
                "Fn::Sub": format!("arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/{endpoint}")
            }
        }),
    };
    let role = format!("ScoreRole{i}");
    let mut resources = Map::new();
    resources.insert(
        role.clone(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": { "Service": "lambda.amazonaws.com" },
                        "Action": "sts:AssumeRole"
                    }]
                },
                "ManagedPolicyArns": [{
                    "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                }],
                "Policies": [{
                    "PolicyName": "sagemaker-access",
                    "PolicyDocument": { "Version": "2012-10-17", "Statement": [statement] }
                }]
            }
        }),
    );
    resources.insert(
        format!("ScoreFunction{i}"),
        json!({
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "index.handler",
                "Role": { "Fn::GetAtt": [role, "Arn"] },
                "Timeout": 25,
                "Code": { "ZipFile": handler_source(endpoint, variant) },
                "Environment": {
                    "Variables": { "ENDPOINT_NAME": { "Fn::GetAtt": [format!("Endpoint{i}"), "EndpointName"] } }
                }
            }
        }),
    );
    resources.insert(
        format!("Endpoint{i}"),
        json!({
            "Type": "AWS::SageMaker::Endpoint",
            "Properties": { "EndpointName": endpoint, "EndpointConfigName": format!("config-{i}") }
        }),
    );
    if i.is_multiple_of(10) {
        for k in 0..PADDING {
            resources.insert(
                format!("Topic{k}"),
                json!({ "Type": "AWS::SNS::Topic", "Properties": { "TopicName": format!("topic-{i}-{k}") } }),
            );
        }
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("Score requests with a SageMaker endpoint (stack {i})"),
        "Resources": Value::Object(resources),
    });
    serde_json::to_string_pretty(&template).expect("a serde_json::Value always serialises")
}

// TODO(terraform): every third stack as Terraform HCL (aws_lambda_function + aws_iam_role_policy +
// aws_sagemaker_endpoint) once the HCL loader lands on main; issue 7 asks for mixed stacks.

/// The files of the generated stacks.
struct Generated {
    templates: Vec<PathBuf>,
    /// The SAM stacks' handler files (`src/app.py`); the other stacks' code is inline.
    handlers: Vec<PathBuf>,
}

/// Writes `n` stacks under `root`, one folder each.
fn generate(root: &Path, n: usize) -> Generated {
    let mut templates = Vec::with_capacity(n);
    let mut handlers = Vec::with_capacity(n / 2 + 1);
    for i in 0..n {
        let dir = root.join(format!("stack-{i:05}"));
        fs::create_dir_all(&dir).expect("temp dir is writable");
        let endpoint = format!("endpoint-{i}");
        let v = variant(i);
        let path = if i % 2 == 0 {
            let src = dir.join("src");
            fs::create_dir_all(&src).expect("temp dir is writable");
            fs::write(src.join("app.py"), handler_source(&endpoint, v)).expect("temp dir is writable");
            handlers.push(src.join("app.py"));
            let path = dir.join("template.yaml");
            fs::write(&path, sam_template(i, &endpoint, v)).expect("temp dir is writable");
            path
        } else {
            let path = dir.join("template.json");
            fs::write(&path, cfn_template(i, &endpoint, v)).expect("temp dir is writable");
            path
        };
        templates.push(path);
    }
    Generated { templates, handlers }
}

fn best_of<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let value = run();
        let elapsed = start.elapsed();
        if best.as_ref().is_none_or(|(d, _)| elapsed < *d) {
            best = Some((elapsed, value));
        }
    }
    best.expect("RUNS is at least one")
}

/// Reads every template and parses it; returns how many files had a root.
fn parse_only(templates: &[PathBuf]) -> usize {
    templates.iter().filter(|path| parse_one(path)).count()
}

/// The same on rayon's pool, as `lint` reads and parses.
fn parse_only_parallel(templates: &[PathBuf]) -> usize {
    use rayon::prelude::*;
    templates.par_iter().filter(|path| parse_one(path)).count()
}

/// The parallel baseline over every byte the lint reads: the templates parsed, and the handler
/// files scanned by the lint's own reader of their language (their parse). Returns how many
/// handler files gave a scan with a call.
fn parse_same_bytes_parallel(generated: &Generated) -> usize {
    use rayon::prelude::*;
    let templates = generated.templates.par_iter().filter(|path| parse_one(path)).count();
    assert_eq!(templates, generated.templates.len(), "every generated template parses");
    generated.handlers.par_iter().filter(|path| scan_one(path)).count()
}

fn scan_one(path: &Path) -> bool {
    let text = fs::read_to_string(path).expect("generated handler is readable");
    !sagelint::code::scan(sagelint::code::Language::Python, &text).calls.is_empty()
}

fn parse_one(path: &Path) -> bool {
    let text = fs::read_to_string(path).expect("generated template is readable");
    let parsed =
        if path.extension().is_some_and(|e| e == "json") { parse_json(&text) } else { parse_yaml(&text) };
    parsed.root.is_some()
}

/// Managed-data benchmark: reading every entry of the two bundled data files
/// (`data/aws-managed-policies.jsonl`, `data/aws-actions.txt`). No run pays this any more (a
/// lookup bisects the sorted text); it bounds what a whole-catalogue question costs. Best of
/// [`RUNS`].
#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn data_load() {
    let (managed_time, policies) = best_of(sagelint::iam::managed::build_uncached);
    let (actions_time, actions) = best_of(sagelint::iam::actions::build_uncached);
    println!("| data | entries | load ms |");
    println!("|---|---:|---:|");
    println!("| aws-managed-policies.jsonl (every line) | {policies} | {:.2} |", ms(managed_time));
    println!("| aws-actions.txt (every line) | {actions} | {:.2} |", ms(actions_time));
    let (first_lookup, _) = best_of(|| sagelint::iam::actions::check("sagemaker:InvokeEndpoints"));
    println!("| one action check with suggestion | 1 | {:.3} |", ms(first_lookup));
    println!();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        let dir = PathBuf::from(args.get(at + 1).expect("--generate DIR N"));
        let n: usize = args.get(at + 2).and_then(|n| n.parse().ok()).expect("--generate DIR N");
        let written = generate(&dir, n);
        println!("{} stacks written under {}", written.templates.len(), dir.display());
        return;
    }
    // `cargo bench` passes `--bench`; any plain number is taken as N.
    let from_args: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).filter(|&n| n > 0).collect();
    let sizes = if !from_args.is_empty() {
        from_args
    } else if std::env::var("SAGELINT_BENCH_LARGE").is_ok_and(|v| v == "1") {
        vec![1, 100, 1000, 10_000]
    } else {
        vec![1, 100, 1000]
    };
    let options = LintOptions {
        build: sagelint::formats::BuildOptions { scan_code: true, ..Default::default() },
        ..Default::default()
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("sagelint lint_stacks: best of {RUNS} runs, {threads} threads available");
    println!();
    data_load();
    println!(
        "| N | files | diagnostics | lint ms | ms/stack | parse 1-thread ms | parse parallel ms | \
         lint / parallel parse | same bytes parallel ms | lint / same bytes | discover | parse | build | rules |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut breakdown = Vec::new();
    for n in sizes {
        let dir = tempfile::tempdir().expect("can create a temp dir");
        let generated = generate(dir.path(), n);
        let templates = &generated.templates;
        let paths = vec![dir.path().to_path_buf()];
        let (lint_time, outcome) =
            best_of(|| sagelint::lint(&paths, &options).expect("lint of generated stacks succeeds"));
        let (parse_time, parsed) = best_of(|| parse_only(templates));
        let (parallel_time, parsed_parallel) = best_of(|| parse_only_parallel(templates));
        assert_eq!((parsed, parsed_parallel), (n, n), "every generated template parses");
        let (same_bytes_time, scanned) = best_of(|| parse_same_bytes_parallel(&generated));
        assert_eq!(scanned, generated.handlers.len(), "every generated handler calls its endpoint");
        assert!(outcome.internal_errors.is_empty(), "no internal errors: {:?}", outcome.internal_errors);
        let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
        for d in &outcome.diagnostics {
            *by_code.entry(d.code).or_default() += 1;
        }
        breakdown.push((n, by_code));
        let per = u32::try_from(n).expect("N fits in u32");
        let p = outcome.phases;
        println!(
            "| {n} | {} | {} | {:.2} | {:.3} | {:.2} | {:.2} | {:.1}x | {:.2} | {:.1}x | {:.1} | {:.1} | {:.1} | {:.1} |",
            outcome.files,
            outcome.diagnostics.len(),
            ms(lint_time),
            ms(lint_time / per),
            ms(parse_time),
            ms(parallel_time),
            lint_time.as_secs_f64() / parallel_time.as_secs_f64(),
            ms(same_bytes_time),
            lint_time.as_secs_f64() / same_bytes_time.as_secs_f64(),
            ms(p.discover),
            ms(p.parse),
            ms(p.build),
            ms(p.rules),
        );
    }
    println!();
    println!("(discover/parse/build/rules: ms of the best lint run, from Outcome::phases)");
    for (n, by_code) in breakdown {
        let codes: Vec<String> = by_code.iter().map(|(code, count)| format!("{code} x{count}")).collect();
        println!("N = {n}: {}", if codes.is_empty() { "no findings".to_owned() } else { codes.join(", ") });
    }
}
