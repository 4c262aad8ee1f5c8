resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = {Service = "lambda.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"}]})
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role = aws_iam_role.r.arn
  handler = "app.handler"
  runtime = "python3.12"
  timeout = 30
  s3_bucket = "my-artifacts"
  s3_key = "lambdas/call_sagemaker_lambda.zip"
}
