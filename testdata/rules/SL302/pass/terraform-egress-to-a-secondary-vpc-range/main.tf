provider "aws" { region = "eu-west-1" }

resource "aws_vpc" "main" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

# A second range for the VPC: the subnets may be in it, so the VPC's own range no longer
# bounds them.
resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.9.0.0/16"
}

variable "private_subnet_cidrs" {
  type    = list(string)
  default = ["10.9.3.0/24", "10.9.4.0/24"]
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = var.private_subnet_cidrs[count.index]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "fn" {
  name   = "fn"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "self_https" {
  security_group_id            = aws_security_group.fn.id
  referenced_security_group_id = aws_security_group.fn.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

# Egress to the VPC's second range, where the subnets are.
resource "aws_vpc_security_group_egress_rule" "https_out" {
  security_group_id = aws_security_group.fn.id
  cidr_ipv4         = "10.9.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_endpoint" "sagemaker_runtime" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.sagemaker.runtime"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.fn.id]
  private_dns_enabled = true
}

resource "aws_iam_role" "r" {
  name = "scorer"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "invoke" {
  role = aws_iam_role.r.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "sagemaker:InvokeEndpoint", Resource = aws_sagemaker_endpoint.ep.arn }] })
}

resource "aws_sagemaker_endpoint" "ep" {
  name                 = "churn-scorer"
  endpoint_config_name = "cfg"
}

data "archive_file" "src" {
  type        = "zip"
  source_file = "${path.module}/app.py"
  output_path = "${path.module}/build/app.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name    = "scorer"
  role             = aws_iam_role.r.arn
  handler          = "app.handler"
  runtime          = "python3.12"
  timeout          = 25
  filename         = data.archive_file.src.output_path
  source_code_hash = data.archive_file.src.output_base64sha256
  environment { variables = { ENDPOINT_NAME = aws_sagemaker_endpoint.ep.name } }
  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.fn.id]
  }
}
