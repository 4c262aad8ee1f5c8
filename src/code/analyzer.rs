//! The token-level reader both handler languages share: tokens with byte spans, bracket
//! structure, scopes, assignments and the budgeted evaluation of an endpoint-name expression.
//! Each language (`code/python`, `code/javascript`) lexes its text and adds its own passes as
//! further `impl Analyzer` blocks.

use std::collections::{HashMap, HashSet};

use super::javascript::{js_env_pattern, lex_js};
use super::{EndpointName, EnvRead, HandlerScan, InvokeCall, Language};
use crate::model::InvokeApi;
use crate::span::Span;

// ---------------------------------------------------------------------------------------------------
// Lexing
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::code) enum Kind {
    Ident,
    /// Numbers and regex literals: values we never need to read.
    Opaque,
    Str,
    Punct,
}

#[derive(Debug)]
pub(in crate::code) struct Tok {
    pub(in crate::code) kind: Kind,
    pub(in crate::code) start: usize,
    pub(in crate::code) end: usize,
    /// Python: first token of a logical line. JavaScript: a line break precedes it (for ASI).
    pub(in crate::code) bol: bool,
    /// Python: indentation width of the token's logical line (drives block structure).
    pub(in crate::code) indent: u32,
    /// String and template literals: the decoded text.
    pub(in crate::code) lit: Option<Box<Lit>>,
}

#[derive(Debug, Default)]
pub(in crate::code) struct Lit {
    /// Decoded literal text, outside any substitutions.
    pub(in crate::code) value: String,
    /// Python: an f-string with replacement fields; JS: a template literal with `${}`.
    pub(in crate::code) has_subs: bool,
    /// JS template literals: byte ranges of the top-level `${…}` expressions (re-lexed on demand).
    pub(in crate::code) subs: Vec<(usize, usize)>,
}

pub(in crate::code) const PUNCT3: &[&[u8]] =
    &[b"...", b"===", b"!==", b"**=", b"??=", b"||=", b"&&=", b">>=", b"<<=", b"//="];
pub(in crate::code) const PUNCT2: &[&[u8]] = &[
    b"==", b"!=", b"<=", b">=", b"=>", b"**", b"??", b"||", b"&&", b"?.", b"+=", b"-=", b"*=", b"/=", b"%=",
    b"->", b":=", b"++", b"--", b"<<", b">>", b"|=", b"&=", b"^=", b"@=", b"//",
];

pub(in crate::code) fn punct_len(b: &[u8], i: usize) -> usize {
    let rest = b.get(i..).unwrap_or_default();
    if PUNCT3.iter().any(|p| rest.starts_with(p)) {
        3
    } else if PUNCT2.iter().any(|p| rest.starts_with(p)) {
        2
    } else {
        1
    }
}

// Non-ASCII bytes count as identifier characters: token boundaries then always fall on ASCII bytes,
// so every token range is a valid `str` slice.
pub(in crate::code) fn is_ident_start(c: u8, js: bool) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || (js && c == b'$')
}

pub(in crate::code) fn is_ident_char(c: u8, js: bool) -> bool {
    is_ident_start(c, js) || c.is_ascii_digit()
}

