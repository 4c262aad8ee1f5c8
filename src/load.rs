//! The run: discover → read and parse (in parallel, one file isolated from another) → build the
//! model → run the rules → sorted diagnostics.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::discover::{Candidate, Discovered, WalkProblem, build_excludes, discover, template_like_name};
use crate::error::Error;
use crate::formats::cloudformation;
use crate::formats::terraform::{TfKind, ast::Body as TfBody};
use crate::formats::{BuildOptions, CodeCache};
use crate::fsread::{self, Refusal, Scope};
use crate::model::Model;
use crate::model::problem::{ParseProblem, Problem, UndecidableProblem};
use crate::rules::Selection;
use crate::source::{SourceFile, SourceMap};
use crate::span::{Loc, Span};
use crate::syntax::{Node, NodeKind, Parsed, SyntaxError, SyntaxKind};

mod called_modules;
mod cdk_manifest;
mod in_order;

/// Everything that shapes one run.
#[derive(Debug, Default)]
pub struct LintOptions {
    pub build: BuildOptions,
    pub selection: Selection,
    pub declared_endpoints: Vec<String>,
    pub exclude: Vec<String>,
    pub jobs: Option<usize>,
    /// Service control policy documents applied to every role (`--scp`).
    pub scps: Vec<PathBuf>,
    /// Where `scps` may lie: anywhere for `--scp`, the repository for a config file's `scp`.
    pub scp_scope: Scope,
    /// Unsaved editor buffers read instead of their files (`sagelint server`).
    pub overlay: fsread::Overlay,
    /// The process ends once the report is written (`sagelint check`): the model is left to the
    /// operating system instead of being freed. At 10,000 stacks freeing it is hundreds of
    /// thousands of frees, most of memory another thread allocated, for nothing (clang's
    /// `-disable-free` does the same). A long-lived caller (`sagelint server`) leaves it off.
    pub one_shot: bool,
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    pub sources: SourceMap,
    /// Sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Templates and handler files read.
    pub files: usize,
    /// Internal errors (a panic while reading a file); they force exit code 2.
    pub internal_errors: Vec<Error>,
    /// Findings hidden by suppressions in the files.
    pub suppressed: usize,
    /// Wall time of each stage (for `benches/`).
    pub phases: Phases,
    /// Every template parameter and Terraform variable the run read: a `--param` naming none of
    /// them is a mistake the user should hear about.
    pub parameters: std::collections::BTreeSet<String>,
    /// Worker threads the run used (1: everything on the calling thread); the report is rendered
    /// on as many.
    pub workers: usize,
}

/// Where a run's wall time went.
#[derive(Clone, Copy, Debug, Default)]
pub struct Phases {
    pub discover: std::time::Duration,
    /// Reading and parsing. With workers, the wall time of the whole stage, which `build`
    /// overlaps; on one thread, the time spent reading and parsing.
    pub parse: std::time::Duration,
    /// Building the model (templates, resolution, handler scanning) on the calling thread, while
    /// other threads parse; time this thread spends parsing or waiting is not counted.
    pub build: std::time::Duration,
    /// Rules, suppressions and sorting.
    pub rules: std::time::Duration,
}

/// A file after reading: either a template to model, a finding-worthy failure, or nothing.
enum Loaded {
    Template {
        file: SourceFile,
        root: Node,
        errors: Vec<SyntaxError>,
        /// What the build needs of the tree alone, when a parsing worker worked it out.
        prepared: Option<Box<cloudformation::Prepared>>,
    },
    Broken {
        file: SourceFile,
        errors: Vec<SyntaxError>,
    },
    /// A file that is not read as a template for a reason of its own (unreadable, empty, not a
    /// mapping), at `at`.
    Rejected {
        file: SourceFile,
        at: Span,
        problem: ParseProblem,
    },
    Terraform {
        file: SourceFile,
        body: TfBody,
        kind: TfKind,
        errors: Vec<SyntaxError>,
    },
    /// A Serverless Framework `serverless.yml`: not modelled, but never passed over in silence.
    Serverless {
        file: SourceFile,
        at: Span,
    },
    /// A CDK app's `cdk.json`: its synthesized templates (`cdk.out/`, or its `output`) are what
    /// is checked; `out` is that folder.
    CdkApp {
        file: SourceFile,
        at: Span,
        out: std::path::PathBuf,
    },
    Skipped,
    Panicked(String),
}

