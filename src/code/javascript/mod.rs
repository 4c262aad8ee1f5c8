//! JavaScript and TypeScript handlers: the lexer (type annotations are skipped, not
//! understood), statement structure, and the AWS SDK v2 and v3 calls that invoke an endpoint.

pub(in crate::code) mod imports;
mod indirect;

use std::collections::HashMap;

use std::path::{Path, PathBuf};

use super::analyzer::{
    ATTR, Analyzer, AssignVal, BUDGET, FnSig, Kind, Lit, MODULE, NONE, Scope, Tok, decode_escape, finish_lit,
    is_augmented, is_ident_char, is_ident_start, punct_len,
};
use super::layers::{Packages, package_files};
use super::locate::{CodeFiles, add_scan};
use super::{EndpointName, EnvRead, HandlerLanguage, HandlerScan, InvokeCall, Language};
use crate::model::InvokeApi;
use crate::source::SourceMap;
use crate::span::{FileId, Span};

/// JavaScript and TypeScript, as the Lambda Node.js runtimes run them (TypeScript compiled to
/// JavaScript reads alike: type annotations are skipped).
pub(in crate::code) struct JavaScript;

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
        let mut an = Analyzer::new(Language::JavaScript, text, lex_js(text, 0, text.len()));
        an.js_structure();
        an.js_assignments();
        an.js_env_reads();
        let (calls, explicit_endpoint_url) = an.js_calls();
        an.finish(calls, explicit_endpoint_url, Vec::new())
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

    fn layer_files(&self, layer: &Path, package: &str) -> Vec<PathBuf> {
        let package = layer.join("nodejs").join("node_modules").join(package);
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
    }

    fn sdk_name(&self, api: InvokeApi) -> &'static str {
        match api {
            InvokeApi::InvokeEndpoint => "InvokeEndpointCommand",
            InvokeApi::InvokeEndpointAsync => "InvokeEndpointAsyncCommand",
            InvokeApi::InvokeEndpointWithResponseStream => "InvokeEndpointWithResponseStreamCommand",
        }
    }
}

pub(in crate::code) const JS_EXPR_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

/// Whether a `/` after `prev` starts a regex literal rather than a division.
pub(in crate::code) fn regex_allowed(text: &str, prev: Option<&Tok>) -> bool {
    let Some(prev) = prev else { return true };
    let word = text.get(prev.start..prev.end).unwrap_or("");
    match prev.kind {
        Kind::Opaque | Kind::Str => false,
        Kind::Ident => JS_EXPR_KEYWORDS.contains(&word),
        Kind::Punct => !matches!(word, ")" | "]" | "}"),
    }
}

/// Lexes JavaScript/TypeScript in `text[from..to]` (whole file, or a template substitution).
pub(in crate::code) fn lex_js(text: &str, from: usize, to: usize) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let b = bytes.get(..to.min(bytes.len())).unwrap_or_default();
    let len = b.len();
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = from;
    let mut nl = true;
    while i < len {
        let c = b[i];
        let start = i;
        let mut lit = None;
        let kind;
        match c {
            b'\n' => {
                nl = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' | b'\x0b' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < len && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'#' if i == 0 && b.get(1) == Some(&b'!') => {
                while i < len && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let body = b.get(i + 2..).unwrap_or_default();
                let close = body.windows(2).position(|w| w == b"*/");
                let end = close.map_or(len, |p| i + 2 + p + 2);
                if b[i..end].contains(&b'\n') {
                    nl = true;
                }
                i = end;
                continue;
            }
            b'\'' | b'"' => {
                let (end, l) = lex_js_string(b, i);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            b'`' => {
                let (end, l) = lex_js_template(b, i);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            b'/' if regex_allowed(text, toks.last()) => {
                if let Some(end) = scan_regex(b, i) {
                    i = end;
                    kind = Kind::Opaque;
                } else {
                    i += punct_len(b, i);
                    kind = Kind::Punct;
                }
            }
            c if is_ident_start(c, true) => {
                i += 1;
                while i < len && is_ident_char(b[i], true) {
                    i += 1;
                }
                kind = Kind::Ident;
            }
            c if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < len && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                    i += 1;
                }
                kind = Kind::Opaque;
            }
            _ => {
                i += punct_len(b, i);
                kind = Kind::Punct;
            }
        }
        toks.push(Tok { kind, start, end: i.min(len), bol: nl, indent: 0, lit });
        nl = false;
    }
    toks
}

