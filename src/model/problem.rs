//! What the builders could not read, resolve or decide, as typed data: the kind of problem, where it
//! is, and the names, paths and reasons it concerns. Rules SL001–SL003 turn each into a message and
//! help in words (`src/rules/sl00{1,2,3}_*.rs`); nothing here is finding text, and paths are kept as
//! paths (how a report shows them depends on the working directory, which the model never reads).

use std::path::PathBuf;

use crate::fsread::Refusal;
use crate::iam::policy::PolicyProblem;
use crate::span::Loc;
use crate::syntax::SyntaxKind;

/// One problem found while reading the files, at `loc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub loc: Loc,
    /// The resource it is about (logical id or Terraform address), when there is one.
    pub resource: Option<String>,
}

impl Problem {
    #[must_use]
    pub fn new(loc: Loc, kind: impl Into<ProblemKind>) -> Self {
        Self { kind: kind.into(), loc, resource: None }
    }

    #[must_use]
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }
}

/// Every problem belongs to exactly one of the three input rules; the variant says which, so a
/// rule matches its own kinds exhaustively and never sees another's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// SL001: the input does not parse, or the deployment tool rejects it.
    Parse(ParseProblem),
    /// SL002: a reference to something not defined.
    Unresolved(UnresolvedProblem),
    /// SL003: something the files cannot tell.
    Undecidable(UndecidableProblem),
}

impl ProblemKind {
    /// The code of the rule that reports this problem.
    #[must_use]
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Parse(_) => "SL001",
            Self::Unresolved(_) => "SL002",
            Self::Undecidable(_) => "SL003",
        }
    }
}

impl From<ParseProblem> for ProblemKind {
    fn from(p: ParseProblem) -> Self {
        Self::Parse(p)
    }
}

impl From<UnresolvedProblem> for ProblemKind {
    fn from(p: UnresolvedProblem) -> Self {
        Self::Unresolved(p)
    }
}

impl From<UndecidableProblem> for ProblemKind {
    fn from(p: UndecidableProblem) -> Self {
        Self::Undecidable(p)
    }
}

/// Which tool rejects a document: CloudFormation at deploy time, Terraform at apply time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deployer {
    CloudFormation,
    Terraform,
}

/// SL001.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseProblem {
    /// The parser's error, with its own description of what is wrong.
    Syntax { kind: SyntaxKind, message: String },
    /// A file that could not be read (`terraform`: a Terraform file, whose limit is not
    /// CloudFormation's).
    UnreadableFile { refusal: Refusal, terraform: bool },
    /// A folder the walk could not enter, with the operating system's reason.
    UnreadableFolder { reason: String },
    /// A template that parses but is not a mapping (`list`: a sequence, else a scalar).
    NotAMapping { list: bool },
    /// A template with nothing in it.
    EmptyTemplate,
    /// A template without `Resources`.
    NoResources,
    /// `Resources` that is not a mapping.
    ResourcesNotMapping,
    /// A `Globals.Function` key the SAM transform rejects.
    SamGlobalsUnsupported { key: String },
    /// A policy document IAM rejects, in the named attachment.
    MalformedPolicy { policy: String, problem: PolicyProblem, deployer: Deployer },
    /// A problem in a standalone policy file (`--scp`, `eval --policy`).
    PolicyFile { problem: PolicyProblem },
    /// A standalone policy file with no document in it.
    EmptyPolicyFile,
    /// A `module` block whose source is a folder on its own call chain: the folders from the root
    /// of the cycle back to it, and where the cycle was entered when another block did.
    ModuleCycle { folders: Vec<PathBuf>, calls_itself: bool, entered_at: Option<Loc> },
}

