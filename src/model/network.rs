//! The VPC side of the model: what a VPC-attached function's traffic to the SageMaker runtime can
//! cross. Builders (CloudFormation, Terraform) resolve references to the ids of resources in the
//! files and apply their tool's defaults (CloudFormation's implicit allow-all egress, Terraform's
//! none), so the reachability check reads one shape. Facts: aws-semantics.md §10.

use crate::model::AttachedPolicy;
use crate::span::Loc;
use crate::value::SymStr;

/// A reference from one network resource to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// A resource defined in the scanned files, by its id (logical id or Terraform address).
    Resource(String),
    /// Something the files do not define (`subnet-0abc…`, a parameter): what it is, for an SL003
    /// message.
    External(String),
    /// A value another stack exports (`Fn::ImportValue`), by its export name. The network model is
    /// read per template, so what it names is not followed, even when the exporting template is
    /// scanned.
    Imported(String),
}

impl Link {
    #[must_use]
    pub fn resource(&self) -> Option<&str> {
        match self {
            Self::Resource(id) => Some(id),
            Self::External(_) | Self::Imported(_) => None,
        }
    }
}

/// How a finding names what a link points to: the resource's id, or what the files say instead.
impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Resource(id) => f.write_str(id),
            Self::External(what) => f.write_str(what),
            Self::Imported(export) => write!(f, "exported as {export}"),
        }
    }
}

/// A reference written at a place in the files.
#[derive(Clone, Debug)]
pub struct LinkAt {
    pub link: Link,
    pub loc: Loc,
}

/// `VpcConfig` / `vpc_config` of a function.
#[derive(Clone, Debug)]
pub struct VpcConfig {
    pub loc: Loc,
    pub subnets: Vec<LinkAt>,
    pub security_groups: Vec<LinkAt>,
    /// The subnet or security group list as a whole cannot be read (a `List<AWS::EC2::Subnet::Id>`
    /// parameter, a variable): what, and where, for SL003.
    pub unknown: Option<(String, Loc)>,
}

impl VpcConfig {
    /// Lambda treats a config without subnets as "not in a VPC".
    #[must_use]
    pub fn attached(&self) -> bool {
        !self.subnets.is_empty() || self.unknown.is_some()
    }
}

/// Every network resource the files define.
#[derive(Clone, Debug, Default)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub associations: Vec<RouteTableAssociation>,
    pub nat_gateways: Vec<NatGateway>,
    pub internet_gateways: Vec<InternetGateway>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub security_groups: Vec<SecurityGroup>,
    /// The files add a secondary IPv4 range to a VPC (`AWS::EC2::VPCCidrBlock`,
    /// `aws_vpc_ipv4_cidr_block_association`): a VPC's subnets may then lie outside its
    /// `CidrBlock`, which no longer bounds them.
    pub secondary_cidr_blocks: bool,
}

