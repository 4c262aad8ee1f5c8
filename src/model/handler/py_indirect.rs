//! Python: an invoke outside any `try` whose errors are still caught, by a decorator of the
//! enclosing function or by every caller of it in the same file (SL404).

use std::collections::HashMap;

use super::Analyzer;

/// A `def` of the file: its name token, body scope and the decorators right above it.
pub(super) struct PyDef {
    pub name_tok: usize,
    pub scope: usize,
    /// For each decorator line, the last name before its arguments (`error_boundary`,
    /// `capture_lambda_handler` for `@tracer.capture_lambda_handler`).
    pub decorators: Vec<usize>,
}

/// Decorators known to let the handler's exceptions through: Powertools for AWS Lambda's
/// logger, tracer and metrics re-raise after recording
/// (<https://docs.powertools.aws.dev/lambda/python/latest/core/tracer/>), route decorators of
/// its event handlers pass on what no registered exception handler takes, and the standard
/// library's caching and method decorators do not catch at all.
const PASS_THROUGH: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "inject_lambda_context",
    "capture_lambda_handler",
    "capture_method",
    "log_metrics",
    "event_source",
    "lru_cache",
    "cache",
    "cached_property",
    "wraps",
    "staticmethod",
    "classmethod",
    "property",
    "abstractmethod",
];

/// How many levels of helper-called-by-helper are followed.
const CALLER_DEPTH: usize = 4;

impl Analyzer<'_> {
    /// The decorators of the `def` whose line starts at token `line`: the `@` lines right above it.
    pub(super) fn py_decorators(&self, line: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = line;
        while let Some(prev) = (0..i).rev().find(|&k| self.bol(k)) {
            if !self.is_p(prev, "@") {
                break;
            }
            let mut name = prev;
            let mut k = prev + 1;
            while k < i && self.ident(k).is_some() {
                name = k;
                if !self.is_p(k + 1, ".") {
                    break;
                }
                k += 2;
            }
            if name != prev {
                out.push(name);
            }
            i = prev;
        }
        out
    }

    /// Marks as protected the bodies of functions whose errors are caught around them.
    pub(super) fn py_protect_indirect(&mut self, defs: &[PyDef]) {
        let body = |a: &Self, d: &PyDef| (a.scopes[d.scope].start, a.scopes[d.scope].end);
        let catches = |a: &Self, d: &PyDef| {
            let (lo, hi) = body(a, d);
            (lo..hi.min(a.len())).any(|k| a.protected[k])
        };
        let mut ranges = Vec::new();
        for d in defs {
            // A decorator defined here is judged by its body; one imported from elsewhere may
            // well be an error boundary, unless it is known to let exceptions through.
            let handled_by = |t: usize| {
                let name = self.t(t);
                match defs.iter().find(|o| self.t(o.name_tok) == name) {
                    Some(o) => catches(self, o),
                    None => !PASS_THROUGH.contains(&name),
                }
            };
            if d.decorators.iter().any(|&t| handled_by(t)) {
                ranges.push(body(self, d));
            }
        }
        self.mark_more_protected(&ranges);
        // Every mention of a defined name, found in one pass: asking each function for its uses
        // by scanning all tokens was quadratic on large (generated) modules.
        let mut mentions: HashMap<&str, Vec<usize>> =
            defs.iter().map(|d| (self.t(d.name_tok), Vec::new())).collect();
        for k in 0..self.len() {
            if let Some(list) = self.ident(k).and_then(|name| mentions.get_mut(name)) {
                list.push(k);
            }
        }
        for _ in 0..CALLER_DEPTH {
            let mut ranges = Vec::new();
            for d in defs {
                let (lo, hi) = body(self, d);
                if self.protected.get(lo).copied().unwrap_or(false) {
                    continue;
                }
                let name = self.t(d.name_tok);
                let mut uses = mentions.get(name).into_iter().flatten().copied().filter(|&k| {
                    k != d.name_tok && (!self.after_dot(k) || k >= 2 && self.is_id(k - 2, "self"))
                });
                let mut any = false;
                let all = uses.all(|k| {
                    any = true;
                    self.protected[k] && !(lo..hi).contains(&k)
                });
                if any && all {
                    ranges.push((lo, hi));
                }
            }
            if ranges.is_empty() {
                break;
            }
            self.mark_more_protected(&ranges);
        }
    }

    pub(super) fn mark_more_protected(&mut self, ranges: &[(usize, usize)]) {
        for &(lo, hi) in ranges {
            let hi = hi.min(self.len());
            for p in self.protected.iter_mut().take(hi).skip(lo) {
                *p = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::handler::{Language, scan};

    fn handled(src: &str) -> Vec<bool> {
        scan(Language::Python, src).calls.iter().map(|c| c.in_error_handler).collect()
    }

    const CALL: &str = "    return rt.invoke_endpoint(EndpointName=\"e\", Body=b)\n";

    #[test]
    fn route_and_powertools_decorators_do_not_handle() {
        let src = format!("@app.get(\"/x\")\n@tracer.capture_lambda_handler\ndef handler(b, c):\n{CALL}");
        assert_eq!(handled(&src), [false]);
    }

    #[test]
    fn an_imported_decorator_may_handle() {
        let src = format!("@errors.boundary\ndef handler(b, c):\n{CALL}");
        assert_eq!(handled(&src), [true]);
    }

    #[test]
    fn a_helper_called_once_outside_try_is_not_handled() {
        let src = format!(
            "def score(b):\n{CALL}\ndef handler(e, c):\n    try:\n        return score(e)\n    except Exception:\n        return None\n\ndef other(e):\n    return score(e)\n"
        );
        assert_eq!(handled(&src), [false]);
        let only_in_try = src.replace("def other(e):\n    return score(e)", "def other(e):\n    return None");
        assert_eq!(handled(&only_in_try), [true]);
    }
}
