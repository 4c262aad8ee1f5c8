//! Python's structure from indentation: function and class scopes with their signatures,
//! `try` bodies whose `except` catches.

use super::PyGrammar;
use super::indirect::PyDef;
use crate::code::analyzer::scope::{FnSig, Scope};
use crate::code::analyzer::{Analyzer, MODULE};

impl<'a> Analyzer<'a, PyGrammar> {
    /// Function/class scopes and `try` bodies, from indentation.
    pub(in crate::code) fn py_structure(&mut self) {
        enum Blk {
            Scope(usize),
            Try(usize),
        }
        let len = self.len();
        let mut stack: Vec<(u32, Blk)> = Vec::new();
        let mut trys: Vec<(usize, usize, bool)> = Vec::new();
        let mut defs: Vec<PyDef> = Vec::new();
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
                let decorators = self.py_decorators(i);
                let decorated = !decorators.is_empty();
                let scope_name = self.ident(h + 1);
                self.scopes.push(Scope {
                    parent: MODULE,
                    start,
                    end: len,
                    request_param,
                    def: None,
                    decorated,
                    name: scope_name,
                    head: i,
                });
                if self.is_id(h, "def") {
                    self.scopes[s].def = Some(self.py_def_sig(name, h + 2));
                    for p in params {
                        self.params.insert((p, s));
                    }
                    defs.push(PyDef { name_tok: h + 1, scope: s, decorators });
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

    /// The signature of the `def` whose parameter list opens at `open`.
    fn py_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
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

    fn py_params(&self, open: usize) -> Vec<&'a str> {
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
}
