//! The whole in-memory pipeline on one Terraform file: HCL (`.tf`), `.tf.json` or a
//! `terraform show -json` plan (the first byte picks), module building, every rule, suppressions
//! and rendering.
#![no_main]

mod pipeline;

use libfuzzer_sys::fuzz_target;
use sagelint::model::Model;
use sagelint::formats::{BuildOptions, CodeCache};
use sagelint::source::{SourceFile, SourceMap};
use sagelint::syntax::json::parse_json;
use sagelint::formats::terraform::{self, TfFile, TfKind, hcl, plan, tfjson};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (name, kind, body) = match which % 3 {
        0 => match hcl::parse(text) {
            Ok(body) => ("main.tf", TfKind::Config, body),
            Err(_) => return,
        },
        1 => match parse_json(text).root {
            Some(root) => ("main.tf.json", TfKind::Config, tfjson::config_body(&root, text)),
            None => return,
        },
        _ => match parse_json(text).root {
            Some(root) if tfjson::is_plan(&root) => ("plan.json", TfKind::Plan, plan::plan_body(&root)),
            _ => return,
        },
    };
    let mut sources = SourceMap::default();
    // A folder that does not exist: `filename`/`source_dir` code is simply not found.
    let path = std::path::PathBuf::from("/nonexistent-sagelint-fuzz").join(name);
    let file = sources.add(SourceFile::new(path.clone(), name.into(), text.to_owned()));
    let files = [TfFile { file, path, kind, body, broken: false, explicit: true }];
    let mut model = Model::default();
    let mut cache = CodeCache::default();
    let options = BuildOptions { scan_code: true, ..BuildOptions::default() };
    terraform::build(&mut model, &mut sources, &mut cache, &files, &options);
    pipeline::lint_and_render(&model, &sources);
});
