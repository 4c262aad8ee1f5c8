//! Differential test of the IAM evaluator against an independent simulator,
//! `@cloud-copilot/iam-simulate` (AGPL, test-time only: run in a separate Node process from
//! `.tools/iam-oracle/`, never linked, bundled or committed).
//!
//! A seeded generator builds random but valid cases (identity policies, optional permissions
//! boundary, optional single-level SCP, conditions over keys the context always decides), writes
//! them as JSON lines, lets `tests/differential/oracle.mjs` decide them all in one Node process,
//! decides them with `sagelint::iam::decide`, and compares. Disagreements not covered by
//! [`known_divergence`] (documented in `tests/differential/KNOWN_DIVERGENCES.md`) fail the test.
//!
//! Without the oracle installed the test is skipped, unless `SAGELINT_REQUIRE_ORACLE=1`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sagelint::iam::{Context, Inputs, NamedPolicy, Outcome, PolicyDocument, Request, decide, parse_policy};
use sagelint::value::SymStr;
use serde_json::{Map, Value, json};

const SEED: u64 = 0x5a6e_11a7_d1ff_2024;
const CASES: usize = 12_000;
const ACCOUNT: &str = "111122223333";

/// xorshift64* — deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// 1..=max distinct items.
    fn some<'a>(&mut self, items: &[&'a str], max: usize) -> Vec<&'a str> {
        let n = 1 + self.below(max);
        let mut out: Vec<&str> = Vec::new();
        for _ in 0..n {
            let x = self.pick(items);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const ACTION_POOL: &[&str] = &[
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "sagemaker:InvokeEndpoint*",
    "sagemaker:*",
    "sagemaker:Invoke?ndpoint",
    "*",
    "s3:GetObject",
    "iam:*",
    "SageMaker:invokeendpoint",
    "sagemaker:invokeendpointasync",
    "sagemaker:*Async",
];

const RESOURCE_POOL: &[&str] = &[
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-*",
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/Churn-prod",
    "arn:aws:sagemaker:*:*:endpoint/*",
    "arn:aws:sagemaker:eu-west-1:999999999999:endpoint/*",
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:sagemaker:eu-west-1:111122223333:*",
    // Beyond the basic pool: wildcards inside and at the end of ARN segments.
    "arn:aws:sagemaker:eu-west-?:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:*:111122223333:endpoint/*-prod",
    "arn:aws:sagemaker:eu-west-1:*:*",
    "arn:aws:*:*:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:eu-*:111122223333:endpoint/churn?prod",
];

const REQUEST_ACTIONS: &[&str] = &[
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "sagemaker:InvokeEndpointWithResponseStream",
    "s3:GetObject",
];

/// Endpoints in the caller's account (a cross-account resource would need a resource policy).
const REQUEST_ENDPOINTS: &[&str] = &[
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-dev",
    "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/fraud-prod",
    "arn:aws:sagemaker:us-east-1:111122223333:endpoint/churn-prod",
];

/// `s3:GetObject` needs an S3 object ARN (the oracle rejects it on an endpoint ARN).
const REQUEST_OBJECT: &str = "arn:aws:s3:::bucket/model.tar.gz";

const PRINCIPALS: &[&str] =
    &["arn:aws:iam::111122223333:role/fn-role", "arn:aws:iam::111122223333:role/other-role"];

/// A condition key: the operators used on it, policy values, and request values.
struct KeySpec {
    key: &'static str,
    operators: &'static [&'static str],
    policy_values: &'static [&'static str],
    request_values: &'static [&'static str],
    /// Multi-valued key (a list in the request).
    multi: bool,
}

