//! The analysis stage: the facts several rules read, computed once per run before any rule runs,
//! from the linked model alone. Rules receive them read-only through the lint context, so a rule
//! never recomputes (or calls) another rule's question and switching a rule off changes nothing
//! another rule knows.
//!
//! What is computed here, and in which order:
//! 1. per VPC-attached function, the network path to the SageMaker runtime ([`network`]); the
//!    invoke decision needs it (a call leaving through NAT carries no VPC condition keys);
//! 2. then, independently of each other: per call, the three-valued invoke decision and what
//!    explains a denial ([`invoke`], [`explain`]); per (function, literal endpoint name), which
//!    endpoints the name is checked against ([`endpoint_names`]); which function each API
//!    integration and permission is about ([`api_chain`]); which functions' roles cannot write
//!    their logs ([`logs`]) or manage their network interfaces ([`eni`]); which async calls' endpoint
//!    roles cannot reach their S3 locations ([`async_io`]).
//!
//! Independent parts run in parallel (rayon) when the run allows more than one worker; every
//! result is collected in model order, so the output does not depend on the thread count.
//!
//! This stage writes no finding text: it returns typed facts (decisions, reasons, the resources
//! involved), and messages and help belong to the rules.

pub(crate) mod api_chain;
pub(crate) mod async_io;
pub(crate) mod endpoint_names;
pub(crate) mod eni;
pub(crate) mod explain;
pub(crate) mod invoke;
pub(crate) mod keys;
pub(crate) mod logs;
pub(crate) mod network;

use rayon::prelude::*;

use crate::model::Model;

/// Everything the rules share, computed once per run.
pub(crate) struct Facts<'m> {
    /// Every decidable call with its decision and what explains it, in model order.
    pub calls: Vec<invoke::CallFacts<'m>>,
    /// What is wrong or unknown on the network path of every VPC-attached function that calls
    /// an endpoint, in model order.
    pub network: Vec<network::NetProblem<'m>>,
    /// Per function, per call: what can be said of the literal endpoint name the call uses
    /// (`None` for calls that do not name an endpoint literally).
    pub names: Vec<Vec<Option<endpoint_names::NameCheck<'m>>>>,
    /// API integrations and permissions tied to functions.
    pub api: api_chain::Chain<'m>,
    /// Calling functions whose roles certainly cannot write their logs, in model order.
    pub logs_denied: Vec<logs::LogsDenied<'m>>,
    /// VPC-attached functions whose roles certainly cannot manage their network interfaces, in
    /// model order.
    pub eni_denied: Vec<eni::EniDenied<'m>>,
    /// Async calls whose endpoint's execution role certainly cannot reach their S3 locations, in
    /// model order.
    pub async_io_denied: Vec<async_io::AsyncIoDenied<'m>>,
}

impl<'m> Facts<'m> {
    /// Computes every fact of the run. `parallel` spreads independent work over the current rayon
    /// pool; false keeps it on this thread (`--jobs 1`).
    #[must_use]
    pub(crate) fn compute(model: &'m Model, parallel: bool) -> Self {
        let paths = network::analyse(model, parallel);
        let ((calls, names), (api, (logs_denied, (eni_denied, async_io_denied)))) = join(
            parallel,
            || {
                join(
                    parallel,
                    || invoke::call_facts(model, &paths.via_nat, parallel),
                    || endpoint_names::resolve_all(model, parallel),
                )
            },
            || {
                join(
                    parallel,
                    || api_chain::Chain::new(model),
                    || {
                        join(
                            parallel,
                            || logs::denied(model, parallel),
                            || join(parallel, || eni::denied(model, parallel), || async_io::denied(model)),
                        )
                    },
                )
            },
        );
        Self { calls, network: paths.problems, names, api, logs_denied, eni_denied, async_io_denied }
    }

    /// What can be said of the literal endpoint name of `model.functions[function].calls[call]`.
    #[must_use]
    pub(crate) fn name_check(&self, function: usize, call: usize) -> Option<&endpoint_names::NameCheck<'m>> {
        self.names.get(function)?.get(call)?.as_ref()
    }
}

/// `rayon::join` when parallel, one after the other otherwise.
fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel { rayon::join(a, b) } else { (a(), b()) }
}

/// `f` over `items`, in order; spread over the pool when parallel.
fn map_in_order<'a, T: Sync, R: Send>(
    items: &'a [T],
    parallel: bool,
    f: impl Fn(usize, &'a T) -> R + Sync + Send,
) -> Vec<R> {
    if parallel {
        items.par_iter().enumerate().map(|(i, t)| f(i, t)).collect()
    } else {
        items.iter().enumerate().map(|(i, t)| f(i, t)).collect()
    }
}

/// The functions of `model` for which `f` has something to say, with what it says, in model
/// order; spread over the pool when parallel.
fn per_function<'m, R: Send>(
    model: &'m Model,
    parallel: bool,
    f: impl Fn(&'m crate::model::Function) -> Option<R> + Sync + Send,
) -> Vec<R> {
    map_in_order(&model.functions, parallel, |_, function| f(function)).into_iter().flatten().collect()
}

/// The function's role when it is known and every policy of it was read: only then can a denial
/// be certain.
fn fully_read_role<'m>(
    model: &'m Model,
    function: &crate::model::Function,
) -> Option<&'m crate::model::Role> {
    let crate::model::RoleRef::Known(index) = function.role else { return None };
    model.roles.get(index).filter(|role| role.unknown_policies.is_empty())
}
