//! JSON → [`Node`] with byte spans.
use super::Parsed;

/// Parses JSON text into a span-preserving tree.
#[must_use]
pub fn parse_json(_text: &str) -> Parsed {
    Parsed::default()
}
