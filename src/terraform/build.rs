//! Terraform modules → the model: roles with their policies and attachments, functions with role,
//! environment, timeout and handler calls, endpoints; SL002/SL003 evidence on the way. Finding
//! `resource`s are Terraform addresses (`aws_lambda_function.scorer`).

use std::collections::BTreeMap;

use super::ast::{Block, Expr, ExprKind};
use super::module::{At, World, describe};
use crate::diagnostic::Finding;
use crate::iam::{PolicyDocument, parse_policy};
use crate::model::cfn::CodeCache;
use crate::model::handler::{EndpointName, InvokeApi};
use crate::model::{
    AttachedPolicy, Call, Endpoint, Function, Issue, IssueKind, Model, Role, RoleRef, Target,
};
use crate::source::{SourceFile, SourceMap};
use crate::span::{FileId, Loc, Span};
use crate::value::{SymStr, Value, ValueEntry, ValueKind};

pub(super) struct Builder<'w, 'a> {
    pub(super) world: &'w World<'a>,
    pub(super) model: &'w mut Model,
    pub scan_code: bool,
    /// (module, address) → role index
    roles: BTreeMap<(usize, String), usize>,
    endpoints: BTreeMap<(usize, String), usize>,
    /// role index → the resources that attach policies to it
    attached_by: BTreeMap<usize, Vec<Loc>>,
    /// Policy problems already reported (a document is read once per role and module instance).
    reported_problems: std::collections::BTreeSet<(Loc, String)>,
    /// Policy documents being assembled, to cut `source_policy_documents` cycles.
    assembling: Vec<(usize, String)>,
}

pub(super) fn address(world: &World<'_>, m: usize, b: &Block) -> String {
    let data = if b.kind == "data" { "data." } else { "" };
    // A plan's blocks carry their module address; a configuration's module knows its own.
    let module = if b.prefix.is_empty() { world.modules[m].address.as_str() } else { b.prefix.as_str() };
    format!("{module}{data}{}.{}", b.label(0), b.label(1))
}

impl<'w, 'a> Builder<'w, 'a> {
    pub(super) fn new(world: &'w World<'a>, model: &'w mut Model, scan_code: bool) -> Self {
        Self {
            world,
            model,
            scan_code,
            roles: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            attached_by: BTreeMap::new(),
            reported_problems: std::collections::BTreeSet::new(),
            assembling: Vec::new(),
        }
    }

    fn issue(&mut self, kind: IssueKind, finding: Finding) {
        self.model.issues.push(Issue { kind, finding });
    }

