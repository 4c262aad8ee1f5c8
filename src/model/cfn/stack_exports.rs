//! `Fn::ImportValue` of an export another template in the same folder defines.
//!
//! Projects often keep the model stack (which exports the endpoint's name or ARN) next to the
//! application stack that imports it. `Fn::ImportValue` returns the value of the output whose
//! `Export.Name` matches, in the same account and region
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html>:
//! "Export names must be unique within a region"). When exactly one sibling template exports a
//! name with a value the files decide, the import is that value; otherwise it stays a symbol.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::syntax::Node;
use crate::value::{Piece, SymStr};

use super::{BuildOptions, Resolver, is_template, ref_targets};

/// Sibling templates looked at; a folder of stacks rarely holds more.
const MAX_SIBLINGS: usize = 64;
/// Larger files are not read for this (CloudFormation's own template limit is 1 MB).
const MAX_SIBLING_BYTES: u64 = 2 * 1024 * 1024;

/// Export name → value, for the exports of the other templates in `template`'s folder. Empty
/// when the template imports nothing (no sibling is read then).
pub(crate) fn from_siblings(
    template: &Path,
    root: &Node,
    options: &BuildOptions,
) -> BTreeMap<String, SymStr> {
    if !imports_anything(root) {
        return BTreeMap::new();
    }
    let Some(dir) = template.parent() else { return BTreeMap::new() };
    // An export name defined twice (a dev and a prod copy of a stack) is not decided by the files.
    let mut found: BTreeMap<String, Option<SymStr>> = BTreeMap::new();
    for path in siblings(dir, template) {
        let Some(sibling) = read_template(&path) else { continue };
        for (name, value) in exports(&sibling, options) {
            found
                .entry(name)
                .and_modify(|seen| {
                    if seen.as_ref() != value.as_ref() {
                        *seen = None;
                    }
                })
                .or_insert(value);
        }
    }
    found.into_iter().filter_map(|(name, value)| Some((name, value?))).collect()
}

/// The `Outputs` with a literal `Export.Name`, each with its value when the files decide it.
fn exports(root: &Node, options: &BuildOptions) -> Vec<(String, Option<SymStr>)> {
    let resolver = Resolver::new(root, ref_targets(root), &options.params, &options.deployment);
    let mut out = Vec::new();
    for output in root.get("Outputs").map(Node::entries).unwrap_or_default() {
        let Some(name) = output.value.get("Export").and_then(|e| e.get("Name")) else { continue };
        let Some(name) = resolver.resolve(name).as_literal() else { continue };
        let value = output.value.get("Value").and_then(|v| resolver.resolve(v).as_symstr());
        out.push((name, value.filter(only_deployment_symbols)));
    }
    out
}

/// A value is meaningful in the importing template only if its unknown parts are the
/// deployment's (`AWS::Region`, `AWS::AccountId`, …), which both stacks share: a symbol such as
/// `Endpoint.EndpointName` names a resource of the *exporting* template.
fn only_deployment_symbols(value: &SymStr) -> bool {
    value.pieces().iter().all(|p| match p {
        Piece::Lit(_) => true,
        Piece::Sym(s) => SHARED_PSEUDO_PARAMETERS.contains(&s.0.as_str()),
    })
}

/// Pseudo parameters with the same value in both stacks (`AWS::StackName` and `AWS::StackId` differ).
const SHARED_PSEUDO_PARAMETERS: [&str; 4] =
    ["AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix"];

fn imports_anything(node: &Node) -> bool {
    if node.get("Fn::ImportValue").is_some() {
        return true;
    }
    node.entries().iter().any(|e| imports_anything(&e.value)) || node.items().iter().any(imports_anything)
}

/// The folder's other YAML/JSON/`.template` files, sorted, bounded.
fn siblings(dir: &Path, template: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.as_path() != template)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
        })
        .collect();
    out.sort();
    out.truncate(MAX_SIBLINGS);
    out
}

fn read_template(path: &Path) -> Option<Node> {
    let text = super::read_small(path, MAX_SIBLING_BYTES)?;
    let json = path.extension().and_then(|e| e.to_str()) == Some("json")
        || text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    let parsed =
        if json { crate::syntax::json::parse_json(&text) } else { crate::syntax::yaml::parse_yaml(&text) };
    // A file with syntax errors is reported on its own; its exports are not trusted here.
    if !parsed.errors.is_empty() {
        return None;
    }
    parsed.root.filter(is_template)
}
