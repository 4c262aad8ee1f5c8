//! Inline Lambda code (`Code.ZipFile`, SAM `InlineCode`) written with intrinsics: JSON templates
//! usually give it as `{"Fn::Join": ["\n", ["line", "line", …]]}`, YAML ones sometimes as `!Sub |`.
//! CloudFormation evaluates the intrinsic and deploys the result
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html>),
//! so the code is the joined text; parts that cannot be known become a placeholder, and a call
//! whose endpoint name contains one is not known statically.

use crate::code::{EndpointName, HandlerScan, NamePart};
use crate::formats::cloudformation::embedded::OffsetMap;
use crate::formats::cloudformation::resolve::Resolver;
use crate::span::Span;
use crate::syntax::{Node, NodeKind};

/// Stands for a part CloudFormation fills in that the files do not tell: an identifier, so code
/// around it still lexes.
const PLACEHOLDER: &str = "__cfn_value__";

/// The code text of an inline code property and where each byte of it is written.
pub(super) fn inline_text<'s>(
    node: &Node,
    template: &dyn Fn(Span) -> &'s str,
    resolver: &Resolver<'_>,
) -> Option<(String, OffsetMap)> {
    if let Some(text) = node.as_str() {
        return Some((text.to_owned(), string_map(text, node, template)));
    }
    if let Some(args) = node.get("Fn::Join") {
        let [sep, parts] = args.items() else { return None };
        let sep = sep.as_str()?;
        let NodeKind::Seq(parts) = &parts.kind else { return None };
        let mut text = String::new();
        let mut pieces = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                text.push_str(sep);
            }
            let start = u32::try_from(text.len()).ok()?;
            if let Some(s) = part.as_str() {
                pieces.push((start, string_map(s, part, template)));
                text.push_str(s);
            } else {
                let value = resolver.resolve(part).as_literal();
                let s = value.as_deref().unwrap_or(PLACEHOLDER);
                pieces.push((start, OffsetMap::new("", template(part.span), part.span.start)));
                text.push_str(s);
            }
        }
        return Some((text, OffsetMap::concat(pieces, node.span)));
    }
    // `${Name}` stays in the text: a call naming it gets no literal endpoint name (see `neutralize`).
    let sub = node.get("Fn::Sub")?;
    let body = sub.as_str().map_or_else(|| sub.items().first(), |_| Some(sub))?;
    let text = body.as_str()?;
    Some((text.to_owned(), string_map(text, body, template)))
}

/// `template` gives the source text of a span: the template's, or a module's (origins.rs).
fn string_map<'s>(text: &str, node: &Node, template: &dyn Fn(Span) -> &'s str) -> OffsetMap {
    OffsetMap::new(text, template(node.span), node.span.start)
}

/// Endpoint names and environment variables built from a part CloudFormation fills in are not
/// what the code says literally. Only `Fn::Sub` fills in `${Name}` (`under_sub`): in plain or
/// joined code it is literal text that reaches SageMaker as written, so it is judged as a name.
pub(super) fn neutralize(scan: &mut HandlerScan, under_sub: bool) {
    let substituted = |s: &str| s.contains(PLACEHOLDER) || (under_sub && s.contains("${"));
    for call in &mut scan.calls {
        match &mut call.endpoint {
            EndpointName::Literal { value, span } if substituted(value) => {
                call.endpoint = EndpointName::Dynamic {
                    from_request: false,
                    span: *span,
                    why: "a value CloudFormation substitutes into the inline code".into(),
                };
            }
            EndpointName::EnvVar { default, .. } if default.as_deref().is_some_and(substituted) => {
                *default = None;
            }
            EndpointName::Composed { parts, span } => {
                let substituted_part = |p: &NamePart| match p {
                    NamePart::Lit(text) => substituted(text),
                    NamePart::Env { default, .. } => default.as_deref().is_some_and(substituted),
                    NamePart::Unknown { .. } => false,
                };
                if parts.iter().any(substituted_part) {
                    call.endpoint = EndpointName::Dynamic {
                        from_request: false,
                        span: *span,
                        why: "a value CloudFormation substitutes into the inline code".into(),
                    };
                }
            }
            _ => {}
        }
    }
    scan.env_reads.retain(|r| !substituted(&r.var));
}