/// Lints the given paths.
pub fn lint(paths: &[PathBuf], options: &LintOptions) -> Result<Outcome, Error> {
    let mut lap = std::time::Instant::now();
    let mut phases = Phases::default();
    let excludes = build_excludes(&options.exclude)?;
    // A handler named on its own is judged within the stack that deploys it: its repository's
    // templates are read too, and only findings about what was named are kept.
    let named_code = crate::named_code::NamedCode::of_paths(paths);
    let with_context: Vec<PathBuf>;
    let paths = if named_code.any() {
        with_context = paths.iter().chain(&named_code.context).cloned().collect();
        &with_context
    } else {
        paths
    };
    let scope = Scope::of_paths(paths).with_overlay(options.overlay.clone());
    // As many walking threads as the run will have workers (the file count is not known yet).
    let walkers = worker_count(options.jobs, usize::MAX);
    let Discovered { candidates, problems, ignored_terraform } = discover(paths, &excludes, &scope, walkers)?;
    let workers = worker_count(options.jobs, candidates.len());
    phases.discover = lap.elapsed();
    let mut run = Gathered {
        model: Model { declared_endpoints: options.declared_endpoints.clone(), ..Model::default() },
        sources: SourceMap::default(),
        cache: CodeCache::new(scope.clone()),
        internal_errors: Vec::new(),
        terraform: Vec::new(),
        cdk_apps: Vec::new(),
        parameters: std::collections::BTreeSet::new(),
        manifest_folders: cdk_manifest::ManifestFolders::default(),
    };
    run.add_walk_problems(problems);
    // One pool for the whole run: the parsing, the analysis and the rules, and the frees that go
    // off the calling thread. Every new thread costs its start and a fresh allocator heap whose
    // first pages the kernel clears: on the 298 real templates a run started 7 threads, now 3.
    let pool = if workers == 1 { None } else { Some(worker_pool(workers)?) };
    if let Some(pool) = &pool {
        run.read_in_parallel(&candidates, pool, &scope, options, &mut phases);
    } else {
        // One worker: this thread reads, parses and builds, in candidate order.
        for candidate in &candidates {
            let started = std::time::Instant::now();
            let loaded = load_isolated(candidate, &scope);
            phases.parse += started.elapsed();
            let started = std::time::Instant::now();
            run.add(candidate, loaded, options);
            phases.build += started.elapsed();
        }
    }
    run.add_called_modules(paths, &scope, options);
    lap = std::time::Instant::now();
    let Gathered {
        mut model,
        mut sources,
        mut cache,
        mut internal_errors,
        terraform,
        cdk_apps,
        parameters,
        ..
    } = run;
    note_unscanned_cdk_output(&mut model, &sources, &cdk_apps);
    note_ignored_terraform(&mut model, &terraform, &ignored_terraform);
    if !terraform.is_empty() {
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::formats::terraform::build(
                &mut model,
                &mut sources,
                &mut cache,
                &terraform,
                &options.build,
            );
        }));
        if built.is_err() {
            internal_errors.push(Error::Internal {
                path: terraform.first().map(|f| crate::display_path(&f.path)).unwrap_or_default(),
                message: "panic while building the Terraform model".into(),
            });
        }
    }
    for path in &options.scps {
        let (policy, problems) = load_policy_file(path, &mut sources, &options.scp_scope)?;
        model.problems.extend(problems);
        model.scps.extend(policy);
    }
    // What only the build reads is released before the analysis and the rules, where a large
    // run's memory peaks: the Terraform files' syntax trees, the code cache (every handler's
    // scan, zip listings, folder exports), and what the walk saw.
    drop(terraform);
    drop(cache);
    drop(scope.forget_walk());
    phases.build += lap.elapsed();
    lap = std::time::Instant::now();
    named_code.note_undeployed(&mut model, &mut sources, &scope);
    model.file_paths = sources.iter().map(|(_, f)| f.path().to_path_buf()).collect();
    let (mut diagnostics, panics) =
        on_pool(pool.as_ref(), |parallel| crate::rules::run_with(&model, &options.selection, parallel));
    for panic in panics {
        internal_errors.push(Error::Internal {
            path: format!("(rule {}, all files)", panic.code),
            message: panic.message,
        });
    }
    let mut suppressions = std::mem::take(&mut model.suppressions);
    // On the pool when there is one: at 10,000 stacks the search for suppression comments and
    // the sort were a serial stretch of about 18 ms with the pool idle.
    let mut finish = |diagnostics: &mut Vec<Diagnostic>, model: Option<&Model>| {
        on_pool(pool.as_ref(), |parallel| {
            suppressions.extend(crate::suppress::comments_with(&sources, parallel));
            let (suppressed, unused) = crate::suppress::apply(diagnostics, &suppressions);
            diagnostics.extend(crate::rules::unused_suppressions(&unused, &options.selection));
            if let Some(model) = model {
                named_code.keep_judged(diagnostics, model, &sources);
            }
            sort(diagnostics, &sources, parallel);
            suppressed
        })
    };
    // The report needs the findings and the sources only. A one-shot run leaves the model to
    // the operating system. Otherwise, unless named handler files need it to judge the
    // findings, the model is freed on another thread while this one applies the suppressions
    // and sorts: at 10,000 stacks it is hundreds of thousands of allocations, most of them made
    // on the parsing workers, and freeing them was a serial stretch.
    let suppressed = if options.one_shot {
        let suppressed = finish(&mut diagnostics, named_code.any().then_some(&model));
        std::mem::forget(model);
        suppressed
    } else if named_code.any() {
        finish(&mut diagnostics, Some(&model))
    } else {
        freeing_while(model, pool.as_ref(), || finish(&mut diagnostics, None))
    };
    let files = sources.len();
    phases.rules = lap.elapsed();
    Ok(Outcome { sources, diagnostics, files, internal_errors, suppressed, phases, parameters, workers })
}

