//! Discovery and loading from disk: the walk (`.gitignore`, CDK apps, Terraform folders), the
//! bounded reader (size caps, encodings, symlinks, devices) and everything `lint` does with what it
//! read, then every report format.
//!
//! Input: records separated by `SEP`. A record's first byte picks what it becomes; the rest is the
//! file's bytes:
//! - bits 0-4: the file's name, from `NAMES`;
//! - bit 6 alone: a symlink instead of a file, to the target `LINKS[first content byte]`;
//! - bit 7: the file is extended (sparsely, with zero bytes) to one byte past the template cap,
//!   or, with bit 6 as well, past the cap for small side files only.
#![no_main]

mod pipeline;
mod scratch;

use libfuzzer_sys::fuzz_target;
use sagelint::LintOptions;
use sagelint::fsread::{SMALL_CAP, TEMPLATE_CAP};
use sagelint::report::Summary;

const SEP: &[u8] = b"\x00\xc0\xc1\x00";
const MAX_RECORDS: usize = 8;

const NAMES: [&str; 32] = [
    "template.yaml",
    "template.json",
    "main.tf",
    "extra.tf.json",
    "terraform.tfvars",
    "x.auto.tfvars",
    "serverless.yml",
    "cdk.json",
    "src/app.py",
    "src/index.js",
    ".gitignore",
    "policy.json",
    "cdk.out/Stack.template.json",
    "modules/child/main.tf",
    "src/package.json",
    "plan.json",
    "nested/template.yaml",
    "template.yml",
    "variables.tf",
    "src/lib/__init__.py",
    "src/app.mjs",
    "src/handler.ts",
    "stack.template",
    "src/Dockerfile",
    "src/requirements.txt",
    "layer/python/helpers.py",
    "sub/.gitignore",
    "sub/template.yaml",
    "src/node_modules/x/index.js",
    "build/scorer.zip",
    "cdk.out/manifest.json",
    ".ignore",
];

/// Where a symlink record points (inside the scratch folder, or a device).
enum Link {
    Abs(&'static str),
    /// A file beside the scanned folder: outside its scope.
    OutsideFile,
    /// A folder beside the scanned folder, holding a handler.
    OutsideDir,
    /// A file of the scanned folder.
    Sibling(&'static str),
    /// The link itself (a loop).
    Itself,
    Dangling,
    /// The scanned folder (a cycle for a walker that follows links).
    Root,
}

const LINKS: [Link; 9] = [
    Link::Abs("/dev/null"),
    Link::Abs("/dev/zero"),
    Link::OutsideFile,
    Link::OutsideDir,
    Link::Sibling("template.yaml"),
    Link::Sibling("src"),
    Link::Itself,
    Link::Dangling,
    Link::Root,
];

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut records = Vec::new();
    let mut rest = data;
    while records.len() + 1 < MAX_RECORDS {
        match rest.windows(SEP.len()).position(|w| w == SEP) {
            Some(at) => {
                records.push(&rest[..at]);
                rest = &rest[at + SEP.len()..];
            }
            None => break,
        }
    }
    records.push(rest);
    records
}

fuzz_target!(|data: &[u8]| {
    let scratch = scratch::fresh("discovery");
    let repo = scratch.join("repo");
    std::fs::create_dir_all(&repo).expect("scan folder");
    std::fs::write(scratch.join("outside.txt"), "outside the scanned folder\n").expect("outside file");
    let outside_dir = scratch.join("outside");
    std::fs::create_dir_all(&outside_dir).expect("outside folder");
    std::fs::write(outside_dir.join("app.py"), "import boto3\n").expect("outside handler");
    for record in split(data) {
        let Some((&selector, content)) = record.split_first() else { continue };
        let name = NAMES[usize::from(selector & 0x1f)];
        let path = repo.join(name);
        if selector & 0xc0 == 0x40 {
            let target = match &LINKS[usize::from(content.first().copied().unwrap_or(0)) % LINKS.len()] {
                Link::Abs(p) => std::path::PathBuf::from(p),
                Link::OutsideFile => scratch.join("outside.txt"),
                Link::OutsideDir => outside_dir.clone(),
                Link::Sibling(s) => repo.join(s),
                Link::Itself => path.clone(),
                Link::Dangling => repo.join("missing"),
                Link::Root => repo.clone(),
            };
            let Some(parent) = path.parent() else { continue };
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
            let _ = std::fs::remove_file(&path);
            let _ = std::os::unix::fs::symlink(target, &path);
            continue;
        }
        let Some(written) = scratch::write(&repo, name, content) else { continue };
        if selector & 0x80 != 0 {
            let len = if selector & 0x40 == 0 { TEMPLATE_CAP + 1 } else { SMALL_CAP + 1 };
            if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&written) {
                let _ = file.set_len(len.max(content.len() as u64));
            }
        }
    }
    let options = LintOptions { jobs: Some(1), ..LintOptions::default() };
    let Ok(outcome) = sagelint::lint(&[repo], &options) else { return };
    assert!(outcome.internal_errors.is_empty(), "{:?}", outcome.internal_errors);
    let summary =
        Summary { suppressed: outcome.suppressed, ..Summary::new(&outcome.diagnostics, outcome.files) };
    pipeline::render_all(&outcome.diagnostics, &outcome.sources, summary);
});
