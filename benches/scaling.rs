//! Scaling benchmark (issue 14): inputs that made whole-run facts quadratic, timed through the
//! release binary at several sizes, with the default worker count and with `--jobs 1`:
//!
//! - `stacks`: N SAM stacks, one folder each, every one with the same logical ids
//!   (`HelloWorldFunction`, `HelloWorldPermission`, as `sam init` writes them), an endpoint of its
//!   own, and a handler that invokes a literal endpoint name no file defines (an unmatched name
//!   per stack, SL201). API chain lookups by logical id and endpoint-name scoping were quadratic
//!   here.
//! - `named`: the same N stacks, every template named on the command line (as `benches/peers.sh`
//!   and pre-commit hooks pass files). Each read was checked against one scope root per named
//!   file here (quadratic). Sizes whose argument list would not fit the OS limit are skipped.
//! - `imports`: one folder of N templates that `Fn::ImportValue` the endpoint name another
//!   template of the folder exports. Each importer re-reading its siblings was quadratic here.
//! - `suppressed`: the `stacks` input with a `# sagelint: ignore SL201` comment over every other
//!   handler's call. Each finding was checked against every suppression of the run (quadratic).
//!
//! ```sh
//! cargo bench --bench scaling                          # every input at 1000 and 10000
//! cargo bench --bench scaling -- 1000 10000 100000     # other sizes
//! SAGELINT_BENCH_BIN=/path/to/sagelint cargo bench --bench scaling -- 1000   # another build
//! SAGELINT_BENCH_RUNS=1 …                              # runs per size and jobs (default 3; median)
//! SAGELINT_BENCH_INPUTS=stacks …                       # only these inputs
//! SAGELINT_BENCH_KEEP=DIR …                            # write (or reuse) the inputs in DIR/<input>-<n>
//! SAGELINT_BENCH_KEEP=DIR SAGELINT_BENCH_RUNS=0 …      # only write them (for /usr/bin/time -v, perf)
//! ```
//!
//! Every run must end with findings (exit 1), and the default and `--jobs 1` reports must be
//! byte-identical. CPU time is the children's user + system time from `/proc/self/stat`.
//! Results: `benches/RESULTS.md` (section "Scaling: repeated ids, unmatched names, imports").

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn sam_stack(i: usize) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello_world/
      Handler: app.lambda_handler
      Runtime: python3.12
      Policies:
        - Statement:
            - Effect: Allow
              Action: sagemaker:InvokeEndpoint
              Resource: !Sub arn:${{AWS::Partition}}:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:endpoint/model-{i}
  HelloWorldPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt HelloWorldFunction.Arn
      Action: lambda:InvokeFunction
      Principal: apigateway.amazonaws.com
  HelloWorldApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: hello
      ProtocolType: HTTP
      Target: !GetAtt HelloWorldFunction.Arn
  ModelEndpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: model-{i}
      EndpointConfigName: model-config-{i}
"#
    )
}

fn handler(name: &str) -> String {
    format!(
        r#"import boto3

runtime = boto3.client("sagemaker-runtime")


def lambda_handler(event, context):
    return runtime.invoke_endpoint(EndpointName="{name}", Body=event["body"])
"#
    )
}

fn importer(i: usize) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: lambda.amazonaws.com }}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: "*"
  Function{i}:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role{i}.Arn
      Runtime: python3.12
      Handler: index.handler
      Environment:
        Variables:
          ENDPOINT_NAME: !ImportValue shared-endpoint-name
      Code:
        ZipFile: |
          import os
          import boto3
          runtime = boto3.client("sagemaker-runtime")
          def handler(event, context):
              return runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], Body=b"{{}}")
"#
    )
}

const EXPORTER: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: shared-endpoint
      EndpointConfigName: shared-config
Outputs:
  EndpointName:
    Value: shared-endpoint
    Export:
      Name: shared-endpoint-name
"#;

/// Writes input `kind` of size `n` into `dir`; returns what one unit of `n` is.
fn generate(kind: &str, n: usize, dir: &Path) -> &'static str {
    match kind {
        "stacks" | "named" | "suppressed" => {
            for i in 0..n {
                let stack = dir.join(format!("stack-{i:06}"));
                fs::create_dir_all(stack.join("hello_world")).expect("stack folder");
                fs::write(stack.join("template.yaml"), sam_stack(i)).expect("template");
                let mut code = handler(&format!("unmatched-{i}"));
                if kind == "suppressed" && i % 2 == 0 {
                    code =
                        code.replace("    return", "    # sagelint: ignore SL201 -- generated\n    return");
                }
                fs::write(stack.join("hello_world/app.py"), code).expect("handler");
            }
            if kind == "suppressed" {
                "stacks (as `stacks`, every other finding suppressed by a comment)"
            } else {
                "stacks (one folder each, repeated logical ids, one unmatched name each)"
            }
        }
        "imports" => {
            fs::write(dir.join("exports.yaml"), EXPORTER).expect("exporter");
            for i in 0..n {
                fs::write(dir.join(format!("app-{i:06}.yaml")), importer(i)).expect("importer");
            }
            "importing templates in one folder"
        }
        other => panic!("no input {other}: stacks, named, imports or suppressed"),
    }
}

