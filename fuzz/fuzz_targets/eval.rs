//! `sagelint eval`: the command line parsed by clap, the policy file loaded, the request decided
//! and the deciding statements rendered. Only panics matter; the outcome is ignored.
//!
//! Input: a selector byte, then policy text, action, resource and any number of `--context
//! KEY=VALUE` values, separated by NUL bytes. Selector bit 0 writes the policy as YAML; bits 1 and 2
//! pass the same file as `--boundary` and `--scp` too.
#![no_main]

mod scratch;

use clap::Parser as _;
use libfuzzer_sys::fuzz_target;
use sagelint::cli::Cli;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut parts = text.split('\0');
    let policy = parts.next().unwrap_or_default();
    let action = parts.next().unwrap_or("sagemaker:InvokeEndpoint");
    let resource = parts.next().unwrap_or("arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn");
    let dir = scratch::fresh("eval");
    let name = if which & 1 == 0 { "policy.json" } else { "policy.yaml" };
    let path = scratch::write(dir, name, policy.as_bytes()).expect("write the policy");
    let path = path.to_str().expect("a UTF-8 temp path");
    // `--flag=value`, so values that start with `-` stay values.
    let mut args = vec![
        "sagelint".to_owned(),
        "eval".to_owned(),
        "--color=never".to_owned(),
        format!("--policy={path}"),
        format!("--action={action}"),
        format!("--resource={resource}"),
    ];
    if which & 2 != 0 {
        args.push(format!("--boundary={path}"));
    }
    if which & 4 != 0 {
        args.push(format!("--scp={path}"));
    }
    args.extend(parts.map(|c| format!("--context={c}")));
    let Ok(cli) = Cli::try_parse_from(args) else { return };
    let _ = sagelint::cli::run(cli);
});
