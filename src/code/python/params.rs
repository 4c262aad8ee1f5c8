//! Python: an endpoint name that is a parameter of a helper module's function, decided by the
//! function's callers in the other modules of the Lambda's code:
//! `def predict(body, endpoint_name="churn")` in `helpers.py`, called as
//! `helpers.predict(event["body"])` from the handler. The scan of `helpers.py` alone sees no
//! caller; here, where every file of the function is known, the callers' arguments (or the
//! default they leave) take the place of the parameter, so the name is checked (SL201/SL203)
//! instead of reported as undecidable (SL003).

use super::PyGrammar;
use crate::code::analyzer::scope::Binding;
use crate::code::analyzer::{Analyzer, BUDGET, MODULE};
use crate::code::{EndpointName, HandlerScan, ParamOf};
use crate::source::SourceMap;
use crate::span::{FileId, Span};

/// Call sites of one helper function read, at most, over all the calling files.
const MAX_CALL_SITES: usize = 32;

impl Analyzer<'_, PyGrammar> {
    /// The parameter the endpoint-name argument `lo..hi` is, when it is a bare parameter of a
    /// module-level function that this file never calls (with a call here, the same-file
    /// resolution has already decided it).
    pub(in crate::code) fn py_param_of(&self, lo: usize, hi: usize) -> Option<ParamOf> {
        let name = self.ident(lo).filter(|_| hi == lo + 1)?;
        let Binding::Param { request: false, scope } = self.lookup(name, lo) else { return None };
        let def = self.scopes.get(scope)?;
        let sig = def.def.as_ref().filter(|s| !s.method && !s.is_class && def.parent == MODULE)?;
        if self.call_sites.get(sig.name).is_some_and(|sites| sites.iter().any(|&k| !self.after_dot(k))) {
            return None;
        }
        let index = sig.params.iter().position(|(p, _)| *p == name)?;
        let mut budget = BUDGET;
        let default = sig.params[index].1.map(|(a, b)| self.eval(a, b, 0, &mut budget));
        Some(ParamOf {
            function: sig.name.to_owned(),
            name: name.to_owned(),
            position: (index < sig.positional).then_some(index),
            default,
        })
    }

    /// What each call of `param.function` of module `module` in this file passes for the
    /// parameter (its default when the call leaves it out): `module.function(…)` after
    /// `import module` (or `as` an alias, or `from package import module`), and `function(…)`
    /// after `from module import function`. `None` for a call that cannot be read (`*args`,
    /// `**kwargs`, a parameter without default left out); with each value, whether it is the
    /// default (whose text is the helper's, not this file's).
    fn py_args_for(&self, module: &str, param: &ParamOf, out: &mut Vec<Option<(EndpointName, bool)>>) {
        for k in self.py_calls_of(module, &param.function) {
            if out.len() == MAX_CALL_SITES {
                out.push(None);
                return;
            }
            let args = self.args(k + 1);
            if args.iter().any(|a| a.star > 0) {
                out.push(None);
                continue;
            }
            let by_position = || {
                let i = param.position?;
                args.iter().filter(|a| a.kw.is_none()).nth(i)
            };
            let mut budget = BUDGET;
            out.push(match args.iter().find(|a| a.kw == Some(param.name.as_str())).or_else(by_position) {
                Some(a) => Some((self.eval(a.lo, a.hi, 0, &mut budget), false)),
                None => param.default.clone().map(|d| (d, true)),
            });
        }
    }
}

