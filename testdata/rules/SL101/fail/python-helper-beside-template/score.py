import boto3

client = boto3.client("sagemaker-runtime")


def predict(event):
    return client.invoke_endpoint(EndpointName="churn", Body=event["body"])
