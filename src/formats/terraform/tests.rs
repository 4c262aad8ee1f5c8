//! Model-level checks of Terraform semantics that no rule on this branch reads yet (network, API
//! chain) and of evaluation details.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{TfFile, TfKind, build};
use crate::formats::{BuildOptions, CodeCache};
use crate::model::Model;
use crate::model::api::ApiKind;
use crate::model::network::{EndpointKind, Link, Peer, RouteTarget};
use crate::model::problem::{ParseProblem, ProblemKind, UndecidableProblem};
use crate::source::{SourceFile, SourceMap};

fn model_of(text: &str) -> Model {
    let body = super::hcl::parse(text).expect("test HCL parses");
    let mut sources = SourceMap::default();
    let path = PathBuf::from("/nonexistent/main.tf");
    let file = sources.add(SourceFile::new(path.clone(), "main.tf".into(), text.into()));
    let files = vec![TfFile { file, path, kind: TfKind::Config, body, broken: false, explicit: true }];
    let mut model = Model::default();
    build(&mut model, &mut sources, &mut CodeCache::default(), &files, &BuildOptions::default());
    model
}

const NETWORK: &str = r#"
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "lambda" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "attr_form" {
  vpc_id = aws_vpc.main.id
  egress = [{
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
    description      = "all"
  }]
}

resource "aws_security_group" "endpoint" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.lambda.id]
  }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.endpoint.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "runtime" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.${data.aws_region.current.name}.sagemaker.runtime"
  subnet_ids         = [aws_subnet.private.id]
  security_group_ids = [aws_security_group.endpoint.id]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "10.0.0.0/16"
    gateway_id = "local"
  }
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_nat_gateway" "nat" {
  subnet_id = "subnet-0public"
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_main_route_table_association" "main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.private.id
}

data "aws_region" "current" {}

resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = "arn:aws:iam::123456789012:role/external"
  handler       = "app.handler"
  runtime       = "python3.12"
  vpc_config {
    subnet_ids         = [aws_subnet.private.id, "subnet-0other"]
    security_group_ids = [aws_security_group.lambda.id]
  }
}

resource "aws_apigatewayv2_api" "ws" {
  name          = "ws"
  protocol_type = "WEBSOCKET"
}

resource "aws_apigatewayv2_integration" "ws" {
  api_id           = aws_apigatewayv2_api.ws.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.scorer.invoke_arn
}

resource "aws_api_gateway_integration" "rest" {
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "POST"
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:${data.aws_region.current.name}:lambda:path/2015-03-31/functions/${aws_lambda_function.scorer.arn}/invocations"
  timeout_milliseconds    = 10000
}

resource "aws_lambda_permission" "api" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.scorer.function_name
  principal     = "apigateway.amazonaws.com"
}
"#;

#[test]
fn security_group_without_egress_blocks_has_no_egress() {
    let model = model_of(NETWORK);
    let lambda = model.network.security_groups.iter().find(|g| g.id == "aws_security_group.lambda").unwrap();
    assert!(lambda.egress.is_empty(), "Terraform removes AWS's default egress rule");
    let attr_form =
        model.network.security_groups.iter().find(|g| g.id == "aws_security_group.attr_form").unwrap();
    assert_eq!(attr_form.egress.len(), 1, "the attribute form of egress rules is read");
    assert!(attr_form.egress[0].covers_https());
    let endpoint =
        model.network.security_groups.iter().find(|g| g.id == "aws_security_group.endpoint").unwrap();
    assert_eq!(endpoint.ingress.len(), 1);
    assert_eq!(endpoint.ingress[0].peer, Peer::Group(Link::Resource("aws_security_group.lambda".into())));
    assert!(endpoint.ingress[0].covers_https());
    assert_eq!(endpoint.egress.len(), 1, "the standalone egress rule is added to its group");
    assert_eq!(endpoint.egress[0].peer, Peer::Cidr("10.0.0.0/16".into()));
}

