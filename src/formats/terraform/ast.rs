//! The format-independent Terraform configuration tree: blocks, attributes and expressions with
//! byte spans, built from HCL (`.tf`), JSON (`.tf.json`) and plan JSON alike so that one evaluator
//! and one builder serve all three.

use crate::span::Span;

/// A block such as `resource "aws_iam_role" "r" { … }`.
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<(String, Span)>,
    /// The block's header (type and labels): what a finding about the whole block points at.
    pub head: Span,
    pub body: Body,
    /// `module.x.` for resources of a child module flattened into a plan's root.
    pub prefix: String,
}

#[derive(Clone, Debug, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: String,
    pub key_span: Span,
    pub value: Expr,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    /// A string with interpolations (quoted template or heredoc).
    Template(Vec<Part>),
    Tuple(Vec<Expr>),
    Object(Vec<ObjItem>),
    /// A traversal such as `aws_iam_role.r.arn` or `var.name`; index steps are written `[0]`,
    /// splats `*`, computed indexes `[?]`.
    Ref(Vec<String>),
    Call(String, Vec<Expr>),
    /// Conditionals, `for` expressions, operators: evaluated as unknown, with the references they
    /// contain kept for reference checks.
    Opaque {
        what: String,
        refs: Vec<Expr>,
    },
    /// A value known to be computed at apply time (plan JSON `after_unknown`).
    Computed(String),
    /// `cond ? a : b`: evaluated (and followed, for references) when the condition is known.
    Conditional(Box<[Expr; 3]>),
    /// `a == b`, `a != b`, `a && b`, `a || b`, `!a` and the other operators (only those on
    /// known strings and booleans are evaluated).
    Op {
        op: String,
        args: Vec<Expr>,
    },
    /// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value}`: evaluated
    /// when the collection is known.
    For(Box<ForExpr>),
}

#[derive(Clone, Debug)]
pub struct ForExpr {
    pub key_var: Option<String>,
    pub value_var: String,
    pub collection: Expr,
    /// Set for an object result (`key => value`).
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    /// `key => value...`: values with the same key are grouped into lists.
    pub grouping: bool,
}

#[derive(Clone, Debug)]
pub enum Part {
    Lit(String),
    Interp(Expr),
}

#[derive(Clone, Debug)]
pub struct ObjItem {
    pub key: String,
    pub key_span: Span,
    pub value: Expr,
}

impl Body {
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Expr> {
        self.attr(name).map(|a| &a.value)
    }

    /// Every reference in the body's attributes and nested blocks that names something outside
    /// the body: not `lifecycle`'s attribute names, nor a `dynamic` block's content, which refers
    /// to the block's own iterator.
    pub fn refs<'e>(&'e self, out: &mut Vec<&'e Expr>) {
        for a in &self.attrs {
            a.value.refs(out);
        }
        for b in &self.blocks {
            match b.kind.as_str() {
                "lifecycle" => {}
                "dynamic" => {
                    if let Some(e) = b.body.get("for_each") {
                        e.refs(out);
                    }
                }
                _ => b.body.refs(out),
            }
        }
    }

    pub fn blocks_of<'b>(&'b self, kind: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

impl Block {
    #[must_use]
    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map_or("", |(l, _)| l.as_str())
    }
}

impl Expr {
    #[must_use]
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// The traversal path when this is a reference.
    #[must_use]
    pub fn as_ref_path(&self) -> Option<&[String]> {
        match &self.as_ref_expr()?.kind {
            ExprKind::Ref(p) => Some(p),
            _ => None,
        }
    }

    /// The reference expression itself: `"${aws_iam_role.r.arn}"` is the same reference as
    /// `aws_iam_role.r.arn` (the only form `.tf.json` has), its one interpolation.
    #[must_use]
    pub fn as_ref_expr(&self) -> Option<&Expr> {
        match &self.kind {
            ExprKind::Ref(_) => Some(self),
            ExprKind::Template(parts) => match parts.as_slice() {
                [Part::Interp(e)] => e.as_ref_expr(),
                _ => None,
            },
            _ => None,
        }
    }

    /// Every reference inside this expression, in source order.
    pub fn refs<'e>(&'e self, out: &mut Vec<&'e Expr>) {
        match &self.kind {
            ExprKind::Ref(_) => out.push(self),
            ExprKind::Template(parts) => {
                for p in parts {
                    if let Part::Interp(e) = p {
                        e.refs(out);
                    }
                }
            }
            ExprKind::Tuple(items)
            | ExprKind::Call(_, items)
            | ExprKind::Opaque { refs: items, .. }
            | ExprKind::Op { args: items, .. } => {
                for e in items {
                    e.refs(out);
                }
            }
            ExprKind::Conditional(parts) => {
                for e in parts.iter() {
                    e.refs(out);
                }
            }
            ExprKind::Object(items) => {
                for i in items {
                    i.value.refs(out);
                }
            }
            // The `for` variables are local to the expression; only the collection refers outside it.
            ExprKind::For(f) => f.collection.refs(out),
            _ => {}
        }
    }
}

impl Expr {
    /// Moves every span by `offset` (a template parsed out of a string, placed in its file).
    pub fn shift(&mut self, offset: u32) {
        self.map_spans(&|s| Span::new(s.start + offset, s.end + offset));
    }

    /// Sets every span to `span` (a template inside an escaped string cannot be mapped exactly).
    pub fn flatten(&mut self, span: Span) {
        self.map_spans(&|_| span);
    }

    fn map_spans(&mut self, f: &dyn Fn(Span) -> Span) {
        self.span = f(self.span);
        match &mut self.kind {
            ExprKind::Template(parts) => {
                for p in parts {
                    if let Part::Interp(e) = p {
                        e.map_spans(f);
                    }
                }
            }
            ExprKind::Tuple(items)
            | ExprKind::Call(_, items)
            | ExprKind::Opaque { refs: items, .. }
            | ExprKind::Op { args: items, .. } => {
                for e in items {
                    e.map_spans(f);
                }
            }
            ExprKind::Conditional(parts) => {
                for e in parts.iter_mut() {
                    e.map_spans(f);
                }
            }
            ExprKind::Object(items) => {
                for i in items {
                    i.key_span = f(i.key_span);
                    i.value.map_spans(f);
                }
            }
            ExprKind::For(x) => {
                let x = &mut **x;
                for e in [Some(&mut x.collection), x.key.as_mut(), Some(&mut x.value), x.cond.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    e.map_spans(f);
                }
            }
            _ => {}
        }
    }
}
