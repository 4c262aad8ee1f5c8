resource "aws_iam_role" "r" {
  name               = "fn-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
resource "aws_lambda_function" "fn" {
  function_name = "fn-${var.env}"
  role          = aws_iam_role.r.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/fn.zip"
  publish       = true
  timeout       = 300
}
resource "aws_lambda_alias" "live" {
  name             = var.env
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
}
variable "env" { type = string }
output "alias_invoke_arn" { value = aws_lambda_alias.live.invoke_arn }
output "alias_name" { value = aws_lambda_alias.live.name }
output "fn_invoke_arn" { value = aws_lambda_function.fn.invoke_arn }