/// SL002.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnresolvedProblem {
    /// A `Condition` (of a resource or in `Fn::If`/`Condition`) not defined in `Conditions`.
    UndefinedCondition { name: String },
    /// A `Ref`, `Fn::GetAtt`, `Fn::Sub` variable or `DependsOn` naming nothing in the template;
    /// `suggestion` is the closest defined name.
    UndefinedReference { via: &'static str, id: String, suggestion: Option<String> },
    /// A reference to a resource SAM generates only when a property is set (`requires`, e.g.
    /// `AutoPublishAlias`) on `function`, or on any function when `None`; it is not set.
    SamNotGenerated { via: &'static str, id: String, requires: &'static str, function: Option<String> },
    /// A Terraform reference to something the module does not declare.
    UndeclaredTerraform { kind: TerraformThing, address: String, suggestion: Option<String> },
}

/// What a Terraform reference names, by its first part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerraformThing {
    Variable,
    Local,
    Module,
    DataSource,
    Resource,
}

/// Why `rain pkg` fails on a local module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RainModuleFailure {
    Unreadable(Refusal),
    /// Not a mapping, or a syntax error that leaves no usable tree.
    Unparsable,
    /// The module includes itself, directly or through other modules: the files from the first
    /// to its repetition.
    Cycle {
        chain: Vec<PathBuf>,
    },
    /// Modules nested deeper than sagelint follows.
    TooDeep {
        limit: usize,
    },
    /// More module resources (or module text) than sagelint expands for one template.
    TooMany {
        limit: usize,
    },
    /// A module parameter without a `Default` that the parent's `Properties` do not set.
    MissingProperty {
        parameter: String,
    },
    /// An `Overrides` entry naming no resource of the module.
    UnknownOverride {
        resource: String,
    },
    /// An `Overrides` property named like a module parameter.
    OverridesParameter {
        parameter: String,
    },
}

/// SL003.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndecidableProblem {
    /// A template whose resources are partly made at deploy time: an `Fn::ForEach` loop (its key),
    /// or transforms other than SAM and language extensions.
    DeployTimeResources { for_each: Option<String>, transforms: Vec<String> },
    /// A Serverless Framework `resources:` fragment, and what gave it away.
    ServerlessFragment { sign: FragmentSign },
    /// A Serverless Framework configuration (`serverless.yml`).
    ServerlessConfig,
    /// A plain template with YAML aliases (a packaging step may expand them).
    YamlAliases,
    /// A source template for `rain pkg`: the first of its `Rain::` directives (`Rain::Module`, …).
    RainDirectives { directive: String },
    /// A `Rain::Module` that `rain pkg` cannot expand: the module's path, the modules placed on the
    /// way to it (from the template's directive), and why. The template is checked as written.
    RainModuleUnexpanded { module: PathBuf, via: Vec<PathBuf>, why: RainModuleFailure },
    /// A CDK app whose output folder was not scanned; `exists`: the folder is there but skipped.
    CdkOutputUnscanned { out: PathBuf, exists: bool },
    /// A file in a Terraform module's folder that an ignore file keeps out of the scan.
    IgnoredTerraformFile { name: String },
    /// A function that passes an endpoint but makes no call, with a layer outside the files.
    UnreadLayer { function: String, layer: LayerName },
    /// A function that may call SageMaker (`sign`) whose handler was not read; `code_setting` is
    /// the setting that names its code folder (`CodeUri`, an archive's `source_dir`).
    MissingHandler {
        function: String,
        handler: String,
        absence: HandlerAbsence,
        sign: SageMakerSign,
        code_setting: &'static str,
    },
    /// A function deployed from a zip built outside Terraform, whose code is read from the one
    /// folder near it that holds the handler module: a link by name, not by configuration.
    CodeFromZipSources { function: String, handler: String, zip: PathBuf, dir: PathBuf },
    /// A function's `VpcConfig` that cannot be read, and why.
    VpcConfigUnknown { function: String, why: String },
    /// A Terraform module from outside the scanned files (`module` name, `source` as written).
    RemoteModule { module: String, source: String },
    /// A local module (`source = "../../modules/fn"`) whose folder is not read: outside the
    /// scanned repository, or no folder of Terraform files.
    LocalModuleUnread { module: String, dir: PathBuf, missing: bool },
    /// An API whose OpenAPI definition is not read (`Fn::Transform: AWS::Include`,
    /// `DefinitionUri`/`BodyS3Location`, a Terraform `body` that is not a literal document):
    /// its integrations, and the functions behind them, are not known.
    ApiDefinitionUnread { api: String, how: String, terraform: bool },
    /// A resource with `count` or `for_each` (the argument), checked as one instance.
    Instances { address: String, meta: String },
    /// A policy document `file()` names that the reader refused.
    PolicyFileUnread { path: PathBuf, refusal: Refusal },
    /// Handler code named on the command line that no function in the templates of `searched`
    /// (its repository) runs: nothing judged it.
    CodeNotDeployed { searched: PathBuf },
}