/// Runs `work` on this thread while a worker of `pool` frees `value` (with no pool, `--jobs 1`,
/// both on this thread); the free is done before this returns.
fn freeing_while<T: Send, R>(value: T, pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R) -> R {
    let Some(pool) = pool else {
        drop(value);
        return work();
    };
    pool.in_place_scope(|scope| {
        scope.spawn(move |_| drop(value));
        work()
    })
}

/// `work` on `pool`, told it may spread over it, or on this thread alone without one (`--jobs
/// 1`): the analysis and the rules, then the suppressions and the sort.
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce(bool) -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(|| work(true)),
        None => work(false),
    }
}

/// The run's worker threads. Their stacks are large: a deeply nested template is parsed and
/// resolved recursively on them.
fn worker_pool(workers: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))
}

/// Parsed files held for the build at most: enough to keep every parsing thread busy while the
/// build is slow on one file, few enough to bound the trees alive at once.
const PARSE_WINDOW: usize = 256;

/// Reads and parses one file; a panic becomes [`Loaded::Panicked`] for that file alone.
fn load_isolated(candidate: &Candidate, scope: &Scope) -> Loaded {
    std::panic::catch_unwind(|| load_file(candidate, scope))
        .unwrap_or_else(|panic| Loaded::Panicked(crate::error::panic_message(&*panic)))
}

/// Work a parsing worker does ahead of the build, so that the calling thread finds it done: the
/// handler code of the template's functions (`code::locate::Prefetched`), what the build needs of
/// the tree alone ([`cloudformation::Prepared`]), the sibling templates a template that imports
/// exports reads. A panic here is dropped (`None`): the builder does the same work itself and
/// reports a panic where it always did.
fn ahead<R>(work: impl FnOnce() -> R) -> Option<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok()
}

/// Worker threads for a run: what was asked, never more than the CPUs or the files (`--jobs
/// 10000` on one stack starts one thread, not ten thousand). By default one per CPU, but one per
/// [`FILES_PER_DEFAULT_WORKER`] files at most: starting the pools costs more than a few small
/// files take to read (one SAM stack and its handler: 7.1 ms on two threads, 5.1 ms on one).
fn worker_count(asked: Option<usize>, files: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let wanted = match asked.filter(|&n| n > 0) {
        Some(n) => n.min(files),
        None => cpus.min(files / FILES_PER_DEFAULT_WORKER),
    };
    wanted.min(cpus).max(1)
}

/// The fewest files that make a default run start another worker.
const FILES_PER_DEFAULT_WORKER: usize = 16;

/// What the run has gathered from the files read so far.
struct Gathered {
    model: Model,
    sources: SourceMap,
    cache: CodeCache,
    internal_errors: Vec<Error>,
    /// Terraform files wait for the whole run: a module spans files.
    terraform: Vec<crate::formats::terraform::TfFile>,
    /// CDK apps seen (their `cdk.json`, where its `app` is, and the synth output folder).
    cdk_apps: Vec<(crate::span::FileId, Span, std::path::PathBuf)>,
    /// Template parameters and Terraform variables, by name.
    parameters: std::collections::BTreeSet<String>,
    /// Which template folders hold a CDK `manifest.json`.
    manifest_folders: cdk_manifest::ManifestFolders,
}

