//! Folding an endpoint-name expression into an [`EndpointName`]: a literal, an environment
//! read with its default, or why it is dynamic, under a fixed budget per call site.

use super::lex::Kind;
use super::resolve::literal_of;
use super::scope::Binding;
use super::{ATTR, Analyzer, Grammar, MAX_DEPTH, MAX_EXPR, NONE};
use crate::code::EndpointName;

impl<G: Grammar> Analyzer<'_, G> {
    /// Strips parentheses, and what the grammar says only wraps a value (TypeScript's casts).
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
            if let Some(inner) = G::unwrap(self, lo, hi) {
                (lo, hi) = inner;
                continue;
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

        // `X or "d"`, `X ?? "d"`, `X || "d"`: the default of an environment read.
        let fallback = |k: usize| G::FALLBACK.iter().any(|op| self.is_token(k, op));
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
        let conditional = |k: usize| self.is_token(k, G::CONDITIONAL);
        if self.find_top(self.skip(lo), hi, conditional).is_some() {
            return EndpointName::Dynamic {
                from_request: false,
                span,
                why: format!("a conditional expression ({})", self.snippet(lo, hi)),
            };
        }
        if let Some(hit) = self.env_at.get(&lo)
            && hit.end == hi
        {
            let default = hit.default.and_then(|(a, z)| literal_of(self.eval(a, z, depth + 1, budget)));
            return EndpointName::EnvVar { var: hit.var.clone(), span: hit.span, default };
        }
        if (lo..hi).all(|k| self.kind(k) == Some(Kind::Str)) {
            return self.fold_literals(lo, hi, depth, budget);
        }
        if hi == lo + 1
            && let Some(name) = self.ident(lo)
        {
            if matches!(name, "None" | "null" | "undefined") {
                return EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: format!("no value (`{name}`)"),
                };
            }
            return self.resolve_name(name, lo, depth, budget);
        }
        if hi == lo + 3
            && self.is_id(lo, G::RECEIVER)
            && self.is_p(lo + 1, ".")
            && let Some(attr) = self.ident(lo + 2)
        {
            // An attribute the instance assigns, else one its class body assigns
            // (`endpoint_name = os.environ["X"]` under `class Scorer:`, a dataclass field).
            let list = self
                .assigns
                .get(&(attr, ATTR))
                .or_else(|| self.enclosing_class(lo).and_then(|class| self.assigns.get(&(attr, class))));
            if let Some(list) = list {
                return self.resolve_list(&self.snippet(lo, hi), list, span, depth, budget);
            }
        }
        // `config.endpointName` with `const config = { endpointName: … }` (where keys are names:
        // a Python dict's keys are not attributes).
        if G::KEYS_ARE_NAMES
            && hi == lo + 3
            && self.ident(lo).is_some()
            && (self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?."))
            && let Some(attr) = self.ident(lo + 2)
            && let Some(found) = self.dict_lookup(lo, lo + 1, attr, depth + 1, budget)
        {
            return self.eval_found(found, depth + 1, budget);
        }
        // `PREFIX + "-" + os.environ["STAGE"]`: each operand folded, joined.
        if let Some(first) = self.find_top(lo, hi, |k| self.is_p(k, "+")) {
            let mut pieces = Vec::new();
            let mut from = lo;
            let mut op = Some(first);
            while let Some(k) = op {
                pieces.push(self.eval(from, k, depth + 1, budget));
                from = k + 1;
                op = self.find_top(from, hi, |j| self.is_p(j, "+"));
            }
            pieces.push(self.eval(from, hi, depth + 1, budget));
            return match EndpointName::composed(pieces, span) {
                EndpointName::Dynamic { from_request: true, .. } => EndpointName::Dynamic {
                    from_request: true,
                    span,
                    why: format!("built from the request ({})", self.snippet(lo, hi)),
                },
                EndpointName::Dynamic { .. } => self.why_dynamic(lo, hi, depth, budget),
                known => known,
            };
        }
        self.why_dynamic(lo, hi, depth, budget)
    }

    /// Adjacent string literals (`"a" "b"`, `"a" f"{x}"`), each folded, joined.
    fn fold_literals(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let span = self.span(lo, hi);
        let mut pieces = Vec::with_capacity(hi - lo);
        for k in lo..hi {
            let Some(lit) = self.lit(k) else {
                return EndpointName::Dynamic {
                    from_request: false,
                    span,
                    why: "a string sagelint could not read".to_owned(),
                };
            };
            pieces.push(if lit.has_subs {
                G::fold_substituted(self, (k, k + 1), lit, depth, budget)
            } else {
                EndpointName::Literal { value: lit.value.clone(), span: self.span(k, k + 1) }
            });
        }
        EndpointName::composed(pieces, span)
    }

    /// The string literal at token `at` with substitutions, folded piece by piece: its text
    /// between them, and each substitution (its source byte range) as `field` evaluates it.
    pub(in crate::code) fn fold_pieces(
        &self,
        at: usize,
        lit: &crate::code::analyzer::lex::Lit,
        mut field: impl FnMut((usize, usize)) -> EndpointName,
    ) -> EndpointName {
        let span = self.span(at, at + 1);
        let unreadable = || EndpointName::Dynamic {
            from_request: false,
            span,
            why: "a string with substitutions sagelint could not read".to_owned(),
        };
        if lit.sub_at.len() != lit.subs.len() {
            return unreadable();
        }
        let mut pieces = Vec::with_capacity(lit.subs.len() * 2 + 1);
        let mut from = 0;
        for (&range, &to) in lit.subs.iter().zip(&lit.sub_at) {
            let Some(text) = lit.value.get(from..to) else { return unreadable() };
            pieces.push(EndpointName::Literal { value: text.to_owned(), span });
            pieces.push(field(range));
            from = to;
        }
        let Some(rest) = lit.value.get(from..) else { return unreadable() };
        pieces.push(EndpointName::Literal { value: rest.to_owned(), span });
        EndpointName::composed(pieces, span)
    }

    /// Explains why `lo..hi` cannot be folded.
    fn why_dynamic(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let span = self.span(lo, hi);
        let text = self.snippet(lo, hi);
        let dynamic = |why: String| EndpointName::Dynamic { from_request: false, span, why };
        let from_request = |why: String| EndpointName::Dynamic { from_request: true, span, why };
        let mut param_hit: Option<&str> = None;
        for k in lo..hi {
            let Some(w) = self.ident(k) else { continue };
            if self.after_dot(k) || (G::KEYWORD_ARGUMENTS && self.is_p(k + 1, "=")) {
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
        if let Some(w) = self.ident(lo)
            && hi > lo + 1
            && (self.is_p(lo + 1, "[") || self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?."))
            && let Binding::Assigned(_) = self.lookup(w, lo)
            && let EndpointName::Dynamic { from_request: true, .. } =
                self.resolve_name(w, lo, depth + 1, budget)
        {
            return from_request(format!("built from the request ({text})"));
        }
        let parses_json = (lo..hi).any(|k| {
            k >= 2 && G::JSON_PARSERS.iter().any(|&(m, f)| self.is_id(k, f) && self.is_id(k - 2, m))
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
        if let Some(how) = G::formatting(self, lo, hi) {
            return dynamic(format!("built with {how} ({text})"));
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
}