const KEYS: &[KeySpec] = &[
    KeySpec {
        key: "aws:SourceVpce",
        operators: &[
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringNotLike",
            "StringEqualsIgnoreCase",
            "StringEqualsIfExists",
            "StringNotEqualsIfExists",
        ],
        policy_values: &["vpce-1", "vpce-2", "vpce-*", "VPCE-1"],
        request_values: &["vpce-1", "vpce-2", "vpce-3"],
        multi: false,
    },
    KeySpec {
        key: "aws:RequestedRegion",
        operators: &["StringEquals", "StringNotEquals", "StringLike", "StringLikeIfExists"],
        policy_values: &["eu-west-1", "us-east-1", "eu-*"],
        request_values: &["eu-west-1", "us-east-1", "eu-central-1"],
        multi: false,
    },
    KeySpec {
        key: "aws:SecureTransport",
        operators: &["Bool", "BoolIfExists"],
        policy_values: &["true", "false"],
        request_values: &["true", "false"],
        multi: false,
    },
    KeySpec {
        key: "aws:PrincipalArn",
        operators: &["ArnLike", "ArnLikeIfExists", "ArnNotLike"],
        policy_values: &[
            "arn:aws:iam::111122223333:role/fn-*",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::*:role/fn-role",
            "arn:aws:iam::999999999999:role/*",
        ],
        request_values: PRINCIPALS,
        multi: false,
    },
    KeySpec {
        key: "aws:SourceIp",
        operators: &["IpAddress", "IpAddressIfExists", "NotIpAddress"],
        policy_values: &["10.0.0.0/8", "192.168.1.0/24", "203.0.113.5/32"],
        request_values: &["10.1.2.3", "192.168.1.7", "203.0.113.5", "8.8.8.8"],
        multi: false,
    },
    KeySpec {
        key: "aws:MultiFactorAuthAge",
        operators: &["NumericLessThan", "NumericLessThanIfExists", "NumericGreaterThanEquals"],
        policy_values: &["3600", "60"],
        request_values: &["30", "100", "7200"],
        multi: false,
    },
    KeySpec {
        key: "aws:TagKeys",
        operators: &["ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike"],
        policy_values: &["team", "env", "t*"],
        request_values: &["team", "env", "owner"],
        multi: true,
    },
];

/// One generated case, in the form both sides read.
struct Case {
    json: Value,
}

impl Case {
    fn field(&self, name: &str) -> &Value {
        &self.json[name]
    }
}

fn gen_statement(rng: &mut Rng) -> Value {
    let mut st = Map::new();
    if rng.chance(20) {
        st.insert("Sid".into(), json!(format!("S{}", rng.below(100))));
    }
    st.insert("Effect".into(), json!(if rng.chance(65) { "Allow" } else { "Deny" }));
    let list = |rng: &mut Rng, pool: &[&str]| -> Value {
        let items = rng.some(pool, 3);
        if items.len() == 1 && rng.chance(50) { json!(items[0]) } else { json!(items) }
    };
    let action_key = if rng.chance(80) { "Action" } else { "NotAction" };
    st.insert(action_key.into(), list(rng, ACTION_POOL));
    let resource_key = if rng.chance(85) { "Resource" } else { "NotResource" };
    st.insert(resource_key.into(), list(rng, RESOURCE_POOL));
    if rng.chance(40) {
        st.insert("Condition".into(), gen_condition(rng));
    }
    Value::Object(st)
}

