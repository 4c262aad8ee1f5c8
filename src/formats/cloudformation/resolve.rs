//! CloudFormation intrinsic functions → [`Value`]s: what a property means at deploy time, with every
//! part that cannot be known at lint time kept as a named symbol (never a guess).
//!
//! Semantics: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html>
//! and `aws-semantics.md` §8.2.

use std::collections::BTreeMap;

use crate::formats::Deployment;
use crate::syntax::{Node, NodeKind};
use crate::value::{Pseudo, SymStr, SymbolOrigin, Value, ValueEntry, ValueKind};

/// What a logical id names, as far as `Ref`/`GetAtt` need to know.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    Parameter {
        default: Option<Node>,
    },
    /// A resource: its type and, for the types whose physical name we read, the name node.
    Resource {
        kind: String,
        name: Option<Node>,
    },
}

/// Resolves intrinsics against one template's parameters, resources, mappings and conditions.
pub(crate) struct Resolver<'t> {
    pub(crate) targets: BTreeMap<String, Target>,
    mappings: Option<&'t Node>,
    conditions: Option<&'t Node>,
    params: &'t BTreeMap<String, String>,
    deployment: &'t Deployment,
    /// The exports other templates of the folder define.
    pub(crate) imports: super::Imports,
    /// What may define the names the template uses but does not define itself.
    pub(crate) generated: Generated,
}

/// What adds resources to a template before CloudFormation reads it: a name it uses without
/// defining is a generated resource when one of these makes it, else a mistake SL002 reports.
#[derive(Debug, Default)]
pub(crate) struct Generated {
    pub(super) sam: Option<super::sam_generated::SamGenerated>,
    pub(super) rain: Option<super::rain::RainSource>,
    /// A macro or `Fn::ForEach` the linter does not expand: any name may be generated.
    pub(super) anything: bool,
}

impl Generated {
    /// True when `reference` (`Id` or `Id.Attribute`) may name a generated resource.
    fn defines(&self, reference: &str) -> bool {
        let id = reference.split_once('.').map_or(reference, |(id, _)| id);
        self.anything
            || self.sam.as_ref().is_some_and(|g| g.defines(reference) || g.defines(id))
            || self.rain.as_ref().is_some_and(|r| r.defines(id))
    }
}

const MAX_DEPTH: usize = 64;

impl<'t> Resolver<'t> {
    pub(crate) fn new(
        root: &'t Node,
        targets: BTreeMap<String, Target>,
        params: &'t BTreeMap<String, String>,
        deployment: &'t Deployment,
    ) -> Self {
        Self {
            targets,
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            params,
            deployment,
            imports: super::Imports::default(),
            generated: Generated::default(),
        }
    }

    #[must_use]
    pub(crate) fn resolve(&self, node: &Node) -> Value {
        self.resolve_at(node, 0)
    }

    fn resolve_at(&self, node: &Node, depth: usize) -> Value {
        let span = node.span;
        if depth > MAX_DEPTH {
            return Value::new(ValueKind::Unknown("intrinsics nested too deeply".into()), span);
        }
        let kind = match &node.kind {
            NodeKind::Null => ValueKind::Null,
            NodeKind::Bool(b) => ValueKind::Bool(*b),
            NodeKind::Number(n) => ValueKind::Number(n.as_str().to_owned()),
            NodeKind::String(s) => ValueKind::Str(SymStr::lit(s)),
            NodeKind::Seq(items) => ValueKind::List(
                items.iter().map(|i| self.resolve_at(i, depth + 1)).filter(|v| !is_no_value(v)).collect(),
            ),
            NodeKind::Map(entries) => {
                if let Some(entry) = node.single_entry()
                    && (entry.key == "Ref" || entry.key.starts_with("Fn::"))
                {
                    return self.intrinsic(&entry.key, &entry.value, node, depth).bounded();
                }
                ValueKind::Map(
                    entries
                        .iter()
                        .map(|e| ValueEntry {
                            key: e.key.as_str().to_owned(),
                            key_span: e.key_span,
                            value: self.resolve_at(&e.value, depth + 1),
                        })
                        .filter(|e| !is_no_value(&e.value))
                        .collect(),
                )
            }
        };
        Value::new(kind, span)
    }

