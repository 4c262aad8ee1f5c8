resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "scorer" {
  name               = "churn-scorer-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = [aws_sagemaker_endpoint.scorer.arn]
  }
}

resource "aws_iam_role_policy" "invoke" {
  name   = "invoke-endpoint"
  role   = aws_iam_role.scorer.id
  policy = data.aws_iam_policy_document.invoke.json
}

data "archive_file" "scorer" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/scorer.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "churn-scorer"
  role             = aws_iam_role.scorer.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = data.archive_file.scorer.output_path
  source_code_hash = data.archive_file.scorer.output_base64sha256

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}
