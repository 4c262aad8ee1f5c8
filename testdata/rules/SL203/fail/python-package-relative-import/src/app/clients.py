import boto3

runtime = boto3.client("sagemaker-runtime")
