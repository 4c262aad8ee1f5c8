//! `check`: config → discover → load → lint → report, with CLI flags over the config file.

use std::collections::BTreeMap;

use super::args::{CheckArgs, Level};
use super::{ExitStatus, Output};
use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::formats::BuildOptions;
use crate::formats::Deployment;
use crate::fsread::Scope;
use crate::report::{self, Format, Style, Summary};
use crate::rules::Selection;
use crate::{LintOptions, lint};

pub(super) fn run(args: &CheckArgs) -> Result<Output, Error> {
    let paths = if args.paths.is_empty() { vec![".".into()] } else { args.paths.clone() };
    let config = match &args.config {
        Some(path) => config::load(path)?,
        None => match config::find(&paths[0]) {
            Some(path) => config::load(&path)?,
            None => Config::default(),
        },
    };
    // This process ends after the report (see `LintOptions::one_shot`).
    let options = LintOptions { one_shot: true, ..options(args, &config)? };
    let fail_on = match args.fail_on {
        Some(Level::Error) => Severity::Error,
        Some(Level::Warning) => Severity::Warning,
        Some(Level::Info) => Severity::Info,
        None => config.fail_on.as_deref().and_then(Severity::parse).unwrap_or(Severity::Error),
    };
    let mut outcome = lint(&paths, &options)?;
    // Debug builds only: lets tests/adversarial.rs prove that a panic above the stages that catch
    // their own is still an internal error.
    #[cfg(debug_assertions)]
    assert!(
        !outcome.sources.iter().any(|(_, f)| f.path().ends_with("sagelint-fault-injection-run-panic.yaml")),
        "fault injected by a test after the lint"
    );
    // A `--param` that names no parameter or variable of the scanned files changes nothing: most
    // often a typo, or the wrong folder. Config `[params]` are shared between folders and may not
    // all apply.
    if let Some(unknown) = args
        .param
        .iter()
        .filter_map(|p| p.split_once('=').map(|(k, _)| k))
        .find(|k| !outcome.parameters.contains(*k))
    {
        let known: Vec<&str> = outcome.parameters.iter().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "--param {unknown} names no template parameter or Terraform variable in the scanned files{}",
            if known.is_empty() { String::new() } else { format!(" (they have: {})", known.join(", ")) }
        )));
    }
    if let Some(path) = &args.write_baseline {
        crate::baseline::write(path, &outcome.diagnostics, &outcome.sources)?;
    }
    let mut suppressed = outcome.suppressed;
    if let Some(path) = &args.baseline {
        suppressed += crate::baseline::apply(path, &mut outcome.diagnostics, &outcome.sources)?;
    }
    let summary = Summary { suppressed, ..Summary::new(&outcome.diagnostics, outcome.files) };
    let color = args.color.enabled(args.output.is_some());
    let style = Style { color, quiet: args.quiet, width: 100 };
    let format = args.format.unwrap_or(Format::Pretty);
    let failing = outcome.diagnostics.iter().any(|d| d.severity >= fail_on);
    let status = if !outcome.internal_errors.is_empty() {
        ExitStatus::Error
    } else if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    };
    // The report goes to --output when given. Recording a baseline adopts today's findings: the
    // run succeeds (so `--write-baseline b.json && git add b.json` works) and stdout says what
    // was recorded instead of listing every finding again.
    let write = |out: &mut dyn std::io::Write| {
        report::write(format, &outcome.diagnostics, &outcome.sources, summary, style, outcome.workers, out)
    };
    if let Some(path) = &args.output {
        write_output(path, write)?;
    } else if args.write_baseline.is_none() {
        write_stdout(write)?;
    }
    let (stdout, status) = match &args.write_baseline {
        Some(path) => {
            let n = outcome.diagnostics.len();
            let recorded = format!(
                "recorded {n} finding{} in {}\n",
                if n == 1 { "" } else { "s" },
                crate::display_path(path)
            );
            (recorded, if outcome.internal_errors.is_empty() { ExitStatus::Success } else { status })
        }
        None => (String::new(), status),
    };
    let errors = std::mem::take(&mut outcome.internal_errors);
    // The process ends after this report (`LintOptions::one_shot`): the sources and findings are
    // left to the operating system too.
    std::mem::forget(outcome);
    Ok(Output { stdout, status, errors })
}