/// A regex literal starting at the `/` at `i`; `None` when it does not close on its line.
pub(in crate::code) fn scan_regex(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut in_class = false;
    loop {
        let c = *b.get(j)?;
        match c {
            b'\n' => return None,
            b'\\' => {
                j += 2;
                continue;
            }
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => break,
            _ => {}
        }
        j += 1;
    }
    j += 1;
    while j < b.len() && is_ident_char(b[j], true) {
        j += 1;
    }
    Some(j)
}

/// A '…' or "…" string at `i`; unterminated strings end at the line end.
pub(in crate::code) fn lex_js_string(b: &[u8], i: usize) -> (usize, Lit) {
    let quote = b[i];
    let mut j = i + 1;
    let mut value = Vec::new();
    loop {
        let Some(&c) = b.get(j) else { return (b.len(), finish_lit(&value, false, Vec::new())) };
        if c == quote {
            return (j + 1, finish_lit(&value, false, Vec::new()));
        }
        if c == b'\n' {
            return (j, finish_lit(&value, false, Vec::new()));
        }
        if c == b'\\' {
            j = decode_escape(b, j + 1, &mut value, false);
            continue;
        }
        value.push(c);
        j += 1;
    }
}

/// A template literal at `i`, with the byte ranges of its top-level substitutions.
pub(in crate::code) fn lex_js_template(b: &[u8], i: usize) -> (usize, Lit) {
    let mut j = i + 1;
    let mut value = Vec::new();
    let mut subs = Vec::new();
    loop {
        let Some(&c) = b.get(j) else {
            let has = !subs.is_empty();
            return (b.len(), finish_lit(&value, has, subs));
        };
        match c {
            b'`' => {
                let has = !subs.is_empty();
                return (j + 1, finish_lit(&value, has, subs));
            }
            b'\\' => j = decode_escape(b, j + 1, &mut value, false),
            b'$' if b.get(j + 1) == Some(&b'{') => {
                let (inner_end, after) = skip_js_substitution(b, j + 2);
                subs.push((j + 2, inner_end));
                j = after;
            }
            _ => {
                value.push(c);
                j += 1;
            }
        }
    }
}

/// Skips a `${…}` body starting after `${`, through nested braces, strings, comments and templates
/// (with an explicit stack, so deep nesting cannot overflow). Returns (index of the `}`, index after).
pub(in crate::code) fn skip_js_substitution(b: &[u8], mut i: usize) -> (usize, usize) {
    let len = b.len();
    // `Some(depth)`: inside an expression with that many open braces; `None`: inside a nested template.
    let mut stack: Vec<Option<u32>> = vec![Some(0)];
    while i < len {
        let c = b[i];
        let Some(top) = stack.last_mut() else { break };
        match top {
            None => match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Some(0));
                    i += 1;
                }
                _ => {}
            },
            Some(depth) => match c {
                b'\'' | b'"' => {
                    i += 1;
                    while i < len && b[i] != c && b[i] != b'\n' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'`' => stack.push(None),
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < len && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let body = b.get(i + 2..).unwrap_or_default();
                    i = body.windows(2).position(|w| w == b"*/").map_or(len, |p| i + 2 + p + 2);
                    continue;
                }
                b'{' => *depth = depth.saturating_add(1),
                b'}' if *depth == 0 => {
                    stack.pop();
                    if stack.is_empty() {
                        return (i, i + 1);
                    }
                }
                b'}' => *depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    (len, len)
}

