//! Python's bindings: what each statement assigns to a name, a `self.` attribute or a dict
//! key, and where the file reads an environment variable (`os.environ[…]`, `.get`, `getenv`).

use super::PyGrammar;
use crate::code::analyzer::lex::{Kind, is_augmented};
use crate::code::analyzer::scope::AssignVal;
use crate::code::analyzer::{ATTR, Analyzer, NONE};

impl Analyzer<'_, PyGrammar> {
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
                    if let Some(name) = self.ident(k)
                        && name != "for"
                    {
                        self.add_assign(name, scope, k, AssignVal::Why("a loop variable".to_owned()));
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
            } else if self.is_p(i + 1, "[")
                && self.close_of(i + 1) == i + 3
                && self.is_p(i + 4, "=")
                && let Some(key) = self.str_value(i + 2).map(str::to_owned)
            {
                self.add_member(name, key, (i + 5, end));
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
}
