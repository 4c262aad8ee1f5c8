//! Files a hostile or unlucky repository can hold, read through the one bounded reader: every file
//! sagelint would have read and could not is a finding with the reason, nothing outside the
//! scanned repository is opened unless the user names it, and nothing blocks or grows without end.
//! Fixtures are generated into temp dirs; memory and time bounds are enforced by running the binary
//! under `prlimit`, never by timing assertions.

#[expect(dead_code, reason = "this file uses only `sagelint` from the shared helpers")]
mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A Terraform module whose Lambda may only describe its endpoint: one true SL101.
fn terraform_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/SL101/fail/terraform-hcl-describe-only")
}

/// A SAM stack whose role may not invoke its endpoint: one true SL101.
fn sam_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/sam-logs-s3-only")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("temp dir is writable");
    for entry in fs::read_dir(from).expect("fixture is readable") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("fixture file copies");
        }
    }
}

/// Runs the binary under a CPU-time and address-space limit, from `cwd`, with extra environment.
fn run_limited(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = Command::new("prlimit");
    command
        .args(["--cpu=60", "--as=4294967296", "--"])
        .arg(env!("CARGO_BIN_EXE_sagelint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("prlimit (util-linux) runs the binary; install util-linux");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("JSON report ({e}): {stdout}\n{stderr}"))
}

/// `(code, file name, message)` of every diagnostic.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let name =
                Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (
                d["code"].as_str().expect("code").to_owned(),
                name,
                d["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|(c, _, _)| c).collect()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo (coreutils) runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn terraform_files_that_cannot_be_read_are_sl001_not_dropped() {
    let cases: [(&str, &str, Vec<u8>, &str); 4] = [
        // One Latin-1 byte in a comment of the file that holds the denial.
        ("latin1", "main.tf", b"# caf\xe9\n".to_vec(), "the file is not valid UTF-8 (at byte 5)"),
        (
            "utf16",
            "extra.tf",
            vec![0xFF, 0xFE, b'#', 0, b'\n', 0],
            "the file is not valid UTF-8 (it is UTF-16)",
        ),
        (
            "binary",
            "extra.tf.json",
            vec![0x00, 0x9F, 0x92, 0x96, 0xFF],
            "the file is not valid UTF-8 (at byte 1)",
        ),
        ("vars", "terraform.tfvars", vec![0xC3, 0x28], "the file is not valid UTF-8 (at byte 0)"),
    ];
    for (name, file, bytes, message) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let module = dir.path().join(name);
        copy_tree(&terraform_fixture(), &module);
        let target = module.join(file);
        let mut content = bytes.clone();
        if let Ok(existing) = fs::read(&target) {
            content.extend(existing);
        }
        fs::write(&target, content).expect("write");
        let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &module, &[]);
        let report = json(&out, &err);
        let got = findings(&report);
        assert_eq!(code, Some(1), "{name}: {got:?} {err}");
        assert!(
            got.contains(&("SL001".into(), file.into(), message.into())),
            "{name}: the unreadable {file} must be SL001 {message:?}: {got:?}"
        );
        if file != "main.tf" {
            // The rest of the module is still judged.
            assert!(codes(&report).contains(&"SL101".into()), "{name}: {got:?}");
        }
    }
}

#[test]
fn oversized_terraform_file_is_sl001() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&terraform_fixture(), dir.path());
    let big = fs::File::create(dir.path().join("huge.auto.tfvars")).expect("create");
    big.set_len(33 * 1024 * 1024).expect("a sparse 33 MiB file");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], dir.path(), &[]);
    let report = json(&out, &err);
    let got = findings(&report);
    assert_eq!(code, Some(1), "{got:?}");
    assert!(
        got.iter().any(|(c, f, m)| c == "SL001"
            && f == "huge.auto.tfvars"
            && m == "the file is 34603008 bytes; sagelint does not read files over 33554432 bytes"),
        "{got:?}"
    );
    assert!(codes(&report).contains(&"SL101".into()), "{got:?}");
}

