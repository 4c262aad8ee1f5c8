variable "endpoint_name" {
  type        = string
  description = "The SageMaker endpoint the function scores with"
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "scorer" {
  name               = "fraud-scorer-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

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
    resources = ["arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:endpoint/fraud-ep"]
  }
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.scorer.id
  policy = data.aws_iam_policy_document.invoke.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/scorer.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "fraud-scorer"
  role             = aws_iam_role.scorer.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256

  environment {
    variables = {
      ENDPOINT_NAME = var.endpoint_name
    }
  }
}
