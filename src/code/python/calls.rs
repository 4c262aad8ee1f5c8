//! Python's endpoint calls: boto3 `invoke_endpoint*` with their keyword arguments, and the
//! SageMaker SDK's predictors, which invoke where they predict.

use std::collections::HashSet;

use super::PyGrammar;
use crate::code::analyzer::{Analyzer, Arg, BUDGET, Found, NONE};
use crate::code::{EndpointName, InvokeCall, RuntimeClients};
use crate::model::InvokeApi;

/// The service names of the runtime client (`boto3.client("sagemaker-runtime")`).
const PY_RUNTIME_SERVICES: &[&str] = &["sagemaker-runtime", "runtime.sagemaker"];

fn py_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invoke_endpoint" => Some(InvokeApi::InvokeEndpoint),
        "invoke_endpoint_async" => Some(InvokeApi::InvokeEndpointAsync),
        "invoke_endpoint_with_response_stream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

impl<'a> Analyzer<'a, PyGrammar> {
    /// A Python keyword argument `key=` of the call at `open`, also through `**d`.
    pub(in crate::code) fn py_kwarg(
        &self,
        open: usize,
        key: &str,
        depth: u32,
        budget: &mut u32,
    ) -> Option<Found> {
        let args = self.args(open);
        if let Some(a) = args.iter().find(|a| a.kw == Some(key)) {
            return Some(Found::Expr(a.lo, a.hi));
        }
        args.iter().filter(|a| a.star == 2).find_map(|a| self.dict_lookup(a.lo, a.hi, key, depth + 1, budget))
    }

