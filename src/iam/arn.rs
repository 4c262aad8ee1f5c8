//! ARNs: splitting a (possibly symbolic) ARN into its parts, building SageMaker endpoint ARNs the
//! way SageMaker authorises them (lower-case name), and the shape check behind "bad ARN" findings.
//!
//! Layout `arn:partition:service:region:account-id:resource`, where the resource part may itself
//! contain `:` and `/`: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>

use std::fmt;

use crate::value::{Piece, SymStr};

/// A parsed ARN. Each part may contain symbols (e.g. `${AWS::Region}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: SymStr,
    pub service: SymStr,
    pub region: SymStr,
    pub account: SymStr,
    /// Everything after the fifth colon, further colons included.
    pub resource: SymStr,
}

impl Arn {
    /// Splits an ARN at its first five colons. Symbols never contain a colon, so they stay whole.
    /// Returns `None` unless the text starts with `arn:` and has all six parts.
    ///
    /// ```
    /// use sagelint::iam::arn::Arn;
    /// use sagelint::value::{Pseudo, SymStr};
    /// let arn = Arn::parse(&SymStr::lit("arn:aws:logs:us-east-1:111122223333:log-group:/a:log-stream:b")).unwrap();
    /// assert_eq!(arn.service, SymStr::lit("logs"));
    /// assert_eq!(arn.resource, SymStr::lit("log-group:/a:log-stream:b"));
    ///
    /// let mut s = SymStr::lit("arn:aws:sagemaker:us-east-1:");
    /// s.push_pseudo(Pseudo::AccountId);
    /// s.push_str(":endpoint/x");
    /// let arn = Arn::parse(&s).unwrap();
    /// assert_eq!(arn.account, SymStr::pseudo(Pseudo::AccountId));
    /// assert_eq!(arn.to_symstr(), s);
    /// assert!(Arn::parse(&SymStr::lit("arn:aws:s3")).is_none());
    /// ```
    #[must_use]
    pub fn parse(s: &SymStr) -> Option<Arn> {
        let mut parts: Vec<SymStr> = vec![SymStr::default()];
        for piece in s.pieces() {
            match piece {
                Piece::Sym(sym) => {
                    last_mut(&mut parts).append(&SymStr::symbol(sym.clone()));
                }
                Piece::Lit(text) => {
                    let mut rest = text.as_str();
                    while parts.len() < 6 {
                        let Some(pos) = rest.find(':') else { break };
                        last_mut(&mut parts).push_str(&rest[..pos]);
                        parts.push(SymStr::default());
                        rest = &rest[pos + 1..];
                    }
                    last_mut(&mut parts).push_str(rest);
                }
            }
        }
        if parts.len() != 6 || parts[0].as_literal() != Some("arn") {
            return None;
        }
        let mut it = parts.into_iter().skip(1);
        Some(Arn {
            partition: it.next()?,
            service: it.next()?,
            region: it.next()?,
            account: it.next()?,
            resource: it.next()?,
        })
    }

    /// The ARN as one string again.
    #[must_use]
    pub fn to_symstr(&self) -> SymStr {
        let mut out = SymStr::lit("arn:");
        for (i, part) in [&self.partition, &self.service, &self.region, &self.account, &self.resource]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push_str(":");
            }
            out.append(part);
        }
        out
    }
}

fn last_mut(parts: &mut Vec<SymStr>) -> &mut SymStr {
    if parts.is_empty() {
        parts.push(SymStr::default());
    }
    let last = parts.len() - 1;
    &mut parts[last]
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_symstr().fmt(f)
    }
}

/// The ARN SageMaker authorises an invoke against:
/// `arn:{partition}:sagemaker:{region}:{account}:endpoint/{name}` with the literal parts of the
/// name lower-cased. SageMaker lower-cases resource names inside the ARNs it returns and checks
/// (field evidence: <https://github.com/philschmid/cdk-samples/issues/2>,
/// <https://github.com/aws/amazon-sagemaker-examples/issues/293>; CloudFormation's `Ref` example
/// on <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-endpoint.html>).
/// A symbolic part of the name stays as it is (its case is unknown).
///
/// ```
/// use sagelint::iam::arn::sagemaker_endpoint_arn;
/// use sagelint::value::{Pseudo, SymStr};
/// let arn = sagemaker_endpoint_arn(
///     &SymStr::pseudo(Pseudo::Partition),
///     &SymStr::lit("us-east-1"),
///     &SymStr::lit("111122223333"),
///     &SymStr::lit("My-LaBSE-Endpoint"),
/// );
/// assert_eq!(arn.to_string(), "arn:${AWS::Partition}:sagemaker:us-east-1:111122223333:endpoint/my-labse-endpoint");
/// ```
#[must_use]
pub fn sagemaker_endpoint_arn(
    partition: &SymStr,
    region: &SymStr,
    account: &SymStr,
    endpoint_name: &SymStr,
) -> SymStr {
    let mut out = SymStr::lit("arn:");
    out.append(partition);
    out.push_str(":sagemaker:");
    out.append(region);
    out.push_str(":");
    out.append(account);
    out.push_str(":endpoint/");
    out.append(&endpoint_name.map_literals(str::to_lowercase));
    out
}

/// Is this literal text shaped like an ARN (wildcards allowed)? `arn:`, a non-empty partition
/// and service, region and account (either may be empty, as for S3 and IAM), and a non-empty
/// resource part.
///
/// ```
/// use sagelint::iam::arn::is_valid_arn_shape;
/// assert!(is_valid_arn_shape("arn:aws:sagemaker:us-east-1:111122223333:endpoint/x"));
/// assert!(is_valid_arn_shape("arn:aws:s3:::bucket/*"));
/// assert!(is_valid_arn_shape("arn:aws:logs:*:*:*"));
/// assert!(!is_valid_arn_shape("arn:aws:sagemaker:us-east-1:endpoint/x"));
/// assert!(!is_valid_arn_shape("endpoint/x"));
/// assert!(!is_valid_arn_shape("arn:aws:s3:::"));
/// ```
#[must_use]
pub fn is_valid_arn_shape(s: &str) -> bool {
    let mut parts = s.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(_region), Some(_account), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !partition.is_empty() && !service.is_empty() && !resource.is_empty()
}
