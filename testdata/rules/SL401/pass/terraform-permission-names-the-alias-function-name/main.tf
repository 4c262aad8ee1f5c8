resource "aws_iam_role" "r" {
  name               = "fn-role"
  assume_role_policy = "{}"
}
resource "aws_lambda_function" "fn" {
  function_name = "score"
  role          = aws_iam_role.r.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  publish       = true
  timeout       = 10
}
resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.function_name
  function_version = aws_lambda_function.fn.version
}
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "i" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn.invoke_arn
  payload_format_version = "2.0"
}
# function_name of an alias is the function's name as given to the alias: "score", unqualified
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_alias.live.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*"
}
