//! A call outside any `try` in a helper module's function whose every caller, in the function's
//! other files, calls it inside a `try` that handles its errors (or under a decorator, or a
//! framework, that does): the errors are caught there, as an exception (or a rejected promise
//! that is awaited) goes up to the caller (SL404). Only for a function its own module never
//! calls: a call there may reach it unprotected.

use crate::code::HandlerScan;
use crate::source::SourceMap;
use crate::span::FileId;

/// How a language finds the call sites of a module's function.
pub(in crate::code) trait CallSites {
    /// Whether `text` calls its own top-level `function`.
    fn calls_own(text: &str, function: &str) -> bool;
    /// For each call in `text` of `function` from the module whose file stem is `module`:
    /// whether it is protected (its errors handled around it).
    fn protected_calls_of(text: &str, module: &str, function: &str) -> Vec<bool>;
}

/// Marks handled the calls whose function's callers in the other files all handle its errors.
pub(in crate::code) fn protect_by_callers<L: CallSites>(
    scans: &mut [(FileId, HandlerScan)],
    sources: &SourceMap,
) {
    if scans.len() < 2 {
        return;
    }
    for at in 0..scans.len() {
        let file = scans[at].0;
        let text = sources.get(file).text();
        let module = sources.get(file).path().file_stem().and_then(|s| s.to_str()).unwrap_or("");
        for c in 0..scans[at].1.calls.len() {
            let call = &scans[at].1.calls[c];
            let Some(function) = call.reached_through.as_deref().filter(|_| !call.in_error_handler) else {
                continue;
            };
            if L::calls_own(text, function) {
                continue;
            }
            let protected: Vec<bool> = scans
                .iter()
                .filter(|(f, _)| *f != file)
                .flat_map(|(other, _)| L::protected_calls_of(sources.get(*other).text(), module, function))
                .collect();
            if !protected.is_empty() && protected.iter().all(|&p| p) {
                scans[at].1.calls[c].in_error_handler = true;
            }
        }
    }
}