#[test]
fn vpc_endpoint_and_vpc_defaults() {
    let model = model_of(NETWORK);
    let ep = &model.network.vpc_endpoints[0];
    assert_eq!(ep.kind, EndpointKind::Gateway, "vpc_endpoint_type defaults to Gateway");
    assert_eq!(ep.private_dns, Some(false));
    assert_eq!(ep.service.to_string(), "com.amazonaws.${AWS::Region}.sagemaker.runtime");
    let vpc = &model.network.vpcs[0];
    assert_eq!((vpc.dns_support, vpc.dns_hostnames), (Some(true), Some(true)));
}

#[test]
fn routes_associations_and_function_vpc_config() {
    let model = model_of(NETWORK);
    let table = &model.network.route_tables[0];
    assert!(table.main);
    assert_eq!(table.routes.len(), 1, "the local route is implicit, not a way out");
    assert_eq!(table.routes[0].target, RouteTarget::NatGateway(Link::Resource("aws_nat_gateway.nat".into())));
    assert_eq!(model.network.nat_gateways[0].subnet, Link::External("subnet-0public".into()));
    assert_eq!(model.network.associations[0].subnet, Link::Resource("aws_subnet.private".into()));
    let vpc = model.functions[0].vpc.as_ref().unwrap();
    assert!(vpc.attached());
    assert_eq!(vpc.subnets[1].link, Link::External("subnet-0other".into()));
}

#[test]
fn websocket_integration_and_permission() {
    let model = model_of(NETWORK);
    let rest = model.integrations.iter().find(|i| i.kind == ApiKind::Rest).unwrap();
    assert_eq!(rest.function, Link::Resource("aws_lambda_function.scorer".into()));
    assert_eq!(rest.timeout_ms, Some(10_000));
    let integration = model.integrations.iter().find(|i| i.kind != ApiKind::Rest).unwrap();
    assert_eq!(integration.kind, ApiKind::WebSocket);
    assert_eq!(integration.function, Link::Resource("aws_lambda_function.scorer".into()));
    assert_eq!(integration.api.as_deref(), Some("aws_apigatewayv2_api.ws"));
    let permission = &model.permissions[0];
    assert_eq!(permission.function, Link::Resource("aws_lambda_function.scorer".into()));
    assert_eq!(permission.principal.to_string(), "apigateway.amazonaws.com");
}

#[test]
fn count_is_one_or_more_instances_and_remote_modules_are_undecidable() {
    let model = model_of(
        r#"
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

resource "aws_sagemaker_endpoint" "e" {
  count                = 2
  name                 = "scorer-${count.index}"
  endpoint_config_name = "c"
}
"#,
    );
    let kinds: Vec<&ProblemKind> = model.problems.iter().map(|p| &p.kind).collect();
    assert!(
        kinds.iter().any(|k| matches!(k, ProblemKind::Undecidable(UndecidableProblem::RemoteModule { source, .. }) if source == "terraform-aws-modules/vpc/aws")),
        "{kinds:?}"
    );
    assert!(
        kinds.iter().any(|k| matches!(k, ProblemKind::Undecidable(UndecidableProblem::Instances { meta, .. }) if meta == "count")),
        "{kinds:?}"
    );
    assert_eq!(model.endpoints[0].name.as_ref().unwrap().to_string(), "scorer-${count.index}");
}

#[test]
fn policy_variables_and_override_documents() {
    let model = model_of(
        r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Invoke"
    actions   = ["sagemaker:DescribeEndpoint"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "final" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Invoke"
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = ["arn:aws:sagemaker:*:*:endpoint/&{aws:username}"]
  }
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  inline_policy {
    name   = "p"
    policy = data.aws_iam_policy_document.final.json
  }
}
"#,
    );
    let doc = &model.roles[0].policies[0].doc;
    assert_eq!(doc.statements.len(), 1, "a statement with the same sid replaces the source's");
    let text = format!("{:?}", doc.statements[0]);
    assert!(text.contains("InvokeEndpoint") && text.contains("${aws:username}"), "{text}");
}

fn model_of_plan(text: &str) -> Model {
    let root = crate::syntax::json::parse_json(text).root.expect("test plan parses");
    assert!(super::tfjson::is_plan(&root));
    let body = super::plan::plan_body(&root);
    let mut sources = SourceMap::default();
    let path = PathBuf::from("/nonexistent/plan.json");
    let file = sources.add(SourceFile::new(path.clone(), "plan.json".into(), text.into()));
    let files = vec![TfFile { file, path, kind: TfKind::Plan, body, broken: false, explicit: true }];
    let mut model = Model::default();
    build(&mut model, &mut sources, &mut CodeCache::default(), &files, &BuildOptions::default());
    model
}

