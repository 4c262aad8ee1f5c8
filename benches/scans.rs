//! The three scans issue 11 (item 5) found quadratic, timed through the binary at several sizes
//! each, to show that the time now grows linearly with the input:
//!
//! - `mention`: a Python handler with one line of `n` characters naming its sibling module
//!   `helper` (`helper, ` repeated), importing it below: the sibling-module mention scan.
//! - `arrows`: a JavaScript handler returned through `n` nested arrow functions (`a=>a=>…=>call`):
//!   the end of each arrow's expression body.
//! - `actions`: a policy with 100 bogus actions of `n / 100` characters each (`n` in all): the
//!   "did you mean" edit distance against the service's actions.
//!
//! ```sh
//! cargo bench --bench scans                     # sizes 10000 100000 1000000
//! cargo bench --bench scans -- 10000 30000      # other sizes
//! SAGELINT_BENCH_BIN=/path/to/sagelint cargo bench --bench scans -- 10000   # another build
//! SAGELINT_BENCH_RUNS=1 …                       # runs per size (default 5; the median is shown)
//! SAGELINT_BENCH_SCANS=mention,actions …         # only these scans
//! ```
//!
//! Each input is a SAM stack in a temp folder (`CodeUri: src/`, one function); every run must
//! end with findings (exit 1). CPU time is the children's user + system time from
//! `/proc/self/stat` (10 ms ticks), less disturbed than wall time on a shared machine.
//! Results: `benches/RESULTS.md` (section "Linear scans").

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A SAM function on `runtime` whose role allows `actions`, calling the endpoint named in its
/// environment.
fn sam_template(runtime: &str, actions: &[String]) -> String {
    let mut list = String::new();
    for a in actions {
        let _ = writeln!(list, "                - {a}");
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

const PY_HANDLER: &str = "import os\n\nimport boto3\n\nruntime = boto3.client(\"sagemaker-runtime\")\nENDPOINT_NAME = os.environ[\"ENDPOINT_NAME\"]\n\n\ndef handler(event, context):\n    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=event[\"body\"])\n";

/// Writes the stack of scan `kind` at size `n` into `dir`; returns the unit `n` counts.
fn generate(kind: &str, n: usize, dir: &Path) -> &'static str {
    let src = dir.join("src");
    fs::create_dir_all(&src).expect("src dir");
    let s3 = ["s3:GetObject".to_owned()];
    match kind {
        "mention" => {
            let table = "helper, ".repeat(n / 8);
            let handler = format!(
                "import boto3\n\nruntime = boto3.client(\"sagemaker-runtime\")\nTABLE = [{table}]\nfrom helper import ENDPOINT_NAME\n\n\ndef handler(event, context):\n    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=event[\"body\"])\n"
            );
            fs::write(src.join("app.py"), handler).expect("handler");
            fs::write(src.join("helper.py"), "import os\n\nENDPOINT_NAME = os.environ[\"ENDPOINT_NAME\"]\n")
                .expect("helper");
            fs::write(dir.join("template.yaml"), sam_template("python3.12", &s3)).expect("template");
            "characters in the line"
        }
        "arrows" => {
            let handler = format!(
                "const {{ SageMakerRuntimeClient, InvokeEndpointCommand }} = require(\"@aws-sdk/client-sagemaker-runtime\");\nconst client = new SageMakerRuntimeClient({{}});\nexports.handler = {}client.send(new InvokeEndpointCommand({{ EndpointName: process.env.ENDPOINT_NAME, Body: \"{{}}\" }}));\n",
                "a=>".repeat(n)
            );
            fs::write(src.join("app.js"), handler).expect("handler");
            fs::write(dir.join("template.yaml"), sam_template("nodejs20.x", &s3)).expect("template");
            "nested functions"
        }
        "actions" => {
            let each = (n / 100).max(1);
            let actions: Vec<String> = (0..100)
                .map(|i| format!("sagemaker:Invoke{}{i:02}", "x".repeat(each.saturating_sub(2))))
                .collect();
            fs::write(src.join("app.py"), PY_HANDLER).expect("handler");
            fs::write(dir.join("template.yaml"), sam_template("python3.12", &actions)).expect("template");
            "characters of action names"
        }
        other => panic!("no scan {other}: mention, arrows or actions"),
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

#[expect(clippy::print_stdout, reason = "a benchmark reports its figures on stdout")]
fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000, 1_000_000] } else { sizes };
    let bin =
        std::env::var("SAGELINT_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_sagelint").to_owned());
    let runs: usize =
        std::env::var("SAGELINT_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    println!("binary: {bin}, {runs} run(s) per size, median shown");
    println!();
    println!("| scan | n | unit | input bytes | wall ms (median) | CPU ms per run | ns per unit (wall) |");
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
    let scans = std::env::var("SAGELINT_BENCH_SCANS").unwrap_or_else(|_| "mention,arrows,actions".to_owned());
    for kind in scans.split(',').filter(|k| !k.is_empty()) {
        for &n in &sizes {
            let dir = tempfile::tempdir().expect("temp dir");
            let unit = generate(kind, n, dir.path());
            let bytes: u64 = ["template.yaml", "src/app.py", "src/app.js"]
                .iter()
                .filter_map(|f| fs::metadata(dir.path().join(f)).ok())
                .map(|m| m.len())
                .sum();
            let cpu_before = children_cpu();
            let mut walls: Vec<Duration> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let status = Command::new(&bin)
                        .args(["check", &dir.path().to_string_lossy(), "--format", "short"])
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .expect("the sagelint binary runs");
                    let wall = start.elapsed();
                    assert_eq!(status.code(), Some(1), "{kind} at {n}: the run ends with findings");
                    wall
                })
                .collect();
            let cpu = children_cpu()
                .zip(cpu_before)
                .map(|(after, before)| after.saturating_sub(before) / runs as u32);
            walls.sort();
            let median = walls[runs / 2];
            println!(
                "| {kind} | {n} | {unit} | {bytes} | {:.1} | {} | {:.0} |",
                median.as_secs_f64() * 1000.0,
                cpu.map_or("n/a".to_owned(), |c| format!("{:.0}", c.as_secs_f64() * 1000.0)),
                median.as_secs_f64() * 1e9 / f64::from(u32::try_from(n).unwrap_or(u32::MAX))
            );
        }
    }
}