#[test]
fn fifo_and_device_named_on_the_command_line_are_sl001_not_zero_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("template.yaml");
    mkfifo(&fifo);
    let fifo = fifo.to_string_lossy().into_owned();
    let (code, out, err) = run_limited(&["check", &fifo, "/dev/zero", "--format", "json"], dir.path(), &[]);
    let report = json(&out, &err);
    assert_eq!(code, Some(1), "{out} {err}");
    assert_eq!(
        findings(&report),
        [
            (
                "SL001".into(),
                "zero".into(),
                "the file is not read: it is a device, not a regular file".into()
            ),
            (
                "SL001".into(),
                "template.yaml".into(),
                "the file is not read: it is a named pipe (FIFO), not a regular file".into()
            ),
        ]
    );
    assert_eq!(report["summary"]["files"], 2);
}

#[cfg(unix)]
#[test]
fn unreadable_folder_is_sl001_and_the_rest_is_judged() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    copy_tree(&sam_fixture(), &dir.path().join("stack"));
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::write(locked.join("template.yaml"), "AWSTemplateFormatVersion: \"2010-09-09\"\n").expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let bin = env!("CARGO_BIN_EXE_sagelint");
    // Root enters any folder: run as `nobody` through setpriv.
    let as_root = fs::read_dir(&locked).is_ok();
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    let out =
        command.args(["check", ".", "--format", "json"]).current_dir(dir.path()).output().expect("runs");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.is_empty(), "setpriv must run the binary: {}", String::from_utf8_lossy(&out.stderr));
    let report = json(&stdout, &String::from_utf8_lossy(&out.stderr));
    let got = findings(&report);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        got.contains(&(
            "SL001".into(),
            "locked".into(),
            "cannot read the folder: Permission denied (os error 13); the files in it were not checked"
                .into()
        )),
        "{got:?}"
    );
    let folder = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["file"].as_str().is_some_and(|f| f.ends_with("locked")))
        .expect("the folder's finding");
    assert_eq!(
        folder["help"],
        "give sagelint read and execute permission on the folder, or add it to `exclude` in sagelint.toml"
    );
    assert!(codes(&report).contains(&"SL101".into()), "{got:?}");
}

#[test]
fn terraform_file_function_on_dev_zero_or_a_fifo_neither_hangs_nor_grows() {
    for target in ["zero", "fifo", "outside"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let module = dir.path().join("repo");
        copy_tree(&terraform_fixture(), &module);
        fs::create_dir(module.join(".git")).expect("a repository");
        let main = fs::read_to_string(module.join("main.tf")).expect("read");
        let policy = "  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"sagemaker:DescribeEndpoint\"]\n      Resource = aws_sagemaker_endpoint.scorer.arn\n    }]\n  })\n";
        assert!(main.contains(policy), "fixture shape changed");
        fs::write(
            module.join("main.tf"),
            main.replace(policy, "  policy = file(\"${path.module}/policy.json\")\n"),
        )
        .expect("write");
        let link = module.join("policy.json");
        match target {
            "zero" => std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink"),
            "fifo" => mkfifo(&link),
            _ => {
                fs::write(
                    dir.path().join("policy.json"),
                    r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                )
                .expect("write");
                std::os::unix::fs::symlink(dir.path().join("policy.json"), &link).expect("symlink");
            }
        }
        let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &module, &[]);
        assert!(code.is_some(), "{target}: killed by the limit: {err}");
        let report = json(&out, &err);
        // The policy is not read (the outside one would allow everything): the role's
        // permissions are unknown, which is said.
        assert_eq!(code, Some(0), "{target}: {:?}", findings(&report));
        let got = findings(&report);
        let reason = match target {
            "fifo" => "it is a named pipe (FIFO), not a regular file",
            "zero" => "it leads to /dev/zero, outside the scanned repository",
            _ => "outside the scanned repository",
        };
        assert!(
            got.iter().any(|(c, f, m)| c == "SL003"
                && f == "main.tf"
                && m.starts_with("the policy document policy.json is not read: ")
                && m.contains(reason)),
            "{target}: {got:?}"
        );
    }
}

