//! The format-independent model: functions, roles, policies, endpoints and the calls between them,
//! each with the source locations it came from. Rules only read this.

pub mod api;
pub mod network;
pub mod problem;
mod suppression;

use crate::iam::PolicyDocument;
use crate::span::Loc;
use crate::value::{SymStr, SymbolOrigin};

pub use problem::{Problem, ProblemKind};
pub use suppression::Suppression;

/// Which SageMaker runtime API a call site invokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InvokeApi {
    InvokeEndpoint,
    InvokeEndpointAsync,
    InvokeEndpointWithResponseStream,
}

impl InvokeApi {
    /// The IAM action the call needs.
    #[must_use]
    pub fn action(self) -> &'static str {
        match self {
            Self::InvokeEndpoint => "sagemaker:InvokeEndpoint",
            Self::InvokeEndpointAsync => "sagemaker:InvokeEndpointAsync",
            Self::InvokeEndpointWithResponseStream => "sagemaker:InvokeEndpointWithResponseStream",
        }
    }
}

/// Everything the run understood, across all files.
#[derive(Debug, Default)]
pub struct Model {
    pub functions: Vec<Function>,
    pub roles: Vec<Role>,
    pub endpoints: Vec<Endpoint>,
    /// What could not be read, resolved or decided, for SL001–SL003 to put in words.
    pub problems: Vec<Problem>,
    /// Endpoint names declared in the config as managed outside the scanned files.
    pub declared_endpoints: Vec<String>,
    /// Service control policies given with `--scp`, applied to every role.
    pub scps: Vec<AttachedPolicy>,
    /// `Metadata: {sagelint: {ignore: [...]}}` of resources.
    pub suppressions: Vec<Suppression>,
    pub network: network::Network,
    pub integrations: Vec<api::ApiIntegration>,
    pub permissions: Vec<api::InvokePermission>,
    /// The path of each source file, by `FileId` index: which stack or module a resource belongs
    /// to (endpoint names are checked within it).
    pub file_paths: Vec<std::path::PathBuf>,
    /// Nested stacks (`AWS::CloudFormation::Stack` `TemplateURL`, `AWS::Serverless::Application`
    /// `Location`) given as a literal path: the parent template and the path as written.
    pub nested_stacks: Vec<(crate::span::FileId, String)>,
    /// The files written in Terraform (`.tf`, `.tf.json`, tfvars, plans, and the JSON documents
    /// `file()` reads): a finding with a label in them shows deployment values as Terraform does.
    pub terraform_files: std::collections::BTreeSet<crate::span::FileId>,
}

/// The language a resource is written in, which a finding's message and help speak: Terraform
/// users read `aws_iam_role_policy` and `data.aws_caller_identity`, not `!GetAtt` or
/// `${AWS::AccountId}`. Each builder sets it on what it defines; an input family with its own
/// words (Serverless Framework) is one more variant, and the compiler points at every wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    CloudFormation,
    Terraform,
}

/// The input family a function was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    CloudFormation,
    /// `AWS::Serverless::Function`: SAM generates a role when `Role` is absent.
    Sam,
    /// `aws_lambda_function`.
    Terraform,
    /// The registry module `terraform-aws-modules/lambda/aws`, read from its inputs.
    TerraformLambdaModule,
}

/// Where a function was defined: the family its builder read and the dialect findings about it
/// speak. Its address in that family (logical id, Terraform address) is the function's `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub format: Format,
    pub dialect: Dialect,
}

impl Origin {
    #[must_use]
    pub fn new(format: Format) -> Self {
        let dialect = match format {
            Format::CloudFormation | Format::Sam => Dialect::CloudFormation,
            Format::Terraform | Format::TerraformLambdaModule => Dialect::Terraform,
        };
        Self { format, dialect }
    }
}

impl Dialect {
    #[must_use]
    pub fn is_terraform(self) -> bool {
        self == Self::Terraform
    }
}

impl Model {
    /// The dialect of a location no function, VPC endpoint, security group or API resource owns
    /// (a policy document `file()` reads, a label of a finding), decided by the file it is in.
    #[must_use]
    pub fn dialect_at(&self, loc: Loc) -> Dialect {
        if self.terraform_files.contains(&loc.file) { Dialect::Terraform } else { Dialect::CloudFormation }
    }
}

/// A SageMaker endpoint defined in a scanned file.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub id: String,
    /// The name, when the template sets one (`None`: CloudFormation generates it).
    pub name: Option<SymStr>,
    pub name_loc: Option<Loc>,
    pub loc: Loc,
    /// The endpoint config's `AsyncInferenceConfig`, when the config is in the same template.
    pub async_config: Option<AsyncConfig>,
}

