//! Hostile inputs a repository can contain: each gets a clear finding or is skipped, and the run
//! goes on. Small fixtures are committed under `testdata/adversarial/`; large ones are generated
//! here into a temp dir. Sizes are the ones the issue names; nothing here asserts on timing.

#[expect(dead_code, reason = "this file uses only `sagelint` from the shared helpers")]
mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use common::sagelint;
use serde_json::Value;

/// The JSON report of `sagelint check <path>`, with its exit code.
fn json_report(path: &Path) -> (i32, Value, String) {
    let path = path.to_string_lossy();
    let (code, out, err) = sagelint(&["check", path.as_ref(), "--format", "json"]);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON report ({e}): {out}\n{err}"));
    (code, report, err)
}

/// `(code, message)` of every diagnostic.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code is a string").to_owned(),
                d["message"].as_str().expect("message is a string").to_owned(),
            )
        })
        .collect()
}

/// Where each finding points (and its related locations), without file names or fingerprints.
fn positions(report: &Value) -> Vec<Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| {
            let related: Vec<Value> = d["related"]
                .as_array()
                .map(|r| {
                    r.iter().map(|l| serde_json::json!([l["line"], l["column"], l["message"]])).collect()
                })
                .unwrap_or_default();
            serde_json::json!([
                d["code"],
                d["message"],
                d["line"],
                d["column"],
                d["end_line"],
                d["end_column"],
                related
            ])
        })
        .collect()
}

fn files_read(report: &Value) -> u64 {
    report["summary"]["files"].as_u64().expect("summary.files is a number")
}

/// A SAM stack whose role may not invoke its endpoint (one SL101), to show the run goes on.
fn write_failing_stack(dir: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/sam-logs-s3-only");
    fs::create_dir_all(dir.join("src")).expect("temp dir is writable");
    fs::copy(from.join("template.yaml"), dir.join("template.yaml")).expect("scenario is readable");
    fs::copy(from.join("src/app.py"), dir.join("src/app.py")).expect("scenario is readable");
}

fn adversarial(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/adversarial").join(name)
}

#[test]
fn bom_and_crlf_leave_findings_where_they_were() {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios");
    for (variant, original) in [
        ("bom-sam", "sam-logs-s3-only"),
        ("bom-cfn", "cfn-logs-s3-only"),
        ("crlf-sam", "sam-logs-s3-only"),
        ("crlf-cfn", "cfn-logs-s3-only"),
    ] {
        let (code, expected, _) = json_report(&scenarios.join(original));
        let (variant_code, report, err) = json_report(&adversarial(variant));
        assert_eq!(code, 1);
        assert_eq!(variant_code, 1, "{variant}: {err}");
        assert_eq!(findings(&report).len(), 1, "{variant}: {report}");
        assert_eq!(positions(&report), positions(&expected), "{variant}");
    }
}

#[test]
fn non_utf8_template_is_sl001_at_the_first_bad_byte() {
    let (code, report, _) = json_report(&adversarial("non-utf8"));
    assert_eq!(code, 1);
    let d = &report["diagnostics"][0];
    assert_eq!(findings(&report), [("SL001".into(), "the file is not valid UTF-8 (at byte 55)".into())]);
    // Line 2 is `Description: café…`; the Latin-1 é is the 17th character.
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(17)));
    assert_eq!(d["help"], "save the file as UTF-8");
}

#[test]
fn utf16_template_is_sl001() {
    let (code, report, _) = json_report(&adversarial("utf16"));
    assert_eq!(code, 1);
    assert_eq!(findings(&report), [("SL001".into(), "the file is not valid UTF-8 (it is UTF-16)".into())]);
}

#[test]
fn binary_files_with_template_extensions_are_skipped() {
    let (code, report, err) = json_report(&adversarial("binary"));
    assert_eq!(code, 0, "{err}");
    assert!(findings(&report).is_empty(), "{report}");
    assert_eq!(files_read(&report), 0);
}

#[test]
fn binary_file_named_like_a_template_is_sl001() {
    let (code, report, _) = json_report(&adversarial("binary-template"));
    assert_eq!(code, 1);
    assert_eq!(findings(&report), [("SL001".into(), "the file is not valid UTF-8 (at byte 9)".into())]);
}