impl Gathered {
    /// Files are parsed on `pool`'s threads but one, and on this thread whenever the next file
    /// is not parsed yet; this thread builds the model from them in candidate order (so the
    /// output does not depend on the thread count). At most [`PARSE_WINDOW`] parsed files wait
    /// for the build: the trees alive at once are bounded, not the whole run's.
    fn read_in_parallel(
        &mut self,
        candidates: &[Candidate],
        pool: &rayon::ThreadPool,
        scope: &Scope,
        options: &LintOptions,
        phases: &mut Phases,
    ) {
        let prefetched = options.build.scan_code.then(|| self.cache.code.prefetched());
        let siblings = self.cache.exporting_siblings();
        let parse = |index: usize| {
            let candidate = &candidates[index];
            let mut loaded = load_isolated(candidate, scope);
            if let Loaded::Template { root, prepared, .. } = &mut loaded {
                if let Some(prefetched) = &prefetched {
                    ahead(|| {
                        for (code, handler, runtime) in
                            cloudformation::literal_code_requests(root, &candidate.path)
                        {
                            prefetched.prefetch(&code, &handler, runtime, scope);
                        }
                    });
                }
                *prepared = ahead(|| Box::new(cloudformation::Prepared::of(root)));
                let imports = prepared.as_ref().is_some_and(|p| p.imports());
                ahead(|| siblings.prefetch(&candidate.path, imports, scope));
            }
            loaded
        };
        let started = std::time::Instant::now();
        let parsers = pool.current_num_threads() - 1;
        let queue = in_order::InOrder::new(candidates.len(), PARSE_WINDOW, parsers);
        pool.in_place_scope(|threads| {
            // However this thread leaves (a panic in the build too), the parsing threads stop
            // instead of waiting for the window to move.
            let _closing = in_order::Closing(&queue);
            for me in 0..parsers {
                let queue = &queue;
                threads.spawn(move |_| queue.parse_all(me, parse));
            }
            for candidate in candidates {
                let Some((loaded, parsed_by)) = queue.next_in_order(parse) else { break };
                let started = std::time::Instant::now();
                let tree = self.add(candidate, loaded, options);
                // The tree is freed by the thread that made it (see `in_order`): here, when it
                // is this one.
                if let (Some(tree), in_order::ParsedBy::Parser(by)) = (tree, parsed_by) {
                    queue.give_back(by, tree);
                }
                phases.build += started.elapsed();
            }
        });
        // Trees given back after their parsing thread had stopped.
        let trees = queue.leftovers();
        pool.spawn(move || drop(trees));
        phases.parse = started.elapsed();
        // What no build took was allocated on the workers: a worker frees it while this thread
        // goes on to the rules (at 10,000 stacks, a serial stretch of tens of milliseconds).
        let leftovers = (prefetched.map(|p| p.empty()), siblings.empty());
        pool.spawn(move || drop(leftovers));
    }

    /// Folders the walk could not enter: an SL001 each, at the folder, so nothing is skipped in
    /// silence.
    fn add_walk_problems(&mut self, problems: Vec<WalkProblem>) {
        for problem in problems {
            let id = self.sources.add(SourceFile::from_disk(problem.path, String::new()));
            let problem = ParseProblem::UnreadableFolder { reason: problem.message };
            self.model.problems.push(Problem::new(Loc::new(id, Span::default()), problem));
        }
    }