    fn intrinsic(&self, name: &str, arg: &Node, whole: &Node, depth: usize) -> Value {
        let span = whole.span;
        let str_value = |s: SymStr| Value::new(ValueKind::Str(s), span);
        let unknown = |why: String| Value::new(ValueKind::Unknown(why), span);
        match name {
            "Ref" => match arg.as_str() {
                Some(id) => self.ref_value(id, span, depth),
                None => unknown("Ref of a non-literal".into()),
            },
            "Fn::GetAtt" => match getatt_parts(arg) {
                Some((id, attr)) => str_value(self.getatt_value(&id, &attr)),
                None => unknown("Fn::GetAtt with a computed argument".into()),
            },
            "Fn::Sub" => self.sub(arg, span, depth),
            "Fn::Join" => {
                let [delim, list] = arg.items() else { return unknown("malformed Fn::Join".into()) };
                let Some(delim) = delim.as_str() else { return unknown("Fn::Join delimiter".into()) };
                let list = self.resolve_at(list, depth + 1);
                let ValueKind::List(items) = &list.kind else {
                    return unknown("Fn::Join of a list that cannot be known".into());
                };
                let mut out = SymStr::default();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(delim);
                    }
                    match item.as_symstr() {
                        Some(s) => out.append(&s),
                        None => return unknown("Fn::Join of a value that cannot be known".into()),
                    }
                }
                str_value(out)
            }
            "Fn::Select" => {
                let [index, list] = arg.items() else { return unknown("malformed Fn::Select".into()) };
                let index =
                    self.resolve_at(index, depth + 1).as_literal().and_then(|i| i.parse::<usize>().ok());
                let list = self.resolve_at(list, depth + 1);
                match (index, &list.kind) {
                    (Some(i), ValueKind::List(items)) if i < items.len() => items[i].clone(),
                    _ => unknown("Fn::Select that cannot be evaluated statically".into()),
                }
            }
            "Fn::Split" => {
                let [delim, text] = arg.items() else { return unknown("malformed Fn::Split".into()) };
                let text = self.resolve_at(text, depth + 1).as_literal();
                match (delim.as_str(), text) {
                    (Some(d), Some(t)) if !d.is_empty() => Value::new(
                        ValueKind::List(t.split(d).map(|p| str_value(SymStr::lit(p))).collect()),
                        span,
                    ),
                    _ => unknown("Fn::Split of a value that cannot be known".into()),
                }
            }
            "Fn::If" => {
                let [cond, then, otherwise] = arg.items() else { return unknown("malformed Fn::If".into()) };
                let cond_name = cond.as_str().unwrap_or("?");
                match self.condition(cond_name, depth + 1) {
                    Some(true) => self.resolve_at(then, depth + 1),
                    Some(false) => self.resolve_at(otherwise, depth + 1),
                    None => {
                        let a = self.resolve_at(then, depth + 1);
                        let b = self.resolve_at(otherwise, depth + 1);
                        if same_meaning(&a, &b) {
                            a
                        } else {
                            unknown(format!("depends on the template condition {cond_name}"))
                        }
                    }
                }
            }
            "Fn::FindInMap" => {
                let items = arg.items();
                if items.len() < 3 {
                    return unknown("malformed Fn::FindInMap".into());
                }
                let keys: Vec<Option<String>> =
                    items[..3].iter().map(|k| self.resolve_at(k, depth + 1).as_literal()).collect();
                let found = match (&keys[0], &keys[1], &keys[2], self.mappings) {
                    (Some(m), Some(k1), Some(k2), Some(maps)) => {
                        maps.get(m).and_then(|m| m.get(k1)).and_then(|m| m.get(k2))
                    }
                    _ => None,
                };
                match found {
                    Some(n) => self.resolve_at(n, depth + 1),
                    None => match items.get(3).and_then(|d| d.get("DefaultValue")) {
                        Some(default) => self.resolve_at(default, depth + 1),
                        None => match self.symbolic_lookup(&items[..3], depth) {
                            Some(lookup) => str_value(lookup),
                            None => unknown("Fn::FindInMap that cannot be evaluated statically".into()),
                        },
                    },
                }
            }
            "Fn::ImportValue" => match self.resolve_at(arg, depth + 1).as_symstr() {
                Some(name) => match name.as_literal().and_then(|n| self.imports.get(n)) {
                    Some(exported) => str_value(exported),
                    None => str_value(SymStr::sym(
                        &format!("ImportValue:{name}"),
                        SymbolOrigin::Import { export: name.to_string() },
                    )),
                },
                None => unknown("Fn::ImportValue of a computed name".into()),
            },
            "Fn::Base64" => self.resolve_at(arg, depth + 1),
            other => unknown(format!("{other} is not evaluated statically")),
        }
    }

    /// A mapping lookup whose keys are known only as symbols (`!Ref AWS::Region` without
    /// `--region`), when the mapping exists: a named unknown, so the same lookup in the environment
    /// and in a policy ARN is the same value (like `${AWS::Region}` itself).
    fn symbolic_lookup(&self, keys: &[Node], depth: usize) -> Option<SymStr> {
        let map = keys.first()?.as_str()?;
        self.mappings?.get(map)?;
        let mut parts = Vec::new();
        for key in &keys[1..] {
            let key = self.resolve_at(key, depth + 1).as_symstr()?;
            parts.push(key.pieces().iter().map(piece_text).collect::<String>());
        }
        let lookup = format!("{map}.{}", parts.join("."));
        Some(SymStr::sym(&format!("FindInMap:{lookup}"), SymbolOrigin::Mapping { lookup }))
    }

    fn ref_value(&self, id: &str, span: crate::span::Span, depth: usize) -> Value {
        let str_value = |s: SymStr| Value::new(ValueKind::Str(s), span);
        match id {
            "AWS::Partition" => return str_value(self.deployment.partition()),
            "AWS::Region" => return str_value(self.deployment.region()),
            "AWS::AccountId" => return str_value(self.deployment.account()),
            "AWS::URLSuffix" => {
                let cn = self.deployment.partition.as_deref() == Some("aws-cn");
                return str_value(SymStr::lit(if cn { "amazonaws.com.cn" } else { "amazonaws.com" }));
            }
            "AWS::NoValue" => return Value::new(ValueKind::Unknown(NO_VALUE.into()), span),
            _ => {}
        }
        if let Some(pseudo) = Pseudo::from_ref(id) {
            return str_value(SymStr::pseudo(pseudo));
        }
        // CloudFormation defines no other pseudo parameter (SL002 reports the name).
        if id.starts_with("AWS::") {
            return str_value(SymStr::sym(id, SymbolOrigin::Undefined));
        }
        if let Some(value) = self.params.get(id) {
            return str_value(SymStr::lit(value));
        }
        match self.targets.get(id) {
            Some(Target::Parameter { default: Some(default) }) => {
                let mut v = self.resolve_at(default, depth + 1);
                v.span = span;
                v
            }
            Some(Target::Resource { kind, name }) => str_value(self.resource_ref(id, kind, name.as_ref())),
            Some(Target::Parameter { default: None }) => str_value(SymStr::sym(id, SymbolOrigin::Parameter)),
            None if self.generated.defines(id) => str_value(SymStr::sym(
                id,
                SymbolOrigin::Resource { resource: id.to_owned(), attribute: None },
            )),
            None => str_value(SymStr::sym(id, SymbolOrigin::Undefined)),
        }
    }

    /// `Ref` of a resource: its physical name or, for endpoints, its ARN.
    fn resource_ref(&self, id: &str, kind: &str, name: Option<&Node>) -> SymStr {
        let name = name.and_then(|n| self.resolve(n).as_symstr());
        let physical_id =
            || SymStr::sym(id, SymbolOrigin::Resource { resource: id.to_owned(), attribute: None });
        match kind {
            "AWS::SageMaker::Endpoint" => self.endpoint_arn(id, name.as_ref()),
            // `Ref` of a log group returns its name (AWS::Logs::LogGroup, Return values).
            "AWS::IAM::Role" | "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" | "AWS::Logs::LogGroup" => {
                name.unwrap_or_else(physical_id)
            }
            "AWS::IAM::ManagedPolicy" => {
                let mut arn = SymStr::lit("arn:");
                arn.append(&self.deployment.partition());
                arn.push_str(":iam::");
                arn.append(&self.deployment.account());
                arn.push_str(":policy/");
                arn.append(&name.unwrap_or_else(physical_id));
                arn
            }
            _ => physical_id(),
        }
    }

    /// The ARN SageMaker authorises against: the name part is lower-cased (aws-semantics.md §5.3).
    pub(crate) fn endpoint_arn(&self, id: &str, name: Option<&SymStr>) -> SymStr {
        let name = name.cloned().unwrap_or_else(|| resource_attribute(id, "EndpointName"));
        crate::iam::arn::sagemaker_endpoint_arn(
            &self.deployment.partition(),
            &self.deployment.region(),
            &self.deployment.account(),
            &name,
        )
    }

    fn getatt_value(&self, id: &str, attr: &str) -> SymStr {
        let fallback = || resource_attribute(id, attr);
        let target = self.targets.get(id);
        let Some(Target::Resource { kind, name }) = target else {
            if target.is_none() && self.generated.defines(&format!("{id}.{attr}")) {
                return fallback();
            }
            // A parameter has no attributes; either way CloudFormation rejects the template.
            return SymStr::sym(&format!("{id}.{attr}"), SymbolOrigin::Undefined);
        };
        let name = name.as_ref().and_then(|n| self.resolve(n).as_symstr());
        let physical_id =
            || SymStr::sym(id, SymbolOrigin::Resource { resource: id.to_owned(), attribute: None });
        match (kind.as_str(), attr) {
            ("AWS::SageMaker::Endpoint", "EndpointName") => name.unwrap_or_else(fallback),
            // `arn:…:log-group:<name>:*` (AWS::Logs::LogGroup, Return values: the Arn ends in `:*`).
            ("AWS::Logs::LogGroup", "Arn") => {
                let mut arn = SymStr::lit("arn:");
                arn.append(&self.deployment.partition());
                arn.push_str(":logs:");
                arn.append(&self.deployment.region());
                arn.push_str(":");
                arn.append(&self.deployment.account());
                arn.push_str(":log-group:");
                arn.append(&name.unwrap_or_else(physical_id));
                arn.push_str(":*");
                arn
            }
            ("AWS::IAM::Role", "Arn") => {
                let mut arn = SymStr::lit("arn:");
                arn.append(&self.deployment.partition());
                arn.push_str(":iam::");
                arn.append(&self.deployment.account());
                arn.push_str(":role/");
                arn.append(&name.unwrap_or_else(physical_id));
                arn
            }
            _ => fallback(),
        }
    }

    fn sub(&self, arg: &Node, span: crate::span::Span, depth: usize) -> Value {
        let (template, vars) = match &arg.kind {
            NodeKind::String(s) => (s.as_str(), None),
            NodeKind::Seq(items) => match items.as_slice() {
                [t, vars] if t.as_str().is_some() => (t.as_str().unwrap_or(""), Some(vars)),
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or(""), None),
                _ => return Value::new(ValueKind::Unknown("malformed Fn::Sub".into()), span),
            },
            _ => return Value::new(ValueKind::Unknown("malformed Fn::Sub".into()), span),
        };
        let mut out = SymStr::default();
        for part in sub_parts(template) {
            match part {
                SubPart::Text(t) => out.push_str(&t),
                SubPart::Var { name, .. } => {
                    let value = match vars.and_then(|v| v.get(&name)) {
                        Some(node) => self.resolve_at(node, depth + 1),
                        None => match name.split_once('.') {
                            Some((id, attr)) if !name.starts_with("AWS::") => {
                                Value::new(ValueKind::Str(self.getatt_value(id, attr)), span)
                            }
                            _ => self.ref_value(&name, span, depth + 1),
                        },
                    };
                    match value.as_symstr() {
                        Some(s) => out.append(&s),
                        None => {
                            return Value::new(ValueKind::Unknown(format!("${{{name}}} in Fn::Sub")), span);
                        }
                    }
                }
            }
        }
        Value::new(ValueKind::Str(out), span)
    }

    /// Evaluates a named template condition when its inputs are known.
    pub(crate) fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        let node = self.conditions?.get(name)?;
        self.condition_expr(node, depth + 1)
    }

    fn condition_expr(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let entry = node.single_entry()?;
        let args = entry.value.items();
        match entry.key.as_str() {
            "Fn::Equals" => {
                let [a, b] = args else { return None };
                let a = self.resolve_at(a, depth + 1).as_literal()?;
                let b = self.resolve_at(b, depth + 1).as_literal()?;
                Some(a == b)
            }
            "Fn::Not" => Some(!self.condition_expr(args.first()?, depth + 1)?),
            "Fn::And" => args.iter().try_fold(true, |acc, a| Some(acc && self.condition_expr(a, depth + 1)?)),
            "Fn::Or" => args.iter().try_fold(false, |acc, a| Some(acc || self.condition_expr(a, depth + 1)?)),
            "Condition" => self.condition(entry.value.as_str()?, depth + 1),
            _ => None,
        }
    }
}

