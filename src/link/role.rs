//! A function ↔ its execution role, for every format. Each builder reads the function's role
//! setting in its own terms (a template's `!GetAtt Role.Arn`, Terraform's `aws_iam_role.r.arn`
//! followed through module inputs, the role SAM or the registry module makes) into a
//! [`RoleSetting`]; what an ARN or name means, and why a role stays unknown, is decided here once.

use crate::model::{RoleRef, UnknownRole};
use crate::span::Loc;
use crate::value::{SymbolOrigin, TerraformRef, Value};

/// How a function names its execution role, as its builder read it.
#[derive(Clone, Debug)]
pub enum RoleSetting {
    /// A role of the model the setting references in the format's own syntax, or the role made for
    /// the function.
    Resource(usize),
    /// The ARN or name the setting evaluates to, where it is written, and the parameter or
    /// variable without a value it comes from when its first unknown part is one.
    Value { value: Value, input: Option<String>, loc: Loc },
    /// The builder knows already that no role of the files is meant.
    Unknown { why: UnknownRole, loc: Loc },
}

impl RoleSetting {
    /// The ARN or name a setting evaluates to, with the parameter or variable without a value
    /// its first unknown part stands for.
    #[must_use]
    pub fn value(value: Value, loc: Loc) -> Self {
        let first = value.as_symstr().and_then(|s| s.symbols().next().cloned());
        let input = first
            .filter(|sym| {
                matches!(
                    sym.origin(),
                    SymbolOrigin::Parameter | SymbolOrigin::Terraform(TerraformRef::Variable)
                )
            })
            .map(|sym| sym.id().to_owned());
        Self::Value { value, input, loc }
    }
}

/// The role a setting names. `named` lists the roles an ARN or name may name (those of the
/// builder's stack or configuration) with their names as text; it is asked only for a value.
pub fn tie_role(setting: RoleSetting, named: impl FnOnce() -> Vec<(usize, String)>) -> RoleRef {
    let (value, input, loc) = match setting {
        RoleSetting::Resource(index) => return RoleRef::Known(index),
        RoleSetting::Unknown { why, loc } => return RoleRef::Unknown { why, loc },
        RoleSetting::Value { value, input, loc } => (value, input, loc),
    };
    let Some(text) = value.as_symstr() else {
        let reason = value.unknown_reason().unwrap_or("computed").to_owned();
        return RoleRef::Unknown { why: UnknownRole::Computed { reason }, loc };
    };
    if let Some(index) = role_named(&text.to_string(), named()) {
        return RoleRef::Known(index);
    }
    let export = text.symbols().next().and_then(|sym| match sym.origin() {
        SymbolOrigin::Import { export } => Some(export.clone()),
        _ => None,
    });
    let why = match (export, input) {
        (Some(export), _) => UnknownRole::Imported { export },
        (None, Some(name)) => UnknownRole::Input { name },
        _ => UnknownRole::NotDefined { role: text },
    };
    RoleRef::Unknown { why, loc }
}

/// The role an ARN (`arn:…:role/path/Name`), a path or a bare name names, by the role's name; a
/// name with unknown parts matches a role named with the same parts (the same parameter).
pub fn role_named(arn_or_name: &str, named: impl IntoIterator<Item = (usize, String)>) -> Option<usize> {
    let name = match arn_or_name.rsplit_once('/') {
        Some((prefix, name)) if prefix.contains(":role") || !arn_or_name.starts_with("arn:") => name,
        Some(_) => return None,
        None if arn_or_name.starts_with("arn:") => return None,
        None => arn_or_name,
    };
    named.into_iter().find_map(|(index, n)| (n == name).then_some(index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{FileId, Span};
    use crate::value::{SymStr, ValueKind};

    fn loc() -> Loc {
        Loc::new(FileId(0), Span::new(0, 0))
    }

    fn text(s: SymStr) -> Value {
        Value::new(ValueKind::Str(s), Span::new(0, 0))
    }

    fn why(value: Value, input: Option<&str>) -> Option<UnknownRole> {
        let setting = RoleSetting::Value { value, input: input.map(str::to_owned), loc: loc() };
        match tie_role(setting, || vec![(4, "scorer-role".to_owned())]) {
            RoleRef::Known(_) => None,
            RoleRef::Unknown { why, .. } => Some(why),
        }
    }

    #[test]
    fn a_role_arn_path_or_name_names_the_role_with_that_name() {
        let named = || vec![(1, "other".to_owned()), (4, "scorer-role".to_owned())];
        assert_eq!(role_named("arn:aws:iam::123456789012:role/service/scorer-role", named()), Some(4));
        assert_eq!(role_named("service/scorer-role", named()), Some(4));
        assert_eq!(role_named("scorer-role", named()), Some(4));
        // A user or policy ARN is no role, whatever its last part.
        assert_eq!(role_named("arn:aws:iam::123456789012:user/scorer-role", named()), None);
        assert_eq!(role_named("arn:aws:iam::123456789012:role/missing", named()), None);
    }

    #[test]
    fn an_unmatched_setting_says_why_the_role_is_unknown() {
        assert_eq!(why(text(SymStr::lit("arn:aws:iam::1:role/scorer-role")), None), None);
        let mut imported = SymStr::lit("");
        imported
            .push_sym("ImportValue:shared-RoleArn", SymbolOrigin::Import { export: "shared-RoleArn".into() });
        assert_eq!(
            why(text(imported), None),
            Some(UnknownRole::Imported { export: "shared-RoleArn".into() })
        );
        assert_eq!(
            why(
                text(SymStr::sym("var.role_arn", SymbolOrigin::Terraform(TerraformRef::Variable))),
                Some("var.role_arn")
            ),
            Some(UnknownRole::Input { name: "var.role_arn".into() })
        );
        let missing = SymStr::lit("arn:aws:iam::1:role/missing");
        assert_eq!(why(text(missing.clone()), None), Some(UnknownRole::NotDefined { role: missing }));
        let computed = Value::new(ValueKind::Unknown("a data source".into()), Span::new(0, 0));
        assert_eq!(why(computed, None), Some(UnknownRole::Computed { reason: "a data source".into() }));
    }
}
