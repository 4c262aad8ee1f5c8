//! Python: an invoke outside any `try` whose errors are still caught, by a decorator of the
//! enclosing function or by every caller of it in the same file (SL404); and a `try` whose
//! `except` clauses only log and re-raise, which catches nothing.

use std::collections::HashSet;

use super::PyGrammar;
use crate::code::analyzer::Analyzer;

/// A `def` of the file: its name token, body scope and the decorators right above it.
pub(in crate::code) struct PyDef {
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

/// The route decorators of Powertools' event handlers (`@app.post("/predict")`).
const ROUTES: &[&str] = &["route", "api_route", "get", "post", "put", "patch", "delete", "head"];

/// Exception classes an `@app.exception_handler(...)` must name to take every SDK error: the
/// resolver looks the raised type's MRO up in its handlers, so `Exception` and botocore's
/// `ClientError` (the base of `ModelError`, `ThrottlingException`, ...) both match
/// (<https://github.com/aws-powertools/powertools-lambda-python/pull/898>, "Exception handling" in
/// <https://docs.powertools.aws.dev/lambda/python/latest/core/event_handler/api_gateway/>).
const CATCH_ALL: &[&str] = &["Exception", "BaseException", "ClientError"];

/// Web frameworks that answer an error a route raises with an HTTP 500 response instead of
/// letting it out of the Lambda handler: in FastAPI/Starlette, `ServerErrorMiddleware` sends the
/// 500, and Mangum, the adapter that runs the app in Lambda, catches what the app re-raises and
/// returns that response (`HTTPCycle.run` in
/// <https://github.com/Kludex/mangum/blob/main/mangum/protocols/http.py>). Like middy's
/// http-error-handler, that is an answer the client gets, not a failed invocation.
const ANSWERING_FRAMEWORKS: &[&str] = &["fastapi", "starlette"];

impl Analyzer<'_, PyGrammar> {
    /// The decorators of the `def` whose line starts at token `line`: the `@` lines right above it.
    pub(in crate::code) fn py_decorators(&self, line: usize) -> Vec<usize> {
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
    pub(in crate::code) fn py_protect_indirect(&mut self, defs: &[PyDef]) {
        let body = |a: &Self, d: &PyDef| (a.scopes[d.scope].start, a.scopes[d.scope].end);
        let catches = |a: &Self, d: &PyDef| {
            let (lo, hi) = body(a, d);
            (lo..hi.min(a.len())).any(|k| a.protected[k])
        };
        let resolvers = self.py_resolvers_with_catch_all();
        let answering_framework = self.py_imports_any(ANSWERING_FRAMEWORKS);
        let mut ranges = Vec::new();
        for d in defs {
            // A decorator defined here is judged by its body; one imported from elsewhere may
            // well be an error boundary, unless it is known to let exceptions through.
            let handled_by = |t: usize| {
                let name = self.t(t);
                if ROUTES.contains(&name)
                    && t >= 2
                    && self.after_dot(t)
                    && (answering_framework || resolvers.contains(self.t(t - 2)))
                {
                    return true;
                }
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
        let functions: Vec<(usize, (usize, usize))> =
            defs.iter().map(|d| (d.name_tok, body(self, d))).collect();
        self.protect_callees(&functions);
    }

    /// Whether a top-level `import`/`from` statement names one of `packages` (or a submodule).
    fn py_imports_any(&self, packages: &[&str]) -> bool {
        (0..self.len()).any(|i| {
            self.bol(i)
                && (self.is_id(i, "from") || self.is_id(i, "import"))
                && self.ident(i + 1).is_some_and(|m| packages.contains(&m))
        })
    }

    /// The Powertools resolvers (`app` of `@app.exception_handler(Exception)`) that answer any
    /// error their routes raise with a response of the handler's making.
    fn py_resolvers_with_catch_all(&self) -> HashSet<&str> {
        let mut out = HashSet::new();
        for k in 2..self.len() {
            if !self.is_id(k, "exception_handler") || !self.after_dot(k) || !self.is_p(k + 1, "(") {
                continue;
            }
            let close = self.close_of(k + 1);
            if (k + 2..close).any(|a| self.ident(a).is_some_and(|n| CATCH_ALL.contains(&n)))
                && let Some(app) = self.ident(k - 2)
            {
                out.insert(app);
            }
        }
        out
    }

    /// Whether every `except` clause of a `try`, the first starting at token `first`, ends by
    /// re-raising what it caught (a bare `raise`, or `raise err` for its `as err`): such a `try`
    /// logs the error, the invocation still fails.
    pub(in crate::code) fn py_excepts_all_reraise(&self, first: usize) -> bool {
        let Some(indent) = self.toks.get(first).map(|t| t.indent) else { return false };
        let mut k = first;
        let mut any = false;
        while self.bol(k) && self.toks.get(k).is_some_and(|t| t.indent == indent) && self.is_id(k, "except") {
            let Some(colon) = self
                .find_top(k + 1, self.len(), |j| self.is_p(j, ":") || self.bol(j))
                .filter(|&j| self.is_p(j, ":"))
            else {
                return false;
            };
            let bound = (k + 1..colon).find(|&j| self.is_id(j, "as")).and_then(|j| self.ident(j + 1));
            let end = (colon + 1..self.len())
                .find(|&j| self.bol(j) && self.toks[j].indent <= indent)
                .unwrap_or(self.len());
            let body_indent = self.toks.get(colon + 1).map(|t| t.indent);
            let last = (colon + 1..end)
                .rev()
                .find(|&j| j == colon + 1 || self.bol(j) && Some(self.toks[j].indent) == body_indent);
            let reraises = last.is_some_and(|j| {
                let after = |n: usize| n >= end || self.bol(n);
                self.is_id(j, "raise")
                    && (after(j + 1) || bound.is_some_and(|b| self.is_id(j + 1, b)) && after(j + 2))
            });
            if !reraises {
                return false;
            }
            any = true;
            k = end;
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use crate::code::{Language, scan};

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

    #[test]
    fn a_powertools_catch_all_exception_handler_handles_its_routes() {
        let route = format!("@app.post(\"/p\")\n@tracer.capture_method\ndef predict():\n{CALL}");
        let with =
            format!("@app.exception_handler(Exception)\ndef on_error(ex):\n    return None\n\n{route}");
        assert_eq!(handled(&with), [true]);
        let narrow = with.replace("(Exception)", "(NotFoundError)");
        assert_eq!(handled(&narrow), [false]);
        let other_app = with.replace("@app.exception_handler", "@admin.exception_handler");
        assert_eq!(handled(&other_app), [false]);
    }

    #[test]
    fn an_except_that_only_re_raises_does_not_handle() {
        let src = "def handler(e, c):\n    try:\n        rt.invoke_endpoint(EndpointName=\"e\")\n    except Exception:\n        log.exception(\"x\")\n        raise\n";
        assert_eq!(handled(src), [false]);
        let named =
            src.replace("except Exception:", "except ClientError as err:").replace("raise\n", "raise err\n");
        assert_eq!(handled(&named), [false]);
        let one_line = "def handler(e, c):\n    try:\n        rt.invoke_endpoint(EndpointName=\"e\")\n    except Exception: raise\n";
        assert_eq!(handled(one_line), [false]);
        let converts = src.replace("        raise\n", "        return {\"statusCode\": 502}\n");
        assert_eq!(handled(&converts), [true]);
        let one_of_two = src.replace(
            "    except Exception:",
            "    except ClientError:\n        return None\n    except Exception:",
        );
        assert_eq!(handled(&one_of_two), [true]);
        let re_raise_then_more =
            src.replace("        raise\n", "        if retry:\n            raise\n        return None\n");
        assert_eq!(handled(&re_raise_then_more), [true]);
    }

    #[test]
    fn a_predictor_is_handled_where_it_predicts() {
        let src = "p = sagemaker.predictor.Predictor(endpoint_name=\"e\")\n\ndef handler(e, c):\n    try:\n        return p.predict(e)\n    except ClientError:\n        return None\n";
        assert_eq!(handled(src), [true]);
        let outside = format!("{src}\ndef other(e):\n    return p.predict(e)\n");
        assert_eq!(handled(&outside), [false]);
        let unused = "p = Predictor(\"e\")\n";
        assert_eq!(handled(unused), [false]);
    }

    #[test]
    fn a_fastapi_route_is_answered_by_the_framework() {
        let route = format!(
            "app = FastAPI()\n\n@app.post(\"/p\")\ndef predict(req):\n{CALL}\nhandler = Mangum(app)\n"
        );
        assert_eq!(
            handled(&format!("from fastapi import FastAPI\nfrom mangum import Mangum\n{route}")),
            [true]
        );
        assert_eq!(handled(&format!("from mangum import Mangum\n{route}")), [false]);
    }
}
