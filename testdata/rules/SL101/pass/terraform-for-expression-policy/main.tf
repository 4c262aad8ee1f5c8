variable "endpoints" {
  type    = list(string)
  default = ["churn-a", "churn-b"]
}

variable "names" {
  type    = list(string)
  default = ["churn-a", "churn-b"]
}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
}

resource "aws_iam_role" "lambda" {
  name               = "churn-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for ep in var.endpoints : {
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = "arn:aws:sagemaker:${local.region}:${local.account}:endpoint/${ep}"
    }]
  })
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"]
    resources = ["*"]
  }
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = [for n in var.names : "arn:aws:sagemaker:${local.region}:${local.account}:endpoint/${n}"]
  }
}

resource "aws_iam_role_policy" "logs" {
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_lambda_function" "churn" {
  function_name    = "churn"
  role             = aws_iam_role.lambda.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = { ENDPOINT_NAME = "churn-a" }
  }
}
