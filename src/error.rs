//! Run-level failures (exit code 2): bad arguments, unreadable config, missing paths, internal errors.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::text::{control_escape, escape_controls};

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("path does not exist: {0}")]
    #[diagnostic(code(sagelint::path::missing))]
    MissingPath(String),

    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(sagelint::io))]
    Io { path: String, message: String },

    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(sagelint::write))]
    Write { path: String, message: String },

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

/// What a caught panic says: its message when it is text.
#[must_use]
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

impl Error {
    /// The error with the control characters of what it quotes (paths, messages, the config file's
    /// text) shown as escapes, for printing: a file name or a TOML key can hold ESC or a newline.
    #[must_use]
    pub fn escaped(self) -> Self {
        let esc = |s: String| escape_controls(&s).into_owned();
        match self {
            Error::MissingPath(path) => Error::MissingPath(esc(path)),
            Error::Io { path, message } => Error::Io { path: esc(path), message: esc(message) },
            Error::Write { path, message } => Error::Write { path: esc(path), message: esc(message) },
            Error::Config { message, src, span } => {
                let (text, span) = escape_source(src.inner(), span);
                Error::Config {
                    message: esc(message),
                    src: NamedSource::new(escape_controls(src.name()), text),
                    span,
                }
            }
            Error::Usage(message) => Error::Usage(esc(message)),
            Error::Internal { path, message } => Error::Internal { path: esc(path), message: esc(message) },
        }
    }
}

/// A source shown under an error with its control characters escaped, except the line breaks and
/// tabs that miette lays out itself, and the label's span moved along.
fn escape_source(text: &str, span: Option<SourceSpan>) -> (String, Option<SourceSpan>) {
    let mut out = String::with_capacity(text.len());
    let (start, end) = span.map_or((usize::MAX, usize::MAX), |s| (s.offset(), s.offset() + s.len()));
    let (mut new_start, mut new_end) = (None, None);
    for (i, c) in text.char_indices() {
        if new_start.is_none() && i >= start {
            new_start = Some(out.len());
        }
        if new_end.is_none() && i >= end {
            new_end = Some(out.len());
        }
        match control_escape(c).filter(|_| !matches!(c, '\n' | '\r' | '\t')) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    let span = span.map(|_| {
        let from = new_start.unwrap_or(out.len());
        let to = new_end.unwrap_or(out.len()).max(from);
        SourceSpan::from((from, to - from))
    });
    (out, span)
}
