//! The JavaScript/TypeScript handler scanner: any text gives a scan, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagelint::code::{Language, scan};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = scan(Language::JavaScript, text);
    }
});
