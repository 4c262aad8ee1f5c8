//! JavaScript's bindings: declarations and destructuring patterns, assignments to names,
//! `this.` attributes and object keys, and where the file reads an environment variable
//! (`process.env.X`, also inside template substitutions, where a template that is only
//! `${process.env.X}` or `${name}` is that value).

use super::JsGrammar;
use super::lex::lex_js;
use crate::code::analyzer::lex::{Kind, Tok, is_augmented};
use crate::code::analyzer::scope::AssignVal;
use crate::code::analyzer::{ATTR, Analyzer, NONE};
use crate::code::{EndpointName, EnvRead};
use crate::span::Span;

impl<'a> Analyzer<'a, JsGrammar> {
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
                self.parent[i] == NONE || self.grammar.block.get(self.parent[i]).copied().unwrap_or(false);
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
            } else if self.is_p(i + 1, "[")
                && self.close_of(i + 1) == i + 3
                && self.is_p(i + 4, "=")
                && let Some(key) = self.str_value(i + 2).map(str::to_owned)
            {
                let end = self.js_expr_end(i + 5);
                self.add_member(w, key, (i + 5, end));
            }
        }
    }

    fn js_declaration(&mut self, i: usize) {
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
    fn js_pattern_entry(&mut self, s: usize, e: usize, scope: usize, from_env: bool, from: (usize, usize)) {
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

    /// One `${…}` substitution of a template literal: re-lexes it and folds the simple shapes (a
    /// name, a string, an environment read with an optional literal default).
    pub(super) fn eval_template_sub(
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
}

/// `process.env.X` / `process.env["X"]` starting at token `i` of `toks`: (variable, index after).
fn js_env_pattern(text: &str, toks: &[Tok], i: usize) -> Option<(String, usize)> {
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
