variable "model" {
  type = object({
    endpoint_name = string
    timeout       = number
    memory        = optional(number, 512)
  })
  default = {
    endpoint_name = "object-detector"
    timeout       = 45
  }
}

resource "aws_iam_role" "lambda" {
  name               = "detector-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "sagemaker:InvokeEndpoint"
        Resource = "arn:aws:sagemaker:us-east-1:${data.aws_caller_identity.current.account_id}:endpoint/${var.model.endpoint_name}"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"]
        Resource = "*"
      }
    ]
  })
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_lambda_function" "detector" {
  function_name    = "detector"
  role             = aws_iam_role.lambda.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = var.model.timeout
  memory_size      = var.model.memory
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = {
      ENDPOINT_NAME = var.model.endpoint_name
    }
  }
}