pub(in crate::code) fn push_char(out: &mut Vec<u8>, ch: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

pub(in crate::code) fn hex_value(b: &[u8], from: usize, to: usize) -> Option<char> {
    let digits = std::str::from_utf8(b.get(from..to)?).ok()?;
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// Decodes the escape whose backslash is at `j - 1`; returns the index after it. Unknown escapes keep
/// the backslash in Python and drop it in JavaScript, as the languages do.
pub(in crate::code) fn decode_escape(b: &[u8], j: usize, out: &mut Vec<u8>, python: bool) -> usize {
    let Some(&c) = b.get(j) else { return j };
    match c {
        b'n' => out.push(b'\n'),
        b't' => out.push(b'\t'),
        b'r' => out.push(b'\r'),
        b'0' => out.push(0),
        b'\n' => {}
        b'\r' => return if b.get(j + 1) == Some(&b'\n') { j + 2 } else { j + 1 },
        b'\\' | b'\'' | b'"' | b'`' => out.push(c),
        b'x' => {
            if let Some(ch) = hex_value(b, j + 1, j + 3) {
                push_char(out, ch);
                return j + 3;
            }
            out.push(c);
        }
        b'u' if !python && b.get(j + 1) == Some(&b'{') => {
            let close = b.iter().skip(j + 2).take(8).position(|&x| x == b'}').map(|p| j + 2 + p);
            if let Some(ch) = close.and_then(|cl| hex_value(b, j + 2, cl)) {
                push_char(out, ch);
                return close.map_or(j + 1, |cl| cl + 1);
            }
            out.push(c);
        }
        b'u' => {
            if let Some(ch) = hex_value(b, j + 1, j + 5) {
                push_char(out, ch);
                return j + 5;
            }
            if python {
                out.push(b'\\');
            }
            out.push(c);
        }
        _ => {
            if python {
                out.push(b'\\');
            }
            out.push(c);
        }
    }
    j + 1
}

pub(in crate::code) fn finish_lit(value: &[u8], has_subs: bool, subs: Vec<(usize, usize)>) -> Lit {
    Lit { value: String::from_utf8_lossy(value).into_owned(), has_subs, subs }
}

// ---------------------------------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------------------------------

pub(in crate::code) const NONE: usize = usize::MAX;
/// Scope id of module-level code.
pub(in crate::code) const MODULE: usize = usize::MAX;
/// Pseudo-scope for `self.x = …` / `this.x = …` attribute assignments, looked up file-wide.
pub(in crate::code) const ATTR: usize = usize::MAX - 1;
/// Parameter names that, in any function, mean the incoming request.
pub(in crate::code) const REQUEST_NAMES: &[&str] =
    &["event", "evt", "request", "req", "body", "payload", "event_body"];
pub(in crate::code) const MAX_DEPTH: u32 = 12;
/// Evaluation steps allowed per call site: keeps pathological files linear.
pub(in crate::code) const BUDGET: u32 = 400;
/// Longer expressions are reported as dynamic without looking inside.
pub(in crate::code) const MAX_EXPR: usize = 512;
pub(in crate::code) const MAX_ASSIGNS: usize = 16;
pub(in crate::code) const MAX_SCOPE_HOPS: usize = 64;

pub(in crate::code) struct Scope<'a> {
    pub(in crate::code) parent: usize,
    /// Token range of the body.
    pub(in crate::code) start: usize,
    pub(in crate::code) end: usize,
    /// The first parameter of a function whose name marks it as the Lambda entry point (the event).
    pub(in crate::code) request_param: Option<&'a str>,
    /// A named function (Python `def`/`class`, JS `function f`/`const f = (…) =>`): its name and
    /// parameters in order, to follow a parameter back to the callers.
    pub(in crate::code) def: Option<FnSig<'a>>,
}

/// A function's name and parameters in order (Python: `self`/`cls` dropped for methods), each
/// with the token range of its default value.
pub(in crate::code) struct FnSig<'a> {
    pub(in crate::code) name: &'a str,
    pub(in crate::code) params: Vec<(&'a str, Option<(usize, usize)>)>,
    pub(in crate::code) method: bool,
    /// How many of `params` may be passed by position (those after `*`/`*args` are keyword-only).
    pub(in crate::code) positional: usize,
    /// A `class` (only its name is used: `Class(…)` calls its `__init__`).
    pub(in crate::code) is_class: bool,
}

pub(in crate::code) enum AssignVal {
    Expr(usize, usize),
    /// `const { X = d } = process.env`.
    Env {
        var: String,
        span: Span,
        default: Option<(usize, usize)>,
    },
    /// `const { key } = <from>`.
    Member {
        key: String,
        from: (usize, usize),
    },
    /// Assigned in a way we do not follow (loop variable, tuple unpacking, `+=`).
    Why(String),
}

pub(in crate::code) struct Assign {
    /// Token index of the target, for "assigned before the call".
    pub(in crate::code) at: usize,
    pub(in crate::code) span: Span,
    pub(in crate::code) val: AssignVal,
}

pub(in crate::code) struct EnvHit {
    pub(in crate::code) var: String,
    pub(in crate::code) span: Span,
    /// Token index after the read expression.
    pub(in crate::code) end: usize,
    pub(in crate::code) default: Option<(usize, usize)>,
}

pub(in crate::code) enum Binding<'s> {
    Assigned(&'s [Assign]),
    /// A parameter of the function whose scope is `scope`.
    Param {
        request: bool,
        scope: usize,
    },
    Unknown,
}

/// Where a property/keyword value was found.
#[derive(Clone, Copy)]
pub(in crate::code) enum Found {
    Expr(usize, usize),
    /// A JS shorthand property `{ EndpointName }`: the identifier token.
    Short(usize),
}

pub(in crate::code) struct Arg<'a> {
    pub(in crate::code) kw: Option<&'a str>,
    /// 0 plain, 1 `*x` / `...x`, 2 `**x`.
    pub(in crate::code) star: u8,
    pub(in crate::code) lo: usize,
    pub(in crate::code) hi: usize,
}

