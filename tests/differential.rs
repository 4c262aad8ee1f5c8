//! Differential test of the IAM evaluator against an independent simulator,
//! `@cloud-copilot/iam-simulate` (AGPL, test-time only: run in separate Node processes from
//! `.tools/iam-oracle/`, never linked, bundled or committed).
//!
//! A seeded generator builds random but valid cases over what real policies contain: `Version`
//! 2012-10-17, 2008-10-17 and none; policy variables (with defaults and escapes) in `Resource`,
//! `NotResource` and condition values; the `aws`, `aws-cn` and `aws-us-gov` partitions; `*` and
//! `?` in every ARN segment; mixed case; epoch and ISO dates; IPv4, IPv6 and `/0` CIDRs; numbers
//! and booleans as condition values; identity policies, a permissions boundary, an SCP and a VPC
//! endpoint policy; and the context keys sagelint sets (`aws:SourceVpc`, `aws:SourceVpce`,
//! `aws:VpcSourceIp`, `aws:ViaAWSService`, `aws:CalledVia*`, ...). Both sides decide every case,
//! and both the decision and the statements that matched are compared.
//!
//! A disagreement passes only when it belongs to a class listed in [`DIVERGENCES`] (mirrored in
//! `tests/differential/KNOWN_DIVERGENCES.md`, each with the AWS documentation that shows sagelint
//! right), and only when it is *explained* by that class: the case is rewritten so that sagelint
//! reads it the way the oracle does (e.g. `Version` 2008-10-17 policies as 2012-10-17 ones), and
//! sagelint must then give the oracle's answer. Anything else fails the test.
//!
//! Without the oracle installed the test is skipped, unless `SAGELINT_REQUIRE_ORACLE=1` (as in
//! CI), which makes a missing oracle a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sagelint::iam::pattern::{has_variable_without_value, resource_matches};
use sagelint::iam::policy::PolicyProblemKind;
use sagelint::iam::{
    Context, Decision, Hit, Inputs, NamedPolicy, Outcome, PolicyDocument, PolicyKind, Request, decide,
    parse_policy,
};
use sagelint::value::SymStr;
use serde_json::{Map, Value, json};

const SEED: u64 = 0x5a6e_11a7_d1ff_2024;
const CASES: usize = 50_000;
/// Node processes deciding the cases side by side (CI has two cores).
const ORACLE_PROCESSES: usize = 2;
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
    "sagemaker:Invoke*",
    "sagemaker:invoke?ndpoint*",
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
    "arn:aws:sagemaker:eu-west-?:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:*:111122223333:endpoint/*-prod",
    "arn:aws:sagemaker:eu-west-1:*:*",
    "arn:aws:*:*:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:eu-*:111122223333:endpoint/churn?prod",
    "arn:aws:sagemaker:us-east-1:111122223333:ENDPOINT/churn-prod",
    // Partitions.
    "arn:aws-cn:sagemaker:*:*:endpoint/*",
    "arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:endpoint/churn-*",
    "arn:*:sagemaker:*:111122223333:endpoint/churn-prod",
    "arn:aws*:sagemaker:*:*:endpoint/fraud-prod",
    "arn:a?s:sagemaker:*:*:endpoint/*",
    // `*` and `?` in every segment.
    "arn:aws:sage*:*:*:endpoint/*",
    "arn:aws:sagemake?:eu-west-1:*:endpoint/*",
    "arn:aws:sagemaker:??-*-1:1111????3333:endpoint/*",
    "arn:aws:sagemaker:*:1111*:endpoint/churn-*",
    "arn:aws:sagemaker:*:*:*",
    "arn:aws:sagemaker:*:*:*churn*",
    // A wildcard in the resource type (as 116 AWS managed policies write it).
    "arn:aws:sagemaker:*:*:*/churn-prod",
    "arn:aws:sagemaker:*:*:end*/fraud-prod",
    // Upper case in the partition, service and region segments.
    "arn:aws:SageMaker:eu-west-1:111122223333:endpoint/churn-prod",
    "arn:aws:sagemaker:EU-WEST-1:111122223333:endpoint/*",
    "arn:AWS:sagemaker:*:*:endpoint/churn-dev",
    // Policy variables, a default value and escapes.
    "arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team}",
    "arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team}-prod",
    "arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team, 'churn-prod'}",
    "arn:aws:sagemaker:*:*:endpoint/${aws:username}",
    "arn:aws:sagemaker:*:*:endpoint/churn${*}",
    "arn:aws:sagemaker:*:*:endpoint/churn-pro${?}",
];

const REQUEST_ACTIONS: &[&str] = &[
    "sagemaker:InvokeEndpoint",
    "sagemaker:InvokeEndpointAsync",
    "sagemaker:InvokeEndpointWithResponseStream",
    "s3:GetObject",
];