/// `AsyncInferenceConfig` of an endpoint's config: where SageMaker writes results, and the
/// execution roles (of the config's models) it does that with.
#[derive(Clone, Debug)]
pub struct AsyncConfig {
    /// The `AsyncInferenceConfig` key.
    pub loc: Loc,
    /// `OutputConfig.S3OutputPath` and `OutputConfig.S3FailurePath`, with where each is written.
    pub output_path: Option<(SymStr, Loc)>,
    pub failure_path: Option<(SymStr, Loc)>,
    /// Logical ids of the roles named by the variants' models' `ExecutionRoleArn`, with where
    /// each is named. Empty when a model or its role is not in the template.
    pub execution_roles: Vec<(String, Loc)>,
}

/// The `InputLocation` an async call passes (the S3 URI of the request payload).
#[derive(Clone, Debug)]
pub struct InputLocation {
    /// The URI when the files tell it: a literal, or an environment variable the function sets.
    pub value: Option<SymStr>,
    /// Where the code passes it.
    pub loc: Loc,
    /// The environment variable definition it came through, if any.
    pub env_loc: Option<Loc>,
}

/// One policy document attached to a role, with where it came from.
#[derive(Clone, Debug)]
pub struct AttachedPolicy {
    /// Human name: `ScoreFunctionRole inline policy 0`, `AWSLambdaBasicExecutionRole`, …
    pub name: String,
    pub doc: PolicyDocument,
    /// Where the attachment is written (the policy entry, the managed ARN, the attaching resource).
    pub loc: Loc,
}

/// An execution role and every identity policy the scanned files attach to it.
#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub loc: Loc,
    pub policies: Vec<AttachedPolicy>,
    /// The place to add a statement (SAM `Policies`, the role's `Policies`), for labels.
    pub policies_loc: Option<Loc>,
    pub boundary: Option<Vec<AttachedPolicy>>,
    /// A permissions boundary the files name but do not define (a customer-managed policy made
    /// elsewhere): `boundary` is then `None`, and an Allow cannot be proven to pass it.
    pub unknown_boundary: Option<UnknownPolicy>,
    /// Policies attached to the role that cannot be read (customer-managed ARNs outside the files,
    /// `Fn::If` on an undecidable condition): a missing Allow cannot be proven.
    pub unknown_policies: Vec<UnknownPolicy>,
}

/// A policy attached to a role (or its boundary) whose content the linter cannot evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPolicy {
    /// How the files name it: `ScoreFunctionRole policy 0`, an ARN, a Terraform address.
    pub name: String,
    /// Where it is attached.
    pub loc: Loc,
    pub why: UnknownPolicyWhy,
}

/// Why a policy's content is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownPolicyWhy {
    /// Its document is not in the scanned files (a customer-managed ARN, an undecided `Fn::If`).
    NotInFiles,
    /// The files define it, but part of it cannot be evaluated statically (what).
    Unevaluable(String),
    /// A resource policy naming principals other than everyone, which the evaluator cannot decide.
    NamesPrincipals,
}

impl UnknownPolicy {
    /// A policy whose document the files do not hold.
    #[must_use]
    pub fn not_in_files(name: impl Into<String>, loc: Loc) -> Self {
        Self { name: name.into(), loc, why: UnknownPolicyWhy::NotInFiles }
    }
}

/// What a function's role is, as far as the files tell (`link::tie_role` decides it).
#[derive(Clone, Debug)]
pub enum RoleRef {
    Known(usize),
    Unknown { why: UnknownRole, loc: Loc },
}

/// Why a function's role is none of the scanned files' roles; SL003 words it in the function's
/// dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownRole {
    /// The function sets no role, which its format requires.
    NotSet,
    /// The role ARN is another stack's export (`Fn::ImportValue`): its name.
    Imported { export: String },
    /// The role ARN comes from a parameter or variable with no value here: its name.
    Input { name: String },
    /// An ARN or name no role of the files has.
    NotDefined { role: SymStr },
    /// The setting cannot be evaluated: the value's unknown reason.
    Computed { reason: String },
    /// The registry Lambda module's `lambda_role` names a role the files do not define.
    ModuleRoleNotDefined,
    /// The registry Lambda module has `create_role = false` and no `lambda_role`.
    ModuleRoleNotGiven,
    /// Whether the registry Lambda module creates its role (`create_role`) is not known.
    ModuleCreatesRoleUnknown,
}

/// The endpoint a call addresses.
#[derive(Clone, Debug)]
pub enum Target {
    /// A literal name (from code or the environment); `loc` is where the name is written.
    Name { name: String, loc: Loc },
    /// A defined endpoint, referenced through `Fn::GetAtt X.EndpointName` (possibly via the environment).
    Endpoint { index: usize, loc: Loc },
    /// A name known only as a symbol (a parameter without default, an import): the IAM decision
    /// can still be made against policies that use the same symbol, but the name cannot be checked.
    Symbolic { name: SymStr, why: String, loc: Loc },
    /// An ARN passed where a name is expected (`!Ref Endpoint` returns the ARN).
    Arn { text: String, loc: Loc },
    /// The code reads an environment variable the function does not define.
    MissingEnv { var: String, loc: Loc },
    /// Cannot be known statically; `why` says what is unknown.
    Unknown { why: String, loc: Loc },
}

