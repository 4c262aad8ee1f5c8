//! Terraform Lambda functions and SageMaker endpoints: role, environment, timeout, VPC config,
//! and the handler code found through `data "archive_file"`.

use super::ast::{Block, Expr, ExprKind};
use super::build::{Builder, address};
use super::module::{At, describe};
use crate::code::Layer;
use crate::code::locate::{CodeRequest, locate};
use crate::code::{ClientRegion, Language, language_of_runtime};
use crate::formats::CodeCache;
use crate::link::{EnvValue, EnvVar, Environment, RoleSetting};
use crate::model::problem::{HandlerAbsence, Problem, SageMakerSign, UndecidableProblem};
use crate::model::{Call, Endpoint, Format, Function, Origin, RoleRef, Target, UnknownRole};
use crate::source::{SourceMap, normalize_path};
use crate::span::{FileId, Loc, Span};
use crate::value::{SymStr, SymbolOrigin, TerraformRef};

impl<'w> Builder<'w, '_> {
    // ---- endpoints and functions ----------------------------------------------------------------

    pub(super) fn add_endpoint(&mut self, m: usize, file: FileId, b: &'w Block) {
        let name_expr = b.body.get("name");
        let name = name_expr.and_then(|n| self.world.eval_at(m, n).as_symstr());
        self.endpoints.insert((m, b.label(1).to_owned()), self.model.endpoints.len());
        self.model.endpoints.push(Endpoint {
            id: address(self.world, m, b),
            name,
            name_loc: name_expr.map(|n| Loc::new(file, n.span)),
            loc: Loc::new(file, b.head),
            async_config: None,
        });
    }

    pub(super) fn add_function(
        &mut self,
        m: usize,
        file: FileId,
        b: &'w Block,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
    ) {
        let addr = address(self.world, m, b);
        let at = |e: &'w Expr| At { module: m, file, expr: e };
        let setting = match b.body.get("role") {
            Some(r) => {
                if let Ok(i) = self.role_resource(at(r)) {
                    RoleSetting::Resource(i)
                } else {
                    // A variable without a value stays a symbol named after it.
                    RoleSetting::value(self.world.eval(at(r)), Loc::new(file, r.span))
                }
            }
            None => RoleSetting::Unknown { why: UnknownRole::NotSet, loc: Loc::new(file, b.head) },
        };
        let role = crate::link::tie_role(setting, || self.named_roles());
        let env = self.environment(m, file, b);
        let code = if self.scan_code { self.code_of(m, file, b) } else { None };
        let CodeCalls { calls, explicit_endpoint_url, code_region, missing } =
            self.calls_of(code.as_ref(), &env, sources, cache);
        if let (Some(code), Some(absence)) = (&code, missing) {
            self.missing_handler(&addr, code, absence, &calls, &env, &role);
        }
        // The sources of a zip built elsewhere are a guess by the handler's module name: say so
        // where it decides findings.
        if let Some(FunctionCode { linked_from_zip: Some((zip, loc)), source, handler, .. }) = &code
            && !calls.is_empty()
        {
            let problem = UndecidableProblem::CodeFromZipSources {
                function: addr.clone(),
                handler: handler.clone(),
                zip: zip.clone(),
                dir: source.clone(),
            };
            self.problem(Problem::new(*loc, problem).resource(addr.clone()));
        }
        let (timeout, timeout_loc, name) = self.timeout_and_name(m, file, b, &addr);
        // `logging_config { log_group = … }` sends the logs to that group instead of /aws/lambda/<name>.
        let log_group =
            b.body.blocks_of("logging_config").next().and_then(|c| c.body.get("log_group")).map(|g| {
                let name = self
                    .world
                    .eval(at(g))
                    .as_symstr()
                    .unwrap_or_else(|| SymStr::sym("LogGroup", SymbolOrigin::NotEvaluated));
                (name, Loc::new(file, g.span))
            });
        self.model.functions.push(Function {
            log_group,
            id: addr,
            loc: Loc::new(file, b.head),
            origin: Origin::new(Format::Terraform),
            role,
            calls,
            name,
            timeout,
            timeout_loc,
            vpc: self.vpc_config(m, file, b),
            explicit_endpoint_url,
            code_region,
            partition: self.world.deployment.partition(),
            region: self.world.region_of(m, b),
            account: self.world.deployment.account(),
            ignored_policies: None,
        });
    }

    /// `timeout` (Lambda's default is 3 s) with where it is written, and `function_name` (a
    /// symbol named after the function when not given): read alike from `aws_lambda_function` and
    /// the registry module.
    pub(super) fn timeout_and_name(
        &self,
        m: usize,
        file: FileId,
        b: &'w Block,
        id: &str,
    ) -> (Option<u32>, Option<Loc>, SymStr) {
        let at = |e: &'w Expr| At { module: m, file, expr: e };
        let timeout_expr = b.body.get("timeout");
        let timeout = match timeout_expr {
            Some(t) => self.world.eval(at(t)).as_literal().and_then(|t| t.parse().ok()),
            None => Some(3),
        };
        let name =
            b.body.get("function_name").and_then(|n| self.world.eval(at(n)).as_symstr()).unwrap_or_else(
                || {
                    let resource = Some(id.to_owned());
                    SymStr::sym(
                        &format!("{id}.function_name"),
                        SymbolOrigin::Terraform(TerraformRef::Attribute { resource }),
                    )
                },
            );
        (timeout, timeout_expr.map(|t| Loc::new(file, t.span)), name)
    }

    /// SL003 when the handler of a function that may call SageMaker was not read: its
    /// environment passes an endpoint, or its role allows invoking one. Functions with nothing to
    /// do with SageMaker stay silent.
    pub(super) fn missing_handler(
        &mut self,
        id: &str,
        code: &FunctionCode,
        absence: HandlerAbsence,
        calls: &[Call],
        env: &Result<Vec<(String, At<'w>)>, String>,
        role: &RoleRef,
    ) {
        let env = self.link_environment(env);
        let defined = || self.endpoints.values().copied().collect();
        let passed = calls
            .first()
            .map(|c| c.site)
            .or_else(|| crate::link::endpoint_passed(&env, &self.model.endpoints, defined));
        let grant = || match role {
            RoleRef::Known(index) => crate::link::invoke_grant(&self.model.roles[*index]),
            RoleRef::Unknown { .. } => None,
        };
        let (sign, mut loc) = match (passed, grant()) {
            (Some(loc), _) => (SageMakerSign::PassesEndpoint, loc),
            (None, Some(action)) => (SageMakerSign::RoleAllows { action }, code.handler_loc),
            (None, None) => return,
        };
        if let Some(zip_loc) = code.zip_loc.filter(|_| absence.names_code()) {
            loc = zip_loc;
        }
        let problem = UndecidableProblem::MissingHandler {
            function: id.to_owned(),
            handler: code.handler.clone(),
            absence,
            sign,
            code_setting: code.setting,
        };
        self.problem(Problem::new(loc, problem).resource(id));
    }

    /// The calls a function makes: from its handler files when they can be read, else from
    /// environment values that name an endpoint resource (the code is then assumed to call it);
    /// and why the handler was not read, when the locator says it is missing.
    pub(super) fn calls_of(
        &self,
        code: Option<&FunctionCode>,
        env: &Result<Vec<(String, At<'w>)>, String>,
        sources: &mut SourceMap,
        cache: &mut CodeCache,
    ) -> CodeCalls {
        let env = self.link_environment(env);
        let mut calls = Vec::new();
        let mut code_read = false;
        let mut explicit_endpoint_url = false;
        let mut regions = Vec::new();
        let mut missing = None;
        let scans = match code {
            Some(FunctionCode { unread: Some(absence), .. }) => {
                missing = Some(absence.clone());
                Vec::new()
            }
            Some(code) => {
                let request = CodeRequest {
                    code: &code.source,
                    handler: &code.handler,
                    runtime: code.runtime,
                    layers: &code.layer_dirs,
                    deployment_dir: None,
                    image: code.image,
                    entry_points: &[],
                };
                let located = locate(&request, sources, &mut cache.code);
                missing = located.missing;
                located.scans
            }
            None => Vec::new(),
        };
        for (code, scan) in &scans {
            let code = *code;
            code_read = true;
            explicit_endpoint_url |= scan.explicit_endpoint_url;
            let loc = |s: Span| Loc::new(code, s);
            if scan.client_region != ClientRegion::NoClient {
                regions.push(crate::link::client_region(&scan.client_region, &env, loc));
            }
            for call in &scan.calls {
                let name_loc = |s: Span| Loc::new(call.endpoint_file.unwrap_or(code), s);
                let (target, env_loc) = crate::link::call_target(&call.endpoint, &env, name_loc);
                calls.push(Call {
                    api: call.api,
                    site: loc(call.span),
                    target,
                    env_loc,
                    handled: Some(call.in_error_handler),
                    // SL111 reads async input locations from CloudFormation endpoint configs only.
                    input_location: None,
                });
            }
        }
        if calls.is_empty() && !code_read {
            let defined = || self.endpoints.values().copied().collect();
            calls = crate::link::calls_from_environment(&env, &self.model.endpoints, defined);
        }
        CodeCalls { calls, explicit_endpoint_url, code_region: crate::link::agreed_region(&regions), missing }
    }

    /// `environment { variables = … }`: a literal object, a local or variable holding one, or
    /// `merge(…)` of those; anything else (a computed map, a `dynamic` block, a plan value known
    /// only after apply) makes the set of variables unknown rather than empty.
    pub(super) fn environment(
        &self,
        m: usize,
        file: FileId,
        b: &'w Block,
    ) -> Result<Vec<(String, At<'w>)>, String> {
        if b.body.blocks_of("dynamic").any(|d| d.label(0) == "environment") {
            return Err("the environment block is dynamic".into());
        }
        if b.body.blocks_of("environment").next().is_none()
            && let Some(e) = b.body.get("environment")
            && !matches!(&e.kind, ExprKind::Tuple(items) if items.is_empty())
            && !matches!(e.kind, ExprKind::Null)
        {
            return Err(format!("{} is computed", describe(e)));
        }
        let mut out: Vec<(String, At<'w>)> = Vec::new();
        for block in b.body.blocks_of("environment") {
            let Some(v) = block.body.get("variables") else { continue };
            self.env_object(At { module: m, file, expr: v }, &mut out, 0)?;
        }
        Ok(out)
    }

    pub(super) fn env_object(
        &self,
        at: At<'w>,
        out: &mut Vec<(String, At<'w>)>,
        depth: usize,
    ) -> Result<(), String> {
        let end = self.world.deref(at);
        match &end.expr.kind {
            ExprKind::Object(items) => {
                for i in items {
                    let value = At { module: end.module, file: end.file, expr: &i.value };
                    match out.iter_mut().find(|(k, _)| *k == i.key) {
                        Some(slot) => slot.1 = value,
                        None => out.push((i.key.clone(), value)),
                    }
                }
                Ok(())
            }
            ExprKind::Call(name, args) if name == "merge" && depth < 8 => {
                for a in args {
                    self.env_object(At { module: end.module, file: end.file, expr: a }, out, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(format!("the variables are {}", describe(end.expr))),
        }
    }

    /// The function's code: `filename`/`source_code_hash` from a `data "archive_file"` (its
    /// `source_file` or `source_dir`), with `handler = "module.function"` naming the file in a
    /// folder and `runtime` its language.
    pub(super) fn code_of(&self, m: usize, file: FileId, b: &'w Block) -> Option<FunctionCode> {
        let image = b.body.get("image_uri").is_some()
            || b.body.get("package_type").and_then(|t| self.world.eval_at(m, t).as_literal()).as_deref()
                == Some("Image");
        // A runtime whose code is not read (Go, Java, .NET, Ruby, `provided`): SL003 says so for
        // a function that may call SageMaker, instead of a silent pass.
        let runtime = b.body.get("runtime").filter(|_| !image);
        if let Some(name) = runtime.and_then(|r| self.world.eval_at(m, r).as_literal())
            && crate::code::language_of_runtime(&name).is_none()
        {
            return Some(self.unread_code(m, file, b, "runtime", HandlerAbsence::Runtime { runtime: name }));
        }
        if let Some(source) = self.archive_source(m, file, b) {
            return Some(self.function_code(m, file, b, source));
        }
        if image {
            return Some(self.image_code(m, file, b));
        }
        self.prebuilt_zip_code(m, file, b)
    }

    /// The code of a container-image function: the build context of the one Dockerfile that may
    /// build it — a `docker_image` resource's `build { context }` in the module, else the one
    /// folder with a Dockerfile in or under the module's folder — with the handler from
    /// `image_config { command }`, else the Dockerfile's `CMD`. With none, or several, the code
    /// is unread, and why is kept for SL003.
    fn image_code(&self, m: usize, file: FileId, b: &'w Block) -> FunctionCode {
        let mdir = self.world.modules[m].dir.clone();
        let mut contexts: Vec<std::path::PathBuf> = self.world.modules[m]
            .blocks
            .iter()
            .filter(|(_, d)| d.kind == "resource" && d.label(0) == "docker_image")
            .flat_map(|(_, d)| d.body.blocks_of("build"))
            .filter_map(|build| self.world.eval_at(m, build.body.get("context")?).as_literal())
            .map(|context| self.world.file_path(m, &context))
            .filter(|dir| dir.join("Dockerfile").is_file())
            .collect();
        if contexts.is_empty() {
            contexts = crate::code::locate::docker_contexts(&mdir, 3);
        }
        contexts.dedup();
        let mut code = self.function_code(m, file, b, mdir);
        code.setting = "image_uri";
        if let Some(uri) = b.body.get("image_uri") {
            code.handler_loc = Loc::new(file, uri.span);
        }
        if let [context] = contexts.as_slice() {
            let command = b
                .body
                .blocks_of("image_config")
                .next()
                .and_then(|c| c.body.get("command"))
                .map(|c| self.world.eval_at(m, c))
                .and_then(|c| c.as_list().first().and_then(|v| v.as_literal()));
            let dockerfile = || {
                let text = crate::fsread::read_text(
                    &context.join("Dockerfile"),
                    crate::fsread::SMALL_CAP,
                    &self.read_scope,
                )
                .ok()?;
                crate::code::locate::dockerfile_handler(&text)
            };
            code.handler = command.or_else(dockerfile).unwrap_or_default();
            code.source.clone_from(context);
            code.image = true;
        } else {
            code.unread = Some(HandlerAbsence::Image { contexts });
        }
        code
    }

    /// The code of a function deployed from a zip Terraform does not build (`filename =
    /// "build/fn.zip"`, made by a script, a Makefile or CI). A zip in the files is what this
    /// checkout deploys (`filename` is "the path to the function's deployment package within the
    /// local filesystem",
    /// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function>),
    /// so it is read, even when a source folder near it may be what it was made from: a stale zip
    /// is deployed as it is. Without the zip: the one folder near it or the configuration that
    /// holds the handler module (`<zip stem>/`, `src/`, `lambda/`, …), else the zip's own folder
    /// when it holds it (a script that zips a folder into that folder: `fn/lambda_function.zip`
    /// made from `fn/`). With none, or several, the code is unread, and why is kept for SL003.
    /// A package uploaded by an `aws_s3_object` (`s3_key = aws_s3_object.code.key`) is looked
    /// up alike, from the object's `source`.
    fn prebuilt_zip_code(&self, m: usize, file: FileId, b: &'w Block) -> Option<FunctionCode> {
        let (named, setting) = match b.body.get("filename") {
            Some(filename) => (At { module: m, file, expr: filename }, "filename"),
            None => match self.s3_object_source(m, file, b) {
                Some(source) => (source, "the aws_s3_object's source"),
                None => return self.uploaded_code(m, file, b),
            },
        };
        let Some(literal) = self.world.eval(self.world.deref(named)).as_literal() else {
            return self.uploaded_code(m, file, b);
        };
        if !literal.to_ascii_lowercase().ends_with(".zip") {
            return None;
        }
        let filename = named.expr;
        let file = named.file;
        let mdir = self.world.modules[m].dir.clone();
        let zip = self.world.file_path(named.module, &literal);
        let mut code = self.function_code(m, file, b, zip.clone());
        code.setting = setting;
        let runtime = code.runtime?;
        if self.read_scope.is_file(&zip) {
            code.source = zip;
            code.zip_loc = Some(Loc::new(file, filename.span));
            return Some(code);
        }
        let stem = zip.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let zip_dir = zip.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        let near = [
            zip_dir.join(&stem),
            mdir.join(&stem),
            mdir.join("src"),
            mdir.join("src").join(&stem),
            mdir.join("lambda"),
            mdir.join("lambda").join(&stem),
            mdir.join("lambdas").join(&stem),
            mdir.join("functions").join(&stem),
            mdir.join(".."),
            mdir.join("..").join(&stem),
            mdir.join("..").join("src"),
            mdir.join("..").join("lambda"),
            mdir.clone(),
        ];
        // Each folder once, however it is reached (`src` from the module and `../src` from a
        // module that is the repository root's child may be the same).
        let mut seen = std::collections::BTreeSet::new();
        let mut dirs: Vec<std::path::PathBuf> = Vec::new();
        let mut holding = |candidates: &[std::path::PathBuf], dirs: &mut Vec<std::path::PathBuf>| {
            for dir in
                candidates.iter().map(|d| crate::source::or_current_folder(&normalize_path(d)).to_path_buf())
            {
                // Only folders inside the run's scope: `..` of a root module may be outside the
                // repository.
                let Ok(key) = std::fs::canonicalize(&dir) else { continue };
                if self.read_scope.allows(&key)
                    && crate::code::locate::holds_handler(&dir, &code.handler, runtime, &self.read_scope)
                    && seen.insert(key)
                {
                    dirs.push(dir);
                }
            }
        };
        holding(&near, &mut dirs);
        // Only when no folder by name holds it: a build folder where a script staged a copy
        // next to the zip must not make `src/` ambiguous.
        if dirs.is_empty() {
            holding(std::slice::from_ref(&zip_dir), &mut dirs);
        }
        match dirs.len() {
            1 => {
                code.source = dirs.remove(0);
                code.linked_from_zip = Some((zip, Loc::new(file, filename.span)));
            }
            0 => code.unread = Some(HandlerAbsence::InZip { zip }),
            _ => code.unread = Some(HandlerAbsence::AmbiguousZip { zip, dirs }),
        }
        Some(code)
    }

    /// The code of a function whose package is not in the files: an S3 object no `aws_s3_object`
    /// of the files uploads (`s3_bucket`/`s3_key`), or a `filename` the files do not decide (a
    /// variable without a default). It is unread, which SL003 says for a function that may call
    /// SageMaker.
    fn uploaded_code(&self, m: usize, file: FileId, b: &'w Block) -> Option<FunctionCode> {
        // A whole value by its name (`var.zip_path`); a part of one with its symbols as `${…}`.
        let text = |key: &str, whole: bool| {
            let value = self.world.eval_at(m, b.body.get(key)?).as_symstr();
            Some(value.map_or_else(|| format!("`{key}`"), |s| if whole { s.shown() } else { s.to_string() }))
        };
        let (setting, location) = match (b.body.get("filename"), text("s3_bucket", false)) {
            (Some(_), _) => ("filename", format!("the zip {} names", text("filename", true)?)),
            (None, Some(bucket)) => (
                "s3_bucket",
                format!("s3://{bucket}/{}", text("s3_key", false).unwrap_or_else(|| "…".to_owned())),
            ),
            (None, None) => return None,
        };
        let code = self.unread_code(m, file, b, setting, HandlerAbsence::Uploaded { location });
        code.runtime.is_some().then_some(code)
    }

    /// The code of a function that is not read, and why; its SL003 points at the `setting`
    /// argument that says so.
    fn unread_code(
        &self,
        m: usize,
        file: FileId,
        b: &'w Block,
        setting: &'static str,
        absence: HandlerAbsence,
    ) -> FunctionCode {
        let mut code = self.function_code(m, file, b, std::path::PathBuf::new());
        code.setting = setting;
        code.zip_loc = b.body.get(setting).map(|e| Loc::new(file, e.span));
        code.unread = Some(absence);
        code
    }

    /// The folder or file an `archive_file` packs, for a resource whose `filename` or
    /// `source_code_hash` is that archive's (a function, a layer version).
    fn archive_source(&self, m: usize, file: FileId, b: &Block) -> Option<std::path::PathBuf> {
        let mut source: Option<std::path::PathBuf> = None;
        // A state or a plan without configuration has the archive's path, not the reference:
        // the archive is the one whose `output_path` is that path.
        let by_output_path = |literal: &str| {
            self.world.modules[m].blocks.iter().find_map(|(_, d)| {
                let output = d.body.get("output_path")?;
                (d.kind == "data"
                    && d.label(0) == "archive_file"
                    && self.world.eval_at(m, output).as_literal().as_deref() == Some(literal))
                .then(|| vec!["data".to_owned(), "archive_file".to_owned(), d.label(1).to_owned()])
            })
        };
        let named = ["filename", "source_code_hash"]
            .iter()
            .filter_map(|key| b.body.get(key).map(|e| At { module: m, file, expr: e }))
            .chain(self.s3_object_source(m, file, b));
        for at in named {
            let end = self.world.deref(at);
            let path = match end.expr.as_ref_path() {
                Some(p) => Some(p.to_vec()),
                None => self.world.eval(end).as_literal().and_then(|l| by_output_path(&l)),
            };
            if let Some(path) = path
                && path.len() >= 3
                && path[0] == "data"
                && path[1] == "archive_file"
                && let Some((_, ab)) = self.world.find(end.module, "data", "archive_file", &path[2])
            {
                for k in ["source_file", "source_dir"] {
                    if let Some(s) = ab.body.get(k)
                        && let Some(p) = self.world.eval_at(end.module, s).as_literal()
                    {
                        source = Some(self.world.file_path(end.module, &p));
                    }
                }
                break;
            }
        }
        source
    }

    /// The `source` of the `aws_s3_object` (or older `aws_s3_bucket_object`) whose `key` the
    /// function's `s3_key` is: the object uploads the function's package from that file.
    fn s3_object_source(&self, m: usize, file: FileId, b: &Block) -> Option<At<'w>> {
        let key = b.body.get("s3_key")?;
        let end = self.world.deref(At { module: m, file, expr: key });
        let path: Vec<&String> =
            end.expr.as_ref_path()?.iter().filter(|p| !p.starts_with('[') && *p != "*").collect();
        let [kind, name, attr] = path.as_slice() else { return None };
        if !matches!(kind.as_str(), "aws_s3_object" | "aws_s3_bucket_object")
            || !matches!(attr.as_str(), "key" | "id")
        {
            return None;
        }
        let (object_file, object) = self.world.find(end.module, "resource", kind, name)?;
        let source = object.body.get("source")?;
        Some(At { module: end.module, file: object_file, expr: source })
    }

    /// The handler, runtime and layers of a function whose code is in `source`.
    pub(super) fn function_code(
        &self,
        m: usize,
        file: FileId,
        b: &Block,
        source: std::path::PathBuf,
    ) -> FunctionCode {
        let literal = |key: &str| b.body.get(key).and_then(|e| self.world.eval_at(m, e).as_literal());
        FunctionCode {
            handler_loc: Loc::new(file, b.body.get("handler").map_or(b.head, |h| h.span)),
            setting: "the archive_file's source_dir",
            unread: None,
            linked_from_zip: None,
            zip_loc: None,
            image: false,
            source,
            handler: literal("handler").unwrap_or_default(),
            runtime: literal("runtime").as_deref().and_then(language_of_runtime),
            layer_dirs: self.layer_dirs(m, file, b),
        }
    }

    /// The folders of the function's layers that the configuration packs from local files
    /// (`layers = [aws_lambda_layer_version.x.arn]` whose `filename` is an `archive_file`'s):
    /// Lambda extracts each under `/opt`, where the handler imports from. A layer given by ARN
    /// alone has no code here.
    fn layer_dirs(&self, m: usize, file: FileId, b: &Block) -> Vec<Layer> {
        let Some(e) = b.body.get("layers") else { return Vec::new() };
        let end = self.world.deref(At { module: m, file, expr: e });
        let ExprKind::Tuple(items) = &end.expr.kind else { return Vec::new() };
        items
            .iter()
            .filter_map(|item| {
                let at = self.world.deref(At { module: end.module, file: end.file, expr: item });
                let path = at.expr.as_ref_path()?;
                if path.len() < 2 || path[0] != "aws_lambda_layer_version" {
                    return None;
                }
                let (layer_file, layer) =
                    self.world.find(at.module, "resource", "aws_lambda_layer_version", &path[1])?;
                self.archive_source(at.module, layer_file, layer).filter(|dir| dir.is_dir()).map(Layer::as_is)
            })
            .collect()
    }

    pub(super) fn endpoint_reference(&self, at: At<'w>) -> Option<Target> {
        let end = self.world.deref(at);
        // `aws_sagemaker_endpoint.e[0].name`: instances of a counted endpoint are alike.
        let path: Vec<&String> =
            end.expr.as_ref_path()?.iter().filter(|p| !p.starts_with('[') && *p != "*").collect();
        if path.len() == 3 && path[0] == "aws_sagemaker_endpoint" {
            let index = *self.endpoints.get(&(end.module, path[1].clone()))?;
            let loc = Loc::new(at.file, at.expr.span);
            if path[2] == "arn" {
                let text = self.world.eval(end).as_symstr().map(|s| s.to_string()).unwrap_or_default();
                return Some(Target::Arn { text, loc });
            }
            return Some(Target::Endpoint { index, loc });
        }
        None
    }

    /// The environment as the linker reads it: each value a reference to a defined endpoint, else
    /// evaluated.
    fn link_environment(&self, env: &Result<Vec<(String, At<'w>)>, String>) -> Environment {
        let vars = env.as_ref().map_err(Clone::clone)?;
        Ok(vars
            .iter()
            .map(|(name, at)| {
                let value = self.endpoint_reference(*at).map_or_else(
                    || EnvValue::evaluated(&self.world.eval(*at), |_| String::new()),
                    EnvValue::Endpoint,
                );
                EnvVar { name: name.clone(), value, loc: Loc::new(at.file, at.expr.span) }
            })
            .collect())
    }
}

/// What a function's code says of its calls ([`Builder::calls_of`]).
pub(super) struct CodeCalls {
    pub calls: Vec<Call>,
    /// A runtime client is created with an explicit endpoint URL.
    pub explicit_endpoint_url: bool,
    /// The region the code creates its runtime clients for, when it names one.
    pub code_region: Option<(SymStr, Loc)>,
    /// Why the handler was not read, when the locator says it is missing.
    pub missing: Option<HandlerAbsence>,
}

/// Where a function's code is, as its configuration says.
pub(super) struct FunctionCode {
    /// The package folder, or a single source file.
    pub source: std::path::PathBuf,
    pub handler: String,
    /// Where the handler is named (the resource's head when it is not).
    pub handler_loc: Loc,
    /// The argument that names the code: an `archive_file`'s `source_dir`, a module's `source_path`.
    pub setting: &'static str,
    /// A container image built from `source`: the runtime is the image's, so a handler missing
    /// from the context is not a finding.
    pub image: bool,
    /// Why the code cannot be read although the configuration names it (a zip built elsewhere).
    pub unread: Option<HandlerAbsence>,
    /// The zip built outside Terraform whose sources `source` was found to be, by the handler's
    /// module name.
    pub linked_from_zip: Option<(std::path::PathBuf, Loc)>,
    /// Where the zip in the files that `source` is, is named: a finding about reading it points there.
    pub zip_loc: Option<Loc>,
    pub runtime: Option<Language>,
    /// Its layers whose content is in the files.
    pub layer_dirs: Vec<Layer>,
}