/// Terraform's `archive_file` packs one `source_file` from outside the scanned folder. Without a
/// repository around both, the reader may not open it: that is said (SL003), not skipped in
/// silence. With one, the file is read and its bug found.
#[test]
fn a_handler_file_outside_the_scanned_folder_is_reported_or_read_never_skipped() {
    let main_tf = r#"provider "aws" { region = "eu-west-1" }
data "archive_file" "src" {
  type        = "zip"
  source_file = "${path.module}/../src/app.py"
  output_path = "${path.module}/build/app.zip"
}
resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
    { Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = "arn:aws:sagemaker:*:*:endpoint/churn-scorer" }] })
}
resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = aws_iam_role.r.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  filename      = data.archive_file.src.output_path
  environment { variables = { ENDPOINT_NAME = "churn-scorer" } }
}
"#;
    let app_py = "import os\nimport boto3\nruntime = boto3.client(\"sagemaker-runtime\")\nENDPOINT = os.environ[\"MODEL_ENDPOINT\"]\n\n\ndef handler(event, context):\n    try:\n        return runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b\"{}\")\n    except Exception:\n        return {\"statusCode\": 500}\n";
    for repository in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("infra")).expect("mkdir");
        fs::create_dir_all(dir.path().join("src")).expect("mkdir");
        fs::write(dir.path().join("infra/main.tf"), main_tf).expect("write");
        fs::write(dir.path().join("src/app.py"), app_py).expect("write");
        if repository {
            fs::create_dir(dir.path().join(".git")).expect("a repository");
        }
        let (code, out, err) = run_limited(&["check", "infra", "--format", "json"], dir.path(), &[]);
        let got = findings(&json(&out, &err));
        if repository {
            assert_eq!(code, Some(1), "{got:?}");
            assert!(
                got.iter().any(|(c, f, m)| c == "SL203" && f == "app.py" && m.contains("MODEL_ENDPOINT")),
                "{got:?}"
            );
        } else {
            assert_eq!(code, Some(0), "{got:?}");
            assert!(
                got.iter().any(|(c, f, m)| c == "SL003"
                    && f == "main.tf"
                    && m.contains("handler app.handler is in")
                    && m.contains("outside the scanned repository")),
                "{got:?}"
            );
        }
    }
}

#[test]
fn a_child_module_above_the_scanned_folder_is_built_or_reported_never_skipped() {
    // `terraform apply` runs in envs/dev; the function is in ../../modules/fn.
    let root_tf = "provider \"aws\" { region = \"eu-west-1\" }\nmodule \"fn\" {\n  source = \"../../modules/fn\"\n}\nmodule \"gone\" {\n  source = \"../../modules/gone\"\n}\n";
    let module_tf = r#"resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = aws_iam_role.r.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  s3_bucket     = "artifacts"
  s3_key        = "scorer.zip"
  environment { variables = { ENDPOINT_NAME = "churn-scorer" } }
}
"#;
    for repository in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("envs/dev")).expect("mkdir");
        fs::create_dir_all(dir.path().join("modules/fn")).expect("mkdir");
        fs::write(dir.path().join("envs/dev/main.tf"), root_tf).expect("write");
        fs::write(dir.path().join("modules/fn/main.tf"), module_tf).expect("write");
        if repository {
            fs::create_dir(dir.path().join(".git")).expect("a repository");
        }
        let (code, out, err) = run_limited(&["check", "envs/dev", "--format", "json"], dir.path(), &[]);
        let got = findings(&json(&out, &err));
        let gone = got.iter().any(|(c, f, m)| {
            c == "SL003"
                && f == "main.tf"
                && m.contains("module gone's source")
                && m.contains("holds no Terraform files")
        });
        assert!(gone, "the missing module folder is said in both runs: {got:?}");
        if repository {
            // Built as part of the configuration: the role grants no invoke.
            assert_eq!(code, Some(1), "{got:?}");
            assert!(
                got.iter().any(|(c, f, m)| c == "SL101"
                    && f == "main.tf"
                    && m.contains("module.fn.aws_lambda_function.scorer")),
                "{got:?}"
            );
            // Scanned from the top, the same: the walk read the module, and the missing one is said.
            let (_, out, err) = run_limited(&["check", ".", "--format", "json"], dir.path(), &[]);
            let whole = findings(&json(&out, &err));
            assert!(
                whole.iter().any(|(c, _, m)| c == "SL003" && m.contains("module gone's source")),
                "{whole:?}"
            );
            assert!(whole.iter().any(|(c, _, _)| c == "SL101"), "{whole:?}");
        } else {
            assert_eq!(code, Some(0), "{got:?}");
            assert!(
                got.iter().any(|(c, f, m)| c == "SL003"
                    && f == "main.tf"
                    && m.contains("module fn's source")
                    && m.contains("outside the scanned repository")),
                "{got:?}"
            );
        }
    }
}