#[test]
fn plan_child_module_references_resolve_inside_their_module() {
    let role = |address: &str| {
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "aws_iam_role", "name": "this",
                "values": {{"name": "{address}"}}}}"#
        )
    };
    let plan = format!(
        r#"{{
  "format_version": "1.2",
  "planned_values": {{
    "root_module": {{
      "resources": [{}],
      "child_modules": [{{
        "address": "module.api",
        "resources": [{}, {{
          "address": "module.api.aws_lambda_function.this", "mode": "managed",
          "type": "aws_lambda_function", "name": "this",
          "values": {{"function_name": "api", "handler": "app.handler"}}
        }}]
      }}]
    }}
  }},
  "resource_changes": [{{
    "address": "module.api.aws_lambda_function.this",
    "change": {{"actions": ["create"], "after_unknown": {{"role": true}}}}
  }}],
  "configuration": {{
    "root_module": {{
      "module_calls": {{
        "api": {{
          "source": "./modules/api",
          "module": {{
            "resources": [{{
              "address": "aws_lambda_function.this", "mode": "managed",
              "type": "aws_lambda_function", "name": "this",
              "expressions": {{"role": {{"references": ["aws_iam_role.this.arn", "aws_iam_role.this"]}}}}
            }}]
          }}
        }}
      }}
    }}
  }}
}}"#,
        role("aws_iam_role.this"),
        role("module.api.aws_iam_role.this")
    );
    let model = model_of_plan(&plan);
    let function = &model.functions[0];
    assert_eq!(function.id, "module.api.aws_lambda_function.this");
    let crate::model::RoleRef::Known(i) = function.role else {
        panic!("role not resolved: {:?}", function.role)
    };
    assert_eq!(model.roles[i].id, "module.api.aws_iam_role.this");
}

#[test]
fn plan_child_module_variables_take_the_callers_input_through_nested_calls() {
    // The role reaches the function through two module calls, and is a counted resource: the
    // function's `role` is unknown until apply, so the reader follows `var.role` to
    // `module.api`'s `var.role_arn` to the root's `aws_iam_role.exec[0].arn`.
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [{"address": "aws_iam_role.exec[0]", "mode": "managed", "type": "aws_iam_role",
                   "name": "exec", "index": 0, "values": {"name": "exec"}}],
    "child_modules": [{"address": "module.api", "child_modules": [{
      "address": "module.api.module.fn",
      "resources": [{"address": "module.api.module.fn.aws_lambda_function.this", "mode": "managed",
                     "type": "aws_lambda_function", "name": "this",
                     "values": {"function_name": "api", "handler": "app.handler"}}]
    }]}]
  }},
  "resource_changes": [{"address": "module.api.module.fn.aws_lambda_function.this",
                        "change": {"actions": ["create"], "after_unknown": {"role": true}}}],
  "configuration": {"root_module": {
    "resources": [{"address": "aws_iam_role.exec", "mode": "managed", "type": "aws_iam_role", "name": "exec"}],
    "module_calls": {"api": {
      "source": "./api",
      "expressions": {"role_arn": {"references": ["aws_iam_role.exec[0].arn", "aws_iam_role.exec[0]", "aws_iam_role.exec"]}},
      "module": {
        "variables": {"role_arn": {}},
        "module_calls": {"fn": {
          "source": "./fn",
          "expressions": {"role": {"references": ["var.role_arn"]}},
          "module": {
            "variables": {"role": {"description": "execution role"}},
            "resources": [{"address": "aws_lambda_function.this", "mode": "managed",
                           "type": "aws_lambda_function", "name": "this",
                           "expressions": {"role": {"references": ["var.role"]}}}]
          }
        }}
      }
    }}
  }}
}"#;
    let model = model_of_plan(plan);
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    let function = &model.functions[0];
    let crate::model::RoleRef::Known(i) = function.role else {
        panic!("role not resolved: {:?}", function.role)
    };
    assert_eq!(model.roles[i].id, "aws_iam_role.exec");
}