/// User + system CPU time of this process's waited-for children so far (`/proc/self/stat`
/// fields 16 and 17, in clock ticks of 10 ms), when the file can be read.
fn children_cpu() -> Option<Duration> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // `after_name` starts at field 3 (state), so field k is at index k - 3.
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// What a run of input `kind` names on the command line: its folder, or each stack's template.
fn targets(kind: &str, dir: &Path) -> Vec<String> {
    if kind != "named" {
        return vec![dir.to_string_lossy().into_owned()];
    }
    let mut stacks: Vec<_> =
        fs::read_dir(dir).expect("the input folder").flatten().map(|e| e.path()).collect();
    stacks.sort();
    stacks.iter().map(|s| s.join("template.yaml").to_string_lossy().into_owned()).collect()
}

/// Bytes of arguments a command line may safely carry here (Linux allows 2 MiB with the
/// environment; half of it leaves room).
const ARGUMENT_BYTES: usize = 1 << 20;

/// Median wall time and mean CPU time of `runs` runs, and the report of the last one.
fn time(
    bin: &str,
    targets: &[String],
    jobs: Option<&str>,
    runs: usize,
) -> (Duration, Option<Duration>, Vec<u8>) {
    let cpu_before = children_cpu();
    let mut report = Vec::new();
    let mut walls: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut args = vec!["check".to_owned()];
            args.extend(targets.iter().cloned());
            args.extend(["--format".to_owned(), "json".to_owned()]);
            if let Some(j) = jobs {
                args.extend(["--jobs".to_owned(), j.to_owned()]);
            }
            let start = Instant::now();
            let out = Command::new(bin)
                .args(&args)
                .stderr(Stdio::null())
                .output()
                .expect("the sagelint binary runs");
            let wall = start.elapsed();
            assert_eq!(out.status.code(), Some(1), "the run ends with findings");
            report = out.stdout;
            wall
        })
        .collect();
    let cpu =
        children_cpu().zip(cpu_before).map(|(after, before)| after.saturating_sub(before) / runs as u32);
    walls.sort();
    (walls[runs / 2], cpu, report)
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000] } else { sizes };
    let bin =
        std::env::var("SAGELINT_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sagelint").to_owned());
    let runs: usize = std::env::var("SAGELINT_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    // Kept inputs outlive the bench, so a large one can be measured with other tools (peak RSS,
    // profiles) without generating it again; a folder already there is reused as it is.
    let keep = std::env::var_os("SAGELINT_BENCH_KEEP").map(std::path::PathBuf::from);
    let runs = if keep.is_some() { runs } else { runs.max(1) };
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!("binary: {bin}, {runs} run(s) per size and jobs, median wall shown, {cpus} CPUs");
    println!();
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| input | n | findings bytes | default wall ms | default CPU ms | --jobs 1 wall ms | --jobs 1 CPU ms | jobs 1 / default | same output |"
    );
    let _ = writeln!(table, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    print!("{table}");
    let inputs = std::env::var("SAGELINT_BENCH_INPUTS")
        .unwrap_or_else(|_| "stacks,named,imports,suppressed".to_owned());
    for kind in inputs.split(',').filter(|k| !k.is_empty()) {
        for &n in &sizes {
            let temp;
            let dir = if let Some(keep) = &keep {
                let dir = keep.join(format!("{kind}-{n}"));
                if !dir.is_dir() {
                    fs::create_dir_all(&dir).expect("SAGELINT_BENCH_KEEP is writable");
                    generate(kind, n, &dir);
                }
                dir
            } else {
                temp = tempfile::tempdir().expect("temp dir");
                generate(kind, n, temp.path());
                temp.path().to_path_buf()
            };
            if runs == 0 {
                println!("{kind} {n}: written to {}", dir.display());
                continue;
            }
            let targets = targets(kind, &dir);
            if targets.iter().map(|t| t.len() + 1).sum::<usize>() > ARGUMENT_BYTES {
                println!("| {kind} | {n} | skipped: the file names do not fit one command line |");
                continue;
            }
            let (wall, cpu, report) = time(&bin, &targets, None, runs);
            let (serial_wall, serial_cpu, serial_report) = time(&bin, &targets, Some("1"), runs);
            let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1000.0);
            let cpu_ms = |c: Option<Duration>| c.map_or("n/a".to_owned(), ms);
            println!(
                "| {kind} | {n} | {} | {} | {} | {} | {} | {:.2} | {} |",
                report.len(),
                ms(wall),
                cpu_ms(cpu),
                ms(serial_wall),
                cpu_ms(serial_cpu),
                serial_wall.as_secs_f64() / wall.as_secs_f64(),
                if report == serial_report { "yes" } else { "NO" }
            );
        }
    }
}