#[test]
fn yaml_alias_bomb_is_bounded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Nine levels of nine aliases each: 9^10 nodes if expanded.
    let mut text = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    text.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        writeln!(text, "a{i}: &a{i} [{refs}]").unwrap();
    }
    text.push_str("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags: *a9\n");
    fs::write(dir.path().join("template.yaml"), text).unwrap();
    let (code, report, _) = json_report(dir.path());
    assert_eq!(code, 1);
    let all = findings(&report);
    // The expansion limit is an error; the aliases themselves are a packaging note (SL003).
    assert!(all.iter().all(|(code, _)| code == "SL001" || code == "SL003"), "{all:?}");
    assert!(all.iter().any(|(c, m)| c == "SL001" && m.starts_with("alias expansion exceeds")), "{all:?}");
}

#[test]
fn nesting_100000_deep_is_sl001_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let open_close = |open: &str, inner: &str, close: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    let cases = [
        (
            "deep.json",
            format!(
                "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}}",
                open_close("[", "", "]")
            ),
            "nesting deeper than 512 levels",
        ),
        (
            "deep-flow.yaml",
            format!("AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n", open_close("[", "", "]")),
            "recursion limit exceeded",
        ),
        (
            "deep-map.yaml",
            format!(
                "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n",
                open_close("{a: ", "1", "}")
            ),
            "recursion limit exceeded",
        ),
    ];
    for (name, text, _) in &cases {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 1, "{err}");
    let mut got = findings(&report);
    got.sort();
    let mut want: Vec<(String, String)> =
        cases.iter().map(|(_, _, m)| ("SL001".to_owned(), (*m).to_owned())).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn deeply_nested_handler_code_is_scanned_without_overflow() {
    let dir = tempfile::tempdir().unwrap();
    write_failing_stack(dir.path());
    let depth = 100_000;
    let app = dir.path().join("src/app.py");
    let mut code = fs::read_to_string(&app).unwrap();
    write!(code, "\nx = {}1{}\n", "(".repeat(depth), ")".repeat(depth)).unwrap();
    writeln!(code, "y = {}{}", "[".repeat(depth), "]".repeat(depth)).unwrap();
    code.push_str("z = \"unterminated\n");
    fs::write(&app, code).unwrap();
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 1, "{err}");
    let codes: Vec<String> = findings(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["SL101"]);
}

#[test]
fn template_of_100_mb_is_not_read_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let header =
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    let huge = dir.path().join("stack.yaml");
    fs::write(&huge, header).unwrap();
    // Sparse: the size is what matters, and the test should not write 100 MB to disk.
    fs::OpenOptions::new().append(true).open(&huge).unwrap().set_len(100 * 1024 * 1024).unwrap();
    // Not a template by name or content: skipped without reading it.
    let data = dir.path().join("data.json");
    fs::File::create(&data).unwrap().set_len(100 * 1024 * 1024).unwrap();
    write_failing_stack(&dir.path().join("ok"));
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 1, "{err}");
    let got = findings(&report);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "SL101");
    assert_eq!(
        got[1],
        (
            "SL001".to_owned(),
            "the file is 104857600 bytes; sagelint does not read files over 33554432 bytes \
             (CloudFormation accepts templates up to 1 MB)"
                .to_owned()
        )
    );
    assert!(report["diagnostics"][1]["file"].as_str().unwrap().ends_with("stack.yaml"));
}