#[test]
fn plan_call_input_built_from_several_references_is_unknown_not_the_first() {
    // `"${var.prefix}-${var.stage}"`: the reader must not take `var.prefix` for the whole value.
    let plan = r#"{
  "format_version": "1.2",
  "variables": {"prefix": {"value": "scorer"}, "stage": {"value": "prod"}},
  "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [
    {"address": "module.m.aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "values": {"name": null}}]}]}},
  "configuration": {"root_module": {"module_calls": {"m": {
    "source": "./m",
    "expressions": {"role_name": {"references": ["var.prefix", "var.stage"]}},
    "module": {"variables": {"role_name": {}}, "resources": [
      {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
       "expressions": {"name": {"references": ["var.role_name"]}}}]}
  }}}}
}"#;
    let root = crate::syntax::json::parse_json(plan).root.expect("test plan parses");
    let body = super::plan::plan_body(&root);
    let call = body.blocks.iter().find(|b| b.kind == "module" && b.label(0) == "m").expect("module call");
    let input = call.body.get("role_name").expect("input");
    assert!(matches!(&input.kind, super::ast::ExprKind::Computed(_)), "{input:?}");
    assert!(model_of_plan(plan).problems.is_empty());
}

#[test]
fn plan_endpoint_policy_known_only_after_apply_is_unknown_not_a_document() {
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "values": {"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"}}]}},
  "resource_changes": [{"address": "aws_vpc_endpoint.s3",
                        "change": {"actions": ["create"], "after_unknown": {"policy": true}}}]
}"#;
    let model = model_of_plan(plan);
    assert!(model.problems.is_empty(), "{:#?}", model.problems);
    let endpoint = &model.network.vpc_endpoints[0];
    assert!(endpoint.policy.is_none());
    let (what, _) = endpoint.policy_unknown.as_ref().expect("the policy is unknown");
    assert!(what.contains("known only after apply"), "{what}");
}

#[test]
fn cycles_and_shared_child_modules_report_each_problem_once() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b");
    let c = dir.path().join("c");
    std::fs::create_dir_all(&b).unwrap();
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(
        b.join("main.tf"),
        r#"
data "aws_iam_policy_document" "x" {
  statement {}
  source_policy_documents = [data.aws_iam_policy_document.x.json]
}
locals {
  a = local.a
}
resource "aws_iam_role" "r" {
  name = local.a
  inline_policy {
    policy = data.aws_iam_policy_document.x.json
  }
}
resource "aws_lambda_function" "f" {
  role = aws_iam_rol.r.arn
}
"#,
    )
    .unwrap();
    std::fs::write(
        c.join("main.tf"),
        "module \"self\" {\n  source = \"./\"\n}\nmodule \"one\" {\n  source = \"../b\"\n}\nmodule \"two\" {\n  source = \"../b\"\n}\n",
    )
    .unwrap();
    let outcome = crate::lint(&[dir.path().to_path_buf()], &crate::LintOptions::default()).unwrap();
    assert!(outcome.internal_errors.is_empty(), "{:?}", outcome.internal_errors);
    let codes: Vec<&str> = outcome.diagnostics.iter().map(|d| d.code).collect();
    // The policy document cycle, the undeclared role, and `c` calling its own folder.
    assert_eq!(codes, ["SL001", "SL002", "SL001"], "{:#?}", outcome.diagnostics);
    assert!(
        outcome.diagnostics[2].finding.message.starts_with("module cycle: "),
        "{:#?}",
        outcome.diagnostics
    );
}

