//! What must hold on the chosen path: the function's egress (SL302), the endpoint's ingress
//! (SL303) and the endpoint policy (SL305).

use super::{Analysis, Dest, GroupUnknown, NetKind, Unknown, Verdict, cidr_covers, is_everything};
use crate::iam::{Context, Decision, Inputs, NamedPolicy, Outcome, Request, decide};
use crate::model::AttachedPolicy;
use crate::model::network::{Link, LinkAt, Peer, SecurityGroup, SgRule, Subnet, Vpc, VpcConfig, VpcEndpoint};
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
            self.undecidable(Unknown::GroupsOut(what), loc);
            return false;
        }
        self.push(NetKind::EgressBlocked { groups, dest });
        false
    }

    /// The function's security groups as a whole cannot be read (a parameter list).
    fn groups_unknown(&self) -> Option<(GroupUnknown<'m>, Loc)> {
        let cfg: &'m VpcConfig = self.cfg;
        cfg.unknown
            .as_ref()
            .filter(|_| !cfg.subnets.is_empty())
            .map(|(why, loc)| (GroupUnknown::Config(why.as_str()), *loc))
    }

    fn rules_allow(
        g: &'m SecurityGroup,
        rules: &'m [SgRule],
        allows: impl Fn(&SgRule) -> Option<bool>,
    ) -> Verdict<'m> {
        let mut unknown = None;
        for rule in rules {
            match allows(rule) {
                Some(true) => return Verdict::Allowed,
                None => {
                    unknown.get_or_insert((GroupUnknown::Rule(&g.id), rule.loc));
                }
                Some(false) => {}
            }
        }
        if let Some((what, loc)) = &g.unknown_rules {
            return Verdict::Unknown(GroupUnknown::Rules(what, &g.id), *loc);
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
    /// not known: a range that holds the VPC's holds them, and one that shares no address with it
    /// holds none of them, unless the files give the VPC another range).
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
                if cidr_covers(cidr, vpc_cidr)? {
                    Some(true)
                } else if !self.net.secondary_cidr_blocks && !cidr_covers(vpc_cidr, cidr)? {
                    // Two prefixes either nest or share no address.
                    Some(false)
                } else {
                    None
                }
            }
        }
    }

    /// SL303; true when the endpoint admits the function.
    fn endpoint_ingress(&mut self, ep: &'m VpcEndpoint, subnets: &[&'m Subnet]) -> bool {
        if let Some((what, loc)) = &ep.security_groups_unknown {
            self.undecidable(Unknown::EndpointGroups(ep, what), *loc);
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
            self.undecidable(Unknown::Ingress(ep, what), loc);
            return false;
        }
        self.push(NetKind::IngressBlocked { endpoint: ep, groups });
        false
    }

    /// SL305: the endpoint policy is evaluated like an identity policy whose statements all name
    /// every principal (the builder leaves other principals to SL003).
    fn endpoint_policy(&mut self, ep: &'m VpcEndpoint) {
        if let Some((what, loc)) = &ep.policy_unknown {
            self.undecidable(Unknown::EndpointPolicy(what), *loc);
            return;
        }
        let Some(policy) = &ep.policy else { return };
        // Endpoint policies are not supported on the FIPS runtime endpoint (aws-semantics.md §10.1).
        if ep.service.to_string().ends_with("-fips") {
            return;
        }
        let mut seen: Vec<(String, SymStr)> = Vec::new();
        let f = self.function;
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
                    let deny_at = decision.denies.iter().find(|h| h.is_certain()).map(|h| h.loc);
                    self.push(NetKind::PolicyDenies { endpoint: ep, policy, call, arn, explicit, deny_at });
                }
                _ => {
                    let what = Unknown::EndpointPolicyDepends {
                        endpoint: ep,
                        action,
                        depends: decision.depends_on(),
                    };
                    self.undecidable(what, policy.loc);
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
