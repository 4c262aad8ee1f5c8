//! The one linker: a function's calls (from its handler code) ↔ its environment ↔ the endpoints the
//! deployment defines. Every format builder evaluates its environment values into [`EnvVar`]s in
//! its own terms (a template's `!GetAtt`, Terraform's `aws_sagemaker_endpoint.x.name`) and leaves
//! what they mean for a call to this module, so a rule such as "an environment literal equal to a
//! defined endpoint's name means the function calls it" holds for every format alike. A function's
//! role setting is tied to a role the same way (`role.rs`).

mod role;

pub use role::{RoleSetting, role_named, tie_role};

use crate::code::{ClientRegion, EndpointName, NamePart};
use crate::iam::policy::{ActionList, Effect};
use crate::model::{Call, Endpoint, InvokeApi, Role, Target};
use crate::span::{Loc, Span};
use crate::value::{SymStr, Value};

/// One environment variable of a function, evaluated by its format.
#[derive(Clone, Debug)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
    /// Where the value is written.
    pub loc: Loc,
}

/// What an environment variable's value is.
#[derive(Clone, Debug)]
pub enum EnvValue {
    /// A reference to a defined endpoint's name or ARN: the target it makes.
    Endpoint(Target),
    /// A string known statically, possibly with unknown parts; `origins` says where those come
    /// from when that is more than the symbols say (empty otherwise).
    Text { text: SymStr, origins: String },
    /// A value that cannot be known statically: why.
    Unknown(String),
}

impl EnvValue {
    /// A value the format evaluated; `origins` explains the unknown parts of a string.
    #[must_use]
    pub fn evaluated(value: &Value, origins: impl FnOnce(&SymStr) -> String) -> Self {
        match value.as_symstr() {
            Some(text) => {
                let origins = if text.is_literal() { String::new() } else { origins(&text) };
                Self::Text { text, origins }
            }
            None => Self::Unknown(value.unknown_reason().unwrap_or("not a string").to_owned()),
        }
    }
}

/// A function's environment: its variables, or why the set of variables cannot be read (a
/// computed map), which is not the same as having none.
pub type Environment = Result<Vec<EnvVar>, String>;

/// The target of a call's endpoint name, and where the environment variable that gives it is
/// set. `remap` places a span of the code that names the endpoint.
pub fn call_target(
    name: &EndpointName,
    env: &Environment,
    remap: impl Fn(Span) -> Loc,
) -> (Target, Option<Loc>) {
    match name {
        EndpointName::Literal { value, span } => (literal_target(value, remap(*span)), None),
        EndpointName::EnvVar { var, span, default } => {
            let vars = match env {
                Ok(vars) => vars,
                Err(why) => {
                    let why = format!("environment variable {var} cannot be read: {why}");
                    return (Target::Unknown { why, loc: remap(*span) }, None);
                }
            };
            let Some(set) = vars.iter().find(|v| v.name == *var) else {
                return match default {
                    Some(d) => (literal_target(d, remap(*span)), None),
                    None => (Target::MissingEnv { var: var.clone(), loc: remap(*span) }, None),
                };
            };
            let loc = set.loc;
            let target = match &set.value {
                EnvValue::Endpoint(target) => target.clone(),
                EnvValue::Text { text, .. } if text.is_literal() => {
                    literal_target(text.as_literal().unwrap_or(""), loc)
                }
                EnvValue::Text { text, origins } => Target::Symbolic {
                    why: format!(
                        "environment variable {var} is {text}, which is not known statically{origins}"
                    ),
                    name: text.clone(),
                    loc,
                },
                EnvValue::Unknown(reason) => Target::Unknown {
                    why: format!("environment variable {var} cannot be known statically ({reason})"),
                    loc,
                },
            };
            (target, Some(loc))
        }
        EndpointName::Dynamic { span, why, .. } => {
            (Target::Unknown { why: format!("the endpoint name is {why}"), loc: remap(*span) }, None)
        }
        EndpointName::Missing => (
            Target::Unknown {
                why: "the call passes no EndpointName that can be read".into(),
                loc: remap(Span::default()),
            },
            None,
        ),
        EndpointName::Composed { parts, span } => composed_target(parts, remap(*span), env, remap),
    }
}

