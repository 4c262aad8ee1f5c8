//! What must hold on the chosen path: the function's egress (SL302), the endpoint's ingress
//! (SL303) and the endpoint policy (SL305).

use super::{Analysis, Dest, Verdict, cidr_covers, is_everything};
use crate::diagnostic::Finding;
use crate::iam::{Context, Decision, Inputs, NamedPolicy, Outcome, Request, decide};
use crate::model::AttachedPolicy;
use crate::model::network::{Link, LinkAt, Peer, SecurityGroup, SgRule, Subnet, Vpc, VpcEndpoint};
use crate::span::Loc;
use crate::value::SymStr;

impl<'m> Analysis<'_, 'm> {
    // ---- SL302 / SL303 / SL305 -------------------------------------------------------------------

    pub(super) fn endpoint_path(&mut self, ep: &'m VpcEndpoint, subnets: &[&'m Subnet]) {
        let out_ok = self.security_groups_out(Dest::Endpoint(ep));
        let in_ok = self.endpoint_ingress(ep, subnets);
        if out_ok && in_ok {
            self.endpoint_policy(ep);
        }
    }

    /// SL302; true when the traffic may leave.
    pub(super) fn security_groups_out(&mut self, dest: Dest<'m>) -> bool {
        let f = self.function;
        let mut unknown = self.groups_unknown();
        let groups = self.groups_of(&self.cfg.security_groups, &mut unknown);
        if groups.is_empty() && unknown.is_none() {
            return true;
        }
        for g in &groups {
            match Self::rules_allow(g, &g.egress, |rule| self.egress_allows(g, rule, dest)) {
                Verdict::Allowed => return true,
                Verdict::Unknown(what, loc) => {
                    unknown.get_or_insert((what, loc));
                }
                Verdict::Blocked => {}
            }
        }
        if let Some((what, loc)) = unknown {
            self.undecidable(&format!("whether its security groups allow TCP 443 out: {what}"), loc);
            return false;
        }
        let (to, help) = match dest {
            Dest::Internet => (
                "0.0.0.0/0 (the NAT path)".to_owned(),
                "add an egress rule for TCP 443 to 0.0.0.0/0 (the runtime's public addresses, through the NAT gateway)",
            ),
            Dest::Endpoint(ep) => (
                format!("VPC endpoint {} (its security group or subnets)", ep.id),
                "add an egress rule for TCP 443 to the endpoint's security group (DestinationSecurityGroupId) or its subnets' CIDR",
            ),
        };
        let g = groups[0];
        let mut finding = Finding::new(format!(
            "Lambda {}'s security groups do not allow outbound TCP 443 to {to}, so it cannot reach the SageMaker runtime; {}",
            f.id,
            self.symptom()
        ))
        .at(g.egress_loc, if g.egress.is_empty() && g.unknown_rules.is_none() && self.model.speaks_terraform(g.loc) {
            // The one way to get a group without egress in practice, and a surprise to users who
            // know the AWS console's (and CloudFormation's) allow-all default (aws-semantics.md §9).
            format!("{} writes no egress rule, and Terraform removes AWS's default allow-all egress", g.id)
        } else {
            format!("the egress rules of {} do not cover TCP 443 to the runtime", g.id)
        });
        for other in groups.iter().skip(1) {
            finding = finding.related(other.egress_loc, format!("nor do those of {}", other.id));
        }
        if let Dest::Endpoint(ep) = dest {
            finding = finding.related(ep.loc, "the sagemaker.runtime endpoint the call resolves to");
        }
        self.out.sl302.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help(help)
                .resource(f.id.clone()),
        );
        false
    }

    /// The function's security groups as a whole cannot be read (a parameter list).
    fn groups_unknown(&self) -> Option<(String, Loc)> {
        self.cfg.unknown.clone().filter(|_| !self.cfg.subnets.is_empty())
    }

    fn rules_allow(g: &SecurityGroup, rules: &[SgRule], allows: impl Fn(&SgRule) -> Option<bool>) -> Verdict {
        let mut unknown = None;
        for rule in rules {
            match allows(rule) {
                Some(true) => return Verdict::Allowed,
                None => {
                    unknown.get_or_insert((format!("a rule of {} cannot be evaluated", g.id), rule.loc));
                }
                Some(false) => {}
            }
        }
        if let Some((what, loc)) = &g.unknown_rules {
            return Verdict::Unknown(format!("{} of {}", what, g.id), *loc);
        }
        match unknown {
            Some((what, loc)) => Verdict::Unknown(what, loc),
            None => Verdict::Blocked,
        }
    }

    fn egress_allows(&self, g: &SecurityGroup, rule: &SgRule, dest: Dest<'m>) -> Option<bool> {
        if !rule.covers_https() {
            return Some(false);
        }
        match (&rule.peer, dest) {
            (Peer::Cidr(c), Dest::Internet) => Some(is_everything(c)),
            (Peer::Cidr(c), Dest::Endpoint(ep)) => {
                self.cidr_covers_subnets(c, &ep.subnets, self.vpc(&ep.vpc, ep.loc.file))
            }
            (Peer::Group(link), Dest::Endpoint(ep)) => Some(
                ep.security_groups.iter().any(|s| self.same_group(&s.link, s.loc.file, link, rule.loc.file)),
            ),
            (Peer::OwnGroup, Dest::Endpoint(ep)) => Some(
                ep.security_groups
                    .iter()
                    .any(|s| self.group(&s.link, s.loc.file).is_some_and(|x| std::ptr::eq(x, g))),
            ),
            (Peer::Group(_) | Peer::OwnGroup, Dest::Internet) => Some(false),
            (Peer::PrefixList(_) | Peer::Unknown(_), _) => None,
        }
    }

    /// Whether a CIDR holds every address of the given subnets (or of the VPC when their ranges are
    /// not known).
    fn cidr_covers_subnets(&self, cidr: &str, subnets: &[LinkAt], vpc: Option<&Vpc>) -> Option<bool> {
        if is_everything(cidr) {
            return Some(true);
        }
        let ranges: Option<Vec<&str>> = subnets
            .iter()
            .map(|s| self.subnet(&s.link, s.loc.file).and_then(|s| s.cidr.as_deref()))
            .collect();
        match ranges {
            Some(r) if !r.is_empty() => {
                r.iter().map(|inner| cidr_covers(cidr, inner)).try_fold(true, |acc, c| Some(acc && c?))
            }
            _ => {
                let vpc_cidr = vpc?.cidr.as_deref()?;
                if cidr_covers(cidr, vpc_cidr)? { Some(true) } else { None }
            }
        }
    }

    /// SL303; true when the endpoint admits the function.
    fn endpoint_ingress(&mut self, ep: &'m VpcEndpoint, subnets: &[&'m Subnet]) -> bool {
        let f = self.function;
        if let Some((what, loc)) = &ep.security_groups_unknown {
            self.undecidable(&format!("the security groups of VPC endpoint {}: {what}", ep.id), *loc);
            return false;
        }
        let functions_groups_unknown = self.groups_unknown();
        let client_subnets: Vec<LinkAt> =
            subnets.iter().map(|s| LinkAt { link: Link::Resource(s.id.clone()), loc: s.loc }).collect();
        let mut unknown = None;
        let groups = self.groups_of(&ep.security_groups, &mut unknown);
        for g in &groups {
            let verdict = Self::rules_allow(g, &g.ingress, |rule| {
                if !rule.covers_https() {
                    return Some(false);
                }
                match &rule.peer {
                    Peer::Group(link) => {
                        let ours = self
                            .cfg
                            .security_groups
                            .iter()
                            .any(|s| self.same_group(&s.link, s.loc.file, link, rule.loc.file));
                        if ours || functions_groups_unknown.is_none() { Some(ours) } else { None }
                    }
                    Peer::OwnGroup => Some(
                        self.cfg
                            .security_groups
                            .iter()
                            .any(|s| self.group(&s.link, s.loc.file).is_some_and(|x| std::ptr::eq(x, *g))),
                    ),
                    Peer::Cidr(c) => {
                        let vpc = subnets.first().and_then(|s| self.vpc(&s.vpc, s.loc.file));
                        self.cidr_covers_subnets(c, &client_subnets, vpc)
                    }
                    Peer::PrefixList(_) | Peer::Unknown(_) => None,
                }
            });
            match verdict {
                Verdict::Allowed => return true,
                Verdict::Unknown(what, loc) => {
                    unknown.get_or_insert((what, loc));
                }
                Verdict::Blocked => {}
            }
        }
        if let Some((what, loc)) = unknown {
            self.undecidable(&format!("whether VPC endpoint {} admits TCP 443 from it: {what}", ep.id), loc);
            return false;
        }
        let key = if self.model.speaks_terraform(ep.loc) { "security_group_ids" } else { "SecurityGroupIds" };
        let (at, label, detail) = match groups.first() {
            Some(g) => (
                g.ingress_loc,
                format!("the ingress rules of {} do not admit TCP 443 from the function", g.id),
                String::new(),
            ),
            None => (
                ep.loc,
                format!("no {key}: the VPC's default security group applies"),
                format!(
                    " (without {key} it gets the VPC's default security group, which admits only its own members)"
                ),
            ),
        };
        let source_key = if self.model.speaks_terraform(ep.loc) {
            "referenced_security_group_id of an aws_vpc_security_group_ingress_rule"
        } else {
            "SourceSecurityGroupId"
        };
        let mut finding = Finding::new(format!(
            "sagemaker.runtime VPC endpoint {}{detail} does not admit TCP 443 from Lambda {}'s security groups or subnets; {}",
            ep.id,
            f.id,
            self.symptom()
        ))
        .at(at, label)
        .related(ep.loc, "the endpoint the call resolves to");
        for g in groups.iter().skip(1) {
            finding = finding.related(g.ingress_loc, format!("nor do those of {}", g.id));
        }
        self.out.sl303.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help(format!("add an ingress rule for TCP 443 from the function's security group ({source_key}) or its subnets' CIDR to the endpoint's security group"))
                .resource(f.id.clone()),
        );
        false
    }

    /// SL305: the endpoint policy is evaluated like an identity policy whose statements all name
    /// every principal (the builder leaves other principals to SL003).
    fn endpoint_policy(&mut self, ep: &'m VpcEndpoint) {
        let f = self.function;
        if let Some((what, loc)) = &ep.policy_unknown {
            self.undecidable(what, *loc);
            return;
        }
        let Some(policy) = &ep.policy else { return };
        // Endpoint policies are not supported on the FIPS runtime endpoint (aws-semantics.md §10.1).
        if ep.service.to_string().ends_with("-fips") {
            return;
        }
        let mut seen: Vec<(String, SymStr)> = Vec::new();
        for call in &f.calls {
            let Some(arn) = self.model.request_arn(f, &call.target) else { continue };
            let action = call.api.action();
            if seen.iter().any(|(a, r)| a == action && r == &arn) {
                continue;
            }
            seen.push((action.to_owned(), arn.clone()));
            let decision = decide_endpoint(policy, action, &arn);
            match decision.outcome {
                Outcome::Allowed | Outcome::AllowedIf if decision.depends_on().is_empty() => {}
                Outcome::ImplicitDeny | Outcome::ExplicitDeny(_) => {
                    let explicit = matches!(decision.outcome, Outcome::ExplicitDeny(_));
                    let (at, label) = match decision.denies.iter().find(|h| h.is_certain()) {
                        Some(h) if explicit => (h.loc, "this statement denies the request".to_owned()),
                        _ => (policy.loc, format!("no statement allows {action} on this endpoint")),
                    };
                    let text = if explicit {
                        "with an explicit deny in a VPC endpoint policy".to_owned()
                    } else {
                        format!("because no VPC endpoint policy allows the {action} action")
                    };
                    self.out.sl305.push(
                        Finding::new(format!(
                            "the policy of VPC endpoint {} does not allow {action} on {arn}: Lambda {} gets `AccessDeniedException: … is not authorized to perform: {action} on resource: {arn} {text}`",
                            ep.id, f.id
                        ))
                        .at(at, label)
                        .related(ep.loc, "the endpoint the call goes through")
                        .related(self.cfg.loc, "the function's VpcConfig")
                        .related(call.site, "the endpoint is invoked here")
                        .help(format!("allow {action} on the endpoint ARN in the VPC endpoint's {} (or drop the document for full access)", if self.model.speaks_terraform(ep.loc) { "policy" } else { "PolicyDocument" }))
                        .resource(f.id.clone()),
                    );
                }
                _ => {
                    let what = format!(
                        "whether the policy of VPC endpoint {} allows {action}: it depends on {}",
                        ep.id,
                        decision.depends_on().join(", ")
                    );
                    self.undecidable(&what, policy.loc);
                }
            }
        }
    }
}

fn decide_endpoint(policy: &AttachedPolicy, action: &str, arn: &SymStr) -> Decision {
    let context =
        Context::default().with_value("aws:SecureTransport", "true").with_value("aws:ViaAWSService", "false");
    let request = Request { action: action.to_owned(), resource: arn.clone(), context };
    let inputs = Inputs {
        identity: vec![NamedPolicy { name: policy.name.clone(), doc: &policy.doc }],
        ..Inputs::default()
    };
    decide(&request, &inputs)
}
