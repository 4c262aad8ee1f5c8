variable "function_name" {
  type = string
}

# Meant to reuse the platform's outputs, but this calls the folder that calls this module.
module "platform" {
  source = "../../"
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.function_name}-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  period              = 60
  statistic           = "Sum"
  dimensions = {
    FunctionName = var.function_name
  }
}