    /// Adds one loaded file to the run: its source, its syntax errors, and its resources. Returns
    /// the template's tree, which the caller frees when it likes.
    fn add(&mut self, candidate: &Candidate, loaded: Loaded, options: &LintOptions) -> Option<Node> {
        let Self {
            model,
            sources,
            cache,
            internal_errors,
            terraform,
            cdk_apps,
            parameters,
            manifest_folders,
        } = self;
        match loaded {
            Loaded::Terraform { file, body, kind, errors } => {
                parameters.extend(
                    body.blocks.iter().filter(|b| b.kind == "variable").map(|b| b.label(0).to_owned()),
                );
                // A module spans files: it is built once every file of the run has been read.
                let id = sources.add(file);
                model.terraform_files.insert(id);
                let broken = !errors.is_empty();
                push_syntax_errors(model, id, errors);
                terraform.push(crate::formats::terraform::TfFile {
                    file: id,
                    path: candidate.path.clone(),
                    kind,
                    body,
                    broken,
                    explicit: candidate.explicit,
                });
            }
            Loaded::Template { file, root, errors, prepared } => {
                parameters.extend(
                    root.get("Parameters")
                        .map(Node::entries)
                        .unwrap_or_default()
                        .iter()
                        .map(|e| e.key.as_str().to_owned()),
                );
                let id = sources.add(file);
                let errors = aliases_as_packaging_note(model, id, &root, errors);
                push_syntax_errors(model, id, errors);
                // A CDK stack's template is checked for the environment its manifest records.
                let stack_options = cdk_manifest::stack_options(
                    &candidate.path,
                    &options.build,
                    cache.scope(),
                    manifest_folders,
                );
                let build_options = stack_options.as_ref().unwrap_or(&options.build);
                let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    cloudformation::build_prepared(
                        model,
                        sources,
                        cache,
                        id,
                        &root,
                        build_options,
                        prepared.map(|p| *p),
                    );
                }));
                if built.is_err() {
                    internal_errors.push(Error::Internal {
                        path: crate::display_path(&candidate.path),
                        message: "panic while building the model".into(),
                    });
                }
                return Some(root);
            }
            Loaded::Broken { file, errors } => {
                let id = sources.add(file);
                push_syntax_errors(model, id, errors);
            }
            Loaded::Rejected { file, at, problem } => {
                let id = sources.add(file);
                model.problems.push(Problem::new(Loc::new(id, at), problem));
            }
            Loaded::Serverless { file, at } => {
                let id = sources.add(file);
                model.problems.push(Problem::new(Loc::new(id, at), UndecidableProblem::ServerlessConfig));
            }
            Loaded::CdkApp { file, at, out } => {
                let id = sources.add(file);
                cdk_apps.push((id, at, out));
            }
            Loaded::Skipped => {}
            Loaded::Panicked(message) => {
                internal_errors.push(Error::Internal { path: crate::display_path(&candidate.path), message });
            }
        }
        None
    }
}

/// Reads a standalone policy document (JSON or YAML): the policy if it parses, and its problems
/// (SL001) with spans in the file.
pub fn load_policy_file(
    path: &std::path::Path,
    sources: &mut SourceMap,
    scope: &Scope,
) -> Result<(Option<crate::model::AttachedPolicy>, Vec<Problem>), Error> {
    let text = read_named(path, fsread::POLICY_CAP, scope)?;
    let is_yaml = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yaml" || e == "yml");
    let Parsed { root, errors } =
        if is_yaml { crate::syntax::yaml::parse_yaml(&text) } else { crate::syntax::json::parse_json(&text) };
    let id = sources.add(SourceFile::from_disk(path.to_path_buf(), text));
    let mut model = Model::default();
    push_syntax_errors(&mut model, id, errors);
    let Some(root) = root else {
        if model.problems.is_empty() {
            model.problems.push(Problem::new(Loc::new(id, Span::default()), ParseProblem::EmptyPolicyFile));
        }
        return Ok((None, model.problems));
    };
    let value = crate::formats::literal_value(&root);
    let (doc, problems) = crate::iam::parse_policy(&value, id);
    for problem in problems {
        model.problems.push(Problem::new(problem.loc, ParseProblem::PolicyFile { problem }));
    }
    let policy =
        crate::model::AttachedPolicy { name: crate::display_path(path), doc, loc: Loc::new(id, root.span) };
    Ok((Some(policy), model.problems))
}

/// A file the user or the configuration names (`--scp`, `--config`, `--baseline`, `eval --policy`):
/// read through the bounded reader; a refusal fails the run (exit 2) with the reason.
pub fn read_named(path: &std::path::Path, cap: u64, scope: &Scope) -> Result<String, Error> {
    fsread::read_text(path, cap, scope).map_err(|refusal| match refusal {
        Refusal::Missing => Error::MissingPath(path.display().to_string()),
        other => Error::Io { path: crate::display_path(path), message: other.to_string() },
    })
}

