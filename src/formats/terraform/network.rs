//! Terraform network and API resources → `model::network` and `model::api`, with Terraform's
//! defaults applied (aws-semantics.md §9.1, §10): a security group keeps no egress unless written
//! (`egress` blocks or rule resources), `aws_vpc_endpoint` defaults to `Gateway` with private DNS
//! off, `aws_vpc` to DNS support on and hostnames off.

use super::ast::{Block, Body, Expr, ExprKind};
use super::build::{Builder, address};
use super::module::{At, describe};
use crate::model::api::{ApiIntegration, ApiKind, InvokePermission, Qualifier};
use crate::model::network::{
    EndpointKind, InternetGateway, Link, LinkAt, NatGateway, Peer, Route, RouteTable, RouteTableAssociation,
    RouteTarget, SecurityGroup, SgRule, Subnet, Vpc, VpcConfig, VpcEndpoint,
};
use crate::model::problem::{Problem, UndecidableProblem};
use crate::model::{UnknownPolicy, UnknownPolicyWhy};
use crate::source::SourceMap;
use crate::span::{FileId, Loc};
use crate::value::{SymStr, SymbolOrigin, Value, ValueKind};

/// Resource types a network link may name.
const NETWORK_TYPES: &[&str] = &[
    "aws_vpc",
    "aws_subnet",
    "aws_route_table",
    "aws_nat_gateway",
    "aws_internet_gateway",
    "aws_vpc_endpoint",
    "aws_security_group",
    "aws_lambda_function",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
];

/// A known boolean; Terraform converts the strings "true"/"false" where a bool is expected.
pub(super) fn bool_of(v: &Value) -> Option<bool> {
    match &v.kind {
        ValueKind::Bool(b) => Some(*b),
        _ => v.as_literal().and_then(|s| s.parse().ok()),
    }
}