pub(crate) const NO_VALUE: &str = "AWS::NoValue";

/// A key part as written in a lookup symbol: unknown parts in angle brackets (`<AWS::Region>`),
/// so the symbol does not read as a nested `${…}`.
fn piece_text(piece: &crate::value::Piece) -> String {
    match piece {
        crate::value::Piece::Lit(text) => text.clone(),
        crate::value::Piece::Sym(sym) => format!("<{}>", sym.id()),
    }
}

pub(crate) fn is_no_value(v: &Value) -> bool {
    v.unknown_reason() == Some(NO_VALUE)
}

fn same_meaning(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::Str(x), ValueKind::Str(y)) => x == y,
        _ => false,
    }
}

/// `Fn::GetAtt` argument as (logical id, attribute): list form or the dotted string form.
pub(crate) fn getatt_parts(arg: &Node) -> Option<(String, String)> {
    match &arg.kind {
        NodeKind::Seq(items) => match items.as_slice() {
            [id, attr] => Some((id.as_str()?.to_owned(), attr.scalar_text()?)),
            _ => None,
        },
        NodeKind::String(s) => s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())),
        _ => None,
    }
}

/// One piece of an `Fn::Sub` template string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SubPart {
    Text(String),
    /// `${name}`, with its byte range inside the template string (including `${` and `}`).
    Var {
        name: String,
        start: usize,
        end: usize,
    },
}

