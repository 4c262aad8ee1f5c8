//! The `sagelint` binary: parse arguments, run, print, map the status to an exit code.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use sagelint::cli::{self, Cli, ExitStatus};

// glibc's malloc was a fifth of a run's instructions on real templates (many small tree nodes
// freed together); mimalloc's size-class pages make those allocations and frees cheap.
// Built without transparent huge pages (the `no_thp` feature): with Linux's default
// `defrag=madvise`, mimalloc's `MADV_HUGEPAGE` makes page faults wait for the kernel to compact
// memory: 100,000 stacks took 6.4-8.6 s (system time 3.9-5.1 s), and 5.5-5.8 s (2.5 s) without;
// a 1 MiB template pays about 3 ms more. mimalloc's author advises this for short-lived programs
// (<https://github.com/microsoft/mimalloc/issues/1323>, <https://github.com/microsoft/mimalloc/issues/1373>).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    set_error_colors(cli.color());
    // A panic that no stage caught (each file's read and each rule are isolated) is still the
    // contract's internal error, exit 2, not the runtime's exit 101.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli)));
    let run = run.unwrap_or_else(|panic| {
        Err(sagelint::error::Error::Internal {
            path: "(the whole run)".into(),
            message: sagelint::error::panic_message(&*panic),
        })
    });
    match run {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout.write_all(output.stdout.as_bytes()).and_then(|()| stdout.flush()) {
                // A reader that stops early (`sagelint | head`) is not a failure of the run, and the
                // exit code still reports the findings: otherwise it would depend on whether the
                // report happened to fit in the pipe's buffer.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprint_report(&miette::miette!("cannot write the report to stdout: {e}"));
                    return ExitCode::from(ExitStatus::Error as u8);
                }
            }
            for error in output.errors {
                eprint_report(&miette::Report::new(error.escaped()));
            }
            ExitCode::from(output.status as u8)
        }
        Err(error) => {
            eprint_report(&miette::Report::new(error.escaped()));
            ExitCode::from(ExitStatus::Error as u8)
        }
    }
}

/// Run-level errors on stderr follow `--color` too; with `auto`, miette decides from stderr and
/// `NO_COLOR`.
fn set_error_colors(choice: cli::ColorChoice) {
    let color = match choice {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => return,
    };
    // Fails only if a hook is already installed, and none is before this point.
    let _ =
        miette::set_hook(Box::new(move |_| Box::new(miette::MietteHandlerOpts::new().color(color).build())));
}

/// Ignores a failed write: with stderr closed there is nowhere left to report to, and `eprintln!`
/// would panic.
fn eprint_report(report: &miette::Report) {
    let _ = writeln!(std::io::stderr().lock(), "{report:?}");
}
