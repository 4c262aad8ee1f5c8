provider "aws" {
  region = var.region
}

locals {
  endpoint_name = "${var.model_name}-prod"
}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = local.endpoint_name
  endpoint_config_name = "${var.model_name}-config"
}

module "scorer" {
  source = "./modules/scorer"

  function_name    = "${var.model_name}-scorer"
  endpoint_name    = aws_sagemaker_endpoint.scorer.name
  allowed_endpoint = "${var.model_name}-staging"
}

output "function_arn" {
  value = module.scorer.function_arn
}
