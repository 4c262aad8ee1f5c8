//! IAM wildcard matching (`*`, `?`) for actions, resource ARNs and condition values, over strings
//! that may contain deployment-time [`Symbol`]s, with a three-valued answer ([`Match`]).
//!
//! The matcher is one dynamic-programming pass over token sequences (pattern × text), so it is
//! `O(pattern × text)` and never backtracks exponentially. Symbols are opaque strings that contain
//! no `:`; a symbol compared against anything but itself or a `*` makes the answer
//! [`Match::Depends`] on that symbol instead of guessing.

use std::collections::BTreeSet;

use crate::iam::condition::{Context, KeyState};
use crate::value::{Piece, SymStr, Symbol, SymbolOrigin};

/// The answer of a match that may involve unknown (symbolic) parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    Yes,
    No,
    /// Depends on the deployment: the symbols whose values decide it (sorted, deduplicated).
    Depends(Vec<Symbol>),
}

impl Match {
    /// True only for a certain match.
    #[must_use]
    pub fn is_yes(&self) -> bool {
        matches!(self, Match::Yes)
    }

    /// Kleene OR: yes if either is yes, else depends if either depends, else no.
    #[must_use]
    pub fn or(self, other: Match) -> Match {
        match (self, other) {
            (Match::Yes, _) | (_, Match::Yes) => Match::Yes,
            (Match::Depends(mut a), Match::Depends(b)) => {
                a.extend(b);
                a.sort();
                a.dedup();
                Match::Depends(a)
            }
            (Match::Depends(a), Match::No) | (Match::No, Match::Depends(a)) => Match::Depends(a),
            (Match::No, Match::No) => Match::No,
        }
    }
}

/// How wildcards in a pattern behave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// `Resource`/`NotResource` element: `arn:`-prefixed patterns use the ARN segment rules of
    /// [`resource_matches`], anything else is a whole-string glob.
    #[default]
    Resource,
    /// Whole-string glob: `*` and `?` cross every character (actions, `StringLike`).
    Glob,
    /// `ArnLike`/`ArnEquals`: wildcards stay inside the first five colon-separated segments
    /// without the "trailing `*` extends" exception.
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>
    ArnSegments,
    /// No wildcards at all (`StringEquals`, `Bool`).
    Exact,
}

/// Options for [`match_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchOptions {
    pub mode: Mode,
    /// Compare literal text case-insensitively (actions, `StringEqualsIgnoreCase`).
    pub ignore_case: bool,
}

/// Case-insensitive glob of an IAM action (`service:Name`), `*` and `?`, whole string.
///
/// Action names are case-insensitive and a pattern never matches by prefix only:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>
///
/// ```
/// use sagelint::iam::pattern::action_matches;
/// assert!(action_matches("sagemaker:Invoke*", "sagemaker:InvokeEndpointAsync"));
/// assert!(action_matches("SageMaker:invokeendpoint", "sagemaker:InvokeEndpoint"));
/// assert!(!action_matches("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"));
/// assert!(action_matches("*", "iam:PassRole"));
/// ```
#[must_use]
pub fn action_matches(pattern: &str, action: &str) -> bool {
    // Nearly every pattern and action is ASCII: compare bytes folded on the fly instead of
    // collecting two lower-cased `char` vectors per call (thousands of calls per template).
    if pattern.is_ascii() && action.is_ascii() {
        return glob(pattern.as_bytes(), action.as_bytes(), b'*', b'?', u8::eq_ignore_ascii_case);
    }
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = action.to_lowercase().chars().collect();
    glob(&p, &t, '*', '?', char::eq)
}

/// Whole-string glob of `p` over `t`: `star_item` matches any run, `one` any single item, and
/// anything else an item `same` as it.
fn glob<T: Copy + PartialEq>(p: &[T], t: &[T], star_item: T, one: T, same: impl Fn(&T, &T) -> bool) -> bool {
    // Iterative glob with one remembered star: O(p × t) worst case, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || same(&p[pi], &t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star_item {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star_item)
}

/// An action pattern that may be symbolic (or unknown) against a concrete action.
///
/// ```
/// use sagelint::iam::pattern::{action_pattern_matches, Match};
/// use sagelint::value::{Pseudo, SymStr, Symbol, SymbolOrigin};
/// assert_eq!(action_pattern_matches(&SymStr::lit("sagemaker:*"), "sagemaker:InvokeEndpoint"), Match::Yes);
/// assert_eq!(
///     action_pattern_matches(&SymStr::sym("ActionParam", SymbolOrigin::Parameter), "sagemaker:InvokeEndpoint"),
///     Match::Depends(vec![Symbol::new("ActionParam", SymbolOrigin::Parameter)])
/// );
/// ```
#[must_use]
pub fn action_pattern_matches(pattern: &SymStr, action: &str) -> Match {
    if let Some(lit) = pattern.as_literal() {
        return if action_matches(lit, action) { Match::Yes } else { Match::No };
    }
    match_with(pattern, &SymStr::lit(action), MatchOptions { mode: Mode::Glob, ignore_case: true }, None)
}

