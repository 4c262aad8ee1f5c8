resource "aws_sagemaker_endpoint" "forecast" {
  name                 = "demand-forecast"
  endpoint_config_name = "demand-forecast-config"
}

resource "aws_iam_role" "forecast" {
  name = "demand-forecast-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "invoke" {
  name = "invoke-endpoint"
  role = aws_iam_role.forecast.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = aws_sagemaker_endpoint.forecast.arn
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.forecast.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "archive_file" "shared_layer" {
  type        = "zip"
  source_dir  = "${path.module}/layers/shared"
  output_path = "${path.module}/build/shared-layer.zip"
}

resource "aws_lambda_layer_version" "shared" {
  layer_name          = "shared-inference"
  filename            = data.archive_file.shared_layer.output_path
  source_code_hash    = data.archive_file.shared_layer.output_base64sha256
  compatible_runtimes = ["python3.12"]
}

data "archive_file" "forecast" {
  type        = "zip"
  source_dir  = "${path.module}/functions/forecast"
  output_path = "${path.module}/build/forecast.zip"
}

resource "aws_lambda_function" "forecast" {
  function_name    = "demand-forecast"
  role             = aws_iam_role.forecast.arn
  handler          = "handler.main"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.forecast.output_path
  source_code_hash = data.archive_file.forecast.output_base64sha256
  layers           = [aws_lambda_layer_version.shared.arn]

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.forecast.name
    }
  }
}
