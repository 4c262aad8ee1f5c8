variable "endpoint_name" {
  type        = string
  description = "Name of the SageMaker endpoint"
}
