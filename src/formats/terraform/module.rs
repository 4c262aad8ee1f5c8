//! Terraform modules and expression evaluation: the `.tf`/`.tf.json` files of a folder form one
//! module; variables take their value from `--param`, `terraform.tfvars`/`*.auto.tfvars`, the
//! calling module's inputs, then their `default`; everything not known at lint time becomes a
//! symbol named after its traversal, so a policy and a request built from the same symbols match.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use super::ast::{Block, Body, Expr, ExprKind, ForExpr, Part};
use crate::formats::Deployment;
use crate::span::{FileId, Span};
use crate::value::{SymStr, SymbolOrigin, TerraformRef, Value, ValueEntry, ValueKind};

/// One module instance: the root of a folder, or a local child module called from another.
#[derive(Debug)]
pub struct Module<'a> {
    pub dir: PathBuf,
    pub blocks: Vec<(FileId, &'a Block)>,
    /// `module.x.` for a child module, empty for a root.
    pub address: String,
    /// tfvars and `--param` values (roots only).
    pub tfvars: BTreeMap<String, (FileId, &'a Expr)>,
    /// The calling module and its `module` block, for input variables.
    pub parent: Option<(usize, FileId, &'a Block)>,
    /// Every file parsed; otherwise a reference may name something in the unreadable file.
    pub complete: bool,
}

/// Every module of one root, and the deployment the run checks for.
pub struct World<'a> {
    pub modules: Vec<Module<'a>>,
    pub deployment: &'a Deployment,
    pub params: &'a BTreeMap<String, String>,
    /// Iteration variables in force while an expression is evaluated: a `for` expression's
    /// `k, v`, a `dynamic` block's iterator, a resource's `each`. Innermost last.
    pub scope: RefCell<Vec<(String, Value)>>,
    /// Each module's locals by name (the first definition, as `local` found it by scanning).
    locals: Vec<HashMap<&'a str, (FileId, &'a Expr)>>,
    /// The value of each local already evaluated, per module instance: a chain of locals is
    /// evaluated once, link by link, not once per use (and not by recursing down the chain).
    local_values: RefCell<HashMap<(usize, &'a str), Value>>,
    /// Where each local's chain of references ends (`deref`), per module instance.
    local_ends: RefCell<HashMap<(usize, &'a str), At<'a>>>,
    /// Locals whose value is being worked out: a reference back to one is a cycle.
    evaluating: RefCell<HashSet<(usize, &'a str)>>,
    /// Set when an evaluation was cut off by `MAX_DEPTH`: such a value is not remembered, since
    /// evaluated from less deep it could be known.
    cut: Cell<bool>,
    /// `for` iterations evaluated so far: nested `for` expressions over the same list cost the
    /// product of their lengths, so past [`MAX_FOR_STEPS`] they are not evaluated.
    for_steps: Cell<u64>,
    /// The references that read an attribute of a whole resource passed as a value, by the
    /// module instance they are evaluated in and the reference's address: where each leads
    /// ([`World::follow_objects`]).
    object_refs: HashMap<(usize, usize), At<'a>>,
}

/// `local.ep.name` where `locals { ep = aws_sagemaker_endpoint.ep }`, or `var.lambda.invoke_arn`
/// where the caller passes a module output `value = aws_lambda_function.f`: Terraform lets any
/// expression be a value, a whole resource object included
/// (<https://developer.hashicorp.com/terraform/language/values/outputs>,
/// <https://developer.hashicorp.com/terraform/language/expressions/references>), so the reference
/// means `aws_sagemaker_endpoint.ep.name` written in the resource's module. This is that
/// reference, built once so that [`World::deref`] can lead to it like to any written expression.
pub struct ObjectRef {
    key: (usize, usize),
    module: usize,
    file: FileId,
    expr: Expr,
}

/// More `for` iterations than any real configuration needs (a thousand-item list nested three
/// deep is a billion): the rest is unknown, never an hours-long run.
const MAX_FOR_STEPS: u64 = 2_000_000;

/// A local waiting in `World::local_value`'s worklist for the locals it refers to.
struct Pending<'a> {
    key: (usize, &'a str),
    expr: &'a Expr,
    refs: Vec<&'a str>,
    next: usize,
}

/// The reason text of a value read from a known object or list that has no such attribute or
/// element ([`ValueKind::Failed`]).
const NO_SUCH_ELEMENT: &str = "has no attribute or element";

/// Where an expression ends after following locals, variables and module outputs.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub module: usize,
    pub file: FileId,
    pub expr: &'a Expr,
}

const MAX_DEPTH: usize = 48;

impl<'a> World<'a> {
    #[must_use]
    pub fn new(
        modules: Vec<Module<'a>>,
        deployment: &'a Deployment,
        params: &'a BTreeMap<String, String>,
    ) -> Self {
        let locals = modules
            .iter()
            .map(|module| {
                let mut index = HashMap::new();
                for (file, b) in module.blocks.iter().filter(|(_, b)| b.kind == "locals") {
                    for a in &b.body.attrs {
                        index.entry(a.name.as_str()).or_insert((*file, &a.value));
                    }
                }
                index
            })
            .collect();
        Self {
            modules,
            deployment,
            params,
            scope: RefCell::new(Vec::new()),
            locals,
            local_values: RefCell::new(HashMap::new()),
            local_ends: RefCell::new(HashMap::new()),
            evaluating: RefCell::new(HashSet::new()),
            cut: Cell::new(false),
            for_steps: Cell::new(0),
            object_refs: HashMap::new(),
        }
    }

    /// The modules back, for a world built again with [`World::follow_objects`].
    #[must_use]
    pub fn into_modules(self) -> Vec<Module<'a>> {
        self.modules
    }

    /// From now on, each reference of `objects` leads where it says (`objects` is what
    /// [`World::object_references`] found in a world of the same modules).
    pub fn follow_objects(&mut self, objects: &'a [ObjectRef]) {
        self.object_refs =
            objects.iter().map(|o| (o.key, At { module: o.module, file: o.file, expr: &o.expr })).collect();
    }

    /// Every reference that reads into a local, a variable or a module output whose value is a
    /// whole resource or data source (also inside an object written out:
    /// `{ lambda = aws_lambda_function.f }`), with the reference it stands for.
    #[must_use]
    pub fn object_references(&self) -> Vec<ObjectRef> {
        let mut out = Vec::new();
        for (m, module) in self.modules.iter().enumerate() {
            let mut refs: Vec<(FileId, &Expr)> = Vec::new();
            let mut found = Vec::new();
            for (file, b) in &module.blocks {
                b.body.refs(&mut found);
                refs.extend(found.drain(..).map(|r| (*file, r)));
            }
            for (file, e) in module.tfvars.values() {
                e.refs(&mut found);
                refs.extend(found.drain(..).map(|r| (*file, r)));
            }
            out.extend(refs.into_iter().filter_map(|(file, r)| self.object_reference(m, file, r)));
        }
        out
    }

    fn object_reference(&self, m: usize, file: FileId, r: &Expr) -> Option<ObjectRef> {
        let ExprKind::Ref(path) = &r.kind else { return None };
        let head_len = match path.first()?.as_str() {
            "var" | "local" => 2,
            "module" => 3,
            _ => return None,
        };
        if path.len() <= head_len {
            return None;
        }
        let head = Expr::new(ExprKind::Ref(path[..head_len].to_vec()), r.span);
        let mut end = self.deref(At { module: m, file, expr: &head });
        if std::ptr::eq(end.expr, &raw const head) {
            return None;
        }
        let mut rest = &path[head_len..];
        while let (ExprKind::Object(items), Some((step, tail))) = (&end.expr.kind, rest.split_first()) {
            let key = step.strip_prefix("[\"").and_then(|k| k.strip_suffix("\"]")).unwrap_or(step);
            let item = items.iter().find(|i| i.key == key)?;
            end = self.deref(At { expr: &item.value, ..end });
            rest = tail;
        }
        let target = end.expr.as_ref_path()?;
        // Past a whole resource the rest is its attribute; past an attribute (`tags`) the value
        // is what the evaluator selects from, as before.
        match steps_past_object(target) {
            Some(0) => {}
            Some(_) if rest.is_empty() => {}
            _ => return None,
        }
        let mut full = target.to_vec();
        full.extend_from_slice(rest);
        Some(ObjectRef {
            key: (m, std::ptr::from_ref(r) as usize),
            module: end.module,
            file: end.file,
            expr: Expr::new(ExprKind::Ref(full), end.expr.span),
        })
    }

    /// Where a reference into a whole resource value leads ([`ObjectRef`]).
    fn object_ref(&self, m: usize, expr: &Expr) -> Option<At<'a>> {
        if self.object_refs.is_empty() {
            return None;
        }
        let r = expr.as_ref_expr()?;
        self.object_refs.get(&(m, std::ptr::from_ref(r) as usize)).copied()
    }

    #[must_use]
    pub fn find(&self, m: usize, kind: &str, t: &str, name: &str) -> Option<(FileId, &'a Block)> {
        self.modules[m]
            .blocks
            .iter()
            .find(|(_, b)| b.kind == kind && b.label(0) == t && b.label(1) == name)
            .copied()
    }

    /// The module's resources, without those its configuration certainly does not create
    /// (`count = 0`, often `var.enabled ? 1 : 0` with the variable false, or an empty `for_each`).
    pub fn resources(&self, m: usize) -> impl Iterator<Item = (FileId, &'a Block)> + '_ {
        self.modules[m]
            .blocks
            .iter()
            .filter(move |(_, b)| b.kind == "resource" && !self.none_created(m, b))
            .copied()
    }

    pub(super) fn none_created(&self, m: usize, b: &Block) -> bool {
        if let Some(count) = b.body.get("count") {
            return matches!(&self.eval_in(m, count, 0).kind, ValueKind::Number(n) if n.parse::<f64>() == Ok(0.0));
        }
        b.body
            .get("for_each")
            .and_then(|e| Self::iteration_items(&self.eval_in(m, e, 0)))
            .is_some_and(|items| items.is_empty())
    }

    fn variable(&self, m: usize, name: &str) -> Option<(FileId, &'a Block)> {
        self.modules[m].blocks.iter().find(|(_, b)| b.kind == "variable" && b.label(0) == name).copied()
    }

    fn local(&self, m: usize, name: &str) -> Option<(FileId, &'a Expr)> {
        self.locals[m].get(name).copied()
    }

    /// The local's name as the module spells it (borrowed for the world's lifetime), file and
    /// expression.
    fn local_entry(&self, m: usize, name: &str) -> Option<(&'a str, FileId, &'a Expr)> {
        self.locals[m].get_key_value(name).map(|(k, (f, e))| (*k, *f, *e))
    }

    fn child(&self, m: usize, name: &str) -> Option<usize> {
        let addr = format!("{}module.{name}.", self.modules[m].address);
        self.modules.iter().position(|x| x.address == addr)
    }

    /// True when the root names something declared (for SL002).
    #[must_use]
    pub fn declares(&self, m: usize, path: &[String]) -> bool {
        let seg = |i: usize| path.get(i).map_or("", String::as_str);
        let blocks = &self.modules[m].blocks;
        match seg(0) {
            "var" => self.variable(m, seg(1)).is_some(),
            "local" => self.local(m, seg(1)).is_some(),
            "module" => blocks.iter().any(|(_, b)| b.kind == "module" && b.label(0) == seg(1)),
            "data" => self.find(m, "data", seg(1), seg(2)).is_some(),
            "count" | "each" | "path" | "self" | "terraform" => true,
            t => self.find(m, "resource", t, seg(1)).is_some() || !t.contains('_'),
        }
    }

    /// Follows `local.x`, `var.x` and `module.m.out` to the expression that gives the value.
    /// A chain of locals is followed to its end (each local once: a cycle stops where it closes);
    /// variables, outputs and conditionals take at most `MAX_DEPTH` steps.
    #[must_use]
    pub fn deref<'e>(&'e self, at: At<'e>) -> At<'e> {
        let mut at = at;
        for _ in 0..MAX_DEPTH {
            // Through `cond ? a : b` whose condition is known, so that
            // `var.create_role ? aws_iam_role.this[0].arn : var.role_arn` names the role.
            if let ExprKind::Conditional(parts) = &at.expr.kind {
                match self.condition(at.module, &parts[0], 0) {
                    Some(branch) => {
                        at = At { expr: &parts[if branch { 1 } else { 2 }], ..at };
                        continue;
                    }
                    None => return at,
                }
            }
            return match self.step(at) {
                Some(next) => self.follow(next),
                None => at,
            };
        }
        at
    }

    /// One step of `deref` from a reference: the expression a local, variable or module output
    /// is given by.
    fn step(&self, at: At<'_>) -> Option<At<'a>> {
        if let Some(to) = self.object_ref(at.module, at.expr) {
            return Some(to);
        }
        let path = at.expr.as_ref_path()?;
        let seg = |i: usize| path.get(i).map_or("", String::as_str);
        match seg(0) {
            "local" if path.len() == 2 => {
                self.local(at.module, seg(1)).map(|(file, expr)| At { module: at.module, file, expr })
            }
            "var" if path.len() == 2 => self.var_expr(at.module, seg(1)),
            "module" if path.len() == 3 => self.child(at.module, seg(1)).and_then(|c| {
                self.modules[c]
                    .blocks
                    .iter()
                    .find(|(_, b)| b.kind == "output" && b.label(0) == seg(2))
                    .and_then(|(f, b)| b.body.get("value").map(|e| At { module: c, file: *f, expr: e }))
            }),
            _ => None,
        }
    }

    /// `deref` from an expression written in a module; where each local on the way ends is
    /// remembered (when no iteration variable is in scope), so every link of a chain is walked once.
    fn follow(&self, start: At<'a>) -> At<'a> {
        let remember = self.scope.borrow().is_empty();
        let mut at = start;
        let mut passed: Vec<(usize, &'a str)> = Vec::new();
        let mut seen: HashSet<(usize, &'a str)> = HashSet::new();
        let mut steps = 0;
        let mut capped = false;
        loop {
            if let ExprKind::Conditional(parts) = &at.expr.kind {
                steps += 1;
                match self.condition(at.module, &parts[0], 0) {
                    Some(branch) if steps <= MAX_DEPTH => {
                        at = At { expr: &parts[if branch { 1 } else { 2 }], ..at };
                        continue;
                    }
                    Some(_) => capped = true,
                    None => {}
                }
                break;
            }
            let Some(path) = at.expr.as_ref_path() else { break };
            if path.len() == 2 && path[0] == "local" {
                let Some((name, file, expr)) = self.local_entry(at.module, &path[1]) else { break };
                let key = (at.module, name);
                if remember && let Some(end) = self.local_ends.borrow().get(&key) {
                    at = *end;
                    break;
                }
                // A local defined in terms of itself: the chain ends where the cycle closes.
                if !seen.insert(key) {
                    break;
                }
                passed.push(key);
                at = At { module: at.module, file, expr };
                continue;
            }
            steps += 1;
            if steps > MAX_DEPTH {
                capped = true;
                break;
            }
            match self.step(at) {
                Some(next) => at = next,
                None => break,
            }
        }
        if remember && !capped {
            let mut ends = self.local_ends.borrow_mut();
            for key in passed {
                ends.insert(key, at);
            }
        }
        at
    }

    fn var_expr(&self, m: usize, name: &str) -> Option<At<'a>> {
        let module = &self.modules[m];
        if let Some((file, expr)) = module.tfvars.get(name) {
            return Some(At { module: m, file: *file, expr });
        }
        if let Some((pm, pf, call)) = module.parent
            && let Some(e) = call.body.get(name)
        {
            return Some(At { module: pm, file: pf, expr: e });
        }
        let (file, block) = self.variable(m, name)?;
        block.body.get("default").map(|expr| At { module: m, file, expr })
    }

    #[must_use]
    pub fn eval(&self, at: At<'_>) -> Value {
        self.eval_in(at.module, at.expr, 0)
    }

    /// Evaluates an expression in module `m` (its spans are the expression's own).
    #[must_use]
    pub fn eval_at(&self, m: usize, expr: &Expr) -> Value {
        self.eval_in(m, expr, 0)
    }

    /// The root module of module `m`'s call chain.
    fn root_of(&self, m: usize) -> usize {
        let mut root = m;
        // Bounded: a module cannot be its own ancestor, but a malformed chain must not hang.
        for _ in 0..self.modules.len() {
            match self.modules[root].parent {
                Some((parent, _, _)) => root = parent,
                None => break,
            }
        }
        root
    }

    /// The file a path written in module `m` names. Terraform runs in the root module's folder,
    /// and a relative path in any module (`filename = "lambda.zip"`, `source_dir = "src"`,
    /// `file("policy.json")`) is relative to that working directory, not to the module; only
    /// `${path.module}/…` names the module's own files, because `path.module` evaluates to the
    /// module's folder relative to the root
    /// (<https://developer.hashicorp.com/terraform/language/expressions/references#filesystem-and-workspace-info>).
    #[must_use]
    pub fn file_path(&self, m: usize, written: &str) -> std::path::PathBuf {
        crate::source::normalize_path(&self.modules[self.root_of(m)].dir.join(written))
    }

    pub(super) fn eval_in<'e>(&'e self, m: usize, expr: &'e Expr, depth: usize) -> Value {
        let span = expr.span;
        if depth > MAX_DEPTH {
            self.cut.set(true);
            return Value::new(ValueKind::Unknown("the expression nests too deeply".into()), span);
        }
        let kind = match &expr.kind {
            ExprKind::Null => ValueKind::Null,
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            ExprKind::Number(n) => ValueKind::Number(n.clone()),
            ExprKind::Str(s) => ValueKind::Str(SymStr::lit(s)),
            // A template that is one interpolation yields the value itself, not its string form
            // (aws-semantics §9.2): `"${jsonencode({…})}"`, `"${var.subnet_ids}"`.
            ExprKind::Template(parts) => {
                if let [Part::Interp(inner)] = parts.as_slice() {
                    let mut v = self.eval_in(m, inner, depth + 1);
                    v.span = span;
                    return v;
                }
                let mut out = SymStr::default();
                for p in parts {
                    match p {
                        Part::Lit(s) => out.push_str(s),
                        Part::Interp(e) => {
                            let v = self.eval_in(m, e, depth + 1);
                            match v.as_symstr() {
                                Some(s) => out.append(&s),
                                None => out.push_sym(&symbol_text(e), symbol_origin(e)),
                            }
                        }
                    }
                }
                ValueKind::Str(out)
            }
            ExprKind::Tuple(items) => {
                ValueKind::List(items.iter().map(|i| self.eval_in(m, i, depth + 1)).collect())
            }
            ExprKind::Object(items) => ValueKind::Map(
                items
                    .iter()
                    .map(|i| ValueEntry {
                        key: i.key.clone(),
                        key_span: i.key_span,
                        value: self.eval_in(m, &i.value, depth + 1),
                    })
                    .collect(),
            ),
            ExprKind::Ref(path) => return self.eval_ref(m, expr, path, depth),
            // The argument is what a policy or environment needs: its JSON text is the same data.
            ExprKind::Call(name, args) if name == "jsonencode" && args.len() == 1 => {
                let mut v = self.eval_in(m, &args[0], depth + 1);
                v.span = span;
                return v;
            }
            ExprKind::Call(name, args) if (name == "lower" || name == "upper") && args.len() == 1 => {
                let v = self.eval_in(m, &args[0], depth + 1);
                match v.as_symstr() {
                    Some(s) if name == "lower" => ValueKind::Str(s.map_literals(str::to_lowercase)),
                    Some(s) => ValueKind::Str(s.map_literals(str::to_uppercase)),
                    None => ValueKind::Unknown(format!("{name}(…) of a value that is not a string")),
                }
            }
            ExprKind::Call(name, args) => match self.eval_call(m, name, args, depth) {
                Some(kind) => kind,
                None => ValueKind::Unknown(format!("the result of {name}(…) is not evaluated")),
            },
            ExprKind::For(f) => self.eval_for(m, f, span, depth),
            ExprKind::Conditional(parts) => match self.condition(m, &parts[0], depth) {
                Some(branch) => {
                    let mut v = self.eval_in(m, &parts[if branch { 1 } else { 2 }], depth + 1);
                    v.span = span;
                    return v;
                }
                None => ValueKind::Unknown(format!(
                    "a conditional expression on {} is not evaluated",
                    describe(&parts[0])
                )),
            },
            ExprKind::Op { op, args } => self
                .eval_op(m, op, args, depth)
                .unwrap_or_else(|| ValueKind::Unknown(format!("the operator {op} is not evaluated"))),
            ExprKind::Opaque { what, .. } => ValueKind::Unknown(format!("{what} is not evaluated")),
            ExprKind::Computed(what) => ValueKind::Str(SymStr::sym(
                what,
                SymbolOrigin::Terraform(TerraformRef::Attribute { resource: None }),
            )),
        };
        // Locals that each double a string (or a list, through concat) are bounded here.
        Value::new(kind, span).bounded()
    }

    fn eval_ref<'e>(&'e self, m: usize, expr: &'e Expr, path: &[String], depth: usize) -> Value {
        let span = expr.span;
        if let Some(v) = self.scoped(path, span) {
            return v;
        }
        // `var.config.endpoint_name`, `local.names[0]`, `module.m.out.key`: the named value, then
        // the attribute or element in it.
        let head_len = match path.first().map(String::as_str) {
            Some("var" | "local") => 2,
            Some("module") => 3,
            _ => usize::MAX,
        };
        if path.len() > head_len
            && let Some(to) = self.object_ref(m, expr)
        {
            let mut v = self.eval_in(to.module, to.expr, depth + 1);
            v.span = span;
            return v;
        }
        if path.len() > head_len {
            let head = Expr::new(ExprKind::Ref(path[..head_len].to_vec()), span);
            let whole = self.eval_in(m, &head, depth + 1);
            return match select_path(&whole, &path[head_len..]) {
                Selected::Found(mut v) => {
                    v.span = span;
                    v
                }
                Selected::Missing => Value::new(
                    ValueKind::Failed(format!(
                        "{} {NO_SUCH_ELEMENT} {}",
                        path[..head_len].join("."),
                        path[head_len..].join(".")
                    )),
                    span,
                ),
                Selected::NotKnown => {
                    let prefix = &self.modules[m].address;
                    let id = format!("{prefix}{}", path.join("."));
                    Value::new(ValueKind::Str(SymStr::sym(&id, reference_origin(prefix, path))), span)
                }
            };
        }
        // Instances of a counted resource are configured alike: `aws_x.y[0].arn` and
        // `aws_x.y[*].arn` mean what `aws_x.y.arn` means (as one value or a one-item list).
        let is_resource = path.first().is_some_and(|p| p.starts_with("aws_"))
            || (path.first().is_some_and(|p| p == "data")
                && path.get(1).is_some_and(|p| p.starts_with("aws_")));
        if is_resource && path.iter().any(|p| p == "*" || p.starts_with('[')) {
            let splat = path.iter().any(|p| p == "*");
            let plain: Vec<String> =
                path.iter().filter(|p| *p != "*" && !p.starts_with('[')).cloned().collect();
            let v = self.eval_ref(m, expr, &plain, depth + 1);
            return if splat { Value::new(ValueKind::List(vec![v]), span) } else { v };
        }
        let seg = |i: usize| path.get(i).map_or("", String::as_str);
        let prefix = &self.modules[m].address;
        let sym = |s: &str| Value::new(ValueKind::Str(SymStr::sym(s, reference_origin(prefix, path))), span);
        let dep = self.deployment;
        match (seg(0), seg(1)) {
            ("local", name) if path.len() == 2 && self.scope.borrow().is_empty() => {
                match self.local_entry(m, name) {
                    Some((name, _, _)) => {
                        let mut v = self.local_value(m, name, depth);
                        v.span = span;
                        v
                    }
                    None => sym(&format!("{prefix}{}", path.join("."))),
                }
            }
            ("var" | "local" | "module", _) => {
                if seg(0) == "var"
                    && self.modules[m].parent.is_none()
                    && let Some(p) = self.params.get(seg(1))
                {
                    return Value::new(ValueKind::Str(SymStr::lit(p)), span);
                }
                let at = self.deref(At { module: m, file: FileId(0), expr });
                if std::ptr::eq(at.expr, expr) {
                    // `provider "aws" { region = var.region }` with no value given: whatever the
                    // variable is, it is the region the deployment runs in.
                    if seg(0) == "var" && path.len() == 2 && self.is_provider_region_var(m, seg(1)) {
                        return Value::new(ValueKind::Str(dep.region()), span);
                    }
                    return sym(&format!("{prefix}{}", path.join(".")));
                }
                let mut v = self.eval_in(at.module, at.expr, depth + 1);
                // The value is shown where this module uses it, not in another file.
                v.span = span;
                v
            }
            // Paths are relative to the folder Terraform runs in, the root module's
            // (`World::file_path`): `path.module` is the module's folder from there (`.` in the
            // root, `modules/fn` in a child), and `path.root` and `path.cwd` are that folder
            // (<https://developer.hashicorp.com/terraform/language/expressions/references#filesystem-and-workspace-info>).
            ("path", "module") => {
                let module = relative_dir(&self.modules[self.root_of(m)].dir, &self.modules[m].dir);
                Value::new(ValueKind::Str(SymStr::lit(&module)), span)
            }
            ("path", "root" | "cwd") => Value::new(ValueKind::Str(SymStr::lit(".")), span),
            ("data", "aws_partition") if seg(3) == "partition" => {
                Value::new(ValueKind::Str(dep.partition()), span)
            }
            // The data source reads its provider's region, unless it asks for a named one.
            ("data", "aws_region") if matches!(seg(3), "name" | "region" | "id") => {
                let region = match self.find(m, "data", "aws_region", seg(2)) {
                    Some((_, b)) => match b.body.get("name").or_else(|| b.body.get("region")) {
                        Some(r) => {
                            self.eval_in(m, r, depth + 1).as_symstr().unwrap_or_else(|| self.region_of(m, b))
                        }
                        None => self.region_of(m, b),
                    },
                    None => self.region(m),
                };
                Value::new(ValueKind::Str(region), span)
            }
            ("data", "aws_caller_identity") if seg(3) == "account_id" => {
                Value::new(ValueKind::Str(dep.account()), span)
            }
            ("aws_sagemaker_endpoint", name) if matches!(seg(2), "name" | "id" | "arn") => {
                let ep_name = match self.find(m, "resource", "aws_sagemaker_endpoint", name) {
                    Some((_, b)) => match b.body.get("name") {
                        Some(n) => self.eval_in(m, n, depth + 1).as_symstr(),
                        None => None,
                    },
                    None => None,
                };
                let ep_name = ep_name.unwrap_or_else(|| {
                    SymStr::sym(
                        &format!("{prefix}aws_sagemaker_endpoint.{name}.EndpointName"),
                        SymbolOrigin::Terraform(TerraformRef::Attribute {
                            resource: Some(format!("{prefix}aws_sagemaker_endpoint.{name}")),
                        }),
                    )
                });
                if seg(2) == "arn" {
                    let region = self
                        .find(m, "resource", "aws_sagemaker_endpoint", name)
                        .map_or_else(|| self.region(m), |(_, b)| self.region_of(m, b));
                    let arn = crate::iam::arn::sagemaker_endpoint_arn(
                        &dep.partition(),
                        &region,
                        &dep.account(),
                        &ep_name,
                    );
                    return Value::new(ValueKind::Str(arn), span);
                }
                Value::new(ValueKind::Str(ep_name), span)
            }
            // `id` is the name only for these types (the provider's import id).
            (t @ ("aws_iam_role" | "aws_lambda_function"), name) if seg(2) == "id" && path.len() == 3 => {
                let attr = if t == "aws_lambda_function" { "function_name" } else { "name" };
                self.set_attribute(m, "resource", t, name, attr, depth)
                    .map_or_else(|| sym(&format!("{prefix}{}", path.join("."))), |v| Value { span, ..v })
            }
            // An attribute written in the block is its value (`aws_iam_role.r.name`,
            // `data.aws_iam_policy.p.arn`); computed ones stay symbols.
            ("data", t) if path.len() == 4 => self
                .set_attribute(m, "data", t, seg(2), seg(3), depth)
                .map_or_else(|| sym(&format!("{prefix}{}", path.join("."))), |v| Value { span, ..v }),
            (t, name) if path.len() == 3 => self
                .set_attribute(m, "resource", t, name, seg(2), depth)
                .map_or_else(|| sym(&format!("{prefix}{}", path.join("."))), |v| Value { span, ..v }),
            _ => sym(&format!("{prefix}{}", path.join("."))),
        }
    }

    /// The value of the module's local `name`, with no iteration variable in scope (a local cannot
    /// see one). Evaluated once per module instance: the locals it refers to first, by an explicit
    /// worklist, so that a chain `l1 = local.l0`, `l2 = local.l1`, … costs one evaluation per link
    /// and no recursion down the chain. A local that refers back to itself, directly or through
    /// others, is a cycle (Terraform rejects it): unknown.
    fn local_value(&self, m: usize, name: &'a str, depth: usize) -> Value {
        let key = (m, name);
        if let Some(v) = self.local_values.borrow().get(&key) {
            return v.clone();
        }
        let Some((_, _, expr)) = self.local_entry(m, name) else {
            return Value::new(ValueKind::Unknown(format!("local.{name} is not declared")), Span::default());
        };
        if self.evaluating.borrow().contains(&key) {
            return Value::new(
                ValueKind::Unknown(format!("local.{name} is defined in terms of itself")),
                expr.span,
            );
        }
        // The locals still to evaluate, depth first, each with the locals it refers to and how
        // many of those have been looked at. Every local on it is in `evaluating`.
        let mut work = vec![Pending { key, expr, refs: self.local_refs(m, expr), next: 0 }];
        self.evaluating.borrow_mut().insert(key);
        let mut result = None;
        while let Some(top) = work.last_mut() {
            if let Some(&r) = top.refs.get(top.next) {
                top.next += 1;
                let rk = (m, r);
                if self.local_values.borrow().contains_key(&rk) || self.evaluating.borrow().contains(&rk) {
                    continue;
                }
                let Some((_, _, e)) = self.local_entry(m, r) else { continue };
                self.evaluating.borrow_mut().insert(rk);
                work.push(Pending { key: rk, expr: e, refs: self.local_refs(m, e), next: 0 });
                continue;
            }
            let Some(done) = work.pop() else { break };
            let was_cut = self.cut.replace(false);
            let v = self.eval_in(m, done.expr, depth + 1);
            let cut = self.cut.get();
            self.cut.set(was_cut || cut);
            self.evaluating.borrow_mut().remove(&done.key);
            if done.key == key {
                result = Some(v.clone());
            }
            if !cut {
                self.local_values.borrow_mut().insert(done.key, v);
            }
        }
        // The requested local is the first in and the last out.
        result
            .unwrap_or_else(|| Value::new(ValueKind::Unknown("the local is not evaluated".into()), expr.span))
    }

    /// The locals of module `m` an expression refers to.
    fn local_refs(&self, m: usize, expr: &'a Expr) -> Vec<&'a str> {
        let mut refs = Vec::new();
        expr.refs(&mut refs);
        refs.iter()
            .filter_map(|r| match r.as_ref_path() {
                Some([head, name, ..]) if head == "local" => self.local_entry(m, name).map(|(k, _, _)| k),
                _ => None,
            })
            .collect()
    }

    /// The value of a condition, when it is a known boolean.
    fn condition(&self, m: usize, cond: &Expr, depth: usize) -> Option<bool> {
        match self.eval_in(m, cond, depth + 1).kind {
            ValueKind::Bool(b) => Some(b),
            // Terraform converts the strings "true" and "false" (a tfvars or --param value).
            ValueKind::Str(s) => match s.as_literal() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// `==`, `!=` on known values, and `&&`, `||`, `!` on known booleans. Comparing a value
    /// that is not known (a symbol) gives no result, not `false`.
    fn eval_op(&self, m: usize, op: &str, args: &[Expr], depth: usize) -> Option<ValueKind> {
        // Values of different types are never equal in Terraform (`"1" == 1` is false).
        let known = |e: &Expr| -> Option<Known> {
            match self.eval_in(m, e, depth + 1).kind {
                ValueKind::Null => Some(Known::Null),
                ValueKind::Bool(b) => Some(Known::Bool(b)),
                ValueKind::Number(n) => n.parse().ok().map(Known::Number),
                ValueKind::Str(s) => s.as_literal().map(|l| Known::Str(l.to_owned())),
                _ => None,
            }
        };
        match (op, args) {
            ("!", [a]) => self.condition(m, a, depth).map(|b| ValueKind::Bool(!b)),
            ("==" | "!=", [a, b]) => {
                let same = known(a)? == known(b)?;
                Some(ValueKind::Bool(same == (op == "==")))
            }
            ("&&", [a, b]) => {
                let (a, b) = (self.condition(m, a, depth), self.condition(m, b, depth));
                match (a, b) {
                    (Some(false), _) | (_, Some(false)) => Some(ValueKind::Bool(false)),
                    (Some(true), Some(true)) => Some(ValueKind::Bool(true)),
                    _ => None,
                }
            }
            ("||", [a, b]) => {
                let (a, b) = (self.condition(m, a, depth), self.condition(m, b, depth));
                match (a, b) {
                    (Some(true), _) | (_, Some(true)) => Some(ValueKind::Bool(true)),
                    (Some(false), Some(false)) => Some(ValueKind::Bool(false)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A reference to an iteration variable in scope (`statement.value`, `each.key`, `ep`).
    fn scoped(&self, path: &[String], span: crate::span::Span) -> Option<Value> {
        let first = path.first()?;
        let whole = self.scope.borrow().iter().rev().find(|(n, _)| n == first).map(|(_, v)| v.clone())?;
        let v = match select_path(&whole, &path[1..]) {
            Selected::Found(v) => v,
            Selected::Missing => Value::new(
                ValueKind::Failed(format!("{first} {NO_SUCH_ELEMENT} {}", path[1..].join("."))),
                span,
            ),
            Selected::NotKnown => {
                Value::new(ValueKind::Unknown(format!("{} is not known statically", path.join("."))), span)
            }
        };
        Some(Value { span, ..v })
    }

    /// Runs `f` with the iteration variables `bindings` in scope.
    pub fn with_scope<T>(&self, bindings: Vec<(String, Value)>, f: impl FnOnce() -> T) -> T {
        let n = bindings.len();
        self.scope.borrow_mut().extend(bindings);
        let out = f();
        let mut scope = self.scope.borrow_mut();
        let keep = scope.len().saturating_sub(n);
        scope.truncate(keep);
        out
    }

    /// The items of a collection a `for`/`for_each` iterates: (key, value) pairs, list indexes as
    /// numbers; `None` when the collection is not known.
    #[must_use]
    pub fn iteration_items(collection: &Value) -> Option<Vec<(Value, Value)>> {
        match &collection.kind {
            ValueKind::List(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Value::new(ValueKind::Number(i.to_string()), v.span), v.clone()))
                    .collect(),
            ),
            ValueKind::Map(entries) => Some(
                entries
                    .iter()
                    .map(|e| (Value::new(ValueKind::Str(SymStr::lit(&e.key)), e.key_span), e.value.clone()))
                    .collect(),
            ),
            ValueKind::Null => Some(Vec::new()),
            _ => None,
        }
    }

    /// `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value}` over a known
    /// collection (Terraform's `for` expressions).
    fn eval_for(&self, m: usize, fx: &ForExpr, span: crate::span::Span, depth: usize) -> ValueKind {
        let collection = self.eval_in(m, &fx.collection, depth + 1);
        let Some(items) = Self::iteration_items(&collection) else {
            return ValueKind::Unknown(format!(
                "a for expression over {}, which is not known statically",
                describe(&fx.collection)
            ));
        };
        let mut list = Vec::new();
        let mut map: Vec<ValueEntry> = Vec::new();
        // Key → index in `map`: a map of many keys is built in linear time.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut size = 0usize;
        for (key, value) in items {
            if self.for_steps.get() >= MAX_FOR_STEPS {
                return ValueKind::Unknown(format!(
                    "for expressions past {MAX_FOR_STEPS} iterations are not evaluated"
                ));
            }
            self.for_steps.set(self.for_steps.get() + 1);
            if size > crate::value::MAX_VALUE_BYTES {
                return ValueKind::Unknown(crate::value::TOO_LARGE.into());
            }
            let mut bindings = vec![(fx.value_var.clone(), value)];
            if let Some(k) = &fx.key_var {
                bindings.insert(0, (k.clone(), key));
            }
            let step = self.with_scope(bindings, || -> Result<Option<(Option<Value>, Value)>, String> {
                if let Some(c) = &fx.cond {
                    match self.eval_in(m, c, depth + 1).kind {
                        ValueKind::Bool(true) => {}
                        ValueKind::Bool(false) => return Ok(None),
                        _ => return Err("the for expression's condition is not known statically".into()),
                    }
                }
                let key = fx.key.as_ref().map(|k| self.eval_in(m, k, depth + 1));
                Ok(Some((key, self.eval_in(m, &fx.value, depth + 1))))
            });
            if let Ok(Some((_, item))) = &step {
                if item.is_too_large() {
                    return ValueKind::Unknown(crate::value::TOO_LARGE.into());
                }
                size += item.size_at_least(crate::value::MAX_VALUE_BYTES + 1);
            }
            match step {
                Err(why) => return ValueKind::Unknown(why),
                Ok(None) => {}
                Ok(Some((None, item))) => list.push(item),
                Ok(Some((Some(key_value), item))) => {
                    let Some(key) = key_value.as_literal() else {
                        return ValueKind::Unknown(
                            "a key of the for expression is not known statically".into(),
                        );
                    };
                    match index.get(&key).map(|&i| &mut map[i]) {
                        Some(entry) if fx.grouping => {
                            if let ValueKind::List(items) = &mut entry.value.kind {
                                items.push(item);
                            }
                        }
                        // Terraform rejects duplicate keys without `...`.
                        Some(_) => {
                            return ValueKind::Unknown(format!("the for expression repeats the key {key}"));
                        }
                        None => {
                            let value = if fx.grouping {
                                Value::new(ValueKind::List(vec![item]), span)
                            } else {
                                item
                            };
                            index.insert(key.clone(), map.len());
                            map.push(ValueEntry { key, key_span: key_value.span, value });
                        }
                    }
                }
            }
        }
        if fx.key.is_some() { ValueKind::Map(map) } else { ValueKind::List(list) }
    }

    fn set_attribute(
        &self,
        m: usize,
        kind: &str,
        t: &str,
        name: &str,
        attr: &str,
        depth: usize,
    ) -> Option<Value> {
        let (_, b) = self.find(m, kind, t, name)?;
        let e = b.body.get(attr)?;
        // A plan's computed leaf is not a written value.
        if matches!(e.kind, ExprKind::Computed(_)) {
            return None;
        }
        Some(self.eval_in(m, e, depth + 1))
    }

    /// The region of the deployment: `--region`, else the AWS provider's literal `region`, else a
    /// symbol equal to CloudFormation's so both paths compare the same way.
    #[must_use]
    pub fn region(&self, m: usize) -> SymStr {
        self.provider_region(m, None)
    }

    /// The region of the resource or data block `b`: its `provider = aws.<alias>`, else the
    /// default AWS provider.
    #[must_use]
    pub fn region_of(&self, m: usize, b: &Block) -> SymStr {
        let alias = b.body.get("provider").and_then(Expr::as_ref_path).and_then(|p| p.get(1)).cloned();
        self.provider_region(m, alias.as_deref())
    }

    /// True when the module's default `aws` provider takes its region from `var.<name>`.
    fn is_provider_region_var(&self, m: usize, name: &str) -> bool {
        self.modules[m].blocks.iter().any(|(_, b)| {
            b.kind == "provider"
                && b.label(0) == "aws"
                && b.body.get("alias").is_none()
                && b.body
                    .get("region")
                    .and_then(Expr::as_ref_path)
                    .is_some_and(|p| p.len() == 2 && p[0] == "var" && p[1] == name)
        })
    }

    fn provider_region(&self, m: usize, alias: Option<&str>) -> SymStr {
        if self.deployment.region.is_some() {
            return self.deployment.region();
        }
        let provider = self.modules[m].blocks.iter().find(|(_, b)| {
            let own_alias = b.body.get("alias").and_then(|a| self.eval_in(m, a, 1).as_literal());
            b.kind == "provider" && b.label(0) == "aws" && own_alias.as_deref() == alias
        });
        if let Some((_, b)) = provider {
            return match b.body.get("region").and_then(|r| self.eval_in(m, r, 1).as_literal()) {
                Some(lit) => SymStr::lit(&lit),
                None => self.deployment.region(),
            };
        }
        // A child module uses the provider its caller passes in `providers = { aws = aws.x }`,
        // else the caller's default one.
        if let Some((parent, _, call)) = self.modules[m].parent {
            let key = alias.map_or_else(|| "aws".to_owned(), |a| format!("aws.{a}"));
            let passed = call.body.get("providers").and_then(|p| match &p.kind {
                ExprKind::Object(items) => items.iter().find(|i| i.key == key).map(|i| &i.value),
                _ => None,
            });
            return match passed.and_then(Expr::as_ref_path) {
                Some([_, parent_alias]) => self.provider_region(parent, Some(parent_alias)),
                Some(_) => self.provider_region(parent, None),
                None => self.provider_region(parent, alias),
            };
        }
        self.deployment.region()
    }
}

/// The text of an unevaluated interpolation, as its symbol: calls keep their arguments, so that
/// `lookup(var.a, "k")` and `lookup(var.b, "k")` stay two different values (an elided `lookup(…)`
/// would make them compare equal and could hide a mismatch).
fn symbol_text(e: &Expr) -> String {
    const MAX_ARGS_TEXT: usize = 120;
    match &e.kind {
        ExprKind::Call(n, args) => {
            let args: Vec<String> = args.iter().map(symbol_text).collect();
            let joined = args.join(", ");
            if joined.len() > MAX_ARGS_TEXT {
                // Long argument lists are kept apart by where they are written.
                format!("{n}(…)@{}", e.span.start)
            } else {
                format!("{n}({joined})")
            }
        }
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Number(n) => n.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Ref(_) => describe(e),
        _ => format!("{}@{}", describe(e), e.span.start),
    }
}

/// What an unevaluated interpolation stands for: the reference it is, else an expression.
fn symbol_origin(e: &Expr) -> SymbolOrigin {
    match &e.kind {
        // The symbol's id is the reference as written (no module prefix), and so is its address.
        ExprKind::Ref(path) => reference_origin("", path),
        ExprKind::Computed(_) => SymbolOrigin::Terraform(TerraformRef::Attribute { resource: None }),
        _ => SymbolOrigin::Terraform(TerraformRef::Expression),
    }
}

/// What a reference whose value is not known names, by its first segments
/// (<https://developer.hashicorp.com/terraform/language/expressions/references>).
/// `prefix` is the module address the symbol's id starts with.
fn reference_origin(prefix: &str, path: &[String]) -> SymbolOrigin {
    SymbolOrigin::Terraform(match path.first().map(String::as_str) {
        Some("var") => TerraformRef::Variable,
        Some("local") => TerraformRef::Local,
        Some("module") => TerraformRef::ModuleOutput,
        // Instance keys, the resource itself and workspace facts are not values of an address.
        Some("count" | "each" | "self" | "path" | "terraform") | None => TerraformRef::Expression,
        // `data.<type>.<name>.<attr>` and `<type>.<name>.<attr>`.
        Some(head) => {
            let len = if head == "data" { 3 } else { 2 };
            let resource = (path.len() >= len).then(|| format!("{prefix}{}", path[..len].join(".")));
            TerraformRef::Attribute { resource }
        }
    })
}

/// A short text for an expression in symbols and messages.
#[must_use]
pub fn describe(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Ref(p) => p.join("."),
        ExprKind::Call(n, _) => format!("{n}(…)"),
        ExprKind::Opaque { what, .. } => what.clone(),
        ExprKind::Computed(w) => w.clone(),
        ExprKind::For(_) => "a for expression".into(),
        ExprKind::Conditional(_) => "a conditional expression".into(),
        ExprKind::Op { op, .. } => format!("an expression with {op}"),
        _ => "a value".into(),
    }
}

/// A known scalar, for `==` and `!=`.
#[derive(PartialEq)]
enum Known {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
}

/// One block of a body after `dynamic` blocks are expanded.
pub enum Expanded<'b> {
    /// A written block, or one instance of a `dynamic` block with its iterator to put in scope.
    Block { bindings: Vec<(String, Value)>, body: &'b Body, head: crate::span::Span },
    /// A `dynamic` block whose `for_each` is not known statically: how many blocks it makes,
    /// and with what content, cannot be told.
    Unknown { why: String, span: crate::span::Span },
}

impl World<'_> {
    /// The `kind` blocks of `body` in order, with each `dynamic "kind"` block expanded over its
    /// `for_each` (the iterator, named by the block label or `iterator`, has `key` and `value`).
    /// https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
    pub fn expand_blocks<'b>(&self, m: usize, body: &'b Body, kind: &str) -> Vec<Expanded<'b>> {
        let mut out = Vec::new();
        for b in &body.blocks {
            if b.kind == kind {
                out.push(Expanded::Block { bindings: Vec::new(), body: &b.body, head: b.head });
                continue;
            }
            if b.kind != "dynamic" || b.label(0) != kind {
                continue;
            }
            let Some(content) = b.body.blocks_of("content").next() else { continue };
            let iterator = b
                .body
                .get("iterator")
                .and_then(|i| i.as_ref_path().and_then(|p| p.first().cloned()))
                .unwrap_or_else(|| kind.to_owned());
            let items =
                b.body.get("for_each").map(|e| self.eval_in(m, e, 0)).and_then(|v| Self::iteration_items(&v));
            let Some(items) = items else {
                let what = b.body.get("for_each").map_or_else(|| "nothing".to_owned(), describe);
                out.push(Expanded::Unknown {
                    why: format!("dynamic \"{kind}\" iterates over {what}, which is not known statically"),
                    span: b.head,
                });
                continue;
            };
            for (key, value) in items {
                let span = value.span;
                let object = ValueKind::Map(vec![
                    ValueEntry { key: "key".into(), key_span: span, value: key },
                    ValueEntry { key: "value".into(), key_span: span, value },
                ]);
                out.push(Expanded::Block {
                    bindings: vec![(iterator.clone(), Value::new(object, span))],
                    body: &content.body,
                    head: b.head,
                });
            }
        }
        out
    }
}

/// What a path of attributes and indexes selects in a value.
pub enum Selected {
    Found(Value),
    /// The value is a known object or list without that attribute or element.
    Missing,
    /// The value (or a part on the way) is not known statically.
    NotKnown,
}

/// How many attribute steps a reference takes past the resource or data source it names
/// (`aws_lambda_function.f` and `aws_lambda_function.f[0]` none, `data.aws_iam_role.r.arn` one);
/// `None` for a variable, local, module output or built-in value.
fn steps_past_object(path: &[String]) -> Option<usize> {
    let steps = path.iter().filter(|p| !p.starts_with('[') && *p != "*").count();
    let address = match path.first().map(String::as_str) {
        Some("data") => 3,
        Some("var" | "local" | "module" | "path" | "count" | "each" | "self" | "terraform") | None => {
            return None;
        }
        Some(_) => 2,
    };
    steps.checked_sub(address)
}

/// Follows `.attr`, `[0]` and `["key"]` steps into a value.
#[must_use]
pub fn select_path(v: &Value, path: &[String]) -> Selected {
    let Some((step, rest)) = path.split_first() else { return Selected::Found(v.clone()) };
    let index = step.strip_prefix('[').and_then(|s| s.strip_suffix(']'));
    let next = match (&v.kind, index) {
        (_, Some("?")) => return Selected::NotKnown,
        (ValueKind::Map(_), None) => v.get(step),
        (ValueKind::Map(_), Some(key)) => v.get(key),
        (ValueKind::List(items), Some(i)) => match i.parse::<usize>() {
            Ok(i) => items.get(i),
            Err(_) => return Selected::NotKnown,
        },
        (ValueKind::List(_), None) => None,
        _ => return Selected::NotKnown,
    };
    match next {
        Some(n) => select_path(n, rest),
        None => Selected::Missing,
    }
}

/// `to` as a path relative to `from`, both folders as the run names them: `..` for each folder of
/// `from` below their common part. When `from` climbs out with `..` of its own, the way back
/// cannot be told from the names, and both are resolved on disk.
fn relative_dir(from: &std::path::Path, to: &std::path::Path) -> String {
    use std::path::{Component, PathBuf};
    let lexical = |from: &std::path::Path, to: &std::path::Path| -> Option<PathBuf> {
        let (f, t): (Vec<Component<'_>>, Vec<Component<'_>>) = (
            from.components().filter(|c| *c != Component::CurDir).collect(),
            to.components().filter(|c| *c != Component::CurDir).collect(),
        );
        let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
        let mut out = PathBuf::new();
        for c in &f[common..] {
            match c {
                Component::Normal(_) => out.push(".."),
                _ => return None,
            }
        }
        t[common..].iter().for_each(|c| out.push(c.as_os_str()));
        Some(out)
    };
    let relative = lexical(from, to).or_else(|| {
        let (from, to) = (std::fs::canonicalize(from).ok()?, std::fs::canonicalize(to).ok()?);
        lexical(&from, &to)
    });
    match relative {
        Some(p) if p.as_os_str().is_empty() => ".".to_owned(),
        Some(p) => p.to_string_lossy().replace('\\', "/"),
        None => ".".to_owned(),
    }
}

#[cfg(test)]
mod path_root_tests {
    use super::relative_dir;
    use std::path::Path;

    #[test]
    fn the_root_folder_is_found_from_a_child_module_folder() {
        assert_eq!(relative_dir(Path::new("infra/modules/fn"), Path::new("infra")), "../..");
        assert_eq!(relative_dir(Path::new("./infra/modules/fn"), Path::new("infra")), "../..");
        assert_eq!(relative_dir(Path::new("infra"), Path::new("infra")), ".");
        assert_eq!(relative_dir(Path::new("infra/modules/fn"), Path::new("infra/env")), "../../env");
    }
}
