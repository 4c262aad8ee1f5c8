//! JavaScript/TypeScript: an invoke outside any `try` whose errors are still caught, by a middy
//! error-handling middleware around the handler or by every caller of the enclosing function in
//! the same file (SL404).

use super::JsGrammar;
use crate::code::analyzer::Analyzer;

/// A named function of the file: its name token and body.
pub(in crate::code) struct JsDef {
    pub name_tok: usize,
    pub body: (usize, usize),
}

/// The middy package whose middleware turns every error into an HTTP response. Since middy 5 an
/// error without `statusCode` becomes a 500 response instead of a failed invocation
/// (<https://middy.js.org/docs/middlewares/http-error-handler>: "When non-http errors (those
/// without statusCode) occur they will be returned with a 500 status code").
const HTTP_ERROR_HANDLER_PACKAGE: &str = "@middy/http-error-handler";

/// Longest middleware chain followed after `middy(…)`.
const MAX_CHAIN: usize = 32;

impl<'a> Analyzer<'a, JsGrammar> {
    /// Marks as protected the bodies of functions whose errors are handled around them.
    pub(in crate::code) fn js_protect_indirect(&mut self, defs: &[JsDef]) {
        let wrapped = self.middy_error_handled(defs);
        self.mark_more_protected(&wrapped);
        self.js_protect_callees(defs);
    }

    /// Bodies of the functions that a middy chain with the HTTP error handler wraps:
    /// `middy(base).use(httpErrorHandler())`, `middy(async (e) => …).use([…, httpErrorHandler()])`
    /// and middy 5's `middy().use(httpErrorHandler()).handler(base)`.
    fn middy_error_handled(&self, defs: &[JsDef]) -> Vec<(usize, usize)> {
        let handlers = self.bindings_of(HTTP_ERROR_HANDLER_PACKAGE, "httpErrorHandler");
        let middy = self.bindings_of("@middy/core", "middy");
        let mut out = Vec::new();
        for i in 0..self.len() {
            if !self.ident(i).is_some_and(|w| middy.contains(&w))
                || !self.is_p(i + 1, "(")
                || self.after_dot(i)
            {
                continue;
            }
            let mut targets = vec![(i + 2, self.close_of(i + 1))];
            let mut handled = false;
            let mut j = self.close_of(i + 1) + 1;
            for _ in 0..MAX_CHAIN {
                if !(self.is_p(j, ".") && self.ident(j + 1).is_some() && self.is_p(j + 2, "(")) {
                    break;
                }
                let (lo, hi) = (j + 3, self.close_of(j + 2));
                match self.t(j + 1) {
                    "use" => {
                        handled |= (lo..hi).any(|k| {
                            self.ident(k).is_some_and(|w| handlers.contains(&w)) && self.is_p(k + 1, "(")
                        });
                    }
                    "handler" => targets.push((lo, hi)),
                    _ => {}
                }
                j = hi + 1;
            }
            if handled {
                for (lo, hi) in targets {
                    out.extend(self.function_at(lo, hi, defs));
                }
            }
        }
        out
    }

    /// The function an argument `lo..hi` passes: a name defined in this file, or the argument
    /// itself when it is a function expression.
    fn function_at(&self, lo: usize, hi: usize, defs: &[JsDef]) -> Option<(usize, usize)> {
        if lo >= hi {
            return None;
        }
        if hi == lo + 1 {
            let name = self.ident(lo)?;
            return defs.iter().find(|d| self.t(d.name_tok) == name).map(|d| d.body);
        }
        Some((lo, hi))
    }

