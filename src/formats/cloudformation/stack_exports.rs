//! `Fn::ImportValue` of an export another template in the same folder defines.
//!
//! Projects often keep the model stack (which exports the endpoint's name or ARN) next to the
//! application stack that imports it. `Fn::ImportValue` returns the value of the output whose
//! `Export.Name` matches, in the same account and region
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html>:
//! "Export names must be unique within a region"). When exactly one sibling template exports a
//! name with a value the files decide, the import is that value; otherwise it stays a symbol.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::syntax::Node;
use crate::value::{Piece, Pseudo, SymStr, SymbolOrigin};

use super::{BuildOptions, CodeCache, Resolver, is_template, ref_targets};

/// The exports of one folder's templates, read once per folder and run (every template of a folder
/// of importing stacks shares it, so the folder costs one read of each file, not one per
/// importer): export name → each template that exports it, with the value when the files decide it.
#[derive(Debug, Default)]
pub(crate) struct FolderExports {
    by_name: BTreeMap<String, Vec<(PathBuf, Option<SymStr>)>>,
}

/// What `Fn::ImportValue` resolves against in one template: its folder's exports, less its own.
#[derive(Clone, Debug, Default)]
pub(crate) struct Imports {
    folder: Arc<FolderExports>,
    importer: PathBuf,
}

impl Imports {
    /// The value of an export when exactly one value is exported under that name by the other
    /// templates of the folder (an export name defined twice, a dev and a prod copy of a stack,
    /// is not decided by the files).
    pub(crate) fn get(&self, name: &str) -> Option<SymStr> {
        let mut values =
            self.folder.by_name.get(name)?.iter().filter(|(f, _)| *f != self.importer).map(|(_, v)| v);
        let first = values.next()?.clone()?;
        values.all(|v| v.as_ref() == Some(&first)).then_some(first)
    }
}

/// The exports `template` can import from the other templates of its folder. Empty when the
/// template imports nothing (`imports_anything`, from the build's walk of the template: the folder
/// is not read then).
pub(crate) fn for_template(
    template: &Path,
    imports_anything: bool,
    options: &BuildOptions,
    cache: &mut CodeCache,
) -> Imports {
    if !imports_anything {
        return Imports::default();
    }
    let Some(dir) = folder_of(template) else { return Imports::default() };
    let scope = &cache.scope;
    let prefetched = &cache.exporting_siblings;
    let folder = cache
        .folder_exports
        .entry(dir.to_path_buf())
        .or_insert_with(|| {
            let siblings = prefetched.take(dir).unwrap_or_else(|| exporting_siblings(dir, scope));
            Arc::new(read_folder(siblings, options))
        })
        .clone();
    Imports { folder, importer: template.to_path_buf() }
}

/// The folder whose templates a template imports from. A template named without a folder
/// (`sagelint check app.yaml`) is in the current one.
fn folder_of(template: &Path) -> Option<&Path> {
    let dir = template.parent()?;
    Some(crate::source::or_current_folder(dir))
}

/// The templates of folders that may export something, read and parsed on the parsing workers
/// ahead of the build (reading them was most of the calling thread's work for a template that
/// imports). What the workers found is what the build would read itself: the same files,
/// through the same scope.
#[derive(Default)]
pub(crate) struct PrefetchedSiblings {
    /// Folder → its templates that may export; `None` while a worker reads it (or if it stopped).
    folders: Mutex<HashMap<PathBuf, Option<Siblings>>>,
}

/// A folder's templates that may export something, parsed, in file order.
type Siblings = Vec<(PathBuf, Node)>;

impl PrefetchedSiblings {
    /// Reads ahead the templates `template` may import from, when it imports anything. One
    /// worker reads a folder; the others go on.
    pub(crate) fn prefetch(&self, template: &Path, imports_anything: bool, scope: &crate::fsread::Scope) {
        let Some(dir) = folder_of(template).filter(|_| imports_anything) else { return };
        {
            let mut folders = self.lock();
            if folders.contains_key(dir) {
                return;
            }
            folders.insert(dir.to_path_buf(), None);
        }
        let siblings = exporting_siblings(dir, scope);
        self.lock().insert(dir.to_path_buf(), Some(siblings));
    }

