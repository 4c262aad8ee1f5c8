resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}
resource "aws_lambda_function" "fn" {
  function_name = "score"
  handler       = "index.handler"
  runtime       = "nodejs18.x"
  role          = aws_iam_role.fn.arn
  filename      = "fn.zip"
  timeout       = 60
}
# OpenAPI body with a Lambda proxy integration; no aws_lambda_permission anywhere
resource "aws_api_gateway_rest_api" "api" {
  name = "score"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "score", version = "1" }
    paths = {
      "/score" = {
        post = {
          "x-amazon-apigateway-integration" = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.fn.invoke_arn
          }
        }
      }
    }
  })
}
