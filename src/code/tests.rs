//! Scans of Python and JavaScript handler text: the calls, names and spans a user sees in findings.

use std::fmt::Write as _;

use super::*;

fn py(text: &str) -> HandlerScan {
    scan(Language::Python, text)
}

fn js(text: &str) -> HandlerScan {
    scan(Language::JavaScript, text)
}

fn at(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

fn only(s: &HandlerScan) -> &InvokeCall {
    assert_eq!(s.calls.len(), 1, "{:#?}", s.calls);
    &s.calls[0]
}

fn literal(e: &EndpointName) -> (&str, Span) {
    match e {
        EndpointName::Literal { value, span } => (value, *span),
        other => panic!("not a literal: {other:?}"),
    }
}

fn env(e: &EndpointName) -> (&str, Span, Option<&str>) {
    match e {
        EndpointName::EnvVar { var, span, default } => (var, *span, default.as_deref()),
        other => panic!("not an env var: {other:?}"),
    }
}

fn dynamic(e: &EndpointName) -> &str {
    match e {
        EndpointName::Dynamic { why, .. } => why,
        other => panic!("not dynamic: {other:?}"),
    }
}

#[test]
fn js_config_object_member_and_angle_cast_resolve_to_the_env_var() {
    let src = "const config = { endpointName: process.env.A ?? '' } as const;\nconst b = <string>process.env.B;\nrt.invokeEndpoint({ EndpointName: config.endpointName });\nrt.invokeEndpoint({ EndpointName: b });\nrt.invokeEndpoint({ EndpointName: other.endpointName });\n";
    let s = js(src);
    assert_eq!(env(&s.calls[0].endpoint).0, "A");
    assert_eq!(env(&s.calls[1].endpoint).0, "B");
    assert!(dynamic(&s.calls[2].endpoint).contains("other.endpointName"));
}

#[test]
fn language_from_path() {
    assert_eq!(language_for_path(Path::new("src/app.py")), Some(Language::Python));
    assert_eq!(language_for_path(Path::new("index.MJS")), Some(Language::JavaScript));
    assert_eq!(language_for_path(Path::new("handler.tsx")), Some(Language::JavaScript));
    assert_eq!(language_for_path(Path::new("types.d.ts")), None);
    assert_eq!(language_for_path(Path::new("Makefile")), None);
    assert_eq!(language_for_path(Path::new("a.go")), None);
}

#[test]
fn every_registered_reader_is_found_by_its_runtime_and_its_language() {
    for reader in LANGUAGES {
        let runtime = format!("{}3.12", reader.runtime_prefix());
        assert_eq!(language_of_runtime(&runtime), Some(reader.language()));
        assert_eq!(reader.language().reader().runtime_prefix(), reader.runtime_prefix());
    }
}

#[test]
fn api_names() {
    assert_eq!(InvokeApi::InvokeEndpointAsync.action(), "sagemaker:InvokeEndpointAsync");
    assert_eq!(Language::Python.reader().sdk_name(InvokeApi::InvokeEndpoint), "invoke_endpoint");
    assert_eq!(
        Language::JavaScript.reader().sdk_name(InvokeApi::InvokeEndpointWithResponseStream),
        "InvokeEndpointWithResponseStreamCommand"
    );
}

#[test]
fn boto3_literal() {
    let text = r#"import boto3
runtime = boto3.client("sagemaker-runtime")

def lambda_handler(event, context):
    resp = runtime.invoke_endpoint(EndpointName="my-endpoint", ContentType="application/json", Body=event["body"])
    return resp["Body"].read()
"#;
    let s = py(text);
    let c = only(&s);
    assert_eq!(c.api, InvokeApi::InvokeEndpoint);
    assert_eq!(c.callee, "invoke_endpoint");
    assert_eq!(at(text, c.span), "invoke_endpoint");
    let (value, span) = literal(&c.endpoint);
    assert_eq!(value, "my-endpoint");
    assert_eq!(at(text, span), "\"my-endpoint\"");
    assert!(!c.in_error_handler);
    assert!(!c.inference_component);
    assert!(!s.explicit_endpoint_url);
}

#[test]
fn env_var_through_module_constant() {
    let text = r#"import os, boto3
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]
runtime = boto3.client('runtime.sagemaker')

def handler(event, context):
    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=b"{}")
"#;
    let s = py(text);
    let (var, span, default) = env(&only(&s).endpoint);
    assert_eq!(var, "ENDPOINT_NAME");
    assert_eq!(at(text, span), r#"os.environ["ENDPOINT_NAME"]"#);
    assert_eq!(default, None);
    assert_eq!(s.env_reads.len(), 1);
    assert_eq!(s.env_reads[0].var, "ENDPOINT_NAME");
    assert!(!s.env_reads[0].has_default);
}