/// The target of a name the code builds from literal pieces and environment reads: each read
/// takes the function's value (or the code's fallback), and the pieces join into a name, literal
/// or symbolic. A read the function does not define, with no fallback, is the missing variable.
fn composed_target(
    parts: &[NamePart],
    loc: Loc,
    env: &Environment,
    remap: impl Fn(Span) -> Loc,
) -> (Target, Option<Loc>) {
    // A piece that cannot be known (a request field): the name is unknown, but a read of a
    // variable the function does not set fails before the call, whatever the request holds.
    if let Some((why, span)) = parts.iter().find_map(|p| match p {
        NamePart::Unknown { why, span } => Some((why, *span)),
        _ => None,
    }) {
        let missing = parts.iter().find_map(|p| match (p, env) {
            (NamePart::Env { var, span, default: None }, Ok(vars))
                if !vars.iter().any(|v| v.name == *var) =>
            {
                Some(Target::MissingEnv { var: var.clone(), loc: remap(*span) })
            }
            _ => None,
        });
        let unknown = || Target::Unknown { why: format!("the endpoint name is {why}"), loc: remap(span) };
        return (missing.unwrap_or_else(unknown), None);
    }
    let mut name = SymStr::default();
    let mut env_loc = None;
    for part in parts {
        let (var, span, default) = match part {
            NamePart::Lit(text) => {
                name.push_str(text);
                continue;
            }
            NamePart::Env { var, span, default } => (var, *span, default),
            NamePart::Unknown { .. } => continue,
        };
        let vars = match env {
            Ok(vars) => vars,
            Err(why) => {
                let why = format!("environment variable {var} cannot be read: {why}");
                return (Target::Unknown { why, loc: remap(span) }, None);
            }
        };
        match (vars.iter().find(|v| v.name == *var), default) {
            (Some(set), _) => {
                env_loc.get_or_insert(set.loc);
                match &set.value {
                    EnvValue::Text { text, .. } => name.append(text),
                    EnvValue::Endpoint(_) | EnvValue::Unknown(_) => {
                        let why = format!(
                            "the endpoint name is built from environment variable {var}, which cannot be known statically"
                        );
                        return (Target::Unknown { why, loc: set.loc }, Some(set.loc));
                    }
                }
            }
            (None, Some(d)) => name.push_str(d),
            (None, None) => return (Target::MissingEnv { var: var.clone(), loc: remap(span) }, None),
        }
    }
    let target = match name.as_literal() {
        Some(text) => literal_target(text, loc),
        None => Target::Symbolic {
            why: format!("the endpoint name is {name}, which is not known statically"),
            name,
            loc,
        },
    };
    (target, env_loc)
}

/// The region a function's code creates its runtime client for (`RuntimeClients::region`), as
/// its calls would send to it: a literal, or a symbol of the deployment
/// (`REGION: !Ref AWS::Region`). `None` when the SDK's default applies: a read of `AWS_REGION` or
/// `AWS_DEFAULT_REGION`, which Lambda reserves and sets to the function's region
/// (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime>),
/// or a value that cannot be known, which the checks do not guess.
pub fn client_region(
    region: &ClientRegion,
    env: &Environment,
    remap: impl Fn(Span) -> Loc,
) -> Option<(SymStr, Loc)> {
    let ClientRegion::Named(region) = region else { return None };
    if let EndpointName::EnvVar { var, .. } = region
        && matches!(var.as_str(), "AWS_REGION" | "AWS_DEFAULT_REGION")
    {
        return None;
    }
    match call_target(region, env, remap).0 {
        Target::Name { name, loc } => Some((SymStr::lit(&name), loc)),
        Target::Symbolic { name, loc, .. } => Some((name, loc)),
        _ => None,
    }
}

/// One region for a function whose code is several files: the region the files that create a
/// runtime client agree on (`regions` has theirs); `None` when one names none or two name
/// different ones.
#[must_use]
pub fn agreed_region(regions: &[Option<(SymStr, Loc)>]) -> Option<(SymStr, Loc)> {
    let (first, rest) = regions.split_first()?;
    let (region, loc) = first.as_ref()?;
    rest.iter().all(|r| r.as_ref().is_some_and(|(other, _)| other == region)).then(|| (region.clone(), *loc))
}