#[test]
fn an_example_calling_the_repository_root_as_its_module_is_not_a_missing_module() {
    // The registry-module layout: the module is the repository root, and examples/complete calls
    // it as `source = "../../"`, which from the folder the run starts in is the empty path.
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("a repository");
    fs::create_dir_all(dir.path().join("examples/complete")).expect("mkdir");
    fs::write(
        dir.path().join("main.tf"),
        "variable \"name\" {}\nresource \"aws_sns_topic\" \"t\" { name = var.name }\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("examples/complete/main.tf"),
        "module \"topic\" {\n  source = \"../../\"\n  name   = \"alerts\"\n}\n",
    )
    .expect("write");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], dir.path(), &[]);
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(0), "{got:?}");
    assert!(!got.iter().any(|(c, _, m)| c == "SL003" && m.contains("module topic")), "{got:?}");
}

#[test]
fn a_prebuilt_zips_sources_are_found_in_the_folder_the_run_starts_in() {
    // `check .` in the module folder: the folder near the zip that holds the handler is the
    // run's own, which paths name as the empty path.
    let main_tf = r#"provider "aws" { region = "eu-west-1" }
resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = aws_iam_role.r.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  filename      = "lambda_function_payload.zip"
  environment { variables = { ENDPOINT_NAME = "churn-scorer" } }
}
"#;
    let app_py = "import os\nimport boto3\nruntime = boto3.client(\"sagemaker-runtime\")\nENDPOINT = os.environ[\"MODEL_ENDPOINT\"]\n\n\ndef handler(event, context):\n    try:\n        return runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=b\"{}\")\n    except Exception:\n        return {\"statusCode\": 500}\n";
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("a repository");
    fs::write(dir.path().join("main.tf"), main_tf).expect("write");
    fs::write(dir.path().join("app.py"), app_py).expect("write");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], dir.path(), &[]);
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(1), "{got:?}");
    assert!(
        got.iter().any(|(c, f, m)| c == "SL203" && f == "app.py" && m.contains("MODEL_ENDPOINT")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(c, _, m)| c == "SL003" && m.contains("code is read from .: lambda_function_payload.zip")),
        "{got:?}"
    );
}

#[test]
fn files_named_on_the_command_line_are_bounded_and_fail_the_run_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&sam_fixture(), &dir.path().join("stack"));
    let fifo = dir.path().join("pipe.json");
    mkfifo(&fifo);
    let fifo = fifo.to_string_lossy().into_owned();
    let cases: [Vec<&str>; 6] = [
        vec!["check", "stack", "--scp", &fifo],
        vec!["check", "stack", "--scp", "/dev/zero"],
        vec!["check", "stack", "--baseline", "/dev/zero"],
        vec!["check", "stack", "--config", &fifo],
        vec!["eval", "--policy", "/dev/zero", "--action", "sagemaker:InvokeEndpoint", "--resource", "*"],
        vec!["eval", "--policy", &fifo, "--action", "sagemaker:InvokeEndpoint", "--resource", "*"],
    ];
    for args in cases {
        let (code, out, err) = run_limited(&args, dir.path(), &[]);
        assert_eq!(code, Some(2), "{args:?}: {out} {err}");
        assert!(
            err.contains("a device, not a regular file")
                || err.contains("a named pipe (FIFO), not a regular file"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_repository_config_cannot_read_files_outside_the_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    copy_tree(&sam_fixture(), &repo);
    fs::create_dir(repo.join(".git")).expect("a repository");
    fs::write(repo.join("sagelint.toml"), "scp = [\"/proc/self/environ\"]\n").expect("write");
    let secret = "sagelint-test-secret-4f1c";
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &repo, &[("CI_TOKEN", secret)]);
    assert_eq!(code, Some(2), "{out} {err}");
    assert!(!out.contains(secret) && !err.contains(secret), "the environment leaked: {out} {err}");
    assert!(
        err.contains("/environ") && err.contains("outside") && err.contains("scanned repository"),
        "{err}"
    );
    // Inside the repository it is read.
    fs::write(
        repo.join("scp.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sagemaker:*","Resource":"*"}]}"#,
    )
    .expect("write");
    fs::write(repo.join("sagelint.toml"), "scp = [\"scp.json\"]\n").expect("write");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &repo, &[]);
    assert_eq!(code, Some(1), "{out} {err}");
    assert!(codes(&json(&out, &err)).contains(&"SL104".into()), "{out}");
}

