//! The registry module `terraform-aws-modules/lambda/aws`, the most common way Terraform users
//! make a function, read from its inputs: its source is not in the repository, but what it builds
//! from them is documented (<https://registry.terraform.io/modules/terraform-aws-modules/lambda/aws>,
//! `variables.tf` and `iam.tf` of <https://github.com/terraform-aws-modules/terraform-aws-lambda>):
//! a function (`handler`, `timeout` default 3, `environment_variables`, `source_path`,
//! `vpc_subnet_ids`/`vpc_security_group_ids`) and, unless `create_role = false` (then `lambda_role`), a role with the
//! logs policy (`attach_cloudwatch_logs_policy`, default true), the ENI policy when
//! `attach_network_policy`, and the policies its `attach_*` flags switch on. Checked against its
//! `iam.tf` (v7): every extra policy is attached only when its `attach_*` flag is true.

use super::ast::{Block, Expr, ExprKind};
use super::build::Builder;
use super::function::FunctionCode;
use super::module::At;
use super::network::bool_of;
use super::policy::{policy_vars, push_condition};
use crate::formats::CodeCache;
use crate::formats::managed_document;
use crate::iam::parse_policy;
use crate::link::RoleSetting;
use crate::model::{AttachedPolicy, Format, Function, Origin, Role, UnknownPolicy, UnknownRole};
use crate::source::SourceMap;
use crate::span::{FileId, Loc, Span};
use crate::value::{SymStr, Value, ValueEntry, ValueKind};

/// True for a `module` block calling the registry Lambda module (registry, Git or GitHub form).
pub(super) fn is_registry_lambda(b: &Block) -> bool {
    b.kind == "module"
        && b.body.get("source").is_some_and(|s| match &s.kind {
            ExprKind::Str(src) => {
                let src = src.trim_start_matches("registry.terraform.io/");
                // `…//modules/alias` and `…//modules/deploy` are submodules that make no function.
                let root = src.split("?ref=").next().unwrap_or(src);
                !root.contains("//modules/")
                    && (root.starts_with("terraform-aws-modules/lambda/aws")
                        || root.contains("github.com/terraform-aws-modules/terraform-aws-lambda"))
            }
            _ => false,
        })
}

