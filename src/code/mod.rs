//! Handler code → the SageMaker calls it makes.
//!
//! This layer reads a Lambda handler's source text without executing it: which files a function
//! runs (`locate`: code folder + runtime + handler → files, read through `crate::fsread`), and,
//! per file, every SDK call that invokes a SageMaker endpoint, the endpoint name it passes (folded
//! through constants, environment variables and parameter objects where that can be done
//! statically), whether the call is guarded by error handling, and which environment variables the
//! file reads.
//!
//! Each handler language is one module behind [`HandlerLanguage`] (`python/`, `javascript/`),
//! registered by one line of `handler_languages!`, which makes its [`Language`] variant and its
//! place in [`LANGUAGES`]; the runtime → language map and the file → language map both come from
//! that list. The token analyzer the languages share (`analyzer/`) knows none of them: each brings
//! its `analyzer::Grammar`. The reader is deliberately a heuristic, not a parser: it never panics, tolerates
//! broken code, and every name resolution runs under a fixed budget so a scan stays linear in the
//! input.
//!
//! Nothing here knows templates: the formats hand over a code folder, a runtime and a handler
//! string, and link the calls to their resources themselves (`crate::link`).

mod analyzer;
mod callers;
mod helper_walk;
mod javascript;
mod layers;
pub use layers::Layer;
pub mod locate;
mod python;
#[cfg(test)]
mod tests;
mod vendored;
mod zipped;

use std::path::{Path, PathBuf};

use crate::model::InvokeApi;
use crate::source::SourceMap;
use crate::span::{FileId, Span};

/// The languages whose files may hold a function's handler module: the runtime's own, or every
/// language when the runtime is not known. A file of another language is not what the runtime
/// runs, whatever its name.
pub(crate) fn handler_languages(
    runtime: Option<Language>,
) -> impl Iterator<Item = &'static dyn HandlerLanguage> {
    LANGUAGES.iter().copied().filter(move |l| runtime.is_none_or(|r| r == l.language()))
}

/// A language handler code is written in: what files it claims and how it reads them.
pub trait HandlerLanguage: Sync {
    fn language(&self) -> Language;
    /// Whether `path` is a source file of this language, by its name.
    fn claims(&self, path: &Path) -> bool;
    /// The prefix of Lambda runtime identifiers that run this language (`python` of `python3.12`).
    fn runtime_prefix(&self) -> &'static str;
    /// The extensions a handler module's file may have, most likely first.
    fn handler_extensions(&self) -> &'static [&'static str];
    /// The file that stands for a handler module that is a folder (a Python package's
    /// `__init__.py`), when the language has one.
    fn package_entry(&self, module_dir: &Path) -> Option<PathBuf>;
    /// Every endpoint call, environment read and known constant of one source file. Never panics;
    /// linear in the size of `text`.
    fn scan(&self, text: &str) -> HandlerScan;
    /// The top-level packages `text` imports by absolute name, which a layer may provide.
    fn imported_packages(&self, text: &str) -> Vec<String>;
    /// The folder of a layer on the language's import path at `/opt` (`python`, `nodejs`).
    fn layer_folder(&self) -> &'static str;
    /// The source files of `package` in a layer's runtime folder (`/opt/python`,
    /// `/opt/nodejs`), when the layer has it.
    fn layer_files(&self, runtime_dir: &Path, package: &str) -> Vec<PathBuf>;
    /// Adds to `scans` the files of the function's code folder `code` that the handler files
    /// import and the by-name search of the locator does not find.
    fn follow_imports(
        &self,
        handler_files: &[PathBuf],
        code: &Path,
        scans: &mut Vec<(FileId, HandlerScan)>,
        sources: &mut SourceMap,
        files: &mut locate::CodeFiles,
    );
    /// The canonical SDK spelling of `api` (boto3 method, AWS SDK v3 command); [`InvokeCall::callee`]
    /// keeps what the code actually wrote.
    fn sdk_name(&self, api: InvokeApi) -> &'static str;
}

