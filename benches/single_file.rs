//! Single-file benchmark: one CloudFormation template of at least 1 MiB, linted alone (the issue's
//! target: under 50 ms), in YAML and in JSON, through the library and through the binary.
//!
//! Run with `cargo bench --bench single_file` (`-- 2` for a 2 MiB file, and so on;
//! `SAGELINT_BENCH_KEEP=DIR` also writes the two templates to DIR, e.g. for `perf record`).
//!
//! The template holds K function stacks: a role with an inline policy, a function whose handler
//! is inline `Code.ZipFile` Python that invokes an endpoint named by an environment variable, and
//! the endpoint; every fourth role allows only `s3:GetObject` (an SL101 each), and every stack
//! carries 10 `AWS::SNS::Topic` resources, so most of the bytes are resources no rule looks at,
//! as in real templates.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sagelint::LintOptions;
use sagelint::syntax::{json::parse_json, yaml::parse_yaml};

const RUNS: usize = 15;
const TOPICS: usize = 10;

const HANDLER: &str = r#"import json
import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    payload = json.loads(event.get("body") or "{}")
    try:
        response = runtime.invoke_endpoint(
            EndpointName=os.environ["ENDPOINT_NAME"],
            ContentType="application/json",
            Body=json.dumps(payload),
        )
    except ClientError as err:
        print(f"invoke_endpoint failed: {err}")
        return {"statusCode": 502, "body": json.dumps({"error": "model unavailable"})}
    return {"statusCode": 200, "body": response["Body"].read().decode()}
"#;

/// One stack's resources as a YAML fragment under `Resources:`.
fn yaml_stack(out: &mut String, i: usize) {
    let statement = if i % 4 == 1 {
        "              - Effect: Allow\n                Action: s3:GetObject\n                Resource: arn:aws:s3:::my-bucket/*\n".to_owned()
    } else {
        format!(
            "              - Effect: Allow\n                Action: sagemaker:InvokeEndpoint\n                Resource: !Sub \"arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/endpoint-{i}\"\n"
        )
    };
    let code: String = HANDLER
        .lines()
        .map(|l| if l.is_empty() { "\n".to_owned() } else { format!("          {l}\n") })
        .collect();
    let _ = write!(
        out,
        r#"  ScoreRole{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:${{AWS::Partition}}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: sagemaker-access
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
{statement}
  ScoreFunction{i}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt ScoreRole{i}.Arn
      Timeout: 25
      Environment:
        Variables:
          ENDPOINT_NAME: !GetAtt Endpoint{i}.EndpointName
      Code:
        ZipFile: |
{code}
  Endpoint{i}:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: endpoint-{i}
      EndpointConfigName: config-{i}
"#
    );
    for k in 0..TOPICS {
        let _ = write!(
            out,
            "\n  Topic{i}x{k}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: topic-{i}-{k}\n      DisplayName: Notifications for stack {i}, topic {k}\n      Tags:\n        - Key: team\n          Value: ml-platform\n"
        );
    }
}

/// A YAML template of at least `bytes` bytes and the number of stacks in it.
fn yaml_template(bytes: usize) -> (String, usize) {
    let mut text = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Many scoring functions in one template\n\nResources:\n",
    );
    let mut stacks = 0;
    while text.len() < bytes {
        yaml_stack(&mut text, stacks);
        text.push('\n');
        stacks += 1;
    }
    (text, stacks)
}

