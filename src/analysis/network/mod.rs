//! Network reachability of the SageMaker runtime from VPC-attached functions (aws-semantics.md
//! §10.2), shared by SL301–SL305, the network part of SL003 and the invoke decision (whether a
//! call carries the VPC condition keys). Format-independent: it reads only
//! `model::network`, which the CloudFormation and Terraform builders fill with their defaults.
//!
//! Which path a call takes decides what must hold: with a `sagemaker.runtime` interface endpoint
//! whose private DNS is in effect (or code passing an explicit `endpoint_url`), the runtime hostname
//! resolves to the endpoint, so the endpoint's security groups and policy matter and a NAT route
//! does not help; otherwise traffic leaves by the subnets' default route and must find a NAT gateway.

use crate::model::network::{
    EndpointKind, Link, NatGateway, Network, RouteTable, RouteTarget, SecurityGroup, Subnet, Vpc, VpcConfig,
    VpcEndpoint,
};
use crate::model::{AttachedPolicy, Call, Function, Model};
use crate::span::{FileId, Loc};
use crate::value::{Piece, SymStr};

mod endpoint;
mod no_path;

/// What the network analysis found wrong or unknown on one function's path to the runtime.
pub(crate) struct NetProblem<'m> {
    pub function: &'m Function,
    pub cfg: &'m VpcConfig,
    pub kind: NetKind<'m>,
}

