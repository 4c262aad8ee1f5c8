resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "scorer"
  endpoint_config_name = "scorer-config"
}

module "no_lambda_role" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "no-lambda-role"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  create_role   = false
  environment_variables = {
    ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
  }
}

module "undefined_lambda_role" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "undefined-lambda-role"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  create_role   = false
  lambda_role   = "arn:aws:iam::123456789012:role/elsewhere"
  environment_variables = {
    ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
  }
}
