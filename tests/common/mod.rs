//! Shared by the integration tests: run the real binary on a fixture tree.

use std::path::Path;
use std::process::Command;

/// Exit code, stdout and stderr of `sagelint <args>`, run from the crate root.
pub(crate) fn sagelint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the sagelint binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a user sees for a tree: the pretty report, then the short lines, then the exit code.
pub(crate) fn report(dir: &Path, select: Option<&str>) -> (i32, String, usize) {
    let dir = dir.to_string_lossy();
    let mut args = vec!["check", dir.as_ref(), "--color", "never", "-q"];
    if let Some(code) = select {
        args.extend(["--select", code]);
    }
    let (code, pretty, stderr) = sagelint(&args);
    let mut short_args = args.clone();
    short_args.extend(["--format", "short"]);
    let (_, short, _) = sagelint(&short_args);
    let findings = short.lines().count();
    let text = format!("{pretty}--- short ---\n{short}--- exit code: {code} ---\n{stderr}");
    (code, text, findings)
}

/// Sorted subdirectories of a folder (empty if it does not exist).
pub(crate) fn subdirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    out.sort();
    out
}