impl<'w> Builder<'w, '_> {
    pub(super) fn add_registry_lambda(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
    ) {
        let at = |e: &'w Expr| At { module: m, file, expr: e };
        if self.module_flag(m, file, b, "create", true) == Some(false)
            || self.module_flag(m, file, b, "create_function", true) == Some(false)
            || self.module_flag(m, file, b, "create_layer", false) == Some(true)
        {
            return;
        }
        let id = format!("{}module.{}", self.world.modules[m].address, b.label(0));
        let loc = Loc::new(file, b.head);
        let setting = match self.module_flag(m, file, b, "create_role", true) {
            Some(true) => RoleSetting::Resource(self.registry_lambda_role(m, file, b, &id, sources)),
            Some(false) => match b.body.get("lambda_role") {
                Some(r) => match self.role_of(at(r)) {
                    Some(i) => RoleSetting::Resource(i),
                    None => RoleSetting::Unknown {
                        why: UnknownRole::ModuleRoleNotDefined,
                        loc: Loc::new(file, r.span),
                    },
                },
                None => RoleSetting::Unknown { why: UnknownRole::ModuleRoleNotGiven, loc },
            },
            None => RoleSetting::Unknown { why: UnknownRole::ModuleCreatesRoleUnknown, loc },
        };
        // Nothing is left to match by name: the module's inputs name the role or make it.
        let role = crate::link::tie_role(setting, Vec::new);
        let env = match b.body.get("environment_variables") {
            Some(e) => {
                let mut out = Vec::new();
                self.env_object(at(e), &mut out, 0).map(|()| out)
            }
            None => Ok(Vec::new()),
        };
        let code = if self.scan_code { self.registry_lambda_code(m, file, b) } else { None };
        let super::function::CodeCalls { calls, explicit_endpoint_url, code_region, missing } =
            self.calls_of(code.as_ref(), &env, sources, cache);
        if let (Some(code), Some(absence)) = (&code, missing) {
            self.missing_handler(&id, code, absence, &calls, &env, &role);
        }
        let (timeout, timeout_loc, name) = self.timeout_and_name(m, file, b, &id);
        let subnets = b.body.get("vpc_subnet_ids").filter(|e| !matches!(e.kind, ExprKind::Null));
        let groups = b.body.get("vpc_security_group_ids").filter(|e| !matches!(e.kind, ExprKind::Null));
        let vpc = subnets.map(|s| self.vpc_lists(m, file, s.span, [Some(s), groups]));
        self.model.functions.push(Function {
            log_group: None,
            id,
            loc,
            origin: Origin::new(Format::TerraformLambdaModule),
            role,
            calls,
            name,
            timeout,
            timeout_loc,
            vpc,
            explicit_endpoint_url,
            code_region,
            partition: self.world.deployment.partition(),
            region: self.world.region(m),
            account: self.world.deployment.account(),
            ignored_policies: None,
        });
    }

    /// The role the module creates, with the policies its inputs switch on. An `attach_*` flag
    /// whose value is not known makes its policy unknown (SL003), never silently absent.
    fn registry_lambda_role(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        id: &str,
        sources: &mut SourceMap,
    ) -> usize {
        let at = |e: &'w Expr| At { module: m, file, expr: e };
        let mut role = Role {
            id: format!("{id} role"),
            loc: Loc::new(file, b.head),
            policies: Vec::new(),
            // A missing statement belongs in `policy_statements` (or the policy input in use).
            policies_loc: Some(Loc::new(
                file,
                ["policy_statements", "policy_json", "policies", "policy"]
                    .iter()
                    .find_map(|k| b.body.attr(k))
                    .map_or(b.head, |a| a.key_span),
            )),
            boundary: None,
            unknown_boundary: None,
            unknown_policies: Vec::new(),
        };
        let head = Loc::new(file, b.head);
        for (key, default, managed) in [
            ("attach_cloudwatch_logs_policy", true, "AWSLambdaBasicExecutionRole"),
            ("attach_network_policy", false, "AWSLambdaENIManagementAccess"),
        ] {
            match self.module_flag(m, file, b, key, default) {
                Some(true) => {
                    if let Some(doc) = managed_document(managed, head) {
                        role.policies.push(AttachedPolicy { name: format!("{id} {key}"), doc, loc: head });
                    }
                }
                Some(false) => {}
                None => role.unknown_policies.push(UnknownPolicy::not_in_files(format!("{id} {key}"), head)),
            }
        }
        let inputs: [(&str, &str); 5] = [
            ("attach_policy_jsons", "policy_jsons"),
            ("attach_policy_json", "policy_json"),
            ("attach_policy", "policy"),
            ("attach_policies", "policies"),
            ("attach_policy_statements", "policy_statements"),
        ];
        for (switch, input) in inputs {
            let Some(value) = b.body.get(input) else { continue };
            let on = self.module_flag(m, file, b, switch, false);
            if on == Some(false) {
                continue;
            }
            let name = format!("{id} {input}");
            if on.is_none() {
                role.unknown_policies.push(UnknownPolicy::not_in_files(
                    format!("{name} (whether {switch} is on is not known)"),
                    Loc::new(file, value.span),
                ));
                continue;
            }
            match input {
                "policy_json" => {
                    self.push_policy(
                        &mut role.policies,
                        &mut role.unknown_policies,
                        name,
                        at(value),
                        sources,
                    );
                }
                "policy" => {
                    self.attach_arn(&mut role.policies, &mut role.unknown_policies, at(value), sources);
                }
                "policies" | "policy_jsons" => match &self.world.deref(at(value)).expr.kind {
                    ExprKind::Tuple(items) => {
                        for (i, item) in items.iter().enumerate() {
                            let (into, unknown) = (&mut role.policies, &mut role.unknown_policies);
                            if input == "policies" {
                                self.attach_arn(into, unknown, at(item), sources);
                            } else {
                                self.push_policy(into, unknown, format!("{name}[{i}]"), at(item), sources);
                            }
                        }
                    }
                    _ => role
                        .unknown_policies
                        .push(UnknownPolicy::not_in_files(name, Loc::new(file, value.span))),
                },
                _ => match statements_document(&self.world.eval(at(value)), value.span) {
                    Some(doc) => {
                        let (doc, _) = parse_policy(&doc, file);
                        role.policies.push(AttachedPolicy { name, doc, loc: Loc::new(file, value.span) });
                    }
                    None => role
                        .unknown_policies
                        .push(UnknownPolicy::not_in_files(name, Loc::new(file, value.span))),
                },
            }
        }
        if let Some(pb) =
            b.body.get("role_permissions_boundary").filter(|e| !matches!(e.kind, ExprKind::Null))
        {
            let mut policies = Vec::new();
            let mut unknown = Vec::new();
            self.attach_arn(&mut policies, &mut unknown, at(pb), sources);
            match unknown.pop() {
                Some(u) => role.unknown_boundary = Some(u),
                None => role.boundary = Some(policies),
            }
        }
        self.model.roles.push(role);
        self.model.roles.len() - 1
    }

    /// A boolean input of the module call: its value, the module's default when not given, or
    /// `None` when it cannot be known.
    fn module_flag(&self, m: usize, file: FileId, b: &'w Block, key: &str, default: bool) -> Option<bool> {
        match b.body.get(key) {
            Some(e) => bool_of(&self.world.eval(At { module: m, file, expr: e })),
            None => Some(default),
        }
    }

    /// `source_path` as a folder or file (a string; the list-of-objects form's first `path`).
    fn registry_lambda_code(&self, m: usize, file: FileId, b: &Block) -> Option<FunctionCode> {
        let source = b.body.get("source_path")?;
        let value = self.world.eval_at(m, source);
        let path = match &value.kind {
            ValueKind::Str(_) => value.as_literal(),
            ValueKind::List(items) => {
                items.first().and_then(|i| i.get("path").or(Some(i))).and_then(Value::as_literal)
            }
            _ => None,
        };
        let dir = self.world.file_path(m, &path?);
        let mut code = self.function_code(m, file, b, dir);
        code.setting = "source_path";
        Some(code)
    }
}

