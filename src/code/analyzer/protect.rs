//! Which tokens an error handler covers: `try` bodies the language found, and the functions
//! whose every use in the file is covered, which cannot fail uncaught either.

use std::collections::{HashMap, HashSet};

use super::{Analyzer, Grammar};

/// How many levels of helper-called-by-helper are followed.
const CALLER_DEPTH: usize = 4;

impl<G: Grammar> Analyzer<'_, G> {
    /// Marks `ranges` protected, and nothing else.
    pub(in crate::code) fn mark_protected(&mut self, ranges: &[(usize, usize)]) {
        let len = self.len();
        let mut diff = vec![0i64; len + 1];
        for &(lo, hi) in ranges {
            if lo < hi && lo < len {
                diff[lo] += 1;
                diff[hi.min(len)] -= 1;
            }
        }
        let mut acc = 0i64;
        for (i, p) in self.protected.iter_mut().enumerate() {
            acc += diff[i];
            *p = acc > 0;
        }
    }

    /// Marks the body of every function whose uses in this file are all protected (called only
    /// inside `try` bodies, or from functions that are), up to `CALLER_DEPTH` calls away.
    /// `functions` are (name token, body range); a method counts where the grammar's receiver
    /// calls it (`self.m(…)`).
    pub(in crate::code) fn protect_callees(&mut self, functions: &[(usize, (usize, usize))]) {
        // Every mention of a defined name, found in one pass: asking each function for its uses
        // by scanning all tokens was quadratic on large (generated) modules.
        let mut mentions: HashMap<&str, Vec<usize>> =
            functions.iter().map(|&(name_tok, _)| (self.t(name_tok), Vec::new())).collect();
        let definitions: HashSet<usize> = functions.iter().map(|&(name_tok, _)| name_tok).collect();
        for k in 0..self.len() {
            if let Some(list) = self.ident(k).and_then(|name| mentions.get_mut(name)) {
                list.push(k);
            }
        }
        for _ in 0..CALLER_DEPTH {
            let mut ranges = Vec::new();
            for &(name_tok, (lo, hi)) in functions {
                if self.protected.get(lo).copied().unwrap_or(true) {
                    continue;
                }
                let name = self.t(name_tok);
                // A method is called on its instances (`Scorer().score(…)`, `model.score(…)`),
                // a function by its name or on the receiver.
                let method = self.enclosing_class(name_tok).is_some();
                let mut uses = mentions.get(name).into_iter().flatten().copied().filter(|&k| {
                    !definitions.contains(&k)
                        && (!self.after_dot(k) || method || k >= 2 && self.is_id(k - 2, G::RECEIVER))
                });
                let mut any = false;
                let all = uses.all(|k| {
                    any = true;
                    self.protected[k] && !(lo..hi).contains(&k)
                });
                if any && all {
                    ranges.push((lo, hi));
                }
            }
            if ranges.is_empty() {
                break;
            }
            self.mark_more_protected(&ranges);
        }
    }

    /// Marks `ranges` protected, keeping what already is.
    pub(in crate::code) fn mark_more_protected(&mut self, ranges: &[(usize, usize)]) {
        for &(lo, hi) in ranges {
            let hi = hi.min(self.len());
            for p in self.protected.iter_mut().take(hi).skip(lo) {
                *p = true;
            }
        }
    }
}
