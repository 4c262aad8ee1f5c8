//! The one linker: a function's calls (from its handler code) ↔ its environment ↔ the endpoints the
//! deployment defines. Every format builder evaluates its environment values into [`EnvVar`]s in
//! its own terms (a template's `!GetAtt`, Terraform's `aws_sagemaker_endpoint.x.name`) and leaves
//! what they mean for a call to this module, so a rule such as "an environment literal equal to a
//! defined endpoint's name means the function calls it" holds for every format alike.

use crate::code::EndpointName;
use crate::model::{Call, Endpoint, InvokeApi, Target};
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
        EndpointName::Dynamic { span, why } => {
            (Target::Unknown { why: format!("the endpoint name is {why}"), loc: remap(*span) }, None)
        }
        EndpointName::Missing => (
            Target::Unknown {
                why: "the call passes no EndpointName that can be read".into(),
                loc: remap(Span::default()),
            },
            None,
        ),
    }
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
/// that names a defined endpoint (by reference, or by a literal equal to its name) — the
/// environment is how the code would learn the endpoint.
#[must_use]
pub fn calls_from_environment(
    env: &Environment,
    endpoints: &[Endpoint],
    defined: impl Fn() -> Vec<usize>,
) -> Vec<Call> {
    let Ok(vars) = env else { return Vec::new() };
    vars.iter()
        .filter_map(|var| {
            let target = endpoint_of(var, endpoints, defined())?;
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

/// A name as written: an ARN when it is one.
#[must_use]
pub fn literal_target(name: &str, loc: Loc) -> Target {
    if name.starts_with("arn:") {
        Target::Arn { text: name.to_owned(), loc }
    } else {
        Target::Name { name: name.to_owned(), loc }
    }
}