#[test]
fn folder_of_100000_irrelevant_files_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk");
    fs::create_dir(&junk).unwrap();
    for i in 0..100_000 {
        let (name, body) = match i % 10 {
            0 => (format!("f{i}.json"), format!("{{\"name\": \"package-{i}\", \"version\": \"1.0.0\"}}")),
            1 => (format!("f{i}.yaml"), format!("key: value-{i}\n")),
            _ => (format!("f{i}.txt"), String::from("x")),
        };
        fs::write(junk.join(name), body).unwrap();
    }
    write_failing_stack(&dir.path().join("stack"));
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 1, "{err}");
    let codes: Vec<String> = findings(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["SL101"]);
    // The template and its handler; none of the 100,000 others.
    assert_eq!(files_read(&report), 2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let loops = dir.path().join("loops");
    fs::create_dir(&loops).unwrap();
    symlink("..", loops.join("parent")).unwrap();
    symlink(".", loops.join("self")).unwrap();
    symlink("b.yaml", loops.join("a.yaml")).unwrap();
    symlink("a.yaml", loops.join("b.yaml")).unwrap();
    symlink("template.yaml", loops.join("template.yaml.link")).unwrap();
    write_failing_stack(&dir.path().join("stack"));
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 1, "{err}");
    let codes: Vec<String> = findings(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["SL101"]);
    // Named on the command line, a loop cannot be resolved: a run-level error, not a hang.
    let (code, _, err) = sagelint(&["check", loops.join("a.yaml").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Too many levels of symbolic"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_template_is_sl001_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    write_failing_stack(&dir.path().join("stack"));
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("template.yaml"), "AWSTemplateFormatVersion: \"2010-09-09\"\n").unwrap();
    fs::write(locked.join("other.yaml"), "AWSTemplateFormatVersion: \"2010-09-09\"\n").unwrap();
    for name in ["template.yaml", "other.yaml"] {
        fs::set_permissions(locked.join(name), fs::Permissions::from_mode(0o000)).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let args = ["check", path, "--format", "json"];
    let out = if fs::read(locked.join("template.yaml")).is_ok() {
        // Root reads anything: run as `nobody` when setpriv is there, else say why this is skipped.
        let setpriv = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_sagelint")])
            .args(args)
            .current_dir(dir.path())
            .output();
        match setpriv {
            Ok(out) if out.status.code().is_some() && !out.stdout.is_empty() => out,
            _ => {
                println!("note: running as root without a usable setpriv; unreadable-file check skipped");
                return;
            }
        }
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let got = findings(&report);
    // Every file sagelint would have read and could not is reported, whatever its name: its
    // content, which decides whether it is a template, is unknown.
    let codes: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["SL001", "SL001", "SL101"], "{got:?}");
    let sl001: Vec<_> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "SL001").collect();
    assert!(sl001[0]["file"].as_str().unwrap().ends_with("locked/other.yaml"));
    assert!(sl001[1]["file"].as_str().unwrap().ends_with("locked/template.yaml"));
    for d in sl001 {
        assert!(d["message"].as_str().unwrap().starts_with("cannot read the file: Permission denied"));
    }
}

#[test]
fn panic_in_one_file_is_an_internal_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write_failing_stack(&dir.path().join("stack"));
    // Debug builds panic on this marker (src/load.rs) to exercise the isolation.
    fs::write(
        dir.path().join("template.yaml"),
        "# sagelint-fault-injection: panic\nAWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n",
    )
    .unwrap();
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 2, "{err}");
    // The other stack is still linted and reported.
    let codes: Vec<String> = findings(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["SL101"]);
    assert!(err.contains("internal error while linting"), "{err}");
    assert!(err.contains("fault injected"), "{err}");
}

#[test]
fn a_panic_no_stage_catches_is_an_internal_error_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write_failing_stack(&dir.path().join("stack"));
    // Debug builds panic after the lint when a read file has this name (src/cli/check.rs).
    fs::write(
        dir.path().join("sagelint-fault-injection-run-panic.yaml"),
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n",
    )
    .unwrap();
    let path = dir.path().to_string_lossy();
    let (code, out, err) = sagelint(&["check", path.as_ref(), "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "no report after the run failed: {out}");
    assert!(err.contains("internal error while linting (the whole run): fault injected"), "{err}");
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("snapshot dir is readable") {
            let path = entry.expect("dir entry").path();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path.clone());
            }
            let bytes = if meta.is_file() { fs::read(&path).expect("file is readable") } else { Vec::new() };
            out.push((path, bytes, meta.modified().expect("mtime")));
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("fixture dir is readable") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            fs::create_dir_all(&target).expect("temp dir is writable");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("temp dir is writable");
        }
    }
}