fn best_and_median(mut run: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[RUNS / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn measure(path: &Path, options: &LintOptions) {
    let paths = vec![path.to_path_buf()];
    let outcome = sagelint::lint(&paths, options).expect("lint of the generated template succeeds");
    assert!(outcome.internal_errors.is_empty(), "no internal errors: {:?}", outcome.internal_errors);
    let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
    for d in &outcome.diagnostics {
        *by_code.entry(d.code).or_default() += 1;
    }
    let (lib_best, lib_median) = best_and_median(|| {
        let outcome = sagelint::lint(&paths, options).expect("lint succeeds");
        std::hint::black_box(outcome);
    });
    let run_binary = |extra: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_sagelint"))
            .args(["check", "--format", "json"])
            .args(extra)
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the sagelint binary runs");
        assert!(matches!(status.code(), Some(0 | 1)), "{status}");
    };
    let (bin_best, bin_median) = best_and_median(|| run_binary(&["--no-code"]));
    let (code_best, code_median) = best_and_median(|| run_binary(&[]));
    let text = std::fs::read_to_string(path).expect("the template exists");
    let json = path.extension().is_some_and(|e| e == "json");
    let (parse_best, parse_median) = best_and_median(|| {
        let parsed = if json { parse_json(&text) } else { parse_yaml(&text) };
        assert!(parsed.root.is_some());
        std::hint::black_box(parsed);
    });
    let size = text.len();
    let codes: Vec<String> = by_code.iter().map(|(code, n)| format!("{code} x{n}")).collect();
    println!(
        "| {} | {size} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {} |",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
        ms(parse_best),
        ms(parse_median),
        ms(lib_best),
        ms(lib_median),
        ms(code_best),
        ms(code_median),
        ms(bin_best),
        ms(bin_median),
        if codes.is_empty() { "none".to_owned() } else { codes.join(", ") },
    );
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn main() {
    let mib: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1);
    let (yaml, stacks) = yaml_template(mib << 20);
    let dir = tempfile::tempdir().expect("can create a temp dir");
    // SAGELINT_BENCH_KEEP=DIR also writes the templates there, for profiling the binary on them.
    let keep = std::env::var_os("SAGELINT_BENCH_KEEP").map(std::path::PathBuf::from);
    let yaml_path = dir.path().join("template.yaml");
    std::fs::write(&yaml_path, &yaml).expect("temp dir is writable");
    // The same kind of stacks as JSON, as many as reach the same size (JSON is more verbose).
    let per_stack = yaml_to_json(1).len();
    let mut json_stacks = (mib << 20) / per_stack;
    let mut json = yaml_to_json(json_stacks);
    while json.len() < mib << 20 {
        json_stacks += 1;
        json = yaml_to_json(json_stacks);
    }
    let json_path = dir.path().join("template.json");
    std::fs::write(&json_path, json).expect("temp dir is writable");
    if let Some(keep) = &keep {
        std::fs::create_dir_all(keep).expect("SAGELINT_BENCH_KEEP is writable");
        for path in [&yaml_path, &json_path] {
            let name = path.file_name().expect("a file name");
            std::fs::copy(path, keep.join(name)).expect("SAGELINT_BENCH_KEEP is writable");
        }
    }
    let options = LintOptions {
        build: sagelint::formats::BuildOptions { scan_code: true, ..Default::default() },
        ..Default::default()
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "sagelint single_file: {stacks} stacks (YAML) / {json_stacks} stacks (JSON), {TOPICS} topics each; \
         times are best / median of {RUNS} runs, {threads} threads available"
    );
    println!();
    println!("| file | bytes | parse only ms | lib lint ms | binary ms | binary --no-code ms | findings |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    measure(&yaml_path, &options);
    measure(&json_path, &options);
}

/// `stacks` stacks as `yaml_template` writes them, in JSON, built as a value so it is well-formed
/// by construction.
fn yaml_to_json(stacks: usize) -> String {
    use serde_json::{Map, Value, json};
    let mut resources = Map::new();
    for i in 0..stacks {
        let statement = if i % 4 == 1 {
            json!({ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*" })
        } else {
            json!({
                "Effect": "Allow",
                "Action": "sagemaker:InvokeEndpoint",
                "Resource": { "Fn::Sub": format!("arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/endpoint-{i}") }
            })
        };
        resources.insert(
            format!("ScoreRole{i}"),
            json!({
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }]
                    },
                    "ManagedPolicyArns": [{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }],
                    "Policies": [{ "PolicyName": "sagemaker-access", "PolicyDocument": { "Version": "2012-10-17", "Statement": [statement] } }]
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
                    "Role": { "Fn::GetAtt": [format!("ScoreRole{i}"), "Arn"] },
                    "Timeout": 25,
                    "Environment": { "Variables": { "ENDPOINT_NAME": { "Fn::GetAtt": [format!("Endpoint{i}"), "EndpointName"] } } },
                    "Code": { "ZipFile": HANDLER }
                }
            }),
        );
        resources.insert(
            format!("Endpoint{i}"),
            json!({ "Type": "AWS::SageMaker::Endpoint", "Properties": { "EndpointName": format!("endpoint-{i}"), "EndpointConfigName": format!("config-{i}") } }),
        );
        for k in 0..TOPICS {
            resources.insert(
                format!("Topic{i}x{k}"),
                json!({
                    "Type": "AWS::SNS::Topic",
                    "Properties": {
                        "TopicName": format!("topic-{i}-{k}"),
                        "DisplayName": format!("Notifications for stack {i}, topic {k}"),
                        "Tags": [{ "Key": "team", "Value": "ml-platform" }]
                    }
                }),
            );
        }
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Many scoring functions in one template",
        "Resources": Value::Object(resources),
    });
    serde_json::to_string_pretty(&template).expect("a serde_json::Value always serialises")
}
