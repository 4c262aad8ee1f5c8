//! A `sagelint.toml` error past column 65,535: miette cannot draw a label there (it panicked with
//! "Formatting argument out of range"), so the error gives the line and column in its message and
//! the run ends with exit code 2, not a crash.

use std::process::Command;

#[test]
fn a_config_error_past_column_65535_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = format!("region = \"{}\" junk\n", "a".repeat(70_000));
    std::fs::write(dir.path().join("sagelint.toml"), line).expect("write the config");
    let out = Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(["check", ".", "--color", "never"])
        .current_dir(dir.path())
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid config"), "{stderr}");
    // miette wraps the message: compare it without the line breaks.
    let words = stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(words.contains("(line 1, column 70013)"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
