//! A `terraform show -json` plan → a configuration [`Body`]: each planned resource becomes a block
//! whose attributes are its planned values; values unknown until apply are taken from the
//! configuration's `references` (so `role = aws_iam_role.r.arn` is still a reference) or stay
//! computed. Format: <https://developer.hashicorp.com/terraform/internals/json-format>.

use super::ast::{Attr, Block, Body, Expr, ExprKind, ObjItem};
use super::tfjson::literal_expr;
use crate::span::Span;
use crate::syntax::{Node, NodeKind};

#[must_use]
pub fn plan_body(root: &Node) -> Body {
    let mut body = Body::default();
    let config = root.get("configuration");
    let values = root.get("planned_values").or_else(|| root.get("values"));
    if let Some(m) = values.and_then(|p| p.get("root_module")) {
        module_resources(root, m, config.and_then(|c| c.get("root_module")), &mut body);
    }
    // Data sources read during planning are in the prior state.
    if let Some(m) = root.get("prior_state").and_then(|p| p.get("values")).and_then(|v| v.get("root_module"))
    {
        let mut prior = Body::default();
        module_resources(root, m, config.and_then(|c| c.get("root_module")), &mut prior);
        for b in prior.blocks {
            let seen =
                body.blocks.iter().any(|x| x.kind == b.kind && x.labels == b.labels && x.prefix == b.prefix);
            if b.kind == "data" && !seen {
                body.blocks.push(b);
            }
        }
    }
    if let Some(m) = values.and_then(|p| p.get("root_module")) {
        module_scopes(m, "", config.and_then(|c| c.get("root_module")), &mut body);
    }
    if let Some(vars) = root.get("variables") {
        for e in vars.entries() {
            let mut b = Body::default();
            if let Some(v) = e.value.get("value") {
                b.attrs.push(Attr { name: "default".into(), key_span: e.key_span, value: literal_expr(v) });
            }
            body.blocks.push(block(
                "variable",
                vec![(e.key.as_str().to_owned(), e.key_span)],
                e.key_span,
                b,
                "",
            ));
        }
    }
    if let Some(pc) = config.and_then(|c| c.get("provider_config")) {
        for e in pc.entries() {
            let mut b = Body::default();
            for x in e.value.get("expressions").map(Node::entries).unwrap_or_default() {
                b.attrs.push(Attr {
                    name: x.key.as_str().to_owned(),
                    key_span: x.key_span,
                    value: config_expr(&x.value),
                });
            }
            let name = e.value.get("name").and_then(Node::as_str).unwrap_or(&e.key).to_owned();
            body.blocks.push(block("provider", vec![(name, e.key_span)], e.key_span, b, ""));
        }
    }
    settle_references(&mut body, config.and_then(|c| c.get("root_module")));
    body
}

fn block(kind: &str, labels: Vec<(String, Span)>, head: Span, body: Body, prefix: &str) -> Block {
    Block { kind: kind.to_owned(), labels, head, body, prefix: prefix.to_owned() }
}

fn module_resources(root: &Node, module: &Node, config: Option<&Node>, out: &mut Body) {
    for r in module.get("resources").map(Node::items).unwrap_or_default() {
        let s = |k: &str| r.get(k).and_then(Node::as_str).unwrap_or("");
        let address = s("address");
        let (kind, name) = (s("type"), s("name"));
        let prefix = address.find(&format!("{kind}.{name}")).map_or("", |i| &address[..i]);
        let prefix = if s("mode") == "data" { prefix.trim_end_matches("data.") } else { prefix };
        let head = r.entry("address").map_or(r.span, |e| e.value.span);
        let mode = if s("mode") == "data" { "data" } else { "resource" };
        let config_res = find_config(config, prefix, mode, kind, name);
        let change = root.get("resource_changes").and_then(|rc| {
            rc.items().iter().find(|c| c.get("address").and_then(Node::as_str) == Some(address))
        });
        let unknown = change.and_then(|c| c.get("change")).and_then(|c| c.get("after_unknown"));
        let exprs = config_res.and_then(|c| c.get("expressions"));
        let body = values_body(r.get("values"), unknown, exprs, address, r.span);
        // Instances of a counted resource (`x[0]`, `x["a"]`) are configured alike: the first
        // stands for all, as for `count`/`for_each` in configuration files.
        let seen = out
            .blocks
            .iter()
            .any(|b| b.kind == mode && b.prefix == prefix && b.label(0) == kind && b.label(1) == name);
        if seen {
            continue;
        }
        let labels = vec![(kind.to_owned(), head), (name.to_owned(), head)];
        out.blocks.push(block(mode, labels, head, body, prefix));
    }
    for child in module.get("child_modules").map(Node::items).unwrap_or_default() {
        module_resources(root, child, config, out);
    }
}

