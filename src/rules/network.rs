//! Network reachability of the SageMaker runtime from VPC-attached functions (aws-semantics.md
//! §10.2), shared by SL301–SL305 and the network part of SL003. Format-independent: it reads only
//! `model::network`, which the CloudFormation and Terraform builders fill with their defaults.
//!
//! Which path a call takes decides what must hold: with a `sagemaker.runtime` interface endpoint
//! whose private DNS is in effect (or code passing an explicit `endpoint_url`), the runtime hostname
//! resolves to the endpoint, so the endpoint's security groups and policy matter and a NAT route
//! does not help; otherwise traffic leaves by the subnets' default route and must find a NAT gateway.

use crate::diagnostic::Finding;
use crate::iam::{Context, Decision, Inputs, NamedPolicy, Outcome, Request, decide};
use crate::model::network::{
    EndpointKind, Link, LinkAt, NatGateway, Network, Peer, RouteTable, RouteTarget, SecurityGroup, SgRule,
    Subnet, Vpc, VpcConfig, VpcEndpoint,
};
use crate::model::{Function, Model};
use crate::span::{FileId, Loc};
use crate::value::{Piece, SymStr};

/// Findings of the network analysis, by rule.
#[derive(Default)]
pub(super) struct NetFindings {
    pub sl003: Vec<Finding>,
    pub sl301: Vec<Finding>,
    pub sl302: Vec<Finding>,
    pub sl303: Vec<Finding>,
    pub sl304: Vec<Finding>,
    pub sl305: Vec<Finding>,
}

/// Analyses every function that calls an endpoint from a VPC.
pub(super) fn analyse(model: &Model) -> NetFindings {
    let mut out = NetFindings::default();
    for function in &model.functions {
        let Some(cfg) = function.vpc.as_ref().filter(|c| c.attached()) else { continue };
        if function.calls.is_empty() {
            continue;
        }
        Analysis { model, net: &model.network, function, cfg, out: &mut out }.run();
    }
    out
}

/// How a subnet's traffic to a public address leaves the VPC.
enum Egress<'n> {
    Nat,
    /// The default route goes to an internet gateway: a public subnet.
    Igw(Loc),
    /// No default route (the table, if one is known, for the label).
    NoRoute(Option<Loc>),
    /// The default route goes to a NAT gateway that cannot reach the internet.
    BadNat {
        nat: &'n str,
        loc: Loc,
        why: &'static str,
    },
    Unknown(String, Loc),
}

/// Whether a set of security-group rules lets the traffic through.
enum Verdict {
    Allowed,
    Blocked,
    Unknown(String, Loc),
}

/// Where the call goes: the internet (through NAT) or a VPC endpoint.
#[derive(Clone, Copy)]
enum Dest<'n> {
    Internet,
    Endpoint(&'n VpcEndpoint),
}

struct Analysis<'a, 'm> {
    model: &'m Model,
    net: &'m Network,
    function: &'m Function,
    cfg: &'m VpcConfig,
    out: &'a mut NetFindings,
}