/// YAML aliases: CloudFormation rejects a template that has them ("Template error: YAML aliases
/// are not allowed in CloudFormation templates"), but `sam deploy`/`sam package` and
/// `aws cloudformation package` expand them before upload (aws-cli#3827, aws-sam-cli#1354). A SAM
/// template always goes through SAM CLI, so its aliases are fine; a plain template's are an error
/// only if it is deployed as written, which the files cannot tell: one SL003 per file.
fn aliases_as_packaging_note(
    model: &mut Model,
    file: crate::span::FileId,
    root: &Node,
    mut errors: Vec<SyntaxError>,
) -> Vec<SyntaxError> {
    let is_alias = |e: &SyntaxError| e.kind == SyntaxKind::Alias;
    let first = errors.iter().find(|e| is_alias(e)).map(|e| e.span);
    errors.retain(|e| !is_alias(e));
    if let Some(span) = first
        && !cloudformation::is_sam(root)
    {
        model.problems.push(Problem::new(Loc::new(file, span), UndecidableProblem::YamlAliases));
    }
    errors
}

fn push_syntax_errors(model: &mut Model, file: crate::span::FileId, errors: Vec<SyntaxError>) {
    for e in errors {
        let problem = ParseProblem::Syntax { kind: e.kind, message: e.message };
        model.problems.push(Problem::new(Loc::new(file, e.span), problem));
    }
}

/// Sorts by file, line, column, code, then message (stable, deterministic output); on the
/// current rayon pool when `parallel`. Keys are built once per diagnostic: building them per
/// comparison allocated two strings each time.
pub(crate) fn sort(diagnostics: &mut [Diagnostic], sources: &SourceMap, parallel: bool) {
    let key = |d: &Diagnostic| {
        let (name, start) =
            d.finding.primary.as_ref().map_or((String::new(), 0), |l| {
                (sources.get(l.loc.file).name().to_owned(), l.loc.span.start)
            });
        (name, start, d.code, d.finding.message.clone())
    };
    if parallel {
        use rayon::slice::ParallelSliceMut as _;
        diagnostics.par_sort_by_cached_key(key);
    } else {
        diagnostics.sort_by_cached_key(key);
    }
}

/// How much of an oversized file is read to decide whether it looks like a template.
const SNIFF_BYTES: u64 = 64 * 1024;

/// A file that could not be read, as the SL001 it becomes: the reason, at the start of the file
/// (or at the first bad byte of a file that is not UTF-8, with the valid text before it shown).
fn unreadable(path: &std::path::Path, reason: Refusal, bytes: Option<&[u8]>) -> Loaded {
    let (text, at) = match (&reason, bytes) {
        (Refusal::NotUtf8 { at, .. }, Some(bytes)) => {
            (String::from_utf8_lossy(&bytes[..(*at).min(bytes.len())]).into_owned(), *at)
        }
        _ => (String::new(), 0),
    };
    let terraform = crate::formats::terraform::tf_kind_of_name(path).is_some();
    let file = SourceFile::from_disk(path.to_path_buf(), text);
    let problem = ParseProblem::UnreadableFile { refusal: reason, terraform };
    Loaded::Rejected { file, at: Span::from_range(at, at), problem }
}

