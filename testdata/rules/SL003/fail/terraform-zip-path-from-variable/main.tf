variable "endpoint_name" { type = string }
variable "zip_path" { type = string }

resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17",
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  handler       = "lambda_function.lambda_handler"
  runtime       = "python3.12"
  filename      = var.zip_path
  environment {
    variables = { ENDPOINT_NAME = var.endpoint_name }
  }
}
