//! IAM policy parsing, matching and evaluation.
