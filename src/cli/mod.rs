//! Subcommand dispatch; owns the exit status.

mod args;
mod check;
mod eval;
mod explain;
mod server;

pub use args::{Cli, ColorChoice};

use crate::error::Error;

/// The process exit status of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No finding at or above `--fail-on`.
    Success = 0,
    /// At least one finding at or above `--fail-on`.
    Findings = 1,
    /// The run itself failed.
    Error = 2,
}

/// What a command wants written to stdout, and how it ends.
pub struct Output {
    pub stdout: String,
    pub status: ExitStatus,
    /// Run-level errors to print on stderr (the run still produced output).
    pub errors: Vec<Error>,
}

/// Runs one command of the `sagelint` process. Meant to be called once, by `main`: `check` leaves
/// its run's memory to the operating system (see `LintOptions::one_shot`).
pub fn run(cli: Cli) -> Result<Output, Error> {
    match cli.command {
        Some(args::Command::Check(check)) => check::run(&check),
        Some(args::Command::Explain { rule }) => explain::explain(&rule),
        Some(args::Command::Eval(eval)) => eval::run(&eval),
        Some(args::Command::Rules { format }) => Ok(explain::rules(format)),
        Some(args::Command::Server) => server::run(),
        None => check::run(&cli.check),
    }
}
