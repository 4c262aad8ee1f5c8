data "aws_caller_identity" "current" {}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "scorer"
  endpoint_config_name = "scorer-config"
}

resource "aws_iam_role" "scorer" {
  name               = "scorer-role"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "scorer" {
  function_name = "scorer"
  role          = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/scorer-role"
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

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
