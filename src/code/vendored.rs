//! Third-party packages installed into a code folder (`pip install -t src/`, CDK Python bundling),
//! recognised by the `*.dist-info` / `*.egg-info` metadata pip writes next to them
//! (<https://packaging.python.org/en/latest/specifications/recording-installed-packages/>).
//! Their code runs only when the handler calls into it, and what the handler calls is the
//! library's API, not every method of it: scanning them as handler code attributes the library's
//! unused calls (`predict_async`) to the function.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Component, Path};

/// Metadata files larger than this are not read (a `RECORD` of a huge distribution).
const MAX_METADATA_BYTES: u64 = 2 * 1024 * 1024;

/// Top-level module and package names installed into `dir` by pip.
pub(super) fn top_level_packages(dir: &Path, scope: &crate::fsread::Scope) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeSet::new() };
    let names: Vec<OsString> = entries.flatten().take(MAX_LISTED).map(|e| e.file_name()).collect();
    packages_listed(dir, &names, scope)
}

/// The most entries of a code folder looked at for metadata folders.
pub(super) const MAX_LISTED: usize = 10_000;

/// [`top_level_packages`] from the names in `dir` already listed (at most [`MAX_LISTED`]).
pub(super) fn packages_listed(
    dir: &Path,
    names: &[OsString],
    scope: &crate::fsread::Scope,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for name in names {
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_suffix(".dist-info").or_else(|| name.strip_suffix(".egg-info")) else {
            continue;
        };
        // `sagemaker-2.232.0.dist-info`: the distribution name, normalised as an import name.
        if let Some(project) = stem.split('-').next().filter(|p| !p.is_empty()) {
            out.insert(project.to_ascii_lowercase().replace(['-', '.'], "_"));
        }
        let meta = dir.join(name);
        // The distribution name can differ from what it installs (`PyYAML` installs `yaml`):
        // `top_level.txt` and `RECORD` list the installed paths.
        for line in read_small(&meta.join("top_level.txt"), scope).lines() {
            let line = line.trim();
            if !line.is_empty() {
                out.insert(line.to_owned());
            }
        }
        for line in read_small(&meta.join("RECORD"), scope).lines() {
            let path = line.split(',').next().unwrap_or("");
            if let Some(Component::Normal(first)) = Path::new(path).components().next()
                && let Some(first) = first.to_str()
                && !Path::new(first).extension().is_some_and(|e| e == "dist-info" || e == "data")
            {
                out.insert(first.trim_end_matches(".py").to_owned());
            }
        }
    }
    out
}

/// True when `relative` (a path inside the code folder) belongs to an installed package.
pub(super) fn is_vendored(relative: &Path, packages: &BTreeSet<String>) -> bool {
    let Some(Component::Normal(first)) = relative.components().next() else { return false };
    let Some(first) = first.to_str() else { return false };
    let module = first.split('.').next().unwrap_or(first);
    packages.contains(first) || packages.contains(module)
}

fn read_small(path: &Path, scope: &crate::fsread::Scope) -> String {
    crate::fsread::read_text(path, MAX_METADATA_BYTES, scope).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_package_paths_are_vendored() {
        let packages: BTreeSet<String> = ["sagemaker".to_owned(), "six".to_owned()].into();
        assert!(is_vendored(Path::new("sagemaker/predictor.py"), &packages));
        assert!(is_vendored(Path::new("six.py"), &packages));
        assert!(!is_vendored(Path::new("app.py"), &packages));
        assert!(!is_vendored(Path::new("helpers/sagemaker_client.py"), &packages));
    }
}
