//! Following a name to its value: the assignments of the nearest scope that binds it, a
//! parameter's value at the function's callers, and keys of dict and object literals.

use super::scope::{Assign, AssignVal, Binding};
use super::{Analyzer, Found, Grammar, MAX_ASSIGNS, MAX_DEPTH, MAX_EXPR};
use crate::code::EndpointName;
use crate::span::Span;

impl<'a, G: Grammar> Analyzer<'a, G> {
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
        let mut differ = false;
        // `let ep = body.endpoint; ep = ep.trim()`: a value from the request, however it is then
        // rewritten, is what the finding should say it is.
        let mut from_request: Option<EndpointName> = None;
        for x in list {
            let v = self.eval_assign(x, depth + 1, budget);
            if from_request.is_none() && matches!(v, EndpointName::Dynamic { from_request: true, .. }) {
                from_request = Some(v.clone());
            }
            match &first {
                None => first = Some(v),
                Some(f) if f.same_value(&v) => {}
                Some(_) => differ = true,
            }
        }
        if differ {
            return from_request.unwrap_or_else(|| EndpointName::Dynamic {
                from_request: false,
                span,
                why: format!("`{name}`, which is assigned different values"),
            });
        }
        first.unwrap_or(EndpointName::Dynamic {
            from_request: false,
            span,
            why: format!("`{name}`, which is never assigned"),
        })
    }

    fn eval_assign(&self, x: &Assign, depth: u32, budget: &mut u32) -> EndpointName {
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
    fn eval_member(
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

    /// The value a function's parameter has, when every call of the function in this file passes
    /// the same one (or leaves the same default): `def predict(endpoint_name, payload)` called as
    /// `predict(os.environ["ENDPOINT_NAME"], body)`. `None` when there is no call here
    /// (the function is called from another module) or a call cannot be read.
    fn param_from_callers(
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
        // A constructor is called through its class: `Ranker(…)` or `models.Ranker(…)`.
        let class = (sig.name == G::CONSTRUCTOR)
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
                Some(f) if f.same_value(&value) => {}
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
        let names = G::KEYS_ARE_NAMES;
        if self.is_p(lo, "{") && self.close_of(lo) == hi - 1 {
            let mut found = None;
            for (s, e) in self.split(lo + 1, hi - 1) {
                let key_matches = self.str_value(s) == Some(key) || (names && self.is_id(s, key));
                if key_matches && self.is_p(s + 1, ":") {
                    found = Some(Found::Expr(s + 2, e));
                } else if names && e == s + 1 && self.is_id(s, key) {
                    found = Some(Found::Short(s));
                } else if (self.is_p(s, "**") || self.is_p(s, "..."))
                    && let Some(f) = self.dict_lookup(s + 1, e, key, depth + 1, budget)
                {
                    found = Some(f);
                }
            }
            return found;
        }
        if let Some(found) = G::mapping_call(self, lo, hi, key, depth + 1, budget) {
            return Some(found);
        }
        if hi == lo + 1 {
            let name = self.ident(lo)?;
            if let Some(v) = self.members.get(&(name, key.to_owned())).and_then(|v| v.last()) {
                return Some(Found::Expr(v.0, v.1));
            }
            if let Binding::Assigned(list) = self.lookup(name, lo) {
                for x in list.iter().rev().take(MAX_ASSIGNS) {
                    if let AssignVal::Expr(a, z) = x.val
                        && let Some(f) = self.dict_lookup(a, z, key, depth + 1, budget)
                    {
                        return Some(f);
                    }
                }
            }
        }
        None
    }
}

pub(super) fn literal_of(e: EndpointName) -> Option<String> {
    match e {
        EndpointName::Literal { value, .. } => Some(value),
        _ => None,
    }
}
