//! The JSON loader: any bytes give a tree or findings, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = sagelint::syntax::json::parse_json(text);
        // Every span must lie inside the text: reports slice the source with them.
        for e in &parsed.errors {
            assert!(e.span.end as usize <= text.len() && e.span.start <= e.span.end, "{e:?}");
        }
    }
});
