//! Python handlers: the lexer, the module structure from indentation, and the boto3 and
//! SageMaker SDK calls that invoke an endpoint.

mod imports;
mod indirect;
pub(in crate::code) mod links;

use std::collections::{HashMap, HashSet};

use std::path::{Path, PathBuf};

use super::analyzer::{
    ATTR, Analyzer, Arg, AssignVal, BUDGET, Binding, FnSig, Found, Kind, Lit, MAX_ASSIGNS, MODULE, NONE,
    Scope, Tok, decode_escape, finish_lit, is_augmented, is_ident_char, is_ident_start, punct_len,
    same_value,
};
use super::layers::{Packages, package_files};
use super::locate::CodeFiles;
use super::{EndpointName, HandlerLanguage, HandlerScan, InvokeCall, Language};
use crate::model::InvokeApi;
use crate::source::SourceMap;
use crate::span::{FileId, Span};

/// Python, as the Lambda Python runtimes run it.
pub(in crate::code) struct Python;

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
        let mut an = Analyzer::new(Language::Python, text, lex_python(text));
        an.py_structure();
        an.py_assignments();
        an.py_env_reads();
        let constants = an.py_constants();
        let (calls, explicit_endpoint_url) = an.py_calls();
        an.finish(calls, explicit_endpoint_url, constants)
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

    fn layer_files(&self, layer: &Path, package: &str) -> Vec<PathBuf> {
        let base = layer.join("python");
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
        if code.is_dir() {
            links::link_imported_names(scans, code, sources, files);
        }
    }

    fn sdk_name(&self, api: InvokeApi) -> &'static str {
        match api {
            InvokeApi::InvokeEndpoint => "invoke_endpoint",
            InvokeApi::InvokeEndpointAsync => "invoke_endpoint_async",
            InvokeApi::InvokeEndpointWithResponseStream => "invoke_endpoint_with_response_stream",
        }
    }
}