/// Makes the `Language` enum, [`LANGUAGES`] and [`Language::reader`] from one list, so that a
/// language is registered by one line and the three cannot disagree.
macro_rules! handler_languages {
    ($($(#[$doc:meta])* $variant:ident => $reader:path),+ $(,)?) => {
        /// The handler's source language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Language {
            $($(#[$doc])* $variant),+
        }

        /// Every handler language, in the order a handler module's file is looked for.
        pub static LANGUAGES: &[&dyn HandlerLanguage] = &[$(&$reader),+];

        impl Language {
            /// The module that reads this language.
            #[must_use]
            pub fn reader(self) -> &'static dyn HandlerLanguage {
                match self {
                    $(Self::$variant => &$reader),+
                }
            }
        }
    };
}

// Every handler language, in the order a handler module's file is looked for, and the module
// that reads it.
handler_languages! {
    Python => python::Python,
    /// JavaScript and TypeScript (type annotations are skipped, not understood).
    JavaScript => javascript::JavaScript,
}

/// The language of a handler source file, from its name; `None` for anything else (including
/// TypeScript declaration files, which hold no code).
#[must_use]
pub fn language_for_path(path: &Path) -> Option<Language> {
    LANGUAGES.iter().find(|l| l.claims(path)).map(|l| l.language())
}

/// The language a Lambda runtime runs (`python3.12`, `nodejs20.x`); `None` for a runtime whose
/// code this linter does not read (Java, .NET, Go, a custom runtime), or none given.
#[must_use]
pub fn language_of_runtime(runtime: &str) -> Option<Language> {
    LANGUAGES.iter().find(|l| runtime.starts_with(l.runtime_prefix())).map(|l| l.language())
}

/// Scans one handler source file. Never panics; linear in the size of `text`.
#[must_use]
pub fn scan(lang: Language, text: &str) -> HandlerScan {
    lang.reader().scan(text)
}

/// What the code passes as the endpoint name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointName {
    /// A string literal (after resolving through constants). `span` = the literal token incl. quotes.
    Literal { value: String, span: Span },
    /// Read from an environment variable; `default` when the code supplies a literal one.
    /// `span` covers the read expression (`os.environ["X"]`, `process.env.X`, or the destructured key).
    EnvVar { var: String, span: Span, default: Option<String> },
    /// Built at run time in a way that cannot be folded; `why` is a short human phrase, and
    /// `from_request` says the value comes from the event the function was invoked with.
    Dynamic { span: Span, why: String, from_request: bool },
    /// The call passes no EndpointName at all (or via **kwargs / a spread we cannot see).
    Missing,
    /// Built from literal pieces and environment reads (an f-string, a template literal, `+`):
    /// `f"{os.environ['STAGE']}-churn"`. `span` covers the whole expression.
    Composed { parts: Vec<NamePart>, span: Span },
}

/// One piece of a name the code builds from several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamePart {
    Lit(String),
    /// An environment read, with where it is and the code's literal fallback.
    Env {
        var: String,
        span: Span,
        default: Option<String>,
    },
    /// A piece that cannot be known (a request field), as [`EndpointName::Dynamic`] says it. Kept
    /// only beside an environment read without a fallback, whose absence fails the call
    /// whatever the other pieces are (`"fc-" + event["lang"] + os.environ["STAGE"]`).
    Unknown {
        why: String,
        span: Span,
    },
}

impl EndpointName {
    /// The name `pieces` make in order (each a literal, an environment read or itself composed),
    /// as the simplest variant that holds it: a literal when every piece is one, the read itself
    /// when it is the only piece; the first piece that cannot be known otherwise.
    #[must_use]
    pub fn composed(pieces: Vec<Self>, span: Span) -> Self {
        let mut parts: Vec<NamePart> = Vec::new();
        let push_lit = |parts: &mut Vec<NamePart>, text: &str| match parts.last_mut() {
            _ if text.is_empty() => {}
            Some(NamePart::Lit(last)) => last.push_str(text),
            _ => parts.push(NamePart::Lit(text.to_owned())),
        };
        let mut unknown = None;
        for piece in pieces {
            match piece {
                Self::Literal { value, .. } => push_lit(&mut parts, &value),
                Self::EnvVar { var, span, default } => parts.push(NamePart::Env { var, span, default }),
                Self::Composed { parts: inner, .. } => {
                    for part in inner {
                        match part {
                            NamePart::Lit(text) => push_lit(&mut parts, &text),
                            other => parts.push(other),
                        }
                    }
                }
                Self::Dynamic { span, why, from_request } => {
                    parts.push(NamePart::Unknown { why: why.clone(), span });
                    unknown.get_or_insert(Self::Dynamic { span, why, from_request });
                }
                Self::Missing => return Self::Missing,
            }
        }
        // A piece that cannot be known makes the name unknown, unless an environment read that
        // may fail is beside it.
        let may_fail = parts.iter().any(|p| matches!(p, NamePart::Env { default: None, .. }));
        if let Some(unknown) = unknown.filter(|_| !may_fail) {
            return unknown;
        }
        match parts.as_slice() {
            [] => Self::Literal { value: String::new(), span },
            [NamePart::Lit(value)] => Self::Literal { value: value.clone(), span },
            [NamePart::Env { var, span, default }] => {
                Self::EnvVar { var: var.clone(), span: *span, default: default.clone() }
            }
            _ => Self::Composed { parts, span },
        }
    }

    /// The same value, wherever it is written: the same literal, the same variable read with the
    /// same fallback, or no name on both.
    #[must_use]
    pub fn same_value(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Literal { value: a, .. }, Self::Literal { value: b, .. }) => a == b,
            (Self::EnvVar { var: a, default: x, .. }, Self::EnvVar { var: b, default: y, .. }) => {
                a == b && x == y
            }
            (Self::Missing, Self::Missing) => true,
            (Self::Composed { parts: a, .. }, Self::Composed { parts: b, .. }) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|pair| match pair {
                        (NamePart::Lit(x), NamePart::Lit(y)) => x == y,
                        (
                            NamePart::Env { var: x, default: dx, .. },
                            NamePart::Env { var: y, default: dy, .. },
                        ) => x == y && dx == dy,
                        _ => false,
                    })
            }
            _ => false,
        }
    }
}

