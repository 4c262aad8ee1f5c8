# A function made with the registry module terraform-aws-modules/lambda/aws: the module's source
# is not in the repository, but the role it creates is built from these inputs.
module "inference_lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "inference"
  handler       = "app.handler"
  runtime       = "python3.12"
  source_path   = "${path.module}/src"
  timeout       = 30

  attach_policy_statements = true
  policy_statements = {
    sagemaker = {
      effect    = "Allow"
      actions   = ["sagemaker:InvokeEndpoint"]
      resources = [aws_sagemaker_endpoint.model.arn]
    }
  }

  environment_variables = {
    ENDPOINT_NAME = aws_sagemaker_endpoint.model.name
  }
}

resource "aws_sagemaker_endpoint" "model" {
  name                 = "sentiment-prod"
  endpoint_config_name = "sentiment-prod-config"
}