/// Does a `Resource` pattern match a resource ARN? Policy variables (`${...}`) are literal text,
/// as under policy `Version` 2008-10-17 or no `Version`.
///
/// `"*"` matches everything. An `arn:` pattern is split into the five colon-separated segments
/// (arn, partition, service, region, account) and the resource part: in the first five, `*` and
/// `?` stay inside the segment, except a `*` that ends a segment, which may extend across colons;
/// in the resource part they cross `/` and `:`. Matching is case-sensitive.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards>
///
/// ```
/// use sagelint::iam::pattern::{resource_matches, Match};
/// use sagelint::value::{Pseudo, SymStr, Symbol, SymbolOrigin};
/// let ep = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/my-ep");
/// assert_eq!(resource_matches(&SymStr::lit("arn:aws:sagemaker:*:*:endpoint/*"), &ep), Match::Yes);
///
/// // SageMaker authorises against the lower-case ARN; ARN matching is case-sensitive.
/// let lower = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/myep");
/// let upper = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/MyEp");
/// assert_eq!(resource_matches(&upper, &lower), Match::No);
///
/// // A trailing `*` in a segment extends across the extra colons of a log-stream ARN.
/// let stream = SymStr::lit("arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:log-stream:x");
/// assert_eq!(resource_matches(&SymStr::lit("arn:aws:logs:*:*:*"), &stream), Match::Yes);
///
/// // The same deployment symbol on both sides matches; a literal account against it depends.
/// let mut pat = SymStr::lit("arn:aws:sagemaker:us-east-1:");
/// pat.push_pseudo(Pseudo::AccountId);
/// pat.push_str(":endpoint/my-ep");
/// assert_eq!(resource_matches(&pat, &pat.clone()), Match::Yes);
/// assert_eq!(
///     resource_matches(&ep, &pat),
///     Match::Depends(vec![Symbol::pseudo(Pseudo::AccountId)])
/// );
/// ```
#[must_use]
pub fn resource_matches(pattern: &SymStr, resource: &SymStr) -> Match {
    match_with(pattern, resource, MatchOptions::default(), None)
}

/// Like [`resource_matches`], for a policy with `Version: 2012-10-17`: policy variables in the
/// pattern's literal text are resolved from `vars`.
///
/// `${*}`, `${?}`, `${$}` are a literal `*`, `?`, `$`; `${key}` takes the key's value when known;
/// a key known to be absent (always `aws:username` for a role session) matches nothing unless the
/// variable has a default (`${key, 'default'}`); any other key makes the answer depend on a
/// symbol named after the key.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>
///
/// ```
/// use sagelint::iam::condition::Context;
/// use sagelint::iam::pattern::{resource_matches_with, Match};
/// use sagelint::value::{Pseudo, SymStr, Symbol, SymbolOrigin};
/// let ep = SymStr::lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/team-a");
/// let pat = SymStr::lit("arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team}");
/// assert_eq!(
///     resource_matches_with(&pat, &ep, &Context::default()),
///     Match::Depends(vec![Symbol::new("aws:PrincipalTag/team", SymbolOrigin::ConditionKey)])
/// );
/// let ctx = Context::default().with_value("aws:PrincipalTag/team", "team-a");
/// assert_eq!(resource_matches_with(&pat, &ep, &ctx), Match::Yes);
/// let by_user = SymStr::lit("arn:aws:sagemaker:*:*:endpoint/${aws:username}");
/// assert_eq!(resource_matches_with(&by_user, &ep, &Context::default()), Match::No);
/// ```
#[must_use]
pub fn resource_matches_with(pattern: &SymStr, resource: &SymStr, vars: &Context) -> Match {
    match_with(pattern, resource, MatchOptions::default(), Some(vars))
}

/// The general matcher: `pattern` against `text` with the given wildcard mode and case rule.
/// `vars` is `Some` when policy variables are enabled (policy `Version` 2012-10-17).
#[must_use]
pub fn match_with(pattern: &SymStr, text: &SymStr, opts: MatchOptions, vars: Option<&Context>) -> Match {
    if opts.mode != Mode::Exact && pattern.as_literal() == Some("*") {
        return Match::Yes;
    }
    let (pattern, text) = if opts.ignore_case {
        (pattern.map_literals(str::to_lowercase), text.map_literals(str::to_lowercase))
    } else {
        (pattern.clone(), text.clone())
    };
    let raw = raw_tokens(&pattern, vars, opts.ignore_case);
    let ptoks = pattern_tokens(&raw, opts.mode, starts_with_arn(&pattern));
    let ttoks = text_tokens(&text);
    run(&ptoks, &ttoks, is_lone_symbol(&text))
}

