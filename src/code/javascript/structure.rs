//! JavaScript's statement structure: which `{` opens a block, where an expression ends without
//! a semicolon, function scopes (declarations, arrows, methods) with their signatures, and `try`
//! bodies with a `catch`.

use std::collections::HashMap;

use super::JsGrammar;
use super::indirect::JsDef;
use crate::code::analyzer::lex::Kind;
use crate::code::analyzer::scope::{FnSig, Scope};
use crate::code::analyzer::{Analyzer, MODULE, NONE};

impl<'a> Analyzer<'a, JsGrammar> {
    /// Whether the `{` at `i` opens a statement block, judged by the token before it.
    fn js_is_block(&self, i: usize) -> bool {
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
        debug_assert_eq!(self.grammar.expr_stop.len(), len, "js_structure fills expr_stop first");
        self.grammar.expr_stop.get(self.skip(s)).copied().unwrap_or(len)
    }

    /// `expr_stop`, from the last token back: a token where the scan stops is its own answer,
    /// any other has the answer of the token after its group.
    fn js_expr_stops(&self) -> Vec<usize> {
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
    fn js_name_before(&self, i: usize) -> Option<usize> {
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
    fn js_add_scope(
        &mut self,
        (start, end): (usize, usize),
        params: Vec<&'a str>,
        name_tok: Option<usize>,
        defs: &mut Vec<JsDef>,
    ) {
        let name = name_tok.and_then(|t| self.ident(t));
        let is_handler = name.is_some_and(|n| n.to_ascii_lowercase().contains("handler"));
        let request_param = if is_handler { params.first().copied() } else { None };
        let s = self.scopes.len();
        let end = end.min(self.len());
        let head = name_tok.unwrap_or(start).min(start);
        self.scopes.push(Scope {
            parent: MODULE,
            start,
            end,
            request_param,
            def: None,
            decorated: false,
            name,
            head,
        });
        for p in params {
            self.params.insert((p, s));
        }
        // `catch (e) { … }` reads like a method but names nothing.
        if let Some(name_tok) = name_tok.filter(|_| name.is_some_and(|n| n != "catch")) {
            defs.push(JsDef { name_tok, body: (start, end) });
        }
    }

    pub(in crate::code) fn js_structure(&mut self) {
        let len = self.len();
        self.grammar.expr_stop = self.js_expr_stops();
        self.grammar.block = vec![false; len];
        for i in 0..len {
            if self.is_p(i, "{") {
                self.grammar.block[i] = self.js_is_block(i);
            }
        }
        let mut trys = Vec::new();
        let mut defs = Vec::new();
        for i in 0..len {
            if self.is_id(i, "try") && self.is_p(i + 1, "{") {
                let close = self.close_of(i + 1);
                if self.is_id(close + 1, "catch") && !self.js_catch_rethrows(close + 1) {
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
    fn js_signatures(&mut self) {
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

    /// Whether the `catch` at `at` ends by throwing what it caught (`catch (err) { log(err);
    /// throw err; }`): the error leaves the handler as if there were no `try`, as Python's bare
    /// `raise` (`py_excepts_all_reraise`).
    fn js_catch_rethrows(&self, at: usize) -> bool {
        let (bound, open) = if self.is_p(at + 1, "(") {
            let close = self.close_of(at + 1);
            (self.ident(at + 2).filter(|_| close == at + 3), close + 1)
        } else {
            (None, at + 1)
        };
        let Some(bound) = bound else { return false };
        if !self.is_p(open, "{") {
            return false;
        }
        let end = self.close_of(open);
        let last = if self.is_p(end.saturating_sub(1), ";") { end.saturating_sub(1) } else { end };
        // `throw err` as a statement of its own, not the branch of an `if`.
        last >= open + 3
            && self.is_id(last - 2, "throw")
            && self.is_id(last - 1, bound)
            && matches!(self.t(last - 3), "{" | ";" | "}")
    }

    /// Each top-level piece of the parameter list is one positional parameter; a destructuring
    /// pattern takes its place but has no name to follow, and `...rest` ends the positional ones.
    fn js_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
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
}