/// (partition, region) of the endpoints called; the account is always the caller's (a
/// cross-account resource would need a resource policy).
const REQUEST_PLACES: &[(&str, &str)] = &[
    ("aws", "eu-west-1"),
    ("aws", "eu-west-1"),
    ("aws", "us-east-1"),
    ("aws-cn", "cn-north-1"),
    ("aws-us-gov", "us-gov-west-1"),
];

const ENDPOINT_NAMES: &[&str] = &["churn-prod", "churn-dev", "fraud-prod"];

const ROLES: &[&str] = &["fn-role", "other-role"];

/// How a key's values are written in a policy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Numbers: sometimes written as JSON numbers.
    Number,
    /// Booleans: sometimes written as JSON booleans.
    Boolean,
    /// Dates: epoch values sometimes written as JSON numbers.
    Date,
}

/// A condition key: the operators used on it, policy values, and request values.
struct KeySpec {
    key: &'static str,
    operators: &'static [&'static str],
    policy_values: &'static [&'static str],
    /// Request values; `principal` for `aws:PrincipalArn`, which always equals the caller.
    request_values: &'static [&'static str],
    kind: Kind,
    /// Multivalued key (a list in the request).
    multi: bool,
}

const STRING_OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringEqualsIfExists",
    "StringNotEqualsIfExists",
];
const IP_OPS: &[&str] = &["IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists"];
const DATE_OPS: &[&str] = &[
    "DateLessThan",
    "DateGreaterThan",
    "DateLessThanEquals",
    "DateGreaterThanEqualsIfExists",
    "DateNotEquals",
];

