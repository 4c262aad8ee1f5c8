//! The format-independent model: functions, roles, policies, endpoints, each with its source spans.
pub mod handler;