impl<'w> Builder<'w, '_> {
    fn at(m: usize, file: FileId, expr: &'w Expr) -> At<'w> {
        At { module: m, file, expr }
    }

    /// A reference to a resource of the files (its address), or what the value names instead.
    pub(super) fn link(&self, at: At<'_>) -> Link {
        let end = self.world.deref(at);
        if let Some(path) = end.expr.as_ref_path()
            && path.len() >= 2
            && NETWORK_TYPES.contains(&path[0].as_str())
            && let Some((_, b)) = self.world.find(end.module, "resource", &path[0], &path[1])
        {
            return Link::Resource(address(self.world, end.module, b));
        }
        match self.world.eval(end).as_symstr() {
            Some(s) => Link::External(s.to_string()),
            None => Link::External(describe(end.expr)),
        }
    }

    /// Like `link`, but an `aws_lambda_alias` stands for the function it points to: an integration
    /// of `aws_lambda_alias.live.invoke_arn` calls that function (through the alias), and without
    /// this it would be dropped as "not a Lambda integration", silencing SL401/SL403/SL404.
    fn link_through_alias(&self, at: At<'w>) -> Link {
        match self.alias(at) {
            Some((function, _)) => self.link(function),
            None => self.link(at),
        }
    }

    /// The alias a reference names (`aws_lambda_alias.live.arn`): its `function_name`, and its
    /// name (`None` when not literal) when the reference is the qualified alias. Its
    /// `function_name` attribute is the function's own name, unqualified: `Some((function,
    /// None))` is not returned for it, but `(function, Err(()))`.
    fn alias(&self, at: At<'w>) -> Option<(At<'w>, Result<Option<String>, ()>)> {
        let end = self.world.deref(at);
        let path = end.expr.as_ref_path()?;
        if path.len() < 2 || path[0] != "aws_lambda_alias" {
            return None;
        }
        let (file, alias) = self.world.find(end.module, "resource", &path[0], &path[1])?;
        let function = At { module: end.module, file, expr: alias.body.get("function_name")? };
        let attribute = path.iter().skip(2).find(|p| !p.starts_with('[') && *p != "*");
        if attribute.is_some_and(|a| a == "function_name") {
            return Some((function, Err(())));
        }
        let name = alias
            .body
            .get("name")
            .and_then(|e| self.world.eval(At { module: end.module, file, expr: e }).as_literal());
        Some((function, Ok(name)))
    }

    /// The version or alias a permission's `function_name` itself names: an alias reference, a
    /// `qualified_arn`, or a literal `name:live` / `arn:…:function:name:live`. A permission on a
    /// qualified ARN is a permission with that qualifier.
    fn embedded_qualifier(&self, at: At<'w>) -> Option<SymStr> {
        if let Some((_, name)) = self.alias(at) {
            // `aws_lambda_alias.live.function_name` is the unqualified function.
            return name.ok().map(|name| {
                name.map_or_else(
                    || SymStr::sym("the alias name", SymbolOrigin::NotEvaluated),
                    |n| SymStr::lit(&n),
                )
            });
        }
        let end = self.world.deref(at);
        if let Some(path) = end.expr.as_ref_path() {
            let qualified = path.first().is_some_and(|t| t == "aws_lambda_function")
                && path.last().is_some_and(|a| a == "qualified_arn" || a == "qualified_invoke_arn");
            return qualified
                .then(|| SymStr::sym("the function's latest version", SymbolOrigin::NotEvaluated));
        }
        let text = self.world.eval(at).as_literal()?;
        let rest = text.split_once(":function:").map_or(text.as_str(), |(_, r)| r);
        rest.split_once(':').map(|(_, q)| SymStr::lit(q))
    }

    /// The Lambda function an integration URI or a quick-create `target` names: a function's or
    /// alias's ARN or `invoke_arn`, directly or through a module output. `None` when it is no
    /// Lambda function (an HTTP URL, another service).
    fn lambda_target(&self, uri: At<'w>) -> Option<Link> {
        let mut function = self.link(uri);
        // `arn:…:apigateway:…:lambda:path/2015-03-31/functions/${aws_lambda_function.f.arn}/invocations`,
        // or an alias's `invoke_arn`
        if matches!(function, Link::External(_)) {
            // The references are those of the expression the URI ends at, read in its
            // module (an alias's `invoke_arn` passed out of another module).
            let end = self.world.deref(uri);
            let mut refs = Vec::new();
            end.expr.refs(&mut refs);
            if let Some(f) = refs.into_iter().find_map(|r| {
                let linked = self.link_through_alias(At { module: end.module, file: end.file, expr: r });
                matches!(&linked, Link::Resource(id) if id.contains("aws_lambda_function.")).then_some(linked)
            }) {
                function = f;
            }
        }
        let is_lambda = matches!(&function, Link::Resource(f) if f.contains("aws_lambda_function."))
            || matches!(&function, Link::External(t) if t.contains(":lambda:"));
        is_lambda.then_some(function)
    }

    /// Which version or alias an integration URI invokes.
    fn uri_qualifier(&self, uri: At<'w>) -> Qualifier {
        let end = self.world.deref(uri);
        let mut refs = Vec::new();
        end.expr.refs(&mut refs);
        let at = |e| At { module: end.module, file: end.file, expr: e };
        if let Some((_, name)) = refs.iter().find_map(|r| self.alias(at(r))) {
            return match name {
                Ok(name) => name.map_or(Qualifier::Unknown, Qualifier::Named),
                Err(()) => Qualifier::Unqualified,
            };
        }
        // `aws_lambda_function.f.invoke_arn` (or `.arn` inside an invocations URI) is unqualified;
        // `.qualified_invoke_arn` names the latest published version.
        let direct = refs.iter().any(|r| {
            r.as_ref_path().is_some_and(|p| {
                p.first().is_some_and(|t| t == "aws_lambda_function")
                    && p.last().is_some_and(|a| a == "invoke_arn" || a == "arn")
            })
        });
        if direct { Qualifier::Unqualified } else { Qualifier::Unknown }
    }

    /// A list of links (`[aws_subnet.a.id, "subnet-0abc"]`, `aws_subnet.private[*].id`), or what
    /// makes the list unreadable.
    fn links(&self, at: At<'_>) -> Result<Vec<LinkAt>, String> {
        let end = self.world.deref(at);
        let loc_of = |e: &Expr, f: FileId| Loc::new(f, e.span);
        match &end.expr.kind {
            ExprKind::Tuple(items) => Ok(items
                .iter()
                .map(|i| LinkAt {
                    link: self.link(At { module: end.module, file: end.file, expr: i }),
                    loc: loc_of(i, at.file),
                })
                .collect()),
            // A splat over counted instances: the instances are configured alike.
            ExprKind::Ref(path) if path.iter().any(|p| p == "*") => {
                Ok(vec![LinkAt { link: self.link(end), loc: loc_of(at.expr, at.file) }])
            }
            // A variable that ends unresolved has no default, tfvars entry or `--param` value.
            ExprKind::Ref(path) if path.first().is_some_and(|p| p == "var") => Err(format!(
                "{} has no value in the files (no default, tfvars entry or --param)",
                describe(end.expr)
            )),
            // An output of a module the scan does not hold (a registry module such as
            // terraform-aws-modules/vpc/aws): say where the value comes from.
            ExprKind::Ref(path) if path.first().is_some_and(|p| p == "module") && path.len() >= 3 => {
                Err(format!(
                    "{} is an output of module {}, whose value the scanned files do not give",
                    describe(end.expr),
                    path[1]
                ))
            }
            _ => Err(format!("{} cannot be read as a list", describe(end.expr))),
        }
    }

    pub(super) fn vpc_config(&self, m: usize, file: FileId, b: &'w Block) -> Option<VpcConfig> {
        let vc = b.body.blocks_of("vpc_config").next()?;
        Some(self.vpc_lists(m, file, vc.head, [vc.body.get("subnet_ids"), vc.body.get("security_group_ids")]))
    }

    /// A function's VPC placement from its subnet and security group lists (`vpc_config`'s
    /// `subnet_ids`/`security_group_ids`, the registry Lambda module's `vpc_subnet_ids`/
    /// `vpc_security_group_ids`), each a list of links or unreadable (SL003 says which).
    pub(super) fn vpc_lists(
        &self,
        m: usize,
        file: FileId,
        at: crate::span::Span,
        [subnets, groups]: [Option<&'w Expr>; 2],
    ) -> VpcConfig {
        let mut config = VpcConfig {
            loc: Loc::new(file, at),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            unknown: None,
        };
        for (e, is_subnets) in [(subnets, true), (groups, false)] {
            let Some(e) = e else { continue };
            match self.links(Self::at(m, file, e)) {
                Ok(links) if is_subnets => config.subnets = links,
                Ok(links) => config.security_groups = links,
                // The subnets decide more checks than the security groups: they are reported first.
                Err(why) => config.unknown = config.unknown.or(Some((why, Loc::new(file, e.span)))),
            }
        }
        config
    }

    pub(super) fn add_network(&mut self, m: usize, file: FileId, b: &'w Block, sources: &mut SourceMap) {
        let world = self.world;
        let id = address(world, m, b);
        let loc = Loc::new(file, b.head);
        let get = |k: &str| b.body.get(k).map(|e| Self::at(m, file, e));
        let lit = |k: &str| get(k).and_then(|a| world.eval(a).as_literal());
        let flag = |k: &str, default: bool| match get(k) {
            Some(a) => bool_of(&world.eval(a)),
            None => Some(default),
        };
        let link = |this: &Self, k: &str| {
            get(k).map_or(Link::External(format!("{id} has no {k}")), |a| this.link(a))
        };
        match b.label(0) {
            "aws_vpc_ipv4_cidr_block_association" => self.model.network.secondary_cidr_blocks = true,
            "aws_vpc" => self.model.network.vpcs.push(Vpc {
                id,
                loc,
                cidr: lit("cidr_block"),
                dns_support: flag("enable_dns_support", true),
                dns_hostnames: flag("enable_dns_hostnames", false),
            }),
            "aws_subnet" => {
                let vpc = link(self, "vpc_id");
                self.model.network.subnets.push(Subnet { id, loc, vpc, cidr: lit("cidr_block") });
            }
            "aws_internet_gateway" => {
                let vpc = get("vpc_id").map(|a| self.link(a));
                self.model.network.internet_gateways.push(InternetGateway { id, loc, vpc });
            }
            "aws_internet_gateway_attachment" => {
                let (Some(igw), Some(vpc)) = (get("internet_gateway_id"), get("vpc_id")) else { return };
                if let Link::Resource(igw) = self.link(igw) {
                    let vpc = self.link(vpc);
                    if let Some(g) = self.model.network.internet_gateways.iter_mut().find(|g| g.id == igw) {
                        g.vpc = Some(vpc);
                    }
                }
            }
            "aws_nat_gateway" => {
                let subnet = link(self, "subnet_id");
                let private = lit("connectivity_type").is_some_and(|c| c == "private");
                self.model.network.nat_gateways.push(NatGateway { id, loc, subnet, private });
            }
            "aws_route_table" => {
                let vpc = link(self, "vpc_id");
                let routes =
                    b.body.blocks_of("route").filter_map(|r| self.route(m, file, &r.body, r.head)).collect();
                self.model.network.route_tables.push(RouteTable { id, loc, vpc, routes, main: false });
            }
            "aws_vpc_endpoint" => {
                let kind = match lit("vpc_endpoint_type").as_deref() {
                    None | Some("Gateway") => EndpointKind::Gateway,
                    Some("Interface") => EndpointKind::Interface,
                    Some(_) => EndpointKind::Other,
                };
                let service_expr = b.body.get("service_name");
                let service = service_expr
                    .and_then(|e| world.eval(Self::at(m, file, e)).as_symstr())
                    .unwrap_or_default();
                let service_loc = service_expr.map_or(loc, |e| Loc::new(file, e.span));
                let private_dns = flag("private_dns_enabled", false);
                let private_dns_loc = b.body.get("private_dns_enabled").map(|e| Loc::new(file, e.span));
                let subnets =
                    get("subnet_ids").map(|a| self.links(a).unwrap_or_default()).unwrap_or_default();
                let (security_groups, security_groups_unknown) = match get("security_group_ids") {
                    Some(a) => match self.links(a) {
                        Ok(l) => (l, None),
                        Err(why) => (Vec::new(), Some((why, Loc::new(file, a.expr.span)))),
                    },
                    None => (Vec::new(), None),
                };
                let (policy, policy_unknown) = match get("policy") {
                    // A plan leaves the policy unknown until apply when the configuration sets
                    // none: AWS then attaches its default endpoint policy, which allows every
                    // principal every action on every resource ("If you don't attach an endpoint
                    // policy, we attach the default endpoint policy",
                    // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html;
                    // the provider's `policy` "Defaults to full access"). A computed value is not a
                    // document (no SL001), and the builder does not record whether the configuration
                    // set none, so it is not taken for the default either (no silent pass): it stays
                    // unknown, SL003 where the endpoint policy decides a call.
                    Some(a) if matches!(a.expr.kind, ExprKind::Computed(_)) => {
                        let why = UnknownPolicyWhy::Unevaluable("known only after apply".into());
                        let unknown = UnknownPolicy {
                            name: format!("{id} policy"),
                            loc: Loc::new(file, a.expr.span),
                            why,
                        };
                        (None, Some(endpoint_policy_unknown(unknown)))
                    }
                    Some(a) => {
                        let mut policies = Vec::new();
                        let mut unknown = Vec::new();
                        self.push_policy_of(
                            super::policy::PolicyUse::Resource,
                            &mut policies,
                            &mut unknown,
                            format!("{id} policy"),
                            a,
                            sources,
                        );
                        (policies.pop(), unknown.into_iter().next().map(endpoint_policy_unknown))
                    }
                    None => (None, None),
                };
                let vpc = link(self, "vpc_id");
                self.model.network.vpc_endpoints.push(VpcEndpoint {
                    dialect: crate::model::Dialect::Terraform,
                    id,
                    loc,
                    vpc,
                    service,
                    service_loc,
                    kind,
                    private_dns,
                    private_dns_loc,
                    subnets,
                    security_groups,
                    security_groups_unknown,
                    policy,
                    policy_unknown,
                });
            }
            "aws_security_group" => {
                let vpc = get("vpc_id").map(|a| self.link(a));
                let mut group = SecurityGroup {
                    dialect: crate::model::Dialect::Terraform,
                    id: id.clone(),
                    loc,
                    vpc,
                    ingress: Vec::new(),
                    egress: Vec::new(),
                    egress_loc: loc,
                    ingress_loc: loc,
                    unknown_rules: None,
                };
                for (kind, egress) in [("ingress", false), ("egress", true)] {
                    // Blocks, or the attribute form `egress = [{…}]` (one object per rule).
                    let mut found: Vec<(Body, Loc, usize, FileId)> = b
                        .body
                        .blocks_of(kind)
                        .map(|r| (r.body.clone(), Loc::new(file, r.head), m, file))
                        .collect();
                    if found.is_empty()
                        && let Some(attr) = b.body.attr(kind)
                    {
                        let target = self.world.deref(Self::at(m, file, &attr.value));
                        if let Some(bodies) = rule_objects(&target.expr.kind) {
                            let loc = Loc::new(file, attr.key_span);
                            found =
                                bodies.into_iter().map(|bd| (bd, loc, target.module, target.file)).collect();
                        } else {
                            let why = format!("the {kind} rules are {}", describe(&attr.value));
                            group.unknown_rules = Some((why, Loc::new(file, attr.key_span)));
                        }
                    }
                    for (body, rule_loc, in_module, in_file) in found {
                        let rules = self.inline_rules(in_module, in_file, &body, rule_loc);
                        if egress {
                            group.egress_loc = rule_loc;
                            group.egress.extend(rules);
                        } else {
                            group.ingress_loc = rule_loc;
                            group.ingress.extend(rules);
                        }
                    }
                }
                if let Some(d) = b.body.blocks_of("dynamic").next() {
                    group.unknown_rules =
                        Some((format!("a dynamic \"{}\" block", d.label(0)), Loc::new(file, d.head)));
                }
                self.model.network.security_groups.push(group);
            }
            _ => {}
        }
    }

    /// One route; `None` for the VPC's local route (`gateway_id = "local"`), which every table has
    /// implicitly and which never carries traffic out of the VPC.
    fn route(&self, m: usize, file: FileId, body: &'w Body, head: crate::span::Span) -> Option<Route> {
        let world = self.world;
        let get = |k: &str| body.get(k).map(|e| Self::at(m, file, e));
        if get("gateway_id").and_then(|a| world.eval(a).as_literal()).is_some_and(|g| g == "local") {
            return None;
        }
        let destination =
            ["cidr_block", "destination_cidr_block", "ipv6_cidr_block", "destination_ipv6_cidr_block"]
                .into_iter()
                .find_map(get)
                .and_then(|a| world.eval(a).as_literal());
        let target = if let Some(a) = get("nat_gateway_id") {
            RouteTarget::NatGateway(self.link(a))
        } else if let Some(a) = get("gateway_id") {
            match self.link(a) {
                Link::External(t) if t.starts_with("vpce-") => {
                    RouteTarget::Opaque(format!("VPC endpoint {t}"))
                }
                l => RouteTarget::InternetGateway(l),
            }
        } else if let Some(k) = [
            "transit_gateway_id",
            "vpc_peering_connection_id",
            "network_interface_id",
            "egress_only_gateway_id",
            "vpc_endpoint_id",
            "carrier_gateway_id",
            "local_gateway_id",
            "core_network_arn",
            "instance_id",
        ]
        .into_iter()
        .find(|k| body.get(k).is_some())
        {
            RouteTarget::Opaque(k.trim_end_matches("_id").replace('_', " "))
        } else {
            RouteTarget::Unknown("the route names no target".into())
        };
        Some(Route { destination, target, loc: Loc::new(file, head) })
    }

    /// One inline `ingress`/`egress` block → a rule per peer.
    fn inline_rules(&self, m: usize, file: FileId, body: &Body, loc: Loc) -> Vec<SgRule> {
        let world = self.world;
        let ev = |k: &str| body.get(k).map(|e| world.eval(At { module: m, file, expr: e }));
        let protocol =
            ev("protocol").and_then(|v| v.as_literal()).unwrap_or_else(|| "-1".into()).to_ascii_lowercase();
        let port = |k: &str| ev(k).and_then(|v| v.as_literal()).and_then(|p| p.parse().ok());
        let (from_port, to_port) = (port("from_port"), port("to_port"));
        let mut peers = Vec::new();
        for key in ["cidr_blocks", "ipv6_cidr_blocks"] {
            if let Some(v) = ev(key) {
                for c in v.as_list() {
                    peers.push(
                        c.as_literal().map_or_else(|| Peer::Unknown(format!("{key} entry")), Peer::Cidr),
                    );
                }
            }
        }
        if let Some(v) = ev("prefix_list_ids") {
            for p in v.as_list() {
                peers.push(Peer::PrefixList(p.as_symstr().map(|s| s.to_string()).unwrap_or_default()));
            }
        }
        if let Some(e) = body.get("security_groups")
            && let Ok(links) = self.links(At { module: m, file, expr: e })
        {
            peers.extend(links.into_iter().map(|l| Peer::Group(l.link)));
        }
        if ev("self").as_ref().and_then(bool_of) == Some(true) {
            peers.push(Peer::OwnGroup);
        }
        peers
            .into_iter()
            .map(|peer| SgRule { protocol: protocol.clone(), from_port, to_port, peer, loc, implicit: false })
            .collect()
    }

    /// Standalone rules, route resources, associations, integrations and permissions: after every
    /// group, table and function exists.
    pub(super) fn add_network_links(&mut self, m: usize, file: FileId, b: &'w Block) {
        let world = self.world;
        let id = address(world, m, b);
        let loc = Loc::new(file, b.head);
        let get = |k: &str| b.body.get(k).map(|e| Self::at(m, file, e));
        let lit = |k: &str| get(k).and_then(|a| world.eval(a).as_literal());
        match b.label(0) {
            // An OpenAPI `body` (`jsonencode({…})`, `templatefile(…)`) is not read: its Lambda
            // integrations are not known, which SL003 says when there are functions it may call.
            "aws_api_gateway_rest_api" | "aws_apigatewayv2_api" if !self.model.functions.is_empty() => {
                if let Some(body) = b.body.get("body") {
                    let how = "is its `body` argument".to_owned();
                    let problem =
                        UndecidableProblem::ApiDefinitionUnread { api: id.clone(), how, terraform: true };
                    self.problem(Problem::new(Loc::new(file, body.span), problem).resource(id.clone()));
                }
                // Quick create (`target`, HTTP APIs only): an `AWS_PROXY` integration of the
                // function with the default timeout, a `$default` route and stage. Without
                // `credentials_arn` API Gateway calls the function through its resource policy
                // (CreateApi `CredentialsArn`: "To use resource-based permissions … specify null").
                let Some(target) = get("target") else { return };
                let Some(function) = self.lambda_target(target) else { return };
                self.model.integrations.push(ApiIntegration {
                    dialect: crate::model::Dialect::Terraform,
                    id: id.clone(),
                    kind: ApiKind::Http,
                    function,
                    timeout_ms: None,
                    loc: Loc::new(file, target.expr.span),
                    api: Some(id),
                    implicit_permission: get("credentials_arn").is_some(),
                    qualifier: self.uri_qualifier(target),
                    custom: false,
                });
            }
            "aws_route" => {
                let Some(Link::Resource(table)) = get("route_table_id").map(|a| self.link(a)) else { return };
                let Some(route) = self.route(m, file, &b.body, b.head) else { return };
                if let Some(t) = self.model.network.route_tables.iter_mut().find(|t| t.id == table) {
                    t.routes.push(route);
                }
            }
            "aws_route_table_association" => {
                let (Some(subnet), Some(table)) = (get("subnet_id"), get("route_table_id")) else { return };
                let association =
                    RouteTableAssociation { subnet: self.link(subnet), route_table: self.link(table), loc };
                self.model.network.associations.push(association);
            }
            "aws_main_route_table_association" => {
                let Some(Link::Resource(table)) = get("route_table_id").map(|a| self.link(a)) else { return };
                if let Some(t) = self.model.network.route_tables.iter_mut().find(|t| t.id == table) {
                    t.main = true;
                }
            }
            "aws_security_group_rule"
            | "aws_vpc_security_group_egress_rule"
            | "aws_vpc_security_group_ingress_rule" => {
                let Some(Link::Resource(group)) = get("security_group_id").map(|a| self.link(a)) else {
                    return;
                };
                let egress = match b.label(0) {
                    "aws_security_group_rule" => lit("type").is_some_and(|t| t == "egress"),
                    t => t.ends_with("egress_rule"),
                };
                let protocol = lit("protocol")
                    .or_else(|| lit("ip_protocol"))
                    .unwrap_or_else(|| "-1".into())
                    .to_ascii_lowercase();
                let port = |k: &str| lit(k).and_then(|p| p.parse().ok());
                let mut peers = Vec::new();
                for key in ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"] {
                    if let Some(a) = get(key) {
                        for c in world.eval(a).as_list() {
                            peers.push(
                                c.as_literal()
                                    .map_or_else(|| Peer::Unknown(format!("{key} entry")), Peer::Cidr),
                            );
                        }
                    }
                }
                for key in ["source_security_group_id", "referenced_security_group_id"] {
                    if let Some(a) = get(key) {
                        peers.push(Peer::Group(self.link(a)));
                    }
                }
                for key in ["prefix_list_ids", "prefix_list_id"] {
                    if let Some(a) = get(key) {
                        for p in world.eval(a).as_list() {
                            peers.push(Peer::PrefixList(
                                p.as_symstr().map(|s| s.to_string()).unwrap_or_default(),
                            ));
                        }
                    }
                }
                if get("self").map(|a| world.eval(a)).as_ref().and_then(bool_of) == Some(true) {
                    peers.push(Peer::OwnGroup);
                }
                let rules: Vec<SgRule> = peers
                    .into_iter()
                    .map(|peer| SgRule {
                        protocol: protocol.clone(),
                        from_port: port("from_port"),
                        to_port: port("to_port"),
                        peer,
                        loc,
                        implicit: false,
                    })
                    .collect();
                if let Some(g) = self.model.network.security_groups.iter_mut().find(|g| g.id == group) {
                    if egress {
                        g.egress.extend(rules);
                    } else {
                        g.ingress.extend(rules);
                    }
                }
            }
            "aws_lambda_permission" => {
                let Some(function) = get("function_name").map(|a| self.link_through_alias(a)) else { return };
                let sym = |k: &str| get(k).and_then(|a| world.eval(a).as_symstr());
                let embedded = get("function_name").and_then(|a| self.embedded_qualifier(a));
                self.model.permissions.push(InvokePermission {
                    dialect: crate::model::Dialect::Terraform,
                    id,
                    function,
                    action: sym("action").unwrap_or_default(),
                    principal: sym("principal").unwrap_or_default(),
                    source_arn: sym("source_arn"),
                    qualifier: sym("qualifier").or(embedded),
                    loc,
                });
            }
            "aws_api_gateway_integration" | "aws_apigatewayv2_integration" => {
                let rest = b.label(0) == "aws_api_gateway_integration";
                let Some(uri) = get("uri").or_else(|| get("integration_uri")) else { return };
                let Some(function) = self.lambda_target(uri) else { return };
                let api_link = get(if rest { "rest_api_id" } else { "api_id" }).map(|a| self.link(a));
                let kind = if rest {
                    ApiKind::Rest
                } else {
                    let websocket = get("api_id")
                        .map(|a| world.deref(a))
                        .and_then(|end| {
                            let path = end.expr.as_ref_path()?;
                            let (api_file, api) =
                                world.find(end.module, "resource", "aws_apigatewayv2_api", path.get(1)?)?;
                            world
                                .eval(Self::at(end.module, api_file, api.body.get("protocol_type")?))
                                .as_literal()
                        })
                        .is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET"));
                    if websocket { ApiKind::WebSocket } else { ApiKind::Http }
                };
                self.model.integrations.push(ApiIntegration {
                    dialect: crate::model::Dialect::Terraform,
                    id,
                    kind,
                    function,
                    timeout_ms: lit("timeout_milliseconds").and_then(|t| t.parse().ok()),
                    loc,
                    api: api_link.and_then(|l| l.resource().map(str::to_owned)),
                    // With credentials API Gateway invokes the function as that role, not through
                    // its resource policy (as `has_credentials` in the CloudFormation builder).
                    implicit_permission: get(if rest { "credentials" } else { "credentials_arn" }).is_some(),
                    qualifier: self.uri_qualifier(uri),
                    custom: rest && lit("type").is_some_and(|t| t.eq_ignore_ascii_case("AWS")),
                });
            }
            _ => {}
        }
    }
}

