//! Handler source → endpoint invocation call sites.
//!
//! This module owns reading a Lambda handler's source text (Python, or JavaScript/TypeScript) without
//! executing it: a small hand-written lexer per language, then pattern matching on the token stream to
//! find every SDK call that invokes a SageMaker endpoint, the endpoint name it passes (folded through
//! constants, environment variables and parameter objects where that can be done statically), whether
//! the call is guarded by error handling, and which environment variables the file reads.
//!
//! It is deliberately a heuristic reader, not a parser: it never panics, tolerates broken code, and
//! every name resolution runs under a fixed budget so the whole scan stays linear in the input.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::span::{FileId, Span};

mod js_indirect;
mod py_imports;
mod py_indirect;

/// The handler's source language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    /// JavaScript and TypeScript (type annotations are skipped, not understood).
    JavaScript,
}

/// The language of a handler source file, from its extension; `None` for anything else (including
/// TypeScript declaration files, which hold no code).
#[must_use]
pub fn language_for_path(path: &Path) -> Option<Language> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if [".d.ts", ".d.mts", ".d.cts"].iter().any(|suffix| name.ends_with(suffix)) {
        return None;
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "py" => Some(Language::Python),
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" => Some(Language::JavaScript),
        _ => None,
    }
}

/// Which SageMaker runtime API a call site invokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InvokeApi {
    InvokeEndpoint,
    InvokeEndpointAsync,
    InvokeEndpointWithResponseStream,
}

impl InvokeApi {
    /// The IAM action the call needs.
    #[must_use]
    pub fn action(self) -> &'static str {
        match self {
            Self::InvokeEndpoint => "sagemaker:InvokeEndpoint",
            Self::InvokeEndpointAsync => "sagemaker:InvokeEndpointAsync",
            Self::InvokeEndpointWithResponseStream => "sagemaker:InvokeEndpointWithResponseStream",
        }
    }

    /// The canonical SDK spelling (boto3 method / AWS SDK v3 command); [`InvokeCall::callee`] keeps
    /// what the code actually wrote.
    #[must_use]
    pub fn sdk_name(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Self::InvokeEndpoint, Language::Python) => "invoke_endpoint",
            (Self::InvokeEndpointAsync, Language::Python) => "invoke_endpoint_async",
            (Self::InvokeEndpointWithResponseStream, Language::Python) => {
                "invoke_endpoint_with_response_stream"
            }
            (Self::InvokeEndpoint, Language::JavaScript) => "InvokeEndpointCommand",
            (Self::InvokeEndpointAsync, Language::JavaScript) => "InvokeEndpointAsyncCommand",
            (Self::InvokeEndpointWithResponseStream, Language::JavaScript) => {
                "InvokeEndpointWithResponseStreamCommand"
            }
        }
    }
}

/// What the code passes as the endpoint name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointName {
    /// A string literal (after resolving through constants). `span` = the literal token incl. quotes.
    Literal { value: String, span: Span },
    /// Read from an environment variable; `default` when the code supplies a literal one.
    /// `span` covers the read expression (`os.environ["X"]`, `process.env.X`, or the destructured key).
    EnvVar { var: String, span: Span, default: Option<String> },
    /// Built at run time in a way that cannot be folded; `why` is a short human phrase.
    Dynamic { span: Span, why: String },
    /// The call passes no EndpointName at all (or via **kwargs / a spread we cannot see).
    Missing,
}

/// One call that invokes a SageMaker endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvokeCall {
    pub api: InvokeApi,
    /// As written: "invoke_endpoint", "InvokeEndpointCommand" (or its import alias), "invokeEndpoint",
    /// "Predictor", "AsyncPredictor".
    pub callee: String,
    /// The callee name token.
    pub span: Span,
    pub endpoint: EndpointName,
    /// Inside a `try` body that has an `except`/`catch`, or the JS statement chain has `.catch(`.
    pub in_error_handler: bool,
    /// The call passes InferenceComponentName.
    pub inference_component: bool,
    /// `InputLocation` of an async call (the S3 URI of the payload), evaluated like the endpoint
    /// name; `None` when the call passes none (the payload goes inline in `Body`) or is not async.
    pub input_location: Option<EndpointName>,
    /// The endpoint name is a constant imported from another module (`from config import X`,
    /// `config.X`): what the file alone cannot read, for the caller to look up in that module.
    pub imported: Option<ImportedName>,
    /// The file `endpoint`'s spans point into, when the name was read from an imported module
    /// rather than the file of the call.
    pub endpoint_file: Option<FileId>,
}

/// A module-level name of another Python module: `ENDPOINT_NAME` of `from config import
/// ENDPOINT_NAME`, or `ENDPOINT` of `config.ENDPOINT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedName {
    /// As written, leading dots of a relative import kept: `config`, `.settings`, `app.settings`.
    pub module: String,
    pub name: String,
}

/// An environment variable read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRead {
    pub var: String,
    pub span: Span,
    /// The code supplies a fallback (`.get("X", d)`, `getenv("X", d)`, `?? d`, `|| d`, `or d`,
    /// destructuring default), literal or not.
    pub has_default: bool,
}

/// Everything the linter learns from one handler source file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandlerScan {
    pub calls: Vec<InvokeCall>,
    /// Every environment variable the file reads, in source order.
    pub env_reads: Vec<EnvRead>,
    /// The runtime client is created with an explicit endpoint URL (boto3 `endpoint_url=`, JS
    /// `endpoint:` in the client config).
    pub explicit_endpoint_url: bool,
    /// Python: module-level constants whose value is known (a literal or an environment read),
    /// for the modules that import them.
    pub constants: Vec<(String, EndpointName)>,
}

/// Scans one handler source file. Never panics; linear in the size of `text`.
#[must_use]
pub fn scan(lang: Language, text: &str) -> HandlerScan {
    let toks = match lang {
        Language::Python => lex_python(text),
        Language::JavaScript => lex_js(text, 0, text.len()),
    };
    let mut an = Analyzer::new(lang, text, toks);
    let mut constants = Vec::new();
    let (mut calls, explicit_endpoint_url) = match lang {
        Language::Python => {
            an.py_structure();
            an.py_assignments();
            an.py_env_reads();
            constants = an.py_constants();
            an.py_calls()
        }
        Language::JavaScript => {
            an.js_structure();
            an.js_assignments();
            an.js_env_reads();
            an.js_calls()
        }
    };
    calls.sort_by_key(|c| c.span);
    let mut env_reads = an.env_reads;
    env_reads.sort_by_key(|r| r.span);
    env_reads.dedup();
    HandlerScan { calls, env_reads, explicit_endpoint_url, constants }
}

// ---------------------------------------------------------------------------------------------------
// Lexing
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    /// Numbers and regex literals: values we never need to read.
    Opaque,
    Str,
    Punct,
}

#[derive(Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Python: first token of a logical line. JavaScript: a line break precedes it (for ASI).
    bol: bool,
    /// Python: indentation width of the token's logical line (drives block structure).
    indent: u32,
    /// String and template literals: the decoded text.
    lit: Option<Box<Lit>>,
}

#[derive(Debug, Default)]
struct Lit {
    /// Decoded literal text, outside any substitutions.
    value: String,
    /// Python: an f-string with replacement fields; JS: a template literal with `${}`.
    has_subs: bool,
    /// JS template literals: byte ranges of the top-level `${…}` expressions (re-lexed on demand).
    subs: Vec<(usize, usize)>,
}

const PUNCT3: &[&[u8]] = &[b"...", b"===", b"!==", b"**=", b"??=", b"||=", b"&&=", b">>=", b"<<=", b"//="];
const PUNCT2: &[&[u8]] = &[
    b"==", b"!=", b"<=", b">=", b"=>", b"**", b"??", b"||", b"&&", b"?.", b"+=", b"-=", b"*=", b"/=", b"%=",
    b"->", b":=", b"++", b"--", b"<<", b">>", b"|=", b"&=", b"^=", b"@=", b"//",
];

fn punct_len(b: &[u8], i: usize) -> usize {
    let rest = b.get(i..).unwrap_or_default();
    if PUNCT3.iter().any(|p| rest.starts_with(p)) {
        3
    } else if PUNCT2.iter().any(|p| rest.starts_with(p)) {
        2
    } else {
        1
    }
}

// Non-ASCII bytes count as identifier characters: token boundaries then always fall on ASCII bytes,
// so every token range is a valid `str` slice.
fn is_ident_start(c: u8, js: bool) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || (js && c == b'$')
}

fn is_ident_char(c: u8, js: bool) -> bool {
    is_ident_start(c, js) || c.is_ascii_digit()
}

