//! Snapshot comparison shared by the fixture tests (rules, scenarios, formats): one place that
//! says where snapshots live and how they are named, and that turns a mismatch into `false` so a
//! test can report every differing case at once instead of stopping at the first.

use std::path::Path;

/// Compares `text` with `tests/snapshots/<name>.snap`, recording `input` as its source.
pub(crate) fn matches(name: &str, input: &Path, text: &str) -> bool {
    std::panic::catch_unwind(|| {
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            input_file => input,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, text);
        });
    })
    .is_ok()
}