/// The problem, with what a rule needs to explain it.
pub(crate) enum NetKind<'m> {
    /// Something the path depends on is not known (SL003); `followed`: found while following
    /// a subnet's routes.
    Unknown { what: Unknown<'m>, at: Loc, followed: bool },
    /// No NAT route and no interface endpoint (SL301): the subnets without a path, and the
    /// runtime endpoints of the VPC that are not of the interface kind.
    NoPath { bad: Vec<(&'m Subnet, Egress<'m>)>, runtime: Vec<&'m VpcEndpoint> },
    /// An interface endpoint the SDK does not resolve to, and subnets without NAT (SL304).
    DnsOff { endpoint: &'m VpcEndpoint, vpc: Option<&'m Vpc>, bad: Vec<(&'m Subnet, Egress<'m>)> },
    /// The function's security groups do not let TCP 443 out to `dest` (SL302).
    EgressBlocked { groups: Vec<&'m SecurityGroup>, dest: Dest<'m> },
    /// The endpoint's security groups (none: the VPC's default one) do not admit the function (SL303).
    IngressBlocked { endpoint: &'m VpcEndpoint, groups: Vec<&'m SecurityGroup> },
    /// The endpoint policy denies a call (SL305); `deny_at`: the certain Deny statement, when
    /// the denial is explicit.
    PolicyDenies {
        endpoint: &'m VpcEndpoint,
        policy: &'m AttachedPolicy,
        call: &'m Call,
        arn: SymStr,
        explicit: bool,
        deny_at: Option<Loc>,
    },
}

/// What the files do not tell about a function's network path.
pub(crate) enum Unknown<'m> {
    /// The function's subnets cannot be read (the builder's reason).
    Subnets(&'m str),
    SubnetUndefined(&'m Link),
    /// The VPC of this subnet is not defined in the files.
    VpcUndefined(&'m Subnet),
    EndpointService(&'m VpcEndpoint),
    PrivateDns(&'m str),
    /// A subnet's route to the internet cannot be followed.
    Route(&'m Subnet, RouteUnknown<'m>),
    /// Whether the function's security groups let TCP 443 out.
    GroupsOut(GroupUnknown<'m>),
    /// The endpoint's security groups cannot be read (the builder's reason).
    EndpointGroups(&'m VpcEndpoint, &'m str),
    /// Whether the endpoint's security groups admit the function.
    Ingress(&'m VpcEndpoint, GroupUnknown<'m>),
    /// The endpoint policy cannot be read (the builder's reason).
    EndpointPolicy(&'m str),
    /// The endpoint policy's decision depends on these keys or values.
    EndpointPolicyDepends {
        endpoint: &'m VpcEndpoint,
        action: &'static str,
        depends: Vec<crate::value::Symbol>,
    },
}

/// Why a subnet's route cannot be followed.
#[derive(Clone)]
pub(crate) enum RouteUnknown<'m> {
    TableUndefined(&'m Link),
    /// A route's destination (a prefix list?) cannot be read.
    Destination,
    /// The NAT gateway's own subnet's route cannot be followed.
    NatSubnet(Box<RouteUnknown<'m>>),
    /// The subnet of this NAT gateway is not defined in the files.
    NatSubnetUndefined(&'m str),
    /// The default route leads to something the files cannot follow (the builder's words).
    Opaque(&'m str),
    /// The builder's reason, as it gives it.
    Unreadable(&'m str),
}

/// Why a set of security groups cannot be judged.
#[derive(Clone)]
pub(crate) enum GroupUnknown<'m> {
    /// A rule of this group cannot be evaluated.
    Rule(&'m str),
    /// The group's rules cannot be read: the builder's reason, and the group.
    Rules(&'m str, &'m str),
    Undefined(&'m Link),
    /// The function's security groups cannot be read (the builder's reason).
    Config(&'m str),
}

/// The network analysis of a run.
pub(crate) struct NetPaths<'m> {
    pub problems: Vec<NetProblem<'m>>,
    /// Per function (index in `model.functions`): its calls to the runtime certainly leave its VPC
    /// through NAT, not through a VPC endpoint: no `sagemaker.runtime` interface endpoint with
    /// private DNS in effect serves its VPC, no code passes an `endpoint_url`, and every subnet's
    /// default route is followed to a NAT gateway. The request then carries no aws:SourceVpc /
    /// aws:SourceVpce / aws:VpcSourceIp.
    pub via_nat: Vec<bool>,
}

/// Analyses every function that calls an endpoint from a VPC, each once (functions are
/// independent: in parallel when `parallel`), merged in model order.
pub(crate) fn analyse(model: &Model, parallel: bool) -> NetPaths<'_> {
    let per_function = super::map_in_order(&model.functions, parallel, |_, function| {
        let mut out = Vec::new();
        let Some(cfg) = function.vpc.as_ref().filter(|c| c.attached()) else { return (out, false) };
        if function.calls.is_empty() {
            return (out, false);
        }
        let mut analysis =
            Analysis { model, net: &model.network, function, cfg, out: &mut out, via_nat: false };
        analysis.run();
        let via_nat = analysis.via_nat && !function.explicit_endpoint_url;
        (out, via_nat)
    });
    let mut paths = NetPaths { problems: Vec::new(), via_nat: Vec::with_capacity(per_function.len()) };
    for (problems, via_nat) in per_function {
        paths.problems.extend(problems);
        paths.via_nat.push(via_nat);
    }
    paths
}

/// How a subnet's traffic to a public address leaves the VPC.
#[derive(Clone)]
pub(crate) enum Egress<'n> {
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
    Unknown(RouteUnknown<'n>, Loc),
}

/// Whether a set of security-group rules lets the traffic through.
enum Verdict<'m> {
    Allowed,
    Blocked,
    Unknown(GroupUnknown<'m>, Loc),
}

/// Where the call goes: the internet (through NAT) or a VPC endpoint.
#[derive(Clone, Copy)]
pub(crate) enum Dest<'n> {
    Internet,
    Endpoint(&'n VpcEndpoint),
}

struct Analysis<'a, 'm> {
    model: &'m Model,
    net: &'m Network,
    function: &'m Function,
    cfg: &'m VpcConfig,
    out: &'a mut Vec<NetProblem<'m>>,
    /// Set when every subnet certainly reaches the runtime's public addresses through NAT.
    via_nat: bool,
}

impl<'m> Analysis<'_, 'm> {
    fn push(&mut self, kind: NetKind<'m>) {
        self.out.push(NetProblem { function: self.function, cfg: self.cfg, kind });
    }

    fn undecidable(&mut self, what: Unknown<'m>, at: Loc) {
        self.push(NetKind::Unknown { what, at, followed: false });
    }

    fn run(&mut self) {
        // Without subnets nothing can be followed; with them, unknown security groups only stop
        // the security-group checks.
        if let Some((why, loc)) = &self.cfg.unknown
            && self.cfg.subnets.is_empty()
        {
            self.undecidable(Unknown::Subnets(why), *loc);
            return;
        }
        let mut subnets: Vec<&'m Subnet> = Vec::new();
        for s in &self.cfg.subnets {
            if let Some(subnet) = self.subnet(&s.link, s.loc.file) {
                subnets.push(subnet);
            } else {
                self.undecidable(Unknown::SubnetUndefined(&s.link), s.loc);
                return;
            }
        }
        let Some(first) = subnets.first() else { return };
        let vpc = &first.vpc;
        if vpc.resource().is_none() {
            self.undecidable(Unknown::VpcUndefined(first), first.loc);
            return;
        }
        let here = self.vpc_key(vpc, first.loc.file);
        let in_vpc: Vec<&'m VpcEndpoint> = self
            .net
            .vpc_endpoints
            .iter()
            .filter(|e| e.vpc == *vpc && self.vpc_key(&e.vpc, e.loc.file) == here)
            .collect();
        if let Some(ep) = in_vpc.iter().find(|e| is_runtime(&e.service).is_none()) {
            self.undecidable(Unknown::EndpointService(ep), ep.service_loc);
            return;
        }
        let runtime: Vec<&'m VpcEndpoint> =
            in_vpc.into_iter().filter(|e| is_runtime(&e.service) == Some(true)).collect();
        let interface: Vec<&'m VpcEndpoint> =
            runtime.iter().copied().filter(|e| e.kind == EndpointKind::Interface).collect();
        let mut dns_unknown = None;
        let resolving = interface.iter().copied().find(|e| {
            let e: &'m VpcEndpoint = e;
            match self.private_dns(e) {
                Ok(on) => on,
                Err(loc) => {
                    dns_unknown.get_or_insert((e.id.as_str(), loc));
                    false
                }
            }
        });
        let chosen =
            resolving.or_else(|| interface.first().copied().filter(|_| self.function.explicit_endpoint_url));
        if let Some(ep) = chosen {
            self.endpoint_path(ep, &subnets);
            return;
        }
        if let Some((id, loc)) = dns_unknown {
            self.undecidable(Unknown::PrivateDns(id), loc);
            return;
        }
        let mut bad: Vec<(&'m Subnet, Egress<'m>)> = Vec::new();
        let mut unknown = None;
        for subnet in &subnets {
            match self.egress(subnet, true) {
                Egress::Nat => {}
                Egress::Unknown(what, loc) => {
                    unknown.get_or_insert((Unknown::Route(subnet, what), loc));
                }
                other => bad.push((subnet, other)),
            }
        }
        // A subnet that certainly has no path fails whatever the others do.
        if bad.is_empty() {
            if let Some((what, loc)) = unknown {
                self.push(NetKind::Unknown { what, at: loc, followed: true });
            } else {
                self.via_nat = true;
                self.security_groups_out(Dest::Internet);
            }
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

    /// The security groups `links` name that the files define, and the first one they do not
    /// (its absence means the group checks cannot be decided), kept in `unknown` if it is empty.
    fn groups_of(
        &self,
        links: &'m [crate::model::network::LinkAt],
        unknown: &mut Option<(GroupUnknown<'m>, Loc)>,
    ) -> Vec<&'m SecurityGroup> {
        let mut groups = Vec::new();
        for link in links {
            match self.group(&link.link, link.loc.file) {
                Some(g) => groups.push(g),
                None => {
                    unknown.get_or_insert((GroupUnknown::Undefined(&link.link), link.loc));
                }
            }
        }
        groups
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

    /// Where the subnet's default route leads. `follow_nat` is false for a NAT gateway's own
    /// subnet: a public NAT gateway needs a direct route to an internet gateway, and following a
    /// NAT route from there would loop when the NAT gateway sits in a subnet it serves.
    fn egress(&self, subnet: &'m Subnet, follow_nat: bool) -> Egress<'m> {
        let assoc = self
            .net
            .associations
            .iter()
            .filter(|a| a.subnet.resource() == Some(subnet.id.as_str()))
            .find(|a| self.subnet(&a.subnet, a.loc.file).is_some_and(|s| std::ptr::eq(s, subnet)));
        let table = if let Some(a) = assoc {
            let found = pick(&self.net.route_tables, &a.route_table, a.loc.file);
            let Some(t) = found else {
                return Egress::Unknown(RouteUnknown::TableUndefined(&a.route_table), a.loc);
            };
            Some(t)
        } else {
            // Without an explicit association the VPC's main table applies; a template that does not
            // replace it leaves only the local route (aws-semantics.md §10.1).
            let vpc = self.vpc_key(&subnet.vpc, subnet.loc.file);
            self.net
                .route_tables
                .iter()
                .find(|t| t.main && t.vpc == subnet.vpc && self.vpc_key(&t.vpc, t.loc.file) == vpc)
        };
        let Some(table) = table else { return Egress::NoRoute(None) };
        let default = table.routes.iter().find(|r| r.destination.as_deref() == Some("0.0.0.0/0"));
        let Some(route) = default else {
            if let Some(r) = table.routes.iter().find(|r| r.destination.is_none()) {
                return Egress::Unknown(RouteUnknown::Destination, r.loc);
            }
            return Egress::NoRoute(Some(table.loc));
        };
        match &route.target {
            RouteTarget::InternetGateway(_) => Egress::Igw(route.loc),
            RouteTarget::NatGateway(_) if !follow_nat => Egress::NoRoute(Some(table.loc)),
            RouteTarget::NatGateway(link) => {
                let Some(nat) = pick(&self.net.nat_gateways, link, route.loc.file) else {
                    // A NAT gateway made elsewhere: the usual public kind is assumed.
                    return Egress::Nat;
                };
                if nat.private {
                    return Egress::BadNat { nat: &nat.id, loc: nat.loc, why: "is a private NAT gateway" };
                }
                match self.subnet(&nat.subnet, nat.loc.file).map(|s| self.egress(s, false)) {
                    Some(Egress::Igw(_)) => Egress::Nat,
                    Some(Egress::Unknown(what, loc)) => {
                        Egress::Unknown(RouteUnknown::NatSubnet(Box::new(what)), loc)
                    }
                    Some(_) => Egress::BadNat {
                        nat: &nat.id,
                        loc: nat.loc,
                        why: "sits in a subnet without a route to an internet gateway",
                    },
                    None => Egress::Unknown(RouteUnknown::NatSubnetUndefined(&nat.id), nat.loc),
                }
            }
            RouteTarget::Opaque(what) => Egress::Unknown(RouteUnknown::Opaque(what), route.loc),
            RouteTarget::Unknown(what) => Egress::Unknown(RouteUnknown::Unreadable(what), route.loc),
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
    use crate::value::{Pseudo, SymbolOrigin};

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
        s.push_pseudo(Pseudo::Region);
        s.push_str(".sagemaker.runtime");
        assert_eq!(is_runtime(&s), Some(true));
        assert_eq!(
            is_runtime(&SymStr::lit("cn.com.amazonaws.cn-north-1.sagemaker.runtime-fips")),
            Some(true)
        );
        assert_eq!(is_runtime(&SymStr::lit("com.amazonaws.us-east-1.sagemaker.api")), Some(false));
        assert_eq!(is_runtime(&SymStr::sym("ServiceParam", SymbolOrigin::Parameter)), None);
    }
}