#[test]
fn handler_that_exists_but_cannot_be_read_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("outside.py"), "SECRET = 'sagelint-outside-secret'\n").expect("write");
    let cases: [(&str, &str); 3] = [
        ("link", "it leads to"),
        ("fifo", "it is a named pipe (FIFO), not a regular file"),
        ("latin1", "it is not valid UTF-8 (at byte 1)"),
    ];
    for (case, reason) in cases {
        let repo = dir.path().join(case);
        copy_tree(&sam_fixture(), &repo);
        fs::create_dir(repo.join(".git")).expect("a repository");
        let app = repo.join("src/app.py");
        fs::remove_file(&app).expect("rm");
        match case {
            "link" => std::os::unix::fs::symlink(dir.path().join("outside.py"), &app).expect("symlink"),
            "fifo" => mkfifo(&app),
            _ => fs::write(&app, b"#\xe9\n").expect("write"),
        }
        let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &repo, &[]);
        assert!(code.is_some(), "{case}: killed: {err}");
        assert!(!out.contains("sagelint-outside-secret"), "{case}: read outside the repository: {out}");
        let got = findings(&json(&out, &err));
        let note = got
            .iter()
            .find(|(c, _, m)| {
                c == "SL003" && m.contains("handler app.handler is in src/app.py, which was not read")
            })
            .unwrap_or_else(|| panic!("{case}: no SL003 saying the handler was not read: {got:?}"));
        assert!(note.2.contains(reason), "{case}: {note:?}");
        assert!(!got.iter().any(|(_, _, m)| m.contains("is not in")), "{case}: {got:?}");
    }
}

/// A Python function's handler is `app.py`: an `app.js` beside it is another language's file,
/// whatever it holds, so an unreadable one is not reported as the handler that was not read.
#[test]
fn a_file_of_another_language_is_not_the_runtimes_handler() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("outside.js"), "// sagelint-outside-secret\n").expect("write");
    let repo = dir.path().join("repo");
    copy_tree(&sam_fixture(), &repo);
    fs::create_dir(repo.join(".git")).expect("a repository");
    fs::remove_file(repo.join("src/app.py")).expect("rm");
    std::os::unix::fs::symlink(dir.path().join("outside.js"), repo.join("src/app.js")).expect("symlink");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &repo, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!out.contains("sagelint-outside-secret"), "read outside the repository: {out}");
    let got = findings(&json(&out, &err));
    assert!(
        got.iter().any(|(c, _, m)| c == "SL003" && m.contains("handler app.handler is not in src")),
        "the Python handler is missing: {got:?}"
    );
    assert!(!got.iter().any(|(_, _, m)| m.contains("app.js")), "app.js is not the handler: {got:?}");
}

#[test]
fn jobs_are_capped_by_the_cpus_and_the_work() {
    // 100,000 threads with 16 MiB stacks cannot start under a 4 GiB address space: the run finishes
    // only if the thread count is capped.
    let (code, out, err) = run_limited(
        &["check", "sam-logs-s3-only", "--jobs", "100000", "--format", "json"],
        &sam_fixture().join(".."),
        &[],
    );
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(codes(&json(&out, &err)), ["SL101"]);
}

