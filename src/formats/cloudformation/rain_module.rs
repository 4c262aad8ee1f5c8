//! Local `rain pkg` modules: a resource `Name: {Type: !Rain::Module ./module.yaml, Properties,
//! Overrides}` becomes the module's resources, so the template is judged as `rain pkg` deploys it.
//!
//! Follows aws-cloudformation/rain at d085ec5b12eea4cebd9a4e6faa49062d6b609f1b:
//! `cft/pkg/module.go` (`module`, `processRainResourceModule`, `processModule`,
//! `ProcessResources`), `cft/pkg/resolve.go` (`ResolveRef`, `ResolveSub`, `ResolveGetAtt`,
//! `rename`), `cft/pkg/overrides.go` (`ValidateOverrides`, `ProcessOverrides`,
//! `cloneAndReplaceProps`), `internal/node/merge.go` (`MergeNodes`), `cft/pkg/outputs.go`
//! (`ProcessOutputs`) and `cft/module_config.go` (`Source`, `Properties`, `Overrides`):
//! - each module resource `R` is named `Name` + `R`;
//! - in it, `Ref P` of a module parameter is the parent's `Properties.P` (else the parameter's
//!   `Default`; neither fails `rain pkg`), `Ref R` / `Fn::GetAtt R.A` / `${R}` / `${R.A}` of a
//!   module resource name the renamed resource, and other names are left to the parent;
//! - `Overrides.R` merges into resource `R` (maps key by key, lists by appending, a list item
//!   merged into the first item sharing a scalar entry), skipping properties named like a module
//!   parameter; an override naming no module resource, or overriding a parameter, fails;
//! - `Fn::GetAtt Name.Output` and `${Name.Output}` elsewhere in the parent are the module
//!   output's value;
//! - modules inside modules are expanded first, in the module's own names.
//!
//! A `${P}` that rain writes into the `Fn::Sub` string is given here as an `Fn::Sub` variable
//! instead, which CloudFormation evaluates to the same text: the string keeps its module span and
//! the value its own. Nodes keep the span of the file they were read from (origins.rs): a value
//! the parent passes points at the parent, what the module writes at the module.
//!
//! Only local modules without rain's other features are expanded: a remote module, a `Rain` or
//! `Modules` section, constants, `ForEach`/`Map` copies, module `Conditions`/`Mappings`/
//! `Transform`, `IfParam` metadata, `Fn::Merge`/`Fn::InsertFile`/`Fn::Invoke` or any other
//! `Rain::` directive leave the template as written with one SL003 (rain.rs).

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use compact_str::format_compact;

use crate::fsread::Scope;
use crate::model::problem::RainModuleFailure;
use crate::source::{SourceFile, SourceMap, normalize_path};
use crate::span::{FileId, Loc, Span};
use crate::syntax::{Entry, Node, NodeKind, Text};

use super::origins::Origins;
use super::resolve::{SubPart, getatt_parts, sub_parts};

/// Modules inside modules, counted from the template.
const MAX_NESTING: usize = 8;
/// Module resources placed in one template, nested ones included: bounds copies of copies.
const MAX_INSTANCES: usize = 256;
/// Bytes of module text read for one template: module spans are shifted past each other inside
/// a `u32`.
const MAX_MODULE_BYTES: u64 = 256 * 1024 * 1024;
/// Bytes of text copied into one template by placing modules and their parameters' values:
/// bounds a large module placed many times, or a large value used many times.
const MAX_COPIED_BYTES: u64 = 64 * 1024 * 1024;
/// Nesting inside one document; the parsers stop well before.
const MAX_TREE_DEPTH: usize = 512;

/// What `rain pkg` makes of a template's modules.
pub(super) enum Packaging {
    /// No `Rain::Module` resource: the template is built as written.
    AsWritten,
    /// Every module expanded: the template `rain pkg` deploys, and the file of each span.
    Expanded { root: Node, origins: Origins },
    /// Rain features this does not expand: built as written, with one SL003 (rain.rs).
    Unsupported,
    /// `rain pkg` fails on a module: the template's directive that leads to it, the module's
    /// path, the modules placed on the way and why.
    Fails { loc: Loc, module: PathBuf, via: Vec<PathBuf>, why: RainModuleFailure },
}

/// Module files read and parsed in a run, each once: templates of a project place the same few
/// modules, and each template used to parse every module it placed again. The text and tree kept
/// here are the file's own (spans from 0); each template still adds the text to its sources and
/// shifts a copy of the tree. Bounded: past [`MAX_PARSED_BYTES`] of text, files are parsed per
/// template as before.
#[derive(Default)]
pub(crate) struct ParsedModules {
    files: HashMap<PathBuf, Result<ParsedModule, crate::fsread::Refusal>>,
    bytes: u64,
}

