module "scorer" {
  source = "./modules/scorer"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "churn-scoring"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "score" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.scorer.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "score" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "POST /score"
  target    = "integrations/${aws_apigatewayv2_integration.score.id}"
}


resource "aws_lambda_permission" "http_api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = module.scorer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}
