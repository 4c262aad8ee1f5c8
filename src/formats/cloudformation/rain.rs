//! Source templates for `rain pkg` (aws-cloudformation/rain): `!Rain::Embed`, `!Rain::Include`,
//! `!Rain::Env`, `!Rain::S3`, `!Rain::S3Http`, `!Rain::Module`, `!Rain::Constant` and the `Rain:`
//! section (constants) are replaced by `rain pkg` before the template is deployed. Local modules
//! are expanded (rain_module.rs) when nothing else of rain's is used. Otherwise a module resource
//! `Parent: {Type: !Rain::Module …}` becomes the module's resources named
//! `Parent<ModuleResource>`, and `${Rain::Name}` inside `Fn::Sub` is a constant
//! (<https://aws-cloudformation.github.io/rain/rain_pkg.html>), which is not modelled, except
//! inline code embedded from a file (`ZipFile: !Rain::Embed app.py`, read as that file in
//! `code_scans`): the template is checked as written, names they make are not undefined
//! references, and one SL003 says what is not checked.

use crate::span::Span;
use crate::syntax::{Node, NodeKind};

/// What marks a template as a `rain pkg` source.
#[derive(Debug)]
pub(super) struct RainSource {
    /// The first directive's key (`Rain::Module`), or `Rain` for the template's `Rain` section.
    pub(super) directive: String,
    pub(super) span: Span,
    /// Logical IDs of module resources: the module's resources are named after them.
    modules: Vec<String>,
}

impl RainSource {
    /// The `rain pkg` directives of `root`, if it has any.
    pub(super) fn of(root: &Node) -> Option<Self> {
        let mut first = root.entry("Rain").map(|e| (e.key.clone(), e.key_span));
        if first.is_none() {
            first = first_directive(root, 0);
        }
        let (directive, span) = first?;
        let modules = root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter(|r| r.value.get("Type").is_some_and(|t| t.get("Rain::Module").is_some()))
            .map(|r| r.key.clone())
            .collect();
        Some(Self { directive, span, modules })
    }

    /// True when `rain pkg` makes `id`: a constant (`Rain::Name`) or a module's resource.
    pub(super) fn defines(&self, id: &str) -> bool {
        id.starts_with("Rain::") || self.modules.iter().any(|m| id.starts_with(m.as_str()))
    }
}

/// The first `{Rain::X: …}` (`!Rain::X …`) in document order, with the span of its key.
fn first_directive(node: &Node, depth: usize) -> Option<(String, Span)> {
    if depth > 256 {
        return None;
    }
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().find_map(|e| {
            if entries.len() == 1 && e.key.starts_with("Rain::") {
                Some((e.key.clone(), e.key_span))
            } else {
                first_directive(&e.value, depth + 1)
            }
        }),
        NodeKind::Seq(items) => items.iter().find_map(|i| first_directive(i, depth + 1)),
        _ => None,
    }
}