/// A module file's text and, when it parses to a mapping without fatal errors, its tree.
#[derive(Clone)]
struct ParsedModule {
    text: String,
    root: Option<Node>,
}

/// Module text kept parsed in a run (a parsed tree costs about 14 times its text).
const MAX_PARSED_BYTES: u64 = 8 * 1024 * 1024;

impl ParsedModules {
    fn read(&mut self, path: &Path, scope: &Scope) -> Result<ParsedModule, crate::fsread::Refusal> {
        if let Some(kept) = self.files.get(path) {
            return kept.clone();
        }
        let parsed = crate::fsread::read_text(path, crate::fsread::TEMPLATE_CAP, scope).map(|text| {
            let is_json = path.extension().is_some_and(|e| e == "json");
            let parsed = if is_json {
                crate::syntax::json::parse_json(&text)
            } else {
                crate::syntax::yaml::parse_yaml(&text)
            };
            let root = parsed.root.filter(|root| root.is_map() && !parsed.errors.iter().any(|e| e.fatal));
            ParsedModule { text, root }
        });
        let bytes = parsed.as_ref().map_or(0, |m| m.text.len() as u64);
        if self.bytes.saturating_add(bytes) <= MAX_PARSED_BYTES {
            self.bytes += bytes;
            self.files.insert(path.to_path_buf(), parsed.clone());
        }
        parsed
    }
}

/// Expands the local modules of `root`, the template read from `file`.
pub(super) fn package(
    root: &Node,
    file: FileId,
    sources: &mut SourceMap,
    scope: &Scope,
    parsed: &mut ParsedModules,
) -> Packaging {
    if !has_module(root) {
        return Packaging::AsWritten;
    }
    let path = sources.get(file).path().to_path_buf();
    let template_len = u32::try_from(sources.get(file).text().len()).unwrap_or(u32::MAX);
    let mut packager = Packager {
        sources,
        scope,
        parsed,
        origins: Origins::single(file),
        template_len,
        modules: BTreeMap::new(),
        instances: 0,
        bytes_read: 0,
        copied: Cell::new(0),
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut stack = vec![normalize_path(&path)];
    match packager.expand(root, &dir, &mut stack, false) {
        Ok(root) => Packaging::Expanded { root, origins: packager.origins },
        Err(Stop::Unsupported) => Packaging::Unsupported,
        Err(Stop::Fails { span, module, via, why }) => {
            Packaging::Fails { loc: packager.origins.loc(span), module, via, why }
        }
    }
}

/// True when some resource's `Type` is `Rain::Module`.
fn has_module(root: &Node) -> bool {
    resources(root).iter().any(|r| module_source(&r.value).is_some())
}

/// `Type: !Rain::Module path` (or `{"Rain::Module": path}`): the source node.
fn module_source(resource: &Node) -> Option<&Node> {
    let ty = resource.get("Type")?.single_entry()?;
    (ty.key == "Rain::Module").then_some(&ty.value)
}

fn resources(root: &Node) -> &[Entry] {
    root.get("Resources").map(Node::entries).unwrap_or_default()
}

enum Stop {
    Unsupported,
    Fails { span: Span, module: PathBuf, via: Vec<PathBuf>, why: RainModuleFailure },
}

struct Packager<'a> {
    sources: &'a mut SourceMap,
    scope: &'a Scope,
    parsed: &'a mut ParsedModules,
    origins: Origins,
    template_len: u32,
    /// Module files read for this template (normalized path → tree with shifted spans).
    modules: BTreeMap<PathBuf, Node>,
    instances: usize,
    bytes_read: u64,
    /// Bytes of text copied so far (`MAX_COPIED_BYTES`).
    copied: Cell<u64>,
}

/// One module placed in its parent: its outputs, resolved in the parent's names.
struct Instance {
    name: String,
    outputs: BTreeMap<String, Node>,
}

