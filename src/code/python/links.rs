//! Endpoint names a Python handler imports from another module of its own code:
//! `from config import ENDPOINT_NAME` with `ENDPOINT_NAME = os.environ["SM_ENDPOINT"]` in
//! `config.py`. The scan of one file cannot read them; here, where the function's code folder is
//! known, the imported module's constant takes the place of the unread name, so the name is
//! checked (SL201/SL203) instead of reported as undecidable (SL003).

use std::path::{Path, PathBuf};

use crate::code::locate::CodeFiles;
use crate::code::{EndpointName, HandlerScan, ImportedName};
use crate::source::SourceMap;
use crate::span::FileId;

/// Replaces each call's imported endpoint name by the constant the imported module assigns,
/// when that module is a file of the function's code and the constant's value is known there.
pub(in crate::code) fn link_imported_names(
    scans: &mut [(FileId, HandlerScan)],
    code_dir: &Path,
    sources: &mut SourceMap,
    cache: &mut CodeFiles,
) {
    for (file, scan) in scans.iter_mut() {
        let importing_file = sources.get(*file).path().to_path_buf();
        for call in &mut scan.calls {
            let Some(imported) = call.imported.take() else { continue };
            let found = module_files(&imported, &importing_file, code_dir)
                .into_iter()
                .find_map(|path| constant_of(&path, &imported.name, sources, cache));
            match found {
                Some((module_file, value)) => {
                    call.endpoint = value;
                    call.endpoint_file = Some(module_file);
                }
                None => call.imported = Some(imported),
            }
        }
    }
}

/// The known value of `name` in the module file at `path`, and that file.
fn constant_of(
    path: &Path,
    name: &str,
    sources: &mut SourceMap,
    cache: &mut CodeFiles,
) -> Option<(FileId, EndpointName)> {
    let (file, _, scan) = cache.scan_file(sources, path)?;
    let value = scan.constants.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())?;
    Some((file, value))
}

/// Where Python finds the module: a relative import (`.settings`) from the importing file's
/// package; an absolute one from the code folder, which Lambda puts on `sys.path` as
/// `/var/task` (<https://docs.aws.amazon.com/lambda/latest/dg/python-package.html>), or from the
/// importing file's own folder, where the handler module itself sits.
fn module_files(imported: &ImportedName, importing_file: &Path, code_dir: &Path) -> Vec<PathBuf> {
    let dots = imported.module.chars().take_while(|&c| c == '.').count();
    let parts: Vec<&str> = imported.module[dots..].split('.').filter(|p| !p.is_empty()).collect();
    let here = importing_file.parent().unwrap_or(Path::new(""));
    let bases: Vec<PathBuf> = if dots > 0 {
        let mut base = here.to_path_buf();
        for _ in 1..dots {
            base = base.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        vec![base]
    } else {
        vec![code_dir.to_path_buf(), here.to_path_buf()]
    };
    let mut out = Vec::new();
    for base in bases {
        let module = parts.iter().fold(base, |dir, part| dir.join(part));
        if parts.is_empty() {
            out.push(module.join("__init__.py"));
            continue;
        }
        out.push(module.with_extension("py"));
        out.push(module.join("__init__.py"));
    }
    out.retain(|p| p.is_file());
    out.dedup();
    out
}
