provider "aws" {
  region = "eu-west-1"
}

resource "aws_sagemaker_endpoint" "churn" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

resource "aws_iam_role" "scorer" {
  name = "scorer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.scorer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = aws_sagemaker_endpoint.churn.arn
    }]
  })
}

# A build script zips fn/ into fn/lambda_function.zip before `terraform apply`.
resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = aws_iam_role.scorer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  filename      = "${path.module}/../fn/lambda_function.zip"

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.churn.name
    }
  }
}
