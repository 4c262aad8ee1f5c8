//! SL003 undecidable. Prose, examples and suppression: rules/SL003.md.
//!
//! Says exactly what the files cannot tell: a role or policy defined elsewhere, an endpoint name
//! built at run time. Never a guess in either direction.

use super::prelude::*;
use crate::analysis::network::{GroupUnknown, NetKind, RouteUnknown, Unknown};
use crate::iam::Outcome;
use crate::model::InvokeApi;
use crate::model::network::Link;
use crate::model::problem::{
    FragmentSign, HandlerAbsence, LayerName, RainModuleFailure, SageMakerSign, UndecidableProblem,
};
use crate::model::{
    Dialect, Function, ProblemKind, RoleRef, Target, UnknownPolicy, UnknownPolicyWhy, UnknownRole,
};
use crate::span::Loc;
use crate::value::{Symbol, SymbolOrigin, TerraformRef};

pub(crate) const RULE: RuleDef = RuleDef {
    code: "SL003",
    name: "undecidable",
    severity: Severity::Info,
    summary: "A check cannot be decided from the scanned files",
    doc: rule_doc!("SL003"),
    source: file!(),
    check,
};

/// Whether checking a counted resource's instances as one leaves a check undecided: a role
/// matters when a function runs as it, an endpoint when a function calls one; a function always.
fn instances_matter(model: &crate::model::Model, address: &str) -> bool {
    let kind = address.rsplit('.').nth(1).unwrap_or("");
    match kind {
        "aws_iam_role" => model.functions.iter().any(
            |f| matches!(f.role, RoleRef::Known(i) if model.roles.get(i).is_some_and(|r| r.id == address)),
        ),
        "aws_sagemaker_endpoint" => model.functions.iter().any(|f| !f.calls.is_empty()),
        _ => true,
    }
}

fn check(cx: &mut LintContext<'_>) {
    let model = cx.model();
    for problem in &model.problems {
        if let ProblemKind::Undecidable(kind) = &problem.kind {
            if let UndecidableProblem::Instances { address, .. } = kind
                && !instances_matter(model, address)
            {
                continue;
            }
            let mut finding = describe(kind, problem.loc);
            finding.resource.clone_from(&problem.resource);
            cx.report(finding);
        }
    }
    for function in &model.functions {
        if function.calls.is_empty() {
            continue;
        }
        if let RoleRef::Unknown { why, loc } = &function.role {
            let first = &function.calls[0];
            cx.report(
                Finding::new(format!(
                    "cannot check whether {} may invoke the endpoint: {}",
                    function.id,
                    unknown_role(why, function)
                ))
                    .at(*loc, "the execution role is set here")
                    .related(first.site, "the endpoint is invoked here")
                    .help("if the role is created by other files, scan them together with these; a role that only the deployment names cannot be checked")
                    .resource(function.id.clone()),
            );
        }
        // Calls reaching the same unknown name (two methods of a helper reading one parameter)
        // share one finding, at the first call.
        let mut said = Vec::new();
        for call in &function.calls {
            if let Target::Unknown { why, loc } | Target::Symbolic { why, loc, .. } = &call.target {
                let at = if loc.span.is_empty() { call.site } else { *loc };
                if said.contains(&(at, why)) {
                    continue;
                }
                said.push((at, why));
                cx.report(
                    Finding::new(format!("cannot check which endpoint {} invokes: {why}", function.id))
                        .at(at, "the endpoint name is not known statically")
                        .related(call.site, "the endpoint is invoked here")
                        .help(if function.origin.dialect.is_terraform() {
                            "pass the name through an environment variable set from the endpoint (aws_sagemaker_endpoint.<name>.name) so it can be checked"
                        } else {
                            "pass the name through an environment variable set from the endpoint (!GetAtt Endpoint.EndpointName) so it can be checked"
                        })
                        .resource(function.id.clone()),
                );
            }
        }
    }
    for problem in cx.network() {
        let NetKind::Unknown { what, at, followed } = &problem.kind else { continue };
        let f = problem.function;
        let label = if *followed {
            "cannot be followed from the scanned files"
        } else {
            "not known from the scanned files"
        };
        cx.report(
            Finding::new(format!(
                "cannot check whether {} can reach the SageMaker runtime from its VPC: {}",
                f.id,
                network_unknown(what)
            ))
            .at(*at, label)
            .related(problem.cfg.loc, "the function's VpcConfig")
            .related(f.calls[0].site, "the endpoint is invoked here")
            .help("lint the templates that define the network together with this one, or give the parameter values with --param")
            .resource(f.id.clone()),
        );
    }
    for d in cx.decided_calls() {
        // An unknown endpoint name already has its own SL003 above.
        if d.any_name || d.decision.outcome != Outcome::ImplicitDeny || d.role.unknown_policies.is_empty() {
            continue;
        }
        let unknown = &d.role.unknown_policies;
        let why = if unknown.iter().all(|p| matches!(p.why, UnknownPolicyWhy::Unevaluable(_))) {
            "the role has policies whose content cannot be evaluated statically"
        } else if unknown.iter().all(|p| p.why == UnknownPolicyWhy::NotInFiles && is_aws_managed(&p.name)) {
            "the role has AWS managed policies that sagelint's policy data does not hold"
        } else {
            "the role has policies the scanned files do not define"
        };
        let mut finding = Finding::new(format!(
            "cannot tell whether {} may call {} on {}: {why}",
            d.function.id,
            d.call.api.action(),
            d.arn
        ))
        .at(unknown[0].loc, unknown_policy_label(&unknown[0]))
        .related(d.call.site, "the endpoint is invoked here")
        .help("no policy that the files define allows the request; check the external policies, or lint them with the template")
        .resource(d.function.id.clone());
        for policy in unknown.iter().skip(1) {
            finding = finding.related(policy.loc, unknown_policy_label(policy));
        }
        cx.report(finding);
    }
    boundary_not_defined(cx);
    streaming_docs_disagree(cx);
    pinned_by_value(cx);
}

