//! CloudFormation/SAM network resources → `model::network`: VPCs, subnets, route tables and routes,
//! NAT and internet gateways, VPC endpoints, security groups with their inline and standalone rules,
//! and functions' `VpcConfig`. CloudFormation's defaults are applied here (aws-semantics.md §8.1):
//! a group without embedded egress and without a standalone egress resource gets the implicit
//! allow-all egress; endpoints default to `Gateway` with private DNS off.

use crate::formats::cloudformation::resolve::{Resolver, Target as RefTarget, getatt_parts};
use crate::iam::parse_policy;
use crate::model::AttachedPolicy;
use crate::model::network::{
    EndpointKind, InternetGateway, Link, LinkAt, NatGateway, Network, Peer, Route, RouteTable,
    RouteTableAssociation, RouteTarget, SecurityGroup, SgRule, Subnet, Vpc, VpcConfig, VpcEndpoint,
};
use crate::span::{Loc, Span};

use super::origins::Origins;
use crate::syntax::{Entry, Node, NodeKind};
use crate::value::{Value, ValueKind};

/// Reads network resources of one template.
pub(crate) struct NetBuilder<'a> {
    /// The file of each span (a template expanded from `rain pkg` modules spans several).
    pub origins: &'a Origins,
    pub root: &'a Node,
    pub resolver: &'a Resolver<'a>,
}

/// Stands in for a resource without `Properties`.
static NO_PROPERTIES: Node = Node { kind: NodeKind::Null, span: Span::new(0, 0) };

fn properties(r: &Entry) -> &Node {
    r.value.get("Properties").unwrap_or(&NO_PROPERTIES)
}

fn resources(root: &Node) -> &[Entry] {
    root.get("Resources").map(Node::entries).unwrap_or_default()
}

fn kind_of(r: &Entry) -> &str {
    r.value.get("Type").and_then(Node::as_str).unwrap_or("")
}

