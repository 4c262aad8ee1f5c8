//! `sagelint eval` on the documented IAM edge cases in `testdata/eval/cases/`: one directory per
//! case, its policy files and a `case.json` that names the AWS documentation deciding it (a URL
//! and the quoted sentence) and, for each run, the arguments, the exit code and lines stdout must
//! contain. A case without a documentary source fails, so none can be added on a guess.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/eval/cases")
}

fn run_eval(dir: &Path, policies: &[Value], args: &[Value]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sagelint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").arg("eval");
    for p in policies {
        cmd.arg("--policy").arg(dir.join(p.as_str().expect("policy file name")));
    }
    for a in args {
        cmd.arg(a.as_str().expect("argument"));
    }
    cmd.args(["--color", "never"]);
    let out = cmd.output().expect("the sagelint binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn documented_edge_cases() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("testdata/eval/cases exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 7, "one case per class of issue 16 (items 1-6), found {}", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("case.json")).expect("case.json");
        let case: Value = serde_json::from_str(&text).expect("case.json is JSON");
        let source = case["source"].as_str().unwrap_or_default();
        assert!(
            source.starts_with("https://docs.aws.amazon.com/"),
            "{name}: source must be AWS documentation"
        );
        assert!(!case["quote"].as_str().unwrap_or_default().is_empty(), "{name}: quote the documentation");
        let policies = case["policies"].as_array().expect("policies list");
        for (i, run) in case["runs"].as_array().expect("runs list").iter().enumerate() {
            let args = run["args"].as_array().expect("args list");
            let (code, stdout, stderr) = run_eval(dir, policies, args);
            let want = run["exit"].as_i64().expect("exit code");
            if i64::from(code) != want {
                failures.push(format!("{name} run {i}: exit {code}, expected {want}\n{stdout}{stderr}"));
            }
            for line in run["stdout"].as_array().expect("stdout list") {
                let line = line.as_str().expect("expected text");
                if !stdout.contains(line) {
                    failures.push(format!("{name} run {i}: stdout lacks {line:?}\n{stdout}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
