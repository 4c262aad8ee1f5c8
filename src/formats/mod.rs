//! Input families → the neutral [`crate::model::Model`]: one folder per family, each building the
//! same functions, roles, policies, endpoints, network and typed problems, never finding text.
//! What every family shares lives here: the build settings, the deployment the files are judged
//! for, and the cache of files read beside the scanned ones.

pub mod cloudformation;
pub mod terraform;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::sync::lock;

use crate::code::locate::CodeFiles;
use crate::iam::PolicyDocument;
use crate::span::Loc;
use crate::syntax::Node;
use crate::value::{Pseudo, SymStr, Value};
use cloudformation::{nested_params, rain_module, stack_exports};

/// The deployment a template is checked for (`--partition`, `--region`, `--account-id`).
#[derive(Clone, Debug, Default)]
pub struct Deployment {
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account_id: Option<String>,
}

impl Deployment {
    #[must_use]
    pub fn partition(&self) -> SymStr {
        SymStr::lit(self.partition.as_deref().unwrap_or("aws"))
    }

    #[must_use]
    pub fn region(&self) -> SymStr {
        self.region.as_deref().map_or_else(|| SymStr::pseudo(Pseudo::Region), SymStr::lit)
    }

    #[must_use]
    pub fn account(&self) -> SymStr {
        self.account_id.as_deref().map_or_else(|| SymStr::pseudo(Pseudo::AccountId), SymStr::lit)
    }
}

/// Settings that change what a template means.
#[derive(Debug, Default)]
pub struct BuildOptions {
    pub deployment: Deployment,
    pub params: BTreeMap<String, String>,
    pub scan_code: bool,
}

/// Reads the files a model needs beside the scanned ones (handler code, sibling and parent
/// templates) once per run, through the bounded reader in the run's scope, and shares what they
/// yield between the templates and functions that need them.
#[derive(Default)]
pub struct CodeCache {
    /// Handler code read so far.
    pub(crate) code: CodeFiles,
    scope: crate::fsread::Scope,
    folder_exports: HashMap<PathBuf, std::sync::Arc<stack_exports::FolderExports>>,
    /// Sibling templates the parsing workers read ahead for `folder_exports`.
    exporting_siblings: std::sync::Arc<stack_exports::PrefetchedSiblings>,
    nested_params: HashMap<PathBuf, std::sync::Arc<nested_params::FolderParents>>,
    /// `rain pkg` module files parsed so far.
    rain_modules: rain_module::ParsedModules,
}

impl CodeCache {
    /// A cache that reads only inside `scope`.
    #[must_use]
    pub fn new(scope: crate::fsread::Scope) -> Self {
        Self { code: CodeFiles::new(scope.clone()), scope, ..Self::default() }
    }

    /// Where the parsing workers leave the sibling templates that templates importing exports
    /// will read.
    pub(crate) fn exporting_siblings(&self) -> std::sync::Arc<stack_exports::PrefetchedSiblings> {
        std::sync::Arc::clone(&self.exporting_siblings)
    }

    /// The scope side files are read in.
    #[must_use]
    pub fn scope(&self) -> &crate::fsread::Scope {
        &self.scope
    }

    /// Why `path` could not be read as handler code, if it was refused.
    #[must_use]
    pub fn refusal(&self, path: &Path) -> Option<&crate::fsread::Refusal> {
        self.code.refusal(path)
    }

    /// The text of a side file (Dockerfile, package metadata) of at most `cap` bytes in the run's
    /// scope.
    pub(crate) fn read_side(&self, path: &Path, cap: u64) -> Option<String> {
        crate::fsread::read_text(path, cap, &self.scope).ok()
    }
}

/// Managed policy documents come from bundled data; their statements are shown at the attachment.
/// An AWS managed policy's document from the bundled data, its statements shown at `loc`.
///
/// Each policy is parsed once per process, not once per template: real templates attach the same
/// few policies over and over, and some (`ReadOnlyAccess`) are hundreds of kilobytes of JSON. The
/// cache is keyed by the bundled policy's ARN, so it holds at most the bundled policies whatever
/// names the inputs use.
pub(crate) fn managed_document(name_or_arn: &str, loc: Loc) -> Option<PolicyDocument> {
    let policy = lookup_managed(name_or_arn)?;
    let mut doc = {
        let mut parsed = lock(parsed_managed());
        parsed.entry(policy.arn).or_insert_with(|| parse_managed(&policy)).clone()?
    };
    relocate(&mut doc, loc);
    Some(doc)
}

