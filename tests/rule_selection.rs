//! A rule leaves a problem to a more precise rule only when that rule runs: no `--select` or
//! `--ignore` turns a call that is certainly denied into a clean exit. For each fixture where a
//! precise rule (SL106 wrong case, SL108 other invoke variant, SL201 misspelt name) explains an
//! IAM denial, the denial is still an error with that rule off, and SL101 says why.

#[expect(dead_code, reason = "this file uses only `sagelint` from the shared helpers")]
mod common;

use common::sagelint;

/// `(code, message, related messages and help)` of every finding of `sagelint check` with `extra` flags.
fn run(case: &str, extra: &[&str]) -> (i32, Vec<(String, String, Vec<String>)>) {
    let mut args = vec!["check", case, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = sagelint(&args);
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{case} {extra:?}: {e}: {out} {err}"));
    let findings = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let mut related: Vec<String> = d["related"]
                .as_array()
                .map(|r| r.iter().map(|l| l["message"].as_str().unwrap_or("").to_owned()).collect())
                .unwrap_or_default();
            related.extend(d["help"].as_str().map(str::to_owned));
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["message"].as_str().unwrap_or("").to_owned(),
                related,
            )
        })
        .collect();
    (code, findings)
}

/// Fixture, the precise rule, and a phrase SL101 must show when that rule is off.
const DENIALS: [(&str, &str, &str); 7] = [
    ("testdata/rules/SL106/fail/mixed-case-endpoint-arn", "SL106", "in another case"),
    ("testdata/rules/SL106/fail/wildcard-region-mixed-case-name", "SL106", "in another case"),
    ("testdata/rules/SL108/fail/async-call-sync-permission", "SL108", "a different action"),
    ("testdata/rules/SL108/fail/streaming-call-async-only", "SL108", "a different action"),
    ("testdata/rules/SL108/fail/sync-call-async-only", "SL108", "a different action"),
    ("testdata/rules/SL201/fail/env-var-literal-typo", "SL201", "did you mean"),
    ("testdata/rules/SL201/fail/misspelled-endpoint-literal", "SL201", "did you mean"),
];

#[test]
fn a_certain_denial_is_an_error_whichever_rules_are_selected() {
    for (case, precise, why) in DENIALS {
        let (code, all) = run(case, &[]);
        assert_eq!(code, 1, "{case}: {all:?}");
        assert!(
            all.iter().any(|(c, _, _)| c == precise),
            "{case}: {precise} reports it with all rules on: {all:?}"
        );
        assert!(!all.iter().any(|(c, _, _)| c == "SL101"), "{case}: SL101 yields to {precise}: {all:?}");
        for flags in [vec!["--ignore", precise], vec!["--select", "SL101"], vec!["--select", "SL1"]] {
            if flags[1] == "SL1" && precise.starts_with("SL1") {
                continue;
            }
            let (code, found) = run(case, &flags);
            assert_eq!(code, 1, "{case} {flags:?}: the denial must still fail the run: {found:?}");
            let sl101 = found
                .iter()
                .find(|(c, _, _)| c == "SL101")
                .unwrap_or_else(|| panic!("{case} {flags:?}: SL101 reports the denial: {found:?}"));
            assert!(
                sl101.2.iter().any(|r| r.contains(why)),
                "{case} {flags:?}: SL101 names the cause ({why}): {sl101:?}"
            );
        }
    }
}

#[test]
fn an_ambiguous_streaming_grant_stays_undecided_with_sl108_off() {
    // InvokeEndpoint is documented both ways for the streaming call: SL003, never SL101.
    let case = "testdata/rules/SL003/fail/streaming-call-invoke-endpoint-only";
    for flags in [vec![], vec!["--ignore", "SL108"], vec!["--select", "SL101"]] {
        let (code, found) = run(case, &flags);
        assert!(!found.iter().any(|(c, _, _)| c == "SL101"), "{flags:?}: {found:?}");
        assert_eq!(code, 0, "{flags:?}: {found:?}");
    }
}

#[test]
fn a_vpc_endpoint_policy_naming_everyone_is_not_a_malformed_identity_policy() {
    // Endpoint policies are resource policies: `Principal = "*"` belongs there. Only the rule's own
    // fixture run (--select SL305) used to be checked, which hid an SL001 error with all rules on.
    for case in [
        "testdata/rules/SL305/fail/terraform-endpoint-policy-denies",
        "testdata/rules/SL305/fail/terraform-endpoint-policy-other-endpoint",
    ] {
        let (_, found) = run(case, &[]);
        assert!(!found.iter().any(|(c, _, _)| c == "SL001"), "{case}: {found:?}");
        assert!(found.iter().any(|(c, _, _)| c == "SL305"), "{case}: {found:?}");
    }
}