/// Writes the report where `--output` says, as it is rendered; a failure names the write, not a
/// read.
fn write_output(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let written = std::fs::File::create(path).and_then(|file| {
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(REPORT_BUFFER, file);
        write(&mut out)?;
        out.flush()
    });
    written.map_err(|e| Error::Write { path: crate::display_path(path), message: e.to_string() })
}

/// Writes the report to stdout as it is rendered. A reader that stops early (`sagelint | head`)
/// is not a failure of the run, and the exit code still reports the findings: otherwise it would
/// depend on whether the report happened to fit in the pipe's buffer.
fn write_stdout(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<(), Error> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(REPORT_BUFFER, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Write { path: "the report to stdout".into(), message: e.to_string() })
        }
        _ => Ok(()),
    }
}

/// Bytes of report gathered before each write.
const REPORT_BUFFER: usize = 256 * 1024;

pub(super) fn options(args: &CheckArgs, config: &Config) -> Result<LintOptions, Error> {
    let mut params: BTreeMap<String, String> = config
        .params
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect();
    for p in &args.param {
        let (k, v) =
            p.split_once('=').ok_or_else(|| Error::Usage(format!("--param expects KEY=VALUE, got {p:?}")))?;
        params.insert(k.to_owned(), v.to_owned());
    }
    let severity =
        config.severity.iter().filter_map(|(k, v)| Severity::parse(v).map(|s| (k.clone(), s))).collect();
    let selection = Selection {
        select: if args.select.is_empty() { config.select.clone() } else { args.select.clone() },
        ignore: config.ignore.iter().chain(&args.ignore).cloned().collect(),
        severity,
    };
    if let Some(bad) = selection.unknown_pattern() {
        return Err(Error::Usage(format!(
            "{bad:?} matches no rule code, prefix or name (see `sagelint rules`)"
        )));
    }
    // SCP files a repository's config names must lie in that repository (a config could otherwise
    // print `/proc/self/environ` into the report); files named with `--scp` are read where they are.
    let (scps, scp_scope) = match config.path.as_deref() {
        Some(config_path) if args.scp.is_empty() => {
            let base = config_path.parent().unwrap_or(std::path::Path::new("."));
            (config.scp.iter().map(|p| base.join(p)).collect(), Scope::of_config(config_path))
        }
        _ => (args.scp.clone(), Scope::unrestricted()),
    };
    Ok(LintOptions {
        build: BuildOptions {
            deployment: Deployment {
                partition: args.partition.clone().or_else(|| config.partition.clone()),
                region: args.region.clone().or_else(|| config.region.clone()),
                account_id: args.account_id.clone().or_else(|| config.account_id.clone()),
            },
            params,
            scan_code: !args.no_code,
        },
        selection,
        declared_endpoints: config.endpoints.clone(),
        exclude: config.exclude.clone(),
        jobs: args.jobs,
        scps,
        scp_scope,
        overlay: crate::fsread::Overlay::default(),
        // The server builds its options here too and lives on: only `run` sets it.
        one_shot: false,
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::options;
    use crate::cli::Cli;
    use crate::config::Config;

    #[test]
    fn only_the_command_leaves_its_memory_to_the_operating_system() {
        // `options` is shared with `sagelint server`, which lints again and again in one process:
        // a run it starts must free what it built.
        let defaults = Cli::try_parse_from(["sagelint"]).expect("no arguments parse");
        let options = options(&defaults.check, &Config::default()).expect("default options");
        assert!(!options.one_shot);
    }
}
