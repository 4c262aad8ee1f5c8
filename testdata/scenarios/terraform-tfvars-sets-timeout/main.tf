provider "aws" { region = "eu-west-1" }
variable "timeout" {
  type    = number
  default = 5
}
data "aws_caller_identity" "me" {}
data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/fn.zip"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Action = "sagemaker:InvokeEndpoint",
      Resource = "arn:aws:sagemaker:eu-west-1:${data.aws_caller_identity.me.account_id}:endpoint/${aws_sagemaker_endpoint.ep.name}" }]
  })
}
resource "aws_sagemaker_endpoint" "ep" {
  name                 = "score-ep"
  endpoint_config_name = "score-cfg"
}
resource "aws_lambda_function" "f" {
  function_name    = "f"
  role             = aws_iam_role.r.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  timeout          = var.timeout
  environment {
    variables = { ENDPOINT_NAME = aws_sagemaker_endpoint.ep.name }
  }
}