#[test]
fn getenv_with_default_and_environ_get() {
    let text = r#"import os
from os import environ
def handler(event, context):
    name = os.getenv("EP", "default-ep")
    sm.invoke_endpoint(EndpointName=name)
    sm.invoke_endpoint(EndpointName=environ.get('OTHER'))
    sm.invoke_endpoint(EndpointName=os.environ.get("THIRD", fallback()))
    sm.invoke_endpoint(EndpointName=os.environ.get("FOURTH") or "d4")
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 4);
    let (var, span, default) = env(&s.calls[0].endpoint);
    assert_eq!((var, default), ("EP", Some("default-ep")));
    assert_eq!(at(text, span), r#"os.getenv("EP", "default-ep")"#);
    assert_eq!(env(&s.calls[1].endpoint).0, "OTHER");
    assert_eq!(env(&s.calls[1].endpoint).2, None);
    assert_eq!(env(&s.calls[2].endpoint).2, None);
    assert_eq!(env(&s.calls[3].endpoint).2, Some("d4"));
    let reads: Vec<(&str, bool)> = s.env_reads.iter().map(|r| (r.var.as_str(), r.has_default)).collect();
    assert_eq!(reads, [("EP", true), ("OTHER", false), ("THIRD", true), ("FOURTH", true)]);
}

#[test]
fn name_from_the_request_is_dynamic() {
    let text = r#"
def lambda_handler(event, context):
    client.invoke_endpoint(EndpointName=event["endpoint"], Body="x")
    body = json.loads(event["body"])
    client.invoke_endpoint(EndpointName=body["endpoint"], Body="x")

def call(name):
    client.invoke_endpoint(EndpointName=name)
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 3);
    assert_eq!(dynamic(&s.calls[0].endpoint), "built from the request (event[\"endpoint\"])");
    assert!(dynamic(&s.calls[1].endpoint).starts_with("built from the request"));
    assert_eq!(dynamic(&s.calls[2].endpoint), "a function parameter `name`");
}

#[test]
fn python_dynamic_shapes() {
    let text = r#"
PREFIX = "ep"
A = f"{PREFIX}-1"
B = f"plain"
C = "a" "b"
D = PREFIX + "-x"
E = "{}-x".format(PREFIX)
F = pick()
G = "x"
G = "y"
H = "same"
H = "same"
client.invoke_endpoint(EndpointName=A)
client.invoke_endpoint(EndpointName=B)
client.invoke_endpoint(EndpointName=C)
client.invoke_endpoint(EndpointName=D)
client.invoke_endpoint(EndpointName=E)
client.invoke_endpoint(EndpointName=F)
client.invoke_endpoint(EndpointName=G)
client.invoke_endpoint(EndpointName=H)
client.invoke_endpoint(EndpointName=UNKNOWN)
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 9);
    // An f-string and a concatenation of known pieces are the name they build.
    assert_eq!(literal(&s.calls[0].endpoint).0, "ep-1");
    assert_eq!(literal(&s.calls[1].endpoint).0, "plain");
    assert_eq!(literal(&s.calls[2].endpoint).0, "ab");
    assert_eq!(literal(&s.calls[3].endpoint).0, "ep-x");
    assert!(dynamic(&s.calls[4].endpoint).starts_with("built with str.format"));
    assert!(dynamic(&s.calls[5].endpoint).starts_with("the result of calling `pick`"));
    assert!(dynamic(&s.calls[6].endpoint).contains("assigned different values"));
    assert_eq!(literal(&s.calls[7].endpoint).0, "same");
    assert!(dynamic(&s.calls[8].endpoint).contains("not assigned"));
}

#[test]
fn comments_docstrings_and_strings_are_ignored() {
    let text = r#"
# runtime.invoke_endpoint(EndpointName="commented")
def handler(event, context):
    """Calls runtime.invoke_endpoint(EndpointName="doc") on each request."""
    msg = 'runtime.invoke_endpoint(EndpointName="str")'
    raw = rb'.invoke_endpoint(\'x\')'
    fs = f"{x} .invoke_endpoint(" + F'''
       .invoke_endpoint(EndpointName="triple")'''
    return runtime.invoke_endpoint(EndpointName="real")
"#;
    let s = py(text);
    assert_eq!(literal(&only(&s).endpoint).0, "real");
}

#[test]
fn async_and_stream_variants() {
    let text = r#"
sm.invoke_endpoint_async(EndpointName="a", InputLocation="s3://b/k")
sm.invoke_endpoint_with_response_stream(EndpointName="s", Body="{}", InferenceComponentName="ic")
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 2);
    assert_eq!(s.calls[0].api, InvokeApi::InvokeEndpointAsync);
    assert_eq!(s.calls[0].callee, "invoke_endpoint_async");
    assert_eq!(s.calls[1].api, InvokeApi::InvokeEndpointWithResponseStream);
    assert!(s.calls[1].inference_component);
    assert!(!s.calls[0].inference_component);
}

#[test]
fn try_except_detection() {
    let text = r#"
def handler(event, context):
    try:
        r = sm.invoke_endpoint(EndpointName="in-try")
    except ClientError as e:
        sm.invoke_endpoint(EndpointName="in-except")
    try:
        sm.invoke_endpoint(EndpointName="try-finally")
    finally:
        pass
    if x:
        try: sm.invoke_endpoint(EndpointName="one-line")
        except Exception: pass
    sm.invoke_endpoint(EndpointName="after")
"#;
    let s = py(text);
    let got: Vec<(&str, bool)> =
        s.calls.iter().map(|c| (literal(&c.endpoint).0, c.in_error_handler)).collect();
    assert_eq!(
        got,
        [
            ("in-try", true),
            ("in-except", false),
            ("try-finally", false),
            ("one-line", true),
            ("after", false)
        ]
    );
}

