//! JavaScript and TypeScript handlers: the lexer (`lex`; type annotations are skipped, not
//! understood), statement structure (`structure`), declarations, assignments and environment
//! reads (`bindings`), the AWS SDK v2 and v3 calls that invoke an endpoint (`calls`), errors
//! caught away from the call (`indirect`), and the relative imports followed (`imports`).

mod bindings;
mod calls;
pub(in crate::code) mod imports;
mod indirect;
mod lex;
mod structure;

use std::path::{Path, PathBuf};

use crate::code::analyzer::lex::Lit;
use crate::code::analyzer::{Analyzer, Grammar};
use crate::code::layers::{Packages, package_files};
use crate::code::locate::{CodeFiles, add_scan};
use crate::code::{EndpointName, HandlerLanguage, HandlerScan, Language};
use crate::model::InvokeApi;
use crate::source::SourceMap;
use crate::span::FileId;
use lex::lex_js;

/// JavaScript and TypeScript, as the Lambda Node.js runtimes run them (TypeScript compiled to
/// JavaScript reads alike: type annotations are skipped).
pub(in crate::code) struct JavaScript;

/// The analysis of a file as far as its structure: scopes, and the `try` regions that protect
/// calls (what the scan starts from, and all the callers' check needs).
fn structured(text: &str) -> Analyzer<'_, JsGrammar> {
    let mut an = Analyzer::<JsGrammar>::new(text, lex_js(text, 0, text.len()));
    an.js_structure();
    an
}

impl crate::code::callers::CallSites for JavaScript {
    fn calls_own(text: &str, function: &str) -> bool {
        let an = structured(text);
        (0..an.len())
            .any(|k| an.is_id(k, function) && an.is_p(k + 1, "(") && !an.after_dot(k) && !declares(&an, k))
    }

    /// Calls of `function` in a file that imports the module (`import { predict } from
    /// "./predict.mjs"`, `require("./predict")`). Only an awaited call counts as protected: a
    /// promise returned or left unawaited inside `try` rejects after the `catch` has run.
    fn protected_calls_of(text: &str, module: &str, function: &str) -> Vec<bool> {
        if !crate::code::locate::mentions_module(text, module) {
            return Vec::new();
        }
        let an = structured(text);
        // TypeScript's CommonJS output calls an import as `(0, helpers_1.predict)(…)`.
        let compiled = |k: usize| {
            an.after_dot(k)
                && k >= 5
                && an.is_p(k + 1, ")")
                && an.is_p(k + 2, "(")
                && an.is_p(k - 3, ",")
                && an.t(k - 4) == "0"
                && an.is_p(k - 5, "(")
        };
        (0..an.len())
            .filter(|&k| an.is_id(k, function) && (an.is_p(k + 1, "(") || compiled(k)) && !declares(&an, k))
            .map(|k| {
                // `await predict(…)`, `await helpers.predict(…)`, `await (0, helpers_1.predict)(…)`.
                let start = match (compiled(k), an.after_dot(k) && k >= 2) {
                    (true, _) => k - 5,
                    (false, true) => k - 2,
                    (false, false) => k,
                };
                an.protected.get(k).copied().unwrap_or(false) && start > 0 && an.is_id(start - 1, "await")
            })
            .collect()
    }
}

/// Whether the name at `k` is declared there (`function predict(`), not called.
fn declares(an: &Analyzer<'_, JsGrammar>, k: usize) -> bool {
    k > 0 && an.is_id(k - 1, "function")
}

impl HandlerLanguage for JavaScript {
    fn language(&self) -> Language {
        Language::JavaScript
    }

    /// Every JavaScript and TypeScript extension, but not TypeScript declaration files, which
    /// hold no code.
    fn claims(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_ascii_lowercase) else {
            return false;
        };
        if [".d.ts", ".d.mts", ".d.cts"].iter().any(|suffix| name.ends_with(suffix)) {
            return false;
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        matches!(ext.as_deref(), Some("js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx"))
    }

