variable "endpoint_names" {
  type    = list(string)
  default = ["fraud-detector", "fraud-explainer"]
}

data "aws_iam_policy_document" "invoke" {
  dynamic "statement" {
    for_each = var.endpoint_names
    content {
      sid     = "Invoke${replace(statement.value, "-", "")}"
      actions = ["sagemaker:InvokeEndpoint"]
      resources = [
        "arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:endpoint/${statement.value}",
      ]
    }
  }

  statement {
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "lambda" {
  name               = "fraud-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.invoke.json
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
      ENDPOINT_NAME = var.endpoint_names[0]
    }
  }
}