#[test]
fn import_value_reads_every_sibling_template_of_the_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stacks = dir.path();
    // 80 unrelated sibling templates sort before the one that exports the endpoint name.
    for i in 0..80 {
        fs::write(
            stacks.join(format!("a{i:03}.yaml")),
            format!("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  T:\n    Value: t{i}\n    Export:\n      Name: topic-{i}\n"),
        )
        .expect("write");
    }
    fs::write(
        stacks.join("model.yaml"),
        "Resources:\n  Endpoint:\n    Type: AWS::SageMaker::Endpoint\n    Properties:\n      EndpointName: churn\n      EndpointConfigName: cfg\nOutputs:\n  Name:\n    Value: churn\n    Export:\n      Name: churn-endpoint-name\n",
    )
    .expect("write");
    fs::write(
        stacks.join("app.yaml"),
        r"AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sagemaker:InvokeEndpoint
                Resource: !Sub arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/other
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          ENDPOINT_NAME: !ImportValue churn-endpoint-name
      Code:
        ZipFile: |
          import os, boto3
          def handler(event, context):
              return boto3.client('sagemaker-runtime').invoke_endpoint(EndpointName=os.environ['ENDPOINT_NAME'], Body=b'{}')
",
    )
    .expect("write");
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], stacks, &[]);
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(1), "{got:?}");
    assert!(
        got.iter().any(|(c, f, m)| c == "SL101" && f == "app.yaml" && m.contains("endpoint/churn")),
        "the import must resolve to churn through the 81st sibling: {got:?}"
    );
    assert!(!got.iter().any(|(_, _, m)| m.contains("no single value")), "{got:?}");
}

#[test]
fn global_git_excludes_do_not_change_the_result_and_ignored_tfvars_are_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let module = dir.path().join("module");
    copy_tree(&terraform_fixture(), &module);
    let home = dir.path().join("home");
    fs::create_dir_all(home.join(".config/git")).expect("mkdir");
    fs::write(home.join(".config/git/ignore"), "*.tf\n").expect("write");
    let home_env = home.to_string_lossy().into_owned();
    let xdg = home.join(".config").to_string_lossy().into_owned();
    let env = [("HOME", home_env.as_str()), ("XDG_CONFIG_HOME", xdg.as_str())];
    let (code, out, err) = run_limited(&["check", ".", "--format", "json"], &module, &env);
    let with_global = json(&out, &err);
    let (clean_code, clean_out, clean_err) = run_limited(&["check", ".", "--format", "json"], &module, &[]);
    assert_eq!((code, with_global), (clean_code, json(&clean_out, &clean_err)));
    assert_eq!(code, Some(1));

    // A committed .gitignore that keeps terraform.tfvars out: the result says so.
    fs::write(module.join(".gitignore"), "*.tfvars\n").expect("write");
    fs::write(module.join("terraform.tfvars"), "region = \"us-east-1\"\n").expect("write");
    let (_, out, err) = run_limited(&["check", ".", "--format", "json"], &module, &[]);
    let got = findings(&json(&out, &err));
    assert!(
        got.iter().any(|(c, f, m)| c == "SL003"
            && f == "main.tf"
            && m.starts_with("terraform.tfvars is in this module's folder but an ignore file")),
        "{got:?}"
    );
    // Named on the command line, it is read and nothing is said.
    let (_, out, err) = run_limited(&["check", ".", "terraform.tfvars", "--format", "json"], &module, &[]);
    let got = findings(&json(&out, &err));
    assert!(!got.iter().any(|(_, _, m)| m.contains("an ignore file")), "{got:?}");
}

#[test]
fn an_ignored_cdk_manifest_does_not_bind_the_stack_to_its_environment() {
    // Bound to 111122223333/eu-west-1 by cdk.out/manifest.json, the stack's literal endpoint ARN
    // is its own: no SL107. Only what is committed decides, so a manifest an ignore file keeps out
    // leaves the environment unknown, whether the walk starts above cdk.out or at it.
    let dir = tempfile::tempdir().expect("temp dir");
    let app = dir.path().join("app");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/SL107/pass/cdk-stack-environment"),
        &app,
    );
    let sl107 = |args: &[&str]| {
        let (_, out, err) = run_limited(args, &app, &[]);
        let got = findings(&json(&out, &err));
        got.iter().filter(|(c, f, _)| c == "SL107" && f == "ScoreStack.template.json").count()
    };
    assert_eq!(sl107(&["check", ".", "--format", "json"]), 0);
    fs::write(app.join(".gitignore"), "manifest.json\n").expect("write");
    assert_eq!(sl107(&["check", ".", "--format", "json"]), 1);
    assert_eq!(sl107(&["check", "cdk.out", "--format", "json"]), 1);
    // A template named on the command line is read as the user asked, with the manifest beside it.
    assert_eq!(sl107(&["check", "cdk.out/ScoreStack.template.json", "--format", "json"]), 0);
}

