variable "create_role" {
  type    = bool
  default = true
}

variable "role_arn" {
  type    = string
  default = null
}

variable "endpoint_name" {
  type    = string
  default = "churn-v2"
}

resource "aws_iam_role" "this" {
  count              = var.create_role ? 1 : 0
  name               = "churn-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "invoke" {
  count = var.create_role ? 1 : 0
  role  = aws_iam_role.this[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = "arn:aws:sagemaker:*:*:endpoint/churn-v1"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  count      = var.create_role && var.role_arn == null ? 1 : 0
  role       = aws_iam_role.this[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "churn" {
  function_name    = "churn"
  role             = var.create_role ? aws_iam_role.this[0].arn : var.role_arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = {
      ENDPOINT_NAME = var.endpoint_name
    }
  }
}