    /// Local names bound to `package` by `import X from '…'` or `const X = require('…')`, plus the
    /// name its documentation uses.
    fn bindings_of(&self, package: &str, usual: &'a str) -> Vec<&'a str> {
        let mut names = vec![usual];
        for k in 2..self.len() {
            if self.str_value(k) != Some(package) {
                continue;
            }
            let name = if self.is_id(k - 1, "from") {
                self.ident(k - 2).filter(|_| k >= 3 && self.is_id(k - 3, "import"))
            } else if self.is_p(k - 1, "(") && self.is_id(k - 2, "require") && k >= 4 && self.is_p(k - 3, "=")
            {
                self.ident(k - 4)
            } else {
                None
            };
            names.extend(name);
        }
        names
    }

    /// Whether the call whose argument list opens at `open` takes an error-first callback that
    /// deals with the error itself. With a callback the AWS SDK for JavaScript v2 passes a failed
    /// request's error as its first argument instead of throwing
    /// (<https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/SageMakerRuntime.html#invokeEndpoint-property>:
    /// "callback (Function) — called when a response from the service is returned… err (Error) —
    /// the error object returned from the request"). Passing the error on (`callback(err)`,
    /// `reject(err)`, `throw err`) still fails the invocation, so that does not count.
    pub(in crate::code) fn js_error_first_callback(&self, open: usize) -> bool {
        let Some(last) = self.args(open).pop() else { return false };
        let Some((err, body)) = self.js_function_literal(last.lo, last.hi) else { return false };
        let mut used = false;
        for k in body.0..body.1.min(self.len()) {
            if self.ident(k) != Some(err) || self.after_dot(k) {
                continue;
            }
            used = true;
            let thrown = k > 0 && self.is_id(k - 1, "throw");
            let passed_on = self.prev_is(k, "(")
                && k >= 2
                && self
                    .ident(k - 2)
                    .is_some_and(|f| matches!(f, "callback" | "cb" | "done" | "next" | "reject" | "fail"));
            if thrown || passed_on {
                return false;
            }
        }
        used
    }

    /// A function expression spanning `lo..hi`: its first parameter and its body's token range.
    fn js_function_literal(&self, lo: usize, hi: usize) -> Option<(&'a str, (usize, usize))> {
        let mut k = lo;
        if self.is_id(k, "async") {
            k += 1;
        }
        if self.is_id(k, "function") {
            k += 1;
            if self.ident(k).is_some() {
                k += 1;
            }
        }
        let (first, after) = if self.is_p(k, "(") {
            (self.js_params(k).first().copied()?, self.close_of(k) + 1)
        } else {
            (self.ident(k)?, k + 1)
        };
        let body = if self.is_p(after, "=>") { after + 1 } else { after };
        if body >= hi {
            return None;
        }
        let range = if self.is_p(body, "{") { (body + 1, self.close_of(body)) } else { (body, hi) };
        Some((first, range))
    }

    /// Marks the body of every function all of whose uses in this file are protected.
    fn js_protect_callees(&mut self, defs: &[JsDef]) {
        let functions: Vec<(usize, (usize, usize))> = defs.iter().map(|d| (d.name_tok, d.body)).collect();
        self.protect_callees(&functions);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::{Language, scan};

    fn handled(src: &str) -> Vec<bool> {
        scan(Language::JavaScript, src).calls.iter().map(|c| c.in_error_handler).collect()
    }

    const BASE: &str = "const base = async (event) => {\n  return client.send(new InvokeEndpointCommand({ EndpointName: 'e', Body: event.body }));\n};\n";

    #[test]
    fn middy_with_the_http_error_handler_handles() {
        let src = format!(
            "{BASE}exports.handler = middy(base)\n  .use(jsonBodyParser())\n  .use(httpErrorHandler());\n"
        );
        assert_eq!(handled(&src), [true]);
    }

    #[test]
    fn middy_renamed_import_array_use_and_handler_method() {
        let src = format!(
            "import middy from '@middy/core';\nimport errors from '@middy/http-error-handler';\n{BASE}export const handler = middy().use([cors(), errors()]).handler(base);\n"
        );
        assert_eq!(handled(&src), [true]);
    }

    #[test]
    fn middy_without_an_error_handler_does_not_handle() {
        let src = format!("{BASE}exports.handler = middy(base).use(jsonBodyParser()).use(errorLogger());\n");
        assert_eq!(handled(&src), [false]);
    }

    #[test]
    fn inline_function_wrapped_by_middy() {
        let src = "exports.handler = middy(async (event) => {\n  return rt.invokeEndpoint({ EndpointName: 'e' });\n}).use(httpErrorHandler());\n";
        assert_eq!(handled(src), [true]);
    }

    #[test]
    fn an_error_first_callback_handles_unless_it_passes_the_error_on() {
        let src = "exports.h = function (event, context, callback) {\n  rt.invokeEndpoint(params, function (err, data) {\n    if (err) { return callback(null, { statusCode: 502 }); }\n    callback(null, { statusCode: 200 });\n  });\n};\n";
        assert_eq!(handled(src), [true]);
        let passed_on = src.replace("return callback(null, { statusCode: 502 })", "return callback(err)");
        assert_eq!(handled(&passed_on), [false]);
        let arrow = "rt.invokeEndpoint(params, (err, data) => err ? res(502) : res(200));\n";
        assert_eq!(handled(arrow), [true]);
        let ignored = "rt.invokeEndpoint(params, (e, data) => res(data));\n";
        assert_eq!(handled(ignored), [false]);
    }

    #[test]
    fn a_helper_is_handled_only_when_every_caller_is() {
        let helper = "async function predict(body) {\n  return client.send(new InvokeEndpointCommand({ EndpointName: 'e', Body: body }));\n}\n";
        let caught = format!(
            "{helper}exports.handler = async (event) => {{\n  try {{\n    return await predict(event.body);\n  }} catch (e) {{\n    return {{ statusCode: 502 }};\n  }}\n}};\n"
        );
        assert_eq!(handled(&caught), [true]);
        let also_bare = format!("{caught}exports.other = async (event) => predict(event.body);\n");
        assert_eq!(handled(&also_bare), [false]);
    }
}