#[test]
fn values_that_double_at_every_level_are_bounded() {
    // 40 levels of Fn::Sub (or Terraform locals) that each double a string: 8 TiB once expanded.
    let dir = tempfile::tempdir().expect("temp dir");
    let cfn = dir.path().join("cfn");
    fs::create_dir(&cfn).expect("mkdir");
    let mut value = serde_json::json!("xxxxxxxx");
    for _ in 0..40 {
        value = serde_json::json!({ "Fn::Sub": ["${a}${a}", { "a": value }] });
    }
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": { "E": { "Type": "AWS::SageMaker::Endpoint",
            "Properties": { "EndpointName": value, "EndpointConfigName": "c" } } }
    });
    fs::write(cfn.join("template.json"), template.to_string()).expect("write");
    let tf = dir.path().join("tf");
    fs::create_dir(&tf).expect("mkdir");
    let mut main = String::from("locals {\n  a0 = \"xxxxxxxx\"\n");
    for i in 1..40 {
        let _ = writeln!(main, "  a{i} = \"${{local.a{}}}${{local.a{}}}\"", i - 1, i - 1);
    }
    main.push_str("}\n\nresource \"aws_sagemaker_endpoint\" \"e\" {\n  name                 = local.a39\n  endpoint_config_name = \"c\"\n}\n");
    fs::write(tf.join("main.tf"), main).expect("write");
    // Three nested `for` expressions over a 2,000-item list: 8 billion iterations, whether they
    // build a huge value or filter everything out.
    let items: Vec<String> = (0..2000).map(|i| format!("\"i{i}\"")).collect();
    let nested = |body: &str| {
        format!(
            "locals {{\n  l = [{}]\n  n = [for a in local.l : [for b in local.l : [for c in local.l : {body}]]]\n}}\n\nresource \"aws_sagemaker_endpoint\" \"e\" {{\n  name                 = local.n[0][0][0]\n  endpoint_config_name = \"c\"\n}}\n",
            items.join(",")
        )
    };
    let product = dir.path().join("for-product");
    fs::create_dir(&product).expect("mkdir");
    fs::write(product.join("main.tf"), nested("\"${a}${b}${c}\"")).expect("write");
    let filtered = dir.path().join("for-filtered");
    fs::create_dir(&filtered).expect("mkdir");
    fs::write(filtered.join("main.tf"), nested("c if c == \"never\"")).expect("write");
    for case in [&cfn, &tf, &product, &filtered] {
        let (code, out, err) = run_limited(&["check", ".", "--format", "json"], case, &[]);
        assert_eq!(code, Some(0), "{}: {out} {err}", case.display());
    }
}

#[test]
fn handler_makefile_and_readme_named_on_the_command_line_are_not_read_as_templates() {
    // `git diff --name-only | xargs sagelint check`: the changed handler and docs come along.
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&sam_fixture(), dir.path());
    fs::write(dir.path().join("Makefile"), "all:\n\techo hi\n").expect("write");
    let (code, out, err) = run_limited(
        &["check", "template.yaml", "src/app.py", "Makefile", "README.md", "--format", "json"],
        dir.path(),
        &[],
    );
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(1), "{got:?}");
    assert_eq!(codes(&json(&out, &err)), ["SL101"], "{got:?}");
    // A file named like a template still is one, and its problems are still said.
    fs::write(dir.path().join("broken.yaml"), "Resources: [\n").expect("write");
    let (_, out, err) = run_limited(&["check", "broken.yaml", "--format", "json"], dir.path(), &[]);
    assert_eq!(codes(&json(&out, &err)), ["SL001"]);
}

