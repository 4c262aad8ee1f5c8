module "fn" {
  source = "../../modules/fn"
  env    = "dev"
}
module "api" {
  source     = "../../modules/api"
  invoke_arn = module.fn.alias_invoke_arn
}
