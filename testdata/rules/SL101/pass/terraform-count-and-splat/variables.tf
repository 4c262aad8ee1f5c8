variable "endpoint_name" {
  type        = string
  description = "Name of the SageMaker endpoint"
}

variable "enabled" {
  type    = bool
  default = true
}
