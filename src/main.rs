//! The `sagelint` binary: parse arguments, run, print, map the status to an exit code.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use sagelint::cli::{self, Cli, ExitStatus};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli::run(cli) {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(output.stdout.as_bytes()).and_then(|()| stdout.flush()) {
                // A closed pipe (`sagelint | head`) is not a failure.
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                return ExitCode::from(ExitStatus::Error as u8);
            }
            for error in output.errors {
                eprint_report(&miette::Report::new(error));
            }
            ExitCode::from(output.status as u8)
        }
        Err(error) => {
            eprint_report(&miette::Report::new(error));
            ExitCode::from(ExitStatus::Error as u8)
        }
    }
}

#[expect(clippy::print_stderr, reason = "the binary's one place that reports run-level errors")]
fn eprint_report(report: &miette::Report) {
    eprintln!("{report:?}");
}
