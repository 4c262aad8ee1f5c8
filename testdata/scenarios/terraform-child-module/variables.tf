variable "region" {
  type    = string
  default = "us-east-1"
}

variable "model_name" {
  type = string
}