#[derive(Clone, Debug)]
pub struct Vpc {
    pub id: String,
    pub loc: Loc,
    pub cidr: Option<String>,
    /// `EnableDnsSupport` / `enable_dns_support` (default true); `None` when computed.
    pub dns_support: Option<bool>,
    /// `EnableDnsHostnames` / `enable_dns_hostnames` (default false); `None` when computed.
    pub dns_hostnames: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Subnet {
    pub id: String,
    pub loc: Loc,
    pub vpc: Link,
    pub cidr: Option<String>,
}

#[derive(Clone, Debug)]
pub struct RouteTable {
    pub id: String,
    pub loc: Loc,
    pub vpc: Link,
    /// Inline routes and standalone route resources that target this table.
    pub routes: Vec<Route>,
    /// Made the VPC's main route table (Terraform `aws_main_route_table_association`; a
    /// CloudFormation template cannot do this, so its VPCs' main tables hold only the local route).
    pub main: bool,
}

#[derive(Clone, Debug)]
pub struct Route {
    /// Destination CIDR; `None` when it is a prefix list or cannot be read.
    pub destination: Option<String>,
    pub target: RouteTarget,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteTarget {
    InternetGateway(Link),
    NatGateway(Link),
    /// A NAT instance, transit gateway, peering connection, network interface, firewall or
    /// gateway load balancer endpoint: traffic leaves along a path the files cannot follow.
    Opaque(String),
    /// The target cannot be read.
    Unknown(String),
}

#[derive(Clone, Debug)]
pub struct RouteTableAssociation {
    pub subnet: Link,
    pub route_table: Link,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct NatGateway {
    pub id: String,
    pub loc: Loc,
    pub subnet: Link,
    /// `ConnectivityType: private` / `connectivity_type = "private"`: no way to the internet.
    pub private: bool,
}

#[derive(Clone, Debug)]
pub struct InternetGateway {
    pub id: String,
    pub loc: Loc,
    /// The VPC it is attached to (`AWS::EC2::VPCGatewayAttachment`, `vpc_id`).
    pub vpc: Option<Link>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    Interface,
    Gateway,
    Other,
}

#[derive(Clone, Debug)]
pub struct VpcEndpoint {
    pub id: String,
    pub loc: Loc,
    pub dialect: super::Dialect,
    pub vpc: Link,
    /// `ServiceName` / `service_name`, e.g. `com.amazonaws.${AWS::Region}.sagemaker.runtime`.
    pub service: SymStr,
    pub service_loc: Loc,
    /// Builders apply the default: CloudFormation `Gateway`, Terraform `Gateway`.
    pub kind: EndpointKind,
    /// `PrivateDnsEnabled` / `private_dns_enabled` with the tool's default applied; `None` when computed.
    pub private_dns: Option<bool>,
    pub private_dns_loc: Option<Loc>,
    pub subnets: Vec<LinkAt>,
    /// Empty: the VPC's default security group (which admits only its own members).
    pub security_groups: Vec<LinkAt>,
    pub security_groups_unknown: Option<(String, Loc)>,
    /// `PolicyDocument` / `policy`; `None` means full access.
    pub policy: Option<AttachedPolicy>,
    /// The policy exists but cannot be evaluated (computed, or naming specific principals): what,
    /// and where, for SL003.
    pub policy_unknown: Option<(String, Loc)>,
}

#[derive(Clone, Debug)]
pub struct SecurityGroup {
    pub id: String,
    pub loc: Loc,
    pub dialect: super::Dialect,
    pub vpc: Option<Link>,
    /// Inline and standalone rules, with the tool's default egress already applied.
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    /// Where rules would be added (the group's `SecurityGroupEgress`, the `egress` blocks, or the
    /// resource itself), for labels.
    pub egress_loc: Loc,
    pub ingress_loc: Loc,
    /// Some rule could not be read (a computed port, a dynamic block): its absence proves nothing.
    pub unknown_rules: Option<(String, Loc)>,
}

#[derive(Clone, Debug)]
pub struct SgRule {
    /// `-1`, `tcp`, `udp`, `icmp` or a protocol number, lower-cased.
    pub protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub peer: Peer,
    pub loc: Loc,
    /// Added by the tool's default (CloudFormation's allow-all egress), not written by the user.
    pub implicit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    Cidr(String),
    Group(Link),
    PrefixList(String),
    /// Terraform `self = true`.
    OwnGroup,
    Unknown(String),
}

impl SgRule {
    /// Whether the rule covers TCP port 443 (protocol `-1`, `tcp` or `6`, and the range holds 443).
    #[must_use]
    pub fn covers_https(&self) -> bool {
        match self.protocol.as_str() {
            "-1" | "all" => true,
            "tcp" | "6" => {
                self.from_port.is_none_or(|f| f <= 443) && self.to_port.is_none_or(|t| t == -1 || t >= 443)
            }
            _ => false,
        }
    }
}