/// The variables of each child module instance in `module` (planned values, whose `child_modules`
/// carry their addresses, `module.a["k"].module.b`), and the call that gives them values in its
/// parent. The plan's top-level `variables` are the root module's only; a child module's are
/// declared in `configuration` under `module_calls.<name>.module.variables` (a `default` as a plain
/// value), its inputs under `module_calls.<name>.expressions`
/// (<https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation>).
/// Without them a reference the plan took from a child's configuration (`var.kms_key_arn` where
/// the planned value is null) would name nothing.
fn module_scopes(module: &Node, prefix: &str, config: Option<&Node>, out: &mut Body) {
    for child in module.get("child_modules").map(Node::items).unwrap_or_default() {
        let Some(address) = child.get("address").and_then(Node::as_str) else { continue };
        let Some(rest) = address.strip_prefix(prefix).and_then(|r| r.strip_prefix("module.")) else {
            continue;
        };
        // `name`, `name[0]` or `name["k"]`: every instance of a call has the same configuration.
        let name = rest.split('[').next().unwrap_or(rest);
        let head = child.entry("address").map_or(child.span, |e| e.value.span);
        let call = config.and_then(|c| c.get("module_calls")).and_then(|c| c.get(name));
        let child_config = call.and_then(|c| c.get("module"));
        let child_prefix = format!("{address}.");
        for v in child_config.and_then(|c| c.get("variables")).map(Node::entries).unwrap_or_default() {
            let mut b = Body::default();
            if let Some(d) = v.value.get("default") {
                b.attrs.push(Attr { name: "default".into(), key_span: v.key_span, value: literal_expr(d) });
            }
            out.blocks.push(block(
                "variable",
                vec![(v.key.as_str().to_owned(), v.key_span)],
                v.key_span,
                b,
                &child_prefix,
            ));
        }
        let seen = out.blocks.iter().any(|b| b.kind == "module" && b.prefix == prefix && b.label(0) == name);
        if !seen {
            let mut b = Body::default();
            for x in call.and_then(|c| c.get("expressions")).map(Node::entries).unwrap_or_default() {
                let value = call_input(&x.value, &format!("{child_prefix}var.{}", x.key));
                b.attrs.push(Attr { name: x.key.as_str().to_owned(), key_span: x.key_span, value });
            }
            out.blocks.push(block("module", vec![(name.to_owned(), head)], head, b, prefix));
        }
        module_scopes(child, &child_prefix, child_config, out);
    }
}