/// The defined endpoint an environment value stands for: a reference to it, or a literal equal to
/// its literal name. `defined` are the indices (into `endpoints`) of the endpoints the value may
/// name: those of the same template or module.
#[must_use]
pub fn endpoint_of(
    var: &EnvVar,
    endpoints: &[Endpoint],
    defined: impl IntoIterator<Item = usize>,
) -> Option<Target> {
    match &var.value {
        EnvValue::Endpoint(target) => Some(target.clone()),
        EnvValue::Text { text, .. } => {
            let text = text.as_literal()?;
            let index = defined.into_iter().find(|&i| {
                endpoints.get(i).and_then(|e| e.name.as_ref()).and_then(SymStr::as_literal) == Some(text)
            })?;
            Some(Target::Endpoint { index, loc: var.loc })
        }
        EnvValue::Unknown(_) => None,
    }
}

/// The calls a function whose code could not be read is taken to make: one per environment value
/// that names a defined endpoint (by reference, or by a literal equal to its name), and one per
/// literal endpoint name or ARN in a variable named for an endpoint (`ENDPOINT_NAME: churn-scorer`),
/// which is then checked like a name written in code — the environment is how the code would
/// learn the endpoint.
#[must_use]
pub fn calls_from_environment(
    env: &Environment,
    endpoints: &[Endpoint],
    defined: impl Fn() -> Vec<usize>,
) -> Vec<Call> {
    let Ok(vars) = env else { return Vec::new() };
    vars.iter()
        .filter_map(|var| {
            let target = endpoint_of(var, endpoints, defined()).or_else(|| named_endpoint(var))?;
            Some(Call {
                api: InvokeApi::InvokeEndpoint,
                site: var.loc,
                target,
                env_loc: Some(var.loc),
                handled: None,
                input_location: None,
            })
        })
        .collect()
}

/// The endpoint a variable named for one gives literally: a valid endpoint name, or an endpoint
/// ARN. Other literals (a URL, a host, `none`) say nothing about which endpoint is called.
fn named_endpoint(var: &EnvVar) -> Option<Target> {
    let EnvValue::Text { text, .. } = &var.value else { return None };
    let text = text.as_literal()?;
    let is_endpoint_arn =
        text.starts_with("arn:") && text.contains(":sagemaker:") && text.contains(":endpoint/");
    (names_endpoint(&var.name) && (is_endpoint_arn || is_endpoint_name(text)))
        .then(|| literal_target(text, var.loc))
}

/// SageMaker's endpoint name pattern, `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`
/// (<https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html>).
fn is_endpoint_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// True when an environment variable's name says it holds a SageMaker endpoint (`ENDPOINT_NAME`,
/// `SAGEMAKER_ENDPOINT`, `CHURN_MODEL_ENDPOINT`): a word with `ENDPOINT` in it, and none naming a
/// URL or another service whose endpoints are configured the same way (`DYNAMODB_ENDPOINT`,
/// `AWS_ENDPOINT_URL_S3`, `OPENSEARCH_ENDPOINT`).
#[must_use]
pub fn names_endpoint(var: &str) -> bool {
    const OTHERS: [&str; 40] = [
        "URL",
        "URI",
        "HOST",
        "HOSTNAME",
        "PORT",
        "ADDRESS",
        "ADDR",
        "HTTP",
        "HTTPS",
        "API",
        "APIGW",
        "GATEWAY",
        "GRAPHQL",
        "APPSYNC",
        "WEBHOOK",
        "DYNAMODB",
        "DYNAMO",
        "DDB",
        "S3",
        "SQS",
        "SNS",
        "SES",
        "SMTP",
        "STS",
        "RDS",
        "DB",
        "DATABASE",
        "AURORA",
        "REDIS",
        "CACHE",
        "ELASTICACHE",
        "OPENSEARCH",
        "ELASTICSEARCH",
        "ES",
        "KINESIS",
        "KAFKA",
        "BEDROCK",
        "VPC",
        "IOT",
        "EVENTS",
    ];
    let upper = var.to_ascii_uppercase();
    let words: Vec<&str> =
        upper.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| w.contains("ENDPOINT")) && !words.iter().any(|w| OTHERS.contains(w))
}

/// Where a function's environment hands it an endpoint: the first variable named for one, or
/// whose value names a defined endpoint. A function with such a variable may call SageMaker even
/// when its code cannot be read.
#[must_use]
pub fn endpoint_passed(
    env: &Environment,
    endpoints: &[Endpoint],
    defined: impl Fn() -> Vec<usize>,
) -> Option<Loc> {
    let vars = env.as_ref().ok()?;
    let var =
        vars.iter().find(|v| names_endpoint(&v.name) || endpoint_of(v, endpoints, defined()).is_some())?;
    Some(var.loc)
}

