//! The command-line contract: exit codes, flags, config errors, `explain` and `rules`.

mod common;

use common::sagelint;

#[test]
fn missing_path_is_exit_2() {
    let (code, _, err) = sagelint(&["check", "testdata/does-not-exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("path does not exist"), "{err}");
}

#[test]
fn bad_flag_is_exit_2() {
    let (code, _, err) = sagelint(&["check", "--no-such-flag"]);
    assert_eq!(code, 2);
    assert!(err.contains("--no-such-flag"), "{err}");
}

#[test]
fn unknown_rule_in_select_is_exit_2() {
    let (code, _, err) = sagelint(&["check", "testdata/scenarios/sam-correct-wiring", "--select", "SL999"]);
    assert_eq!(code, 2);
    assert!(err.contains("SL999"), "{err}");
}

#[test]
fn check_is_the_default_command() {
    let (a, out_a, _) = sagelint(&["testdata/scenarios/sam-logs-s3-only", "--format", "short"]);
    let (b, out_b, _) = sagelint(&["check", "testdata/scenarios/sam-logs-s3-only", "--format", "short"]);
    assert_eq!((a, &out_a), (b, &out_b));
    assert_eq!(a, 1);
}

#[test]
fn select_and_ignore() {
    let dir = "testdata/scenarios/sam-logs-s3-only";
    let (code, out, _) = sagelint(&["check", dir, "--ignore", "SL101", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = sagelint(&["check", dir, "--select", "SL2", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, _, _) = sagelint(&["check", dir, "--select", "invoke-not-allowed", "--format", "short"]);
    assert_eq!(code, 1);
}

#[test]
fn warnings_fail_only_with_fail_on_warning() {
    let dir = "testdata/rules/SL204/fail/literal-name-no-endpoints";
    let (code, out, _) = sagelint(&["check", dir, "--format", "short"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SL204 [warning]"), "{out}");
    let (code, _, _) = sagelint(&["check", dir, "--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn info_findings_alone_exit_0() {
    // All rules run; SL404 (info) is the only finding on this chain.
    let dir = "testdata/rules/SL404/fail/cfn-inline-code-unhandled";
    let (code, out, _) = sagelint(&["check", dir, "--format", "short"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("SL404 [info]"), "{out}");
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = sagelint(&["check", dir, "--fail-on", "info"]);
    assert_eq!(code, 1);
}

#[test]
fn unknown_config_key_is_exit_2_with_its_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sagelint.toml"), "select = [\"SL\"]\nendpointz = [\"x\"]\n").unwrap();
    let path = dir.path().to_string_lossy().into_owned();
    let (code, _, err) = sagelint(&["check", &path]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown field `endpointz`"), "{err}");
    assert!(err.contains("sagelint.toml:2:1"), "{err}");
}

#[test]
fn explain_prints_the_rule_page() {
    let (code, out, _) = sagelint(&["explain", "SL101"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# SL101 invoke-not-allowed"), "{out}");
    let (code, by_name, _) = sagelint(&["explain", "invoke-not-allowed"]);
    assert_eq!((code, &by_name), (0, &out));
    let (code, _, err) = sagelint(&["explain", "SL999"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn rules_lists_every_rule_as_json() {
    let (code, out, _) = sagelint(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), sagelint::rules::REGISTRY.len());
    assert_eq!(rows[0]["code"], "SL001");
    assert_eq!(rows[0]["severity"], "error");
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let report_arg = report.to_string_lossy().into_owned();
    let (code, out, _) = sagelint(&[
        "check",
        "testdata/scenarios/sam-logs-s3-only",
        "--format",
        "json",
        "--output",
        &report_arg,
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SL101");
}

#[test]
fn params_override_defaults() {
    // The endpoint name comes from a parameter default; overriding it with a wrong name makes the
    // code's literal name a mismatch.
    let (code, out, _) = sagelint(&[
        "check",
        "testdata/rules/SL002/pass/sub-with-parameter",
        "--format",
        "short",
        "--param",
        "EndpointName=other-endpoint",
    ]);
    assert!(code == 0 || code == 1, "{out}");
}

#[test]
fn no_code_skips_handler_scanning() {
    let (code, out, _) =
        sagelint(&["check", "testdata/scenarios/sam-misspelled-endpoint", "--no-code", "--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn short_format_prints_one_line_per_finding() {
    let dir = std::path::Path::new("testdata/scenarios/garbage");
    let (code, text, findings) = common::report(dir, None);
    assert_eq!(code, 1);
    assert_eq!(findings, 4, "{text}");
    assert!(!common::subdirs(std::path::Path::new("testdata/scenarios")).is_empty());
}

#[test]
fn eval_shows_the_deciding_deny_and_exits_1() {
    let (code, out, err) = sagelint(&[
        "eval",
        "--policy",
        "testdata/eval/full-access-with-deny.json",
        "--action",
        "sagemaker:InvokeEndpoint",
        "--resource",
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-prod",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("sagemaker:InvokeEndpoint on arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-prod: ExplicitDeny (explicit deny in an identity-based policy)"), "{out}");
    assert!(out.contains("Sid DenyProductionInvoke"), "{out}");
    assert!(out.contains("full-access-with-deny.json:10:5"), "{out}");
}

#[test]
fn eval_allowed_exits_0_and_conditions_are_named() {
    let args = |resource: &'static str| {
        vec![
            "eval",
            "--policy",
            "testdata/eval/full-access-with-deny.json",
            "--action",
            "sagemaker:InvokeEndpoint",
            "--resource",
            resource,
        ]
    };
    let (code, out, _) = sagelint(&args("arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-dev"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": Allowed"), "{out}");
    assert!(out.contains("Sid AllowAllSageMaker"), "{out}");
    let (code, _, err) = sagelint(&[
        "eval",
        "--policy",
        "testdata/eval/missing.json",
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn scp_flag_applies_to_every_role() {
    let dir = "testdata/rules/SL104/pass/scp-full-aws-access";
    let (code, out, _) = sagelint(&[
        "check",
        dir,
        "--format",
        "short",
        "--scp",
        "testdata/rules/SL104/fail/scp-allows-only-s3-and-logs/scp.json",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("SL104"), "{out}");
}

#[test]
fn metadata_suppression_hides_the_finding_and_counts_it() {
    let (code, out, _) =
        sagelint(&["check", "testdata/scenarios/suppressed-by-metadata", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["summary"]["suppressed"], 1);
}

#[test]
fn a_template_that_does_not_parse_gets_only_sl001() {
    let (code, out, _) =
        sagelint(&["check", "testdata/rules/SL001/fail/malformed-yaml", "--format", "short"]);
    assert_eq!(code, 1);
    assert!(!out.is_empty() && out.lines().all(|l| l.contains(" SL001 ")), "{out}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("temp dir is writable");
    for entry in std::fs::read_dir(from).expect("fixture folder exists").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("fixture file copies");
        }
    }
}

#[test]
fn baseline_hides_recorded_findings_and_survives_an_unrelated_resource_above() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = dir.path().join("project");
    copy_dir(&root.join("testdata/scenarios/sam-logs-s3-only"), &project);
    let baseline = dir.path().join("baseline.json");
    let (project_arg, baseline_arg) =
        (project.to_string_lossy().into_owned(), baseline.to_string_lossy().into_owned());
    let (code, out, _) =
        sagelint(&["check", &project_arg, "--write-baseline", &baseline_arg, "--format", "short"]);
    // Recording adopts the findings: exit 0 and one line, so `--write-baseline b.json && git add
    // b.json` works.
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("recorded 1 finding in ") && out.lines().count() == 1, "{out}");
    // An unrelated resource inserted above the finding moves it down by several lines.
    let template = std::fs::read_to_string(project.join("template.yaml")).unwrap();
    let patched = template.replacen(
        "Resources:\n",
        "Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: alerts\n\n",
        1,
    );
    assert_ne!(template, patched);
    std::fs::write(project.join("template.yaml"), patched).unwrap();
    let (code, out, err) =
        sagelint(&["check", &project_arg, "--baseline", &baseline_arg, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["summary"]["suppressed"], 1);
    // A baseline hides only what it recorded.
    let (code, out, _) = sagelint(&[
        "check",
        "testdata/scenarios/sam-misspelled-endpoint",
        "--baseline",
        &baseline_arg,
        "--format",
        "short",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("SL201"), "{out}");
    let (code, _, err) = sagelint(&["check", &project_arg, "--baseline", "testdata/no-such-baseline.json"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn comment_suppressions_in_templates_and_handler_code() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // In the template, on the line above the finding's primary span.
    let sam = dir.path().join("sam");
    copy_dir(&root.join("testdata/scenarios/sam-logs-s3-only"), &sam);
    let template = std::fs::read_to_string(sam.join("template.yaml")).unwrap();
    let patched = template.replacen(
        "      Policies:",
        "      # sagelint: ignore SL101 -- granted elsewhere\n      Policies:",
        1,
    );
    assert_ne!(template, patched);
    std::fs::write(sam.join("template.yaml"), patched).unwrap();
    // In handler code, on the line of the finding (SL204 points at the literal name).
    let code = dir.path().join("code");
    copy_dir(&root.join("testdata/rules/SL204/fail/literal-name-no-endpoints"), &code);
    let app = std::fs::read_to_string(code.join("src/app.py")).unwrap();
    let patched = app.replacen(
        "EndpointName=\"churn-model\",",
        "EndpointName=\"churn-model\",  # sagelint: ignore endpoint-not-declared -- created by the data team",
        1,
    );
    assert_ne!(app, patched);
    std::fs::write(code.join("src/app.py"), patched).unwrap();
    for (path, suppressed) in [(sam, 1), (code, 1)] {
        let path = path.to_string_lossy().into_owned();
        // The SL204 fixture's call also has no error handling (SL404), which is not under test here.
        let (code, out, err) = sagelint(&["check", &path, "--format", "json", "--ignore", "SL404"]);
        assert_eq!(code, 0, "{out}{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0, "{out}");
        assert_eq!(doc["summary"]["suppressed"], suppressed, "{out}");
    }
}

#[test]
fn sarif_has_rules_regions_fingerprints_and_related_locations() {
    let (code, out, _) = sagelint(&["check", "testdata/scenarios/sam-logs-s3-only", "--format", "sarif"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "sagelint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), sagelint::rules::REGISTRY.len());
    for rule in rules {
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("rules/{}.md", rule["id"].as_str().unwrap()))
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .starts_with(&format!("# {}", rule["id"].as_str().unwrap()))
        );
    }
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "SL101");
    assert_eq!(result["level"], "error");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "SL101");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "testdata/scenarios/sam-logs-s3-only/template.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(16), Some(7)));
    assert_eq!((region["endLine"].as_u64(), region["endColumn"].as_u64()), (Some(16), Some(15)));
    assert_eq!(result["partialFingerprints"]["sagelint/v1"].as_str().unwrap().len(), 16);
    let related = result["relatedLocations"].as_array().unwrap();
    assert!(related.iter().any(|r| r["physicalLocation"]["artifactLocation"]["uri"]
        == "testdata/scenarios/sam-logs-s3-only/src/app.py"
        && r["physicalLocation"]["region"]["startLine"] == 14));
}

#[test]
fn github_annotations_carry_file_line_columns_and_title() {
    let (code, out, _) = sagelint(&["check", "testdata/scenarios/sam-logs-s3-only", "--format", "github"]);
    assert_eq!(code, 1);
    let line = out.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=testdata/scenarios/sam-logs-s3-only/template.yaml,line=16,col=7,endLine=16,endColumn=15,title=SL101 invoke-not-allowed::Lambda ScoreFunction cannot call"),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: "), "multi-line messages are escaped: {line}");
    let (_, warn, _) =
        sagelint(&["check", "testdata/rules/SL204/fail/literal-name-no-endpoints", "--format", "github"]);
    assert!(warn.lines().any(|l| l.starts_with("::warning file=") && l.contains("SL204")), "{warn}");
    assert!(warn.lines().any(|l| l.starts_with("::notice file=") && l.contains("SL404")), "{warn}");
}

#[test]
fn eval_names_the_condition_a_deny_depends_on() {
    let (code, out, _) = sagelint(&[
        "eval",
        "--policy",
        "testdata/eval/deny-outside-vpc.json",
        "--action",
        "sagemaker:InvokeEndpoint",
        "--resource",
        "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/lead-scoring",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Denied if the conditions listed below hold"), "{out}");
    assert!(out.contains("applies only if the condition on aws:SourceVpc holds"), "{out}");
}

#[test]
fn pretty_summary_counts_suppressed_findings() {
    let (code, out, _) =
        sagelint(&["check", "testdata/scenarios/suppressed-by-metadata", "--color", "never"]);
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap_or_default();
    assert!(last.ends_with(" (1 suppressed)"), "{out}");
}

#[test]
fn pretty_summary_omits_a_zero_suppressed_count() {
    let (_, out, _) =
        sagelint(&["check", "testdata/rules/SL201/fail/misspelled-endpoint-literal", "--color", "never"]);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("1 error,") && !last.contains("suppressed"), "{out}");
}

#[test]
fn a_param_that_names_nothing_scanned_is_a_usage_error() {
    let (code, _, err) = sagelint(&[
        "check",
        "testdata/rules/SL002/pass/sub-with-parameter",
        "--param",
        "EndpointNmae=other-endpoint",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--param EndpointNmae names no template parameter or Terraform variable"), "{err}");
    assert!(err.contains("EndpointName"), "the known names are listed: {err}");
}

#[test]
fn a_bad_rule_code_or_severity_in_the_config_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_string_lossy().into_owned();
    for (config, line, expected) in [
        ("ignore = [\"SL404\", \"SL999\"]\n", "sagelint.toml:1:20", "\"SL999\" matches no rule code"),
        ("[severity]\nSL299 = \"error\"\n", "sagelint.toml:2:1", "\"SL299\" matches no rule code"),
        (
            "[severity]\nSL204 = \"fatal\"\n",
            "sagelint.toml:2:9",
            "must be error, warning or info, not \"fatal\"",
        ),
    ] {
        std::fs::write(dir.path().join("sagelint.toml"), config).unwrap();
        let (code, _, err) = sagelint(&["check", &dir_arg]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(line) && err.contains(expected), "{config}: {err}");
    }
}