impl Analyzer<'_, PyGrammar> {
    /// The name tokens of this file's calls of `function` of module `module`:
    /// `module.function(…)` after `import module` (or `as` an alias, or `from package import
    /// module`), and `function(…)` after `from module import function`.
    pub(super) fn py_calls_of(&self, module: &str, function: &str) -> Vec<usize> {
        let imports = self.py_imports();
        let names_module = |path: &str| path.rsplit('.').next() == Some(module);
        // The function is another module's, so this file's index of its own functions' calls
        // does not hold it.
        self.py_call_sites(function)
            .filter(|&k| {
                let direct = !self.after_dot(k)
                    && imports
                        .get(self.t(k))
                        .is_some_and(|(m, n)| names_module(m) && n.as_deref() == Some(function));
                let through_module = self.after_dot(k)
                    && k >= 2
                    && imports.get(self.t(k - 2)).is_some_and(|(m, n)| match n {
                        None => names_module(m),
                        Some(sub) => sub == module,
                    });
                direct || through_module
            })
            .collect()
    }

    /// Whether this file calls its own top-level `function` anywhere (`function(…)`, not a
    /// method of something else).
    pub(super) fn py_calls_own(&self, function: &str) -> bool {
        self.py_call_sites(function).any(|k| !self.after_dot(k))
    }

    /// The tokens where `function` is called (`function(`, `x.function(`), not defined.
    fn py_call_sites<'s>(&'s self, function: &'s str) -> impl Iterator<Item = usize> + 's {
        (0..self.len()).filter(move |&k| {
            self.is_id(k, function) && self.is_p(k + 1, "(") && !(k > 0 && self.is_id(k - 1, "def"))
        })
    }
}

/// Replaces each call's parameter endpoint name by what every caller in the function's other
/// files passes, when they agree (a value from a caller's file points there).
pub(in crate::code) fn link_param_callers(scans: &mut [(FileId, HandlerScan)], sources: &SourceMap) {
    for at in 0..scans.len() {
        let module =
            sources.get(scans[at].0).path().file_stem().and_then(|s| s.to_str()).unwrap_or("").to_owned();
        for c in 0..scans[at].1.calls.len() {
            let Some(param) = scans[at].1.calls[c].param.clone() else { continue };
            let mut found: Vec<(Option<(EndpointName, bool)>, FileId)> = Vec::new();
            for (other, _) in scans.iter().filter(|(f, _)| *f != scans[at].0) {
                let text = sources.get(*other).text();
                let an = super::analyzed(text);
                let mut values = Vec::new();
                an.py_args_for(&module, &param, &mut values);
                found.extend(values.into_iter().map(|v| (v, *other)));
            }
            let call = &mut scans[at].1.calls[c];
            match agreed(&found) {
                Agreed::None => {}
                Agreed::Same((value, from_default), file) => {
                    // A default is the helper's own text; an argument is its caller's.
                    call.endpoint = value.clone();
                    call.endpoint_file = (!from_default).then_some(file);
                    call.param = None;
                }
                Agreed::Differ => {
                    call.endpoint = EndpointName::Dynamic {
                        from_request: false,
                        span: endpoint_span(&call.endpoint),
                        why: format!(
                            "a function parameter `{}`, which its callers in other modules set to different values",
                            param.name
                        ),
                    };
                }
            }
        }
    }
}

/// What the callers agree on.
enum Agreed<'v> {
    /// No caller in the other files.
    None,
    /// One value (with whether it is the default), and the file of the first caller.
    Same(&'v (EndpointName, bool), FileId),
    /// Different values, or a call that cannot be read.
    Differ,
}

fn agreed(found: &[(Option<(EndpointName, bool)>, FileId)]) -> Agreed<'_> {
    let Some((first, file)) = found.first() else { return Agreed::None };
    let Some(first) = first else { return Agreed::Differ };
    if found.iter().all(|(v, _)| v.as_ref().is_some_and(|(v, _)| v.same_value(&first.0))) {
        Agreed::Same(first, *file)
    } else {
        Agreed::Differ
    }
}

fn endpoint_span(name: &EndpointName) -> Span {
    match name {
        EndpointName::Literal { span, .. }
        | EndpointName::EnvVar { span, .. }
        | EndpointName::Dynamic { span, .. }
        | EndpointName::Composed { span, .. } => *span,
        EndpointName::Missing => Span::default(),
    }
}