    pub(super) fn run(&mut self, sources: &mut SourceMap, cache: &mut CodeCache) {
        let n = self.world.modules.len();
        for m in 0..n {
            self.check_module(m);
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                match b.label(0) {
                    "aws_iam_role" => self.add_role(m, file, b, sources),
                    "aws_sagemaker_endpoint" => self.add_endpoint(m, file, b),
                    _ => {}
                }
            }
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                match b.label(0) {
                    "aws_iam_role_policy" => self.attach_role_policy(m, file, b, sources),
                    "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment" => {
                        self.attach_policy_resource(m, file, b, sources);
                    }
                    _ => {}
                }
            }
        }
        // A role whose permissions all come from one attaching resource: that is where a missing
        // statement belongs. With several, the role itself is the honest place to point at.
        for (index, locs) in std::mem::take(&mut self.attached_by) {
            if let [only] = locs.as_slice() {
                self.model.roles[index].policies_loc.get_or_insert(*only);
            }
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                if b.label(0) == "aws_lambda_function" {
                    self.add_function(m, file, b, sources, cache);
                } else {
                    self.add_network(m, file, b, sources);
                }
            }
        }
        for m in 0..n {
            for (file, b) in self.world.resources(m).collect::<Vec<_>>() {
                self.add_network_links(m, file, b);
            }
        }
    }

    // ---- SL002 / SL003 --------------------------------------------------------------------------

    fn check_module(&mut self, m: usize) {
        let world = self.world;
        for (file, b) in &world.modules[m].blocks {
            // `moved`, `import`, `removed` and `check` blocks may name objects that no longer or not
            // yet exist; variables' validations refer only to themselves.
            if !matches!(b.kind.as_str(), "resource" | "data" | "module" | "output" | "locals" | "provider") {
                continue;
            }
            let addr = if matches!(b.kind.as_str(), "resource" | "data") {
                Some(address(world, m, b))
            } else {
                None
            };
            let mut refs = Vec::new();
            collect_body_refs(&b.body, &mut refs);
            for r in refs {
                if !world.modules[m].complete {
                    break;
                }
                let Some(path) = r.as_ref_path() else { continue };
                if world.declares(m, path) {
                    continue;
                }
                let what = path
                    .iter()
                    .take(if path[0] == "data" { 3 } else { 2 })
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(".");
                let kind = match path[0].as_str() {
                    "var" => "variable",
                    "local" => "local value",
                    "module" => "module",
                    "data" => "data source",
                    _ => "resource",
                };
                let declared: Vec<String> = world.modules[m]
                    .blocks
                    .iter()
                    .filter_map(|(_, d)| match d.kind.as_str() {
                        "variable" => Some(format!("var.{}", d.label(0))),
                        "module" => Some(format!("module.{}", d.label(0))),
                        "resource" => Some(format!("{}.{}", d.label(0), d.label(1))),
                        "data" => Some(format!("data.{}.{}", d.label(0), d.label(1))),
                        _ => None,
                    })
                    .collect();
                let help = match crate::model::cfn::closest(&what, declared.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean {close}?"),
                    None => format!("declare the {kind} in this module's .tf files, or fix the name"),
                };
                let mut f = Finding::new(format!("reference to undeclared {kind} {what}"))
                    .at(Loc::new(*file, r.span), "not declared in this module")
                    .help(help);
                if let Some(a) = &addr {
                    f = f.resource(a.clone());
                }
                self.issue(IssueKind::Unresolved, f);
            }
            if b.kind == "module"
                && let Some(src) = b.body.get("source")
                && let ExprKind::Str(s) = &src.kind
                && !(s.starts_with("./") || s.starts_with("../"))
            {
                self.issue(
                    IssueKind::Undecidable,
                    Finding::new(format!(
                        "module {} comes from {s}, which is not in the scanned files",
                        b.label(0)
                    ))
                    .at(Loc::new(*file, src.span), "remote module source")
                    .help("the module's resources are not checked; lint a checkout of the module as well"),
                );
            }
            if let Some(a) = &addr
                && let Some(attr) = b.body.attr("count").or_else(|| b.body.attr("for_each"))
                && matches!(b.label(0), "aws_lambda_function" | "aws_iam_role" | "aws_sagemaker_endpoint")
            {
                // One or more instances, all configured alike: checked once, and said so.
                self.issue(
                    IssueKind::Undecidable,
                    Finding::new(format!("{a} uses {}: its instances are checked as one", attr.name))
                        .at(Loc::new(*file, attr.key_span), "one or more instances")
                        .help("instance-specific values (count.index, each.key) are treated as unknown")
                        .resource(a.clone()),
                );
            }
        }
    }

    // ---- roles and policies ---------------------------------------------------------------------

    fn add_role(&mut self, m: usize, file: FileId, b: &'w Block, sources: &mut SourceMap) {
        let addr = address(self.world, m, b);
        let mut role = Role {
            id: addr.clone(),
            loc: Loc::new(file, b.head),
            policies: Vec::new(),
            policies_loc: None,
            boundary: None,
            unknown_policies: Vec::new(),
        };
        for (i, ip) in b.body.blocks_of("inline_policy").enumerate() {
            role.policies_loc.get_or_insert(Loc::new(file, ip.head));
            let name = ip
                .body
                .get("name")
                .and_then(|n| self.world.eval(At { module: m, file, expr: n }).as_literal());
            let name = format!("{addr} inline policy {}", name.unwrap_or_else(|| i.to_string()));
            if let Some(p) = ip.body.get("policy") {
                self.push_policy(
                    &mut role.policies,
                    &mut role.unknown_policies,
                    name,
                    At { module: m, file, expr: p },
                    sources,
                );
            }
        }
        if let Some(attr) = b.body.attr("managed_policy_arns") {
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
        if let Some(pb) = b.body.get("permissions_boundary") {
            let mut policies = Vec::new();
            let mut unknown = Vec::new();
            self.attach_arn(&mut policies, &mut unknown, At { module: m, file, expr: pb }, sources);
            role.boundary = Some(policies);
        }
        let index = self.model.roles.len();
        self.roles.insert((m, format!("{}.{}", b.label(0), b.label(1))), index);
        self.model.roles.push(role);
    }

    /// A policy ARN: an `aws_iam_policy` of this module, an AWS managed policy, or unknown.
    fn attach_arn(
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
        if value.unknown_reason().is_some() {
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
    fn policy_value(&mut self, at: At<'w>, sources: &mut SourceMap, depth: usize) -> Option<(Value, FileId)> {
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

    fn eval_owned(&self, m: usize, expr: &Expr) -> Value {
        self.world.eval_at(m, expr)
    }

    /// `data "aws_iam_policy_document"` → a policy document value (aws-semantics §9.2).
    fn policy_document_data(
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

    fn role_of(&self, at: At<'w>) -> Option<usize> {
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

    fn attach_role_policy(&mut self, m: usize, file: FileId, b: &'w Block, sources: &mut SourceMap) {
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

    fn attach_policy_resource(&mut self, m: usize, file: FileId, b: &'w Block, sources: &mut SourceMap) {
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

    // ---- endpoints and functions ----------------------------------------------------------------

    fn add_endpoint(&mut self, m: usize, file: FileId, b: &'w Block) {
        let name_expr = b.body.get("name");
        let name = name_expr.and_then(|n| self.world.eval_at(m, n).as_symstr());
        self.endpoints.insert((m, b.label(1).to_owned()), self.model.endpoints.len());
        self.model.endpoints.push(Endpoint {
            id: address(self.world, m, b),
            name,
            name_loc: name_expr.map(|n| Loc::new(file, n.span)),
            loc: Loc::new(file, b.head),
        });
    }

    fn add_function(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
    ) {
        let addr = address(self.world, m, b);
        let at = |e: &'w Expr| At { module: m, file, expr: e };
        let role = match b.body.get("role") {
            Some(r) => match self.role_of(at(r)) {
                Some(i) => RoleRef::Known(i),
                None => {
                    RoleRef::Unknown { why: unknown_role_why(self.world, at(r)), loc: Loc::new(file, r.span) }
                }
            },
            None => RoleRef::Unknown {
                why: format!("function {addr} has no role argument (Terraform requires one)"),
                loc: Loc::new(file, b.head),
            },
        };
        let env = self.environment(m, file, b);
        let mut calls = Vec::new();
        let mut code_read = false;
        let mut explicit_endpoint_url = false;
        if self.scan_code {
            for path in self.code_files(m, file, b) {
                let Some((code, _, scan)) = cache.scan_file(sources, &path) else { continue };
                code_read = true;
                explicit_endpoint_url |= scan.explicit_endpoint_url;
                for call in &scan.calls {
                    let loc = |s: Span| Loc::new(code, s);
                    let (target, env_loc) = self.call_target(&call.endpoint, &env, loc);
                    calls.push(Call {
                        api: call.api,
                        site: loc(call.span),
                        target,
                        env_loc,
                        handled: Some(call.in_error_handler),
                    });
                }
            }
        }
        if calls.is_empty() && !code_read {
            for (_, v) in env.as_deref().unwrap_or_default() {
                if let Some(target) = self.endpoint_reference(*v) {
                    let loc = Loc::new(v.file, v.expr.span);
                    calls.push(Call {
                        api: InvokeApi::InvokeEndpoint,
                        site: loc,
                        target,
                        env_loc: Some(loc),
                        handled: None,
                    });
                }
            }
        }
        let timeout_expr = b.body.get("timeout");
        let timeout = match timeout_expr {
            Some(t) => self.world.eval(at(t)).as_literal().and_then(|t| t.parse().ok()),
            None => Some(3),
        };
        let name = b
            .body
            .get("function_name")
            .and_then(|n| self.world.eval(at(n)).as_symstr())
            .unwrap_or_else(|| SymStr::sym(&format!("{addr}.function_name")));
        self.model.functions.push(Function {
            id: addr,
            loc: Loc::new(file, b.head),
            role,
            calls,
            name,
            timeout,
            timeout_loc: timeout_expr.map(|t| Loc::new(file, t.span)),
            vpc: self.vpc_config(m, file, b),
            explicit_endpoint_url,
            partition: self.world.deployment.partition(),
            region: self.world.region(m),
            account: self.world.deployment.account(),
        });
    }

    /// `environment { variables = … }`: a literal object, a local or variable holding one, or
    /// `merge(…)` of those; anything else (a computed map, a `dynamic` block, a plan value known
    /// only after apply) makes the set of variables unknown rather than empty.
    fn environment(&self, m: usize, file: FileId, b: &'w Block) -> Result<Vec<(String, At<'w>)>, String> {
        if b.body.blocks_of("dynamic").any(|d| d.label(0) == "environment") {
            return Err("the environment block is dynamic".into());
        }
        if b.body.blocks_of("environment").next().is_none()
            && let Some(e) = b.body.get("environment")
            && !matches!(&e.kind, ExprKind::Tuple(items) if items.is_empty())
            && !matches!(e.kind, ExprKind::Null)
        {
            return Err(format!("{} is computed", describe(e)));
        }
        let mut out: Vec<(String, At<'w>)> = Vec::new();
        for block in b.body.blocks_of("environment") {
            let Some(v) = block.body.get("variables") else { continue };
            self.env_object(At { module: m, file, expr: v }, &mut out, 0)?;
        }
        Ok(out)
    }

    fn env_object(&self, at: At<'w>, out: &mut Vec<(String, At<'w>)>, depth: usize) -> Result<(), String> {
        let end = self.world.deref(at);
        match &end.expr.kind {
            ExprKind::Object(items) => {
                for i in items {
                    let value = At { module: end.module, file: end.file, expr: &i.value };
                    match out.iter_mut().find(|(k, _)| *k == i.key) {
                        Some(slot) => slot.1 = value,
                        None => out.push((i.key.clone(), value)),
                    }
                }
                Ok(())
            }
            ExprKind::Call(name, args) if name == "merge" && depth < 8 => {
                for a in args {
                    self.env_object(At { module: end.module, file: end.file, expr: a }, out, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(format!("the variables are {}", describe(end.expr))),
        }
    }

    /// Handler files: `filename`/`source_code_hash` from a `data "archive_file"` (its `source_file`
    /// or `source_dir`), with `handler = "module.function"` naming the file in a folder.
    fn code_files(&self, m: usize, file: FileId, b: &'w Block) -> Vec<std::path::PathBuf> {
        let dir = self.world.modules[m].dir.clone();
        let mut source: Option<std::path::PathBuf> = None;
        for key in ["filename", "source_code_hash"] {
            let Some(e) = b.body.get(key) else { continue };
            let end = self.world.deref(At { module: m, file, expr: e });
            if let Some(path) = end.expr.as_ref_path()
                && path.len() >= 3
                && path[0] == "data"
                && path[1] == "archive_file"
                && let Some((_, ab)) = self.world.find(end.module, "data", "archive_file", &path[2])
            {
                let mdir = self.world.modules[end.module].dir.clone();
                for k in ["source_file", "source_dir"] {
                    if let Some(s) = ab.body.get(k)
                        && let Some(p) = self.world.eval_at(end.module, s).as_literal()
                    {
                        source = Some(mdir.join(strip_path_module(&p)));
                    }
                }
                break;
            }
        }
        let Some(source) = source else { return Vec::new() };
        let _ = dir;
        if source.is_file() {
            return vec![source];
        }
        let handler =
            b.body.get("handler").and_then(|h| self.world.eval_at(m, h).as_literal()).unwrap_or_default();
        let Some((module, _)) = handler.rsplit_once('.') else { return Vec::new() };
        let mut out = Vec::new();
        for ext in ["py", "js", "mjs", "cjs", "ts"] {
            let p = source.join(module.replace('.', "/")).with_extension(ext);
            if p.is_file() {
                out.push(p);
            }
        }
        // Helper modules of the archive count when the handler imports them (as for SAM's CodeUri).
        if !out.is_empty() {
            let handler_text: String =
                out.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect::<Vec<_>>().join("\n");
            for sibling in crate::model::cfn::sibling_sources(&source) {
                let stem = sibling.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                if !out.contains(&sibling)
                    && !stem.is_empty()
                    && crate::model::cfn::mentions_module(&handler_text, stem)
                {
                    out.push(sibling);
                }
            }
        }
        out
    }

    fn endpoint_reference(&self, at: At<'w>) -> Option<Target> {
        let end = self.world.deref(at);
        let path = end.expr.as_ref_path()?;
        if path.len() == 3 && path[0] == "aws_sagemaker_endpoint" {
            let index = *self.endpoints.get(&(end.module, path[1].clone()))?;
            let loc = Loc::new(at.file, at.expr.span);
            if path[2] == "arn" {
                let text = self.world.eval(end).as_symstr().map(|s| s.to_string()).unwrap_or_default();
                return Some(Target::Arn { text, loc });
            }
            return Some(Target::Endpoint { index, loc });
        }
        None
    }

    fn call_target(
        &self,
        name: &EndpointName,
        env: &Result<Vec<(String, At<'w>)>, String>,
        loc: impl Fn(Span) -> Loc,
    ) -> (Target, Option<Loc>) {
        match name {
            EndpointName::Literal { value, span } => (literal_target(value, loc(*span)), None),
            EndpointName::EnvVar { var, span, default } => {
                let env = match env {
                    Ok(env) => env,
                    Err(why) => {
                        let why = format!("environment variable {var} cannot be read: {why}");
                        return (Target::Unknown { why, loc: loc(*span) }, None);
                    }
                };
                let Some((_, v)) = env.iter().find(|(k, _)| k == var) else {
                    return match default {
                        Some(d) => (literal_target(d, loc(*span)), None),
                        None => (Target::MissingEnv { var: var.clone(), loc: loc(*span) }, None),
                    };
                };
                let vloc = Loc::new(v.file, v.expr.span);
                if let Some(t) = self.endpoint_reference(*v) {
                    return (t, Some(vloc));
                }
                let value = self.world.eval(*v);
                let target = match value.as_symstr() {
                    Some(s) if s.is_literal() => literal_target(s.as_literal().unwrap_or(""), vloc),
                    Some(s) => Target::Symbolic {
                        why: format!("environment variable {var} is {s}, which is not known statically"),
                        name: s,
                        loc: vloc,
                    },
                    None => Target::Unknown {
                        why: format!(
                            "environment variable {var} cannot be known statically ({})",
                            value.unknown_reason().unwrap_or("not a string")
                        ),
                        loc: vloc,
                    },
                };
                (target, Some(vloc))
            }
            EndpointName::Dynamic { span, why } => {
                (Target::Unknown { why: format!("the endpoint name is {why}"), loc: loc(*span) }, None)
            }
            EndpointName::Missing => (
                Target::Unknown {
                    why: "the call passes no EndpointName that can be read".into(),
                    loc: loc(Span::default()),
                },
                None,
            ),
        }
    }
}

fn strip_path_module(p: &str) -> &str {
    p.trim_start_matches("${path.module}/").trim_start_matches("./")
}

fn unknown_role_why(world: &World<'_>, at: At<'_>) -> String {
    let value = world.eval(at);
    let Some(s) = value.as_symstr() else {
        return format!(
            "the role cannot be known statically ({})",
            value.unknown_reason().unwrap_or("computed")
        );
    };
    match s.symbols().next().map(|sym| sym.0.as_str()) {
        Some(v) if v.contains("var.") => format!("the role comes from variable {v}, which has no value here"),
        _ => format!("the role {s} is not defined in the scanned files"),
    }
}

fn literal_target(name: &str, loc: Loc) -> Target {
    if name.starts_with("arn:") {
        Target::Arn { text: name.to_owned(), loc }
    } else {
        Target::Name { name: name.to_owned(), loc }
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

fn collect_body_refs<'e>(body: &'e super::ast::Body, out: &mut Vec<&'e Expr>) {
    for a in &body.attrs {
        a.value.refs(out);
    }
    for b in &body.blocks {
        match b.kind.as_str() {
            // `ignore_changes` names attributes, not objects.
            "lifecycle" => {}
            // The content refers to the block's iterator, which is local to it.
            "dynamic" => {
                if let Some(e) = b.body.get("for_each") {
                    e.refs(out);
                }
            }
            _ => collect_body_refs(&b.body, out),
        }
    }
}