/// Splits an `Fn::Sub` string; `${!x}` is the literal `${x}`.
pub(crate) fn sub_parts(template: &str) -> Vec<SubPart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        text.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(close) = after.find('}') else {
            text.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..close];
        if let Some(literal) = inner.strip_prefix('!') {
            text.push_str("${");
            text.push_str(literal);
            text.push('}');
        } else {
            if !text.is_empty() {
                parts.push(SubPart::Text(std::mem::take(&mut text)));
            }
            let abs = offset + start;
            parts.push(SubPart::Var { name: inner.trim().to_owned(), start: abs, end: abs + close + 3 });
        }
        let consumed = start + 2 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(SubPart::Text(text));
    }
    parts
}

/// The `${name}` variables of an `Fn::Sub` string, as [`sub_parts`] finds them, borrowed from
/// `template` with their byte ranges (including `${` and `}`): the reference check reads every
/// `Fn::Sub` of a template and needs neither the text between them nor owned names.
pub(crate) fn sub_vars(template: &str) -> impl Iterator<Item = (&str, usize, usize)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        loop {
            let rest = &template[offset..];
            let start = memchr::memmem::find(rest.as_bytes(), b"${")?;
            let close = memchr::memchr(b'}', &rest.as_bytes()[start + 2..])?;
            let inner = &rest[start + 2..start + 2 + close];
            let abs = offset + start;
            offset += start + 2 + close + 1;
            if !inner.starts_with('!') {
                return Some((inner.trim(), abs, abs + close + 3));
            }
        }
    })
}

