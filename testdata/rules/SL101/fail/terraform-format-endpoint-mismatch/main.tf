variable "env" {
  type    = string
  default = "prod"
}

locals {
  granted_endpoint = format("%s-%s", "fraud-v1", var.env)
  called_endpoint  = format("%s-%s", "fraud-v2", var.env)
}

resource "aws_iam_role" "lambda" {
  name               = "fraud-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = "arn:aws:sagemaker:*:*:endpoint/${local.granted_endpoint}"
    }]
  })
}

resource "aws_lambda_function" "fraud" {
  function_name    = "fraud"
  role             = aws_iam_role.lambda.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = {
      ENDPOINT_NAME = local.called_endpoint
    }
  }
}
