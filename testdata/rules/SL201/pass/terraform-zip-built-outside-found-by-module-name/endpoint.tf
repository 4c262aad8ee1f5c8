resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}
