import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        response = runtime.invoke_endpoint(EndpointName="fraud-scorer-v2", ContentType="text/csv", Body=event["features"])
    except ClientError as err:
        return {"error": err.response["Error"]["Code"]}
    return {"score": response["Body"].read().decode()}
