variable "aws_region" {
  type = string
}

data "aws_caller_identity" "current" {}

variable "endpoint_name" {
  type    = string
  default = "churn"
}

provider "aws" {
  region = var.aws_region
}

resource "aws_iam_role" "lambda" {
  name               = "churn-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = "arn:aws:sagemaker:${var.aws_region}:${data.aws_caller_identity.current.account_id}:endpoint/${var.endpoint_name}"
    }]
  })
}

resource "aws_lambda_function" "churn" {
  function_name    = "churn"
  role             = var.create_role ? aws_iam_role.lambda.arn : var.role_arn
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

resource "aws_lambda_function" "churn2" {
  function_name    = "churn2"
  role             = aws_iam_role.lambda.arn
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

variable "create_role" {
  type    = bool
  default = true
}

variable "role_arn" {
  type    = string
  default = null
}