/// One call that invokes a SageMaker endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvokeCall {
    pub api: InvokeApi,
    /// As written: "invoke_endpoint", "InvokeEndpointCommand" (or its import alias), "invokeEndpoint",
    /// "Predictor", "AsyncPredictor".
    pub callee: String,
    /// The callee name token.
    pub span: Span,
    pub endpoint: EndpointName,
    /// Inside a `try` body that has an `except`/`catch`, or the JS statement chain has `.catch(`.
    pub in_error_handler: bool,
    /// The call passes InferenceComponentName.
    pub inference_component: bool,
    /// `InputLocation` of an async call (the S3 URI of the payload), evaluated like the endpoint
    /// name; `None` when the call passes none (the payload goes inline in `Body`) or is not async.
    pub input_location: Option<EndpointName>,
    /// The endpoint name is a constant imported from another module (`from config import X`,
    /// `config.X`): what the file alone cannot read, for the caller to look up in that module.
    pub imported: Option<ImportedName>,
    /// The file `endpoint`'s spans point into, when the name was read from an imported module
    /// rather than the file of the call.
    pub endpoint_file: Option<FileId>,
    /// The named top-level function or class of the file the call is in, when only code that
    /// names it can make it run (no decorator on the way): `None` at module level, in an
    /// anonymous function, or under a decorator.
    pub reached_through: Option<String>,
    /// The endpoint name is a parameter of a module-level function that this file never calls:
    /// what its callers in the function's other modules pass decides it.
    pub param: Option<ParamOf>,
}

/// A parameter of a module-level Python function, for its callers in other modules:
/// `def predict(body, endpoint_name="churn")` called as `helpers.predict(body)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamOf {
    pub function: String,
    pub name: String,
    /// Its index among the parameters that may be passed by position, when it is one.
    pub position: Option<usize>,
    /// Its default, evaluated in the function's own file.
    pub default: Option<EndpointName>,
}

/// A module-level name of another Python module: `ENDPOINT_NAME` of `from config import
/// ENDPOINT_NAME`, or `ENDPOINT` of `config.ENDPOINT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedName {
    /// As written, leading dots of a relative import kept: `config`, `.settings`, `app.settings`.
    pub module: String,
    pub name: String,
}

/// An environment variable read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRead {
    pub var: String,
    pub span: Span,
    /// The code supplies a fallback (`.get("X", d)`, `getenv("X", d)`, `?? d`, `|| d`, `or d`,
    /// destructuring default), literal or not.
    pub has_default: bool,
}

/// Everything the linter learns from one handler source file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandlerScan {
    pub calls: Vec<InvokeCall>,
    /// Every environment variable the file reads, in source order.
    pub env_reads: Vec<EnvRead>,
    /// The runtime client is created with an explicit endpoint URL (boto3 `endpoint_url=`, JS
    /// `endpoint:` in the client config).
    pub explicit_endpoint_url: bool,
    /// The region the file's runtime clients are created for ([`RuntimeClients::region`]).
    pub client_region: ClientRegion,
    /// Python: module-level constants whose value is known (a literal or an environment read),
    /// for the modules that import them.
    pub constants: Vec<(String, EndpointName)>,
    /// The named top-level functions and classes, with the text they span: whether a call
    /// runs depends on which of them the function's entry point reaches
    /// ([`InvokeCall::reached_through`]).
    pub top_level: Vec<TopLevelDef>,
}

/// What a file's code says of where its SageMaker runtime clients send requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuntimeClients {
    /// A client is created with an explicit endpoint URL.
    pub explicit_endpoint_url: bool,
    /// The region the file's runtime clients are created for.
    pub region: ClientRegion,
}

/// The region a file's runtime clients are created for. The code names it with boto3's
/// `region_name=` (on the client, its `Session(…)`, or `setup_default_session`) or the
/// JavaScript SDKs' `region:` (on the client or `AWS.config.update`); otherwise the SDKs read
/// `AWS_REGION`, which Lambda sets to the function's region. An explicit region overrides the
/// function's own (aws-semantics.md §4.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClientRegion {
    /// The file creates no runtime client.
    #[default]
    NoClient,
    /// The SDK's default: the function's region. Also when the file's clients disagree (one
    /// names a region and another does not, or two name different ones): the checks then assume
    /// the function's region rather than pick one.
    Default,
    /// Every runtime client of the file is created for this region.
    Named(EndpointName),
}

impl RuntimeClients {
    /// Records one runtime client created for `region` (`None`: the SDK's default).
    pub(in crate::code) fn client(&mut self, region: Option<EndpointName>) {
        self.region = match (&self.region, region) {
            (ClientRegion::NoClient, Some(r)) => ClientRegion::Named(r),
            (ClientRegion::Named(a), Some(b)) if a.same_value(&b) => return,
            _ => ClientRegion::Default,
        };
    }
}

/// A named top-level function or class of a file, and the text of its definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopLevelDef {
    pub name: String,
    pub span: Span,
    /// Under a decorator: it may run without its name being written anywhere else.
    pub decorated: bool,
}
