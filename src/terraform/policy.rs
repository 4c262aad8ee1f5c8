//! Terraform IAM: roles, their inline and managed policies, attachment resources, policy
//! documents (`jsonencode`, heredoc JSON, `file()`, `data "aws_iam_policy_document"`) and
//! permissions boundaries, read into the same `PolicyDocument`s CloudFormation produces.

use super::ast::{Block, Expr, ExprKind};
use super::build::{Builder, address};
use super::module::{At, describe};
use crate::diagnostic::Finding;
use crate::iam::{PolicyDocument, parse_policy};
use crate::model::{AttachedPolicy, IssueKind, Role};
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
        unknown: &mut Vec<(String, Loc)>,
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
            unknown.push((path.join("."), loc));
            return;
        }
        let value = self.world.eval(at);
        let text = value.as_symstr().map_or_else(|| describe(at.expr), |s| s.to_string());
        match managed_document(&text, loc) {
            Some(doc) => {
                let name = text.rsplit('/').next().unwrap_or(&text).to_owned();
                if !into.iter().any(|p| p.name == name) {
                    into.push(AttachedPolicy { name, doc, loc });
                }
            }
            None => unknown.push((text, loc)),
        }
    }

    pub(super) fn push_policy(
        &mut self,
        into: &mut Vec<AttachedPolicy>,
        unknown: &mut Vec<(String, Loc)>,
        name: String,
        at: At<'w>,
        sources: &mut SourceMap,
    ) {
        let loc = Loc::new(at.file, at.expr.span);
        let Some((value, file)) = self.policy_value(at, sources, 0) else {
            unknown.push((name, loc));
            return;
        };
        // A statement whose actions or resources cannot be evaluated (a `for` expression, a
        // conditional) proves nothing either way: the policy counts as unreadable (SL003).
        if value.unknown_reason().is_some() || has_unknown_element(&value) {
            unknown.push((name, loc));
            return;
        }
        let (doc, problems) = parse_policy(&value, file);
        for p in problems {
            if p.message.contains("cannot be known statically")
                || p.message.contains("must be a literal")
                || !self.reported_problems.insert((p.loc, p.message.clone()))
            {
                continue;
            }
            self.issue(
                IssueKind::Parse,
                Finding::new(format!("malformed policy {name}: {}", p.message))
                    .at(p.loc, "IAM rejects this policy document at apply time")
                    .help(crate::load::POLICY_HELP),
            );
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
                let rel = rel.replace("${path.module}/", "");
                let path = self.world.modules[end.module].dir.join(rel.trim_start_matches("./"));
                let text = std::fs::read_to_string(&path).ok()?;
                let parsed = crate::syntax::json::parse_json(&text);
                let root = parsed.root?;
                let id = sources.find(&path).unwrap_or_else(|| {
                    sources.add(SourceFile::new(path.clone(), crate::display_path(&path), text.clone()))
                });
                Some((crate::model::resolve::literal_value(&root), id))
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
                    if let Some((v, _)) =
                        self.policy_value(At { module: m, file, expr: item }, sources, depth + 1)
                    {
                        statements.extend(
                            v.get("Statement")
                                .map(|s| s.as_list().into_iter().cloned().collect::<Vec<_>>())
                                .unwrap_or_default(),
                        );
                    }
                }
            }
        }
        for st in b.body.blocks_of("statement") {
            let mut entries = Vec::new();
            let mut put = |key: &str, key_span: Span, value: Value| {
                entries.push(ValueEntry { key: key.to_owned(), key_span, value });
            };
            if let Some(a) = st.body.attr("sid") {
                put("Sid", a.key_span, ev(&a.value));
            }
            match st.body.attr("effect") {
                Some(a) => put("Effect", a.key_span, ev(&a.value)),
                None => put("Effect", st.head, Value::new(ValueKind::Str(SymStr::lit("Allow")), st.head)),
            }
            for (tf, iam) in [
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ] {
                if let Some(a) = st.body.attr(tf) {
                    put(iam, a.key_span, policy_vars(ev(&a.value)));
                }
            }
            let mut conditions: Vec<ValueEntry> = Vec::new();
            for c in st.body.blocks_of("condition") {
                let (Some(test), Some(var)) = (c.body.get("test"), c.body.get("variable")) else { continue };
                let (Some(test_s), Some(var_s)) = (ev(test).as_literal(), ev(var).as_literal()) else {
                    continue;
                };
                let values = c
                    .body
                    .get("values")
                    .map_or(Value::new(ValueKind::List(Vec::new()), c.head), |v| policy_vars(ev(v)));
                let inner = ValueEntry { key: var_s, key_span: var.span, value: values };
                match conditions.iter_mut().find(|e| e.key == test_s) {
                    Some(e) => {
                        if let ValueKind::Map(m) = &mut e.value.kind {
                            m.push(inner);
                        }
                    }
                    None => conditions.push(ValueEntry {
                        key: test_s,
                        key_span: test.span,
                        value: Value::new(ValueKind::Map(vec![inner]), c.head),
                    }),
                }
            }
            if !conditions.is_empty() {
                put("Condition", st.head, Value::new(ValueKind::Map(conditions), st.head));
            }
            let v = Value::new(ValueKind::Map(entries), st.head);
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
                let Some((v, _)) = self.policy_value(At { module: m, file, expr: item }, sources, depth + 1)
                else {
                    continue;
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

    pub(super) fn role_of(&self, at: At<'w>) -> Option<usize> {
        let end = self.world.deref(at);
        if let Some(path) = end.expr.as_ref_path()
            && path.len() >= 2
            && path[0] == "aws_iam_role"
        {
            return self.roles.get(&(end.module, format!("aws_iam_role.{}", path[1]))).copied();
        }
        let text = self.world.eval(end).as_literal()?;
        let name = text.rsplit('/').next()?;
        self.roles.iter().find_map(|((m, addr), i)| {
            let (_, b) = self.world.find(*m, "resource", "aws_iam_role", addr.split('.').nth(1)?)?;
            let n = b.body.get("name")?;
            (self.world.eval_at(*m, n).as_literal()? == name).then_some(*i)
        })
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
        self.attached_by.entry(index).or_default().push(Loc::new(file, b.head));
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
            self.attached_by.entry(index).or_default().push(Loc::new(file, b.head));
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
fn policy_vars(mut v: Value) -> Value {
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

fn managed_document(name_or_arn: &str, loc: Loc) -> Option<PolicyDocument> {
    let policy = crate::iam::managed::lookup(name_or_arn)?;
    let root = crate::syntax::json::parse_json(policy.document_json).root?;
    let value = crate::model::resolve::literal_value(&root);
    let mut doc = parse_policy(&value, FileId(u32::MAX)).0;
    crate::model::cfn::relocate(&mut doc, loc);
    Some(doc)
}

fn has_unknown_element(doc: &Value) -> bool {
    let Some(statements) = doc.get("Statement") else { return false };
    statements.as_list().iter().any(|st| {
        st.unknown_reason().is_some()
            || ["Action", "NotAction", "Resource", "NotResource", "Effect"]
                .iter()
                .any(|k| st.get(k).is_some_and(|v| v.as_list().iter().any(|i| i.unknown_reason().is_some())))
    })
}
