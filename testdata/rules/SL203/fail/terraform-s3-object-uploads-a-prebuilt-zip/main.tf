provider "aws" { region = "eu-west-1" }

resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sagemaker:InvokeEndpoint", Resource = aws_sagemaker_endpoint.ep.arn }] })
}

resource "aws_sagemaker_endpoint" "ep" {
  name                 = "churn-scorer"
  endpoint_config_name = "cfg"
}

resource "aws_s3_object" "code" {
  bucket = "my-artifacts"
  key    = "lambda/app.zip"
  source = "${path.module}/lambda_function_payload.zip" # built by create_package.sh, gitignored
  etag   = filemd5("${path.module}/lambda_function_payload.zip")
}

resource "aws_lambda_function" "scorer" {
  function_name    = "scorer"
  role             = aws_iam_role.r.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  s3_bucket        = "my-artifacts"
  s3_key           = aws_s3_object.code.key
  depends_on       = [aws_s3_object.code]
  environment { variables = { ENDPOINT_NAME = aws_sagemaker_endpoint.ep.name } }
}