pub(in crate::code) struct Analyzer<'a> {
    pub(in crate::code) lang: Language,
    pub(in crate::code) text: &'a str,
    pub(in crate::code) toks: Vec<Tok>,
    /// For an opening bracket, the index of its closer (or `toks.len()`); otherwise the token itself.
    pub(in crate::code) close: Vec<usize>,
    /// For a closing bracket, the index of its opener; otherwise `NONE`.
    pub(in crate::code) open: Vec<usize>,
    /// Innermost enclosing opening bracket, or `NONE`.
    pub(in crate::code) parent: Vec<usize>,
    /// JS: this `{` opens a statement block (rather than an object literal or pattern).
    pub(in crate::code) block: Vec<bool>,
    /// JS: for each token `p`, where an expression scan that has reached `p` stops (see
    /// `js_expr_end`); filled by `js_structure`.
    pub(in crate::code) expr_stop: Vec<usize>,
    pub(in crate::code) scopes: Vec<Scope<'a>>,
    pub(in crate::code) scope_of: Vec<usize>,
    pub(in crate::code) params: HashSet<(&'a str, usize)>,
    pub(in crate::code) assigns: HashMap<(&'a str, usize), Vec<Assign>>,
    /// `params["EndpointName"] = x` / `params.EndpointName = x`.
    pub(in crate::code) members: HashMap<(&'a str, String), Vec<(usize, usize)>>,
    pub(in crate::code) env_at: HashMap<usize, EnvHit>,
    pub(in crate::code) env_reads: Vec<EnvRead>,
    /// Token lies in a `try` body that has an `except`/`catch`.
    pub(in crate::code) protected: Vec<bool>,
    /// Where each function defined in the file is called (the name token before `(`).
    pub(in crate::code) call_sites: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Analyzer<'a> {
    pub(in crate::code) fn new(lang: Language, text: &'a str, toks: Vec<Tok>) -> Self {
        let len = toks.len();
        let mut close: Vec<usize> = (0..len).collect();
        let mut open = vec![NONE; len];
        let mut parent = vec![NONE; len];
        let mut stack: Vec<(usize, u8)> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            parent[i] = stack.last().map_or(NONE, |&(o, _)| o);
            if t.kind != Kind::Punct || t.end != t.start + 1 {
                continue;
            }
            let c = text.as_bytes().get(t.start).copied().unwrap_or(0);
            match c {
                b'(' | b'[' | b'{' => {
                    close[i] = len;
                    stack.push((i, c));
                }
                b')' | b']' | b'}' => {
                    let want = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    // A stray closer (broken code) is left unmatched rather than unbalancing the rest.
                    if let Some(&(o, oc)) = stack.last() {
                        if oc == want {
                            stack.pop();
                            close[o] = i;
                            open[i] = o;
                            parent[i] = parent[o];
                        }
                    }
                }
                _ => {}
            }
        }
        Analyzer {
            lang,
            text,
            toks,
            close,
            open,
            parent,
            block: vec![false; len],
            expr_stop: Vec::new(),
            scopes: Vec::new(),
            scope_of: vec![MODULE; len],
            params: HashSet::new(),
            assigns: HashMap::new(),
            members: HashMap::new(),
            env_at: HashMap::new(),
            env_reads: Vec::new(),
            protected: vec![false; len],
            call_sites: HashMap::new(),
        }
    }

    // ---- token helpers -------------------------------------------------------------------------

    pub(in crate::code) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(in crate::code) fn t(&self, i: usize) -> &'a str {
        let text: &'a str = self.text;
        self.toks.get(i).and_then(|t| text.get(t.start..t.end)).unwrap_or("")
    }

    pub(in crate::code) fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(in crate::code) fn is_p(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.t(i) == p
    }

    pub(in crate::code) fn is_id(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Some(Kind::Ident) && self.t(i) == w
    }

    pub(in crate::code) fn ident(&self, i: usize) -> Option<&'a str> {
        (self.kind(i) == Some(Kind::Ident)).then(|| self.t(i))
    }

    pub(in crate::code) fn lit(&self, i: usize) -> Option<&Lit> {
        self.toks.get(i).and_then(|t| t.lit.as_deref())
    }

    /// A plain string literal's value (no substitutions).
    pub(in crate::code) fn str_value(&self, i: usize) -> Option<&str> {
        self.lit(i).filter(|l| !l.has_subs).map(|l| l.value.as_str())
    }

    pub(in crate::code) fn is_close(&self, i: usize) -> bool {
        self.open.get(i).is_some_and(|&o| o != NONE)
    }

    pub(in crate::code) fn bol(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.bol)
    }

    pub(in crate::code) fn prev_is(&self, i: usize, p: &str) -> bool {
        i > 0 && self.is_p(i - 1, p)
    }

    pub(in crate::code) fn after_dot(&self, i: usize) -> bool {
        self.prev_is(i, ".") || self.prev_is(i, "?.")
    }

    pub(in crate::code) fn close_of(&self, i: usize) -> usize {
        self.close.get(i).copied().unwrap_or(i)
    }

    /// The index after token `i`, jumping over a bracketed group.
    pub(in crate::code) fn skip(&self, i: usize) -> usize {
        self.close_of(i).max(i).saturating_add(1)
    }

    /// Span of tokens `lo..hi`.
    pub(in crate::code) fn span(&self, lo: usize, hi: usize) -> Span {
        match (self.toks.get(lo), hi.checked_sub(1).and_then(|h| self.toks.get(h))) {
            (Some(a), Some(z)) if z.end >= a.start => Span::from_range(a.start, z.end),
            (Some(a), _) => Span::from_range(a.start, a.end),
            _ => Span::from_range(self.text.len(), self.text.len()),
        }
    }

    /// The first top-level token in `lo..hi` satisfying `pred`.
    pub(in crate::code) fn find_top(
        &self,
        lo: usize,
        hi: usize,
        pred: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut i = lo;
        while i < hi.min(self.len()) {
            if pred(i) {
                return Some(i);
            }
            i = self.skip(i);
        }
        None
    }

    /// Splits `lo..hi` at top-level commas, dropping empty pieces.
    pub(in crate::code) fn split(&self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let hi = hi.min(self.len());
        let mut out = Vec::new();
        let mut start = lo;
        let mut i = lo;
        while i < hi {
            if self.is_p(i, ",") {
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
            i = self.skip(i);
        }
        if hi > start {
            out.push((start, hi));
        }
        out
    }

    /// The arguments of the call whose `(` is at `open`.
    pub(in crate::code) fn args(&self, open: usize) -> Vec<Arg<'a>> {
        let close = self.close_of(open);
        if !self.is_p(open, "(") || close <= open {
            return Vec::new();
        }
        self.split(open + 1, close)
            .into_iter()
            .map(|(lo, hi)| {
                if self.lang == Language::Python && self.ident(lo).is_some() && self.is_p(lo + 1, "=") {
                    Arg { kw: self.ident(lo), star: 0, lo: lo + 2, hi }
                } else if self.is_p(lo, "**") {
                    Arg { kw: None, star: 2, lo: lo + 1, hi }
                } else if self.is_p(lo, "*") || self.is_p(lo, "...") {
                    Arg { kw: None, star: 1, lo: lo + 1, hi }
                } else {
                    Arg { kw: None, star: 0, lo, hi }
                }
            })
            .collect()
    }

    /// Source text of tokens `lo..hi`, whitespace collapsed and shortened for messages.
    pub(in crate::code) fn snippet(&self, lo: usize, hi: usize) -> String {
        let span = self.span(lo, hi);
        let raw = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
        let mut out = String::new();
        let mut count = 0;
        let mut last_ws = false;
        for ch in raw.chars() {
            if ch.is_whitespace() {
                if !last_ws {
                    out.push(' ');
                }
                last_ws = true;
                continue;
            }
            last_ws = false;
            if count >= 60 {
                out.push('…');
                break;
            }
            out.push(ch);
            count += 1;
        }
        out
    }

    pub(in crate::code) fn add_assign(&mut self, name: &'a str, scope: usize, at: usize, val: AssignVal) {
        let span = self.span(at, at + 1);
        self.assigns.entry((name, scope)).or_default().push(Assign { at, span, val });
    }

    pub(in crate::code) fn add_member(&mut self, name: &'a str, key: String, value: (usize, usize)) {
        self.members.entry((name, key)).or_default().push(value);
    }

    pub(in crate::code) fn mark_protected(&mut self, ranges: &[(usize, usize)]) {
        let len = self.len();
        let mut diff = vec![0i64; len + 1];
        for &(lo, hi) in ranges {
            if lo < hi && lo < len {
                diff[lo] += 1;
                diff[hi.min(len)] -= 1;
            }
        }
        let mut acc = 0i64;
        for (i, p) in self.protected.iter_mut().enumerate() {
            acc += diff[i];
            *p = acc > 0;
        }
    }

    /// Assigns each token its innermost scope, and each scope its parent, in one sweep.
    pub(in crate::code) fn compute_scope_of(&mut self) {
        let mut order: Vec<usize> = (0..self.scopes.len()).collect();
        order.sort_by_key(|&s| (self.scopes[s].start, std::cmp::Reverse(self.scopes[s].end)));
        let mut stack: Vec<usize> = Vec::new();
        let mut k = 0;
        for i in 0..self.len() {
            while stack.last().is_some_and(|&s| self.scopes[s].end <= i) {
                stack.pop();
            }
            while k < order.len() && self.scopes[order[k]].start <= i {
                let s = order[k];
                k += 1;
                if self.scopes[s].end > i {
                    self.scopes[s].parent = stack.last().copied().unwrap_or(MODULE);
                    stack.push(s);
                }
            }
            self.scope_of[i] = stack.last().copied().unwrap_or(MODULE);
        }
    }

    // ---- resolution ----------------------------------------------------------------------------

    /// How `name` is bound at token `at`: the assignments of the nearest scope that assigns it, or a
    /// parameter. Inside the innermost function only assignments before `at` count (when there are any).
    pub(in crate::code) fn lookup(&self, name: &'a str, at: usize) -> Binding<'_> {
        let mut s = self.scope_of.get(at).copied().unwrap_or(MODULE);
        let mut innermost = true;
        for _ in 0..MAX_SCOPE_HOPS {
            if let Some(list) = self.assigns.get(&(name, s)) {
                if innermost && s != MODULE {
                    let before = list.partition_point(|x| x.at < at);
                    if before > 0 {
                        return Binding::Assigned(&list[..before]);
                    }
                }
                return Binding::Assigned(list);
            }
            if self.params.contains(&(name, s)) {
                let request = REQUEST_NAMES.contains(&name)
                    || self.scopes.get(s).and_then(|x| x.request_param) == Some(name);
                return Binding::Param { request, scope: s };
            }
            if s == MODULE {
                break;
            }
            s = self.scopes.get(s).map_or(MODULE, |x| x.parent);
            innermost = false;
        }
        Binding::Unknown
    }

    pub(in crate::code) fn resolve_name(
        &self,
        name: &'a str,
        at: usize,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let span = self.span(at, at + 1);
        match self.lookup(name, at) {
            Binding::Assigned(list) => self.resolve_list(name, list, span, depth, budget),
            Binding::Param { request: true, .. } => EndpointName::Dynamic {
                from_request: true,
                span,
                why: format!("built from the request (`{name}`)"),
            },
            Binding::Param { request: false, scope } => self
                .param_from_callers(name, scope, span, depth, budget)
                .unwrap_or_else(|| EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: format!("a function parameter `{name}`"),
                }),
            Binding::Unknown => EndpointName::Dynamic {
                from_request: false,
                span,
                why: format!("`{name}`, which is not assigned in this file"),
            },
        }
    }

    /// One value when every assignment resolves to the same thing, else dynamic.
    pub(in crate::code) fn resolve_list(
        &self,
        name: &str,
        list: &[Assign],
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        if list.len() > MAX_ASSIGNS {
            return EndpointName::Dynamic {
                from_request: false,
                span,
                why: format!("`{name}`, which is assigned in many places"),
            };
        }
        let mut first: Option<EndpointName> = None;
        for x in list {
            let v = self.eval_assign(x, depth + 1, budget);
            match &first {
                None => first = Some(v),
                Some(f) if same_value(f, &v) => {}
                Some(_) => {
                    return EndpointName::Dynamic {
                        from_request: false,
                        span,
                        why: format!("`{name}`, which is assigned different values"),
                    };
                }
            }
        }
        first.unwrap_or(EndpointName::Dynamic {
            from_request: false,
            span,
            why: format!("`{name}`, which is never assigned"),
        })
    }

    pub(in crate::code) fn eval_assign(&self, x: &Assign, depth: u32, budget: &mut u32) -> EndpointName {
        match &x.val {
            AssignVal::Expr(lo, hi) => self.eval(*lo, *hi, depth, budget),
            AssignVal::Env { var, span, default } => EndpointName::EnvVar {
                var: var.clone(),
                span: *span,
                default: default.and_then(|(lo, hi)| literal_of(self.eval(lo, hi, depth, budget))),
            },
            AssignVal::Member { key, from } => self.eval_member(from.0, from.1, key, x.span, depth, budget),
            AssignVal::Why(why) => {
                EndpointName::Dynamic { from_request: false, span: x.span, why: why.clone() }
            }
        }
    }

    /// `const { key } = <lo..hi>`.
    pub(in crate::code) fn eval_member(
        &self,
        lo: usize,
        hi: usize,
        key: &str,
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        if let Some(found) = self.dict_lookup(lo, hi, key, depth + 1, budget) {
            return self.eval_found(found, depth + 1, budget);
        }
        let text = self.snippet(lo, hi);
        match self.eval(lo, hi, depth + 1, budget) {
            EndpointName::Dynamic { from_request: true, .. } => EndpointName::Dynamic {
                from_request: true,
                span,
                why: format!("built from the request (`{key}` of {text})"),
            },
            _ => {
                EndpointName::Dynamic { from_request: false, span, why: format!("destructured from {text}") }
            }
        }
    }

    pub(in crate::code) fn eval_found(&self, found: Found, depth: u32, budget: &mut u32) -> EndpointName {
        match found {
            Found::Expr(lo, hi) => self.eval(lo, hi, depth, budget),
            Found::Short(i) => self.resolve_name(self.t(i), i, depth, budget),
        }
    }

    /// Strips parentheses and, in TypeScript, `as T` / `satisfies T` / non-null `!`.
    pub(in crate::code) fn trim(&self, mut lo: usize, mut hi: usize) -> (usize, usize) {
        hi = hi.min(self.len());
        for _ in 0..64 {
            if lo >= hi {
                break;
            }
            if self.is_p(lo, "(") && self.close_of(lo) == hi - 1 {
                lo += 1;
                hi -= 1;
                continue;
            }
            if self.lang == Language::JavaScript {
                if hi - 1 > lo && self.is_p(hi - 1, "!") {
                    hi -= 1;
                    continue;
                }
                if let Some(k) =
                    self.find_top(self.skip(lo), hi, |k| self.is_id(k, "as") || self.is_id(k, "satisfies"))
                {
                    hi = k;
                    continue;
                }
                // TypeScript's older cast syntax: `<string>process.env.X`.
                if hi > lo + 3 && self.is_p(lo, "<") && self.ident(lo + 1).is_some() && self.is_p(lo + 2, ">")
                {
                    lo += 3;
                    continue;
                }
            }
            break;
        }
        (lo, hi)
    }

    /// Folds the expression `lo..hi` at its position in the file into an endpoint name.
    pub(in crate::code) fn eval(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let hi = hi.min(self.len());
        if lo >= hi {
            return EndpointName::Dynamic {
                from_request: false,
                span: self.span(lo, lo + 1),
                why: "an expression sagelint could not read".to_owned(),
            };
        }
        if hi - lo > MAX_EXPR {
            return EndpointName::Dynamic {
                from_request: false,
                span: self.span(lo, hi),
                why: "a long expression".to_owned(),
            };
        }
        let (lo, hi) = self.trim(lo, hi);
        let span = self.span(lo, hi);
        if lo >= hi {
            return EndpointName::Dynamic {
                from_request: false,
                span,
                why: "an expression sagelint could not read".to_owned(),
            };
        }
        if depth > MAX_DEPTH || *budget == 0 {
            return EndpointName::Dynamic {
                from_request: false,
                span,
                why: "too many levels of indirection to follow".to_owned(),
            };
        }
        *budget -= 1;
        let js = self.lang == Language::JavaScript;

        // `X or "d"`, `X ?? "d"`, `X || "d"`: the default of an environment read.
        let fallback =
            |k: usize| if js { self.is_p(k, "??") || self.is_p(k, "||") } else { self.is_id(k, "or") };
        if let Some(op) = self.find_top(lo, hi, fallback) {
            let left = self.eval(lo, op, depth + 1, budget);
            return match left {
                EndpointName::EnvVar { var, span, default: None } => {
                    let default = literal_of(self.eval(op + 1, hi, depth + 1, budget));
                    EndpointName::EnvVar { var, span, default }
                }
                EndpointName::EnvVar { .. } | EndpointName::Literal { .. } => left,
                _ => EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: format!("a fallback expression ({})", self.snippet(lo, hi)),
                },
            };
        }
        let conditional = |k: usize| if js { self.is_p(k, "?") } else { self.is_id(k, "if") };
        if self.find_top(self.skip(lo), hi, conditional).is_some() {
            return EndpointName::Dynamic {
                from_request: false,
                span,
                why: format!("a conditional expression ({})", self.snippet(lo, hi)),
            };
        }
        if let Some(hit) = self.env_at.get(&lo) {
            if hit.end == hi {
                let default = hit.default.and_then(|(a, z)| literal_of(self.eval(a, z, depth + 1, budget)));
                return EndpointName::EnvVar { var: hit.var.clone(), span: hit.span, default };
            }
        }
        if (lo..hi).all(|k| self.kind(k) == Some(Kind::Str)) {
            return self.fold_literals(lo, hi, depth, budget);
        }
        if hi == lo + 1 {
            if let Some(name) = self.ident(lo) {
                if matches!(name, "None" | "null" | "undefined") {
                    return EndpointName::Dynamic {
                        from_request: false,
                        span,
                        why: format!("no value (`{name}`)"),
                    };
                }
                return self.resolve_name(name, lo, depth, budget);
            }
        }
        if hi == lo + 3 && (self.is_id(lo, "self") || self.is_id(lo, "this")) && self.is_p(lo + 1, ".") {
            if let Some(attr) = self.ident(lo + 2) {
                if let Some(list) = self.assigns.get(&(attr, ATTR)) {
                    return self.resolve_list(&self.snippet(lo, hi), list, span, depth, budget);
                }
            }
        }
        // `config.endpointName` with `const config = { endpointName: … }` (JavaScript only: in
        // Python a dict's keys are not attributes).
        if self.lang == Language::JavaScript
            && hi == lo + 3
            && self.ident(lo).is_some()
            && (self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?."))
            && let Some(attr) = self.ident(lo + 2)
            && let Some(found) = self.dict_lookup(lo, lo + 1, attr, depth + 1, budget)
        {
            return self.eval_found(found, depth + 1, budget);
        }
        self.why_dynamic(lo, hi, depth, budget)
    }

    pub(in crate::code) fn fold_literals(
        &self,
        lo: usize,
        hi: usize,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let span = self.span(lo, hi);
        let mut value = String::new();
        for k in lo..hi {
            let Some(lit) = self.lit(k) else {
                return EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: "a string sagelint could not read".to_owned(),
                };
            };
            if lit.has_subs {
                if self.lang == Language::Python {
                    return EndpointName::Dynamic {
                        from_request: false,
                        span,
                        why: "an f-string".to_owned(),
                    };
                }
                if hi == lo + 1 && lit.value.is_empty() && lit.subs.len() == 1 {
                    return self.eval_template_sub(lo, lit.subs[0], depth, budget);
                }
                return EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: "a template literal with substitutions".to_owned(),
                };
            }
            value.push_str(&lit.value);
        }
        EndpointName::Literal { value, span }
    }

    /// A template literal that is exactly `${expr}`: re-lexes the substitution and folds the simple
    /// shapes (a name, a string, an environment read with an optional literal default).
    pub(in crate::code) fn eval_template_sub(
        &self,
        at: usize,
        (s, e): (usize, usize),
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let span = self.span(at, at + 1);
        let text: &'a str = self.text;
        let sub = lex_js(text, s, e);
        let tx = |t: &Tok| text.get(t.start..t.end).unwrap_or("");
        let is_default_op = |t: &Tok| t.kind == Kind::Punct && matches!(tx(t), "??" | "||");
        let env = js_env_pattern(text, &sub, 0);
        match (sub.as_slice(), env) {
            ([t], _) if t.kind == Kind::Ident => self.resolve_name(tx(t), at, depth + 1, budget),
            ([t], _) if t.kind == Kind::Str && t.lit.as_ref().is_some_and(|l| !l.has_subs) => {
                EndpointName::Literal {
                    value: t.lit.as_ref().map(|l| l.value.clone()).unwrap_or_default(),
                    span: Span::from_range(t.start, t.end),
                }
            }
            (toks, Some((var, end))) => {
                let read_span = Span::from_range(toks[0].start, toks[end - 1].end);
                let default = match toks.get(end..) {
                    Some([]) => Some(None),
                    Some([op, d]) if is_default_op(op) && d.kind == Kind::Str => {
                        Some(d.lit.as_ref().filter(|l| !l.has_subs).map(|l| l.value.clone()))
                    }
                    _ => None,
                };
                match default {
                    Some(default) => EndpointName::EnvVar { var, span: read_span, default },
                    None => EndpointName::Dynamic {
                        from_request: false,
                        span,
                        why: "a template literal with substitutions".to_owned(),
                    },
                }
            }
            _ => EndpointName::Dynamic {
                from_request: false,
                span,
                why: "a template literal with substitutions".to_owned(),
            },
        }
    }

    /// Explains why `lo..hi` cannot be folded.
    pub(in crate::code) fn why_dynamic(
        &self,
        lo: usize,
        hi: usize,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let span = self.span(lo, hi);
        let text = self.snippet(lo, hi);
        let dynamic = |why: String| EndpointName::Dynamic { from_request: false, span, why };
        let from_request = |why: String| EndpointName::Dynamic { from_request: true, span, why };
        let mut param_hit: Option<&str> = None;
        for k in lo..hi {
            let Some(w) = self.ident(k) else { continue };
            if self.after_dot(k) || (self.lang == Language::Python && self.is_p(k + 1, "=")) {
                continue;
            }
            match self.lookup(w, k) {
                Binding::Param { request: true, .. } => {
                    return from_request(format!("built from the request ({text})"));
                }
                Binding::Param { request: false, .. } => {
                    param_hit.get_or_insert(w);
                }
                _ => {}
            }
        }
        // `body["endpoint"]` where `body = json.loads(event["body"])`.
        if let Some(w) = self.ident(lo) {
            if hi > lo + 1 && (self.is_p(lo + 1, "[") || self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?.")) {
                if let Binding::Assigned(_) = self.lookup(w, lo) {
                    if let EndpointName::Dynamic { from_request: true, .. } =
                        self.resolve_name(w, lo, depth + 1, budget)
                    {
                        return from_request(format!("built from the request ({text})"));
                    }
                }
            }
        }
        let parses_json = (lo..hi).any(|k| {
            k >= 2
                && ((self.is_id(k, "loads") && self.is_id(k - 2, "json"))
                    || (self.is_id(k, "parse") && self.is_id(k - 2, "JSON")))
        });
        if parses_json {
            return from_request(format!("built from the request ({text})"));
        }
        if let Some(p) = param_hit {
            return dynamic(format!("built from the function parameter `{p}` ({text})"));
        }
        if self.find_top(lo, hi, |k| self.is_p(k, "+")).is_some() {
            return dynamic(format!("built by concatenation ({text})"));
        }
        if self.lang == Language::Python && self.find_top(lo, hi, |k| self.is_p(k, "%")).is_some() {
            return dynamic(format!("built with %-formatting ({text})"));
        }
        if self
            .find_top(lo, hi, |k| self.is_p(k, ".") && self.is_id(k + 1, "format") && self.is_p(k + 2, "("))
            .is_some()
        {
            return dynamic(format!("built with str.format ({text})"));
        }
        if self.is_p(hi - 1, ")") {
            let open = self.open.get(hi - 1).copied().unwrap_or(NONE);
            if open != NONE && open > lo {
                return dynamic(format!("the result of calling `{}`", self.snippet(lo, open)));
            }
        }
        if self.is_p(hi - 1, "]") || self.is_p(lo + 1, ".") {
            return dynamic(format!("read from {text}"));
        }
        dynamic(format!("an expression that cannot be resolved statically ({text})"))
    }

    /// Finds `key` in the dict / object expression `lo..hi` (a literal, `dict(...)`, or a name bound to
    /// one, including later `x["key"] = v` / `x.key = v` assignments and spreads).
    pub(in crate::code) fn dict_lookup(
        &self,
        lo: usize,
        hi: usize,
        key: &str,
        depth: u32,
        budget: &mut u32,
    ) -> Option<Found> {
        if depth > MAX_DEPTH || *budget == 0 {
            return None;
        }
        *budget -= 1;
        let (lo, hi) = self.trim(lo, hi);
        if lo >= hi || hi - lo > MAX_EXPR * 8 {
            return None;
        }
        let js = self.lang == Language::JavaScript;
        if self.is_p(lo, "{") && self.close_of(lo) == hi - 1 {
            let mut found = None;
            for (s, e) in self.split(lo + 1, hi - 1) {
                let key_matches = self.str_value(s) == Some(key) || (js && self.is_id(s, key));
                if key_matches && self.is_p(s + 1, ":") {
                    found = Some(Found::Expr(s + 2, e));
                } else if js && e == s + 1 && self.is_id(s, key) {
                    found = Some(Found::Short(s));
                } else if self.is_p(s, "**") || self.is_p(s, "...") {
                    if let Some(f) = self.dict_lookup(s + 1, e, key, depth + 1, budget) {
                        found = Some(f);
                    }
                }
            }
            return found;
        }
        if !js && self.is_id(lo, "dict") && self.is_p(lo + 1, "(") && self.close_of(lo + 1) == hi - 1 {
            return self.py_kwarg(lo + 1, key, depth + 1, budget);
        }
        if hi == lo + 1 {
            let name = self.ident(lo)?;
            if let Some(v) = self.members.get(&(name, key.to_owned())).and_then(|v| v.last()) {
                return Some(Found::Expr(v.0, v.1));
            }
            if let Binding::Assigned(list) = self.lookup(name, lo) {
                for x in list.iter().rev().take(MAX_ASSIGNS) {
                    if let AssignVal::Expr(a, z) = x.val {
                        if let Some(f) = self.dict_lookup(a, z, key, depth + 1, budget) {
                            return Some(f);
                        }
                    }
                }
            }
        }
        None
    }

    pub(in crate::code) fn env_hit(
        &mut self,
        start: usize,
        end: usize,
        var: String,
        default: Option<(usize, usize)>,
        has_default: bool,
    ) {
        let span = self.span(start, end);
        self.env_reads.push(EnvRead { var: var.clone(), span, has_default });
        self.env_at.insert(start, EnvHit { var, span, end, default });
    }

    pub(in crate::code) fn call(
        &self,
        api: InvokeApi,
        i: usize,
        endpoint: EndpointName,
        inference_component: bool,
    ) -> InvokeCall {
        InvokeCall {
            api,
            callee: self.t(i).to_owned(),
            span: self.span(i, i + 1),
            endpoint,
            in_error_handler: self.protected.get(i).copied().unwrap_or(false),
            inference_component,
            input_location: None,
            imported: None,
            endpoint_file: None,
        }
    }
}

