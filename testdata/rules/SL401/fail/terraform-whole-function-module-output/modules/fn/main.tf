resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/../../src"
  output_path = "${path.module}/fn.zip"
}
resource "aws_lambda_function" "scorer" {
  function_name    = "scorer"
  role             = aws_iam_role.r.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = data.archive_file.zip.output_path
  source_code_hash = data.archive_file.zip.output_base64sha256
}
output "lambda" { value = aws_lambda_function.scorer }