/// `[{from_port = 443, …}, …]` → one body per rule; `None` when the list cannot be read.
fn rule_objects(kind: &ExprKind) -> Option<Vec<Body>> {
    let ExprKind::Tuple(items) = kind else { return None };
    items
        .iter()
        .map(|item| match &item.kind {
            ExprKind::Object(fields) => Some(Body {
                attrs: fields
                    .iter()
                    .map(|f| super::ast::Attr {
                        name: f.key.clone(),
                        key_span: f.key_span,
                        value: f.value.clone(),
                    })
                    .collect(),
                blocks: Vec::new(),
            }),
            _ => None,
        })
        .collect()
}

/// What an endpoint policy that cannot be evaluated is, as the network model records it (a
/// description, as the CloudFormation builder writes for its endpoints).
fn endpoint_policy_unknown(policy: crate::model::UnknownPolicy) -> (String, Loc) {
    use crate::model::UnknownPolicyWhy;
    let what = match policy.why {
        UnknownPolicyWhy::NotInFiles => policy.name,
        UnknownPolicyWhy::Unevaluable(why) => format!("{} cannot be read ({why})", policy.name),
        UnknownPolicyWhy::NamesPrincipals => {
            format!("{} names specific principals, which are not evaluated", policy.name)
        }
    };
    (what, policy.loc)
}
