//! The part of a template's build that depends on its tree alone — not on the model, the other
//! files or the options — worked out on the parsing worker that read the template, so that the
//! thread building the model (one for the whole run) only does what needs the shared state.
//!
//! A template whose `rain pkg` modules are expanded is built from another tree: its preparation is
//! worked out again from that tree by the builder (`Prepared::for_tree`).

use std::collections::{BTreeMap, HashMap};

use crate::code::{self, HandlerScan, Language};
use crate::syntax::{Node, NodeKind};

use super::resolve::{Generated, Target as RefTarget};
use super::{
    RefUse, SAM_TRANSFORM, collect_refs, function_property, rain, ref_targets, resources, sam_generated,
    sam_property, sam_role_managed, template_walk, transforms,
};

/// What the build reads of a template's tree before it touches the model.
#[derive(Debug)]
pub struct Prepared {
    /// Whether `Fn::ImportValue` appears anywhere (the folder's exports are read only then).
    pub(super) imports: bool,
    /// See [`template_walk::TemplateWalk::serverless_variable`].
    pub(super) serverless_variable: Option<&'static str>,
    /// The template declares the SAM transform.
    pub(super) sam: bool,
    /// What each `Ref`/`GetAtt` target is.
    pub(super) targets: BTreeMap<String, RefTarget>,
    /// What may define names the template uses without defining them.
    pub(super) generated: Generated,
    /// Every reference the template makes (`Ref`, `Fn::GetAtt`, `Fn::Sub` variables, conditions,
    /// then `DependsOn`), in the order SL002 reports them.
    pub(super) refs: Vec<RefUse>,
    /// Scans of the inline handler code written literally, by language and text (the builder's
    /// `inline_scans`, filled ahead; code it reads otherwise is scanned when the builder meets it).
    pub(super) inline_scans: HashMap<(Language, String), HandlerScan>,
}

impl Prepared {
    /// Whether the template uses `Fn::ImportValue` (its folder's exports are read then).
    pub(crate) fn imports(&self) -> bool {
        self.imports
    }

    /// Prepares `root` as read from its file; on a parsing worker, also parses ahead the AWS
    /// managed policies the template names literally.
    #[must_use]
    pub fn of(root: &Node) -> Self {
        warm_managed_policies(root);
        let mut prepared = Self::for_tree(root);
        prepared.inline_scans = literal_inline_scans(root);
        prepared
    }

    pub(super) fn for_tree(root: &Node) -> Self {
        let walk = template_walk::TemplateWalk::of(root);
        let transforms = transforms(root);
        let sam = transforms.iter().any(|t| t == SAM_TRANSFORM);
        let generated = Generated {
            sam: sam.then(|| sam_generated::SamGenerated::of(root)),
            rain: rain::RainSource::of(root, walk.rain_directive),
            anything: transforms.iter().any(|t| t != SAM_TRANSFORM && t != "AWS::LanguageExtensions")
                || resources(root).iter().any(|r| r.key.starts_with("Fn::ForEach::")),
        };
        Self {
            imports: walk.imports,
            serverless_variable: walk.serverless_variable,
            sam,
            targets: ref_targets(root),
            generated,
            refs: references(root),
            inline_scans: HashMap::new(),
        }
    }
}

/// The references SL002 checks, in its order: those of the sections that may hold intrinsics,
/// then each resource's `DependsOn`.
fn references(root: &Node) -> Vec<RefUse> {
    let mut found = Vec::new();
    for section in ["Resources", "Outputs", "Conditions", "Globals"] {
        if let Some(node) = root.get(section) {
            collect_refs(node, &mut found, 0);
        }
    }
    for r in resources(root) {
        if let Some(dep) = r.value.get("DependsOn") {
            for d in std::iter::once(dep).chain(dep.items()) {
                if let Some(id) = d.as_str() {
                    found.push(RefUse { id: id.to_owned(), span: d.span, what: "DependsOn" });
                }
            }
        }
    }
    found
}

/// Parses ahead the bundled AWS managed policies the template names as written: a role's
/// `ManagedPolicyArns` and `PermissionsBoundary`, a SAM function's `Policies`, and those SAM
/// attaches to the role it generates. A name this misses is parsed by the builder when it comes
/// to it; one it warms needlessly costs only the worker's time.
fn warm_managed_policies(root: &Node) {
    let warm = |node: &Node| {
        for item in std::iter::once(node).chain(node.items()) {
            if let Some(name) = literal_policy_name(item) {
                crate::formats::warm_managed_document(&name);
            }
        }
    };
    for r in resources(root) {
        let kind = r.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let props = r.value.get("Properties");
        for key in ["ManagedPolicyArns", "PermissionsBoundary", "Policies"] {
            if let Some(node) = props.and_then(|p| p.get(key)) {
                warm(node);
            }
        }
        if kind == "AWS::Serverless::Function" && sam_property(root, &r.value, "Role").is_none() {
            for name in sam_role_managed(root, &r.value) {
                crate::formats::warm_managed_document(name);
            }
        }
    }
}

/// A policy name or ARN written as a string, or as `!Sub` of one with the partition in it.
fn literal_policy_name(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(s) => Some(s.as_str().to_owned()),
        NodeKind::Map(_) => {
            let sub = node.get("Fn::Sub")?.as_str()?;
            Some(sub.replace("${AWS::Partition}", "aws"))
        }
        _ => None,
    }
}

/// Scans of every function's inline code that the tree alone gives (a string, a `Fn::Join` of
/// strings, the string of a `Fn::Sub`), keyed as the builder keys them: the language its runtime
/// names, else the one the text looks like (`Builder::code_scans`). A scan depends on its key
/// alone, so one made here for a function the builder reads differently is only unused.
fn literal_inline_scans(root: &Node) -> HashMap<(Language, String), HandlerScan> {
    let mut scans = HashMap::new();
    for r in resources(root) {
        let serverless = match r.value.get("Type").and_then(Node::as_str) {
            Some("AWS::Lambda::Function") => false,
            Some("AWS::Serverless::Function") => true,
            _ => continue,
        };
        let prop = |key: &str| function_property(root, &r.value, serverless, key);
        let inline =
            if serverless { prop("InlineCode") } else { prop("Code").and_then(|c| c.get("ZipFile")) };
        let Some(text) = inline.and_then(literal_inline_text) else { continue };
        let lang = code::language_of_runtime(prop("Runtime").and_then(Node::as_str).unwrap_or(""))
            .unwrap_or(if text.contains("def ") { Language::Python } else { Language::JavaScript });
        scans.entry((lang, text)).or_insert_with_key(|(lang, text)| code::scan(*lang, text));
    }
    scans
}

/// The text `inline_code::inline_text` makes of inline code that needs no resolving.
fn literal_inline_text(node: &Node) -> Option<String> {
    if let Some(text) = node.as_str() {
        return Some(text.to_owned());
    }
    if let Some(args) = node.get("Fn::Join") {
        let [sep, parts] = args.items() else { return None };
        let sep = sep.as_str()?;
        let NodeKind::Seq(parts) = &parts.kind else { return None };
        let parts: Option<Vec<&str>> = parts.iter().map(Node::as_str).collect();
        return Some(parts?.join(sep));
    }
    let sub = node.get("Fn::Sub")?;
    let body = sub.as_str().map_or_else(|| sub.items().first(), |_| Some(sub))?;
    body.as_str().map(str::to_owned)
}
