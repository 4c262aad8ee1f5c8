data "archive_file" "fn" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/fn.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "scorer"
  role             = aws_iam_role.r.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  filename         = data.archive_file.fn.output_path
  source_code_hash = data.archive_file.fn.output_base64sha256
  timeout          = 30
  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.e.name
    }
  }
}

resource "aws_sagemaker_endpoint" "e" {
  name                 = "churn-endpoint"
  endpoint_config_name = "cfg"
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = aws_sagemaker_endpoint.e.arn },
    { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"], Resource = "*" }]
  })
}
