variable "function_name" {
  type = string
}

variable "endpoint_name" {
  type = string
}

variable "allowed_endpoint" {
  type = string
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = ["arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:endpoint/${var.allowed_endpoint}"]
  }
}

resource "aws_iam_role" "this" {
  name                = var.function_name
  assume_role_policy  = data.aws_iam_policy_document.assume.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]

  inline_policy {
    name   = "invoke-endpoint"
    policy = data.aws_iam_policy_document.invoke.json
  }
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/code.zip"
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  role             = aws_iam_role.this.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256

  environment {
    variables = {
      ENDPOINT_NAME = var.endpoint_name
    }
  }
}

output "function_arn" {
  value = aws_lambda_function.this.arn
}