/// What showed that a file is a Serverless Framework fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentSign {
    /// One of the framework's variable sources (`${self:`, `${opt:`, …).
    Variable(&'static str),
    /// A reference to a resource the framework generates.
    GeneratedName(String),
}

/// How a layer the files do not hold is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerName {
    /// The layer's local content folder, which is not there.
    Folder(PathBuf),
    /// A logical id or the resolved ARN.
    Named(String),
    /// Nothing the files tell.
    Unnamed,
}

/// What shows that a function whose code was not read may call SageMaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SageMakerSign {
    /// Its environment hands it an endpoint (a defined one, or a variable named for one).
    PassesEndpoint,
    /// Its role allows this action pattern, which covers invoking an endpoint.
    RoleAllows { action: String },
}

/// Why a handler's code was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandlerAbsence {
    /// The file is there but the reader refused it.
    Refused { file: PathBuf, refusal: Refusal },
    /// No file for it in the code folder.
    NotIn { dir: PathBuf },
    /// The code is a zip in the files, and none of its members is the handler module; `member` is
    /// the file looked for (`app.py`).
    NotInZip { zip: PathBuf, member: String },

    /// The code is a zip the deployment names but does not build (`filename = "build/fn.zip"`),
    /// which is not in the files, and no folder near it holds the handler module.
    InZip { zip: PathBuf },
    /// The code is a zip in the files that the bounded zip reader refused (corrupt, encrypted,
    /// too large, a bomb, a member named outside the archive), or whose handler `member` it
    /// refused.
    ZipRefused { zip: PathBuf, member: Option<String>, refusal: Refusal },
    /// The code is a container image (`image_uri`), and the files hold no single Dockerfile that
    /// builds it: `contexts` are the folders with one when there are several.
    Image { contexts: Vec<PathBuf> },
    /// The code is a zip built outside the deployment, and several folders near it hold the
    /// handler module: which one it packs cannot be told.
    AmbiguousZip { zip: PathBuf, dirs: Vec<PathBuf> },
    /// The code is an object the deployment names in S3 (`CodeUri: s3://…`, `Code: {S3Bucket,
    /// S3Key}`, Terraform `s3_bucket`), or a location computed at deploy time: not in the files.
    /// `location` is how the files write it.
    Uploaded { location: String },
    /// The function runs on a runtime whose code this linter does not read (Go and other
    /// `provided` runtimes, Java, .NET, Ruby).
    Runtime { runtime: String },
}

impl HandlerAbsence {
    /// The absence is about a zip in the files, so its finding points where the zip is named.
    #[must_use]
    pub fn is_in_zip(&self) -> bool {
        matches!(self, Self::NotInZip { .. } | Self::ZipRefused { .. })
    }

    /// The finding points where the code's location is named (a zip, an S3 object), not at the
    /// handler.
    #[must_use]
    pub fn names_code(&self) -> bool {
        self.is_in_zip() || matches!(self, Self::Uploaded { .. } | Self::Runtime { .. })
    }
}
