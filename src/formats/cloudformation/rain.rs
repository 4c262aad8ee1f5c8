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
use crate::syntax::{Entry, Node};

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
    /// The `rain pkg` directives of `root`, if it has any; `first_directive` is its first
    /// `{Rain::X: …}` entry in document order (found by the build's walk of the template).
    pub(super) fn of(root: &Node, first_directive: Option<&Entry>) -> Option<Self> {
        let first = root.entry("Rain").or(first_directive);
        let (directive, span) = first.map(|e| (e.key.as_str().to_owned(), e.key_span))?;
        let modules = root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter(|r| r.value.get("Type").is_some_and(|t| t.get("Rain::Module").is_some()))
            .map(|r| r.key.as_str().to_owned())
            .collect();
        Some(Self { directive, span, modules })
    }

    /// True when `rain pkg` makes `id`: a constant (`Rain::Name`) or a module's resource.
    pub(super) fn defines(&self, id: &str) -> bool {
        id.starts_with("Rain::") || self.modules.iter().any(|m| id.starts_with(m.as_str()))
    }
}