    fn runtime_prefix(&self) -> &'static str {
        "nodejs"
    }

    fn handler_extensions(&self) -> &'static [&'static str] {
        &["js", "mjs", "cjs", "ts", "mts", "cts"]
    }

    fn package_entry(&self, _module_dir: &Path) -> Option<PathBuf> {
        None
    }

    fn scan(&self, text: &str) -> HandlerScan {
        let mut an = structured(text);
        an.js_assignments();
        an.js_env_reads();
        let (calls, clients) = an.js_calls();
        an.finish(calls, clients, Vec::new())
    }

    fn imported_packages(&self, text: &str) -> Vec<String> {
        let mut packages = Packages::default();
        let top = |name: &str| {
            if name.starts_with('@') {
                name.splitn(3, '/').take(2).collect::<Vec<_>>().join("/")
            } else {
                name.split('/').next().unwrap_or("").to_owned()
            }
        };
        for line in text.lines().map(str::trim) {
            for marker in ["require(", "from ", "import("] {
                for (i, _) in line.match_indices(marker) {
                    let rest = line[i + marker.len()..].trim_start();
                    if let Some(q) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
                        packages.add(&rest[q.len_utf8()..], top);
                    }
                }
            }
        }
        packages.into_vec()
    }

    fn layer_folder(&self) -> &'static str {
        "nodejs"
    }

    fn layer_files(&self, runtime_dir: &Path, package: &str) -> Vec<PathBuf> {
        let package = runtime_dir.join("node_modules").join(package);
        if package.is_dir() {
            ["js", "mjs", "cjs"].iter().flat_map(|ext| package_files(&package, ext)).collect()
        } else {
            Vec::new()
        }
    }

    /// Relative imports by exact path: also where the code folder is the deployment file's own
    /// folder, which the locator's by-name search does not walk.
    fn follow_imports(
        &self,
        handler_files: &[PathBuf],
        _code: &Path,
        scans: &mut Vec<(FileId, HandlerScan)>,
        sources: &mut SourceMap,
        files: &mut CodeFiles,
    ) {
        let entry: Vec<(PathBuf, String)> = handler_files
            .iter()
            .filter_map(|p| Some((p.clone(), files.read_side(p, crate::fsread::CODE_CAP)?)))
            .collect();
        for path in imports::relative_imports(&entry, files.scope()) {
            add_scan(scans, &path, sources, files, Some(Language::JavaScript));
        }
        crate::code::callers::protect_by_callers::<JavaScript>(scans, sources);
    }

    fn sdk_name(&self, api: InvokeApi) -> &'static str {
        match api {
            InvokeApi::InvokeEndpoint => "InvokeEndpointCommand",
            InvokeApi::InvokeEndpointAsync => "InvokeEndpointAsyncCommand",
            InvokeApi::InvokeEndpointWithResponseStream => "InvokeEndpointWithResponseStreamCommand",
        }
    }
}

/// JavaScript's spelling of what the shared analyzer asks, and the statement structure of the
/// file being read, which `structure` finds first and every later pass asks.
#[derive(Default)]
pub(in crate::code) struct JsGrammar {
    /// This `{` opens a statement block (rather than an object literal or pattern).
    block: Vec<bool>,
    /// For each token `p`, where an expression scan that has reached `p` stops (see
    /// `js_expr_end`).
    expr_stop: Vec<usize>,
}

impl Grammar for JsGrammar {
    const FALLBACK: &'static [&'static str] = &["??", "||"];
    const CONDITIONAL: &'static str = "?";
    const RECEIVER: &'static str = "this";
    const CONSTRUCTOR: &'static str = "constructor";
    const DECLARES: &'static [&'static str] = &["function", "class"];
    const JSON_PARSERS: &'static [(&'static str, &'static str)] = &[("JSON", "parse")];
    const KEYWORD_ARGUMENTS: bool = false;
    const KEYS_ARE_NAMES: bool = true;

    /// A template literal: its text, and each `${…}` as it evaluates
    /// (`${STAGE}-churn` with `const STAGE = process.env.STAGE`).
    fn fold_substituted(
        an: &Analyzer<'_, Self>,
        (lo, _): (usize, usize),
        lit: &Lit,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        an.fold_pieces(lo, lit, |range| an.eval_template_sub(lo, range, depth, budget))
    }

    /// TypeScript's non-null `x!`, `x as T`, `x satisfies T` and older `<T>x` casts.
    fn unwrap(an: &Analyzer<'_, Self>, lo: usize, hi: usize) -> Option<(usize, usize)> {
        if hi - 1 > lo && an.is_p(hi - 1, "!") {
            return Some((lo, hi - 1));
        }
        if let Some(k) = an.find_top(an.skip(lo), hi, |k| an.is_id(k, "as") || an.is_id(k, "satisfies")) {
            return Some((lo, k));
        }
        let angle_cast =
            hi > lo + 3 && an.is_p(lo, "<") && an.ident(lo + 1).is_some() && an.is_p(lo + 2, ">");
        angle_cast.then_some((lo + 3, hi))
    }
}
