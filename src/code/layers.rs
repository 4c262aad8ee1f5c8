//! Helper code a function gets from Lambda layers. Lambda extracts a layer under `/opt`, where each
//! runtime has its own folder on the import path (Python `python/`, Node.js
//! `nodejs/node_modules/`:
//! <https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths>),
//! so `import mlclient` may be `<layer>/python/mlclient`. Which folders are a function's layers is
//! the format's business (`model/layers.rs` for templates); which modules a handler imports and
//! where a layer keeps them is its language's ([`super::HandlerLanguage::imported_packages`],
//! [`super::HandlerLanguage::layer_files`]). Here: what they share.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A folder holding a layer's content: what Lambda extracts under `/opt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub dir: std::path::PathBuf,
    /// The runtime folder `sam build` copies the folder into (`Metadata: BuildMethod:
    /// python3.12` → `python`, `nodejs20.x` → `nodejs`): the folder is then that runtime folder
    /// itself, not the layer's root (aws-sam-cli `get_layer_subfolder`,
    /// <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-layers.html>).
    pub built_into: Option<&'static str>,
}

impl Layer {
    /// A layer whose folder is deployed as it is.
    #[must_use]
    pub fn as_is(dir: std::path::PathBuf) -> Self {
        Self { dir, built_into: None }
    }

    /// The layer's folder that is `/opt/<folder>` at run time (`python`, `nodejs`).
    #[must_use]
    pub fn runtime_dir(&self, folder: &str) -> std::path::PathBuf {
        if self.built_into == Some(folder) { self.dir.clone() } else { self.dir.join(folder) }
    }
}

/// Collects the top-level packages a handler imports, each once, in the order first named.
#[derive(Default)]
pub(in crate::code) struct Packages {
    out: Vec<String>,
    // A handler can name a module a hundred thousand times: duplicates are found by hashing.
    seen: HashSet<String>,
}

impl Packages {
    /// Adds the package `top` cuts from the module named at the start of `name` (up to the first
    /// character no module name has); relative imports (`.x`) are left out.
    pub(in crate::code) fn add(&mut self, name: &str, top: impl Fn(&str) -> String) {
        let ident = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '/' | '.');
        let name: String = name.chars().take_while(|&c| ident(c)).collect();
        let top = top(&name);
        if !top.is_empty() && !top.starts_with('.') && self.seen.insert(top.clone()) {
            self.out.push(top);
        }
    }

    pub(in crate::code) fn into_vec(self) -> Vec<String> {
        self.out
    }
}

/// Source files directly in a package folder (bounded).
pub(in crate::code) fn package_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some(ext))
        .take(50)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use crate::code::Language;

    #[test]
    fn imports_are_read_as_top_level_modules() {
        let py =
            "import os, json\nfrom mlclient.api import predict\nfrom . import local\nimport boto3.session\n";
        assert_eq!(Language::Python.reader().imported_packages(py), ["os", "json", "mlclient", "boto3"]);
        let js = "const a = require('shared-ml');\nimport { b } from \"@acme/ml/client\";\nimport c from './c.js';\n";
        assert_eq!(Language::JavaScript.reader().imported_packages(js), ["shared-ml", "@acme/ml"]);
    }
}
