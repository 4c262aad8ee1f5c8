//! The policy parser and evaluator: a JSON document as identity policy, boundary and SCP, decided
//! for an InvokeEndpoint request. Malformed documents must come back as problems, not panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagelint::iam::{Context, Inputs, NamedPolicy, Request, decide, parse_policy};
use sagelint::formats::literal_value;
use sagelint::span::FileId;
use sagelint::syntax::json::parse_json;
use sagelint::value::{Pseudo, SymStr};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(root) = parse_json(text).root else { return };
    let (doc, _problems) = parse_policy(&literal_value(&root), FileId(0));
    let named = || vec![NamedPolicy { name: "fuzz".into(), doc: &doc }];
    let mut resource = SymStr::lit("arn:aws:sagemaker:");
    resource.push_pseudo(Pseudo::Region);
    resource.push_str(":123456789012:endpoint/churn-model");
    let context = Context::default().with_value("aws:SecureTransport", "true").with_absent("aws:CalledVia");
    let request = Request { action: "sagemaker:InvokeEndpoint".into(), resource, context };
    let _ = decide(&request, &Inputs { identity: named(), boundary: Some(named()), scps: named() });
});
