data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

resource "aws_iam_role" "scorer" {
  name_prefix          = "churn-scorer-"
  assume_role_policy   = file("${path.module}/policies/assume-role.json")
  permissions_boundary = aws_iam_policy.boundary.arn
}

# Boundary and invoke policy as heredoc JSON, as older modules write them.
resource "aws_iam_policy" "boundary" {
  name   = "churn-scorer-boundary"
  policy = <<EOF2
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["sagemaker:InvokeEndpoint", "logs:*"],
      "Resource": "*"
    }
  ]
}
EOF2
}

resource "aws_iam_policy" "invoke" {
  name   = "churn-scorer-invoke"
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "sagemaker:InvokeEndpoint",
          "Resource": "arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:endpoint/${aws_sagemaker_endpoint.scorer.name}"
        }
      ]
    }
  JSON
}

resource "aws_iam_policy_attachment" "invoke" {
  name       = "churn-scorer-invoke"
  roles      = [aws_iam_role.scorer.name]
  policy_arn = aws_iam_policy.invoke.arn
}

resource "aws_iam_role_policy" "logs" {
  role   = aws_iam_role.scorer.id
  policy = jsonencode(local.logs_policy)
}

data "archive_file" "code" {
  type        = "zip"
  source_file = "${path.module}/src/app.py"
  output_path = "${path.module}/build/scorer.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "churn-scorer"
  role             = aws_iam_role.scorer.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}
