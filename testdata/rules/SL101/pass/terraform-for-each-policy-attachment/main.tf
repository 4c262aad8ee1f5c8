resource "aws_iam_policy" "invoke" {
  name = "invoke-recommender"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sagemaker:InvokeEndpoint"]
      Resource = "arn:aws:sagemaker:*:*:endpoint/recommender-*"
    }]
  })
}

resource "aws_iam_role" "worker" {
  name               = "recommender-worker"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "worker_managed" {
  for_each = toset([
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly",
  ])
  role       = aws_iam_role.worker.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "worker" {
  for_each = {
    invoke = aws_iam_policy.invoke.arn
  }
  role       = aws_iam_role.worker.name
  policy_arn = each.value
}

resource "aws_lambda_function" "worker" {
  function_name    = "recommender-worker"
  role             = aws_iam_role.worker.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 30
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {
    variables = {
      ENDPOINT_NAME = "recommender-v2"
    }
  }
}
