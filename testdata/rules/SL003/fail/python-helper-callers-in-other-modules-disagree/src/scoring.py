import boto3

runtime = boto3.client("sagemaker-runtime")


def predict(body, endpoint_name):
    return runtime.invoke_endpoint(EndpointName=endpoint_name, Body=body)
