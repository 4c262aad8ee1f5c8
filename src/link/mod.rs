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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Only the endpoints the value may name count (those of its own template or module).
        assert!(calls_from_environment(&env, &endpoints, || vec![0]).is_empty());
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
            var("SYM", EnvValue::Text { text: SymStr::sym("Stage"), origins: " (a parameter)".into() }),
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
}
