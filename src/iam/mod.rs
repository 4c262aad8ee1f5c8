//! IAM policy parsing, matching and evaluation: the pure core that decides whether a role may
//! call an action on a resource, three-valued where the deployment decides.
//!
//! `policy` turns a resolved value into a typed document, `pattern` and `arn` match actions and
//! resources, `condition` evaluates `Condition` blocks, `eval` combines them into a [`Decision`].

pub mod actions;
pub mod arn;
pub mod condition;
pub mod eval;
pub mod managed;
pub mod pattern;
pub mod policy;

pub use condition::{Context, Tri};
pub use eval::{Decision, Hit, Inputs, NamedPolicy, Outcome, PolicyKind, Request, decide};
pub use pattern::Match;
pub use policy::{Effect, PolicyDocument, PolicyProblem, parse_policy};
