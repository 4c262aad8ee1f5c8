//! Scopes and bindings: which function body each token is in, what a name is assigned there,
//! and where the file's functions are called. The languages find the scopes and assignments;
//! looking a name up is the same for all.

use std::collections::HashMap;

use super::{Analyzer, Grammar, MAX_SCOPE_HOPS, MODULE, REQUEST_NAMES};
use crate::span::Span;

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
    /// Python: the `def` or `class` has decorators, which may call or register it without its
    /// name being written anywhere else (`@app.post("/predict")`).
    pub(in crate::code) decorated: bool,
    /// The name the scope is defined under (`def f`, `class C`, `function f`, `const f = () =>`,
    /// `exports.f = …`, a method `f() {…}`), whether or not its parameters are followed.
    pub(in crate::code) name: Option<&'a str>,
    /// The first token of the definition (`def`, `class`, the name of `exports.f = …`), from where
    /// the file writes the name as a definition rather than a use.
    pub(in crate::code) head: usize,
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

pub(in crate::code) enum Binding<'s> {
    Assigned(&'s [Assign]),
    /// A parameter of the function whose scope is `scope`.
    Param {
        request: bool,
        scope: usize,
    },
    Unknown,
}

impl<'a, G: Grammar> Analyzer<'a, G> {
    pub(in crate::code) fn add_assign(&mut self, name: &'a str, scope: usize, at: usize, val: AssignVal) {
        let span = self.span(at, at + 1);
        self.assigns.entry((name, scope)).or_default().push(Assign { at, span, val });
    }

    pub(in crate::code) fn add_member(&mut self, name: &'a str, key: String, value: (usize, usize)) {
        self.members.entry((name, key)).or_default().push(value);
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

    /// The class whose body (or a method of which) holds token `at`.
    pub(in crate::code) fn enclosing_class(&self, at: usize) -> Option<usize> {
        let mut s = self.scope_of.get(at).copied().unwrap_or(MODULE);
        for _ in 0..MAX_SCOPE_HOPS {
            let scope = self.scopes.get(s)?;
            if scope.def.as_ref().is_some_and(|d| d.is_class) {
                return Some(s);
            }
            s = scope.parent;
        }
        None
    }

    /// Where each function the file defines is called: the name token before `(`, wherever it
    /// is not the function's own declaration.
    pub(in crate::code) fn index_call_sites(&mut self) {
        let mut sites: HashMap<&'a str, Vec<usize>> =
            self.scopes.iter().filter_map(|s| s.def.as_ref()).map(|d| (d.name, Vec::new())).collect();
        for k in 0..self.len() {
            let defining = k > 0 && G::DECLARES.iter().any(|w| self.is_id(k - 1, w));
            if self.is_p(k + 1, "(")
                && !defining
                && let Some(list) = self.ident(k).and_then(|name| sites.get_mut(name))
            {
                list.push(k);
            }
        }
        self.call_sites = sites;
    }
}
