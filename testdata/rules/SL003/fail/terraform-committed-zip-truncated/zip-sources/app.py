import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName="churn-scorer-v2",
        ContentType="application/json",
        Body=event["body"],
    )
    return response["Body"].read().decode()
