provider "aws" { region = "us-east-1" }
data "aws_caller_identity" "me" {}
# bin/bootstrap is built by `make build` (Go); it is not committed.
data "archive_file" "code" {
  type        = "zip"
  source_file = "${path.root}/bin/bootstrap"
  output_path = "${path.module}/fn.zip"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "sagemaker:InvokeEndpoint",
      Resource = "arn:aws:sagemaker:us-east-1:${data.aws_caller_identity.me.account_id}:endpoint/${aws_sagemaker_endpoint.ep.name}" }]
  })
}
resource "aws_sagemaker_endpoint" "ep" {
  name                 = "score-ep"
  endpoint_config_name = "score-cfg"
}
resource "aws_lambda_function" "f" {
  function_name    = "f"
  role             = aws_iam_role.r.arn
  handler          = "bootstrap"
  runtime          = "provided.al2"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  timeout          = 20
  environment {
    variables = { ENDPOINT_NAME = aws_sagemaker_endpoint.ep.name }
  }
}
