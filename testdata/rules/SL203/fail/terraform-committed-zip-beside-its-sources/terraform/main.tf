provider "aws" { region = "eu-west-1" }

resource "aws_iam_role" "scorer" {
  name = "scorer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.scorer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = aws_sagemaker_endpoint.ep.arn },
      { Effect = "Allow", Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
    ]
  })
}

resource "aws_sagemaker_endpoint" "ep" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-config"
}

# The zip is committed: `terraform apply` in this folder uploads it as it is.
resource "aws_lambda_function" "scorer" {
  function_name    = "scorer"
  role             = aws_iam_role.scorer.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = "lambda.zip"
  source_code_hash = filebase64sha256("lambda.zip")
  environment {
    variables = { ENDPOINT_NAME = aws_sagemaker_endpoint.ep.name }
  }
}
