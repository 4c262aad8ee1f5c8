//! One walk over a template's whole tree for the questions the build asks of every node: the first
//! `rain pkg` directive (rain.rs), whether anything uses `Fn::ImportValue` (stack_exports.rs) and,
//! for a file that may be a Serverless Framework fragment, its first framework variable. Each
//! question used to walk the tree on its own; one walk reads each node once and stops as soon as
//! every question is answered.

use crate::syntax::{Entry, Node, NodeKind};

use super::serverless_variable;

/// Deeper than this the directive and variable searches do not look (the walks they replace did
/// not); the import test has no such limit.
const MAX_DEPTH: usize = 256;

/// What the walk found.
#[derive(Debug, Default)]
pub(super) struct TemplateWalk<'n> {
    /// The first `{Rain::X: …}` (`!Rain::X …`) mapping's entry, in document order.
    pub(super) rain_directive: Option<&'n Entry>,
    /// Whether `Fn::ImportValue` appears anywhere.
    pub(super) imports: bool,
    /// The Serverless Framework variable source (`${self:`) of the first string scalar or key that
    /// has one, depth-first; only looked for when the template has neither
    /// `AWSTemplateFormatVersion` nor `Transform` (a fragment has neither).
    pub(super) serverless_variable: Option<&'static str>,
    wants_serverless: bool,
}

impl<'n> TemplateWalk<'n> {
    pub(super) fn of(root: &'n Node) -> Self {
        let wants_serverless =
            root.get("AWSTemplateFormatVersion").is_none() && root.get("Transform").is_none();
        let mut walk = Self { wants_serverless, ..Self::default() };
        walk.visit(root, 0);
        walk
    }

    fn serverless_pending(&self) -> bool {
        self.wants_serverless && self.serverless_variable.is_none()
    }

    fn answered(&self) -> bool {
        self.rain_directive.is_some() && self.imports && !self.serverless_pending()
    }

    fn visit(&mut self, node: &'n Node, depth: usize) {
        if depth > MAX_DEPTH {
            if !self.imports {
                self.imports = imports_anything(node);
            }
            return;
        }
        match &node.kind {
            NodeKind::String(s) if self.serverless_pending() => {
                self.serverless_variable = serverless_variable(s);
            }
            NodeKind::Seq(items) => {
                for item in items {
                    self.visit(item, depth + 1);
                    if self.answered() {
                        return;
                    }
                }
            }
            NodeKind::Map(entries) => {
                for e in entries {
                    if e.key == "Fn::ImportValue" {
                        self.imports = true;
                    }
                    if self.serverless_pending() {
                        self.serverless_variable = serverless_variable(&e.key);
                    }
                    if self.rain_directive.is_none() && entries.len() == 1 && e.key.starts_with("Rain::") {
                        self.rain_directive = Some(e);
                    }
                    if self.answered() {
                        return;
                    }
                    // Inside a directive only the other questions are still open.
                    self.visit(&e.value, depth + 1);
                    if self.answered() {
                        return;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `Fn::ImportValue` appears anywhere below `node`, at any depth.
fn imports_anything(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Map(entries) => {
            entries.iter().any(|e| e.key == "Fn::ImportValue" || imports_anything(&e.value))
        }
        NodeKind::Seq(items) => items.iter().any(imports_anything),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_of(text: &str, check: impl FnOnce(&TemplateWalk<'_>)) {
        let root = crate::syntax::yaml::parse_yaml(text).root.expect("the test template parses");
        check(&TemplateWalk::of(&root));
    }

    #[test]
    fn finds_the_first_directive_in_document_order_and_any_import() {
        let text = "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !ImportValue shared\n      Code: !Rain::Embed a.py\n  B:\n    Properties:\n      Tags: [!Rain::Env X]\n";
        walk_of(text, |walk| {
            assert_eq!(walk.rain_directive.map(|e| e.key.as_str()), Some("Rain::Embed"));
            assert!(walk.imports);
            assert_eq!(walk.serverless_variable, None);
        });
    }

    #[test]
    fn a_serverless_variable_is_looked_for_only_without_version_or_transform() {
        let body = "Resources:\n  Role:\n    Properties:\n      Name: ${opt:stage}-${self:service}\n";
        walk_of(body, |walk| {
            assert_eq!(walk.serverless_variable, Some("${self:"));
            assert!(walk.rain_directive.is_none() && !walk.imports);
        });
        walk_of(&format!("AWSTemplateFormatVersion: '2010-09-09'\n{body}"), |walk| {
            assert_eq!(walk.serverless_variable, None);
        });
    }

    #[test]
    fn an_import_is_found_below_the_depth_the_other_searches_stop_at() {
        let mut node = Node { kind: NodeKind::String("x".into()), span: crate::span::Span::new(0, 0) };
        let wrap = |key: &str, value: Node| Node {
            kind: NodeKind::Map(vec![Entry {
                key: key.into(),
                key_span: crate::span::Span::new(0, 0),
                value,
            }]),
            span: crate::span::Span::new(0, 0),
        };
        node = wrap("Fn::ImportValue", node);
        node = wrap("Rain::Env", node);
        for _ in 0..300 {
            node = Node { kind: NodeKind::Seq(vec![node]), span: crate::span::Span::new(0, 0) };
        }
        let walk = TemplateWalk::of(&node);
        assert!(walk.imports);
        assert!(walk.rain_directive.is_none());
    }
}
