//! The YAML fast path: wherever it accepts a text, its events and byte spans equal saphyr's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(mismatch) = sagelint::syntax::yaml_fast_agrees(text) {
            panic!("{mismatch}");
        }
    }
});
