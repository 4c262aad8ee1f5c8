//! Python: the value of an f-string's replacement field, so that `f"{STAGE}-churn"` and
//! `f"{os.environ['STAGE']}-churn"` fold into a name built from the environment
//! ([`EndpointName::Composed`]) instead of an unknown one.

use super::PyGrammar;
use crate::code::EndpointName;
use crate::code::analyzer::Analyzer;
use crate::code::analyzer::scope::Binding;
use crate::span::Span;

impl<'a> Analyzer<'a, PyGrammar> {
    /// The value of the replacement field whose text is `s..e` (between its braces), read where
    /// the f-string at token `at` is: a name, an environment read (`os.environ["X"]`,
    /// `os.environ.get("X", "d")`, `os.getenv("X")`), or a string; anything else is not folded.
    pub(super) fn py_field_value(
        &self,
        at: usize,
        (s, e): (usize, usize),
        depth: u32,
        budget: &mut u32,
    ) -> EndpointName {
        let text: &'a str = self.text;
        let span = Span::from_range(s, e);
        let raw = text.get(s..e).unwrap_or("");
        let expr = field_expression(raw);
        let lead = expr.len() - expr.trim_start().len();
        let expr = expr.trim();
        let at_expr = Span::from_range(s + lead, s + lead + expr.len());
        if is_identifier(expr) {
            // Borrowed from the file's text, as every name the scopes know.
            let name = text.get(s + lead..s + lead + expr.len()).unwrap_or("");
            return self.resolve_name(name, at, depth + 1, budget);
        }
        if let Some((var, default)) = environment_read(expr) {
            return EndpointName::EnvVar { var, span: at_expr, default };
        }
        if let Some(value) = quoted(expr) {
            return EndpointName::Literal { value: value.to_owned(), span: at_expr };
        }
        let first: String = expr.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let from_request = text
            .get(s + lead..s + lead + first.len())
            .filter(|f| !f.is_empty())
            .is_some_and(|f| matches!(self.lookup(f, at), Binding::Param { request: true, .. }));
        if from_request {
            return EndpointName::Dynamic {
                from_request: true,
                span,
                why: format!("built from the request ({expr})"),
            };
        }
        EndpointName::Dynamic { from_request: false, span, why: format!("an f-string field ({expr})") }
    }
}

/// The expression of a replacement field: before a top-level `!r`/`!s`/`!a` conversion, `:`
/// format spec or `=` self-documenting marker.
fn field_expression(raw: &str) -> &str {
    let mut depth = 0u32;
    let mut quote: Option<char> = None;
    let chars: Vec<(usize, char)> = raw.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(n + 1).map(|&(_, c)| c);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, '!') if depth == 0 && next != Some('=') => return &raw[..i],
            (None, ':') if depth == 0 => return &raw[..i],
            (None, '=') if depth == 0 && next.is_none_or(char::is_whitespace) => {
                let before = raw[..i].chars().last();
                if !matches!(before, Some('=' | '!' | '<' | '>')) {
                    return &raw[..i];
                }
            }
            _ => {}
        }
    }
    raw
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// `'text'` or `"text"` with no escape or quote inside.
fn quoted(s: &str) -> Option<&str> {
    let q = s.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = s.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q) && !inner.contains('\\')).then_some(inner)
}

/// `os.environ["X"]`, `environ["X"]`, `os.environ.get("X"[, "d"])`, `os.getenv("X"[, "d"])`:
/// the variable and the literal fallback.
fn environment_read(s: &str) -> Option<(String, Option<String>)> {
    let s = s.strip_prefix("os.").unwrap_or(s);
    if let Some(key) = s.strip_prefix("environ[").and_then(|r| r.strip_suffix(']')) {
        return Some((quoted(key.trim())?.to_owned(), None));
    }
    let args = s
        .strip_prefix("environ.get(")
        .or_else(|| s.strip_prefix("getenv("))
        .and_then(|r| r.strip_suffix(')'))?;
    let (var, default) = match args.split_once(',') {
        Some((var, default)) => (var, Some(quoted(default.trim())?.to_owned())),
        None => (args, None),
    };
    Some((quoted(var.trim())?.to_owned(), default))
}

#[cfg(test)]
mod tests {
    use super::{environment_read, field_expression};

    #[test]
    fn a_replacement_fields_expression_and_environment_reads() {
        assert_eq!(field_expression("stage!r"), "stage");
        assert_eq!(field_expression("n:>10"), "n");
        assert_eq!(field_expression("name="), "name");
        assert_eq!(field_expression("a != b"), "a != b");
        assert_eq!(field_expression("d['k:v']"), "d['k:v']");
        assert_eq!(environment_read("os.environ['STAGE']"), Some(("STAGE".into(), None)));
        assert_eq!(
            environment_read("os.getenv(\"STAGE\", \"dev\")"),
            Some(("STAGE".into(), Some("dev".into())))
        );
        assert_eq!(environment_read("environ.get('X')"), Some(("X".into(), None)));
        assert_eq!(environment_read("os.environ.get('X', default)"), None);
        assert_eq!(environment_read("config['X']"), None);
    }
}
