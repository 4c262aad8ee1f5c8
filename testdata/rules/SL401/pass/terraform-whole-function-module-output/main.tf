provider "aws" { region = "eu-west-1" }
module "fn" { source = "./modules/fn" }
module "api" {
  source = "./modules/api"
  lambda = module.fn.lambda
}