impl NetBuilder<'_> {
    fn loc(&self, span: Span) -> Loc {
        self.origins.loc(span)
    }

    fn resource_kind(&self, id: &str) -> Option<&str> {
        match self.resolver.targets.get(id) {
            Some(RefTarget::Resource { kind, .. }) => Some(kind),
            _ => None,
        }
    }

    /// What a `Ref`/`GetAtt`/literal id points at.
    pub(super) fn link(&self, node: &Node) -> Link {
        if let Some(id) = node.get("Ref").and_then(Node::as_str) {
            if self.resource_kind(id).is_some() {
                return Link::Resource(id.to_owned());
            }
            return match self.resolver.resolve(node).as_literal() {
                Some(text) => Link::External(format!("{text} (parameter {id})")),
                None => Link::External(format!("parameter {id}")),
            };
        }
        if let Some(arg) = node.get("Fn::GetAtt")
            && let Some((id, attr)) = getatt_parts(arg)
            && self.resource_kind(&id).is_some()
        {
            if attr == "DefaultSecurityGroup" {
                return Link::External(format!("the default security group of {id}"));
            }
            return Link::Resource(id);
        }
        if let Some(text) = node.scalar_text() {
            return Link::External(text);
        }
        if let Some(name) = node.get("Fn::ImportValue").and_then(|n| self.resolver.resolve(n).as_literal()) {
            return Link::Imported(name);
        }
        match self.resolver.resolve(node).as_symstr() {
            Some(s) => Link::External(s.to_string()),
            None => Link::External(format!(
                "a computed value ({})",
                self.resolver.resolve(node).unknown_reason().unwrap_or("not known statically")
            )),
        }
    }

    fn link_at(&self, node: &Node) -> LinkAt {
        LinkAt { link: self.link(node), loc: self.loc(node.span) }
    }

    /// A list of ids: written out item by item, or a whole list that cannot be read (a
    /// `List<AWS::EC2::Subnet::Id>` parameter, `Fn::Split` of an import) with the reason.
    fn link_list(&self, node: &Node, what: &str) -> (Vec<LinkAt>, Option<(String, Loc)>) {
        if let NodeKind::Seq(items) = &node.kind {
            return (items.iter().map(|i| self.link_at(i)).collect(), None);
        }
        let value = self.resolver.resolve(node);
        if let ValueKind::List(items) = &value.kind
            && items.iter().all(|v| v.as_literal().is_some())
        {
            let links = items
                .iter()
                .filter_map(Value::as_literal)
                .map(|t| LinkAt { link: Link::External(t), loc: self.loc(node.span) })
                .collect();
            return (links, None);
        }
        let why = match node.get("Ref").and_then(Node::as_str) {
            Some(p) => format!("the {what} come from parameter {p}"),
            None => format!(
                "the {what} are computed ({})",
                value.unknown_reason().unwrap_or("the list is not known statically")
            ),
        };
        (Vec::new(), Some((why, self.loc(node.span))))
    }

    fn bool_prop(&self, node: Option<&Node>, default: bool) -> Option<bool> {
        let Some(node) = node else { return Some(default) };
        match self.resolver.resolve(node).as_literal()?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    fn literal(&self, node: Option<&Node>) -> Option<String> {
        node.and_then(|n| self.resolver.resolve(n).as_literal())
    }

    /// `VpcConfig` of a function, SAM's `Globals.Function.VpcConfig` included; `Err` (why, and the
    /// `VpcConfig` key) when the whole configuration is computed, e.g. `Fn::If` on a template
    /// condition.
    pub(super) fn function_vpc(
        &self,
        node: &Node,
        serverless: bool,
    ) -> Result<Option<VpcConfig>, (String, Loc)> {
        let entry = node.get("Properties").and_then(|p| p.entry("VpcConfig")).or_else(|| {
            let globals = self.root.get("Globals").and_then(|g| g.get("Function"));
            if serverless { globals.and_then(|f| f.entry("VpcConfig")) } else { None }
        });
        let Some(entry) = entry else { return Ok(None) };
        let mut value = &entry.value;
        if !value.is_map() || value.get("Fn::If").is_some() {
            // `!If [Cond, {...}, !Ref AWS::NoValue]` is decided when the condition is.
            let resolved = self.resolver.resolve(value);
            if crate::formats::cloudformation::resolve::is_no_value(&resolved) {
                return Ok(None);
            }
            match resolved.kind {
                ValueKind::Map(_) if value.get("Fn::If").is_some() => {
                    let branch = value.get("Fn::If").map(Node::items).unwrap_or_default();
                    let Some(b) = branch.iter().skip(1).find(|b| self.resolver.resolve(b) == resolved) else {
                        let why = "VpcConfig depends on a template condition";
                        return Err((why.to_owned(), self.loc(entry.key_span)));
                    };
                    value = b;
                }
                ValueKind::Unknown(why) => return Err((why, self.loc(entry.key_span))),
                _ => return Err(("VpcConfig is not a mapping".to_owned(), self.loc(entry.key_span))),
            }
        }
        let mut cfg = VpcConfig {
            loc: self.loc(entry.key_span),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            unknown: None,
        };
        if let Some(s) = value.get("SubnetIds") {
            let (links, unknown) = self.link_list(s, "subnets");
            cfg.subnets = links;
            cfg.unknown = unknown;
        }
        if let Some(s) = value.get("SecurityGroupIds") {
            let (links, unknown) = self.link_list(s, "security groups");
            cfg.security_groups = links;
            cfg.unknown = cfg.unknown.or(unknown);
        }
        Ok(Some(cfg))
    }

    /// Every network resource of the template.
    pub(super) fn network(&self, into: &mut Network) {
        let root = self.root;
        for r in resources(root) {
            let p = properties(r);
            let loc = self.loc(r.key_span);
            let id = r.key.as_str().to_owned();
            match kind_of(r) {
                "AWS::EC2::VPCCidrBlock" => into.secondary_cidr_blocks = true,
                "AWS::EC2::VPC" => into.vpcs.push(Vpc {
                    id,
                    loc,
                    cidr: self.literal(p.get("CidrBlock")),
                    dns_support: self.bool_prop(p.get("EnableDnsSupport"), true),
                    dns_hostnames: self.bool_prop(p.get("EnableDnsHostnames"), false),
                }),
                "AWS::EC2::Subnet" => into.subnets.push(Subnet {
                    id,
                    loc,
                    vpc: p.get("VpcId").map_or(Link::External("no VpcId".into()), |v| self.link(v)),
                    cidr: self.literal(p.get("CidrBlock")),
                }),
                "AWS::EC2::RouteTable" => into.route_tables.push(RouteTable {
                    id,
                    loc,
                    vpc: p.get("VpcId").map_or(Link::External("no VpcId".into()), |v| self.link(v)),
                    routes: Vec::new(),
                    main: false,
                }),
                "AWS::EC2::SubnetRouteTableAssociation" => {
                    if let (Some(s), Some(t)) = (p.get("SubnetId"), p.get("RouteTableId")) {
                        into.associations.push(RouteTableAssociation {
                            subnet: self.link(s),
                            route_table: self.link(t),
                            loc,
                        });
                    }
                }
                "AWS::EC2::NatGateway" => into.nat_gateways.push(NatGateway {
                    id,
                    loc,
                    subnet: p.get("SubnetId").map_or(Link::External("no SubnetId".into()), |v| self.link(v)),
                    private: self.literal(p.get("ConnectivityType")).is_some_and(|c| c == "private"),
                }),
                "AWS::EC2::InternetGateway" => {
                    into.internet_gateways.push(InternetGateway { id, loc, vpc: None });
                }
                "AWS::EC2::VPCEndpoint" => into.vpc_endpoints.push(self.endpoint(id, loc, p)),
                "AWS::EC2::SecurityGroup" => into.security_groups.push(self.security_group(id, loc, p)),
                _ => {}
            }
        }
        for r in resources(root) {
            let p = properties(r);
            match kind_of(r) {
                "AWS::EC2::VPCGatewayAttachment" => {
                    let (Some(igw), Some(vpc)) = (p.get("InternetGatewayId"), p.get("VpcId")) else {
                        continue;
                    };
                    if let Link::Resource(igw) = self.link(igw)
                        && let Some(g) = into
                            .internet_gateways
                            .iter_mut()
                            .find(|g| g.id == igw && self.origins.owns(g.loc.file))
                    {
                        g.vpc = Some(self.link(vpc));
                    }
                }
                "AWS::EC2::Route" => {
                    let Some(Link::Resource(table)) = p.get("RouteTableId").map(|t| self.link(t)) else {
                        continue;
                    };
                    if let Some(route) = self.route(p, self.loc(r.key_span))
                        && let Some(t) = into
                            .route_tables
                            .iter_mut()
                            .find(|t| t.id == table && self.origins.owns(t.loc.file))
                    {
                        t.routes.push(route);
                    }
                }
                kind @ ("AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress") => {
                    let egress = kind.ends_with("Egress");
                    let Some(Link::Resource(group)) = p.get("GroupId").map(|g| self.link(g)) else {
                        continue;
                    };
                    let Some(sg) = into
                        .security_groups
                        .iter_mut()
                        .find(|g| g.id == group && self.origins.owns(g.loc.file))
                    else {
                        continue;
                    };
                    let rule = self.sg_rule(p, self.loc(r.key_span), egress);
                    if egress {
                        // A standalone egress rule removes the default allow-all (aws-semantics.md §8.1).
                        sg.egress.retain(|e| !e.implicit);
                    }
                    match rule {
                        Ok(Some(rule)) if egress => sg.egress.push(rule),
                        Ok(Some(rule)) => sg.ingress.push(rule),
                        Ok(None) => {}
                        Err(why) => {
                            sg.unknown_rules.get_or_insert((why, self.loc(r.key_span)));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn route(&self, p: &Node, loc: Loc) -> Option<Route> {
        if p.get("DestinationIpv6CidrBlock").is_some() {
            return None; // Lambda reaches the runtime over IPv4 unless dual-stack is enabled
        }
        let destination = self.literal(p.get("DestinationCidrBlock"));
        let opaque = [
            ("TransitGatewayId", "a transit gateway"),
            ("VpcPeeringConnectionId", "a VPC peering connection"),
            ("InstanceId", "an instance (NAT instance)"),
            ("NetworkInterfaceId", "a network interface"),
            ("VpcEndpointId", "a firewall or Gateway Load Balancer endpoint"),
            ("CarrierGatewayId", "a carrier gateway"),
            ("LocalGatewayId", "a local gateway"),
            ("CoreNetworkArn", "a Cloud WAN core network"),
        ];
        let target = if let Some(n) = p.get("NatGatewayId") {
            RouteTarget::NatGateway(self.link(n))
        } else if let Some(g) = p.get("GatewayId") {
            let link = self.link(g);
            match &link {
                Link::Resource(id) if self.resource_kind(id) == Some("AWS::EC2::InternetGateway") => {
                    RouteTarget::InternetGateway(link)
                }
                Link::Resource(id) => RouteTarget::Opaque(format!("gateway {id}")),
                Link::External(text) if text.starts_with("igw-") => RouteTarget::InternetGateway(link),
                Link::External(text) if text == "local" => return None,
                Link::External(_) | Link::Imported(_) => RouteTarget::Opaque(format!("gateway {link}")),
            }
        } else if let Some((key, what)) = opaque.iter().find(|(k, _)| p.get(k).is_some()) {
            let via = p.get(key).map(|n| self.link(n));
            let name = match via {
                Some(link) => format!("{what} ({link})"),
                None => (*what).to_owned(),
            };
            RouteTarget::Opaque(name)
        } else if p.get("EgressOnlyInternetGatewayId").is_some() {
            return None;
        } else {
            RouteTarget::Unknown("a route without a readable target".into())
        };
        Some(Route { destination, target, loc })
    }

    fn endpoint(&self, id: String, loc: Loc, p: &Node) -> VpcEndpoint {
        let service_node = p.get("ServiceName");
        let service = service_node.and_then(|s| self.resolver.resolve(s).as_symstr()).unwrap_or_else(|| {
            crate::formats::cloudformation::resolve::resource_attribute(&id, "ServiceName")
        });
        let kind = match self.literal(p.get("VpcEndpointType")).as_deref() {
            None if p.get("VpcEndpointType").is_none() => EndpointKind::Gateway,
            Some("Interface") => EndpointKind::Interface,
            Some("Gateway") => EndpointKind::Gateway,
            _ => EndpointKind::Other,
        };
        let (subnets, _) = p.get("SubnetIds").map(|s| self.link_list(s, "subnets")).unwrap_or_default();
        let (security_groups, security_groups_unknown) =
            p.get("SecurityGroupIds").map(|s| self.link_list(s, "security groups")).unwrap_or_default();
        let (policy, policy_unknown) = match p.entry("PolicyDocument") {
            None => (None, None),
            Some(entry) => self.endpoint_policy(&id, entry),
        };
        VpcEndpoint {
            dialect: crate::model::Dialect::CloudFormation,
            service_loc: self.loc(service_node.map_or(loc.span, |s| s.span)),
            vpc: p.get("VpcId").map_or(Link::External("no VpcId".into()), |v| self.link(v)),
            service,
            kind,
            private_dns: self.bool_prop(p.get("PrivateDnsEnabled"), false),
            private_dns_loc: p.entry("PrivateDnsEnabled").map(|e| self.loc(e.key_span.cover(e.value.span))),
            subnets,
            security_groups,
            security_groups_unknown,
            policy,
            policy_unknown,
            id,
            loc,
        }
    }

    /// An endpoint policy. The evaluator ignores `Principal` (it decides identity policies), so a
    /// policy whose statements name principals other than everyone is left to SL003.
    fn endpoint_policy(&self, id: &str, entry: &Entry) -> (Option<AttachedPolicy>, Option<(String, Loc)>) {
        let value = self.resolver.resolve(&entry.value);
        let loc = self.loc(entry.key_span);
        let statements: Vec<&Value> = value.get("Statement").map(Value::as_list).unwrap_or_default();
        let readable = value.entries().iter().all(|e| e.value.unknown_reason().is_none())
            && statements.iter().all(|s| s.unknown_reason().is_none());
        if !readable {
            return (None, Some((format!("the policy of VPC endpoint {id} is computed"), loc)));
        }
        if !statements.iter().all(|s| crate::iam::policy::names_only_everyone(s)) {
            return (
                None,
                Some((
                    format!(
                        "the policy of VPC endpoint {id} names specific principals, which are not evaluated"
                    ),
                    loc,
                )),
            );
        }
        let (mut doc, _) = parse_policy(&value, loc.file);
        crate::formats::map_locs(&mut doc, |l| self.origins.loc(l.span));
        (Some(AttachedPolicy { name: format!("{id} endpoint policy"), doc, loc }), None)
    }

    fn security_group(&self, id: String, loc: Loc, p: &Node) -> SecurityGroup {
        let mut sg = SecurityGroup {
            dialect: crate::model::Dialect::CloudFormation,
            vpc: p.get("VpcId").map(|v| self.link(v)),
            ingress: Vec::new(),
            egress: Vec::new(),
            egress_loc: self.loc(p.entry("SecurityGroupEgress").map_or(loc.span, |e| e.key_span)),
            ingress_loc: self.loc(p.entry("SecurityGroupIngress").map_or(loc.span, |e| e.key_span)),
            unknown_rules: None,
            id,
            loc,
        };
        for (key, egress) in [("SecurityGroupIngress", false), ("SecurityGroupEgress", true)] {
            let Some(list) = p.get(key) else { continue };
            let NodeKind::Seq(items) = &list.kind else {
                sg.unknown_rules = Some((format!("{key} is computed"), self.loc(list.span)));
                continue;
            };
            for item in items {
                match self.sg_rule(item, self.loc(item.span), egress) {
                    Ok(Some(rule)) if egress => sg.egress.push(rule),
                    Ok(Some(rule)) => sg.ingress.push(rule),
                    Ok(None) => {}
                    Err(why) => {
                        sg.unknown_rules.get_or_insert((why, self.loc(item.span)));
                    }
                }
            }
        }
        // An empty list does not count as "specified" (aws-semantics.md §8.1).
        if p.get("SecurityGroupEgress").is_none_or(|e| e.items().is_empty() && !e.is_map()) {
            for cidr in ["0.0.0.0/0", "::/0"] {
                sg.egress.push(SgRule {
                    protocol: "-1".into(),
                    from_port: None,
                    to_port: None,
                    peer: Peer::Cidr(cidr.into()),
                    loc,
                    implicit: true,
                });
            }
        }
        sg
    }

    /// `!GetAtt Vpc.CidrBlock` (CDK writes endpoint ingress this way): the VPC's literal block.
    fn vpc_cidr(&self, node: &Node) -> Option<String> {
        let (id, attr) = getatt_parts(node.get("Fn::GetAtt")?)?;
        if attr != "CidrBlock" || self.resource_kind(&id) != Some("AWS::EC2::VPC") {
            return None;
        }
        let vpc = resources(self.root).iter().find(|r| r.key == id)?;
        self.literal(vpc.value.get("Properties").and_then(|p| p.get("CidrBlock")))
    }

    /// One rule (inline or standalone); `Ok(None)` when it names no peer (CloudFormation adds nothing).
    fn sg_rule(&self, r: &Node, loc: Loc, egress: bool) -> Result<Option<SgRule>, String> {
        let protocol = self
            .literal(r.get("IpProtocol"))
            .ok_or_else(|| "a rule's IpProtocol is not known statically".to_owned())?
            .to_ascii_lowercase();
        let port = |key: &str| -> Result<Option<i64>, String> {
            match r.get(key) {
                None => Ok(None),
                Some(n) => self
                    .literal(Some(n))
                    .and_then(|t| t.parse().ok())
                    .map(Some)
                    .ok_or_else(|| format!("a rule's {key} is not known statically")),
            }
        };
        let (from_port, to_port) = (port("FromPort")?, port("ToPort")?);
        let keys: &[(&str, u8)] = if egress {
            &[
                ("CidrIp", 0),
                ("CidrIpv6", 0),
                ("DestinationPrefixListId", 1),
                ("DestinationSecurityGroupId", 2),
            ]
        } else {
            &[("CidrIp", 0), ("CidrIpv6", 0), ("SourcePrefixListId", 1), ("SourceSecurityGroupId", 2)]
        };
        let Some((key, kind)) = keys.iter().find(|(k, _)| r.get(k).is_some()) else {
            if r.get("SourceSecurityGroupName").is_some() {
                return Err("a rule names its source group by name (SourceSecurityGroupName)".into());
            }
            return Ok(None);
        };
        let node = r.get(key).ok_or_else(|| "unreachable".to_owned())?;
        let peer = match kind {
            0 => match self.literal(Some(node)).or_else(|| self.vpc_cidr(node)) {
                Some(c) => Peer::Cidr(c),
                None => Peer::Unknown(format!("{key} is not known statically")),
            },
            1 => Peer::PrefixList(self.literal(Some(node)).unwrap_or_else(|| (*key).to_owned())),
            _ => Peer::Group(self.link(node)),
        };
        Ok(Some(SgRule { protocol, from_port, to_port, peer, loc, implicit: false }))
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::cloudformation::{BuildOptions, CodeCache, build};
    use crate::model::Model;
    use crate::model::network::{EndpointKind, Link, Peer, RouteTarget};
    use crate::source::{SourceFile, SourceMap};

    fn model(text: &str) -> Model {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("t.yaml".into(), "t.yaml".into(), text.to_owned()));
        let root = crate::syntax::yaml::parse_yaml(text).root.expect("the test template parses");
        let mut model = Model::default();
        build(&mut model, &mut sources, &mut CodeCache::default(), file, &root, &BuildOptions::default());
        model
    }

    const GROUPS: &str = "
Resources:
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: a, VpcId: vpc-1}
  EmptyList:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: b, SecurityGroupEgress: []}
  Inline:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: c
      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16}]
  Standalone:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: d}
  StandaloneRule:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt Standalone.GroupId
      IpProtocol: '-1'
      DestinationSecurityGroupId: !Ref Open
";

    #[test]
    fn cloudformation_default_egress_applies_only_without_written_egress() {
        let m = model(GROUPS);
        let group = |id: &str| m.network.security_groups.iter().find(|g| g.id == id).expect("group is read");
        assert!(group("Open").egress.iter().all(|r| r.implicit) && group("Open").egress.len() == 2);
        assert_eq!(group("Open").vpc, Some(Link::External("vpc-1".into())));
        assert!(group("EmptyList").egress.iter().any(|r| r.implicit && r.covers_https()));
        let inline = &group("Inline").egress;
        assert!(inline.len() == 1 && !inline[0].implicit && !inline[0].covers_https());
        let standalone = &group("Standalone").egress;
        assert_eq!(standalone.len(), 1);
        assert_eq!(standalone[0].peer, Peer::Group(Link::Resource("Open".into())));
    }

    #[test]
    fn routes_endpoints_and_parameters() {
        let m = model(
            "
Parameters:
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}
Resources:
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: vpc-1}
  ToTgw:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, TransitGatewayId: tgw-1}
  Ep:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: !Sub com.amazonaws.${AWS::Region}.sagemaker.runtime
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig: {SubnetIds: !Ref Subnets, SecurityGroupIds: [sg-1]}
",
        );
        let route = &m.network.route_tables[0].routes[0];
        assert!(matches!(&route.target, RouteTarget::Opaque(what) if what.contains("transit gateway")));
        let ep = &m.network.vpc_endpoints[0];
        assert_eq!((ep.kind, ep.private_dns), (EndpointKind::Gateway, Some(false)));
        let vpc = m.functions[0].vpc.as_ref().expect("VpcConfig is read");
        assert!(vpc.attached() && vpc.subnets.is_empty());
        assert!(vpc.unknown.as_ref().is_some_and(|(why, _)| why.contains("parameter Subnets")));
        assert_eq!(vpc.security_groups[0].link, Link::External("sg-1".into()));
    }
}
