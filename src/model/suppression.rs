//! A suppression written in the files, as data: what the builders record and the run applies
//! (`crate::suppress` decides which findings each one hides).

use crate::span::{FileId, Loc, Span};

/// One ignore list and the region it covers.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The resource's logical id (empty for a comment).
    pub resource: String,
    pub file: FileId,
    /// The covered text: the whole resource, or the comment's line and the next.
    pub span: Span,
    /// Codes, prefixes or names.
    pub rules: Vec<String>,
    /// Where the ignore list is written.
    pub loc: Loc,
}
