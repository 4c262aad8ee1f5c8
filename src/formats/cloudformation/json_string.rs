//! A policy document written as a JSON string (`PolicyDocument: !Sub ["{ \"Version\": … }", …]`)
//! instead of a mapping. CloudFormation passes a Json-typed property's string on as the document:
//! "for CloudFormation templates formatted in YAML, you can provide the policy in JSON or YAML
//! format" (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html>,
//! PolicyDocument). The string is read as JSON with each `${…}` the template substitutes kept as
//! the symbol it resolved to; every part of the document points at the string.

use crate::span::Span;
use crate::value::{Piece, SymStr, Symbol, Value, ValueEntry, ValueKind};

/// Marks a substituted value inside the JSON text: private-use characters, which a policy's
/// printable-ASCII/Latin-1 text cannot contain (IAM's `PolicyDocument` pattern).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The document a JSON string holds, or why it is not one (the JSON error, as serde_json words it).
pub(super) fn document(text: &SymStr, span: Span) -> Result<Value, String> {
    let mut json = String::new();
    let mut symbols = Vec::new();
    for piece in text.pieces() {
        match piece {
            Piece::Lit(s) => json.push_str(s),
            Piece::Sym(symbol) => {
                json.push(OPEN);
                json.push_str(&symbols.len().to_string());
                json.push(CLOSE);
                symbols.push(symbol.clone());
            }
        }
    }
    let parsed: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    Ok(to_value(&parsed, &symbols, span))
}

fn to_value(json: &serde_json::Value, symbols: &[Symbol], span: Span) -> Value {
    let kind = match json {
        serde_json::Value::Null => ValueKind::Null,
        serde_json::Value::Bool(b) => ValueKind::Bool(*b),
        serde_json::Value::Number(n) => ValueKind::Number(n.to_string()),
        serde_json::Value::String(s) => ValueKind::Str(with_symbols(s, symbols)),
        serde_json::Value::Array(items) => {
            ValueKind::List(items.iter().map(|i| to_value(i, symbols, span)).collect())
        }
        serde_json::Value::Object(entries) => ValueKind::Map(
            entries
                .iter()
                .map(|(k, v)| ValueEntry {
                    key: k.clone(),
                    key_span: span,
                    value: to_value(v, symbols, span),
                })
                .collect(),
        ),
    };
    Value::new(kind, span)
}

/// A JSON string with its substitution marks turned back into symbols.
fn with_symbols(text: &str, symbols: &[Symbol]) -> SymStr {
    let mut out = SymStr::default();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else { break };
        match after[..close].parse::<usize>().ok().and_then(|i| symbols.get(i)) {
            Some(symbol) => out.push_symbol(symbol.clone()),
            None => out.push_str(&after[..close]),
        }
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substituted_values_stay_symbols_inside_json_strings() {
        let mut text = SymStr::lit(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:InvokeEndpoint", "Resource": "arn:aws:sagemaker:"#,
        );
        text.push_pseudo(crate::value::Pseudo::Region);
        text.push_str(":123456789012:endpoint/");
        text.push_sym("EndpointName", crate::value::SymbolOrigin::Parameter);
        text.push_str(r#""}]}"#);
        let doc = document(&text, Span::new(3, 9)).expect("valid JSON");
        let statement = &doc.get("Statement").expect("statements").as_list()[0];
        let ValueKind::Str(resource) = &statement.get("Resource").expect("resource").kind else {
            panic!("a string resource")
        };
        assert_eq!(
            resource.to_string(),
            "arn:aws:sagemaker:${AWS::Region}:123456789012:endpoint/${EndpointName}"
        );
        assert_eq!(doc.span, Span::new(3, 9));
    }

    #[test]
    fn invalid_json_says_where() {
        let err = document(&SymStr::lit(r#"{"Version": "2012-10-17",}"#), Span::default()).unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }
}