    /// A folder's templates if a worker has read them; the build reads them itself otherwise.
    fn take(&self, dir: &Path) -> Option<Siblings> {
        self.lock().remove(dir).flatten()
    }

    /// Empties what no build took, and returns it.
    pub(crate) fn empty(&self) -> HashMap<PathBuf, Option<Siblings>> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<Siblings>>> {
        crate::sync::lock(&self.folders)
    }
}

fn exporting_siblings(dir: &Path, scope: &crate::fsread::Scope) -> Siblings {
    templates_in(dir)
        .into_iter()
        .filter_map(|path| {
            let template = read_template(&path, scope)?;
            Some((path, template))
        })
        .collect()
}

fn read_folder(siblings: Siblings, options: &BuildOptions) -> FolderExports {
    let mut folder = FolderExports::default();
    for (path, sibling) in siblings {
        for (name, value) in exports(&sibling, options) {
            folder.by_name.entry(name).or_default().push((path.clone(), value));
        }
    }
    folder
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
        // `AWS::StackName`, `AWS::StackId` and the notification ARNs differ between the stacks.
        Piece::Sym(s) => matches!(
            s.origin(),
            SymbolOrigin::Pseudo(Pseudo::Region | Pseudo::AccountId | Pseudo::Partition | Pseudo::UrlSuffix)
        ),
    })
}

/// The folder's YAML/JSON/`.template` files, sorted.
fn templates_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
        })
        .collect();
    out.sort();
    out
}

fn read_template(path: &Path, scope: &crate::fsread::Scope) -> Option<Node> {
    let text = crate::fsread::read_text(path, crate::fsread::TEMPLATE_CAP, scope).ok()?;
    // Parsing is most of a folder's cost, and most siblings export nothing.
    if !may_export(&text) {
        return None;
    }
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

/// False only when the text cannot hold an `Export` key: YAML and JSON spell a key out in the text
/// except through escapes, which need a backslash (`"Exp\x6frt"`, `"\u0045xport"`); aliases
/// and merge keys repeat text written elsewhere in the file.
fn may_export(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"Export").is_some()
        || memchr::memchr(b'\\', text.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::{PrefetchedSiblings, may_export};
    use crate::fsread::Scope;

    #[test]
    fn a_worker_reads_the_exporting_siblings_once_and_the_build_takes_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        write(
            "model.yaml",
            "Resources:\n  E:\n    Type: AWS::SageMaker::Endpoint\nOutputs:\n  N:\n    Value: churn\n    Export:\n      Name: endpoint-name\n",
        );
        write(
            "app.yaml",
            "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          E: !ImportValue endpoint-name\n",
        );
        let siblings = PrefetchedSiblings::default();
        let scope = Scope::unrestricted();
        siblings.prefetch(&dir.path().join("other.yaml"), false, &scope);
        assert!(siblings.take(dir.path()).is_none(), "a template that imports nothing reads no sibling");
        siblings.prefetch(&dir.path().join("app.yaml"), true, &scope);
        std::fs::remove_file(dir.path().join("model.yaml")).expect("remove");
        // A second importer of the folder finds it read already (and does not read it again).
        siblings.prefetch(&dir.path().join("app2.yaml"), true, &scope);
        let read: Vec<_> =
            siblings.take(dir.path()).expect("read ahead").into_iter().map(|(p, _)| p).collect();
        assert_eq!(read, vec![dir.path().join("model.yaml")], "only the template that may export");
        assert!(siblings.take(dir.path()).is_none(), "taken once");
    }

    #[test]
    fn only_text_without_export_or_escapes_is_ruled_out() {
        assert!(may_export("Outputs:\n  Out:\n    Export:\n      Name: x\n"));
        assert!(may_export("{\"Outputs\": {\"Out\": {\"\\u0045xport\": {\"Name\": \"x\"}}}}"));
        assert!(may_export("Outputs:\n  Out:\n    \"Exp\\x6frt\": {Name: x}\n"));
        assert!(!may_export("Outputs:\n  Out:\n    Value: !Ref Bucket\n"));
    }
}