/// [`crate::iam::managed::lookup`], remembered per thread by the name as written: a run's templates
/// name the same few policies over and over (every SAM function's generated role attaches
/// `AWSLambdaBasicExecutionRole`), and each lookup searches the bundled data. Per thread, so the
/// parsing workers and the builder never wait for each other.
fn lookup_managed(name_or_arn: &str) -> Option<crate::iam::managed::ManagedPolicy> {
    thread_local! {
        static FOUND: std::cell::RefCell<HashMap<String, Option<crate::iam::managed::ManagedPolicy>>> =
            std::cell::RefCell::default();
    }
    FOUND.with_borrow_mut(|found| {
        if let Some(policy) = found.get(name_or_arn) {
            return *policy;
        }
        let policy = crate::iam::managed::lookup(name_or_arn);
        // Bounded: names of a run's own policies (one per stack, say) are not kept without end.
        if found.len() < MANAGED_NAMES_KEPT {
            found.insert(name_or_arn.to_owned(), policy);
        }
        policy
    })
}

/// How many names [`lookup_managed`] remembers per thread.
const MANAGED_NAMES_KEPT: usize = 4096;

/// Bundled policies parsed so far, by ARN (see [`managed_document`]).
fn parsed_managed() -> &'static Mutex<HashMap<&'static str, Option<PolicyDocument>>> {
    static PARSED: OnceLock<Mutex<HashMap<&'static str, Option<PolicyDocument>>>> = OnceLock::new();
    PARSED.get_or_init(Mutex::default)
}

fn parse_managed(policy: &crate::iam::managed::ManagedPolicy) -> Option<PolicyDocument> {
    let root = crate::syntax::json::parse_json(policy.document_json).root?;
    let value = literal_value(&root);
    Some(crate::iam::policy::parse_policy(&value, crate::span::FileId(u32::MAX)).0)
}

/// Parses a bundled policy into [`managed_document`]'s cache ahead of its use, on a parsing
/// worker, so that the thread building the model only copies it. The parse runs outside the lock
/// (workers warming different policies do not wait for each other); a policy parsed twice by two
/// workers at once is kept once, and either copy is the same document.
pub(crate) fn warm_managed_document(name_or_arn: &str) {
    let Some(policy) = lookup_managed(name_or_arn) else { return };
    let cached = |arn| lock(parsed_managed()).contains_key(arn);
    if cached(policy.arn) {
        return;
    }
    let doc = parse_managed(&policy);
    lock(parsed_managed()).entry(policy.arn).or_insert(doc);
}

pub(crate) fn relocate(doc: &mut PolicyDocument, loc: Loc) {
    map_locs(doc, |_| loc);
}

/// Moves every location of `doc` (document, statements, actions, resources, conditions) by `f`.
pub(crate) fn map_locs(doc: &mut PolicyDocument, f: impl Fn(Loc) -> Loc) {
    doc.loc = f(doc.loc);
    for st in &mut doc.statements {
        st.loc = f(st.loc);
        match &mut st.actions {
            crate::iam::policy::ActionList::Action(items)
            | crate::iam::policy::ActionList::NotAction(items) => {
                for i in items.iter_mut() {
                    i.loc = f(i.loc);
                }
            }
        }
        match &mut st.resources {
            crate::iam::policy::ResourceList::Resource(items)
            | crate::iam::policy::ResourceList::NotResource(items) => {
                for i in items.iter_mut() {
                    i.loc = f(i.loc);
                }
            }
        }
        st.conditions.iter_mut().for_each(|c| c.loc = f(c.loc));
    }
}

/// A plain document (no intrinsics) as a value: a bundled managed policy, a policy JSON file, a
/// Terraform `file()` document. JSON has no intrinsics, so CloudFormation's resolver reads it as is.
#[must_use]
pub fn literal_value(node: &Node) -> Value {
    cloudformation::resolve::literal_value(node)
}
