resource "aws_lambda_function" "scorer" {
  function_name = "churn-scorer"
  role          = aws_iam_role.scorer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/scorer.zip"
}