impl<'m> Analysis<'_, 'm> {
    fn symptom(&self) -> String {
        let timeout = self.function.timeout.map_or_else(|| "N".to_owned(), |t| format!("{t}.00"));
        format!(
            "the call hangs until the function dies with `Task timed out after {timeout} seconds` (or boto3 raises `ConnectTimeoutError`)"
        )
    }

    fn undecidable(&mut self, what: &str, loc: Loc) {
        self.undecidable_at(what, loc, "not known from the scanned files");
    }

    fn undecidable_at(&mut self, what: &str, loc: Loc, label: &str) {
        let f = self.function;
        self.out.sl003.push(
            Finding::new(format!("cannot check whether {} can reach the SageMaker runtime from its VPC: {what}", f.id))
                .at(loc, label)
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help("lint the templates that define the network together with this one, or give the parameter values with --param")
                .resource(f.id.clone()),
        );
    }

    fn run(&mut self) {
        // Without subnets nothing can be followed; with them, unknown security groups only stop
        // the security-group checks.
        if let Some((why, loc)) = &self.cfg.unknown
            && self.cfg.subnets.is_empty()
        {
            let what = format!("{why}, so its routes and VPC endpoints cannot be checked");
            self.undecidable(&what, *loc);
            return;
        }
        let mut subnets: Vec<&'m Subnet> = Vec::new();
        for s in &self.cfg.subnets {
            if let Some(subnet) = self.subnet(&s.link, s.loc.file) {
                subnets.push(subnet);
            } else {
                let what = format!(
                    "subnet {} is not defined in the scanned files, so its route table and VPC endpoints cannot be checked",
                    describe(&s.link)
                );
                self.undecidable(&what, s.loc);
                return;
            }
        }
        let Some(first) = subnets.first() else { return };
        let vpc = &first.vpc;
        if vpc.resource().is_none() {
            let what = format!(
                "the VPC of subnet {} ({}) is not defined in the scanned files, so its VPC endpoints are unknown",
                first.id,
                describe(vpc)
            );
            self.undecidable(&what, first.loc);
            return;
        }
        let here = self.vpc_key(vpc, first.loc.file);
        let in_vpc: Vec<&'m VpcEndpoint> =
            self.net.vpc_endpoints.iter().filter(|e| self.vpc_key(&e.vpc, e.loc.file) == here).collect();
        if let Some(ep) = in_vpc.iter().find(|e| is_runtime(&e.service).is_none()) {
            let what =
                format!("the service of VPC endpoint {} ({}) is not known statically", ep.id, ep.service);
            self.undecidable(&what, ep.service_loc);
            return;
        }
        let runtime: Vec<&'m VpcEndpoint> =
            in_vpc.into_iter().filter(|e| is_runtime(&e.service) == Some(true)).collect();
        let interface: Vec<&'m VpcEndpoint> =
            runtime.iter().copied().filter(|e| e.kind == EndpointKind::Interface).collect();
        let mut dns_unknown = None;
        let resolving = interface.iter().copied().find(|e| match self.private_dns(e) {
            Ok(on) => on,
            Err(loc) => {
                dns_unknown.get_or_insert((e.id.clone(), loc));
                false
            }
        });
        let chosen =
            resolving.or_else(|| interface.first().copied().filter(|_| self.function.explicit_endpoint_url));
        if let Some(ep) = chosen {
            self.endpoint_path(ep, &subnets);
            return;
        }
        if let Some((id, loc)) = dns_unknown {
            self.undecidable(&format!("whether private DNS of VPC endpoint {id} is on"), loc);
            return;
        }
        let mut bad: Vec<(&'m Subnet, Egress<'m>)> = Vec::new();
        for subnet in &subnets {
            match self.egress(subnet) {
                Egress::Nat => {}
                Egress::Unknown(what, loc) => {
                    let what = format!("subnet {}: {what}", subnet.id);
                    self.undecidable_at(&what, loc, "cannot be followed from the scanned files");
                    return;
                }
                other => bad.push((subnet, other)),
            }
        }
        if bad.is_empty() {
            self.security_groups_out(Dest::Internet);
            return;
        }
        if let Some(ep) = interface.first() {
            self.dns_off(ep, &bad);
        } else {
            self.no_path(&bad, &runtime);
        }
    }

    fn subnet(&self, link: &Link, from: FileId) -> Option<&'m Subnet> {
        pick(&self.net.subnets, link, from)
    }

    fn group(&self, link: &Link, from: FileId) -> Option<&'m SecurityGroup> {
        pick(&self.net.security_groups, link, from)
    }

    fn vpc(&self, link: &Link, from: FileId) -> Option<&'m Vpc> {
        pick(&self.net.vpcs, link, from)
    }

    /// Which VPC a link names: its id and, when the files define it, the defining file.
    fn vpc_key<'l>(&self, link: &'l Link, from: FileId) -> Option<(&'l str, Option<FileId>)> {
        Some((link.resource()?, self.vpc(link, from).map(|v| v.loc.file)))
    }

    /// Two security-group references name the same group.
    fn same_group(&self, a: &Link, a_from: FileId, b: &Link, b_from: FileId) -> bool {
        match (self.group(a, a_from), self.group(b, b_from)) {
            (Some(x), Some(y)) => std::ptr::eq(x, y),
            (None, None) => a == b,
            _ => false,
        }
    }

    /// Private DNS in effect: on for the endpoint and allowed by the VPC's DNS attributes.
    fn private_dns(&self, ep: &VpcEndpoint) -> Result<bool, Loc> {
        let on = ep.private_dns.ok_or(ep.private_dns_loc.unwrap_or(ep.loc))?;
        let vpc = self.vpc(&ep.vpc, ep.loc.file);
        let attrs = vpc.map_or(Some(true), |v| Some(v.dns_support? && v.dns_hostnames?));
        match attrs {
            Some(a) => Ok(on && a),
            None if !on => Ok(false),
            None => Err(vpc.map_or(ep.loc, |v| v.loc)),
        }
    }

    fn egress(&self, subnet: &Subnet) -> Egress<'m> {
        let assoc = self
            .net
            .associations
            .iter()
            .find(|a| self.subnet(&a.subnet, a.loc.file).is_some_and(|s| std::ptr::eq(s, subnet)));
        let table = if let Some(a) = assoc {
            let found = pick(&self.net.route_tables, &a.route_table, a.loc.file);
            let Some(t) = found else {
                let what = format!(
                    "its route table {} is not defined in the scanned files",
                    describe(&a.route_table)
                );
                return Egress::Unknown(what, a.loc);
            };
            Some(t)
        } else {
            // Without an explicit association the VPC's main table applies; a template that does not
            // replace it leaves only the local route (aws-semantics.md §10.1).
            let vpc = self.vpc_key(&subnet.vpc, subnet.loc.file);
            self.net.route_tables.iter().find(|t| t.main && self.vpc_key(&t.vpc, t.loc.file) == vpc)
        };
        let Some(table) = table else { return Egress::NoRoute(None) };
        let default = table.routes.iter().find(|r| r.destination.as_deref() == Some("0.0.0.0/0"));
        let Some(route) = default else {
            if let Some(r) = table.routes.iter().find(|r| r.destination.is_none()) {
                return Egress::Unknown(
                    "a route's destination (a prefix list?) cannot be read".into(),
                    r.loc,
                );
            }
            return Egress::NoRoute(Some(table.loc));
        };
        match &route.target {
            RouteTarget::InternetGateway(_) => Egress::Igw(route.loc),
            RouteTarget::NatGateway(link) => {
                let Some(nat) = pick(&self.net.nat_gateways, link, route.loc.file) else {
                    // A NAT gateway made elsewhere: the usual public kind is assumed.
                    return Egress::Nat;
                };
                if nat.private {
                    return Egress::BadNat { nat: &nat.id, loc: nat.loc, why: "is a private NAT gateway" };
                }
                match self.subnet(&nat.subnet, nat.loc.file).map(|s| self.egress(s)) {
                    Some(Egress::Igw(_)) => Egress::Nat,
                    Some(Egress::Unknown(what, loc)) => {
                        Egress::Unknown(format!("its NAT gateway's subnet: {what}"), loc)
                    }
                    Some(_) => Egress::BadNat {
                        nat: &nat.id,
                        loc: nat.loc,
                        why: "sits in a subnet without a route to an internet gateway",
                    },
                    None => Egress::Unknown(
                        format!("the subnet of NAT gateway {} is not defined in the scanned files", nat.id),
                        nat.loc,
                    ),
                }
            }
            RouteTarget::Opaque(what) => Egress::Unknown(
                format!("its default route leads to {what}, which the files cannot follow"),
                route.loc,
            ),
            RouteTarget::Unknown(what) => Egress::Unknown(what.clone(), route.loc),
        }
    }

    // ---- SL301 / SL304 ---------------------------------------------------------------------------

    fn no_path(&mut self, bad: &[(&'m Subnet, Egress<'m>)], runtime: &[&'m VpcEndpoint]) {
        let f = self.function;
        let public = bad.iter().any(|(_, e)| matches!(e, Egress::Igw(_)));
        let names: Vec<&str> = bad.iter().map(|(s, _)| s.id.as_str()).collect();
        let why = if public {
            format!(
                "subnet {} is public, but an internet gateway gives a Lambda no internet (its network interfaces get no public IP)",
                names.join(", ")
            )
        } else {
            format!("subnet {} has no route to a working NAT gateway", names.join(", "))
        };
        let vpc = describe(&bad[0].0.vpc);
        let mut finding = Finding::new(format!(
            "Lambda {} cannot reach the SageMaker runtime from VPC {vpc}: {why}, and no sagemaker.runtime interface endpoint serves the VPC; {}",
            f.id,
            self.symptom()
        ));
        let (subnet, egress) = &bad[0];
        finding = finding.at(subnet.loc, subnet_label(egress));
        for (s, e) in bad.iter().skip(1) {
            finding = finding.related(s.loc, subnet_label(e));
        }
        for (_, e) in bad {
            finding = match e {
                Egress::Igw(loc) => finding.related(*loc, "the default route goes to an internet gateway"),
                Egress::BadNat { nat, loc, why } => finding.related(*loc, format!("NAT gateway {nat} {why}")),
                Egress::NoRoute(Some(loc)) => {
                    finding.related(*loc, "this route table has no 0.0.0.0/0 route")
                }
                _ => finding,
            };
        }
        for ep in runtime {
            finding = finding.related(
                ep.loc,
                "a Gateway-type endpoint (CloudFormation's default): sagemaker.runtime needs VpcEndpointType Interface",
            );
        }
        self.out.sl301.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the endpoint is invoked here")
                .help("put the function in private subnets whose 0.0.0.0/0 route goes to a NAT gateway in a public subnet, or add an interface VPC endpoint for com.amazonaws.<region>.sagemaker.runtime with private DNS on")
                .resource(f.id.clone()),
        );
    }

    fn dns_off(&mut self, ep: &'m VpcEndpoint, bad: &[(&'m Subnet, Egress<'m>)]) {
        let f = self.function;
        let vpc = self.vpc(&ep.vpc, ep.loc.file);
        let (why, at, label) = match vpc {
            Some(v) if ep.private_dns == Some(true) => (
                format!(
                    "VPC {} does not enable both EnableDnsSupport and EnableDnsHostnames, which private DNS needs",
                    v.id
                ),
                v.loc,
                "private DNS needs EnableDnsSupport and EnableDnsHostnames true here (EnableDnsHostnames defaults to false)".to_owned(),
            ),
            _ => match ep.private_dns_loc {
                Some(loc) => {
                    ("its private DNS is off".to_owned(), loc, "private DNS is turned off here".to_owned())
                }
                None => (
                    "its private DNS is off".to_owned(),
                    ep.loc,
                    "private DNS is not enabled (off by default)".to_owned(),
                ),
            },
        };
        let mut finding = Finding::new(format!(
            "Lambda {} cannot use sagemaker.runtime VPC endpoint {}: {why}, so the SDK resolves runtime.sagemaker.<region>.amazonaws.com to public addresses, and subnet {} has no NAT route to reach them; {}",
            f.id,
            ep.id,
            bad.iter().map(|(s, _)| s.id.as_str()).collect::<Vec<_>>().join(", "),
            self.symptom()
        ))
        .at(at, label)
        .related(ep.loc, "the interface endpoint");
        for (s, e) in bad {
            finding = finding.related(s.loc, subnet_label(e));
        }
        self.out.sl304.push(
            finding
                .related(self.cfg.loc, "the function's VpcConfig")
                .related(f.calls[0].site, "the client is created without endpoint_url")
                .help("set PrivateDnsEnabled: true on the endpoint (with EnableDnsSupport and EnableDnsHostnames on the VPC), or pass endpoint_url=\"https://<vpce-id>.runtime.sagemaker.<region>.vpce.amazonaws.com\" to the client")
                .resource(f.id.clone()),
        );
    }

    // ---- SL302 / SL303 / SL305 -------------------------------------------------------------------

    fn endpoint_path(&mut self, ep: &'m VpcEndpoint, subnets: &[&'m Subnet]) {
        let out_ok = self.security_groups_out(Dest::Endpoint(ep));
        let in_ok = self.endpoint_ingress(ep, subnets);
        if out_ok && in_ok {
            self.endpoint_policy(ep);
        }
    }

    /// SL302; true when the traffic may leave.
    fn security_groups_out(&mut self, dest: Dest<'m>) -> bool {
        let f = self.function;
        let mut unknown = self.groups_unknown();
        let mut groups = Vec::new();
        for link in &self.cfg.security_groups {
            match self.group(&link.link, link.loc.file) {
                Some(g) => groups.push(g),
                None => {
                    unknown.get_or_insert((
                        format!(
                            "security group {} is not defined in the scanned files",
                            describe(&link.link)
                        ),
                        link.loc,
                    ));
                }
            }
        }
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
        .at(g.egress_loc, format!("the egress rules of {} do not cover TCP 443 to the runtime", g.id));
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
        let mut groups = Vec::new();
        for link in &ep.security_groups {
            match self.group(&link.link, link.loc.file) {
                Some(g) => groups.push(g),
                None => {
                    unknown.get_or_insert((
                        format!(
                            "security group {} is not defined in the scanned files",
                            describe(&link.link)
                        ),
                        link.loc,
                    ));
                }
            }
        }
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
        let (at, label, detail) = match groups.first() {
            Some(g) => (
                g.ingress_loc,
                format!("the ingress rules of {} do not admit TCP 443 from the function", g.id),
                String::new(),
            ),
            None => (
                ep.loc,
                "no SecurityGroupIds: the VPC's default security group applies".to_owned(),
                " (without SecurityGroupIds it gets the VPC's default security group, which admits only its own members)".to_owned(),
            ),
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
                .help("add an ingress rule for TCP 443 from the function's security group (SourceSecurityGroupId) or its subnets' CIDR to the endpoint's security group")
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
                        .help(format!("allow {action} on the endpoint ARN in the VPC endpoint's PolicyDocument (or drop the document for full access)"))
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

/// A network resource with an id, defined in some file.
trait Defined {
    fn id(&self) -> &str;
    fn file(&self) -> FileId;
}

macro_rules! defined {
    ($($t:ty),*) => {$(
        impl Defined for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn file(&self) -> FileId {
                self.loc.file
            }
        }
    )*};
}
defined!(Vpc, Subnet, RouteTable, NatGateway, SecurityGroup);

/// The resource a link names. Logical ids repeat across templates (every stack has its
/// `PrivateSubnet`) and a CloudFormation reference never leaves its template, so a definition in
/// the referring file wins; otherwise (Terraform modules span files) any definition with that id.
fn pick<'x, T: Defined>(items: &'x [T], link: &Link, from: FileId) -> Option<&'x T> {
    let id = link.resource()?;
    let mut named = items.iter().filter(|i| i.id() == id);
    let first = named.next()?;
    if first.file() == from {
        return Some(first);
    }
    Some(named.find(|i| i.file() == from).unwrap_or(first))
}