/// A module call's input as the child module sees it: a constant, or the one object it names
/// (`module.networking.vpc_id`, listed with its parent `module.networking`). An expression built
/// from several references (`"${var.account}.dkr.ecr.${var.region}..."`) is not any one of them,
/// and the plan does not give the value a child module receives: it stays a symbol.
fn call_input(node: &Node, what: &str) -> Expr {
    if let Some(v) = node.get("constant_value") {
        return literal_expr(v);
    }
    let refs: Vec<&str> =
        node.get("references").map(Node::items).unwrap_or_default().iter().filter_map(Node::as_str).collect();
    if let Some(first) = refs.first()
        && refs.iter().all(|r| {
            first.strip_prefix(r).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
        && let Some(x) = reference_expr(node)
    {
        return x;
    }
    Expr::new(ExprKind::Computed(what.to_owned()), node.span)
}

/// Planned values (an object) → a block body. Leaves unknown until apply (`after_unknown: true`)
/// are omitted from the values: they are taken from the configuration's `references`, or kept as
/// computed. Nested blocks (lists of objects) become blocks too, matched to their unknowns and
/// configuration by position.
fn values_body(
    values: Option<&Node>,
    unknown: Option<&Node>,
    config: Option<&Node>,
    address: &str,
    at: Span,
) -> Body {
    let mut body = Body::default();
    for e in values.map(Node::entries).unwrap_or_default() {
        let cfg = config.and_then(|c| c.get(&e.key));
        let unk = unknown.and_then(|u| u.get(&e.key));
        let path = format!("{address}.{}", e.key);
        let from_config = cfg.and_then(reference_expr);
        let value = match (&e.value.kind, from_config) {
            (NodeKind::Null, Some(x)) => x,
            (_, Some(x)) if x.as_ref_path().is_some_and(names_attribute) && !e.value.is_map() => x,
            (NodeKind::Map(_), _) => map_expr(&e.value, unk, cfg, &path),
            _ => literal_expr(&e.value),
        };
        let items: Vec<&Node> = match &e.value.kind {
            NodeKind::Seq(items) if items.iter().all(Node::is_map) => items.iter().collect(),
            _ => Vec::new(),
        };
        for (i, item) in items.into_iter().enumerate() {
            let nested = values_body(Some(item), nth(unk, i), nth(cfg, i), &path, item.span);
            body.blocks.push(block(&e.key, Vec::new(), e.key_span, nested, ""));
        }
        body.attrs.push(Attr { name: e.key.as_str().to_owned(), key_span: e.key_span, value });
    }
    for e in unknown.map(Node::entries).unwrap_or_default() {
        if values.and_then(|v| v.get(&e.key)).is_some() || !matches!(e.value.kind, NodeKind::Bool(true)) {
            continue;
        }
        let value = config
            .and_then(|x| x.get(&e.key))
            .and_then(reference_expr)
            .unwrap_or_else(|| Expr::new(ExprKind::Computed(format!("{address}.{}", e.key)), at));
        body.attrs.push(Attr { name: e.key.as_str().to_owned(), key_span: e.key_span, value });
    }
    body
}

/// The `i`th nested block's counterpart: lists are matched by position, a single object is shared.
fn nth(node: Option<&Node>, i: usize) -> Option<&Node> {
    node.and_then(|n| if n.is_map() { Some(n) } else { n.items().get(i) })
}

/// A map value (`environment.variables`) with its unknown keys filled in: from the map's
/// configuration references when it names exactly one resource attribute, else computed.
fn map_expr(node: &Node, unknown: Option<&Node>, config: Option<&Node>, path: &str) -> Expr {
    let mut expr = literal_expr(node);
    let ExprKind::Object(items) = &mut expr.kind else { return expr };
    let refs: Vec<&str> = config
        .and_then(|c| c.get("references"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .filter(|r| r.split('.').count() >= 3 && !r.starts_with("var.") && !r.starts_with("local."))
        .collect();
    for e in unknown.map(Node::entries).unwrap_or_default() {
        if node.get(&e.key).is_some() || !matches!(e.value.kind, NodeKind::Bool(true)) {
            continue;
        }
        let value = match refs.as_slice() {
            [only] => Expr::new(ExprKind::Ref(split_address(only)), node.span),
            _ => Expr::new(ExprKind::Computed(format!("{path}.{}", e.key)), node.span),
        };
        items.push(ObjItem { key: e.key.as_str().to_owned(), key_span: node.span, value });
    }
    expr
}

/// The configuration entry of a resource (`module_calls` followed for child modules).
fn find_config<'n>(
    config: Option<&'n Node>,
    prefix: &str,
    mode: &str,
    kind: &str,
    name: &str,
) -> Option<&'n Node> {
    module_config(config, prefix)?.get("resources")?.items().iter().find(|r| {
        r.get("type").and_then(Node::as_str) == Some(kind)
            && r.get("name").and_then(Node::as_str) == Some(name)
            && r.get("mode").and_then(Node::as_str).unwrap_or("managed")
                == if mode == "data" { "data" } else { "managed" }
    })
}

/// The configuration of the module at `prefix` (`module.a["k"].module.b.`), through `module_calls`.
fn module_config<'n>(config: Option<&'n Node>, prefix: &str) -> Option<&'n Node> {
    let mut module = config?;
    for part in prefix.split("module.").filter(|p| !p.is_empty()) {
        let call = part.trim_end_matches('.').split('[').next().unwrap_or("");
        module = module.get("module_calls")?.get(call)?.get("module")?;
    }
    Some(module)
}

