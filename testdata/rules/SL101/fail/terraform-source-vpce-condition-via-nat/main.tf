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

resource "aws_iam_role_policy_attachment" "vpc_access" {
  role       = aws_iam_role.scorer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["sagemaker:InvokeEndpoint"]
    resources = [aws_sagemaker_endpoint.scorer.arn]

    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-0a1b2c3d4e5f60718"]
    }
  }
}

resource "aws_iam_role_policy" "invoke" {
  name   = "invoke-endpoint"
  role   = aws_iam_role.scorer.id
  policy = data.aws_iam_policy_document.invoke.json
}

resource "aws_security_group" "lambda" {
  name        = "churn-scorer-lambda"
  description = "Score function"
  vpc_id      = aws_vpc.main.id

  egress {
    description = "HTTPS out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
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

  vpc_config {
    subnet_ids         = [aws_subnet.private_a.id]
    security_group_ids = [aws_security_group.lambda.id]
  }

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
    }
  }
}