#[test]
fn no_network_and_no_writes_outside_output_and_baseline() {
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("repo");
    fs::create_dir(&tree).unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios"), &tree);
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report.json");
    let baseline = out_dir.path().join("baseline.json");
    let before = snapshot(work.path());
    let bin = env!("CARGO_BIN_EXE_sagelint");
    let args = [
        "check",
        ".",
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
        "--write-baseline",
        baseline.to_str().unwrap(),
    ];
    let run = |wrapper: &[&str]| {
        let (program, rest) = wrapper.split_first().map_or((bin, &[][..]), |(p, r)| (*p, r));
        std::process::Command::new(program)
            .args(rest)
            .args(if wrapper.is_empty() { vec![] } else { vec![bin] })
            .args(args)
            .current_dir(&tree)
            .output()
            .unwrap()
    };
    // Recording a baseline succeeds (exit 0); the report still goes to --output.
    let plain = run(&[]);
    assert_eq!(plain.status.code(), Some(0), "{}", String::from_utf8_lossy(&plain.stderr));
    let expected = fs::read(&report).unwrap();
    assert!(baseline.exists());
    assert_eq!(snapshot(work.path()), before, "the linted tree changed");

    // Without a network namespace's interfaces, the run is the same run.
    if std::process::Command::new("unshare").args(["-n", "true"]).status().is_ok_and(|s| s.success()) {
        fs::remove_file(&report).unwrap();
        let isolated = run(&["unshare", "-n"]);
        assert_eq!(isolated.status.code(), Some(0), "{}", String::from_utf8_lossy(&isolated.stderr));
        assert_eq!(fs::read(&report).unwrap(), expected);
        assert_eq!(snapshot(work.path()), before, "the linted tree changed");
    } else {
        println!("note: `unshare -n` is not permitted here; the no-network run is skipped");
    }

    // And it never opens a socket other than local (AF_UNIX: glibc's nscd lookup for the home dir).
    let trace = out_dir.path().join("trace.txt");
    let traced = std::process::Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%network", "-o", trace.to_str().unwrap(), bin])
        .args(args)
        .current_dir(&tree)
        .output();
    match traced {
        Ok(out) if out.status.code() == Some(0) && trace.exists() => {
            let calls = fs::read_to_string(&trace).unwrap();
            let remote: Vec<&str> =
                calls.lines().filter(|l| l.contains("AF_INET") || l.contains("AF_NETLINK")).collect();
            assert!(remote.is_empty(), "network calls: {remote:?}");
        }
        _ => println!("note: strace is not available or not permitted; the socket check is skipped"),
    }
    assert_eq!(snapshot(work.path()), before, "the linted tree changed");
}

#[test]
fn one_thread_the_default_and_four_threads_give_byte_identical_reports() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios");
    // The scenarios several times over, so that workers finish files out of order (and read the
    // handler code of later stacks ahead of the model being built).
    for copy in 0..8 {
        let target = dir.path().join(format!("copy-{copy}"));
        fs::create_dir(&target).unwrap();
        copy_tree(&scenarios, &target);
    }
    let path = dir.path().to_str().unwrap();
    let mut reports = Vec::new();
    // `default` passes no `--jobs`: one worker per CPU, what most runs use.
    for jobs in ["1", "4", "default", "1", "4", "default"] {
        for format in ["json", "sarif", "pretty"] {
            let mut args = vec!["check", path, "--format", format, "--color", "never"];
            if jobs != "default" {
                args.extend(["--jobs", jobs]);
            }
            let (code, out, err) = sagelint(&args);
            assert_eq!(code, 1, "{err}");
            reports.push(((jobs, format), out));
        }
    }
    let of = |jobs: &str| -> Vec<&String> {
        reports.iter().filter(|((j, _), _)| *j == jobs).map(|(_, o)| o).collect()
    };
    let one = of("1");
    assert_eq!(one, of("4"), "--jobs 1 and --jobs 4");
    assert_eq!(one, of("default"), "--jobs 1 and the default");
    let json: Value = serde_json::from_str(one[0]).unwrap();
    assert!(findings(&json).len() > 8, "the folder has findings to order: {json}");
}

#[test]
fn panic_in_a_rule_is_an_internal_error_and_other_rules_still_report() {
    let dir = tempfile::tempdir().unwrap();
    let from =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/cfn-logs-s3-only/template.json");
    // Debug builds make SL101 panic when a role has this id (src/rules/context.rs).
    let text = fs::read_to_string(from).unwrap().replace("ScoreRole", "SagelintFaultInjectionPanic");
    fs::write(dir.path().join("template.json"), text).unwrap();
    let misspelled = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scenarios/sam-misspelled-endpoint");
    let stack = dir.path().join("stack");
    fs::create_dir_all(stack.join("src")).unwrap();
    fs::copy(misspelled.join("template.yaml"), stack.join("template.yaml")).unwrap();
    fs::copy(misspelled.join("src/app.py"), stack.join("src/app.py")).unwrap();
    let (code, report, err) = json_report(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("internal error while linting (rule SL101, all files)"), "{err}");
    // SL101 lost its finding on template.json; SL201 still reports the misspelled endpoint.
    let codes: Vec<String> = findings(&report).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["SL201"]);
}
