//! The whole in-memory pipeline on one template: YAML or JSON loader, model builder (intrinsics,
//! SAM, inline `ZipFile` handlers), every rule, suppressions. The first byte picks the loader.
#![no_main]

mod pipeline;

use libfuzzer_sys::fuzz_target;
use sagelint::model::Model;
use sagelint::formats::cloudformation::{build, is_template};
use sagelint::formats::{BuildOptions, CodeCache};
use sagelint::source::{SourceFile, SourceMap};
use sagelint::syntax::{json::parse_json, yaml::parse_yaml};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let parsed = if which & 1 == 0 { parse_yaml(text) } else { parse_json(text) };
    let Some(root) = parsed.root else { return };
    if !root.is_map() || !is_template(&root) {
        return;
    }
    let mut sources = SourceMap::default();
    // A directory that does not exist: CodeUri handlers are simply not found.
    let path = std::path::PathBuf::from("/nonexistent-sagelint-fuzz/template.yaml");
    let id = sources.add(SourceFile::new(path, "template.yaml".into(), text.to_owned()));
    let mut model = Model::default();
    let mut cache = CodeCache::default();
    let options = BuildOptions { scan_code: true, ..BuildOptions::default() };
    build(&mut model, &mut sources, &mut cache, id, &root, &options);
    pipeline::lint_and_render(&model, &sources);
});
