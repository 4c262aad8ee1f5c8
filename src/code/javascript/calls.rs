//! JavaScript's endpoint calls: AWS SDK v3 commands (also under an import alias) and v2
//! `invokeEndpoint*` methods with their parameter objects, and whether a rejected promise or an
//! error-first callback is handled.

use std::collections::HashMap;

use super::JsGrammar;
use crate::code::analyzer::{Analyzer, BUDGET, NONE};
use crate::code::{EndpointName, InvokeCall, RuntimeClients};
use crate::model::InvokeApi;

const JS_COMMANDS: &[(&str, InvokeApi)] = &[
    ("InvokeEndpointCommand", InvokeApi::InvokeEndpoint),
    ("InvokeEndpointAsyncCommand", InvokeApi::InvokeEndpointAsync),
    ("InvokeEndpointWithResponseStreamCommand", InvokeApi::InvokeEndpointWithResponseStream),
];

fn js_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invokeEndpoint" => Some(InvokeApi::InvokeEndpoint),
        "invokeEndpointAsync" => Some(InvokeApi::InvokeEndpointAsync),
        "invokeEndpointWithResponseStream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

impl<'a> Analyzer<'a, JsGrammar> {
    /// Whether the statement containing token `i` chains `.catch(`.
    fn js_chain_catch(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..256 {
            if j >= self.len() {
                return false;
            }
            if (self.is_p(j, ".") || self.is_p(j, "?."))
                && self.is_id(j + 1, "catch")
                && self.is_p(j + 2, "(")
            {
                return true;
            }
            if j > i {
                if self.is_p(j, ";") {
                    return false;
                }
                if self.is_close(j) {
                    // Leaving an enclosing bracket: keep following the outer expression unless it was a block.
                    if self.is_p(j, "}") && self.grammar.block.get(self.open[j]).copied().unwrap_or(true) {
                        return false;
                    }
                    j += 1;
                    continue;
                }
                if self.bol(j) && !self.js_continues(j - 1, j) {
                    return false;
                }
            }
            j = self.skip(j);
        }
        false
    }

    pub(in crate::code) fn js_calls(&self) -> (Vec<InvokeCall>, RuntimeClients) {
        let len = self.len();
        let mut aliases: HashMap<&'a str, InvokeApi> = JS_COMMANDS.iter().copied().collect();
        // `client.send(cmd)`-style uses: a call whose only argument is a name.
        let mut sole_arg_uses: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if let Some(&(_, api)) = JS_COMMANDS.iter().find(|(c, _)| *c == w) {
                let alias_decl = self.is_id(i + 1, "as")
                    || (self.is_p(i + 1, ":")
                        && self.parent[i] != NONE
                        && !self.grammar.block[self.parent[i]]
                        && (self.is_p(i + 3, ",") || self.is_p(i + 3, "}")));
                if let Some(alias) = self.ident(i + 2).filter(|_| alias_decl) {
                    aliases.insert(alias, api);
                }
            }
            if self.prev_is(i, "(") && self.is_p(i + 1, ")") {
                let uses = sole_arg_uses.entry(w).or_default();
                if uses.len() < 8 {
                    uses.push(i);
                }
            }
        }
        let mut calls = Vec::new();
        let mut clients = RuntimeClients::default();
        let default_region = self.js_global_config_region();
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let declared = i > 0 && matches!(self.t(i - 1), "function" | "class" | "interface" | "type");
            let api = match aliases.get(w) {
                Some(&api) if !declared => Some(api),
                None if self.after_dot(i) => js_method_api(w),
                _ => None,
            };
            let mut budget = BUDGET;
            let args = self.args(i + 1);
            let first = args.first().filter(|a| a.star == 0);
            if let Some(api) = api {
                let (endpoint, inference_component, input_location) = match first {
                    Some(a) => {
                        let endpoint = match self.dict_lookup(a.lo, a.hi, "EndpointName", 0, &mut budget) {
                            Some(f) => self.eval_found(f, 0, &mut budget),
                            None => EndpointName::Missing,
                        };
                        let ic =
                            self.dict_lookup(a.lo, a.hi, "InferenceComponentName", 0, &mut budget).is_some();
                        let input = (api == InvokeApi::InvokeEndpointAsync)
                            .then(|| self.dict_lookup(a.lo, a.hi, "InputLocation", 0, &mut budget))
                            .flatten()
                            .map(|f| self.eval_found(f, 0, &mut budget));
                        (endpoint, ic, input)
                    }
                    None => (EndpointName::Missing, false, None),
                };
                let mut call = self.call(api, i, endpoint, inference_component);
                call.input_location = input_location;
                call.in_error_handler = call.in_error_handler
                    || self.js_chain_catch(i)
                    || self.js_error_first_callback(i + 1)
                    || self.js_declared_as(i).and_then(|n| sole_arg_uses.get(n)).is_some_and(|uses| {
                        uses.iter().any(|&u| self.protected[u] || self.js_chain_catch(u))
                    });
                calls.push(call);
            } else if matches!(w, "SageMakerRuntimeClient" | "SageMakerRuntime")
                && (self.after_dot(i) || (i > 0 && self.is_id(i - 1, "new")))
            {
                let region = match first {
                    Some(a) => {
                        clients.explicit_endpoint_url |=
                            self.dict_lookup(a.lo, a.hi, "endpoint", 0, &mut budget).is_some();
                        self.dict_lookup(a.lo, a.hi, "region", 0, &mut budget)
                            .map(|f| self.eval_found(f, 0, &mut budget))
                    }
                    None => None,
                };
                // `AWS.config` is SDK v2's: a v3 `SageMakerRuntimeClient` does not read it.
                let v2 = w == "SageMakerRuntime";
                clients.client(region.or_else(|| default_region.clone().filter(|_| v2)));
            }
        }
        (calls, clients)
    }

    /// `AWS.config.update({ region: R })` (SDK v2): the region of every client created without
    /// one of its own.
    fn js_global_config_region(&self) -> Option<EndpointName> {
        (2..self.len()).find_map(|i| {
            if !(self.is_id(i, "update")
                && self.is_p(i - 1, ".")
                && self.is_id(i - 2, "config")
                && self.is_p(i + 1, "("))
            {
                return None;
            }
            let mut budget = BUDGET;
            let a = self.args(i + 1).into_iter().next().filter(|a| a.star == 0)?;
            let found = self.dict_lookup(a.lo, a.hi, "region", 0, &mut budget)?;
            Some(self.eval_found(found, 0, &mut budget))
        })
    }

    /// `const NAME = new a.b.Callee(` → NAME, for the callee token at `i`.
    fn js_declared_as(&self, i: usize) -> Option<&'a str> {
        let mut k = i;
        while k >= 2 && self.is_p(k - 1, ".") && self.ident(k - 2).is_some() {
            k -= 2;
        }
        let k = k.checked_sub(1)?;
        if !self.is_id(k, "new") || !self.is_p(k.checked_sub(1)?, "=") {
            return None;
        }
        self.ident(k.checked_sub(2)?)
    }
}