/// Lexes Python into tokens with logical-line starts and indentation.
pub(in crate::code) fn lex_python(text: &str) -> Vec<Tok> {
    let src = text.as_bytes();
    let len = src.len();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut depth = 0u32;
    let mut logical_start = true;
    let mut phys_start = true;
    let mut phys_indent = 0u32;
    let mut cur_indent = 0u32;
    while i < len {
        if phys_start {
            phys_start = false;
            let mut col = 0u32;
            while i < len && matches!(src[i], b' ' | b'\t' | b'\x0c') {
                col = if src[i] == b'\t' {
                    (col / 8).saturating_add(1).saturating_mul(8)
                } else {
                    col.saturating_add(1)
                };
                i += 1;
            }
            phys_indent = col;
            continue;
        }
        let c = src[i];
        let start = i;
        let mut lit = None;
        let kind;
        match c {
            b'\n' => {
                i += 1;
                phys_start = true;
                // Inside brackets a newline does not end the logical line.
                if depth == 0 {
                    logical_start = true;
                }
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'\\' if matches!(src.get(i + 1), Some(b'\n' | b'\r')) => {
                // Explicit line continuation: skip the newline without starting a logical line.
                i += 1;
                if src.get(i) == Some(&b'\r') {
                    i += 1;
                }
                if src.get(i) == Some(&b'\n') {
                    i += 1;
                }
                continue;
            }
            b'#' => {
                while i < len && src[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let (end, l) = lex_py_string(src, i, false, false);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            c if is_ident_start(c, false) => {
                let mut j = i + 1;
                while j < len && is_ident_char(src[j], false) {
                    j += 1;
                }
                let word = &src[i..j];
                if j < len
                    && matches!(src[j], b'"' | b'\'')
                    && word.len() <= 2
                    && word.iter().all(|x| b"rRbBuUfFtT".contains(x))
                {
                    let raw = word.iter().any(|x| x.eq_ignore_ascii_case(&b'r'));
                    let fmt = word.iter().any(|x| matches!(x, b'f' | b'F' | b't' | b'T'));
                    let (end, l) = lex_py_string(src, j, raw, fmt);
                    i = end;
                    kind = Kind::Str;
                    lit = Some(Box::new(l));
                } else {
                    i = j;
                    kind = Kind::Ident;
                }
            }
            c if c.is_ascii_digit() || (c == b'.' && src.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < len && (src[i].is_ascii_alphanumeric() || src[i] == b'_' || src[i] == b'.') {
                    i += 1;
                }
                kind = Kind::Opaque;
            }
            _ => {
                i += punct_len(src, i);
                kind = Kind::Punct;
                match c {
                    b'(' | b'[' | b'{' => depth = depth.saturating_add(1),
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        if logical_start {
            cur_indent = phys_indent;
        }
        toks.push(Tok { kind, start, end: i, bol: logical_start, indent: cur_indent, lit });
        logical_start = false;
    }
    toks
}

/// Lexes a Python string whose opening quote is at `q`; returns the end and the decoded literal.
/// Unterminated single-quoted strings stop at the end of the line, triple-quoted ones at the end of file.
pub(in crate::code) fn lex_py_string(b: &[u8], q: usize, raw: bool, fmt: bool) -> (usize, Lit) {
    let len = b.len();
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = q + if triple { 3 } else { 1 };
    let mut value = Vec::new();
    let mut has_subs = false;
    loop {
        let Some(&c) = b.get(i) else { return (len, finish_lit(&value, has_subs, Vec::new())) };
        if c == quote {
            if !triple {
                return (i + 1, finish_lit(&value, has_subs, Vec::new()));
            }
            if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                return (i + 3, finish_lit(&value, has_subs, Vec::new()));
            }
        }
        if c == b'\n' && !triple {
            return (i, finish_lit(&value, has_subs, Vec::new()));
        }
        if c == b'\\' && i + 1 < len {
            if raw {
                // A raw string still cannot end at an escaped quote; both characters stay.
                value.push(c);
                value.push(b[i + 1]);
                i += 2;
            } else {
                i = decode_escape(b, i + 1, &mut value, true);
            }
            continue;
        }
        if fmt && c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                value.push(b'{');
                i += 2;
                continue;
            }
            has_subs = true;
            i = skip_fstring_field(b, i + 1, triple);
            continue;
        }
        if fmt && c == b'}' && b.get(i + 1) == Some(&b'}') {
            value.push(b'}');
            i += 2;
            continue;
        }
        value.push(c);
        i += 1;
    }
}

/// Skips an f-string replacement field starting after its `{`; returns the index after its `}`.
pub(in crate::code) fn skip_fstring_field(b: &[u8], mut i: usize, triple: bool) -> usize {
    let len = b.len();
    let mut depth = 0u32;
    while i < len {
        match b[i] {
            b'{' | b'(' | b'[' => depth = depth.saturating_add(1),
            b'}' if depth == 0 => return i + 1,
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            q @ (b'\'' | b'"') => {
                // Nested strings (Python 3.12 allows any quote here); stop at the line end.
                i += 1;
                while i < len && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i < len && b[i] == q {
                    i += 1;
                }
                continue;
            }
            b'\n' if !triple => return i,
            _ => {}
        }
        i += 1;
    }
    len
}

pub(in crate::code) const PY_RUNTIME_SERVICES: &[&str] = &["sagemaker-runtime", "runtime.sagemaker"];

pub(in crate::code) fn py_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invoke_endpoint" => Some(InvokeApi::InvokeEndpoint),
        "invoke_endpoint_async" => Some(InvokeApi::InvokeEndpointAsync),
        "invoke_endpoint_with_response_stream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

impl<'a> Analyzer<'a> {
    /// A Python keyword argument `key=` of the call at `open`, also through `**d`.
    pub(in crate::code) fn py_kwarg(
        &self,
        open: usize,
        key: &str,
        depth: u32,
        budget: &mut u32,
    ) -> Option<Found> {
        let args = self.args(open);
        if let Some(a) = args.iter().find(|a| a.kw == Some(key)) {
            return Some(Found::Expr(a.lo, a.hi));
        }
        args.iter().filter(|a| a.star == 2).find_map(|a| self.dict_lookup(a.lo, a.hi, key, depth + 1, budget))
    }

    // ---- Python --------------------------------------------------------------------------------

    /// Function/class scopes and `try` bodies, from indentation.
    pub(in crate::code) fn py_structure(&mut self) {
        enum Blk {
            Scope(usize),
            Try(usize),
        }
        let len = self.len();
        let mut stack: Vec<(u32, Blk)> = Vec::new();
        let mut trys: Vec<(usize, usize, bool)> = Vec::new();
        let mut defs: Vec<indirect::PyDef> = Vec::new();
        for i in 0..len {
            if !self.toks[i].bol {
                continue;
            }
            let ind = self.toks[i].indent;
            while stack.last().is_some_and(|(top, _)| *top >= ind) {
                let Some((top, blk)) = stack.pop() else { break };
                match blk {
                    Blk::Scope(s) => self.scopes[s].end = i,
                    Blk::Try(k) => {
                        trys[k].1 = i;
                        trys[k].2 = top == ind && self.is_id(i, "except") && !self.py_excepts_all_reraise(i);
                    }
                }
            }
            let h = if self.is_id(i, "async") { i + 1 } else { i };
            if self.is_id(h, "def") || self.is_id(h, "class") {
                let name = self.ident(h + 1).unwrap_or("");
                let mut params = Vec::new();
                let mut j = h + 2;
                if self.is_p(j, "(") {
                    params = self.py_params(j);
                    j = self.skip(j);
                }
                let colon = self.find_top(j, len, |k| self.is_p(k, ":") || self.bol(k));
                let start = colon.filter(|&k| self.is_p(k, ":")).map_or(j, |k| k + 1);
                let is_handler = self.is_id(h, "def") && name.to_ascii_lowercase().contains("handler");
                let request_param = if is_handler { params.first().copied() } else { None };
                let s = self.scopes.len();
                self.scopes.push(Scope { parent: MODULE, start, end: len, request_param, def: None });
                if self.is_id(h, "def") {
                    self.scopes[s].def = Some(self.py_def_sig(name, h + 2));
                    for p in params {
                        self.params.insert((p, s));
                    }
                    let decorators = self.py_decorators(i);
                    defs.push(indirect::PyDef { name_tok: h + 1, scope: s, decorators });
                } else {
                    let class =
                        FnSig { name, params: Vec::new(), method: false, positional: 0, is_class: true };
                    self.scopes[s].def = Some(class);
                }
                stack.push((ind, Blk::Scope(s)));
            } else if self.is_id(i, "try") && self.is_p(i + 1, ":") {
                trys.push((i + 2, len, false));
                stack.push((ind, Blk::Try(trys.len() - 1)));
            }
        }
        self.compute_scope_of();
        self.index_call_sites();
        let ranges: Vec<(usize, usize)> = trys.iter().filter(|t| t.2).map(|t| (t.0, t.1)).collect();
        self.mark_protected(&ranges);
        self.py_protect_indirect(&defs);
    }

    pub(in crate::code) fn index_call_sites(&mut self) {
        let mut sites: HashMap<&'a str, Vec<usize>> =
            self.scopes.iter().filter_map(|s| s.def.as_ref()).map(|d| (d.name, Vec::new())).collect();
        for k in 0..self.len() {
            let defining = k > 0 && ["def", "class", "function"].iter().any(|w| self.is_id(k - 1, w));
            if self.is_p(k + 1, "(") && !defining {
                if let Some(list) = self.ident(k).and_then(|name| sites.get_mut(name)) {
                    list.push(k);
                }
            }
        }
        self.call_sites = sites;
    }

    /// The value a function's parameter has, when every call of the function in this file passes
    /// the same one (or leaves the same default): `def predict(endpoint_name, payload)` called as
    /// `predict(os.environ["ENDPOINT_NAME"], body)`. `None` when there is no call here
    /// (the function is called from another module) or a call cannot be read.
    pub(in crate::code) fn param_from_callers(
        &self,
        name: &str,
        scope: usize,
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> Option<EndpointName> {
        let sig = self.scopes.get(scope)?.def.as_ref()?;
        let index = sig.params.iter().position(|(p, _)| *p == name)?;
        let default = sig.params[index].1;
        // `__init__` is called through its class: `Ranker(…)` or `models.Ranker(…)`.
        let class = (sig.name == "__init__")
            .then(|| self.scopes[scope].parent)
            .and_then(|p| self.scopes.get(p)?.def.as_ref())
            .filter(|c| c.is_class);
        let sites = self.call_sites.get(class.map_or(sig.name, |c| c.name))?;
        let mut first: Option<EndpointName> = None;
        // A method is called as `self.m(…)`/`obj.m(…)`, a function by its bare name.
        let calls: Vec<usize> =
            sites.iter().copied().filter(|&k| class.is_some() || self.after_dot(k) == sig.method).collect();
        if calls.len() > MAX_ASSIGNS {
            return None;
        }
        for k in calls {
            let args = self.args(k + 1);
            if args.iter().any(|a| a.star > 0) {
                return None;
            }
            let by_position =
                || args.iter().filter(|a| a.kw.is_none()).nth(index).filter(|_| index < sig.positional);
            let expr = args.iter().find(|a| a.kw == Some(name)).or_else(by_position).map(|a| (a.lo, a.hi));
            let (lo, hi) = expr.or(default)?;
            let value = self.eval(lo, hi, depth + 1, budget);
            match &first {
                None if matches!(value, EndpointName::Dynamic { .. }) => return Some(value),
                None => first = Some(value),
                Some(f) if same_value(f, &value) => {}
                Some(_) => {
                    return Some(EndpointName::Dynamic {
                        from_request: false,
                        span,
                        why: format!(
                            "a function parameter `{name}`, which its callers set to different values"
                        ),
                    });
                }
            }
        }
        first
    }

    /// The signature of the `def` whose parameter list opens at `open`.
    pub(in crate::code) fn py_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
        let close = self.close_of(open).min(self.len());
        let mut params = Vec::new();
        let mut positional = None;
        for (lo, hi) in self.split(open + 1, close) {
            if self.is_p(lo, "*") || self.is_p(lo, "**") || self.is_p(lo, "/") {
                // `/` ends the positional-only ones, which are still positional.
                if !self.is_p(lo, "/") {
                    positional.get_or_insert(params.len());
                }
                continue;
            }
            let Some(param) = self.ident(lo) else { continue };
            let default = self.find_top(lo, hi, |k| self.is_p(k, "=")).map(|eq| (eq + 1, hi));
            params.push((param, default));
        }
        let method = matches!(params.first(), Some(&("self" | "cls", _)));
        if method {
            params.remove(0);
        }
        let positional = positional.map_or(params.len(), |p| p.saturating_sub(usize::from(method)));
        FnSig { name, params, method, positional, is_class: false }
    }

    pub(in crate::code) fn py_params(&self, open: usize) -> Vec<&'a str> {
        let close = self.close_of(open).min(self.len());
        (open + 1..close)
            .filter(|&j| {
                self.parent[j] == open
                    && self.ident(j).is_some()
                    && (self.prev_is(j, "(")
                        || self.prev_is(j, ",")
                        || self.prev_is(j, "*")
                        || self.prev_is(j, "**"))
            })
            .map(|j| self.t(j))
            .collect()
    }

    /// End of the statement starting at `i`: the next logical line or top-level `;`.
    pub(in crate::code) fn py_stmt_end(&self, i: usize) -> usize {
        let mut j = self.skip(i);
        while j < self.len() && !self.bol(j) && !self.is_p(j, ";") {
            j = self.skip(j);
        }
        j.min(self.len())
    }

    pub(in crate::code) fn py_assignments(&mut self) {
        let mut line_first = 0;
        for i in 0..self.len() {
            if self.bol(i) {
                line_first = i;
            }
            let after_header = i > 0
                && self.parent[i] == NONE
                && (self.is_p(i - 1, ";")
                    || (self.is_p(i - 1, ":")
                        && matches!(
                            self.t(line_first),
                            "if" | "elif" | "else" | "try" | "except" | "finally" | "for" | "while" | "with"
                        )));
            if !self.bol(i) && !after_header {
                continue;
            }
            let scope = self.scope_of[i];
            let end = self.py_stmt_end(i);
            if self.is_id(i, "for") || (self.is_id(i, "async") && self.is_id(i + 1, "for")) {
                let stop = self.find_top(i + 1, end, |k| self.is_id(k, "in")).unwrap_or(i);
                for k in i + 1..stop {
                    if let Some(name) = self.ident(k) {
                        if name != "for" {
                            self.add_assign(name, scope, k, AssignVal::Why("a loop variable".to_owned()));
                        }
                    }
                }
                continue;
            }
            let Some(name) = self.ident(i) else { continue };
            if self.is_p(i + 1, "=") {
                // `a = b = expr`: the value is after the last `=`.
                let mut eq = i + 1;
                let mut k = i + 1;
                while k < end {
                    if self.is_p(k, "=") {
                        eq = k;
                    }
                    k = self.skip(k);
                }
                self.add_assign(name, scope, i, AssignVal::Expr(eq + 1, end));
            } else if self.is_p(i + 1, ":") {
                if let Some(eq) = self.find_top(i + 2, end, |k| self.is_p(k, "=")) {
                    self.add_assign(name, scope, i, AssignVal::Expr(eq + 1, end));
                }
            } else if self.kind(i + 1) == Some(Kind::Punct) && is_augmented(self.t(i + 1)) {
                let why = format!("changed with `{}`", self.t(i + 1));
                self.add_assign(name, scope, i, AssignVal::Why(why));
            } else if self.is_p(i + 1, ",") {
                if let Some(eq) = self.find_top(i, end, |k| self.is_p(k, "=")) {
                    for k in i..eq {
                        if let Some(n) = self.ident(k) {
                            self.add_assign(n, scope, k, AssignVal::Why("unpacked from a tuple".to_owned()));
                        }
                    }
                }
            } else if name == "self" && self.is_p(i + 1, ".") && self.is_p(i + 3, "=") {
                if let Some(attr) = self.ident(i + 2) {
                    self.add_assign(attr, ATTR, i + 2, AssignVal::Expr(i + 4, end));
                }
            } else if self.is_p(i + 1, "[") && self.close_of(i + 1) == i + 3 && self.is_p(i + 4, "=") {
                if let Some(key) = self.str_value(i + 2).map(str::to_owned) {
                    self.add_member(name, key, (i + 5, end));
                }
            }
        }
    }

    pub(in crate::code) fn py_env_reads(&mut self) {
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if w != "environ" && w != "getenv" {
                continue;
            }
            let start = if self.after_dot(i) {
                if i >= 2 && self.is_id(i - 2, "os") {
                    i - 2
                } else {
                    continue;
                }
            } else {
                i
            };
            let (var_tok, end, default) = if w == "environ" && self.is_p(i + 1, "[") {
                let close = self.close_of(i + 1);
                if close != i + 3 || self.is_p(close + 1, "=") {
                    continue;
                }
                (i + 2, close + 1, None)
            } else {
                let open = if w == "getenv" && self.is_p(i + 1, "(") {
                    i + 1
                } else if w == "environ"
                    && self.is_p(i + 1, ".")
                    && self.is_id(i + 2, "get")
                    && self.is_p(i + 3, "(")
                {
                    i + 3
                } else {
                    continue;
                };
                let args = self.args(open);
                let Some(first) = args.first().filter(|a| a.star == 0 && a.hi == a.lo + 1) else { continue };
                (first.lo, self.close_of(open) + 1, args.get(1).map(|a| (a.lo, a.hi)))
            };
            let Some(var) = self.str_value(var_tok).map(str::to_owned) else { continue };
            let has_default = default.is_some() || self.is_id(end, "or");
            self.env_hit(start, end, var, default, has_default);
        }
    }

    pub(in crate::code) fn py_calls(&self) -> (Vec<InvokeCall>, bool) {
        let mut calls = Vec::new();
        let mut url = false;
        let mut wrapped: HashSet<usize> = HashSet::new();
        let imports = self.py_imports();
        let imported = |arg: Option<&Arg<'a>>, endpoint: &EndpointName| {
            let a = arg.filter(|_| matches!(endpoint, EndpointName::Dynamic { .. }))?;
            self.py_imported_ref(a.lo, a.hi, &imports)
        };
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let open = i + 1;
            let mut budget = BUDGET;
            if let Some(api) = py_method_api(w) {
                if !self.after_dot(i) {
                    continue;
                }
                let endpoint = match self.py_kwarg(open, "EndpointName", 0, &mut budget) {
                    Some(f) => self.eval_found(f, 0, &mut budget),
                    None => EndpointName::Missing,
                };
                let inference_component =
                    self.py_kwarg(open, "InferenceComponentName", 0, &mut budget).is_some();
                let name_arg = self.args(open).into_iter().find(|a| a.kw == Some("EndpointName"));
                let from_import = imported(name_arg.as_ref(), &endpoint);
                let mut call = self.call(api, i, endpoint, inference_component);
                call.imported = from_import;
                if api == InvokeApi::InvokeEndpointAsync {
                    call.input_location = self
                        .py_kwarg(open, "InputLocation", 0, &mut budget)
                        .map(|f| self.eval_found(f, 0, &mut budget));
                }
                calls.push(call);
                continue;
            }
            let declared = i > 0 && (self.is_id(i - 1, "def") || self.is_id(i - 1, "class"));
            match w {
                "Predictor" | "RealTimePredictor" if !declared && !wrapped.contains(&i) => {
                    let endpoint = self.predictor_endpoint(open, &mut budget);
                    let from_import = imported(self.predictor_name_arg(open).as_ref(), &endpoint);
                    let mut call = self.call(InvokeApi::InvokeEndpoint, i, endpoint, false);
                    call.imported = from_import;
                    call.in_error_handler = call.in_error_handler || self.py_predictions_all_handled(i);
                    calls.push(call);
                }
                "AsyncPredictor" if !declared => {
                    // `AsyncPredictor(Predictor(X))` invokes asynchronously; a predictor built elsewhere
                    // is reported where it is built.
                    let args = self.args(open);
                    let inner = args.iter().find(|a| a.kw == Some("predictor")).or_else(|| args.first());
                    if let Some(inner) = inner.filter(|a| a.star == 0 && a.hi > a.lo) {
                        let last = inner.hi - 1;
                        let inner_open = self.open.get(last).copied().unwrap_or(NONE);
                        if self.is_p(last, ")")
                            && inner_open != NONE
                            && inner_open > inner.lo
                            && matches!(self.t(inner_open - 1), "Predictor" | "RealTimePredictor")
                        {
                            wrapped.insert(inner_open - 1);
                            let endpoint = self.predictor_endpoint(inner_open, &mut budget);
                            calls.push(self.call(InvokeApi::InvokeEndpointAsync, i, endpoint, false));
                        }
                    }
                }
                "client" => {
                    let args = self.args(open);
                    let runtime = args.iter().any(|a| {
                        (a.kw.is_none() || a.kw == Some("service_name"))
                            && a.hi == a.lo + 1
                            && self.str_value(a.lo).is_some_and(|v| PY_RUNTIME_SERVICES.contains(&v))
                    });
                    if runtime && args.iter().any(|a| a.kw == Some("endpoint_url")) {
                        url = true;
                    }
                }
                _ => {}
            }
        }
        (calls, url)
    }

    /// Whether the predictor built at token `i` (`predictor = sagemaker.predictor.Predictor(…)`)
    /// is used, and only inside error handlers: the SDK call, and its errors, happen in
    /// `predictor.predict(…)`, not where the predictor is built.
    pub(in crate::code) fn py_predictions_all_handled(&self, i: usize) -> bool {
        let mut start = i;
        while start >= 2 && self.is_p(start - 1, ".") && self.ident(start - 2).is_some() {
            start -= 2;
        }
        let Some(name) = start.checked_sub(2).filter(|&s| self.is_p(s + 1, "=")).and_then(|s| self.ident(s))
        else {
            return false;
        };
        let mut uses = (0..self.len()).filter(|&k| {
            self.is_id(k, name)
                && self.is_p(k + 1, ".")
                && self.is_id(k + 2, "predict")
                && self.is_p(k + 3, "(")
        });
        let mut any = false;
        uses.all(|k| {
            any = true;
            self.protected.get(k).copied().unwrap_or(false)
        }) && any
    }

    /// The argument of `Predictor(…)` that names the endpoint.
    pub(in crate::code) fn predictor_name_arg(&self, open: usize) -> Option<Arg<'a>> {
        let args = self.args(open);
        let at = args
            .iter()
            .position(|a| a.kw == Some("endpoint_name"))
            .or_else(|| args.first().filter(|a| a.kw.is_none() && a.star == 0).map(|_| 0))?;
        args.into_iter().nth(at)
    }

    pub(in crate::code) fn predictor_endpoint(&self, open: usize, budget: &mut u32) -> EndpointName {
        match self.predictor_name_arg(open) {
            Some(a) => self.eval(a.lo, a.hi, 0, budget),
            None => EndpointName::Missing,
        }
    }
}
