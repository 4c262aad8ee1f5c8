//! Helper code a function gets from Lambda layers defined in the same template. Lambda extracts a
//! layer under `/opt`; Python finds `python/` and Node.js `nodejs/node_modules/` there
//! (<https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths>),
//! so `import mlclient` may be `<ContentUri>/python/mlclient`. A SAM layer that `sam build`
//! builds (`Metadata: BuildMethod: python3.12`) is copied into that runtime folder: its module is
//! `<ContentUri>/mlclient` (aws-sam-cli `get_layer_subfolder`,
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-layers.html>).

use std::path::{Path, PathBuf};

use crate::code::Layer;
use crate::formats::cloudformation::resolve::Resolver;
use crate::model::problem::LayerName;
use crate::span::Span;
use crate::syntax::Node;

/// The layers of a function as far as the files show them.
#[derive(Default)]
pub(super) struct Layers {
    /// Layers whose content is in the files.
    pub dirs: Vec<Layer>,
    /// Layers whose content is not in the files: how they are named and where.
    pub unreadable: Vec<(LayerName, Span)>,
}

/// Reads `Layers: [...]` of a function. `root` is the template, `template_dir` its folder.
pub(super) fn function_layers(
    root: &Node,
    layers: &Node,
    template_dir: &Path,
    resolver: &Resolver<'_>,
) -> Layers {
    let mut out = Layers::default();
    for item in layers.items() {
        let logical = item.get("Ref").and_then(Node::as_str);
        let resource = logical.and_then(|id| root.get("Resources")?.get(id));
        let dir = resource.and_then(|r| layer_dir(r, template_dir));
        match (dir, logical) {
            (Some(dir), _) if dir.is_dir() => {
                out.dirs.push(Layer { dir, built_into: resource.and_then(sam_build_folder) });
            }
            (Some(dir), _) => out.unreadable.push((LayerName::Folder(dir), item.span)),
            (None, Some(id)) => out.unreadable.push((LayerName::Named(id.to_owned()), item.span)),
            (None, None) => {
                let name = resolver
                    .resolve(item)
                    .as_symstr()
                    .map_or(LayerName::Unnamed, |s| LayerName::Named(s.to_string()));
                out.unreadable.push((name, item.span));
            }
        }
    }
    out
}

/// The runtime folder `sam build` copies a SAM layer into: its `Metadata.BuildMethod` is a
/// Python or Node.js runtime. A `makefile` build puts files where its rules say.
fn sam_build_folder(resource: &Node) -> Option<&'static str> {
    if resource.get("Type").and_then(Node::as_str) != Some("AWS::Serverless::LayerVersion") {
        return None;
    }
    let method = resource.get("Metadata")?.get("BuildMethod")?.as_str()?;
    if method.starts_with("python") {
        Some("python")
    } else if method.starts_with("nodejs") {
        Some("nodejs")
    } else {
        None
    }
}

/// The local folder of a layer resource: SAM `ContentUri` (not `s3://`), or the CDK asset path.
fn layer_dir(resource: &Node, template_dir: &Path) -> Option<PathBuf> {
    let relative = match resource.get("Type").and_then(Node::as_str)? {
        "AWS::Serverless::LayerVersion" => {
            let uri = resource.get("Properties")?.get("ContentUri")?.as_str()?;
            (!uri.starts_with("s3://")).then_some(uri)?
        }
        "AWS::Lambda::LayerVersion" => resource.get("Metadata")?.get("aws:asset:path")?.as_str()?,
        _ => return None,
    };
    Some(template_dir.join(relative))
}
