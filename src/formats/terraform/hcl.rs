//! HCL (`.tf`, `.tfvars`) → [`ast`](super::ast) with spans, through `hcl-edit` (which keeps byte
//! ranges of blocks, attributes, traversals and template parts when it parses from a string).

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::template::{Element, Template};

use super::ast::{Attr, Block, Body, Expr, ExprKind, ForExpr, ObjItem, Part};
use crate::span::Span;
use crate::syntax::SyntaxError;

/// Parses one HCL file; a syntax error is reported at its position and yields no body.
pub fn parse(text: &str) -> Result<Body, SyntaxError> {
    // Terraform ignores a UTF-8 byte order mark (hashicorp/terraform#19715); three spaces keep
    // every byte offset where it was.
    let without_bom;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            without_bom = format!("   {rest}");
            without_bom.as_str()
        }
        None => text,
    };
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(body_of(&body, text)),
        Err(e) => {
            let offset = e.location().offset().min(text.len());
            let end =
                text.get(offset..).and_then(|t| t.chars().next()).map_or(offset, |c| offset + c.len_utf8());
            Err(SyntaxError::fatal(
                crate::syntax::SyntaxKind::Hcl,
                format!("HCL syntax error: {}", e.message()),
                Span::from_range(offset, end),
            ))
        }
    }
}

/// Parses a template written inside a string (a `.tf.json` value), with spans relative to `text`.
#[must_use]
pub fn parse_string_template(text: &str) -> Option<Expr> {
    let template = hcl_edit::parser::parse_template(text).ok()?;
    Some(template_expr(&template, span_of(None, text.len()), text))
}

fn span_of(range: Option<std::ops::Range<usize>>, fallback_end: usize) -> Span {
    range.map_or(Span::from_range(0, fallback_end), |r| Span::from_range(r.start, r.end))
}

fn sp(x: &impl hcl_edit::Span) -> Span {
    x.span().map_or_else(Span::default, |r| Span::from_range(r.start, r.end))
}

fn body_of(body: &HclBody, text: &str) -> Body {
    let mut out = Body::default();
    for s in body {
        match s {
            Structure::Attribute(a) => out.attrs.push(Attr {
                name: a.key.as_str().to_owned(),
                key_span: sp(&a.key),
                value: expr(&a.value, text),
            }),
            Structure::Block(b) => {
                let labels: Vec<(String, Span)> =
                    b.labels.iter().map(|l| (l.as_str().to_owned(), sp(l))).collect();
                let start = sp(&b.ident);
                let head = labels.last().map_or(start, |(_, s)| start.cover(*s));
                out.blocks.push(Block {
                    kind: b.ident.as_str().to_owned(),
                    labels,
                    head,
                    body: body_of(&b.body, text),
                    prefix: String::new(),
                });
            }
        }
    }
    out
}

fn expr(e: &Expression, text: &str) -> Expr {
    let span = sp(e);
    let kind = match e {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => ExprKind::Number(n.value().to_string()),
        Expression::String(s) => ExprKind::Str(s.value().clone()),
        Expression::Array(items) => ExprKind::Tuple(items.iter().map(|i| expr(i, text)).collect()),
        Expression::Object(obj) => ExprKind::Object(
            obj.iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        // `providers = { aws.west = aws.west }`: the key names a provider.
                        ObjectKey::Expression(e @ (Expression::Traversal(_) | Expression::Variable(_))) => {
                            match expr(e, text).kind {
                                ExprKind::Ref(path) => path.join("."),
                                _ => return None,
                            }
                        }
                        ObjectKey::Expression(_) => return None,
                    };
                    Some(ObjItem { key, key_span: sp(k), value: expr(v.expr(), text) })
                })
                .collect(),
        ),
        Expression::StringTemplate(t) => return template_expr(t, span, text),
        Expression::HeredocTemplate(h) => return template_expr(&h.template, span, text),
        Expression::Parenthesis(p) => return expr(p.inner(), text),
        Expression::Variable(v) => ExprKind::Ref(vec![v.as_str().to_owned()]),
        Expression::Traversal(t) => match &t.expr {
            Expression::Variable(v) => {
                let mut path = vec![v.as_str().to_owned()];
                for op in &t.operators {
                    path.push(match op.value() {
                        TraversalOperator::GetAttr(i) => i.as_str().to_owned(),
                        TraversalOperator::LegacyIndex(i) => format!("[{}]", i.value()),
                        TraversalOperator::Index(Expression::Number(n)) => format!("[{}]", n.value()),
                        TraversalOperator::Index(Expression::String(s)) => format!("[{}]", s.value()),
                        TraversalOperator::Index(_) => "[?]".to_owned(),
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => "*".to_owned(),
                    });
                }
                ExprKind::Ref(path)
            }
            other => ExprKind::Opaque { what: "an indexed expression".into(), refs: vec![expr(other, text)] },
        },
        Expression::FuncCall(f) => {
            ExprKind::Call(f.name.name.as_str().to_owned(), f.args.iter().map(|a| expr(a, text)).collect())
        }
        Expression::Conditional(c) => ExprKind::Conditional(Box::new([
            expr(&c.cond_expr, text),
            expr(&c.true_expr, text),
            expr(&c.false_expr, text),
        ])),
        Expression::UnaryOp(u) => {
            ExprKind::Op { op: u.operator.value().as_str().to_owned(), args: vec![expr(&u.expr, text)] }
        }
        Expression::BinaryOp(b) => ExprKind::Op {
            op: b.operator.value().as_str().to_owned(),
            args: vec![expr(&b.lhs_expr, text), expr(&b.rhs_expr, text)],
        },
        Expression::ForExpr(f) => ExprKind::For(Box::new(ForExpr {
            key_var: f.intro.key_var.as_ref().map(|k| k.as_str().to_owned()),
            value_var: f.intro.value_var.as_str().to_owned(),
            collection: expr(&f.intro.collection_expr, text),
            key: f.key_expr.as_ref().map(|k| expr(k, text)),
            value: expr(&f.value_expr, text),
            cond: f.cond.as_ref().map(|c| expr(&c.expr, text)),
            grouping: f.grouping,
        })),
    };
    Expr::new(kind, span)
}

fn template_expr(t: &Template, span: Span, text: &str) -> Expr {
    let mut parts = Vec::new();
    for el in t {
        match el {
            Element::Literal(l) => parts.push(Part::Lit(l.value().clone())),
            Element::Interpolation(i) => parts.push(Part::Interp(expr(&i.expr, text))),
            Element::Directive(_) => {
                return Expr::new(
                    ExprKind::Opaque { what: "a template directive (%{…})".into(), refs: Vec::new() },
                    span,
                );
            }
        }
    }
    match parts.as_slice() {
        [] => Expr::new(ExprKind::Str(String::new()), span),
        [Part::Lit(s)] => Expr::new(ExprKind::Str(s.clone()), span),
        _ => Expr::new(ExprKind::Template(parts), span),
    }
}