fn gen_condition(rng: &mut Rng) -> Value {
    let mut block: Map<String, Value> = Map::new();
    let clauses = 1 + rng.below(2);
    for _ in 0..clauses {
        let spec = &KEYS[rng.below(KEYS.len())];
        let (op, values) = if rng.chance(12) {
            ("Null", vec![rng.pick(&["true", "false"])])
        } else {
            (rng.pick(spec.operators), rng.some(spec.policy_values, 2))
        };
        let value = if values.len() == 1 && rng.chance(50) { json!(values[0]) } else { json!(values) };
        let entry = block.entry(op.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = entry {
            keys.entry(spec.key.to_owned()).or_insert(value);
        }
    }
    Value::Object(block)
}

fn gen_policy(rng: &mut Rng) -> Value {
    let n = 1 + rng.below(4);
    let statements: Vec<Value> = (0..n).map(|_| gen_statement(rng)).collect();
    if statements.len() == 1 && rng.chance(50) {
        json!({"Version": "2012-10-17", "Statement": statements[0]})
    } else {
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

fn gen_case(rng: &mut Rng) -> Case {
    let identity: Vec<Value> = (0..=rng.below(3)).map(|_| gen_policy(rng)).collect();
    let boundary = if rng.chance(30) { gen_policy(rng) } else { Value::Null };
    let scp = if rng.chance(20) { gen_policy(rng) } else { Value::Null };
    let action = rng.pick(REQUEST_ACTIONS);
    let resource = if action == "s3:GetObject" { REQUEST_OBJECT } else { rng.pick(REQUEST_ENDPOINTS) };
    let principal = rng.pick(PRINCIPALS);
    let mut context = Map::new();
    for spec in KEYS {
        if spec.key == "aws:PrincipalArn" {
            // Always present in a real request, and equal to the principal.
            context.insert(spec.key.into(), json!(principal));
        } else if rng.chance(25) {
            // Absent: omitted for the oracle, marked absent for sagelint.
        } else if spec.multi {
            context.insert(spec.key.into(), json!(rng.some(spec.request_values, 2)));
        } else {
            context.insert(spec.key.into(), json!(rng.pick(spec.request_values)));
        }
    }
    Case {
        json: json!({
            "principal": principal,
            "action": action,
            "resource": resource,
            "accountId": ACCOUNT,
            "context": context,
            "identity": identity,
            "boundary": boundary,
            "scp": scp,
        }),
    }
}

fn parse_doc(policy: &Value) -> PolicyDocument {
    let text = policy.to_string();
    let parsed = sagelint::syntax::json::parse_json(&text);
    assert!(parsed.errors.is_empty(), "generated JSON does not parse: {text}");
    let root = parsed.root.expect("generated JSON has a root");
    let value = sagelint::formats::literal_value(&root);
    let (doc, problems) = parse_policy(&value, sagelint::span::FileId(0));
    assert!(problems.is_empty(), "generated policy has problems {problems:?}: {text}");
    doc
}

fn sagelint_outcome(case: &Case) -> Outcome {
    let identity_docs: Vec<PolicyDocument> =
        case.field("identity").as_array().expect("identity list").iter().map(parse_doc).collect();
    let boundary_doc = Some(case.field("boundary")).filter(|v| !v.is_null()).map(parse_doc);
    let scp_doc = Some(case.field("scp")).filter(|v| !v.is_null()).map(parse_doc);

    let mut ctx = Context::default();
    let given = case.field("context").as_object().expect("context map");
    for spec in KEYS {
        ctx = match given.get(spec.key) {
            None => ctx.with_absent(spec.key),
            Some(Value::Array(vs)) => ctx.with_values(
                spec.key,
                vs.iter().map(|v| v.as_str().expect("string value").to_owned()).collect(),
            ),
            Some(v) => ctx.with_value(spec.key, v.as_str().expect("string value")),
        };
    }
    let req = Request {
        action: case.field("action").as_str().expect("action").to_owned(),
        resource: SymStr::lit(case.field("resource").as_str().expect("resource")),
        context: ctx,
    };
    let inputs = Inputs {
        identity: identity_docs
            .iter()
            .enumerate()
            .map(|(i, doc)| NamedPolicy { name: format!("p{i}"), doc })
            .collect(),
        boundary: boundary_doc.as_ref().map(|doc| vec![NamedPolicy { name: "boundary".into(), doc }]),
        scps: scp_doc.as_ref().map(|doc| vec![NamedPolicy { name: "scp".into(), doc }]).unwrap_or_default(),
    };
    decide(&req, &inputs).outcome
}

/// Do the two results agree? `AllowedIf`/`DeniedIf` never agree: every key is decided.
fn agrees(outcome: Outcome, oracle: &str) -> bool {
    match outcome {
        Outcome::Allowed => oracle == "Allowed",
        Outcome::ExplicitDeny(_) => oracle == "ExplicitlyDenied",
        // The oracle reports a missing boundary or SCP Allow as an implicit deny (checked by hand:
        // an SCP or boundary allowing only `s3:*` makes a sagemaker call `ImplicitlyDenied`).
        Outcome::ImplicitDeny | Outcome::BoundaryDeny | Outcome::ScpDeny => oracle == "ImplicitlyDenied",
        Outcome::AllowedIf | Outcome::DeniedIf(_) => false,
    }
}

/// A documented divergence: a short reason (as in the figure) and a predicate recognising it.
type Divergence = (&'static str, fn(&Case, Outcome, &str) -> bool);

/// Mirrors tests/differential/KNOWN_DIVERGENCES.md, entry for entry; each entry there cites the
/// AWS documentation that shows sagelint right. Empty: with the current generator sagelint and
/// the oracle agree on every case.
const KNOWN_DIVERGENCES: &[Divergence] = &[];

/// `Some(reason)` when this disagreement is a documented one.
fn known_divergence(case: &Case, outcome: Outcome, oracle: &str) -> Option<&'static str> {
    KNOWN_DIVERGENCES.iter().find(|(_, applies)| applies(case, outcome, oracle)).map(|(reason, _)| *reason)
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/iam-oracle/node_modules/@cloud-copilot/iam-simulate")
}

fn run_oracle(cases: &[Case]) -> Vec<String> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    for c in cases {
        writeln!(file, "{}", c.json).expect("write case");
    }
    file.flush().expect("flush cases");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/oracle.mjs");
    let out = Command::new("node").arg(&script).arg(file.path()).output().expect("run node");
    assert!(out.status.success(), "oracle failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("oracle output is UTF-8");
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), cases.len(), "oracle printed one line per case");
    lines
}

#[test]
fn differential() {
    if !oracle_dir().is_dir() {
        assert!(
            std::env::var("SAGELINT_REQUIRE_ORACLE").as_deref() != Ok("1"),
            "SAGELINT_REQUIRE_ORACLE=1 but the oracle is not installed at {}",
            oracle_dir().display()
        );
        println!(
            "differential: oracle not installed (run .ci/run or `npm install --prefix .tools/iam-oracle \
             @cloud-copilot/iam-simulate@0.1.173`), skipped"
        );
        return;
    }

    let mut rng = Rng(SEED);
    let cases: Vec<Case> = (0..CASES).map(|_| gen_case(&mut rng)).collect();
    let oracle = run_oracle(&cases);

    let mut agree = 0usize;
    let mut by_result: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<String, usize> = BTreeMap::new();
    let mut documented: BTreeMap<&str, usize> = BTreeMap::new();
    let mut undocumented: Vec<(usize, Outcome, &str)> = Vec::new();
    for (i, (case, oracle_result)) in cases.iter().zip(&oracle).enumerate() {
        assert!(
            !oracle_result.starts_with("error"),
            "oracle rejected case {i}: {oracle_result}\n{}",
            case.json
        );
        let outcome = sagelint_outcome(case);
        *by_outcome.entry(format!("{outcome:?}")).or_default() += 1;
        *by_result.entry(oracle_result.as_str()).or_default() += 1;
        if agrees(outcome, oracle_result) {
            agree += 1;
        } else if let Some(reason) = known_divergence(case, outcome, oracle_result) {
            *documented.entry(reason).or_default() += 1;
        } else {
            undocumented.push((i, outcome, oracle_result));
        }
    }

    let documented_total: usize = documented.values().sum();
    let by_reason = documented.iter().fold(String::new(), |mut s, (r, n)| {
        let sep = if s.is_empty() { "" } else { ", " };
        let _ = write!(s, "{sep}{r}: {n}");
        s
    });
    println!(
        "differential: {} cases, {agree} agree, {documented_total} documented divergences ({by_reason}), {} undocumented",
        cases.len(),
        undocumented.len()
    );

    println!("differential: oracle results {by_result:?}; sagelint outcomes {by_outcome:?}");

    if !undocumented.is_empty() {
        // Smallest cases first: they are the easiest reproductions.
        undocumented.sort_by_key(|(i, _, _)| cases[*i].json.to_string().len());
        let mut report = String::new();
        for (i, outcome, oracle_result) in undocumented.iter().take(10) {
            let _ = writeln!(
                report,
                "case {i}: sagelint {outcome:?}, oracle {oracle_result}\n{}\n",
                cases[*i].json
            );
        }
        panic!(
            "{} undocumented disagreements; smallest (one JSON line each: save to a file and run \
             `node tests/differential/oracle.mjs FILE` to re-ask the oracle):\n{report}",
            undocumented.len()
        );
    }
}