impl Packager<'_> {
    /// `doc` (the template, or a module when `is_module`) with its module resources replaced.
    fn expand(
        &mut self,
        doc: &Node,
        dir: &Path,
        stack: &mut Vec<PathBuf>,
        is_module: bool,
    ) -> Result<Node, Stop> {
        check_supported(doc, is_module)?;
        let mut out = doc.clone();
        let mut instances = Vec::new();
        if let NodeKind::Map(sections) = &mut out.kind
            && let Some(section) = sections.iter_mut().find(|e| e.key == "Resources")
            && let NodeKind::Map(entries) = &mut section.value.kind
        {
            let mut expanded = Vec::with_capacity(entries.len());
            for entry in std::mem::take(entries) {
                let Some(source) = module_source(&entry.value) else {
                    expanded.push(entry);
                    continue;
                };
                let (resources, instance) = self.place(&entry, source, dir, stack)?;
                expanded.extend(resources);
                instances.push(instance);
            }
            *entries = expanded;
        }
        for instance in &instances {
            substitute_outputs(&mut out, instance, 0);
        }
        Ok(out)
    }

    /// The resources module resource `entry` becomes, and its outputs.
    fn place(
        &mut self,
        entry: &Entry,
        source: &Node,
        dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(Vec<Entry>, Instance), Stop> {
        let Some(rel) = source.as_str() else { return Err(Stop::Unsupported) };
        // Remote modules, package aliases and zipped packages are not read.
        let remote = rel.contains("://") || rel.starts_with('$') || rel.contains(".zip/");
        if remote || entry.value.get("ForEach").is_some() || entry.value.get("Map").is_some() {
            return Err(Stop::Unsupported);
        }
        let path = normalize_path(&dir.join(rel));
        // Modules placed on the way here (the template itself is `stack[0]`).
        let via = stack.get(1..).unwrap_or_default().to_vec();
        let fail = |why| Stop::Fails { span: source.span, module: path.clone(), via: via.clone(), why };
        if let Some(start) = stack.iter().position(|p| *p == path) {
            let mut chain = stack[start..].to_vec();
            chain.push(path.clone());
            return Err(fail(RainModuleFailure::Cycle { chain }));
        }
        if stack.len() > MAX_NESTING {
            return Err(fail(RainModuleFailure::TooDeep { limit: MAX_NESTING }));
        }
        self.instances += 1;
        if self.instances > MAX_INSTANCES {
            return Err(fail(RainModuleFailure::TooMany { limit: MAX_INSTANCES }));
        }
        let module = self.read(&path).map_err(fail)?;
        let module_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let in_template = stack.len() == 1;
        stack.push(path.clone());
        let expanded = self.expand(&module, &module_dir, stack, true);
        stack.pop();
        let module = match expanded {
            // A failure inside a module is reported at the template's own directive that leads
            // there, so each template gets one finding in its own file.
            Err(Stop::Fails { module, via, why, .. }) if in_template => {
                return Err(Stop::Fails { span: source.span, module, via, why });
            }
            other => other?,
        };
        instantiate(&entry.key, &entry.value, &module, &self.copied).map_err(|(span, why)| Stop::Fails {
            span,
            module: path.clone(),
            via: via.clone(),
            why,
        })
    }

    /// The module at `path`, read once per template through the bounded reader, its spans
    /// shifted past the files read before it.
    fn read(&mut self, path: &Path) -> Result<Node, RainModuleFailure> {
        if let Some(node) = self.modules.get(path) {
            return Ok(node.clone());
        }
        let ParsedModule { text, root } =
            self.parsed.read(path, self.scope).map_err(RainModuleFailure::Unreadable)?;
        self.bytes_read += text.len() as u64;
        if self.bytes_read > MAX_MODULE_BYTES {
            return Err(RainModuleFailure::TooMany { limit: MAX_INSTANCES });
        }
        let Some(root) = root else { return Err(RainModuleFailure::Unparsable) };
        let len =
            u32::try_from(text.len()).map_err(|_| RainModuleFailure::TooMany { limit: MAX_INSTANCES })?;
        let base = self.origins.next_base(self.template_len);
        let id = self.sources.add(SourceFile::from_disk(path.to_path_buf(), text));
        self.origins.push(id, base, len);
        let mut root = root;
        shift(&mut root, base, 0);
        self.modules.insert(path.to_path_buf(), root.clone());
        Ok(root)
    }
}

/// Rain features outside what this expands: the template is left as written.
fn check_supported(doc: &Node, is_module: bool) -> Result<(), Stop> {
    let sections: &[&str] = if is_module {
        &["Rain", "Modules", "Constants", "Packages", "Conditions", "Mappings", "Transform"]
    } else {
        &["Rain", "Modules", "Constants", "Packages"]
    };
    if sections.iter().any(|s| doc.get(s).is_some()) {
        return Err(Stop::Unsupported);
    }
    for r in resources(doc) {
        if r.key.starts_with("Fn::ForEach") {
            return Err(Stop::Unsupported);
        }
        let rain_if = r.value.get("Metadata").and_then(|m| m.get("Rain"));
        if rain_if.is_some_and(|m| m.get("IfParam").is_some() || m.get("IfNotParam").is_some()) {
            return Err(Stop::Unsupported);
        }
    }
    // `!Rain::Embed` in the template itself stays: inline code embedded from a file is read
    // relative to the template (`code_scans`), and rain.rs notes the directive. In a module its
    // path would be the module's.
    if other_directive(doc, 0, !is_module) { Err(Stop::Unsupported) } else { Ok(()) }
}

