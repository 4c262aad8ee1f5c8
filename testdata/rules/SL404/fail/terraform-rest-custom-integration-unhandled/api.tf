resource "aws_api_gateway_rest_api" "scoring" {
  name = "churn-scoring"
}

resource "aws_api_gateway_resource" "score" {
  rest_api_id = aws_api_gateway_rest_api.scoring.id
  parent_id   = aws_api_gateway_rest_api.scoring.root_resource_id
  path_part   = "score"
}

resource "aws_api_gateway_method" "score" {
  rest_api_id   = aws_api_gateway_rest_api.scoring.id
  resource_id   = aws_api_gateway_resource.score.id
  http_method   = "POST"
  authorization = "NONE"
}

# A Lambda custom integration (not AWS_PROXY), with no integration response mapping errors.
resource "aws_api_gateway_integration" "score" {
  rest_api_id             = aws_api_gateway_rest_api.scoring.id
  resource_id             = aws_api_gateway_resource.score.id
  http_method             = aws_api_gateway_method.score.http_method
  integration_http_method = "POST"
  type                    = "AWS"
  uri                     = aws_lambda_function.scorer.invoke_arn
}

resource "aws_lambda_permission" "rest_api" {
  statement_id  = "AllowRestApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.scorer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.scoring.execution_arn}/*/POST/score"
}