pub(in crate::code) const JS_COMMANDS: &[(&str, InvokeApi)] = &[
    ("InvokeEndpointCommand", InvokeApi::InvokeEndpoint),
    ("InvokeEndpointAsyncCommand", InvokeApi::InvokeEndpointAsync),
    ("InvokeEndpointWithResponseStreamCommand", InvokeApi::InvokeEndpointWithResponseStream),
];

pub(in crate::code) fn js_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invokeEndpoint" => Some(InvokeApi::InvokeEndpoint),
        "invokeEndpointAsync" => Some(InvokeApi::InvokeEndpointAsync),
        "invokeEndpointWithResponseStream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

impl<'a> Analyzer<'a> {
    // ---- JavaScript ----------------------------------------------------------------------------

    /// Whether the `{` at `i` opens a statement block, judged by the token before it.
    pub(in crate::code) fn js_is_block(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let p = i - 1;
        match self.kind(p) {
            Some(Kind::Punct) => matches!(self.t(p), ")" | ";" | "{" | "}" | "=>" | ">"),
            Some(Kind::Ident) => !matches!(
                self.t(p),
                "return"
                    | "const"
                    | "let"
                    | "var"
                    | "typeof"
                    | "yield"
                    | "await"
                    | "in"
                    | "of"
                    | "case"
                    | "import"
                    | "export"
            ),
            _ => false,
        }
    }

    /// Whether token `j` (which follows a line break) continues the expression of token `p`.
    pub(in crate::code) fn js_continues(&self, p: usize, j: usize) -> bool {
        let cur = self.t(j);
        if self.kind(j) == Some(Kind::Punct)
            && !matches!(cur, "(" | "[" | "{" | "!" | "++" | "--" | "~" | ";" | "#")
        {
            return true;
        }
        if self.kind(j) == Some(Kind::Ident) && matches!(cur, "as" | "satisfies" | "in" | "instanceof") {
            return true;
        }
        match self.kind(p) {
            Some(Kind::Punct) => !matches!(self.t(p), ")" | "]" | "}" | "++" | "--" | ";"),
            Some(Kind::Ident) => {
                matches!(self.t(p), "new" | "await" | "typeof" | "void" | "delete" | "yield")
            }
            _ => false,
        }
    }

    /// End of the expression starting at `s`: a top-level `,` or `;`, the enclosing closer, or a line
    /// break that ends the statement.
    ///
    /// The scan steps over bracketed groups from `s`; once past `s`, where it stops depends only on
    /// the token it has reached, so that part is read from `expr_stop`. Scanning afresh for each
    /// expression cost the length of the statement per arrow function, quadratic in nested
    /// `a => b => … => x` and in chained assignments.
    pub(in crate::code) fn js_expr_end(&self, s: usize) -> usize {
        let len = self.len();
        if s >= len {
            return len;
        }
        if self.is_close(s) || self.is_p(s, ",") || self.is_p(s, ";") {
            return s;
        }
        debug_assert_eq!(self.expr_stop.len(), len, "js_structure fills expr_stop first");
        self.expr_stop.get(self.skip(s)).copied().unwrap_or(len)
    }

    /// `expr_stop`, from the last token back: a token where the scan stops is its own answer,
    /// any other has the answer of the token after its group.
    pub(in crate::code) fn js_expr_stops(&self) -> Vec<usize> {
        let len = self.len();
        let mut stop = vec![len; len];
        for i in (1..len).rev() {
            let here = self.is_close(i)
                || self.is_p(i, ",")
                || self.is_p(i, ";")
                || (self.bol(i) && !self.js_continues(i - 1, i));
            stop[i] = if here { i } else { stop.get(self.skip(i)).copied().unwrap_or(len) };
        }
        stop
    }