/// The first action pattern a role allows that covers invoking a SageMaker endpoint
/// (`sagemaker:InvokeEndpoint`, `sagemaker:Invoke*`), as written: such a role is a sign the
/// function calls SageMaker. `*` alone is not: it grants everything to functions of every kind.
#[must_use]
pub fn invoke_grant(role: &Role) -> Option<String> {
    const INVOKE: [&str; 3] = [
        "sagemaker:InvokeEndpoint",
        "sagemaker:InvokeEndpointAsync",
        "sagemaker:InvokeEndpointWithResponseStream",
    ];
    role.policies.iter().flat_map(|p| &p.doc.statements).find_map(|st| {
        let (Effect::Allow, ActionList::Action(actions)) = (&st.effect, &st.actions) else { return None };
        actions.iter().find_map(|a| {
            let pattern = a.value.as_literal()?;
            let sagemaker = pattern.get(..10).is_some_and(|p| p.eq_ignore_ascii_case("sagemaker:"));
            (sagemaker && INVOKE.iter().any(|action| crate::iam::pattern::action_matches(pattern, action)))
                .then(|| pattern.to_owned())
        })
    })
}

/// A name as written: an ARN when it is one.
#[must_use]
pub fn literal_target(name: &str, loc: Loc) -> Target {
    if name.starts_with("arn:") {
        Target::Arn { text: name.to_owned(), loc }
    } else {
        Target::Name { name: name.to_owned(), loc }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::SymbolOrigin;

    fn loc(at: u32) -> Loc {
        Loc::new(crate::span::FileId(0), Span::new(at, at + 1))
    }

    fn endpoint(name: &str) -> Endpoint {
        Endpoint {
            id: name.into(),
            name: Some(SymStr::lit(name)),
            name_loc: None,
            loc: loc(0),
            async_config: None,
        }
    }

    fn var(name: &str, value: EnvValue) -> EnvVar {
        EnvVar { name: name.into(), value, loc: loc(7) }
    }

    fn text(s: &str) -> EnvValue {
        EnvValue::Text { text: SymStr::lit(s), origins: String::new() }
    }

    fn env_read(var: &str) -> EndpointName {
        EndpointName::EnvVar { var: var.into(), span: Span::new(3, 4), default: None }
    }

    #[test]
    fn a_literal_equal_to_a_defined_endpoints_name_is_a_call_to_it() {
        let endpoints = [endpoint("other"), endpoint("churn-scorer")];
        let env = Ok(vec![var("STAGE", text("prod")), var("MODEL_ENDPOINT", text("churn-scorer"))]);
        let calls = calls_from_environment(&env, &endpoints, || vec![0, 1]);
        assert_eq!(calls.len(), 1);
        assert!(matches!(calls[0].target, Target::Endpoint { index: 1, .. }));
        assert_eq!((calls[0].site, calls[0].env_loc), (loc(7), Some(loc(7))));
        // Only the endpoints the value may name count (those of its own template or module); an
        // endpoint of another stack leaves a call by name, which the rules check across stacks.
        let by_name = calls_from_environment(&env, &endpoints, || vec![0]);
        assert!(
            matches!(by_name.as_slice(), [Call { target: Target::Name { name, .. }, .. }] if name == "churn-scorer")
        );
        let env = Ok(vec![var("STAGE", text("churn-scorer"))]);
        assert!(calls_from_environment(&env, &endpoints, || vec![0]).is_empty());
    }

    #[test]
    fn a_literal_endpoint_name_in_a_variable_named_for_one_is_an_assumed_call_to_that_name() {
        let env = Ok(vec![
            var("MODEL_ENDPOINT", text("churn-scorrer")),
            var("SAGEMAKER_ENDPOINT", text("arn:aws:sagemaker:eu-west-1:123456789012:endpoint/fraud")),
            var("DYNAMODB_ENDPOINT", text("orders-local")),
            var("AWS_ENDPOINT_URL_SAGEMAKER", text("localhost")),
            var("ENDPOINT_NAME", text("https://runtime.sagemaker.eu-west-1.amazonaws.com")),
            var("STAGE", text("prod")),
        ]);
        let calls = calls_from_environment(&env, &[endpoint("churn-scorer")], || vec![0]);
        let targets: Vec<&Target> = calls.iter().map(|c| &c.target).collect();
        assert!(
            matches!(targets.as_slice(), [Target::Name { name, .. }, Target::Arn { .. }] if name == "churn-scorrer"),
            "{targets:?}"
        );
    }

    #[test]
    fn variable_names_that_say_sagemaker_endpoint() {
        for name in
            ["ENDPOINT_NAME", "SAGEMAKER_ENDPOINT", "MODEL_ENDPOINT", "churn_endpoint_name", "ENDPOINT"]
        {
            assert!(names_endpoint(name), "{name}");
        }
        for name in
            ["DYNAMODB_ENDPOINT", "AWS_ENDPOINT_URL_S3", "OPENSEARCH_ENDPOINT", "API_ENDPOINT", "MODEL"]
        {
            assert!(!names_endpoint(name), "{name}");
        }
    }

    #[test]
    fn an_unreadable_environment_makes_no_assumed_call_and_an_unknown_target() {
        let env: Environment = Err("the environment block is dynamic".into());
        assert!(calls_from_environment(&env, &[endpoint("e")], || vec![0]).is_empty());
        let (target, env_loc) = call_target(&env_read("EP"), &env, |s| Loc::new(crate::span::FileId(1), s));
        let Target::Unknown { why, .. } = target else { panic!("{target:?}") };
        assert_eq!(why, "environment variable EP cannot be read: the environment block is dynamic");
        assert_eq!(env_loc, None);
    }

    #[test]
    fn an_environment_value_names_the_target_where_it_is_set() {
        let env = Ok(vec![
            var("EP", text("arn:aws:sagemaker:us-east-1:123456789012:endpoint/e")),
            var(
                "SYM",
                EnvValue::Text {
                    text: SymStr::sym("Stage", SymbolOrigin::Parameter),
                    origins: " (a parameter)".into(),
                },
            ),
        ]);
        let here = |s| Loc::new(crate::span::FileId(1), s);
        assert!(
            matches!(call_target(&env_read("EP"), &env, here), (Target::Arn { .. }, Some(l)) if l == loc(7))
        );
        let (Target::Symbolic { why, .. }, _) = call_target(&env_read("SYM"), &env, here) else { panic!() };
        assert!(why.ends_with("which is not known statically (a parameter)"), "{why}");
        let (missing, env_loc) = call_target(&env_read("NONE"), &env, here);
        assert!(
            matches!(missing, Target::MissingEnv { ref var, loc } if var == "NONE" && loc == here(Span::new(3, 4)))
        );
        assert_eq!(env_loc, None);
    }

    #[test]
    fn a_client_region_is_the_functions_own_unless_the_code_names_another() {
        let region = SymStr::sym("AWS::Region", SymbolOrigin::Parameter);
        let env = Ok(vec![
            var("MODEL_REGION", text("us-west-2")),
            var("STACK_REGION", EnvValue::Text { text: region.clone(), origins: String::new() }),
        ]);
        let here = |s| Loc::new(crate::span::FileId(1), s);
        let of = |name: EndpointName| client_region(&ClientRegion::Named(name), &env, here).map(|(r, _)| r);
        let literal = EndpointName::Literal { value: "ap-south-1".into(), span: Span::new(0, 1) };
        assert_eq!(of(literal), Some(SymStr::lit("ap-south-1")));
        assert_eq!(of(env_read("MODEL_REGION")), Some(SymStr::lit("us-west-2")));
        assert_eq!(of(env_read("STACK_REGION")), Some(region));
        // Lambda reserves and sets these to the function's region; the SDK's default is the same.
        assert_eq!(of(env_read("AWS_REGION")), None);
        assert_eq!(of(env_read("AWS_DEFAULT_REGION")), None);
        // Not known: the checks keep the function's region rather than guess.
        assert_eq!(of(env_read("UNSET")), None);
        let dynamic = EndpointName::Dynamic { span: Span::new(0, 1), why: "x".into(), from_request: true };
        assert_eq!(of(dynamic), None);
        assert_eq!(client_region(&ClientRegion::Default, &env, here), None);

        let at = |r: &str| Some((SymStr::lit(r), loc(1)));
        assert_eq!(agreed_region(&[at("a"), at("a")]).map(|(r, _)| r), Some(SymStr::lit("a")));
        assert_eq!(agreed_region(&[at("a"), None]), None);
        assert_eq!(agreed_region(&[at("a"), at("b")]), None);
        assert_eq!(agreed_region(&[]), None);
    }
}