fn decide_endpoint(policy: &crate::model::AttachedPolicy, action: &str, arn: &SymStr) -> Decision {
    let context =
        Context::default().with_value("aws:SecureTransport", "true").with_value("aws:ViaAWSService", "false");
    let request = Request { action: action.to_owned(), resource: arn.clone(), context };
    let inputs = Inputs {
        identity: vec![NamedPolicy { name: policy.name.clone(), doc: &policy.doc }],
        ..Inputs::default()
    };
    decide(&request, &inputs)
}

fn subnet_label(e: &Egress<'_>) -> &'static str {
    match e {
        Egress::Igw(_) => "a public subnet: the function gets no public IP here",
        Egress::BadNat { .. } => "its NAT gateway cannot reach the internet",
        _ => "no route to a NAT gateway",
    }
}

fn describe(link: &Link) -> String {
    match link {
        Link::Resource(id) => id.clone(),
        Link::External(what) => what.clone(),
    }
}

/// `Some(true)` for `com.amazonaws.<region>.sagemaker.runtime` and its FIPS variant (China:
/// `cn.com.amazonaws.`); `None` when the name ends in something not known statically.
fn is_runtime(service: &SymStr) -> Option<bool> {
    match service.pieces().last() {
        Some(Piece::Lit(tail)) => {
            let tail = tail.to_ascii_lowercase();
            Some(tail.ends_with(".sagemaker.runtime") || tail.ends_with(".sagemaker.runtime-fips"))
        }
        Some(_) => None,
        None => Some(false),
    }
}

fn is_everything(cidr: &str) -> bool {
    cidr.trim() == "0.0.0.0/0"
}

/// Whether IPv4 CIDR `outer` holds all of `inner`; `None` when either cannot be read.
fn cidr_covers(outer: &str, inner: &str) -> Option<bool> {
    let parse = |c: &str| -> Option<(u32, u32)> {
        let (ip, len) = c.trim().split_once('/').unwrap_or((c.trim(), "32"));
        let ip: std::net::Ipv4Addr = ip.parse().ok()?;
        let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
        Some((u32::from(ip), len))
    };
    let ((o, ol), (i, il)) = (parse(outer)?, parse(inner)?);
    let mask = u32::MAX.checked_shl(32 - ol).unwrap_or(0);
    Some(il >= ol && o & mask == i & mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_containment() {
        assert_eq!(cidr_covers("10.0.0.0/16", "10.0.1.0/24"), Some(true));
        assert_eq!(cidr_covers("10.0.1.0/24", "10.0.0.0/16"), Some(false));
        assert_eq!(cidr_covers("10.1.0.0/16", "10.0.1.0/24"), Some(false));
        assert_eq!(cidr_covers("0.0.0.0/0", "192.0.2.0/24"), Some(true));
        assert_eq!(cidr_covers("x", "10.0.0.0/8"), None);
    }

    #[test]
    fn runtime_service_names() {
        let mut s = SymStr::lit("com.amazonaws.");
        s.push_sym("AWS::Region");
        s.push_str(".sagemaker.runtime");
        assert_eq!(is_runtime(&s), Some(true));
        assert_eq!(
            is_runtime(&SymStr::lit("cn.com.amazonaws.cn-north-1.sagemaker.runtime-fips")),
            Some(true)
        );
        assert_eq!(is_runtime(&SymStr::lit("com.amazonaws.us-east-1.sagemaker.api")), Some(false));
        assert_eq!(is_runtime(&SymStr::sym("ServiceParam")), None);
    }
}