#[test]
fn double_star_params() {
    let text = r#"
import os
params = {"EndpointName": os.environ["EP"], "ContentType": "application/json"}
other = dict(EndpointName="from-dict", InferenceComponentName="ic")
def handler(event, context):
    sm.invoke_endpoint(**params, Body=event["body"])
    sm.invoke_endpoint(**other)
    sm.invoke_endpoint(**kwargs)
    sm.invoke_endpoint(Body="x")
    p = {}
    p["EndpointName"] = "mutated"
    sm.invoke_endpoint(**p)
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 5);
    assert_eq!(env(&s.calls[0].endpoint).0, "EP");
    assert_eq!(literal(&s.calls[1].endpoint).0, "from-dict");
    assert!(s.calls[1].inference_component);
    assert_eq!(s.calls[2].endpoint, EndpointName::Missing);
    assert_eq!(s.calls[3].endpoint, EndpointName::Missing);
    assert_eq!(literal(&s.calls[4].endpoint).0, "mutated");
}

#[test]
fn explicit_endpoint_url_python() {
    let with = r#"rt = boto3.client("sagemaker-runtime", endpoint_url="https://vpce-123.runtime.sagemaker.us-east-1.vpce.amazonaws.com")"#;
    assert!(py(with).explicit_endpoint_url);
    let session = r"rt = boto3.Session().client(service_name='runtime.sagemaker', endpoint_url=URL)";
    assert!(py(session).explicit_endpoint_url);
    let other = r#"s3 = boto3.client("s3", endpoint_url="http://localhost:4566")"#;
    assert!(!py(other).explicit_endpoint_url);
}

/// The region a file's runtime clients are created for, as a short text: `-` none created,
/// `default`, or the literal or variable named.
fn region(scan: &HandlerScan) -> String {
    match &scan.client_region {
        ClientRegion::NoClient => "-".into(),
        ClientRegion::Default => "default".into(),
        ClientRegion::Named(EndpointName::Literal { value, .. }) => value.clone(),
        ClientRegion::Named(EndpointName::EnvVar { var, .. }) => format!("${var}"),
        ClientRegion::Named(EndpointName::Dynamic { .. }) => "dynamic".into(),
        ClientRegion::Named(EndpointName::Missing) => "missing".into(),
        ClientRegion::Named(EndpointName::Composed { .. }) => "composed".into(),
    }
}

