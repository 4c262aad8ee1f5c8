resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

resource "aws_iam_role" "scorer" {
  name = "churn-scorer-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }
  })
}
