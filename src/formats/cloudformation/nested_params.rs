//! CDK nested stacks: the values the parent stack passes to a nested stack's parameters.
//!
//! `cdk synth` writes a nested stack next to its parent as `<id>.nested.template.json`, and the
//! parent's `AWS::CloudFormation::Stack` resource names that file in `Metadata.aws:asset:path`
//! (aws-cdk `packages/aws-cdk-lib/core/lib/nested-stack.ts`, asset metadata on the resource).
//! Every reference from the nested stack to a parent resource (an endpoint's name, a role's ARN)
//! becomes a parameter without a default, whose value is the Stack resource's `Parameters` entry
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html>).
//! Without reading the parent, each such name would be undecidable.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::syntax::Node;

use super::{BuildOptions, CodeCache, Resolver, ref_targets, resources};

/// File-name suffix `cdk synth` gives nested stack templates.
const NESTED_SUFFIX: &str = ".nested.template.json";

/// What the parent templates of one folder pass to its nested stacks, read once per folder and
/// run: nested template file name → the literal parameter values the first parent passes.
#[derive(Debug, Default)]
pub(crate) struct FolderParents {
    by_child: BTreeMap<String, BTreeMap<String, String>>,
}

/// The parameters a parent template in the same folder passes to the nested stack at `child`,
/// for those whose value is a literal there. Empty when `child` is not a CDK nested stack.
pub(crate) fn from_parent(
    child: &Path,
    options: &BuildOptions,
    cache: &mut CodeCache,
) -> BTreeMap<String, String> {
    let Some(name) = child.file_name().and_then(|n| n.to_str()).filter(|n| n.ends_with(NESTED_SUFFIX)) else {
        return BTreeMap::new();
    };
    let Some(dir) = child.parent() else { return BTreeMap::new() };
    // A template named without a folder (`sagelint check app.yaml`) is in the current one.
    let dir = crate::source::or_current_folder(dir);
    let scope = &cache.scope;
    let parents = cache
        .nested_params
        .entry(dir.to_path_buf())
        .or_insert_with(|| Arc::new(read_folder(dir, options, scope)))
        .clone();
    parents.by_child.get(name).cloned().unwrap_or_default()
}

fn read_folder(dir: &Path, options: &BuildOptions, scope: &crate::fsread::Scope) -> FolderParents {
    let mut folder = FolderParents::default();
    for parent in parent_candidates(dir) {
        let Some(root) = read_json(&parent, scope) else { continue };
        let resolver = Resolver::new(&root, ref_targets(&root), &options.params, &options.deployment);
        for r in resources(&root) {
            let stack = &r.value;
            if stack.get("Type").and_then(Node::as_str) != Some("AWS::CloudFormation::Stack") {
                continue;
            }
            let Some(child) =
                stack.get("Metadata").and_then(|m| m.get("aws:asset:path")).and_then(Node::as_str)
            else {
                continue;
            };
            if folder.by_child.contains_key(child) {
                continue;
            }
            let passed = stack.get("Properties").and_then(|p| p.get("Parameters"));
            let values = passed
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| Some((p.key.as_str().to_owned(), resolver.resolve(&p.value).as_literal()?)))
                .collect();
            folder.by_child.insert(child.to_owned(), values);
        }
    }
    folder
}

/// The `*.template.json` files of the folder, sorted.
fn parent_candidates(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".template.json")))
        .collect();
    out.sort();
    out
}

fn read_json(path: &Path, scope: &crate::fsread::Scope) -> Option<Node> {
    let text = crate::fsread::read_text(path, crate::fsread::TEMPLATE_CAP, scope).ok()?;
    crate::syntax::json::parse_json(&text).root
}