/// A plain document (no intrinsics) as a value, e.g. a bundled managed policy.
#[must_use]
pub(crate) fn literal_value(node: &Node) -> Value {
    let params = BTreeMap::new();
    let deployment = Deployment::default();
    Resolver::new(node, BTreeMap::new(), &params, &deployment).resolve(node)
}

/// `Fn::GetAtt` of a resource attribute known once the resource is created, named `Id.Attribute`.
pub(crate) fn resource_attribute(id: &str, attribute: &str) -> SymStr {
    SymStr::sym(
        &format!("{id}.{attribute}"),
        SymbolOrigin::Resource { resource: id.to_owned(), attribute: Some(attribute.to_owned()) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The origin of the one symbol `Sub` of `text` gives in a SAM template.
    fn origin_in_sam(text: &str) -> SymbolOrigin {
        let template = format!(
            "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Stage:\n    Type: String\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Api:\n          Type: Api\n  Table:\n    Type: AWS::DynamoDB::Table\nOutputs:\n  Out:\n    Value: !Sub \"{text}\"\n"
        );
        let root = crate::syntax::yaml::parse_yaml(&template).root.expect("the test template parses");
        let (params, deployment) = (BTreeMap::new(), Deployment::default());
        let mut resolver = Resolver::new(&root, super::super::ref_targets(&root), &params, &deployment);
        resolver.generated.sam = Some(super::super::sam_generated::SamGenerated::of(&root));
        let out =
            root.get("Outputs").and_then(|o| o.get("Out")).and_then(|o| o.get("Value")).expect("output");
        let value = resolver.resolve(out).as_symstr().expect("a string");
        let symbols: Vec<&crate::value::Symbol> = value.symbols().collect();
        assert_eq!(symbols.len(), 1, "{value}");
        symbols[0].origin().clone()
    }

    #[test]
    fn sub_vars_are_the_variables_sub_parts_finds() {
        for text in [
            "",
            "plain",
            "${A}",
            "arn:${AWS::Partition}:s3:::${ Bucket }/${!Literal}/${Fn.Arn}${",
            "${!a}${b}x${",
            "${unclosed",
            "ü${É.x}ü}",
        ] {
            let expected: Vec<(String, usize, usize)> = sub_parts(text)
                .into_iter()
                .filter_map(|p| match p {
                    SubPart::Var { name, start, end } => Some((name, start, end)),
                    SubPart::Text(_) => None,
                })
                .collect();
            let found: Vec<(String, usize, usize)> =
                sub_vars(text).map(|(n, s, e)| (n.to_owned(), s, e)).collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn symbols_say_where_their_value_comes_from() {
        assert_eq!(origin_in_sam("${Stage}"), SymbolOrigin::Parameter);
        assert_eq!(origin_in_sam("${AWS::StackName}"), SymbolOrigin::Pseudo(Pseudo::StackName));
        assert_eq!(
            origin_in_sam("${Table}"),
            SymbolOrigin::Resource { resource: "Table".into(), attribute: None }
        );
        assert_eq!(
            origin_in_sam("${Table.Arn}"),
            SymbolOrigin::Resource { resource: "Table".into(), attribute: Some("Arn".into()) }
        );
        // A misspelt name is not a parameter without default: CloudFormation rejects it.
        assert_eq!(origin_in_sam("${Stag}"), SymbolOrigin::Undefined);
        assert_eq!(origin_in_sam("${Tabel.Arn}"), SymbolOrigin::Undefined);
        assert_eq!(origin_in_sam("${Stage.Arn}"), SymbolOrigin::Undefined);
        // The API the SAM transform creates for the function's event is a resource.
        assert_eq!(
            origin_in_sam("${ServerlessRestApi}"),
            SymbolOrigin::Resource { resource: "ServerlessRestApi".into(), attribute: None }
        );
    }
}