const KEYS: &[KeySpec] = &[
    KeySpec {
        key: "aws:SourceVpce",
        operators: STRING_OPS,
        policy_values: &["vpce-1", "vpce-2", "vpce-*", "VPCE-1"],
        request_values: &["vpce-1", "vpce-2", "vpce-3"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:SourceVpc",
        operators: STRING_OPS,
        policy_values: &["vpc-1", "vpc-2", "vpc-*"],
        request_values: &["vpc-1", "vpc-2"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:VpcSourceIp",
        operators: IP_OPS,
        policy_values: &["10.0.0.0/16", "0.0.0.0/0", "10.0.1.2/32", "fd00::/8", "::/0"],
        request_values: &["10.0.1.2", "10.1.0.5", "fd00::5"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:SourceIp",
        operators: IP_OPS,
        policy_values: &[
            "10.0.0.0/8",
            "192.168.1.0/24",
            "203.0.113.5/32",
            "0.0.0.0/0",
            "::/0",
            "2001:db8::/32",
            "2001:db8::1/128",
        ],
        request_values: &["10.1.2.3", "192.168.1.7", "203.0.113.5", "8.8.8.8", "2001:db8::1", "2001:db9::1"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:RequestedRegion",
        operators: &["StringEquals", "StringNotEquals", "StringLike", "StringLikeIfExists"],
        policy_values: &["eu-west-1", "us-east-1", "eu-*", "cn-*"],
        request_values: &["eu-west-1", "us-east-1", "eu-central-1", "cn-north-1"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:SecureTransport",
        operators: &["Bool", "BoolIfExists"],
        policy_values: &["true", "false"],
        request_values: &["true", "false"],
        kind: Kind::Boolean,
        multi: false,
    },
    KeySpec {
        key: "aws:ViaAWSService",
        operators: &["Bool", "BoolIfExists"],
        policy_values: &["true", "false"],
        request_values: &["false", "true"],
        kind: Kind::Boolean,
        multi: false,
    },
    KeySpec {
        key: "aws:CalledVia",
        operators: &[
            "ForAnyValue:StringEquals",
            "ForAllValues:StringEquals",
            "ForAnyValue:StringLike",
            "ForAllValues:StringNotEquals",
            "ForAnyValue:StringEqualsIfExists",
            "StringEquals",
        ],
        policy_values: &["athena.amazonaws.com", "dynamodb.amazonaws.com", "*.amazonaws.com"],
        request_values: &["athena.amazonaws.com", "dynamodb.amazonaws.com", "glue.amazonaws.com"],
        kind: Kind::Text,
        multi: true,
    },
    KeySpec {
        key: "aws:CalledViaFirst",
        operators: &["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists"],
        policy_values: &["athena.amazonaws.com", "dynamodb.amazonaws.com", "*.amazonaws.com"],
        request_values: &["athena.amazonaws.com", "glue.amazonaws.com"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:CalledViaLast",
        operators: &["StringEquals", "StringNotLike", "StringNotEqualsIfExists"],
        policy_values: &["athena.amazonaws.com", "dynamodb.*"],
        request_values: &["athena.amazonaws.com", "dynamodb.amazonaws.com"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:PrincipalArn",
        operators: &["ArnLike", "ArnEquals", "ArnLikeIfExists", "ArnNotLike", "StringLike"],
        policy_values: &[
            "arn:aws:iam::111122223333:role/fn-*",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::*:role/fn-role",
            "arn:aws:iam::999999999999:role/*",
            "arn:*:iam::111122223333:role/fn-role",
            "arn:aws-cn:iam::*:role/*",
        ],
        request_values: &["principal"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:MultiFactorAuthAge",
        operators: &[
            "NumericLessThan",
            "NumericLessThanIfExists",
            "NumericGreaterThanEquals",
            "NumericEquals",
        ],
        policy_values: &["3600", "60", "100"],
        request_values: &["30", "100", "7200"],
        kind: Kind::Number,
        multi: false,
    },
    KeySpec {
        key: "aws:CurrentTime",
        operators: DATE_OPS,
        policy_values: &[
            "2030-01-01T00:00:00Z",
            "2020-01-01T00:00:00Z",
            "2026-06-01",
            "1893456000",
            "1577836800",
        ],
        request_values: &["2026-06-01T12:00:00Z", "2019-05-05T00:00:00Z", "2031-01-01T00:00:00Z"],
        kind: Kind::Date,
        multi: false,
    },
    KeySpec {
        key: "aws:EpochTime",
        operators: DATE_OPS,
        policy_values: &["1893456000", "1577836800", "2030-01-01T00:00:00Z"],
        request_values: &["1780315200", "1557014400", "1924992000"],
        kind: Kind::Date,
        multi: false,
    },
    KeySpec {
        key: "aws:TagKeys",
        operators: &["ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike"],
        policy_values: &["team", "env", "t*"],
        request_values: &["team", "env", "owner"],
        kind: Kind::Text,
        multi: true,
    },
    KeySpec {
        key: "aws:ResourceTag/team",
        operators: &["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIgnoreCase"],
        policy_values: &[
            "churn",
            "fraud",
            "ch*",
            "${aws:PrincipalTag/team}",
            "${aws:PrincipalTag/team, 'churn'}",
        ],
        request_values: &["churn", "fraud"],
        kind: Kind::Text,
        multi: false,
    },
    KeySpec {
        key: "aws:PrincipalTag/team",
        operators: &["StringEquals", "StringNotEquals", "StringLike"],
        policy_values: &["churn", "fraud", "churn-prod"],
        request_values: &["churn", "fraud", "churn-prod"],
        kind: Kind::Text,
        multi: false,
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

/// A policy value as JSON: numbers and booleans are sometimes written as JSON scalars.
fn policy_value(rng: &mut Rng, kind: Kind, text: &str) -> Value {
    let scalar = rng.chance(30);
    match kind {
        Kind::Number | Kind::Date if scalar => text.parse::<u64>().map_or_else(|_| json!(text), |n| json!(n)),
        Kind::Boolean if scalar => text.parse::<bool>().map_or_else(|_| json!(text), |b| json!(b)),
        _ => json!(text),
    }
}

fn gen_statement(rng: &mut Rng, endpoint: bool) -> Value {
    let mut st = Map::new();
    if rng.chance(20) {
        st.insert("Sid".into(), json!(format!("S{}", rng.below(100))));
    }
    st.insert("Effect".into(), json!(if rng.chance(65) { "Allow" } else { "Deny" }));
    if endpoint {
        // A VPC endpoint policy is a resource policy: it names the principals it applies to (the
        // oracle accepts only `"*"` there).
        st.insert("Principal".into(), json!("*"));
    }
    let list = |rng: &mut Rng, pool: &[&str]| -> Value {
        let items = rng.some(pool, 3);
        if items.len() == 1 && rng.chance(50) { json!(items[0]) } else { json!(items) }
    };
    let action_key = if rng.chance(80) { "Action" } else { "NotAction" };
    st.insert(action_key.into(), list(rng, ACTION_POOL));
    let resource_key = if rng.chance(85) { "Resource" } else { "NotResource" };
    st.insert(resource_key.into(), list(rng, RESOURCE_POOL));
    if rng.chance(45) {
        st.insert("Condition".into(), gen_condition(rng));
    }
    Value::Object(st)
}

fn gen_condition(rng: &mut Rng) -> Value {
    let mut block: Map<String, Value> = Map::new();
    let clauses = 1 + rng.below(2);
    for _ in 0..clauses {
        let spec = &KEYS[rng.below(KEYS.len())];
        let (op, values): (&str, Vec<Value>) = if rng.chance(10) {
            let v = rng.pick(&["true", "false"]);
            ("Null", vec![policy_value(rng, Kind::Boolean, v)])
        } else {
            let op = rng.pick(spec.operators);
            let texts = rng.some(spec.policy_values, 2);
            (op, texts.into_iter().map(|t| policy_value(rng, spec.kind, t)).collect())
        };
        let value =
            if values.len() == 1 && rng.chance(50) { values[0].clone() } else { Value::Array(values) };
        let entry = block.entry(op.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = entry {
            keys.entry(spec.key.to_owned()).or_insert(value);
        }
    }
    Value::Object(block)
}

fn gen_policy(rng: &mut Rng, endpoint: bool) -> Value {
    let n = 1 + rng.below(4);
    let statements: Vec<Value> = (0..n).map(|_| gen_statement(rng, endpoint)).collect();
    let statement = if statements.len() == 1 && rng.chance(50) {
        statements[0].clone()
    } else {
        Value::Array(statements)
    };
    let mut doc = Map::new();
    match rng.below(10) {
        0 => {
            doc.insert("Version".into(), json!("2008-10-17"));
        }
        1 => {}
        _ => {
            doc.insert("Version".into(), json!("2012-10-17"));
        }
    }
    doc.insert("Statement".into(), statement);
    Value::Object(doc)
}

fn gen_case(rng: &mut Rng) -> Case {
    let identity: Vec<Value> = (0..=rng.below(3)).map(|_| gen_policy(rng, false)).collect();
    let boundary = if rng.chance(25) { gen_policy(rng, false) } else { Value::Null };
    let scp = if rng.chance(20) { gen_policy(rng, false) } else { Value::Null };
    let endpoint = if rng.chance(15) { gen_policy(rng, true) } else { Value::Null };
    let action = rng.pick(REQUEST_ACTIONS);
    let (partition, region) = REQUEST_PLACES[rng.below(REQUEST_PLACES.len())];
    // `s3:GetObject` needs an S3 object ARN (the oracle rejects it on an endpoint ARN).
    let resource = if action == "s3:GetObject" {
        format!("arn:{partition}:s3:::bucket/model.tar.gz")
    } else {
        format!("arn:{partition}:sagemaker:{region}:{ACCOUNT}:endpoint/{}", rng.pick(ENDPOINT_NAMES))
    };
    let principal = format!("arn:{partition}:iam::{ACCOUNT}:role/{}", rng.pick(ROLES));
    let mut context = Map::new();
    for spec in KEYS {
        if spec.key.starts_with("aws:ResourceTag/") && action == "s3:GetObject" {
            // S3 objects carry no `aws:ResourceTag` (their tags are `s3:ExistingObjectTag`); the
            // oracle drops the key for `s3:GetObject`, as AWS would not send it.
            continue;
        }
        if spec.request_values == ["principal"] {
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
            "endpoint": endpoint,
        }),
    }
}

fn parse_doc(policy: &Value, resource_policy: bool) -> PolicyDocument {
    let text = policy.to_string();
    let parsed = sagelint::syntax::json::parse_json(&text);
    assert!(parsed.errors.is_empty(), "generated JSON does not parse: {text}");
    let root = parsed.root.expect("generated JSON has a root");
    let value = sagelint::formats::literal_value(&root);
    let (doc, problems) = parse_policy(&value, sagelint::span::FileId(0));
    // A VPC endpoint policy names its principals; the evaluator reads it like an identity
    // policy once every statement names everyone (as the generator makes them).
    let problems: Vec<_> = problems
        .into_iter()
        .filter(|p| !(resource_policy && matches!(p.kind, PolicyProblemKind::Principal(_))))
        .collect();
    assert!(problems.is_empty(), "generated policy has problems {problems:?}: {text}");
    doc
}

/// The two-valued answer, or sagelint's "undecidable" with what it depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    Allowed,
    ExplicitlyDenied,
    ImplicitlyDenied,
    Undecidable(Vec<String>),
}

impl Verdict {
    fn of(d: &Decision) -> Verdict {
        match d.outcome {
            Outcome::Allowed => Verdict::Allowed,
            Outcome::ExplicitDeny(_) => Verdict::ExplicitlyDenied,
            // The oracle reports a missing boundary or SCP Allow as an implicit deny (checked: an
            // SCP or boundary allowing only `s3:*` makes a sagemaker call `ImplicitlyDenied`).
            Outcome::ImplicitDeny | Outcome::BoundaryDeny | Outcome::ScpDeny => Verdict::ImplicitlyDenied,
            Outcome::AllowedIf | Outcome::DeniedIf(_) => {
                Verdict::Undecidable(d.depends_on().iter().map(|s| s.id().to_owned()).collect())
            }
        }
    }

    /// The request passes the role's policies and then the VPC endpoint policy: an explicit
    /// deny in either wins, then any implicit deny.
    fn and_endpoint(self, endpoint: Verdict) -> Verdict {
        use Verdict::{Allowed, ExplicitlyDenied, ImplicitlyDenied, Undecidable};
        match (self, endpoint) {
            (ExplicitlyDenied, _) | (_, ExplicitlyDenied) => ExplicitlyDenied,
            (Undecidable(mut a), Undecidable(b)) => {
                a.extend(b);
                a.sort();
                a.dedup();
                Undecidable(a)
            }
            (Undecidable(a), _) | (_, Undecidable(a)) => Undecidable(a),
            (ImplicitlyDenied, _) | (_, ImplicitlyDenied) => ImplicitlyDenied,
            (Allowed, Allowed) => Allowed,
        }
    }
}

/// What one side says about a case: the verdict and the statements that matched, by policy
/// (`identity`, `boundary`, `endpoint`) and effect, each as `policy#index`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct View {
    verdict: Verdict,
    statements: BTreeMap<&'static str, BTreeSet<String>>,
}

/// The statement's index in the policy as written, counting equal statements as the first one
/// (the oracle reports statements by content).
fn canonical_index(policy: &Value, index: usize) -> usize {
    let statements: Vec<&Value> = match &policy["Statement"] {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let Some(st) = statements.get(index) else { return index };
    statements.iter().position(|s| s == st).unwrap_or(index)
}

/// What the request carries: every generated key is either given or absent.
fn case_context(case: &Value) -> Context {
    let mut ctx = Context::default();
    for spec in KEYS {
        ctx.set_absent(spec.key);
    }
    for (key, v) in case["context"].as_object().expect("context map") {
        let values = match v {
            Value::Array(vs) => vs.iter().map(|v| v.as_str().expect("string value").to_owned()).collect(),
            v => vec![v.as_str().expect("string value").to_owned()],
        };
        ctx.set(key, values);
    }
    ctx
}

fn sagelint_view(case: &Case) -> View {
    let identity_json = case.field("identity").as_array().expect("identity list");
    let identity_docs: Vec<PolicyDocument> = identity_json.iter().map(|p| parse_doc(p, false)).collect();
    let boundary_doc = Some(case.field("boundary")).filter(|v| !v.is_null()).map(|p| parse_doc(p, false));
    let scp_doc = Some(case.field("scp")).filter(|v| !v.is_null()).map(|p| parse_doc(p, false));
    let endpoint_doc = Some(case.field("endpoint")).filter(|v| !v.is_null()).map(|p| parse_doc(p, true));

    let req = Request {
        action: case.field("action").as_str().expect("action").to_owned(),
        resource: SymStr::lit(case.field("resource").as_str().expect("resource")),
        context: case_context(&case.json),
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
    let decision = decide(&req, &inputs);
    let mut verdict = Verdict::of(&decision);

    let policy_json = |name: &str| -> &Value {
        match name.strip_prefix('p').and_then(|i| i.parse::<usize>().ok()) {
            Some(i) => &identity_json[i],
            None => case.field(name),
        }
    };
    let mut statements: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    // Only statements that certainly apply: a possible one (its condition undefined by the
    // documentation) is not a match the oracle could list.
    let mut add = |slot: &'static str, h: &Hit| {
        if h.is_certain() {
            let index = canonical_index(policy_json(&h.policy), h.statement);
            statements.entry(slot).or_default().insert(format!("{}#{index}", h.policy));
        }
    };
    for h in &decision.allows {
        add("identity allow", h);
    }
    for h in &decision.boundary_allows {
        add("boundary allow", h);
    }
    for h in &decision.denies {
        match h.kind {
            PolicyKind::Identity => add("identity deny", h),
            PolicyKind::Boundary => add("boundary deny", h),
            PolicyKind::Scp => {}
        }
    }
    if let Some(doc) = &endpoint_doc {
        let ep = decide(
            &req,
            &Inputs { identity: vec![NamedPolicy { name: "endpoint".into(), doc }], ..Inputs::default() },
        );
        for h in &ep.allows {
            add("endpoint allow", h);
        }
        for h in &ep.denies {
            add("endpoint deny", h);
        }
        verdict = verdict.and_endpoint(Verdict::of(&ep));
    }
    View { verdict, statements }
}

fn oracle_view(line: &str) -> View {
    let v: Value = serde_json::from_str(line).expect("oracle line is JSON");
    let verdict = match v["result"].as_str() {
        Some("Allowed") => Verdict::Allowed,
        Some("ExplicitlyDenied") => Verdict::ExplicitlyDenied,
        Some("ImplicitlyDenied") => Verdict::ImplicitlyDenied,
        other => panic!("unknown oracle result {other:?}"),
    };
    let mut statements: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for (slot, part, effect) in [
        ("identity allow", "identity", "allow"),
        ("identity deny", "identity", "deny"),
        ("boundary allow", "boundary", "allow"),
        ("boundary deny", "boundary", "deny"),
        ("endpoint allow", "endpoint", "allow"),
        ("endpoint deny", "endpoint", "deny"),
    ] {
        for s in v[part][effect].as_array().into_iter().flatten() {
            statements.entry(slot).or_default().insert(s.as_str().expect("statement name").to_owned());
        }
    }
    View { verdict, statements }
}

/// What sagelint says where the IAM documentation does not define the answer (see
/// `src/iam/condition.rs`): every key the answer depends on carries this note.
const UNDEFINED_MARKER: &str = "which the IAM documentation does not define)";

fn undefined_only(view: &View) -> bool {
    matches!(&view.verdict, Verdict::Undecidable(deps)
        if !deps.is_empty() && deps.iter().all(|d| d.ends_with(UNDEFINED_MARKER)))
}

/// A class of documented disagreements: a short reason (as in the figure) and a rewrite of the
/// case that makes sagelint read it as the oracle does (`None` when the case has nothing of the
/// class). Mirrors tests/differential/KNOWN_DIVERGENCES.md entry for entry.
type Rewrite = fn(&Value) -> Option<Value>;

const DIVERGENCES: &[(&str, Rewrite)] = &[
    ("oracle resolves policy variables under Version 2008-10-17 or no Version", as_version_2012),
    ("oracle ignores case in the partition, service and region of a Resource ARN", lower_case_arn_heads),
    ("oracle compares epoch dates as seconds and ISO dates as milliseconds", dates_as_the_oracle_reads_them),
    ("oracle matches 0.0.0.0/0 only against 0.0.0.0", ipv4_zero_prefix_as_host),
    ("oracle never matches a wildcard in the resource type", resource_type_wildcards_never_match),
    (
        "oracle: a negated operator does not match a policy variable with no value",
        negated_operators_fail_on_variables_without_value,
    ),
    (
        "oracle: a NotResource ARN with a variable without value is skipped when another segment differs",
        unresolvable_not_resource_skipped_on_other_mismatch,
    ),
];

/// Every policy of the case (identity, boundary, SCP, endpoint), mutably.
fn policies_mut(case: &mut Value) -> Vec<&mut Value> {
    let Value::Object(fields) = case else { return Vec::new() };
    let mut out = Vec::new();
    for (name, v) in fields.iter_mut() {
        match (name.as_str(), v) {
            ("identity", Value::Array(items)) => out.extend(items.iter_mut()),
            ("boundary" | "scp" | "endpoint", v @ Value::Object(_)) => out.push(v),
            _ => {}
        }
    }
    out
}

fn statements_mut(policy: &mut Value) -> Vec<&mut Map<String, Value>> {
    match &mut policy["Statement"] {
        Value::Array(items) => items.iter_mut().filter_map(Value::as_object_mut).collect(),
        Value::Object(one) => vec![one],
        _ => Vec::new(),
    }
}

/// Applies `f` to every string of every `Resource`/`NotResource`; `Some` if anything changed.
fn rewrite_resources(case: &Value, f: impl Fn(&str) -> Option<String>) -> Option<Value> {
    let mut out = case.clone();
    let mut changed = false;
    for policy in policies_mut(&mut out) {
        for st in statements_mut(policy) {
            for key in ["Resource", "NotResource"] {
                let Some(v) = st.get_mut(key) else { continue };
                let items: Vec<&mut Value> = match v {
                    Value::Array(items) => items.iter_mut().collect(),
                    one => vec![one],
                };
                for item in items {
                    if let Some(new) = item.as_str().and_then(&f) {
                        *item = json!(new);
                        changed = true;
                    }
                }
            }
        }
    }
    changed.then_some(out)
}

/// Applies `f(operator, key, value, request value)` to every condition value; `Some` if anything
/// changed.
fn rewrite_condition_values(
    case: &Value,
    f: impl Fn(&str, &str, &Value, &Value) -> Option<Value>,
) -> Option<Value> {
    let context = case["context"].clone();
    let mut out = case.clone();
    let mut changed = false;
    for policy in policies_mut(&mut out) {
        for st in statements_mut(policy) {
            let Some(Value::Object(block)) = st.get_mut("Condition") else { continue };
            for (op, keys) in block.iter_mut() {
                let Value::Object(keys) = keys else { continue };
                for (key, values) in keys.iter_mut() {
                    let items: Vec<&mut Value> = match values {
                        Value::Array(items) => items.iter_mut().collect(),
                        one => vec![one],
                    };
                    for item in items {
                        if let Some(new) = f(op, key, item, &context[key.as_str()]) {
                            *item = new;
                            changed = true;
                        }
                    }
                }
            }
        }
    }
    changed.then_some(out)
}

/// Variables are literal text unless `Version` is 2012-10-17: "If you don't include the Version
/// element and set it to an appropriate version date, variables like ${aws:username} are treated
/// as literal strings in the policy."
fn as_version_2012(case: &Value) -> Option<Value> {
    let mut out = case.clone();
    let mut changed = false;
    for policy in policies_mut(&mut out) {
        let old = policy.get("Version").and_then(Value::as_str) != Some("2012-10-17");
        if old && policy["Statement"].to_string().contains("${") {
            policy["Version"] = json!("2012-10-17");
            changed = true;
        }
    }
    changed.then_some(out)
}

fn lower_case_arn_heads(case: &Value) -> Option<Value> {
    rewrite_resources(case, |r| {
        let parts: Vec<&str> = r.splitn(6, ':').collect();
        if parts.len() < 6 || parts[0] != "arn" {
            return None;
        }
        let lowered: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| if (1..=3).contains(&i) { p.to_lowercase() } else { (*p).to_owned() })
            .collect();
        let new = lowered.join(":");
        (new != r).then_some(new)
    })
}

fn is_epoch(v: &Value) -> bool {
    v.is_u64() || v.as_str().is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

/// The oracle reads an epoch value as seconds and an ISO date as milliseconds and compares the
/// numbers; in sagelint's seconds, an epoch policy value against an ISO request value is then the
/// value / 1000, and an ISO policy value against an epoch request value is the date × 1000.
fn dates_as_the_oracle_reads_them(case: &Value) -> Option<Value> {
    rewrite_condition_values(case, |op, _key, value, request| {
        let base = op.rsplit(':').next().unwrap_or(op);
        if !base.starts_with("Date") || request.is_null() {
            return None;
        }
        let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        match (is_epoch(value), is_epoch(request)) {
            (true, false) => Some(json!((text.parse::<i64>().ok()? / 1000).to_string())),
            (false, true) => Some(json!((sagelint::iam::condition::parse_date(&text)? * 1000).to_string())),
            _ => None,
        }
    })
}

fn ipv4_zero_prefix_as_host(case: &Value) -> Option<Value> {
    rewrite_condition_values(case, |op, _key, value, _request| {
        let ip_operator = op.trim_end_matches("IfExists").ends_with("IpAddress");
        (ip_operator && value.as_str() == Some("0.0.0.0/0")).then(|| json!("0.0.0.0/32"))
    })
}

/// The oracle splits the resource part at its first `/` or `:` and compares that "resource
/// type" literally; a wildcard in it matches nothing.
fn resource_type_wildcards_never_match(case: &Value) -> Option<Value> {
    rewrite_resources(case, |r| {
        let parts: Vec<&str> = r.splitn(6, ':').collect();
        let resource = parts.get(5).filter(|_| parts[0] == "arn")?;
        let split = resource.find(['/', ':'])?;
        resource[..=split].contains(['*', '?']).then(|| "arn:aws:sagemaker:*:*:never/matches".to_owned())
    })
}

/// The oracle makes `StringNotEquals`/`StringNotLike`/`ArnNot…` false when one of its values has
/// a variable without value; in sagelint terms, that value becomes the request's own value.
fn negated_operators_fail_on_variables_without_value(case: &Value) -> Option<Value> {
    let ctx = case_context(case);
    rewrite_condition_values(case, |op, _key, value, request| {
        let base = op.rsplit(':').next().unwrap_or(op);
        let negated = base.starts_with("StringNot") || base.starts_with("ArnNot");
        let text = value.as_str()?;
        let request = request.as_str()?;
        (negated && has_variable_without_value(&SymStr::lit(text), &ctx)).then(|| json!(request))
    })
}

/// The oracle compares partition, service, region and account before it resolves the variables
/// of the resource part: an unresolvable `NotResource` entry whose other segments already differ
/// from the request is then an ordinary mismatch (the statement applies), not an unresolvable one.
/// In sagelint terms, the entry becomes one that matches nothing.
fn unresolvable_not_resource_skipped_on_other_mismatch(case: &Value) -> Option<Value> {
    let ctx = case_context(case);
    let request = SymStr::lit(case["resource"].as_str()?);
    let mut out = case.clone();
    let mut changed = false;
    for policy in policies_mut(&mut out) {
        for st in statements_mut(policy) {
            let Some(v) = st.get_mut("NotResource") else { continue };
            let items: Vec<&mut Value> = match v {
                Value::Array(items) => items.iter_mut().collect(),
                one => vec![one],
            };
            for item in items {
                let Some(text) = item.as_str() else { continue };
                let parts: Vec<&str> = text.splitn(6, ':').collect();
                if parts.len() < 6 || !has_variable_without_value(&SymStr::lit(text), &ctx) {
                    continue;
                }
                let head = format!("{}:*", parts[..5].join(":").to_lowercase());
                if resource_matches(&SymStr::lit(&head), &request) == sagelint::iam::Match::No {
                    *item = json!("arn:aws:sagemaker:*:*:never/matches");
                    changed = true;
                }
            }
        }
    }
    changed.then_some(out)
}

/// The class of cases where sagelint answers "only if" because the documentation defines nothing.
const UNDEFINED: &str = "sagelint: the IAM documentation does not define it (undecidable)";

/// Which documented classes explain a disagreement: one class whose rewrite alone gives the
/// oracle's answer, or all the classes present when only their rewrites together do.
fn explain(case: &Case, sagelint: &View, oracle: &View) -> Option<Vec<&'static str>> {
    if undefined_only(sagelint) {
        return Some(vec![UNDEFINED]);
    }
    for (reason, rewrite) in DIVERGENCES {
        if let Some(json) = rewrite(&case.json) {
            let view = sagelint_view(&Case { json });
            if &view == oracle {
                return Some(vec![*reason]);
            }
            if undefined_only(&view) {
                return Some(vec![*reason, UNDEFINED]);
            }
        }
    }
    let mut json = case.json.clone();
    let mut reasons = Vec::new();
    for (reason, rewrite) in DIVERGENCES {
        if let Some(next) = rewrite(&json) {
            json = next;
            reasons.push(*reason);
        }
    }
    if reasons.len() < 2 {
        return None;
    }
    let view = sagelint_view(&Case { json });
    if undefined_only(&view) {
        reasons.push(UNDEFINED);
    } else if &view != oracle {
        return None;
    }
    Some(reasons)
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/iam-oracle/node_modules/@cloud-copilot/iam-simulate")
}

/// Runs the oracle over the cases in `ORACLE_PROCESSES` Node processes at once.
fn run_oracle(cases: &[Case]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/oracle.mjs");
    let chunk = cases.len().div_ceil(ORACLE_PROCESSES).max(1);
    let mut running = Vec::new();
    for part in cases.chunks(chunk) {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        for c in part {
            writeln!(file, "{}", c.json).expect("write case");
        }
        file.flush().expect("flush cases");
        let child = Command::new("node")
            .arg(&script)
            .arg(file.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run node");
        running.push((file, child, part.len()));
    }
    let mut lines = Vec::with_capacity(cases.len());
    for (_file, child, n) in running {
        let out = child.wait_with_output().expect("oracle runs");
        assert!(
            out.status.success(),
            "oracle failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("oracle output is UTF-8");
        let part: Vec<String> = text.lines().map(str::to_owned).collect();
        assert_eq!(part.len(), n, "oracle printed one line per case");
        lines.extend(part);
    }
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
    // A smaller run for local debugging; CI always runs `CASES`.
    let count =
        std::env::var("SAGELINT_DIFFERENTIAL_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES);
    let cases: Vec<Case> = (0..count).map(|_| gen_case(&mut rng)).collect();
    let started = std::time::Instant::now();
    let oracle = run_oracle(&cases);
    let oracle_time = started.elapsed();

    let mut agree = 0usize;
    let mut same_decision = 0usize;
    let mut by_result: BTreeMap<String, usize> = BTreeMap::new();
    // Cases per documented class; a case that needed several classes counts for each.
    let mut documented: BTreeMap<&str, usize> = BTreeMap::new();
    let mut documented_total = 0usize;
    let mut combined = 0usize;
    let mut undocumented: Vec<(usize, View, View)> = Vec::new();
    for (i, (case, line)) in cases.iter().zip(&oracle).enumerate() {
        assert!(!line.starts_with("error"), "oracle rejected case {i}: {line}\n{}", case.json);
        let theirs = oracle_view(line);
        let ours = sagelint_view(case);
        *by_result.entry(format!("{:?}", theirs.verdict)).or_default() += 1;
        if ours.verdict == theirs.verdict {
            same_decision += 1;
        }
        if ours == theirs {
            agree += 1;
        } else if let Some(reasons) = explain(case, &ours, &theirs) {
            documented_total += 1;
            if reasons.len() > 1 {
                combined += 1;
            }
            for r in reasons {
                *documented.entry(r).or_default() += 1;
            }
        } else {
            undocumented.push((i, ours, theirs));
        }
    }

    let by_reason = documented.iter().fold(String::new(), |mut s, (r, n)| {
        let _ = write!(s, "\n  {n:>6}  {r}");
        s
    });
    println!(
        "differential: {} cases ({:.0?} in the oracle): {agree} agree on the decision and the matching \
         statements ({same_decision} on the decision), {documented_total} documented divergences \
         ({combined} of them need several classes together), {} undocumented{by_reason}",
        cases.len(),
        oracle_time,
        undocumented.len()
    );
    println!("differential: oracle results {by_result:?}");

    if !undocumented.is_empty() {
        // Smallest cases first: they are the easiest reproductions.
        undocumented.sort_by_key(|(i, _, _)| cases[*i].json.to_string().len());
        let mut report = String::new();
        for (i, ours, theirs) in undocumented.iter().take(8) {
            let _ = writeln!(
                report,
                "case {i}:\n  sagelint {ours:?}\n  oracle   {theirs:?}\n{}\n",
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