/// References a valid configuration makes that the plan cannot resolve (Terraform validated them
/// before planning): a local value, since the configuration representation lists no locals, and a
/// resource the configuration declares but the plan makes no instance of (`count = 0`, named in
/// a branch not taken, `var.create ? aws_kms_key.k[0].arn : null`). They become symbols, neither
/// SL002 nor a value; a reference to something the configuration does not declare stays one.
fn settle_references(body: &mut Body, config: Option<&Node>) {
    let planned: Vec<(String, String, String, String)> = body
        .blocks
        .iter()
        .filter(|b| matches!(b.kind.as_str(), "resource" | "data"))
        .map(|b| (b.prefix.clone(), b.kind.clone(), b.label(0).to_owned(), b.label(1).to_owned()))
        .collect();
    for b in &mut body.blocks {
        let module = module_config(config, &b.prefix);
        let scope = Scope { prefix: &b.prefix, module, planned: &planned };
        settle_body(&mut b.body, &scope);
    }
}

struct Scope<'s> {
    prefix: &'s str,
    module: Option<&'s Node>,
    planned: &'s [(String, String, String, String)],
}

fn settle_body(body: &mut Body, scope: &Scope<'_>) {
    for a in &mut body.attrs {
        settle_expr(&mut a.value, scope);
    }
    for b in &mut body.blocks {
        settle_body(&mut b.body, scope);
    }
}

fn settle_expr(expr: &mut Expr, scope: &Scope<'_>) {
    match &mut expr.kind {
        ExprKind::Ref(path) => {
            let seg = |i: usize| path.get(i).map_or("", String::as_str);
            let object = match seg(0) {
                "local" => None,
                "data" => Some(("data", seg(1), seg(2))),
                t if t.contains('_') => Some(("resource", t, seg(1))),
                _ => return,
            };
            if let Some((mode, kind, name)) = object {
                let planned = scope
                    .planned
                    .iter()
                    .any(|(p, m, k, n)| p == scope.prefix && m == mode && k == kind && n == name);
                let configured = scope.module.and_then(|m| m.get("resources")).is_some_and(|rs| {
                    rs.items().iter().any(|r| {
                        r.get("type").and_then(Node::as_str) == Some(kind)
                            && r.get("name").and_then(Node::as_str) == Some(name)
                            && r.get("mode").and_then(Node::as_str).unwrap_or("managed")
                                == if mode == "data" { "data" } else { "managed" }
                    })
                });
                if planned || !configured {
                    return;
                }
            }
            let mut text = scope.prefix.to_owned();
            for (i, p) in path.iter().enumerate() {
                if i > 0 && !p.starts_with('[') {
                    text.push('.');
                }
                text.push_str(p);
            }
            expr.kind = ExprKind::Computed(text);
        }
        ExprKind::Object(items) => items.iter_mut().for_each(|i| settle_expr(&mut i.value, scope)),
        ExprKind::Tuple(items) => items.iter_mut().for_each(|i| settle_expr(i, scope)),
        _ => {}
    }
}

/// A configuration expression: `{"references": [...]}` → the most specific reference,
/// `{"constant_value": v}` → v.
fn config_expr(node: &Node) -> Expr {
    reference_expr(node)
        .or_else(|| node.get("constant_value").map(literal_expr))
        .unwrap_or_else(|| Expr::new(ExprKind::Computed("a computed value".into()), node.span))
}

fn reference_expr(node: &Node) -> Option<Expr> {
    let refs = node.get("references")?;
    let first = refs.items().first()?;
    let text = first.as_str()?;
    let path = split_address(text);
    Some(Expr::new(ExprKind::Ref(path), first.span))
}

/// True when a reference path names an attribute of an object (`aws_iam_role.r.arn`,
/// `aws_iam_role.r[0].arn`), not the object itself (`aws_iam_role.r`, `aws_iam_role.r[0]`).
fn names_attribute(path: &[String]) -> bool {
    path.iter().filter(|p| !p.starts_with('[')).count() >= 3
}

/// `aws_iam_role.r.arn` → `[aws_iam_role, r, arn]`, `module.m.out` likewise. An instance key is a
/// step of its own, as the HCL reader writes it: `aws_x.y[0].arn` → `[aws_x, y, [0], arn]`,
/// `aws_x.y["a.b"]` → `[aws_x, y, [a.b]]`, so that the resource is found by its name and the
/// key selects an instance (instances of a counted resource are configured alike).
fn split_address(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
            }
            '[' => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
                let mut key = String::new();
                let mut quoted = false;
                let mut escaped = false;
                for k in chars.by_ref() {
                    match k {
                        _ if escaped => {
                            key.push(k);
                            escaped = false;
                        }
                        '\\' if quoted => escaped = true,
                        '"' => quoted = !quoted,
                        ']' if !quoted => break,
                        _ => key.push(k),
                    }
                }
                parts.push(format!("[{key}]"));
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}
