variable "role_arn" {
  type = string
}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "scorer"
  endpoint_config_name = "scorer-config"
}

resource "aws_lambda_function" "no_role" {
  function_name = "no-role"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  s3_bucket     = "bucket"
  s3_key        = "key.zip"
  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}

resource "aws_lambda_function" "from_variable" {
  function_name = "from-variable"
  role          = var.role_arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  s3_bucket     = "bucket"
  s3_key        = "key.zip"
  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}
