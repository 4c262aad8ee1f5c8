//! sagelint: checks, before deployment, that an API Gateway → Lambda → SageMaker endpoint chain will
//! work: the execution role may invoke the endpoint, the code names an endpoint that exists, and a
//! function in a VPC can reach the SageMaker runtime.
//!
//! Layers: `syntax` owns where things are (span-preserving trees), `model` owns what they mean
//! (functions, roles, policies, endpoints), `iam` decides requests, `rules` ask questions of the
//! model, `report` renders. The public API is small: [`lint`] and the pure cores `iam`, `source`.
#![forbid(unsafe_code)]

pub mod diagnostic;
pub mod iam;
pub mod model;
pub mod source;
pub mod span;
pub mod syntax;
pub mod value;