fn push_char(out: &mut Vec<u8>, ch: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

fn hex_value(b: &[u8], from: usize, to: usize) -> Option<char> {
    let digits = std::str::from_utf8(b.get(from..to)?).ok()?;
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// Decodes the escape whose backslash is at `j - 1`; returns the index after it. Unknown escapes keep
/// the backslash in Python and drop it in JavaScript, as the languages do.
fn decode_escape(b: &[u8], j: usize, out: &mut Vec<u8>, python: bool) -> usize {
    let Some(&c) = b.get(j) else { return j };
    match c {
        b'n' => out.push(b'\n'),
        b't' => out.push(b'\t'),
        b'r' => out.push(b'\r'),
        b'0' => out.push(0),
        b'\n' => {}
        b'\r' => return if b.get(j + 1) == Some(&b'\n') { j + 2 } else { j + 1 },
        b'\\' | b'\'' | b'"' | b'`' => out.push(c),
        b'x' => {
            if let Some(ch) = hex_value(b, j + 1, j + 3) {
                push_char(out, ch);
                return j + 3;
            }
            out.push(c);
        }
        b'u' if !python && b.get(j + 1) == Some(&b'{') => {
            let close = b.iter().skip(j + 2).take(8).position(|&x| x == b'}').map(|p| j + 2 + p);
            if let Some(ch) = close.and_then(|cl| hex_value(b, j + 2, cl)) {
                push_char(out, ch);
                return close.map_or(j + 1, |cl| cl + 1);
            }
            out.push(c);
        }
        b'u' => {
            if let Some(ch) = hex_value(b, j + 1, j + 5) {
                push_char(out, ch);
                return j + 5;
            }
            if python {
                out.push(b'\\');
            }
            out.push(c);
        }
        _ => {
            if python {
                out.push(b'\\');
            }
            out.push(c);
        }
    }
    j + 1
}

fn finish_lit(value: &[u8], has_subs: bool, subs: Vec<(usize, usize)>) -> Lit {
    Lit { value: String::from_utf8_lossy(value).into_owned(), has_subs, subs }
}

/// Lexes Python into tokens with logical-line starts and indentation.
fn lex_python(text: &str) -> Vec<Tok> {
    let src = text.as_bytes();
    let len = src.len();
    let mut toks = Vec::new();
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
            c if c.is_ascii_digit() || (c == b'.' && src.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < len && (src[i].is_ascii_alphanumeric() || src[i] == b'_' || src[i] == b'.') {
                    i += 1;
                }
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
    let mut has_subs = false;
    loop {
        let Some(&c) = b.get(i) else { return (len, finish_lit(&value, has_subs, Vec::new())) };
        if c == quote {
            if !triple {
                return (i + 1, finish_lit(&value, has_subs, Vec::new()));
            }
            if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                return (i + 3, finish_lit(&value, has_subs, Vec::new()));
            }
        }
        if c == b'\n' && !triple {
            return (i, finish_lit(&value, has_subs, Vec::new()));
        }
        if c == b'\\' && i + 1 < len {
            if raw {
                // A raw string still cannot end at an escaped quote; both characters stay.
                value.push(c);
                value.push(b[i + 1]);
                i += 2;
            } else {
                i = decode_escape(b, i + 1, &mut value, true);
            }
            continue;
        }
        if fmt && c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                value.push(b'{');
                i += 2;
                continue;
            }
            has_subs = true;
            i = skip_fstring_field(b, i + 1, triple);
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
fn lex_js(text: &str, from: usize, to: usize) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let b = bytes.get(..to.min(bytes.len())).unwrap_or_default();
    let len = b.len();
    let mut toks: Vec<Tok> = Vec::new();
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
            c if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                i += 1;
                while i < len && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                    i += 1;
                }
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
            j = decode_escape(b, j + 1, &mut value, false);
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
    loop {
        let Some(&c) = b.get(j) else {
            let has = !subs.is_empty();
            return (b.len(), finish_lit(&value, has, subs));
        };
        match c {
            b'`' => {
                let has = !subs.is_empty();
                return (j + 1, finish_lit(&value, has, subs));
            }
            b'\\' => j = decode_escape(b, j + 1, &mut value, false),
            b'$' if b.get(j + 1) == Some(&b'{') => {
                let (inner_end, after) = skip_js_substitution(b, j + 2);
                subs.push((j + 2, inner_end));
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
    while i < len {
        let c = b[i];
        let Some(top) = stack.last_mut() else { break };
        match top {
            None => match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
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
        i += 1;
    }
    (len, len)
}

// ---------------------------------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------------------------------

const NONE: usize = usize::MAX;
/// Scope id of module-level code.
const MODULE: usize = usize::MAX;
/// Pseudo-scope for `self.x = …` / `this.x = …` attribute assignments, looked up file-wide.
const ATTR: usize = usize::MAX - 1;
/// Parameter names that, in any function, mean the incoming request.
const REQUEST_NAMES: &[&str] = &["event", "evt", "request", "req", "body", "payload", "event_body"];
const MAX_DEPTH: u32 = 12;
/// Evaluation steps allowed per call site: keeps pathological files linear.
const BUDGET: u32 = 400;
/// Longer expressions are reported as dynamic without looking inside.
const MAX_EXPR: usize = 512;
const MAX_ASSIGNS: usize = 16;
const MAX_SCOPE_HOPS: usize = 64;

const PY_RUNTIME_SERVICES: &[&str] = &["sagemaker-runtime", "runtime.sagemaker"];
const JS_COMMANDS: &[(&str, InvokeApi)] = &[
    ("InvokeEndpointCommand", InvokeApi::InvokeEndpoint),
    ("InvokeEndpointAsyncCommand", InvokeApi::InvokeEndpointAsync),
    ("InvokeEndpointWithResponseStreamCommand", InvokeApi::InvokeEndpointWithResponseStream),
];

fn py_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invoke_endpoint" => Some(InvokeApi::InvokeEndpoint),
        "invoke_endpoint_async" => Some(InvokeApi::InvokeEndpointAsync),
        "invoke_endpoint_with_response_stream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

fn js_method_api(name: &str) -> Option<InvokeApi> {
    match name {
        "invokeEndpoint" => Some(InvokeApi::InvokeEndpoint),
        "invokeEndpointAsync" => Some(InvokeApi::InvokeEndpointAsync),
        "invokeEndpointWithResponseStream" => Some(InvokeApi::InvokeEndpointWithResponseStream),
        _ => None,
    }
}

struct Scope<'a> {
    parent: usize,
    /// Token range of the body.
    start: usize,
    end: usize,
    /// The first parameter of a function whose name marks it as the Lambda entry point (the event).
    request_param: Option<&'a str>,
    /// A named function (Python `def`/`class`, JS `function f`/`const f = (…) =>`): its name and
    /// parameters in order, to follow a parameter back to the callers.
    def: Option<FnSig<'a>>,
}

/// A function's name and parameters in order (Python: `self`/`cls` dropped for methods), each
/// with the token range of its default value.
struct FnSig<'a> {
    name: &'a str,
    params: Vec<(&'a str, Option<(usize, usize)>)>,
    method: bool,
    /// How many of `params` may be passed by position (those after `*`/`*args` are keyword-only).
    positional: usize,
    /// A `class` (only its name is used: `Class(…)` calls its `__init__`).
    is_class: bool,
}

enum AssignVal {
    Expr(usize, usize),
    /// `const { X = d } = process.env`.
    Env {
        var: String,
        span: Span,
        default: Option<(usize, usize)>,
    },
    /// `const { key } = <from>`.
    Member {
        key: String,
        from: (usize, usize),
    },
    /// Assigned in a way we do not follow (loop variable, tuple unpacking, `+=`).
    Why(String),
}

struct Assign {
    /// Token index of the target, for "assigned before the call".
    at: usize,
    span: Span,
    val: AssignVal,
}

struct EnvHit {
    var: String,
    span: Span,
    /// Token index after the read expression.
    end: usize,
    default: Option<(usize, usize)>,
}

enum Binding<'s> {
    Assigned(&'s [Assign]),
    /// A parameter of the function whose scope is `scope`.
    Param {
        request: bool,
        scope: usize,
    },
    Unknown,
}

/// Where a property/keyword value was found.
#[derive(Clone, Copy)]
enum Found {
    Expr(usize, usize),
    /// A JS shorthand property `{ EndpointName }`: the identifier token.
    Short(usize),
}

struct Arg<'a> {
    kw: Option<&'a str>,
    /// 0 plain, 1 `*x` / `...x`, 2 `**x`.
    star: u8,
    lo: usize,
    hi: usize,
}

struct Analyzer<'a> {
    lang: Language,
    text: &'a str,
    toks: Vec<Tok>,
    /// For an opening bracket, the index of its closer (or `toks.len()`); otherwise the token itself.
    close: Vec<usize>,
    /// For a closing bracket, the index of its opener; otherwise `NONE`.
    open: Vec<usize>,
    /// Innermost enclosing opening bracket, or `NONE`.
    parent: Vec<usize>,
    /// JS: this `{` opens a statement block (rather than an object literal or pattern).
    block: Vec<bool>,
    /// JS: for each token `p`, where an expression scan that has reached `p` stops (see
    /// `js_expr_end`); filled by `js_structure`.
    expr_stop: Vec<usize>,
    scopes: Vec<Scope<'a>>,
    scope_of: Vec<usize>,
    params: HashSet<(&'a str, usize)>,
    assigns: HashMap<(&'a str, usize), Vec<Assign>>,
    /// `params["EndpointName"] = x` / `params.EndpointName = x`.
    members: HashMap<(&'a str, String), Vec<(usize, usize)>>,
    env_at: HashMap<usize, EnvHit>,
    env_reads: Vec<EnvRead>,
    /// Token lies in a `try` body that has an `except`/`catch`.
    protected: Vec<bool>,
    /// Where each function defined in the file is called (the name token before `(`).
    call_sites: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Analyzer<'a> {
    fn new(lang: Language, text: &'a str, toks: Vec<Tok>) -> Self {
        let len = toks.len();
        let mut close: Vec<usize> = (0..len).collect();
        let mut open = vec![NONE; len];
        let mut parent = vec![NONE; len];
        let mut stack: Vec<(usize, u8)> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            parent[i] = stack.last().map_or(NONE, |&(o, _)| o);
            if t.kind != Kind::Punct || t.end != t.start + 1 {
                continue;
            }
            let c = text.as_bytes().get(t.start).copied().unwrap_or(0);
            match c {
                b'(' | b'[' | b'{' => {
                    close[i] = len;
                    stack.push((i, c));
                }
                b')' | b']' | b'}' => {
                    let want = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    // A stray closer (broken code) is left unmatched rather than unbalancing the rest.
                    if let Some(&(o, oc)) = stack.last() {
                        if oc == want {
                            stack.pop();
                            close[o] = i;
                            open[i] = o;
                            parent[i] = parent[o];
                        }
                    }
                }
                _ => {}
            }
        }
        Analyzer {
            lang,
            text,
            toks,
            close,
            open,
            parent,
            block: vec![false; len],
            expr_stop: Vec::new(),
            scopes: Vec::new(),
            scope_of: vec![MODULE; len],
            params: HashSet::new(),
            assigns: HashMap::new(),
            members: HashMap::new(),
            env_at: HashMap::new(),
            env_reads: Vec::new(),
            protected: vec![false; len],
            call_sites: HashMap::new(),
        }
    }

    // ---- token helpers -------------------------------------------------------------------------

    fn len(&self) -> usize {
        self.toks.len()
    }

    fn t(&self, i: usize) -> &'a str {
        let text: &'a str = self.text;
        self.toks.get(i).and_then(|t| text.get(t.start..t.end)).unwrap_or("")
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_p(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.t(i) == p
    }

    fn is_id(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Some(Kind::Ident) && self.t(i) == w
    }

    fn ident(&self, i: usize) -> Option<&'a str> {
        (self.kind(i) == Some(Kind::Ident)).then(|| self.t(i))
    }

    fn lit(&self, i: usize) -> Option<&Lit> {
        self.toks.get(i).and_then(|t| t.lit.as_deref())
    }

    /// A plain string literal's value (no substitutions).
    fn str_value(&self, i: usize) -> Option<&str> {
        self.lit(i).filter(|l| !l.has_subs).map(|l| l.value.as_str())
    }

    fn is_close(&self, i: usize) -> bool {
        self.open.get(i).is_some_and(|&o| o != NONE)
    }

    fn bol(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.bol)
    }

    fn prev_is(&self, i: usize, p: &str) -> bool {
        i > 0 && self.is_p(i - 1, p)
    }

    fn after_dot(&self, i: usize) -> bool {
        self.prev_is(i, ".") || self.prev_is(i, "?.")
    }

    fn close_of(&self, i: usize) -> usize {
        self.close.get(i).copied().unwrap_or(i)
    }

    /// The index after token `i`, jumping over a bracketed group.
    fn skip(&self, i: usize) -> usize {
        self.close_of(i).max(i).saturating_add(1)
    }

    /// Span of tokens `lo..hi`.
    fn span(&self, lo: usize, hi: usize) -> Span {
        match (self.toks.get(lo), hi.checked_sub(1).and_then(|h| self.toks.get(h))) {
            (Some(a), Some(z)) if z.end >= a.start => Span::from_range(a.start, z.end),
            (Some(a), _) => Span::from_range(a.start, a.end),
            _ => Span::from_range(self.text.len(), self.text.len()),
        }
    }

    /// The first top-level token in `lo..hi` satisfying `pred`.
    fn find_top(&self, lo: usize, hi: usize, pred: impl Fn(usize) -> bool) -> Option<usize> {
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
    fn split(&self, lo: usize, hi: usize) -> Vec<(usize, usize)> {
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
    fn args(&self, open: usize) -> Vec<Arg<'a>> {
        let close = self.close_of(open);
        if !self.is_p(open, "(") || close <= open {
            return Vec::new();
        }
        self.split(open + 1, close)
            .into_iter()
            .map(|(lo, hi)| {
                if self.lang == Language::Python && self.ident(lo).is_some() && self.is_p(lo + 1, "=") {
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
    fn snippet(&self, lo: usize, hi: usize) -> String {
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

    fn add_assign(&mut self, name: &'a str, scope: usize, at: usize, val: AssignVal) {
        let span = self.span(at, at + 1);
        self.assigns.entry((name, scope)).or_default().push(Assign { at, span, val });
    }

    fn add_member(&mut self, name: &'a str, key: String, value: (usize, usize)) {
        self.members.entry((name, key)).or_default().push(value);
    }

    fn mark_protected(&mut self, ranges: &[(usize, usize)]) {
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

    /// Assigns each token its innermost scope, and each scope its parent, in one sweep.
    fn compute_scope_of(&mut self) {
        let mut order: Vec<usize> = (0..self.scopes.len()).collect();
        order.sort_by_key(|&s| (self.scopes[s].start, std::cmp::Reverse(self.scopes[s].end)));
        let mut stack: Vec<usize> = Vec::new();
        let mut k = 0;
        for i in 0..self.len() {
            while stack.last().is_some_and(|&s| self.scopes[s].end <= i) {
                stack.pop();
            }
            while k < order.len() && self.scopes[order[k]].start <= i {
                let s = order[k];
                k += 1;
                if self.scopes[s].end > i {
                    self.scopes[s].parent = stack.last().copied().unwrap_or(MODULE);
                    stack.push(s);
                }
            }
            self.scope_of[i] = stack.last().copied().unwrap_or(MODULE);
        }
    }

    // ---- resolution ----------------------------------------------------------------------------

    /// How `name` is bound at token `at`: the assignments of the nearest scope that assigns it, or a
    /// parameter. Inside the innermost function only assignments before `at` count (when there are any).
    fn lookup(&self, name: &'a str, at: usize) -> Binding<'_> {
        let mut s = self.scope_of.get(at).copied().unwrap_or(MODULE);
        let mut innermost = true;
        for _ in 0..MAX_SCOPE_HOPS {
            if let Some(list) = self.assigns.get(&(name, s)) {
                if innermost && s != MODULE {
                    let before = list.partition_point(|x| x.at < at);
                    if before > 0 {
                        return Binding::Assigned(&list[..before]);
                    }
                }
                return Binding::Assigned(list);
            }
            if self.params.contains(&(name, s)) {
                let request = REQUEST_NAMES.contains(&name)
                    || self.scopes.get(s).and_then(|x| x.request_param) == Some(name);
                return Binding::Param { request, scope: s };
            }
            if s == MODULE {
                break;
            }
            s = self.scopes.get(s).map_or(MODULE, |x| x.parent);
            innermost = false;
        }
        Binding::Unknown
    }

    fn resolve_name(&self, name: &'a str, at: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let span = self.span(at, at + 1);
        match self.lookup(name, at) {
            Binding::Assigned(list) => self.resolve_list(name, list, span, depth, budget),
            Binding::Param { request: true, .. } => {
                EndpointName::Dynamic { span, why: format!("built from the request (`{name}`)") }
            }
            Binding::Param { request: false, scope } => {
                self.param_from_callers(name, scope, span, depth, budget).unwrap_or_else(|| {
                    EndpointName::Dynamic { span, why: format!("a function parameter `{name}`") }
                })
            }
            Binding::Unknown => {
                EndpointName::Dynamic { span, why: format!("`{name}`, which is not assigned in this file") }
            }
        }
    }

    /// One value when every assignment resolves to the same thing, else dynamic.
    fn resolve_list(
        &self,
        name: &str,
        list: &[Assign],
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        if list.len() > MAX_ASSIGNS {
            return EndpointName::Dynamic {
                span,
                why: format!("`{name}`, which is assigned in many places"),
            };
        }
        let mut first: Option<EndpointName> = None;
        for x in list {
            let v = self.eval_assign(x, depth + 1, budget);
            match &first {
                None => first = Some(v),
                Some(f) if same_value(f, &v) => {}
                Some(_) => {
                    return EndpointName::Dynamic {
                        span,
                        why: format!("`{name}`, which is assigned different values"),
                    };
                }
            }
        }
        first.unwrap_or(EndpointName::Dynamic { span, why: format!("`{name}`, which is never assigned") })
    }

    fn eval_assign(&self, x: &Assign, depth: u32, budget: &mut u32) -> EndpointName {
        match &x.val {
            AssignVal::Expr(lo, hi) => self.eval(*lo, *hi, depth, budget),
            AssignVal::Env { var, span, default } => EndpointName::EnvVar {
                var: var.clone(),
                span: *span,
                default: default.and_then(|(lo, hi)| literal_of(self.eval(lo, hi, depth, budget))),
            },
            AssignVal::Member { key, from } => self.eval_member(from.0, from.1, key, x.span, depth, budget),
            AssignVal::Why(why) => EndpointName::Dynamic { span: x.span, why: why.clone() },
        }
    }

    /// `const { key } = <lo..hi>`.
    fn eval_member(
        &self,
        lo: usize,
        hi: usize,
        key: &str,
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        if let Some(found) = self.dict_lookup(lo, hi, key, depth + 1, budget) {
            return self.eval_found(found, depth + 1, budget);
        }
        let text = self.snippet(lo, hi);
        match self.eval(lo, hi, depth + 1, budget) {
            EndpointName::Dynamic { why, .. } if why.starts_with("built from the request") => {
                EndpointName::Dynamic { span, why: format!("built from the request (`{key}` of {text})") }
            }
            _ => EndpointName::Dynamic { span, why: format!("destructured from {text}") },
        }
    }

    fn eval_found(&self, found: Found, depth: u32, budget: &mut u32) -> EndpointName {
        match found {
            Found::Expr(lo, hi) => self.eval(lo, hi, depth, budget),
            Found::Short(i) => self.resolve_name(self.t(i), i, depth, budget),
        }
    }

    /// Strips parentheses and, in TypeScript, `as T` / `satisfies T` / non-null `!`.
    fn trim(&self, mut lo: usize, mut hi: usize) -> (usize, usize) {
        hi = hi.min(self.len());
        for _ in 0..64 {
            if lo >= hi {
                break;
            }
            if self.is_p(lo, "(") && self.close_of(lo) == hi - 1 {
                lo += 1;
                hi -= 1;
                continue;
            }
            if self.lang == Language::JavaScript {
                if hi - 1 > lo && self.is_p(hi - 1, "!") {
                    hi -= 1;
                    continue;
                }
                if let Some(k) =
                    self.find_top(self.skip(lo), hi, |k| self.is_id(k, "as") || self.is_id(k, "satisfies"))
                {
                    hi = k;
                    continue;
                }
                // TypeScript's older cast syntax: `<string>process.env.X`.
                if hi > lo + 3 && self.is_p(lo, "<") && self.ident(lo + 1).is_some() && self.is_p(lo + 2, ">")
                {
                    lo += 3;
                    continue;
                }
            }
            break;
        }
        (lo, hi)
    }

    /// Folds the expression `lo..hi` at its position in the file into an endpoint name.
    fn eval(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let hi = hi.min(self.len());
        if lo >= hi {
            return EndpointName::Dynamic {
                span: self.span(lo, lo + 1),
                why: "an expression sagelint could not read".to_owned(),
            };
        }
        if hi - lo > MAX_EXPR {
            return EndpointName::Dynamic { span: self.span(lo, hi), why: "a long expression".to_owned() };
        }
        let (lo, hi) = self.trim(lo, hi);
        let span = self.span(lo, hi);
        if lo >= hi {
            return EndpointName::Dynamic { span, why: "an expression sagelint could not read".to_owned() };
        }
        if depth > MAX_DEPTH || *budget == 0 {
            return EndpointName::Dynamic {
                span,
                why: "too many levels of indirection to follow".to_owned(),
            };
        }
        *budget -= 1;
        let js = self.lang == Language::JavaScript;

        // `X or "d"`, `X ?? "d"`, `X || "d"`: the default of an environment read.
        let fallback =
            |k: usize| if js { self.is_p(k, "??") || self.is_p(k, "||") } else { self.is_id(k, "or") };
        if let Some(op) = self.find_top(lo, hi, fallback) {
            let left = self.eval(lo, op, depth + 1, budget);
            return match left {
                EndpointName::EnvVar { var, span, default: None } => {
                    let default = literal_of(self.eval(op + 1, hi, depth + 1, budget));
                    EndpointName::EnvVar { var, span, default }
                }
                EndpointName::EnvVar { .. } | EndpointName::Literal { .. } => left,
                _ => EndpointName::Dynamic {
                    span,
                    why: format!("a fallback expression ({})", self.snippet(lo, hi)),
                },
            };
        }
        let conditional = |k: usize| if js { self.is_p(k, "?") } else { self.is_id(k, "if") };
        if self.find_top(self.skip(lo), hi, conditional).is_some() {
            return EndpointName::Dynamic {
                span,
                why: format!("a conditional expression ({})", self.snippet(lo, hi)),
            };
        }
        if let Some(hit) = self.env_at.get(&lo) {
            if hit.end == hi {
                let default = hit.default.and_then(|(a, z)| literal_of(self.eval(a, z, depth + 1, budget)));
                return EndpointName::EnvVar { var: hit.var.clone(), span: hit.span, default };
            }
        }
        if (lo..hi).all(|k| self.kind(k) == Some(Kind::Str)) {
            return self.fold_literals(lo, hi, depth, budget);
        }
        if hi == lo + 1 {
            if let Some(name) = self.ident(lo) {
                if matches!(name, "None" | "null" | "undefined") {
                    return EndpointName::Dynamic { span, why: format!("no value (`{name}`)") };
                }
                return self.resolve_name(name, lo, depth, budget);
            }
        }
        if hi == lo + 3 && (self.is_id(lo, "self") || self.is_id(lo, "this")) && self.is_p(lo + 1, ".") {
            if let Some(attr) = self.ident(lo + 2) {
                if let Some(list) = self.assigns.get(&(attr, ATTR)) {
                    return self.resolve_list(&self.snippet(lo, hi), list, span, depth, budget);
                }
            }
        }
        // `config.endpointName` with `const config = { endpointName: … }` (JavaScript only: in
        // Python a dict's keys are not attributes).
        if self.lang == Language::JavaScript
            && hi == lo + 3
            && self.ident(lo).is_some()
            && (self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?."))
            && let Some(attr) = self.ident(lo + 2)
            && let Some(found) = self.dict_lookup(lo, lo + 1, attr, depth + 1, budget)
        {
            return self.eval_found(found, depth + 1, budget);
        }
        self.why_dynamic(lo, hi, depth, budget)
    }

    fn fold_literals(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let span = self.span(lo, hi);
        let mut value = String::new();
        for k in lo..hi {
            let Some(lit) = self.lit(k) else {
                return EndpointName::Dynamic { span, why: "a string sagelint could not read".to_owned() };
            };
            if lit.has_subs {
                if self.lang == Language::Python {
                    return EndpointName::Dynamic { span, why: "an f-string".to_owned() };
                }
                if hi == lo + 1 && lit.value.is_empty() && lit.subs.len() == 1 {
                    return self.eval_template_sub(lo, lit.subs[0], depth, budget);
                }
                return EndpointName::Dynamic {
                    span,
                    why: "a template literal with substitutions".to_owned(),
                };
            }
            value.push_str(&lit.value);
        }
        EndpointName::Literal { value, span }
    }

    /// A template literal that is exactly `${expr}`: re-lexes the substitution and folds the simple
    /// shapes (a name, a string, an environment read with an optional literal default).
    fn eval_template_sub(
        &self,
        at: usize,
        (s, e): (usize, usize),
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let span = self.span(at, at + 1);
        let text: &'a str = self.text;
        let sub = lex_js(text, s, e);
        let tx = |t: &Tok| text.get(t.start..t.end).unwrap_or("");
        let is_default_op = |t: &Tok| t.kind == Kind::Punct && matches!(tx(t), "??" | "||");
        let env = js_env_pattern(text, &sub, 0);
        match (sub.as_slice(), env) {
            ([t], _) if t.kind == Kind::Ident => self.resolve_name(tx(t), at, depth + 1, budget),
            ([t], _) if t.kind == Kind::Str && t.lit.as_ref().is_some_and(|l| !l.has_subs) => {
                EndpointName::Literal {
                    value: t.lit.as_ref().map(|l| l.value.clone()).unwrap_or_default(),
                    span: Span::from_range(t.start, t.end),
                }
            }
            (toks, Some((var, end))) => {
                let read_span = Span::from_range(toks[0].start, toks[end - 1].end);
                let default = match toks.get(end..) {
                    Some([]) => Some(None),
                    Some([op, d]) if is_default_op(op) && d.kind == Kind::Str => {
                        Some(d.lit.as_ref().filter(|l| !l.has_subs).map(|l| l.value.clone()))
                    }
                    _ => None,
                };
                match default {
                    Some(default) => EndpointName::EnvVar { var, span: read_span, default },
                    None => EndpointName::Dynamic {
                        span,
                        why: "a template literal with substitutions".to_owned(),
                    },
                }
            }
            _ => EndpointName::Dynamic { span, why: "a template literal with substitutions".to_owned() },
        }
    }

    /// Explains why `lo..hi` cannot be folded.
    fn why_dynamic(&self, lo: usize, hi: usize, depth: u32, budget: &mut u32) -> EndpointName {
        let span = self.span(lo, hi);
        let text = self.snippet(lo, hi);
        let dynamic = |why: String| EndpointName::Dynamic { span, why };
        let mut param_hit: Option<&str> = None;
        for k in lo..hi {
            let Some(w) = self.ident(k) else { continue };
            if self.after_dot(k) || (self.lang == Language::Python && self.is_p(k + 1, "=")) {
                continue;
            }
            match self.lookup(w, k) {
                Binding::Param { request: true, .. } => {
                    return dynamic(format!("built from the request ({text})"));
                }
                Binding::Param { request: false, .. } => {
                    param_hit.get_or_insert(w);
                }
                _ => {}
            }
        }
        // `body["endpoint"]` where `body = json.loads(event["body"])`.
        if let Some(w) = self.ident(lo) {
            if hi > lo + 1 && (self.is_p(lo + 1, "[") || self.is_p(lo + 1, ".") || self.is_p(lo + 1, "?.")) {
                if let Binding::Assigned(_) = self.lookup(w, lo) {
                    if let EndpointName::Dynamic { why, .. } = self.resolve_name(w, lo, depth + 1, budget) {
                        if why.starts_with("built from the request") {
                            return dynamic(format!("built from the request ({text})"));
                        }
                    }
                }
            }
        }
        let parses_json = (lo..hi).any(|k| {
            k >= 2
                && ((self.is_id(k, "loads") && self.is_id(k - 2, "json"))
                    || (self.is_id(k, "parse") && self.is_id(k - 2, "JSON")))
        });
        if parses_json {
            return dynamic(format!("built from the request ({text})"));
        }
        if let Some(p) = param_hit {
            return dynamic(format!("built from the function parameter `{p}` ({text})"));
        }
        if self.find_top(lo, hi, |k| self.is_p(k, "+")).is_some() {
            return dynamic(format!("built by concatenation ({text})"));
        }
        if self.lang == Language::Python && self.find_top(lo, hi, |k| self.is_p(k, "%")).is_some() {
            return dynamic(format!("built with %-formatting ({text})"));
        }
        if self
            .find_top(lo, hi, |k| self.is_p(k, ".") && self.is_id(k + 1, "format") && self.is_p(k + 2, "("))
            .is_some()
        {
            return dynamic(format!("built with str.format ({text})"));
        }
        if self.is_p(hi - 1, ")") {
            let open = self.open.get(hi - 1).copied().unwrap_or(NONE);
            if open != NONE && open > lo {
                return dynamic(format!("the result of calling `{}`", self.snippet(lo, open)));
            }
        }
        if self.is_p(hi - 1, "]") || self.is_p(lo + 1, ".") {
            return dynamic(format!("read from {text}"));
        }
        dynamic(format!("an expression that cannot be resolved statically ({text})"))
    }

    /// Finds `key` in the dict / object expression `lo..hi` (a literal, `dict(...)`, or a name bound to
    /// one, including later `x["key"] = v` / `x.key = v` assignments and spreads).
    fn dict_lookup(&self, lo: usize, hi: usize, key: &str, depth: u32, budget: &mut u32) -> Option<Found> {
        if depth > MAX_DEPTH || *budget == 0 {
            return None;
        }
        *budget -= 1;
        let (lo, hi) = self.trim(lo, hi);
        if lo >= hi || hi - lo > MAX_EXPR * 8 {
            return None;
        }
        let js = self.lang == Language::JavaScript;
        if self.is_p(lo, "{") && self.close_of(lo) == hi - 1 {
            let mut found = None;
            for (s, e) in self.split(lo + 1, hi - 1) {
                let key_matches = self.str_value(s) == Some(key) || (js && self.is_id(s, key));
                if key_matches && self.is_p(s + 1, ":") {
                    found = Some(Found::Expr(s + 2, e));
                } else if js && e == s + 1 && self.is_id(s, key) {
                    found = Some(Found::Short(s));
                } else if self.is_p(s, "**") || self.is_p(s, "...") {
                    if let Some(f) = self.dict_lookup(s + 1, e, key, depth + 1, budget) {
                        found = Some(f);
                    }
                }
            }
            return found;
        }
        if !js && self.is_id(lo, "dict") && self.is_p(lo + 1, "(") && self.close_of(lo + 1) == hi - 1 {
            return self.py_kwarg(lo + 1, key, depth + 1, budget);
        }
        if hi == lo + 1 {
            let name = self.ident(lo)?;
            if let Some(v) = self.members.get(&(name, key.to_owned())).and_then(|v| v.last()) {
                return Some(Found::Expr(v.0, v.1));
            }
            if let Binding::Assigned(list) = self.lookup(name, lo) {
                for x in list.iter().rev().take(MAX_ASSIGNS) {
                    if let AssignVal::Expr(a, z) = x.val {
                        if let Some(f) = self.dict_lookup(a, z, key, depth + 1, budget) {
                            return Some(f);
                        }
                    }
                }
            }
        }
        None
    }

    /// A Python keyword argument `key=` of the call at `open`, also through `**d`.
    fn py_kwarg(&self, open: usize, key: &str, depth: u32, budget: &mut u32) -> Option<Found> {
        let args = self.args(open);
        if let Some(a) = args.iter().find(|a| a.kw == Some(key)) {
            return Some(Found::Expr(a.lo, a.hi));
        }
        args.iter().filter(|a| a.star == 2).find_map(|a| self.dict_lookup(a.lo, a.hi, key, depth + 1, budget))
    }

    fn env_hit(
        &mut self,
        start: usize,
        end: usize,
        var: String,
        default: Option<(usize, usize)>,
        has_default: bool,
    ) {
        let span = self.span(start, end);
        self.env_reads.push(EnvRead { var: var.clone(), span, has_default });
        self.env_at.insert(start, EnvHit { var, span, end, default });
    }

    // ---- Python --------------------------------------------------------------------------------

    /// Function/class scopes and `try` bodies, from indentation.
    fn py_structure(&mut self) {
        enum Blk {
            Scope(usize),
            Try(usize),
        }
        let len = self.len();
        let mut stack: Vec<(u32, Blk)> = Vec::new();
        let mut trys: Vec<(usize, usize, bool)> = Vec::new();
        let mut defs: Vec<py_indirect::PyDef> = Vec::new();
        for i in 0..len {
            if !self.toks[i].bol {
                continue;
            }
            let ind = self.toks[i].indent;
            while stack.last().is_some_and(|(top, _)| *top >= ind) {
                let Some((top, blk)) = stack.pop() else { break };
                match blk {
                    Blk::Scope(s) => self.scopes[s].end = i,
                    Blk::Try(k) => {
                        trys[k].1 = i;
                        trys[k].2 = top == ind && self.is_id(i, "except") && !self.py_excepts_all_reraise(i);
                    }
                }
            }
            let h = if self.is_id(i, "async") { i + 1 } else { i };
            if self.is_id(h, "def") || self.is_id(h, "class") {
                let name = self.ident(h + 1).unwrap_or("");
                let mut params = Vec::new();
                let mut j = h + 2;
                if self.is_p(j, "(") {
                    params = self.py_params(j);
                    j = self.skip(j);
                }
                let colon = self.find_top(j, len, |k| self.is_p(k, ":") || self.bol(k));
                let start = colon.filter(|&k| self.is_p(k, ":")).map_or(j, |k| k + 1);
                let is_handler = self.is_id(h, "def") && name.to_ascii_lowercase().contains("handler");
                let request_param = if is_handler { params.first().copied() } else { None };
                let s = self.scopes.len();
                self.scopes.push(Scope { parent: MODULE, start, end: len, request_param, def: None });
                if self.is_id(h, "def") {
                    self.scopes[s].def = Some(self.py_def_sig(name, h + 2));
                    for p in params {
                        self.params.insert((p, s));
                    }
                    let decorators = self.py_decorators(i);
                    defs.push(py_indirect::PyDef { name_tok: h + 1, scope: s, decorators });
                } else {
                    let class =
                        FnSig { name, params: Vec::new(), method: false, positional: 0, is_class: true };
                    self.scopes[s].def = Some(class);
                }
                stack.push((ind, Blk::Scope(s)));
            } else if self.is_id(i, "try") && self.is_p(i + 1, ":") {
                trys.push((i + 2, len, false));
                stack.push((ind, Blk::Try(trys.len() - 1)));
            }
        }
        self.compute_scope_of();
        self.index_call_sites();
        let ranges: Vec<(usize, usize)> = trys.iter().filter(|t| t.2).map(|t| (t.0, t.1)).collect();
        self.mark_protected(&ranges);
        self.py_protect_indirect(&defs);
    }

    fn index_call_sites(&mut self) {
        let mut sites: HashMap<&'a str, Vec<usize>> =
            self.scopes.iter().filter_map(|s| s.def.as_ref()).map(|d| (d.name, Vec::new())).collect();
        for k in 0..self.len() {
            let defining = k > 0 && ["def", "class", "function"].iter().any(|w| self.is_id(k - 1, w));
            if self.is_p(k + 1, "(") && !defining {
                if let Some(list) = self.ident(k).and_then(|name| sites.get_mut(name)) {
                    list.push(k);
                }
            }
        }
        self.call_sites = sites;
    }

    /// The value a function's parameter has, when every call of the function in this file passes
    /// the same one (or leaves the same default): `def predict(endpoint_name, payload)` called as
    /// `predict(os.environ["ENDPOINT_NAME"], body)`. `None` when there is no call here
    /// (the function is called from another module) or a call cannot be read.
    fn param_from_callers(
        &self,
        name: &str,
        scope: usize,
        span: Span,
        depth: u32,
        budget: &mut u32,
    ) -> Option<EndpointName> {
        let sig = self.scopes.get(scope)?.def.as_ref()?;
        let index = sig.params.iter().position(|(p, _)| *p == name)?;
        let default = sig.params[index].1;
        // `__init__` is called through its class: `Ranker(…)` or `models.Ranker(…)`.
        let class = (sig.name == "__init__")
            .then(|| self.scopes[scope].parent)
            .and_then(|p| self.scopes.get(p)?.def.as_ref())
            .filter(|c| c.is_class);
        let sites = self.call_sites.get(class.map_or(sig.name, |c| c.name))?;
        let mut first: Option<EndpointName> = None;
        // A method is called as `self.m(…)`/`obj.m(…)`, a function by its bare name.
        let calls: Vec<usize> =
            sites.iter().copied().filter(|&k| class.is_some() || self.after_dot(k) == sig.method).collect();
        if calls.len() > MAX_ASSIGNS {
            return None;
        }
        for k in calls {
            let args = self.args(k + 1);
            if args.iter().any(|a| a.star > 0) {
                return None;
            }
            let by_position =
                || args.iter().filter(|a| a.kw.is_none()).nth(index).filter(|_| index < sig.positional);
            let expr = args.iter().find(|a| a.kw == Some(name)).or_else(by_position).map(|a| (a.lo, a.hi));
            let (lo, hi) = expr.or(default)?;
            let value = self.eval(lo, hi, depth + 1, budget);
            match &first {
                None if matches!(value, EndpointName::Dynamic { .. }) => return Some(value),
                None => first = Some(value),
                Some(f) if same_value(f, &value) => {}
                Some(_) => {
                    return Some(EndpointName::Dynamic {
                        span,
                        why: format!(
                            "a function parameter `{name}`, which its callers set to different values"
                        ),
                    });
                }
            }
        }
        first
    }

    /// The signature of the `def` whose parameter list opens at `open`.
    fn py_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
        let close = self.close_of(open).min(self.len());
        let mut params = Vec::new();
        let mut positional = None;
        for (lo, hi) in self.split(open + 1, close) {
            if self.is_p(lo, "*") || self.is_p(lo, "**") || self.is_p(lo, "/") {
                // `/` ends the positional-only ones, which are still positional.
                if !self.is_p(lo, "/") {
                    positional.get_or_insert(params.len());
                }
                continue;
            }
            let Some(param) = self.ident(lo) else { continue };
            let default = self.find_top(lo, hi, |k| self.is_p(k, "=")).map(|eq| (eq + 1, hi));
            params.push((param, default));
        }
        let method = matches!(params.first(), Some(&("self" | "cls", _)));
        if method {
            params.remove(0);
        }
        let positional = positional.map_or(params.len(), |p| p.saturating_sub(usize::from(method)));
        FnSig { name, params, method, positional, is_class: false }
    }

    fn py_params(&self, open: usize) -> Vec<&'a str> {
        let close = self.close_of(open).min(self.len());
        (open + 1..close)
            .filter(|&j| {
                self.parent[j] == open
                    && self.ident(j).is_some()
                    && (self.prev_is(j, "(")
                        || self.prev_is(j, ",")
                        || self.prev_is(j, "*")
                        || self.prev_is(j, "**"))
            })
            .map(|j| self.t(j))
            .collect()
    }

    /// End of the statement starting at `i`: the next logical line or top-level `;`.
    fn py_stmt_end(&self, i: usize) -> usize {
        let mut j = self.skip(i);
        while j < self.len() && !self.bol(j) && !self.is_p(j, ";") {
            j = self.skip(j);
        }
        j.min(self.len())
    }

    fn py_assignments(&mut self) {
        let mut line_first = 0;
        for i in 0..self.len() {
            if self.bol(i) {
                line_first = i;
            }
            let after_header = i > 0
                && self.parent[i] == NONE
                && (self.is_p(i - 1, ";")
                    || (self.is_p(i - 1, ":")
                        && matches!(
                            self.t(line_first),
                            "if" | "elif" | "else" | "try" | "except" | "finally" | "for" | "while" | "with"
                        )));
            if !self.bol(i) && !after_header {
                continue;
            }
            let scope = self.scope_of[i];
            let end = self.py_stmt_end(i);
            if self.is_id(i, "for") || (self.is_id(i, "async") && self.is_id(i + 1, "for")) {
                let stop = self.find_top(i + 1, end, |k| self.is_id(k, "in")).unwrap_or(i);
                for k in i + 1..stop {
                    if let Some(name) = self.ident(k) {
                        if name != "for" {
                            self.add_assign(name, scope, k, AssignVal::Why("a loop variable".to_owned()));
                        }
                    }
                }
                continue;
            }
            let Some(name) = self.ident(i) else { continue };
            if self.is_p(i + 1, "=") {
                // `a = b = expr`: the value is after the last `=`.
                let mut eq = i + 1;
                let mut k = i + 1;
                while k < end {
                    if self.is_p(k, "=") {
                        eq = k;
                    }
                    k = self.skip(k);
                }
                self.add_assign(name, scope, i, AssignVal::Expr(eq + 1, end));
            } else if self.is_p(i + 1, ":") {
                if let Some(eq) = self.find_top(i + 2, end, |k| self.is_p(k, "=")) {
                    self.add_assign(name, scope, i, AssignVal::Expr(eq + 1, end));
                }
            } else if self.kind(i + 1) == Some(Kind::Punct) && is_augmented(self.t(i + 1)) {
                let why = format!("changed with `{}`", self.t(i + 1));
                self.add_assign(name, scope, i, AssignVal::Why(why));
            } else if self.is_p(i + 1, ",") {
                if let Some(eq) = self.find_top(i, end, |k| self.is_p(k, "=")) {
                    for k in i..eq {
                        if let Some(n) = self.ident(k) {
                            self.add_assign(n, scope, k, AssignVal::Why("unpacked from a tuple".to_owned()));
                        }
                    }
                }
            } else if name == "self" && self.is_p(i + 1, ".") && self.is_p(i + 3, "=") {
                if let Some(attr) = self.ident(i + 2) {
                    self.add_assign(attr, ATTR, i + 2, AssignVal::Expr(i + 4, end));
                }
            } else if self.is_p(i + 1, "[") && self.close_of(i + 1) == i + 3 && self.is_p(i + 4, "=") {
                if let Some(key) = self.str_value(i + 2).map(str::to_owned) {
                    self.add_member(name, key, (i + 5, end));
                }
            }
        }
    }

    fn py_env_reads(&mut self) {
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if w != "environ" && w != "getenv" {
                continue;
            }
            let start = if self.after_dot(i) {
                if i >= 2 && self.is_id(i - 2, "os") {
                    i - 2
                } else {
                    continue;
                }
            } else {
                i
            };
            let (var_tok, end, default) = if w == "environ" && self.is_p(i + 1, "[") {
                let close = self.close_of(i + 1);
                if close != i + 3 || self.is_p(close + 1, "=") {
                    continue;
                }
                (i + 2, close + 1, None)
            } else {
                let open = if w == "getenv" && self.is_p(i + 1, "(") {
                    i + 1
                } else if w == "environ"
                    && self.is_p(i + 1, ".")
                    && self.is_id(i + 2, "get")
                    && self.is_p(i + 3, "(")
                {
                    i + 3
                } else {
                    continue;
                };
                let args = self.args(open);
                let Some(first) = args.first().filter(|a| a.star == 0 && a.hi == a.lo + 1) else { continue };
                (first.lo, self.close_of(open) + 1, args.get(1).map(|a| (a.lo, a.hi)))
            };
            let Some(var) = self.str_value(var_tok).map(str::to_owned) else { continue };
            let has_default = default.is_some() || self.is_id(end, "or");
            self.env_hit(start, end, var, default, has_default);
        }
    }

    fn py_calls(&self) -> (Vec<InvokeCall>, bool) {
        let mut calls = Vec::new();
        let mut url = false;
        let mut wrapped: HashSet<usize> = HashSet::new();
        let imports = self.py_imports();
        let imported = |arg: Option<&Arg<'a>>, endpoint: &EndpointName| {
            let a = arg.filter(|_| matches!(endpoint, EndpointName::Dynamic { .. }))?;
            self.py_imported_ref(a.lo, a.hi, &imports)
        };
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let open = i + 1;
            let mut budget = BUDGET;
            if let Some(api) = py_method_api(w) {
                if !self.after_dot(i) {
                    continue;
                }
                let endpoint = match self.py_kwarg(open, "EndpointName", 0, &mut budget) {
                    Some(f) => self.eval_found(f, 0, &mut budget),
                    None => EndpointName::Missing,
                };
                let inference_component =
                    self.py_kwarg(open, "InferenceComponentName", 0, &mut budget).is_some();
                let name_arg = self.args(open).into_iter().find(|a| a.kw == Some("EndpointName"));
                let from_import = imported(name_arg.as_ref(), &endpoint);
                let mut call = self.call(api, i, endpoint, inference_component);
                call.imported = from_import;
                if api == InvokeApi::InvokeEndpointAsync {
                    call.input_location = self
                        .py_kwarg(open, "InputLocation", 0, &mut budget)
                        .map(|f| self.eval_found(f, 0, &mut budget));
                }
                calls.push(call);
                continue;
            }
            let declared = i > 0 && (self.is_id(i - 1, "def") || self.is_id(i - 1, "class"));
            match w {
                "Predictor" | "RealTimePredictor" if !declared && !wrapped.contains(&i) => {
                    let endpoint = self.predictor_endpoint(open, &mut budget);
                    let from_import = imported(self.predictor_name_arg(open).as_ref(), &endpoint);
                    let mut call = self.call(InvokeApi::InvokeEndpoint, i, endpoint, false);
                    call.imported = from_import;
                    call.in_error_handler = call.in_error_handler || self.py_predictions_all_handled(i);
                    calls.push(call);
                }
                "AsyncPredictor" if !declared => {
                    // `AsyncPredictor(Predictor(X))` invokes asynchronously; a predictor built elsewhere
                    // is reported where it is built.
                    let args = self.args(open);
                    let inner = args.iter().find(|a| a.kw == Some("predictor")).or_else(|| args.first());
                    if let Some(inner) = inner.filter(|a| a.star == 0 && a.hi > a.lo) {
                        let last = inner.hi - 1;
                        let inner_open = self.open.get(last).copied().unwrap_or(NONE);
                        if self.is_p(last, ")")
                            && inner_open != NONE
                            && inner_open > inner.lo
                            && matches!(self.t(inner_open - 1), "Predictor" | "RealTimePredictor")
                        {
                            wrapped.insert(inner_open - 1);
                            let endpoint = self.predictor_endpoint(inner_open, &mut budget);
                            calls.push(self.call(InvokeApi::InvokeEndpointAsync, i, endpoint, false));
                        }
                    }
                }
                "client" => {
                    let args = self.args(open);
                    let runtime = args.iter().any(|a| {
                        (a.kw.is_none() || a.kw == Some("service_name"))
                            && a.hi == a.lo + 1
                            && self.str_value(a.lo).is_some_and(|v| PY_RUNTIME_SERVICES.contains(&v))
                    });
                    if runtime && args.iter().any(|a| a.kw == Some("endpoint_url")) {
                        url = true;
                    }
                }
                _ => {}
            }
        }
        (calls, url)
    }

    /// Whether the predictor built at token `i` (`predictor = sagemaker.predictor.Predictor(…)`)
    /// is used, and only inside error handlers: the SDK call, and its errors, happen in
    /// `predictor.predict(…)`, not where the predictor is built.
    fn py_predictions_all_handled(&self, i: usize) -> bool {
        let mut start = i;
        while start >= 2 && self.is_p(start - 1, ".") && self.ident(start - 2).is_some() {
            start -= 2;
        }
        let Some(name) = start.checked_sub(2).filter(|&s| self.is_p(s + 1, "=")).and_then(|s| self.ident(s))
        else {
            return false;
        };
        let mut uses = (0..self.len()).filter(|&k| {
            self.is_id(k, name)
                && self.is_p(k + 1, ".")
                && self.is_id(k + 2, "predict")
                && self.is_p(k + 3, "(")
        });
        let mut any = false;
        uses.all(|k| {
            any = true;
            self.protected.get(k).copied().unwrap_or(false)
        }) && any
    }

    /// The argument of `Predictor(…)` that names the endpoint.
    fn predictor_name_arg(&self, open: usize) -> Option<Arg<'a>> {
        let args = self.args(open);
        let at = args
            .iter()
            .position(|a| a.kw == Some("endpoint_name"))
            .or_else(|| args.first().filter(|a| a.kw.is_none() && a.star == 0).map(|_| 0))?;
        args.into_iter().nth(at)
    }

    fn predictor_endpoint(&self, open: usize, budget: &mut u32) -> EndpointName {
        match self.predictor_name_arg(open) {
            Some(a) => self.eval(a.lo, a.hi, 0, budget),
            None => EndpointName::Missing,
        }
    }

    fn call(
        &self,
        api: InvokeApi,
        i: usize,
        endpoint: EndpointName,
        inference_component: bool,
    ) -> InvokeCall {
        InvokeCall {
            api,
            callee: self.t(i).to_owned(),
            span: self.span(i, i + 1),
            endpoint,
            in_error_handler: self.protected.get(i).copied().unwrap_or(false),
            inference_component,
            input_location: None,
            imported: None,
            endpoint_file: None,
        }
    }

    // ---- JavaScript ----------------------------------------------------------------------------

    /// Whether the `{` at `i` opens a statement block, judged by the token before it.
    fn js_is_block(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let p = i - 1;
        match self.kind(p) {
            Some(Kind::Punct) => matches!(self.t(p), ")" | ";" | "{" | "}" | "=>" | ">"),
            Some(Kind::Ident) => !matches!(
                self.t(p),
                "return"
                    | "const"
                    | "let"
                    | "var"
                    | "typeof"
                    | "yield"
                    | "await"
                    | "in"
                    | "of"
                    | "case"
                    | "import"
                    | "export"
            ),
            _ => false,
        }
    }

    /// Whether token `j` (which follows a line break) continues the expression of token `p`.
    fn js_continues(&self, p: usize, j: usize) -> bool {
        let cur = self.t(j);
        if self.kind(j) == Some(Kind::Punct)
            && !matches!(cur, "(" | "[" | "{" | "!" | "++" | "--" | "~" | ";" | "#")
        {
            return true;
        }
        if self.kind(j) == Some(Kind::Ident) && matches!(cur, "as" | "satisfies" | "in" | "instanceof") {
            return true;
        }
        match self.kind(p) {
            Some(Kind::Punct) => !matches!(self.t(p), ")" | "]" | "}" | "++" | "--" | ";"),
            Some(Kind::Ident) => {
                matches!(self.t(p), "new" | "await" | "typeof" | "void" | "delete" | "yield")
            }
            _ => false,
        }
    }

    /// End of the expression starting at `s`: a top-level `,` or `;`, the enclosing closer, or a line
    /// break that ends the statement.
    ///
    /// The scan steps over bracketed groups from `s`; once past `s`, where it stops depends only on
    /// the token it has reached, so that part is read from `expr_stop`. Scanning afresh for each
    /// expression cost the length of the statement per arrow function, quadratic in nested
    /// `a => b => … => x` and in chained assignments.
    fn js_expr_end(&self, s: usize) -> usize {
        let len = self.len();
        if s >= len {
            return len;
        }
        if self.is_close(s) || self.is_p(s, ",") || self.is_p(s, ";") {
            return s;
        }
        debug_assert_eq!(self.expr_stop.len(), len, "js_structure fills expr_stop first");
        self.expr_stop.get(self.skip(s)).copied().unwrap_or(len)
    }

    /// `expr_stop`, from the last token back: a token where the scan stops is its own answer,
    /// any other has the answer of the token after its group.
    fn js_expr_stops(&self) -> Vec<usize> {
        let len = self.len();
        let mut stop = vec![len; len];
        for i in (1..len).rev() {
            let here = self.is_close(i)
                || self.is_p(i, ",")
                || self.is_p(i, ";")
                || (self.bol(i) && !self.js_continues(i - 1, i));
            stop[i] = if here { i } else { stop.get(self.skip(i)).copied().unwrap_or(len) };
        }
        stop
    }

    /// The `=` of a declarator whose name ends before `j`, skipping a TypeScript annotation.
    fn js_find_init(&self, j: usize) -> Option<usize> {
        if self.is_p(j, "=") {
            return Some(j);
        }
        if !self.is_p(j, ":") && !self.is_p(j, "!") {
            return None;
        }
        let mut angle = 0i32;
        let mut k = j + 1;
        while k < self.len() {
            if angle <= 0 && self.is_p(k, "=") {
                return Some(k);
            }
            if self.is_p(k, "<") {
                angle += 1;
            } else if self.is_p(k, ">") {
                angle -= 1;
            } else if self.is_p(k, ">>") {
                angle -= 2;
            }
            if angle <= 0
                && (self.is_p(k, ",")
                    || self.is_p(k, ";")
                    || self.is_close(k)
                    || (k > j + 1 && self.bol(k) && !self.js_continues(k - 1, k)))
            {
                return None;
            }
            k = self.skip(k);
        }
        None
    }

    fn js_params(&self, open: usize) -> Vec<&'a str> {
        let close = self.close_of(open).min(self.len());
        (open + 1..close)
            .filter(|&j| {
                self.ident(j).is_some()
                    && (self.prev_is(j, "(")
                        || self.prev_is(j, ",")
                        || self.prev_is(j, "{")
                        || self.prev_is(j, "[")
                        || self.prev_is(j, "..."))
                    && [",", ")", "}", "]", "=", ":", "?"].iter().any(|p| self.is_p(j + 1, p))
            })
            .map(|j| self.t(j))
            .collect()
    }

    /// The name a function expression is assigned to (`const handler = async (event) => …`).
    /// The token of that name.
    fn js_name_before(&self, i: usize) -> Option<usize> {
        let mut k = i.checked_sub(1)?;
        if self.is_id(k, "async") {
            k = k.checked_sub(1)?;
        }
        if self.is_p(k, "=") || self.is_p(k, ":") {
            let name = k.checked_sub(1)?;
            return self.ident(name).map(|_| name);
        }
        None
    }

    /// Adds a function body as a scope; a named function is also recorded in `defs`.
    fn js_add_scope(
        &mut self,
        (start, end): (usize, usize),
        params: Vec<&'a str>,
        name_tok: Option<usize>,
        defs: &mut Vec<js_indirect::JsDef>,
    ) {
        let name = name_tok.and_then(|t| self.ident(t));
        let is_handler = name.is_some_and(|n| n.to_ascii_lowercase().contains("handler"));
        let request_param = if is_handler { params.first().copied() } else { None };
        let s = self.scopes.len();
        let end = end.min(self.len());
        self.scopes.push(Scope { parent: MODULE, start, end, request_param, def: None });
        for p in params {
            self.params.insert((p, s));
        }
        // `catch (e) { … }` reads like a method but names nothing.
        if let Some(name_tok) = name_tok.filter(|_| name.is_some_and(|n| n != "catch")) {
            defs.push(js_indirect::JsDef { name_tok, body: (start, end) });
        }
    }

    fn js_structure(&mut self) {
        let len = self.len();
        self.expr_stop = self.js_expr_stops();
        for i in 0..len {
            if self.is_p(i, "{") {
                self.block[i] = self.js_is_block(i);
            }
        }
        let mut trys = Vec::new();
        let mut defs = Vec::new();
        for i in 0..len {
            if self.is_id(i, "try") && self.is_p(i + 1, "{") {
                let close = self.close_of(i + 1);
                if self.is_id(close + 1, "catch") {
                    trys.push((i + 2, close));
                }
            } else if self.is_id(i, "function") {
                let mut j = i + 1;
                if self.is_p(j, "*") {
                    j += 1;
                }
                let name = self.ident(j).map(|_| j).or_else(|| self.js_name_before(i));
                if self.ident(j).is_some() {
                    j += 1;
                }
                if !self.is_p(j, "(") {
                    continue;
                }
                let params = self.js_params(j);
                let after = self.close_of(j) + 1;
                let body =
                    self.find_top(after, (after + 64).min(len), |k| self.is_p(k, "{") || self.is_p(k, ";"));
                if let Some(b) = body.filter(|&b| self.is_p(b, "{")) {
                    self.js_add_scope((b + 1, self.close_of(b)), params, name, &mut defs);
                }
            } else if self.is_p(i, "=>") && i > 0 {
                let (params, name) = if self.is_p(i - 1, ")") {
                    let o = self.open[i - 1];
                    if o == NONE {
                        continue;
                    }
                    (self.js_params(o), self.js_name_before(o))
                } else if let Some(p) = self.ident(i - 1) {
                    (vec![p], self.js_name_before(i - 1))
                } else {
                    continue;
                };
                if self.is_p(i + 1, "{") {
                    self.js_add_scope((i + 2, self.close_of(i + 1)), params, name, &mut defs);
                } else {
                    let end = self.js_expr_end(i + 1);
                    self.js_add_scope((i + 1, end), params, name, &mut defs);
                }
            } else if let Some(w) = self.ident(i) {
                // Methods (`handler(event) { … }`) and `catch (e) { … }`.
                if !self.is_p(i + 1, "(")
                    || matches!(w, "if" | "for" | "while" | "switch" | "with" | "function" | "return")
                    || (i > 0 && self.is_id(i - 1, "function"))
                {
                    continue;
                }
                let close = self.close_of(i + 1);
                if self.is_p(close + 1, "{") {
                    let params = self.js_params(i + 1);
                    self.js_add_scope((close + 2, self.close_of(close + 1)), params, Some(i), &mut defs);
                }
            }
        }
        self.compute_scope_of();
        self.mark_protected(&trys);
        self.js_protect_indirect(&defs);
        self.js_signatures();
        self.index_call_sites();
    }

    /// Names and parameter lists of the file's named functions: `function f(a, b) {…}`,
    /// `const f = async (a, b) => …` and `f = function (a, b) {…}`, tied to the scopes
    /// `js_structure` made for their bodies.
    fn js_signatures(&mut self) {
        let by_start: HashMap<usize, usize> =
            self.scopes.iter().enumerate().map(|(s, x)| (x.start, s)).collect();
        for i in 0..self.len() {
            let Some(name) = self.ident(i) else { continue };
            let (open, named_at) =
                if name == "function" && self.ident(i + 1).is_some() && self.is_p(i + 2, "(") {
                    (i + 2, i + 1)
                } else if self.is_p(i + 1, "=") && !self.after_dot(i) {
                    let mut j = i + 2;
                    if self.is_id(j, "async") {
                        j += 1;
                    }
                    if self.is_id(j, "function") {
                        j += 1;
                    }
                    if !self.is_p(j, "(") {
                        continue;
                    }
                    (j, i)
                } else {
                    continue;
                };
            let close = self.close_of(open);
            let body = match () {
                () if self.is_p(close + 1, "{") => close + 2,
                () if self.is_p(close + 1, "=>") && self.is_p(close + 2, "{") => close + 3,
                () if self.is_p(close + 1, "=>") => close + 2,
                () => continue,
            };
            if let Some(&s) = by_start.get(&body) {
                let sig = self.js_def_sig(self.t(named_at), open);
                self.scopes[s].def = Some(sig);
            }
        }
    }

    /// Each top-level piece of the parameter list is one positional parameter; a destructuring
    /// pattern takes its place but has no name to follow, and `...rest` ends the positional ones.
    fn js_def_sig(&self, name: &'a str, open: usize) -> FnSig<'a> {
        let close = self.close_of(open).min(self.len());
        let mut params = Vec::new();
        let mut positional = None;
        for (lo, hi) in self.split(open + 1, close) {
            if self.is_p(lo, "...") {
                positional.get_or_insert(params.len());
                continue;
            }
            let default = self.find_top(lo, hi, |k| self.is_p(k, "=")).map(|eq| (eq + 1, hi));
            params
                .push((self.ident(lo).filter(|_| hi == lo + 1 || default.is_some()).unwrap_or(""), default));
        }
        let positional = positional.unwrap_or(params.len());
        FnSig { name, params, method: false, positional, is_class: false }
    }

    fn js_assignments(&mut self) {
        for i in 0..self.len() {
            let Some(w) = self.ident(i) else { continue };
            if matches!(w, "const" | "let" | "var") && !self.after_dot(i) {
                self.js_declaration(i);
                continue;
            }
            // After `:` an identifier is a TypeScript annotation or an object key, not an assignment target.
            if self.after_dot(i) || (i > 0 && matches!(self.t(i - 1), "const" | "let" | "var" | "," | ":")) {
                continue;
            }
            let statement_level =
                self.parent[i] == NONE || self.block.get(self.parent[i]).copied().unwrap_or(false);
            let scope = self.scope_of[i];
            if self.is_p(i + 1, "=") && statement_level {
                let end = self.js_expr_end(i + 2);
                self.add_assign(w, scope, i, AssignVal::Expr(i + 2, end));
            } else if self.kind(i + 1) == Some(Kind::Punct) && is_augmented(self.t(i + 1)) && statement_level
            {
                let why = format!("changed with `{}`", self.t(i + 1));
                self.add_assign(w, scope, i, AssignVal::Why(why));
            } else if self.is_p(i + 1, ".") && self.ident(i + 2).is_some() && self.is_p(i + 3, "=") {
                let end = self.js_expr_end(i + 4);
                let key = self.t(i + 2);
                if w == "this" {
                    self.add_assign(key, ATTR, i + 2, AssignVal::Expr(i + 4, end));
                } else {
                    self.add_member(w, key.to_owned(), (i + 4, end));
                }
            } else if self.is_p(i + 1, "[") && self.close_of(i + 1) == i + 3 && self.is_p(i + 4, "=") {
                if let Some(key) = self.str_value(i + 2).map(str::to_owned) {
                    let end = self.js_expr_end(i + 5);
                    self.add_member(w, key, (i + 5, end));
                }
            }
        }
    }

    fn js_declaration(&mut self, i: usize) {
        let scope = self.scope_of[i];
        let mut j = i + 1;
        for _ in 0..self.len() {
            if let Some(name) = self.ident(j) {
                if self.is_id(j + 1, "of") || self.is_id(j + 1, "in") {
                    self.add_assign(name, scope, j, AssignVal::Why("a loop variable".to_owned()));
                    return;
                }
                let Some(eq) = self.js_find_init(j + 1) else { return };
                let end = self.js_expr_end(eq + 1);
                self.add_assign(name, scope, j, AssignVal::Expr(eq + 1, end));
                if !self.is_p(end, ",") {
                    return;
                }
                j = end + 1;
            } else if self.is_p(j, "{") || self.is_p(j, "[") {
                let close = self.close_of(j);
                let Some(eq) = self.js_find_init(close + 1) else { return };
                let end = self.js_expr_end(eq + 1);
                let (flo, fhi) = self.trim(eq + 1, end);
                let from_env = fhi == flo + 3
                    && self.is_id(flo, "process")
                    && self.is_p(flo + 1, ".")
                    && self.is_id(flo + 2, "env");
                let object = self.is_p(j, "{");
                for (s, e) in self.split(j + 1, close) {
                    if object {
                        self.js_pattern_entry(s, e, scope, from_env, (eq + 1, end));
                    } else if let Some(name) = self.ident(s) {
                        self.add_assign(name, scope, s, AssignVal::Why("unpacked from an array".to_owned()));
                    }
                }
                if !self.is_p(end, ",") {
                    return;
                }
                j = end + 1;
            } else {
                return;
            }
        }
    }

    /// One entry of an object pattern: `KEY`, `KEY = d`, `KEY: alias`, `KEY: alias = d`.
    fn js_pattern_entry(&mut self, s: usize, e: usize, scope: usize, from_env: bool, from: (usize, usize)) {
        let Some(key) = self.ident(s).map(str::to_owned).or_else(|| self.str_value(s).map(str::to_owned))
        else {
            return;
        };
        let (binding, default) = if e == s + 1 {
            (s, None)
        } else if self.is_p(s + 1, "=") {
            (s, Some((s + 2, e)))
        } else if self.is_p(s + 1, ":") && self.ident(s + 2).is_some() {
            (s + 2, if self.is_p(s + 3, "=") { Some((s + 4, e)) } else { None })
        } else {
            return;
        };
        let Some(name) = self.ident(binding) else { return };
        let val = if from_env {
            let span = self.span(s, s + 1);
            self.env_reads.push(EnvRead { var: key.clone(), span, has_default: default.is_some() });
            AssignVal::Env { var: key, span, default }
        } else {
            AssignVal::Member { key, from }
        };
        self.add_assign(name, scope, binding, val);
    }

    fn js_env_reads(&mut self) {
        let text: &'a str = self.text;
        for i in 0..self.len() {
            if self.after_dot(i) {
                continue;
            }
            if let Some((var, end)) = js_env_pattern(text, &self.toks, i) {
                if self.is_p(end, "=") {
                    continue;
                }
                let has_default = self.is_p(end, "??") || self.is_p(end, "||");
                self.env_hit(i, end, var, None, has_default);
            }
        }
        // Reads inside template substitutions (`${process.env.EP}`) are not in the main token stream.
        let mut work: Vec<((usize, usize), u32)> = Vec::new();
        for t in &self.toks {
            if let Some(l) = &t.lit {
                work.extend(l.subs.iter().map(|&r| (r, 0)));
            }
        }
        while let Some(((s, e), level)) = work.pop() {
            let sub = lex_js(text, s, e);
            for k in 0..sub.len() {
                let prev_dot = k > 0
                    && sub[k - 1].kind == Kind::Punct
                    && matches!(text.get(sub[k - 1].start..sub[k - 1].end), Some("." | "?."));
                if prev_dot {
                    continue;
                }
                if let Some((var, end)) = js_env_pattern(text, &sub, k) {
                    let span = Span::from_range(sub[k].start, sub[end - 1].end);
                    let has_default = sub.get(end).is_some_and(|t| {
                        t.kind == Kind::Punct && matches!(text.get(t.start..t.end), Some("??" | "||"))
                    });
                    self.env_reads.push(EnvRead { var, span, has_default });
                }
            }
            if level < 8 {
                for t in &sub {
                    if let Some(l) = &t.lit {
                        work.extend(l.subs.iter().map(|&r| (r, level + 1)));
                    }
                }
            }
        }
    }

    /// Whether the statement containing token `i` chains `.catch(`.
    fn js_chain_catch(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..256 {
            if j >= self.len() {
                return false;
            }
            if (self.is_p(j, ".") || self.is_p(j, "?."))
                && self.is_id(j + 1, "catch")
                && self.is_p(j + 2, "(")
            {
                return true;
            }
            if j > i {
                if self.is_p(j, ";") {
                    return false;
                }
                if self.is_close(j) {
                    // Leaving an enclosing bracket: keep following the outer expression unless it was a block.
                    if self.is_p(j, "}") && self.block.get(self.open[j]).copied().unwrap_or(true) {
                        return false;
                    }
                    j += 1;
                    continue;
                }
                if self.bol(j) && !self.js_continues(j - 1, j) {
                    return false;
                }
            }
            j = self.skip(j);
        }
        false
    }

    fn js_calls(&self) -> (Vec<InvokeCall>, bool) {
        let len = self.len();
        let mut aliases: HashMap<&'a str, InvokeApi> = JS_COMMANDS.iter().copied().collect();
        // `client.send(cmd)`-style uses: a call whose only argument is a name.
        let mut sole_arg_uses: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if let Some(&(_, api)) = JS_COMMANDS.iter().find(|(c, _)| *c == w) {
                let alias_decl = self.is_id(i + 1, "as")
                    || (self.is_p(i + 1, ":")
                        && self.parent[i] != NONE
                        && !self.block[self.parent[i]]
                        && (self.is_p(i + 3, ",") || self.is_p(i + 3, "}")));
                if let Some(alias) = self.ident(i + 2).filter(|_| alias_decl) {
                    aliases.insert(alias, api);
                }
            }
            if self.prev_is(i, "(") && self.is_p(i + 1, ")") {
                let uses = sole_arg_uses.entry(w).or_default();
                if uses.len() < 8 {
                    uses.push(i);
                }
            }
        }
        let mut calls = Vec::new();
        let mut url = false;
        for i in 0..len {
            let Some(w) = self.ident(i) else { continue };
            if !self.is_p(i + 1, "(") {
                continue;
            }
            let declared = i > 0 && matches!(self.t(i - 1), "function" | "class" | "interface" | "type");
            let api = match aliases.get(w) {
                Some(&api) if !declared => Some(api),
                None if self.after_dot(i) => js_method_api(w),
                _ => None,
            };
            let mut budget = BUDGET;
            let args = self.args(i + 1);
            let first = args.first().filter(|a| a.star == 0);
            if let Some(api) = api {
                let (endpoint, inference_component, input_location) = match first {
                    Some(a) => {
                        let endpoint = match self.dict_lookup(a.lo, a.hi, "EndpointName", 0, &mut budget) {
                            Some(f) => self.eval_found(f, 0, &mut budget),
                            None => EndpointName::Missing,
                        };
                        let ic =
                            self.dict_lookup(a.lo, a.hi, "InferenceComponentName", 0, &mut budget).is_some();
                        let input = (api == InvokeApi::InvokeEndpointAsync)
                            .then(|| self.dict_lookup(a.lo, a.hi, "InputLocation", 0, &mut budget))
                            .flatten()
                            .map(|f| self.eval_found(f, 0, &mut budget));
                        (endpoint, ic, input)
                    }
                    None => (EndpointName::Missing, false, None),
                };
                let mut call = self.call(api, i, endpoint, inference_component);
                call.input_location = input_location;
                call.in_error_handler = call.in_error_handler
                    || self.js_chain_catch(i)
                    || self.js_error_first_callback(i + 1)
                    || self.js_declared_as(i).and_then(|n| sole_arg_uses.get(n)).is_some_and(|uses| {
                        uses.iter().any(|&u| self.protected[u] || self.js_chain_catch(u))
                    });
                calls.push(call);
            } else if matches!(w, "SageMakerRuntimeClient" | "SageMakerRuntime")
                && (self.after_dot(i) || (i > 0 && self.is_id(i - 1, "new")))
            {
                if let Some(a) = first {
                    if self.dict_lookup(a.lo, a.hi, "endpoint", 0, &mut budget).is_some() {
                        url = true;
                    }
                }
            }
        }
        (calls, url)
    }

    /// `const NAME = new a.b.Callee(` → NAME, for the callee token at `i`.
    fn js_declared_as(&self, i: usize) -> Option<&'a str> {
        let mut k = i;
        while k >= 2 && self.is_p(k - 1, ".") && self.ident(k - 2).is_some() {
            k -= 2;
        }
        let k = k.checked_sub(1)?;
        if !self.is_id(k, "new") || !self.is_p(k.checked_sub(1)?, "=") {
            return None;
        }
        self.ident(k.checked_sub(2)?)
    }
}

fn is_augmented(p: &str) -> bool {
    matches!(
        p,
        "+=" | "-="
            | "*="
            | "/="
            | "%="
            | "//="
            | "**="
            | "|="
            | "&="
            | "^="
            | "@="
            | "??="
            | "||="
            | "&&="
            | ">>="
            | "<<="
    )
}

/// `process.env.X` / `process.env["X"]` starting at token `i` of `toks`: (variable, index after).
fn js_env_pattern(text: &str, toks: &[Tok], i: usize) -> Option<(String, usize)> {
    let tx = |k: usize| toks.get(k).and_then(|t| text.get(t.start..t.end)).unwrap_or("");
    let kind = |k: usize| toks.get(k).map(|t| t.kind);
    if kind(i) != Some(Kind::Ident) || tx(i) != "process" || tx(i + 1) != "." || tx(i + 2) != "env" {
        return None;
    }
    if matches!(tx(i + 3), "." | "?.") && kind(i + 4) == Some(Kind::Ident) {
        return Some((tx(i + 4).to_owned(), i + 5));
    }
    if tx(i + 3) == "[" && tx(i + 5) == "]" {
        let lit = toks.get(i + 4)?.lit.as_ref().filter(|l| !l.has_subs)?;
        return Some((lit.value.clone(), i + 6));
    }
    None
}

fn literal_of(e: EndpointName) -> Option<String> {
    match e {
        EndpointName::Literal { value, .. } => Some(value),
        _ => None,
    }
}

/// Whether two resolutions name the same thing (spans aside).
fn same_value(x: &EndpointName, y: &EndpointName) -> bool {
    match (x, y) {
        (EndpointName::Literal { value: a, .. }, EndpointName::Literal { value: b, .. }) => a == b,
        (
            EndpointName::EnvVar { var: a, default: da, .. },
            EndpointName::EnvVar { var: b, default: db, .. },
        ) => a == b && da == db,
        (EndpointName::Missing, EndpointName::Missing) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn py(text: &str) -> HandlerScan {
        scan(Language::Python, text)
    }

    fn js(text: &str) -> HandlerScan {
        scan(Language::JavaScript, text)
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    fn only(s: &HandlerScan) -> &InvokeCall {
        assert_eq!(s.calls.len(), 1, "{:#?}", s.calls);
        &s.calls[0]
    }

    fn literal(e: &EndpointName) -> (&str, Span) {
        match e {
            EndpointName::Literal { value, span } => (value, *span),
            other => panic!("not a literal: {other:?}"),
        }
    }

    fn env(e: &EndpointName) -> (&str, Span, Option<&str>) {
        match e {
            EndpointName::EnvVar { var, span, default } => (var, *span, default.as_deref()),
            other => panic!("not an env var: {other:?}"),
        }
    }

    fn dynamic(e: &EndpointName) -> &str {
        match e {
            EndpointName::Dynamic { why, .. } => why,
            other => panic!("not dynamic: {other:?}"),
        }
    }

    #[test]
    fn js_config_object_member_and_angle_cast_resolve_to_the_env_var() {
        let src = "const config = { endpointName: process.env.A ?? '' } as const;\nconst b = <string>process.env.B;\nrt.invokeEndpoint({ EndpointName: config.endpointName });\nrt.invokeEndpoint({ EndpointName: b });\nrt.invokeEndpoint({ EndpointName: other.endpointName });\n";
        let s = js(src);
        assert_eq!(env(&s.calls[0].endpoint).0, "A");
        assert_eq!(env(&s.calls[1].endpoint).0, "B");
        assert!(dynamic(&s.calls[2].endpoint).contains("other.endpointName"));
    }

    #[test]
    fn language_from_path() {
        assert_eq!(language_for_path(Path::new("src/app.py")), Some(Language::Python));
        assert_eq!(language_for_path(Path::new("index.MJS")), Some(Language::JavaScript));
        assert_eq!(language_for_path(Path::new("handler.tsx")), Some(Language::JavaScript));
        assert_eq!(language_for_path(Path::new("types.d.ts")), None);
        assert_eq!(language_for_path(Path::new("Makefile")), None);
        assert_eq!(language_for_path(Path::new("a.go")), None);
    }

    #[test]
    fn api_names() {
        assert_eq!(InvokeApi::InvokeEndpointAsync.action(), "sagemaker:InvokeEndpointAsync");
        assert_eq!(InvokeApi::InvokeEndpoint.sdk_name(Language::Python), "invoke_endpoint");
        assert_eq!(
            InvokeApi::InvokeEndpointWithResponseStream.sdk_name(Language::JavaScript),
            "InvokeEndpointWithResponseStreamCommand"
        );
    }

    #[test]
    fn boto3_literal() {
        let text = r#"import boto3
runtime = boto3.client("sagemaker-runtime")

def lambda_handler(event, context):
    resp = runtime.invoke_endpoint(EndpointName="my-endpoint", ContentType="application/json", Body=event["body"])
    return resp["Body"].read()
"#;
        let s = py(text);
        let c = only(&s);
        assert_eq!(c.api, InvokeApi::InvokeEndpoint);
        assert_eq!(c.callee, "invoke_endpoint");
        assert_eq!(at(text, c.span), "invoke_endpoint");
        let (value, span) = literal(&c.endpoint);
        assert_eq!(value, "my-endpoint");
        assert_eq!(at(text, span), "\"my-endpoint\"");
        assert!(!c.in_error_handler);
        assert!(!c.inference_component);
        assert!(!s.explicit_endpoint_url);
    }

    #[test]
    fn env_var_through_module_constant() {
        let text = r#"import os, boto3
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]
runtime = boto3.client('runtime.sagemaker')

def handler(event, context):
    return runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=b"{}")
"#;
        let s = py(text);
        let (var, span, default) = env(&only(&s).endpoint);
        assert_eq!(var, "ENDPOINT_NAME");
        assert_eq!(at(text, span), r#"os.environ["ENDPOINT_NAME"]"#);
        assert_eq!(default, None);
        assert_eq!(s.env_reads.len(), 1);
        assert_eq!(s.env_reads[0].var, "ENDPOINT_NAME");
        assert!(!s.env_reads[0].has_default);
    }

    #[test]
    fn getenv_with_default_and_environ_get() {
        let text = r#"import os
from os import environ
def handler(event, context):
    name = os.getenv("EP", "default-ep")
    sm.invoke_endpoint(EndpointName=name)
    sm.invoke_endpoint(EndpointName=environ.get('OTHER'))
    sm.invoke_endpoint(EndpointName=os.environ.get("THIRD", fallback()))
    sm.invoke_endpoint(EndpointName=os.environ.get("FOURTH") or "d4")
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 4);
        let (var, span, default) = env(&s.calls[0].endpoint);
        assert_eq!((var, default), ("EP", Some("default-ep")));
        assert_eq!(at(text, span), r#"os.getenv("EP", "default-ep")"#);
        assert_eq!(env(&s.calls[1].endpoint).0, "OTHER");
        assert_eq!(env(&s.calls[1].endpoint).2, None);
        assert_eq!(env(&s.calls[2].endpoint).2, None);
        assert_eq!(env(&s.calls[3].endpoint).2, Some("d4"));
        let reads: Vec<(&str, bool)> = s.env_reads.iter().map(|r| (r.var.as_str(), r.has_default)).collect();
        assert_eq!(reads, [("EP", true), ("OTHER", false), ("THIRD", true), ("FOURTH", true)]);
    }

    #[test]
    fn name_from_the_request_is_dynamic() {
        let text = r#"
def lambda_handler(event, context):
    client.invoke_endpoint(EndpointName=event["endpoint"], Body="x")
    body = json.loads(event["body"])
    client.invoke_endpoint(EndpointName=body["endpoint"], Body="x")

def call(name):
    client.invoke_endpoint(EndpointName=name)
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 3);
        assert_eq!(dynamic(&s.calls[0].endpoint), "built from the request (event[\"endpoint\"])");
        assert!(dynamic(&s.calls[1].endpoint).starts_with("built from the request"));
        assert_eq!(dynamic(&s.calls[2].endpoint), "a function parameter `name`");
    }

    #[test]
    fn python_dynamic_shapes() {
        let text = r#"
PREFIX = "ep"
A = f"{PREFIX}-1"
B = f"plain"
C = "a" "b"
D = PREFIX + "-x"
E = "{}-x".format(PREFIX)
F = pick()
G = "x"
G = "y"
H = "same"
H = "same"
client.invoke_endpoint(EndpointName=A)
client.invoke_endpoint(EndpointName=B)
client.invoke_endpoint(EndpointName=C)
client.invoke_endpoint(EndpointName=D)
client.invoke_endpoint(EndpointName=E)
client.invoke_endpoint(EndpointName=F)
client.invoke_endpoint(EndpointName=G)
client.invoke_endpoint(EndpointName=H)
client.invoke_endpoint(EndpointName=UNKNOWN)
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 9);
        assert_eq!(dynamic(&s.calls[0].endpoint), "an f-string");
        assert_eq!(literal(&s.calls[1].endpoint).0, "plain");
        assert_eq!(literal(&s.calls[2].endpoint).0, "ab");
        assert!(dynamic(&s.calls[3].endpoint).starts_with("built by concatenation"));
        assert!(dynamic(&s.calls[4].endpoint).starts_with("built with str.format"));
        assert!(dynamic(&s.calls[5].endpoint).starts_with("the result of calling `pick`"));
        assert!(dynamic(&s.calls[6].endpoint).contains("assigned different values"));
        assert_eq!(literal(&s.calls[7].endpoint).0, "same");
        assert!(dynamic(&s.calls[8].endpoint).contains("not assigned"));
    }

    #[test]
    fn comments_docstrings_and_strings_are_ignored() {
        let text = r#"
# runtime.invoke_endpoint(EndpointName="commented")
def handler(event, context):
    """Calls runtime.invoke_endpoint(EndpointName="doc") on each request."""
    msg = 'runtime.invoke_endpoint(EndpointName="str")'
    raw = rb'.invoke_endpoint(\'x\')'
    fs = f"{x} .invoke_endpoint(" + F'''
       .invoke_endpoint(EndpointName="triple")'''
    return runtime.invoke_endpoint(EndpointName="real")
"#;
        let s = py(text);
        assert_eq!(literal(&only(&s).endpoint).0, "real");
    }

    #[test]
    fn async_and_stream_variants() {
        let text = r#"
sm.invoke_endpoint_async(EndpointName="a", InputLocation="s3://b/k")
sm.invoke_endpoint_with_response_stream(EndpointName="s", Body="{}", InferenceComponentName="ic")
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 2);
        assert_eq!(s.calls[0].api, InvokeApi::InvokeEndpointAsync);
        assert_eq!(s.calls[0].callee, "invoke_endpoint_async");
        assert_eq!(s.calls[1].api, InvokeApi::InvokeEndpointWithResponseStream);
        assert!(s.calls[1].inference_component);
        assert!(!s.calls[0].inference_component);
    }

    #[test]
    fn try_except_detection() {
        let text = r#"
def handler(event, context):
    try:
        r = sm.invoke_endpoint(EndpointName="in-try")
    except ClientError as e:
        sm.invoke_endpoint(EndpointName="in-except")
    try:
        sm.invoke_endpoint(EndpointName="try-finally")
    finally:
        pass
    if x:
        try: sm.invoke_endpoint(EndpointName="one-line")
        except Exception: pass
    sm.invoke_endpoint(EndpointName="after")
"#;
        let s = py(text);
        let got: Vec<(&str, bool)> =
            s.calls.iter().map(|c| (literal(&c.endpoint).0, c.in_error_handler)).collect();
        assert_eq!(
            got,
            [
                ("in-try", true),
                ("in-except", false),
                ("try-finally", false),
                ("one-line", true),
                ("after", false)
            ]
        );
    }

    #[test]
    fn double_star_params() {
        let text = r#"
import os
params = {"EndpointName": os.environ["EP"], "ContentType": "application/json"}
other = dict(EndpointName="from-dict", InferenceComponentName="ic")
def handler(event, context):
    sm.invoke_endpoint(**params, Body=event["body"])
    sm.invoke_endpoint(**other)
    sm.invoke_endpoint(**kwargs)
    sm.invoke_endpoint(Body="x")
    p = {}
    p["EndpointName"] = "mutated"
    sm.invoke_endpoint(**p)
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 5);
        assert_eq!(env(&s.calls[0].endpoint).0, "EP");
        assert_eq!(literal(&s.calls[1].endpoint).0, "from-dict");
        assert!(s.calls[1].inference_component);
        assert_eq!(s.calls[2].endpoint, EndpointName::Missing);
        assert_eq!(s.calls[3].endpoint, EndpointName::Missing);
        assert_eq!(literal(&s.calls[4].endpoint).0, "mutated");
    }

    #[test]
    fn explicit_endpoint_url_python() {
        let with = r#"rt = boto3.client("sagemaker-runtime", endpoint_url="https://vpce-123.runtime.sagemaker.us-east-1.vpce.amazonaws.com")"#;
        assert!(py(with).explicit_endpoint_url);
        let session = r"rt = boto3.Session().client(service_name='runtime.sagemaker', endpoint_url=URL)";
        assert!(py(session).explicit_endpoint_url);
        let other = r#"s3 = boto3.client("s3", endpoint_url="http://localhost:4566")"#;
        assert!(!py(other).explicit_endpoint_url);
    }

    #[test]
    fn sagemaker_sdk_predictor() {
        let text = r#"
from sagemaker.predictor import Predictor
import sagemaker
class MyPredictor(Predictor):
    pass
p = Predictor("sdk-endpoint")
q = sagemaker.predictor.Predictor(endpoint_name=os.environ["PRED_EP"], sagemaker_session=sess)
a = AsyncPredictor(Predictor("async-ep"))
"#;
        let s = py(text);
        assert_eq!(s.calls.len(), 3);
        assert_eq!(literal(&s.calls[0].endpoint).0, "sdk-endpoint");
        assert_eq!(s.calls[0].callee, "Predictor");
        assert_eq!(env(&s.calls[1].endpoint).0, "PRED_EP");
        assert_eq!(s.calls[2].api, InvokeApi::InvokeEndpointAsync);
        assert_eq!(s.calls[2].callee, "AsyncPredictor");
        assert_eq!(literal(&s.calls[2].endpoint).0, "async-ep");
    }

    #[test]
    fn self_attribute_and_local_resolution() {
        let text = r#"
class Model:
    def __init__(self):
        self.endpoint = os.environ.get("MODEL_EP", "fallback")

    def predict(self, body):
        ep = "local-first"
        self.rt.invoke_endpoint(EndpointName=self.endpoint, Body=body)
        self.rt.invoke_endpoint(EndpointName=ep, Body=body)
"#;
        let s = py(text);
        assert_eq!(env(&s.calls[0].endpoint), ("MODEL_EP", env(&s.calls[0].endpoint).1, Some("fallback")));
        assert_eq!(literal(&s.calls[1].endpoint).0, "local-first");
    }

    #[test]
    fn js_v3_env_in_params_object() {
        let text = r#"import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
const client = new SageMakerRuntimeClient({});
export const handler = async (event) => {
  const params = {
    EndpointName: process.env.ENDPOINT_NAME,
    ContentType: "application/json",
    Body: event.body,
  };
  const res = await client.send(new InvokeEndpointCommand(params));
  return res;
};
"#;
        let s = js(text);
        let c = only(&s);
        assert_eq!(c.api, InvokeApi::InvokeEndpoint);
        assert_eq!(at(text, c.span), "InvokeEndpointCommand");
        let (var, span, default) = env(&c.endpoint);
        assert_eq!((var, default), ("ENDPOINT_NAME", None));
        assert_eq!(at(text, span), "process.env.ENDPOINT_NAME");
        assert!(!c.in_error_handler);
        assert!(!s.explicit_endpoint_url);
        assert_eq!(s.env_reads.len(), 1);
    }

    #[test]
    fn js_v3_aliased_import_and_variants() {
        let text = r#"
import { InvokeEndpointCommand as Invoke, InvokeEndpointAsyncCommand, InvokeEndpointWithResponseStreamCommand as Stream } from "@aws-sdk/client-sagemaker-runtime";
const { InvokeEndpointCommand: Legacy } = require("@aws-sdk/client-sagemaker-runtime");
await client.send(new Invoke({ EndpointName: "aliased", Body: "{}" }));
await client.send(new InvokeEndpointAsyncCommand({ "EndpointName": 'async-ep', InputLocation: "s3://x" }));
await client.send(new Stream({ EndpointName: `stream-ep`, InferenceComponentName: "ic" }));
await client.send(new Legacy({ EndpointName: "cjs" }));
"#;
        let s = js(text);
        let got: Vec<(InvokeApi, &str, &str)> =
            s.calls.iter().map(|c| (c.api, c.callee.as_str(), literal(&c.endpoint).0)).collect();
        assert_eq!(
            got,
            [
                (InvokeApi::InvokeEndpoint, "Invoke", "aliased"),
                (InvokeApi::InvokeEndpointAsync, "InvokeEndpointAsyncCommand", "async-ep"),
                (InvokeApi::InvokeEndpointWithResponseStream, "Stream", "stream-ep"),
                (InvokeApi::InvokeEndpoint, "Legacy", "cjs"),
            ]
        );
        assert!(s.calls[2].inference_component);
    }

    #[test]
    fn js_v2_promise_and_catch() {
        let text = r"
const AWS = require('aws-sdk');
const runtime = new AWS.SageMakerRuntime({ region: 'us-east-1', endpoint: 'https://vpce.example' });
exports.handler = async (event) => {
  const params = { EndpointName: 'v2-endpoint', Body: JSON.stringify(event) };
  const data = await runtime.invokeEndpoint(params).promise();
  await runtime
    .invokeEndpoint(params)
    .promise()
    .catch((err) => console.error(err));
  return data;
};
";
        let s = js(text);
        assert_eq!(s.calls.len(), 2);
        assert_eq!(s.calls[0].callee, "invokeEndpoint");
        assert_eq!(literal(&s.calls[0].endpoint).0, "v2-endpoint");
        assert!(!s.calls[0].in_error_handler);
        assert!(s.calls[1].in_error_handler);
        assert!(s.explicit_endpoint_url);
    }

    #[test]
    fn js_destructured_env() {
        let text = r#"
const { ENDPOINT_NAME, OTHER: other = "dflt" } = process.env;
const a = new InvokeEndpointCommand({ EndpointName: ENDPOINT_NAME });
const b = new InvokeEndpointCommand({ EndpointName: other });
"#;
        let s = js(text);
        assert_eq!(s.calls.len(), 2);
        let (var, span, default) = env(&s.calls[0].endpoint);
        assert_eq!((var, default), ("ENDPOINT_NAME", None));
        assert_eq!(at(text, span), "ENDPOINT_NAME");
        let (var, _, default) = env(&s.calls[1].endpoint);
        assert_eq!((var, default), ("OTHER", Some("dflt")));
        let reads: Vec<(&str, bool)> = s.env_reads.iter().map(|r| (r.var.as_str(), r.has_default)).collect();
        assert_eq!(reads, [("ENDPOINT_NAME", false), ("OTHER", true)]);
    }

    #[test]
    fn typescript_annotations() {
        let text = r#"
import type { APIGatewayProxyEvent } from "aws-lambda";
const ENDPOINT: string = process.env["SM_ENDPOINT"] ?? "ts-default";
const cfg = { region: "eu-west-1" } satisfies Config;
export async function handler(event: APIGatewayProxyEvent): Promise<Result> {
  const input: InvokeEndpointCommandInput = {
    EndpointName: ENDPOINT as string,
    Body: event.body!,
  };
  try {
    const out = await client.send(new InvokeEndpointCommand(input));
  } catch (e: unknown) {
    throw e;
  }
  const name = process.env.OTHER!;
  await client.send(new InvokeEndpointCommand({ EndpointName: name }));
  await client.send(new InvokeEndpointCommand({ EndpointName: (event as any).endpoint }));
}
"#;
        let s = js(text);
        assert_eq!(s.calls.len(), 3);
        let (var, span, default) = env(&s.calls[0].endpoint);
        assert_eq!((var, default), ("SM_ENDPOINT", Some("ts-default")));
        assert_eq!(at(text, span), r#"process.env["SM_ENDPOINT"]"#);
        assert!(s.calls[0].in_error_handler);
        assert_eq!(env(&s.calls[1].endpoint).0, "OTHER");
        assert!(!s.calls[1].in_error_handler);
        assert!(dynamic(&s.calls[2].endpoint).starts_with("built from the request"));
        assert!(s.env_reads.iter().any(|r| r.var == "SM_ENDPOINT" && r.has_default));
    }

    #[test]
    fn js_catch_on_send_of_declared_command() {
        let text = r#"
const cmd = new InvokeEndpointCommand({ EndpointName: "c" });
client.send(cmd).catch(handle);
const cmd2 = new InvokeEndpointCommand({ EndpointName: "d" });
await client.send(cmd2);
client.send(new InvokeEndpointCommand({ EndpointName: "e" })).then(ok).catch(bad);
"#;
        let s = js(text);
        let got: Vec<bool> = s.calls.iter().map(|c| c.in_error_handler).collect();
        assert_eq!(got, [true, false, true]);
    }

    #[test]
    fn js_template_literals() {
        let text = r#"
const a = new InvokeEndpointCommand({ EndpointName: `${process.env.EP}` });
const b = new InvokeEndpointCommand({ EndpointName: `${NAME}` });
const NAME = "named";
const c = new InvokeEndpointCommand({ EndpointName: `prefix-${process.env.STAGE}` });
const d = new InvokeEndpointCommand({ EndpointName: `${process.env.EP2 ?? "dd"}` });
"#;
        let s = js(text);
        assert_eq!(s.calls.len(), 4);
        let (var, span, _) = env(&s.calls[0].endpoint);
        assert_eq!(var, "EP");
        assert_eq!(at(text, span), "process.env.EP");
        assert_eq!(literal(&s.calls[1].endpoint).0, "named");
        assert_eq!(dynamic(&s.calls[2].endpoint), "a template literal with substitutions");
        assert_eq!(env(&s.calls[3].endpoint).2, Some("dd"));
        let vars: Vec<&str> = s.env_reads.iter().map(|r| r.var.as_str()).collect();
        assert_eq!(vars, ["EP", "STAGE", "EP2"]);
    }

    #[test]
    fn js_shorthand_spread_and_missing() {
        let text = r#"
const EndpointName = process.env.EP || "fallback";
const base = { ContentType: "application/json" };
const withName = { ...base, EndpointName: "spread-ok" };
async function main(extra) {
  await client.send(new InvokeEndpointCommand({ EndpointName, Body: "x" }));
  await client.send(new InvokeEndpointCommand({ ...withName }));
  await client.send(new InvokeEndpointCommand({ ...extra, Body: "x" }));
  await client.send(new InvokeEndpointCommand(unknownParams));
  const p = {};
  p.EndpointName = "assigned-later";
  await client.send(new InvokeEndpointCommand(p));
}
"#;
        let s = js(text);
        assert_eq!(s.calls.len(), 5);
        assert_eq!(env(&s.calls[0].endpoint), ("EP", env(&s.calls[0].endpoint).1, Some("fallback")));
        assert_eq!(literal(&s.calls[1].endpoint).0, "spread-ok");
        assert_eq!(s.calls[2].endpoint, EndpointName::Missing);
        assert_eq!(s.calls[3].endpoint, EndpointName::Missing);
        assert_eq!(literal(&s.calls[4].endpoint).0, "assigned-later");
    }

    #[test]
    fn js_request_and_comments() {
        let text = r#"
// client.send(new InvokeEndpointCommand({ EndpointName: "commented" }));
/* runtime.invokeEndpoint({ EndpointName: "block" }) */
const s = "new InvokeEndpointCommand({})";
const re = /invokeEndpoint\(/g;
export const handler = async (event) => {
  const body = JSON.parse(event.body);
  const { endpoint } = body;
  await client.send(new InvokeEndpointCommand({ EndpointName: body.endpoint }));
  await client.send(new InvokeEndpointCommand({ EndpointName: endpoint }));
  await client.send(new InvokeEndpointCommand({ EndpointName: event.queryStringParameters.ep }));
};
"#;
        let s = js(text);
        assert_eq!(s.calls.len(), 3);
        for c in &s.calls {
            assert!(dynamic(&c.endpoint).starts_with("built from the request"), "{:?}", c.endpoint);
        }
    }

    #[test]
    fn js_explicit_endpoint_v3() {
        let text = "const client = new SageMakerRuntimeClient({ region, endpoint: process.env.VPCE_URL });";
        assert!(js(text).explicit_endpoint_url);
        let cfg = "const c = { endpoint }; const client = new SageMakerRuntimeClient(c);";
        assert!(js(cfg).explicit_endpoint_url);
        assert!(!js("const client = new SageMakerRuntimeClient({ region });").explicit_endpoint_url);
    }

    #[test]
    fn js_try_catch_block() {
        let text = r#"
async function handler(event) {
  try {
    return await runtime.invokeEndpoint({ EndpointName: "t" }).promise();
  } catch (err) {
    await runtime.invokeEndpoint({ EndpointName: "in-catch" }).promise();
  }
  try { await client.send(new InvokeEndpointCommand({ EndpointName: "tf" })); } finally { done(); }
}
"#;
        let s = js(text);
        let got: Vec<bool> = s.calls.iter().map(|c| c.in_error_handler).collect();
        assert_eq!(got, [true, false, false]);
    }

    #[test]
    fn never_panics() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet: Vec<char> = "ab_(){}[]'\"`$#/\\*\n\t =.:,;+?!|xyz0é€\u{0}r f".chars().collect();
        for round in 0..400 {
            let mut s = String::new();
            for _ in 0..(round % 97 + 1) * 3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let _ = py(&s);
            let _ = js(&s);
            let with_call = format!("x.invoke_endpoint(EndpointName={s}\nnew InvokeEndpointCommand({s}");
            let _ = py(&with_call);
            let _ = js(&with_call);
        }
        for text in [
            "x = 'unterminated\nsm.invoke_endpoint(EndpointName='ok')",
            "x = \"\"\"never closed sm.invoke_endpoint(EndpointName='no')",
            "f\"{",
            "f'{x!r:{'",
            "`${`${`${",
            "const a = `abc",
            "/* open",
            "const re = /[/",
            "\\",
            "'\\",
            "`\\",
            "process.env[",
            "os.environ[",
            "sm.invoke_endpoint(**",
            "sm.invoke_endpoint(EndpointName=",
            "new InvokeEndpointCommand({ EndpointName: ",
            ")))]]]}}}(((",
            "A = B\nB = A\nsm.invoke_endpoint(EndpointName=A)",
            "const A = B; const B = A; new InvokeEndpointCommand({ EndpointName: A });",
            "p = dict(**p)\nsm.invoke_endpoint(**p)",
            "const p = { ...p }; new InvokeEndpointCommand(p);",
        ] {
            let _ = py(text);
            let _ = js(text);
        }
        let s = py("x = 'unterminated\nsm.invoke_endpoint(EndpointName='ok')");
        assert_eq!(literal(&only(&s).endpoint).0, "ok");
        let cyclic = py("A = B\nB = A\nsm.invoke_endpoint(EndpointName=A)");
        assert!(matches!(only(&cyclic).endpoint, EndpointName::Dynamic { .. }));
    }

    #[test]
    fn large_input_is_linear_enough() {
        let mut text = String::from("import os\nEP = os.environ['EP']\n");
        for i in 0..20_000 {
            let _ =
                write!(text, "def f{i}(event):\n    x = EP\n    return sm.invoke_endpoint(EndpointName=x)\n");
        }
        let s = py(&text);
        assert_eq!(s.calls.len(), 20_000);
        assert!(
            s.calls.iter().all(|c| matches!(&c.endpoint, EndpointName::EnvVar { var, .. } if var == "EP"))
        );
        let nested = "(".repeat(200_000) + &"[".repeat(100_000) + &"`${".repeat(50_000);
        let _ = py(&nested);
        let _ = js(&nested);
    }

    #[test]
    fn async_input_location_literal_env_or_dynamic() {
        let text = r#"
import os
BUCKET_URI = "s3://in-bucket/requests/payload.json"
sm.invoke_endpoint_async(EndpointName="a", InputLocation=BUCKET_URI)
sm.invoke_endpoint_async(EndpointName="a", InputLocation=os.environ["INPUT_URI"])
def handler(event, context):
    key = event["key"]
    sm.invoke_endpoint_async(EndpointName="a", InputLocation=f"s3://in-bucket/{key}")
    sm.invoke_endpoint_async(EndpointName="a", Body=b"{}")
    sm.invoke_endpoint(EndpointName="a", InputLocation="s3://ignored/for/sync")
"#;
        let s = py(text);
        let inputs: Vec<Option<&EndpointName>> = s.calls.iter().map(|c| c.input_location.as_ref()).collect();
        assert_eq!(inputs.len(), 5);
        let (value, span) = literal(inputs[0].unwrap());
        assert_eq!(value, "s3://in-bucket/requests/payload.json");
        assert_eq!(at(text, span), "\"s3://in-bucket/requests/payload.json\"");
        assert!(matches!(inputs[1], Some(EndpointName::EnvVar { var, .. }) if var == "INPUT_URI"));
        assert!(matches!(inputs[2], Some(EndpointName::Dynamic { .. })), "{:?}", inputs[2]);
        assert_eq!(inputs[3], None);
        assert_eq!(inputs[4], None);

        let js_text = r#"
await client.send(new InvokeEndpointAsyncCommand({ EndpointName: "a", InputLocation: process.env.INPUT_URI }));
await client.send(new InvokeEndpointAsyncCommand({ EndpointName: "a", InputLocation: "s3://in-bucket/x.json" }));
"#;
        let s = js(js_text);
        assert!(
            matches!(&s.calls[0].input_location, Some(EndpointName::EnvVar { var, .. }) if var == "INPUT_URI")
        );
        assert_eq!(literal(s.calls[1].input_location.as_ref().unwrap()).0, "s3://in-bucket/x.json");
    }
}
