//! The layers of ARCHITECTURE.md import only downwards: each row's "never imports" column,
//! checked on the source. A `crate::<module>` path in a file of a layer that must not use that
//! module fails here (comments included: a doc link to a higher layer is a dependency in prose).

use std::path::{Path, PathBuf};

/// (layer: a folder or file under `src/`, modules it never uses).
const NEVER: &[(&str, &[&str])] = &[
    (
        "sync.rs",
        &[
            "fsread", "syntax", "iam", "value", "model", "code", "link", "formats", "analysis", "rules",
            "report", "load", "cli",
        ],
    ),
    (
        "fsread.rs",
        &[
            "syntax", "iam", "value", "model", "code", "link", "formats", "analysis", "rules", "report",
            "load", "cli",
        ],
    ),
    ("syntax", &["iam", "model", "code", "link", "formats", "analysis", "rules", "report", "load", "cli"]),
    ("iam", &["syntax", "model", "code", "link", "formats", "analysis", "rules", "report", "load", "cli"]),
    ("value.rs", &["model", "code", "link", "formats", "analysis", "rules", "report", "load", "cli"]),
    ("model", &["code", "link", "formats", "analysis", "rules", "report", "load", "cli", "diagnostic"]),
    ("code", &["formats", "analysis", "rules", "report", "load", "cli"]),
    ("link", &["formats", "analysis", "rules", "report", "load", "cli"]),
    ("formats", &["analysis", "rules", "report", "load", "cli", "diagnostic"]),
    ("analysis", &["formats", "syntax", "rules", "report", "load", "cli"]),
    // Rules read a parse problem's typed `syntax::SyntaxKind`, never the parsers or their trees.
    (
        "rules",
        &[
            "formats",
            "syntax::json",
            "syntax::yaml",
            "syntax::Node",
            "syntax::Parsed",
            "report",
            "load",
            "cli",
        ],
    ),
    ("report", &["formats", "load", "cli"]),
    ("load", &["cli", "report"]),
    // One input family never uses another's builder.
    ("formats/terraform", &["formats::cloudformation"]),
    ("formats/cloudformation", &["formats::terraform"]),
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("source folder is readable").flatten() {
            rust_files(&entry.path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn every_layer_imports_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for (layer, never) in NEVER {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "no source for layer {layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source file is readable");
            for module in *never {
                let needles =
                    [format!("crate::{module}::"), format!("crate::{module};"), format!("crate::{module}}}")];
                if needles.iter().any(|n| text.contains(n.as_str())) {
                    offences.push(format!(
                        "{} uses crate::{module}",
                        file.strip_prefix(&src).unwrap_or(&file).display()
                    ));
                }
            }
        }
    }
    assert!(offences.is_empty(), "imports against ARCHITECTURE.md's layers:\n{}", offences.join("\n"));
}

/// The token analyzer the handler languages share (`src/code/analyzer/`) names none of them: every
/// other folder of `src/code/` is a language, so one added later is covered without a new cell.
#[test]
fn the_shared_code_analyzer_never_uses_a_language_module() {
    let code = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/code");
    let languages: Vec<String> = std::fs::read_dir(&code)
        .expect("src/code is readable")
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name() != "analyzer")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!languages.is_empty(), "no language folder under src/code");
    let mut files = Vec::new();
    rust_files(&code.join("analyzer"), &mut files);
    assert!(!files.is_empty(), "no source for src/code/analyzer");
    let mut offences = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file is readable");
        for language in &languages {
            // Its own files reach the rest of `code` as `crate::code::…` or `super::super::…`.
            let needles = [format!("code::{language}"), format!("super::super::{language}")];
            if needles.iter().any(|n| text.contains(n.as_str())) {
                offences.push(format!(
                    "{} uses code::{language}",
                    file.strip_prefix(&code).unwrap_or(&file).display()
                ));
            }
        }
    }
    assert!(offences.is_empty(), "the shared analyzer depends on a language:\n{}", offences.join("\n"));
}
