//! Which file each byte range of a template being built was read from.
//!
//! A template expanded by `rain pkg` modules (rain_module.rs) holds nodes read from several
//! files. Each module file's nodes carry spans shifted past the end of the template's own text
//! (and past every module file before it), so one `Span` still names one byte range, and the
//! builder turns it into a `Loc` in the right file here. A template without modules has no shifted
//! ranges: every span is in the template's own file.

use crate::source::SourceMap;
use crate::span::{FileId, Loc, Span};

/// The files a template's spans are in.
#[derive(Clone, Debug)]
pub(crate) struct Origins {
    template: FileId,
    shifted: Vec<Shifted>,
}

/// A module file whose spans were moved to start at `base`.
#[derive(Clone, Copy, Debug)]
struct Shifted {
    base: u32,
    end: u32,
    file: FileId,
}

impl Origins {
    /// Every span is in `template`.
    pub(crate) fn single(template: FileId) -> Self {
        Self { template, shifted: Vec::new() }
    }

    /// The first offset past every range handed out so far: where the next module file goes.
    pub(crate) fn next_base(&self, template_len: u32) -> u32 {
        self.shifted.last().map_or(template_len, |s| s.end).saturating_add(1)
    }

    /// Records that `file`, of `len` bytes, has spans shifted by `base`.
    pub(crate) fn push(&mut self, file: FileId, base: u32, len: u32) {
        self.shifted.push(Shifted { base, end: base.saturating_add(len), file });
    }

    /// The file and the span in it.
    pub(crate) fn loc(&self, span: Span) -> Loc {
        match self.find(span.start) {
            Some(s) => {
                let end = span.end.min(s.end).max(span.start);
                Loc::new(s.file, Span::new(span.start - s.base, end - s.base))
            }
            None => Loc::new(self.template, span),
        }
    }

    /// True when `file` is the template or one of its module files.
    pub(crate) fn owns(&self, file: FileId) -> bool {
        file == self.template || self.shifted.iter().any(|s| s.file == file)
    }

    /// The text a span covers, read from its own file.
    pub(crate) fn slice<'s>(&self, sources: &'s SourceMap, span: Span) -> &'s str {
        let loc = self.loc(span);
        sources.get(loc.file).slice(loc.span)
    }

    fn find(&self, offset: u32) -> Option<&Shifted> {
        self.shifted.iter().find(|s| s.base <= offset && offset <= s.end)
    }
}