#[test]
fn a_child_module_calling_its_caller_is_a_cycle_and_the_rest_is_still_built() {
    let model = model_of_files(&[
        (
            "/p/main.tf",
            r#"
module "loop" {
  source = "./modules/loop"
}
resource "aws_iam_role" "r" {
  name = "r"
}
resource "aws_lambda_function" "f" {
  role = aws_iam_role.r.arn
}
"#,
        ),
        ("/p/modules/loop/main.tf", "module \"back\" {\n  source = \"../../\"\n}\n"),
    ]);
    // Built once, from the calling folder, and not from the child as a second root.
    let ids: Vec<&str> = model.functions.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["aws_lambda_function.f"]);
    let kinds: Vec<&ProblemKind> = model.problems.iter().map(|p| &p.kind).collect();
    let folders: Vec<PathBuf> = ["/p", "/p/modules/loop", "/p"].map(PathBuf::from).into();
    assert!(
        matches!(kinds.as_slice(), [ProblemKind::Parse(ParseProblem::ModuleCycle { folders: f, calls_itself: false, .. })] if *f == folders),
        "{kinds:?}"
    );
}

#[test]
fn byte_order_mark_is_ignored_and_spans_stay_in_place() {
    let text = "\u{feff}resource \"aws_sagemaker_endpoint\" \"e\" {\r\n  name = \"x\"\r\n}\r\n";
    let body = super::hcl::parse(text).expect("Terraform accepts a UTF-8 BOM");
    let attr = body.blocks[0].body.attr("name").unwrap();
    assert_eq!(&text[attr.key_span.start as usize..attr.key_span.end as usize], "name");
}

#[test]
fn plan_beside_its_configuration_is_not_linted_twice() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/SL101/fail");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    let hcl = fixtures.join("terraform-hcl-describe-only");
    std::fs::copy(hcl.join("main.tf"), dir.path().join("main.tf")).unwrap();
    std::fs::copy(hcl.join("src/app.py"), dir.path().join("src/app.py")).unwrap();
    let plan = fixtures.join("terraform-plan-describe-only/plan.json");
    std::fs::copy(plan, dir.path().join("plan.json")).unwrap();
    let options = crate::LintOptions {
        build: BuildOptions { scan_code: true, ..BuildOptions::default() },
        ..crate::LintOptions::default()
    };
    let outcome = crate::lint(&[dir.path().to_path_buf()], &options).unwrap();
    let sl101: Vec<_> = outcome.diagnostics.iter().filter(|d| d.code == "SL101").collect();
    assert_eq!(sl101.len(), 1, "{sl101:#?}");
    let outcome = crate::lint(&[dir.path().join("plan.json")], &options).unwrap();
    assert_eq!(outcome.diagnostics.iter().filter(|d| d.code == "SL101").count(), 1, "the plan alone is read");
}

#[test]
fn provider_aliases_give_functions_and_region_data_their_region() {
    let model = model_of(
        r#"
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

data "aws_region" "us" {
  provider = aws.us
}

resource "aws_sagemaker_endpoint" "e" {
  provider             = aws.us
  name                 = "scorer-${data.aws_region.us.name}"
  endpoint_config_name = "c"
}

resource "aws_lambda_function" "default" {
  function_name = "a"
  role          = "arn:aws:iam::123456789012:role/r"
}

resource "aws_lambda_function" "us" {
  provider      = aws.us
  function_name = "b"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let region = |id: &str| model.functions.iter().find(|f| f.id == id).unwrap().region.to_string();
    assert_eq!(region("aws_lambda_function.default"), "eu-west-1");
    assert_eq!(region("aws_lambda_function.us"), "us-east-1");
    assert_eq!(model.endpoints[0].name.as_ref().unwrap().to_string(), "scorer-us-east-1");
}

fn model_of_files(files: &[(&str, &str)]) -> Model {
    let mut sources = SourceMap::default();
    let mut tf = Vec::new();
    for (path, text) in files {
        let body = super::hcl::parse(text).expect("test HCL parses");
        let path = PathBuf::from(path);
        let file = sources.add(SourceFile::new(path.clone(), path.display().to_string(), (*text).into()));
        tf.push(TfFile { file, path, kind: TfKind::Config, body, broken: false, explicit: false });
    }
    let mut model = Model::default();
    build(&mut model, &mut sources, &mut CodeCache::default(), &tf, &BuildOptions::default());
    model
}

#[test]
fn child_modules_use_the_provider_their_caller_passes() {
    let model = model_of_files(&[
        (
            "/p/main.tf",
            r#"
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
module "eu" {
  source = "./fn"
}
module "us" {
  source    = "./fn"
  providers = { aws = aws.us }
}
module "aliased" {
  source    = "./aliased"
  providers = { aws.target = aws.us }
}
"#,
        ),
        (
            "/p/fn/main.tf",
            r#"
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
        ),
        (
            "/p/aliased/main.tf",
            r#"
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.target]
    }
  }
}
resource "aws_lambda_function" "f" {
  provider      = aws.target
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
        ),
    ]);
    let region = |id: &str| model.functions.iter().find(|f| f.id == id).unwrap().region.to_string();
    assert_eq!(region("module.eu.aws_lambda_function.f"), "eu-west-1");
    assert_eq!(region("module.us.aws_lambda_function.f"), "us-east-1");
    assert_eq!(region("module.aliased.aws_lambda_function.f"), "us-east-1");
}