fn load_file(candidate: &Candidate, scope: &Scope) -> Loaded {
    let path = &candidate.path;
    // A file named on the command line is read as a template when its name could be one; a
    // handler, a Makefile or a README passed along (`git diff --name-only | xargs sagelint check`)
    // is a template only if its content says so. Its reading problems are still reported.
    let named_template =
        (candidate.explicit && crate::discover::is_candidate(path)) || template_like_name(path);
    // A Terraform file is part of its module by its name alone: one that cannot be read would
    // change the module's meaning, so it is always reported.
    let must_read = named_template || crate::formats::terraform::tf_kind_of_name(path).is_some();
    let bytes = match fsread::read_bytes(path, fsread::TEMPLATE_CAP, scope) {
        Ok(bytes) => bytes,
        Err(Refusal::TooLarge { .. }) if !must_read && !head_looks_like_template(path, scope) => {
            return Loaded::Skipped;
        }
        // Out of the scope and named like nothing sagelint must read: never opened.
        Err(Refusal::Outside { .. }) if !must_read => return Loaded::Skipped,
        Err(reason) => return unreadable(path, reason, None),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            if !must_read && !contains(e.as_bytes(), b"AWSTemplateFormatVersion") {
                return Loaded::Skipped;
            }
            let bytes = e.as_bytes();
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let reason = Refusal::NotUtf8 { at: e.utf8_error().valid_up_to(), utf16 };
            return unreadable(path, reason, Some(bytes));
        }
    };
    // Debug builds only: lets tests/adversarial.rs prove that a panic in one file is isolated.
    #[cfg(debug_assertions)]
    assert!(!text.contains("sagelint-fault-injection: panic"), "fault injected by a test");
    if let Some(kind) = crate::formats::terraform::tf_kind_of_name(path) {
        return load_terraform(path, text, kind);
    }
    let is_json = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start_matches('\u{feff}').trim_start().starts_with('{'),
    };
    let Parsed { root, errors } =
        if is_json { crate::syntax::json::parse_json(&text) } else { crate::syntax::yaml::parse_yaml(&text) };
    let marked = named_template || text.contains("AWSTemplateFormatVersion");
    // The text moves into the report's sources (one copy of each file, not two).
    let file = |text: String| SourceFile::from_disk(path.clone(), text);
    match root {
        // A partial tree after a fatal error would produce findings about text that is not there.
        Some(_) if errors.iter().any(|e| e.fatal) => {
            if marked || text.contains("AWS::") {
                Loaded::Broken { file: file(text), errors }
            } else {
                Loaded::Skipped
            }
        }
        Some(root) if root.is_map() && is_json && crate::formats::terraform::tfjson::is_plan(&root) => {
            let body = crate::formats::terraform::plan::plan_body(&root);
            Loaded::Terraform { file: file(text), body, kind: TfKind::Plan, errors }
        }
        Some(root) if root.is_map() && is_cdk_app(path, &root) => {
            let at = root.entry("app").map_or(root.span, |e| e.key_span);
            let dir = path.parent().unwrap_or(std::path::Path::new(""));
            let out = root.get("output").and_then(Node::as_str).unwrap_or("cdk.out");
            Loaded::CdkApp { file: file(text), at, out: dir.join(out) }
        }
        Some(root) if root.is_map() && is_serverless_config(path, &root) => {
            let at =
                root.entry("functions").or_else(|| root.entry("service")).map_or(root.span, |e| e.key_span);
            Loaded::Serverless { file: file(text), at }
        }
        Some(root) if root.is_map() => {
            if cloudformation::is_template(&root) {
                Loaded::Template { file: file(text), root, errors, prepared: None }
            } else if marked && !errors.is_empty() {
                Loaded::Broken { file: file(text), errors }
            } else {
                Loaded::Skipped
            }
        }
        Some(root) => {
            if !marked {
                return Loaded::Skipped;
            }
            if errors.is_empty() {
                let at = Span::new(root.span.start, root.span.start.saturating_add(1).min(root.span.end));
                let problem = ParseProblem::NotAMapping { list: matches!(root.kind, NodeKind::Seq(_)) };
                return Loaded::Rejected { file: file(text), at, problem };
            }
            Loaded::Broken { file: file(text), errors }
        }
        None => {
            let looks_like = marked || text.contains("AWS::") || text.contains("Resources");
            if !looks_like {
                return Loaded::Skipped;
            }
            if errors.is_empty() {
                return Loaded::Rejected {
                    file: file(text),
                    at: Span::default(),
                    problem: ParseProblem::EmptyTemplate,
                };
            }
            Loaded::Broken { file: file(text), errors }
        }
    }
}

/// A `.tf`, `.tf.json` or tfvars file: a malformed one is SL001 at the error and contributes
/// nothing to its module, which is still built from the other files.
fn load_terraform(path: &std::path::Path, text: String, kind: TfKind) -> Loaded {
    let is_json = path.extension().is_some_and(|e| e == "json");
    let (body, errors) = if is_json {
        let Parsed { root, errors } = crate::syntax::json::parse_json(&text);
        match root {
            Some(root) if !errors.iter().any(|e| e.fatal) => {
                let body = if kind == TfKind::Tfvars {
                    crate::formats::terraform::tfjson::tfvars_body(&root)
                } else {
                    crate::formats::terraform::tfjson::config_body(&root, &text)
                };
                (body, errors)
            }
            _ => (TfBody::default(), errors),
        }
    } else {
        match crate::formats::terraform::hcl::parse(&text) {
            Ok(body) => (body, Vec::new()),
            Err(e) => (TfBody::default(), vec![e]),
        }
    };
    let file = SourceFile::from_disk(path.to_path_buf(), text);
    Loaded::Terraform { file, body, kind, errors }
}

/// `cdk.json` with the command that runs the app
/// (<https://docs.aws.amazon.com/cdk/v2/guide/cli.html#cli-config>).
fn is_cdk_app(path: &std::path::Path, root: &Node) -> bool {
    path.file_name().is_some_and(|n| n == "cdk.json") && root.get("app").is_some()
}

