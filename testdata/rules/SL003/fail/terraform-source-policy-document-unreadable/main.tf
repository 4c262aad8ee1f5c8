variable "grant_invoke" {
  type        = bool
  description = "Set per environment by the pipeline"
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = ["arn:aws:sagemaker:*:*:endpoint/toxicity-classifier"]
  }
}

data "aws_iam_policy_document" "lambda" {
  source_policy_documents = var.grant_invoke ? [data.aws_iam_policy_document.invoke.json] : []
  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "lambda" {
  name               = "toxicity-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "lambda" {
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

resource "aws_lambda_function" "toxicity" {
  function_name    = "toxicity"
  role             = aws_iam_role.lambda.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = {
      ENDPOINT_NAME = "toxicity-classifier"
    }
  }
}
