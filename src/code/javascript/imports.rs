//! JavaScript/TypeScript relative imports of a handler, resolved to files the way Node.js and
//! TypeScript's compiler output do (`require("./services/predictor")` → `services/predictor.js`,
//! or `services/predictor/index.js`;
//! <https://nodejs.org/api/modules.html#all-together>). Unlike the by-name helper search, this
//! follows the exact path, so it also works when the code folder is the whole project
//! (`CodeUri: ./` with `Handler: dist/index.handler`).

use std::path::{Path, PathBuf};

/// Extensions tried for an import written without one, in Node's order, then TypeScript's.
const EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts"];
/// How many levels of helper-imports-helper are followed.
const MAX_DEPTH: usize = 3;
/// Files added per function at most.
const MAX_FILES: usize = 64;

/// Files that `entry` files import with relative specifiers, transitively, not including `entry`.
pub(in crate::code) fn relative_imports(
    entry: &[(PathBuf, String)],
    scope: &crate::fsread::Scope,
) -> Vec<PathBuf> {
    let mut seen: Vec<PathBuf> = entry.iter().map(|(p, _)| p.clone()).collect();
    let mut out = Vec::new();
    let mut frontier: Vec<(PathBuf, String)> = entry.to_vec();
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (file, text) in &frontier {
            let Some(dir) = file.parent() else { continue };
            for spec in specifiers(text) {
                let Some(path) = resolve(dir, &spec) else { continue };
                if seen.contains(&path) || out.len() >= MAX_FILES {
                    continue;
                }
                seen.push(path.clone());
                out.push(path.clone());
                if let Ok(text) = crate::fsread::read_text(&path, crate::fsread::CODE_CAP, scope) {
                    next.push((path, text));
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    out
}

/// The relative specifiers of `require("./x")`, `import … from "./x"`, `export … from "../x"` and
/// `import("./x")`.
fn specifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, quote) in text.char_indices().filter(|(_, c)| matches!(c, '"' | '\'')) {
        let rest = &text[i + 1..];
        if !(rest.starts_with("./") || rest.starts_with("../")) {
            continue;
        }
        let Some(end) = rest.find(quote) else { continue };
        let spec = &rest[..end];
        if spec.contains('\n') {
            continue;
        }
        let before = text[..i].trim_end();
        let is_import =
            before.ends_with("require(") || before.ends_with("import(") || before.ends_with("from");
        if is_import && !out.iter().any(|s| s == spec) {
            out.push(spec.to_owned());
        }
    }
    out
}

/// The file a relative specifier names: itself, with an extension, or a folder's `index`. A
/// TypeScript source importing `./x.js` means `./x.ts` when only that exists.
fn resolve(dir: &Path, spec: &str) -> Option<PathBuf> {
    let base = crate::source::normalize_path(&dir.join(spec));
    if base.is_file() && crate::code::language_for_path(&base).is_some() {
        return Some(base);
    }
    let with_ext = |p: &Path| EXTENSIONS.iter().map(|e| p.with_extension(e)).find(|c| c.is_file());
    let stem =
        if base.extension().is_some_and(|e| e == "js") { base.with_extension("") } else { base.clone() };
    let file = PathBuf::from(format!("{}.x", stem.display()));
    with_ext(&file).or_else(|| with_ext(&base.join("index.x")))
}

#[cfg(test)]
mod tests {
    use super::specifiers;

    #[test]
    fn finds_require_import_and_dynamic_import() {
        let text = "const a = require(\"./services/predictor\");\nimport b from '../lib/b.js';\nexport { c } from \"./c\";\nconst d = await import('./d');\nconst s = \"./not-an-import\";\nconst e = require('aws-sdk');\n";
        assert_eq!(specifiers(text), ["./services/predictor", "../lib/b.js", "./c", "./d"]);
    }
}
