//! `.tf.json` and `terraform show -json` plans → [`ast`](super::ast).
//!
//! In `.tf.json` every string is a template (`"${aws_iam_role.r.arn}"`); the template is parsed and
//! its spans are placed inside the string when the string has no escapes (else on the whole string).
//! A JSON object may be a nested block or a map attribute; the two cannot be told apart without
//! the provider schema, so objects are offered as both.
//! Plan format: <https://developer.hashicorp.com/terraform/internals/json-format> (aws-semantics §9.3).

use super::ast::{Attr, Block, Body, Expr, ExprKind, ObjItem};
use crate::span::Span;
use crate::syntax::{Node, NodeKind};

/// True when a JSON document is `terraform show -json` output: a plan, or the state (whose
/// `values` have the same shape as a plan's `planned_values`).
#[must_use]
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("configuration").is_some()
            || root.get("values").and_then(|v| v.get("root_module")).is_some())
}

/// A `.tfvars.json` document: each key a variable value (literal, no templates).
#[must_use]
pub fn tfvars_body(root: &Node) -> Body {
    let mut body = Body::default();
    for e in root.entries() {
        body.attrs.push(Attr {
            name: e.key.as_str().to_owned(),
            key_span: e.key_span,
            value: literal_expr(&e.value),
        });
    }
    body
}

/// Top-level block kinds of a configuration file in JSON syntax, with their label depth.
const BLOCK_DEPTH: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("variable", 1),
    ("output", 1),
    ("module", 1),
    ("provider", 1),
    ("locals", 0),
    ("terraform", 0),
];

/// A `.tf.json` document → the body of a configuration file.
#[must_use]
pub fn config_body(root: &Node, text: &str) -> Body {
    let mut body = Body::default();
    for e in root.entries() {
        let depth = BLOCK_DEPTH.iter().find(|(k, _)| *k == e.key).map(|(_, d)| *d);
        let Some(depth) = depth else { continue };
        let mut labels = Vec::new();
        blocks_at(&e.key, e.key_span, &e.value, depth, &mut labels, text, &mut body.blocks);
    }
    body
}

fn blocks_at(
    kind: &str,
    head: Span,
    node: &Node,
    depth: usize,
    labels: &mut Vec<(String, Span)>,
    text: &str,
    out: &mut Vec<Block>,
) {
    if depth == 0 {
        // `provider: {aws: [{…}, {…}]}` and blocks written as lists of objects.
        for item in if node.is_map() { vec![node] } else { node.items().iter().collect() } {
            let head = labels.last().map_or(head, |(_, s)| *s);
            out.push(Block {
                kind: kind.to_owned(),
                labels: labels.clone(),
                head,
                body: object_body(item, text),
                prefix: String::new(),
            });
        }
        return;
    }
    for e in node.entries() {
        labels.push((e.key.as_str().to_owned(), e.key_span));
        blocks_at(kind, head, &e.value, depth - 1, labels, text, out);
        labels.pop();
    }
}

/// An object as a block body: every key an attribute, and objects (or lists of objects) also blocks.
fn object_body(node: &Node, text: &str) -> Body {
    let mut body = Body::default();
    for e in node.entries() {
        body.attrs.push(Attr {
            name: e.key.as_str().to_owned(),
            key_span: e.key_span,
            value: value_expr(&e.value, text),
        });
        let items: Vec<&Node> = match &e.value.kind {
            NodeKind::Map(_) => vec![&e.value],
            NodeKind::Seq(items) if !items.is_empty() && items.iter().all(Node::is_map) => {
                items.iter().collect()
            }
            _ => Vec::new(),
        };
        for item in items {
            body.blocks.push(Block {
                kind: e.key.as_str().to_owned(),
                labels: Vec::new(),
                head: e.key_span,
                body: object_body(item, text),
                prefix: String::new(),
            });
        }
    }
    body
}

/// A JSON value as an expression, strings parsed as templates.
#[must_use]
pub fn value_expr(node: &Node, text: &str) -> Expr {
    node_expr(node, text, true)
}

/// A JSON value as literal data (plan values: already evaluated, no templates).
#[must_use]
pub fn literal_expr(node: &Node) -> Expr {
    node_expr(node, "", false)
}

fn node_expr(node: &Node, text: &str, templates: bool) -> Expr {
    let kind = match &node.kind {
        NodeKind::Null => ExprKind::Null,
        NodeKind::Bool(b) => ExprKind::Bool(*b),
        NodeKind::Number(n) => ExprKind::Number(n.as_str().to_owned()),
        NodeKind::String(s) if templates && (s.contains("${") || s.contains("%{")) => {
            return string_template(s, node.span, text);
        }
        NodeKind::String(s) => ExprKind::Str(s.as_str().to_owned()),
        NodeKind::Seq(items) => {
            ExprKind::Tuple(items.iter().map(|i| node_expr(i, text, templates)).collect())
        }
        NodeKind::Map(entries) => ExprKind::Object(
            entries
                .iter()
                .map(|e| ObjItem {
                    key: e.key.as_str().to_owned(),
                    key_span: e.key_span,
                    value: node_expr(&e.value, text, templates),
                })
                .collect(),
        ),
    };
    Expr::new(kind, node.span)
}

/// A template written in a JSON string, with spans inside the string where they can be mapped.
#[must_use]
pub fn string_template(s: &str, span: Span, text: &str) -> Expr {
    let Some(mut e) = super::hcl::parse_string_template(s) else {
        return Expr::new(ExprKind::Str(s.to_owned()), span);
    };
    let raw = text.get(span.start as usize + 1..(span.end as usize).saturating_sub(1)).unwrap_or("");
    if raw == s {
        e.shift(span.start + 1);
    } else {
        e.flatten(span);
    }
    e.span = span;
    e
}