    /// The `=` of a declarator whose name ends before `j`, skipping a TypeScript annotation.
    pub(in crate::code) fn js_find_init(&self, j: usize) -> Option<usize> {
        if self.is_p(j, "=") {
            return Some(j);
        }
        if !self.is_p(j, ":") && !self.is_p(j, "!") {
            return None;
        }
        let mut angle = 0i32;
        let mut k = j + 1;
        while k < self.len() {
            if angle <= 0 && self.is_p(k, "=") {
                return Some(k);
            }
            if self.is_p(k, "<") {
                angle += 1;
            } else if self.is_p(k, ">") {
                angle -= 1;
            } else if self.is_p(k, ">>") {
                angle -= 2;
            }
            if angle <= 0
                && (self.is_p(k, ",")
                    || self.is_p(k, ";")
                    || self.is_close(k)
                    || (k > j + 1 && self.bol(k) && !self.js_continues(k - 1, k)))
            {
                return None;
            }
            k = self.skip(k);
        }
        None
    }

    pub(in crate::code) fn js_params(&self, open: usize) -> Vec<&'a str> {
        let close = self.close_of(open).min(self.len());
        (open + 1..close)
            .filter(|&j| {
                self.ident(j).is_some()
                    && (self.prev_is(j, "(")
                        || self.prev_is(j, ",")
                        || self.prev_is(j, "{")
                        || self.prev_is(j, "[")
                        || self.prev_is(j, "..."))
                    && [",", ")", "}", "]", "=", ":", "?"].iter().any(|p| self.is_p(j + 1, p))
            })
            .map(|j| self.t(j))
            .collect()
    }

    /// The name a function expression is assigned to (`const handler = async (event) => …`).
    /// The token of that name.
    pub(in crate::code) fn js_name_before(&self, i: usize) -> Option<usize> {
        let mut k = i.checked_sub(1)?;
        if self.is_id(k, "async") {
            k = k.checked_sub(1)?;
        }
        if self.is_p(k, "=") || self.is_p(k, ":") {
            let name = k.checked_sub(1)?;
            return self.ident(name).map(|_| name);
        }
        None
    }

    /// Adds a function body as a scope; a named function is also recorded in `defs`.
    pub(in crate::code) fn js_add_scope(
        &mut self,
        (start, end): (usize, usize),
        params: Vec<&'a str>,
        name_tok: Option<usize>,
        defs: &mut Vec<indirect::JsDef>,
    ) {
        let name = name_tok.and_then(|t| self.ident(t));
        let is_handler = name.is_some_and(|n| n.to_ascii_lowercase().contains("handler"));
        let request_param = if is_handler { params.first().copied() } else { None };
        let s = self.scopes.len();
        let end = end.min(self.len());
        self.scopes.push(Scope { parent: MODULE, start, end, request_param, def: None });
        for p in params {
            self.params.insert((p, s));
        }
        // `catch (e) { … }` reads like a method but names nothing.
        if let Some(name_tok) = name_tok.filter(|_| name.is_some_and(|n| n != "catch")) {
            defs.push(indirect::JsDef { name_tok, body: (start, end) });
        }
    }

    pub(in crate::code) fn js_structure(&mut self) {
        let len = self.len();
        self.expr_stop = self.js_expr_stops();
        for i in 0..len {
            if self.is_p(i, "{") {
                self.block[i] = self.js_is_block(i);
            }
        }
        let mut trys = Vec::new();
        let mut defs = Vec::new();
        for i in 0..len {
            if self.is_id(i, "try") && self.is_p(i + 1, "{") {
                let close = self.close_of(i + 1);
                if self.is_id(close + 1, "catch") {
                    trys.push((i + 2, close));
                }
            } else if self.is_id(i, "function") {
                let mut j = i + 1;
                if self.is_p(j, "*") {
                    j += 1;
                }
                let name = self.ident(j).map(|_| j).or_else(|| self.js_name_before(i));
                if self.ident(j).is_some() {
                    j += 1;
                }
                if !self.is_p(j, "(") {
                    continue;
                }
                let params = self.js_params(j);
                let after = self.close_of(j) + 1;
                let body =
                    self.find_top(after, (after + 64).min(len), |k| self.is_p(k, "{") || self.is_p(k, ";"));
                if let Some(b) = body.filter(|&b| self.is_p(b, "{")) {
                    self.js_add_scope((b + 1, self.close_of(b)), params, name, &mut defs);
                }
            } else if self.is_p(i, "=>") && i > 0 {
                let (params, name) = if self.is_p(i - 1, ")") {
                    let o = self.open[i - 1];
                    if o == NONE {
                        continue;
                    }
                    (self.js_params(o), self.js_name_before(o))
                } else if let Some(p) = self.ident(i - 1) {
                    (vec![p], self.js_name_before(i - 1))
                } else {
                    continue;
                };
                if self.is_p(i + 1, "{") {
                    self.js_add_scope((i + 2, self.close_of(i + 1)), params, name, &mut defs);
                } else {
                    let end = self.js_expr_end(i + 1);
                    self.js_add_scope((i + 1, end), params, name, &mut defs);
                }
            } else if let Some(w) = self.ident(i) {
                // Methods (`handler(event) { … }`) and `catch (e) { … }`.
                if !self.is_p(i + 1, "(")
                    || matches!(w, "if" | "for" | "while" | "switch" | "with" | "function" | "return")
                    || (i > 0 && self.is_id(i - 1, "function"))
                {
                    continue;
                }
                let close = self.close_of(i + 1);
                if self.is_p(close + 1, "{") {
                    let params = self.js_params(i + 1);
                    self.js_add_scope((close + 2, self.close_of(close + 1)), params, Some(i), &mut defs);
                }
            }
        }
        self.compute_scope_of();
        self.mark_protected(&trys);
        self.js_protect_indirect(&defs);
        self.js_signatures();
        self.index_call_sites();
    }

    /// Names and parameter lists of the file's named functions: `function f(a, b) {…}`,
    /// `const f = async (a, b) => …` and `f = function (a, b) {…}`, tied to the scopes
    /// `js_structure` made for their bodies.
    pub(in crate::code) fn js_signatures(&mut self) {
        let by_start: HashMap<usize, usize> =
            self.scopes.iter().enumerate().map(|(s, x)| (x.start, s)).collect();
        for i in 0..self.len() {
            let Some(name) = self.ident(i) else { continue };
            let (open, named_at) =
                if name == "function" && self.ident(i + 1).is_some() && self.is_p(i + 2, "(") {
                    (i + 2, i + 1)
                } else if self.is_p(i + 1, "=") && !self.after_dot(i) {
                    let mut j = i + 2;
                    if self.is_id(j, "async") {
                        j += 1;
                    }
                    if self.is_id(j, "function") {
                        j += 1;
                    }
                    if !self.is_p(j, "(") {
                        continue;
                    }
                    (j, i)
                } else {
                    continue;
                };
            let close = self.close_of(open);
            let body = match () {
                () if self.is_p(close + 1, "{") => close + 2,
                () if self.is_p(close + 1, "=>") && self.is_p(close + 2, "{") => close + 3,
                () if self.is_p(close + 1, "=>") => close + 2,
                () => continue,
            };
            if let Some(&s) = by_start.get(&body) {
                let sig = self.js_def_sig(self.t(named_at), open);
                self.scopes[s].def = Some(sig);
            }
        }
    }

    /// Each top-level piece of the parameter list is one positional parameter; a destructuring
    /// pattern takes its place but has no name to follow, and `...rest` ends the positional ones.
    pub(in crate::code) fn js_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
        let close = self.close_of(open).min(self.len());
        let mut params = Vec::new();
        let mut positional = None;
        for (lo, hi) in self.split(open + 1, close) {
            if self.is_p(lo, "...") {
                positional.get_or_insert(params.len());
                continue;
            }
            let default = self.find_top(lo, hi, |k| self.is_p(k, "=")).map(|eq| (eq + 1, hi));
            params
                .push((self.ident(lo).filter(|_| hi == lo + 1 || default.is_some()).unwrap_or(""), default));
        }
        let positional = positional.unwrap_or(params.len());
        FnSig { name, params, method: false, positional, is_class: false }
    }

    pub(in crate::code) fn js_assignments(&mut self) {
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if matches!(w, "const" | "let" | "var") && !self.after_dot(i) {
                self.js_declaration(i);
                continue;
            }
            // After `:` an identifier is a TypeScript annotation or an object key, not an assignment target.
            if self.after_dot(i) || (i > 0 && matches!(self.t(i - 1), "const" | "let" | "var" | "," | ":")) {
                continue;
            }
            let statement_level =
                self.parent[i] == NONE || self.block.get(self.parent[i]).copied().unwrap_or(false);
            let scope = self.scope_of[i];
            if self.is_p(i + 1, "=") && statement_level {
                let end = self.js_expr_end(i + 2);
                self.add_assign(w, scope, i, AssignVal::Expr(i + 2, end));
            } else if self.kind(i + 1) == Some(Kind::Punct) && is_augmented(self.t(i + 1)) && statement_level
            {
                let why = format!("changed with `{}`", self.t(i + 1));
                self.add_assign(w, scope, i, AssignVal::Why(why));
            } else if self.is_p(i + 1, ".") && self.ident(i + 2).is_some() && self.is_p(i + 3, "=") {
                let end = self.js_expr_end(i + 4);
                let key = self.t(i + 2);
                if w == "this" {
                    self.add_assign(key, ATTR, i + 2, AssignVal::Expr(i + 4, end));
                } else {
                    self.add_member(w, key.to_owned(), (i + 4, end));
                }
            } else if self.is_p(i + 1, "[") && self.close_of(i + 1) == i + 3 && self.is_p(i + 4, "=") {
                if let Some(key) = self.str_value(i + 2).map(str::to_owned) {
                    let end = self.js_expr_end(i + 5);
                    self.add_member(w, key, (i + 5, end));
                }
            }
        }
    }

    pub(in crate::code) fn js_declaration(&mut self, i: usize) {
        let scope = self.scope_of[i];
        let mut j = i + 1;
        for _ in 0..self.len() {
            if let Some(name) = self.ident(j) {
                if self.is_id(j + 1, "of") || self.is_id(j + 1, "in") {
                    self.add_assign(name, scope, j, AssignVal::Why("a loop variable".to_owned()));
                    return;
                }
                let Some(eq) = self.js_find_init(j + 1) else { return };
                let end = self.js_expr_end(eq + 1);
                self.add_assign(name, scope, j, AssignVal::Expr(eq + 1, end));
                if !self.is_p(end, ",") {
                    return;
                }
                j = end + 1;
            } else if self.is_p(j, "{") || self.is_p(j, "[") {
                let close = self.close_of(j);
                let Some(eq) = self.js_find_init(close + 1) else { return };
                let end = self.js_expr_end(eq + 1);
                let (flo, fhi) = self.trim(eq + 1, end);
                let from_env = fhi == flo + 3
                    && self.is_id(flo, "process")
                    && self.is_p(flo + 1, ".")
                    && self.is_id(flo + 2, "env");
                let object = self.is_p(j, "{");
                for (s, e) in self.split(j + 1, close) {
                    if object {
                        self.js_pattern_entry(s, e, scope, from_env, (eq + 1, end));
                    } else if let Some(name) = self.ident(s) {
                        self.add_assign(name, scope, s, AssignVal::Why("unpacked from an array".to_owned()));
                    }
                }
                if !self.is_p(end, ",") {
                    return;
                }
                j = end + 1;
            } else {
                return;
            }
        }
    }

    /// One entry of an object pattern: `KEY`, `KEY = d`, `KEY: alias`, `KEY: alias = d`.
    pub(in crate::code) fn js_pattern_entry(
        &mut self,
        s: usize,
        e: usize,
        scope: usize,
        from_env: bool,
        from: (usize, usize),
    ) {
        let Some(key) = self.ident(s).map(str::to_owned).or_else(|| self.str_value(s).map(str::to_owned))
        else {
            return;
        };
        let (binding, default) = if e == s + 1 {
            (s, None)
        } else if self.is_p(s + 1, "=") {
            (s, Some((s + 2, e)))
        } else if self.is_p(s + 1, ":") && self.ident(s + 2).is_some() {
            (s + 2, if self.is_p(s + 3, "=") { Some((s + 4, e)) } else { None })
        } else {
            return;
        };
        let Some(name) = self.ident(binding) else { return };
        let val = if from_env {
            let span = self.span(s, s + 1);
            self.env_reads.push(EnvRead { var: key.clone(), span, has_default: default.is_some() });
            AssignVal::Env { var: key, span, default }
        } else {
            AssignVal::Member { key, from }
        };
        self.add_assign(name, scope, binding, val);
    }

    pub(in crate::code) fn js_env_reads(&mut self) {
        let text: &'a str = self.text;
        for i in 0..self.len() {
            if self.after_dot(i) {
                continue;
            }
            if let Some((var, end)) = js_env_pattern(text, &self.toks, i) {
                if self.is_p(end, "=") {
                    continue;
                }
                let has_default = self.is_p(end, "??") || self.is_p(end, "||");
                self.env_hit(i, end, var, None, has_default);
            }
        }
        // Reads inside template substitutions (`${process.env.EP}`) are not in the main token stream.
        let mut work: Vec<((usize, usize), u32)> = Vec::new();
        for t in &self.toks {
            if let Some(l) = &t.lit {
                work.extend(l.subs.iter().map(|&r| (r, 0)));
            }
        }
        while let Some(((s, e), level)) = work.pop() {
            let sub = lex_js(text, s, e);
            for k in 0..sub.len() {
                let prev_dot = k > 0
                    && sub[k - 1].kind == Kind::Punct
                    && matches!(text.get(sub[k - 1].start..sub[k - 1].end), Some("." | "?."));
                if prev_dot {
                    continue;
                }
                if let Some((var, end)) = js_env_pattern(text, &sub, k) {
                    let span = Span::from_range(sub[k].start, sub[end - 1].end);
                    let has_default = sub.get(end).is_some_and(|t| {
                        t.kind == Kind::Punct && matches!(text.get(t.start..t.end), Some("??" | "||"))
                    });
                    self.env_reads.push(EnvRead { var, span, has_default });
                }
            }
            if level < 8 {
                for t in &sub {
                    if let Some(l) = &t.lit {
                        work.extend(l.subs.iter().map(|&r| (r, level + 1)));
                    }
                }
            }
        }
    }

    /// Whether the statement containing token `i` chains `.catch(`.
    pub(in crate::code) fn js_chain_catch(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..256 {
            if j >= self.len() {
                return false;
            }
            if (self.is_p(j, ".") || self.is_p(j, "?."))
                && self.is_id(j + 1, "catch")
                && self.is_p(j + 2, "(")
            {
                return true;
            }
            if j > i {
                if self.is_p(j, ";") {
                    return false;
                }
                if self.is_close(j) {
                    // Leaving an enclosing bracket: keep following the outer expression unless it was a block.
                    if self.is_p(j, "}") && self.block.get(self.open[j]).copied().unwrap_or(true) {
                        return false;
                    }
                    j += 1;
                    continue;
                }
                if self.bol(j) && !self.js_continues(j - 1, j) {
                    return false;
                }
            }
            j = self.skip(j);
        }
        false
    }

    pub(in crate::code) fn js_calls(&self) -> (Vec<InvokeCall>, bool) {
        let len = self.len();
        let mut aliases: HashMap<&'a str, InvokeApi> = JS_COMMANDS.iter().copied().collect();
        // `client.send(cmd)`-style uses: a call whose only argument is a name.
        let mut sole_arg_uses: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if let Some(&(_, api)) = JS_COMMANDS.iter().find(|(c, _)| *c == w) {
                let alias_decl = self.is_id(i + 1, "as")
                    || (self.is_p(i + 1, ":")
                        && self.parent[i] != NONE
                        && !self.block[self.parent[i]]
                        && (self.is_p(i + 3, ",") || self.is_p(i + 3, "}")));
                if let Some(alias) = self.ident(i + 2).filter(|_| alias_decl) {
                    aliases.insert(alias, api);
                }
            }
            if self.prev_is(i, "(") && self.is_p(i + 1, ")") {
                let uses = sole_arg_uses.entry(w).or_default();
                if uses.len() < 8 {
                    uses.push(i);
                }
            }
        }
        let mut calls = Vec::new();
        let mut url = false;
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let declared = i > 0 && matches!(self.t(i - 1), "function" | "class" | "interface" | "type");
            let api = match aliases.get(w) {
                Some(&api) if !declared => Some(api),
                None if self.after_dot(i) => js_method_api(w),
                _ => None,
            };
            let mut budget = BUDGET;
            let args = self.args(i + 1);
            let first = args.first().filter(|a| a.star == 0);
            if let Some(api) = api {
                let (endpoint, inference_component, input_location) = match first {
                    Some(a) => {
                        let endpoint = match self.dict_lookup(a.lo, a.hi, "EndpointName", 0, &mut budget) {
                            Some(f) => self.eval_found(f, 0, &mut budget),
                            None => EndpointName::Missing,
                        };
                        let ic =
                            self.dict_lookup(a.lo, a.hi, "InferenceComponentName", 0, &mut budget).is_some();
                        let input = (api == InvokeApi::InvokeEndpointAsync)
                            .then(|| self.dict_lookup(a.lo, a.hi, "InputLocation", 0, &mut budget))
                            .flatten()
                            .map(|f| self.eval_found(f, 0, &mut budget));
                        (endpoint, ic, input)
                    }
                    None => (EndpointName::Missing, false, None),
                };
                let mut call = self.call(api, i, endpoint, inference_component);
                call.input_location = input_location;
                call.in_error_handler = call.in_error_handler
                    || self.js_chain_catch(i)
                    || self.js_error_first_callback(i + 1)
                    || self.js_declared_as(i).and_then(|n| sole_arg_uses.get(n)).is_some_and(|uses| {
                        uses.iter().any(|&u| self.protected[u] || self.js_chain_catch(u))
                    });
                calls.push(call);
            } else if matches!(w, "SageMakerRuntimeClient" | "SageMakerRuntime")
                && (self.after_dot(i) || (i > 0 && self.is_id(i - 1, "new")))
            {
                if let Some(a) = first {
                    if self.dict_lookup(a.lo, a.hi, "endpoint", 0, &mut budget).is_some() {
                        url = true;
                    }
                }
            }
        }
        (calls, url)
    }

    /// `const NAME = new a.b.Callee(` → NAME, for the callee token at `i`.
    pub(in crate::code) fn js_declared_as(&self, i: usize) -> Option<&'a str> {
        let mut k = i;
        while k >= 2 && self.is_p(k - 1, ".") && self.ident(k - 2).is_some() {
            k -= 2;
        }
        let k = k.checked_sub(1)?;
        if !self.is_id(k, "new") || !self.is_p(k.checked_sub(1)?, "=") {
            return None;
        }
        self.ident(k.checked_sub(2)?)
    }
}

/// `process.env.X` / `process.env["X"]` starting at token `i` of `toks`: (variable, index after).
pub(in crate::code) fn js_env_pattern(text: &str, toks: &[Tok], i: usize) -> Option<(String, usize)> {
    let tx = |k: usize| toks.get(k).and_then(|t| text.get(t.start..t.end)).unwrap_or("");
    let kind = |k: usize| toks.get(k).map(|t| t.kind);
    if kind(i) != Some(Kind::Ident) || tx(i) != "process" || tx(i + 1) != "." || tx(i + 2) != "env" {
        return None;
    }
    if matches!(tx(i + 3), "." | "?.") && kind(i + 4) == Some(Kind::Ident) {
        return Some((tx(i + 4).to_owned(), i + 5));
    }
    if tx(i + 3) == "[" && tx(i + 5) == "]" {
        let lit = toks.get(i + 4)?.lit.as_ref().filter(|l| !l.has_subs)?;
        return Some((lit.value.clone(), i + 6));
    }
    None
}