/// One invocation of an endpoint by a function.
#[derive(Clone, Debug)]
pub struct Call {
    pub api: InvokeApi,
    /// The call site in the handler code, or the environment variable when no code was read.
    pub site: Loc,
    pub target: Target,
    /// The environment variable definition the name came through, if any.
    pub env_loc: Option<Loc>,
    /// The call sits inside a `try`/`except`, `try`/`catch` or `.catch(...)`; `None` when no code
    /// was read (the call is known only from the environment).
    pub handled: Option<bool>,
    /// An async call's `InputLocation`, when it passes one.
    pub input_location: Option<InputLocation>,
}

/// A Lambda function.
#[derive(Clone, Debug)]
pub struct Function {
    pub id: String,
    pub loc: Loc,
    pub origin: Origin,
    pub role: RoleRef,
    pub calls: Vec<Call>,
    /// The function's physical name (`FunctionName`, else a symbol: CloudFormation generates it).
    pub name: SymStr,
    /// `Timeout` in seconds (SAM `Globals` included); `None` when computed. Lambda's default is 3 s.
    pub timeout: Option<u32>,
    /// Where the timeout is set (`None`: Lambda's default applies).
    pub timeout_loc: Option<Loc>,
    /// `VpcConfig` / `vpc_config`, when present.
    pub vpc: Option<network::VpcConfig>,
    /// `LoggingConfig.LogGroup`: the log group Lambda writes to instead of `/aws/lambda/<name>`,
    /// with where it is set.
    pub log_group: Option<(SymStr, Loc)>,
    /// The handler code passes an explicit `endpoint_url` / `endpoint` to its SageMaker client.
    pub explicit_endpoint_url: bool,
    /// The region the handler code creates its SageMaker runtime client for, when it names one,
    /// with where: the region its calls go to instead of the function's own
    /// ([`Function::request_region`]).
    pub code_region: Option<(SymStr, Loc)>,
    /// SAM `Policies` written next to `Role`: SAM ignores them (no role is generated).
    pub ignored_policies: Option<Loc>,
    pub partition: SymStr,
    pub region: SymStr,
    pub account: SymStr,
}

impl Function {
    /// The region the function's runtime requests go to: the one its code names for the client,
    /// else its own (the SDKs read `AWS_REGION`, which Lambda sets to the function's region).
    #[must_use]
    pub fn request_region(&self) -> &SymStr {
        self.code_region.as_ref().map_or(&self.region, |(region, _)| region)
    }

    /// `arn:<partition>:<service>:<region>:<account>:`, the start of the ARN of a resource of
    /// `service` in the function's own account and region (its log group, its network
    /// interfaces).
    #[must_use]
    pub fn own_arn_prefix(&self, service: &str) -> SymStr {
        let mut arn = SymStr::lit("arn:");
        arn.append(&self.partition);
        arn.push_str(":");
        arn.push_str(service);
        arn.push_str(":");
        arn.append(&self.region);
        arn.push_str(":");
        arn.append(&self.account);
        arn.push_str(":");
        arn
    }
}

impl Model {
    /// The endpoint ARN a call is authorised against, when the name can be known or named.
    #[must_use]
    pub fn request_arn(&self, function: &Function, target: &Target) -> Option<SymStr> {
        let name = match target {
            Target::Name { name, .. } => SymStr::lit(name),
            Target::Symbolic { name, .. } => name.clone(),
            Target::Endpoint { index, .. } => {
                let ep = self.endpoints.get(*index)?;
                ep.name.clone().unwrap_or_else(|| {
                    SymStr::sym(
                        &format!("{}.EndpointName", ep.id),
                        SymbolOrigin::Resource {
                            resource: ep.id.clone(),
                            attribute: Some("EndpointName".into()),
                        },
                    )
                })
            }
            _ => return None,
        };
        Some(crate::iam::arn::sagemaker_endpoint_arn(
            &function.partition,
            function.request_region(),
            &function.account,
            &name,
        ))
    }

    /// Literal names of every endpoint known to exist, with their definitions.
    pub fn known_endpoint_names(&self) -> impl Iterator<Item = (&str, Option<&Endpoint>)> {
        let defined =
            self.endpoints.iter().filter_map(|e| e.name.as_ref()?.as_literal().map(|n| (n, Some(e))));
        defined.chain(self.declared_endpoints.iter().map(|n| (n.as_str(), None)))
    }
}

/// Attached policies as the evaluator's named inputs.
#[must_use]
pub fn named(policies: &[AttachedPolicy]) -> Vec<crate::iam::NamedPolicy<'_>> {
    policies.iter().map(|p| crate::iam::NamedPolicy { name: p.name.clone(), doc: &p.doc }).collect()
}
