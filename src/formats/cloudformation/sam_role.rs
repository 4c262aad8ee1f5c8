//! Two SAM rules about a function's permissions that the transform applies silently or loudly:
//! `Policies` is ignored when `Role` is set, and `Globals.Function` rejects `Role`, `Policies`,
//! `FunctionName` and `Events`.
//!
//! Sources: aws/serverless-application-model `samtranslator/model/sam_resources.py` builds the
//! execution role from `Policies` only `if lambda_function.Role is None`; AWS Knowledge Center
//! "lambda-sam-template-permissions": "The Policies and Role properties can't be used together";
//! `samtranslator/plugins/globals/globals.py` lists the `Globals.Function` properties ("everything
//! on Serverless::Function except Role, Policies, FunctionName, Events") and raises
//! `'<key>' is not a supported property of 'Function'` for the others, failing the transform.

use super::Builder;
use crate::model::problem::{ParseProblem, Problem};
use crate::span::Loc;
use crate::syntax::Node;

/// `Globals.Function` keys the SAM transform rejects.
const NOT_IN_GLOBALS: [&str; 4] = ["Role", "Policies", "FunctionName", "Events"];

impl Builder<'_> {
    /// Reports each `Globals.Function` key SAM rejects (SL001: the transform fails, nothing is
    /// deployed). True when there is none, so the SAM functions can be modelled.
    pub(super) fn sam_globals_supported(&mut self) -> bool {
        let Some(function) = self.root.get("Globals").and_then(|g| g.get("Function")) else { return true };
        let mut ok = true;
        for entry in function.entries() {
            if !NOT_IN_GLOBALS.contains(&entry.key.as_str()) {
                continue;
            }
            ok = false;
            let problem = ParseProblem::SamGlobalsUnsupported { key: entry.key.as_str().to_owned() };
            self.problem(Problem::new(self.loc(entry.key_span), problem));
        }
        ok
    }

    /// The `Policies` of a SAM function that also sets `Role`: SAM builds no role, so they are
    /// attached to nothing.
    pub(super) fn sam_ignored_policies(&self, node: &Node) -> Option<Loc> {
        let props = node.get("Properties")?;
        props.get("Role")?;
        props.entry("Policies").map(|e| self.loc(e.key_span))
    }
}