/// A value that is one symbol and nothing else (a whole ARN or action unknown at lint time) may
/// contain `:`; symbols inside a larger string stand for one ARN part (account, region, name).
fn is_lone_symbol(s: &SymStr) -> bool {
    matches!(s.pieces(), [Piece::Sym(_)])
}

fn starts_with_arn(s: &SymStr) -> bool {
    matches!(s.pieces().first(), Some(Piece::Lit(l)) if l.starts_with("arn:"))
}

/// A pattern character before wildcard interpretation.
#[derive(Clone, Debug)]
enum Raw {
    /// Plain pattern text: `*` and `?` may be wildcards.
    Ch(char),
    /// Text that is always literal (escapes, substituted variable values).
    Lit(char),
    /// A symbol; the flag says its value may contain `:` (an unresolved policy variable, or a
    /// pattern that is one unknown value), unlike a template symbol for one ARN part.
    Sym(Symbol, bool),
    /// A variable with no value: this position matches nothing.
    Never,
}

fn raw_tokens(pattern: &SymStr, vars: Option<&Context>, ignore_case: bool) -> Vec<Raw> {
    let mut out = Vec::new();
    for piece in pattern.pieces() {
        match piece {
            Piece::Sym(s) => out.push(Raw::Sym(s.clone(), is_lone_symbol(pattern))),
            Piece::Lit(text) => match vars {
                None => out.extend(text.chars().map(Raw::Ch)),
                Some(ctx) => expand_variables(text, ctx, ignore_case, &mut out),
            },
        }
    }
    out
}

fn push_lit(out: &mut Vec<Raw>, s: &str, ignore_case: bool) {
    if ignore_case {
        out.extend(s.to_lowercase().chars().map(Raw::Lit));
    } else {
        out.extend(s.chars().map(Raw::Lit));
    }
}

/// Replaces `${...}` policy variables in literal pattern text.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>
fn expand_variables(text: &str, ctx: &Context, ignore_case: bool, out: &mut Vec<Raw>) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.extend(rest[..start].chars().map(Raw::Ch));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // An unterminated `${` is plain text.
            out.extend(rest[start..].chars().map(Raw::Ch));
            return;
        };
        let inner = &after[..end];
        rest = &after[end + 1..];
        match parse_variable(inner) {
            Variable::Escape(c) => out.push(Raw::Lit(c)),
            Variable::Key { key, default } => match ctx.lookup(key) {
                // A multi-valued key cannot be one substitution; its value is not decided here.
                KeyState::Present([value]) => push_lit(out, value, ignore_case),
                KeyState::Present(_) | KeyState::Unknown => {
                    out.push(Raw::Sym(Symbol::new(key, SymbolOrigin::ConditionKey), true));
                }
                KeyState::Absent => match default {
                    Some(d) => push_lit(out, d, ignore_case),
                    None => out.push(Raw::Never),
                },
            },
        }
    }
    out.extend(rest.chars().map(Raw::Ch));
}

/// Does the pattern's literal text use a policy variable whose key the request is known not to
/// have (and that has no default)? Such a `Resource`/`NotResource` entry cannot be resolved.
///
/// ```
/// use sagelint::iam::condition::Context;
/// use sagelint::iam::pattern::has_variable_without_value;
/// use sagelint::value::SymStr;
/// let pat = SymStr::lit("arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team}");
/// let absent = Context::default().with_absent("aws:PrincipalTag/team");
/// assert!(has_variable_without_value(&pat, &absent));
/// assert!(!has_variable_without_value(&pat, &Context::default()));
/// let with_default = SymStr::lit("arn:aws:sagemaker:*:*:endpoint/${aws:PrincipalTag/team, 'shared'}");
/// assert!(!has_variable_without_value(&with_default, &absent));
/// ```
#[must_use]
pub fn has_variable_without_value(pattern: &SymStr, ctx: &Context) -> bool {
    pattern.pieces().iter().any(|piece| {
        let Piece::Lit(text) = piece else { return false };
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { return false };
            if let Variable::Key { key, default: None } = parse_variable(&after[..end])
                && ctx.lookup(key) == KeyState::Absent
            {
                return true;
            }
            rest = &after[end + 1..];
        }
        false
    })
}

pub(crate) enum Variable<'a> {
    Escape(char),
    Key { key: &'a str, default: Option<&'a str> },
}

/// Parses the inside of `${...}`: an escape (`*`, `?`, `$`) or `key` / `key, 'default'`.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-default-values>
pub(crate) fn parse_variable(inner: &str) -> Variable<'_> {
    match inner {
        "*" => return Variable::Escape('*'),
        "?" => return Variable::Escape('?'),
        "$" => return Variable::Escape('$'),
        _ => {}
    }
    match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')).unwrap_or(default);
            Variable::Key { key: key.trim(), default: Some(default) }
        }
        None => Variable::Key { key: inner.trim(), default: None },
    }
}