/// `policy_statements = { name = { effect, actions, not_actions, resources, not_resources,
/// condition = [{ test, variable, values }] } }` as an IAM policy document.
fn statements_document(statements: &Value, span: Span) -> Option<Value> {
    let ValueKind::Map(entries) = &statements.kind else { return None };
    let mut out = Vec::new();
    for entry in entries {
        let ValueKind::Map(fields) = &entry.value.kind else { return None };
        let field = |k: &str| fields.iter().find(|f| f.key == k);
        let mut statement = vec![ValueEntry {
            key: "Effect".into(),
            key_span: entry.key_span,
            value: field("effect").map_or_else(
                || Value::new(ValueKind::Str(SymStr::lit("Allow")), entry.key_span),
                |f| f.value.clone(),
            ),
        }];
        for (tf, iam) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(f) = field(tf) {
                statement.push(ValueEntry {
                    key: iam.into(),
                    key_span: f.key_span,
                    value: policy_vars(f.value.clone()),
                });
            }
        }
        if let Some(c) = field("condition") {
            let mut conditions: Vec<ValueEntry> = Vec::new();
            let items: Vec<&Value> = match &c.value.kind {
                ValueKind::List(items) => items.iter().collect(),
                ValueKind::Map(groups) => groups.iter().map(|g| &g.value).collect(),
                _ => return None,
            };
            for item in items {
                let test = item.get("test")?.as_literal()?;
                let variable = item.get("variable")?.as_literal()?;
                let values = policy_vars(item.get("values")?.clone());
                let inner = ValueEntry { key: variable, key_span: c.key_span, value: values };
                push_condition(&mut conditions, test, c.key_span, inner);
            }
            statement.push(ValueEntry {
                key: "Condition".into(),
                key_span: c.key_span,
                value: Value::new(ValueKind::Map(conditions), span),
            });
        }
        out.push(Value::new(ValueKind::Map(statement), entry.value.span));
    }
    let version = Value::new(ValueKind::Str(SymStr::lit("2012-10-17")), span);
    Some(Value::new(
        ValueKind::Map(vec![
            ValueEntry { key: "Version".into(), key_span: span, value: version },
            ValueEntry {
                key: "Statement".into(),
                key_span: span,
                value: Value::new(ValueKind::List(out), span),
            },
        ]),
        span,
    ))
}

#[cfg(test)]
mod tests {
    use super::is_registry_lambda;

    fn calls_lambda_module(source: &str) -> bool {
        let body =
            crate::formats::terraform::hcl::parse(&format!("module \"f\" {{\n  source = \"{source}\"\n}}\n"))
                .unwrap();
        body.blocks_of("module").any(is_registry_lambda)
    }

    #[test]
    fn registry_git_and_github_forms_are_the_module_but_submodules_are_not() {
        assert!(calls_lambda_module("terraform-aws-modules/lambda/aws"));
        assert!(calls_lambda_module("registry.terraform.io/terraform-aws-modules/lambda/aws"));
        assert!(calls_lambda_module(
            "git::https://github.com/terraform-aws-modules/terraform-aws-lambda.git?ref=v7.2.1"
        ));
        assert!(!calls_lambda_module("terraform-aws-modules/lambda/aws//modules/alias"));
        assert!(!calls_lambda_module("terraform-aws-modules/vpc/aws"));
        assert!(!calls_lambda_module("./modules/lambda"));
    }
}
