//! Run-level failures (exit code 2): bad arguments, unreadable config, missing paths, internal errors.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("path does not exist: {0}")]
    #[diagnostic(code(sagelint::path::missing))]
    MissingPath(String),

    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(sagelint::io))]
    Io { path: String, message: String },

    #[error("invalid config: {message}")]
    #[diagnostic(code(sagelint::config::invalid))]
    Config {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("{message}")]
        span: Option<SourceSpan>,
    },

    #[error("{0}")]
    #[diagnostic(code(sagelint::usage))]
    Usage(String),

    #[error("internal error while linting {path}: {message}")]
    #[diagnostic(code(sagelint::internal), help("this is a bug in sagelint; please report it with the file"))]
    Internal { path: String, message: String },
}
