//! The registry, `rules/*.md` and `testdata/rules/*` are in one-to-one correspondence.

use std::collections::BTreeSet;
use std::path::Path;

use sagelint::rules::REGISTRY;

const HEADINGS: [&str; 6] = [
    "## What it finds",
    "## Why it fails at run time",
    "## Error the caller sees",
    "## Failing example",
    "## Fixed example",
    "## How to suppress",
];

fn names_in(dir: &Path, want_dirs: bool) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("the folder exists")
        .flatten()
        .filter(|e| e.path().is_dir() == want_dirs)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn codes_are_unique_sorted_and_named_in_kebab_case() {
    let codes: Vec<&str> = REGISTRY.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "registry must be sorted with unique codes");
    for r in REGISTRY {
        assert!(r.code.len() == 5 && r.code.starts_with("SL"), "{}", r.code);
        assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", r.name);
        let file = Path::new(r.source).file_name().unwrap().to_string_lossy().into_owned();
        assert!(file.starts_with(&r.code.to_lowercase()), "{} lives in {file}", r.code);
        assert!(file.contains(&r.name.replace('-', "_")), "{} should be named after {}", file, r.name);
    }
}

#[test]
fn every_rule_has_a_complete_doc_page_and_every_page_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages: BTreeSet<String> = names_in(&root.join("rules"), false)
        .into_iter()
        .filter_map(|n| n.strip_suffix(".md").map(str::to_owned))
        .collect();
    let codes: BTreeSet<String> = REGISTRY.iter().map(|r| r.code.to_owned()).collect();
    assert_eq!(pages, codes, "rules/*.md and the registry differ");
    for r in REGISTRY {
        let title = format!("# {} {}", r.code, r.name);
        assert_eq!(r.doc.lines().next(), Some(title.as_str()), "{} title", r.code);
        let severity = format!("Default severity: {}", r.severity);
        assert!(r.doc.contains(&severity), "{} page must say {severity}", r.code);
        let mut last = 0;
        for h in HEADINGS {
            let at = r.doc.find(h).unwrap_or_else(|| panic!("{} page lacks {h}", r.code));
            assert!(at >= last, "{} headings out of order at {h}", r.code);
            last = at;
        }
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_and_every_fixture_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let dirs = names_in(&root, true);
    let codes: BTreeSet<String> = REGISTRY.iter().map(|r| r.code.to_owned()).collect();
    assert_eq!(dirs, codes, "testdata/rules/* and the registry differ");
    for code in codes {
        for kind in ["pass", "fail"] {
            let cases = names_in(&root.join(&code).join(kind), true);
            assert!(!cases.is_empty(), "{code} has no {kind} fixture");
        }
    }
}

/// A rule reads facts (`src/analysis/`, through the lint context) and reports; it never reaches into
/// another rule's file, so switching one rule off cannot change what another knows.
#[test]
fn no_rule_file_uses_another_rule_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut offenders = Vec::new();
    for rule in REGISTRY {
        let file = Path::new(rule.source).file_name().unwrap().to_string_lossy().into_owned();
        let own = file.trim_end_matches(".rs").to_owned();
        let text = std::fs::read_to_string(dir.join(&file)).expect("the rule's file is readable");
        for other in REGISTRY {
            let other_file = Path::new(other.source).file_name().unwrap().to_string_lossy().into_owned();
            let other_module = other_file.trim_end_matches(".rs");
            if other_module != own && text.contains(&format!("{other_module}::")) {
                offenders.push(format!("{file} uses {other_module}"));
            }
        }
    }
    assert!(offenders.is_empty(), "rules reaching into other rules:\n{}", offenders.join("\n"));
}

/// IAM is evaluated in the analysis stage, once per run, where the work is spread over the pool
/// and a rule switched off cannot hide what another rule reads: a rule words the facts only.
#[test]
fn no_rule_file_evaluates_iam() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut offenders = Vec::new();
    for rule in REGISTRY {
        let file = Path::new(rule.source).file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join(&file)).expect("the rule's file is readable");
        for needle in ["iam::eval", "decide_for", "decide_call", "denied_actions"] {
            if text.contains(needle) {
                offenders.push(format!("{file} uses {needle}"));
            }
        }
    }
    assert!(offenders.is_empty(), "rules evaluating IAM themselves:\n{}", offenders.join("\n"));
}

/// The README's rule table is the registry's: a rule added, renamed or re-graded without the
/// table updated fails here (the table is what a user reads first).
#[test]
fn readme_rule_table_lists_the_registry() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table: Vec<String> = readme
        .lines()
        .skip_while(|l| *l != "| code | name | severity |")
        .skip(2)
        .take_while(|l| l.starts_with("| SL"))
        .map(str::to_owned)
        .collect();
    let registry: Vec<String> =
        REGISTRY.iter().map(|r| format!("| {} | {} | {} |", r.code, r.name, r.severity.as_str())).collect();
    assert_eq!(table, registry, "README.md's rule table differs from the registry (src/rules/mod.rs)");
}

/// The builders record typed problems (`src/model/problem.rs`); the words of a finding belong to
/// the rule that reports it, and how a path is shown (relative to the working directory) to the
/// rules and reports. A finding or a display path built in the model would bypass both.
#[test]
fn model_and_builders_write_no_findings_or_display_paths() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the source folder is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    // The layers below the rules: the model, the input formats, handler code, the linker and the
    // analysis stage.
    for layer in ["model", "formats", "code", "link", "analysis"] {
        walk(&src.join(layer), &mut files);
    }
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        for needle in ["crate::diagnostic", "Finding::new", "display_path("] {
            if text.contains(needle) {
                offenders
                    .push(format!("{} uses {needle}", file.strip_prefix(&src).unwrap_or(&file).display()));
            }
        }
    }
    assert!(offenders.is_empty(), "the model writes finding text:\n{}", offenders.join("\n"));
}

/// Rules and the analysis they read say what an unknown value is from its typed origin
/// (`value::SymbolOrigin`), never from the shape of its id: an id cannot tell a parameter from a
/// name the template never defined, or a Terraform variable from a module's (issue 12).
#[test]
fn rules_classify_symbols_by_origin_not_by_id_text() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the source folder is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for layer in ["rules", "analysis"] {
        walk(&src.join(layer), &mut files);
    }
    // The prefixes ids were once read by, and any text test on a symbol's id.
    let needles = [
        "strip_prefix(\"AWS::",
        "starts_with(\"AWS::",
        "strip_prefix(\"var.",
        "starts_with(\"var.",
        "\"ImportValue:",
        "\"FindInMap:",
        ".id().starts_with(",
        ".id().strip_prefix(",
        ".id().ends_with(",
        ".id().contains(",
        ".id().split",
    ];
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file is readable");
        for needle in needles {
            if text.contains(needle) {
                offenders
                    .push(format!("{} uses {needle}", file.strip_prefix(&src).unwrap_or(&file).display()));
            }
        }
    }
    assert!(offenders.is_empty(), "symbols classified by their id's text:\n{}", offenders.join("\n"));
}
