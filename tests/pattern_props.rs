//! Property tests of the IAM wildcard matcher (`sagelint::iam::pattern`) against small reference
//! matchers written from aws-semantics.md §3: actions are a case-insensitive whole-string glob,
//! resources are case-sensitive, and in an ARN pattern's first five segments `*` and `?` stay
//! inside the segment unless the `*` ends the segment.
//!
//! Alphabets are tiny on purpose, so that generated patterns and texts often collide.

use proptest::prelude::*;
use sagelint::iam::pattern::{Match, action_matches, resource_matches};
use sagelint::value::SymStr;

/// Pattern token of the reference matchers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Lit(char),
    /// Any run of characters; `colon` says whether it may cross a `:`.
    Star {
        colon: bool,
    },
    /// One character; `colon` as above.
    One {
        colon: bool,
    },
}

/// Naive memoised matcher over reference tokens (inputs are a few characters long).
fn reference(pat: &[Tok], text: &[char]) -> bool {
    fn go(p: usize, t: usize, pat: &[Tok], text: &[char], memo: &mut Vec<Vec<Option<bool>>>) -> bool {
        if let Some(v) = memo[p][t] {
            return v;
        }
        let v = match pat.get(p) {
            None => t == text.len(),
            Some(Tok::Lit(c)) => text.get(t) == Some(c) && go(p + 1, t + 1, pat, text, memo),
            Some(Tok::One { colon }) => {
                text.get(t).is_some_and(|c| *colon || *c != ':') && go(p + 1, t + 1, pat, text, memo)
            }
            Some(Tok::Star { colon }) => {
                go(p + 1, t, pat, text, memo)
                    || (text.get(t).is_some_and(|c| *colon || *c != ':') && go(p, t + 1, pat, text, memo))
            }
        };
        memo[p][t] = Some(v);
        v
    }
    let mut memo = vec![vec![None; text.len() + 1]; pat.len() + 1];
    go(0, 0, pat, text, &mut memo)
}

fn glob_tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Star { colon: true },
            '?' => Tok::One { colon: true },
            c => Tok::Lit(c),
        })
        .collect()
}

/// The recommended ARN matcher of aws-semantics.md §3.2, for a pattern with six `:` parts.
fn arn_tokens(pattern: &str) -> Vec<Tok> {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(Tok::Lit(':'));
        }
        let chars: Vec<char> = part.chars().collect();
        for (j, c) in chars.iter().enumerate() {
            let in_resource = i == 5;
            let ends_segment = j + 1 == chars.len();
            out.push(match c {
                '*' => Tok::Star { colon: in_resource || ends_segment },
                '?' => Tok::One { colon: in_resource },
                c => Tok::Lit(*c),
            });
        }
    }
    out
}

fn action_text() -> impl Strategy<Value = String> {
    "[aAbB]{0,3}:[aAbB:]{0,4}"
}

fn action_pattern() -> impl Strategy<Value = String> {
    "[aAbB*?]{0,3}:?[aAbB:*?]{0,4}"
}

/// An ARN-shaped pattern: six parts, no wildcard in the service segment.
fn arn_pattern() -> impl Strategy<Value = String> {
    ("[aws*?]{0,3}", "[s3]{1,2}", "[ue1*?]{0,3}", "[12*?]{0,3}", "[ab/:*?]{0,5}").prop_map(
        |(partition, service, region, account, resource)| {
            format!("arn:{partition}:{service}:{region}:{account}:{resource}")
        },
    )
}

/// An ARN-shaped text: segments may carry extra colons, so the segment rules are exercised.
fn arn_text() -> impl Strategy<Value = String> {
    ("[aws:]{0,3}", "[s3]{1,2}", "[ue1:]{0,3}", "[12:]{0,3}", "[ab/:]{0,5}").prop_map(
        |(partition, service, region, account, resource)| {
            format!("arn:{partition}:{service}:{region}:{account}:{resource}")
        },
    )
}

/// A pattern and a text made from it by filling each wildcard with a short run that may contain
/// `:` and `/`: such texts often match, so the colon rules decide the outcome.
fn arn_pattern_and_instance() -> impl Strategy<Value = (String, String)> {
    (arn_pattern(), proptest::collection::vec("[a:/]{0,2}", 8), proptest::collection::vec("[a:1]", 8))
        .prop_map(|(pattern, runs, ones)| {
            let (mut r, mut o) = (runs.iter().cycle(), ones.iter().cycle());
            let text = pattern
                .chars()
                .map(|c| match c {
                    '*' => r.next().cloned().unwrap_or_default(),
                    '?' => o.next().cloned().unwrap_or_default(),
                    c => c.to_string(),
                })
                .collect();
            (pattern, text)
        })
}

fn yes(m: &Match) -> bool {
    match m {
        Match::Yes => true,
        Match::No => false,
        Match::Depends(_) => panic!("literal inputs never depend on a symbol: {m:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_wildcard_free_action_matches_exactly_itself_in_any_case(p in action_text(), t in action_text()) {
        prop_assert_eq!(action_matches(&p, &t), p.eq_ignore_ascii_case(&t));
        prop_assert!(action_matches(&p, &p.to_ascii_uppercase()));
    }

    #[test]
    fn action_matching_is_a_case_insensitive_whole_string_glob(p in action_pattern(), t in action_text()) {
        let expected = reference(&glob_tokens(&p.to_ascii_lowercase()), &t.to_ascii_lowercase().chars().collect::<Vec<_>>());
        prop_assert_eq!(action_matches(&p, &t), expected);
        prop_assert_eq!(action_matches(&p.to_ascii_uppercase(), &t.to_ascii_lowercase()), expected);
    }

    #[test]
    fn star_matches_every_action_and_resource(t in action_text(), r in arn_text()) {
        prop_assert!(action_matches("*", &t));
        prop_assert!(yes(&resource_matches(&SymStr::lit("*"), &SymStr::lit(&r))));
    }

    #[test]
    fn a_wildcard_free_resource_matches_exactly_itself_case_sensitively(a in arn_text(), b in arn_text()) {
        prop_assert_eq!(yes(&resource_matches(&SymStr::lit(&a), &SymStr::lit(&b))), a == b);
        let upper = a.to_ascii_uppercase();
        prop_assert_eq!(yes(&resource_matches(&SymStr::lit(&upper), &SymStr::lit(&a))), upper == a);
    }

    #[test]
    fn arn_patterns_follow_the_segment_rules(p in arn_pattern(), t in arn_text()) {
        let expected = reference(&arn_tokens(&p), &t.chars().collect::<Vec<_>>());
        prop_assert_eq!(yes(&resource_matches(&SymStr::lit(&p), &SymStr::lit(&t))), expected, "pattern {} text {}", p, t);
    }

    #[test]
    fn arn_segment_rules_on_texts_made_from_the_pattern((p, t) in arn_pattern_and_instance()) {
        let expected = reference(&arn_tokens(&p), &t.chars().collect::<Vec<_>>());
        prop_assert_eq!(yes(&resource_matches(&SymStr::lit(&p), &SymStr::lit(&t))), expected, "pattern {} text {}", p, t);
    }

    #[test]
    fn non_arn_resource_patterns_are_case_sensitive_globs(p in "[aB/*?]{0,4}", t in "[aAbB/:]{0,5}") {
        prop_assume!(p != "*");
        let expected = reference(&glob_tokens(&p), &t.chars().collect::<Vec<_>>());
        prop_assert_eq!(yes(&resource_matches(&SymStr::lit(&p), &SymStr::lit(&t))), expected);
    }
}
