//! The IAM matchers: action and resource patterns (`*`, `?`, `${aws:...}` variables, symbols).
//! Input: pattern and text separated by a NUL; `\x01name\x01` in either is a symbol.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sagelint::iam::Context;
use sagelint::iam::pattern::{
    action_matches, action_pattern_matches, resource_matches, resource_matches_with,
};
use sagelint::value::{SymStr, SymbolOrigin};

fn sym_str(text: &str) -> SymStr {
    let mut out = SymStr::default();
    for (i, part) in text.split('\x01').enumerate() {
        if i % 2 == 1 {
            // Symbols of one origin: matching compares ids, whatever they stand for.
            out.push_sym(part, SymbolOrigin::Parameter);
        } else {
            out.push_str(part);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, subject) = text.split_once('\0').unwrap_or((text, ""));
    let _ = action_matches(pattern, subject);
    let _ = action_pattern_matches(&sym_str(pattern), subject);
    let (p, s) = (sym_str(pattern), sym_str(subject));
    let _ = resource_matches(&p, &s);
    let vars = Context::default().with_value("aws:username", "alice").with_absent("aws:PrincipalTag/team");
    let _ = resource_matches_with(&p, &s, &vars);
});
