//! JavaScript's lexer (TypeScript's too: type annotations lex as ordinary tokens): strings and
//! template literals decoded, with the byte ranges of their `${…}` substitutions, regex
//! literals told from division.

use crate::code::analyzer::lex::{
    Escapes, Kind, Lit, TOKEN_BYTES, Tok, decode_escape, finish_lit, finish_template, is_ident_char,
    is_ident_start, number_end, punct_len, starts_number,
};

/// JavaScript drops the backslash of an unknown escape and reads `\u{…}` code points.
const ESCAPES: Escapes = Escapes { braced_unicode: true, unknown_keeps_backslash: false };

const JS_EXPR_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

/// Whether a `/` after `prev` starts a regex literal rather than a division.
fn regex_allowed(text: &str, prev: Option<&Tok>) -> bool {
    let Some(prev) = prev else { return true };
    let word = text.get(prev.start..prev.end).unwrap_or("");
    match prev.kind {
        Kind::Opaque | Kind::Str => false,
        Kind::Ident => JS_EXPR_KEYWORDS.contains(&word),
        Kind::Punct => !matches!(word, ")" | "]" | "}"),
    }
}

/// Lexes JavaScript/TypeScript in `text[from..to]` (whole file, or a template substitution).
pub(in crate::code) fn lex_js(text: &str, from: usize, to: usize) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let b = bytes.get(..to.min(bytes.len())).unwrap_or_default();
    let len = b.len();
    // About one token per five bytes of source: growing the vector from empty was 0.7% of a
    // large run's samples.
    let mut toks: Vec<Tok> = Vec::with_capacity(len.saturating_sub(from) / TOKEN_BYTES);
    let mut i = from;
    let mut nl = true;
    while i < len {
        let c = b[i];
        let start = i;
        let mut lit = None;
        let kind;
        match c {
            b'\n' => {
                nl = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' | b'\x0b' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < len && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'#' if i == 0 && b.get(1) == Some(&b'!') => {
                while i < len && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let body = b.get(i + 2..).unwrap_or_default();
                let close = body.windows(2).position(|w| w == b"*/");
                let end = close.map_or(len, |p| i + 2 + p + 2);
                if b[i..end].contains(&b'\n') {
                    nl = true;
                }
                i = end;
                continue;
            }
            b'\'' | b'"' => {
                let (end, l) = lex_js_string(b, i);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            b'`' => {
                let (end, l) = lex_js_template(b, i);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            b'/' if regex_allowed(text, toks.last()) => {
                if let Some(end) = scan_regex(b, i) {
                    i = end;
                    kind = Kind::Opaque;
                } else {
                    i += punct_len(b, i);
                    kind = Kind::Punct;
                }
            }
            c if is_ident_start(c, true) => {
                i += 1;
                while i < len && is_ident_char(b[i], true) {
                    i += 1;
                }
                kind = Kind::Ident;
            }
            _ if starts_number(b, i) => {
                i = number_end(b, i);
                kind = Kind::Opaque;
            }
            _ => {
                i += punct_len(b, i);
                kind = Kind::Punct;
            }
        }
        toks.push(Tok { kind, start, end: i.min(len), bol: nl, indent: 0, lit });
        nl = false;
    }
    toks
}

/// A regex literal starting at the `/` at `i`; `None` when it does not close on its line.
fn scan_regex(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut in_class = false;
    loop {
        let c = *b.get(j)?;
        match c {
            b'\n' => return None,
            b'\\' => {
                j += 2;
                continue;
            }
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => break,
            _ => {}
        }
        j += 1;
    }
    j += 1;
    while j < b.len() && is_ident_char(b[j], true) {
        j += 1;
    }
    Some(j)
}

/// A '…' or "…" string at `i`; unterminated strings end at the line end.
fn lex_js_string(b: &[u8], i: usize) -> (usize, Lit) {
    let quote = b[i];
    let mut j = i + 1;
    let mut value = Vec::new();
    loop {
        let Some(&c) = b.get(j) else { return (b.len(), finish_lit(&value, false, Vec::new())) };
        if c == quote {
            return (j + 1, finish_lit(&value, false, Vec::new()));
        }
        if c == b'\n' {
            return (j, finish_lit(&value, false, Vec::new()));
        }
        if c == b'\\' {
            j = decode_escape(b, j + 1, &mut value, ESCAPES);
            continue;
        }
        value.push(c);
        j += 1;
    }
}

/// A template literal at `i`, with the byte ranges of its top-level substitutions.
fn lex_js_template(b: &[u8], i: usize) -> (usize, Lit) {
    let mut j = i + 1;
    let mut value = Vec::new();
    let mut subs = Vec::new();
    let done = |value: &[u8], subs: Vec<((usize, usize), usize)>| {
        if subs.is_empty() { finish_lit(value, false, Vec::new()) } else { finish_template(value, subs) }
    };
    loop {
        let Some(&c) = b.get(j) else {
            return (b.len(), done(&value, subs));
        };
        match c {
            b'`' => {
                return (j + 1, done(&value, subs));
            }
            b'\\' => j = decode_escape(b, j + 1, &mut value, ESCAPES),
            b'$' if b.get(j + 1) == Some(&b'{') => {
                let (inner_end, after) = skip_js_substitution(b, j + 2);
                subs.push(((j + 2, inner_end), value.len()));
                j = after;
            }
            _ => {
                value.push(c);
                j += 1;
            }
        }
    }
}

/// Skips a `${…}` body starting after `${`, through nested braces, strings, comments and templates
/// (with an explicit stack, so deep nesting cannot overflow). Returns (index of the `}`, index after).
fn skip_js_substitution(b: &[u8], mut i: usize) -> (usize, usize) {
    let len = b.len();
    // `Some(depth)`: inside an expression with that many open braces; `None`: inside a nested template.
    let mut stack: Vec<Option<u32>> = vec![Some(0)];
    // The last byte of the expression that is not space: whether a `/` starts a regex
    // (`v.replace(/"/g, '""')`, whose quote must not open a string) or divides.
    let mut last: Option<usize> = None;
    while i < len {
        let c = b[i];
        let Some(top) = stack.last_mut() else { break };
        match top {
            None => match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                    last = Some(i);
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(Some(0));
                    i += 1;
                }
                _ => {}
            },
            Some(depth) => match c {
                b'\'' | b'"' => {
                    i += 1;
                    while i < len && b[i] != c && b[i] != b'\n' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    last = Some(i.min(len - 1));
                }
                b'`' => stack.push(None),
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < len && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let body = b.get(i + 2..).unwrap_or_default();
                    i = body.windows(2).position(|w| w == b"*/").map_or(len, |p| i + 2 + p + 2);
                    continue;
                }
                b'/' if regex_may_follow(b, last) && scan_regex(b, i).is_some() => {
                    let end = scan_regex(b, i).unwrap_or(i + 1);
                    last = Some(end - 1);
                    i = end;
                    continue;
                }
                b'{' => *depth = depth.saturating_add(1),
                b'}' if *depth == 0 => {
                    stack.pop();
                    if stack.is_empty() {
                        return (i, i + 1);
                    }
                }
                b'}' => *depth -= 1,
                _ => {}
            },
        }
        if !c.is_ascii_whitespace() && matches!(stack.last(), Some(Some(_))) && c != b'\'' && c != b'"' {
            last = Some(i);
        }
        i += 1;
    }
    (len, len)
}

/// Whether a `/` after the byte at `last` starts a regex literal: at the start of an expression,
/// after an operator or opening punctuation, or after a keyword such as `return`; not after a
/// value (a name, a number, a closing bracket, a string).
fn regex_may_follow(b: &[u8], last: Option<usize>) -> bool {
    let Some(k) = last else { return true };
    let c = b[k];
    if is_ident_char(c, true) {
        let start = (0..=k).rev().take_while(|&j| is_ident_char(b[j], true)).last().unwrap_or(k);
        let word = std::str::from_utf8(&b[start..=k]).unwrap_or("");
        return JS_EXPR_KEYWORDS.contains(&word);
    }
    !matches!(c, b')' | b']' | b'}' | b'"' | b'\'' | b'`')
}
