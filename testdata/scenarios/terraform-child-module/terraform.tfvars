region     = "eu-west-1"
model_name = "churn"