/// True when `node` holds a rain-only intrinsic or a `Rain::` directive other than a resource's
/// `Type: !Rain::Module`.
fn other_directive(node: &Node, depth: usize, allow_embed: bool) -> bool {
    if depth > MAX_TREE_DEPTH {
        return true;
    }
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().any(|e| {
            let rain_only = matches!(e.key.as_str(), "Fn::Merge" | "Fn::InsertFile" | "Fn::Invoke")
                || (e.key.starts_with("Rain::")
                    && e.key != "Rain::Module"
                    && !(allow_embed && e.key == "Rain::Embed"));
            rain_only
                || (e.key == "Rain::Module" && depth != 3)
                || other_directive(&e.value, depth + 1, allow_embed)
        }),
        NodeKind::Seq(items) => items.iter().any(|i| other_directive(i, depth + 1, allow_embed)),
        _ => false,
    }
}

fn shift(node: &mut Node, base: u32, depth: usize) {
    node.span = Span::new(node.span.start.saturating_add(base), node.span.end.saturating_add(base));
    if depth > MAX_TREE_DEPTH {
        return;
    }
    match &mut node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                e.key_span =
                    Span::new(e.key_span.start.saturating_add(base), e.key_span.end.saturating_add(base));
                shift(&mut e.value, base, depth + 1);
            }
        }
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| shift(i, base, depth + 1)),
        _ => {}
    }
}

/// What module `name` (configured by the parent resource `config`) places in the parent.
fn instantiate(
    name: &str,
    config: &Node,
    module: &Node,
    copied: &Cell<u64>,
) -> Result<(Vec<Entry>, Instance), (Span, RainModuleFailure)> {
    let scope = ModuleScope {
        name,
        params: module.get("Parameters"),
        properties: config.get("Properties"),
        resources: resources(module),
        copied,
    };
    scope.charge(module, config.span)?;
    let overrides = config.get("Overrides");
    for o in overrides.map(Node::entries).unwrap_or_default() {
        if !scope.resources.iter().any(|r| r.key == o.key) {
            return Err((
                o.key_span,
                RainModuleFailure::UnknownOverride { resource: o.key.as_str().to_owned() },
            ));
        }
        for p in o.value.get("Properties").map(Node::entries).unwrap_or_default() {
            if scope.is_param(&p.key) {
                return Err((
                    p.key_span,
                    RainModuleFailure::OverridesParameter { parameter: p.key.as_str().to_owned() },
                ));
            }
        }
    }
    let mut placed = Vec::new();
    for r in scope.resources {
        if !r.value.is_map() {
            continue;
        }
        let mut resource = r.value.clone();
        apply_overrides(&mut resource, overrides.and_then(|o| o.get(&r.key)), &scope);
        scope.resolve(&mut resource, 0)?;
        placed.push(Entry { key: format_compact!("{name}{}", r.key), key_span: r.key_span, value: resource });
    }
    let mut outputs = BTreeMap::new();
    for o in module.get("Outputs").map(Node::entries).unwrap_or_default() {
        if let Some(value) = o.value.get("Value") {
            let mut value = value.clone();
            scope.resolve(&mut value, 0)?;
            outputs.insert(o.key.as_str().to_owned(), value);
        }
    }
    Ok((placed, Instance { name: name.to_owned(), outputs }))
}

/// Names inside one placed module.
struct ModuleScope<'a> {
    name: &'a str,
    params: Option<&'a Node>,
    properties: Option<&'a Node>,
    resources: &'a [Entry],
    copied: &'a Cell<u64>,
}

