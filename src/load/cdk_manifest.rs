//! The account and region a CDK stack is deployed to, from the cloud assembly's `manifest.json`
//! beside its template: each `aws:cloudformation:stack` artifact records
//! `"environment": "aws://ACCOUNT/REGION"` and its `properties.templateFile`, with
//! `unknown-account` / `unknown-region` for an environment-agnostic stack
//! (<https://docs.aws.amazon.com/cdk/v2/guide/environments.html>; the cloud assembly schema,
//! aws-cdk `cloud-assembly-schema`, `ArtifactManifest.environment`). A stack bound to an
//! environment resolves `AWS::AccountId` and `AWS::Region` to it when deployed, so the template is
//! checked with them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::formats::BuildOptions;
use crate::formats::Deployment;
use crate::fsread::{self, Scope};
use crate::syntax::Node;

/// The environment `manifest.json` records for the stack whose template is `template`, as build
/// options: what the command line set wins; a part the manifest leaves unknown stays symbolic.
/// `None` when the template is not a stack of a cloud assembly or its environment is all unknown.
pub(super) fn stack_options(
    template: &Path,
    options: &BuildOptions,
    scope: &Scope,
    folders: &mut ManifestFolders,
) -> Option<BuildOptions> {
    let dir = template.parent()?;
    let file_name = template.file_name()?.to_str()?;
    let manifest = dir.join("manifest.json");
    if !*folders.0.entry(dir.to_path_buf()).or_insert_with(|| scope.is_listed_file(&manifest)) {
        return None;
    }
    // An unreadable or malformed manifest leaves the template judged as it is, with symbolic
    // pseudo parameters: the manifest only refines them.
    let text = fsread::read_text(&manifest, fsread::CONFIG_CAP, scope).ok()?;
    let root = crate::syntax::json::parse_json(&text).root?;
    // A nested stack is deployed where its parent is: follow the parents up to a stack artifact.
    let mut stack = file_name.to_owned();
    for _ in 0..MAX_NESTING {
        if !stack.ends_with(NESTED_SUFFIX) {
            break;
        }
        stack = nesting_parent(dir, &stack, scope)?;
    }
    let (account, region) = environment_of(&root, &stack)?;
    let deployment = &options.deployment;
    let region = deployment.region.clone().or(region);
    let partition = deployment.partition.clone().or_else(|| region.as_deref().and_then(partition_of));
    Some(BuildOptions {
        deployment: Deployment { partition, region, account_id: deployment.account_id.clone().or(account) },
        params: options.params.clone(),
        scan_code: options.scan_code,
    })
}

/// Whether each template folder of the run holds a `manifest.json`: asked once per folder, not
/// once per template (most folders hold none, and a folder holds many templates).
#[derive(Default)]
pub(super) struct ManifestFolders(HashMap<PathBuf, bool>);

/// File-name suffix `cdk synth` gives nested stack templates.
const NESTED_SUFFIX: &str = ".nested.template.json";

/// Levels of nested stacks followed to their top stack (CDK apps rarely nest more than two).
const MAX_NESTING: usize = 8;

/// The template in `dir` whose `AWS::CloudFormation::Stack` resource deploys the nested template
/// `child`: `cdk synth` names it in the resource's `Metadata.aws:asset:path`.
fn nesting_parent(dir: &Path, child: &str, scope: &Scope) -> Option<String> {
    let mut candidates: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".template.json") && n != child)
        .collect();
    candidates.sort();
    candidates.into_iter().find(|name| {
        let Ok(text) = fsread::read_text(&dir.join(name), fsread::TEMPLATE_CAP, scope) else { return false };
        let Some(root) = crate::syntax::json::parse_json(&text).root else { return false };
        root.get("Resources").map(Node::entries).unwrap_or_default().iter().any(|r| {
            r.value.get("Type").and_then(Node::as_str) == Some("AWS::CloudFormation::Stack")
                && r.value.get("Metadata").and_then(|m| m.get("aws:asset:path")).and_then(Node::as_str)
                    == Some(child)
        })
    })
}

/// The known account and region of the stack artifact whose template is `file_name`.
fn environment_of(manifest: &Node, file_name: &str) -> Option<(Option<String>, Option<String>)> {
    let artifact = manifest.get("artifacts")?.entries().iter().map(|e| &e.value).find(|a| {
        a.get("type").and_then(Node::as_str) == Some("aws:cloudformation:stack")
            && a.get("properties").and_then(|p| p.get("templateFile")).and_then(Node::as_str)
                == Some(file_name)
    })?;
    let rest = artifact.get("environment").and_then(Node::as_str)?.strip_prefix("aws://")?;
    let (account, region) = rest.split_once('/')?;
    let known = |s: &str, unknown: &str| (!s.is_empty() && s != unknown).then(|| s.to_owned());
    let account = known(account, "unknown-account").filter(|a| a.bytes().all(|b| b.is_ascii_digit()));
    let region = known(region, "unknown-region");
    (account.is_some() || region.is_some()).then_some((account, region))
}

/// The partition a region belongs to (`cn-north-1` → `aws-cn`); `None` leaves the default.
fn partition_of(region: &str) -> Option<String> {
    if region.starts_with("cn-") {
        Some("aws-cn".to_owned())
    } else if region.starts_with("us-gov-") {
        Some("aws-us-gov".to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::environment_of;

    fn manifest(environment: &str) -> crate::syntax::Node {
        let text = format!(
            r#"{{"artifacts": {{"Score": {{"type": "aws:cloudformation:stack", "environment": "{environment}",
               "properties": {{"templateFile": "Score.template.json"}}}}}}}}"#
        );
        crate::syntax::json::parse_json(&text).root.expect("test manifest parses")
    }

    #[test]
    fn a_bound_stack_has_its_account_and_region() {
        let env = environment_of(&manifest("aws://123456789012/eu-west-1"), "Score.template.json");
        assert_eq!(env, Some((Some("123456789012".into()), Some("eu-west-1".into()))));
    }

    #[test]
    fn unknown_parts_stay_unknown() {
        let m = manifest("aws://unknown-account/unknown-region");
        assert_eq!(environment_of(&m, "Score.template.json"), None);
        let m = manifest("aws://unknown-account/us-east-1");
        assert_eq!(environment_of(&m, "Score.template.json"), Some((None, Some("us-east-1".into()))));
    }

    #[test]
    fn another_template_is_not_this_stack() {
        let m = manifest("aws://123456789012/eu-west-1");
        assert_eq!(environment_of(&m, "Other.template.json"), None);
    }
}
