variable "project" {
  type    = string
  default = "Acme-Vision"
}

variable "overrides" {
  type    = map(string)
  default = {}
}

locals {
  defaults = {
    model   = "resnet"
    variant = "v1"
  }
  settings      = merge(local.defaults, var.overrides)
  model         = lookup(local.settings, "model", "resnet")
  variant       = try(local.settings.variant, "v1")
  stage         = coalesce(var.stage, "dev")
  base_name     = lower(replace(var.project, "_", "-"))
  endpoint_name = format("%s-%s-%s-%s", local.base_name, local.model, local.variant, local.stage)
}

variable "stage" {
  type    = string
  default = null
}

resource "aws_iam_role" "lambda" {
  name               = "${local.base_name}-${local.stage}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = ["arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:endpoint/${local.endpoint_name}"]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.invoke.json
}

resource "aws_lambda_function" "vision" {
  function_name    = "${local.base_name}-${terraform.workspace}"
  role             = aws_iam_role.lambda.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = merge(
      { ENDPOINT_NAME = local.endpoint_name },
      { STAGE = local.stage },
    )
  }
}
