//! Terraform IAM: roles, their inline and managed policies, attachment resources, policy
//! documents (`jsonencode`, heredoc JSON, `file()`, `data "aws_iam_policy_document"`) and
//! permissions boundaries, read into the same `PolicyDocument`s CloudFormation produces.

use super::ast::{Block, Expr, ExprKind};
use super::build::{Builder, address};
use super::module::{At, Expanded, describe};
use crate::formats::managed_document;
use crate::iam::parse_policy;
use crate::iam::policy::{PolicyProblemKind, names_only_everyone};
use crate::model::problem::{Deployer, ParseProblem, Problem, UndecidableProblem};
use crate::model::{AttachedPolicy, Role, UnknownPolicy, UnknownPolicyWhy};
use crate::source::{SourceFile, SourceMap};
use crate::span::{FileId, Loc, Span};
use crate::value::{SymStr, Value, ValueEntry, ValueKind};

impl<'w> Builder<'w, '_> {
    // ---- roles and policies ---------------------------------------------------------------------

    pub(super) fn add_role(&mut self, m: usize, file: FileId, b: &'w Block, sources: &mut SourceMap) {
        let addr = address(self.world, m, b);
        let mut role = Role {
            id: addr.clone(),
            loc: Loc::new(file, b.head),
            policies: Vec::new(),
            policies_loc: None,
            boundary: None,
            unknown_boundary: None,
            unknown_policies: Vec::new(),
        };
        for (i, ip) in b.body.blocks_of("inline_policy").enumerate() {
            role.policies_loc.get_or_insert(Loc::new(file, ip.head));
            let name = ip
                .body
                .get("name")
                .and_then(|n| self.world.eval(At { module: m, file, expr: n }).as_literal());
            let name = format!("{addr} inline policy {}", name.unwrap_or_else(|| i.to_string()));
            // State and plans show a role without inline policies as one empty `inline_policy`.
            if let Some(p) = ip.body.get("policy")
                && !matches!(&p.kind, ExprKind::Str(text) if text.is_empty())
            {
                self.push_policy(
                    &mut role.policies,
                    &mut role.unknown_policies,
                    name,
                    At { module: m, file, expr: p },
                    sources,
                );
            }
        }
        // Known only after apply in a plan (Optional+Computed): the attachments are whatever the
        // attachment resources make them, which are read on their own.
        if let Some(attr) = b.body.attr("managed_policy_arns")
            && !matches!(attr.value.kind, ExprKind::Computed(_))
        {
            role.policies_loc.get_or_insert(Loc::new(file, attr.key_span));
            let items: Vec<&Expr> = match &attr.value.kind {
                ExprKind::Tuple(items) => items.iter().collect(),
                _ => vec![&attr.value],
            };
            for item in items {
                self.attach_arn(
                    &mut role.policies,
                    &mut role.unknown_policies,
                    At { module: m, file, expr: item },
                    sources,
                );
            }
        }
        if let Some(pb) = b.body.get("permissions_boundary")
            && !matches!(pb.kind, ExprKind::Null | ExprKind::Computed(_))
        {
            let mut policies = Vec::new();
            let mut unknown = Vec::new();
            self.attach_arn(&mut policies, &mut unknown, At { module: m, file, expr: pb }, sources);
            match unknown.pop() {
                Some(u) => role.unknown_boundary = Some(u),
                None => role.boundary = Some(policies),
            }
        }
        let index = self.model.roles.len();
        self.roles.insert((m, format!("{}.{}", b.label(0), b.label(1))), index);
        self.model.roles.push(role);
    }

    /// A policy ARN: an `aws_iam_policy` of this module, an AWS managed policy, or unknown.
    pub(super) fn attach_arn(
        &mut self,
        into: &mut Vec<AttachedPolicy>,
        unknown: &mut Vec<UnknownPolicy>,
        at: At<'w>,
        sources: &mut SourceMap,
    ) {
        let loc = Loc::new(at.file, at.expr.span);
        let end = self.world.deref(at);
        if let Some(path) = end.expr.as_ref_path()
            && path.len() >= 2
            && path[0] == "aws_iam_policy"
        {
            if let Some((pf, pb)) = self.world.find(end.module, "resource", "aws_iam_policy", &path[1])
                && let Some(doc) = pb.body.get("policy")
            {
                let name = format!("{}aws_iam_policy.{}", self.world.modules[end.module].address, path[1]);
                self.push_policy(
                    into,
                    unknown,
                    name,
                    At { module: end.module, file: pf, expr: doc },
                    sources,
                );
                return;
            }
            unknown.push(UnknownPolicy::not_in_files(path.join("."), loc));
            return;
        }
        let value = self.world.eval(at);
        // `each.value` of a `for_each = { x = aws_iam_policy.p.arn }`: the symbol names the policy.
        if let Some(policy) = value.as_symstr().and_then(|s| self.policy_of_symbol(at.module, &s)) {
            let (pf, pb) = policy;
            if let Some(doc) = pb.body.get("policy") {
                let name = format!("{}aws_iam_policy.{}", self.world.modules[at.module].address, pb.label(1));
                self.push_policy(into, unknown, name, At { module: at.module, file: pf, expr: doc }, sources);
                return;
            }
        }
        let text = value.as_symstr().map_or_else(|| describe(at.expr), |s| s.to_string());
        match managed_document(&text, loc) {
            Some(doc) => {
                let name = text.rsplit('/').next().unwrap_or(&text).to_owned();
                if !into.iter().any(|p| p.name == name) {
                    into.push(AttachedPolicy { name, doc, loc });
                }
            }
            None => unknown.push(UnknownPolicy::not_in_files(text, loc)),
        }
    }

    /// The `aws_iam_policy` of module `m` whose `arn` or `id` a value is exactly the symbol of.
    fn policy_of_symbol(&self, m: usize, s: &SymStr) -> Option<(FileId, &'w Block)> {
        let [crate::value::Piece::Sym(sym)] = s.pieces() else { return None };
        let rest = sym.id().strip_prefix(self.world.modules[m].address.as_str())?;
        let name = rest.strip_prefix("aws_iam_policy.")?;
        let name = name.strip_suffix(".arn").or_else(|| name.strip_suffix(".id"))?;
        self.world.find(m, "resource", "aws_iam_policy", name)
    }

    pub(super) fn push_policy(
        &mut self,
        into: &mut Vec<AttachedPolicy>,
        unknown: &mut Vec<UnknownPolicy>,
        name: String,
        at: At<'w>,
        sources: &mut SourceMap,
    ) {
        self.push_policy_of(PolicyUse::Identity, into, unknown, name, at, sources);
    }

    /// A policy document of either kind: an identity policy must not name a principal; a
    /// resource policy (a VPC endpoint's) must, and is read only when it names everyone, as the
    /// CloudFormation builder does.
    pub(super) fn push_policy_of(
        &mut self,
        use_: PolicyUse,
        into: &mut Vec<AttachedPolicy>,
        unknown: &mut Vec<UnknownPolicy>,
        name: String,
        at: At<'w>,
        sources: &mut SourceMap,
    ) {
        let loc = Loc::new(at.file, at.expr.span);
        let Some((value, file)) = self.policy_value(at, sources, 0) else {
            unknown.push(UnknownPolicy::not_in_files(name, loc));
            return;
        };
        // A statement whose actions or resources cannot be evaluated (a `for` expression, a
        // conditional) proves nothing either way: the policy counts as unreadable (SL003).
        if let Some(why) = value.unknown_reason().map(str::to_owned).or_else(|| unknown_element(&value)) {
            unknown.push(UnknownPolicy { name, loc, why: UnknownPolicyWhy::Unevaluable(why) });
            return;
        }
        if use_ == PolicyUse::Resource
            && !value
                .get("Statement")
                .map(Value::as_list)
                .unwrap_or_default()
                .iter()
                .all(|s| names_only_everyone(s))
        {
            unknown.push(UnknownPolicy { name, loc, why: UnknownPolicyWhy::NamesPrincipals });
            return;
        }
        let (doc, problems) = parse_policy(&value, file);
        for p in problems {
            let skip = match p.kind {
                PolicyProblemKind::Unknown => true,
                PolicyProblemKind::Principal(_) => use_ == PolicyUse::Resource,
                PolicyProblemKind::Malformed => false,
            };
            if skip || !self.reported_problems.insert((p.loc, p.message.clone())) {
                continue;
            }
            let loc = p.loc;
            let problem = ParseProblem::MalformedPolicy {
                policy: name.clone(),
                problem: p,
                deployer: Deployer::Terraform,
            };
            self.problem(Problem::new(loc, problem));
        }
        into.push(AttachedPolicy { name, doc, loc });
    }

    /// A policy document expression as a value, with the file its spans are in.
    pub(super) fn policy_value(
        &mut self,
        at: At<'w>,
        sources: &mut SourceMap,
        depth: usize,
    ) -> Option<(Value, FileId)> {
        if depth > 8 {
            return None;
        }
        let end = self.world.deref(at);
        let e = end.expr;
        if let ExprKind::Template(parts) = &e.kind
            && let [super::ast::Part::Interp(inner)] = parts.as_slice()
            && inner.as_ref_path().is_none()
        {
            return self.policy_value(
                At { module: end.module, file: end.file, expr: inner },
                sources,
                depth + 1,
            );
        }
        if let Some(path) = e.as_ref_path() {
            if path.len() == 4 && path[0] == "data" && path[1] == "aws_iam_policy_document" {
                let (df, db) = self.world.find(end.module, "data", "aws_iam_policy_document", &path[2])?;
                let key = (end.module, path[2].clone());
                if self.assembling.contains(&key) {
                    return None;
                }
                self.assembling.push(key);
                let doc = self.policy_document_data(end.module, df, db, sources, depth);
                self.assembling.pop();
                return Some((doc, df));
            }
            return None;
        }
        match &e.kind {
            // Through the argument, so an object kept in a local of another file keeps its spans there.
            ExprKind::Call(name, args) if name == "jsonencode" && args.len() == 1 => self.policy_value(
                At { module: end.module, file: end.file, expr: &args[0] },
                sources,
                depth + 1,
            ),
            ExprKind::Call(name, args) if name == "file" && args.len() == 1 => {
                let rel = self
                    .world
                    .eval(At { module: end.module, file: end.file, expr: &args[0] })
                    .as_literal()?;
                let path = self.world.file_path(end.module, &rel);
                // A committed symlink to /dev/zero or outside the repository is refused, and said.
                let text = match crate::fsread::read_text(&path, crate::fsread::POLICY_CAP, &self.read_scope)
                {
                    Ok(text) => text,
                    Err(refusal) => {
                        let loc = Loc::new(end.file, e.span);
                        if self.reported_problems.insert((loc, path.to_string_lossy().into_owned())) {
                            let problem =
                                UndecidableProblem::PolicyFileUnread { path: path.clone(), refusal };
                            self.problem(Problem::new(loc, problem));
                        }
                        return None;
                    }
                };
                let parsed = crate::syntax::json::parse_json(&text);
                let root = parsed.root?;
                let id = sources
                    .find(&path)
                    .unwrap_or_else(|| sources.add(SourceFile::from_disk(path.clone(), text.clone())));
                self.model.terraform_files.insert(id);
                Some((crate::formats::literal_value(&root), id))
            }
            ExprKind::Str(_) | ExprKind::Template(_) => {
                let text = sources.get(end.file).text().to_owned();
                let slice = text.get(e.span.start as usize..e.span.end as usize).unwrap_or("");
                if slice.starts_with("<<") {
                    // Heredoc JSON: parse the body as written, so `${…}` parts keep their spans.
                    let body_start = slice.find('\n')? + 1;
                    let body_end = slice.trim_end().rfind('\n')?;
                    let body = slice.get(body_start..body_end)?;
                    let node = crate::syntax::json::parse_json(body).root?;
                    let mut expr = super::tfjson::value_expr(&node, body);
                    expr.shift(e.span.start + body_start as u32);
                    let v = self.eval_owned(end.module, &expr);
                    return Some((v, end.file));
                }
                // A JSON string (plan values, `.tf.json`): spans are the string's.
                let s = self.world.eval(end).as_symstr()?;
                let lit = s.as_literal()?;
                let node = crate::syntax::json::parse_json(lit).root?;
                let mut expr = super::tfjson::literal_expr(&node);
                expr.flatten(e.span);
                Some((self.eval_owned(end.module, &expr), end.file))
            }
            _ => Some((self.world.eval(end), end.file)),
        }
    }

    pub(super) fn eval_owned(&self, m: usize, expr: &Expr) -> Value {
        self.world.eval_at(m, expr)
    }

    /// `data "aws_iam_policy_document"` → a policy document value (aws-semantics §9.2).
    pub(super) fn policy_document_data(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
        depth: usize,
    ) -> Value {
        let ev = |e: &'w Expr| self.world.eval(At { module: m, file, expr: e });
        let mut statements: Vec<Value> = Vec::new();
        let sid_of = |v: &Value| v.get("Sid").and_then(Value::as_literal);
        for key in ["source_policy_documents", "source_json"] {
            if let Some(list) = b.body.get(key) {
                let items: Vec<&Expr> = match &list.kind {
                    ExprKind::Tuple(items) => items.iter().collect(),
                    _ => vec![list],
                };
                for item in items {
                    // A document that includes itself is a cycle Terraform rejects; its own
                    // statements are still checked.
                    if self.includes_itself(m, item) {
                        continue;
                    }
                    let read = self.policy_value(At { module: m, file, expr: item }, sources, depth + 1);
                    match read {
                        Some((v, _)) if matches!(v.kind, ValueKind::Null) => {}
                        Some((v, _)) if v.get("Statement").is_some() => statements.extend(
                            v.get("Statement")
                                .map(|s| s.as_list().into_iter().cloned().collect::<Vec<_>>())
                                .unwrap_or_default(),
                        ),
                        // A source document that cannot be read may hold any statement: the
                        // assembled document is unknown (SL003), not missing those statements.
                        _ => statements.push(Value::new(
                            ValueKind::Unknown(format!(
                                "{key} holds {}, which is not evaluated",
                                describe(item)
                            )),
                            item.span,
                        )),
                    }
                }
            }
        }
        // `statement` blocks and `dynamic "statement"` blocks, expanded in place as Terraform does.
        for item in self.world.expand_blocks(m, &b.body, "statement") {
            let v = match item {
                Expanded::Block { bindings, body, head } => {
                    self.world.with_scope(bindings, || self.statement_value(m, file, body, head))
                }
                Expanded::Unknown { why, span } => Value::new(ValueKind::Unknown(why), span),
            };
            // A statement with the same Sid as a source statement replaces it.
            if let Some(sid) = sid_of(&v)
                && let Some(slot) = statements.iter_mut().find(|s| sid_of(s).as_deref() == Some(sid.as_str()))
            {
                *slot = v;
            } else {
                statements.push(v);
            }
        }
        if let Some(list) = b.body.get("override_policy_documents") {
            let items: Vec<&Expr> = match &list.kind {
                ExprKind::Tuple(items) => items.iter().collect(),
                _ => vec![list],
            };
            for item in items {
                if self.includes_itself(m, item) {
                    continue;
                }
                let read = self.policy_value(At { module: m, file, expr: item }, sources, depth + 1);
                let v = match read {
                    Some((v, _)) if v.get("Statement").is_some() => v,
                    Some((v, _)) if matches!(v.kind, ValueKind::Null) => continue,
                    // It may replace any statement: the assembled document is unknown (SL003).
                    _ => {
                        let why =
                            format!("override_policy_documents entry {} cannot be read", describe(item));
                        statements.push(Value::new(ValueKind::Unknown(why), item.span));
                        continue;
                    }
                };
                for s in v.get("Statement").map(Value::as_list).unwrap_or_default() {
                    match sid_of(s).and_then(|sid| {
                        statements.iter().position(|x| sid_of(x).as_deref() == Some(sid.as_str()))
                    }) {
                        Some(i) => statements[i] = s.clone(),
                        None => statements.push(s.clone()),
                    }
                }
            }
        }
        let span = b.head;
        // `version` defaults to 2012-10-17; 2008-10-17 turns policy variables into literal text.
        let version = match b.body.attr("version") {
            Some(a) => ValueEntry { key: "Version".into(), key_span: a.key_span, value: ev(&a.value) },
            None => ValueEntry {
                key: "Version".into(),
                key_span: span,
                value: Value::new(ValueKind::Str(SymStr::lit("2012-10-17")), span),
            },
        };
        Value::new(
            ValueKind::Map(vec![
                version,
                ValueEntry {
                    key: "Statement".into(),
                    key_span: span,
                    value: Value::new(ValueKind::List(statements), span),
                },
            ]),
            span,
        )
    }

    /// True when `item` is `data.aws_iam_policy_document.<d>.json` of a document being assembled.
    fn includes_itself(&self, m: usize, item: &'w Expr) -> bool {
        let end = self.world.deref(At { module: m, file: FileId(0), expr: item });
        end.expr.as_ref_path().is_some_and(|p| {
            p.len() == 4
                && p[0] == "data"
                && p[1] == "aws_iam_policy_document"
                && self.assembling.contains(&(end.module, p[2].clone()))
        })
    }

    /// One `statement` block (or one instance of a `dynamic "statement"`) as an IAM statement.
    fn statement_value(&self, m: usize, file: FileId, body: &'w super::ast::Body, head: Span) -> Value {
        let ev = |e: &'w Expr| self.world.eval(At { module: m, file, expr: e });
        let mut entries = Vec::new();
        let mut put = |key: &str, key_span: Span, value: Value| {
            entries.push(ValueEntry { key: key.to_owned(), key_span, value });
        };
        if let Some(a) = body.attr("sid") {
            put("Sid", a.key_span, ev(&a.value));
        }
        match body.attr("effect") {
            Some(a) => put("Effect", a.key_span, ev(&a.value)),
            None => put("Effect", head, Value::new(ValueKind::Str(SymStr::lit("Allow")), head)),
        }
        for (tf, iam) in [
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some(a) = body.attr(tf) {
                put(iam, a.key_span, policy_vars(ev(&a.value)));
            }
        }
        let mut conditions: Vec<ValueEntry> = Vec::new();
        for item in self.world.expand_blocks(m, body, "condition") {
            // A condition that cannot be read makes the whole statement's effect unknown.
            let (bindings, c) = match item {
                Expanded::Block { bindings, body, .. } => (bindings, body),
                Expanded::Unknown { why, span } => return Value::new(ValueKind::Unknown(why), span),
            };
            let (Some(test), Some(var)) = (c.get("test"), c.get("variable")) else { continue };
            let (test_s, var_s, values) = self.world.with_scope(bindings, || {
                let values = c
                    .get("values")
                    .map_or(Value::new(ValueKind::List(Vec::new()), head), |v| policy_vars(ev(v)));
                (ev(test).as_literal(), ev(var).as_literal(), values)
            });
            let (Some(test_s), Some(var_s)) = (test_s, var_s) else {
                let why = "a condition's test or variable is not known statically".to_owned();
                return Value::new(ValueKind::Unknown(why), head);
            };
            let inner = ValueEntry { key: var_s, key_span: var.span, value: values };
            push_condition(&mut conditions, test_s, test.span, inner);
        }
        if !conditions.is_empty() {
            put("Condition", head, Value::new(ValueKind::Map(conditions), head));
        }
        Value::new(ValueKind::Map(entries), head)
    }

    pub(super) fn role_of(&self, at: At<'w>) -> Option<usize> {
        let end = match self.role_resource(at) {
            Ok(index) => return Some(index),
            Err(end) => end,
        };
        let text = self.world.eval(end).as_symstr()?;
        crate::link::role_named(&text.to_string(), self.named_roles())
    }

    /// The role an expression references as `aws_iam_role.<name>` (followed through module
    /// inputs and outputs), else the expression it ends at.
    pub(super) fn role_resource(&self, at: At<'w>) -> Result<usize, At<'w>> {
        let end = self.world.deref(at);
        if let Some(path) = end.expr.as_ref_path()
            && path.len() >= 2
            && path[0] == "aws_iam_role"
            && let Some(&index) = self.roles.get(&(end.module, format!("aws_iam_role.{}", path[1])))
        {
            return Ok(index);
        }
        Err(end)
    }

    /// The roles of this configuration with a literal `name`, which a role ARN may name.
    pub(super) fn named_roles(&self) -> Vec<(usize, String)> {
        let name = |m: usize, addr: &str| {
            let (_, b) = self.world.find(m, "resource", "aws_iam_role", addr.split('.').nth(1)?)?;
            self.world.eval_at(m, b.body.get("name")?).as_literal()
        };
        self.roles.iter().filter_map(|((m, addr), &i)| Some((i, name(*m, addr)?))).collect()
    }

    /// Records that a resource attaches policies to a role (once, however many instances it has).
    fn note_attached(&mut self, role: usize, at: Loc) {
        let locs = self.attached_by.entry(role).or_default();
        if !locs.contains(&at) {
            locs.push(at);
        }
    }

    pub(super) fn attach_role_policy(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
    ) {
        let (Some(role), Some(policy)) = (b.body.get("role"), b.body.get("policy")) else { return };
        let Some(index) = self.role_of(At { module: m, file, expr: role }) else { return };
        let mut policies = Vec::new();
        let mut unknown = Vec::new();
        self.push_policy(
            &mut policies,
            &mut unknown,
            address(self.world, m, b),
            At { module: m, file, expr: policy },
            sources,
        );
        self.note_attached(index, Loc::new(file, b.head));
        let r = &mut self.model.roles[index];
        r.policies.extend(policies);
        r.unknown_policies.extend(unknown);
    }

    pub(super) fn attach_policy_resource(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
    ) {
        let Some(arn) = b.body.get("policy_arn") else { return };
        let role_exprs: Vec<&Expr> = match (b.body.get("role"), b.body.get("roles")) {
            (Some(r), _) => vec![r],
            (None, Some(list)) => match &list.kind {
                ExprKind::Tuple(items) => items.iter().collect(),
                _ => vec![list],
            },
            _ => Vec::new(),
        };
        for r in role_exprs {
            let Some(index) = self.role_of(At { module: m, file, expr: r }) else { continue };
            let mut policies = Vec::new();
            let mut unknown = Vec::new();
            self.attach_arn(&mut policies, &mut unknown, At { module: m, file, expr: arn }, sources);
            self.note_attached(index, Loc::new(file, b.head));
            let role = &mut self.model.roles[index];
            for p in policies {
                if !role.policies.iter().any(|x| x.name == p.name) {
                    role.policies.push(p);
                }
            }
            role.unknown_policies.extend(unknown);
        }
    }
}

