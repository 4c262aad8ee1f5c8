resource "aws_iam_role" "scorer" {
  name               = "churn-scorer-lambda"
  assume_role_policy = file("${path.module}/assume-role.json")
}

resource "aws_lambda_function" "scorer" {
  function_name = var.function_name
  role          = aws_iam_role.scorrer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/scorer.zip"

  environment {
    variables = {
      ENDPOINT_NAME = var.endpoint_name
    }
  }
}

variable "endpoint_name" {
  type = string
}
