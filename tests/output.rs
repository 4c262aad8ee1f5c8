//! Where the report goes: colour decisions (`--color`, `NO_COLOR`, terminals) and a reader that
//! closes the pipe early (`sagelint | head`).

use std::io::Read as _;
use std::process::{Command, Stdio};

const FAILING: &str = "testdata/scenarios/sam-logs-s3-only";
const ESC: &str = "\u{1b}[";

fn sagelint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sagelint"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("NO_COLOR");
    command
}

/// Exit code and stdout+stderr of `sagelint <args>` run on a pseudo-terminal (util-linux
/// `script`), so that `--color auto` sees a terminal.
#[cfg(target_os = "linux")]
fn on_terminal(env: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = vec!["env".to_owned(), "-u".to_owned(), "NO_COLOR".to_owned()];
    line.extend(env.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
    line.push(quote(env!("CARGO_BIN_EXE_sagelint")));
    line.extend(args.iter().map(|a| quote(a)));
    let out = Command::new("script")
        .args(["-qec", &line.join(" "), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs (it provides the terminal)");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn color_always_colours_even_a_pipe_and_never_does_not() {
    let always = sagelint().args(["check", FAILING, "--color", "always"]).output().unwrap();
    assert!(String::from_utf8_lossy(&always.stdout).contains(ESC));
    let never = sagelint().args(["check", FAILING, "--color", "never"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains(ESC));
    // An explicit flag wins over the environment (no-color.org leaves that to the user's choice).
    let forced =
        sagelint().args(["check", FAILING, "--color", "always"]).env("NO_COLOR", "1").output().unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains(ESC));
}

#[test]
fn machine_formats_are_never_coloured() {
    for format in ["short", "json", "sarif", "github"] {
        let out =
            sagelint().args(["check", FAILING, "--color", "always", "--format", format]).output().unwrap();
        assert!(!String::from_utf8_lossy(&out.stdout).contains(ESC), "{format}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn auto_colours_a_terminal_unless_no_color_is_set() {
    let (code, plain) = on_terminal(&[], &["check", FAILING]);
    assert_eq!(code, 1, "{plain}");
    assert!(plain.contains(ESC), "a terminal gets colour: {plain}");
    assert!(plain.contains("SL101"), "{plain}");
    let (_, no_color) = on_terminal(&[("NO_COLOR", "1")], &["check", FAILING]);
    assert!(no_color.contains("SL101") && !no_color.contains(ESC), "{no_color}");
    let (_, never) = on_terminal(&[], &["check", FAILING, "--color", "never"]);
    assert!(never.contains("SL101") && !never.contains(ESC), "{never}");
    // https://no-color.org: only a non-empty NO_COLOR disables colour.
    let (_, empty) = on_terminal(&[("NO_COLOR", "")], &["check", FAILING]);
    assert!(empty.contains(ESC), "{empty}");
}

#[cfg(target_os = "linux")]
#[test]
fn output_file_is_not_coloured_by_auto_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let (code, _) = on_terminal(&[], &["check", FAILING, "--output", report.to_str().unwrap()]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("SL101") && !text.contains(ESC), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn run_errors_on_stderr_follow_the_color_flag() {
    let (code, never) = on_terminal(&[], &["check", "no/such/path", "--color", "never"]);
    assert_eq!(code, 2, "{never}");
    assert!(never.contains("path does not exist") && !never.contains(ESC), "{never}");
    let (_, no_color) = on_terminal(&[("NO_COLOR", "1")], &["check", "no/such/path"]);
    assert!(no_color.contains("path does not exist") && !no_color.contains(ESC), "{no_color}");
    let always = sagelint().args(["check", "no/such/path", "--color", "always"]).output().unwrap();
    assert!(String::from_utf8_lossy(&always.stderr).contains(ESC));
}

/// The reader is gone before sagelint writes a report larger than a pipe's buffer: the write fails
/// with EPIPE, which must end the run quietly with the exit code of the findings.
#[test]
fn closed_pipe_ends_quietly_with_the_findings_exit_code() {
    let args = ["check", "testdata", "--format", "sarif"];
    let full = sagelint().args(args).output().unwrap();
    assert!(full.stdout.len() > 1 << 17, "the report overflows any pipe buffer");
    assert_eq!(full.status.code(), Some(1));
    let mut child = sagelint().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stderr, "", "no panic, no 'Broken pipe' message");
}

#[test]
fn head_reads_one_line_and_sagelint_exits_with_the_findings_code() {
    let script = format!(
        "set -o pipefail; '{}' check testdata --color never | head -1",
        env!("CARGO_BIN_EXE_sagelint")
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(stderr, "", "no panic, no 'Broken pipe' message");
    assert_eq!(out.status.code(), Some(1), "pipefail sees sagelint's exit code 1 (findings)");
}