/// A pattern token after wildcard interpretation; `colon` says whether it may consume `:`.
#[derive(Clone, Debug)]
enum PTok {
    Lit(char),
    One { colon: bool },
    Star { colon: bool },
    Sym { sym: Symbol, colon: bool },
    Never,
}

fn pattern_tokens(raw: &[Raw], mode: Mode, is_arn: bool) -> Vec<PTok> {
    let arn_mode = is_arn && matches!(mode, Mode::Resource | Mode::ArnSegments);
    let mut segment = 0usize;
    let mut out = Vec::with_capacity(raw.len());
    for (idx, tok) in raw.iter().enumerate() {
        // Wildcards in the first five ARN segments stay inside their segment.
        let in_head = arn_mode && segment < 5;
        match tok {
            Raw::Ch(':') | Raw::Lit(':') => {
                segment += 1;
                out.push(PTok::Lit(':'));
            }
            Raw::Ch('*') if mode != Mode::Exact => {
                // A `*` that ends a segment may extend past colons (Resource element only).
                let ends_segment = matches!(raw.get(idx + 1), None | Some(Raw::Ch(':') | Raw::Lit(':')));
                let colon = !in_head || (mode == Mode::Resource && ends_segment);
                out.push(PTok::Star { colon });
            }
            Raw::Ch('?') if mode != Mode::Exact => out.push(PTok::One { colon: !in_head }),
            Raw::Ch(c) | Raw::Lit(c) => out.push(PTok::Lit(*c)),
            Raw::Sym(sym, var) => out.push(PTok::Sym { sym: sym.clone(), colon: *var && !in_head }),
            Raw::Never => out.push(PTok::Never),
        }
    }
    out
}

#[derive(Clone, Debug)]
enum TTok {
    Ch(char),
    Sym(Symbol),
}

fn text_tokens(text: &SymStr) -> Vec<TTok> {
    let mut out = Vec::new();
    for piece in text.pieces() {
        match piece {
            Piece::Lit(s) => out.extend(s.chars().map(TTok::Ch)),
            Piece::Sym(s) => out.push(TTok::Sym(s.clone())),
        }
    }
    out
}

/// A DP cell: the best outcome over all ways of matching the remaining suffixes.
#[derive(Clone, Debug)]
enum V {
    No,
    Dep(BTreeSet<Symbol>),
    Yes,
}

impl V {
    fn join(self, other: V) -> V {
        match (self, other) {
            (V::Yes, _) | (_, V::Yes) => V::Yes,
            (V::Dep(mut a), V::Dep(b)) => {
                a.extend(b);
                V::Dep(a)
            }
            (V::Dep(a), V::No) | (V::No, V::Dep(a)) => V::Dep(a),
            (V::No, V::No) => V::No,
        }
    }

    /// This outcome, reached only by assuming something about `syms`.
    fn mark<'a>(&self, syms: impl IntoIterator<Item = &'a Symbol>) -> V {
        match self {
            V::No => V::No,
            V::Yes => V::Dep(syms.into_iter().cloned().collect()),
            V::Dep(a) => {
                let mut a = a.clone();
                a.extend(syms.into_iter().cloned());
                V::Dep(a)
            }
        }
    }
}

/// Matches `pat` against `text`. A literal pattern character can only meet the text character
/// at its own position, so equal literal characters at both ends are cut off first (a different
/// one decides `No`): a policy's ARN and the endpoint ARN it is checked against share most of
/// their text, and the table below costs pattern × text cells.
fn run(mut pat: &[PTok], mut text: &[TTok], text_colon: bool) -> Match {
    while let ([PTok::Lit(d), pat_rest @ ..], [TTok::Ch(c), text_rest @ ..]) = (pat, text) {
        if d != c {
            return Match::No;
        }
        (pat, text) = (pat_rest, text_rest);
    }
    while let ([pat_rest @ .., PTok::Lit(d)], [text_rest @ .., TTok::Ch(c)]) = (pat, text) {
        if d != c {
            return Match::No;
        }
        (pat, text) = (pat_rest, text_rest);
    }
    run_table(pat, text, text_colon)
}

