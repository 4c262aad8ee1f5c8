//! Python handlers: the lexer (`lex`), the module structure from indentation (`structure`),
//! assignments and environment reads (`bindings`), the boto3 and SageMaker SDK calls that invoke
//! an endpoint (`calls`), errors caught away from the call (`indirect`), names imported from the
//! function's other modules (`imports`, `links`), and parameters its other modules pass
//! (`params`).

mod bindings;
mod calls;
mod fstring;
mod imports;
mod indirect;
mod lex;
pub(in crate::code) mod links;
mod params;
mod structure;

use std::path::{Path, PathBuf};

use crate::code::analyzer::lex::Lit;
use crate::code::analyzer::{Analyzer, Found, Grammar};
use crate::code::layers::{Packages, package_files};
use crate::code::locate::CodeFiles;
use crate::code::{EndpointName, HandlerLanguage, HandlerScan, Language};
use crate::model::InvokeApi;
use crate::source::SourceMap;
use crate::span::FileId;

/// A file's tokens with its structure, bindings and environment reads found: what every question
/// about its calls starts from.
fn analyzed(text: &str) -> Analyzer<'_, PyGrammar> {
    let mut an = Analyzer::<PyGrammar>::new(text, lex::lex_python(text));
    an.py_structure();
    an.py_assignments();
    an.py_env_reads();
    an
}

/// Python, as the Lambda Python runtimes run it.
pub(in crate::code) struct Python;

impl crate::code::callers::CallSites for Python {
    fn calls_own(text: &str, function: &str) -> bool {
        analyzed(text).py_calls_own(function)
    }

    fn protected_calls_of(text: &str, module: &str, function: &str) -> Vec<bool> {
        let an = analyzed(text);
        an.py_calls_of(module, function)
            .into_iter()
            .map(|k| an.protected.get(k).copied().unwrap_or(false))
            .collect()
    }
}

impl HandlerLanguage for Python {
    fn language(&self) -> Language {
        Language::Python
    }

    fn claims(&self, path: &Path) -> bool {
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("py"))
    }

    fn runtime_prefix(&self) -> &'static str {
        "python"
    }

    fn handler_extensions(&self) -> &'static [&'static str] {
        &["py"]
    }

    /// A handler module may be a package (`app.handler` → `app/__init__.py`): the runtime calls
    /// `importlib.import_module` on it
    /// (<https://github.com/aws/aws-lambda-python-runtime-interface-client/blob/main/awslambdaric/bootstrap.py>).
    fn package_entry(&self, module_dir: &Path) -> Option<PathBuf> {
        Some(module_dir.join("__init__.py"))
    }

    fn scan(&self, text: &str) -> HandlerScan {
        let an = analyzed(text);
        let constants = an.py_constants();
        let (calls, clients) = an.py_calls();
        an.finish(calls, clients, constants)
    }

    fn imported_packages(&self, text: &str) -> Vec<String> {
        let mut packages = Packages::default();
        let top = |name: &str| name.split('.').next().unwrap_or("").to_owned();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("from ") {
                packages.add(rest.trim_start(), top);
            } else if let Some(rest) = line.strip_prefix("import ") {
                for part in rest.split(',') {
                    packages.add(part.trim(), top);
                }
            }
        }
        packages.into_vec()
    }

    fn layer_folder(&self) -> &'static str {
        "python"
    }

    fn layer_files(&self, base: &Path, package: &str) -> Vec<PathBuf> {
        let single = base.join(format!("{package}.py"));
        if single.is_file() {
            return vec![single];
        }
        let package = base.join(package);
        if package.join("__init__.py").is_file() { package_files(&package, "py") } else { Vec::new() }
    }

    /// Names the handler imports from another module of its code (`from config import NAME`):
    /// the imported module's constant takes the place of the name the file alone cannot read.
    fn follow_imports(
        &self,
        _handler_files: &[PathBuf],
        code: &Path,
        scans: &mut Vec<(FileId, HandlerScan)>,
        sources: &mut SourceMap,
        files: &mut CodeFiles,
    ) {
        if files.scope().is_dir(code) {
            links::link_imported_names(scans, code, sources, files);
        }
        params::link_param_callers(scans, sources);
        crate::code::callers::protect_by_callers::<Python>(scans, sources);
    }

    fn sdk_name(&self, api: InvokeApi) -> &'static str {
        match api {
            InvokeApi::InvokeEndpoint => "invoke_endpoint",
            InvokeApi::InvokeEndpointAsync => "invoke_endpoint_async",
            InvokeApi::InvokeEndpointWithResponseStream => "invoke_endpoint_with_response_stream",
        }
    }
}

/// Python's spelling of what the shared analyzer asks.
#[derive(Default)]
pub(in crate::code) struct PyGrammar;

impl Grammar for PyGrammar {
    const FALLBACK: &'static [&'static str] = &["or"];
    const CONDITIONAL: &'static str = "if";
    const RECEIVER: &'static str = "self";
    const CONSTRUCTOR: &'static str = "__init__";
    const DECLARES: &'static [&'static str] = &["def", "class"];
    const JSON_PARSERS: &'static [(&'static str, &'static str)] = &[("json", "loads")];
    const KEYWORD_ARGUMENTS: bool = true;
    const KEYS_ARE_NAMES: bool = false;

    /// An f-string: its text, and each replacement field as it evaluates
    /// (`f"{STAGE}-churn"` with `STAGE = os.environ["STAGE"]`).
    fn fold_substituted(
        an: &Analyzer<'_, Self>,
        (lo, _): (usize, usize),
        lit: &Lit,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        an.fold_pieces(lo, lit, |range| an.py_field_value(lo, range, depth, budget))
    }

    /// `dict(key=…, **more)`.
    fn mapping_call(
        an: &Analyzer<'_, Self>,
        lo: usize,
        hi: usize,
        key: &str,
        depth: u32,
        budget: &mut u32,
    ) -> Option<Found> {
        let whole_call = an.is_id(lo, "dict") && an.is_p(lo + 1, "(") && an.close_of(lo + 1) == hi - 1;
        if whole_call { an.py_kwarg(lo + 1, key, depth, budget) } else { None }
    }

    fn formatting(an: &Analyzer<'_, Self>, lo: usize, hi: usize) -> Option<&'static str> {
        if an.find_top(lo, hi, |k| an.is_p(k, "%")).is_some() {
            return Some("%-formatting");
        }
        an.find_top(lo, hi, |k| an.is_p(k, ".") && an.is_id(k + 1, "format") && an.is_p(k + 2, "("))
            .map(|_| "str.format")
    }
}
