//! The token-level reader every handler language shares: tokens with byte spans, bracket
//! structure, scopes, assignments, environment reads and the budgeted evaluation of an
//! endpoint-name expression. It knows no language: what differs between them (which operator
//! gives a fallback, whether keys are names, what a string with substitutions is) it asks the
//! language's [`Grammar`]. A language lexes its text, runs its own passes as an
//! `impl Analyzer<'_, ItsGrammar>` block (so one language's passes are not callable on another's
//! file), and hands the calls it found to [`Analyzer::finish`].

mod eval;
pub(in crate::code) mod lex;
mod protect;
mod resolve;
pub(in crate::code) mod scope;
mod tokens;

use std::collections::{HashMap, HashSet};

use crate::code::{EndpointName, EnvRead, HandlerScan, InvokeCall, RuntimeClients};
use crate::model::InvokeApi;
use crate::span::Span;
use lex::{Kind, Lit, Tok};
use scope::{Assign, Scope};

/// What the shared passes ask of a language. The constants are the spellings that differ; the
/// functions, the few shapes only one language has.
pub(in crate::code) trait Grammar: Sized {
    /// Operators that give a fallback value: Python `X or d`, JavaScript `X ?? d`, `X || d`.
    const FALLBACK: &'static [&'static str];
    /// The token that makes an expression conditional (`a if c else b`, `c ? a : b`).
    const CONDITIONAL: &'static str;
    /// The name a method calls its own object by (`self`, `this`).
    const RECEIVER: &'static str;
    /// The method a class runs when it is called to make an object.
    const CONSTRUCTOR: &'static str;
    /// Words after which `name(` declares a function or class rather than calling it.
    const DECLARES: &'static [&'static str];
    /// `(module, function)` calls that parse JSON: a value they return came in a request body.
    const JSON_PARSERS: &'static [(&'static str, &'static str)];
    /// Call arguments may be passed by keyword (`f(name=value)`).
    const KEYWORD_ARGUMENTS: bool;
    /// An object literal's keys are names (`{ key: v }`, `{ key }`, read back as `obj.key`), not
    /// only strings as in a Python dict.
    const KEYS_ARE_NAMES: bool;

    /// The value the string literals `lo..hi` fold to when `lit`, one of them, has
    /// substitutions (an f-string, a template literal).
    fn fold_substituted(
        an: &Analyzer<'_, Self>,
        lo_hi: (usize, usize),
        lit: &Lit,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName;

    /// The expression inside `lo..hi` when `lo..hi` only wraps it without changing its value
    /// (TypeScript's `x as T`, `x!`, `<T>x`), or `None`.
    fn unwrap(_an: &Analyzer<'_, Self>, _lo: usize, _hi: usize) -> Option<(usize, usize)> {
        None
    }

    /// Where `key` is in the mapping a call builds (Python `dict(key=…)`), when `lo..hi` is one.
    fn mapping_call(
        _an: &Analyzer<'_, Self>,
        _lo: usize,
        _hi: usize,
        _key: &str,
        _depth: u32,
        _budget: &mut u32,
    ) -> Option<Found> {
        None
    }

    /// How `lo..hi` formats a string at run time other than by `+` (Python `%`, `str.format`),
    /// as a message says it.
    fn formatting(_an: &Analyzer<'_, Self>, _lo: usize, _hi: usize) -> Option<&'static str> {
        None
    }
}

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

pub(in crate::code) struct EnvHit {
    pub(in crate::code) var: String,
    pub(in crate::code) span: Span,
    /// Token index after the read expression.
    pub(in crate::code) end: usize,
    pub(in crate::code) default: Option<(usize, usize)>,
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

/// One file as the shared passes see it: its tokens and bracket structure, the scopes, bindings
/// and environment reads the language's passes found, and its [`Grammar`]'s own state.
pub(in crate::code) struct Analyzer<'a, G> {
    /// The language's grammar, and whatever it learns of this file's structure for its own passes.
    pub(in crate::code) grammar: G,
    pub(in crate::code) text: &'a str,
    pub(in crate::code) toks: Vec<Tok>,
    /// For an opening bracket, the index of its closer (or `toks.len()`); otherwise the token itself.
    pub(in crate::code) close: Vec<usize>,
    /// For a closing bracket, the index of its opener; otherwise `NONE`.
    pub(in crate::code) open: Vec<usize>,
    /// Innermost enclosing opening bracket, or `NONE`.
    pub(in crate::code) parent: Vec<usize>,
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

impl<'a, G: Grammar + Default> Analyzer<'a, G> {
    /// Pairs the brackets of `toks`, the tokens a language lexed from `text`.
    pub(in crate::code) fn new(text: &'a str, toks: Vec<Tok>) -> Self {
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
                    if let Some(&(o, oc)) = stack.last()
                        && oc == want
                    {
                        stack.pop();
                        close[o] = i;
                        open[i] = o;
                        parent[i] = parent[o];
                    }
                }
                _ => {}
            }
        }
        Analyzer {
            grammar: G::default(),
            text,
            toks,
            close,
            open,
            parent,
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
}

impl<G: Grammar> Analyzer<'_, G> {
    /// Records the environment read of tokens `start..end`; `default` is its fallback
    /// expression, when the read itself holds one.
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

    /// The call whose callee name is token `i`, as far as the shared passes know it.
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
            reached_through: self.reached_through(i),
            param: None,
        }
    }

    /// The named top-level scopes, in source order.
    fn top_level(&self) -> Vec<crate::code::TopLevelDef> {
        let mut out: Vec<crate::code::TopLevelDef> = self
            .scopes
            .iter()
            .filter(|s| s.parent == MODULE)
            .filter_map(|s| {
                Some(crate::code::TopLevelDef {
                    name: s.name?.to_owned(),
                    span: self.span(s.head, s.end),
                    decorated: s.decorated,
                })
            })
            .collect();
        out.sort_by_key(|d| d.span);
        out
    }

    /// See [`InvokeCall::reached_through`]: the top-level scope around token `i`, by name.
    fn reached_through(&self, i: usize) -> Option<String> {
        let mut s = self.scope_of.get(i).copied().unwrap_or(MODULE);
        for _ in 0..MAX_SCOPE_HOPS {
            let scope = self.scopes.get(s)?;
            if scope.decorated {
                return None;
            }
            if scope.parent == MODULE {
                return scope.name.map(str::to_owned);
            }
            s = scope.parent;
        }
        None
    }

    /// The scan of the file, once a language's passes have found its calls: calls and
    /// environment reads in source order.
    pub(in crate::code) fn finish(
        self,
        mut calls: Vec<InvokeCall>,
        clients: RuntimeClients,
        constants: Vec<(String, EndpointName)>,
    ) -> HandlerScan {
        calls.sort_by_key(|c| c.span);
        let top_level = self.top_level();
        let mut env_reads = self.env_reads;
        env_reads.sort_by_key(|r| r.span);
        env_reads.dedup();
        HandlerScan {
            calls,
            env_reads,
            explicit_endpoint_url: clients.explicit_endpoint_url,
            client_region: clients.region,
            constants,
            top_level,
        }
    }
}