/// Matches `pat` against `text` bottom-up over suffixes. Row `j` holds, for each pattern position
/// `i`, `full[i]` = match of `pat[i..]` against `text[j..]`, and, when `text[j]` is a symbol,
/// `inside[i]` = match of `pat[i..]` against an unknown remainder of that symbol (some of it already
/// consumed) followed by `text[j+1..]`.
/// `text_colon`: the text's symbols may contain `:`.
fn run_table(pat: &[PTok], text: &[TTok], text_colon: bool) -> Match {
    let plen = pat.len();
    // Last row: empty text. Stars and symbols (which may be empty) can still be skipped.
    let mut next = vec![V::No; plen + 1];
    next[plen] = V::Yes;
    for i in (0..plen).rev() {
        next[i] = match &pat[i] {
            PTok::Star { .. } => next[i + 1].clone(),
            PTok::Sym { sym, .. } => next[i + 1].mark([sym]),
            _ => V::No,
        };
    }
    // Two rows reused for the whole text (and one for `inside`): a row per text character
    // allocated and freed was most of a call's cost.
    let mut full = vec![V::No; plen + 1];
    let mut inside = vec![V::No; plen + 1];
    for j in (0..text.len()).rev() {
        full[plen] = V::No;
        match &text[j] {
            TTok::Ch(ch) => {
                let ch = *ch;
                for i in (0..plen).rev() {
                    full[i] = match &pat[i] {
                        PTok::Lit(d) if *d == ch => next[i + 1].clone(),
                        PTok::One { colon } if ch != ':' || *colon => next[i + 1].clone(),
                        PTok::Star { colon } => {
                            let skip = full[i + 1].clone();
                            if ch != ':' || *colon { skip.join(next[i].clone()) } else { skip }
                        }
                        PTok::Sym { sym, colon } => {
                            let end = full[i + 1].mark([sym]);
                            if ch != ':' || *colon { end.join(next[i].mark([sym])) } else { end }
                        }
                        PTok::Lit(_) | PTok::One { .. } | PTok::Never => V::No,
                    };
                }
            }
            TTok::Sym(sym_r) => {
                // inside: inside of `sym_r` already consumed; finishing it (empty remainder) is always possible.
                inside[plen] = next[plen].clone();
                for i in (0..plen).rev() {
                    let finish = next[i].clone();
                    inside[i] = match &pat[i] {
                        PTok::Lit(d) if *d != ':' || text_colon => finish.join(inside[i + 1].mark([sym_r])),
                        PTok::One { .. } => finish.join(inside[i + 1].mark([sym_r])),
                        PTok::Star { .. } => finish.join(inside[i + 1].clone()),
                        PTok::Sym { sym, .. } => finish.join(inside[i + 1].mark([sym, sym_r])),
                        PTok::Lit(_) | PTok::Never => finish,
                    };
                }
                full[plen] = next[plen].mark([sym_r]);
                for i in (0..plen).rev() {
                    let empty = next[i].mark([sym_r]);
                    full[i] = match &pat[i] {
                        PTok::Lit(d) if *d != ':' || text_colon => empty.join(inside[i + 1].mark([sym_r])),
                        PTok::One { .. } => empty.join(inside[i + 1].mark([sym_r])),
                        // The star skips, or swallows a prefix (or all) of the symbol: certain,
                        // unless the star stops at `:` and the symbol may contain one.
                        PTok::Star { colon } => {
                            let swallow = if *colon || !text_colon {
                                inside[i].clone()
                            } else {
                                inside[i].mark([sym_r])
                            };
                            empty.join(full[i + 1].clone()).join(swallow)
                        }
                        PTok::Sym { sym, .. } if sym == sym_r => next[i + 1].clone(),
                        PTok::Sym { sym, .. } => empty
                            .join(next[i].mark([sym, sym_r]))
                            .join(inside[i + 1].mark([sym, sym_r]))
                            .join(full[i + 1].mark([sym])),
                        PTok::Lit(_) | PTok::Never => empty,
                    };
                }
            }
        }
        std::mem::swap(&mut next, &mut full);
    }
    match next.swap_remove(0) {
        V::Yes => Match::Yes,
        V::No => Match::No,
        V::Dep(s) => Match::Depends(s.into_iter().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Pseudo;

    fn lit(s: &str) -> SymStr {
        SymStr::lit(s)
    }

    fn sample_arns() -> Vec<String> {
        let mut out = Vec::new();
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            for region in ["us-east-1", "eu-west-2", ""] {
                for account in ["111122223333", "000000000000", ""] {
                    for res in
                        ["endpoint/my-ep", "endpoint/a-b-c9", "log-group:/x:log-stream:y", "bucket/k/*"]
                    {
                        out.push(format!("arn:{partition}:sagemaker:{region}:{account}:{res}"));
                    }
                }
            }
        }
        out
    }

    /// A small deterministic generator (LCG) so the property tests need no extra crate.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % bound
        }

        fn string(&mut self, alphabet: &[u8], max: usize) -> String {
            let len = self.next(max + 1);
            (0..len).map(|_| char::from(alphabet[self.next(alphabet.len())])).collect()
        }

        /// A random ARN-like string (no wildcards) with a resource part of `alphabet`.
        fn arn(&mut self, alphabet: &[u8]) -> String {
            let seg = b"abcdefghijklmnopqrstuvwxyz0123456789-";
            format!(
                "arn:{}:{}:{}:{}:{}",
                self.string(seg, 6),
                self.string(seg, 9),
                self.string(seg, 9),
                self.string(b"0123456789", 12),
                self.string(alphabet, 30)
            )
        }
    }

    const RES: &[u8] = b"abcXYZ019-_/:.";

    #[test]
    fn generated_properties() {
        let mut g = Gen(42);
        for _ in 0..2000 {
            let arn = g.arn(RES);
            let mut with_sym = lit(&arn);
            with_sym.push_sym("S", SymbolOrigin::Parameter);
            assert_eq!(resource_matches(&lit("*"), &lit(&arn)), Match::Yes, "{arn}");
            assert_eq!(resource_matches(&lit("*"), &with_sym), Match::Yes, "{arn}");
            assert_eq!(resource_matches(&lit(&arn), &lit(&arn)), Match::Yes, "{arn}");
            assert_eq!(resource_matches(&with_sym, &with_sym), Match::Yes, "{arn}");
            // Any text, including wildcard characters, matches itself as a pattern.
            let text = g.string(b"ab*?:/${}", 12);
            assert_eq!(resource_matches(&lit(&text), &lit(&text)), Match::Yes, "{text}");
            // Changing the case of a letter in the resource part never matches.
            let head_len = arn.match_indices(':').nth(4).map_or(arn.len(), |(i, _)| i + 1);
            let (head, res) = arn.split_at(head_len);
            let swapped: String = res
                .chars()
                .map(|c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            if swapped != res {
                let changed = format!("{head}{swapped}");
                assert_eq!(resource_matches(&lit(&arn), &lit(&changed)), Match::No, "{arn} vs {changed}");
            }
        }
    }

    /// Cutting equal literal ends before the table gives what the whole table gives, symbols,
    /// wildcards and variables included.
    #[test]
    fn cutting_literal_ends_keeps_every_answer() {
        let mut g = Gen(7);
        let sym_str = |g: &mut Gen, text: &str| {
            let mut out = SymStr::default();
            for (i, part) in text.split('#').enumerate() {
                if i > 0 {
                    let name = ["A", "B", "C"][g.next(3)];
                    out.push_sym(name, SymbolOrigin::Parameter);
                }
                out.push_str(part);
            }
            out
        };
        let ctx = Context::default().with_value("k", "ab");
        for round in 0..20_000 {
            let alphabet: &[u8] = if round % 2 == 0 { b"ab:*?#" } else { b"ab:/#*${k}" };
            let prefix = ["", "arn:", "arn:a:b:"][g.next(3)];
            let pattern_text = format!("{prefix}{}", g.string(alphabet, 8));
            let pattern = sym_str(&mut g, &pattern_text);
            let text_text = format!("{prefix}{}", g.string(b"ab:/#", 8));
            let text = sym_str(&mut g, &text_text);
            let text = if g.next(8) == 0 { SymStr::sym("A", SymbolOrigin::Parameter) } else { text };
            for (mode, ignore_case) in [
                (Mode::Resource, false),
                (Mode::Glob, true),
                (Mode::ArnSegments, false),
                (Mode::Exact, false),
            ] {
                for vars in [None, Some(&ctx)] {
                    let raw = raw_tokens(&pattern, vars, ignore_case);
                    let ptoks = pattern_tokens(&raw, mode, starts_with_arn(&pattern));
                    let ttoks = text_tokens(&text);
                    let colon = is_lone_symbol(&text);
                    assert_eq!(
                        run(&ptoks, &ttoks, colon),
                        run_table(&ptoks, &ttoks, colon),
                        "{pattern:?} {text:?} {mode:?} {vars:?}"
                    );
                }
            }
        }
    }

    fn naive_glob(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|k| naive_glob(rest, &t[k..])),
            Some(('?', rest)) => !t.is_empty() && naive_glob(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && naive_glob(rest, &t[1..]),
        }
    }

    #[test]
    fn dp_agrees_with_naive_glob() {
        let mut g = Gen(7);
        let glob = MatchOptions { mode: Mode::Glob, ignore_case: false };
        for _ in 0..5000 {
            let p = g.string(b"ab*?", 7);
            let t = g.string(b"ab:", 8);
            let expected = naive_glob(&p.chars().collect::<Vec<_>>(), &t.chars().collect::<Vec<_>>());
            let got = match_with(&lit(&p), &lit(&t), glob, None);
            assert_eq!(got, if expected { Match::Yes } else { Match::No }, "{p:?} vs {t:?}");
            assert_eq!(action_matches(&p, &t), expected, "{p:?} vs {t:?}");
        }
    }

    #[test]
    fn actions_glob_alike_in_ascii_and_beyond() {
        for (pattern, action, expected) in [
            ("SAGEMAKER:invoke*", "sagemaker:InvokeEndpoint", true),
            ("sagemaker:Invoke?ndpoint", "sagemaker:InvokeEndpoint", true),
            ("sagemaker:*Async", "sagemaker:InvokeEndpoint", false),
            ("s3:Ä*", "s3:äx", true),
            ("s3:ä?", "S3:ÄX", true),
            ("s3:ä", "s3:a", false),
            ("*", "", true),
            ("", "x", false),
        ] {
            assert_eq!(action_matches(pattern, action), expected, "{pattern} {action}");
        }
    }

    #[test]
    fn star_alone_matches_anything() {
        for arn in sample_arns() {
            assert_eq!(resource_matches(&lit("*"), &lit(&arn)), Match::Yes, "{arn}");
            let mut s = lit(&arn);
            s.push_sym("X", SymbolOrigin::Parameter);
            assert_eq!(resource_matches(&lit("*"), &s), Match::Yes, "{arn}");
        }
    }

    #[test]
    fn literal_pattern_matches_itself() {
        for arn in sample_arns() {
            assert_eq!(resource_matches(&lit(&arn), &lit(&arn)), Match::Yes, "{arn}");
        }
    }

    #[test]
    fn case_change_in_resource_part_is_no() {
        for arn in sample_arns() {
            let (head, res) = arn.rsplit_once("endpoint/").unwrap_or(("", ""));
            if head.is_empty() {
                continue;
            }
            let upper = format!("{head}endpoint/{}", res.to_uppercase());
            assert_eq!(resource_matches(&lit(&upper), &lit(&arn)), Match::No, "{upper}");
            assert_eq!(resource_matches(&lit(&arn), &lit(&upper)), Match::No, "{upper}");
        }
    }

    #[test]
    fn segment_wildcards_do_not_cross_colons() {
        let ep = lit("arn:aws:sagemaker:us-east-1:111122223333:endpoint/x");
        assert_eq!(
            resource_matches(&lit("arn:aws:sagemaker:us-*-1:111122223333:endpoint/x"), &ep),
            Match::Yes
        );
        // `?` in the region segment cannot eat the colon.
        assert_eq!(
            resource_matches(&lit("arn:aws:sagemaker:us-east-?111122223333:endpoint/x"), &ep),
            Match::No
        );
        // A `*` in the middle of a segment cannot swallow the next segment.
        assert_eq!(resource_matches(&lit("arn:aws:sage*1:111122223333:endpoint/x"), &ep), Match::No);
        // In the resource part wildcards cross `/` and `:`.
        let stream = lit("arn:aws:logs:us-east-1:1:log-group:/a/b:log-stream:c");
        assert_eq!(resource_matches(&lit("arn:aws:logs:us-east-1:1:log-group:*"), &stream), Match::Yes);
        assert_eq!(resource_matches(&lit("arn:aws:sagemaker:*:*:*Canvas*"), &ep), Match::No);
        let canvas = lit("arn:aws:sagemaker:us-east-1:1:endpoint/Canvas-x");
        assert_eq!(resource_matches(&lit("arn:aws:sagemaker:*:*:*Canvas*"), &canvas), Match::Yes);
    }

    #[test]
    fn non_arn_pattern_is_a_glob() {
        assert_eq!(resource_matches(&lit("abc*"), &lit("abc:d/e")), Match::Yes);
        assert_eq!(resource_matches(&lit("a?c"), &lit("abc")), Match::Yes);
        assert_eq!(resource_matches(&lit("a?c"), &lit("ac")), Match::No);
    }

    #[test]
    fn symbols() {
        let mut req = lit("arn:");
        req.push_pseudo(Pseudo::Partition);
        req.push_str(":sagemaker:us-east-1:111122223333:endpoint/x");
        // A star swallows the symbol.
        assert_eq!(resource_matches(&lit("arn:*:sagemaker:*:*:endpoint/x"), &req), Match::Yes);
        // A different service is a certain no whatever the partition is.
        assert_eq!(resource_matches(&lit("arn:aws:s3:::*"), &req), Match::No);
        // A literal partition depends on it.
        assert_eq!(
            resource_matches(&lit("arn:aws:sagemaker:*:*:endpoint/x"), &req),
            Match::Depends(vec![Symbol::pseudo(Pseudo::Partition)])
        );
        // Partly literal, partly star.
        assert_eq!(
            resource_matches(&lit("arn:aws*:sagemaker:*:*:endpoint/x"), &req),
            Match::Depends(vec![Symbol::pseudo(Pseudo::Partition)])
        );
        // Two different symbols.
        let mut pat = lit("arn:");
        pat.push_sym("P2", SymbolOrigin::Parameter);
        pat.push_str(":sagemaker:*:*:endpoint/x");
        assert_eq!(
            resource_matches(&pat, &req),
            Match::Depends(vec![
                Symbol::pseudo(Pseudo::Partition),
                Symbol::new("P2", SymbolOrigin::Parameter)
            ])
        );
        // Symbol in the pattern against literal text.
        assert_eq!(
            resource_matches(&pat, &lit("arn:aws:sagemaker:us-east-1:1:endpoint/x")),
            Match::Depends(vec![Symbol::new("P2", SymbolOrigin::Parameter)])
        );
        // Symbol against text containing a colon where the pattern needs one: no.
        let mut ep_sym = lit("arn:aws:sagemaker:us-east-1:1:endpoint/");
        ep_sym.push_sym("Name", SymbolOrigin::Parameter);
        assert_eq!(resource_matches(&lit("arn:aws:sagemaker:us-east-1:1:endpoint/*"), &ep_sym), Match::Yes);
        assert_eq!(
            resource_matches(&lit("arn:aws:sagemaker:us-east-1:1:endpoint/ab"), &ep_sym),
            Match::Depends(vec![Symbol::new("Name", SymbolOrigin::Parameter)])
        );
        assert_eq!(resource_matches(&lit("arn:aws:sagemaker:us-east-1:1:endpoint/a:b"), &ep_sym), Match::No);
        assert_eq!(
            resource_matches(&lit("arn:aws:sagemaker:us-east-1:1:endpoint/a?"), &ep_sym),
            Match::Depends(vec![Symbol::new("Name", SymbolOrigin::Parameter)])
        );
    }

    #[test]
    fn lone_symbols_may_contain_colons() {
        let unknown = SymStr::sym("Param", SymbolOrigin::Parameter);
        let dep = Match::Depends(vec![Symbol::new("Param", SymbolOrigin::Parameter)]);
        assert_eq!(resource_matches(&lit("arn:aws:sagemaker:*:*:endpoint/*"), &unknown), dep);
        assert_eq!(resource_matches(&unknown, &lit("arn:aws:sagemaker:us-east-1:1:endpoint/x")), dep);
        assert_eq!(action_pattern_matches(&unknown, "sagemaker:InvokeEndpoint"), dep);
        assert_eq!(resource_matches(&lit("*"), &unknown), Match::Yes);
    }

    #[test]
    fn variables_and_escapes() {
        let ctx = Context::default();
        let t = lit("arn:aws:s3:::b/a*b");
        assert_eq!(resource_matches_with(&lit("arn:aws:s3:::b/a${*}b"), &t, &ctx), Match::Yes);
        assert_eq!(
            resource_matches_with(&lit("arn:aws:s3:::b/a${*}b"), &lit("arn:aws:s3:::b/axb"), &ctx),
            Match::No
        );
        // Under 2008-10-17 the text is literal.
        assert_eq!(resource_matches(&lit("arn:aws:s3:::b/a${*}b"), &t), Match::No);
        assert_eq!(resource_matches(&lit("arn:aws:s3:::b/${x}"), &lit("arn:aws:s3:::b/${x}")), Match::Yes);
        // Default used when the key is known absent.
        let absent = Context::default().with_absent("aws:PrincipalTag/team");
        let pat = lit("arn:aws:s3:::b/${aws:PrincipalTag/team, 'all'}");
        assert_eq!(resource_matches_with(&pat, &lit("arn:aws:s3:::b/all"), &absent), Match::Yes);
        assert_eq!(resource_matches_with(&pat, &lit("arn:aws:s3:::b/x"), &absent), Match::No);
        // Key names are case-insensitive.
        let known = Context::default().with_value("AWS:principaltag/TEAM", "x");
        assert_eq!(resource_matches_with(&pat, &lit("arn:aws:s3:::b/x"), &known), Match::Yes);
    }

    #[test]
    fn pathological_patterns_are_fast() {
        let text = lit(&"a".repeat(5000));
        let pat = lit("a*a*a*a*a*a*a*a*b");
        assert_eq!(resource_matches(&pat, &text), Match::No);
        assert!(!action_matches("a*a*a*a*a*a*a*a*b", &"a".repeat(5000)));
        let mut long = lit("arn:aws:s3:::");
        for _ in 0..200 {
            long.push_sym("S", SymbolOrigin::Parameter);
            long.push_str("a");
        }
        long.push_sym("T", SymbolOrigin::Parameter);
        let pat = lit("arn:aws:s3:::*a*a*a*a*b");
        assert!(matches!(resource_matches(&pat, &long), Match::Depends(_)));
    }

    #[test]
    fn actions() {
        assert!(action_matches("sagemaker:*Endpoint*", "sagemaker:InvokeEndpointWithResponseStream"));
        assert!(action_matches("sagemaker:InvokeEndpoint?sync", "sagemaker:InvokeEndpointAsync"));
        assert!(!action_matches("sagemaker:Invoke", "sagemaker:InvokeEndpoint"));
        assert!(!action_matches("s3:*", "sagemaker:InvokeEndpoint"));
    }
}