#[test]
fn functions_for_expressions_and_object_attributes_evaluate_as_terraform_does() {
    let model = model_of(
        r#"
variable "cfg" {
  default = { name = "a", tags = { env = "prod" } }
}
variable "stage" {
  default = null
}
variable "nothing" {}
locals {
  names  = [for n in ["x", "y"] : upper(n)]
  by_key = { for k, v in { a = "1", b = "2" } : k => "${v}-${k}" }
}
resource "aws_sagemaker_endpoint" "format" { name = format("%s-%d-%%", var.cfg.name, 7) }
resource "aws_sagemaker_endpoint" "coalesce" { name = coalesce(var.stage, "", "dev") }
resource "aws_sagemaker_endpoint" "try" { name = try(var.cfg.missing, var.cfg.tags.env) }
resource "aws_sagemaker_endpoint" "lookup" { name = lookup(var.cfg.tags, "team", "ml") }
resource "aws_sagemaker_endpoint" "for_list" { name = local.names[1] }
resource "aws_sagemaker_endpoint" "for_map" { name = local.by_key["b"] }
resource "aws_sagemaker_endpoint" "replace" { name = replace("My_Model", "_", "-") }
resource "aws_sagemaker_endpoint" "regex" { name = replace("a", "/a/", "b") }
resource "aws_sagemaker_endpoint" "one" { name = one(["z"]) }
resource "aws_sagemaker_endpoint" "join" { name = join("-", concat(["p"], ["q"])) }
resource "aws_sagemaker_endpoint" "element" { name = element(["e0", "e1"], 3) }
resource "aws_sagemaker_endpoint" "unknown_for" { name = one([for n in var.nothing : n]) }
resource "aws_sagemaker_endpoint" "symbolic" { name = format("%s-x", var.nothing) }
resource "aws_sagemaker_endpoint" "cond" { name = var.stage == null && !false ? "unset" : "set" }
resource "aws_sagemaker_endpoint" "cond_types" { name = "1" == 1 || var.cfg.name != "a" ? "eq" : "ne" }
resource "aws_sagemaker_endpoint" "cond_unknown" { name = var.nothing == "x" ? "a" : "b" }
"#,
    );
    let name = |id: &str| {
        let e = model.endpoints.iter().find(|e| e.id == format!("aws_sagemaker_endpoint.{id}")).unwrap();
        e.name.as_ref().map(ToString::to_string)
    };
    assert_eq!(name("format").as_deref(), Some("a-7-%"));
    assert_eq!(name("coalesce").as_deref(), Some("dev"));
    assert_eq!(name("try").as_deref(), Some("prod"));
    assert_eq!(name("lookup").as_deref(), Some("ml"));
    assert_eq!(name("for_list").as_deref(), Some("Y"));
    assert_eq!(name("for_map").as_deref(), Some("2-b"));
    assert_eq!(name("replace").as_deref(), Some("My-Model"));
    assert_eq!(name("regex"), None, "regex patterns are not evaluated");
    assert_eq!(name("one").as_deref(), Some("z"));
    assert_eq!(name("join").as_deref(), Some("p-q"));
    assert_eq!(name("element").as_deref(), Some("e1"), "element() wraps around");
    assert_eq!(name("unknown_for"), None);
    assert_eq!(name("symbolic").as_deref(), Some("${var.nothing}-x"));
    assert_eq!(name("cond").as_deref(), Some("unset"));
    assert_eq!(name("cond_types").as_deref(), Some("ne"), "values of different types are not equal");
    assert_eq!(name("cond_unknown"), None, "a comparison with an unknown value is not false");
}