/// A CDK app whose synthesized templates the run did not read: its own source (TypeScript,
/// Python, …) holds no template, so say where the checkable output is instead of passing in
/// silence. `cdk init` puts `cdk.out` in `.gitignore`, which hides it from a folder scan.
fn note_unscanned_cdk_output(
    model: &mut Model,
    sources: &SourceMap,
    apps: &[(crate::span::FileId, Span, std::path::PathBuf)],
) {
    for (file, at, out) in apps {
        let out_plain = crate::source::normalize_path(out);
        if sources.iter().any(|(_, f)| crate::source::normalize_path(f.path()).starts_with(&out_plain)) {
            continue;
        }
        // A synthesized template committed elsewhere in the app (`cdk synth > cfn.yaml`) was
        // scanned and judged: CDK marks its resources with `aws:cdk:path` and adds
        // `AWS::CDK::Metadata` unless told not to.
        let app_dir =
            sources.get(*file).path().parent().map(crate::source::normalize_path).unwrap_or_default();
        let synthesized = sources.iter().any(|(id, f)| {
            id != *file
                && crate::source::normalize_path(f.path()).starts_with(&app_dir)
                && (f.text().contains("aws:cdk:path") || f.text().contains("AWS::CDK::Metadata"))
        });
        if synthesized {
            continue;
        }
        let problem = UndecidableProblem::CdkOutputUnscanned { out: out.clone(), exists: out.is_dir() };
        model.problems.push(Problem::new(Loc::new(*file, *at), problem));
    }
}

/// A file Terraform would load from a module folder that an ignore file kept out of the scan
/// (a local `terraform.tfvars` or `override.tf`, ignored as GitHub's Terraform template does): the
/// committed configuration is judged without it, and the report says so at the module's first
/// file, since the value it sets (a region, an endpoint name) could change the verdict.
fn note_ignored_terraform(
    model: &mut Model,
    terraform: &[crate::formats::terraform::TfFile],
    ignored: &[PathBuf],
) {
    for path in ignored {
        let module: Vec<_> = terraform.iter().filter(|f| f.path.parent() == path.parent()).collect();
        let Some(first) = module.first() else { continue };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Said at what the file would change: a variables file at the first `variable` it may
        // set, a configuration file at the module's first block.
        let variables = name.contains(".tfvars");
        let block = |f: &&crate::formats::terraform::TfFile| {
            let mut blocks = f.body.blocks.iter();
            let head = if variables { blocks.find(|b| b.kind == "variable") } else { blocks.next() };
            head.map(|b| Loc::new(f.file, b.head))
        };
        let at = module.iter().find_map(block).unwrap_or(Loc::new(first.file, Span::default()));
        let problem = UndecidableProblem::IgnoredTerraformFile { name };
        model.problems.push(Problem::new(at, problem));
    }
}

/// `serverless.yml` (also `.yaml`/`.json`, and per-stage copies such as `serverless.prod.yml`) with
/// the framework's `service` and `provider` keys
/// (<https://www.serverless.com/framework/docs/providers/aws/guide/serverless.yml>).
fn is_serverless_config(path: &std::path::Path, root: &Node) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    name.starts_with("serverless.") && root.get("service").is_some() && root.get("provider").is_some()
}

/// Whether the start of a file names CloudFormation, read without loading the whole file.
fn head_looks_like_template(path: &std::path::Path, scope: &Scope) -> bool {
    fsread::read_head(path, SNIFF_BYTES, scope)
        .is_ok_and(|head| contains(&head, b"AWSTemplateFormatVersion") || contains(&head, b"AWS::"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::worker_count;

    #[test]
    fn workers_are_capped_by_the_cpus_and_the_files() {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(worker_count(Some(10_000), 1), 1, "one file needs one worker");
        assert_eq!(worker_count(Some(10_000), 1_000_000), cpus);
        assert_eq!(worker_count(Some(1), 1_000), 1);
        assert_eq!(worker_count(None, 1_000), cpus);
        assert_eq!(worker_count(Some(0), 1_000), cpus, "0 means one per CPU");
        assert_eq!(worker_count(None, 0), 1);
        // A default run on a few files stays on one thread; asked for, it gets its workers.
        assert_eq!(worker_count(None, 3), 1);
        assert_eq!(worker_count(Some(2), 3), 2.min(cpus));
    }
}
