import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName="fraud-scorer",
        ContentType="application/json",
        Body=event["body"],
    )
    return response["Body"].read().decode()
