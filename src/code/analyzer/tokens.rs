//! Reading the token stream: token tests, bracket groups, top-level search and splitting,
//! call arguments, spans and the short source snippets messages quote.

use super::lex::{Kind, Lit};
use super::{Analyzer, Arg, Grammar, NONE};
use crate::span::Span;

impl<'a, G: Grammar> Analyzer<'a, G> {
    pub(in crate::code) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(in crate::code) fn t(&self, i: usize) -> &'a str {
        let text: &'a str = self.text;
        self.toks.get(i).and_then(|t| text.get(t.start..t.end)).unwrap_or("")
    }

    pub(in crate::code) fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(in crate::code) fn is_p(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.t(i) == p
    }

    pub(in crate::code) fn is_id(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Some(Kind::Ident) && self.t(i) == w
    }

    /// Token `i` is the operator or keyword `w` (not a string that reads the same).
    pub(in crate::code) fn is_token(&self, i: usize, w: &str) -> bool {
        matches!(self.kind(i), Some(Kind::Ident | Kind::Punct)) && self.t(i) == w
    }

    pub(in crate::code) fn ident(&self, i: usize) -> Option<&'a str> {
        (self.kind(i) == Some(Kind::Ident)).then(|| self.t(i))
    }

    pub(in crate::code) fn lit(&self, i: usize) -> Option<&Lit> {
        self.toks.get(i).and_then(|t| t.lit.as_deref())
    }

    /// A plain string literal's value (no substitutions).
    pub(in crate::code) fn str_value(&self, i: usize) -> Option<&str> {
        self.lit(i).filter(|l| !l.has_subs).map(|l| l.value.as_str())
    }

    pub(in crate::code) fn is_close(&self, i: usize) -> bool {
        self.open.get(i).is_some_and(|&o| o != NONE)
    }

    pub(in crate::code) fn bol(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.bol)
    }

    pub(in crate::code) fn prev_is(&self, i: usize, p: &str) -> bool {
        i > 0 && self.is_p(i - 1, p)
    }

    pub(in crate::code) fn after_dot(&self, i: usize) -> bool {
        self.prev_is(i, ".") || self.prev_is(i, "?.")
    }

    pub(in crate::code) fn close_of(&self, i: usize) -> usize {
        self.close.get(i).copied().unwrap_or(i)
    }

    /// The index after token `i`, jumping over a bracketed group.
    pub(in crate::code) fn skip(&self, i: usize) -> usize {
        self.close_of(i).max(i).saturating_add(1)
    }

    /// Span of tokens `lo..hi`.
    pub(in crate::code) fn span(&self, lo: usize, hi: usize) -> Span {
        match (self.toks.get(lo), hi.checked_sub(1).and_then(|h| self.toks.get(h))) {
            (Some(a), Some(z)) if z.end >= a.start => Span::from_range(a.start, z.end),
            (Some(a), _) => Span::from_range(a.start, a.end),
            _ => Span::from_range(self.text.len(), self.text.len()),
        }
    }

    /// The first top-level token in `lo..hi` satisfying `pred`.
    pub(in crate::code) fn find_top(
        &self,
        lo: usize,
        hi: usize,
        pred: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut i = lo;
        while i < hi.min(self.len()) {
            if pred(i) {
                return Some(i);
            }
            i = self.skip(i);
        }
        None
    }

    /// Splits `lo..hi` at top-level commas, dropping empty pieces.
    pub(in crate::code) fn split(&self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
        let hi = hi.min(self.len());
        let mut out = Vec::new();
        let mut start = lo;
        let mut i = lo;
        while i < hi {
            if self.is_p(i, ",") {
                if i > start {
                    out.push((start, i));
                }
                start = i + 1;
            }
            i = self.skip(i);
        }
        if hi > start {
            out.push((start, hi));
        }
        out
    }

    /// The arguments of the call whose `(` is at `open`.
    pub(in crate::code) fn args(&self, open: usize) -> Vec<Arg<'a>> {
        let close = self.close_of(open);
        if !self.is_p(open, "(") || close <= open {
            return Vec::new();
        }
        self.split(open + 1, close)
            .into_iter()
            .map(|(lo, hi)| {
                if G::KEYWORD_ARGUMENTS && self.ident(lo).is_some() && self.is_p(lo + 1, "=") {
                    Arg { kw: self.ident(lo), star: 0, lo: lo + 2, hi }
                } else if self.is_p(lo, "**") {
                    Arg { kw: None, star: 2, lo: lo + 1, hi }
                } else if self.is_p(lo, "*") || self.is_p(lo, "...") {
                    Arg { kw: None, star: 1, lo: lo + 1, hi }
                } else {
                    Arg { kw: None, star: 0, lo, hi }
                }
            })
            .collect()
    }

    /// Source text of tokens `lo..hi`, whitespace collapsed and shortened for messages.
    pub(in crate::code) fn snippet(&self, lo: usize, hi: usize) -> String {
        let span = self.span(lo, hi);
        let raw = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
        let mut out = String::new();
        let mut count = 0;
        let mut last_ws = false;
        for ch in raw.chars() {
            if ch.is_whitespace() {
                if !last_ws {
                    out.push(' ');
                }
                last_ws = true;
                continue;
            }
            last_ws = false;
            if count >= 60 {
                out.push('…');
                break;
            }
            out.push(ch);
            count += 1;
        }
        out
    }
}