/// IAM policy variables are written `&{aws:username}` in `aws_iam_policy_document`.
/// Adds `{ test: { variable: values } }` to a statement's `Condition`, beside the variables already
/// under the same test (IAM's JSON shape for several `condition` blocks).
/// Which kind of policy a document is: it decides whether a `Principal` is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PolicyUse {
    Identity,
    Resource,
}

pub(super) fn push_condition(
    conditions: &mut Vec<ValueEntry>,
    test: String,
    test_span: Span,
    inner: ValueEntry,
) {
    match conditions.iter_mut().find(|e| e.key == test) {
        Some(e) => {
            if let ValueKind::Map(m) = &mut e.value.kind {
                m.push(inner);
            }
        }
        None => conditions.push(ValueEntry {
            key: test,
            key_span: test_span,
            value: Value::new(ValueKind::Map(vec![inner]), test_span),
        }),
    }
}

pub(super) fn policy_vars(mut v: Value) -> Value {
    match &mut v.kind {
        ValueKind::Str(s) => *s = s.map_literals(|l| l.replace("&{", "${")),
        ValueKind::List(items) => {
            let taken = std::mem::take(items);
            *items = taken.into_iter().map(policy_vars).collect();
        }
        _ => {}
    }
    v
}

/// Why a statement of the document, or its actions, resources or effect, cannot be evaluated.
fn unknown_element(doc: &Value) -> Option<String> {
    let statements = doc.get("Statement")?;
    statements.as_list().iter().find_map(|st| {
        st.unknown_reason().map(str::to_owned).or_else(|| {
            ["Action", "NotAction", "Resource", "NotResource", "Effect"]
                .iter()
                .find_map(|k| st.get(k)?.as_list().iter().find_map(|i| i.unknown_reason().map(str::to_owned)))
        })
    })
}
