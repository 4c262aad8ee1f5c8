//! Python's lexer: tokens with logical-line starts and indentation, strings decoded, f-string
//! fields recorded.

use crate::code::analyzer::lex::{
    Escapes, Kind, Lit, TOKEN_BYTES, Tok, decode_escape, finish_lit, finish_template, is_ident_char,
    is_ident_start, number_end, punct_len, starts_number,
};

/// Python keeps the backslash of an unknown escape (`"\d"` is two characters) and has no `\u{…}`.
const ESCAPES: Escapes = Escapes { braced_unicode: false, unknown_keeps_backslash: true };

/// Lexes Python into tokens with logical-line starts and indentation.
pub(in crate::code) fn lex_python(text: &str) -> Vec<Tok> {
    let src = text.as_bytes();
    let len = src.len();
    // About one token per five bytes of source: growing the vector from empty was 0.7% of a
    // large run's samples.
    let mut toks = Vec::with_capacity(len / TOKEN_BYTES);
    let mut i = 0;
    let mut depth = 0u32;
    let mut logical_start = true;
    let mut phys_start = true;
    let mut phys_indent = 0u32;
    let mut cur_indent = 0u32;
    while i < len {
        if phys_start {
            phys_start = false;
            let mut col = 0u32;
            while i < len && matches!(src[i], b' ' | b'\t' | b'\x0c') {
                col = if src[i] == b'\t' {
                    (col / 8).saturating_add(1).saturating_mul(8)
                } else {
                    col.saturating_add(1)
                };
                i += 1;
            }
            phys_indent = col;
            continue;
        }
        let c = src[i];
        let start = i;
        let mut lit = None;
        let kind;
        match c {
            b'\n' => {
                i += 1;
                phys_start = true;
                // Inside brackets a newline does not end the logical line.
                if depth == 0 {
                    logical_start = true;
                }
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'\\' if matches!(src.get(i + 1), Some(b'\n' | b'\r')) => {
                // Explicit line continuation: skip the newline without starting a logical line.
                i += 1;
                if src.get(i) == Some(&b'\r') {
                    i += 1;
                }
                if src.get(i) == Some(&b'\n') {
                    i += 1;
                }
                continue;
            }
            b'#' => {
                while i < len && src[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let (end, l) = lex_py_string(src, i, false, false);
                i = end;
                kind = Kind::Str;
                lit = Some(Box::new(l));
            }
            c if is_ident_start(c, false) => {
                let mut j = i + 1;
                while j < len && is_ident_char(src[j], false) {
                    j += 1;
                }
                let word = &src[i..j];
                if j < len
                    && matches!(src[j], b'"' | b'\'')
                    && word.len() <= 2
                    && word.iter().all(|x| b"rRbBuUfFtT".contains(x))
                {
                    let raw = word.iter().any(|x| x.eq_ignore_ascii_case(&b'r'));
                    let fmt = word.iter().any(|x| matches!(x, b'f' | b'F' | b't' | b'T'));
                    let (end, l) = lex_py_string(src, j, raw, fmt);
                    i = end;
                    kind = Kind::Str;
                    lit = Some(Box::new(l));
                } else {
                    i = j;
                    kind = Kind::Ident;
                }
            }
            _ if starts_number(src, i) => {
                i = number_end(src, i);
                kind = Kind::Opaque;
            }
            _ => {
                i += punct_len(src, i);
                kind = Kind::Punct;
                match c {
                    b'(' | b'[' | b'{' => depth = depth.saturating_add(1),
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        if logical_start {
            cur_indent = phys_indent;
        }
        toks.push(Tok { kind, start, end: i, bol: logical_start, indent: cur_indent, lit });
        logical_start = false;
    }
    toks
}

/// Lexes a Python string whose opening quote is at `q`; returns the end and the decoded literal.
/// Unterminated single-quoted strings stop at the end of the line, triple-quoted ones at the end of file.
fn lex_py_string(b: &[u8], q: usize, raw: bool, fmt: bool) -> (usize, Lit) {
    let len = b.len();
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = q + if triple { 3 } else { 1 };
    let mut value = Vec::new();
    // Each replacement field's text between its braces, and where in the value it goes.
    let mut fields: Vec<((usize, usize), usize)> = Vec::new();
    let done = |value: &[u8], fields: Vec<((usize, usize), usize)>| {
        if fields.is_empty() { finish_lit(value, false, Vec::new()) } else { finish_template(value, fields) }
    };
    loop {
        let Some(&c) = b.get(i) else { return (len, done(&value, fields)) };
        if c == quote {
            if !triple {
                return (i + 1, done(&value, fields));
            }
            if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                return (i + 3, done(&value, fields));
            }
        }
        if c == b'\n' && !triple {
            return (i, done(&value, fields));
        }
        if c == b'\\' && i + 1 < len {
            if raw {
                // A raw string still cannot end at an escaped quote; both characters stay.
                value.push(c);
                value.push(b[i + 1]);
                i += 2;
            } else {
                i = decode_escape(b, i + 1, &mut value, ESCAPES);
            }
            continue;
        }
        if fmt && c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                value.push(b'{');
                i += 2;
                continue;
            }
            let end = skip_fstring_field(b, i + 1, triple);
            let inner_end = if b.get(end.wrapping_sub(1)) == Some(&b'}') { end - 1 } else { end };
            fields.push(((i + 1, inner_end), value.len()));
            i = end;
            continue;
        }
        if fmt && c == b'}' && b.get(i + 1) == Some(&b'}') {
            value.push(b'}');
            i += 2;
            continue;
        }
        value.push(c);
        i += 1;
    }
}

/// Skips an f-string replacement field starting after its `{`; returns the index after its `}`.
fn skip_fstring_field(b: &[u8], mut i: usize, triple: bool) -> usize {
    let len = b.len();
    let mut depth = 0u32;
    while i < len {
        match b[i] {
            b'{' | b'(' | b'[' => depth = depth.saturating_add(1),
            b'}' if depth == 0 => return i + 1,
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            q @ (b'\'' | b'"') => {
                // Nested strings (Python 3.12 allows any quote here); stop at the line end.
                i += 1;
                while i < len && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i < len && b[i] == q {
                    i += 1;
                }
                continue;
            }
            b'\n' if !triple => return i,
            _ => {}
        }
        i += 1;
    }
    len
}
