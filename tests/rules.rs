//! Every `testdata/rules/<CODE>/{pass,fail}/<case>/` tree, linted with only that rule selected:
//! a `fail` case must report and matches its reviewed snapshot; a `pass` case must report nothing.

mod common;
mod snap;

use std::path::Path;

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut failures = Vec::new();
    let mut cases = 0;
    for rule_dir in common::subdirs(&root) {
        let code = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        for kind in ["fail", "pass"] {
            for case in common::subdirs(&rule_dir.join(kind)) {
                cases += 1;
                let name = case.file_name().unwrap().to_string_lossy().into_owned();
                let relative = case.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_path_buf();
                let (_, text, findings) = common::report(&relative, Some(&code));
                if kind == "pass" {
                    if findings != 0 {
                        failures.push(format!("{code}/pass/{name} reported findings:\n{text}"));
                    }
                    continue;
                }
                if findings == 0 {
                    failures.push(format!("{code}/fail/{name} reported nothing"));
                    continue;
                }
                let snapshot = format!("{code}__fail__{name}");
                if !snap::matches(&snapshot, &case, &text) {
                    failures.push(format!("{code}/fail/{name}: snapshot differs"));
                }
            }
        }
    }
    assert!(cases > 0, "no fixtures found under {}", root.display());
    assert!(
        failures.is_empty(),
        "{} of {cases} fixture cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
