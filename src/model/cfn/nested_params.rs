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

use crate::syntax::Node;

use super::{BuildOptions, Resolver, ref_targets, resources};

/// File-name suffix `cdk synth` gives nested stack templates.
const NESTED_SUFFIX: &str = ".nested.template.json";
/// Parent templates looked at; a cdk.out holds one per stack.
const MAX_PARENTS: usize = 64;
/// Larger parents are not read for this (CloudFormation's own template limit is 1 MB).
const MAX_PARENT_BYTES: u64 = 4 * 1024 * 1024;

/// The parameters a parent template in the same folder passes to the nested stack at `child`,
/// for those whose value is a literal there. Empty when `child` is not a CDK nested stack.
pub(crate) fn from_parent(child: &Path, options: &BuildOptions) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(name) = child.file_name().and_then(|n| n.to_str()).filter(|n| n.ends_with(NESTED_SUFFIX)) else {
        return out;
    };
    let Some(dir) = child.parent() else { return out };
    for parent in parent_candidates(dir, name) {
        let Some(root) = read_json(&parent) else { continue };
        for r in resources(&root) {
            let stack = &r.value;
            let is_ours = stack.get("Type").and_then(Node::as_str) == Some("AWS::CloudFormation::Stack")
                && stack.get("Metadata").and_then(|m| m.get("aws:asset:path")).and_then(Node::as_str)
                    == Some(name);
            if !is_ours {
                continue;
            }
            let resolver = Resolver::new(&root, ref_targets(&root), &options.params, &options.deployment);
            let passed = stack.get("Properties").and_then(|p| p.get("Parameters"));
            for p in passed.map(Node::entries).unwrap_or_default() {
                if let Some(value) = resolver.resolve(&p.value).as_literal() {
                    out.insert(p.key.clone(), value);
                }
            }
            return out;
        }
    }
    out
}

/// The other `*.template.json` files of the folder, sorted, bounded.
fn parent_candidates(dir: &Path, child_name: &str) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".template.json") && n != child_name)
        })
        .collect();
    out.sort();
    out.truncate(MAX_PARENTS);
    out
}

fn read_json(path: &Path) -> Option<Node> {
    let text = super::read_small(path, MAX_PARENT_BYTES)?;
    crate::syntax::json::parse_json(&text).root
}