#[test]
fn a_handler_named_alone_is_judged_within_the_stack_that_deploys_it() {
    // An on-save run or `git diff --name-only | xargs sagelint check` with only the handler
    // changed: the repository's templates decide whether its call works.
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&sam_fixture(), dir.path());
    fs::create_dir(dir.path().join(".git")).expect("mark the repository");
    // Another stack of the repository with its own error: not what was named.
    copy_tree(&sam_fixture(), &dir.path().join("other"));
    fs::write(
        dir.path().join("tool.py"),
        "import boto3\n\nclient = boto3.client('sagemaker-runtime')\nclient.invoke_endpoint(EndpointName='x', Body=b'')\n",
    )
    .expect("write");

    let (code, out, err) = run_limited(&["check", "src/app.py", "--format", "json"], dir.path(), &[]);
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(1), "{got:?}");
    assert_eq!(got.len(), 1, "only the stack whose function runs src/app.py: {got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("SL101", "template.yaml"), "{got:?}");

    // From a subfolder, named with `..`: the same stack, found through the repository.
    let (code, out, err) =
        run_limited(&["check", "app.py", "--format", "json"], &dir.path().join("src"), &[]);
    assert_eq!(code, Some(1), "{out} {err}");
    assert_eq!(codes(&json(&out, &err)), ["SL101"]);

    // A Python file no function runs is said to be unjudged, not passed in silence.
    let (code, out, err) = run_limited(&["check", "tool.py", "--format", "json"], dir.path(), &[]);
    let got = findings(&json(&out, &err));
    assert_eq!(code, Some(0), "an info only: {got:?}");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "SL003");
    assert!(got[0].2.contains("no function in the templates or Terraform under . runs this file"), "{got:?}");
    // It points at the call that goes unchecked, not at the top of the file.
    let report = json(&out, &err);
    assert_eq!(report["diagnostics"][0]["line"], 4, "{report}");
}

/// A helper module beside a template whose code folder is its own (`CodeUri: .`) is read however
/// the folder is named: from inside it (the empty path), as `./dir` and as `dir`.
#[test]
fn a_helper_beside_the_template_is_read_whatever_the_path_spelling() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/SL101/fail/python-helper-beside-template");
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("fn");
    copy_tree(&fixture, &copy);
    let runs = [("fn", dir.path()), ("./fn", dir.path()), (".", copy.as_path())];
    for (path, cwd) in runs {
        let (code, stdout, stderr) = run_limited(&["check", path, "--format", "json"], cwd, &[]);
        let got = findings(&json(&stdout, &stderr));
        assert_eq!(code, Some(1), "check {path}: {got:?}");
        for (rule, file) in [("SL101", "template.yaml"), ("SL204", "score.py"), ("SL404", "score.py")] {
            assert!(
                got.iter().any(|(c, f, _)| c == rule && f == file),
                "check {path}: no {rule} in {file}: {got:?}"
            );
        }
    }
}

/// A `terraform.tfvars` that `.gitignore` names but git tracks (added with `git add -f`) is in
/// every checkout, and Terraform loads it: it is read. Untracked, it is left out with an SL003.
#[test]
fn a_tracked_tfvars_is_read_though_gitignore_names_it() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/terraform-tfvars-sets-timeout");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture, dir.path());
    fs::write(dir.path().join(".gitignore"), "terraform.tfvars\n").expect("write .gitignore");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs (this test needs git on PATH)");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    let run = || {
        let (code, stdout, stderr) = run_limited(&["check", ".", "--format", "json"], dir.path(), &[]);
        (code, codes(&json(&stdout, &stderr)))
    };
    // Untracked: the ignore file keeps it out, and the 5 s default is judged. The note points at
    // the first variable the file may set.
    let (code, untracked) = run();
    assert_eq!(code, Some(0), "{untracked:?}");
    assert!(
        untracked.contains(&"SL003".to_owned()) && untracked.contains(&"SL402".to_owned()),
        "{untracked:?}"
    );
    let (_, stdout, stderr) = run_limited(&["check", ".", "--format", "short"], dir.path(), &[]);
    assert!(stdout.contains("main.tf:2:1: SL003"), "{stdout}{stderr}");
    git(&["add", "-f", "terraform.tfvars", "main.tf"]);
    let (code, tracked) = run();
    assert_eq!(code, Some(0), "{tracked:?}");
    assert!(tracked.is_empty(), "the tracked tfvars sets the timeout to 30 s: {tracked:?}");
}
