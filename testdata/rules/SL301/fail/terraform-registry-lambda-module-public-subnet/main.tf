resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

# The registry module places the function in the subnets it is given: here a public one, whose
# only way out is an internet gateway (a Lambda ENI gets no public IP, so it cannot use it).
module "scorer" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "churn-scorer"
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 25
  source_path   = "${path.module}/src"

  vpc_subnet_ids         = [aws_subnet.public_a.id]
  vpc_security_group_ids = [aws_security_group.lambda.id]
  attach_network_policy  = true

  attach_policy_statements = true
  policy_statements = {
    invoke = {
      actions   = ["sagemaker:InvokeEndpoint"]
      resources = [aws_sagemaker_endpoint.scorer.arn]
    }
  }

  environment_variables = {
    ENDPOINT_NAME = aws_sagemaker_endpoint.scorer.name
  }
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