#[test]
fn the_region_a_python_runtime_client_is_created_for() {
    let cases = [
        (r#"rt = boto3.client("sagemaker-runtime", region_name="ap-southeast-1")"#, "ap-southeast-1"),
        (r#"rt = boto3.client("sagemaker-runtime")"#, "default"),
        (r#"rt = boto3.Session(region_name="eu-west-2").client("runtime.sagemaker")"#, "eu-west-2"),
        (
            r#"rt = boto3.session.Session(region_name=event["region"]).client(service_name="sagemaker-runtime")"#,
            "dynamic",
        ),
        ("REGION = \"us-east-2\"\nrt = boto3.client('sagemaker-runtime', region_name=REGION)", "us-east-2"),
        (r#"rt = boto3.client("sagemaker-runtime", region_name=os.environ["AWS_REGION"])"#, "$AWS_REGION"),
        (
            r#"boto3.setup_default_session(region_name="ca-central-1")
rt = boto3.client("sagemaker-runtime")"#,
            "ca-central-1",
        ),
        (
            r#"a = boto3.client("sagemaker-runtime", region_name="us-east-1")
b = boto3.client("sagemaker-runtime", region_name="us-east-1")"#,
            "us-east-1",
        ),
        (
            r#"a = boto3.client("sagemaker-runtime", region_name="us-east-1")
b = boto3.client("sagemaker-runtime")"#,
            "default",
        ),
        (
            r#"a = boto3.client("sagemaker-runtime", region_name="us-east-1")
b = boto3.client("sagemaker-runtime", region_name="us-west-2")"#,
            "default",
        ),
        (r#"sm = boto3.client("sagemaker", region_name="us-east-1")"#, "-"),
        (
            r#"boto3.setup_default_session(region_name="ca-central-1")
rt = boto3.Session().client("sagemaker-runtime")"#,
            "default",
        ),
        (
            r#"rt = boto3.client("sagemaker-runtime", config=Config(region_name="us-east-1", retries={"max_attempts": 2}))"#,
            "us-east-1",
        ),
        (
            r#"rt = boto3.client("sagemaker-runtime", region_name="eu-west-1", config=Config(region_name="us-east-1"))"#,
            "eu-west-1",
        ),
        (
            r#"rt = boto3.client("sagemaker-runtime", config=botocore.config.Config(read_timeout=70))"#,
            "default",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(region(&py(text)), want, "{text}");
    }
}

#[test]
fn the_region_a_javascript_runtime_client_is_created_for() {
    let cases = [
        (r#"const c = new SageMakerRuntimeClient({ region: "us-west-2" });"#, "us-west-2"),
        (r"const c = new SageMakerRuntimeClient({});", "default"),
        (r"const c = new SageMakerRuntimeClient();", "default"),
        (r"const c = new SageMakerRuntimeClient({ region: process.env.MODEL_REGION });", "$MODEL_REGION"),
        (
            r#"AWS.config.update({ region: "eu-central-1" });
const rt = new AWS.SageMakerRuntime();"#,
            "eu-central-1",
        ),
        (
            r#"const rt = new AWS.SageMakerRuntime({ region: "us-east-1" });
const other = new AWS.SageMakerRuntime({ region: "us-east-2" });"#,
            "default",
        ),
        (r#"const s3 = new S3Client({ region: "us-east-1" });"#, "-"),
        (
            r#"AWS.config.update({ region: "eu-central-1" });
const rt = new SageMakerRuntimeClient({});"#,
            "default",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(region(&js(text)), want, "{text}");
    }
}

#[test]
fn sagemaker_sdk_predictor() {
    let text = r#"
from sagemaker.predictor import Predictor
import sagemaker
class MyPredictor(Predictor):
    pass
p = Predictor("sdk-endpoint")
q = sagemaker.predictor.Predictor(endpoint_name=os.environ["PRED_EP"], sagemaker_session=sess)
a = AsyncPredictor(Predictor("async-ep"))
"#;
    let s = py(text);
    assert_eq!(s.calls.len(), 3);
    assert_eq!(literal(&s.calls[0].endpoint).0, "sdk-endpoint");
    assert_eq!(s.calls[0].callee, "Predictor");
    assert_eq!(env(&s.calls[1].endpoint).0, "PRED_EP");
    assert_eq!(s.calls[2].api, InvokeApi::InvokeEndpointAsync);
    assert_eq!(s.calls[2].callee, "AsyncPredictor");
    assert_eq!(literal(&s.calls[2].endpoint).0, "async-ep");
}

#[test]
fn self_attribute_and_local_resolution() {
    let text = r#"
class Model:
    def __init__(self):
        self.endpoint = os.environ.get("MODEL_EP", "fallback")

    def predict(self, body):
        ep = "local-first"
        self.rt.invoke_endpoint(EndpointName=self.endpoint, Body=body)
        self.rt.invoke_endpoint(EndpointName=ep, Body=body)
"#;
    let s = py(text);
    assert_eq!(env(&s.calls[0].endpoint), ("MODEL_EP", env(&s.calls[0].endpoint).1, Some("fallback")));
    assert_eq!(literal(&s.calls[1].endpoint).0, "local-first");
}

#[test]
fn js_v3_env_in_params_object() {
    let text = r#"import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
const client = new SageMakerRuntimeClient({});
export const handler = async (event) => {
  const params = {
    EndpointName: process.env.ENDPOINT_NAME,
    ContentType: "application/json",
    Body: event.body,
  };
  const res = await client.send(new InvokeEndpointCommand(params));
  return res;
};
"#;
    let s = js(text);
    let c = only(&s);
    assert_eq!(c.api, InvokeApi::InvokeEndpoint);
    assert_eq!(at(text, c.span), "InvokeEndpointCommand");
    let (var, span, default) = env(&c.endpoint);
    assert_eq!((var, default), ("ENDPOINT_NAME", None));
    assert_eq!(at(text, span), "process.env.ENDPOINT_NAME");
    assert!(!c.in_error_handler);
    assert!(!s.explicit_endpoint_url);
    assert_eq!(s.env_reads.len(), 1);
}

#[test]
fn js_v3_aliased_import_and_variants() {
    let text = r#"
import { InvokeEndpointCommand as Invoke, InvokeEndpointAsyncCommand, InvokeEndpointWithResponseStreamCommand as Stream } from "@aws-sdk/client-sagemaker-runtime";
const { InvokeEndpointCommand: Legacy } = require("@aws-sdk/client-sagemaker-runtime");
await client.send(new Invoke({ EndpointName: "aliased", Body: "{}" }));
await client.send(new InvokeEndpointAsyncCommand({ "EndpointName": 'async-ep', InputLocation: "s3://x" }));
await client.send(new Stream({ EndpointName: `stream-ep`, InferenceComponentName: "ic" }));
await client.send(new Legacy({ EndpointName: "cjs" }));
"#;
    let s = js(text);
    let got: Vec<(InvokeApi, &str, &str)> =
        s.calls.iter().map(|c| (c.api, c.callee.as_str(), literal(&c.endpoint).0)).collect();
    assert_eq!(
        got,
        [
            (InvokeApi::InvokeEndpoint, "Invoke", "aliased"),
            (InvokeApi::InvokeEndpointAsync, "InvokeEndpointAsyncCommand", "async-ep"),
            (InvokeApi::InvokeEndpointWithResponseStream, "Stream", "stream-ep"),
            (InvokeApi::InvokeEndpoint, "Legacy", "cjs"),
        ]
    );
    assert!(s.calls[2].inference_component);
}

#[test]
fn js_v2_promise_and_catch() {
    let text = r"
const AWS = require('aws-sdk');
const runtime = new AWS.SageMakerRuntime({ region: 'us-east-1', endpoint: 'https://vpce.example' });
exports.handler = async (event) => {
  const params = { EndpointName: 'v2-endpoint', Body: JSON.stringify(event) };
  const data = await runtime.invokeEndpoint(params).promise();
  await runtime
    .invokeEndpoint(params)
    .promise()
    .catch((err) => console.error(err));
  return data;
};
";
    let s = js(text);
    assert_eq!(s.calls.len(), 2);
    assert_eq!(s.calls[0].callee, "invokeEndpoint");
    assert_eq!(literal(&s.calls[0].endpoint).0, "v2-endpoint");
    assert!(!s.calls[0].in_error_handler);
    assert!(s.calls[1].in_error_handler);
    assert!(s.explicit_endpoint_url);
}

#[test]
fn js_destructured_env() {
    let text = r#"
const { ENDPOINT_NAME, OTHER: other = "dflt" } = process.env;
const a = new InvokeEndpointCommand({ EndpointName: ENDPOINT_NAME });
const b = new InvokeEndpointCommand({ EndpointName: other });
"#;
    let s = js(text);
    assert_eq!(s.calls.len(), 2);
    let (var, span, default) = env(&s.calls[0].endpoint);
    assert_eq!((var, default), ("ENDPOINT_NAME", None));
    assert_eq!(at(text, span), "ENDPOINT_NAME");
    let (var, _, default) = env(&s.calls[1].endpoint);
    assert_eq!((var, default), ("OTHER", Some("dflt")));
    let reads: Vec<(&str, bool)> = s.env_reads.iter().map(|r| (r.var.as_str(), r.has_default)).collect();
    assert_eq!(reads, [("ENDPOINT_NAME", false), ("OTHER", true)]);
}

#[test]
fn typescript_annotations() {
    let text = r#"
import type { APIGatewayProxyEvent } from "aws-lambda";
const ENDPOINT: string = process.env["SM_ENDPOINT"] ?? "ts-default";
const cfg = { region: "eu-west-1" } satisfies Config;
export async function handler(event: APIGatewayProxyEvent): Promise<Result> {
  const input: InvokeEndpointCommandInput = {
    EndpointName: ENDPOINT as string,
    Body: event.body!,
  };
  try {
    const out = await client.send(new InvokeEndpointCommand(input));
  } catch (e: unknown) {
    throw e;
  }
  const name = process.env.OTHER!;
  await client.send(new InvokeEndpointCommand({ EndpointName: name }));
  await client.send(new InvokeEndpointCommand({ EndpointName: (event as any).endpoint }));
}
"#;
    let s = js(text);
    assert_eq!(s.calls.len(), 3);
    let (var, span, default) = env(&s.calls[0].endpoint);
    assert_eq!((var, default), ("SM_ENDPOINT", Some("ts-default")));
    assert_eq!(at(text, span), r#"process.env["SM_ENDPOINT"]"#);
    assert!(s.calls[0].in_error_handler);
    assert_eq!(env(&s.calls[1].endpoint).0, "OTHER");
    assert!(!s.calls[1].in_error_handler);
    assert!(dynamic(&s.calls[2].endpoint).starts_with("built from the request"));
    assert!(s.env_reads.iter().any(|r| r.var == "SM_ENDPOINT" && r.has_default));
}

#[test]
fn js_catch_on_send_of_declared_command() {
    let text = r#"
const cmd = new InvokeEndpointCommand({ EndpointName: "c" });
client.send(cmd).catch(handle);
const cmd2 = new InvokeEndpointCommand({ EndpointName: "d" });
await client.send(cmd2);
client.send(new InvokeEndpointCommand({ EndpointName: "e" })).then(ok).catch(bad);
"#;
    let s = js(text);
    let got: Vec<bool> = s.calls.iter().map(|c| c.in_error_handler).collect();
    assert_eq!(got, [true, false, true]);
}

#[test]
fn js_template_literals() {
    let text = r#"
const a = new InvokeEndpointCommand({ EndpointName: `${process.env.EP}` });
const b = new InvokeEndpointCommand({ EndpointName: `${NAME}` });
const NAME = "named";
const c = new InvokeEndpointCommand({ EndpointName: `prefix-${process.env.STAGE}` });
const d = new InvokeEndpointCommand({ EndpointName: `${process.env.EP2 ?? "dd"}` });
"#;
    let s = js(text);
    assert_eq!(s.calls.len(), 4);
    let (var, span, _) = env(&s.calls[0].endpoint);
    assert_eq!(var, "EP");
    assert_eq!(at(text, span), "process.env.EP");
    assert_eq!(literal(&s.calls[1].endpoint).0, "named");
    // Text and an environment read: a name the function's environment completes.
    assert!(
        matches!(&s.calls[2].endpoint, EndpointName::Composed { parts, .. }
            if matches!(parts.as_slice(), [NamePart::Lit(p), NamePart::Env { var, .. }] if p == "prefix-" && var == "STAGE")),
        "{:?}",
        s.calls[2].endpoint
    );
    assert_eq!(env(&s.calls[3].endpoint).2, Some("dd"));
    let vars: Vec<&str> = s.env_reads.iter().map(|r| r.var.as_str()).collect();
    assert_eq!(vars, ["EP", "STAGE", "EP2"]);
}

#[test]
fn js_shorthand_spread_and_missing() {
    let text = r#"
const EndpointName = process.env.EP || "fallback";
const base = { ContentType: "application/json" };
const withName = { ...base, EndpointName: "spread-ok" };
async function main(extra) {
  await client.send(new InvokeEndpointCommand({ EndpointName, Body: "x" }));
  await client.send(new InvokeEndpointCommand({ ...withName }));
  await client.send(new InvokeEndpointCommand({ ...extra, Body: "x" }));
  await client.send(new InvokeEndpointCommand(unknownParams));
  const p = {};
  p.EndpointName = "assigned-later";
  await client.send(new InvokeEndpointCommand(p));
}
"#;
    let s = js(text);
    assert_eq!(s.calls.len(), 5);
    assert_eq!(env(&s.calls[0].endpoint), ("EP", env(&s.calls[0].endpoint).1, Some("fallback")));
    assert_eq!(literal(&s.calls[1].endpoint).0, "spread-ok");
    assert_eq!(s.calls[2].endpoint, EndpointName::Missing);
    assert_eq!(s.calls[3].endpoint, EndpointName::Missing);
    assert_eq!(literal(&s.calls[4].endpoint).0, "assigned-later");
}

#[test]
fn js_request_and_comments() {
    let text = r#"
// client.send(new InvokeEndpointCommand({ EndpointName: "commented" }));
/* runtime.invokeEndpoint({ EndpointName: "block" }) */
const s = "new InvokeEndpointCommand({})";
const re = /invokeEndpoint\(/g;
export const handler = async (event) => {
  const body = JSON.parse(event.body);
  const { endpoint } = body;
  await client.send(new InvokeEndpointCommand({ EndpointName: body.endpoint }));
  await client.send(new InvokeEndpointCommand({ EndpointName: endpoint }));
  await client.send(new InvokeEndpointCommand({ EndpointName: event.queryStringParameters.ep }));
};
"#;
    let s = js(text);
    assert_eq!(s.calls.len(), 3);
    for c in &s.calls {
        assert!(dynamic(&c.endpoint).starts_with("built from the request"), "{:?}", c.endpoint);
    }
}

#[test]
fn js_explicit_endpoint_v3() {
    let text = "const client = new SageMakerRuntimeClient({ region, endpoint: process.env.VPCE_URL });";
    assert!(js(text).explicit_endpoint_url);
    let cfg = "const c = { endpoint }; const client = new SageMakerRuntimeClient(c);";
    assert!(js(cfg).explicit_endpoint_url);
    assert!(!js("const client = new SageMakerRuntimeClient({ region });").explicit_endpoint_url);
}

#[test]
fn js_try_catch_block() {
    let text = r#"
async function handler(event) {
  try {
    return await runtime.invokeEndpoint({ EndpointName: "t" }).promise();
  } catch (err) {
    await runtime.invokeEndpoint({ EndpointName: "in-catch" }).promise();
  }
  try { await client.send(new InvokeEndpointCommand({ EndpointName: "tf" })); } finally { done(); }
}
"#;
    let s = js(text);
    let got: Vec<bool> = s.calls.iter().map(|c| c.in_error_handler).collect();
    assert_eq!(got, [true, false, false]);
}

#[test]
fn never_panics() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "ab_(){}[]'\"`$#/\\*\n\t =.:,;+?!|xyz0é€\u{0}r f".chars().collect();
    for round in 0..400 {
        let mut s = String::new();
        for _ in 0..(round % 97 + 1) * 3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let _ = py(&s);
        let _ = js(&s);
        let with_call = format!("x.invoke_endpoint(EndpointName={s}\nnew InvokeEndpointCommand({s}");
        let _ = py(&with_call);
        let _ = js(&with_call);
    }
    for text in [
        "x = 'unterminated\nsm.invoke_endpoint(EndpointName='ok')",
        "x = \"\"\"never closed sm.invoke_endpoint(EndpointName='no')",
        "f\"{",
        "f'{x!r:{'",
        "`${`${`${",
        "const a = `abc",
        "/* open",
        "const re = /[/",
        "\\",
        "'\\",
        "`\\",
        "process.env[",
        "os.environ[",
        "sm.invoke_endpoint(**",
        "sm.invoke_endpoint(EndpointName=",
        "new InvokeEndpointCommand({ EndpointName: ",
        ")))]]]}}}(((",
        "A = B\nB = A\nsm.invoke_endpoint(EndpointName=A)",
        "const A = B; const B = A; new InvokeEndpointCommand({ EndpointName: A });",
        "p = dict(**p)\nsm.invoke_endpoint(**p)",
        "const p = { ...p }; new InvokeEndpointCommand(p);",
    ] {
        let _ = py(text);
        let _ = js(text);
    }
    let s = py("x = 'unterminated\nsm.invoke_endpoint(EndpointName='ok')");
    assert_eq!(literal(&only(&s).endpoint).0, "ok");
    let cyclic = py("A = B\nB = A\nsm.invoke_endpoint(EndpointName=A)");
    assert!(matches!(only(&cyclic).endpoint, EndpointName::Dynamic { .. }));
}

#[test]
fn large_input_is_linear_enough() {
    let mut text = String::from("import os\nEP = os.environ['EP']\n");
    for i in 0..20_000 {
        let _ = write!(text, "def f{i}(event):\n    x = EP\n    return sm.invoke_endpoint(EndpointName=x)\n");
    }
    let s = py(&text);
    assert_eq!(s.calls.len(), 20_000);
    assert!(s.calls.iter().all(|c| matches!(&c.endpoint, EndpointName::EnvVar { var, .. } if var == "EP")));
    let nested = "(".repeat(200_000) + &"[".repeat(100_000) + &"`${".repeat(50_000);
    let _ = py(&nested);
    let _ = js(&nested);
}

#[test]
fn async_input_location_literal_env_or_dynamic() {
    let text = r#"
import os
BUCKET_URI = "s3://in-bucket/requests/payload.json"
sm.invoke_endpoint_async(EndpointName="a", InputLocation=BUCKET_URI)
sm.invoke_endpoint_async(EndpointName="a", InputLocation=os.environ["INPUT_URI"])
def handler(event, context):
    key = event["key"]
    sm.invoke_endpoint_async(EndpointName="a", InputLocation=f"s3://in-bucket/{key}")
    sm.invoke_endpoint_async(EndpointName="a", Body=b"{}")
    sm.invoke_endpoint(EndpointName="a", InputLocation="s3://ignored/for/sync")
"#;
    let s = py(text);
    let inputs: Vec<Option<&EndpointName>> = s.calls.iter().map(|c| c.input_location.as_ref()).collect();
    assert_eq!(inputs.len(), 5);
    let (value, span) = literal(inputs[0].unwrap());
    assert_eq!(value, "s3://in-bucket/requests/payload.json");
    assert_eq!(at(text, span), "\"s3://in-bucket/requests/payload.json\"");
    assert!(matches!(inputs[1], Some(EndpointName::EnvVar { var, .. }) if var == "INPUT_URI"));
    assert!(matches!(inputs[2], Some(EndpointName::Dynamic { .. })), "{:?}", inputs[2]);
    assert_eq!(inputs[3], None);
    assert_eq!(inputs[4], None);

    let js_text = r#"
await client.send(new InvokeEndpointAsyncCommand({ EndpointName: "a", InputLocation: process.env.INPUT_URI }));
await client.send(new InvokeEndpointAsyncCommand({ EndpointName: "a", InputLocation: "s3://in-bucket/x.json" }));
"#;
    let s = js(js_text);
    assert!(
        matches!(&s.calls[0].input_location, Some(EndpointName::EnvVar { var, .. }) if var == "INPUT_URI")
    );
    assert_eq!(literal(s.calls[1].input_location.as_ref().unwrap()).0, "s3://in-bucket/x.json");
}

#[test]
fn a_call_knows_the_top_level_definition_whose_callers_make_it_run() {
    let text = "import boto3\nrt = boto3.client(\"sagemaker-runtime\")\nrt.invoke_endpoint(EndpointName=\"boot\", Body=b\"\")\n\n\nclass Scorer:\n    def score(self, body):\n        def inner():\n            return rt.invoke_endpoint(EndpointName=\"a\", Body=body)\n        return inner()\n\n\n@app.post(\"/predict\")\ndef predict():\n    return rt.invoke_endpoint(EndpointName=\"b\", Body=b\"\")\n";
    let s = py(text);
    let through: Vec<Option<&str>> = s.calls.iter().map(|c| c.reached_through.as_deref()).collect();
    // Module level runs on import; a nested function runs only through its top-level class; a
    // decorated function may run with its name written nowhere else.
    assert_eq!(through, [None, Some("Scorer"), None]);
    let defs: Vec<(&str, &str, bool)> =
        s.top_level.iter().map(|d| (d.name.as_str(), at(text, d.span), d.decorated)).collect();
    assert_eq!(defs.len(), 2, "{defs:?}");
    assert_eq!((defs[0].0, defs[0].2), ("Scorer", false));
    assert!(defs[0].1.starts_with("class Scorer:") && defs[0].1.ends_with("return inner()"), "{defs:?}");
    assert_eq!((defs[1].0, defs[1].2), ("predict", true));
    let text = "const { SageMakerRuntimeClient, InvokeEndpointCommand } = require('@aws-sdk/client-sagemaker-runtime');\nconst client = new SageMakerRuntimeClient({});\nexports.predict = async (body) => {\n  return client.send(new InvokeEndpointCommand({ EndpointName: 'a', Body: body }));\n};\napp.post('/x', async (req) => client.send(new InvokeEndpointCommand({ EndpointName: 'b', Body: req.body })));\n";
    let s = js(text);
    let through: Vec<Option<&str>> = s.calls.iter().map(|c| c.reached_through.as_deref()).collect();
    assert_eq!(through, [Some("predict"), None]);
    assert!(
        s.top_level.iter().any(|d| d.name == "predict" && at(text, d.span).starts_with("predict = async"))
    );
}

#[test]
fn a_request_value_rewritten_by_the_code_is_still_from_the_request() {
    let text = "exports.handler = async (event) => {\n  const body = JSON.parse(event.body);\n  let endpoint = body.endpoint;\n  endpoint = endpoint.replace(/ /g, '');\n  return client.send(new InvokeEndpointCommand({ EndpointName: endpoint, Body: body.data }));\n};\n";
    let s = js(text);
    assert!(
        matches!(&s.calls[0].endpoint, EndpointName::Dynamic { from_request: true, why, .. } if why.contains("body.endpoint")),
        "{:?}",
        s.calls[0].endpoint
    );
    let text = "def handler(event, context):\n    name = event['endpoint']\n    name = name.strip()\n    return rt.invoke_endpoint(EndpointName=name, Body=b'')\n";
    let s = py(text);
    assert!(
        matches!(&s.calls[0].endpoint, EndpointName::Dynamic { from_request: true, .. }),
        "{:?}",
        s.calls[0].endpoint
    );
    // Two values, neither from the request: still "assigned different values".
    let text = "def handler(event, context):\n    name = 'a'\n    if event:\n        name = 'b'\n    return rt.invoke_endpoint(EndpointName=name, Body=b'')\n";
    assert_eq!(dynamic(&py(text).calls[0].endpoint), "`name`, which is assigned different values");
}

#[test]
fn a_regex_inside_a_template_substitution_does_not_hide_the_code_after_it() {
    let call = "exports.handler = async (e) => client.send(new InvokeEndpointCommand({ EndpointName: 'churn', Body: e.body }));\n";
    // The CSV idiom (also in the AWS SDK's own bundled code): the regex's quote opens no string.
    let quoted = format!("const csv = (v) => `\"${{String(v).replace(/\"/g, '\"\"')}}\"`;\n{call}");
    assert_eq!(literal(&js(&quoted).calls[0].endpoint).0, "churn");
    let keyword = format!("const f = (v) => `${{(() => {{ return /'/.test(v) }})()}}`;\n{call}");
    assert_eq!(literal(&js(&keyword).calls[0].endpoint).0, "churn");
    // A division is not a regex: the quote after it is a string's.
    let division = format!("const r = `${{total / count}}`; const s = \"a/b\";\n{call}");
    assert_eq!(literal(&js(&division).calls[0].endpoint).0, "churn");
    let after_call = format!("const r = `${{f(x) / 2}}`, t = '/';\n{call}");
    assert_eq!(literal(&js(&after_call).calls[0].endpoint).0, "churn");
}

#[test]
fn a_python_312_f_string_reusing_its_quote_does_not_hide_the_code_after_it() {
    let call =
        "def handler(event, context):\n    return rt.invoke_endpoint(EndpointName='churn', Body=b'')\n";
    // PEP 701 (Python 3.12): a replacement field may reuse the f-string's own quote.
    let text = format!("label = f\"{{event[\"name\"]}}: {{\", \".join(items)}}\"\n{call}");
    assert_eq!(literal(&py(&text).calls[0].endpoint).0, "churn");
    let nested = format!("msg = f'{{f'{{x['k']}}'}}'\n{call}");
    assert_eq!(literal(&py(&nested).calls[0].endpoint).0, "churn");
}

#[test]
fn a_methods_calls_inside_try_protect_its_invoke() {
    let text = "class Scorer:\n    def score(self, body):\n        return rt.invoke_endpoint(EndpointName='a', Body=body)\n\n\ndef handler(event, context):\n    try:\n        return Scorer().score(event['body'])\n    except Exception:\n        return {'statusCode': 502}\n";
    assert!(py(text).calls[0].in_error_handler);
    // One call outside a try leaves the method's errors unhandled.
    let text = text.replace("        return {'statusCode': 502}\n", "        return {'statusCode': 502}\n\n\ndef other(event, context):\n    return Scorer().score(event['body'])\n");
    assert!(!py(&text).calls[0].in_error_handler);
}

#[test]
fn a_javascript_catch_that_rethrows_what_it_caught_handles_nothing() {
    let call = "await client.send(new InvokeEndpointCommand({ EndpointName: 'a', Body: b }))";
    let handled = |catch_body: &str| {
        let text = format!(
            "exports.handler = async (b) => {{\n  try {{\n    return {call};\n  }} catch (err) {{ {catch_body} }}\n}};\n"
        );
        js(&text).calls[0].in_error_handler
    };
    assert!(!handled("console.error(err); throw err;"));
    assert!(!handled("throw err"));
    assert!(handled("return { statusCode: 502 };"));
    assert!(handled("if (err.name === 'ThrottlingException') throw err; return { statusCode: 502 };"));
    assert!(handled("if (retryable(err)) throw err;"), "a conditional throw handles the other errors");
    assert!(handled("throw new HttpError(502, err.message);"), "a new error may be the framework's answer");
}
