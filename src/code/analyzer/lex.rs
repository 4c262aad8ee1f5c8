//! What every language's lexer makes and shares: tokens with byte spans, decoded string
//! literals, and the punctuators and escapes the languages have in common.

/// Source bytes per token, about, in handler code: what the lexers reserve room for.
pub(in crate::code) const TOKEN_BYTES: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::code) enum Kind {
    Ident,
    /// Numbers and regex literals: values we never need to read.
    Opaque,
    Str,
    Punct,
}

#[derive(Debug)]
pub(in crate::code) struct Tok {
    pub(in crate::code) kind: Kind,
    pub(in crate::code) start: usize,
    pub(in crate::code) end: usize,
    /// Python: first token of a logical line. JavaScript: a line break precedes it (for ASI).
    pub(in crate::code) bol: bool,
    /// Python: indentation width of the token's logical line (drives block structure).
    pub(in crate::code) indent: u32,
    /// String and template literals: the decoded text.
    pub(in crate::code) lit: Option<Box<Lit>>,
}

#[derive(Debug, Default)]
pub(in crate::code) struct Lit {
    /// Decoded literal text, outside any substitutions.
    pub(in crate::code) value: String,
    /// Python: an f-string with replacement fields; JS: a template literal with `${}`.
    pub(in crate::code) has_subs: bool,
    /// JS template literals: byte ranges of the top-level `${…}` expressions (re-lexed on demand);
    /// Python f-strings: of the replacement fields' text between the braces.
    pub(in crate::code) subs: Vec<(usize, usize)>,
    /// Where in `value` each of `subs` goes (a byte offset), when the lexer records it.
    pub(in crate::code) sub_at: Vec<usize>,
}

const PUNCT3: &[&[u8]] = &[b"...", b"===", b"!==", b"**=", b"??=", b"||=", b"&&=", b">>=", b"<<=", b"//="];
const PUNCT2: &[&[u8]] = &[
    b"==", b"!=", b"<=", b">=", b"=>", b"**", b"??", b"||", b"&&", b"?.", b"+=", b"-=", b"*=", b"/=", b"%=",
    b"->", b":=", b"++", b"--", b"<<", b">>", b"|=", b"&=", b"^=", b"@=", b"//",
];

pub(in crate::code) fn punct_len(b: &[u8], i: usize) -> usize {
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
// `dollar`: `$` is a letter too (JavaScript).
pub(in crate::code) fn is_ident_start(c: u8, dollar: bool) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || (dollar && c == b'$')
}

pub(in crate::code) fn is_ident_char(c: u8, dollar: bool) -> bool {
    is_ident_start(c, dollar) || c.is_ascii_digit()
}

/// A number starts at `i`: a digit, or `.` and a digit.
pub(in crate::code) fn starts_number(b: &[u8], i: usize) -> bool {
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    digit(i) || (b.get(i) == Some(&b'.') && digit(i + 1))
}

/// Where the number starting at `i` ends. Numbers are never read, so one loose rule serves every
/// language's spellings (`0x1F`, `1_000`, `1.5e9`, `10n`).
pub(in crate::code) fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
        j += 1;
    }
    j
}

fn push_char(out: &mut Vec<u8>, ch: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

fn hex_value(b: &[u8], from: usize, to: usize) -> Option<char> {
    let digits = std::str::from_utf8(b.get(from..to)?).ok()?;
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// How a language's strings differ in the escapes they share.
#[derive(Clone, Copy)]
pub(in crate::code) struct Escapes {
    /// `\u{1F600}` names a code point (JavaScript).
    pub(in crate::code) braced_unicode: bool,
    /// An escape the language does not know keeps its backslash (Python) rather than losing it.
    pub(in crate::code) unknown_keeps_backslash: bool,
}

/// Decodes the escape whose backslash is at `j - 1`; returns the index after it.
pub(in crate::code) fn decode_escape(b: &[u8], j: usize, out: &mut Vec<u8>, escapes: Escapes) -> usize {
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
        b'u' if escapes.braced_unicode && b.get(j + 1) == Some(&b'{') => {
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
            if escapes.unknown_keeps_backslash {
                out.push(b'\\');
            }
            out.push(c);
        }
        _ => {
            if escapes.unknown_keeps_backslash {
                out.push(b'\\');
            }
            out.push(c);
        }
    }
    j + 1
}

pub(in crate::code) fn finish_lit(value: &[u8], has_subs: bool, subs: Vec<(usize, usize)>) -> Lit {
    Lit { value: String::from_utf8_lossy(value).into_owned(), has_subs, subs, sub_at: Vec::new() }
}

/// A string with substitutions, each `(range, offset in value)`: a template literal or an
/// f-string.
pub(in crate::code) fn finish_template(value: &[u8], subs: Vec<((usize, usize), usize)>) -> Lit {
    let (ranges, at) = subs.into_iter().unzip();
    Lit { value: String::from_utf8_lossy(value).into_owned(), has_subs: true, subs: ranges, sub_at: at }
}

pub(in crate::code) fn is_augmented(p: &str) -> bool {
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
