//! Command-line arguments (clap derive); no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "sagelint",
    version,
    about = "Checks API Gateway -> Lambda -> SageMaker endpoint chains before you deploy"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (the default command)
    Check(Box<CheckArgs>),
    /// Print one rule's documentation
    Explain {
        /// A rule code (SL101) or name (invoke-not-allowed)
        rule: String,
    },
    /// Decide one request offline and show the deciding statement
    Eval(EvalArgs),
    /// List every rule
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run a language server over stdio: an editor shows findings as you type, judged from its
    /// unsaved buffers (see docs/editors.md)
    Server,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Identity policy document (JSON or YAML); repeatable
    #[arg(long = "policy", value_name = "FILE", required = true)]
    pub policies: Vec<PathBuf>,
    /// The action, e.g. sagemaker:InvokeEndpoint
    #[arg(long)]
    pub action: String,
    /// The resource ARN
    #[arg(long)]
    pub resource: String,
    /// Permissions boundary policy document
    #[arg(long, value_name = "FILE")]
    pub boundary: Vec<PathBuf>,
    /// Service control policy document; repeatable
    #[arg(long, value_name = "FILE")]
    pub scp: Vec<PathBuf>,
    /// A request context value, KEY=VALUE (repeat a key for several values; KEY= marks it absent)
    #[arg(long, value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output: `auto` means a terminal on stdout, no `NO_COLOR`, and no `--output` file.
    #[must_use]
    pub fn enabled(self, to_file: bool) -> bool {
        use std::io::IsTerminal as _;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !to_file && !no_color_env() && std::io::stdout().is_terminal(),
        }
    }
}

/// `NO_COLOR` set to a non-empty value: <https://no-color.org> ("when present and not an empty
/// string"); an explicit `--color always` still wins, as that page allows.
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Cli {
    /// The `--color` of the command being run (`auto` for commands without one), which also governs
    /// run-level error reports on stderr.
    #[must_use]
    pub fn color(&self) -> ColorChoice {
        match &self.command {
            None => self.check.color,
            Some(Command::Check(check)) => check.color,
            Some(Command::Eval(eval)) => eval.color,
            Some(Command::Explain { .. } | Command::Rules { .. } | Command::Server) => ColorChoice::Auto,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to lint
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Config file (default: nearest sagelint.toml or .sagelint.toml upward from the first path)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only these rules: comma-separated codes, prefixes (SL1) or names
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: comma-separated codes, prefixes or names
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum)]
    pub fail_on: Option<Level>,
    /// AWS region the templates are deployed to
    #[arg(long)]
    pub region: Option<String>,
    /// AWS account id the templates are deployed to
    #[arg(long)]
    pub account_id: Option<String>,
    /// AWS partition (aws, aws-cn, aws-us-gov)
    #[arg(long)]
    pub partition: Option<String>,
    /// CloudFormation parameter / Terraform variable value, KEY=VALUE (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub param: Vec<String>,
    /// Service control policy document applied to every role (repeatable)
    #[arg(long, value_name = "FILE")]
    pub scp: Vec<PathBuf>,
    /// Hide the findings recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Do not scan handler source code
    #[arg(long)]
    pub no_code: bool,
    /// Worker threads (default: number of CPUs)
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only, no summary
    #[arg(short, long)]
    pub quiet: bool,
}
