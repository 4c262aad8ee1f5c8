provider "aws" { region = "eu-west-1" }
resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_sagemaker_endpoint" "ep" {
  name                 = "churn-scorer"
  endpoint_config_name = "cfg"
}
locals {
  ep   = aws_sagemaker_endpoint.ep
  role = aws_iam_role.r
}
resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = local.role.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  s3_bucket     = "artifacts"
  s3_key        = "scorer.zip"
  environment { variables = { ENDPOINT_NAME = local.ep.name } }
}