pub(in crate::code) fn is_augmented(p: &str) -> bool {
    matches!(
        p,
        "+=" | "-="
            | "*="
            | "/="
            | "%="
            | "//="
            | "**="
            | "|="
            | "&="
            | "^="
            | "@="
            | "??="
            | "||="
            | "&&="
            | ">>="
            | "<<="
    )
}

pub(in crate::code) fn literal_of(e: EndpointName) -> Option<String> {
    match e {
        EndpointName::Literal { value, .. } => Some(value),
        _ => None,
    }
}

/// Whether two resolutions name the same thing (spans aside).
pub(in crate::code) fn same_value(x: &EndpointName, y: &EndpointName) -> bool {
    match (x, y) {
        (EndpointName::Literal { value: a, .. }, EndpointName::Literal { value: b, .. }) => a == b,
        (
            EndpointName::EnvVar { var: a, default: da, .. },
            EndpointName::EnvVar { var: b, default: db, .. },
        ) => a == b && da == db,
        (EndpointName::Missing, EndpointName::Missing) => true,
        _ => false,
    }
}
impl Analyzer<'_> {
    /// The scan of the file, once a language's passes have found its calls: calls and
    /// environment reads in source order.
    pub(in crate::code) fn finish(
        self,
        mut calls: Vec<InvokeCall>,
        explicit_endpoint_url: bool,
        constants: Vec<(String, EndpointName)>,
    ) -> HandlerScan {
        calls.sort_by_key(|c| c.span);
        let mut env_reads = self.env_reads;
        env_reads.sort_by_key(|r| r.span);
        env_reads.dedup();
        HandlerScan { calls, env_reads, explicit_endpoint_url, constants }
    }
}