    pub(in crate::code) fn py_calls(&self) -> (Vec<InvokeCall>, RuntimeClients) {
        let mut calls = Vec::new();
        let mut clients = RuntimeClients::default();
        let default_region = self.py_default_session_region();
        let mut wrapped: HashSet<usize> = HashSet::new();
        let imports = self.py_imports();
        let imported = |arg: Option<&Arg<'a>>, endpoint: &EndpointName| {
            let a = arg.filter(|_| matches!(endpoint, EndpointName::Dynamic { .. }))?;
            self.py_imported_ref(a.lo, a.hi, &imports)
        };
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let open = i + 1;
            let mut budget = BUDGET;
            if let Some(api) = py_method_api(w) {
                if !self.after_dot(i) {
                    continue;
                }
                let endpoint = match self.py_kwarg(open, "EndpointName", 0, &mut budget) {
                    Some(f) => self.eval_found(f, 0, &mut budget),
                    None => EndpointName::Missing,
                };
                let inference_component =
                    self.py_kwarg(open, "InferenceComponentName", 0, &mut budget).is_some();
                let name_arg = self.args(open).into_iter().find(|a| a.kw == Some("EndpointName"));
                let from_import = imported(name_arg.as_ref(), &endpoint);
                let param = name_arg
                    .as_ref()
                    .filter(|_| matches!(endpoint, EndpointName::Dynamic { from_request: false, .. }))
                    .and_then(|a| self.py_param_of(a.lo, a.hi));
                let mut call = self.call(api, i, endpoint, inference_component);
                call.imported = from_import;
                call.param = param;
                if api == InvokeApi::InvokeEndpointAsync {
                    call.input_location = self
                        .py_kwarg(open, "InputLocation", 0, &mut budget)
                        .map(|f| self.eval_found(f, 0, &mut budget));
                }
                calls.push(call);
                continue;
            }
            let declared = i > 0 && (self.is_id(i - 1, "def") || self.is_id(i - 1, "class"));
            match w {
                "Predictor" | "RealTimePredictor" if !declared && !wrapped.contains(&i) => {
                    let endpoint = self.predictor_endpoint(open, &mut budget);
                    let from_import = imported(self.predictor_name_arg(open).as_ref(), &endpoint);
                    let mut call = self.call(InvokeApi::InvokeEndpoint, i, endpoint, false);
                    call.imported = from_import;
                    call.in_error_handler = call.in_error_handler || self.py_predictions_all_handled(i);
                    calls.push(call);
                }
                "AsyncPredictor" if !declared => {
                    // `AsyncPredictor(Predictor(X))` invokes asynchronously; a predictor built elsewhere
                    // is reported where it is built.
                    let args = self.args(open);
                    let inner = args.iter().find(|a| a.kw == Some("predictor")).or_else(|| args.first());
                    if let Some(inner) = inner.filter(|a| a.star == 0 && a.hi > a.lo) {
                        let last = inner.hi - 1;
                        let inner_open = self.open.get(last).copied().unwrap_or(NONE);
                        if self.is_p(last, ")")
                            && inner_open != NONE
                            && inner_open > inner.lo
                            && matches!(self.t(inner_open - 1), "Predictor" | "RealTimePredictor")
                        {
                            wrapped.insert(inner_open - 1);
                            let endpoint = self.predictor_endpoint(inner_open, &mut budget);
                            calls.push(self.call(InvokeApi::InvokeEndpointAsync, i, endpoint, false));
                        }
                    }
                }
                "client" => {
                    let args = self.args(open);
                    let runtime = args.iter().any(|a| {
                        (a.kw.is_none() || a.kw == Some("service_name"))
                            && a.hi == a.lo + 1
                            && self.str_value(a.lo).is_some_and(|v| PY_RUNTIME_SERVICES.contains(&v))
                    });
                    if runtime {
                        clients.explicit_endpoint_url |= args.iter().any(|a| a.kw == Some("endpoint_url"));
                        // `setup_default_session` sets the session `boto3.client(…)` uses, not one
                        // the code makes itself (`boto3.Session().client(…)`, `session.client(…)`).
                        let default_session = !self.after_dot(i) || (i >= 2 && self.is_id(i - 2, "boto3"));
                        let region = self
                            .py_kwarg(open, "region_name", 0, &mut budget)
                            .or_else(|| self.py_config_region(open, &mut budget))
                            .or_else(|| self.py_session_region(i, &mut budget))
                            .map(|f| self.eval_found(f, 0, &mut budget))
                            .or_else(|| default_region.clone().filter(|_| default_session));
                        clients.client(region);
                    }
                }
                _ => {}
            }
        }
        (calls, clients)
    }

    /// `region_name=` of a botocore `Config(…)` passed as the client's `config=`, which the
    /// client uses when it is given no `region_name` of its own.
    fn py_config_region(&self, open: usize, budget: &mut u32) -> Option<Found> {
        let config = self.args(open).into_iter().find(|a| a.kw == Some("config"))?;
        let close = config.hi.checked_sub(1).filter(|&c| c > config.lo && self.is_p(c, ")"))?;
        let inner = self.open.get(close).copied().filter(|&o| o != NONE && o > 0)?;
        self.is_id(inner - 1, "Config").then_some(())?;
        self.py_kwarg(inner, "region_name", 0, budget)
    }

    /// `region_name=` of the `Session(…)` a client is made from in one chain:
    /// `boto3.Session(region_name=R).client(…)`, `boto3.session.Session(region_name=R).client(…)`.
    fn py_session_region(&self, client: usize, budget: &mut u32) -> Option<Found> {
        let close = client.checked_sub(2).filter(|&c| self.is_p(client - 1, ".") && self.is_p(c, ")"))?;
        let open = self.open.get(close).copied().filter(|&o| o != NONE)?;
        (open > 0 && self.is_id(open - 1, "Session")).then_some(())?;
        self.py_kwarg(open, "region_name", 0, budget)
    }

    /// `boto3.setup_default_session(region_name=R)`: the region of every client created without
    /// one of its own.
    fn py_default_session_region(&self) -> Option<EndpointName> {
        (0..self.len()).find_map(|i| {
            if !(self.is_id(i, "setup_default_session") && self.is_p(i + 1, "(")) {
                return None;
            }
            let mut budget = BUDGET;
            let found = self.py_kwarg(i + 1, "region_name", 0, &mut budget)?;
            Some(self.eval_found(found, 0, &mut budget))
        })
    }

    /// Whether the predictor built at token `i` (`predictor = sagemaker.predictor.Predictor(…)`)
    /// is used, and only inside error handlers: the SDK call, and its errors, happen in
    /// `predictor.predict(…)`, not where the predictor is built.
    fn py_predictions_all_handled(&self, i: usize) -> bool {
        let mut start = i;
        while start >= 2 && self.is_p(start - 1, ".") && self.ident(start - 2).is_some() {
            start -= 2;
        }
        let Some(name) = start.checked_sub(2).filter(|&s| self.is_p(s + 1, "=")).and_then(|s| self.ident(s))
        else {
            return false;
        };
        let mut uses = (0..self.len()).filter(|&k| {
            self.is_id(k, name)
                && self.is_p(k + 1, ".")
                && self.is_id(k + 2, "predict")
                && self.is_p(k + 3, "(")
        });
        let mut any = false;
        uses.all(|k| {
            any = true;
            self.protected.get(k).copied().unwrap_or(false)
        }) && any
    }

    /// The argument of `Predictor(…)` that names the endpoint.
    fn predictor_name_arg(&self, open: usize) -> Option<Arg<'a>> {
        let args = self.args(open);
        let at = args
            .iter()
            .position(|a| a.kw == Some("endpoint_name"))
            .or_else(|| args.first().filter(|a| a.kw.is_none() && a.star == 0).map(|_| 0))?;
        args.into_iter().nth(at)
    }

    fn predictor_endpoint(&self, open: usize, budget: &mut u32) -> EndpointName {
        match self.predictor_name_arg(open) {
            Some(a) => self.eval(a.lo, a.hi, 0, budget),
            None => EndpointName::Missing,
        }
    }
}
