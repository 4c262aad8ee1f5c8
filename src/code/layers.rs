//! Helper code a function gets from Lambda layers. Lambda extracts a layer under `/opt`; Python
//! finds `python/` and Node.js `nodejs/node_modules/` there
//! (<https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths>),
//! so `import mlclient` may be `<layer>/python/mlclient`. Which folders are a function's layers is
//! the format's business (`model/layers.rs` for templates).

use std::path::{Path, PathBuf};

use super::Language;

/// Top-level modules a handler imports by absolute name (`import x.y`, `from x import`,
/// `require('x')`, `from 'x'`), relative imports left out.
pub(crate) fn imported_modules(lang: Language, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // A handler can name a module a hundred thousand times: duplicates are found by hashing.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut add = |name: &str| {
        let ident = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '/' | '.');
        let name: String = name.chars().take_while(|&c| ident(c)).collect();
        let top = match lang {
            Language::Python => name.split('.').next().unwrap_or("").to_owned(),
            Language::JavaScript if name.starts_with('@') => {
                name.splitn(3, '/').take(2).collect::<Vec<_>>().join("/")
            }
            Language::JavaScript => name.split('/').next().unwrap_or("").to_owned(),
        };
        if !top.is_empty() && !top.starts_with('.') && seen.insert(top.clone()) {
            out.push(top);
        }
    };
    for line in text.lines() {
        let line = line.trim();
        match lang {
            Language::Python => {
                if let Some(rest) = line.strip_prefix("from ") {
                    add(rest.trim_start());
                } else if let Some(rest) = line.strip_prefix("import ") {
                    for part in rest.split(',') {
                        add(part.trim());
                    }
                }
            }
            Language::JavaScript => {
                for marker in ["require(", "from ", "import("] {
                    for (i, _) in line.match_indices(marker) {
                        let rest = line[i + marker.len()..].trim_start();
                        if let Some(q) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
                            add(&rest[q.len_utf8()..]);
                        }
                    }
                }
            }
        }
    }
    out
}

/// The source files of `module` in a layer folder, when the layer has it.
pub(crate) fn module_files(layer: &Path, lang: Language, module: &str) -> Vec<PathBuf> {
    match lang {
        Language::Python => {
            let base = layer.join("python");
            let single = base.join(format!("{module}.py"));
            if single.is_file() {
                return vec![single];
            }
            let package = base.join(module);
            if package.join("__init__.py").is_file() { package_files(&package, "py") } else { Vec::new() }
        }
        Language::JavaScript => {
            let package = layer.join("nodejs").join("node_modules").join(module);
            if package.is_dir() {
                ["js", "mjs", "cjs"].iter().flat_map(|ext| package_files(&package, ext)).collect()
            } else {
                Vec::new()
            }
        }
    }
}

/// Source files directly in a package folder (bounded).
fn package_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
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
    use super::*;

    #[test]
    fn imports_are_read_as_top_level_modules() {
        let py =
            "import os, json\nfrom mlclient.api import predict\nfrom . import local\nimport boto3.session\n";
        assert_eq!(imported_modules(Language::Python, py), ["os", "json", "mlclient", "boto3"]);
        let js = "const a = require('shared-ml');\nimport { b } from \"@acme/ml/client\";\nimport c from './c.js';\n";
        assert_eq!(imported_modules(Language::JavaScript, js), ["shared-ml", "@acme/ml"]);
    }
}
