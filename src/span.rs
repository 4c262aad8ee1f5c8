//! Byte ranges inside one file, and file-qualified locations for labels that cross files.

/// A half-open byte range `[start, end)` into one source file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    #[must_use]
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// A span from `usize` offsets; offsets are bounded by the 4 GiB file limit enforced at load.
    #[must_use]
    pub fn from_range(start: usize, end: usize) -> Self {
        Self::new(start as u32, end as u32)
    }

    #[must_use]
    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// A sub-span given offsets relative to this span's start (used for text inside strings).
    #[must_use]
    pub fn sub(self, rel_start: usize, rel_end: usize) -> Span {
        let start = (self.start as usize + rel_start).min(self.end as usize);
        let end = (self.start as usize + rel_end).min(self.end as usize);
        Span::from_range(start, end.max(start))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start as usize, span.len() as usize).into()
    }
}

/// Index of a file in the run's [`crate::source::SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A span in a particular file: what model items and labels carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

impl Loc {
    #[must_use]
    pub const fn new(file: FileId, span: Span) -> Self {
        Self { file, span }
    }
}