impl ModuleScope<'_> {
    /// Counts the copy of `node` against `MAX_COPIED_BYTES`.
    fn charge(&self, node: &Node, at: Span) -> Result<(), (Span, RainModuleFailure)> {
        let total = self.copied.get().saturating_add(u64::from(node.span.len()));
        self.copied.set(total);
        if total > MAX_COPIED_BYTES {
            return Err((at, RainModuleFailure::TooMany { limit: MAX_INSTANCES }));
        }
        Ok(())
    }

    fn is_param(&self, id: &str) -> bool {
        self.params.and_then(|p| p.get(id)).is_some()
    }

    fn is_resource(&self, id: &str) -> bool {
        self.resources.iter().any(|r| r.key == id)
    }

    /// The value of module parameter `id`: the parent's property, else its `Default`.
    fn param_value(&self, id: &str, at: Span) -> Result<Node, (Span, RainModuleFailure)> {
        let given = self.properties.and_then(|p| p.get(id));
        let default = self.params.and_then(|p| p.get(id)).and_then(|p| p.get("Default"));
        let value = given
            .or(default)
            .ok_or_else(|| (at, RainModuleFailure::MissingProperty { parameter: id.to_owned() }))?;
        self.charge(value, at)?;
        Ok(value.clone())
    }

    /// Rewrites the module's names in `node` into the parent's (resolve.go `Resolve`). Values
    /// taken from the parent are the parent's and are not visited again.
    fn resolve(&self, node: &mut Node, depth: usize) -> Result<(), (Span, RainModuleFailure)> {
        if depth > MAX_TREE_DEPTH {
            return Ok(());
        }
        if let Some(entry) = node.single_entry() {
            match entry.key.as_str() {
                "Ref" => {
                    let Some(id) = entry.value.as_str() else { return Ok(()) };
                    if self.is_param(id) {
                        *node = self.param_value(id, entry.value.span)?;
                    } else if self.is_resource(id) {
                        let renamed = format!("{}{id}", self.name);
                        if let NodeKind::Map(entries) = &mut node.kind {
                            entries[0].value.kind = NodeKind::String(renamed.into());
                        }
                    }
                    return Ok(());
                }
                "Fn::GetAtt" => {
                    if let Some((id, _)) = getatt_parts(&entry.value)
                        && self.is_resource(&id)
                        && let NodeKind::Map(entries) = &mut node.kind
                    {
                        rename_getatt(&mut entries[0].value, self.name);
                    }
                    return Ok(());
                }
                "Fn::Sub" => return self.resolve_sub(node, depth),
                _ => {}
            }
        }
        match &mut node.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    self.resolve(&mut e.value, depth + 1)?;
                }
            }
            NodeKind::Seq(items) => {
                for i in items {
                    self.resolve(i, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `${P}`, `${R}` and `${R.A}` of the module become `Fn::Sub` variables holding the parent's
    /// value, `Ref` or `Fn::GetAtt` of the renamed resource.
    fn resolve_sub(&self, node: &mut Node, depth: usize) -> Result<(), (Span, RainModuleFailure)> {
        let NodeKind::Map(entries) = &mut node.kind else { return Ok(()) };
        let arg = &mut entries[0].value;
        let (text, text_span, mut vars) = match &mut arg.kind {
            NodeKind::String(s) => (s.as_str().to_owned(), arg.span, Vec::new()),
            NodeKind::Seq(items) => {
                let Some(text) = items.first().and_then(Node::as_str).map(str::to_owned) else {
                    return Ok(());
                };
                let span = items[0].span;
                let mut vars = items.get(1).map(|v| v.entries().to_vec()).unwrap_or_default();
                for v in &mut vars {
                    self.resolve(&mut v.value, depth + 1)?;
                }
                (text, span, vars)
            }
            _ => return Ok(()),
        };
        let before = vars.len();
        for part in sub_parts(&text) {
            let SubPart::Var { name, .. } = part else { continue };
            if name.starts_with("AWS::") || vars.iter().any(|v| v.key == name) {
                continue;
            }
            let value = match name.split_once('.') {
                Some((id, attr)) if self.is_resource(id) => {
                    let target = format!("{}{id}", self.name);
                    let items = vec![str_node(&target, text_span), str_node(attr, text_span)];
                    single("Fn::GetAtt", Node::new(NodeKind::Seq(items), text_span))
                }
                None if self.is_param(&name) => self.param_value(&name, text_span)?,
                None if self.is_resource(&name) => {
                    single("Ref", str_node(&format!("{}{name}", self.name), text_span))
                }
                // Another name (`${AWS::…}` is skipped above), or `${X.A}` of no module
                // resource: left to the parent, as rain does.
                _ => continue,
            };
            vars.push(Entry { key: name.into(), key_span: text_span, value });
        }
        if vars.len() > before || matches!(arg.kind, NodeKind::Seq(_)) {
            let template = str_node(&text, text_span);
            let vars = Node::new(NodeKind::Map(vars), text_span);
            arg.kind = NodeKind::Seq(vec![template, vars]);
        }
        Ok(())
    }
}

fn str_node(text: &str, span: Span) -> Node {
    Node::new(NodeKind::String(Text::new(text)), span)
}

/// `{key: value}` at `value`'s span.
fn single(key: &str, value: Node) -> Node {
    let span = value.span;
    Node::new(NodeKind::Map(vec![Entry { key: Text::new(key), key_span: span, value }]), span)
}

fn rename_getatt(arg: &mut Node, prefix: &str) {
    match &mut arg.kind {
        NodeKind::Seq(items) => {
            if let Some(NodeKind::String(id)) = items.first_mut().map(|i| &mut i.kind) {
                *id = format_compact!("{prefix}{id}");
            }
        }
        NodeKind::String(s) => *s = format_compact!("{prefix}{s}"),
        _ => {}
    }
}

/// Merges the parent's `Overrides` for one resource into it (overrides.go `ProcessOverrides`).
fn apply_overrides(resource: &mut Node, overrides: Option<&Node>, scope: &ModuleScope<'_>) {
    let NodeKind::Map(attrs) = &mut resource.kind else { return };
    if let Some(depends) = attrs.iter_mut().find(|a| a.key == "DependsOn") {
        // rain renames every module DependsOn entry, module resource or not.
        rename_depends_on(&mut depends.value, scope.name);
    }
    let Some(overrides) = overrides else { return };
    for o in overrides.entries() {
        match o.key.as_str() {
            "Properties" | "CreationPolicy" | "Metadata" | "UpdatePolicy" => {
                let mut extra = o.value.clone();
                if o.key == "Properties"
                    && let NodeKind::Map(props) = &mut extra.kind
                {
                    props.retain(|p| !scope.is_param(&p.key));
                }
                match attrs.iter_mut().find(|a| a.key == o.key) {
                    Some(existing) => existing.value = merge(&existing.value, &extra, 0),
                    None => attrs.push(Entry { key: o.key.clone(), key_span: o.key_span, value: extra }),
                }
            }
            "DependsOn" => {
                let added: Vec<Node> = match &o.value.kind {
                    NodeKind::Seq(items) => items.clone(),
                    _ => vec![o.value.clone()],
                };
                match attrs.iter_mut().find(|a| a.key == "DependsOn") {
                    Some(existing) => {
                        let mut items = match &existing.value.kind {
                            NodeKind::Seq(items) => items.clone(),
                            _ => vec![existing.value.clone()],
                        };
                        items.extend(added);
                        existing.value = Node::new(NodeKind::Seq(items), existing.value.span);
                    }
                    None => attrs.push(o.clone()),
                }
            }
            _ => match attrs.iter_mut().find(|a| a.key == o.key) {
                Some(existing) => existing.value = o.value.clone(),
                None => attrs.push(o.clone()),
            },
        }
    }
}

fn rename_depends_on(node: &mut Node, prefix: &str) {
    match &mut node.kind {
        NodeKind::String(s) => *s = format_compact!("{prefix}{s}"),
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| rename_depends_on(i, prefix)),
        _ => {}
    }
}

/// merge.go `MergeNodes`: maps key by key (the override's value wins, merged), lists by
/// appending the override's items, each map item merged into the first earlier item that shares
/// an entry's scalar text (`haveSameKeyValue`, where any two non-scalars share the empty text).
fn merge(original: &Node, over: &Node, depth: usize) -> Node {
    if depth > MAX_TREE_DEPTH {
        return over.clone();
    }
    match (&original.kind, &over.kind) {
        (NodeKind::Map(a), NodeKind::Map(b)) => {
            let mut out: Vec<Entry> = b
                .iter()
                .map(|o| match a.iter().find(|x| x.key == o.key) {
                    Some(x) => Entry { value: merge(&x.value, &o.value, depth + 1), ..o.clone() },
                    None => o.clone(),
                })
                .collect();
            out.extend(a.iter().filter(|x| !b.iter().any(|o| o.key == x.key)).cloned());
            Node::new(NodeKind::Map(out), original.span)
        }
        (NodeKind::Seq(a), NodeKind::Seq(b)) => {
            let mut out = a.clone();
            for item in b {
                match out.iter_mut().find(|x| x.is_map() && item.is_map() && same_key_value(x, item)) {
                    Some(x) => *x = merge(x, item, depth + 1),
                    None => out.push(item.clone()),
                }
            }
            Node::new(NodeKind::Seq(out), original.span)
        }
        _ => over.clone(),
    }
}

fn same_key_value(a: &Node, b: &Node) -> bool {
    let text = |n: &Node| n.scalar_text().unwrap_or_default();
    a.entries().iter().any(|x| b.entries().iter().any(|y| x.key == y.key && text(&x.value) == text(&y.value)))
}

/// outputs.go `ProcessOutputs`: `Fn::GetAtt Name.Output` becomes the output's value, and
/// `${Name.Output}` an `Fn::Sub` variable holding it.
fn substitute_outputs(node: &mut Node, instance: &Instance, depth: usize) {
    if depth > MAX_TREE_DEPTH || instance.outputs.is_empty() {
        return;
    }
    let output = |id: &str, attr: &str| (id == instance.name).then(|| instance.outputs.get(attr)).flatten();
    if let Some(entry) = node.single_entry() {
        match entry.key.as_str() {
            "Fn::GetAtt" => {
                if let Some((id, attr)) = getatt_parts(&entry.value)
                    && let Some(value) = output(&id, &attr)
                {
                    *node = value.clone();
                }
                return;
            }
            "Fn::Sub" => {
                let NodeKind::Map(entries) = &mut node.kind else { return };
                let arg = &mut entries[0].value;
                let (text, text_span, mut vars) = match &arg.kind {
                    NodeKind::String(s) => (s.as_str().to_owned(), arg.span, Vec::new()),
                    NodeKind::Seq(items) => match items.first().and_then(Node::as_str) {
                        Some(t) => (
                            t.to_owned(),
                            items[0].span,
                            items.get(1).map(|v| v.entries().to_vec()).unwrap_or_default(),
                        ),
                        None => return,
                    },
                    _ => return,
                };
                for v in &mut vars {
                    substitute_outputs(&mut v.value, instance, depth + 1);
                }
                for part in sub_parts(&text) {
                    let SubPart::Var { name, .. } = part else { continue };
                    if vars.iter().any(|v| v.key == name) {
                        continue;
                    }
                    if let Some((id, attr)) = name.split_once('.')
                        && let Some(value) = output(id, attr)
                    {
                        vars.push(Entry { key: Text::new(&name), key_span: text_span, value: value.clone() });
                    }
                }
                if !vars.is_empty() {
                    arg.kind = NodeKind::Seq(vec![
                        str_node(&text, text_span),
                        Node::new(NodeKind::Map(vars), text_span),
                    ]);
                }
                return;
            }
            _ => {}
        }
    }
    match &mut node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                substitute_outputs(&mut e.value, instance, depth + 1);
            }
        }
        NodeKind::Seq(items) => {
            for i in items {
                substitute_outputs(i, instance, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml::parse_yaml;

    /// Writes `files` (the first is the template) and packages the template.
    fn packaged(files: &[(&str, &str)]) -> (Packaging, SourceMap, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            std::fs::write(&path, text).expect("write");
        }
        let (name, text) = files[0];
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::from_disk(dir.path().join(name), (*text).to_owned()));
        let root = parse_yaml(text).root.expect("template parses");
        let packaging =
            package(&root, file, &mut sources, &Scope::unrestricted(), &mut ParsedModules::default());
        (packaging, sources, dir)
    }

    fn expanded(packaging: &Packaging) -> (&Node, &Origins) {
        match packaging {
            Packaging::Expanded { root, origins } => (root, origins),
            Packaging::AsWritten => panic!("not expanded: as written"),
            Packaging::Unsupported => panic!("not expanded: unsupported"),
            Packaging::Fails { why, .. } => panic!("not expanded: {why:?}"),
        }
    }

    const PARENT: &str = "Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
  Scorer:
    Type: !Rain::Module ./m/scorer.yaml
    Properties:
      EndpointName: !GetAtt Endpoint.EndpointName
    Overrides:
      Role:
        Properties:
          Path: /scoring/
Outputs:
  Arn:
    Value: !GetAtt Scorer.FunctionArn
  Named:
    Value: !Sub fn-${Scorer.FunctionArn}
";

    const MODULE: &str = "Parameters:
  EndpointName:
    Type: String
  Memory:
    Type: Number
    Default: 512
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Path: /
  Function:
    Type: AWS::Lambda::Function
    DependsOn: Role
    Properties:
      Role: !GetAtt Role.Arn
      MemorySize: !Ref Memory
      Environment:
        Variables:
          ENDPOINT: !Ref EndpointName
          ARN: !Sub arn:aws:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/${EndpointName}
Outputs:
  FunctionArn:
    Value: !GetAtt Function.Arn
";

    #[test]
    fn module_resources_are_renamed_and_given_the_parents_values() {
        let (packaging, sources, _dir) = packaged(&[("t.yaml", PARENT), ("m/scorer.yaml", MODULE)]);
        let (root, origins) = expanded(&packaging);
        let ids: Vec<&str> = resources(root).iter().map(|r| r.key.as_str()).collect();
        assert_eq!(ids, ["Endpoint", "ScorerRole", "ScorerFunction"]);
        let function = root.get("Resources").and_then(|r| r.get("ScorerFunction")).expect("function");
        let props = function.get("Properties").expect("properties");
        assert_eq!(
            props.get("Role").and_then(|r| r.get("Fn::GetAtt")).map(|a| a.items()[0].as_str()),
            Some(Some("ScorerRole"))
        );
        assert_eq!(function.get("DependsOn").and_then(Node::as_str), Some("ScorerRole"));
        // A parameter without a value in the parent takes its Default, written in the module.
        let memory = props.get("MemorySize").expect("memory");
        assert_eq!(memory.scalar_text().as_deref(), Some("512"));
        // The parent's value keeps the parent's span; the module's text the module's.
        let env = props.get("Environment").and_then(|e| e.get("Variables")).expect("variables");
        let endpoint = env.get("ENDPOINT").expect("ENDPOINT");
        assert!(endpoint.get("Fn::GetAtt").is_some());
        let at = origins.loc(endpoint.span);
        assert_eq!(sources.get(at.file).slice(at.span), "!GetAtt Endpoint.EndpointName");
        let key = origins.loc(resources(root)[2].key_span);
        assert_eq!(sources.get(key.file).path().file_name().and_then(|n| n.to_str()), Some("scorer.yaml"));
        assert_eq!(sources.get(key.file).slice(key.span), "Function");
        // `${EndpointName}` becomes an Fn::Sub variable holding the parent's value.
        let sub = env.get("ARN").and_then(|a| a.get("Fn::Sub")).expect("sub");
        let [text, vars] = sub.items() else { panic!("list form: {sub:?}") };
        assert!(text.as_str().is_some_and(|t| t.ends_with("endpoint/${EndpointName}")));
        assert!(vars.get("EndpointName").and_then(|v| v.get("Fn::GetAtt")).is_some());
    }

    #[test]
    fn overrides_merge_and_outputs_are_substituted_in_the_parent() {
        let (packaging, _sources, _dir) = packaged(&[("t.yaml", PARENT), ("m/scorer.yaml", MODULE)]);
        let (root, _) = expanded(&packaging);
        let role = root.get("Resources").and_then(|r| r.get("ScorerRole")).expect("role");
        let path = role.get("Properties").and_then(|p| p.get("Path")).and_then(Node::as_str);
        assert_eq!(path, Some("/scoring/"));
        let outputs = root.get("Outputs").expect("outputs");
        let arn = outputs.get("Arn").and_then(|o| o.get("Value")).and_then(|v| v.get("Fn::GetAtt"));
        assert_eq!(arn.map(|a| a.items()[0].as_str()), Some(Some("ScorerFunction")));
        let named = outputs.get("Named").and_then(|o| o.get("Value")).and_then(|v| v.get("Fn::Sub"));
        let vars = named.and_then(|s| s.items().get(1)).expect("variables");
        assert!(vars.get("Scorer.FunctionArn").and_then(|v| v.get("Fn::GetAtt")).is_some());
    }

    #[test]
    fn a_module_including_itself_is_a_cycle_at_the_templates_directive() {
        let a = "Resources:\n  B:\n    Type: !Rain::Module ./b.yaml\n";
        let b = "Resources:\n  A:\n    Type: !Rain::Module ./a.yaml\n";
        let (packaging, sources, _dir) = packaged(&[
            ("t.yaml", "Resources:\n  Top:\n    Type: !Rain::Module ./a.yaml\n"),
            ("a.yaml", a),
            ("b.yaml", b),
        ]);
        let Packaging::Fails { loc, why: RainModuleFailure::Cycle { chain }, .. } = packaging else {
            panic!("a cycle fails")
        };
        assert_eq!(sources.get(loc.file).slice(loc.span), "./a.yaml");
        let names: Vec<_> = chain.iter().filter_map(|p| p.file_name()?.to_str()).collect();
        assert_eq!(names, ["a.yaml", "b.yaml", "a.yaml"]);
    }

    #[test]
    fn missing_modules_and_parameters_fail_and_other_rain_features_are_not_expanded() {
        let missing = "Resources:\n  M:\n    Type: !Rain::Module ./nothing.yaml\n";
        let (packaging, _, _dir) = packaged(&[("t.yaml", missing)]);
        assert!(matches!(
            packaging,
            Packaging::Fails { why: RainModuleFailure::Unreadable(crate::fsread::Refusal::Missing), .. }
        ));
        let unset = "Resources:\n  M:\n    Type: !Rain::Module ./m.yaml\n";
        let module = "Parameters:\n  Name: {Type: String}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n";
        let (packaging, _, _dir) = packaged(&[("t.yaml", unset), ("m.yaml", module)]);
        assert!(matches!(packaging, Packaging::Fails { why: RainModuleFailure::MissingProperty { .. }, .. }));
        let remote = "Resources:\n  M:\n    Type: !Rain::Module https://example.com/m.yaml\n";
        assert!(matches!(packaged(&[("t.yaml", remote)]).0, Packaging::Unsupported));
        let uploads = "Resources:\n  M:\n    Type: !Rain::Module ./m.yaml\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: !Rain::S3 src\n";
        let module = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
        assert!(matches!(packaged(&[("t.yaml", uploads), ("m.yaml", module)]).0, Packaging::Unsupported));
        let plain = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
        assert!(matches!(packaged(&[("t.yaml", plain)]).0, Packaging::AsWritten));
    }
}