/// What the files do not tell about a function's network path, in words.
fn network_unknown(what: &Unknown<'_>) -> String {
    match what {
        Unknown::Subnets(why) => format!("{why}, so its routes and VPC endpoints cannot be checked"),
        Unknown::SubnetUndefined(link) => format!(
            "subnet {} {}, so its route table and VPC endpoints cannot be checked",
            link,
            not_here(link)
        ),
        Unknown::VpcUndefined(subnet) => format!(
            "the VPC of subnet {} ({}) is not defined in the scanned files, so its VPC endpoints are unknown",
            subnet.id, &subnet.vpc
        ),
        Unknown::EndpointService(ep) => {
            format!("the service of VPC endpoint {} ({}) is not known statically", ep.id, ep.service)
        }
        Unknown::PrivateDns(id) => format!("whether private DNS of VPC endpoint {id} is on"),
        Unknown::Route(subnet, why) => format!("subnet {}: {}", subnet.id, route_unknown(why)),
        Unknown::GroupsOut(why) => {
            format!("whether its security groups allow TCP 443 out: {}", group_unknown(why))
        }
        Unknown::EndpointGroups(ep, why) => format!("the security groups of VPC endpoint {}: {why}", ep.id),
        Unknown::Ingress(ep, why) => {
            format!("whether VPC endpoint {} admits TCP 443 from it: {}", ep.id, group_unknown(why))
        }
        Unknown::EndpointPolicy(why) => (*why).to_owned(),
        Unknown::EndpointPolicyDepends { endpoint, action, depends } => format!(
            "whether the policy of VPC endpoint {} allows {action}: it depends on {}",
            endpoint.id,
            depends.iter().map(Symbol::id).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Why a network resource a link names is not known: not in the files, or in another stack whose
/// export is imported ([`Link::Imported`]).
fn not_here(link: &Link) -> &'static str {
    match link {
        Link::Imported(_) => {
            "comes from another stack (Fn::ImportValue), whose network is not followed across templates"
        }
        Link::Resource(_) | Link::External(_) => "is not defined in the scanned files",
    }
}

fn route_unknown(why: &RouteUnknown<'_>) -> String {
    match why {
        RouteUnknown::TableUndefined(link) => {
            format!("its route table {} {}", link, not_here(link))
        }
        RouteUnknown::Destination => "a route's destination (a prefix list?) cannot be read".to_owned(),
        RouteUnknown::NatSubnet(inner) => format!("its NAT gateway's subnet: {}", route_unknown(inner)),
        RouteUnknown::NatSubnetUndefined(nat) => {
            format!("the subnet of NAT gateway {nat} is not defined in the scanned files")
        }
        RouteUnknown::Opaque(what) => {
            format!("its default route leads to {what}, which the files cannot follow")
        }
        RouteUnknown::Unreadable(what) => (*what).to_owned(),
    }
}

fn group_unknown(why: &GroupUnknown<'_>) -> String {
    match why {
        GroupUnknown::Rule(group) => format!("a rule of {group} cannot be evaluated"),
        GroupUnknown::Rules(what, group) => format!("{what} of {group}"),
        GroupUnknown::Undefined(link) => {
            format!("security group {} {}", link, not_here(link))
        }
        GroupUnknown::Config(why) => (*why).to_owned(),
    }
}

/// The label for a policy counted as unknown: why its content is not known.
fn unknown_policy_label(policy: &UnknownPolicy) -> String {
    let name = &policy.name;
    match &policy.why {
        // AWS publishes its managed policies' documents; one the bundled data lacks is retired
        // (a deprecated policy cannot be attached to a new role:
        // <https://docs.aws.amazon.com/aws-managed-policy/latest/reference/about-managed-policy-reference.html#deprecated-managed-policies>)
        // or newer than the data.
        UnknownPolicyWhy::NotInFiles if is_aws_managed(name) => format!(
            "{name} is an AWS managed policy that sagelint's policy data does not hold: deprecated (which a new role cannot attach), or newer than the data"
        ),
        UnknownPolicyWhy::NotInFiles => format!("{name} is not in the scanned files"),
        UnknownPolicyWhy::Unevaluable(why) => format!("{name} cannot be read ({why})"),
        UnknownPolicyWhy::NamesPrincipals => {
            format!("{name} names specific principals, which are not evaluated")
        }
    }
}

/// An AWS managed policy's ARN, in any partition (`arn:aws:iam::aws:policy/…`,
/// `arn:${AWS::Partition}:iam::aws:policy/…`).
fn is_aws_managed(name: &str) -> bool {
    name.starts_with("arn:") && name.contains(":iam::aws:policy/")
}

/// A permissions boundary whose content is not known, as the message names it.
fn unknown_boundary_name(policy: &UnknownPolicy) -> String {
    match &policy.why {
        UnknownPolicyWhy::NotInFiles => policy.name.clone(),
        UnknownPolicyWhy::Unevaluable(_) | UnknownPolicyWhy::NamesPrincipals => unknown_policy_label(policy),
    }
}

/// The identity policies allow the call, but the permissions boundary is a policy made elsewhere
/// (an organisation's boundary is usually created once per account): whether it lets the call
/// through is unknown. A boundary only limits, so a missing Allow is still SL101.
fn boundary_not_defined(cx: &mut LintContext<'_>) {
    let mut findings = Vec::new();
    for d in cx.decided_calls() {
        let Some(boundary) = &d.role.unknown_boundary else { continue };
        let (name, loc) = (unknown_boundary_name(boundary), &boundary.loc);
        if d.any_name || !matches!(d.decision.outcome, Outcome::Allowed | Outcome::AllowedIf) {
            continue;
        }
        findings.push(
            Finding::new(format!(
                "cannot tell whether {} may call {} on {}: the role's permissions boundary {name} is not in the scanned files",
                d.function.id,
                d.call.api.action(),
                d.arn
            ))
            .at(*loc, "this boundary is not defined in the scanned files")
            .related(d.call.site, "the endpoint is invoked here")
            .help(format!(
                "the identity policies allow it; the boundary must allow {} too: check it, or scan its document together with these files",
                d.call.api.action()
            ))
            .resource(d.function.id.clone()),
        );
    }
    for finding in findings {
        cx.report(finding);
    }
}

/// The endpoint ARN holds a value only the deployment gives (a parameter without default, an
/// attribute of a custom resource) while the Allow names a literal endpoint: whether they are
/// equal is unknown. A very common layout, and the deployment may well pass the matching name,
/// so it is information, not a finding about region or account (SL107).
fn pinned_by_value(cx: &mut LintContext<'_>) {
    let mut findings = Vec::new();
    for d in cx.decided_calls() {
        if d.decision.outcome != Outcome::AllowedIf {
            continue;
        }
        let depends = d.decision.depends_on();
        let values: Vec<&Symbol> =
            depends.iter().filter(|s| crate::analysis::keys::is_template_value(s)).collect();
        // Condition keys are SL105's; a mix leaves this to SL105 as well. A name the template does
        // not define is SL002's: the template does not deploy, so the condition is moot.
        if values.is_empty()
            || depends.iter().any(Symbol::is_condition_key)
            || depends.iter().any(|s| s.origin() == &SymbolOrigin::Undefined)
        {
            continue;
        }
        let Some(allow) = d.decision.allows.iter().find(|h| !h.depends_on.is_empty()) else { continue };
        let pinned = allow.resource_via.as_deref().unwrap_or("its Resource");
        let condition = match (values.as_slice(), pinned.split_once(":endpoint/")) {
            ([only], Some((_, name))) if depends.len() == 1 && !name.contains(['$', '*', '?']) => {
                format!("{} is {name}, the endpoint the policy names", describe_value(only))
            }
            _ => {
                let named: Vec<String> = depends.iter().map(describe_value).collect();
                let verb = if named.len() == 1 { "gives" } else { "give" };
                format!("{} {verb} the ARN that {pinned} names", named.join(" and "))
            }
        };
        findings.push(
            Finding::new(format!(
                "cannot tell whether {} may call {} on {}: it is allowed only if {condition}",
                d.function.id,
                d.call.api.action(),
                d.arn,
            ))
            .at(allow.loc, format!("this statement names {pinned} literally"))
            .related(d.call.site, "the endpoint is invoked here")
            .help(if d.function.origin.dialect.is_terraform() {
                "build the policy's ARN from the same value as the code's endpoint name (for example \"arn:…:endpoint/${var.endpoint_name}\") so the two cannot drift apart".to_owned()
            } else {
                format!(
                    "build the policy's ARN from the same value as the code's endpoint name (for example {}) so the two cannot drift apart",
                    sub_example(values[0])
                )
            })
            .resource(d.function.id.clone()),
        );
    }
    for finding in findings {
        cx.report(finding);
    }
}

/// How a policy ARN can use the same value in `Fn::Sub`: a lookup or an import goes through a
/// `Fn::Sub` variable, since `${…}` cannot hold an intrinsic.
fn sub_example(symbol: &Symbol) -> String {
    match symbol.origin() {
        SymbolOrigin::Import { export } => {
            format!("endpoint/${{Name}} in Fn::Sub with Name: !ImportValue {export}")
        }
        SymbolOrigin::Mapping { .. } => {
            "endpoint/${Name} in Fn::Sub with Name set by the same Fn::FindInMap".to_owned()
        }
        _ => format!("endpoint/${{{}}} in Fn::Sub", symbol.id()),
    }
}

/// What an unknown part of a value is, in words, by where the value comes from. Terraform values
/// are named by their address, as Terraform writes them.
fn describe_value(symbol: &Symbol) -> String {
    let id = symbol.id();
    match symbol.origin() {
        SymbolOrigin::Parameter => format!("the parameter {id}"),
        SymbolOrigin::Pseudo(p) => format!("the deployment's {}", p.name()),
        SymbolOrigin::Resource { resource, attribute: Some(attribute) } => {
            format!("the attribute {resource}.{attribute}")
        }
        SymbolOrigin::Resource { resource, attribute: None } => format!("the physical ID of {resource}"),
        SymbolOrigin::Import { export } => format!("the export {export}"),
        SymbolOrigin::Mapping { lookup } => format!("the Mappings lookup {lookup}"),
        SymbolOrigin::Undefined => format!("{id}, which the template does not define"),
        SymbolOrigin::Terraform(TerraformRef::Variable) => format!("the variable {id}"),
        SymbolOrigin::Terraform(TerraformRef::Local) => format!("the local value {id}"),
        SymbolOrigin::Terraform(TerraformRef::ModuleOutput) => format!("the module output {id}"),
        SymbolOrigin::Terraform(TerraformRef::Attribute { .. }) => format!("the attribute {id}"),
        SymbolOrigin::Terraform(TerraformRef::Expression) => format!("the value of {id}"),
        SymbolOrigin::ConditionKey => format!("the request's {id}"),
        SymbolOrigin::Request => format!("the {id} chosen at run time"),
        SymbolOrigin::NotEvaluated => format!("a value not evaluated ({id})"),
    }
}

/// AWS documents two different actions for `InvokeEndpointWithResponseStream`: the API reference
/// asks for `sagemaker:InvokeEndpoint`, the Service Authorization Reference (and AWS-managed
/// policies) define `sagemaker:InvokeEndpointWithResponseStream` (aws-semantics.md §5.2, §13.2).
/// A role allowing exactly one of them may work or not; neither is SL101/SL108, both is clean.
fn streaming_docs_disagree(cx: &mut LintContext<'_>) {
    const API_REF: &str = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html";
    const AUTH_REF: &str =
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html";
    let mut findings = Vec::new();
    for d in cx.decided_calls() {
        if d.call.api != InvokeApi::InvokeEndpointWithResponseStream {
            continue;
        }
        let stream = d.call.api.action();
        let invoke = InvokeApi::InvokeEndpoint.action();
        let stream_allowed = d.decision.outcome == Outcome::Allowed;
        let invoke_allowed = d.sibling(InvokeApi::InvokeEndpoint) == Some(&Outcome::Allowed);
        if stream_allowed == invoke_allowed
            || (!stream_allowed && d.decision.outcome != Outcome::ImplicitDeny)
        {
            continue;
        }
        let (allowed, missing, source) =
            if stream_allowed { (stream, invoke, API_REF) } else { (invoke, stream, AUTH_REF) };
        findings.push(
            Finding::new(format!(
                "cannot tell whether {} may call {stream} on {}: its role allows {allowed} but not {missing}, and AWS's API reference and Service Authorization Reference disagree on which of the two the call needs",
                d.function.id, d.arn
            ))
            .at(d.role.policies_loc.unwrap_or(d.role.loc), format!("{allowed} is allowed here, {missing} is not"))
            .related(d.call.site, "the endpoint is invoked with a response stream here")
            .help(format!(
                "allow both {invoke} and {stream} on the endpoint to be safe: {missing} is the action named by {source}"
            ))
            .resource(d.function.id.clone()),
        );
    }
    for finding in findings {
        cx.report(finding);
    }
}

/// The finding for a problem the builders recorded at `loc`. Paths are shown relative to the
/// working directory, as reports show files.
pub(super) fn describe(problem: &UndecidableProblem, loc: Loc) -> Finding {
    match problem {
        UndecidableProblem::DeployTimeResources { for_each, transforms } => {
            let what = match for_each {
                Some(key) => format!("{key} generates resources at deploy time, and they are not checked either"),
                None => format!("the transform {} may add or change resources", transforms.join(", ")),
            };
            Finding::new(format!("references in this template are not checked: {what}"))
                .at(loc, "applied at deploy time")
                .help("lint the processed template as well (e.g. aws cloudformation get-template --template-stage Processed)")
        }
        UndecidableProblem::ServerlessFragment { sign } => {
            let why = match sign {
                FragmentSign::Variable(var) => format!("it uses the framework's {var}…}} variables"),
                FragmentSign::GeneratedName(id) => format!("it refers to {id}, a name the framework generates"),
            };
            Finding::new(format!(
                "references in this file are not checked: it is a Serverless Framework resources fragment ({why}), merged with resources the framework generates"
            ))
            .at(loc, "completed by serverless.yml at package time")
            .help("lint the packaged template as well (.serverless/cloudformation-template-update-stack.json after `serverless package`)")
        }
        UndecidableProblem::ServerlessConfig => Finding::new(
            "this is a Serverless Framework configuration, which sagelint does not read: its functions, IAM statements and environment are not checked",
        )
        .at(loc, "Serverless Framework functions")
        .help("run `serverless package` and lint the CloudFormation template it writes, for the IAM, endpoint and network checks: sagelint check .serverless/cloudformation-template-update-stack.json"),
        UndecidableProblem::YamlAliases => Finding::new(
            "this template uses YAML aliases: CloudFormation rejects them unless a packaging step expands them first",
        )
        .at(loc, "a YAML alias")
        .help("deploy through `aws cloudformation package` (or `sam deploy`), which writes the values out in full; `aws cloudformation deploy` and the console send the template as written and fail with \"YAML aliases are not allowed in CloudFormation templates\""),
        UndecidableProblem::RainDirectives { directive } => {
            let uses = if directive == "Rain" { "its Rain section".to_owned() } else { directive.clone() };
            Finding::new(format!(
                "this is a source template for `rain pkg` (it uses {uses}): it is checked as written, without the resources and code its modules and uploads add"
            ))
            .at(loc, "replaced by `rain pkg` before deployment")
            .help("lint the packaged template as well: rain pkg template.yaml > packaged.yaml && sagelint check packaged.yaml")
        }
        UndecidableProblem::RainModuleUnexpanded { module, via, why } => {
            let shown = crate::display_path(module);
            // A cycle names its whole chain already.
            let placed = if via.is_empty() || matches!(why, RainModuleFailure::Cycle { .. }) {
                String::new()
            } else {
                let chain: Vec<String> = via.iter().map(|p| crate::display_path(p)).collect();
                format!(" (placed by {})", chain.join(" → "))
            };
            let (reason, help) = match why {
                RainModuleFailure::Unreadable(refusal) => (
                    format!("{shown} is not read: {refusal}"),
                    "the module path is relative to the file that names it; it must be a regular UTF-8 file inside the repository".to_owned(),
                ),
                RainModuleFailure::Unparsable => (
                    format!("{shown} is not a YAML or JSON mapping"),
                    format!("fix the module's syntax: sagelint check {shown}"),
                ),
                RainModuleFailure::Cycle { chain } => (
                    format!(
                        "its modules include each other ({}), which `rain pkg` rejects",
                        chain.iter().map(|p| crate::display_path(p)).collect::<Vec<_>>().join(" → ")
                    ),
                    "break the cycle: a module must not include itself, directly or through other modules".to_owned(),
                ),
                RainModuleFailure::TooDeep { limit } => (
                    format!("modules are nested deeper than {limit} levels at {shown}"),
                    "lint the packaged template: rain pkg template.yaml > packaged.yaml && sagelint check packaged.yaml".to_owned(),
                ),
                RainModuleFailure::TooMany { limit } => (
                    format!("the template places more than {limit} modules (or too much module text) by the time it reaches {shown}"),
                    "lint the packaged template: rain pkg template.yaml > packaged.yaml && sagelint check packaged.yaml".to_owned(),
                ),
                RainModuleFailure::MissingProperty { parameter } => (
                    format!("the module's parameter {parameter} has no Default and Properties does not set it"),
                    format!("set {parameter} under the module resource's Properties"),
                ),
                RainModuleFailure::UnknownOverride { resource } => (
                    format!("Overrides names {resource}, which {shown} does not define"),
                    format!("override a resource the module defines, or remove {resource} from Overrides"),
                ),
                RainModuleFailure::OverridesParameter { parameter } => (
                    format!("Overrides sets {parameter}, a parameter of {shown}"),
                    format!("pass {parameter} under the module resource's Properties instead"),
                ),
            };
            Finding::new(format!(
                "`rain pkg` cannot expand this module: {reason}{placed}; the template is checked as written, without the module's resources"
            ))
            .at(loc, "this module is not expanded")
            .help(help)
        }
        UndecidableProblem::CdkOutputUnscanned { out, exists } => {
            let shown = crate::display_path(out);
            let help = if *exists {
                format!("{shown} exists but the scan skipped it (.gitignore or `exclude`): run sagelint check {shown}")
            } else {
                format!("run `cdk synth`, then sagelint check {shown}")
            };
            Finding::new(
                "this CDK app's synthesized templates were not scanned: sagelint checks the CloudFormation that `cdk synth` writes, not the app's source",
            )
            .at(loc, "a CDK app")
            .help(help)
        }
        UndecidableProblem::IgnoredTerraformFile { name } => Finding::new(format!(
            "{name} is in this module's folder but an ignore file (.gitignore) keeps it out of the scan: the committed configuration is judged without it, though Terraform would load it here"
        ))
        .at(loc, "the module the file belongs to")
        .help(format!(
            "if the deployment uses {name}, commit it or pass its values with --param; name it on the command line to lint it as it is"
        )),
        UndecidableProblem::UnreadLayer { function, layer } => {
            let layer = match layer {
                LayerName::Folder(dir) => crate::display_path(dir),
                LayerName::Named(name) => name.clone(),
                LayerName::Unnamed => "a layer".to_owned(),
            };
            Finding::new(format!(
                "cannot check the endpoint calls of {function}: the handler makes none, and layer {layer} is not in the scanned files"
            ))
            .at(loc, "the layer's code is not scanned")
            .help("lint the layer's folder with the template (SAM ContentUri with python/ or nodejs/node_modules/)")
        }
        UndecidableProblem::MissingHandler { function, handler, absence, sign, code_setting } => {
            let (why, help) = match absence {
                HandlerAbsence::Refused { file, refusal } => (
                    format!("is in {}, which was not read: {refusal}", crate::display_path(file)),
                    "sagelint reads handler code that is a regular UTF-8 file of at most 4 MiB inside the scanned repository".to_owned(),
                ),
                HandlerAbsence::NotIn { dir } => {
                    let dir = crate::display_path(dir);
                    let dir = if dir.is_empty() { "the template's folder".to_owned() } else { dir };
                    (
                        format!("is not in {dir}"),
                        format!("the code folder may be build output that is not in the scanned files; lint after building, or point {code_setting} at the sources"),
                    )
                }
                HandlerAbsence::InZip { zip } => (
                    format!(
                        "is packed in {}, which is built outside Terraform, and no folder near it holds that module",
                        crate::display_path(zip)
                    ),
                    "package the sources with an archive_file data source, or keep them in src/ or a folder named after the zip beside the configuration".to_owned(),
                ),
                HandlerAbsence::NotInZip { zip, member } => (
                    format!("is not in {}: the zip has no member {member}", crate::display_path(zip)),
                    format!("check the handler against the zip's layout: Lambda looks for {member} at the zip's root, or in the folder the handler names"),
                ),
                HandlerAbsence::ZipRefused { zip, member, refusal } => {
                    let shown = match member {
                        Some(member) => format!("{}!/{member}", crate::display_path(zip)),
                        None => crate::display_path(zip),
                    };
                    (
                        format!("is in {shown}, which was not read: {refusal}"),
                        format!(
                            "sagelint reads a zip of at most {} MiB and {} entries, unencrypted, stored or deflated, with no member named by an absolute or `..` path, and its handler code as UTF-8 members of at most {} MiB each and {} MiB in all",
                            crate::fsread::ZIP_CAP >> 20,
                            crate::fsread::ZIP_ENTRY_CAP,
                            crate::fsread::CODE_CAP >> 20,
                            crate::fsread::ZIP_TOTAL_CAP >> 20
                        ),
                    )
                }
                HandlerAbsence::Image { contexts } if contexts.is_empty() => (
                    "is in a container image that the files tie to no Dockerfile".to_owned(),
                    "lint the repository that builds the image along with this one, or name its build context: SAM Metadata.DockerContext, a Terraform docker_image build context (without one, sagelint takes the one folder holding a file named Dockerfile in or up to three levels under the Terraform module's folder)".to_owned(),
                ),
                HandlerAbsence::Image { contexts } => {
                    let dirs: Vec<String> = contexts.iter().map(|d| crate::display_path(d)).collect();
                    (
                        format!(
                            "is in a container image, and the Dockerfiles of {} could each build it, so which one does cannot be told",
                            dirs.join(", ")
                        ),
                        "name the build context with a docker_image resource's build block".to_owned(),
                    )
                }
                HandlerAbsence::Uploaded { location } => (
                    format!("is in {location}, which is not in the scanned files"),
                    "lint the folder the package is built from along with the deployment, so the handler's calls are checked".to_owned(),
                ),
                HandlerAbsence::Runtime { runtime } => (
                    format!("is code for the {runtime} runtime, which sagelint does not read (it reads Python and Node.js handlers)"),
                    "review this function's endpoint calls by hand: the role and the environment are still checked".to_owned(),
                ),
                HandlerAbsence::AmbiguousZip { zip, dirs } => {
                    let dirs: Vec<String> = dirs.iter().map(|d| crate::display_path(d)).collect();
                    (
                        format!(
                            "is packed in {}, which is built outside Terraform, and {} each hold that module, so which one the zip packs cannot be told",
                            crate::display_path(zip),
                            dirs.join(", ")
                        ),
                        "package the sources with an archive_file data source so the folder is named".to_owned(),
                    )
                }
            };
            let subject = if handler.is_empty() { "its code".to_owned() } else { format!("handler {handler}") };
            match sign {
                SageMakerSign::PassesEndpoint => Finding::new(format!(
                    "cannot check how {function}'s code uses the endpoint: {subject} {why}"
                ))
                .at(loc, code_label(absence).unwrap_or("the endpoint is passed here")),
                SageMakerSign::RoleAllows { action } => Finding::new(format!(
                    "cannot check which endpoints {function} calls: {subject} {why}, and its role allows {action}"
                ))
                .at(
                    loc,
                    code_label(absence).unwrap_or(if handler.is_empty() {
                        "the image is named here"
                    } else {
                        "the handler is named here"
                    }),
                ),
            }
            .help(help)
        }
        UndecidableProblem::CodeFromZipSources { function, handler, zip, dir } => {
            let (zip, dir) = (crate::display_path(zip), crate::display_path(dir));
            Finding::new(format!(
                "{function}'s code is read from {dir}: {zip} is built outside Terraform, and {dir} is the only folder near it that holds handler {handler}'s module"
            ))
            .at(loc, "the zip is named here")
            .help("if the zip packs other sources, package them with an archive_file data source so the files checked are the files deployed")
        }
        UndecidableProblem::VpcConfigUnknown { function, why } => Finding::new(format!(
            "cannot check whether {function} can reach the SageMaker runtime from a VPC: its VpcConfig cannot be read ({why})"
        ))
        .at(loc, "VpcConfig is not known statically")
        .help("write VpcConfig with SubnetIds and SecurityGroupIds, or give the parameters that decide its condition"),
        UndecidableProblem::LocalModuleUnread { module, dir, missing } => {
            let dir = crate::display_path(dir);
            if *missing {
                Finding::new(format!(
                    "module {module}'s source {dir} holds no Terraform files: its resources are not checked"
                ))
                .at(loc, "local module source")
                .help("Terraform cannot initialise a module from a folder without .tf files: check the source path")
            } else {
                Finding::new(format!(
                    "module {module}'s source {dir} is outside the scanned repository and was not read: its resources are not checked"
                ))
                .at(loc, "local module source")
                .help("run sagelint from the repository that holds both folders (a folder with .git bounds what sagelint reads), or name the module folder too")
            }
        }
        UndecidableProblem::ApiDefinitionUnread { api, how, terraform } => Finding::new(format!(
            "cannot check which functions API {api} integrates: its OpenAPI definition {how}, which is not read"
        ))
        .at(loc, "the definition is named here")
        .help(if *terraform {
            "declare the integrations as aws_api_gateway_integration or aws_apigatewayv2_integration resources to have them checked, with their permissions and timeouts"
        } else {
            "write the definition inline (DefinitionBody, or Body of the RestApi or Api) to have its Lambda integrations checked, with their permissions and timeouts"
        }),
        UndecidableProblem::RemoteModule { module, source } => {
            Finding::new(format!("module {module} comes from {source}, which is not in the scanned files"))
                .at(loc, "remote module source")
                .help("the module's resources are not checked; lint a checkout of the module as well")
        }
        UndecidableProblem::Instances { address, meta } => {
            Finding::new(format!("{address} uses {meta}: its instances are checked as one"))
                .at(loc, "one or more instances")
                .help("instance-specific values (count.index, each.key) are treated as unknown")
        }
        UndecidableProblem::PolicyFileUnread { path, refusal } => Finding::new(format!(
            "the policy document {} is not read: {refusal}; the role's permissions from it are unknown",
            crate::display_path(path)
        ))
        .at(loc, "the policy is read from this file")
        .help("file() must name a regular UTF-8 file inside the repository"),
        UndecidableProblem::CodeNotDeployed { searched } => {
            let searched = crate::display_path(searched);
            let searched = if searched.is_empty() { ".".to_owned() } else { searched };
            Finding::new(format!(
                "no function in the templates or Terraform under {searched} runs this file, so its calls were not checked"
            ))
            .at(loc, "not checked: no function runs this file")
            .help("name the template or folder that deploys it too, or check the function's CodeUri and Handler (filename or source_path and handler in Terraform)")
        }
    }
}

/// Why the role of `function` is not known, in its dialect.
fn unknown_role(why: &UnknownRole, function: &Function) -> String {
    let id = &function.id;
    match why {
        UnknownRole::NotSet => match function.origin.dialect {
            Dialect::CloudFormation => {
                format!("function {id} has no Role property (CloudFormation requires one)")
            }
            Dialect::Terraform => format!("function {id} has no role argument (Terraform requires one)"),
        },
        UnknownRole::Imported { export } => format!("the role is imported from another stack ({export})"),
        UnknownRole::Input { name } => match function.origin.dialect {
            Dialect::CloudFormation => format!("the role comes from parameter {name} (no default value)"),
            Dialect::Terraform => format!("the role comes from variable {name}, which has no value here"),
        },
        UnknownRole::NotDefined { role } => format!("the role {role} is not defined in the scanned files"),
        UnknownRole::Computed { reason } => format!("the role cannot be known statically ({reason})"),
        UnknownRole::ModuleRoleNotDefined => {
            format!("the role of {id} is lambda_role, which the scanned files do not define")
        }
        UnknownRole::ModuleRoleNotGiven => format!("{id} has create_role = false and no lambda_role"),
        UnknownRole::ModuleCreatesRoleUnknown => {
            format!("whether {id} creates its role (create_role) is not known")
        }
    }
}

/// The label of a finding that points where the code is named, when it does.
fn code_label(absence: &HandlerAbsence) -> Option<&'static str> {
    match absence {
        HandlerAbsence::Uploaded { .. } => Some("the code is named here"),
        HandlerAbsence::Runtime { .. } => Some("the runtime is named here"),
        a if a.is_in_zip() => Some("the zip is named here"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(id: &str, origin: SymbolOrigin) -> String {
        describe_value(&Symbol::new(id, origin))
    }

    #[test]
    fn unknown_values_are_named_by_where_they_come_from() {
        assert_eq!(words("Stage", SymbolOrigin::Parameter), "the parameter Stage");
        assert_eq!(
            describe_value(&Symbol::pseudo(crate::value::Pseudo::StackName)),
            "the deployment's StackName"
        );
        let physical = SymbolOrigin::Resource { resource: "Api".into(), attribute: None };
        assert_eq!(words("Api", physical), "the physical ID of Api");
        let attribute =
            SymbolOrigin::Resource { resource: "Ep".into(), attribute: Some("EndpointName".into()) };
        assert_eq!(words("Ep.EndpointName", attribute), "the attribute Ep.EndpointName");
        assert_eq!(
            words("EndpointNmae", SymbolOrigin::Undefined),
            "EndpointNmae, which the template does not define"
        );
        let variable = SymbolOrigin::Terraform(TerraformRef::Variable);
        assert_eq!(words("var.endpoint_name", variable), "the variable var.endpoint_name");
        let output = SymbolOrigin::Terraform(TerraformRef::ModuleOutput);
        assert_eq!(words("module.model.name", output), "the module output module.model.name");
        let data = SymbolOrigin::Terraform(TerraformRef::Attribute { resource: None });
        assert_eq!(
            words("data.aws_ssm_parameter.ep.value", data),
            "the attribute data.aws_ssm_parameter.ep.value"
        );
        // A dotted or prefixed id says nothing by itself: the origin decides.
        assert_eq!(words("var.x", SymbolOrigin::Parameter), "the parameter var.x");
    }
}