#[test]
fn locals_in_a_cycle_are_unknown_and_long_chains_are_followed() {
    // 20k links, each a template (so not a plain reference `deref` could skip through), run on
    // the test thread's stack: evaluated link by link, not by recursing down the chain.
    let mut text = String::from("locals {\n  t0 = \"m\"\n");
    for i in 1..20_000 {
        writeln!(text, "  t{i} = \"${{local.t{}}}\"", i - 1).unwrap();
    }
    text.push_str(
        r#"
  self = local.self
  a    = local.b
  b    = "${local.a}-x"
  c    = local.b
}
resource "aws_sagemaker_endpoint" "chain" { name = "${local.t19999}-1" }
resource "aws_sagemaker_endpoint" "self" { name = local.self }
resource "aws_sagemaker_endpoint" "pair" { name = local.a }
resource "aws_sagemaker_endpoint" "via" { name = local.c }
"#,
    );
    let model = model_of(&text);
    let name = |id: &str| {
        let e = model.endpoints.iter().find(|e| e.id == format!("aws_sagemaker_endpoint.{id}")).unwrap();
        e.name.as_ref().map(ToString::to_string)
    };
    assert_eq!(name("chain").as_deref(), Some("m-1"));
    assert_eq!(name("self"), None, "a local defined as itself has no value");
    // Through a template, the unknown becomes a symbol, as any unknown interpolation does; never
    // a literal.
    let literal = |id: &str| {
        let e = model.endpoints.iter().find(|e| e.id == format!("aws_sagemaker_endpoint.{id}")).unwrap();
        e.name.as_ref().and_then(|n| n.as_literal().map(str::to_owned))
    };
    assert_eq!(literal("pair"), None);
    assert_eq!(literal("via"), None, "a local that leads into a cycle is not known either");
}

#[test]
fn whole_resources_passed_as_values_read_their_attributes() {
    let model = model_of(
        r#"
resource "aws_sagemaker_endpoint" "base" { name = "base" }
resource "aws_sagemaker_endpoint" "counted" {
  count = 1
  name  = "counted"
}
resource "aws_sagemaker_endpoint" "tagged" {
  name = "tagged"
  tags = { Name = "from-tag" }
}
locals {
  src   = aws_sagemaker_endpoint.base
  again = local.src
  cfg   = { ep = aws_sagemaker_endpoint.base, name = aws_sagemaker_endpoint.tagged.name }
  first = aws_sagemaker_endpoint.counted[0]
  tags  = aws_sagemaker_endpoint.tagged.tags
}
resource "aws_sagemaker_endpoint" "via_local" { name = "${local.src.name}-2" }
resource "aws_sagemaker_endpoint" "via_chain" { name = local.again.name }
resource "aws_sagemaker_endpoint" "via_object" { name = local.cfg.ep.name }
resource "aws_sagemaker_endpoint" "via_object_key" { name = local.cfg["name"] }
resource "aws_sagemaker_endpoint" "via_instance" { name = local.first.name }
resource "aws_sagemaker_endpoint" "via_attribute" { name = local.tags.Name }
resource "aws_sagemaker_endpoint" "via_missing" { name = local.cfg.nothing.name }
"#,
    );
    let name = |id: &str| {
        let e = model.endpoints.iter().find(|e| e.id == format!("aws_sagemaker_endpoint.{id}")).unwrap();
        e.name.as_ref().map(ToString::to_string)
    };
    assert_eq!(name("via_local").as_deref(), Some("base-2"));
    assert_eq!(name("via_chain").as_deref(), Some("base"));
    assert_eq!(name("via_object").as_deref(), Some("base"));
    assert_eq!(name("via_object_key").as_deref(), Some("tagged"));
    assert_eq!(name("via_instance").as_deref(), Some("counted"));
    assert_eq!(name("via_attribute").as_deref(), Some("from-tag"), "an attribute's value is selected from");
    assert_eq!(name("via_missing"), None, "an object without the key has no such value");
}
