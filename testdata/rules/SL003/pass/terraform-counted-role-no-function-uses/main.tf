provider "aws" { region = "us-east-1" }

# A role for another service, created once per environment that asks for it: no Lambda runs as
# it, so no check depends on its instances.
variable "create_es_user" {
  default = true
}

resource "aws_iam_role" "es_user" {
  count = var.create_es_user ? 1 : 0
  name  = "es-user"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "es.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
